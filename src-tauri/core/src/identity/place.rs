//! One Taiwanese street address written in Chinese or in English: `台北市信義區松仁路100號5樓`
//! and `5F., No. 100, Songren Rd., Xinyi Dist., Taipei City` are one place. Each becomes a
//! key of its city, its road (the road's name in Hanyu Pinyin, as Taiwan's signs spell it,
//! with its direction and ordinal: `忠孝東路` is `Zhongxiao E. Rd.`, `中正四路` is
//! `Zhongzheng 4th Rd.`), its section, lane, alley, number and floor. A district or a
//! village is left out: one form often omits it. A character with more than one reading
//! (`重慶南路` is `Chongqing S. Rd.`, though 重 is most often read `zhong`) gives a key for
//! each reading ([`place`]), the most common first.
//!
//! Only an address that names one of Taiwan's 22 cities and counties, a road and a number
//! has a key, or one in Hong Kong on a road [`super::hong_kong`] knows; anything else is
//! compared as it is written ([`super::address()`]).

use super::script::fold;

/// Taiwan's cities and counties: the Chinese name, and the English one a key uses. Hsinchu
/// and Chiayi are a city and a county each, so those keys say which.
const CITIES: &[(&str, &str)] = &[
    ("台北市", "taipei"),
    ("新北市", "new taipei"),
    ("桃園市", "taoyuan"),
    ("桃園縣", "taoyuan"),
    ("台中市", "taichung"),
    ("台南市", "tainan"),
    ("高雄市", "kaohsiung"),
    ("基隆市", "keelung"),
    ("新竹市", "hsinchu city"),
    ("新竹縣", "hsinchu county"),
    ("嘉義市", "chiayi city"),
    ("嘉義縣", "chiayi county"),
    ("苗栗縣", "miaoli"),
    ("彰化縣", "changhua"),
    ("南投縣", "nantou"),
    ("雲林縣", "yunlin"),
    ("屏東縣", "pingtung"),
    ("宜蘭縣", "yilan"),
    ("花蓮縣", "hualien"),
    ("台東縣", "taitung"),
    ("澎湖縣", "penghu"),
    ("金門縣", "kinmen"),
    ("連江縣", "lienchiang"),
    // The counties merged into their cities in 2010, as older records write them.
    ("台北縣", "new taipei"),
    ("台中縣", "taichung"),
    ("台南縣", "tainan"),
    ("高雄縣", "kaohsiung"),
];

/// Where a road is, past its name: each part a number, empty when not written.
#[derive(Default)]
struct Units {
    section: String,
    lane: String,
    alley: String,
    number: String,
    floor: String,
}

/// The keys of one place (an address as written), or none when it is not a Taiwanese or Hong
/// Kong street address this can read. A Taiwanese address in English has one key; one in
/// Chinese a key for each reading of its road's name, the most common first. An address in
/// Hong Kong has one (by its road, house number, floor and flat).
pub fn place(written: &str) -> Vec<String> {
    place_of(&super::address(written), written)
}

/// [`place`] of an address whose form ([`super::address()`]) is known already.
pub(crate) fn place_of(address: &str, written: &str) -> Vec<String> {
    let taiwan = if address.is_ascii() {
        english(address).into_iter().collect()
    } else {
        chinese(address)
    };
    if taiwan.is_empty() {
        super::hong_kong::place(address, written)
            .into_iter()
            .collect()
    } else {
        taiwan
    }
}

fn key(city: &str, road: &str, direction: &str, ordinal: &str, kind: &str, u: &Units) -> String {
    format!(
        "{city}|{road}{ordinal}|{direction}|{kind}|{}|{}|{}|{}|{}",
        u.section, u.lane, u.alley, u.number, u.floor
    )
}

fn direction_en(c: char) -> Option<&'static str> {
    match c {
        '东' => Some("east"),
        '西' => Some("west"),
        '南' => Some("south"),
        '北' => Some("north"),
        _ => None,
    }
}

fn small_numeral(c: char) -> Option<u32> {
    "一二三四五六七八九十"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32 + 1)
        .or_else(|| c.to_digit(10))
}

fn is_han(c: char) -> bool {
    !c.is_ascii() && c.is_alphanumeric()
}

fn chinese(address: &str) -> Vec<String> {
    let text: Vec<char> = fold(address).chars().collect();
    // The city with its 市 or 縣, or without (`台北信義區…`: the city of that name first).
    let named = |full: bool| {
        CITIES.iter().find_map(|(zh, en)| {
            let zh: Vec<char> = fold(zh).chars().collect();
            let name = if full { &zh[..] } else { &zh[..zh.len() - 1] };
            text.starts_with(name).then_some((*en, name.len()))
        })
    };
    let Some((city, mut at)) = named(true).or_else(|| named(false)) else {
        return Vec::new();
    };
    // A district (`信义区`, `板桥区`, `竹北市`, `三星乡`), then a village and its
    // neighbourhood (`西村里5邻`), before the road; a road named 市民大道 is no district. Most
    // names have two characters (`前镇区`, not `前镇`; `平镇区`), some three or one (`东区`).
    for markers in [&['区', '乡', '镇', '市'][..], &['里', '村'][..]] {
        let ahead = &text[at..];
        if let Some(p) = [2, 3, 1].into_iter().find(|&p| {
            ahead.get(p).is_some_and(|c| markers.contains(c))
                && ahead[..p].iter().all(|c| is_han(*c))
                && road_marker(&ahead[p + 1..]).is_some()
        }) {
            at += p + 1;
        }
        let digits = text[at..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && text.get(at + digits) == Some(&'邻') {
            at += digits + 1;
        }
    }
    let rest = &text[at..];
    let Some((end, kind, width)) = road_marker(rest) else {
        return Vec::new();
    };
    let mut name: &[char] = &rest[..end];
    let mut ordinal = String::new();
    if name.len() >= 2 {
        if let Some(n) = name.last().copied().and_then(small_numeral) {
            ordinal = n.to_string();
            name = &name[..name.len() - 1];
        }
    }
    let mut direction = "";
    if name.len() >= 3 {
        if let Some(d) = name.last().copied().and_then(direction_en) {
            direction = d;
            name = &name[..name.len() - 1];
        }
    }
    if name.is_empty() || !name.iter().all(|c| is_han(*c)) {
        return Vec::new();
    }
    let Some(units) = units_zh(&rest[end + width..]) else {
        return Vec::new();
    };
    let spellings = super::pinyin::spellings(name);
    spellings
        .iter()
        .map(|road| key(city, road, direction, &ordinal, kind, &units))
        .collect()
}

/// Where the road's name ends: its index, what kind of road, and how many characters say so.
fn road_marker(text: &[char]) -> Option<(usize, &'static str, usize)> {
    text.iter().enumerate().find_map(|(i, c)| match c {
        '路' => Some((i, "road", 1)),
        '街' => Some((i, "street", 1)),
        '大' if text.get(i + 1) == Some(&'道') => Some((i, "boulevard", 2)),
        _ => None,
    })
}

/// The units after a road in Chinese (`4段12巷3弄7号5f`, a sub-number or sub-floor after a
/// space: `100 1号5f 2` was written `100之1號5樓之2`); none without a number.
fn units_zh(text: &[char]) -> Option<Units> {
    let mut u = Units::default();
    let mut numbers: Vec<String> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let digits = text[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 {
            numbers.push(text[i..i + digits].iter().collect());
            i += digits;
            continue;
        }
        let slot = match text[i] {
            ' ' => {
                i += 1;
                continue;
            }
            '段' => &mut u.section,
            '巷' => &mut u.lane,
            '弄' => &mut u.alley,
            '号' => &mut u.number,
            'f' => &mut u.floor,
            _ => break,
        };
        *slot = numbers.join("-");
        numbers.clear();
        i += 1;
    }
    // What stands after the floor with nothing after it is the floor's sub-number.
    if !u.floor.is_empty() && !numbers.is_empty() {
        u.floor = format!("{}-{}", u.floor, numbers.join("-"));
    }
    (!u.number.is_empty()).then_some(u)
}

/// The key of an address in English (lower case, spelled out, as [`super::address()`] gives).
fn english(address: &str) -> Option<String> {
    let words: Vec<&str> = address.split_whitespace().collect();
    let city = english_city(&words)?;
    let kind_at = words.iter().position(|w| road_kind(w).is_some())?;
    let kind = road_kind(words[kind_at])?;
    let mut before = kind_at;
    let mut direction = "";
    if before > 0 && matches!(words[before - 1], "east" | "west" | "south" | "north") {
        direction = words[before - 1];
        before -= 1;
    }
    let mut ordinal = String::new();
    if before > 0 {
        if let Some(n) = ordinal_of(words[before - 1]) {
            ordinal = n.to_string();
            before -= 1;
        }
    }
    let start = words[..before]
        .iter()
        .rposition(|w| !w.bytes().all(|b| b.is_ascii_lowercase()) || is_unit_word(w))
        .map_or(0, |p| p + 1);
    if start == before {
        return None;
    }
    let road: String = words[start..before].concat();
    let mut units = units_en(&words);
    // `100 Songren Rd.`: a number right before the road's name, with no `No.` anywhere and
    // no unit before it, is the house number.
    if units.number.is_empty() && start > 0 {
        let n = words[start - 1];
        let unit_before = start >= 2 && is_unit_word(words[start - 2]);
        if n.bytes().all(|b| b.is_ascii_digit()) && !unit_before {
            units.number = n.to_string();
        }
    }
    if units.number.is_empty() {
        return None;
    }
    Some(key(city, &road, direction, &ordinal, kind, &units))
}

fn road_kind(word: &str) -> Option<&'static str> {
    match word {
        "road" => Some("road"),
        "street" => Some("street"),
        "boulevard" | "blvd" | "avenue" => Some("boulevard"),
        _ => None,
    }
}

/// `4th`, `1st`: the number of a road's ordinal.
fn ordinal_of(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    matches!(suffix, "st" | "nd" | "rd" | "th")
        .then(|| digits.parse().ok())
        .flatten()
}

fn is_unit_word(w: &str) -> bool {
    matches!(
        w,
        "number" | "section" | "lane" | "alley" | "floor" | "district" | "city" | "county"
    ) || w.ends_with("village")
}

/// The city or county an English address names (the last one named).
fn english_city(words: &[&str]) -> Option<&'static str> {
    let mut found = None;
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied();
        let county = next == Some("county");
        let city = match *w {
            "taipei" if i > 0 && words[i - 1] == "new" => "new taipei",
            // Taipei County is New Taipei since 2010.
            "taipei" if county => "new taipei",
            "hsinchu" if county => "hsinchu county",
            "hsinchu" => "hsinchu city",
            "chiayi" if county => "chiayi county",
            "chiayi" => "chiayi city",
            "ilan" => "yilan",
            other => match CITIES.iter().find(|(_, en)| *en == other) {
                Some((_, en)) => en,
                None => continue,
            },
        };
        found = Some(city);
    }
    found
}

/// The units of an English address (`5f 2 number 100 1 … lane 12 alley 3 section 4`).
fn units_en(words: &[&str]) -> Units {
    let digits = |w: &&str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    let mut u = Units::default();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).filter(|n| digits(n));
        let slot = match *w {
            "section" => &mut u.section,
            "lane" => &mut u.lane,
            "alley" => &mut u.alley,
            "number" => &mut u.number,
            _ => {
                // A floor (`5f`), with the sub-floor a number right after it when nothing
                // but a unit follows (`5f 2 number 100`, not `5f 100 songren road`).
                let Some(floor) = w.strip_suffix('f').filter(digits) else {
                    continue;
                };
                u.floor = floor.to_string();
                let after = words.get(i + 2).copied();
                if let Some(sub) = next.filter(|_| after.is_none_or(is_unit_word)) {
                    u.floor = format!("{floor}-{sub}");
                }
                continue;
            }
        };
        let Some(n) = next else { continue };
        *slot = n.to_string();
        // A sub-number (`No. 100-1` is `number 100 1`).
        if let Some(sub) = words.get(i + 2).filter(|n| *w == "number" && digits(n)) {
            *slot = format!("{n}-{sub}");
        }
    }
    u
}

#[cfg(test)]
#[path = "place_tests.rs"]
mod tests;
