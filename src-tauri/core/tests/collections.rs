//! Receivables, aging and the dunning run on temporary encrypted databases.

use chrono::NaiveDate;
use riskdesk_core::audit;
use riskdesk_core::collections::{self, Action, Exclusions};
use riskdesk_core::ids::{CustomerId, InvoiceId};
use riskdesk_core::money::{Currency, Money};
use riskdesk_core::receivables::{self, BucketEdges, InvoiceKind};
use riskdesk_core::subscription::{self, SubscriptionStatus};
use rusqlite::Connection;

use riskdesk_core::test_support::{self as support, ctx, d, ledger_db as db, run};

fn usd() -> Currency {
    support::cur("USD")
}

fn customer(conn: &mut Connection, name: &str) -> CustomerId {
    support::customer(conn, name, "USD", "US")
}

fn invoice(
    conn: &mut Connection,
    cid: CustomerId,
    number: &str,
    issued: NaiveDate,
    due: NaiveDate,
    minor: i64,
) -> InvoiceId {
    support::invoice(conn, cid, number, (issued, due), minor, "USD")
}

fn pay(conn: &mut Connection, cid: CustomerId, reference: &str, on: NaiveDate, minor: i64) {
    support::pay(conn, cid, reference, on, Money::new(minor, usd()));
}

#[test]
fn aging_puts_each_invoice_in_its_bucket_at_the_edges() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Edges Inc");
    let as_of = d(2024, 3, 31);
    invoice(
        &mut conn,
        c,
        "DUE-TODAY",
        d(2024, 3, 1),
        d(2024, 3, 31),
        100,
    ); // current
    invoice(&mut conn, c, "ONE-DAY", d(2024, 3, 1), d(2024, 3, 30), 200); // 1 day
    invoice(&mut conn, c, "THIRTY", d(2024, 2, 1), d(2024, 3, 1), 400); // 30 days (2024 is a leap year)
    invoice(
        &mut conn,
        c,
        "THIRTY-ONE",
        d(2024, 1, 1),
        d(2024, 2, 29),
        800,
    ); // 31 days, leap day
    invoice(&mut conn, c, "NINETY", d(2023, 12, 1), d(2024, 1, 1), 1600); // 90 days
    invoice(
        &mut conn,
        c,
        "NINETY-ONE",
        d(2023, 12, 1),
        d(2023, 12, 31),
        3200,
    ); // 91 days
    invoice(&mut conn, c, "FUTURE", d(2024, 4, 1), d(2024, 5, 1), 9999); // not issued yet
    let a = receivables::aging(&conn, as_of, BucketEdges::default()).unwrap();
    assert_eq!(a.rows.len(), 1);
    assert_eq!(a.rows[0].buckets, [100, 200 + 400, 800, 1600, 3200]);
    assert_eq!(a.rows[0].oldest_days_overdue, 91);
    assert_eq!(a.totals[0].total_minor, 6300);
    assert_eq!(a.totals[0].overdue_minor, 6200);
    // Other edges: 15 / 45 / 75.
    let a = receivables::aging(&conn, as_of, BucketEdges([15, 45, 75])).unwrap();
    assert_eq!(a.rows[0].buckets, [100, 200, 400 + 800, 0, 1600 + 3200]);
    assert!(receivables::aging(&conn, as_of, BucketEdges([30, 30, 90])).is_err());
}

#[test]
fn payments_go_oldest_first_and_an_overpayment_is_credit_for_the_next_invoice() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Payer Ltd");
    invoice(&mut conn, c, "A", d(2026, 8, 1), d(2026, 8, 31), 10_000);
    invoice(&mut conn, c, "B", d(2026, 9, 1), d(2026, 10, 1), 5_000);
    pay(&mut conn, c, "P1", d(2026, 10, 15), 12_000);
    let items = receivables::open_items(&conn, d(2026, 10, 20), Some(c)).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].number.as_str(), items[0].due.minor), ("B", 3_000));
    assert_eq!(items[0].status(), receivables::InvoiceStatus::PartlyPaid);
    // As of a date before the payment, both invoices are still fully open.
    let before = receivables::open_items(&conn, d(2026, 10, 14), Some(c)).unwrap();
    assert_eq!(before.iter().map(|i| i.due.minor).sum::<i64>(), 15_000);
    pay(&mut conn, c, "P2", d(2026, 10, 25), 4_000);
    assert!(receivables::open_items(&conn, d(2026, 10, 26), Some(c))
        .unwrap()
        .is_empty());
    assert_eq!(receivables::customer_credit(&conn, c).unwrap(), 1_000);
    // The credit is applied to the next invoice as soon as it is issued.
    invoice(&mut conn, c, "C", d(2026, 11, 1), d(2026, 12, 1), 2_500);
    assert_eq!(receivables::customer_credit(&conn, c).unwrap(), 0);
    let items = receivables::open_items(&conn, d(2026, 11, 2), Some(c)).unwrap();
    assert_eq!(items[0].due.minor, 1_500);
    let st = receivables::statement(&conn, c, d(2026, 11, 2)).unwrap();
    assert_eq!(st.balance_minor, 1_500);
    assert_eq!(st.lines.last().unwrap().balance_minor, 1_500);
    // The aging lists the credit on the days it was held, though C has taken it since; a
    // customer owing nothing is listed for its credit.
    let aging_on = |on| {
        let a = receivables::aging(&conn, on, BucketEdges::default()).unwrap();
        let rows: Vec<(i64, i64)> = a
            .rows
            .iter()
            .map(|r| (r.total_minor, r.credit_minor))
            .collect();
        (rows, a.totals[0].credit_minor)
    };
    assert_eq!(aging_on(d(2026, 10, 14)), (vec![(15_000, 0)], 0));
    assert_eq!(aging_on(d(2026, 10, 26)), (vec![(0, 1_000)], 1_000));
    assert_eq!(aging_on(d(2026, 10, 31)), (vec![(0, 1_000)], 1_000));
    assert_eq!(aging_on(d(2026, 11, 2)), (vec![(1_500, 0)], 0));
    assert!(audit::verify(&conn).unwrap().is_intact());
}

#[test]
fn a_written_off_invoice_no_longer_ages() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Gone Ltd");
    let id = invoice(&mut conn, c, "W", d(2026, 1, 1), d(2026, 1, 31), 7_000);
    pay(&mut conn, c, "P", d(2026, 2, 10), 2_000);
    let tx = conn.transaction().unwrap();
    receivables::write_off(&tx, &ctx(), id, d(2026, 6, 1), "Company dissolved").unwrap();
    tx.commit().unwrap();
    assert_eq!(
        receivables::open_items(&conn, d(2026, 5, 31), Some(c)).unwrap()[0]
            .due
            .minor,
        5_000
    );
    assert!(receivables::open_items(&conn, d(2026, 6, 1), Some(c))
        .unwrap()
        .is_empty());
}

#[test]
fn each_level_is_reached_on_its_day_and_never_applied_twice() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Slow Payer");
    invoice(
        &mut conn,
        c,
        "INV-1",
        d(2026, 9, 1),
        d(2026, 10, 1),
        100_000,
    );
    // Grace: 3 days; level 1 at 7 days.
    assert!(collections::plan(&conn, d(2026, 10, 7))
        .unwrap()
        .customers
        .is_empty());
    let p = collections::plan(&conn, d(2026, 10, 8)).unwrap();
    assert_eq!(p.customers[0].level.seq, 1);
    assert_eq!(p.customers[0].actions, [Action::ReminderLetter]);
    let r = run(&mut conn, d(2026, 10, 8)).unwrap();
    assert_eq!(r.steps, 1);
    // The same day again: nothing.
    assert!(run(&mut conn, d(2026, 10, 8)).is_none());
    assert!(collections::plan(&conn, d(2026, 10, 10))
        .unwrap()
        .customers
        .is_empty());

    // Level 2 at 21 days, with 10 % interest, charged from the level-1 run (a 0 % level
    // moves the watermark: its days were meant to be free): 1,000.00 x 10 % x 14 / 365 =
    // 3.8356 -> 3.84.
    let p = collections::plan(&conn, d(2026, 10, 22)).unwrap();
    let pc = &p.customers[0];
    assert_eq!(pc.level.seq, 2);
    assert_eq!(pc.invoices[0].interest_minor, 384);
    assert!(pc.actions.contains(&Action::PhoneCall));
    let r = run(&mut conn, d(2026, 10, 22)).unwrap();
    assert_eq!(r.charge_invoices.len(), 1);
    let fee = receivables::invoice_by_number(&conn, &r.charge_invoices[0])
        .unwrap()
        .unwrap();
    assert_eq!((fee.kind, fee.total.minor), (InvoiceKind::Charge, 384));

    // Straight to 45 days: suspension, with the Partner Center id listed.
    let p = collections::plan(&conn, d(2026, 11, 15)).unwrap();
    assert_eq!(p.customers[0].level.seq, 4);
    assert_eq!(
        p.customers[0].suspend[0].pc_subscription_id,
        "aaaaaaaa-bbbb-4ccc-8ddd-000000000001"
    );
    let r = run(&mut conn, d(2026, 11, 15)).unwrap();
    assert_eq!(r.changes.len(), 1);
    let subs = subscription::list_for_customer(&conn, c).unwrap();
    assert_eq!(subs[0].status, SubscriptionStatus::Suspended);
    assert_eq!(
        subscription::events(&conn, subs[0].id).unwrap()[0].reason,
        subscription::Reason::NonPayment
    );

    // A run dated before the suspension (a missed run caught up) finds nothing overdue on
    // its day, but nothing was suspended then either: it lifts no suspension.
    let p = collections::plan(&conn, d(2026, 10, 1)).unwrap();
    assert!(p.reactivations.is_empty(), "{:?}", p.reactivations);

    // Paying in full lists the subscription for reactivation.
    // The balance: the invoice, the level-2 interest for days 8-21 and the level-4
    // interest for days 22-45 only (1,000.00 x 10 % x 24 / 365 = 6.5753 -> 6.58).
    let owed: i64 = receivables::open_items(&conn, d(2026, 11, 20), Some(c))
        .unwrap()
        .iter()
        .map(|i| i.due.minor)
        .sum();
    assert_eq!(owed, 100_000 + 384 + 658);
    pay(&mut conn, c, "FULL", d(2026, 11, 20), owed);
    // Paid, but a run dated the day before the suspension still has none to lift.
    let p = collections::plan(&conn, d(2026, 11, 14)).unwrap();
    assert!(p.reactivations.is_empty(), "{:?}", p.reactivations);
    let p = collections::plan(&conn, d(2026, 11, 21)).unwrap();
    assert!(p.customers.is_empty());
    assert_eq!(p.reactivations.len(), 1);
    assert_eq!(p.reactivations[0].subscriptions[0].id, subs[0].id);
    assert!(audit::verify(&conn).unwrap().is_intact());
}

#[test]
fn a_dispute_and_a_pending_promise_pause_dunning_and_a_broken_promise_resumes_it() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Disputer");
    let inv = invoice(&mut conn, c, "D-1", d(2026, 9, 1), d(2026, 10, 1), 50_000);
    let tx = conn.transaction().unwrap();
    receivables::set_dispute(&tx, &ctx(), inv, true, "Seats were cancelled in August").unwrap();
    tx.commit().unwrap();
    let p = collections::plan(&conn, d(2026, 10, 30)).unwrap();
    assert!(p.customers.is_empty());
    assert!(p.paused[0].note.english().contains("disputed"));
    let tx = conn.transaction().unwrap();
    receivables::set_dispute(&tx, &ctx(), inv, false, "").unwrap();
    receivables::add_promise(
        &tx,
        &ctx(),
        c,
        d(2026, 10, 20),
        d(2026, 11, 5),
        50_000,
        "CFO promised by phone",
    )
    .unwrap();
    tx.commit().unwrap();
    let p = collections::plan(&conn, d(2026, 10, 30)).unwrap();
    assert!(p.customers.is_empty());
    assert!(p.paused[0].note.english().contains("promise"));
    // The promised day passes without payment: dunning resumes and says why.
    let p = collections::plan(&conn, d(2026, 11, 6)).unwrap();
    assert_eq!(p.customers.len(), 1);
    assert!(p.customers[0].notes[0].english().contains("broken promise"));
}

#[test]
fn left_out_customers_and_actions_are_not_applied() {
    let (_d, mut conn) = db();
    let a = customer(&mut conn, "Left Out");
    let b = customer(&mut conn, "Kept In");
    invoice(&mut conn, a, "A-1", d(2026, 8, 1), d(2026, 9, 1), 10_000);
    invoice(&mut conn, b, "B-1", d(2026, 8, 1), d(2026, 9, 1), 10_000);
    let tx = conn.transaction().unwrap();
    let r = collections::execute(
        &tx,
        &ctx(),
        d(2026, 10, 20),
        &Exclusions {
            customers: vec![a],
            no_suspension: vec![b],
            no_charges: vec![b],
        },
        None,
        "out",
    )
    .unwrap()
    .unwrap();
    tx.commit().unwrap();
    assert_eq!(r.customers.len(), 1);
    assert!(r.changes.is_empty());
    assert!(r.charge_invoices.is_empty());
    assert_eq!(
        subscription::list_for_customer(&conn, b).unwrap()[0].status,
        SubscriptionStatus::Active
    );
    // The left-out customer is still in the next plan.
    assert_eq!(
        collections::plan(&conn, d(2026, 10, 20)).unwrap().customers[0].customer_id,
        a
    );
}

#[test]
fn a_prepayment_request_is_recorded_received_once_and_audited() {
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "New Signup LLC");
    let tx = conn.transaction().unwrap();
    let p = receivables::request_prepayment(
        &tx,
        &ctx(),
        c,
        Money::new(50_000, usd()),
        d(2026, 12, 1),
        "First month up front",
    )
    .unwrap();
    assert!(receivables::request_prepayment(
        &tx,
        &ctx(),
        c,
        Money::new(5, Currency::parse("TWD").unwrap()),
        d(2026, 12, 1),
        ""
    )
    .is_err());
    assert_eq!(receivables::prepayments(&tx, None).unwrap().len(), 1);
    receivables::mark_prepayment_received(&tx, &ctx(), p.id, d(2026, 11, 24)).unwrap();
    assert!(receivables::mark_prepayment_received(&tx, &ctx(), p.id, d(2026, 11, 25)).is_err());
    tx.commit().unwrap();
    assert!(receivables::prepayments(&conn, None).unwrap().is_empty());
    assert_eq!(
        receivables::prepayments(&conn, Some(c)).unwrap()[0].received_on,
        Some(d(2026, 11, 24))
    );
    assert!(audit::verify(&conn).unwrap().is_intact());
}

/// A run dated earlier (a missed run caught up) suspends only what was active on its day,
/// and a subscription's history stays in order: no change is dated before the last one.
#[test]
fn a_backdated_run_suspends_only_what_was_active_on_its_day() {
    use riskdesk_core::subscription::{Reason, SubscriptionAction, SubscriptionInput};
    let (_d, mut conn) = db();
    let c = customer(&mut conn, "Late Starter");
    invoice(&mut conn, c, "LS-1", d(2026, 9, 1), d(2026, 10, 1), 100_000);
    let first = subscription::list_for_customer(&conn, c).unwrap()[0].id;
    let tx = conn.transaction().unwrap();
    let later = subscription::add(
        &tx,
        &ctx(),
        c,
        &SubscriptionInput {
            offer: "Microsoft 365 E3".into(),
            pc_subscription_id: "cccccccc-bbbb-4ccc-8ddd-000000000002".into(),
            quantity: "5".into(),
            monthly_price: "36".into(),
            start_on: "2026-11-20".into(),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    tx.commit().unwrap();
    let suspended = |conn: &Connection, as_of| -> Vec<i64> {
        let p = collections::plan(conn, as_of).unwrap();
        assert!(p.customers[0].actions.contains(&Action::Suspend));
        p.customers[0].suspend.iter().map(|s| s.id).collect()
    };
    // 45 days overdue on 15 November: the subscription bought on the 20th was not there.
    assert_eq!(suspended(&conn, d(2026, 11, 15)), [first]);
    assert_eq!(suspended(&conn, d(2026, 11, 25)), [first, later]);

    // The customer asked for a pause on the 21st and was back on the 22nd: that decision
    // stands against a run dated the 15th.
    let change = |conn: &mut Connection, action, on| {
        let tx = conn.transaction().unwrap();
        let r = subscription::change(&tx, &ctx(), first, action, Reason::CustomerRequest, on, "");
        tx.commit().unwrap();
        r
    };
    change(&mut conn, SubscriptionAction::Suspend, d(2026, 11, 21)).unwrap();
    change(&mut conn, SubscriptionAction::Reactivate, d(2026, 11, 22)).unwrap();
    assert!(suspended(&conn, d(2026, 11, 15)).is_empty());
    assert_eq!(suspended(&conn, d(2026, 11, 25)), [first, later]);

    // A change dated before the last one is refused, naming the day, and writes nothing.
    let e = change(&mut conn, SubscriptionAction::Suspend, d(2026, 11, 10)).unwrap_err();
    assert!(e.to_string().contains("last changed on 2026-11-22"), "{e}");
    assert_eq!(subscription::events(&conn, first).unwrap().len(), 2);
    assert_eq!(
        subscription::get(&conn, first).unwrap().status,
        SubscriptionStatus::Active
    );
    // The same day as the last change is in order.
    change(&mut conn, SubscriptionAction::Suspend, d(2026, 11, 22)).unwrap();
    assert!(audit::verify(&conn).unwrap().is_intact());
}

/// The aging and the dunning plan list the currencies in code order and the most overdue
/// first within each:
/// ¥5,000 is fewer minor units than $100.00 and more than $20.00, yet it no longer stands
/// between the two dollar customers.
#[test]
fn the_aging_orders_customers_within_their_currency() {
    let (_d, mut conn) = db();
    let big = customer(&mut conn, "Big Dollar");
    let small = customer(&mut conn, "Small Dollar");
    let yen = support::customer(&mut conn, "Yen KK", "JPY", "JP");
    invoice(&mut conn, big, "B-1", d(2026, 9, 1), d(2026, 10, 1), 10_000);
    invoice(
        &mut conn,
        small,
        "S-1",
        d(2026, 9, 1),
        d(2026, 10, 1),
        2_000,
    );
    support::invoice(
        &mut conn,
        yen,
        "Y-1",
        (d(2026, 9, 1), d(2026, 10, 1)),
        5_000,
        "JPY",
    );
    let aging = receivables::aging(&conn, d(2026, 11, 1), BucketEdges::default()).unwrap();
    let names: Vec<&str> = aging.rows.iter().map(|r| r.legal_name.as_str()).collect();
    assert_eq!(names, ["Yen KK", "Big Dollar", "Small Dollar"]);
    // The dunning plan too, within a level (all three at 31 days).
    let plan = collections::plan(&conn, d(2026, 11, 1)).unwrap();
    let names: Vec<&str> = plan
        .customers
        .iter()
        .map(|c| c.legal_name.as_str())
        .collect();
    assert_eq!(names, ["Yen KK", "Big Dollar", "Small Dollar"]);
    assert!(plan
        .customers
        .iter()
        .all(|c| c.level.seq == plan.customers[0].level.seq));
}
