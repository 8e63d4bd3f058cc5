//! The brand of a company name: what an English name has before its words of trade
//! ("Apex Cloud" in "Apex Cloud Trading Ltd") and a Chinese name before its (速雲 in
//! 速雲資訊科技股份有限公司), and a Chinese brand spelled each way its characters read.
//! Each function has a form taking the name as [`super::names`] writes it for comparison,
//! so a name compared several ways is read once.

use super::names::{is_chinese, written_company};
use super::script::fold;
use std::sync::OnceLock;

/// A Chinese name's brand ([`chinese_brand`]) spelled each way its characters read: in
/// pinyin and the other Mandarin spellings (`速雲` is `suyun`), then by its Cantonese sound
/// as Hong Kong writes it (`永隆` is `winglung`); none for a name without a Chinese brand.
pub fn brand_spelled(raw: &str) -> Vec<String> {
    spelled_of(&written_company(raw))
}

/// [`brand_spelled`] of a name's written form ([`written_company`]).
pub(super) fn spelled_of(written: &str) -> Vec<String> {
    chinese_brand_of(written).map_or_else(Vec::new, |b| {
        let chars: Vec<char> = b.chars().collect();
        let mut out = super::pinyin::spellings(&chars);
        for s in super::cantonese::spellings(&chars) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    })
}

/// Words of trade an English company name ends with after its brand.
const TRADES_EN: &[&str] = &[
    "trading",
    "traders",
    "trade",
    "services",
    "service",
    "solutions",
    "solution",
    "technology",
    "technologies",
    "tech",
    "systems",
    "consulting",
    "consultants",
    "software",
    "computing",
    "networks",
    "network",
    "digital",
    "media",
    "marketing",
    "logistics",
    "studio",
    "studios",
    "labs",
    "group",
    "holdings",
    "enterprises",
    "enterprise",
    "international",
    "intl",
    "global",
    "ventures",
    "partners",
    "works",
    "online",
    "information",
    "info",
    "electronics",
    "communications",
    "design",
    "engineering",
    "management",
    "development",
    "properties",
    "property",
    "realty",
];

/// Words and places too common in English names to be a brand of their own (with the
/// words of trade: "Cloud Services" and "Global Trading" have no brand).
const NOT_A_BRAND_EN: &[&str] = &[
    "cloud",
    "data",
    "web",
    "net",
    "it",
    "smart",
    "asia",
    "asian",
    "pacific",
    "world",
    "universal",
    "united",
    "general",
    "first",
    "best",
    "new",
    "east",
    "west",
    "north",
    "south",
    "china",
    "formosa",
    "taipei",
    "kaohsiung",
    "taichung",
    "tainan",
    "taoyuan",
    "hsinchu",
    "keelung",
    "hong",
    "kong",
    "singapore",
    "japan",
];

/// The brand of an English company name: its words before the words of trade it ends with
/// ("Apex Cloud Trading Ltd" → "apex cloud", "ApexCloud Services" → "apexcloud"), as
/// written but for case; None when it ends with no word of trade, or when what is left is
/// only common words and places ("Cloud Services", "Taipei Trading").
pub fn english_brand(raw: &str) -> Option<String> {
    english_brand_of(&written_company(raw))
}

/// [`english_brand`] of a name's written form ([`written_company`]).
pub(super) fn english_brand_of(c: &str) -> Option<String> {
    if c.chars().any(is_chinese) {
        return None;
    }
    let words: Vec<&str> = c.split_whitespace().collect();
    let kept = words.iter().rposition(|w| !TRADES_EN.contains(w))? + 1;
    let brand = &words[..kept];
    let common = |w: &&str| TRADES_EN.contains(w) || NOT_A_BRAND_EN.contains(w);
    (kept < words.len() && !brand.iter().all(common)).then(|| brand.join(" "))
}

/// Words of trade a Chinese company name ends with after its brand, longest first.
const TRADES: &[&str] = &[
    "國際貿易",
    "資訊科技",
    "地產發展",
    "企業社",
    "工作室",
    "集團",
    "洋行",
    "地產",
    "置業",
    "物業",
    "發展",
    "科技",
    "貿易",
    "資訊",
    "服務",
    "數位",
    "國際",
    "實業",
    "企業",
    "網路",
    "網絡",
    "電子",
    "顧問",
    "管理",
    "行銷",
    "設計",
    "開發",
    "系統",
    "軟體",
    "雲端",
    "電腦",
    "通訊",
    "工程",
    "商行",
    "物流",
    "生技",
    "傳播",
    "媒體",
    "文化",
    "投資",
    "控股",
    "能源",
    "娛樂",
    "遊戲",
    "餐飲",
    "建設",
    "商店",
];

/// Places and words too common in names to be a brand of their own.
const NOT_A_BRAND: &[&str] = &[
    "台灣",
    "台北",
    "新北",
    "桃園",
    "台中",
    "台南",
    "高雄",
    "基隆",
    "新竹",
    "苗栗",
    "彰化",
    "南投",
    "雲林",
    "嘉義",
    "屏東",
    "宜蘭",
    "花蓮",
    "台東",
    "澎湖",
    "金門",
    "馬祖",
    "中華",
    "中國",
    "亞洲",
    "國際",
    "全球",
    "世界",
    "東方",
    "亞太",
    "香港",
    "大中華",
    "台灣國際",
];

/// The brand of a Chinese company name: what is left of its compared form (no legal form)
/// once the words of trade after it are taken off (速雲資訊科技股份有限公司 → 速雲), when
/// that is two Chinese characters or more and not a place (台北科技 has none). None for a
/// name with Latin letters or spaces, or without a word of trade.
pub fn chinese_brand(raw: &str) -> Option<String> {
    chinese_brand_of(&written_company(raw))
}

/// [`chinese_brand`] of a name's written form ([`written_company`]).
pub(super) fn chinese_brand_of(written: &str) -> Option<String> {
    if written.is_empty() || !written.chars().all(is_chinese) {
        return None;
    }
    // Words of trade and places are found in either script: `资讯` is `資訊`. The fold is
    // one character for one, so the brand is the same number of characters as written.
    let c = fold(written);
    static FOLDED_TRADES: OnceLock<Vec<String>> = OnceLock::new();
    static FOLDED_PLACES: OnceLock<Vec<String>> = OnceLock::new();
    let trades = FOLDED_TRADES.get_or_init(|| TRADES.iter().map(|t| fold(t)).collect());
    let places = FOLDED_PLACES.get_or_init(|| NOT_A_BRAND.iter().map(|p| fold(p)).collect());
    let mut brand = c.as_str();
    while let Some(rest) = trades.iter().find_map(|t| brand.strip_suffix(t.as_str())) {
        if rest.chars().count() < 2 {
            break;
        }
        brand = rest;
    }
    let distinct = brand != c && !places.iter().any(|p| p == brand);
    let kept = brand.chars().count();
    distinct.then(|| written.chars().take(kept).collect())
}
