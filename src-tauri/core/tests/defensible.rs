//! Issue 6: each observation of the review, reproduced and shown fixed, on temporary
//! encrypted databases. Money is checked the way an accountant would: runs over months,
//! then the charges added up.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use riskdesk_core::collections::{self, interest_minor, Exclusions, LevelId, Note, PolicyId};
use riskdesk_core::customer::{self};
use riskdesk_core::ids::{CustomerId, InvoiceId};
use riskdesk_core::money::Money;
use riskdesk_core::receivables::{self, NewInvoice, NewPayment, PaymentKind};
use riskdesk_core::store::{self, settings, DbKey};
use riskdesk_core::subscription::{self, SubscriptionStatus};
use riskdesk_core::{audit, Error};
use rusqlite::Connection;

use riskdesk_core::test_support::{
    self as support, ctx, cur, d, ledger_db as db, line, new_invoice, policy_input, run,
    save_policy as save, scalar,
};

/// Imports an invoice file (`csv`, named `file`) inside `tx`.
fn invoices_from(
    tx: &rusqlite::Transaction,
    file: &str,
    csv: &str,
) -> riskdesk_core::Result<riskdesk_core::import::ImportSummary> {
    riskdesk_core::import::import_invoices(tx, &ctx(), file, csv.as_bytes(), |_, _| {})
}

fn customer(conn: &mut Connection, name: &str, currency: &str) -> CustomerId {
    support::customer(conn, name, currency, "TW")
}

/// A customer with an Azure plan whose subscription row is written as an old schema
/// version would write it (no Partner Center id).
fn customer_of_an_old_book(conn: &mut Connection, name: &str, currency: &str) -> CustomerId {
    // The customer row as schema 1 wrote it (today's record has columns it lacks).
    let tx = conn.transaction().unwrap();
    tx.execute(
        "INSERT INTO customers (legal_name, country, currency, language, payment_terms_days, credit_limit_minor,
             payment_instrument, card_present, admin_access, status, created_at, updated_at)
         VALUES (?1, 'TW', ?2, 'en', 30, 0, 'bank_transfer', 0, 'none', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        rusqlite::params![name, currency],
    )
    .unwrap();
    let id = CustomerId(tx.last_insert_rowid());
    tx.execute(
        "INSERT INTO subscriptions (customer_id, offer, quantity, monthly_price_minor, currency, start_on, status, created_at, updated_at)
         VALUES (?1, 'Azure plan', 1, 10000, ?2, '2026-01-01', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        rusqlite::params![id.0, currency],
    )
    .unwrap();
    tx.commit().unwrap();
    id
}

fn invoice(
    conn: &mut Connection,
    cid: CustomerId,
    number: &str,
    due: NaiveDate,
    minor: i64,
    currency: &str,
) -> InvoiceId {
    support::invoice(
        conn,
        cid,
        number,
        (due - Duration::days(30), due),
        minor,
        currency,
    )
}

/// Interest on the charge invoices of a customer, read back from their lines.
fn interest_booked(conn: &Connection, cid: CustomerId) -> i64 {
    conn.query_row(
        "SELECT COALESCE(sum(l.quantity * l.unit_price_minor), 0) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
         WHERE i.customer_id = ?1 AND i.kind = 'charge' AND l.description LIKE 'Interest on %'",
        [cid],
        |r| r.get(0),
    )
    .unwrap()
}

/// Observation 1: NT$100,000.00 due 2026-01-31, runs on 02-21, 03-02, 03-17 and 05-01.
/// Before: NT$5,095.89 of interest. Now: the days are charged once, from the 0 % reminder's
/// day (02-07), NT$2,273.98 against the one-shot NT$2,273.97 (one minor unit of rounding,
/// per-run rounding documented).
#[test]
fn interest_is_charged_once_over_months_of_runs() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Slow Payer", "TWD");
    invoice(&mut conn, c, "INV-1", d(2026, 1, 31), 10_000_000, "TWD");
    let mut periods = Vec::new();
    for day in [d(2026, 2, 21), d(2026, 3, 2), d(2026, 3, 17), d(2026, 5, 1)] {
        let r = run(&mut conn, day).unwrap();
        let inv = r.customers[0]
            .plan
            .invoices
            .iter()
            .find(|i| i.number == "INV-1")
            .unwrap();
        let a = inv.interest.clone().unwrap();
        periods.push((a.from, a.to, a.interest_minor));
    }
    assert_eq!(
        periods,
        [
            // The days up to the 0 % reminder (day 7, 02-07) are free.
            (d(2026, 2, 7), d(2026, 2, 21), 38_356),
            (d(2026, 2, 21), d(2026, 3, 2), 24_658),
            (d(2026, 3, 2), d(2026, 3, 17), 41_096),
            (d(2026, 3, 17), d(2026, 5, 1), 123_288),
        ]
    );
    let booked = interest_booked(&conn, c);
    assert_eq!(booked, 227_398);
    assert_eq!(interest_minor(10_000_000, 1000, 83), 227_397);
    // The letter of the last run states its own period, and the charge lines say it too.
    let line: String = scalar(&conn, "SELECT description FROM invoice_lines WHERE description LIKE 'Interest on INV-1%' ORDER BY id DESC LIMIT 1");
    assert_eq!(
        line,
        "Interest on INV-1: 10.00% a year on NT$100,000 for 45 days, 2026-03-18 to 2026-05-01"
    );
    // A later run charges nothing more for those days.
    assert!(run(&mut conn, d(2026, 5, 1)).is_none());
    assert!(audit::verify(&conn).unwrap().is_intact());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// For any sequence of run dates, the interest booked equals the one-shot figure for
    /// the period it covers (due date to the last interest-bearing level), within one minor
    /// unit per run, and the periods follow each other without gap or overlap.
    #[test]
    fn interest_never_depends_on_how_often_runs_happen(
        offsets in proptest::collection::btree_set(1i64..200, 1..8),
        amount in 1i64..10_000_000_000,
    ) {
        let (_d, mut conn) = db();
        let c = customer(&mut conn, "Prop Payer", "TWD");
        let due = d(2026, 1, 31);
        let inv = invoice(&mut conn, c, "P-1", due, amount, "TWD");
        let mut runs = 0i64;
        let mut last_interest_day = None;
        let mut reached = 0;
        for off in &offsets {
            // Default policy: levels at 7, 21, 30, 45, 90 days; interest from level 2.
            let level = [7, 21, 30, 45, 90].iter().filter(|l| **l <= *off).count();
            if level > reached {
                reached = level;
                if level >= 2 {
                    last_interest_day = Some(due + Duration::days(*off));
                }
            }
            if run(&mut conn, due + Duration::days(*off)).is_some() {
                runs += 1;
            }
        }
        let booked = interest_booked(&conn, c);
        // The days before the default policy's 0 % reminder (day 7) are free.
        let free = due + Duration::days(7);
        let expected = last_interest_day
            .map(|day| interest_minor(amount, 1000, (day - free).num_days()))
            .unwrap_or(0);
        prop_assert!((booked - expected).abs() <= runs, "booked {booked}, one-shot {expected}, {runs} runs");
        let mut stmt = conn
            .prepare("SELECT interest_from, interest_to FROM dunning_steps WHERE invoice_id = ?1 AND interest_to IS NOT NULL ORDER BY interest_to")
            .unwrap();
        let periods: Vec<(String, String)> = stmt
            .query_map([inv], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for w in periods.windows(2) {
            prop_assert_eq!(&w[0].1, &w[1].0);
        }
        if let Some(first) = periods.first() {
            prop_assert_eq!(first.0.clone(), free.to_string());
        }
    }
}

/// Observation 5: a fee typed for NT$ is not charged as the same minor units in USD or
/// JPY; a customer whose currency has no fee pays none and the plan says why. Typed
/// amounts and rates are parsed exactly in Rust.
#[test]
fn late_fees_and_minimums_are_money_per_currency() {
    let (_d, mut conn) = db();
    let tw = customer(&mut conn, "Taipei Co", "TWD");
    let us = customer(&mut conn, "Boston Inc", "USD");
    let jp = customer(&mut conn, "Osaka KK", "JPY");
    invoice(&mut conn, tw, "TW-1", d(2026, 9, 1), 1_000_000, "TWD");
    invoice(&mut conn, us, "US-1", d(2026, 9, 1), 100_000, "USD");
    invoice(&mut conn, jp, "JP-1", d(2026, 9, 1), 5_000, "JPY");
    let mut input = policy_input(&conn);
    input.levels[0].late_fees = vec![
        collections::AmountInput {
            currency: "TWD".into(),
            amount: "300".into(),
        },
        collections::AmountInput {
            currency: "JPY".into(),
            amount: "1,500".into(),
        },
    ];
    input.min_overdue = vec![collections::AmountInput {
        currency: "JPY".into(),
        amount: "10000".into(),
    }];
    // Too many decimals are refused, never rounded; so is a rate like 1e3.
    let mut bad = input.clone();
    bad.levels[0].late_fees[1].amount = "1500.5".into();
    assert!(matches!(save(&mut conn, &bad), Err(Error::Validation(_))));
    let mut bad = input.clone();
    bad.levels[1].interest = "1e3".into();
    assert!(matches!(save(&mut conn, &bad), Err(Error::Validation(_))));
    let p = save(&mut conn, &input).unwrap();
    assert_eq!(
        p.levels[0].late_fee(cur("TWD")),
        Some(Money::new(30_000, cur("TWD")))
    );
    assert_eq!(
        p.levels[0].late_fee(cur("JPY")),
        Some(Money::new(1_500, cur("JPY")))
    );
    assert_eq!(p.levels[0].late_fee(cur("USD")), None);
    let plan = collections::plan(&conn, d(2026, 9, 10)).unwrap();
    let of = |id| plan.customers.iter().find(|c| c.customer_id == id);
    assert_eq!(of(tw).unwrap().charges, Money::new(30_000, cur("TWD")));
    assert_eq!(of(us).unwrap().charges, Money::new(0, cur("USD")));
    assert!(of(us).unwrap().notes.contains(&Note::NoFeeInCurrency {
        currency: cur("USD")
    }));
    // ¥5,000 overdue is under the ¥10,000 minimum: nothing is sent.
    assert!(of(jp).is_none());
}

/// Observation 6: editing a policy keeps level ids; steps already applied stay applied.
#[test]
fn editing_a_policy_neither_skips_nor_repeats_levels() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Edit Co", "TWD");
    invoice(&mut conn, c, "E-1", d(2026, 9, 1), 1_000_000, "TWD");
    let r = run(&mut conn, d(2026, 9, 23)).unwrap(); // 22 days: level 2 (day 21)
    assert_eq!(r.customers[0].plan.level.seq, 2);
    let before = collections::policy(&conn, PolicyId(1)).unwrap();
    // Insert a level at day 14 in front of everything but the first: positions shift.
    let mut input = policy_input(&conn);
    let mut extra = input.levels[0].clone();
    extra.id = LevelId(0);
    extra.days_after_due = "14".into();
    extra.name_en = "Second reminder".into();
    extra.name_zh = "第二次提醒".into();
    input.levels.insert(1, extra);
    let after = save(&mut conn, &input).unwrap();
    assert_eq!(after.levels.len(), 6);
    for l in &before.levels {
        let same = after.levels.iter().find(|a| a.id == l.id).unwrap();
        assert_eq!(same.days_after_due, l.days_after_due);
    }
    // Day 25: level 2 ("Formal notice", now at position 3) is not applied again, and the
    // new day-14 level is not applied after a later one.
    assert!(collections::plan(&conn, d(2026, 9, 26))
        .unwrap()
        .customers
        .is_empty());
    // Remove the suspension warning (day 30): day 31 brings nothing; day 46 brings the
    // suspension notice, which is not skipped.
    let mut input = policy_input(&conn);
    input.levels.retain(|l| l.days_after_due != "30");
    save(&mut conn, &input).unwrap();
    assert!(collections::plan(&conn, d(2026, 10, 2))
        .unwrap()
        .customers
        .is_empty());
    let p = collections::plan(&conn, d(2026, 10, 17)).unwrap();
    assert_eq!(p.customers[0].level.days_after_due, 45);
    // Steps record the level id and policy.
    let (level_id, policy_id): (LevelId, i64) = conn
        .query_row(
            "SELECT level_id, policy_id FROM dunning_steps LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(policy_id, 1);
    assert_eq!(
        collections::level(&conn, level_id).unwrap().days_after_due,
        21
    );
}

/// Observation 7: payments skip disputed invoices and other currencies; a currency change
/// is refused once money is booked.
#[test]
fn payments_skip_disputes_and_the_currency_is_locked_once_money_is_booked() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Disputing Co", "USD");
    let a = invoice(&mut conn, c, "A", d(2026, 8, 1), 10_000, "USD");
    invoice(&mut conn, c, "B", d(2026, 9, 1), 10_000, "USD");
    let tx = conn.transaction().unwrap();
    receivables::set_dispute(&tx, &ctx(), a, true, "wrong seats").unwrap();
    receivables::record_payment(
        &tx,
        &ctx(),
        &support::payment(c, "P1", d(2026, 9, 5), Money::new(15_000, cur("USD"))),
    )
    .unwrap();
    tx.commit().unwrap();
    let open = receivables::open_items(&conn, d(2026, 9, 6), Some(c)).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].number.as_str(), open[0].due.minor), ("A", 10_000));
    assert_eq!(receivables::customer_credit(&conn, c).unwrap(), 5_000);
    // Resolving the dispute lets the held credit pay it.
    let tx = conn.transaction().unwrap();
    receivables::set_dispute(&tx, &ctx(), a, false, "").unwrap();
    tx.commit().unwrap();
    assert_eq!(
        receivables::open_items(&conn, d(2026, 9, 6), Some(c)).unwrap()[0]
            .due
            .minor,
        5_000
    );
    // The currency cannot change any more.
    let tx = conn.transaction().unwrap();
    let mut input = customer::get(&tx, c).unwrap().fields.to_input();
    input.currency = "TWD".into();
    let err = customer::update(&tx, &ctx(), c, &input.validate().unwrap()).unwrap_err();
    assert!(err.to_string().contains("currency"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Allocations never exceed a payment or an invoice, and what is allocated plus the
    /// customer's credit is exactly what was paid.
    #[test]
    fn allocations_never_exceed_and_sum_to_the_whole(
        invoices in proptest::collection::vec((1i64..100_000, any::<bool>()), 1..6),
        payments in proptest::collection::vec(1i64..150_000, 1..6),
    ) {
        let (_d, mut conn) = db();
        let c = customer(&mut conn, "Alloc Co", "USD");
        for (i, (minor, disputed)) in invoices.iter().enumerate() {
            let id = invoice(&mut conn, c, &format!("I-{i}"), d(2026, 1, 1) + Duration::days(i as i64), *minor, "USD");
            if *disputed {
                let tx = conn.transaction().unwrap();
                receivables::set_dispute(&tx, &ctx(), id, true, "").unwrap();
                tx.commit().unwrap();
            }
        }
        for (i, minor) in payments.iter().enumerate() {
            let tx = conn.transaction().unwrap();
            receivables::record_payment(&tx, &ctx(), &NewPayment {
                customer_id: c,
                kind: PaymentKind::Payment,
                received_on: d(2026, 3, 1),
                amount: Money::new(*minor, cur("USD")),
                method: String::new(),
                reference: format!("P-{i}"),
                invoice_number: None,
            }).unwrap();
            tx.commit().unwrap();
        }
        let over_payment: i64 = scalar(&conn, "SELECT count(*) FROM payments p WHERE p.amount_minor < (SELECT COALESCE(sum(amount_minor), 0) FROM allocations a WHERE a.payment_id = p.id)");
        let over_invoice: i64 = scalar(&conn, "SELECT count(*) FROM invoices i WHERE i.total_minor < (SELECT COALESCE(sum(amount_minor), 0) FROM allocations a WHERE a.invoice_id = i.id)");
        let to_disputed: i64 = scalar(&conn, "SELECT count(*) FROM allocations a JOIN invoices i ON i.id = a.invoice_id WHERE i.disputed = 1");
        let allocated: i64 = scalar(&conn, "SELECT COALESCE(sum(amount_minor), 0) FROM allocations");
        prop_assert_eq!(over_payment, 0);
        prop_assert_eq!(over_invoice, 0);
        prop_assert_eq!(to_disputed, 0);
        prop_assert_eq!(allocated + receivables::customer_credit(&conn, c).unwrap(), payments.iter().sum::<i64>());
    }
}

/// Observation 8: the run refuses a plan other than the one reviewed, a date after today
/// and a missing letterhead; left-out suspension changes the letter; paid customers'
/// subscriptions are reactivated.
#[test]
fn a_run_executes_the_reviewed_plan_only_and_its_letters_agree_with_it() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Suspend Co", "TWD");
    invoice(&mut conn, c, "S-1", d(2026, 9, 1), 1_000_000, "TWD");
    let as_of = d(2026, 10, 20); // 49 days: suspension notice
    let reviewed = collections::plan(&conn, as_of).unwrap();
    assert_eq!(
        reviewed.fingerprint,
        collections::plan(&conn, as_of).unwrap().fingerprint
    );
    // Something changes after the review: a payment arrives.
    let tx = conn.transaction().unwrap();
    receivables::record_payment(
        &tx,
        &ctx(),
        &support::payment(c, "late", d(2026, 10, 1), Money::new(1_000, cur("TWD"))),
    )
    .unwrap();
    let err = collections::execute(
        &tx,
        &ctx(),
        as_of,
        &Exclusions::default(),
        Some(&reviewed.fingerprint),
        "out",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("changed since you reviewed"),
        "{err}"
    );
    // After today: refused.
    let err = collections::execute(
        &tx,
        &ctx(),
        d(2099, 1, 1),
        &Exclusions::default(),
        None,
        "out",
    )
    .unwrap_err();
    assert!(err.to_string().contains("after today"), "{err}");
    let err = collections::execute(
        &tx,
        &ctx(),
        NaiveDate::MAX,
        &Exclusions::default(),
        None,
        "out",
    )
    .unwrap_err();
    assert!(err.to_string().contains("between"), "{err}");
    // No company name: refused, saying where to set it.
    settings::set(&tx, &ctx(), "letterhead.name", "").unwrap();
    let err =
        collections::execute(&tx, &ctx(), as_of, &Exclusions::default(), None, "out").unwrap_err();
    assert!(err.to_string().contains("Settings"), "{err}");
    settings::set(&tx, &ctx(), "letterhead.name", "Reseller Ltd").unwrap();
    tx.commit().unwrap();
    // The reviewed plan, with suspension left out: no suspension, no suspension sentence.
    let plan = collections::plan(&conn, as_of).unwrap();
    let tx = conn.transaction().unwrap();
    let r = collections::execute(
        &tx,
        &ctx(),
        as_of,
        &Exclusions {
            no_suspension: vec![c],
            ..Default::default()
        },
        Some(&plan.fingerprint),
        "out",
    )
    .unwrap()
    .unwrap();
    tx.commit().unwrap();
    let pc = &r.customers[0].plan;
    assert!(pc.suspension_left_out);
    assert!(pc.level.letter_en.contains("suspended"));
    assert!(
        !pc.letter_text().contains("suspend"),
        "{}",
        pc.letter_text()
    );
    assert_eq!(
        subscription::list_for_customer(&conn, c).unwrap()[0].status,
        SubscriptionStatus::Active
    );
    // The stored record gives back the same run.
    assert_eq!(collections::run_record(&conn, r.id).unwrap(), r);
    let runs = collections::runs(&conn).unwrap();
    assert_eq!(
        (
            runs[0].id,
            runs[0].customers,
            runs[0].letters,
            runs[0].suspensions
        ),
        (r.id, 1, 1, 0)
    );
}

#[test]
fn a_paid_customer_is_reactivated_by_the_next_run() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Back Co", "TWD");
    invoice(&mut conn, c, "R-1", d(2026, 9, 1), 1_000_000, "TWD");
    let r = run(&mut conn, d(2026, 10, 20)).unwrap();
    assert_eq!(r.changes.len(), 1);
    let owed: i64 = receivables::open_items(&conn, d(2026, 10, 25), Some(c))
        .unwrap()
        .iter()
        .map(|i| i.due.minor)
        .sum();
    let tx = conn.transaction().unwrap();
    receivables::record_payment(
        &tx,
        &ctx(),
        &support::payment(c, "all", d(2026, 10, 25), Money::new(owed, cur("TWD"))),
    )
    .unwrap();
    tx.commit().unwrap();
    let r = run(&mut conn, d(2026, 10, 26)).unwrap();
    assert_eq!(
        r.changes[0].action,
        subscription::SubscriptionAction::Reactivate
    );
    assert_eq!(
        subscription::list_for_customer(&conn, c).unwrap()[0].status,
        SubscriptionStatus::Active
    );
    assert!(collections::plan(&conn, d(2026, 10, 27))
        .unwrap()
        .reactivations
        .is_empty());
}

/// A zero-decimal currency through invoice, aging, dunning and the charge.
#[test]
fn yen_go_through_invoice_aging_and_dunning_without_decimals() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Tokyo KK", "JPY");
    invoice(&mut conn, c, "J-1", d(2026, 7, 1), 1_234_567, "JPY");
    let a = receivables::aging(&conn, d(2026, 10, 1), receivables::BucketEdges::default()).unwrap();
    assert_eq!(a.rows[0].buckets[4], 1_234_567);
    assert_eq!(Money::new(1_234_567, cur("JPY")).format(), "¥1,234,567");
    let r = run(&mut conn, d(2026, 10, 1)).unwrap(); // 92 days: final notice, 10 %
    let pc = &r.customers[0].plan;
    // From the 0 % reminder's day (7): ¥1,234,567 x 10 % x 85 / 365 = 28,750.1... -> ¥28,750
    assert_eq!(pc.charges, Money::new(28_750, cur("JPY")));
    assert_eq!(pc.total().format(), "¥1,263,317");
}

/// Observation 4: no panic from extreme dates or amounts in the core.
#[test]
fn extreme_values_are_refused_not_panicked_on() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Edge Co", "TWD");
    assert!(
        receivables::aging(&conn, NaiveDate::MAX, receivables::BucketEdges::default()).is_err()
    );
    assert!(
        receivables::aging(&conn, NaiveDate::MIN, receivables::BucketEdges::default()).is_err()
    );
    assert!(collections::plan(&conn, NaiveDate::MAX).is_err());
    assert!(receivables::statement(&conn, c, NaiveDate::MAX).is_err());
    let tx = conn.transaction().unwrap();
    for (issued, due) in [
        (NaiveDate::MAX, None),
        (d(2100, 12, 31), None),
        (d(2026, 1, 1), Some(NaiveDate::MAX)),
    ] {
        let new = new_invoice(&format!("X-{issued}"), c, issued, due, 1, "TWD");
        let r = receivables::insert_invoice(&tx, &ctx(), &new);
        assert!(r.is_err(), "{issued} {due:?}");
    }
    let huge = NewInvoice {
        lines: vec![line("x", i64::MAX, i64::MAX)],
        ..new_invoice("HUGE", c, d(2026, 1, 1), None, 0, "TWD")
    };
    let r = receivables::insert_invoice(&tx, &ctx(), &huge);
    assert!(r.is_err());
}

/// An unclosed quote is reported on the line where it opens, saying so; a partial row
/// reports every problem it has.
#[test]
fn broken_rows_name_their_line_and_every_problem() {
    let (_d, mut conn) = db();
    let tx = conn.transaction().unwrap();
    let csv = "legal_name,country,currency\nA Ltd,TW,TWD\n\"B Ltd,TW,TWD\nC Ltd,TW,TWD\n";
    let e =
        riskdesk_core::import::import_customers(&tx, &ctx(), "c.csv", csv.as_bytes(), |_, _| {})
            .unwrap_err()
            .to_string();
    assert!(e.contains("c.csv:3") && e.contains("quote"), "{e}");
    let csv = "number,customer,issued_on,currency,description,unit_price\nX-1,Nobody,2026-13-01,TWD,x,abc\n";
    let e = invoices_from(&tx, "i.csv", csv).unwrap_err().to_string();
    for field in ["customer", "issued_on", "unit_price"] {
        assert!(
            e.contains(&format!("i.csv:2 field {field}")),
            "{field}: {e}"
        );
    }
}

/// NT$100,000 due 2026-01-31, paid in full on 2026-03-05 and recorded: a run dated
/// 2026-03-01 planned a formal notice, a call and interest for it. A run ages invoices as of
/// its date but counts every payment recorded.
#[test]
fn a_backdated_run_never_duns_an_invoice_paid_since() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Paid Late Ltd", "TWD");
    invoice(&mut conn, c, "INV-1", d(2026, 1, 31), 10_000_000, "TWD");
    // Another, still unpaid: the backdated run does dun it.
    let other = customer(&mut conn, "Still Owes Ltd", "TWD");
    invoice(&mut conn, other, "INV-2", d(2026, 1, 31), 5_000_000, "TWD");
    let tx = conn.transaction().unwrap();
    receivables::record_payment(
        &tx,
        &ctx(),
        &support::payment(c, "wire", d(2026, 3, 5), Money::new(10_000_000, cur("TWD"))),
    )
    .unwrap();
    tx.commit().unwrap();
    let plan = collections::plan(&conn, d(2026, 3, 1)).unwrap();
    assert!(
        !plan.customers.iter().any(|p| p.customer_id == c),
        "the paid invoice is planned: {:#?}",
        plan.customers
    );
    assert!(plan.customers.iter().any(|p| p.customer_id == other));
    let record = run(&mut conn, d(2026, 3, 1)).expect("a run for the unpaid one");
    assert!(
        !format!("{record:?}").contains("Paid Late Ltd"),
        "the run books nothing for the paid customer"
    );
    // Leaving out a customer that does not exist is refused, and nothing is booked.
    let tx = conn.transaction().unwrap();
    let e = collections::execute(
        &tx,
        &ctx(),
        d(2026, 3, 2),
        &Exclusions {
            customers: vec![CustomerId(999_999)],
            ..Default::default()
        },
        None,
        "out",
    )
    .unwrap_err();
    assert!(e.to_string().contains("999999"), "{e}");
    drop(tx);
    // Aging as of that date still shows the invoice open then: it was, on that day.
    let aging = receivables::open_items(&conn, d(2026, 3, 1), Some(c)).unwrap();
    assert_eq!(aging.len(), 1);
}

/// `1234,56` was booked as 123,456.00 (100 times): a comma is a thousands separator only
/// between groups of three digits, and one ceiling holds for every amount.
#[test]
fn a_decimal_comma_is_refused_with_its_line_and_nothing_is_booked() {
    let (_d, mut conn) = db();
    customer(&mut conn, "Comma Trading", "TWD");
    let tx = conn.transaction().unwrap();
    for (price, hint) in [
        ("\"1234,56\"", "point for decimals"),
        ("\"12,5\"", "point for decimals"),
        ("\"1,2,3\"", "point for decimals"),
        ("50000000000000000.00", "too large"),
    ] {
        let csv = format!(
            "number,customer,issued_on,currency,description,unit_price\nC-1,Comma Trading,2026-11-01,TWD,Azure,{price}\n"
        );
        let e = invoices_from(&tx, "i.csv", &csv).unwrap_err().to_string();
        assert!(
            e.contains("i.csv:2 field unit_price") && e.contains(hint),
            "{price}: {e}"
        );
    }
    let csv = "number,customer,issued_on,currency,description,unit_price\nC-1,Comma Trading,2026-11-01,TWD,Azure,\"1,234.56\"\n";
    invoices_from(&tx, "i.csv", csv).unwrap();
    let total: i64 = scalar(
        &tx,
        "SELECT sum(quantity * unit_price_minor) FROM invoice_lines",
    );
    assert_eq!(total, 123_456);
}

/// A schema-3 database with applied dunning steps and a fee typed without a currency is
/// upgraded: steps point at the level ids, the interest they charged is the watermark, the
/// fee lands in the customers' currency, and no level is applied again.
#[test]
fn a_schema_3_book_with_dunning_history_is_upgraded_without_repeating_anything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    let key = DbKey::generate().unwrap();
    let mut conn = store::create_at_version(&path, &key, 3).unwrap();
    let c = customer_of_an_old_book(&mut conn, "Old Book Ltd", "TWD");
    // The invoice as schema 3 wrote it.
    conn.execute(
        "INSERT INTO invoices (number, customer_id, kind, issued_on, due_on, currency, total_minor, created_at)
         VALUES ('OLD-1', ?1, 'invoice', '2026-01-01', '2026-01-31', 'TWD', 10000000, '2026-01-01T00:00:00Z')",
        rusqlite::params![c.0],
    )
    .unwrap();
    let inv = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO invoice_lines (invoice_id, description, quantity, unit_price_minor) VALUES (?1, 'Azure usage', 1, 10000000)",
        rusqlite::params![inv],
    )
    .unwrap();
    conn.execute_batch(&format!(
        "UPDATE policy_levels SET late_fee_minor = 5000 WHERE seq = 1;
         INSERT INTO dunning_runs (id, as_of, executed_at, steps) VALUES (1, '2026-02-21', '2026-02-21T09:00:00Z', 2);
         INSERT INTO dunning_steps (invoice_id, level_seq, run_id, applied_on, charge_minor)
           VALUES ({inv}, 1, 1, '2026-02-10', 5000), ({inv}, 2, 1, '2026-02-21', 57534);"
    ))
    .unwrap();
    drop(conn);
    let mut conn = store::open(&path, &key).unwrap();
    // The invoice written before its number had a key is found however it is written.
    let old = receivables::invoice_by_number(&conn, " old-1 ")
        .unwrap()
        .unwrap();
    assert_eq!((old.id.0, old.number.as_str()), (inv, "OLD-1"));
    // The subscription keeps its row: a monthly term billed monthly, the term from its start.
    let s = &subscription::list_for_customer(&conn, c).unwrap()[0];
    assert_eq!(
        (s.term, s.billing, s.term_start_on),
        (
            subscription::Term::Monthly,
            subscription::Billing::Monthly,
            d(2026, 1, 1)
        )
    );
    let p = collections::policy(&conn, PolicyId(1)).unwrap();
    assert_eq!(
        p.levels[0].late_fee(cur("TWD")),
        Some(Money::new(5_000, cur("TWD")))
    );
    let (level_id, to): (LevelId, String) = conn
        .query_row(
            "SELECT level_id, interest_to FROM dunning_steps WHERE level_seq = 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(level_id, p.levels[1].id);
    assert_eq!(to, "2026-02-21");
    assert!(collections::plan(&conn, d(2026, 2, 25))
        .unwrap()
        .customers
        .is_empty());
    // Level 3 at day 30 charges only the days since 2026-02-21.
    let tx = conn.transaction().unwrap();
    settings::set(&tx, &ctx(), "letterhead.name", "Reseller Ltd").unwrap();
    tx.commit().unwrap();
    let r = run(&mut conn, d(2026, 3, 2)).unwrap();
    let a = r.customers[0].plan.invoices[0].interest.clone().unwrap();
    assert_eq!((a.from, a.days), (d(2026, 2, 21), 9));
    assert!(collections::runs(&conn)
        .unwrap()
        .iter()
        .any(|r| r.id.0 == 1 && !r.reprintable));
}

/// Write-offs, prepayment receipts, payments and onboarding checks are things that have
/// happened: a date after today is refused with its field, and nothing is written.
#[test]
fn what_has_happened_cannot_be_dated_after_today() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Future Dated Ltd", "TWD");
    let inv = invoice(&mut conn, c, "F-1", d(2026, 10, 31), 100_000, "TWD");
    let tomorrow = ctx().today.succ_opt().unwrap();
    let tx = conn.transaction().unwrap();
    let e = receivables::write_off(&tx, &ctx(), inv, tomorrow, "uncollectable").unwrap_err();
    assert!(format!("{e:?}").contains("AfterToday"), "{e:?}");
    let p = receivables::request_prepayment(
        &tx,
        &ctx(),
        c,
        Money::new(5_000, cur("TWD")),
        d(2026, 11, 20),
        "",
    )
    .unwrap();
    let e = receivables::mark_prepayment_received(&tx, &ctx(), p.id, tomorrow).unwrap_err();
    assert!(format!("{e:?}").contains("AfterToday"), "{e:?}");
    let e = receivables::record_payment(
        &tx,
        &ctx(),
        &support::payment(c, "", tomorrow, Money::new(1_000, cur("TWD"))),
    )
    .unwrap_err();
    assert!(format!("{e:?}").contains("received_on"), "{e:?}");
    let e = riskdesk_core::customer::record_check(
        &tx,
        &ctx(),
        c,
        &riskdesk_core::customer::OnboardingCheck {
            item: riskdesk_core::customer::OnboardingItem::PhoneContact,
            done_on: tomorrow,
            done_by: "Owner".into(),
            reference: String::new(),
            note: String::new(),
        },
    )
    .unwrap_err();
    assert!(format!("{e:?}").contains("done_on"), "{e:?}");
    // Today itself is fine.
    receivables::write_off(&tx, &ctx(), inv, ctx().today, "uncollectable").unwrap();
}

/// `requires_prepayment` of `maybe` or `y` silently became "no": a yes/no cell takes one
/// documented set (yes/no, y/n, true/false, 1/0, 是/否, empty for no) and refuses the rest
/// on its line.
#[test]
fn a_yes_no_cell_outside_the_documented_set_is_refused() {
    let (_d, mut conn) = db();
    customer(&mut conn, "Bool Trading", "TWD");
    let tx = conn.transaction().unwrap();
    let csv = |flag: &str| {
        format!("number,customer,issued_on,currency,description,unit_price,requires_prepayment\nB-1,Bool Trading,2026-11-01,TWD,Azure,100,{flag}\n")
    };
    for flag in ["maybe", "x", "ok", "是的", "yes!"] {
        let e = invoices_from(&tx, "b.csv", &csv(flag))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("b.csv:2 field requires_prepayment"),
            "{flag}: {e}"
        );
    }
    invoices_from(&tx, "b.csv", &csv("YES")).unwrap();
    let flag: i64 = scalar(
        &tx,
        "SELECT requires_prepayment FROM invoices WHERE number = 'B-1'",
    );
    assert_eq!(flag, 1);
    for (i, (flag, yes)) in [
        ("y", 1),
        ("是", 1),
        ("ＹＥＳ", 1),
        ("N", 0),
        ("否", 0),
        ("", 0),
    ]
    .into_iter()
    .enumerate()
    {
        let number = format!("B-{}", i + 2);
        invoices_from(&tx, "b.csv", &csv(flag).replace("B-1", &number)).unwrap();
        let stored: i64 = tx
            .query_row(
                "SELECT requires_prepayment FROM invoices WHERE number = ?1",
                [&number],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stored, yes, "{flag:?}");
    }
}

/// Duplicate column names, NUL bytes, a 10,000-column header and a huge column name:
/// refused with their line and field, nothing written, and the message stays readable.
#[test]
fn hostile_files_are_refused_readably() {
    let (_d, mut conn) = db();
    customer(&mut conn, "Hostile Trading", "TWD");
    let tx = conn.transaction().unwrap();
    let invoices = |csv: &str| invoices_from(&tx, "h.csv", csv).unwrap_err().to_string();
    // The same column twice: which copy wins is not guessed.
    let e = invoices("number,customer,issued_on,currency,description,unit_price,unit_price\nH-1,Hostile Trading,2026-11-01,TWD,x,1,2\n");
    assert!(
        e.contains("h.csv:1 field unit_price: this column appears twice"),
        "{e}"
    );
    // A NUL in a description.
    let e = invoices("number,customer,issued_on,currency,description,unit_price\nH-1,Hostile Trading,2026-11-01,TWD,Azure\u{0}usage,1\n");
    assert!(
        e.contains("h.csv:2 field description") && e.contains("control character"),
        "{e}"
    );
    // 10,000 unknown columns: 50 listed and a count, not 10,000 lines.
    let mut header = String::from("number,customer,issued_on,currency,description,unit_price");
    for i in 0..10_000 {
        header.push_str(&format!(",x{i}"));
    }
    let e = invoices(&format!("{header}\n"));
    assert!(e.lines().count() <= 53, "{} lines", e.lines().count());
    assert!(
        e.contains("9950 more problems not listed"),
        "{}",
        &e[e.len().saturating_sub(300)..]
    );
    // A 1 MB column name is cut in the message.
    let e = invoices(&format!("{},number\n", "A".repeat(1_000_000)));
    assert!(e.len() < 10_000, "{} bytes", e.len());
    // A customer with a NUL in its name, from the CSV and the form alike.
    let e = riskdesk_core::import::import_customers(
        &tx,
        &ctx(),
        "c.csv",
        "legal_name,country,currency\nNul\u{0}Ltd,TW,TWD\n".as_bytes(),
        |_, _| {},
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("c.csv:2 field legal_name") && e.contains("control character"),
        "{e}"
    );
    drop(tx);
    assert_eq!(riskdesk_core::customer::count(&conn).unwrap(), 1);
}

/// A 0 % level moves the interest watermark: the days up to it were meant to be free, so a
/// later level charges interest from the day the policy reaches it, not from the due date.
#[test]
fn a_zero_percent_level_moves_the_interest_watermark() {
    let (_d, mut conn) = db();
    let mut input = policy_input(&conn);
    for (i, l) in input.levels.iter_mut().enumerate() {
        l.interest = if i == 1 { "12".into() } else { "0".into() };
    }
    save(&mut conn, &input).unwrap();
    let c = customer(&mut conn, "Free Days Ltd", "TWD");
    let due = d(2026, 6, 30);
    invoice(&mut conn, c, "W-1", due, 10_000_000, "TWD");
    let p = collections::policy(&conn, collections::default_policy_id(&conn).unwrap()).unwrap();
    let (first, second) = (p.levels[0].days_after_due, p.levels[1].days_after_due);
    let first_run = due + Duration::days(first);
    let second_run = due + Duration::days(second);
    run(&mut conn, first_run).expect("the first level");
    run(&mut conn, second_run).expect("the second level");
    let (from, to): (String, String) = conn
        .query_row(
            "SELECT interest_from, interest_to FROM dunning_steps WHERE interest_minor > 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (from.as_str(), to.as_str()),
        (
            first_run.to_string().as_str(),
            second_run.to_string().as_str()
        )
    );
    let days = (second_run - first_run).num_days();
    let expected = (10_000_000i128 * 1200 * days as i128 + 365 * 10_000 / 2) / (365 * 10_000);
    assert_eq!(interest_booked(&conn, c) as i128, expected);
}

/// Charge lines (they print on statements) and suspension notes are in the customer's
/// language, not English whatever the customer reads.
#[test]
fn charge_lines_and_suspension_notes_speak_the_customer_s_language() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "中文客戶有限公司", "TWD");
    let tx = conn.transaction().unwrap();
    let mut input = customer::get(&tx, c).unwrap().fields.to_input();
    input.language = "zh-TW".into();
    customer::update(&tx, &ctx(), c, &input.validate().unwrap()).unwrap();
    tx.commit().unwrap();
    invoice(&mut conn, c, "Z-1", d(2026, 6, 30), 10_000_000, "TWD");
    // Straight to suspension at 45 days: interest charged and the subscription suspended.
    run(&mut conn, d(2026, 8, 20)).expect("a run");
    let line: String = scalar(
        &conn,
        "SELECT description FROM invoice_lines WHERE description LIKE 'Z-1 利息%'",
    );
    assert!(
        line.contains("年利率 10.00%") && line.contains("天"),
        "{line}"
    );
    let note: String = scalar(
        &conn,
        "SELECT note FROM subscription_events ORDER BY id DESC LIMIT 1",
    );
    assert!(note.starts_with("催收作業 "), "{note}");
}

/// A 50 MB invoice description was stored: descriptions have one maximum on every path.
#[test]
fn an_invoice_description_has_a_maximum_length() {
    let (_d, mut conn) = db();
    customer(&mut conn, "Long Text Ltd", "TWD");
    let tx = conn.transaction().unwrap();
    let csv = format!(
        "number,customer,issued_on,currency,description,unit_price\nL-1,Long Text Ltd,2026-11-01,TWD,{},1\n",
        "x".repeat(600)
    );
    let e = invoices_from(&tx, "l.csv", &csv).unwrap_err().to_string();
    assert!(
        e.contains("l.csv:2") && e.contains("at most 500 characters"),
        "{e}"
    );
    assert!(e.len() < 2_000, "the description is not echoed back whole");
}
