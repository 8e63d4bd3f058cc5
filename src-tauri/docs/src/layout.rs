//! A small page-layout engine over printpdf: positioned text runs, word wrap that
//! measures real glyph advances (Latin breaks at spaces, Chinese between characters,
//! closing punctuation never starts a line), rules, and tables whose header repeats on
//! every page they continue onto.

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

pub use crate::font::{fallback, font, uses_fallback, Font};
pub use crate::wrap::{fit, wrap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    pub fn parse(text: &str) -> Option<Paper> {
        match text.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" | "us-letter" => Some(Paper::Letter),
            _ => None,
        }
    }

    /// (width, height) in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Align {
    Left,
    Right,
}

/// A position or length on the page, to a hundredth of a point (0.0035 mm): the content
/// stream then says `560.09`, not `560.08997`.
fn at(v: f32) -> Pt {
    Pt((v * 100.0).round() / 100.0)
}

/// A colour from its 8-bit components, each written with three decimals (finer than the
/// 256 steps it has; `0.059`, not `0.05882353`, in every text run of a document).
pub fn rgb(r: u8, g: u8, b: u8) -> Color {
    let part = |v: u8| (v as f32 / 255.0 * 1000.0).round() / 1000.0;
    Color::Rgb(Rgb::new(part(r), part(g), part(b), None))
}

pub const INK: (u8, u8, u8) = (28, 38, 48);
pub const MUTED: (u8, u8, u8) = (93, 107, 120);
pub const BRAND: (u8, u8, u8) = (15, 76, 92);

/// Pages being written, top to bottom, with automatic page breaks.
pub struct Writer {
    pub paper: Paper,
    pub margin: f32,
    pub y: f32,
    font_id: Fonts,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// Called at the top of each continuation page (e.g. to repeat a table header).
    pub footer: String,
    pen: Pen,
}

/// What the page's graphics state already holds (fill colour, font and size, stroke colour
/// and width): each is set again only when it changes. Text state and colours outlast a
/// text object (ISO 32000-1, 9.3.1), and nothing here saves or restores the state.
#[derive(Default, Clone, Copy, PartialEq)]
struct Pen {
    fill: Option<(u8, u8, u8)>,
    font: Option<(bool, u32)>,
    stroke: Option<((u8, u8, u8), u32)>,
}

impl Writer {
    pub fn new(font_id: Fonts, paper: Paper) -> Writer {
        let (_, h) = paper.size();
        Writer {
            paper,
            margin: 56.0,
            y: h - 56.0,
            font_id,
            pages: Vec::new(),
            ops: Vec::new(),
            footer: String::new(),
            pen: Pen::default(),
        }
    }

    fn fill(&mut self, color: (u8, u8, u8)) {
        if self.pen.fill != Some(color) {
            self.pen.fill = Some(color);
            self.ops.push(Op::SetFillColor {
                col: rgb(color.0, color.1, color.2),
            });
        }
    }

    fn stroke(&mut self, color: (u8, u8, u8), thickness: f32) {
        if self.pen.stroke != Some((color, thickness.to_bits())) {
            self.pen.stroke = Some((color, thickness.to_bits()));
            self.ops.extend([
                Op::SetOutlineColor {
                    col: rgb(color.0, color.1, color.2),
                },
                Op::SetOutlineThickness { pt: Pt(thickness) },
            ]);
        }
    }

    pub fn width(&self) -> f32 {
        self.paper.size().0 - 2.0 * self.margin
    }

    pub fn left(&self) -> f32 {
        self.margin
    }

    pub fn right(&self) -> f32 {
        self.paper.size().0 - self.margin
    }

    fn bottom(&self) -> f32 {
        self.margin + 20.0
    }

    /// Draws one run of text with its baseline at (x, y).
    pub fn text_at(&mut self, x: f32, y: f32, size: f32, color: (u8, u8, u8), text: &str) {
        if text.is_empty() {
            return;
        }
        // Hebrew and Arabic in the order they are seen, Arabic letters joined.
        let text = crate::shape::visual(text);
        // Runs of characters by the font that draws them, side by side.
        let mut x = x;
        let mut run = String::new();
        let mut run_fallback = false;
        for c in text.chars() {
            let fb = uses_fallback(c);
            if fb != run_fallback && !run.is_empty() {
                x += self.run_at(x, y, size, color, &run, run_fallback);
                run.clear();
            }
            run_fallback = fb;
            run.push(c);
        }
        if !run.is_empty() {
            self.run_at(x, y, size, color, &run, run_fallback);
        }
    }

    /// Draws a run in one font; returns its width.
    fn run_at(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        color: (u8, u8, u8),
        text: &str,
        in_fallback: bool,
    ) -> f32 {
        let id = if in_fallback {
            self.font_id.fallback.clone()
        } else {
            self.font_id.main.clone()
        };
        self.ops.push(Op::StartTextSection);
        self.fill(color);
        if self.pen.font != Some((in_fallback, size.to_bits())) {
            self.pen.font = Some((in_fallback, size.to_bits()));
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(size),
            });
        }
        self.ops.extend([
            Op::SetTextCursor {
                pos: Point { x: at(x), y: at(y) },
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
        font().width(text, size)
    }

    /// Draws `text` at the left margin from the baseline `y` down, wrapped to `width` (a long
    /// name or address is never cut off at the paper's edge); each line `leading` below the
    /// last. Returns the baseline under the last line.
    pub fn lines_at(
        &mut self,
        y: f32,
        size: f32,
        color: (u8, u8, u8),
        text: &str,
        width: f32,
        leading: f32,
    ) -> f32 {
        let mut y = y;
        for line in wrap(font(), text, size, width) {
            self.text_at(self.left(), y, size, color, &line);
            y -= leading;
        }
        y
    }

    pub fn text_right(&mut self, right: f32, y: f32, size: f32, color: (u8, u8, u8), text: &str) {
        let w = font().width(text, size);
        self.text_at(right - w, y, size, color, text);
    }

    pub fn rule(&mut self, x1: f32, y: f32, x2: f32, thickness: f32, color: (u8, u8, u8)) {
        self.stroke(color, thickness);
        self.ops.extend([Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: Point {
                            x: at(x1),
                            y: at(y),
                        },
                        bezier: false,
                    },
                    LinePoint {
                        p: Point {
                            x: at(x2),
                            y: at(y),
                        },
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        }]);
    }

    /// An open line through `points` (a chart's series), drawn as a vector path.
    pub fn polyline(&mut self, points: &[(f32, f32)], thickness: f32, color: (u8, u8, u8)) {
        if points.len() < 2 {
            return;
        }
        self.stroke(color, thickness);
        self.ops.extend([Op::DrawLine {
            line: Line {
                points: points
                    .iter()
                    .map(|(x, y)| LinePoint {
                        p: Point {
                            x: at(*x),
                            y: at(*y),
                        },
                        bezier: false,
                    })
                    .collect(),
                is_closed: false,
            },
        }]);
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: (u8, u8, u8)) {
        self.fill(color);
        self.ops.extend([Op::DrawRectangle {
            rectangle: Rect {
                x: at(x),
                y: at(y),
                width: at(w),
                height: at(h),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        }]);
    }

    /// Places an image with its lower-left corner at (x, y), `height` points high.
    pub fn image(&mut self, logo: &Logo, x: f32, y: f32, height: f32) {
        // printpdf sizes images by their pixel count and a resolution.
        let dpi = logo.height_px as f32 * 72.0 / height;
        self.ops.push(Op::UseXobject {
            id: logo.id.clone(),
            transform: printpdf::XObjectTransform {
                translate_x: Some(at(x)),
                translate_y: Some(at(y)),
                dpi: Some(dpi),
                ..Default::default()
            },
        });
    }

    /// Starts a new page when less than `needed` points are left.
    pub fn ensure(&mut self, needed: f32) -> bool {
        if self.y - needed < self.bottom() {
            self.new_page();
            true
        } else {
            false
        }
    }

    pub fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(ops);
        self.pen = Pen::default();
        self.y = self.paper.size().1 - self.margin;
    }

    /// A wrapped paragraph at the current position.
    pub fn paragraph(&mut self, text: &str, size: f32, color: (u8, u8, u8), gap_after: f32) {
        let lh = size * 1.5;
        for line in wrap(font(), text, size, self.width()) {
            self.ensure(lh);
            self.y -= lh;
            self.text_at(self.left(), self.y, size, color, &line);
        }
        self.y -= gap_after;
    }

    pub fn space(&mut self, pt: f32) {
        self.y -= pt;
    }

    /// A table: `widths` are fractions of the text width; the header repeats on each page.
    pub fn table(
        &mut self,
        headers: &[&str],
        widths: &[f32],
        aligns: &[Align],
        rows: &[Vec<String>],
        size: f32,
    ) {
        let total = self.width();
        let xs: Vec<(f32, f32)> = {
            let mut x = self.left();
            widths
                .iter()
                .map(|w| {
                    let start = x;
                    x += w * total;
                    (start, x)
                })
                .collect()
        };
        let lh = size * 1.7;
        let header = |w: &mut Writer| {
            w.y -= lh;
            w.fill_rect(w.left(), w.y - size * 0.5, total, lh, (236, 241, 244));
            for (i, h) in headers.iter().enumerate() {
                let (a, b) = xs[i];
                match aligns[i] {
                    Align::Left => w.text_at(a + 4.0, w.y, size, MUTED, h),
                    Align::Right => w.text_right(b - 4.0, w.y, size, MUTED, h),
                }
            }
        };
        self.ensure(lh * 2.0);
        header(self);
        for row in rows {
            let cells: Vec<Vec<String>> = row
                .iter()
                .enumerate()
                .map(|(i, c)| wrap(font(), c, size, xs[i].1 - xs[i].0 - 8.0))
                .collect();
            let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            if self.ensure(lh * n as f32 + 2.0) {
                header(self);
            }
            for k in 0..n {
                self.y -= lh;
                for (i, lines) in cells.iter().enumerate() {
                    let Some(text) = lines.get(k) else { continue };
                    let (a, b) = xs[i];
                    match aligns[i] {
                        Align::Left => self.text_at(a + 4.0, self.y, size, INK, text),
                        Align::Right => self.text_right(b - 4.0, self.y, size, INK, text),
                    }
                }
            }
            self.rule(
                self.left(),
                self.y - size * 0.6,
                self.right(),
                0.4,
                (217, 224, 230),
            );
        }
    }

    /// Finishes the pages, each with the footer and "page n of m".
    pub fn finish(mut self, page_label: &dyn Fn(usize, usize) -> String) -> Vec<PdfPage> {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(ops);
        let (w, h) = self.paper.size();
        let n = self.pages.len();
        let footer = self.footer.clone();
        let pages: Vec<Vec<Op>> = std::mem::take(&mut self.pages);
        let mut out = Vec::with_capacity(n);
        for (i, mut ops) in pages.into_iter().enumerate() {
            let label = page_label(i + 1, n);
            let mut extra = Writer {
                paper: self.paper,
                margin: self.margin,
                y: 0.0,
                font_id: self.font_id.clone(),
                pages: Vec::new(),
                ops: Vec::new(),
                footer: String::new(),
                pen: Pen::default(),
            };
            // The running footer gives way to the page number: a long name ends in "…".
            let room = w - 2.0 * self.margin - font().width(&label, 7.5) - 12.0;
            extra.text_at(
                self.margin,
                self.margin - 14.0,
                7.5,
                MUTED,
                &fit(&footer, 7.5, room),
            );
            extra.text_right(w - self.margin, self.margin - 14.0, 7.5, MUTED, &label);
            ops.extend(extra.ops);
            out.push(PdfPage::new(Mm(w * 25.4 / 72.0), Mm(h * 25.4 / 72.0), ops));
        }
        out
    }
}

/// A logo added to one document.
#[derive(Clone)]
pub struct Logo {
    pub id: printpdf::XObjectId,
    pub width_px: usize,
    pub height_px: usize,
}

/// Adds a decoded image to a document (once per document).
pub fn add_logo(doc: &mut PdfDocument, image: &printpdf::RawImage) -> Logo {
    Logo {
        id: {
            // A fixed name, for the same reason as the fonts'.
            let id = printpdf::XObjectId("RDLogo".to_string());
            doc.resources
                .xobjects
                .map
                .insert(id.clone(), printpdf::XObject::Image(image.clone()));
            id
        },
        width_px: image.width,
        height_px: image.height,
    }
}

/// The fonts of one document.
#[derive(Clone)]
pub struct Fonts {
    pub main: FontId,
    pub fallback: FontId,
}

/// The shipped fonts' resource names in every document. They are fixed (their first six
/// letters are the subset tag printed before the font's name): printpdf would draw them from
/// a process-wide counter, so the same document printed again (a reprint) would differ in its
/// bytes. The fonts themselves are added on saving, cut to what the pages draw.
pub fn font_ids() -> Fonts {
    Fonts {
        main: printpdf::FontId(MAIN_FONT.to_string()),
        fallback: printpdf::FontId(FALLBACK_FONT.to_string()),
    }
}

const MAIN_FONT: &str = "RDMAIN";
const FALLBACK_FONT: &str = "RDFALB";

/// Serialises pages with subset fonts and a fixed creation date.
///
/// The CJK font is embedded by this crate (`embed`, from `cff`): its text is written as
/// the font's CIDs and the font added to the document printpdf builds. The fallback font,
/// which few documents draw, is left to printpdf. The same pages give the same bytes,
/// whatever was printed before.
pub fn save(doc: &mut PdfDocument, mut pages: Vec<PdfPage>, unix_time: i64) -> Vec<u8> {
    let (drawn, others) = crate::embed::encode_text(&mut pages, MAIN_FONT, font());
    if others {
        if let crate::font::Embedding::Printpdf(parsed) = &fallback().embedding {
            doc.resources.fonts.map.insert(
                printpdf::FontId(FALLBACK_FONT.to_string()),
                printpdf::PdfFont::new(parsed.as_ref().clone()),
            );
        }
    }
    doc.with_pages(pages);
    if let Ok(t) = printpdf::DateTime::from_unix_timestamp(unix_time) {
        doc.metadata.info.creation_date = t;
        doc.metadata.info.modification_date = t;
        doc.metadata.info.metadata_date = t;
    }
    let options = PdfSaveOptions {
        subset_fonts: true,
        // The CJK text is written as raw `Tj` operators (printpdf's `Op::Unknown`), which
        // printpdf leaves out when "secure"; every operator here is this crate's own.
        secure: false,
        ..Default::default()
    };
    let mut pdf = doc.to_lopdf_document(&options, &mut Vec::new());
    if !drawn.is_empty() {
        crate::embed::add_font(&mut pdf, MAIN_FONT, font(), &drawn);
    }
    let mut bytes = crate::finish::write(pdf);
    crate::pdf_id::stable_id(&mut bytes);
    bytes
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
