//! One person's name however it is written: `王小明`, `王小明 先生`, `Wang Hsiao-Ming`,
//! `Hsiao-Ming Wang`, `WANG, HSIAO MING` and `Xiaoming Wang` are one contact. A name in
//! Chinese is spelled in every way [`super::pinyin::spellings`] knows (Hanyu Pinyin,
//! Wade-Giles as Taiwan's passports mostly write it, Tongyong, postal), its surname also in
//! the forms common in Taiwan, Hong Kong and Singapore (`李` is `Lee`, `陳` is `Tan` or
//! `Chan`); a name in English is read surname first or last, as either is usual.
//!
//! Different characters are different names even when they sound alike (`王小明` and
//! `王曉明` are two people); a name in English can only say how it sounds, so it is the
//! Chinese name it spells.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::script::fold;

/// Surnames of two characters, and the English forms of surnames past their readings (see
/// its header).
const SURNAMES: &str = include_str!("surnames.txt");

/// The two-character surnames, and the other English forms of one-character ones.
struct Surnames {
    double: Vec<Vec<char>>,
    written: HashMap<char, Vec<&'static str>>,
}

fn surnames() -> &'static Surnames {
    static TABLE: OnceLock<Surnames> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Surnames {
            double: Vec::new(),
            written: HashMap::new(),
        };
        for line in SURNAMES.lines().filter(|l| !l.starts_with('#')) {
            let mut words = line.split(' ');
            let surname: Vec<char> = fold(words.next().unwrap_or_default()).chars().collect();
            match surname.as_slice() {
                [one] => {
                    table.written.insert(*one, words.collect());
                }
                [_, _] => table.double.push(surname),
                _ => {}
            }
        }
        table
    })
}

/// What people write before or after a name that is no part of it.
const TITLES_EN: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam"];
const TITLES_ZH: &str = "先生 小姐 女士 太太 總經理 經理 董事長 負責人 老闆";

/// Words of a role or a placeholder written where a person's name goes (`Accounts Payable`,
/// `IT Department`, `會計部`, `財務窗口`): many firms write them, so they are nobody's name.
const ROLES_EN: &str = concat!(
    "accounts accounting account payable receivable finance financial billing admin ",
    "administrator administration it department dept team office manager management support ",
    "sales purchasing procurement hr operations ops reception desk owner director ceo cfo cto ",
    "general contact info service services customer helpdesk unknown none na tbd test staff ",
    "person charge ",
);
const ROLES_ZH: &str =
    "部 處 室 組 課 會計 財務 總務 採購 行政 窗口 人員 主管 客服 業務 資訊 聯絡 承辦 管理 公司";

/// The keys of one person's name (`surname|given`, in Latin letters), the first the form
/// the name is compared in: for a name in Chinese its characters (in one script), then each
/// spelling; for one in English each way to read it. None for a name this cannot read (one
/// word, more than four, digits, or a Chinese name not of two to four characters), nor for
/// a role written instead of a name (`Accounts Payable`, `財務部`).
pub fn person(raw: &str) -> Vec<String> {
    let text = super::name_text(raw).to_lowercase();
    let han: Vec<char> = text
        .chars()
        .filter(|c| super::names::is_chinese(*c))
        .collect();
    if !han.is_empty() {
        return chinese(&han);
    }
    english(&super::names::unaccented(&text))
}

/// [`ROLES_ZH`] and [`TITLES_ZH`] in the script names are compared in, once.
fn chinese_words() -> &'static (Vec<String>, Vec<Vec<char>>) {
    static WORDS: OnceLock<(Vec<String>, Vec<Vec<char>>)> = OnceLock::new();
    WORDS.get_or_init(|| {
        let roles = ROLES_ZH.split(' ').map(fold).collect();
        let titles = TITLES_ZH
            .split(' ')
            .map(|t| fold(t).chars().collect())
            .collect();
        (roles, titles)
    })
}

fn chinese(han: &[char]) -> Vec<String> {
    let written = fold(&han.iter().collect::<String>());
    let (roles, titles) = chinese_words();
    if roles.iter().any(|r| written.contains(r.as_str())) {
        return Vec::new();
    }
    let folded: Vec<char> = written.chars().collect();
    let mut name: &[char] = &folded;
    for t in titles {
        if name.len() > t.len() + 1 {
            if let Some(rest) = name.strip_suffix(&t[..]).or(name.strip_prefix(&t[..])) {
                name = rest;
            }
        }
    }
    if !(2..=4).contains(&name.len()) {
        return Vec::new();
    }
    let table = surnames();
    let double = name.len() >= 3 && table.double.iter().any(|d| d[..] == name[..2]);
    let (surname, given) = name.split_at(if double { 2 } else { 1 });
    let mut surnames = super::pinyin::spellings(surname);
    if let Some(more) = surname.first().and_then(|c| table.written.get(c)) {
        for s in more.iter().filter(|_| surname.len() == 1) {
            if !surnames.iter().any(|known| known == s) {
                surnames.push(s.to_string());
            }
        }
    }
    let givens = super::pinyin::spellings(given);
    let mut keys = vec![format!(
        "{}|{}",
        surname.iter().collect::<String>(),
        given.iter().collect::<String>()
    )];
    // Each spelling once: the surnames are, and so are the given names.
    for s in &surnames {
        keys.extend(givens.iter().map(|g| format!("{s}|{g}")));
    }
    if surnames.is_empty() || givens.is_empty() {
        keys.truncate(1);
    }
    // As Hong Kong and Macau write it: the whole name by its Cantonese sound (`陳大文` is
    // `Chan Tai Man`), the surname also in the table's forms.
    let given_yue = super::cantonese::spellings(given);
    let mut surname_yue = super::cantonese::spellings(surname);
    if let Some(more) = surname.first().and_then(|c| table.written.get(c)) {
        surname_yue.extend(
            more.iter()
                .filter(|_| surname.len() == 1)
                .map(|s| s.to_string()),
        );
    }
    let mut seen: std::collections::HashSet<String> = keys.iter().cloned().collect();
    for s in &surname_yue {
        for g in &given_yue {
            let key = format!("{s}|{g}");
            if seen.insert(key.clone()) {
                keys.push(key);
            }
        }
    }
    keys
}

fn is_role(words: &[String]) -> bool {
    words
        .iter()
        .any(|w| ROLES_EN.split_whitespace().any(|r| r == w))
}

fn english(text: &str) -> Vec<String> {
    // `Wang, Hsiao-Ming`: the surname before the comma.
    let words_of = |part: &str| -> Vec<String> {
        part.split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| !matches!(c, '-' | '\'' | '.' | '\u{2019}'))
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty() && !TITLES_EN.contains(&w.as_str()))
            .collect()
    };
    let all_letters = |words: &[String]| {
        words
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
    };
    let key = |surname: &str, given: &[String]| format!("{surname}|{}", given.concat());
    if let Some((before, after)) = text.split_once(',') {
        let surname = words_of(before);
        let given = words_of(after);
        if surname.len() != 1 || given.is_empty() || given.len() > 3 {
            return Vec::new();
        }
        if !all_letters(&surname) || !all_letters(&given) || is_role(&surname) || is_role(&given) {
            return Vec::new();
        }
        return vec![key(&surname[0], &given)];
    }
    let words = words_of(text);
    let n = words.len();
    if !(2..=4).contains(&n) || !all_letters(&words) || is_role(&words) {
        return Vec::new();
    }
    let mut keys = vec![
        key(&words[n - 1], &words[..n - 1]),
        key(&words[0], &words[1..]),
    ];
    // An English given name before the Chinese one (`David Hsiao-Ming Wang`).
    if n >= 3 {
        keys.push(key(&words[n - 1], &words[1..n - 1]));
        // ... and before the surname, as Hong Kong writes it (`Michael Hui Koon-man`); only
        // for a first word no Chinese syllable is spelled (`Wang Hsiao Ming` is no `Hsiao`).
        if !is_syllable(&words[0]) {
            keys.push(key(&words[1], &words[2..]));
        }
    }
    keys.dedup();
    keys
}

/// Whether `word` spells one Chinese character in any way [`super::pinyin::spellings`] or
/// [`super::cantonese::spellings`] knows.
fn is_syllable(word: &str) -> bool {
    static SYLLABLES: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    SYLLABLES
        .get_or_init(|| {
            super::pinyin::characters()
                .flat_map(|c| {
                    let mut spelled = super::pinyin::spellings(&[c]);
                    spelled.extend(super::cantonese::spellings(&[c]));
                    spelled
                })
                .collect()
        })
        .contains(word)
}

/// A name a bank printed with characters hidden (`*`, `○`, `Ｏ`, `X`...), without its spaces:
/// each character as compared (half width, in one script), or None where it is hidden; and
/// how many are shown. None when a character shown is not Chinese.
fn hidden_pattern(text: &str) -> Option<(Vec<Option<char>>, usize)> {
    let hidden = |c: char| "*○〇●◯◎×﹡✱OoXx".contains(c);
    let pattern: Vec<Option<char>> = super::half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| (!hidden(c)).then(|| super::script::fold_char(c)))
        .collect();
    let shown: Vec<char> = pattern.iter().flatten().copied().collect();
    shown
        .iter()
        .all(|c| super::names::is_chinese(*c))
        .then_some((pattern, shown.len()))
}

/// What a Taiwanese bank prints for a private payer's name with part of it hidden (`林*芬`,
/// `林○芬`, `王Ｏ明`, `陳XX`): each character as compared, or None where it is hidden. None when
/// the text is not such a name (two to four characters, Chinese or hidden, at least one of each).
pub fn masked_person(payer: &str) -> Option<Vec<Option<char>>> {
    let (pattern, shown) = hidden_pattern(payer)?;
    ((2..=4).contains(&pattern.len()) && shown > 0 && shown < pattern.len()).then_some(pattern)
}

/// What a bank prints for a company's name in Chinese with some characters hidden
/// (`雲＊科技股份有限公司`, `雲橋○○股份有限公司`, `雲橋科技(股)公Ｏ`): each character as a legal
/// name is compared ([`super::legal_name`]: `(股)` written out), or None where it is
/// hidden. None when the text is no such name: five characters or more, Chinese where shown,
/// the first one shown, at least half shown, at least one hidden.
pub fn masked_company(payer: &str) -> Option<Vec<Option<char>>> {
    // `(股)公司` written out, its last character hidden or not.
    let text = super::half_width(payer).replace("(股)", "股份有限");
    let (pattern, shown) = hidden_pattern(&text)?;
    (pattern.len() >= 5
        && pattern[0].is_some()
        && shown < pattern.len()
        && shown * 2 >= pattern.len())
    .then_some(pattern)
}

/// Whether a legal name (as [`super::legal_name`] writes it) is the masked company `pattern`:
/// the same characters where they are shown, as many of them, or (a bank cutting the name
/// short) its first ones, six at least.
pub fn masked_company_fits(pattern: &[Option<char>], legal: &str) -> bool {
    let name: Vec<char> = legal.chars().filter(|c| !c.is_whitespace()).collect();
    let fits = |n: &[char]| {
        pattern
            .iter()
            .zip(n)
            .all(|(p, c)| p.is_none_or(|p| p == *c))
    };
    match name.len().cmp(&pattern.len()) {
        std::cmp::Ordering::Equal => fits(&name),
        std::cmp::Ordering::Greater => pattern.len() >= 6 && fits(&name[..pattern.len()]),
        std::cmp::Ordering::Less => false,
    }
}

/// Whether `name` (a contact person as written) is the masked payer `pattern`: as many
/// Chinese characters, the same where they are shown, in either script.
pub fn masked_matches(pattern: &[Option<char>], name: &str) -> bool {
    let name: Vec<char> = super::half_width(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(super::script::fold_char)
        .collect();
    name.len() == pattern.len()
        && name.iter().all(|c| super::names::is_chinese(*c))
        && pattern
            .iter()
            .zip(&name)
            .all(|(p, c)| p.is_none_or(|p| p == *c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether two written names share a key, as the look-alike rule links them.
    fn one_person(a: &str, b: &str) -> bool {
        let b = person(b);
        person(a).iter().any(|k| b.contains(k))
    }

    #[test]
    fn a_name_in_chinese_is_the_name_spelled_in_english_either_way_round() {
        for (chinese, english) in [
            ("王小明", "Wang Hsiao-Ming"),
            ("王小明", "Hsiao-Ming Wang"),
            ("王小明", "WANG, HSIAO MING"),
            ("王小明", "Xiaoming Wang"),
            ("王小明", "Mr. Wang Xiao Ming"),
            ("王小明", "David Hsiao-Ming Wang"),
            ("王小明 先生", "Wang Siao-Ming"),
            ("王小明", "Wong Hsiao Ming"),
            ("陳建宏", "Chen Chien-Hung"),
            ("陈建宏", "Chien-Hung Chen"),
            ("陳建宏", "Tan Jianhong"),
            ("李怡君", "Lee Yi-Chun"),
            ("張志豪", "Chang Chih-Hao"),
            ("張志豪", "Jhang Jhih-Hao"),
            ("歐陽志明", "Ouyang Chih-Ming"),
            ("林淑芬 小姐", "Ms. Lin Shu-Fen"),
        ] {
            assert!(
                one_person(chinese, english),
                "{chinese} ~ {english}: {:?} {:?}",
                person(chinese),
                person(english)
            );
        }
    }

    /// Hong Kong's and Macau's English names spell the Cantonese sound, in the government's
    /// romanisation with its usual variants, whichever way round and however joined.
    #[test]
    fn a_hong_kong_name_is_its_chinese_name_by_its_cantonese_sound() {
        for (chinese, english) in [
            ("陳大文", "CHAN Tai Man"),
            ("陳大文", "Tai Man Chan"),
            ("陳大文", "Chan Tai-man"),
            ("陈大文", "CHAN, Tai Man"),
            ("張志明", "Cheung Chi Ming"),
            ("張志明", "Tseung Tsz Ming"),
            ("黃嘉欣", "Wong Ka Yan"),
            ("李家豪", "Lee Ka Ho"),
            ("吳詠詩", "Ng Wing Sze"),
            ("徐潤發", "Tsui Yun Fat"),
            ("周潤發", "Chow Yun-fat"),
            ("梁美玲", "Leung Mei Ling"),
            ("楊月華", "Yeung Yuet Wah"),
            ("何國強", "Ho Kwok Keung"),
            ("葉志偉", "Yip Chi Wai"),
            ("許冠文", "Michael Hui Koon Man"),
            ("李嘉誠", "Li Ka-shing"),
        ] {
            assert!(
                one_person(chinese, english),
                "{chinese} ~ {english}: {:?} {:?}",
                person(chinese),
                person(english)
            );
        }
        // Other sounds are other people: another given name, another surname.
        for (chinese, english) in [
            ("陳大文", "Chan Tai Ming"),
            ("陳大文", "Wong Tai Man"),
            ("張志明", "Cheung Chi Wai"),
            ("謝志明", "Sze Chi Ming"),
        ] {
            assert!(!one_person(chinese, english), "{chinese} ~ {english}");
        }
    }

    #[test]
    fn the_surname_table_is_two_characters_or_one_with_its_english_forms() {
        let lines: Vec<&str> = SURNAMES.lines().filter(|l| !l.starts_with('#')).collect();
        for line in &lines {
            let mut words = line.split(' ');
            let surname: Vec<char> = words.next().unwrap_or_default().chars().collect();
            let forms: Vec<&str> = words.collect();
            let ok = match surname.len() {
                2 => forms.is_empty(),
                1 => {
                    !forms.is_empty()
                        && forms
                            .iter()
                            .all(|f| f.bytes().all(|b| b.is_ascii_lowercase()))
                }
                _ => false,
            };
            assert!(ok && surname.iter().all(|c| !c.is_ascii()), "{line:?}");
        }
        let t = surnames();
        assert_eq!(
            t.double.len() + t.written.len(),
            lines.len(),
            "each surname once"
        );
    }

    #[test]
    fn a_name_written_twice_in_one_script_is_one_name() {
        assert!(one_person("王小明", "王 小明"));
        assert!(one_person("王小明", "王小明經理"));
        assert!(one_person("王小明", "負責人 王小明"));
        assert!(one_person("王小明", "王小明負責人"));
        assert!(one_person("王小明", "王小明"));
        assert!(one_person("張志豪", "张志豪"));
        assert!(one_person("Hsiao-Ming Wang", "WANG HSIAO MING"));
        assert!(one_person("Hsiao-Ming Wang", "Wang, Hsiao-Ming"));
        assert!(one_person("José Núñez", "Jose Nunez"));
        assert!(one_person("John Smith", "SMITH, John"));
    }

    #[test]
    fn another_name_is_another_person() {
        // Alike in sound, two names in Chinese: the first is the form compared.
        assert_ne!(person("王小明")[0], person("王曉明")[0]);
        for (a, b) in [
            ("王小明", "Wang Hsiao-Wei"),
            ("王小明", "Lin Hsiao-Ming"),
            ("王小明", "Wang Ming"),
            // Three words, surname first: the second is no surname (`蕭明` is `Hsiao Ming`).
            ("蕭明", "Wang Hsiao Ming"),
            ("陳建宏", "Chen Chien"),
            ("John Smith", "Jane Smith"),
            ("John Smith", "John Smithson"),
        ] {
            assert!(!one_person(a, b), "{a} ~ {b}");
        }
    }

    proptest::proptest! {
        /// Any text, a name or not, in any script, never panics and gives keys of one shape.
        #[test]
        fn any_text_gives_keys_of_a_surname_and_a_given_name(text in "[王小明陳歐陽先生 a-zA-Z,.'-]{0,24}") {
            for key in person(&text) {
                proptest::prop_assert_eq!(key.matches('|').count(), 1, "{}", key);
                proptest::prop_assert!(!key.starts_with('|') && !key.ends_with('|'), "{}", key);
            }
        }
    }

    #[test]
    fn what_is_no_person_s_name_has_no_key() {
        for none in [
            "",
            "王",
            "Accounts",
            "王小明王小明",
            "Room 5",
            "IT Dept. 2",
            "a b c d e",
            "=1+2",
            "<b>Wang</b>",
            "Smith,",
            // A role or a placeholder, in English or Chinese, in either script.
            "Accounts Payable",
            "IT Department",
            "Finance Team",
            "Billing Contact",
            "N/A",
            "Person in charge",
            "Office Manager",
            "Accounts, Payable",
            "會計部",
            "财务窗口",
            "資訊部 王",
            "採購人員",
            "總務處",
        ] {
            assert!(person(none).is_empty(), "{none:?}: {:?}", person(none));
        }
    }
}
