//! An amount as a person, a spreadsheet or a bank writes it in a cell: the currency's
//! marks and sign around the number, a sign or parentheses, full-width forms; nothing else.

use super::{Currency, Money, MoneyError};

/// The currencies whose amounts are written with letters besides their code.
const MARKED: &[&str] = &[
    "TWD", "HKD", "SGD", "AUD", "CAD", "NZD", "USD", "JPY", "CNY", "KRW", "MYR", "EUR",
];

/// The letters a currency's amounts are written with besides its code (`NT$`, `HK$`, `円`,
/// and the names a Taiwanese ledger writes: `新台幣 1,200 元`, `1,200 元整`, `美金`, `日圓`),
/// longest first so that `NTD` is read before `NT`.
fn local_marks(currency: Currency) -> &'static [&'static str] {
    match currency.code() {
        "TWD" => &[
            "新台幣",
            "新臺幣",
            "台幣",
            "臺幣",
            "NTD",
            "NT",
            "元整",
            "元",
        ],
        "HKD" => &["港幣", "港元", "HK"],
        "SGD" => &["新加坡幣", "新幣", "S"],
        "AUD" => &["澳幣", "澳元", "A"],
        "CAD" => &["加幣", "加元", "CA", "C"],
        "NZD" => &["紐幣", "NZ"],
        "USD" => &["美元", "美金", "US"],
        "JPY" => &["日圓", "日幣", "日元", "円"],
        "CNY" => &["人民幣", "RMB", "元整", "元"],
        "KRW" => &["韓圓", "韓元", "원"],
        "MYR" => &["令吉", "RM"],
        "EUR" => &["歐元"],
        _ => &[],
    }
}

/// The currencies a sign other than `$` is written for; `$` is every other currency's.
const SIGNS: &[(char, &[&str])] = &[
    ('€', &["EUR"]),
    (
        '£',
        &["GBP", "EGP", "FKP", "GIP", "LBP", "SHP", "SSP", "SYP"],
    ),
    ('¥', &["JPY", "CNY"]),
    ('₩', &["KRW"]),
    ('₹', &["INR"]),
    ('₫', &["VND"]),
    ('฿', &["THB"]),
    ('₱', &["PHP"]),
    ('₪', &["ILS"]),
    ('₽', &["RUB"]),
    ('₺', &["TRY"]),
    ('₦', &["NGN"]),
    ('₴', &["UAH"]),
    ('₸', &["KZT"]),
    ('₡', &["CRC"]),
    ('₲', &["PYG"]),
    ('₵', &["GHS"]),
    ('₭', &["LAK"]),
    ('₮', &["MNT"]),
];

/// Whether a currency sign fits `currency` (`€` a EUR cell, `$` any dollar or peso, `￥`
/// as `¥`); `None` when `c` is no currency sign.
fn sign_fits(c: char, currency: Currency) -> Option<bool> {
    let c = match c {
        '￥' => '¥',
        '￡' => '£',
        '￦' => '₩',
        '﹩' => '$',
        c => c,
    };
    let own = |code: &str| {
        SIGNS
            .iter()
            .find(|(_, codes)| codes.contains(&code))
            .map(|(sign, _)| *sign)
    };
    if c == '$' {
        return Some(own(currency.code()).is_none());
    }
    let (_, codes) = SIGNS.iter().find(|(sign, _)| *sign == c)?;
    Some(codes.contains(&currency.code()))
}

/// Whether `letters` (a cell's letters, in their order) are only marks of `currency` or its
/// code, each any number of times: `NT元` of `NT$1,200元`, `新台幣元` of `新台幣 1,200 元`.
fn only_marks(letters: &str, currency: Currency) -> bool {
    let mut rest = letters;
    while !rest.is_empty() {
        let next = std::iter::once(currency.code())
            .chain(local_marks(currency).iter().copied())
            .find(|m| {
                rest.get(..m.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(m))
            });
        match next {
            Some(m) => rest = &rest[m.len()..],
            None => return false,
        }
    }
    true
}

/// A multiplier right after a number, as people write round amounts (`15萬`, `1.5億`,
/// `150K`, `1.2M`): the rest of the cell after it, and the power of ten it multiplies by. A
/// letter that begins a word (`1,234 MYR`, `100 KRW`) is no multiplier.
fn multiplier(tail: &str) -> (&str, u32) {
    let t = tail.trim_start();
    for (word, shift) in [
        ("萬", 4),
        ("万", 4),
        ("億", 8),
        ("亿", 8),
        ("K", 3),
        ("k", 3),
        ("M", 6),
    ] {
        if let Some(rest) = t.strip_prefix(word) {
            if !word.is_ascii() || !rest.starts_with(|c: char| c.is_alphabetic()) {
                return (rest, shift);
            }
        }
    }
    (tail, 0)
}

impl Money {
    /// An amount as a spreadsheet or a bank writes it in a cell of `currency`, signed: as
    /// [`Money::parse`] reads it, with the currency's sign or code around it (`NT$1,234`,
    /// `$1,234.00`, `1,234 TWD`, `¥1,000`, `HK$500`), full-width digits, spaces between
    /// groups of three (`10 000`), one sign before or after it, or parentheses for a
    /// negative amount, and a spreadsheet's leading apostrophe. Another currency's code or
    /// sign (`1,234 USD` or `€100` in a TWD cell) is a mismatch; anything else in or around
    /// the number (a date `2026/11/01`, a time, `5*3`, `1234%`, letters) is no amount, never
    /// the digits it contains; a decimal comma is refused as everywhere in RiskDesk.
    pub fn written(cell: &str, currency: Currency) -> Result<Money, MoneyError> {
        // The minus signs typesetting and some bank exports write (`−1,000`, U+2212) are a
        // minus: read as anything else, a withdrawal would become a deposit.
        let plain: String = crate::identity::half_width(cell)
            .chars()
            .map(|c| match c {
                '\u{2212}' | '\u{2012}' | '\u{2013}' | '\u{FE63}' => '-',
                c => c,
            })
            .collect();
        // A leading apostrophe is a spreadsheet's mark for text, not part of the cell.
        let mut t = plain.trim();
        t = t.strip_prefix('\'').unwrap_or(t).trim_start();
        let mut parenthesised = false;
        if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
            parenthesised = true;
            t = inner.trim();
        }
        // The number: from its first digit (or a point just before it) to its last (or a
        // point just after it); what is around it may only say which currency and sign.
        let digit = |c: char| c.is_ascii_digit();
        let (mut start, mut end) = match (t.find(digit), t.rfind(digit)) {
            (Some(first), Some(last)) => (first, last + 1),
            _ => (t.len(), t.len()),
        };
        if t[..start].ends_with('.') {
            start -= 1;
        }
        if t[end..].starts_with('.') {
            end += 1;
        }
        let (head, number, tail) = (&t[..start], &t[start..end], &t[end..]);
        let (tail, shift) = multiplier(tail);
        let letters: String = head
            .chars()
            .chain(tail.chars())
            .filter(|c| c.is_alphabetic())
            .collect();
        if !only_marks(&letters, currency) {
            // Another currency's code or marks (`1,234 USD`, `HK$500`, `美金 100` in a TWD
            // cell) is a mismatch; other letters are no amount.
            let other = Currency::parse(&letters).is_some()
                || MARKED
                    .iter()
                    .filter_map(|code| Currency::parse(code))
                    .filter(|c| *c != currency && !local_marks(*c).is_empty())
                    .any(|c| only_marks(&letters, c));
            return Err(if other {
                MoneyError::CurrencyMismatch
            } else {
                MoneyError::NotANumber
            });
        }
        let mut signs = head
            .chars()
            .chain(tail.chars())
            .filter(|c| matches!(c, '+' | '-'));
        let negative = match (signs.next(), signs.next(), parenthesised) {
            (None, _, p) => p,
            (Some(sign), None, false) => sign == '-',
            // `-5-`, `(-5)`: which sign is meant is anyone's guess.
            _ => return Err(MoneyError::NotANumber),
        };
        for c in head.chars().chain(tail.chars()) {
            if c.is_alphabetic() || c.is_whitespace() || matches!(c, '+' | '-') {
                continue;
            }
            match sign_fits(c, currency) {
                Some(true) => {}
                Some(false) => return Err(MoneyError::CurrencyMismatch),
                None => return Err(MoneyError::NotANumber),
            }
        }
        if number.is_empty() {
            return Err(MoneyError::Empty);
        }
        if !number
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',') || c.is_whitespace())
        {
            return Err(MoneyError::NotANumber);
        }
        // Spaces between digits separate thousands (`10 000`, a no-break space as Excel
        // writes it in France), as a comma would: `12 34` is no amount.
        let spaced = number.contains(char::is_whitespace);
        if spaced && number.contains(',') {
            return Err(MoneyError::Comma);
        }
        let text = match spaced {
            true => number.split_whitespace().collect::<Vec<_>>().join(","),
            false => number.to_string(),
        };
        // With a multiplier the number has that many more decimal places to give: 1.2345萬
        // is NT$12,345 exactly.
        let minor =
            super::fixed_point(&text, currency.exponent() + shift).map_err(|e| match e {
                MoneyError::Comma if spaced => MoneyError::NotANumber,
                e => e,
            })?;
        Ok(Money::new(if negative { -minor } else { minor }, currency))
    }
}

impl Currency {
    /// A currency as a ledger or a customer list writes it in a currency column: its code in
    /// any case (`twd`), full-width, or the marks only one currency is written with (`NTD`,
    /// `新台幣`, `NT$`, `人民幣`, `RMB`, `美金`, `US$`, `HK$`, `€`). Marks two currencies share
    /// (`$`, `元`, `¥`) name none.
    pub fn written(text: &str) -> Option<Currency> {
        let plain = crate::identity::half_width(text);
        let t = plain.trim();
        if let Some(c) = Currency::parse(t) {
            return Some(c);
        }
        let letters: String = t.chars().filter(|c| c.is_alphabetic()).collect();
        let signs: Vec<char> = t
            .chars()
            .filter(|c| !c.is_alphabetic() && !c.is_whitespace())
            .collect();
        // Nothing, or one letter alone (`A` of `A$`, `S` of `S$`): no currency.
        if signs.is_empty() && (letters.is_empty() || (letters.len() == 1 && letters.is_ascii())) {
            return None;
        }
        // The currencies written with marks or a sign of their own; `$` alone is every
        // dollar's, so it names one only with marks beside it (`US$`, `NT$`).
        let mut codes: Vec<&str> = MARKED.to_vec();
        codes.extend(SIGNS.iter().flat_map(|(_, codes)| codes.iter().copied()));
        codes.sort_unstable();
        codes.dedup();
        let mut fits = codes.into_iter().filter_map(Currency::parse).filter(|c| {
            let marks = letters.is_empty() || only_marks(&letters, *c);
            let signed = signs.iter().all(|s| sign_fits(*s, *c) == Some(true))
                && (!letters.is_empty() || !signs.contains(&'$'));
            marks && signed
        });
        match (fits.next(), fits.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    }
}
