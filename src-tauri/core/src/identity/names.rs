//! Company names however they are written: the form an import finds a customer by
//! ([`legal_name`], which keeps the legal form), the form look-alikes are compared in
//! ([`company`], without it), their similarity and the stem that groups look-alikes (a
//! name's brand is read in [`super::brands`]); Chinese in either script ([`fold`]).

use super::brands::{chinese_brand_of, english_brand_of, spelled_of};
use super::name_text as half_width;
use super::script::fold;

/// A legal name in the form records are matched in (an import's row to the customer it
/// names): half-width, lower case, Chinese in one script (`臺` and `台`, `雲` and `云` are
/// one: [`fold`]), punctuation as spaces, single spaces (none between Chinese characters).
/// The legal form stays, in one spelling: `Acme Ltd.`, `ACME LIMITED` and `Acme, Ltd` are
/// one, and so are `Co.` and `Company`, `&` and `and`, `L.L.C.` and `LLC`, `Pte. Ltd.`,
/// `Private Limited` and `Pvt Ltd`, `Sdn. Bhd.` and `Sendirian Berhad`, `(股)公司` and
/// `股份有限公司`, `Café` and `CAFE` (a bank's payer name has no accents), with a leading
/// `The` or without; `Acme Inc` is another.
pub fn legal_name(raw: &str) -> String {
    // Abbreviated forms in their full spelling: Japan's (株) and ㈱, Korea's (주) and ㈜
    // (Korean writes a space after 주식회사; one is put around it either way).
    let text = fold(&unaccented(&half_width(raw).to_lowercase()))
        .replace("(股)公司", "股份有限公司")
        .replace("(株)", "株式会社")
        .replace('㈱', "株式会社")
        .replace("(주)", "주식회사")
        .replace('㈜', "주식회사")
        .replace("주식회사", " 주식회사 ")
        .replace('&', " and ");
    let words = without_the(initials(text.split(|c: char| !c.is_alphanumeric())));
    let spelled: Vec<&str> = words
        .iter()
        .map(|w| match w.as_str() {
            "limited" => "ltd",
            "company" => "co",
            "incorporated" => "inc",
            "corporation" => "corp",
            "sendirian" => "sdn",
            "berhad" => "bhd",
            other => other,
        })
        .collect();
    // `Private Limited` and `Pvt Ltd` are Singapore's `Pte Ltd` (and India's).
    let private = |i: usize| spelled.get(i + 1) == Some(&"ltd");
    joined(spelled.iter().enumerate().map(|(i, w)| match *w {
        "private" | "pvt" if private(i) => "pte",
        other => other,
    }))
}

/// Latin letters without their accents (`café` is `cafe`, `Tōkyō` is `tokyo`, Vietnamese
/// `phần mềm việt đức` is `phan mem viet duc`): banks and many forms drop them, so a name is
/// compared without. Only Latin letters are decomposed: Hangul and kana stay whole.
pub(super) fn unaccented(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'đ' | 'Đ' => out.push('d'),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => {
                unicode_normalization::char::decompose_canonical(c, |d| {
                    if !('\u{0300}'..='\u{036F}').contains(&d) {
                        out.push(d);
                    }
                });
            }
            other => out.push(other),
        }
    }
    out
}

/// The words without a leading `the` (`The Apex Cloud Company` is `Apex Cloud Company`),
/// unless it is all but one word of the name (`The Lab`).
fn without_the(mut words: Vec<String>) -> Vec<String> {
    if words.len() > 2 && words[0] == "the" {
        words.remove(0);
    }
    words
}

/// The words that are not empty, a run of single letters as one word: `L.L.C.`, `K.K.`,
/// `A. B. C.` are `llc`, `kk`, `abc` (`A.B.C. Trading` is `ABC Trading`).
fn initials<'a>(words: impl Iterator<Item = &'a str>) -> Vec<String> {
    let letter = |w: &str| w.len() == 1 && w.as_bytes()[0].is_ascii_alphabetic();
    let mut out: Vec<String> = Vec::new();
    let mut after_letter = false;
    for w in words.filter(|w| !w.is_empty()) {
        match out.last_mut() {
            Some(last) if after_letter && letter(w) => last.push_str(w),
            _ => out.push(w.to_string()),
        }
        after_letter = letter(w);
    }
    out
}

/// Words joined by single spaces, but none between two Chinese characters (`台北 雲端` is
/// `台北雲端`: Chinese is written without spaces, and a space typed in it means nothing).
pub(crate) fn joined<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for w in words {
        let together = out.chars().next_back().is_some_and(is_chinese)
            && w.chars().next().is_some_and(is_chinese);
        if !out.is_empty() && !together {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Legal-form words and suffixes left out of a company name when names are compared.
const LEGAL_WORDS: &[&str] = &[
    "ltd",
    "limited",
    "co",
    "company",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "bv",
    "pte",
    "pty",
    "kk",
    "pvt",
    "sdn",
    "sendirian",
    "bhd",
    "berhad",
    "taiwan",
    "branch",
    // Indonesia (PT, listed Tbk, CV), Vietnam (TNHH, JSC), Thailand (PCL), a partnership
    // (LLP), Brazil (Ltda), Japan (GK).
    "pt",
    "tbk",
    "cv",
    "tnhh",
    "jsc",
    "pcl",
    "llp",
    "ltda",
    "gk",
];
const LEGAL_SUFFIXES: &[&str] = &[
    "有限責任公司",
    "有限责任公司",
    "股份有限公司",
    "(股)公司",
    "有限公司",
    "分公司",
    "公司",
    "株式会社",
    "(株)",
    "㈱",
    "合同会社",
    "有限会社",
    "有限會社",
    "주식회사",
    "(주)",
    "㈜",
    "유한회사",
];

/// A character of each of [`LEGAL_SUFFIXES`].
const SUFFIX_MARKS: [char; 8] = ['公', '会', '會', '株', '㈱', '주', '㈜', '유'];

/// A company name as compared: half-width, lower case, `&` as `and`, no punctuation, no
/// legal form, no space between two Chinese characters (a bank's `王 小明` is `王小明`), and
/// Chinese in one script (`速雲` and `速云` are one: [`fold`]).
pub fn company(raw: &str) -> String {
    fold(&written_company(raw))
}

/// [`company`] as written: its Chinese in the script it was written in (what a reason shows).
pub(super) fn written_company(raw: &str) -> String {
    let mut text = unaccented(
        &half_width(raw)
            .replace('臺', "台")
            .replace('&', " and ")
            .to_lowercase(),
    );
    // Every legal suffix has one of these characters: most names have none, and are not
    // searched for each suffix (a quarter of the time scoring takes in a large book).
    if text.contains(SUFFIX_MARKS) {
        // A branch is its company: `速雲資訊股份有限公司台北分公司` is `速雲資訊`, without the
        // branch's place after the company's own legal form.
        if let Some(branch) = text.find("分公司") {
            if let Some(parent) = text[..branch].rfind("公司") {
                text.truncate(parent + "公司".len());
            }
        }
        for s in LEGAL_SUFFIXES {
            if text.contains(s) {
                text = text.replace(s, " ");
            }
        }
    }
    let spaced: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words = without_the(initials(spaced.split_whitespace()));
    // Words that are a legal form only beside another: `Private Limited`, Thailand's
    // `Public Company Limited`, Vietnam's `Công ty` (company) and `Cổ phần` (joint stock).
    // Elsewhere they are the name's own (`Public Cloud`, `Cong Nghe`).
    let word = |i: usize| words.get(i).map(String::as_str);
    let legal = |i: usize| match words[i].as_str() {
        w if LEGAL_WORDS.contains(&w) => true,
        "private" => matches!(word(i + 1), Some("ltd" | "limited")),
        "public" => matches!(word(i + 1), Some("co" | "company" | "ltd" | "limited")),
        "cong" => word(i + 1) == Some("ty"),
        "ty" => i > 0 && word(i - 1) == Some("cong"),
        "phan" => i > 0 && word(i - 1) == Some("co"),
        _ => false,
    };
    joined(
        (0..words.len())
            .filter(|i| !legal(*i))
            .map(|i| words[i].as_str()),
    )
}

/// How alike two company names are, from 0 to 1 (Jaro-Winkler of their compared forms);
/// 0 when either is empty.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    similarity(&written_company(a), &written_company(b))
}

/// [`name_similarity`] of two names' written forms ([`written_company`]).
fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (fold(a), fold(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    strsim::jaro_winkler(&a, &b)
}

/// The part of a compared name that a batch of look-alike names shares: the brand of a
/// Chinese name ([`super::brands::chinese_brand`]) or of an English one
/// ([`super::brands::english_brand`]: "apex cloud" in "Apex Cloud Trading"), else all its
/// words but the last when there are at least three ("apex cloud foods" → "apex cloud"),
/// else the whole name. Used to group candidates
/// before their similarity is scored; look-alikes compare stems without their spaces
/// ("ApexCloud" is "Apex Cloud").
pub fn name_stem(raw: &str) -> String {
    stem_of(&written_company(raw))
}

/// [`name_stem`] of a name's written form ([`written_company`]).
fn stem_of(c: &str) -> String {
    if let Some(brand) = chinese_brand_of(c).or_else(|| english_brand_of(c)) {
        return brand;
    }
    let words: Vec<&str> = c.split_whitespace().collect();
    if words.len() >= 3 {
        words[..words.len() - 1].join(" ")
    } else {
        c.to_string()
    }
}

/// Whether a name's stem can group look-alikes: a stem of several words ("apex cloud"), or
/// a whole name of one word ("contoso": the same name under another legal form), of four
/// letters or more (three Chinese characters); or a Chinese brand of two characters or
/// more. A shorter stem, or the first word of a longer name, is too common to mean anything.
pub fn stem_groups(raw: &str, stem: &str) -> bool {
    groups_of(&written_company(raw), stem)
}

/// [`stem_groups`] of a name's written form ([`written_company`]).
fn groups_of(c: &str, stem: &str) -> bool {
    if chinese_brand_of(c).is_some() {
        return true;
    }
    if english_brand_of(c).is_some() {
        return stem.chars().filter(|c| !c.is_whitespace()).count() >= 4;
    }
    let chinese = stem.chars().all(is_chinese);
    let shortest = if chinese { 3 } else { 4 };
    stem.chars().count() >= shortest && (stem.contains(' ') || fold(stem) == fold(c))
}

/// A name's stem ([`name_stem`]) when it can group look-alikes ([`stem_groups`]): the name
/// read once for both.
pub fn grouping_stem(raw: &str) -> Option<String> {
    let c = written_company(raw);
    let stem = stem_of(&c);
    groups_of(&c, &stem).then_some(stem)
}

/// A Chinese character (CJK unified ideographs, extension A, compatibility ideographs).
pub(super) fn is_chinese(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Whether two names are alike as a whole: their similarity is at least `threshold`, or
/// they are one brand in different trades (速雲科技, 速雲貿易; Apex Cloud Trading,
/// ApexCloud Services), the brand in either script and with or without spaces. A name
/// written in two scripts ([`bilingual`]) is alike a name its Chinese or its English is.
pub fn names_alike(a: &str, b: &str, threshold: f64) -> bool {
    if one_name_alike(a, b, threshold) {
        return true;
    }
    let (ours, theirs) = (bilingual(a), bilingual(b));
    if ours.is_none() && theirs.is_none() {
        return false;
    }
    let parts = |n: &str, two: Option<(String, String)>| {
        let mut all = vec![n.to_string()];
        all.extend(
            two.into_iter()
                .flat_map(|(chinese, latin)| [chinese, latin]),
        );
        all
    };
    let theirs = parts(b, theirs);
    parts(a, ours)
        .iter()
        .any(|x| theirs.iter().any(|y| one_name_alike(x, y, threshold)))
}

/// A company's name written in two scripts, as Taiwanese records often give it
/// (`速雲資訊股份有限公司 (Suyun Information Co., Ltd.)`, `台灣微軟股份有限公司 Microsoft Taiwan
/// Corporation`, `Suyun Information／速雲資訊`): its Chinese name (from its first Chinese
/// character to its last) and the rest, without the brackets or slash between them. None
/// for a name in one script, or one whose Latin letters are fewer than three (`台灣3M`) or
/// stand between its Chinese characters (`速雲 Cloud 資訊`).
pub fn bilingual(raw: &str) -> Option<(String, String)> {
    if raw.is_ascii() || !raw.chars().any(|c| c.is_alphabetic() && !is_chinese(c)) {
        return None;
    }
    let text = half_width(raw);
    let first = text.find(is_chinese)?;
    let last = text.rfind(is_chinese)?;
    let end = last + text[last..].chars().next()?.len_utf8();
    let chinese = text[first..end].trim();
    if chinese.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let between = |c: char| c.is_whitespace() || "()[]/|,;:-".contains(c);
    let latin = format!("{} {}", &text[..first], &text[end..]);
    let latin = latin.trim_matches(between).trim();
    let letters = latin.chars().filter(char::is_ascii_alphabetic).count();
    (letters >= 3 && chinese.chars().filter(|c| is_chinese(*c)).count() >= 2)
        .then(|| (chinese.to_string(), latin.to_string()))
}

fn one_name_alike(a: &str, b: &str, threshold: f64) -> bool {
    // Each name read once ([`written_company`]); every test below works on that form.
    let (a, b) = (written_company(a), written_company(b));
    let brand = |c: &str| {
        chinese_brand_of(c)
            .or_else(|| english_brand_of(c))
            .map(|x| fold(&x).replace(' ', ""))
    };
    similarity(&a, &b) >= threshold
        || brand(&a).is_some_and(|x| brand(&b) == Some(x))
        || spelled_alike(&a, &b)
        || spelled_alike(&b, &a)
}

/// Whether `english`'s brand is `chinese`'s spelled (`Suyun Information` and `速雲資訊`,
/// `Wing Lung Trading` and `永隆貿易`): a Chinese company's English name often spells its
/// brand so. Both are written forms ([`written_company`]).
fn spelled_alike(chinese: &str, english: &str) -> bool {
    let Some(spelled) = english_brand_of(english).map(|b| b.replace(' ', "")) else {
        return false;
    };
    spelled.chars().count() >= 4 && spelled_of(chinese).contains(&spelled)
}

#[cfg(test)]
#[path = "legal_forms_tests.rs"]
mod legal_forms_tests;

#[cfg(test)]
#[path = "stem_tests.rs"]
mod stem_tests;
