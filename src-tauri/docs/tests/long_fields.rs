//! A customer with a very long name, address and contact, and a reseller with a long name and
//! a logo: every document prints each field whole, wrapped inside the paper, and the running
//! footer gives way to the page number instead of running over it.

mod common;

use std::process::Command;

use riskdesk_core::collections;
use riskdesk_core::customer::{self, CustomerInput};
use riskdesk_core::receivables::{self, NewInvoice};
use riskdesk_core::test_support::{self, book, customer_input, d, line, new_invoice};
use riskdesk_docs::{dunning_letter, policy_document, statement_document, Letterhead, Paper};

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
    let (_dir, mut conn) = book();
    let ctx = test_support::ctx();
    let tx = conn.transaction().unwrap();
    let c = customer::create(
        &tx,
        &ctx,
        &CustomerInput {
            address: address.clone(),
            contact_name: contact.trim().into(),
            language: "zh-TW".into(),
            ..customer_input(&name, "TWD", "TW")
        },
    )
    .unwrap();
    let new = NewInvoice {
        lines: vec![line("Microsoft 365", 10, 123_450)],
        ..new_invoice("INV-1", c.id, d(2026, 9, 1), Some(d(2026, 10, 1)), 0, "TWD")
    };
    receivables::insert_invoice(&tx, &ctx, &new).unwrap();
    tx.commit().unwrap();
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
    let plan = collections::plan(&conn, on).unwrap();
    let policy =
        collections::policy(&conn, collections::default_policy_id(&conn).unwrap()).unwrap();
    let st = receivables::statement(&conn, c.id, on).unwrap();
    let c = customer::get(&conn, c.id).unwrap();
    for (what, paper, pdf) in [
        (
            "letter",
            Paper::A4,
            dunning_letter(Paper::A4, &lh, &c, &plan.customers[0], on),
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
