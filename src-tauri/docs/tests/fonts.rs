//! Every character a letter can print has a real glyph: the shipped Noto Sans CJK TC cut,
//! or the DejaVu Sans cut for what it lacks (peso, rupee, baht, Latin Extended).

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

fn pdftotext(pdf: &[u8]) -> String {
    common::pdftotext(pdf, false)
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
        let (_dir, mut conn) = test_support::book();
        let input = CustomerInput {
            address: "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh".into(),
            ..test_support::customer_input("Công ty TNHH Thương mại Đức Việt", code, "VN")
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
            std::fs::write(
                std::env::temp_dir().join(format!("letter-{code}.pdf")),
                &pdf,
            )
            .unwrap();
        }
        let text = pdftotext(&pdf);
        assert!(text.contains(sign), "{code}: {sign} missing from:\n{text}");
        assert!(text.contains("Thương mại Đức Việt"), "{code}:\n{text}");
        assert!(text.contains("Thành phố Hồ Chí Minh"), "{code}:\n{text}");
    }
}
