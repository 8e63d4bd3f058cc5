//! The document printpdf built, made small before it is written: entries and objects that
//! say nothing left out, every stream compressed.

use std::io::Write;

use lopdf::{Dictionary, Object, ObjectId};

/// Tidies and compresses `doc`, then writes it.
pub(crate) fn write(mut doc: lopdf::Document) -> Vec<u8> {
    tidy(&mut doc);
    letters_not_forms(&mut doc);
    compress(&mut doc);
    // PDF 1.5: the dictionaries (pages, fonts, widths, information) compressed together in
    // an object stream, and a cross-reference stream (7 bytes an object, not 20).
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .compression_level(6)
        .build();
    let mut bytes = Vec::new();
    // Writing into memory cannot fail.
    let _ = doc.save_with_options(&mut bytes, options);
    bytes
}

/// Leaves out what printpdf writes that says nothing: empty strings in the document
/// information, the default page mode, page boxes equal to the media box, an empty
/// annotation list, empty resource dictionaries, then the objects nothing refers to; writes
/// each page's resources (a few names) in the page instead of in objects of their own, and
/// the document information's strings (the title) as bytes rather than in hexadecimal.
fn tidy(doc: &mut lopdf::Document) {
    if let Ok(Object::Reference(info)) = doc.trailer.get(b"Info").cloned() {
        if let Ok(d) = doc.get_dictionary_mut(info) {
            drop_where(d, |_, v| matches!(v, Object::String(s, _) if s.is_empty()));
            for (_, v) in d.iter_mut() {
                if let Object::String(_, format) = v {
                    *format = lopdf::StringFormat::Literal;
                }
            }
        }
    }
    if let Ok(catalog) = doc.catalog_mut() {
        drop_where(catalog, |k, v| {
            k == b"PageMode" && v.as_name().ok() == Some(b"UseNone")
        });
    }
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for page in pages {
        let resources = match doc.get_dictionary(page).and_then(|p| p.get(b"Resources")) {
            Ok(r) => inline(doc, r),
            Err(_) => continue,
        };
        let mut resources = match resources {
            Object::Dictionary(d) => d,
            _ => continue,
        };
        let entries: Vec<(Vec<u8>, Object)> = resources
            .iter()
            .map(|(k, v)| (k.clone(), inline(doc, v)))
            .collect();
        for (k, v) in entries {
            match v {
                Object::Dictionary(d) if d.is_empty() => {
                    resources.remove(&k);
                }
                v => resources.set(k, v),
            }
        }
        let Ok(p) = doc.get_dictionary_mut(page) else {
            continue;
        };
        p.set("Resources", Object::Dictionary(resources));
        let media = p.get(b"MediaBox").ok().cloned();
        drop_where(p, |k, v| {
            (matches!(k, b"CropBox" | b"TrimBox") && Some(v) == media.as_ref())
                || (k == b"Annots" && matches!(v, Object::Array(a) if a.is_empty()))
        });
    }
    doc.prune_objects();
    doc.renumber_objects();
}

/// Makes the text maps of the fallback font give Arabic letters, not the presentation forms
/// drawn for them (`<0007> <FE8D>` becomes `<0007> <0627>`; lam-alef gives both letters, in
/// the order they are drawn).
fn letters_not_forms(doc: &mut lopdf::Document) {
    let maps: Vec<ObjectId> = doc
        .objects
        .values()
        .filter_map(|o| match o {
            Object::Dictionary(d) => d.get(b"ToUnicode").and_then(Object::as_reference).ok(),
            _ => None,
        })
        .collect();
    for id in maps {
        let Ok(Object::Stream(stream)) = doc.get_object_mut(id) else {
            continue;
        };
        if stream.dict.has(b"Filter") && stream.decompress().is_err() {
            continue;
        }
        let Ok(text) = std::str::from_utf8(&stream.content) else {
            continue;
        };
        if !text.contains("beginbfchar") {
            continue;
        }
        let mut changed = false;
        let lines: Vec<String> = text
            .lines()
            .map(|line| {
                let letters = line
                    .strip_prefix('<')
                    .and_then(|l| l.split_once("> <"))
                    .and_then(|(glyph, to)| {
                        let to = to.strip_suffix('>')?;
                        let form = u32::from_str_radix(to, 16).ok()?;
                        Some((glyph, crate::shape::letters_of(form)?))
                    });
                match letters {
                    Some((glyph, letters)) => {
                        changed = true;
                        // A ligature's letters (lam-alef) in the order they are drawn, right
                        // to left: a reader turns a right-to-left run around character by
                        // character, the ligature's letters with the rest.
                        let to: String = letters.iter().rev().map(|l| format!("{l:04X}")).collect();
                        format!("<{glyph}> <{to}>")
                    }
                    None => line.to_string(),
                }
            })
            .collect();
        if changed {
            let mut out = lines.join("\n");
            out.push('\n');
            stream.set_content(out.into_bytes());
        }
    }
}

/// The dictionary `v` refers to, or `v`.
fn inline(doc: &lopdf::Document, v: &Object) -> Object {
    match v {
        Object::Reference(id) => match doc.get_object(*id) {
            Ok(d @ Object::Dictionary(_)) => d.clone(),
            _ => v.clone(),
        },
        _ => v.clone(),
    }
}

fn drop_where(d: &mut Dictionary, drop: impl Fn(&[u8], &Object) -> bool) {
    let keys: Vec<Vec<u8>> = d
        .iter()
        .filter(|(k, v)| drop(k, v))
        .map(|(k, _)| k.clone())
        .collect();
    for k in keys {
        d.remove(&k);
    }
}

/// Compresses every stream that may be compressed and is not yet (zlib at level 6: on
/// these documents within 1 % of level 9 in size, in a fraction of its time).
fn compress(doc: &mut lopdf::Document) {
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.has(b"Filter") {
            continue;
        }
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
        if z.write_all(&stream.content).is_err() {
            continue;
        }
        if let Ok(packed) = z.finish() {
            if packed.len() < stream.content.len() {
                stream
                    .dict
                    .set("Filter", Object::Name(b"FlateDecode".to_vec()));
                stream.set_content(packed);
            }
        }
    }
}

#[cfg(test)]
#[path = "finish_tests.rs"]
mod tests;
