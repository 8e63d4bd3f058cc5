//! The fonts letters and reports are drawn with, parsed once per process, and the width of
//! text in them.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::cff::CidCff;

/// Noto Sans CJK TC (SIL Open Font License), cut down to Latin, punctuation, Big5, JIS X 0208,
/// GB 2312 and Hangul (`fonts/cut-fonts.py`).
static FONT_BYTES: &[u8] = include_bytes!("../fonts/NotoSansTC-RiskDesk.otf");
/// DejaVu Sans, cut to what Noto Sans CJK lacks (peso, rupee, baht, Latin Extended-A/B,
/// symbols): every character the first font has no glyph for is drawn with this one.
static FALLBACK_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSans-RiskDesk.ttf");

pub struct Font {
    pub(crate) face: ttf_parser::Face<'static>,
    /// The advance of every character of the Basic Multilingual Plane, in ems (negative:
    /// no glyph), worked out once: measuring text looks each character up, and the cmap
    /// search was a fifth of a letter's time.
    bmp: Vec<f32>,
    /// The glyph of every character of the Basic Multilingual Plane (0: none).
    bmp_glyph: Vec<u16>,
    pub(crate) embedding: Embedding,
}

/// How a document embeds the glyphs it draws in a font.
pub(crate) enum Embedding {
    /// The CJK font, subset by this crate from its CFF outlines (see [`crate::cff`]).
    Cff(CidCff),
    /// The fallback (TrueType outlines, drawn in few documents), subset by printpdf.
    Printpdf(Box<ParsedFont>),
}

fn load(bytes: &'static [u8]) -> Font {
    let face = ttf_parser::Face::parse(bytes, 0).expect("a bundled font parses");
    let upem = face.units_per_em() as f32;
    let mut bmp = vec![-1.0; 0x1_0000];
    let mut bmp_glyph = vec![0u16; 0x1_0000];
    if let Some(cmap) = face.tables().cmap {
        for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
            sub.codepoints(|cp| {
                let slot = cp as usize;
                if slot < bmp.len() && bmp[slot] < 0.0 {
                    let glyph = char::from_u32(cp)
                        .and_then(|c| face.glyph_index(c))
                        .filter(|g| g.0 != 0);
                    if let Some((g, a)) = glyph.and_then(|g| Some((g, face.glyph_hor_advance(g)?)))
                    {
                        bmp[slot] = a as f32 / upem;
                        bmp_glyph[slot] = g.0;
                    }
                }
            });
        }
    }
    let cff = face.raw_face().table(ttf_parser::Tag::from_bytes(b"CFF "));
    let embedding = match cff {
        Some(table) => Embedding::Cff(
            CidCff::parse(table).expect("the bundled CFF font is CID-keyed, without subroutines"),
        ),
        None => Embedding::Printpdf(Box::new(
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("a bundled font parses"),
        )),
    };
    Font {
        face,
        bmp,
        bmp_glyph,
        embedding,
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

/// The width a character neither font has is drawn at, in ems: `.notdef` under the CID
/// font's default width (`DW` 1000 in [`crate::embed`]).
const NOTDEF_EM: f32 = 1.0;

impl Font {
    /// The glyph that draws `c` (0, `.notdef`, when the font has none).
    pub(crate) fn glyph(&self, c: char) -> u16 {
        match self.bmp_glyph.get(c as usize) {
            Some(g) => *g,
            None => self.face.glyph_index(c).map_or(0, |g| g.0),
        }
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
    /// fallback font (as they are drawn), and those neither has as the `.notdef` box they
    /// are drawn as: one em, the CID font's default width (an emoji, Thai or Arabic letters).
    /// Arabic letters are measured in the joined forms they are drawn in.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let mut arabic = false;
        let ems = self.ems(
            text.chars()
                .inspect(|c| arabic |= crate::shape::is_arabic(*c)),
        );
        if arabic {
            return self.ems(crate::shape::joined(text).chars()) * size;
        }
        ems * size
    }

    fn ems(&self, chars: impl Iterator<Item = char>) -> f32 {
        chars
            .map(|c| {
                self.advance_em(c)
                    .or_else(|| fallback().advance_em(c))
                    .unwrap_or(NOTDEF_EM)
            })
            .sum()
    }
}
