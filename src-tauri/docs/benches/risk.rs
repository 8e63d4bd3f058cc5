//! Risk benchmark (not a test): scores 10,000 customers with their records (checks, their
//! Microsoft tenants, subscriptions with annual terms and open cancellation windows,
//! invoices, some overdue, payments) and writes the portfolio risk report.
//!   cargo bench -p riskdesk-docs --bench risk
//! Goal from the risk issue: both together under one second on a 2-core machine.

use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use riskdesk_core::customer::{self, CustomerInput, Language, OnboardingCheck, OnboardingItem};
use riskdesk_core::money::{Currency, Money};
use riskdesk_core::receivables::{self, InvoiceLine, NewInvoice, NewPayment, PaymentKind};
use riskdesk_core::risk::{self, report};
use riskdesk_core::subscription::{self, SubscriptionInput};
use riskdesk_core::test_support::{book, customer_input, line, new_invoice};
use riskdesk_core::Ctx;
use riskdesk_docs::{portfolio_risk_report, Letterhead, Paper};

const CUSTOMERS: usize = 10_000;

fn main() {
    let (_dir, mut conn) = book();
    let ctx = Ctx::new(
        "bench",
        Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap(),
    );
    let today = ctx.today;
    let twd = Currency::parse("TWD").unwrap();
    let instruments = [
        "bank_transfer",
        "direct_debit",
        "credit_card",
        "debit_card",
        "prepaid_card",
    ];
    let t = Instant::now();
    let tx = conn.transaction().unwrap();
    for i in 0..CUSTOMERS {
        let c = customer::create(
            &tx,
            &ctx,
            &CustomerInput {
                payment_instrument: instruments[i % instruments.len()].into(),
                admin_access: ["none", "limited", "full"][i % 3].into(),
                email: format!("ap@bench{}.example", i / 3),
                // Contact people in Chinese and in English, compared as one name.
                contact_name: if i % 2 == 0 {
                    let surname = "陳林黃張李王吳劉蔡楊".chars().nth(i % 10).unwrap_or('陳');
                    let given = ["建宏", "志明", "淑芬", "怡君", "家豪", "雅婷", "俊傑"];
                    format!("{surname}{}", given[(i / 10) % given.len()])
                } else {
                    let surname = ["Chen", "Lin", "Huang", "Chang", "Lee", "Wang"][i % 6];
                    let given = ["Chien-Hung", "Chih-Ming", "Shu-Fen", "Yi-Chun", "Chia-Hao"];
                    format!("{} {surname}", given[(i / 10) % given.len()])
                },
                credit_limit: "100000".into(),
                ..customer_input(
                    &format!("Risk Bench Customer {i:05}"),
                    "TWD",
                    ["TW", "US", "JP", "SG"][i % 4],
                )
            },
        )
        .unwrap();
        for (k, item) in OnboardingItem::ALL.iter().enumerate() {
            if (i + k) % 3 != 0 {
                customer::record_check(
                    &tx,
                    &ctx,
                    c.id,
                    &OnboardingCheck {
                        item: *item,
                        done_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                        done_by: "bench".into(),
                        reference: "R-1".into(),
                        note: String::new(),
                    },
                )
                .unwrap();
            }
        }
        // Each customer's Microsoft tenant, as a usage import links it (straight into the
        // table: the import is measured by its own benchmark).
        tx.execute(
            "INSERT INTO usage_tenants (tenant_id, name, domain, customer_id, first_seen, first_day)
             VALUES (?1, ?2, ?3, ?4, '2026-11-01T00:00:00Z', ?5)",
            rusqlite::params![
                format!("{:08x}-0000-4000-8000-000000000000", i),
                format!("Risk Bench Customer {i:05}"),
                format!("bench{i}.onmicrosoft.com"),
                c.id.0,
                (today - Duration::days((i % 90) as i64)).to_string()
            ],
        )
        .unwrap();
        // An annual term for most (some bought in the last days: an open window), monthly
        // Azure for a third.
        let started = today - Duration::days((i % 400) as i64);
        let s = subscription::add(
            &tx,
            &ctx,
            c.id,
            &SubscriptionInput {
                offer: "Microsoft 365 E3".into(),
                quantity: (1 + i % 40).to_string(),
                monthly_price: "1,200".into(),
                start_on: started.to_string(),
                term: if i % 3 == 0 { "monthly" } else { "annual" }.into(),
                ..Default::default()
            },
        )
        .unwrap();
        // Two invoices each, one paid; every fourth customer's second one is overdue.
        for k in 0..2i64 {
            let issued = today - Duration::days(if i % 4 == 0 { 70 } else { 20 } + 30 * k);
            let number = format!("B-{i:05}-{k}");
            let seats = InvoiceLine {
                subscription_id: Some(s.id),
                ..line("Microsoft 365 E3", s.quantity, s.monthly_price.minor)
            };
            let new = NewInvoice {
                lines: vec![seats],
                ..new_invoice(&number, c.id, issued, None, 0, "TWD")
            };
            let inv = receivables::insert_invoice(&tx, &ctx, &new).unwrap();
            if k == 1 {
                receivables::record_payment(
                    &tx,
                    &ctx,
                    &NewPayment {
                        customer_id: c.id,
                        kind: PaymentKind::Payment,
                        received_on: issued + Duration::days(25),
                        amount: Money::new(inv.total.minor, twd),
                        method: "bank".into(),
                        reference: format!("P-{i:05}"),
                        invoice_number: Some(inv.number.clone()),
                    },
                )
                .unwrap();
            }
        }
    }
    tx.commit().unwrap();
    println!(
        "built {CUSTOMERS} customers with checks, subscriptions, {} invoices and {CUSTOMERS} payments in {:.1} s",
        2 * CUSTOMERS,
        t.elapsed().as_secs_f64()
    );

    let lh = Letterhead {
        name: "Bench Reseller Ltd".into(),
        ..Default::default()
    };
    let mut best = (f64::MAX, f64::MAX, f64::MAX);
    let mut sizes = (0, 0, 0);
    for _ in 0..3 {
        let t = Instant::now();
        let n = risk::scores(&conn, today, ctx.now, None).unwrap().len();
        let scored = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let r = report::portfolio_report(&conn, today, ctx.now).unwrap();
        let pdf = portfolio_risk_report(Paper::A4, &lh, Language::En, &r);
        let reported = t.elapsed().as_secs_f64();
        if scored + reported < best.0 + best.1 {
            best = (scored, reported, scored + reported);
            sizes = (n, pdf.len(), r.windows.len());
        }
    }
    println!(
        "scored {} customers in {:.0} ms; portfolio report (it scores again, gathers aging, windows, alerts) and its {} KiB PDF ({} open windows listed) in {:.0} ms; together {:.0} ms (best of 3)",
        sizes.0,
        best.0 * 1000.0,
        sizes.1 / 1024,
        sizes.2,
        best.1 * 1000.0,
        best.2 * 1000.0
    );
    // One customer's score, as the customer's page asks for it.
    let one = riskdesk_core::ids::CustomerId(CUSTOMERS as i64 / 2);
    let mut single = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let s = risk::scores(&conn, today, ctx.now, Some(one)).unwrap();
        assert_eq!(s.len(), 1);
        single = single.min(t.elapsed().as_secs_f64());
    }
    println!(
        "one customer's score (of {CUSTOMERS}) in {:.0} ms (best of 5)",
        single * 1000.0
    );
    let t = Instant::now();
    let tx = conn.transaction().unwrap();
    let written = risk::refresh(&tx, &ctx).unwrap();
    tx.commit().unwrap();
    println!(
        "history refresh: {written} rows in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
}
