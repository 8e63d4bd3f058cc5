//! Country and region codes: ISO 3166-1 alpha-2 as assigned (the list checked against Debian's
//! iso-codes), and XK, which Microsoft and the European Commission use for Kosovo; each with
//! its name in English and in Traditional Chinese, for the texts that name a country.

/// Every assigned code, sorted, with its name as a reader says it: in English and in
/// Traditional Chinese as written in Taiwan (short names, as people use them: "South Korea",
/// 「南韓」; "Hong Kong", 「香港」).
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AD", "Andorra", "安道爾"),
    ("AE", "United Arab Emirates", "阿拉伯聯合大公國"),
    ("AF", "Afghanistan", "阿富汗"),
    ("AG", "Antigua and Barbuda", "安地卡及巴布達"),
    ("AI", "Anguilla", "安圭拉"),
    ("AL", "Albania", "阿爾巴尼亞"),
    ("AM", "Armenia", "亞美尼亞"),
    ("AO", "Angola", "安哥拉"),
    ("AQ", "Antarctica", "南極洲"),
    ("AR", "Argentina", "阿根廷"),
    ("AS", "American Samoa", "美屬薩摩亞"),
    ("AT", "Austria", "奧地利"),
    ("AU", "Australia", "澳洲"),
    ("AW", "Aruba", "阿魯巴"),
    ("AX", "Åland Islands", "奧蘭群島"),
    ("AZ", "Azerbaijan", "亞塞拜然"),
    ("BA", "Bosnia and Herzegovina", "波士尼亞與赫塞哥維納"),
    ("BB", "Barbados", "巴貝多"),
    ("BD", "Bangladesh", "孟加拉"),
    ("BE", "Belgium", "比利時"),
    ("BF", "Burkina Faso", "布吉納法索"),
    ("BG", "Bulgaria", "保加利亞"),
    ("BH", "Bahrain", "巴林"),
    ("BI", "Burundi", "蒲隆地"),
    ("BJ", "Benin", "貝南"),
    ("BL", "Saint Barthélemy", "聖巴瑟米"),
    ("BM", "Bermuda", "百慕達"),
    ("BN", "Brunei", "汶萊"),
    ("BO", "Bolivia", "玻利維亞"),
    ("BQ", "Caribbean Netherlands", "荷蘭加勒比區"),
    ("BR", "Brazil", "巴西"),
    ("BS", "Bahamas", "巴哈馬"),
    ("BT", "Bhutan", "不丹"),
    ("BV", "Bouvet Island", "布威島"),
    ("BW", "Botswana", "波札那"),
    ("BY", "Belarus", "白俄羅斯"),
    ("BZ", "Belize", "貝里斯"),
    ("CA", "Canada", "加拿大"),
    ("CC", "Cocos (Keeling) Islands", "科克斯（基靈）群島"),
    ("CD", "Democratic Republic of the Congo", "剛果民主共和國"),
    ("CF", "Central African Republic", "中非共和國"),
    ("CG", "Republic of the Congo", "剛果共和國"),
    ("CH", "Switzerland", "瑞士"),
    ("CI", "Côte d'Ivoire", "象牙海岸"),
    ("CK", "Cook Islands", "庫克群島"),
    ("CL", "Chile", "智利"),
    ("CM", "Cameroon", "喀麥隆"),
    ("CN", "China", "中國"),
    ("CO", "Colombia", "哥倫比亞"),
    ("CR", "Costa Rica", "哥斯大黎加"),
    ("CU", "Cuba", "古巴"),
    ("CV", "Cabo Verde", "維德角"),
    ("CW", "Curaçao", "庫拉索"),
    ("CX", "Christmas Island", "聖誕島"),
    ("CY", "Cyprus", "賽普勒斯"),
    ("CZ", "Czechia", "捷克"),
    ("DE", "Germany", "德國"),
    ("DJ", "Djibouti", "吉布地"),
    ("DK", "Denmark", "丹麥"),
    ("DM", "Dominica", "多米尼克"),
    ("DO", "Dominican Republic", "多明尼加共和國"),
    ("DZ", "Algeria", "阿爾及利亞"),
    ("EC", "Ecuador", "厄瓜多"),
    ("EE", "Estonia", "愛沙尼亞"),
    ("EG", "Egypt", "埃及"),
    ("EH", "Western Sahara", "西撒哈拉"),
    ("ER", "Eritrea", "厄利垂亞"),
    ("ES", "Spain", "西班牙"),
    ("ET", "Ethiopia", "衣索比亞"),
    ("FI", "Finland", "芬蘭"),
    ("FJ", "Fiji", "斐濟"),
    ("FK", "Falkland Islands", "福克蘭群島"),
    ("FM", "Micronesia", "密克羅尼西亞"),
    ("FO", "Faroe Islands", "法羅群島"),
    ("FR", "France", "法國"),
    ("GA", "Gabon", "加彭"),
    ("GB", "United Kingdom", "英國"),
    ("GD", "Grenada", "格瑞那達"),
    ("GE", "Georgia", "喬治亞"),
    ("GF", "French Guiana", "法屬圭亞那"),
    ("GG", "Guernsey", "根息島"),
    ("GH", "Ghana", "迦納"),
    ("GI", "Gibraltar", "直布羅陀"),
    ("GL", "Greenland", "格陵蘭"),
    ("GM", "Gambia", "甘比亞"),
    ("GN", "Guinea", "幾內亞"),
    ("GP", "Guadeloupe", "瓜地洛普"),
    ("GQ", "Equatorial Guinea", "赤道幾內亞"),
    ("GR", "Greece", "希臘"),
    (
        "GS",
        "South Georgia and the South Sandwich Islands",
        "南喬治亞與南三明治群島",
    ),
    ("GT", "Guatemala", "瓜地馬拉"),
    ("GU", "Guam", "關島"),
    ("GW", "Guinea-Bissau", "幾內亞比索"),
    ("GY", "Guyana", "蓋亞那"),
    ("HK", "Hong Kong", "香港"),
    (
        "HM",
        "Heard Island and McDonald Islands",
        "赫德島及麥唐納群島",
    ),
    ("HN", "Honduras", "宏都拉斯"),
    ("HR", "Croatia", "克羅埃西亞"),
    ("HT", "Haiti", "海地"),
    ("HU", "Hungary", "匈牙利"),
    ("ID", "Indonesia", "印尼"),
    ("IE", "Ireland", "愛爾蘭"),
    ("IL", "Israel", "以色列"),
    ("IM", "Isle of Man", "曼島"),
    ("IN", "India", "印度"),
    ("IO", "British Indian Ocean Territory", "英屬印度洋領地"),
    ("IQ", "Iraq", "伊拉克"),
    ("IR", "Iran", "伊朗"),
    ("IS", "Iceland", "冰島"),
    ("IT", "Italy", "義大利"),
    ("JE", "Jersey", "澤西島"),
    ("JM", "Jamaica", "牙買加"),
    ("JO", "Jordan", "約旦"),
    ("JP", "Japan", "日本"),
    ("KE", "Kenya", "肯亞"),
    ("KG", "Kyrgyzstan", "吉爾吉斯"),
    ("KH", "Cambodia", "柬埔寨"),
    ("KI", "Kiribati", "吉里巴斯"),
    ("KM", "Comoros", "葛摩"),
    ("KN", "Saint Kitts and Nevis", "聖克里斯多福及尼維斯"),
    ("KP", "North Korea", "北韓"),
    ("KR", "South Korea", "南韓"),
    ("KW", "Kuwait", "科威特"),
    ("KY", "Cayman Islands", "開曼群島"),
    ("KZ", "Kazakhstan", "哈薩克"),
    ("LA", "Laos", "寮國"),
    ("LB", "Lebanon", "黎巴嫩"),
    ("LC", "Saint Lucia", "聖露西亞"),
    ("LI", "Liechtenstein", "列支敦斯登"),
    ("LK", "Sri Lanka", "斯里蘭卡"),
    ("LR", "Liberia", "賴比瑞亞"),
    ("LS", "Lesotho", "賴索托"),
    ("LT", "Lithuania", "立陶宛"),
    ("LU", "Luxembourg", "盧森堡"),
    ("LV", "Latvia", "拉脫維亞"),
    ("LY", "Libya", "利比亞"),
    ("MA", "Morocco", "摩洛哥"),
    ("MC", "Monaco", "摩納哥"),
    ("MD", "Moldova", "摩爾多瓦"),
    ("ME", "Montenegro", "蒙特內哥羅"),
    ("MF", "Saint Martin", "法屬聖馬丁"),
    ("MG", "Madagascar", "馬達加斯加"),
    ("MH", "Marshall Islands", "馬紹爾群島"),
    ("MK", "North Macedonia", "北馬其頓"),
    ("ML", "Mali", "馬利"),
    ("MM", "Myanmar", "緬甸"),
    ("MN", "Mongolia", "蒙古"),
    ("MO", "Macao", "澳門"),
    ("MP", "Northern Mariana Islands", "北馬利安納群島"),
    ("MQ", "Martinique", "馬丁尼克"),
    ("MR", "Mauritania", "茅利塔尼亞"),
    ("MS", "Montserrat", "蒙哲臘"),
    ("MT", "Malta", "馬爾他"),
    ("MU", "Mauritius", "模里西斯"),
    ("MV", "Maldives", "馬爾地夫"),
    ("MW", "Malawi", "馬拉威"),
    ("MX", "Mexico", "墨西哥"),
    ("MY", "Malaysia", "馬來西亞"),
    ("MZ", "Mozambique", "莫三比克"),
    ("NA", "Namibia", "納米比亞"),
    ("NC", "New Caledonia", "新喀里多尼亞"),
    ("NE", "Niger", "尼日"),
    ("NF", "Norfolk Island", "諾福克島"),
    ("NG", "Nigeria", "奈及利亞"),
    ("NI", "Nicaragua", "尼加拉瓜"),
    ("NL", "Netherlands", "荷蘭"),
    ("NO", "Norway", "挪威"),
    ("NP", "Nepal", "尼泊爾"),
    ("NR", "Nauru", "諾魯"),
    ("NU", "Niue", "紐埃"),
    ("NZ", "New Zealand", "紐西蘭"),
    ("OM", "Oman", "阿曼"),
    ("PA", "Panama", "巴拿馬"),
    ("PE", "Peru", "秘魯"),
    ("PF", "French Polynesia", "法屬玻里尼西亞"),
    ("PG", "Papua New Guinea", "巴布亞紐幾內亞"),
    ("PH", "Philippines", "菲律賓"),
    ("PK", "Pakistan", "巴基斯坦"),
    ("PL", "Poland", "波蘭"),
    ("PM", "Saint Pierre and Miquelon", "聖皮埃與密克隆群島"),
    ("PN", "Pitcairn Islands", "皮特肯群島"),
    ("PR", "Puerto Rico", "波多黎各"),
    ("PS", "Palestinian Territories", "巴勒斯坦自治區"),
    ("PT", "Portugal", "葡萄牙"),
    ("PW", "Palau", "帛琉"),
    ("PY", "Paraguay", "巴拉圭"),
    ("QA", "Qatar", "卡達"),
    ("RE", "Réunion", "留尼旺"),
    ("RO", "Romania", "羅馬尼亞"),
    ("RS", "Serbia", "塞爾維亞"),
    ("RU", "Russia", "俄羅斯"),
    ("RW", "Rwanda", "盧安達"),
    ("SA", "Saudi Arabia", "沙烏地阿拉伯"),
    ("SB", "Solomon Islands", "索羅門群島"),
    ("SC", "Seychelles", "塞席爾"),
    ("SD", "Sudan", "蘇丹"),
    ("SE", "Sweden", "瑞典"),
    ("SG", "Singapore", "新加坡"),
    ("SH", "Saint Helena", "聖赫勒拿島"),
    ("SI", "Slovenia", "斯洛維尼亞"),
    ("SJ", "Svalbard and Jan Mayen", "斯瓦巴及尖棉"),
    ("SK", "Slovakia", "斯洛伐克"),
    ("SL", "Sierra Leone", "獅子山"),
    ("SM", "San Marino", "聖馬利諾"),
    ("SN", "Senegal", "塞內加爾"),
    ("SO", "Somalia", "索馬利亞"),
    ("SR", "Suriname", "蘇利南"),
    ("SS", "South Sudan", "南蘇丹"),
    ("ST", "São Tomé and Príncipe", "聖多美普林西比"),
    ("SV", "El Salvador", "薩爾瓦多"),
    ("SX", "Sint Maarten", "荷屬聖馬丁"),
    ("SY", "Syria", "敘利亞"),
    ("SZ", "Eswatini", "史瓦帝尼"),
    ("TC", "Turks and Caicos Islands", "土克斯及開科斯群島"),
    ("TD", "Chad", "查德"),
    ("TF", "French Southern Territories", "法屬南部屬地"),
    ("TG", "Togo", "多哥"),
    ("TH", "Thailand", "泰國"),
    ("TJ", "Tajikistan", "塔吉克"),
    ("TK", "Tokelau", "托克勞群島"),
    ("TL", "Timor-Leste", "東帝汶"),
    ("TM", "Turkmenistan", "土庫曼"),
    ("TN", "Tunisia", "突尼西亞"),
    ("TO", "Tonga", "東加"),
    ("TR", "Türkiye", "土耳其"),
    ("TT", "Trinidad and Tobago", "千里達及托巴哥"),
    ("TV", "Tuvalu", "吐瓦魯"),
    ("TW", "Taiwan", "台灣"),
    ("TZ", "Tanzania", "坦尚尼亞"),
    ("UA", "Ukraine", "烏克蘭"),
    ("UG", "Uganda", "烏干達"),
    ("UM", "U.S. Outlying Islands", "美國本土外小島嶼"),
    ("US", "United States", "美國"),
    ("UY", "Uruguay", "烏拉圭"),
    ("UZ", "Uzbekistan", "烏茲別克"),
    ("VA", "Vatican City", "梵蒂岡"),
    ("VC", "Saint Vincent and the Grenadines", "聖文森及格瑞那丁"),
    ("VE", "Venezuela", "委內瑞拉"),
    ("VG", "British Virgin Islands", "英屬維京群島"),
    ("VI", "U.S. Virgin Islands", "美屬維京群島"),
    ("VN", "Vietnam", "越南"),
    ("VU", "Vanuatu", "萬那杜"),
    ("WF", "Wallis and Futuna", "瓦利斯群島和富圖那群島"),
    ("WS", "Samoa", "薩摩亞"),
    ("XK", "Kosovo", "科索沃"),
    ("YE", "Yemen", "葉門"),
    ("YT", "Mayotte", "馬約特島"),
    ("ZA", "South Africa", "南非"),
    ("ZM", "Zambia", "尚比亞"),
    ("ZW", "Zimbabwe", "辛巴威"),
];

fn index(code: &str) -> Option<usize> {
    COUNTRIES.binary_search_by(|(c, _, _)| (*c).cmp(code)).ok()
}

/// Whether `code` (two capital letters) is a country or region code in use.
pub fn is_assigned(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) && index(code).is_some()
}

/// A country's name in `lang` (`NG`: "Nigeria", 「奈及利亞」); none for a code not assigned.
pub fn name(code: &str, lang: crate::customer::Language) -> Option<&'static str> {
    let (_, en, zh) = COUNTRIES[index(code)?];
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

/// The code of a country or region as a customer list writes it: its code in any case
/// (`tw`), or one of the names above (`Taiwan`, `台灣`, `R.O.C.`, `USA`); none otherwise.
pub fn code_of(text: &str) -> Option<&'static str> {
    let plain = crate::identity::half_width(text).replace('臺', "台");
    let code = plain.trim().to_ascii_uppercase();
    if let Some(i) = index(&code) {
        return Some(COUNTRIES[i].0);
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

/// The code of a country a customer's record writes: as [`code_of`] reads it, or any
/// country's name in the table above, in English or in Chinese (`Nigeria`, `奈及利亞`,
/// `Czechia`). Not for addresses: there a trailing "Jersey" or "Georgia" is a state's.
pub fn code_of_any(text: &str) -> Option<&'static str> {
    if let Some(code) = code_of(text) {
        return Some(code);
    }
    let key = |t: &str| -> String {
        crate::identity::half_width(t)
            .replace('臺', "台")
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    // Every name's key, once.
    static KEYS: std::sync::OnceLock<Vec<(String, &'static str)>> = std::sync::OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        COUNTRIES
            .iter()
            .flat_map(|(code, en, zh)| [(key(en), *code), (key(zh), *code)])
            .collect()
    });
    let wanted = key(text);
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
        assert_eq!(COUNTRIES.len(), 250);
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
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        for (code, en, zh) in COUNTRIES {
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
            let mut names: Vec<&str> = COUNTRIES
                .iter()
                .map(|c| if i == 1 { c.1 } else { c.2 })
                .collect();
            names.sort_unstable();
            names.dedup();
            names.len()
        };
        assert_eq!((distinct(1), distinct(2)), (250, 250));
        for (code, en, zh) in COUNTRIES {
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
