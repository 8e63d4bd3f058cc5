//! Text as it is read, compared and parsed: full-width forms as ASCII, nothing invisible, and
//! for names, Latin look-alikes from other scripts as Latin.

use super::script;

/// Characters that show nothing: the soft hyphen, zero-width spaces and joiners, the marks
/// and controls of text direction, the word joiner and the byte order mark. Text copied from
/// a web page or a spreadsheet carries them unseen, and a sign-up can hide them inside a name
/// (`Cont\u{200B}oso`) to look like another customer while not matching it.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// `text` without the characters that show nothing ([`is_invisible`]).
pub fn visible(text: &str) -> String {
    text.chars().filter(|c| !is_invisible(*c)).collect()
}

/// A name or a person's name as it is compared: [`half_width`], and Cyrillic or Greek
/// letters drawn like Latin ones as those Latin letters (only to compare: never for text that
/// is stored, sent or parsed, where `cоntoso.com` is another domain).
pub(crate) fn name_text(raw: &str) -> String {
    half_width(raw)
        .chars()
        .map(|c| script::latin_look_alike(c).unwrap_or(c))
        .collect()
}

/// Full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space as plain ASCII, and the
/// characters that show nothing left out: text as it is read, compared and parsed.
pub fn half_width(text: &str) -> String {
    text.chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}
