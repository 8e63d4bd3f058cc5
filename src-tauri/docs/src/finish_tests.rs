//! What tidying leaves out, and what it keeps.

use super::*;
use crate::layout::{font_ids, save, Paper, Writer, INK};
use printpdf::PdfDocument;

fn letter() -> Vec<u8> {
    let mut w = Writer::new(font_ids(), Paper::A4);
    w.paragraph("Payment reminder 付款提醒", 12.0, INK, 4.0);
    w.rule(w.left(), 700.0, w.right(), 0.5, INK);
    let pages = w.finish(&|i, n| format!("{i} / {n}"));
    save(&mut PdfDocument::new("A title 標題"), pages, 1_780_000_000)
}

#[test]
fn empty_entries_and_objects_are_left_out_and_what_matters_kept() {
    let bytes = letter();
    let doc = lopdf::Document::load_mem(&bytes).expect("the document reads back");
    let page = doc
        .get_dictionary(*doc.get_pages().get(&1).unwrap())
        .unwrap();
    assert!(page.get(b"MediaBox").is_ok());
    for gone in [b"CropBox".as_slice(), b"TrimBox", b"Annots"] {
        assert!(page.get(gone).is_err(), "{}", String::from_utf8_lossy(gone));
    }
    let resources = page
        .get(b"Resources")
        .unwrap()
        .as_dict()
        .expect("in the page");
    let fonts = resources
        .get(b"Font")
        .unwrap()
        .as_dict()
        .expect("in the page");
    assert!(fonts.get(b"RDMAIN").unwrap().as_reference().is_ok());
    for gone in [b"XObject".as_slice(), b"ExtGState", b"Shading"] {
        assert!(
            resources.get(gone).is_err(),
            "{}",
            String::from_utf8_lossy(gone)
        );
    }
    let info = doc
        .get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap())
        .unwrap();
    assert_eq!(
        info.get(b"Title").unwrap().as_str().unwrap(),
        [
            &[0xfe, 0xff][..],
            &"A title 標題"
                .encode_utf16()
                .flat_map(|u| u.to_be_bytes())
                .collect::<Vec<_>>()
        ]
        .concat(),
        "the title is kept"
    );
    assert!(
        matches!(
            info.get(b"Title"),
            Ok(Object::String(_, lopdf::StringFormat::Literal))
        ),
        "written as bytes, not hexadecimal"
    );
    assert!(bytes.starts_with(b"%PDF-1.5"));
    assert!(doc.trailer.get(b"Type").unwrap().as_name().unwrap() == b"XRef");
    assert!(
        !bytes.windows(8).any(|w| w == b"/Catalog"),
        "the dictionaries are in a compressed object stream"
    );
    assert!(info.get(b"CreationDate").is_ok());
    assert!(info.get(b"Author").is_err(), "an empty author is left out");
    // Objects are numbered without gaps, and every stream is compressed (the object stream
    // and the fonts' and page's streams; the cross-reference stream is not).
    let streams = bytes.windows(7).filter(|w| w == b">>strea").count();
    assert_eq!(
        bytes.windows(12).filter(|w| w == b"/FlateDecode").count(),
        streams - 1
    );
    let ids: Vec<u32> = doc.objects.keys().map(|(id, _)| *id).collect();
    assert_eq!(ids, (1..=ids.len() as u32).collect::<Vec<_>>());
    for object in doc.objects.values() {
        if let Object::Stream(s) = object {
            let kind = s.dict.get(b"Type").and_then(|t| t.as_name()).ok();
            if matches!(kind, Some(b"XRef" | b"ObjStm")) {
                // lopdf's reader keeps these as objects, already unpacked
                continue;
            }
            assert_eq!(
                s.dict.get(b"Filter").unwrap().as_name().unwrap(),
                b"FlateDecode"
            );
        }
    }
}

#[test]
fn colour_and_font_are_set_once_while_they_do_not_change() {
    let mut w = Writer::new(font_ids(), Paper::A4);
    for i in 0..5 {
        w.text_at(
            56.0,
            700.0 - 12.0 * i as f32,
            10.0,
            INK,
            "same pen 同一支筆",
        );
    }
    w.text_at(56.0, 600.0, 12.0, INK, "a larger size");
    let pages = w.finish(&|i, n| format!("{i} / {n}"));
    let mut pdf = PdfDocument::new("t");
    let bytes = save(&mut pdf, pages, 0);
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let content = String::from_utf8_lossy(&doc.get_page_content(page)).into_owned();
    assert_eq!(content.matches("BT").count(), 6 + 1, "{content}");
    // Once for the lines, once for the larger size, once for the footer's smaller one.
    assert_eq!(content.matches(" Tf").count(), 3, "{content}");
    // INK for the lines, MUTED for the footer's page label.
    assert_eq!(content.matches(" rg").count(), 2, "{content}");
    assert!(content.contains("0.11 0.149 0.188 rg"), "{content}");
}
