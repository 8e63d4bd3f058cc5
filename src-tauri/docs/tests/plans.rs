//! The payment plan agreement and the statement's plan section, read back with pdftotext in
//! both languages: the invoices, every instalment's amount, the interest and the terms.

mod common;

use riskdesk_core::customer;
use riskdesk_core::plans::{self, Every, NewPlan, Schedule};
use riskdesk_core::receivables;
use riskdesk_core::test_support::{self as support, d};
use riskdesk_docs::{plan_agreement, statement_document, Letterhead, Paper};

fn text(pdf: &[u8]) -> String {
    common::pdftotext(pdf, true)
}

#[test]
fn the_agreement_and_the_statement_give_back_the_plan_in_both_languages() {
    let (_dir, mut conn) = support::ledger_db();
    let (c, invoices) = support::arrears(&mut conn, "港都物流股份有限公司");
    let tx = conn.transaction().unwrap();
    let plan = plans::create(
        &tx,
        &support::ctx_on(d(2026, 10, 1)),
        &NewPlan {
            customer_id: c,
            invoices,
            schedule: Schedule::Equal {
                count: 3,
                first: d(2026, 10, 31),
                every: Every::Month,
            },
            rate_bp: 1200,
            note: String::new(),
        },
    )
    .unwrap();
    tx.commit().unwrap();
    let lh = Letterhead {
        name: "雲橋科技有限公司 CloudBridge Ltd.".into(),
        address: "台北市大安區復興南路一段 1 號".into(),
        tax_id: "53212539".into(),
        phone: "+886 2 2700 1234".into(),
        email: "billing@cloudbridge.tw".into(),
        payment_instructions: "玉山銀行 (808) 0123-456-789012".into(),
        logo: None,
    };
    let mut cust = customer::get(&conn, c).unwrap();
    for lang in [customer::Language::En, customer::Language::ZhTw] {
        cust.fields.language = lang;
        let t = text(&plan_agreement(Paper::A4, &lh, &cust, &plan));
        for needle in [
            "HL-1",
            "HL-2",
            "NT$100,000.01",
            "NT$33,333.34",
            "NT$33,333.33",
            "NT$328.77",
            "NT$657.53",
            "NT$997.26",
        ] {
            assert!(t.contains(needle), "{lang:?}: {needle} missing in\n{t}");
        }
        let sum = plan.total.format();
        assert!(t.contains(&sum), "{lang:?}: the total {sum}");
        if lang == customer::Language::ZhTw {
            assert!(
                t.contains("分期付款協議")
                    && t.contains("恢復催收")
                    && t.contains("年利率 12.00 %"),
                "{t}"
            );
        } else {
            assert!(
                t.contains("Payment plan agreement") && t.contains("5 days after its due date"),
                "{t}"
            );
        }
    }
    let st = receivables::statement(&conn, c, d(2026, 10, 1)).unwrap();
    assert_eq!(st.plans.len(), 1);
    cust.fields.language = customer::Language::ZhTw;
    let t = text(&statement_document(Paper::A4, &lh, &cust, &st));
    assert!(
        t.contains(&format!("分期付款計畫 {}", plan.id)) && t.contains("待付"),
        "{t}"
    );
}
