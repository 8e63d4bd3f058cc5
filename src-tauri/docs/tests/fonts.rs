//! Every character a letter can print has a real glyph: the shipped Noto Sans CJK TC cut
//! (Traditional and Simplified Chinese, Japanese, Korean), or the DejaVu Sans cut for what
//! it lacks (peso, rupee, baht, Latin Extended, symbols).

mod common;

use riskdesk_core::collections;
use riskdesk_core::customer::{self, CustomerInput};
use riskdesk_core::money::{Currency, Money};
use riskdesk_core::test_support::{self, d};
use riskdesk_docs::layout::{fallback, font};
use riskdesk_docs::{dunning_letter, Letterhead, Paper};

fn covered(c: char) -> bool {
    c.is_control() || font().has(c) || fallback().has(c)
}

fn uncovered(text: &str) -> Vec<char> {
    let mut out: Vec<char> = text.chars().filter(|c| !covered(*c)).collect();
    out.sort();
    out.dedup();
    out
}

/// Names people in the offered countries write in Latin letters.
const NAMES: &str = "Công ty TNHH Thương mại Đức Việt; Nguyễn Thị Hồng Nhung; Phạm Quốc Ưng; \
    Müller & Söhne GmbH, Großhandel; Ærø Æsir Œuvre; IJsselmeer B.V.; \
    Pañalosa Santo Niño Corp.; Łódź Łukasz Świętochowski; İstanbul Şişli Ğ; Dvořák Čech Šťastný";

/// Company names and addresses of customers in Japan (kanji of JIS X 0208 beyond Big5).
const JAPANESE: &str = "株式会社さくらソフト; 有限会社; 東京都渋谷区道玄坂; 大阪市北区梅田; \
    横浜市; 札幌市中央区; 株式会社日本電気; 富士通株式会社; 売上; 営業所; 鉄道; 桜";

/// Names and addresses of customers in Singapore, Malaysia and China (GB 2312) and Korea
/// (Hangul), and the marks people type in them.
const SIMPLIFIED_AND_KOREAN: &str =
    "新加坡云计算有限公司; 吉隆坡数码科技; 广州市天河区; 深圳; 滨海湾; \
    华侨银行; 马来西亚; 한국클라우드 주식회사; 서울특별시 강남구; 부산광역시; 똠방각하 뷁; \
    ✓ ✔ ★ ☆ ● ■ ◆ ① ② ⑩ ☎ ♥";

#[test]
fn every_string_a_letter_can_print_has_a_glyph() {
    let mut problems = Vec::new();
    for cur in Currency::all() {
        let text = Money::new(-123_456_789, cur).format();
        if !uncovered(&text).is_empty() {
            problems.push(format!("{cur}: {text} {:?}", uncovered(&text)));
        }
    }
    // Every literal in the document code, the default policy's letters, and names.
    for (what, text) in [
        ("letters.rs", include_str!("../src/letters.rs")),
        ("plans.rs", include_str!("../src/plans.rs")),
        ("statements.rs", include_str!("../src/statements.rs")),
        (
            "default policy",
            include_str!("../../core/src/store/migrations/0003_receivables_and_collections.sql"),
        ),
        (
            "collections plan",
            include_str!("../../core/src/collections/plan.rs"),
        ),
        ("names", NAMES),
        ("Japanese names", JAPANESE),
        ("Simplified Chinese and Korean names", SIMPLIFIED_AND_KOREAN),
        ("risk reports", include_str!("../src/risk/mod.rs")),
        (
            "customer risk report",
            include_str!("../src/risk/customer.rs"),
        ),
        (
            "portfolio risk report",
            include_str!("../src/risk/portfolio.rs"),
        ),
        (
            "risk factors",
            include_str!("../../core/src/risk/factors.rs"),
        ),
        ("risk labels", include_str!("../../core/src/risk/labels.rs")),
        (
            "the demo's customers",
            include_str!("../../core/src/demo/specs.rs"),
        ),
        (
            "country names",
            include_str!("../../core/src/countries.tsv"),
        ),
    ] {
        let missing = uncovered(text);
        if !missing.is_empty() {
            problems.push(format!("{what}: {missing:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "no glyph for:\n{}",
        problems.join("\n")
    );
}

/// Every character a double-byte encoding writes with lead bytes `leads` and trail bytes
/// `trails`.
fn double_byte(
    encoding: &'static encoding_rs::Encoding,
    leads: std::ops::RangeInclusive<u8>,
    trails: &[std::ops::RangeInclusive<u8>],
) -> Vec<char> {
    let mut out = Vec::new();
    for lead in leads {
        for trail in trails.iter().flat_map(|r| r.clone()) {
            let bytes = [lead, trail];
            let (text, _, bad) = encoding.decode(&bytes);
            if !bad {
                out.extend(text.chars().filter(|c| !c.is_control()));
            }
        }
    }
    out
}

/// The sets the fonts are cut to, whole: every character of Big5, JIS X 0208, GB 2312 and
/// every Hangul syllable has a glyph, none looked up in vain.
#[test]
fn every_character_of_the_sets_the_fonts_are_cut_to_has_a_glyph() {
    for (what, chars) in [
        (
            // The symbols and both levels of hanzi (without the vendors' extensions).
            "Big5",
            [0xA1..=0xA2, 0xA4..=0xC5, 0xC9..=0xF8]
                .into_iter()
                .flat_map(|leads| {
                    double_byte(encoding_rs::BIG5, leads, &[0x40..=0x7E, 0xA1..=0xFE])
                })
                .collect(),
        ),
        (
            "JIS X 0208",
            double_byte(
                encoding_rs::SHIFT_JIS,
                0x81..=0xEA,
                &[0x40..=0x7E, 0x80..=0xFC],
            ),
        ),
        (
            // The symbols and both levels of hanzi (GBK's user-defined rows left out).
            "GB 2312",
            [0xA1..=0xA9, 0xB0..=0xF7]
                .into_iter()
                .flat_map(|leads| double_byte(encoding_rs::GBK, leads, &[0xA1..=0xFE]))
                .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c))
                .collect(),
        ),
        ("Hangul", ('\u{AC00}'..='\u{D7A3}').collect()),
        // Every assigned Thai character (the block's gaps left out).
        (
            "Thai",
            ('\u{0E01}'..='\u{0E3A}')
                .chain('\u{0E3F}'..='\u{0E5B}')
                .collect(),
        ),
        // Hebrew's letters and final forms, Arabic's letters, Persian's and Urdu's (heh
        // goal and yeh barree borrowed from Noto Sans Arabic), and every joined form the
        // documents draw them in.
        (
            "Hebrew and Arabic",
            ('\u{05D0}'..='\u{05EA}')
                .chain('\u{0621}'..='\u{063A}')
                .chain('\u{0641}'..='\u{064A}')
                .chain("پچژگکی".chars())
                .chain("ٹڈڑںھہۀۂۃےۓ۔".chars())
                .chain('\u{FE80}'..='\u{FEFC}')
                .chain('\u{FBA4}'..='\u{FBB1}')
                .collect(),
        ),
    ] {
        assert!(chars.len() > 80, "{what}: {}", chars.len());
        let missing = uncovered(&chars.iter().collect::<String>());
        assert!(
            missing.is_empty(),
            "{what}: {} of {} without a glyph: {:?}",
            missing.len(),
            chars.len(),
            &missing[..missing.len().min(40)]
        );
    }
}

fn pdftotext(pdf: &[u8]) -> String {
    common::pdftotext(pdf, false)
}

/// A letter to a customer of one writing, overdue in one currency.
fn letter_to(name: &str, address: &str, country: &str, code: &str, minor: i64) -> Vec<u8> {
    let (_dir, mut conn) = test_support::book();
    let input = CustomerInput {
        address: address.into(),
        ..test_support::customer_input(name, code, country)
    };
    let tx = conn.transaction().unwrap();
    let c = customer::create(&tx, &test_support::ctx(), &input).unwrap();
    tx.commit().unwrap();
    let span = (d(2026, 9, 1), d(2026, 10, 1));
    test_support::invoice(&mut conn, c.id, &format!("INV-{code}"), span, minor, code);
    let as_of = d(2026, 11, 25);
    let plan = collections::plan(&conn, as_of).unwrap();
    let pc = plan.customers.into_iter().next().unwrap();
    let c = customer::get(&conn, c.id).unwrap();
    let lh = Letterhead {
        name: "CloudBridge Ltd.".into(),
        ..Default::default()
    };
    let pdf = dunning_letter(Paper::A4, &lh, &c, &pc, as_of);
    if std::env::var_os("RISKDESK_KEEP_PDF").is_some() {
        let file = format!("letter-{country}-{code}.pdf");
        std::fs::write(std::env::temp_dir().join(file), &pdf).unwrap();
    }
    pdf
}

/// A letter in each currency whose sign Noto Sans CJK lacks, to a Vietnamese name.
#[test]
fn peso_rupee_baht_and_dong_letters_give_their_signs_back() {
    for (code, minor, sign) in [
        ("PHP", 1_234_500, "₱"),
        ("INR", 1_234_500, "₹"),
        ("THB", 1_234_500, "฿"),
        ("VND", 12_345_000, "₫"),
    ] {
        let name = "Công ty TNHH Thương mại Đức Việt";
        let address = "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh";
        let text = pdftotext(&letter_to(name, address, "VN", code, minor));
        assert!(text.contains(sign), "{code}: {sign} missing from:\n{text}");
        assert!(text.contains("Thương mại Đức Việt"), "{code}:\n{text}");
        assert!(text.contains("Thành phố Hồ Chí Minh"), "{code}:\n{text}");
    }
}

/// Customers in Singapore and Malaysia write their names in Simplified Chinese, customers
/// in Korea in Hangul, in Thailand in Thai; addresses carry marks such as ✓ and ★: each
/// prints and reads back.
#[test]
fn simplified_chinese_korean_and_symbols_print_and_read_back() {
    for (name, address, country, code) in [
        (
            "新加坡云计算有限公司",
            "新加坡滨海湾金沙 ★ 10号",
            "SG",
            "SGD",
        ),
        ("吉隆坡数码科技有限公司", "吉隆坡双子塔 ✓", "MY", "MYR"),
        // Thailand: a company name and a Bangkok address, tone marks and vowels above and
        // below the letters included.
        (
            "บริษัท สยามคลาวด์ จำกัด (มหาชน)",
            "ถนนสุขุมวิท แขวงคลองเตย กรุงเทพมหานคร 10110",
            "TH",
            "THB",
        ),
        (
            "한국클라우드 주식회사",
            "서울특별시 강남구 테헤란로 ① 152",
            "KR",
            "KRW",
        ),
    ] {
        let text = pdftotext(&letter_to(name, address, country, code, 1_234_500));
        assert!(text.contains(name), "{name} missing from:\n{text}");
        assert!(text.contains(address), "{address} missing from:\n{text}");
    }
}
