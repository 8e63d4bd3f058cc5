//! A postal address in the one form two records are compared in: case, punctuation,
//! full-width forms and the common abbreviations made one, and Taiwan's ways of writing one
//! place (5F or 5樓, 100之1 or 100-1, a postal code or 台灣 before the city), and Hong
//! Kong's (Flat, Rm or Unit; G/F; Mongkok or Mong Kok; Kowloon and Hong Kong, HK or H.K.
//! at the end or not; 香港九龍 before the district or not, 12字樓 or 12樓, 單位 or 室).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{half_width, names, numerals};

/// An address in one form: half-width, lower case, 臺 as 台, punctuation as spaces (an
/// apostrophe as nothing: `Da'an` is `Daan`), the common abbreviations spelled out, single
/// spaces; and Taiwan's ways of writing one place made one (`taiwan_forms`,
/// `english_forms` below).
pub fn address(raw: &str) -> String {
    // The simplified forms of the characters the Taiwanese forms read (a floor, a number,
    // a neighbourhood, 兩, and the country before a city): `5楼` is `5樓`. The rest of the
    // address stays as written; look-alikes compare it in one script ([`fold`]).
    // Without accents, as a bank or a courier's form writes it (`Đường Lê Lợi` is
    // `DUONG LE LOI`).
    let text: String = names::unaccented(&half_width(raw).replace('臺', "台").to_lowercase())
        .chars()
        .map(|c| match c {
            '楼' => '樓',
            '号' => '號',
            '邻' => '鄰',
            '两' => '兩',
            '湾' => '灣',
            '华' => '華',
            '国' => '國',
            '龙' => '龍',
            '岛' => '島',
            '单' => '單',
            other => other,
        })
        .collect();
    // Hong Kong's floor is `12字樓` as often as `12樓`, and a flat `A室` or `A單位`.
    let text = text.replace("字樓", "樓").replace("單位", "室");
    let text = taiwan_forms(&numerals::in_digits(&text));
    let text = without_hong_kong_region(&text);
    let spaced: String = text
        .chars()
        .filter(|c| !matches!(c, '\'' | '\u{2019}'))
        .map(|c| {
            if c.is_alphanumeric() || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = spaced
        .split_whitespace()
        // `No.1` is `no 1` by now; `No1` is the same number.
        .flat_map(|w| match w.strip_prefix("no") {
            Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => vec!["no", n],
            _ => vec![w],
        })
        .collect();
    let words: Vec<&str> = hong_kong_words(&words)
        .into_iter()
        .map(|w| match w {
            "rd" => "road",
            "st" => "street",
            "ave" | "av" => "avenue",
            "blvd" => "boulevard",
            "dr" => "drive",
            "hwy" => "highway",
            "ct" => "court",
            "pl" => "place",
            "sq" => "square",
            "pkwy" => "parkway",
            "ctr" | "centre" => "center",
            "ste" => "suite",
            "apt" => "apartment",
            "flr" => "floor",
            "jln" => "jalan",
            "sec" => "section",
            "no" => "number",
            "fl" | "f" => "floor",
            "ln" => "lane",
            "aly" => "alley",
            "dist" => "district",
            "bldg" => "building",
            // Hong Kong's flat is a unit or a room as often.
            "flat" | "rm" | "room" => "unit",
            "blk" => "block",
            "twr" => "tower",
            "hse" => "house",
            "ind" => "industrial",
            "comm" => "commercial",
            "est" => "estate",
            "e" => "east",
            "w" => "west",
            "n" => "north",
            "s" => "south",
            other => other,
        })
        .collect();
    english_forms(&words).join(" ")
}

/// One address in English as people write it several ways (`words` in lower case, spelled
/// out): a floor as `5f`, `5th floor` or `floor 5` (all `5f`), the country at the end
/// (`…, Taiwan (R.O.C.)`, `…, USA`, `…, United Kingdom`; by its name, never a two-letter
/// code, which may be a state's) or not, the postal code after a Taiwanese city
/// (`Taipei City 110`) or not, and Hong Kong's region (`…, Mong Kok, Kowloon`) or not.
fn english_forms(words: &[&str]) -> Vec<String> {
    fn count(w: &str) -> Option<&str> {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        (!digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && matches!(suffix, "" | "st" | "nd" | "rd" | "th"))
        .then_some(digits)
    }
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let next = words.get(i + 1).copied();
        let floor = match (count(words[i]), next) {
            (Some(n), Some("floor")) => Some(n),
            (None, Some(n)) if words[i] == "floor" => count(n),
            _ => None,
        };
        match floor {
            Some(n) => {
                out.push(format!("{n}f"));
                i += 2;
            }
            None => {
                out.push(words[i].to_string());
                i += 1;
            }
        }
    }
    let postal = |w: &str| matches!(w.len(), 3 | 5 | 6) && w.bytes().all(|b| b.is_ascii_digit());
    loop {
        let tail: Vec<&str> = out.iter().map(String::as_str).collect();
        let cut = match tail.as_slice() {
            [.., "republic", "of", "china"] | [.., "r", "o", "c"] => 3,
            [.., "roc"] | [.., "taiwan"] => 1,
            [.., "city" | "county", code] if postal(code) => 1,
            // Hong Kong's three regions, as often left out as written.
            [_, .., "kowloon"] => 1,
            [_, .., "new", "territories"] => 2,
            [_, .., "hong", "kong", "island"] => 3,
            // A country by its name, something before it.
            _ => match (1..=4).rev().find(|&n| {
                let name = tail[tail.len().saturating_sub(n)..].concat();
                tail.len() > n
                    && name.len() >= 3
                    && name.bytes().all(|b| b.is_ascii_lowercase())
                    && crate::countries::code_of(&name).is_some()
            }) {
                Some(n) => n,
                None => break,
            },
        };
        out.truncate(tail.len() - cut);
    }
    out
}

/// One Taiwanese address as people write it several ways (`text` half-width, lower case):
/// a floor as `5F`, `5 F` or `5樓` (all `5f`; `五樓` is `5樓` by then), a sub-number as
/// `100之1` or `100-1` and a floor's as `5樓之1` or `5F-1`, and the
/// postal code and the country before the city (`110台北市`, `台灣台北市`, `中華民國台北市`)
/// or not; spaces beside Chinese characters (`100號 5 樓`) are no part of it. A number
/// before Latin text is a house number and stays.
fn taiwan_forms(text: &str) -> String {
    let all: Vec<char> = text.chars().collect();
    let chinese = |c: Option<&char>| c.is_some_and(|c| !c.is_ascii() && c.is_alphanumeric());
    let chars: Vec<char> = all
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            if !c.is_whitespace() {
                return true;
            }
            let before = all[..*i].iter().rev().find(|c| !c.is_whitespace());
            let after = all[i + 1..].iter().find(|c| !c.is_whitespace());
            !(chinese(before) || chinese(after))
        })
        .map(|(_, c)| *c)
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut after_floor = false;
    while i < chars.len() {
        let c = chars[i];
        let after_number = i > 0 && chars[i - 1].is_ascii_digit();
        // A sub-number after its number or floor: `100之1` is `100-1`, `5樓之1` is `5f-1`.
        if c == '之'
            && (after_number || after_floor)
            && chars.get(i + 1).is_some_and(|a| a.is_ascii_digit())
        {
            out.push('-');
            after_floor = false;
            i += 1;
            continue;
        }
        after_floor = false;
        if after_number {
            // The floor after its number: `5樓`, `5f`, `5 f` (not `5 fun`).
            let j = i + chars[i..].iter().take_while(|c| c.is_whitespace()).count();
            let floor = match chars.get(j) {
                Some('樓') => true,
                Some('f') => !chars.get(j + 1).is_some_and(|a| a.is_ascii_alphabetic()),
                _ => false,
            };
            if floor {
                out.push('f');
                after_floor = true;
                i = j + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    let mut rest = out.trim_start();
    loop {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let after_digits = rest[digits..].trim_start();
        let next = if matches!(digits, 3 | 5 | 6)
            && after_digits.chars().next().is_some_and(|c| !c.is_ascii())
        {
            after_digits
        } else if let Some(r) = ["台灣", "中華民國"]
            .iter()
            .find_map(|p| rest.strip_prefix(p))
        {
            r.trim_start()
        } else {
            break;
        };
        rest = next;
    }
    rest.to_string()
}

/// Hong Kong's ways of writing one address made one (`words` lower case, punctuation
/// gone): `HK` and `H.K.` as `hong kong`, `N.T.` as `new territories` (at the end or before
/// the country), `KLN` as `kowloon`, `S.A.R.` as `sar`, `Rd C.` as `road central`; the
/// ground floors `G/F`, `LG/F` and `UG/F` as `gf`, `lgf`, `ugf`; and an area's name in its
/// words (`mongkok` and `mong kok`, `tst` and `tsim sha tsui`).
fn hong_kong_words<'a>(words: &[&'a str]) -> Vec<&'a str> {
    static JOINED: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let joined = JOINED.get_or_init(|| {
        let mut m: HashMap<String, &'static str> = super::hong_kong::AREAS
            .iter()
            .map(|p| (p.replace(' ', ""), *p))
            .collect();
        m.extend(
            super::hong_kong::INITIALS
                .iter()
                .map(|(i, p)| (i.to_string(), *p)),
        );
        m
    });
    let mut out: Vec<&'a str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let at = |k: usize| words.get(i + k).copied();
        // `N.T.` or `NT` names the region only where a region is written.
        let region_end = |k: usize| matches!(at(k), None | Some("hong" | "hk" | "h"));
        let floor = |w: Option<&str>| matches!(w, Some("f" | "floor" | "flr" | "fl"));
        let (add, used): (&[&'static str], usize) = match (words[i], at(1)) {
            ("h", Some("k")) => (&["hong", "kong"], 2),
            ("hk", _) => (&["hong", "kong"], 1),
            ("kln", _) => (&["kowloon"], 1),
            // `Des Voeux Rd C.`, `Queen's Rd C.`: C is Central after a road, as E is East.
            ("rd" | "road", Some("c")) => (&["road", "central"], 2),
            ("n", Some("t")) if region_end(2) => (&["new", "territories"], 2),
            ("nt", _) if region_end(1) => (&["new", "territories"], 1),
            ("s", Some("a")) if at(2) == Some("r") => (&["sar"], 3),
            ("g" | "ground", next) if floor(next) => (&["gf"], 2),
            ("lg", next) if floor(next) => (&["lgf"], 2),
            ("ug", next) if floor(next) => (&["ugf"], 2),
            (w, _) => {
                match joined.get(w) {
                    Some(place) => out.extend(place.split(' ')),
                    None => out.push(w),
                }
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(add);
        i += used;
    }
    out
}

/// A Chinese address in Hong Kong without what comes before its district, as often left
/// out as written: `香港`, `中國香港` or `香港特別行政區`, then the region (`九龍`, `新界`,
/// `香港島`). Not the start of a place's own name: `香港仔` (Aberdeen), `九龍城`, `九龍灣`,
/// `九龍塘`, `九龍站` (Kowloon Station) and `九龍公園徑` (Kowloon Park Drive) keep theirs.
fn without_hong_kong_region(text: &str) -> String {
    let mut rest = text.trim_start();
    for prefixes in [
        &["中國香港", "香港特別行政區", "香港特區", "香港島", "港島"][..],
        &["香港"][..],
        &["九龍", "新界", "香港島", "港島"][..],
    ] {
        if let Some(r) = prefixes.iter().find_map(|p| rest.strip_prefix(p)) {
            let own_name = match r.chars().next() {
                Some('仔') => rest.starts_with("香港"),
                Some('城' | '灣' | '塘' | '站' | '公') => rest.starts_with("九龍"),
                _ => false,
            };
            if !own_name && !r.trim().is_empty() {
                rest = r.trim_start();
            }
        }
    }
    rest.to_string()
}
