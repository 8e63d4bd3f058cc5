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

/// The keys of one place (`address` in the form [`super::address()`] gives), or none when it
/// is not a Taiwanese or Hong Kong street address this can read. A Taiwanese address in
/// English has one key; one in Chinese a key for each reading of its road's name, the most
/// common first. An address in Hong Kong has one (by its road, house number, floor and
/// flat).
pub fn place(address: &str) -> Vec<String> {
    let taiwan = if address.is_ascii() {
        english(address).into_iter().collect()
    } else {
        chinese(address)
    };
    if taiwan.is_empty() {
        super::hong_kong::place(address).into_iter().collect()
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
mod tests {
    use super::super::address;
    use super::*;

    fn keys(written: &str) -> Vec<String> {
        place(&address(written))
    }

    /// Whether the English form's key is one of the Chinese form's.
    fn one_place(chinese: &str, english: &str) -> bool {
        let en = keys(english);
        assert_eq!(en.len(), 1, "{english}: {en:?}");
        keys(chinese).contains(&en[0])
    }

    #[test]
    fn a_place_in_chinese_is_the_place_in_english() {
        for (chinese, english) in [
            (
                "110台北市信義區松仁路100號5樓",
                "5F., No. 100, Songren Rd., Xinyi Dist., Taipei City 110, Taiwan (R.O.C.)",
            ),
            (
                "臺北市信義區松仁路一百之一號五樓之二",
                "5F-2, No. 100-1, Songren Rd., Xinyi Dist., Taipei City",
            ),
            // Simplified characters, no district, the floor spelled out in English.
            (
                "台北市松仁路100号5楼",
                "No. 100, Song-ren Road, 5th Floor, Xinyi District, Taipei",
            ),
            (
                "台北市大安區忠孝東路四段12巷3弄7號",
                "No. 7, Aly. 3, Ln. 12, Sec. 4, Zhongxiao E. Rd., Da'an Dist., Taipei City 106",
            ),
            (
                "高雄市前金區中正四路211號",
                "No. 211, Zhongzheng 4th Rd., Qianjin Dist., Kaohsiung City",
            ),
            (
                "台中市西屯區台灣大道三段99號",
                "No. 99, Sec. 3, Taiwan Blvd., Xitun Dist., Taichung City",
            ),
            // A county's city is its district; a village and its neighbourhood are left out.
            (
                "新竹縣竹北市東平里5鄰光明六路100號",
                "No. 100, Guangming 6th Rd., Zhubei City, Hsinchu County 302",
            ),
            // Older English, in Wade-Giles.
            (
                "台北市大安區忠孝東路四段12巷3弄7號",
                "No. 7, Aly. 3, Ln. 12, Sec. 4, Chung Hsiao E. Rd., Taipei",
            ),
            (
                "台北市信義區信義路五段7號",
                "No. 7, Sec. 5, Hsin Yi Rd., Taipei City",
            ),
            // 重 is most often read zhong; in this road's name it is chong.
            (
                "台北市中正區重慶南路一段122號",
                "No. 122, Sec. 1, Chongqing S. Rd., Zhongzheng Dist., Taipei City",
            ),
            (
                "新北市板橋區文化路一段100號",
                "No. 100, Sec. 1, Wenhua Rd., New Taipei City",
            ),
            // The house number before the road, as elsewhere in the world.
            ("台北市松仁路100號5樓", "5F, 100 Songren Rd., Taipei"),
            (
                "台北市忠孝東路四段12巷7號",
                "Ln. 12, 7 Zhongxiao E. Rd. Sec. 4, Taipei",
            ),
            (
                "宜蘭縣宜蘭市中山路二段1號",
                "No. 1, Sec. 2, Zhongshan Rd., Yilan City, Ilan County",
            ),
            // Tongyong Pinyin, as Kaohsiung's signs spelled roads from 2002.
            (
                "高雄市苓雅區四維三路2號",
                "No. 2, Sihwei 3rd Rd., Lingya Dist., Kaohsiung City",
            ),
            (
                "高雄市新興區七賢一路249號10樓",
                "10F., No. 249, Cisian 1st Rd., Sinsing Dist., Kaohsiung City",
            ),
            (
                "高雄市三民區九如一路100號",
                "No. 100, Jiouru 1st Rd., Sanmin Dist., Kaohsiung",
            ),
            (
                "高雄市前鎮區中華五路789號",
                "No. 789, Jhonghua 5th Rd., Cianjhen Dist., Kaohsiung City",
            ),
            (
                "台中市西區民權路100號",
                "No. 100, Mincyuan Rd., West Dist., Taichung City",
            ),
            (
                "高雄市鳳山區自強一路3號",
                "No. 3, Zihciang 1st Rd., Fongshan Dist., Kaohsiung City",
            ),
            // The post office's older spellings, and a road named for a person.
            (
                "台北市中山區南京東路二段100號",
                "No. 100, Sec. 2, Nanking E. Rd., Taipei",
            ),
            (
                "台北市松山區八德路四段1號",
                "No. 1, Sec. 4, Pa Teh Rd., Taipei",
            ),
            (
                "台北市大安區敦化南路一段2號",
                "No. 2, Sec. 1, Tun Hwa S. Rd., Taipei",
            ),
            (
                "台北市信義區基隆路一段3號",
                "No. 3, Sec. 1, Keelung Rd., Taipei",
            ),
            (
                "台北市中正區羅斯福路四段1號",
                "No. 1, Sec. 4, Roosevelt Rd., Taipei",
            ),
            (
                "台北市中正區杭州南路一段15號",
                "No. 15, Sec. 1, Hangchow S. Rd., Taipei",
            ),
        ] {
            assert!(
                one_place(chinese, english),
                "{chinese} ~ {english}: {:?} {:?}",
                keys(chinese),
                keys(english)
            );
        }
    }

    /// A district of one, two or three characters, one ending in a character that also
    /// ends districts (平鎮區, 新市區), a village, or none: the same place.
    #[test]
    fn a_district_or_village_written_or_not_is_one_place() {
        for (with, without) in [
            ("高雄市前鎮區中山二路5號", "高雄市中山二路5號"),
            ("桃園市平鎮區中豐路10號", "桃園市中豐路10號"),
            ("台南市新市區中興街3號", "台南市中興街3號"),
            ("台中市東區建成路8號", "台中市建成路8號"),
            ("屏東縣太麻里鄉中山路2號", "屏東縣中山路2號"),
            ("新竹縣竹北市東平里5鄰光明六路100號", "新竹縣光明六路100號"),
            ("台北市中正區市民大道一段100號", "台北市市民大道一段100號"),
        ] {
            let k = keys(with);
            assert!(!k.is_empty(), "{with}");
            assert_eq!(k, keys(without), "{with} ~ {without}");
        }
        assert_eq!(
            keys("台北市市民大道一段100號")[0],
            "taipei|shimin||boulevard|1|||100|"
        );
    }

    /// A city written without its 市 or 縣, and a county merged into its city in 2010
    /// (Taipei County is New Taipei), in Chinese or in English.
    #[test]
    fn a_city_without_its_suffix_or_by_its_former_name_is_the_city() {
        for (a, b) in [
            ("台北信義區松仁路100號", "台北市信義區松仁路100號"),
            ("台北縣板橋市文化路一段100號", "新北市板橋區文化路一段100號"),
            (
                "No. 100, Sec. 1, Wenhua Rd., Banqiao City, Taipei County",
                "新北市文化路一段100號",
            ),
            ("高雄縣鳳山市光遠路10號", "高雄市鳳山區光遠路10號"),
            ("新竹光復路二段101號", "新竹市東區光復路二段101號"),
        ] {
            assert!(!keys(a).is_empty(), "{a}");
            assert!(keys(a).iter().any(|k| keys(b).contains(k)), "{a} ~ {b}");
        }
        assert_ne!(keys("台北縣文化路一段100號"), keys("台北市文化路一段100號"));
    }

    #[test]
    fn another_number_section_lane_floor_road_or_city_is_another_place() {
        let english = "5F., No. 100, Sec. 1, Songren Rd., Taipei City";
        for chinese in [
            "台北市信義區松仁路一段101號5樓",
            "台北市信義區松仁路二段100號5樓",
            "台北市信義區松仁路一段3巷100號5樓",
            "台北市信義區松仁路一段100號6樓",
            "台北市信義區松仁路一段100號5樓之1",
            "台北市信義區松仁街一段100號5樓",
            "台北市信義區松仁東路一段100號5樓",
            "新北市信義區松仁路一段100號5樓",
            "台北市信義區松山路一段100號5樓",
        ] {
            assert!(!keys(chinese).is_empty(), "{chinese}");
            assert!(!one_place(chinese, english), "{chinese}");
        }
        assert!(one_place("台北市信義區松仁路一段100號5樓", english));
        assert_ne!(
            keys("No. 1, Zhongshan Rd., Hsinchu City"),
            keys("No. 1, Zhongshan Rd., Hsinchu County")
        );
        assert_ne!(
            keys("No. 1, Zhongshan Rd., Taipei City"),
            keys("No. 1, Zhongshan Rd., New Taipei City")
        );
        assert!(!one_place(
            "台北市中山區中山北路二段1號",
            "No. 1, Sec. 2, Zhongshan S. Rd., Taipei City"
        ));
    }

    #[test]
    fn only_a_taiwanese_street_address_with_a_number_has_a_key() {
        for written in [
            "100 Main Street, Springfield",
            "No. 100, Songren Rd., Xinyi Dist.",
            "Songren Rd., Taipei City",
            "Sec. 4, Zhongxiao E. Rd., Taipei City",
            "台北市信義區",
            "台北市信義區松仁路",
            "信義區松仁路100號",
            "東京都港区六本木1丁目4番5号",
            "上海市浦东新区世纪大道100号",
            "",
            "台北市信義區𠀋路100號",
        ] {
            assert!(keys(written).is_empty(), "{written}: {:?}", keys(written));
        }
    }

    proptest::proptest! {
        /// Any text, Chinese, English or neither, gives a bounded number of keys, each of
        /// the same shape (Taiwan's, or Hong Kong's one key), and never panics.
        #[test]
        fn any_text_gives_at_most_a_few_keys(text in "[台北市新竹縣區路街段巷弄號樓之一二三四東南彌敦道香港九龍旺角地下室 a-zA-Z0-9.,/-]{0,40}") {
            let k = keys(&text);
            proptest::prop_assert!(k.len() <= super::super::pinyin::MOST_WRITTEN);
            for key in &k {
                let bars = if key.starts_with("hk|") { 4 } else { 8 };
                proptest::prop_assert_eq!(key.matches('|').count(), bars, "{}", key);
            }
        }

        /// Hong Kong's words among any others: no panic, and one key at most.
        #[test]
        fn any_text_around_a_hong_kong_road_gives_one_key_at_most(
            words in proptest::collection::vec(
                "(nathan|road|queens|central|mong|kok|g/f|12/f|flat|a|123|hk|n.t.|彌敦道|123號|12樓|A室|地下|香港|九龍|[a-z0-9]{1,3})",
                0..12,
            )
        ) {
            let k = keys(&words.join(" "));
            proptest::prop_assert!(k.len() <= 1 || !k[0].starts_with("hk|"), "{:?}", k);
        }
    }

    #[test]
    fn a_road_read_several_ways_gives_a_bounded_number_of_keys_most_common_first() {
        let k = keys("台北市中正區重慶南路一段122號");
        assert_eq!(k[0], "taipei|zhongqing|south|road|1|||122|");
        assert!(k.contains(&"taipei|chongqing|south|road|1|||122|".to_string()));
        let long = keys("台北市長重長重長重路1號");
        assert!(
            !long.is_empty() && long.len() <= super::super::pinyin::MOST_WRITTEN,
            "{long:?}"
        );
    }
}
