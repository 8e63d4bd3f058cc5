//! Right-to-left text without a shaping engine. Hebrew needs only its order; Arabic letters
//! also take the form their neighbours give them (isolated, final, initial or medial: `ب` is
//! `ﺑ` before another letter), drawn from the fallback font's presentation forms, with lam and
//! alef as one ligature (`لا`). The order a line is seen in comes from Unicode's
//! bidirectional algorithm (`unicode-bidi`), the line read in the direction of its first
//! letter: a right-to-left run is drawn reversed, its brackets mirrored, each letter keeping
//! its marks; digits and Latin inside stay as written. Documents are laid out left to right,
//! so a line starts at the left margin whatever its direction.
//!
//! Widths are measured on the joined forms (they are what is drawn); the order does not
//! change a width.

use std::borrow::Cow;

use unicode_bidi::BidiInfo;

use crate::font::fallback;

/// Hebrew and Arabic, their presentation forms and supplements.
pub fn has_right_to_left(text: &str) -> bool {
    text.chars().any(is_right_to_left)
}

fn is_right_to_left(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

pub(crate) fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF)
}

/// Each Arabic letter with its presentation forms: isolated, final, initial, medial (0: the
/// letter has no such form). From Unicode's compatibility decompositions of the
/// presentation forms (Forms-B for Arabic's own letters, Forms-A for Persian and Urdu).
const FORMS: &[(u16, [u16; 4])] = &[
    (0x0621, [0xFE80, 0x0000, 0x0000, 0x0000]),
    (0x0622, [0xFE81, 0xFE82, 0x0000, 0x0000]),
    (0x0623, [0xFE83, 0xFE84, 0x0000, 0x0000]),
    (0x0624, [0xFE85, 0xFE86, 0x0000, 0x0000]),
    (0x0625, [0xFE87, 0xFE88, 0x0000, 0x0000]),
    (0x0626, [0xFE89, 0xFE8A, 0xFE8B, 0xFE8C]),
    (0x0627, [0xFE8D, 0xFE8E, 0x0000, 0x0000]),
    (0x0628, [0xFE8F, 0xFE90, 0xFE91, 0xFE92]),
    (0x0629, [0xFE93, 0xFE94, 0x0000, 0x0000]),
    (0x062A, [0xFE95, 0xFE96, 0xFE97, 0xFE98]),
    (0x062B, [0xFE99, 0xFE9A, 0xFE9B, 0xFE9C]),
    (0x062C, [0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0]),
    (0x062D, [0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4]),
    (0x062E, [0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8]),
    (0x062F, [0xFEA9, 0xFEAA, 0x0000, 0x0000]),
    (0x0630, [0xFEAB, 0xFEAC, 0x0000, 0x0000]),
    (0x0631, [0xFEAD, 0xFEAE, 0x0000, 0x0000]),
    (0x0632, [0xFEAF, 0xFEB0, 0x0000, 0x0000]),
    (0x0633, [0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4]),
    (0x0634, [0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8]),
    (0x0635, [0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC]),
    (0x0636, [0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0]),
    (0x0637, [0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4]),
    (0x0638, [0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8]),
    (0x0639, [0xFEC9, 0xFECA, 0xFECB, 0xFECC]),
    (0x063A, [0xFECD, 0xFECE, 0xFECF, 0xFED0]),
    (0x0641, [0xFED1, 0xFED2, 0xFED3, 0xFED4]),
    (0x0642, [0xFED5, 0xFED6, 0xFED7, 0xFED8]),
    (0x0643, [0xFED9, 0xFEDA, 0xFEDB, 0xFEDC]),
    (0x0644, [0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0]),
    (0x0645, [0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4]),
    (0x0646, [0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8]),
    (0x0647, [0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC]),
    (0x0648, [0xFEED, 0xFEEE, 0x0000, 0x0000]),
    (0x0649, [0xFEEF, 0xFEF0, 0xFBE8, 0xFBE9]),
    (0x064A, [0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4]),
    (0x0671, [0xFB50, 0xFB51, 0x0000, 0x0000]),
    (0x0677, [0xFBDD, 0x0000, 0x0000, 0x0000]),
    (0x0679, [0xFB66, 0xFB67, 0xFB68, 0xFB69]),
    (0x067A, [0xFB5E, 0xFB5F, 0xFB60, 0xFB61]),
    (0x067B, [0xFB52, 0xFB53, 0xFB54, 0xFB55]),
    (0x067E, [0xFB56, 0xFB57, 0xFB58, 0xFB59]),
    (0x067F, [0xFB62, 0xFB63, 0xFB64, 0xFB65]),
    (0x0680, [0xFB5A, 0xFB5B, 0xFB5C, 0xFB5D]),
    (0x0683, [0xFB76, 0xFB77, 0xFB78, 0xFB79]),
    (0x0684, [0xFB72, 0xFB73, 0xFB74, 0xFB75]),
    (0x0686, [0xFB7A, 0xFB7B, 0xFB7C, 0xFB7D]),
    (0x0687, [0xFB7E, 0xFB7F, 0xFB80, 0xFB81]),
    (0x0688, [0xFB88, 0xFB89, 0x0000, 0x0000]),
    (0x068C, [0xFB84, 0xFB85, 0x0000, 0x0000]),
    (0x068D, [0xFB82, 0xFB83, 0x0000, 0x0000]),
    (0x068E, [0xFB86, 0xFB87, 0x0000, 0x0000]),
    (0x0691, [0xFB8C, 0xFB8D, 0x0000, 0x0000]),
    (0x0698, [0xFB8A, 0xFB8B, 0x0000, 0x0000]),
    (0x06A4, [0xFB6A, 0xFB6B, 0xFB6C, 0xFB6D]),
    (0x06A6, [0xFB6E, 0xFB6F, 0xFB70, 0xFB71]),
    (0x06A9, [0xFB8E, 0xFB8F, 0xFB90, 0xFB91]),
    (0x06AD, [0xFBD3, 0xFBD4, 0xFBD5, 0xFBD6]),
    (0x06AF, [0xFB92, 0xFB93, 0xFB94, 0xFB95]),
    (0x06B1, [0xFB9A, 0xFB9B, 0xFB9C, 0xFB9D]),
    (0x06B3, [0xFB96, 0xFB97, 0xFB98, 0xFB99]),
    (0x06BA, [0xFB9E, 0xFB9F, 0x0000, 0x0000]),
    (0x06BB, [0xFBA0, 0xFBA1, 0xFBA2, 0xFBA3]),
    (0x06BE, [0xFBAA, 0xFBAB, 0xFBAC, 0xFBAD]),
    (0x06C0, [0xFBA4, 0xFBA5, 0x0000, 0x0000]),
    (0x06C1, [0xFBA6, 0xFBA7, 0xFBA8, 0xFBA9]),
    (0x06C5, [0xFBE0, 0xFBE1, 0x0000, 0x0000]),
    (0x06C6, [0xFBD9, 0xFBDA, 0x0000, 0x0000]),
    (0x06C7, [0xFBD7, 0xFBD8, 0x0000, 0x0000]),
    (0x06C8, [0xFBDB, 0xFBDC, 0x0000, 0x0000]),
    (0x06C9, [0xFBE2, 0xFBE3, 0x0000, 0x0000]),
    (0x06CB, [0xFBDE, 0xFBDF, 0x0000, 0x0000]),
    (0x06CC, [0xFBFC, 0xFBFD, 0xFBFE, 0xFBFF]),
    (0x06D0, [0xFBE4, 0xFBE5, 0xFBE6, 0xFBE7]),
    (0x06D2, [0xFBAE, 0xFBAF, 0x0000, 0x0000]),
    (0x06D3, [0xFBB0, 0xFBB1, 0x0000, 0x0000]),
];

/// Lam with an alef after it, as one ligature: the alef, and the ligature's isolated and
/// final forms.
const LAM_ALEF: &[(u16, [u16; 2])] = &[
    (0x0622, [0xFEF5, 0xFEF6]),
    (0x0623, [0xFEF7, 0xFEF8]),
    (0x0625, [0xFEF9, 0xFEFA]),
    (0x0627, [0xFEFB, 0xFEFC]),
];

#[derive(Clone, Copy, PartialEq)]
enum Joining {
    /// Joins neither side (hamza, a space, a Latin letter).
    None,
    /// Joins the letter before it only (alef, dal, waw...).
    Right,
    /// Joins both sides; tatweel and the zero-width joiner too.
    Dual,
}

fn forms(c: char) -> Option<[u16; 4]> {
    let cp = u16::try_from(c as u32).ok()?;
    FORMS
        .binary_search_by_key(&cp, |(k, _)| *k)
        .ok()
        .map(|i| FORMS[i].1)
}

/// Marks that sit on a letter and leave its joining alone (harakat, Quranic marks).
fn transparent(c: char) -> bool {
    matches!(c as u32, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4 | 0x06E7 | 0x06E8 | 0x06EA..=0x06ED)
}

/// Marks drawn on the letter before them, kept after it when a run is reversed.
fn mark(c: char) -> bool {
    transparent(c)
        || matches!(
            c as u32,
            0x0591..=0x05BD | 0x05BF | 0x05C1 | 0x05C2 | 0x05C4 | 0x05C5 | 0x05C7
        )
        || matches!(c as u32, 0x0300..=0x036F)
}

fn joining(c: char) -> Joining {
    if matches!(c, '\u{0640}' | '\u{200D}') {
        return Joining::Dual;
    }
    match forms(c) {
        Some([_, _, i, m]) if i != 0 && m != 0 => Joining::Dual,
        Some([_, f, _, _]) if f != 0 => Joining::Right,
        _ => Joining::None,
    }
}

/// `form`, when the fallback font draws it; else `c` as written.
fn drawn(form: u16, c: char) -> char {
    char::from_u32(u32::from(form))
        .filter(|f| form != 0 && fallback().has(*f))
        .unwrap_or(c)
}

/// `text` with each Arabic letter in the form its neighbours give it, in logical order.
pub fn joined(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_arabic) {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let neighbour = |from: usize, step: isize| -> Option<(usize, char)> {
        let mut i = from as isize + step;
        while i >= 0 && (i as usize) < chars.len() {
            let c = chars[i as usize];
            if !transparent(c) {
                return Some((i as usize, c));
            }
            i += step;
        }
        None
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let Some(f) = forms(c) else {
            out.push(c);
            i += 1;
            continue;
        };
        let after_joining = neighbour(i, -1).is_some_and(|(_, p)| joining(p) == Joining::Dual);
        let next = neighbour(i, 1);
        if c == '\u{0644}' {
            let alef = next.and_then(|(j, n)| {
                let cp = u16::try_from(n as u32).ok()?;
                LAM_ALEF
                    .iter()
                    .find(|(a, _)| *a == cp)
                    .map(|(_, lig)| (j, lig))
            });
            if let Some((j, lig)) = alef {
                let form = lig[usize::from(after_joining)];
                let ligature = drawn(form, '\0');
                if ligature != '\0' {
                    out.push(ligature);
                    // The marks of the lam and of the alef stay with the ligature.
                    out.extend(chars[i + 1..j].iter());
                    i = j + 1;
                    continue;
                }
            }
        }
        let own = joining(c);
        let before = after_joining && own != Joining::None;
        let ahead = own == Joining::Dual && next.is_some_and(|(_, n)| joining(n) != Joining::None);
        let form = match (before, ahead) {
            (true, true) => f[3],
            (true, false) => f[1],
            (false, true) => f[2],
            (false, false) => f[0],
        };
        out.push(drawn(if form == 0 { f[0] } else { form }, c));
        i += 1;
    }
    Cow::Owned(out)
}

/// The letters a presentation form draws (`ﺑ` is `ب`, `ﻻ` is `لا`), for text extraction:
/// a reader copying the text, or `pdftotext`, gets the letters, not their forms.
pub(crate) fn letters_of(form: u32) -> Option<Vec<u32>> {
    let form = u16::try_from(form).ok().filter(|f| *f != 0)?;
    if let Some((alef, _)) = LAM_ALEF.iter().find(|(_, lig)| lig.contains(&form)) {
        return Some(vec![0x0644, u32::from(*alef)]);
    }
    FORMS
        .iter()
        .find(|(_, forms)| forms.contains(&form))
        .map(|(letter, _)| vec![u32::from(*letter)])
}

fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        _ => c,
    }
}

/// One line as it is seen, left to right: Arabic joined, right-to-left runs reversed (each
/// letter with its marks after it), their brackets mirrored. Text without Hebrew or Arabic
/// comes back as it is.
pub fn visual(text: &str) -> Cow<'_, str> {
    if !has_right_to_left(text) {
        return Cow::Borrowed(text);
    }
    let joined = joined(text);
    // The direction of the first letter (Unicode's rules P2 and P3): a Hebrew name with a
    // Latin word in it is read from the right.
    let info = BidiInfo::new(&joined, None);
    let mut out = String::with_capacity(joined.len());
    for para in &info.paragraphs {
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        for run in runs {
            let s = &joined[run.clone()];
            if !levels[run.start].is_rtl() {
                out.push_str(s);
                continue;
            }
            // Letters with their marks, last first.
            let mut clusters: Vec<String> = Vec::new();
            for c in s.chars() {
                match clusters.last_mut() {
                    Some(last) if mark(c) => last.push(c),
                    _ => clusters.push(mirrored(c).to_string()),
                }
            }
            for cluster in clusters.iter().rev() {
                out.push_str(cluster);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(s: &str) -> Vec<u32> {
        s.chars().map(|c| c as u32).collect()
    }

    #[test]
    fn letters_take_the_form_their_neighbours_give_them() {
        // beh beh beh: initial, medial, final; alone: isolated.
        assert_eq!(points(&joined("ببب")), [0xFE91, 0xFE92, 0xFE90]);
        assert_eq!(points(&joined("ب")), [0xFE8F]);
        // Alef joins only the letter before it: what follows it starts again.
        assert_eq!(points(&joined("باب")), [0xFE91, 0xFE8E, 0xFE8F]);
        // A space breaks the joining; a mark does not.
        assert_eq!(points(&joined("ب ب")), [0xFE8F, 0x20, 0xFE8F]);
        assert_eq!(points(&joined("بَب")), [0xFE91, 0x064E, 0xFE90]);
        // Lam and alef are one ligature, alone or after a joining letter.
        assert_eq!(points(&joined("لا")), [0xFEFB]);
        assert_eq!(points(&joined("بلا")), [0xFE91, 0xFEFC]);
        // Persian peh from Forms-A; hamza joins nothing.
        assert_eq!(points(&joined("پپ")), [0xFB58, 0xFB57]);
        assert_eq!(points(&joined("ءب")), [0xFE80, 0xFE8F]);
        // Urdu's heh goal joins both sides, yeh barree only the letter before it.
        assert_eq!(points(&joined("شہر")), [0xFEB7, 0xFBA9, 0xFEAE]);
        assert_eq!(points(&joined("کے")), [0xFB90, 0xFBAF]);
        assert_eq!(points(&joined("ہ")), [0xFBA6]);
        // Hebrew and Latin pass as written, borrowed.
        assert!(matches!(joined("שלום abc"), Cow::Borrowed(_)));
        // Every form maps back to its letters for text extraction.
        assert_eq!(letters_of(0xFE92), Some(vec![0x0628]));
        assert_eq!(letters_of(0xFEFC), Some(vec![0x0644, 0x0627]));
        assert_eq!(letters_of(0x0041), None);
    }

    #[test]
    fn right_to_left_runs_are_reversed_with_their_marks_and_mirrored_brackets() {
        assert!(matches!(visual("Taipei 台北"), Cow::Borrowed(_)));
        assert_eq!(visual("Attn. דוד כהן"), "Attn. ןהכ דוד");
        // Digits keep their order inside a right-to-left run; brackets face the other way.
        assert_eq!(visual("שלום (123)"), "(123) םולש");
        // A point under a letter stays after it.
        assert_eq!(visual("בּית"), "תיבּ");
        // A line is read in the direction of its first letter: Latin in the middle of
        // Hebrew keeps its order, and the Hebrew words theirs, the first rightmost.
        assert_eq!(visual("אב CSP גד"), "דג CSP בא");
        assert_eq!(visual("CSP אב גד"), "CSP דג בא");
    }
}
