//! The payment plan commands without a window, on the demo company: a plan previewed and
//! made as typed in the form, its agreement rendered, every argument checked with its field
//! named, and a cancel that needs a reason.

use super::documents::{self, DocumentRequest};
use super::plans::{self, PlanInput};
use super::tests::{audit_rows, fixture, host, refused};

/// A customer of the demo with two overdue invoices in New Taiwan dollars, and the first.
fn candidate(f: &super::tests::Fixture) -> (i64, i64) {
    f.conn
        .query_row(
            "SELECT i.customer_id, min(i.id) FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE i.settled_on = '9999-12-31' AND i.currency = 'TWD' AND i.disputed = 0 AND c.status <> 'closed'
             GROUP BY i.customer_id ORDER BY i.customer_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn input(customer_id: i64, invoice: i64) -> PlanInput {
    PlanInput {
        customer_id,
        invoices: vec![invoice],
        instalments: "3".into(),
        first: riskdesk_core::test_support::ctx().today.to_string(),
        every: "month".into(),
        rate: "6.5".into(),
        note: "<b>agreed</b> =1+1".into(),
        typed: String::new(),
    }
}

#[test]
fn a_plan_is_previewed_made_printed_and_cancelled_from_the_window() {
    let mut f = fixture();
    let (customer, invoice) = candidate(&f);
    let h = host(&mut f);
    let draft = plans::preview(h.conn, &h.ctx, &input(customer, invoice)).unwrap();
    assert_eq!(draft.instalments.len(), 3);
    assert_eq!(draft.total.minor, draft.owed.minor + draft.interest.minor);
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    for (field, change) in [
        (
            "instalments",
            Box::new(|i: &mut PlanInput| i.instalments = "abc".into())
                as Box<dyn Fn(&mut PlanInput)>,
        ),
        (
            "instalments",
            Box::new(|i: &mut PlanInput| i.instalments = "0".into()),
        ),
        (
            "instalments",
            Box::new(|i: &mut PlanInput| i.instalments = "121".into()),
        ),
        ("rate", Box::new(|i: &mut PlanInput| i.rate = "1e2".into())),
        ("rate", Box::new(|i: &mut PlanInput| i.rate = "=1+1".into())),
        (
            "first",
            Box::new(|i: &mut PlanInput| i.first = "2026-02-30".into()),
        ),
        (
            "first",
            Box::new(|i: &mut PlanInput| i.first = "2020-01-01".into()),
        ),
        (
            "every",
            Box::new(|i: &mut PlanInput| i.every = "weekly".into()),
        ),
        (
            "invoices",
            Box::new(|i: &mut PlanInput| i.invoices = vec![]),
        ),
        (
            "invoices.0",
            Box::new(|i: &mut PlanInput| i.invoices = vec![-1]),
        ),
        (
            "customer_id",
            Box::new(|i: &mut PlanInput| i.customer_id = 0),
        ),
    ] {
        let mut bad = input(customer, invoice);
        change(&mut bad);
        refused(plans::create(&mut h, &bad), field);
    }
    assert_eq!(audit_rows(&f), before, "nothing written by a refused plan");
    let mut h = host(&mut f);
    let plan = plans::create(&mut h, &input(customer, invoice)).unwrap();
    assert_eq!(plan.note, "<b>agreed</b> =1+1", "kept as text");
    refused(
        plans::create(&mut h, &input(customer, invoice)),
        "invoices.0",
    );
    let listed = plans::for_customer(h.conn, &h.ctx, customer).unwrap();
    assert_eq!(listed[0].id, plan.id);
    let request = |customer_id, plan_id| DocumentRequest {
        kind: "plan".into(),
        customer_id,
        as_of: riskdesk_core::test_support::ctx().today.to_string(),
        lang: String::new(),
        plan_id,
    };
    let pdf = documents::render(&mut h, &request(customer, plan.id)).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    refused(
        documents::render(&mut h, &request(customer + 1, plan.id)),
        "plan_id",
    );
    refused(documents::render(&mut h, &request(customer, 0)), "plan_id");
    refused(plans::cancel(&mut h, plan.id, " "), "note");
    let cancelled = plans::cancel(&mut h, plan.id, "paid at once").unwrap();
    assert_eq!(cancelled.status.as_str(), "cancelled");
}

#[test]
fn typed_instalments_are_read_in_the_customer_s_currency_line_by_line() {
    let mut f = fixture();
    let (customer, invoice) = candidate(&f);
    let owed: i64 = f
        .conn
        .query_row(
            "SELECT total_minor - written_off_minor - COALESCE((SELECT sum(amount_minor) FROM allocations WHERE invoice_id = ?1), 0) FROM invoices WHERE id = ?1",
            [invoice],
            |r| r.get(0),
        )
        .unwrap();
    let today = riskdesk_core::test_support::ctx().today;
    let major = |m: i64| format!("{}.{:02}", m / 100, m % 100);
    let typed = |text: String| PlanInput {
        typed: text,
        ..input(customer, invoice)
    };
    let h = host(&mut f);
    let good = format!(
        "{} 1\n\n{} {}\n",
        today,
        today + chrono::Duration::days(30),
        major(owed - 100)
    );
    let d = plans::preview(h.conn, &h.ctx, &typed(good)).unwrap();
    assert_eq!(d.instalments.len(), 2);
    assert_eq!(d.instalments[0].principal.minor, 100);
    for (bad, field) in [
        (format!("{today}"), "typed.0"),
        (format!("{today} 1234,56"), "typed.0"),
        (format!("{today} 1\n2026-02-30 5"), "typed.1"),
        (format!("{today} =1+1"), "typed.0"),
        (format!("{today} 1"), "instalments"),
    ] {
        refused(plans::preview(h.conn, &h.ctx, &typed(bad)), field);
    }
}
