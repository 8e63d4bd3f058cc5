//! The CJK font in a document: its text written as codes of the glyphs drawn, and the font
//! itself added as a Type 0 font over a CIDFontType0C subset of those glyphs (ISO 32000-1,
//! 9.7), with the widths and the ToUnicode map that give the text back.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Object, ObjectId, Stream};
use printpdf::{DictItem, Op, PdfFontHandle, PdfPage, TextItem};

use crate::cff::CidCff;
use crate::font::{Embedding, Font};

/// The glyphs a document draws in the CJK font, grouped by their font dict and in the
/// order of the characters they draw within it (so the subset's FDSelect is a few ranges):
/// the code of `glyphs[i]` is `i + 1`. A glyph drawing two characters is listed under the
/// first. A character the font lacks (an emoji) is drawn as `.notdef`, a box, under a code
/// of its own (glyph 0 listed for it), so that the text still gives it back.
#[derive(Default)]
pub(crate) struct Drawn {
    glyphs: Vec<(u16, char)>,
    codes: HashMap<char, u16>,
}

impl Drawn {
    pub(crate) fn is_empty(&self) -> bool {
        self.glyphs.is_empty()
    }

    fn new(cff: &CidCff, font: &Font, mut chars: Vec<char>) -> Drawn {
        chars.sort_unstable();
        chars.dedup();
        let mut glyphs: Vec<(u16, char)> = Vec::new();
        let mut seen = HashSet::new();
        for c in &chars {
            let glyph = font.glyph(*c);
            if glyph == 0 || seen.insert(glyph) {
                glyphs.push((glyph, *c));
            }
        }
        glyphs.sort_by_key(|(g, c)| (cff.font_dict(*g), *c));
        let mut by_glyph: HashMap<u16, u16> = HashMap::new();
        let mut lacking: HashMap<char, u16> = HashMap::new();
        for (code, (g, c)) in (1..).zip(&glyphs) {
            if *g == 0 {
                lacking.insert(*c, code);
            } else {
                by_glyph.insert(*g, code);
            }
        }
        let codes = chars
            .iter()
            .map(|c| {
                let code = match font.glyph(*c) {
                    0 => lacking.get(c),
                    g => by_glyph.get(&g),
                };
                (*c, code.copied().unwrap_or(0))
            })
            .collect();
        Drawn { glyphs, codes }
    }

    /// The code of the glyph drawing `c`.
    fn code(&self, c: char) -> u16 {
        self.codes.get(&c).copied().unwrap_or(0)
    }
}

/// The text runs of each page shown in the font named `resource`, and whether another
/// font draws anything.
fn runs<'a>(pages: &'a mut [PdfPage], resource: &str) -> (Vec<&'a mut Op>, bool) {
    let mut out = Vec::new();
    let mut others = false;
    for page in pages {
        let mut ours = false;
        for op in &mut page.ops {
            match op {
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    ..
                } => {
                    ours = id.0 == resource;
                    others |= !ours;
                }
                Op::ShowText { .. } if ours => out.push(op),
                _ => {}
            }
        }
    }
    (out, others)
}

fn text(op: &Op) -> impl Iterator<Item = char> + '_ {
    let items = match op {
        Op::ShowText { items } => items.as_slice(),
        _ => &[],
    };
    items.iter().flat_map(|i| match i {
        TextItem::Text(t) => t.chars(),
        _ => "".chars(),
    })
}

/// Rewrites every run of text shown in the font named `resource` as codes of the glyphs
/// the document draws in it (a `Tj` of two-byte codes, Identity-H) and returns those
/// glyphs. Text in other fonts is left to printpdf. Whether another font draws anything
/// is the second value.
pub(crate) fn encode_text(pages: &mut [PdfPage], resource: &str, font: &Font) -> (Drawn, bool) {
    let Embedding::Cff(cff) = &font.embedding else {
        return (Drawn::default(), true);
    };
    let (mut runs, others) = runs(pages, resource);
    let drawn = Drawn::new(cff, font, runs.iter().flat_map(|op| text(op)).collect());
    for op in runs.iter_mut() {
        let codes: Vec<u8> = text(op).flat_map(|c| drawn.code(c).to_be_bytes()).collect();
        **op = Op::Unknown {
            key: "Tj".into(),
            value: vec![DictItem::String {
                data: codes,
                literal: false,
            }],
        };
    }
    (drawn, others)
}

/// Adds the font under the resource name `resource` to every page of `doc`.
pub(crate) fn add_font(doc: &mut lopdf::Document, resource: &str, font: &Font, drawn: &Drawn) {
    let Embedding::Cff(cff) = &font.embedding else {
        return;
    };
    let face = &font.face;
    let per_em = 1000.0 / face.units_per_em() as f64;
    let scaled = |v: i16| Object::Integer((v as f64 * per_em).round() as i64);
    let gids: Vec<u16> = drawn.glyphs.iter().map(|(g, _)| *g).collect();
    let coded: Vec<(u16, u16, char)> = (1..)
        .zip(&drawn.glyphs)
        .map(|(code, (g, c))| (code, *g, *c))
        .collect();
    let name = format!("{}+{}", subset_tag(&gids), postscript_name(face));

    let program = doc.add_object(Stream::new(
        Dictionary::from_iter([("Subtype", Object::Name(b"CIDFontType0C".to_vec()))]),
        // No text draws code 0: its `.notdef` is left empty.
        cff.subset(&gids, false),
    ));
    let bbox = face.global_bounding_box();
    let descriptor = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", Object::Name(name.clone().into_bytes())),
        ("Flags", Object::Integer(4)),
        (
            "FontBBox",
            Object::Array(
                [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max]
                    .map(scaled)
                    .to_vec(),
            ),
        ),
        (
            "ItalicAngle",
            Object::Integer(face.italic_angle().round() as i64),
        ),
        ("Ascent", scaled(face.ascender())),
        ("Descent", scaled(face.descender())),
        (
            "CapHeight",
            scaled(face.capital_height().unwrap_or(face.ascender())),
        ),
        ("StemV", Object::Integer(80)),
        ("FontFile3", Object::Reference(program)),
    ]));
    let widths = widths(&coded, |gid| {
        if gid == 0 {
            // As the layout measures it (`font::NOTDEF_EM`).
            return DEFAULT_WIDTH;
        }
        let advance = face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(0);
        (advance as f64 * per_em).round() as i64
    });
    let cid_font = Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"CIDFontType0".to_vec())),
        ("BaseFont", Object::Name(name.clone().into_bytes())),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter([
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("DW", Object::Integer(DEFAULT_WIDTH)),
        ("W", Object::Array(widths)),
    ]);
    let to_unicode = doc.add_object(Stream::new(Dictionary::new(), to_unicode(&coded)));
    let type0 = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", Object::Name(name.into_bytes())),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Dictionary(cid_font)]),
        ),
        ("ToUnicode", Object::Reference(to_unicode)),
    ]));
    for fonts in font_dicts(doc) {
        if let Ok(Object::Dictionary(d)) = doc.get_object_mut(fonts) {
            d.set(resource, Object::Reference(type0));
        }
    }
}

/// The `/Font` resource dictionaries of the document's pages (made where a page has none).
fn font_dicts(doc: &mut lopdf::Document) -> Vec<ObjectId> {
    let mut out: Vec<ObjectId> = Vec::new();
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for page in pages {
        let resources = match doc.get_dictionary(page).and_then(|p| p.get(b"Resources")) {
            Ok(Object::Reference(r)) => *r,
            _ => {
                let r = doc.add_object(Dictionary::new());
                if let Ok(p) = doc.get_dictionary_mut(page) {
                    p.set("Resources", Object::Reference(r));
                }
                r
            }
        };
        let fonts = match doc.get_dictionary(resources).and_then(|r| r.get(b"Font")) {
            Ok(Object::Reference(f)) => *f,
            found => {
                let inline = match found {
                    Ok(Object::Dictionary(d)) => d.clone(),
                    _ => Dictionary::new(),
                };
                let f = doc.add_object(inline);
                if let Ok(r) = doc.get_dictionary_mut(resources) {
                    r.set("Font", Object::Reference(f));
                }
                f
            }
        };
        if !out.contains(&fonts) {
            out.push(fonts);
        }
    }
    out
}

/// Ideographs and full-width forms are one em wide: only the other widths are listed.
const DEFAULT_WIDTH: i64 = 1000;

/// The `/W` array: runs of consecutive CIDs whose width is not the default.
fn widths(coded: &[(u16, u16, char)], width: impl Fn(u16) -> i64) -> Vec<Object> {
    let mut sorted: Vec<(u16, i64)> = coded
        .iter()
        .map(|(cid, gid, _)| (*cid, width(*gid)))
        .filter(|(_, w)| *w != DEFAULT_WIDTH)
        .collect();
    sorted.sort_unstable();
    sorted.dedup_by_key(|(cid, _)| *cid);
    let mut out = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut next = None;
    for (cid, w) in sorted {
        if next != Some(cid) && !run.is_empty() {
            out.push(Object::Array(std::mem::take(&mut run)));
        }
        if run.is_empty() {
            out.push(Object::Integer(cid as i64));
        }
        run.push(Object::Integer(w));
        next = cid.checked_add(1);
    }
    if !run.is_empty() {
        out.push(Object::Array(run));
    }
    out
}

/// The ToUnicode CMap: each code to the character it drew, one `bfchar` entry each. Not
/// ranges (`bfrange`), neither stepping nor listing: Ghostscript 10 gives the Chinese text
/// of either back garbled (it keeps only the last byte of some characters).
fn to_unicode(coded: &[(u16, u16, char)]) -> Vec<u8> {
    let mut pairs: Vec<(u16, char)> = coded.iter().map(|(code, _, c)| (*code, *c)).collect();
    pairs.sort_unstable();
    pairs.dedup_by_key(|(code, _)| *code);
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for block in pairs.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", block.len()));
        for (code, c) in block {
            out.push_str(&format!("<{code:04X}> <"));
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("{u:04X}"));
            }
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out.into_bytes()
}

/// Six capital letters drawn from the glyphs a subset holds (ISO 32000-1, 9.6.4): two
/// documents drawing the same glyphs name their subsets alike, others (almost always) not.
fn subset_tag(gids: &[u16]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for g in gids {
        for b in g.to_be_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| (b'A' + ((h >> (i * 8)) % 26) as u8) as char)
        .collect()
}

fn postscript_name(face: &ttf_parser::Face) -> String {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_graphic() && b != b'/'))
        .unwrap_or_else(|| "RiskDeskSans".into())
}

#[cfg(test)]
#[path = "embed_tests.rs"]
mod tests;
