//! Country and region codes: ISO 3166-1 alpha-2 as assigned (the list checked against Debian's
//! iso-codes), and XK, which Microsoft and the European Commission use for Kosovo; each with
//! its name in English and in Traditional Chinese, for the texts that name a country.

/// Every assigned code, sorted, with its name as a reader says it: in English and in
/// Traditional Chinese as written in Taiwan (short names, as people use them: "South Korea",
/// 「南韓」; "Hong Kong", 「香港」). Kept as data in `countries.tsv`, read once.
fn countries() -> &'static [(&'static str, &'static str, &'static str)] {
    static TABLE: std::sync::OnceLock<Vec<(&str, &str, &str)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("countries.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some((f.next()?, f.next()?, f.next()?))
            })
            .collect()
    })
}

fn index(code: &str) -> Option<usize> {
    countries()
        .binary_search_by(|(c, _, _)| (*c).cmp(code))
        .ok()
}

/// Whether `code` (two capital letters) is a country or region code in use.
pub fn is_assigned(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) && index(code).is_some()
}

/// A country's name in `lang` (`NG`: "Nigeria", 「奈及利亞」); none for a code not assigned.
pub fn name(code: &str, lang: crate::customer::Language) -> Option<&'static str> {
    let (_, en, zh) = countries()[index(code)?];
    Some(match lang {
        crate::customer::Language::En => en,
        crate::customer::Language::ZhTw => zh,
    })
}

/// A country as a text names it, its name and its code: "Nigeria (NG)", 「奈及利亞（NG）」;
/// a code not assigned as written.
pub fn named(code: &str, lang: crate::customer::Language) -> String {
    match (name(code, lang), lang) {
        (Some(n), crate::customer::Language::ZhTw) => format!("{n}（{code}）"),
        (Some(n), _) => format!("{n} ({code})"),
        (None, _) => code.to_string(),
    }
}

/// What to write instead of a code people often use that is not one (UK for GB).
pub fn instead_of(code: &str) -> Option<&'static str> {
    match code {
        "UK" => Some("GB"),
        "EL" => Some("GR"),
        _ => None,
    }
}

/// Names a customer list writes instead of the code, for the countries and regions a
/// reseller in the region bills most: English (also the ISO 3166 short name, and alpha-3),
/// Traditional and Simplified Chinese. Compared without case, spaces or punctuation, 臺 as 台.
/// A name two codes could mean (`Korea`) is not here.
const NAMES: &[(&str, &[&str])] = &[
    (
        "TW",
        &[
            "taiwan",
            "taiwanroc",
            "taiwanprovinceofchina",
            "republicofchina",
            "roc",
            "twn",
            "台灣",
            "台湾",
            "中華民國",
            "中華民國台灣",
            "中华民国",
        ],
    ),
    (
        "HK",
        &[
            "hongkong",
            "hongkongsar",
            "hongkongsarchina",
            "hkg",
            "香港",
            "中國香港",
            "中国香港",
        ],
    ),
    ("MO", &["macau", "macao", "macaosar", "mac", "澳門", "澳门"]),
    (
        "CN",
        &[
            "china",
            "peoplesrepublicofchina",
            "prc",
            "mainlandchina",
            "chn",
            "中國",
            "中国",
            "中國大陸",
            "中国大陆",
            "大陸",
            "中華人民共和國",
            "中华人民共和国",
        ],
    ),
    ("JP", &["japan", "jpn", "日本"]),
    (
        "KR",
        &[
            "southkorea",
            "republicofkorea",
            "korearepublicof",
            "kor",
            "韓國",
            "韩国",
            "南韓",
            "南韩",
            "大韓民國",
            "大韩民国",
        ],
    ),
    ("SG", &["singapore", "sgp", "新加坡"]),
    ("MY", &["malaysia", "mys", "馬來西亞", "马来西亚"]),
    ("TH", &["thailand", "tha", "泰國", "泰国"]),
    ("VN", &["vietnam", "vnm", "越南"]),
    ("PH", &["philippines", "phl", "菲律賓", "菲律宾"]),
    (
        "ID",
        &["indonesia", "idn", "印尼", "印度尼西亞", "印度尼西亚"],
    ),
    ("IN", &["india", "ind", "印度"]),
    ("AU", &["australia", "aus", "澳洲", "澳大利亞", "澳大利亚"]),
    (
        "NZ",
        &["newzealand", "nzl", "紐西蘭", "纽西兰", "新西蘭", "新西兰"],
    ),
    (
        "US",
        &[
            "unitedstates",
            "unitedstatesofamerica",
            "usa",
            "america",
            "美國",
            "美国",
        ],
    ),
    ("CA", &["canada", "can", "加拿大"]),
    (
        "GB",
        &[
            "unitedkingdom",
            "greatbritain",
            "britain",
            "gbr",
            "英國",
            "英国",
        ],
    ),
    ("IE", &["ireland", "irl", "愛爾蘭", "爱尔兰"]),
    ("DE", &["germany", "deutschland", "deu", "德國", "德国"]),
    ("FR", &["france", "fra", "法國", "法国"]),
    (
        "NL",
        &[
            "netherlands",
            "thenetherlands",
            "holland",
            "nld",
            "荷蘭",
            "荷兰",
        ],
    ),
    ("CH", &["switzerland", "che", "瑞士"]),
    (
        "AE",
        &[
            "unitedarabemirates",
            "uae",
            "are",
            "阿聯",
            "阿联酋",
            "阿拉伯聯合大公國",
        ],
    ),
];

/// A name as names are compared: half-width, 臺 as 台, letters and digits only, lower case.
fn name_key(text: &str) -> String {
    crate::identity::half_width(text)
        .replace('臺', "台")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The code of a country or region as a customer list writes it: its code in any case
/// (`tw`), or one of the names above (`Taiwan`, `台灣`, `R.O.C.`, `USA`); none otherwise.
pub fn code_of(text: &str) -> Option<&'static str> {
    let code = crate::identity::half_width(text)
        .trim()
        .to_ascii_uppercase();
    if let Some(i) = index(&code) {
        return Some(countries()[i].0);
    }
    let key = name_key(text);
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(code, _)| *code)
}

/// The code of a country a customer's record writes: as [`code_of`] reads it, or any
/// country's name in `countries.tsv`, in English or in Chinese (`Nigeria`, `奈及利亞`,
/// `Czechia`). Not for addresses: there a trailing "Jersey" or "Georgia" is a state's.
pub fn code_of_any(text: &str) -> Option<&'static str> {
    if let Some(code) = code_of(text) {
        return Some(code);
    }
    // Every name's key, once.
    static KEYS: std::sync::OnceLock<Vec<(String, &'static str)>> = std::sync::OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        countries()
            .iter()
            .flat_map(|(code, en, zh)| [(name_key(en), *code), (name_key(zh), *code)])
            .collect()
    });
    let wanted = name_key(text);
    keys.iter()
        .find(|(k, _)| !wanted.is_empty() && *k == wanted)
        .map(|(_, code)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assigned_codes_and_the_usual_mistakes() {
        for code in [
            "TW", "US", "JP", "GB", "SG", "MY", "KR", "HK", "MO", "XK", "ZW", "AD",
        ] {
            assert!(is_assigned(code), "{code}");
        }
        for code in ["UK", "EL", "XX", "TA", "tw", "T", "TWN", "", "Z W"] {
            assert!(!is_assigned(code), "{code}");
        }
        assert_eq!(countries().len(), 250);
        assert_eq!(instead_of("UK"), Some("GB"));
        assert_eq!(instead_of("TW"), None);
    }

    #[test]
    fn a_country_written_by_name_is_its_code() {
        for (text, code) in [
            ("Taiwan", "TW"),
            ("台灣", "TW"),
            ("臺灣", "TW"),
            ("Taiwan (R.O.C.)", "TW"),
            ("Taiwan, Province of China", "TW"),
            ("中華民國", "TW"),
            ("ＴＷ", "TW"),
            (" tw ", "TW"),
            ("TWN", "TW"),
            ("Hong Kong SAR", "HK"),
            ("香港", "HK"),
            ("U.S.A.", "US"),
            ("United States of America", "US"),
            ("美國", "US"),
            ("日本", "JP"),
            ("South Korea", "KR"),
            ("Viet Nam", "VN"),
            ("The Netherlands", "NL"),
            ("新加坡", "SG"),
        ] {
            assert_eq!(code_of(text), Some(code), "{text}");
        }
        // Not a country, or two countries' name: no code.
        for text in ["Korea", "Taipei", "", "UK", "XX", "Formosa Ltd", "TW; JP"] {
            assert_eq!(code_of(text), None, "{text}");
        }
        for (code, names) in NAMES {
            assert!(is_assigned(code), "{code}");
            for name in *names {
                assert_eq!(code_of(name), Some(*code), "{name}");
            }
        }
    }

    #[test]
    fn every_code_has_a_name_in_each_language() {
        use crate::customer::Language::{En, ZhTw};
        assert!(countries().windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        for line in include_str!("countries.tsv").lines().skip(1) {
            assert_eq!(line.split('\t').count(), 3, "{line:?}");
        }
        for (code, en, zh) in countries() {
            assert!(is_assigned(code), "{code}");
            assert_eq!(name(code, En), Some(*en));
            assert!(!en.is_empty() && !en.contains('（'), "{code}: {en}");
            // Chinese names are written in Chinese: no Latin letter, no half-width bracket.
            assert!(
                !zh.is_empty() && !zh.chars().any(|c| c.is_ascii_alphanumeric() || c == '('),
                "{code}: {zh}"
            );
        }
        let distinct = |i: usize| {
            let mut names: Vec<&str> = countries()
                .iter()
                .map(|c| if i == 1 { c.1 } else { c.2 })
                .collect();
            names.sort_unstable();
            names.dedup();
            names.len()
        };
        assert_eq!((distinct(1), distinct(2)), (250, 250));
        for (code, en, zh) in countries() {
            assert_eq!(code_of_any(en), Some(*code), "{en}");
            assert_eq!(code_of_any(zh), Some(*code), "{zh}");
        }
        for (text, code) in [
            ("Nigeria", "NG"),
            ("NIGERIA", "NG"),
            ("奈及利亞", "NG"),
            ("Czechia", "CZ"),
            ("Taiwan", "TW"),
            ("臺灣", "TW"),
            ("ng", "NG"),
        ] {
            assert_eq!(code_of_any(text), Some(code), "{text}");
        }
        for text in ["Korea", "Congo", "", "  ", "Jersey City"] {
            assert_eq!(code_of_any(text), None, "{text}");
        }
        // Addresses keep their narrower reading: a state's name is no country there.
        assert_eq!(code_of("jersey"), None);
        assert_eq!(named("NG", En), "Nigeria (NG)");
        assert_eq!(named("NG", ZhTw), "奈及利亞（NG）");
        assert_eq!(named("TW", ZhTw), "台灣（TW）");
        assert_eq!(named("XK", En), "Kosovo (XK)");
        assert_eq!(name("KR", ZhTw), Some("南韓"));
        for code in ["ZZ", "UK", "ng", "", "NGA"] {
            assert_eq!(name(code, En), None, "{code}");
            assert_eq!(named(code, ZhTw), code);
        }
    }
}
