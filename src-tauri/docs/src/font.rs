//! The fonts letters and reports are drawn with, parsed once per process, and the width of
//! text in them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, OnceLock};

use printpdf::ParsedFont;

/// Noto Sans CJK TC (SIL Open Font License), cut down to Latin, Big5, JIS X 0208 and punctuation.
static FONT_BYTES: &[u8] = include_bytes!("../fonts/NotoSansTC-RiskDesk.otf");
/// DejaVu Sans, cut to what Noto Sans CJK lacks (peso, rupee, baht, Latin Extended-A/B):
/// every character the first font has no glyph for is drawn with this one.
static FALLBACK_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSans-RiskDesk.ttf");

pub struct Font {
    parsed: ParsedFont,
    pub(crate) face: ttf_parser::Face<'static>,
    /// The advance of every character of the Basic Multilingual Plane, in ems (negative:
    /// no glyph), worked out once: measuring text looks each character up, and the cmap
    /// search was a fifth of a letter's time.
    bmp: Vec<f32>,
    /// A cut of the font to the characters documents have drawn so far in this process,
    /// which each document is subset from in place of the whole font (see [`Font::embeddable`]).
    working: Mutex<Option<Working>>,
}

struct Working {
    chars: BTreeSet<char>,
    parsed: ParsedFont,
}

fn load(bytes: &'static [u8]) -> Font {
    let face = ttf_parser::Face::parse(bytes, 0).expect("a bundled font parses");
    let upem = face.units_per_em() as f32;
    let mut bmp = vec![-1.0; 0x1_0000];
    if let Some(cmap) = face.tables().cmap {
        for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
            sub.codepoints(|cp| {
                let slot = cp as usize;
                if slot < bmp.len() && bmp[slot] < 0.0 {
                    let advance = char::from_u32(cp)
                        .and_then(|c| face.glyph_index(c))
                        .filter(|g| g.0 != 0)
                        .and_then(|g| face.glyph_hor_advance(g));
                    if let Some(a) = advance {
                        bmp[slot] = a as f32 / upem;
                    }
                }
            });
        }
    }
    Font {
        parsed: ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("a bundled font parses"),
        face,
        bmp,
        working: Mutex::new(None),
    }
}

/// The shipped font, parsed once per process.
pub fn font() -> &'static Font {
    static FONT: OnceLock<Font> = OnceLock::new();
    FONT.get_or_init(|| load(FONT_BYTES))
}

/// The fallback font, parsed once per process.
pub fn fallback() -> &'static Font {
    static FONT: OnceLock<Font> = OnceLock::new();
    FONT.get_or_init(|| load(FALLBACK_BYTES))
}

/// Whether a character is drawn with the fallback font.
pub fn uses_fallback(c: char) -> bool {
    !font().has(c) && fallback().has(c)
}

impl Font {
    /// The font a document that draws `chars` embeds, for printpdf to subset on saving.
    ///
    /// Subsetting the whole font (7 MB, 30,000 glyphs) for each letter was most of a
    /// letter's time: the subsetter reads its whole character map and charset every time.
    /// So each document is subset from a cut of the font to the characters drawn so far in
    /// this process, made again (from the whole font) only when a document brings a
    /// character the cut lacks. The cut keeps the glyphs in the font's order and their
    /// outlines as they are, so a document's embedded subset, and its bytes, are the same
    /// whichever cut it came from (`layout::tests::a_document_s_bytes_do_not_depend_on_what_was_printed_before`).
    pub(crate) fn embeddable(&self, chars: &BTreeSet<char>) -> ParsedFont {
        let mut working = self.working.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(w) = working.as_ref() {
            if chars.is_subset(&w.chars) {
                return w.parsed.clone();
            }
        }
        let mut wanted: BTreeSet<char> = chars.iter().copied().filter(|c| self.has(*c)).collect();
        if let Some(w) = working.as_ref() {
            wanted.extend(w.chars.iter().copied());
        }
        match self.cut(&wanted) {
            Some(parsed) => {
                let mut covered = wanted;
                // Characters the font lacks are not drawn with it: a cut needs none.
                covered.extend(chars.iter().copied().filter(|c| !self.has(*c)));
                *working = Some(Working {
                    chars: covered,
                    parsed: parsed.clone(),
                });
                parsed
            }
            // A cut that fails leaves the document to the whole font, as before.
            None => self.parsed.clone(),
        }
    }

    /// The font cut to `chars` (and the glyph every font begins with).
    fn cut(&self, chars: &BTreeSet<char>) -> Option<ParsedFont> {
        let glyphs: BTreeMap<u16, String> = chars
            .iter()
            .filter_map(|c| {
                let g = self.face.glyph_index(*c).filter(|g| g.0 != 0)?;
                Some((g.0, c.to_string()))
            })
            .collect();
        let subset = printpdf::font::subset_font(&self.parsed, &glyphs).ok()?;
        ParsedFont::from_bytes(&subset.bytes, 0, &mut Vec::new())
    }

    /// Whether the font has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        match self.bmp.get(c as usize) {
            Some(a) => *a >= 0.0,
            None => self.face.glyph_index(c).is_some_and(|g| g.0 != 0),
        }
    }

    pub(crate) fn advance_em(&self, c: char) -> Option<f32> {
        if let Some(a) = self.bmp.get(c as usize) {
            return (*a >= 0.0).then_some(*a);
        }
        let upem = self.face.units_per_em() as f32;
        self.face
            .glyph_index(c)
            .filter(|g| g.0 != 0)
            .and_then(|g| self.face.glyph_hor_advance(g))
            .map(|a| a as f32 / upem)
    }

    /// Width of `text` at `size` points, characters this font lacks measured in the
    /// fallback font (as they are drawn).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let ems: f32 = text
            .chars()
            .map(|c| {
                self.advance_em(c)
                    .or_else(|| fallback().advance_em(c))
                    .unwrap_or(0.5)
            })
            .sum();
        ems * size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What printpdf embeds for a document drawing `chars` with `from`.
    fn embedded(from: &ParsedFont, chars: &str) -> Vec<u8> {
        let glyphs: BTreeMap<u16, String> = chars
            .chars()
            .filter_map(|c| Some((from.lookup_glyph_index(c as u32)?, c.to_string())))
            .collect();
        let distinct: BTreeSet<char> = chars.chars().collect();
        assert_eq!(glyphs.len(), distinct.len(), "every character has a glyph");
        printpdf::font::subset_font(from, &glyphs).unwrap().bytes
    }

    /// A document subset from a cut of the font embeds the same bytes as one subset from
    /// the whole font, whatever else the cut holds: what was printed before in the process
    /// never changes a document.
    #[test]
    fn a_document_s_bytes_do_not_depend_on_what_was_printed_before() {
        for (bytes, letter, other) in [
            (
                FONT_BYTES,
                "Dear 林美玲, INV-2026-0101 NT$1,234.50 逾期 請於期限前支付款項。",
                "Pacific Dental 台北雲端科技股份有限公司 €¥£ 第二次催告通知",
            ),
            (FALLBACK_BYTES, "₱₹฿ đ Ă", "ŁŚŻ ₫ ǅ"),
        ] {
            let fresh = load(bytes);
            let whole = embedded(&fresh.parsed, letter);
            let alone: BTreeSet<char> = letter.chars().filter(|c| fresh.has(*c)).collect();
            let first = fresh.embeddable(&alone);
            assert_eq!(embedded(&first, letter), whole, "a cut to the letter alone");
            let more: BTreeSet<char> = other.chars().filter(|c| fresh.has(*c)).collect();
            let grown = fresh.embeddable(&more);
            assert!(grown.lookup_glyph_index('林' as u32).is_some() || bytes == FALLBACK_BYTES);
            let again = fresh.embeddable(&alone);
            assert_eq!(
                embedded(&again, letter),
                whole,
                "a cut grown by another document"
            );
        }
    }

    /// The cut is made again only when a document brings a character it lacks.
    #[test]
    fn the_cut_grows_only_for_new_characters() {
        let fresh = load(FONT_BYTES);
        let some: BTreeSet<char> = "abc 台北".chars().collect();
        fresh.embeddable(&some);
        let cut = |f: &Font| f.working.lock().unwrap().as_ref().unwrap().chars.clone();
        assert_eq!(cut(&fresh), some);
        fresh.embeddable(&"ab 北".chars().collect());
        assert_eq!(cut(&fresh), some, "nothing new, nothing made");
        fresh.embeddable(&"z".chars().collect());
        assert_eq!(cut(&fresh).len(), some.len() + 1);
    }
}
