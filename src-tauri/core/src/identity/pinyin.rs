//! Chinese characters spelled in Hanyu Pinyin without tones, the way Taiwan's road signs
//! and many company names in English spell them: `松仁` is `songren`, `速雲` is `suyun`. A
//! character with several readings (`重` is `zhong` or `chong`) gives a spelling for each,
//! the most common first, up to [`MOST_SPELLINGS`]; then each in Wade-Giles, as older
//! English addresses write Taiwan's roads (`忠孝` is `Chung Hsiao`); in Tongyong Pinyin, as
//! Kaohsiung's and Taichung's signs spelled them from 2002 (`忠孝` is `Jhongsiao`, `四維` is
//! `Sihwei`); and in the post office's older spellings (`南京` is `Nanking`, `八德` is
//! `Pa Teh`, `敦化` is `Tun Hwa`).

use std::collections::HashMap;
use std::sync::OnceLock;

/// Chinese characters and their Mandarin readings without tones (see its header).
const READINGS: &str = include_str!("readings.txt");

/// The most readings of one text spelled (its characters' readings combined), each in Hanyu
/// Pinyin, Wade-Giles, Tongyong Pinyin and the postal spelling.
pub(crate) const MOST_SPELLINGS: usize = 8;

/// The most spellings [`spellings`] gives: each reading in four systems, and a translation.
#[cfg(test)]
pub(crate) const MOST_WRITTEN: usize = 4 * MOST_SPELLINGS + 1;

/// Characters the post office spelled otherwise than Wade-Giles, as Taipei's older English
/// addresses still write them (`南京東路` is `Nanking E. Rd.`, `杭州南路` is
/// `Hangchow S. Rd.`, `中華路` is `Chung Hwa Rd.`, `承德路` is `Cheng Teh Rd.`, `基隆路` is
/// `Keelung Rd.`).
const POSTAL: &[(char, &str)] = &[
    ('京', "king"),
    ('州', "chow"),
    ('華', "hwa"),
    ('华', "hwa"),
    ('化', "hwa"),
    ('德', "teh"),
    ('基', "kee"),
];

/// Names written in English by their meaning or namesake, not by their sound (`羅斯福路` is
/// `Roosevelt Rd.`).
const TRANSLATED: &[(&str, &str)] = &[("羅斯福", "roosevelt"), ("罗斯福", "roosevelt")];

fn readings() -> &'static HashMap<char, Vec<&'static str>> {
    static MAP: OnceLock<HashMap<char, Vec<&'static str>>> = OnceLock::new();
    MAP.get_or_init(|| table(READINGS))
}

/// A table of readings: each line a character and its readings, `#` lines its header.
pub(crate) fn table(text: &'static str) -> HashMap<char, Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split(' ');
            let c = words.next()?.chars().next()?;
            Some((c, words.collect()))
        })
        .collect()
}

/// The characters the table reads.
pub(crate) fn characters() -> impl Iterator<Item = char> {
    readings().keys().copied()
}

/// The spellings of `chars` run together (`songren`), the one every character's most
/// common reading gives first, then the same readings in Wade-Giles as older English
/// addresses and names in Taiwan write them (`忠孝` is `zhongxiao`, then `chunghsiao`), in
/// Tongyong Pinyin (`jhongsiao`) and as the post office spelled them (`南京` is `nanking`);
/// none when a character has no reading in the table.
pub(crate) fn spellings(chars: &[char]) -> Vec<String> {
    let table = readings();
    let mut readings: Vec<Vec<&str>> = vec![Vec::new()];
    for c in chars {
        let Some(options) = table.get(c) else {
            return Vec::new();
        };
        readings = readings
            .iter()
            .flat_map(|r| {
                options.iter().map(move |o| {
                    let mut next = r.clone();
                    next.push(*o);
                    next
                })
            })
            .take(MOST_SPELLINGS)
            .collect();
    }
    let mut out: Vec<String> = readings.iter().map(|r| r.concat()).collect();
    let mut add = |spelled: String| {
        if !out.contains(&spelled) {
            out.push(spelled);
        }
    };
    for r in &readings {
        add(r.iter().map(|s| wade_giles(s)).collect());
    }
    for r in &readings {
        add(r.iter().map(|s| tongyong(s)).collect());
    }
    for r in &readings {
        let postal = |(c, s): (&char, &&str)| match POSTAL.iter().find(|(p, _)| p == c) {
            Some((_, written)) => written.to_string(),
            None => wade_giles(s),
        };
        add(chars.iter().zip(r).map(postal).collect());
    }
    let text: String = chars.iter().collect();
    if let Some((_, name)) = TRANSLATED.iter().find(|(zh, _)| *zh == text) {
        add(name.to_string());
    }
    out
}

/// One syllable of Hanyu Pinyin (no tone) in Tongyong Pinyin, as Taiwan's official
/// romanization from 2002 to 2008 wrote it and many signs in Kaohsiung and Taichung still
/// do (`zhong` is `jhong`, `xin` is `sin`, `qing` is `cing`, `si` is `sih`, `jiu` is
/// `jiou`, `feng` is `fong`, `quan` is `cyuan`).
fn tongyong(syllable: &str) -> String {
    match syllable {
        "zhi" => return "jhih".to_string(),
        "chi" | "shi" | "ri" | "zi" | "ci" | "si" => return format!("{syllable}h"),
        "wen" => return "wun".to_string(),
        "weng" => return "wong".to_string(),
        _ => {}
    }
    let from = ["zh", "ch", "sh"]
        .into_iter()
        .find(|p| syllable.starts_with(p))
        .unwrap_or_else(|| {
            let first = syllable.get(..1).unwrap_or("");
            if "bpmfdtnlgkhjqxrzcsyw".contains(first) {
                first
            } else {
                ""
            }
        });
    let initial = match from {
        "zh" => "jh",
        "q" => "c",
        "x" => "s",
        other => other,
    };
    let rest = &syllable[from.len()..];
    let fin = match rest {
        // After j, q and x a written u is u with umlaut: `ju` is `jyu`, `xuan` is `syuan`.
        r if r.starts_with('u') && matches!(from, "j" | "q" | "x") => format!("y{r}"),
        "iong" if matches!(from, "j" | "q" | "x") => "yong".to_string(),
        "iu" => "iou".to_string(),
        "ui" => "uei".to_string(),
        _ if matches!(syllable, "beng" | "peng" | "meng" | "feng") => {
            return format!("{}ong", &syllable[..1]);
        }
        other => other.to_string(),
    };
    format!("{initial}{fin}")
}

/// One syllable of Hanyu Pinyin (no tone) in Wade-Giles as it is written in English today,
/// without its apostrophes and umlauts (`zhong` is `chung`, `xiao` is `hsiao`, `qing` is
/// `ching`, `ren` is `jen`, `guo` is `kuo`).
fn wade_giles(syllable: &str) -> String {
    let whole = match syllable {
        "zhi" | "chi" => Some("chih"),
        "shi" => Some("shih"),
        "ri" => Some("jih"),
        "zi" | "ci" => Some("tzu"),
        "si" => Some("ssu"),
        "er" => Some("erh"),
        "you" => Some("yu"),
        "yan" => Some("yen"),
        "ye" => Some("yeh"),
        "yue" => Some("yueh"),
        "yong" => Some("yung"),
        "e" => Some("o"),
        "gui" | "kui" => Some("kuei"),
        _ => None,
    };
    if let Some(w) = whole {
        return w.to_string();
    }
    let (initial, last) = [
        ("zh", "ch"),
        ("ch", "ch"),
        ("sh", "sh"),
        ("b", "p"),
        ("p", "p"),
        ("d", "t"),
        ("t", "t"),
        ("g", "k"),
        ("k", "k"),
        ("j", "ch"),
        ("q", "ch"),
        ("x", "hs"),
        ("z", "ts"),
        ("c", "ts"),
        ("r", "j"),
        ("s", "s"),
        ("l", "l"),
        ("m", "m"),
        ("n", "n"),
        ("f", "f"),
        ("h", "h"),
        ("w", "w"),
        ("y", "y"),
    ]
    .iter()
    .find_map(|(p, w)| syllable.strip_prefix(p).map(|rest| (*w, rest)))
    .unwrap_or(("", syllable));
    let from = &syllable[..syllable.len() - last.len()];
    let fin = match last {
        "ong" => "ung",
        "iong" => "iung",
        "ian" => "ien",
        "ie" => "ieh",
        "ue" => "ueh",
        // `ge`, `ke`, `he` are `ko`, `ko`, `ho`.
        "e" if matches!(from, "g" | "k" | "h") => "o",
        // `duo` is `to`, `luo` is `lo`, `zuo` is `tso`; `guo` stays `kuo`.
        "uo" if matches!(from, "d" | "t" | "n" | "l" | "z" | "c" | "s") => "o",
        "uo" if matches!(from, "zh" | "ch" | "r") => "o",
        other => other,
    };
    format!("{initial}{fin}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_characters_with_one_to_three_readings_each_once() {
        let mut seen = std::collections::HashSet::new();
        for line in READINGS.lines().filter(|l| !l.starts_with('#')) {
            let mut words = line.split(' ');
            let c: Vec<char> = words.next().unwrap_or_default().chars().collect();
            assert!(c.len() == 1 && !c[0].is_ascii(), "{line:?}");
            assert!(seen.insert(c[0]), "{} twice", c[0]);
            let readings: Vec<&str> = words.collect();
            assert!((1..=3).contains(&readings.len()), "{line:?}");
            for r in readings {
                assert!(
                    !r.is_empty() && r.bytes().all(|b| b.is_ascii_lowercase()),
                    "{line:?}"
                );
            }
        }
        assert!(seen.len() > 6000, "{}", seen.len());
    }

    #[test]
    fn a_text_is_spelled_by_its_readings_most_common_first() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        assert_eq!(spellings(&chars("松仁")), ["songren", "sungjen"]);
        assert_eq!(spellings(&chars("速雲")), ["suyun"]);
        assert_eq!(spellings(&chars("速云")), ["suyun"]);
        let chongqing = spellings(&chars("重慶"));
        assert_eq!(chongqing[0], "zhongqing");
        assert!(chongqing.contains(&"chongqing".to_string()));
        assert!(spellings(&chars("長重長重長重長重")).len() <= MOST_WRITTEN);
        // Wade-Giles, as older English addresses spell Taipei's roads (信義 as Hsin Yi).
        for (text, older) in [
            ("忠孝", "chunghsiao"),
            ("仁愛", "jenai"),
            ("信義", "hsinyi"),
            ("松江", "sungchiang"),
            ("建國", "chienkuo"),
            ("重慶", "chungching"),
            ("復興", "fuhsing"),
            ("羅斯", "lossu"),
            ("貴陽", "kueiyang"),
            ("哥德", "kote"),
        ] {
            assert!(
                spellings(&chars(text)).contains(&older.to_string()),
                "{text}: {:?}",
                spellings(&chars(text))
            );
        }
        assert!(spellings(&chars("𠀋")).is_empty());
        assert_eq!(spellings(&[]), [""]);
    }

    #[test]
    fn a_text_is_spelled_in_tongyong_pinyin_and_as_the_post_office_spelled_it() {
        let spelled = |s: &str| spellings(&s.chars().collect::<Vec<char>>());
        for (text, written) in [
            // Tongyong Pinyin: zh j, q c, x s, a syllable of zhi chi shi ri zi ci si ending
            // in h, ü after j q x as yu, iu iou, ui uei, eng after b p m f ong, wen wun.
            ("忠孝", "jhongsiao"),
            ("中正", "jhongjheng"),
            ("信義", "sinyi"),
            ("四維", "sihwei"),
            ("自強", "zihciang"),
            ("知識", "jhihshih"),
            ("七賢", "cisian"),
            ("九如", "jiouru"),
            ("民權", "mincyuan"),
            ("居仁", "jyuren"),
            ("高雄", "gaosyong"),
            ("桂林", "gueilin"),
            ("鳳山", "fongshan"),
            ("文化", "wunhua"),
            // The post office's: Nanking, Hangchow, Chung Hwa, Tun Hwa, Pa Teh, Keelung.
            ("南京", "nanking"),
            ("杭州", "hangchow"),
            ("中華", "chunghwa"),
            ("中华", "chunghwa"),
            ("敦化", "tunhwa"),
            ("八德", "pateh"),
            ("基隆", "keelung"),
            ("羅斯福", "roosevelt"),
        ] {
            assert!(
                spelled(text).contains(&written.to_string()),
                "{text}: {:?}",
                spelled(text)
            );
        }
        // The Hanyu Pinyin spelling stays first, and a spelling is given once.
        assert_eq!(spelled("四維")[0], "siwei");
        assert_eq!(spelled("中正"), ["zhongzheng", "chungcheng", "jhongjheng"]);
        // A syllable with no Tongyong difference is spelled as in Hanyu Pinyin.
        for same in ["ba", "dun", "lun", "yu", "yuan", "gong", "jian", "er", "a"] {
            assert_eq!(tongyong(same), same);
        }
    }
}
