//! Chinese characters spelled in Hanyu Pinyin without tones, the way Taiwan's road signs
//! and many company names in English spell them: `松仁` is `songren`, `速雲` is `suyun`. A
//! character with several readings (`重` is `zhong` or `chong`) gives a spelling for each,
//! the most common first, up to [`MOST_SPELLINGS`]; then each in Wade-Giles, as older
//! English addresses write Taiwan's roads (`忠孝` is `Chung Hsiao`).

use std::collections::HashMap;
use std::sync::OnceLock;

/// Chinese characters and their Mandarin readings without tones (see its header).
const READINGS: &str = include_str!("readings.txt");

/// The most readings of one text spelled (its characters' readings combined), each in Hanyu
/// Pinyin and in Wade-Giles.
pub(crate) const MOST_SPELLINGS: usize = 8;

fn readings() -> &'static HashMap<char, Vec<&'static str>> {
    static MAP: OnceLock<HashMap<char, Vec<&'static str>>> = OnceLock::new();
    MAP.get_or_init(|| {
        READINGS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut words = l.split(' ');
                let c = words.next()?.chars().next()?;
                Some((c, words.collect()))
            })
            .collect()
    })
}

/// The spellings of `chars` run together (`songren`), the one every character's most
/// common reading gives first, then the same readings in Wade-Giles as older English
/// addresses and names in Taiwan write them (`忠孝` is `zhongxiao`, then `chunghsiao`);
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
    for r in &readings {
        let older: String = r.iter().map(|s| wade_giles(s)).collect();
        if !out.contains(&older) {
            out.push(older);
        }
    }
    out
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
        assert!(spellings(&chars("長重長重長重長重")).len() <= 2 * MOST_SPELLINGS);
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
}
