//! PDF tests: render real letters from a real plan, extract the text with pdftotext and
//! find the invoice numbers, amounts and Chinese sentences in it; long names and addresses
//! stay inside the paper (each word's box, from `pdftotext -bbox`).

mod common;

use std::process::Command;

use chrono::{TimeZone, Utc};
use riskdesk_core::collections::{self, PlanCustomer, Policy};
use riskdesk_core::customer::{self, Customer, CustomerInput};
use riskdesk_core::receivables::{self, NewInvoice};
use riskdesk_core::store;
use riskdesk_core::test_support::{self, book, customer_input, d, line, new_invoice};
use riskdesk_core::Ctx;
use riskdesk_docs::{
    dunning_letter, dunning_letters_combined, policy_document, statement_document, Letterhead,
    Paper,
};

fn letterhead() -> Letterhead {
    Letterhead {
        name: "雲橋科技有限公司 CloudBridge Ltd.".into(),
        address: "台北市大安區復興南路一段 1 號\nNo. 1, Sec. 1, Fuxing S. Rd., Taipei".into(),
        tax_id: "53212539".into(),
        phone: "+886 2 2700 1234".into(),
        email: "billing@cloudbridge.tw".into(),
        payment_instructions:
            "Bank transfer to 玉山銀行 (808) account 0123-456-789012, CloudBridge Ltd.".into(),
        logo: None,
    }
}

type Scenario = (
    tempfile::TempDir,
    Customer,
    PlanCustomer,
    rusqlite::Connection,
);

/// A customer with `n` overdue invoices reaching level 4 on 2026-11-25.
fn scenario(lang: &str, n: usize) -> Scenario {
    scenario_of(
        &CustomerInput {
            address: "台北市信義區松仁路100號".into(),
            contact_name: "林美玲".into(),
            language: lang.into(),
            ..customer_input(
                if lang == "zh-TW" {
                    "台北雲端科技股份有限公司"
                } else {
                    "Pacific Northwest Dental Group"
                },
                "TWD",
                "TW",
            )
        },
        n,
    )
}

/// `input`'s customer with `n` overdue invoices reaching level 4 on 2026-11-25.
fn scenario_of(input: &CustomerInput, n: usize) -> Scenario {
    let (dir, mut conn) = book();
    let ctx = test_support::ctx();
    let tx = conn.transaction().unwrap();
    let c = customer::create(&tx, &ctx, input).unwrap();
    for i in 0..n {
        let number = format!("INV-2026-{:04}", 101 + i);
        let new = NewInvoice {
            lines: vec![line("Microsoft 365", 10, 123_450)],
            ..new_invoice(&number, c.id, d(2026, 9, 1), Some(d(2026, 10, 1)), 0, "TWD")
        };
        receivables::insert_invoice(&tx, &ctx, &new).unwrap();
    }
    tx.commit().unwrap();
    let plan = collections::plan(&conn, d(2026, 11, 25)).unwrap();
    let pc = plan.customers.into_iter().next().unwrap();
    (dir, c, pc, conn)
}

fn pdftotext(pdf: &[u8]) -> String {
    common::pdftotext(pdf, true)
}

fn pages(pdf: &[u8]) -> usize {
    pdftotext(pdf).matches('\u{c}').count()
}

#[test]
fn an_english_letter_gives_back_its_invoices_amounts_and_consequence() {
    let (_d, c, plan, _conn) = scenario("en", 2);
    assert_eq!(plan.level.seq, 4);
    let pdf = dunning_letter(Paper::A4, &letterhead(), &c, &plan, d(2026, 11, 25));
    assert!(pdf.len() < 100_000, "a letter is {} bytes", pdf.len());
    let text = pdftotext(&pdf);
    for needle in [
        "Suspension notice",
        "INV-2026-0101",
        "INV-2026-0102",
        "NT$12,345",
        "Pacific Northwest Dental Group",
        "Total due",
        "2 December 2026",
        "collection agency",
        "玉山銀行",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    // Interest from the 0 % reminder's day (7) to day 55: NT$12,345.00 x 10 % x 48 / 365 =
    // 162.35 per invoice, 324.70 for both.
    assert!(text.contains("NT$162.35"), "{text}");
    assert!(text.contains("NT$324.70"), "{text}");
    assert!(
        text.contains("NT$25,014.70"),
        "total with interest:\n{text}"
    );
}

#[test]
fn a_chinese_letter_prints_chinese_text_that_can_be_extracted() {
    let (_d, c, plan, _conn) = scenario("zh-TW", 1);
    let pdf = dunning_letter(Paper::Letter, &letterhead(), &c, &plan, d(2026, 11, 25));
    assert!(pdf.len() < 100_000, "a letter is {} bytes", pdf.len());
    let text = pdftotext(&pdf);
    for needle in [
        "停權通知",
        "台北雲端科技股份有限公司",
        "您的 Microsoft 雲端訂閱已自今日起暫停",
        "INV-2026-0101",
        "應付總額",
        "2026年12月2日",
        "移交催收機構",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}

#[test]
fn a_long_table_continues_on_the_next_page_with_its_header() {
    let (_d, c, plan, _conn) = scenario("en", 60);
    let pdf = dunning_letter(Paper::A4, &letterhead(), &c, &plan, d(2026, 11, 25));
    let n = pages(&pdf);
    assert!(n >= 2, "60 invoices fit on {n} page(s)");
    let text = pdftotext(&pdf);
    let pages_with_rows = text
        .split('\u{c}')
        .filter(|p| {
            p.lines()
                .any(|l| l.contains("INV-2026-") && !l.contains("Interest on"))
        })
        .count();
    assert!(pages_with_rows >= 2);
    assert_eq!(
        text.matches("Days overdue").count(),
        pages_with_rows,
        "the header repeats on every page of the table"
    );
    assert!(text.contains("INV-2026-0160"));
    assert!(text.contains(&format!("Page {n} of {n}")));
}

/// The text of `c`'s collections policy document, printed on 2026-11-25.
fn policy_text(c: &Customer, policy: &Policy) -> String {
    pdftotext(&policy_document(
        Paper::A4,
        &letterhead(),
        c,
        policy,
        d(2026, 11, 25),
    ))
}

#[test]
fn the_policy_document_and_the_statement_read_right_in_both_languages() {
    let (_d, c, _plan, conn) = scenario("zh-TW", 2);
    let policy =
        collections::policy(&conn, collections::default_policy_id(&conn).unwrap()).unwrap();
    let text = policy_text(&c, &policy);
    for needle in [
        "收款政策",
        "到期後 45 天",
        "暫停您的訂閱",
        "10.00% 計息",
        "客戶已閱讀並同意",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    let st = receivables::statement(&conn, c.id, d(2026, 11, 25)).unwrap();
    let text = pdftotext(&statement_document(Paper::A4, &letterhead(), &c, &st));
    for needle in ["對帳單", "INV-2026-0102", "NT$24,690"] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}

/// A count of one reads in the singular in English (`1 day`), every other count in the
/// plural (`0 days`, `2 days`): a policy whose terms, grace and first level are one day.
#[test]
fn a_count_of_one_reads_in_the_singular_in_english() {
    let (_d, mut c, _plan, conn) = scenario("en", 1);
    c.fields.payment_terms_days = 1;
    let mut policy =
        collections::policy(&conn, collections::default_policy_id(&conn).unwrap()).unwrap();
    policy.grace_days = 1;
    policy.levels[0].days_after_due = 1;
    let text = policy_text(&c, &policy);
    let one_days = text.match_indices("1 days").any(|(at, _)| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
    });
    assert!(!one_days, "{text}");
    let text = squeezed(&text);
    for needle in [
        "Invoicesaredue1dayaftertheyareissued",
        "agraceperiodof1day.",
        "1dayafterthedue",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    // Two days stay plural.
    policy.grace_days = 2;
    let text = squeezed(&policy_text(&c, &policy));
    assert!(text.contains("agraceperiodof2days."), "{text}");
}

#[test]
fn a_statement_in_credit_says_so_and_asks_for_nothing() {
    for (lang, needles) in [
        (
            "en",
            [
                "Balance as of 25 November 2026: NT$5,000 in your favour, to be applied to your next invoice.",
                "payment (bank transfer)",
            ],
        ),
        (
            "zh-TW",
            [
                "截至 2026年11月25日，貴公司溢繳 NT$5,000，將抵付下一張發票。",
                // The method recorded in English reads in Chinese.
                "付款（銀行轉帳）",
            ],
        ),
    ] {
        let (_d, c, _plan, mut conn) = scenario(lang, 1);
        // NT$12,345 owed; NT$17,345 paid.
        test_support::pay(
            &mut conn,
            c.id,
            "TX-OVER",
            d(2026, 11, 20),
            riskdesk_core::money::Money::new(1_734_500, test_support::cur("TWD")),
        );
        let st = receivables::statement(&conn, c.id, d(2026, 11, 25)).unwrap();
        assert_eq!(st.balance_minor, -500_000);
        let text = pdftotext(&statement_document(Paper::A4, &letterhead(), &c, &st));
        for needle in needles {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
        // The running balance may dip below zero; the closing line never asks for a minus,
        // and there are no payment instructions.
        let closing = text.lines().find(|l| l.contains("NT$5,000 in") || l.contains("溢繳"));
        assert!(!closing.unwrap().contains('-'), "{text}");
        assert!(!text.contains("玉山銀行"), "{text}");
        // Owing again: the balance and how to pay.
        let st = receivables::statement(&conn, c.id, d(2026, 11, 19)).unwrap();
        let text = pdftotext(&statement_document(Paper::A4, &letterhead(), &c, &st));
        assert!(text.contains("NT$12,345") && text.contains("玉山銀行"), "{text}");
    }
}

/// A run's fee and interest given back because the payment was received by the run's day,
/// then charged again when the bank returned it: each says what it is, in both languages.
#[test]
fn a_statement_says_why_charges_were_given_back_and_charged_again() {
    for (lang, needles) in [
        (
            "en",
            ["credited back:", "charged again", "payment returned by"],
        ),
        (
            "zh-TW",
            ["退還：款項於催收日前已收到", "重新計收", "付款遭銀行退回"],
        ),
    ] {
        let (_d, c, _plan, mut conn) = scenario(lang, 1);
        let tx = conn.transaction().unwrap();
        riskdesk_core::store::settings::set(
            &tx,
            &test_support::ctx(),
            "letterhead.name",
            "Reseller Ltd",
        )
        .unwrap();
        tx.commit().unwrap();
        let run = test_support::run(&mut conn, d(2026, 11, 25)).unwrap();
        let charge = format!("FEE-{}-{}", run.id, c.id);
        test_support::pay(
            &mut conn,
            c.id,
            "TX-EARLY",
            d(2026, 11, 20),
            riskdesk_core::money::Money::new(1_234_500, test_support::cur("TWD")),
        );
        let paid: i64 = test_support::scalar(
            &conn,
            "SELECT id FROM payments WHERE reference = 'TX-EARLY'",
        );
        let tx = conn.transaction().unwrap();
        receivables::return_payment(
            &tx,
            &test_support::ctx(),
            &receivables::NewReturn {
                payment_id: paid,
                returned_on: d(2026, 11, 24),
                reason: receivables::ReturnReason::Returned,
                note: String::new(),
            },
        )
        .unwrap();
        tx.commit().unwrap();
        let st = receivables::statement(&conn, c.id, d(2026, 11, 25)).unwrap();
        let text = squeezed(&pdftotext(&statement_document(
            Paper::A4,
            &letterhead(),
            &c,
            &st,
        )));
        for needle in needles
            .iter()
            .map(|n| squeezed(n))
            .chain([format!("{charge}-CR1"), format!("{charge}-RE1")])
        {
            assert!(text.contains(&needle), "{needle:?} missing from:\n{text}");
        }
        // In the order they happened: charged, given back, charged again.
        let at = |n: &str| text.find(n).unwrap();
        assert!(
            at(&format!("{charge}-CR1")) < at(&format!("{charge}-RE1")),
            "{text}"
        );
    }
}

#[test]
fn a_combined_file_holds_every_letter() {
    let (_d, c1, p1, _c) = scenario("en", 1);
    let (_d2, c2, p2, _c2) = scenario("zh-TW", 1);
    let pdf = dunning_letters_combined(
        Paper::A4,
        &letterhead(),
        &[(c1, p1), (c2, p2)],
        d(2026, 11, 25),
    );
    let text = pdftotext(&pdf);
    assert!(text.contains("Suspension notice") && text.contains("停權通知"));
    assert_eq!(pages(&pdf), 2);
}

#[test]
fn a_logo_from_the_settings_is_printed_in_the_letterhead() {
    let (_d, c, plan, _conn) = scenario("en", 1);
    let png = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../icons/128x128.png"
    ))
    .unwrap();
    let mut lh = letterhead();
    lh.logo = Some(Letterhead::decode_logo(&png).unwrap());
    let pdf = dunning_letter(Paper::A4, &lh, &c, &plan, d(2026, 11, 25));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logo.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = Command::new("pdfimages")
        .args(["-list", path.to_str().unwrap()])
        .output()
        .expect("pdfimages (poppler-utils)");
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains(" 128 "), "the logo is embedded:\n{list}");
    assert!(pdftotext(&pdf).contains("Suspension notice"));
    assert!(Letterhead::decode_logo(b"not an image").is_err());
}

/// A customer whose old invoice is at its final notice and whose new invoice reaches the
/// first level got a friendly reminder listing the final-notice invoice as if it were new:
/// the letter now says per invoice which stage it has reached.
#[test]
fn a_letter_says_each_invoice_s_stage_when_they_differ() {
    let (_d, c, _plan, mut conn) = scenario("en", 1);
    let ctx = Ctx::new("t", Utc.with_ymd_and_hms(2026, 12, 31, 0, 0, 0).unwrap());
    // The old invoice is taken to its last level.
    let tx = conn.transaction().unwrap();
    store::settings::set(&tx, &ctx, "letterhead.name", "CloudBridge Ltd.").unwrap();
    collections::execute(&tx, &ctx, d(2026, 12, 31), &Default::default(), None, "out").unwrap();
    // A new invoice, due 2026-12-20, reaches the first level on 2026-12-28.
    let new = NewInvoice {
        lines: vec![line("Azure", 1, 500_000)],
        ..new_invoice(
            "INV-2026-0200",
            c.id,
            d(2026, 11, 20),
            Some(d(2026, 12, 20)),
            0,
            "TWD",
        )
    };
    receivables::insert_invoice(&tx, &ctx, &new).unwrap();
    tx.commit().unwrap();
    let plan = collections::plan(&conn, d(2027, 1, 2)).unwrap();
    let pc = plan
        .customers
        .into_iter()
        .next()
        .expect("the new invoice is planned");
    assert_eq!(pc.level.seq, 1, "the letter is the first level's");
    let text = pdftotext(&dunning_letter(
        Paper::A4,
        &letterhead(),
        &c,
        &pc,
        d(2027, 1, 2),
    ));
    let stages: Vec<&str> = pc.invoices.iter().map(|i| i.stage_en.as_str()).collect();
    assert!(text.contains("Stage"), "{text}");
    // Names wrap in their column: their first two words are on the invoice's line.
    for s in stages.iter().filter(|s| !s.is_empty()) {
        let head: String = s.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        assert!(text.contains(&head), "{head} missing:\n{text}");
    }
    assert_ne!(stages[0], stages[1], "{stages:?}");
}

/// A word `pdftotext -bbox` finds: its box in points from the page's top left, and the width
/// of its page.
#[derive(Debug)]
struct Word {
    x_min: f32,
    y_min: f32,
    x_max: f32,
    page_width: f32,
    text: String,
}

/// Every word of `pdf` with its box. `pdftotext` drops what lies past the paper's edge, so a
/// word that ends there was cut off.
fn words(pdf: &[u8]) -> Vec<Word> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-bbox".as_ref(), path.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext (poppler-utils)");
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = tag[at..].find('"').unwrap();
        tag[at..at + end].parse().unwrap()
    };
    let mut page_width = 0.0;
    let mut out = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page_width = attr(line, "width");
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let close = rest.find('>').unwrap();
            let text = rest[close + 1..].trim_end_matches("</word>").to_string();
            out.push(Word {
                x_min: attr(line, "xMin"),
                y_min: attr(line, "yMin"),
                x_max: attr(line, "xMax"),
                page_width,
                text,
            });
        }
    }
    out
}

fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn long_fields_wrap_inside_the_paper_and_read_back_whole() {
    let name = "超長名稱測試國際股份有限公司".repeat(8);
    let address = format!(
        "{}\n{}",
        "台北市信義區松仁路一百號十八樓之三".repeat(5),
        "No. 100, Songren Road, Xinyi District, Taipei City 110, Taiwan (R.O.C.) ".repeat(3)
    );
    let contact =
        "Accounts Payable Department, attention of the Chief Financial Officer ".repeat(2);
    let (_dir, c, plan, conn) = scenario_of(
        &CustomerInput {
            address: address.clone(),
            contact_name: contact.trim().into(),
            language: "zh-TW".into(),
            ..customer_input(&name, "TWD", "TW")
        },
        1,
    );
    let png = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../icons/128x128.png"
    ))
    .unwrap();
    let lh = Letterhead {
        name: "雲橋科技有限公司 CloudBridge Cloud Solutions and Managed Services Ltd. ".repeat(2),
        address: "台北市大安區復興南路一段 1 號 8 樓 No. 1, Sec. 1, Fuxing S. Rd., 8F, Da'an District, Taipei 106".into(),
        tax_id: "53212539".into(),
        phone: "+886 2 2700 1234".into(),
        email: "billing@cloudbridge.tw".into(),
        payment_instructions: "玉山銀行 (808) 0123-456-789012".into(),
        logo: Some(Letterhead::decode_logo(&png).unwrap()),
    };
    let on = d(2026, 11, 25);
    let policy =
        collections::policy(&conn, collections::default_policy_id(&conn).unwrap()).unwrap();
    let st = receivables::statement(&conn, c.id, on).unwrap();
    for (what, paper, pdf) in [
        (
            "letter",
            Paper::A4,
            dunning_letter(Paper::A4, &lh, &c, &plan, on),
        ),
        (
            "policy",
            Paper::Letter,
            policy_document(Paper::Letter, &lh, &c, &policy, on),
        ),
        (
            "statement",
            Paper::A4,
            statement_document(Paper::A4, &lh, &c, &st),
        ),
    ] {
        let words = words(&pdf);
        let (width, _) = paper.size();
        for w in &words {
            assert!(
                w.x_min >= 0.0 && w.x_max <= w.page_width - 40.0,
                "{what}: {w:?} runs past the margin of a {width}-point page"
            );
        }
        let text = squeezed(&common::pdftotext(&pdf, false));
        for field in [&name, &address, &contact, &lh.name] {
            assert!(
                text.contains(&squeezed(field)),
                "{what}: {field:?} is not whole in:\n{text}"
            );
        }
        // The footer's words and the page number on the page's last line never overlap.
        let bottom = words.iter().map(|w| w.y_min).fold(0.0, f32::max);
        let mut last: Vec<&Word> = words
            .iter()
            .filter(|w| (w.y_min - bottom).abs() < 1.0)
            .collect();
        last.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
        assert!(last.len() >= 2, "{what}: {last:?}");
        for pair in last.windows(2) {
            assert!(pair[0].x_max <= pair[1].x_min, "{what}: {pair:?}");
        }
        let said: String = last.iter().map(|w| w.text.as_str()).collect();
        assert!(
            said.contains('…') && said.ends_with("第1頁，共1頁"),
            "{what}: {said}"
        );
    }
}

/// A character no font has (an emoji) is drawn as a `.notdef` box one em wide and measured
/// so: what follows it in the fallback font or the main one starts after it, never on top of
/// it. Arabic and Thai are drawn (the fallback font has DejaVu's Arabic and Noto Sans Thai's
/// letters) and read back.
#[test]
fn characters_no_font_has_take_the_room_they_are_drawn_in() {
    let (_dir, c, _plan, conn) = scenario_of(
        &CustomerInput {
            address: "العربية 😀 台北市 Ǆ ①② ห้องสมุด Road".into(),
            ..customer_input("Siam Cloud Co", "TWD", "TW")
        },
        1,
    );
    let st = receivables::statement(&conn, c.id, d(2026, 11, 25)).unwrap();
    let pdf = statement_document(Paper::A4, &letterhead(), &c, &st);
    let words = words(&pdf);
    let line: Vec<&Word> = {
        let at = words
            .iter()
            .find(|w| w.text == "台北市")
            .expect("the address");
        let mut on: Vec<&Word> = words
            .iter()
            .filter(|w| (w.y_min - at.y_min).abs() < 4.0)
            .collect();
        on.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
        on
    };
    let texts: Vec<&str> = line.iter().map(|w| w.text.as_str()).collect();
    // The line starts with an Arabic word, so it reads from the right: the Arabic word
    // rightmost, its letters as they stand on the page (as `pdftotext -bbox` gives them),
    // then the emoji, then the rest in its own order. The emoji no font has is drawn as a
    // box and still read back.
    assert_eq!(
        texts,
        ["台北市", "Ǆ", "①②", "ห้องสมุด", "Road", "😀", "ةيبرعلا"],
        "{line:?}"
    );
    // The emoji's box, most of an em at 9 points at least, between its neighbours.
    assert!(line[5].x_max - line[5].x_min > 8.0, "{line:?}");
    for pair in line.windows(2) {
        assert!(pair[1].x_min >= pair[0].x_max - 0.5, "overlap: {pair:?}");
    }
}

/// The text `pdftotext` reads back, without the marks it puts around right-to-left runs
/// (U+202B ... U+202C): the words are what counts.
fn words_read_back(pdf: &[u8]) -> String {
    common::pdftotext(pdf, false)
        .chars()
        .filter(|c| !matches!(*c as u32, 0x202A..=0x202E))
        .collect()
}

/// A customer in Bahrain with an Arabic name and address and a contact written in Hebrew:
/// each is drawn right to left with its letters joined (looked at as PNG), and read back
/// letter for letter, the first word of the name drawn rightmost.
#[test]
fn hebrew_and_arabic_print_right_to_left_and_read_back() {
    let name = "شركة البحرين للبيانات ذ.م.م";
    let (_dir, c, _plan, conn) = scenario_of(
        &CustomerInput {
            address: "شارع الملك فيصل 12، المنامة (البحرين)".into(),
            contact_name: "דוד כהן".into(),
            ..customer_input(name, "TWD", "BH")
        },
        1,
    );
    let st = receivables::statement(&conn, c.id, d(2026, 11, 25)).unwrap();
    let pdf = statement_document(Paper::A4, &letterhead(), &c, &st);
    let text = words_read_back(&pdf);
    for word in [
        "شركة",
        "البحرين",
        "للبيانات",
        "شارع",
        "الملك",
        "فيصل",
        "المنامة",
        "דוד",
        "כהן",
    ] {
        assert!(text.contains(word), "{word:?} missing from:\n{text}");
    }
    let words = words(&pdf);
    let first = words
        .iter()
        .find(|w| w.text.chars().rev().collect::<String>() == "شركة")
        .expect("the name's first word");
    let line: Vec<&Word> = words
        .iter()
        .filter(|w| (w.y_min - first.y_min).abs() < 2.0)
        .collect();
    assert!(line.len() >= 3, "{line:?}");
    assert!(
        line.iter().all(|w| w.x_max <= first.x_max),
        "the first word is not drawn rightmost: {line:?}"
    );
    let hebrew = words
        .iter()
        .find(|w| w.text.chars().rev().collect::<String>() == "כהן")
        .expect("the contact's surname");
    let given = words
        .iter()
        .find(|w| w.text.chars().rev().collect::<String>() == "דוד")
        .expect("the contact's given name");
    assert!(given.x_min > hebrew.x_max, "{given:?} {hebrew:?}");
}

/// A trader in Lahore whose name and address are in Urdu: heh goal (ہ) and yeh barree (ے),
/// which DejaVu lacks, are drawn joined (looked at as PNG) and read back letter for letter.
#[test]
fn urdu_prints_and_reads_back() {
    let (_dir, c, _plan, conn) = scenario_of(
        &CustomerInput {
            address: "مال روڈ 12، لاہور، پاکستان".into(),
            ..customer_input("لاہور کے تاجر", "TWD", "PK")
        },
        1,
    );
    let st = receivables::statement(&conn, c.id, d(2026, 11, 25)).unwrap();
    let pdf = statement_document(Paper::A4, &letterhead(), &c, &st);
    let text = words_read_back(&pdf);
    for word in ["لاہور", "کے", "تاجر", "روڈ", "پاکستان"] {
        assert!(text.contains(word), "{word:?} missing from:\n{text}");
    }
}
