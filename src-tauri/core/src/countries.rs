//! Country and region codes: ISO 3166-1 alpha-2 as assigned (from Debian's iso-codes), and
//! XK, which Microsoft and the European Commission use for Kosovo.

/// Every assigned code, space-separated, in order.
const ASSIGNED: &str = concat!(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE ",
    "BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD ",
    "CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM ",
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF ",
    "GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ",
    "ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN ",
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME ",
    "MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ",
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ",
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI ",
    "SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK ",
    "TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI ",
    "VN VU WF WS YE YT ZA ZM ZW ",
    "XK"
);

/// Whether `code` (two capital letters) is a country or region code in use.
pub fn is_assigned(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && ASSIGNED.split(' ').any(|c| c == code)
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

/// The code of a country or region as a customer list writes it: its code in any case
/// (`tw`), or one of the names above (`Taiwan`, `台灣`, `R.O.C.`, `USA`); none otherwise.
pub fn code_of(text: &str) -> Option<&'static str> {
    let plain = crate::identity::half_width(text).replace('臺', "台");
    let code = plain.trim().to_ascii_uppercase();
    if let Some(assigned) = ASSIGNED.split(' ').find(|c| *c == code) {
        return Some(assigned);
    }
    let key: String = plain
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(code, _)| *code)
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
        assert_eq!(ASSIGNED.split(' ').count(), 250);
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
}
