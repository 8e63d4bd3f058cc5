//! Risk benchmark (not a test): scores 10,000 customers with their records.
//!   cargo bench -p riskdesk-core --bench risk
//! Goal from the risk issue: scoring 10,000 customers and writing the portfolio report
//! under one second together on a 2-core machine (the report is not built yet; this
//! measures the scoring and the history refresh).

use std::time::Instant;

use chrono::{TimeZone, Utc};
use riskdesk_core::customer::{self, CustomerInput, OnboardingCheck, OnboardingItem};
use riskdesk_core::risk;
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::Ctx;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = store::create(&dir.path().join("risk.db"), &DbKey::generate().unwrap()).unwrap();
    let ctx = Ctx::new(
        "bench",
        Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap(),
    );
    let instruments = [
        "bank_transfer",
        "direct_debit",
        "credit_card",
        "debit_card",
        "prepaid_card",
    ];
    let t = Instant::now();
    let tx = conn.transaction().unwrap();
    for i in 0..10_000usize {
        let c = customer::create(
            &tx,
            &ctx,
            &CustomerInput {
                legal_name: format!("Risk Bench Customer {i:05}"),
                country: ["TW", "US", "JP", "SG"][i % 4].into(),
                currency: "TWD".into(),
                language: "en".into(),
                payment_terms_days: "30".into(),
                payment_instrument: instruments[i % instruments.len()].into(),
                admin_access: ["none", "limited", "full"][i % 3].into(),
                status: "active".into(),
                email: format!("ap@bench{}.example", i / 3),
                credit_limit: "100000".into(),
                ..Default::default()
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
                        done_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                        done_by: "bench".into(),
                        reference: "R-1".into(),
                        note: String::new(),
                    },
                )
                .unwrap();
            }
        }
    }
    tx.commit().unwrap();
    println!(
        "built 10,000 customers with their checks in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..3 {
        let t = Instant::now();
        n = risk::scores(&conn, ctx.today, ctx.now, None).unwrap().len();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "scored {n} customers in {:.0} ms (best of 3)",
        best * 1000.0
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
