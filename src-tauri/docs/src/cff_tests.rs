//! The subset is checked with another reader (ttf-parser's CFF table): every glyph draws
//! the same outline as in the whole font, under the CID the subset numbers it with.

use super::*;
use crate::font::font;
use ttf_parser::{GlyphId, OutlineBuilder};

/// An outline as the list of its drawing commands.
#[derive(Default, PartialEq, Debug)]
struct Path(Vec<(char, Vec<i32>)>);

impl OutlineBuilder for Path {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.push(('M', vec![x as i32, y as i32]));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.push(('L', vec![x as i32, y as i32]));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0
            .push(('Q', [x1, y1, x, y].map(|v| v as i32).to_vec()));
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0
            .push(('C', [x1, y1, x2, y2, x, y].map(|v| v as i32).to_vec()));
    }
    fn close(&mut self) {
        self.0.push(('Z', vec![]));
    }
}

fn outline(table: &ttf_parser::cff::Table, gid: u16) -> Path {
    let mut p = Path::default();
    let _ = table.outline(GlyphId(gid), &mut p);
    p
}

fn whole() -> &'static [u8] {
    font()
        .face
        .raw_face()
        .table(ttf_parser::Tag::from_bytes(b"CFF "))
        .unwrap()
}

fn gids(text: &str) -> Vec<u16> {
    let mut g: Vec<u16> = text
        .chars()
        .filter_map(|c| font().face.glyph_index(c))
        .map(|g| g.0)
        .collect();
    g.sort_unstable();
    g.dedup();
    g
}

#[test]
fn a_subset_draws_each_glyph_as_the_whole_font_does_numbered_in_the_order_given() {
    let cff = CidCff::parse(whole()).unwrap();
    let original = ttf_parser::cff::Table::parse(whole()).unwrap();
    for text in [
        "Dear林美玲,INV-2026-0101NT$1,234.50逾期請於期限前支付款項。",
        "a",
        "株式会社さくらソフトÆrø€¥£￥，。",
    ] {
        let mut wanted = gids(text);
        // Any order: a document gives its glyphs in the order of their characters.
        wanted.reverse();
        let bytes = cff.subset(&wanted, true);
        let sub = ttf_parser::cff::Table::parse(&bytes).expect("the subset reads back");
        assert_eq!(sub.number_of_glyphs() as usize, wanted.len() + 1, "{text}");
        for (new, old) in std::iter::once(0).chain(wanted.iter().copied()).enumerate() {
            let new = new as u16;
            assert_eq!(sub.glyph_cid(GlyphId(new)), Some(new), "{text}: cid");
            let drawn = outline(&sub, new);
            assert_eq!(drawn, outline(&original, old), "{text}: glyph {old}");
            assert!(!drawn.0.is_empty(), "{text}: glyph {old} draws something");
        }
    }
}

#[test]
fn a_subset_holds_only_what_it_draws_and_a_glyph_the_font_lacks_is_notdef() {
    let cff = CidCff::parse(whole()).unwrap();
    let one = cff.subset(&gids("a"), false);
    let many = cff.subset(&gids("Dear 林美玲 請於期限前支付款項"), false);
    assert!(one.len() < 1_000, "{} bytes for one glyph", one.len());
    assert!(many.len() > one.len());
    let lacking = cff.subset(&[u16::MAX], true);
    let sub = ttf_parser::cff::Table::parse(&lacking).unwrap();
    let original = ttf_parser::cff::Table::parse(whole()).unwrap();
    assert_eq!(outline(&sub, 1), outline(&original, 0));
    assert_eq!(sub.number_of_glyphs(), 2);
    let bytes = cff.subset(&[], false);
    let empty = ttf_parser::cff::Table::parse(&bytes).unwrap();
    assert_eq!(empty.number_of_glyphs(), 1, "only .notdef");
    assert!(
        outline(&empty, 0).0.is_empty(),
        "drawing nothing when no text needs it"
    );
    assert!(!outline(&original, 0).0.is_empty());
    let boxed = cff.subset(&[], true);
    let boxed = ttf_parser::cff::Table::parse(&boxed).unwrap();
    assert_eq!(outline(&boxed, 0), outline(&original, 0));
}

#[test]
fn a_cut_or_foreign_table_is_refused_not_misread() {
    let data = whole();
    for cut in [0, 3, 40, 400, data.len() / 2] {
        let short: &'static [u8] = Box::leak(data[..cut].to_vec().into_boxed_slice());
        assert!(CidCff::parse(short).is_err(), "cut at {cut}");
    }
    let mut other = data.to_vec();
    other[0] = 2;
    assert!(CidCff::parse(Box::leak(other.into_boxed_slice())).is_err());
}

#[test]
fn charset_index_and_fd_select_are_written_in_their_smallest_form() {
    // CIDs 1 to n: one range.
    assert_eq!(charset_bytes(4), [2, 0, 1, 0, 3]);
    assert_eq!(charset_bytes(0), [2]);
    assert_eq!(
        fd_select_bytes([1u8; 10].into_iter()),
        [3, 0, 1, 0, 0, 1, 0, 10]
    );
    assert_eq!(fd_select_bytes([0u8, 1, 0].into_iter()), [0, 0, 1, 0]);
    assert_eq!(index(&[]), [0, 0]);
    assert_eq!(index(&[b"ab", b"c"]), [0, 2, 1, 1, 3, 4, b'a', b'b', b'c']);
    assert_eq!(index_len(&[2, 1]), index(&[b"ab", b"c"]).len());
}
