//! `riskdesk payments list` and `payments return` through the real binary: a charge-back
//! makes what the payment paid owed again from the day it went back, the statement says so
//! in the customer's language, and what cannot be returned is refused.

use crate::common::{assert_refused, assert_says, cli, cli_ok, csv_book, pdf_text, stdout};

#[test]
fn a_charge_back_recorded_from_the_command_line_reopens_the_invoices_it_paid() {
    let (dir, db) = csv_book(
        "returns.db",
        "legal_name,country,currency,status,language\n盜刷科技有限公司,TW,TWD,active,zh-TW\n",
        "number,customer,issued_on,currency,description,quantity,unit_price\n\
         CB-1,盜刷科技有限公司,2026-08-01,TWD,Azure plan,1,12345.67\n",
    );
    let payments = dir.path().join("pay.csv");
    std::fs::write(
        &payments,
        "reference,customer,received_on,amount,currency\nCARD-9,盜刷科技有限公司,2026-09-05,12345.67,TWD\n",
    )
    .unwrap();
    cli_ok(&db, &["payments", "import", payments.to_str().unwrap()]);
    let total = |as_of: &str| -> serde_json::Value {
        let aging: serde_json::Value =
            serde_json::from_slice(&cli(&db, &["aging", "--as-of", as_of, "--json"]).stdout)
                .unwrap();
        aging["totals"][0]["total_minor"].clone()
    };
    assert_eq!(
        total("2026-10-15"),
        serde_json::Value::Null,
        "paid: nothing owed"
    );

    let listed: serde_json::Value = serde_json::from_slice(
        &cli(&db, &["payments", "list", "--customer", "1", "--json"]).stdout,
    )
    .unwrap();
    assert_eq!(listed[0]["reference"], "CARD-9");
    assert_eq!(listed[0]["returned_on"], serde_json::Value::Null);
    let id = listed[0]["id"].as_i64().unwrap().to_string();

    let give_back = |on: &str, reason: &str, note: &str| {
        let args = ["payments", "return", &id, "--on", on, "--reason", reason];
        cli(&db, &[&args[..], &["--note", note]].concat())
    };
    assert_refused(&give_back("2026-10-01", "stolen", ""), "--reason");
    assert_refused(&give_back("2026-09-04", "chargeback", ""), "returned_on");
    let out = give_back(
        "2026-10-01",
        "chargeback",
        "=HYPERLINK(\"x\") <b>issuer</b>",
    );
    assert_says(&out, "owed again");
    assert_refused(&give_back("2026-10-02", "returned", ""), "returned on");
    assert_eq!(
        total("2026-09-30"),
        serde_json::Value::Null,
        "before the day"
    );
    assert_eq!(total("2026-10-15"), 1_234_567);
    let list = stdout(&cli(&db, &["payments", "list", "--customer", "1"]));
    assert!(list.contains("chargeback on 2026-10-01"), "{list}");

    let named = cli(
        &db,
        &["settings", "set", "letterhead.name", "雲端經銷有限公司"],
    );
    assert!(named.status.success());
    let pdf = dir.path().join("statement.pdf");
    let out = cli(
        &db,
        &[
            "statement",
            "--customer",
            "1",
            "--as-of",
            "2026-10-15",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let text = pdf_text(&pdf);
    assert!(text.contains("付款遭發卡機構退單"), "{text}");
    cli_ok(&db, &["audit", "verify"]);
}
