//! Chinese in either script compared as one: `速雲科技` and `速云科技`, `資訊` and `资讯`.
//! A sign-up written in simplified characters is the same name or address as one written
//! in traditional. Each character becomes its simplified form, one character for one
//! (so a position in the folded text is the same position in the text as written), from
//! the Unicode Character Database's table ([`TABLE`]). The fold is many to one (`發` and
//! `髮` are both `发`), so it is only ever a form to compare in: what RiskDesk shows is
//! what was written. A Cyrillic or Greek letter drawn like a Latin one is that Latin letter
//! (see [`latin_look_alike`]).

use std::collections::HashMap;
use std::sync::OnceLock;

/// Traditional characters and their simplified forms, a pair a line (see its header).
const TABLE: &str = include_str!("simplified.txt");

fn simplified() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut c = l.chars();
                Some((c.next()?, c.next()?))
            })
            .collect()
    })
}

/// A Cyrillic or Greek letter drawn like a Latin one, as that Latin letter (`Cоntoso` with a
/// Cyrillic `о` is `Contoso`): a sign-up can borrow another script's letter to look like a
/// customer while not matching it. Only letters that look the same in both cases of common
/// fonts (Unicode's confusables for Latin); any other is itself.
pub(crate) fn latin_look_alike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'е' => 'e',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'һ' => 'h',
        'ν' => 'v',
        'κ' => 'k',
        'υ' => 'u',
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'Е' | 'Ε' => 'E',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Н' | 'Η' => 'H',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'С' => 'C',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' => 'Y',
        'І' | 'Ι' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        'Ζ' => 'Z',
        'Ν' => 'N',
        _ => return None,
    })
}

/// One character in the form it is compared in.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    if let Some(latin) = latin_look_alike(c) {
        return latin;
    }
    simplified().get(&c).copied().unwrap_or(c)
}

/// `text` with every traditional Chinese character as its simplified form; anything else
/// as it is. As many characters as `text`.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    text.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_pairs_of_two_chinese_characters_each_once_and_final() {
        let mut seen = std::collections::HashSet::new();
        let mut pairs = 0;
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let c: Vec<char> = line.chars().collect();
            assert_eq!(c.len(), 2, "{line:?}");
            assert_ne!(c[0], c[1], "{line:?}");
            assert!(seen.insert(c[0]), "{} twice", c[0]);
            // Folding is done in one step: a simplified form is never folded again.
            assert_eq!(fold_char(c[1]), c[1], "{line:?}");
            pairs += 1;
        }
        assert!(pairs > 2500, "{pairs}");
        assert_eq!(simplified().len(), pairs);
    }

    #[test]
    fn traditional_and_simplified_fold_to_one_form() {
        for (a, b) in [
            ("速雲科技", "速云科技"),
            ("臺北市", "台北市"),
            ("資訊服務", "资讯服务"),
            ("忠孝東路四段100號5樓", "忠孝东路四段100号5楼"),
            ("股份有限公司", "股份有限公司"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} / {b}");
            assert_eq!(fold(a).chars().count(), a.chars().count());
        }
        assert_eq!(fold("速雲"), "速云");
        // Anything not Chinese is as written: Latin, kana, full-width forms, digits.
        for t in [
            "Apex Cloud Ltd.",
            "株式会社テスト",
            "ＡＢＣ１２３",
            "",
            "100-1 號",
        ] {
            assert_eq!(fold(t).chars().count(), t.chars().count());
        }
        assert_eq!(fold("Apex Cloud Ltd."), "Apex Cloud Ltd.");
        assert_eq!(fold("ＡＢＣ"), "ＡＢＣ");
        assert_ne!(fold("速雲"), fold("速電"));
    }
}
