//! Domains and e-mail addresses as a person reads them. They are kept as mail servers read
//! them ([`super::ascii_domain`]: `範例.台灣` is kept `xn--fsqy19h.xn--kpry57d`); the window
//! and the documents show them in the script they were typed in, as a browser's address bar
//! does, unless that would hide something: a name borrowing a Cyrillic or Greek letter drawn
//! like a Latin one (`cоntoso.com`) is shown in Punycode, so the owner sees it is not
//! `contoso.com`.

use super::CustomerInput;

/// Whether a character may be shown in a domain as itself: Chinese, Japanese and Korean,
/// Thai, and Latin letters with marks (`café`, Vietnamese). Other scripts (Cyrillic, Greek,
/// Armenian, symbols) and the rarer Latin letters (`ǀ`, drawn like `l`; the dotless `ı`) are
/// shown in Punycode: they hold the letters that imitate plain Latin ones.
fn shown_as_itself(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    if crate::identity::latin_look_alike(c).is_some() {
        return false;
    }
    matches!(c as u32,
        0x00C0..=0x017F      // Latin with marks (Latin-1 letters, Extended-A)
        | 0x01A0..=0x01B0    // Vietnamese ơ and ư
        | 0x1E00..=0x1EFF    // Latin Extended Additional (Vietnamese)
        | 0x0E00..=0x0E7F    // Thai (.ไทย)
        | 0x1100..=0x11FF    // Hangul Jamo
        | 0x3005..=0x3007    // 々 〆 〇
        | 0x3040..=0x30FF    // Hiragana and Katakana
        | 0x3100..=0x312F    // Bopomofo
        | 0x31A0..=0x31BF    // Bopomofo Extended
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7A3    // Hangul Syllables
        | 0x20000..=0x3134F  // CJK Extensions B to G
    ) && !matches!(c, '\u{00D7}' | '\u{00F7}' | 'ı' | 'ĸ')
}

/// A kept domain (`xn--fsqy19h.xn--kpry57d`) as it is shown (`範例.台灣`). A domain in
/// ASCII, one whose Punycode does not decode, or one that would show a letter from another
/// script drawn like a Latin one, is shown as it is kept.
pub fn shown_domain(kept: &str) -> String {
    if !kept.to_ascii_lowercase().contains("xn--") {
        return kept.to_string();
    }
    let (unicode, decoded) = idna::domain_to_unicode(kept);
    if decoded.is_err() || !unicode.chars().all(shown_as_itself) {
        return kept.to_string();
    }
    unicode
}

/// A kept address (`ar@xn--fsqy19h.xn--kpry57d`) as it is shown (`ar@範例.台灣`).
pub fn shown_email(kept: &str) -> String {
    match kept.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", shown_domain(domain)),
        None => kept.to_string(),
    }
}

/// A kept list of addresses (`a@x; b@y`) with each address as it is shown.
pub fn shown_emails(kept: &str) -> String {
    kept.split("; ")
        .map(shown_email)
        .collect::<Vec<_>>()
        .join("; ")
}

impl CustomerInput {
    /// The form with its domain and addresses as they are shown ([`shown_domain`]): what the
    /// window shows and edits. Saved again, it keeps what it kept.
    pub fn shown(mut self) -> Self {
        self.primary_domain = shown_domain(&self.primary_domain);
        self.email = shown_email(&self.email);
        self.billing_email = shown_emails(&self.billing_email);
        self
    }
}
