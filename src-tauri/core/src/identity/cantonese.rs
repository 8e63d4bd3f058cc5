//! Chinese names spelled as Hong Kong and Macau write them in English: by their Cantonese
//! sound, in the Hong Kong Government's romanisation that identity cards, company registers
//! and bank accounts carry (`陳大文` is `Chan Tai Man`, `張志明` is `Cheung Chi Ming`, `徐
//! 潤` is `Tsui Yun`). Each character's Cantonese reading (Jyutping, from Unihan) is spelled
//! in the ways that romanisation varies: `z` and `c` as `ch` or `ts`, `s` as `s` or `sh`,
//! `ei` as `ei` or `ee`, `u` as `u` or `oo`, `au` as `au` or `ow`.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Chinese characters and their Cantonese readings in Jyutping without tones (see its header).
const READINGS: &str = include_str!("cantonese.txt");

/// The most spellings of one text (its syllables' spellings combined, the usual ones first).
pub(crate) const MOST_SPELLINGS: usize = 12;

fn readings() -> &'static HashMap<char, Vec<&'static str>> {
    static MAP: OnceLock<HashMap<char, Vec<&'static str>>> = OnceLock::new();
    MAP.get_or_init(|| super::pinyin::table(READINGS))
}

/// Characters Hong Kong names, by long custom, spell otherwise than their sound gives, and
/// those spellings (after the regular ones): `新` as `Sun` (`新興` is `Sun Hing`), `龍` as
/// `Loon` or `Loong` (`九龍` is `Kowloon`), `香` as `Hong` (`香港` is `Hong Kong`), `基` as
/// `Kai` (`新鴻基` is `Sun Hung Kai`).
const CUSTOMARY: &[(char, &[&str])] = &[
    ('新', &["sun"]),
    ('基', &["kai"]),
    ('龍', &["loon", "loong"]),
    ('香', &["hong"]),
];

/// The spellings of `chars` run together as Hong Kong writes a name (`大文` is `taiman`),
/// the usual one first, at most [`MOST_SPELLINGS`]; none when a character has no reading.
pub(crate) fn spellings(chars: &[char]) -> Vec<String> {
    let table = readings();
    let mut out = vec![String::new()];
    for c in chars {
        let Some(options) = table.get(c) else {
            return Vec::new();
        };
        let mut spelled: Vec<String> = Vec::new();
        let customary = CUSTOMARY
            .iter()
            .filter(|(k, _)| k == c)
            .flat_map(|(_, s)| s.iter().map(|s| s.to_string()));
        for s in options.iter().flat_map(|r| syllable(r)).chain(customary) {
            if !spelled.contains(&s) {
                spelled.push(s);
            }
        }
        out = out
            .iter()
            .flat_map(|o| spelled.iter().map(move |s| format!("{o}{s}")))
            .take(MOST_SPELLINGS)
            .collect();
    }
    out
}

/// The initials of Jyutping, two letters first.
const INITIALS: &[&str] = &[
    "gw", "kw", "ng", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "w", "z", "c", "s",
    "j",
];

/// One Jyutping syllable (no tone) as the Hong Kong romanisation writes it, the usual
/// spelling first: `daai` is `tai`, `zoeng` is `cheung` or `tseung`, `ceoi` is `chui` or
/// `tsui`, `jyun` is `yuen` or `yun`, `ng` is `ng`.
pub(crate) fn syllable(jyutping: &str) -> Vec<String> {
    let s = jyutping.trim().to_ascii_lowercase();
    if s == "m" || s == "ng" {
        return vec![s];
    }
    let initial = INITIALS
        .iter()
        .find(|i| s.starts_with(**i) && s.len() > i.len())
        .copied()
        .unwrap_or("");
    let last = &s[initial.len()..];
    // Syllables the romanisation writes whole.
    let whole: &[&str] = match (initial, last) {
        ("z" | "c", "i") => &["chi", "tsz", "chee", "tsze"],
        ("s", "i") => &["sze", "si", "shi", "see"],
        ("j", "yu") => &["yu"],
        _ => &[],
    };
    if !whole.is_empty() {
        return whole.iter().map(|w| w.to_string()).collect();
    }
    let initials: &[&str] = match initial {
        "b" => &["p"],
        "d" => &["t"],
        "g" => &["k"],
        "gw" => &["kw"],
        "z" | "c" => &["ch", "ts"],
        "s" => &["s", "sh"],
        "j" => &["y"],
        other => std::slice::from_ref(INITIALS.iter().find(|i| **i == other).unwrap_or(&"")),
    };
    let finals: &[&str] = match last {
        "aa" => &["a", "ah"],
        "au" => &["au", "ow"],
        "ei" => &["ei", "ee", "i"],
        "i" => &["i", "ee"],
        "ou" => &["o", "ou"],
        "u" => &["u", "oo"],
        "ui" => &["ui", "ooi"],
        "un" => &["un", "oon"],
        "eoi" => &["ui", "eui"],
        "eon" => &["un", "eun"],
        "eot" => &["ut"],
        "oeng" => &["eung"],
        "oek" => &["euk"],
        "yu" => &["u", "ue"],
        "yun" => &["uen", "un"],
        "yut" => &["uet", "ut"],
        _ => &[],
    };
    // `aai`, `aau`, `aam`, `aan`, `aang`, `aap`, `aat`, `aak` are written with one `a`; a
    // final not listed is written as Jyutping writes it (`ong`, `ing`, `ip`, `uk`).
    let plain = [last
        .strip_prefix('a')
        .filter(|f| f.starts_with('a') && f.len() > 1)
        .unwrap_or(last)];
    let finals: &[&str] = if finals.is_empty() { &plain } else { finals };
    initials
        .iter()
        .flat_map(|i| finals.iter().map(move |f| format!("{i}{f}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_are_spelled_as_hong_kong_writes_names() {
        for (jyutping, written) in [
            ("can", "chan"),
            ("daai", "tai"),
            ("man", "man"),
            ("zoeng", "cheung"),
            ("loeng", "leung"),
            ("joeng", "yeung"),
            ("wong", "wong"),
            ("ng", "ng"),
            ("lei", "lei"),
            ("gwok", "kwok"),
            ("ceoi", "chui"),
            ("heoi", "hui"),
            ("seon", "sun"),
            ("jyun", "yuen"),
            ("jyut", "yuet"),
            ("jyu", "yu"),
            ("zyu", "chu"),
            ("gou", "ko"),
            ("zau", "chau"),
            ("jip", "yip"),
            ("zi", "chi"),
            ("si", "sze"),
            ("waa", "wa"),
            ("paang", "pang"),
            ("gaa", "ka"),
        ] {
            assert_eq!(syllable(jyutping)[0], written, "{jyutping}");
        }
        // The other spellings the romanisation uses for the same sound.
        for (jyutping, also) in [
            ("can", "tsan"),
            ("zoeng", "tseung"),
            ("ceoi", "tsui"),
            ("seon", "shun"),
            ("jyun", "yun"),
            ("lei", "lee"),
            ("zau", "chow"),
            ("zi", "tsz"),
            ("waa", "wah"),
            ("gei", "kee"),
            ("mun", "moon"),
        ] {
            assert!(
                syllable(jyutping).iter().any(|s| s == also),
                "{jyutping}: {also}"
            );
        }
    }

    #[test]
    fn a_name_is_spelled_from_its_characters_readings() {
        let spelled = |t: &str| spellings(&t.chars().collect::<Vec<_>>());
        assert_eq!(spelled("大文")[0], "taiman");
        assert!(spelled("志明").iter().any(|s| s == "chiming"));
        assert!(spelled("志明").iter().any(|s| s == "tszming"));
        assert!(spelled("家豪").iter().any(|s| s == "kaho"));
        assert!(spelled("嘉欣").iter().any(|s| s == "kayan"));
        // Simplified characters are read after folding to one script (the caller's), and a
        // text with a character the table does not have is not spelled at all.
        assert!(spelled("大x").is_empty());
        // However many spellings the syllables multiply to, at most MOST_SPELLINGS.
        assert!(spelled("志詩周徐").len() <= MOST_SPELLINGS);
    }
}
