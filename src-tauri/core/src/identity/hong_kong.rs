//! One street address in Hong Kong written in Chinese or in English:
//! `香港九龍旺角彌敦道123號永安大廈12樓A室` and `Flat A, 12/F, Wing On Building, 123 Nathan
//! Road, Mong Kok` are one place. Hong Kong's English road names are not a reading of the
//! Chinese (彌敦道 is Nathan Road), so a road is known by the list below; the key is the
//! road, the house number, the floor and the flat. The district and the building's name are
//! left out: one form often omits them, and a building's English name is not its Chinese.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::script::fold;

/// Hong Kong's areas whose names are written in one word as often as in several (`Mongkok`,
/// `Mong Kok`), in their words; and the initials some write for them.
pub(super) const AREAS: &[&str] = &[
    "ap lei chau",
    "causeway bay",
    "chai wan",
    "cheung sha wan",
    "chek lap kok",
    "diamond hill",
    "discovery bay",
    "fan ling",
    "fo tan",
    "happy valley",
    "hang hau",
    "ho man tin",
    "hung hom",
    "kennedy town",
    "kowloon bay",
    "kowloon city",
    "kowloon tong",
    "kwai chung",
    "kwai fong",
    "kwun tong",
    "lai chi kok",
    "lai king",
    "lam tin",
    "ma on shan",
    "mei foo",
    "mid levels",
    "mong kok",
    "ngau tau kok",
    "north point",
    "prince edward",
    "quarry bay",
    "repulse bay",
    "sai kung",
    "sai wan ho",
    "sai ying pun",
    "san po kong",
    "sha tin",
    "sham shui po",
    "sham tseng",
    "shau kei wan",
    "shek kip mei",
    "sheung shui",
    "sheung wan",
    "siu sai wan",
    "tai kok tsui",
    "tai koo",
    "tai po",
    "tai wai",
    "tin shui wai",
    "to kwa wan",
    "tseung kwan o",
    "tsim sha tsui",
    "tsing yi",
    "tsuen wan",
    "tsz wan shan",
    "tuen mun",
    "tung chung",
    "wan chai",
    "wong chuk hang",
    "wong tai sin",
    "yau ma tei",
    "yau tong",
    "yuen long",
];

/// Initials written for some of [`AREAS`].
pub(super) const INITIALS: &[(&str, &str)] = &[
    ("tst", "tsim sha tsui"),
    ("cwb", "causeway bay"),
    ("tko", "tseung kwan o"),
    ("ymt", "yau ma tei"),
    ("ssp", "sham shui po"),
];

/// Districts named in one word, which an address in Hong Kong names beside [`AREAS`].
const DISTRICTS: &[&str] = &["central", "admiralty", "jordan", "aberdeen", "stanley"];

/// Roads where Hong Kong's offices and shops are, in Chinese and in English (as
/// [`super::address()`] writes it: lower case, `Rd` spelled out).
const ROADS: &[(&str, &str)] = &[
    // Kowloon
    ("彌敦道", "nathan road"),
    ("廣東道", "canton road"),
    ("北京道", "peking road"),
    ("海防道", "haiphong road"),
    ("漆咸道南", "chatham road south"),
    ("漆咸道北", "chatham road north"),
    ("柯士甸道", "austin road"),
    ("佐敦道", "jordan road"),
    ("加連威老道", "granville road"),
    ("金巴利道", "kimberley road"),
    ("麼地道", "mody road"),
    ("上海街", "shanghai street"),
    ("亞皆老街", "argyle street"),
    ("西洋菜南街", "sai yeung choi street south"),
    ("砵蘭街", "portland street"),
    ("花園街", "fa yuen street"),
    ("通菜街", "tung choi street"),
    ("太子道西", "prince edward road west"),
    ("太子道東", "prince edward road east"),
    ("界限街", "boundary street"),
    ("窩打老道", "waterloo road"),
    ("長沙灣道", "cheung sha wan road"),
    ("荔枝角道", "lai chi kok road"),
    ("青山道", "castle peak road"),
    ("觀塘道", "kwun tong road"),
    ("開源道", "hoi yuen road"),
    ("鴻圖道", "hung to road"),
    ("巧明街", "how ming street"),
    ("偉業街", "wai yip street"),
    ("成業街", "shing yip street"),
    ("宏光道", "wang kwong road"),
    ("宏照道", "wang chiu road"),
    ("常悅道", "sheung yuet road"),
    ("葵涌道", "kwai chung road"),
    ("德士古道", "texaco road"),
    ("沙咀道", "sha tsui road"),
    ("山尾街", "shan mei street"),
    ("坳背灣街", "au pui wan street"),
    ("加拿芬道", "carnarvon road"),
    ("金馬倫道", "cameron road"),
    ("漢口道", "hankow road"),
    ("亞士厘道", "ashley road"),
    ("寶勒巷", "prat avenue"),
    ("赫德道", "hart avenue"),
    ("梳士巴利道", "salisbury road"),
    ("科學館道", "science museum road"),
    ("九龍公園徑", "kowloon park drive"),
    ("登打士街", "dundas street"),
    ("奶路臣街", "nelson street"),
    ("豉油街", "soy street"),
    ("旺角道", "mong kok road"),
    ("元州街", "un chau street"),
    ("長順街", "cheung shun street"),
    ("土瓜灣道", "to kwa wan road"),
    ("馬頭圍道", "ma tau wai road"),
    ("啟祥道", "kai cheung road"),
    ("常怡道", "sheung yee road"),
    ("臨興街", "lam hing street"),
    ("宏開道", "wang hoi road"),
    ("海濱道", "hoi bun road"),
    ("敬業街", "king yip street"),
    ("駿業街", "tsun yip street"),
    ("興業街", "hing yip street"),
    ("雙喜街", "sheung hei street"),
    // The New Territories' business areas
    ("大連排道", "tai lin pai road"),
    ("葵豐街", "kwai fung crescent"),
    ("葵昌路", "kwai cheong road"),
    ("楊屋道", "yeung uk road"),
    ("柴灣角街", "chai wan kok street"),
    ("源順圍", "yuen shun circuit"),
    ("小瀝源路", "siu lek yuen road"),
    ("科學園路", "science park road"),
    ("沙田正街", "sha tin center street"),
    ("屯門鄉事會路", "tuen mun heung sze wui road"),
    // Hong Kong Island
    ("皇后大道中", "queens road central"),
    ("皇后大道東", "queens road east"),
    ("皇后大道西", "queens road west"),
    ("德輔道中", "des voeux road central"),
    ("德輔道西", "des voeux road west"),
    ("干諾道中", "connaught road central"),
    ("干諾道西", "connaught road west"),
    ("畢打街", "pedder street"),
    ("雪廠街", "ice house street"),
    ("雲咸街", "wyndham street"),
    ("威靈頓街", "wellington street"),
    ("荷李活道", "hollywood road"),
    ("堅道", "caine road"),
    ("般咸道", "bonham road"),
    ("軒尼詩道", "hennessy road"),
    ("駱克道", "lockhart road"),
    ("謝斐道", "jaffe road"),
    ("告士打道", "gloucester road"),
    ("港灣道", "harbour road"),
    ("莊士敦道", "johnston road"),
    ("怡和街", "yee wo street"),
    ("希慎道", "hysan avenue"),
    ("波斯富街", "percival street"),
    ("英皇道", "kings road"),
    ("渣華道", "java road"),
    ("電氣道", "electric road"),
    ("黃竹坑道", "wong chuk hang road"),
    ("香葉道", "heung yip road"),
    ("夏慤道", "harcourt road"),
    ("金鐘道", "queensway"),
    ("遮打道", "chater road"),
    ("花園道", "garden road"),
    ("都爹利街", "duddell street"),
    ("德己立街", "daguilar street"),
    ("擺花街", "lyndhurst terrace"),
    ("士丹利街", "stanley street"),
    ("永樂街", "wing lok street"),
    ("文咸東街", "bonham strand east"),
    ("文咸西街", "bonham strand west"),
    ("蘇杭街", "jervois street"),
    ("林士街", "rumsey street"),
    ("摩利臣街", "morrison street"),
    ("菲林明道", "fleming road"),
    ("盧押道", "luard road"),
    ("史釗域道", "stewart road"),
    ("柯布連道", "obrien road"),
    ("灣仔道", "wan chai road"),
    ("禮頓道", "leighton road"),
    ("百德新街", "paterson street"),
    ("利園山道", "lee garden road"),
    ("羅素街", "russell street"),
    ("勿地臣街", "matheson street"),
    ("記利佐治街", "great george street"),
    ("堅拿道東", "canal road east"),
    ("堅拿道西", "canal road west"),
    ("天后廟道", "tin hau temple road"),
    ("糖廠街", "tong chong street"),
    ("太古灣道", "taikoo wan road"),
    ("華蘭路", "westlands road"),
    ("七姊妹道", "tsat tsz mui road"),
    ("數碼港道", "cyberport road"),
    ("柴灣道", "chai wan road"),
    ("新業街", "sun yip street"),
    ("利眾街", "lee chung street"),
];

/// The key of one address in Hong Kong (`address` in the form [`super::address()`] gives,
/// `written` as it was written), or none when it names none of the roads above or no house
/// number on it. An address in English must also name Hong Kong beside its road: an area
/// ([`AREAS`], [`DISTRICTS`]) in the form, or a region or the country as written
/// ([`names_hong_kong`]). Gloucester Road and King's Road are in London too.
pub fn place(address: &str, written: &str) -> Option<String> {
    if address.is_ascii() {
        english(address, written)
    } else {
        chinese(address)
    }
}

/// Whether an address as written names Hong Kong or one of its regions: `Kowloon`, `KLN`,
/// `New Territories`, `Hong Kong` (or `Hongkong`), `HK`, `H.K.` (in any case, anywhere in
/// it). The form [`super::address()`] gives cuts them, as one way of writing an address
/// leaves them out. `N.T.` alone is not enough: Australia's Northern Territory is written so
/// too.
fn names_hong_kong(written: &str) -> bool {
    let lower = written.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words
        .iter()
        .any(|w| matches!(*w, "kowloon" | "kln" | "hongkong" | "hk" | "hksar"))
        || words
            .windows(2)
            .any(|w| matches!(w, ["hong", "kong"] | ["new", "territories"] | ["h", "k"]))
}

fn key(road: &str, number: &str, floor: &str, flat: &str) -> String {
    format!("hk|{road}|{number}|{floor}|{flat}")
}

/// A floor as [`super::address()`] writes it: `12f`, `gf`, `lgf`, `ugf`.
fn is_floor(w: &str) -> bool {
    matches!(w, "gf" | "lgf" | "ugf")
        || w.strip_suffix('f')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `unit a 12f wing on building 123 nathan road mong kok` (`written` read only when no area
/// stands beside a known road, for the region or the country the form has cut).
fn english(address: &str, written: &str) -> Option<String> {
    static SPLIT: OnceLock<Vec<(Vec<&'static str>, &'static str)>> = OnceLock::new();
    let roads = SPLIT.get_or_init(|| {
        ROADS
            .iter()
            .map(|(_, en)| (en.split(' ').collect(), *en))
            .collect()
    });
    let words: Vec<&str> = address.split_whitespace().collect();
    let (at, road) = roads
        .iter()
        .filter_map(|(road, en)| {
            let at = words
                .windows(road.len())
                .position(|w| w == road.as_slice())?;
            Some((at, *en))
        })
        // The longest name first: `queens road central`, not `queens road`.
        .max_by_key(|(_, en)| en.len())?;
    let number = at
        .checked_sub(1)
        .map(|i| words[i])
        .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))?;
    let length = road.split(' ').count();
    let outside: Vec<&str> = words[..at]
        .iter()
        .chain(&words[at + length..])
        .copied()
        .collect();
    let in_hong_kong = AREAS.iter().chain(DISTRICTS).any(|area| {
        let area: Vec<&str> = area.split(' ').collect();
        outside.windows(area.len()).any(|w| w == area.as_slice())
    });
    if !in_hong_kong && !names_hong_kong(written) {
        return None;
    }
    let floor = words.iter().find(|w| is_floor(w)).copied().unwrap_or("");
    let flat = words
        .windows(2)
        .find(|w| w[0] == "unit")
        .map_or("", |w| w[1]);
    Some(key(road, number, floor, flat))
}

/// `旺角彌敦道123號永安大廈12fa室` (folded to one script first).
fn chinese(address: &str) -> Option<String> {
    static FOLDED: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let roads = FOLDED.get_or_init(|| ROADS.iter().map(|(zh, en)| (fold(zh), *en)).collect());
    let text = fold(address);
    // The longest name first: `皇后大道中`, not a shorter road inside it.
    let (end, road) = roads
        .iter()
        .filter_map(|(zh, en)| {
            text.find(zh.as_str())
                .map(|at| (at + zh.len(), zh.len(), *en))
        })
        .max_by_key(|(_, len, _)| *len)
        .map(|(end, _, en)| (end, en))?;
    let rest = &text[end..];
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let number = &rest[..digits];
    let rest = &rest[digits..];
    // The floor: the first `12f` after the house number, or 地下 (the ground floor).
    let chars: Vec<char> = rest.chars().collect();
    let mut floor = String::new();
    let mut flat = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let n: String = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if chars.get(i + n.len()) == Some(&'f') {
                floor = format!("{n}f");
                i += n.len() + 1;
                break;
            }
        }
        if chars[i..].starts_with(&['地', '下']) {
            floor = "gf".into();
            i += 2;
            break;
        }
        i += 1;
    }
    if !floor.is_empty() {
        // The flat after its floor: `12fa室`, `12f3室`, `12fa`.
        flat = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
    }
    Some(key(road, number, &floor, &flat))
}
