//! One identity written the many ways people and spreadsheets write it is one key; a place,
//! a number or a company that differs in one part is another. Property tests: each case
//! builds one identity from its parts, writes it several ways at random, and compares.

use super::*;
use proptest::prelude::*;

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// `n` (1..=999) as Chinese counts it: 一百零五, 三十二, 十 (or 一十 when `long_ten`).
fn counted(n: u32, long_ten: bool) -> String {
    let (h, t, o) = (n / 100, n / 10 % 10, n % 10);
    let mut s = String::new();
    if h > 0 {
        s.push(if h == 2 && long_ten {
            '兩'
        } else {
            DIGITS[h as usize]
        });
        s.push('百');
    }
    if t > 0 {
        if t > 1 || h > 0 || long_ten {
            s.push(DIGITS[t as usize]);
        }
        s.push('十');
    } else if h > 0 && o > 0 {
        s.push('零');
    }
    if o > 0 {
        s.push(DIGITS[o as usize]);
    }
    s
}

/// A number the way one writer writes it: digits, full-width digits, or Chinese numerals
/// (counted, or digit by digit as 一〇五).
fn number(n: u32, style: u8) -> String {
    match style % 5 {
        0 | 1 => n.to_string(),
        2 => half_width_inverse(&n.to_string()),
        3 => counted(n, style >= 5),
        _ => n
            .to_string()
            .chars()
            .map(|d| DIGITS[d.to_digit(10).unwrap_or(0) as usize])
            .collect(),
    }
}

/// `text` as typed with a simplified-Chinese input method, or half switched to one: each
/// Chinese character simplified where its bit of `how` says so (`台北市大安区…100號5楼`).
fn in_simplified(text: &str, how: u64) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if how >> (i % 64) & 1 == 1 {
                script::fold_char(c)
            } else {
                c
            }
        })
        .collect()
}

fn half_width_inverse(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            ' ' => '\u{3000}',
            _ => c,
        })
        .collect()
}

fn chinese_style(style: u8) -> bool {
    matches!(style % 5, 3 | 4)
}

const CITIES: &[&str] = &["台北市", "新北市", "台中市", "高雄市", "台南市", "桃園市"];
const DISTRICTS: &[&str] = &["信義區", "大安區", "板橋區", "西屯區", "五股區", "前鎮區"];
const ROADS: &[&str] = &[
    "松仁路",
    "忠孝東路",
    "中山北路",
    "九如一路",
    "八德路",
    "民生西路",
];

#[derive(Debug, Clone)]
struct Place {
    city: usize,
    district: usize,
    road: usize,
    section: Option<u32>,
    lane: Option<u32>,
    alley: Option<u32>,
    number: u32,
    sub: Option<u32>,
    floor: Option<u32>,
    floor_sub: Option<u32>,
}

fn place() -> impl Strategy<Value = Place> {
    (
        (0..CITIES.len(), 0..DISTRICTS.len(), 0..ROADS.len()),
        (
            proptest::option::of(1u32..=7),
            proptest::option::of(1u32..=999),
            proptest::option::of(1u32..=99),
        ),
        (1u32..=999, proptest::option::of(1u32..=20)),
        (
            proptest::option::of(1u32..=40),
            proptest::option::of(1u32..=9),
        ),
    )
        .prop_map(
            |((city, district, road), (section, lane, alley), (number, sub), (floor, fs))| Place {
                city,
                district,
                road,
                section,
                lane,
                alley: lane.and(alley),
                number,
                sub,
                floor,
                floor_sub: floor.and(fs),
            },
        )
}

/// `p` with one part changed (`part` % 6): its number, sub-number, floor, lane, section or
/// floor's sub-number.
fn another_place(p: &Place, part: u8) -> Place {
    let mut q = p.clone();
    let next = |n: Option<u32>| Some(n.map_or(1, |n| n % 40 + 1));
    match part % 6 {
        0 => q.number = p.number % 999 + 1,
        1 => q.sub = if p.sub.is_some() { None } else { Some(1) },
        2 => q.floor = next(p.floor),
        3 => q.lane = next(p.lane),
        4 => q.section = Some(p.section.map_or(1, |n| n % 7 + 1)),
        _ => {
            q.floor = Some(p.floor.unwrap_or(1));
            q.floor_sub = next(p.floor_sub);
        }
    }
    q
}

/// How one writer writes an address: each choice a byte of `how`.
fn write_place(p: &Place, how: &[u8]) -> String {
    let pick = |i: usize| how[i % how.len()];
    let gap = |i: usize| if pick(i) % 3 == 0 { " " } else { "" };
    let mut s = String::new();
    match pick(0) % 6 {
        1 => s.push_str("110"),
        2 => s.push_str("11049 "),
        3 => s.push_str("台灣"),
        4 => s.push_str("中華民國 110"),
        5 => s.push_str("臺灣 "),
        _ => {}
    }
    let city = CITIES[p.city];
    s.push_str(&if pick(1) % 2 == 0 {
        city.replace('台', "臺")
    } else {
        city.to_string()
    });
    s.push_str(gap(2));
    s.push_str(DISTRICTS[p.district]);
    s.push_str(ROADS[p.road]);
    if let Some(n) = p.section {
        s.push_str(&number(n, pick(3)));
        s.push('段');
    }
    if let Some(n) = p.lane {
        s.push_str(gap(4));
        s.push_str(&number(n, pick(5)));
        s.push('巷');
    }
    if let Some(n) = p.alley {
        s.push_str(&number(n, pick(6)));
        s.push('弄');
    }
    s.push_str(gap(7));
    let style = pick(8);
    s.push_str(&number(p.number, style));
    if let Some(k) = p.sub {
        s.push(if pick(9) % 2 == 0 || chinese_style(style) {
            '之'
        } else {
            '-'
        });
        s.push_str(&number(k, style));
    }
    s.push('號');
    if let Some(f) = p.floor {
        s.push_str(gap(10));
        let style = pick(11);
        s.push_str(&number(f, style));
        let chinese = chinese_style(style);
        s.push_str(match pick(12) % 5 {
            _ if chinese => "樓",
            0 => "樓",
            1 => "F",
            2 => " F",
            3 => "f",
            _ => " 樓",
        });
        if let Some(k) = p.floor_sub {
            s.push(if pick(13) % 2 == 0 || chinese {
                '之'
            } else {
                '-'
            });
            s.push_str(&number(k, style));
        }
    }
    s
}

const CITIES_EN: &[&str] = &[
    "Taipei",
    "New Taipei",
    "Taichung",
    "Kaohsiung",
    "Tainan",
    "Taoyuan",
];
const DISTRICTS_EN: &[&str] = &["Xinyi", "Da'an", "Banqiao", "Xitun", "Wugu", "Qianzhen"];
const ROADS_EN: &[(&str, &str)] = &[
    ("Songren", ""),
    ("Zhongxiao", "E"),
    ("Zhongshan", "N"),
    ("Jiuru 1st", ""),
    ("Bade", ""),
    ("Minsheng", "W"),
];

/// The address in English as Taiwan's post office writes it (`5F.-1, No. 100-1, Ln. 12,
/// Sec. 4, Zhongxiao E. Rd., Da'an Dist., Taipei City 106, Taiwan (R.O.C.)`), each
/// abbreviation, comma, case, postal code and country as one writer chooses.
fn write_place_en(p: &Place, how: &[u8]) -> String {
    let pick = |i: usize| how[i % how.len()];
    let word = |i: usize, short: &str, long: &str| -> String {
        match pick(i) % 4 {
            0 => format!("{short}."),
            1 => short.to_string(),
            2 => long.to_string(),
            _ => long.to_uppercase(),
        }
    };
    let comma = |i: usize| if pick(i) % 3 == 0 { " " } else { ", " };
    let mut s = String::new();
    if let Some(f) = p.floor {
        s.push_str(&match pick(0) % 5 {
            0 => format!("{f}F."),
            1 => format!("{f}F"),
            2 => format!("{f} F"),
            3 => ordinal_floor(f),
            _ => format!("{f}f"),
        });
        if let Some(k) = p.floor_sub {
            s.push_str(&format!("-{k}"));
        }
        s.push_str(comma(1));
    }
    s.push_str(&word(2, "No", "Number"));
    // `No.100` and `No100`, never `Number100`.
    s.push_str(if pick(3) % 2 == 0 || pick(2) % 4 >= 2 {
        " "
    } else {
        ""
    });
    s.push_str(&p.number.to_string());
    if let Some(k) = p.sub {
        s.push_str(&format!("-{k}"));
    }
    if let Some(n) = p.alley {
        s.push_str(comma(4));
        s.push_str(&format!("{} {n}", word(5, "Aly", "Alley")));
    }
    if let Some(n) = p.lane {
        s.push_str(comma(6));
        s.push_str(&format!("{} {n}", word(7, "Ln", "Lane")));
    }
    if let Some(n) = p.section {
        s.push_str(comma(8));
        s.push_str(&format!("{} {n}", word(9, "Sec", "Section")));
    }
    s.push_str(comma(10));
    let (road, side) = ROADS_EN[p.road];
    s.push_str(road);
    if !side.is_empty() {
        let long = match side {
            "E" => "East",
            "W" => "West",
            _ => "North",
        };
        s.push(' ');
        s.push_str(&word(11, side, long));
    }
    s.push(' ');
    s.push_str(&word(12, "Rd", "Road"));
    s.push_str(comma(13));
    s.push_str(DISTRICTS_EN[p.district]);
    s.push(' ');
    s.push_str(&word(14, "Dist", "District"));
    s.push_str(comma(15));
    s.push_str(CITIES_EN[p.city]);
    s.push_str(" City");
    match pick(16) % 3 {
        0 => s.push_str(" 110"),
        1 => s.push_str(" 11049"),
        _ => {}
    }
    s.push_str(match pick(17) % 5 {
        0 => ", Taiwan (R.O.C.)",
        1 => ", Taiwan",
        2 => " Taiwan, R.O.C.",
        3 => ", TAIWAN",
        _ => "",
    });
    if pick(18) % 4 == 0 {
        s = s.to_uppercase();
    }
    s
}

fn ordinal_floor(f: u32) -> String {
    let suffix = match (f % 10, f % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{f}{suffix} Floor")
}

/// A Taiwanese number: a mobile (`09xx`) or a Taipei line (`02`), its national digits
/// without the trunk 0.
fn tw_number() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..=8, 0u32..10_000_000).prop_map(|(b, rest)| format!("9{b}{rest:07}")),
        (3u32..=8, 0u32..10_000_000).prop_map(|(b, rest)| format!("2{b}{rest:07}")),
    ]
}

/// `national` (no trunk 0) as one writer dials it: at home, from abroad, in groups, with an
/// extension, in full-width digits.
fn write_phone(national: &str, how: &[u8]) -> String {
    let pick = |i: usize| how[i % how.len()];
    let (area, rest) = national.split_at(if national.starts_with('9') { 3 } else { 1 });
    let (a, b) = rest.split_at(rest.len() - 4);
    let sep = ["-", " ", "", "."][pick(0) as usize % 4];
    let grouped = format!("{a}{sep}{b}");
    let mut s = match pick(1) % 11 {
        0 => format!("0{area}-{grouped}"),
        1 => format!("(0{area}) {grouped}"),
        2 => format!("(0{area}){grouped}"),
        3 => format!("+886 {area} {grouped}"),
        4 => format!("+886-{area}-{grouped}"),
        5 => format!("+886 (0){area} {grouped}"),
        6 => format!("00886 {area}{grouped}"),
        7 => format!("886{area}{a}{b}"),
        8 => format!("+886(0){area}-{grouped}"),
        9 => format!("+886{area}{grouped}"),
        _ => format!("+886 0{area} {grouped}"),
    };
    match pick(2) % 6 {
        0 => s.push_str("#123"),
        1 => s.push_str(" 分機 45"),
        2 => s.push_str(" ext. 7"),
        3 => s.push_str("轉8"),
        _ => {}
    }
    if pick(3) % 5 == 0 {
        s = half_width_inverse(&s);
    }
    s
}

/// A mailbox as people type it: its case, a `+tag`, Gmail's dots, full width, spaces.
fn write_mailbox(user: &str, domain: &str, how: &[u8]) -> String {
    let pick = |i: usize| how[i % how.len()];
    let gmail = domain == "gmail.com";
    let mut local: String = user
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let dot = gmail && i > 0 && pick(i) % 4 == 0;
            let c = if pick(i + 7) % 3 == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            };
            dot.then_some('.').into_iter().chain([c])
        })
        .collect();
    if pick(1) % 3 == 0 {
        local.push_str("+signup");
    }
    let domain = match pick(2) % 3 {
        0 if gmail => "googlemail.com".to_string(),
        1 => domain.to_uppercase(),
        _ => domain.to_string(),
    };
    let mut s = format!("{local}@{domain}");
    if pick(3) % 4 == 0 {
        s = half_width_inverse(&s);
    }
    if pick(4) % 3 == 0 {
        s = format!(" {s} ");
    }
    s
}

const BRANDS: &[&str] = &[
    "Apex Cloud",
    "Contoso",
    "Fabrikam Data",
    "Smith & Sons",
    "速雲",
    "台北雲端",
    "大同雲網",
];
const TRADES_EN: &[&str] = &["Trading", "Technology", "Services"];
const TRADES_ZH: &[&str] = &["貿易", "資訊科技", "科技"];

/// A company's legal name as one writer writes its legal form: `Co., Ltd.`, `Company
/// Limited`, `CO LTD`; `股份有限公司`, `(股)公司`, `（股）公司`; `&` or `and`; with its case,
/// spaces and full width.
fn write_company(brand: usize, trade: usize, how: &[u8]) -> String {
    let pick = |i: usize| how[i % how.len()];
    let name = BRANDS[brand];
    let mut s = if name.is_ascii() {
        let form = [
            "Co., Ltd.",
            "Co. Ltd",
            "Company Limited",
            "CO., LTD",
            "Co Ltd.",
        ];
        // `&` as itself, tight, or the word.
        let and = ["&", " & ", " and ", " AND "][pick(3) as usize % 4];
        format!(
            "{} {} {}",
            name.replace(" & ", and),
            TRADES_EN[trade],
            form[pick(0) as usize % form.len()]
        )
    } else {
        let form = ["股份有限公司", "(股)公司", "（股）公司", " 股份有限公司"];
        let name = if pick(1) % 2 == 0 {
            name.replace('台', "臺")
        } else {
            name.to_string()
        };
        format!(
            "{name}{}{}",
            TRADES_ZH[trade],
            form[pick(0) as usize % form.len()]
        )
    };
    match pick(2) % 4 {
        0 => s = s.to_uppercase(),
        1 => s = half_width_inverse(&s),
        2 => s = format!("  {}  ", s.replace(' ', "  ")),
        _ => {}
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// In Chinese or in the post office's English (never one against the other), one place
    /// written two ways is one; another number, floor or lane is another place.
    #[test]
    fn one_address_written_any_way_is_one_place_and_another_part_another(
        p in place(),
        part in 0u8..6,
        a in proptest::collection::vec(any::<u8>(), 19),
        b in proptest::collection::vec(any::<u8>(), 19),
        english in any::<bool>(),
        scripts in (any::<u64>(), any::<u64>()),
    ) {
        let q = another_place(&p, part);
        let write = if english { write_place_en } else { write_place };
        let (x, y, z) = (write(&p, &a), write(&p, &b), write(&q, &b));
        prop_assert_eq!(address(&x), address(&y), "{} ~ {}", x, y);
        prop_assert_ne!(address(&x), address(&z), "{} ~ {}", x, z);
        // In simplified characters, all or some: the same place compared in one script.
        let (x, y, z) = (in_simplified(&x, scripts.0), in_simplified(&y, scripts.1), in_simplified(&z, scripts.1));
        prop_assert_eq!(fold(&address(&x)), fold(&address(&y)), "{} ~ {}", x, y);
        prop_assert_ne!(fold(&address(&x)), fold(&address(&z)), "{} ~ {}", x, z);
    }

    /// One place written in Chinese (any script) and in the post office's English has one
    /// key ([`super::place`]); another number, floor or lane is another place in the other
    /// language.
    #[test]
    fn one_address_in_chinese_and_in_english_is_one_place(
        p in place(),
        part in 0u8..6,
        a in proptest::collection::vec(any::<u8>(), 19),
        b in proptest::collection::vec(any::<u8>(), 19),
        script in any::<u64>(),
    ) {
        let q = another_place(&p, part);
        let chinese = in_simplified(&write_place(&p, &a), script);
        let (english, other) = (write_place_en(&p, &b), write_place_en(&q, &b));
        let keys = super::place(&chinese);
        let en = super::place(&english);
        prop_assert_eq!(en.len(), 1, "{}", english);
        prop_assert!(keys.contains(&en[0]), "{} ~ {}: {:?} {:?}", chinese, english, keys, en);
        let other = super::place(&other);
        prop_assert!(!keys.contains(&other[0]), "{} ~ {}", chinese, other[0]);
    }

    #[test]
    fn one_phone_dialled_any_way_is_one_number(
        n in tw_number(),
        a in proptest::collection::vec(any::<u8>(), 4),
        b in proptest::collection::vec(any::<u8>(), 4),
    ) {
        let (x, y) = (write_phone(&n, &a), write_phone(&n, &b));
        let key = phone(&x, "TW");
        prop_assert_eq!(&key, &format!("+886{n}"), "{}", x);
        prop_assert_eq!(&key, &phone(&y, "TW"), "{} ~ {}", x, y);
        // In a record of a customer abroad, a number written with Taiwan's code after `+`
        // or `00` is the same number (bare `886…` there is that country's digits).
        if x.contains("+886") || x.contains("00886") {
            prop_assert_eq!(&key, &phone(&x, "SG"), "{}", x);
        }
        let other = format!("{}{}", &n[..n.len() - 1], (n.as_bytes()[n.len() - 1] - b'0' + 1) % 10);
        prop_assert_ne!(key, phone(&write_phone(&other, &b), "TW"));
    }

    #[test]
    fn one_mailbox_typed_any_way_is_one(
        user in "[a-z][a-z0-9]{2,12}",
        domain in prop::sample::select(vec!["gmail.com", "outlook.com", "yahoo.com.tw", "hinet.net"]),
        a in proptest::collection::vec(any::<u8>(), 24),
        b in proptest::collection::vec(any::<u8>(), 24),
    ) {
        let (x, y) = (write_mailbox(&user, domain, &a), write_mailbox(&user, domain, &b));
        prop_assert_eq!(mailbox(&x), mailbox(&y), "{} ~ {}", x, y);
        // Google's two domains are one provider; a provider's domain is never a link.
        prop_assert!(is_public_mail(&email_domain(&x)) && is_public_mail(&email_domain(&y)));
        let other = write_mailbox(&format!("{user}1"), domain, &b);
        prop_assert_ne!(mailbox(&x), mailbox(&other));
    }

    #[test]
    fn one_company_under_any_spelling_of_its_legal_form_is_one(
        brand in 0..BRANDS.len(),
        trade in 0..TRADES_EN.len(),
        a in proptest::collection::vec(any::<u8>(), 5),
        b in proptest::collection::vec(any::<u8>(), 5),
        scripts in (any::<u64>(), any::<u64>()),
    ) {
        let (x, y) = (write_company(brand, trade, &a), write_company(brand, trade, &b));
        let (x, y) = (in_simplified(&x, scripts.0), in_simplified(&y, scripts.1));
        prop_assert_eq!(legal_name(&x), legal_name(&y), "{} ~ {}", x, y);
        prop_assert_eq!(company(&x), company(&y), "{} ~ {}", x, y);
        // The stem is shown as written; it groups in one script.
        prop_assert_eq!(fold(&name_stem(&x)), fold(&name_stem(&y)), "{} ~ {}", x, y);
        prop_assert_eq!(chinese_brand(&x).map(|b| fold(&b)), chinese_brand(&y).map(|b| fold(&b)));
        prop_assert!(names_alike(&x, &y, 0.99), "{} ~ {}", x, y);
        let other = write_company(brand, (trade + 1) % TRADES_EN.len(), &b);
        prop_assert_ne!(legal_name(&x), legal_name(&other));
    }
}
