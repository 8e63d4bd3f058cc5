//! Word wrap that measures real glyph advances: Latin breaks at spaces, Chinese between
//! characters, closing punctuation never starts a line; and one line cut to fit with "…".

use crate::font::{font, Font};

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Characters that must not begin a line (closing punctuation).
fn no_line_start(c: char) -> bool {
    "，。、；：？！）」』】》〉．,.;:?!)]}%".contains(c)
}

/// Splits `text` into lines no wider than `width` at `size`. Newlines are kept.
pub fn wrap(font: &Font, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        // Break opportunities: after a space, and before/after a CJK character.
        let mut tokens: Vec<String> = Vec::new();
        let mut cur = String::new();
        for c in para.chars() {
            if is_cjk(c) && !no_line_start(c) {
                if !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                cur.push(c);
                tokens.push(std::mem::take(&mut cur));
            } else if no_line_start(c) && cur.is_empty() && !tokens.is_empty() {
                // Glue closing punctuation to what precedes it.
                if let Some(last) = tokens.last_mut() {
                    last.push(c);
                }
            } else {
                cur.push(c);
                if c == ' ' {
                    tokens.push(std::mem::take(&mut cur));
                }
            }
        }
        if !cur.is_empty() {
            tokens.push(cur);
        }
        let mut line = String::new();
        for tok in tokens {
            let candidate = format!("{line}{tok}");
            if line.is_empty() || font.width(candidate.trim_end(), size) <= width {
                line = candidate;
            } else {
                out.push(line.trim_end().to_string());
                line = tok.trim_start().to_string();
            }
            // A single token longer than the line: cut it by characters.
            while font.width(line.trim_end(), size) > width && line.chars().count() > 1 {
                let mut cut = String::new();
                for c in line.chars() {
                    if font.width(&format!("{cut}{c}"), size) > width && !cut.is_empty() {
                        break;
                    }
                    cut.push(c);
                }
                let rest: String = line.chars().skip(cut.chars().count()).collect();
                out.push(cut);
                line = rest;
            }
        }
        out.push(line.trim_end().to_string());
    }
    out
}

/// `text` on one line no wider than `width`: as it is when it fits, else cut with "…".
pub fn fit(text: &str, size: f32, width: f32) -> String {
    let font = font();
    if font.width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if font.width(&format!("{out}…"), size) > width {
            out.pop();
            break;
        }
    }
    format!("{}…", out.trim_end())
}
