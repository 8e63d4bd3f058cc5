//! The credit line with Microsoft from the window's side, on the demo company: the line's
//! settings refused field by field and saved, Microsoft's invoices imported from the path the
//! Open dialog hands over (twice: nothing changes), typed and marked paid, and the headroom
//! moving by exactly their amounts.

use riskdesk_core::microsoft::invoices::MsInvoiceInput;
use riskdesk_core::microsoft::CreditLineInput;

use super::microsoft as ms;
use super::tests::{fixture, host, import_file, refused};

#[test]
fn the_line_and_microsoft_s_invoices_from_the_window() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let before = ms::get_headroom(h.conn, &h.ctx).unwrap();
    assert_eq!(before.line.limit.unwrap().format(), "NT$8,000,000");

    let bad = CreditLineInput {
        limit: "=1+1".into(),
        currency: "TWD".into(),
        terms_days: "60".into(),
        thresholds: "80,100".into(),
    };
    refused(ms::save_credit_line(&mut h, &bad), "limit");
    let long = CreditLineInput {
        thresholds: "8".repeat(1000),
        ..bad.clone()
    };
    refused(ms::save_credit_line(&mut h, &long), "thresholds");
    let line = ms::save_credit_line(
        &mut h,
        &CreditLineInput {
            limit: "5,000,000".into(),
            ..bad
        },
    )
    .unwrap();
    assert_eq!(
        riskdesk_core::microsoft::CreditLine::load(h.conn).unwrap(),
        line
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("microsoft.csv");
    std::fs::write(
        &file,
        "number,invoice_date,amount,currency,due_date,paid_date\nG-IMPORTED,2026-11-20,\"12,345.67\",TWD,,\n",
    )
    .unwrap();
    let import = |h: &mut crate::host::Host| import_file(h, "ms_invoices", &file).unwrap();
    assert_eq!(import(&mut h).created, 1);
    assert_eq!(import(&mut h).unchanged, 1, "the same file changes nothing");
    let after = ms::get_headroom(h.conn, &h.ctx).unwrap();
    assert_eq!(
        after.unpaid_invoices.minor - before.unpaid_invoices.minor,
        1_234_567
    );

    let typed = ms::add(
        &mut h,
        &MsInvoiceInput {
            number: "G-TYPED".into(),
            invoice_date: "2026-11-21".into(),
            amount: "1".into(),
            currency: "TWD".into(),
            due_on: String::new(),
            paid_on: String::new(),
        },
    )
    .unwrap();
    assert_eq!(typed.due_on.to_string(), "2027-01-20");
    refused(ms::set_paid(&mut h, "G-TYPED", "2026-13-01"), "paid_on");
    ms::set_paid(&mut h, "G-IMPORTED", "2026-11-22").unwrap();
    let paid = ms::get_headroom(h.conn, &h.ctx).unwrap();
    assert_eq!(
        paid.unpaid_invoices.minor - before.unpaid_invoices.minor,
        100
    );
    assert!(ms::list(h.conn)
        .unwrap()
        .iter()
        .any(|i| i.number == "G-IMPORTED" && i.paid_on.is_some()));
}
