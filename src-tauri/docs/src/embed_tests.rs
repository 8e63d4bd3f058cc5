//! The CJK font as a document embeds it: what poppler reads back from it, and the maps
//! that give its text back.

use std::process::Command;

use printpdf::PdfDocument;

use super::*;
use crate::layout::{font_ids, save, Paper, Writer, INK};

/// A one-page document of `lines`.
fn document(lines: &[&str]) -> Vec<u8> {
    let mut w = Writer::new(font_ids(), Paper::A4);
    for line in lines {
        w.paragraph(line, 11.0, INK, 4.0);
    }
    let pages = w.finish(&|_, _| String::new());
    save(&mut PdfDocument::new("test"), pages, 1_780_000_000)
}

fn poppler(tool: &str, pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut cmd = Command::new(tool);
    cmd.arg(&path);
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is needed for this test: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const MIXED: &[&str] = &[
    "Dear 林美玲, INV-2026-0101 NT$1,234.50 is 12 days overdue.",
    "請於 2026 年 12 月 9 日前支付款項，謝謝您。若您已付款，請忽略本提醒。",
    "株式会社さくらソフト Ærø Œuvre Nguyễn Thị Hồng ₱1,234.50 ₹99 ฿5",
];

#[test]
fn the_text_comes_back_in_both_fonts_and_the_cjk_font_is_an_embedded_subset() {
    let pdf = document(MIXED);
    let text = poppler("pdftotext", &pdf);
    for line in MIXED {
        assert!(text.contains(line), "{line:?} not in {text:?}");
    }
    let fonts = poppler("pdffonts", &pdf);
    let cjk = fonts
        .lines()
        .find(|l| l.contains("NotoSansCJKtc-Regular"))
        .unwrap_or_else(|| panic!("{fonts}"));
    // name, type, encoding, embedded, subset, unicode map
    assert!(cjk.contains("CID Type 0C"), "{cjk}");
    assert!(cjk.contains("Identity-H"), "{cjk}");
    assert!(cjk.contains("yes yes yes"), "{cjk}");
    assert_eq!(cjk.split('+').next().unwrap().len(), 6, "{cjk}");
    assert!(
        fonts.contains("DejaVuSans"),
        "the fallback draws ₱ ₹ ฿: {fonts}"
    );
}

#[test]
fn a_document_s_bytes_do_not_depend_on_what_was_printed_before() {
    let first = document(&MIXED[..1]);
    let other = document(MIXED);
    assert_ne!(first, other);
    assert_eq!(document(&MIXED[..1]), first);
}

#[test]
fn a_document_without_the_fallback_has_only_the_cjk_font() {
    let pdf = document(&MIXED[..2]);
    let fonts = poppler("pdffonts", &pdf);
    assert!(!fonts.contains("DejaVu"), "{fonts}");
    assert_eq!(fonts.lines().count(), 3, "{fonts}");
}

#[test]
fn widths_list_only_what_is_not_one_em_in_runs_of_codes() {
    let coded = [
        (5, 50, 'a'),
        (6, 60, 'b'),
        (7, 70, '中'),
        (9, 90, 'c'),
        (3, 30, 'z'),
    ];
    let w = widths(&coded, |gid| if gid == 70 { 1000 } else { gid as i64 });
    let ints = |v: &[i64]| Object::Array(v.iter().map(|i| Object::Integer(*i)).collect());
    assert_eq!(
        w,
        vec![
            Object::Integer(3),
            ints(&[30]),
            Object::Integer(5),
            ints(&[50, 60]),
            Object::Integer(9),
            ints(&[90]),
        ]
    );
    assert!(widths(&[(1, 1, '中')], |_| 1000).is_empty());
}

#[test]
fn to_unicode_maps_each_code_on_its_own_and_astral_characters_as_pairs() {
    let map = |coded: &[(u16, char)]| {
        let c: Vec<(u16, u16, char)> = coded.iter().map(|(a, b)| (*a, 0, *b)).collect();
        String::from_utf8(to_unicode(&c)).unwrap()
    };
    let abc = map(&[
        (0x43, 'c'),
        (0x41, 'a'),
        (0x42, 'b'),
        (0x50, '中'),
        (7, '𠀀'),
    ]);
    assert!(
        abc.contains("5 beginbfchar\n<0007> <D840DC00>\n<0041> <0061>\n<0042> <0062>\n<0043> <0063>\n<0050> <4E2D>\nendbfchar\n"),
        "{abc}"
    );
    assert!(!abc.contains("bfrange"), "no ranges: {abc}");
    // More than 100 entries are written in blocks of 100.
    let many: Vec<(u16, char)> = (0..250u16).map(|i| (i * 2, '中')).collect();
    let many = map(&many);
    assert_eq!(many.matches("100 beginbfchar").count(), 2);
    assert!(many.contains("50 beginbfchar"));
}

#[test]
fn subset_tags_are_six_capitals_that_follow_the_glyphs() {
    let a = subset_tag(&[1, 2, 3]);
    assert_eq!(a.len(), 6);
    assert!(a.bytes().all(|b| b.is_ascii_uppercase()));
    assert_eq!(subset_tag(&[1, 2, 3]), a);
    assert_ne!(subset_tag(&[1, 2, 4]), a);
}
