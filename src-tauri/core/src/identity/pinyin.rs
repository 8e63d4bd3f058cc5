//! Chinese characters spelled in Hanyu Pinyin without tones, the way Taiwan's road signs
//! and many company names in English spell them: `松仁` is `songren`, `速雲` is `suyun`. A
//! character with several readings (`重` is `zhong` or `chong`) gives a spelling for each,
//! the most common first, up to [`MOST_SPELLINGS`].

use std::collections::HashMap;
use std::sync::OnceLock;

/// Chinese characters and their Mandarin readings without tones (see its header).
const READINGS: &str = include_str!("readings.txt");

/// The most spellings one text gives (its characters' readings combined).
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
/// common reading gives first; none when a character has no reading in the table.
pub(crate) fn spellings(chars: &[char]) -> Vec<String> {
    let table = readings();
    let mut spellings = vec![String::new()];
    for c in chars {
        let Some(options) = table.get(c) else {
            return Vec::new();
        };
        spellings = spellings
            .iter()
            .flat_map(|s| options.iter().map(move |o| format!("{s}{o}")))
            .take(MOST_SPELLINGS)
            .collect();
    }
    spellings
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
        assert_eq!(spellings(&chars("松仁")), ["songren"]);
        assert_eq!(spellings(&chars("速雲")), ["suyun"]);
        assert_eq!(spellings(&chars("速云")), ["suyun"]);
        let chongqing = spellings(&chars("重慶"));
        assert_eq!(chongqing[0], "zhongqing");
        assert!(chongqing.contains(&"chongqing".to_string()));
        assert!(spellings(&chars("長重長重長重長重")).len() <= MOST_SPELLINGS);
        assert!(spellings(&chars("𠀋")).is_empty());
        assert_eq!(spellings(&[]), [""]);
    }
}
