//! A level whose run, as a payment entered later shows, would have sent the customer nothing
//! (the overdue total was under the policy's minimum, or a payment plan kept then held the
//! invoice) was never reached: a later run takes it again, and charges its fee and its days'
//! interest as it would have had the payment been entered on its day. Checked the way an
//! accountant would, over runs with payments entered on their day and payments entered
//! between runs: the charges that stand are the same in the worked examples, and never more
//! in any book the property test draws.

mod late_common;

use late_common::*;
use proptest::prelude::*;
use riskdesk_core::collections::{interest_minor, Note};
use riskdesk_core::{audit, collections};
use rusqlite::Connection;

use riskdesk_core::test_support::{self as support, d, ledger_db as db, payment, run, scalar};

/// The steps of the customer's invoices: (run, invoice number, level's days, given back,
/// superseded by).
fn steps(conn: &Connection) -> Vec<(i64, String, i64, bool, Option<i64>)> {
    let mut stmt = conn
        .prepare(
            "SELECT s.run_id, i.number, s.days_after_due, s.given_back, s.superseded_by
             FROM dunning_steps s JOIN invoices i ON i.id = s.invoice_id
             ORDER BY s.run_id, i.number",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// NT$100,000 due 01-31 (INV-Late) and NT$20,000 due 02-22 (INV-Late-2); nothing is sent
/// under NT$5,000 overdue. NT$99,000 was paid on 02-15. With the transfer entered on its
/// day, the run of 02-21 sends nothing (NT$1,000 overdue); the run of 03-01 (NT$21,000)
/// sends the formal notice on INV-Late (NT$500, and 10 % on NT$1,000 from 02-07, the
/// reminder's day) and the reminder on INV-Late-2 (NT$300). Entered on 02-25, between the
/// runs, the transfer gives back all the first run charged, and the second run charges
/// exactly what it charges when the transfer was entered on its day.
#[test]
fn a_level_a_late_payment_gives_back_is_taken_again_by_the_next_run() {
    let book = |entered_late: bool| {
        let (dir, mut conn) = db();
        with_fees_over(&mut conn, Some("5000"));
        let c = owing(&mut conn, "Late", "TWD", 10_000_000);
        support::invoice(
            &mut conn,
            c,
            "INV-Late-2",
            (d(2026, 1, 23), d(2026, 2, 22)),
            2_000_000,
            "TWD",
        );
        let transfer = payment(c, "TT-0215", d(2026, 2, 15), twd(9_900_000));
        if !entered_late {
            record(&mut conn, &transfer).unwrap();
        }
        let first = run(&mut conn, d(2026, 2, 21));
        if entered_late {
            // Formal notice on NT$100,000: NT$500 and 14 days' interest.
            assert_eq!(
                charges_standing(&conn, c),
                50_000 + interest_minor(10_000_000, 1000, 14)
            );
            let back = record(&mut conn, &transfer).unwrap();
            assert_eq!(back.len(), 1, "{back:#?}");
            assert_eq!(charges_standing(&conn, c), 0);
        } else {
            assert!(first.is_none());
        }
        let second = run(&mut conn, d(2026, 3, 1)).unwrap();
        // The reviewer is told why the notice is sent again.
        let notes = &second.customers[0].plan.notes;
        let taken_again = Note::TakenAgain {
            run_id: 1,
            invoices: vec!["INV-Late".into()],
        };
        assert_eq!(notes.contains(&taken_again), entered_late, "{notes:?}");
        (dir, conn, c)
    };
    let (_a, on_time, c1) = book(false);
    let (_b, mut late, c2) = book(true);
    let expected = 50_000 + interest_minor(100_000, 1000, 22) + 30_000;
    assert_eq!(charges_standing(&on_time, c1), expected);
    assert_eq!(charges_standing(&late, c2), expected);
    assert_eq!(balance(&late, c2), balance(&on_time, c1));
    // The formal notice's first step is given back, and the second run's took its place.
    assert_eq!(
        steps(&late),
        [
            (1, "INV-Late".into(), 21, true, Some(2)),
            (2, "INV-Late".into(), 21, false, None),
            (2, "INV-Late-2".into(), 7, false, None),
        ]
    );
    let given_back: i64 = scalar(
        &late,
        "SELECT count(*) FROM audit WHERE entity = 'invoice' AND action = 'dunning_level_given_back'",
    );
    assert_eq!(given_back, 1);

    // The transfer taken back after the second run: the level it took again stands once, and
    // the first run's charges stay given back (a level is never charged twice).
    take_back(&mut late, "TT-0215", d(2026, 3, 5));
    assert_eq!(charges_standing(&late, c2), expected);
    assert_eq!(steps(&late)[0], (1, "INV-Late".into(), 21, true, Some(2)));
    // A plan on the same day finds the level reached on INV-Late: nothing more on it.
    let plan = collections::plan(&late, d(2026, 3, 1)).unwrap();
    assert!(plan
        .customers
        .iter()
        .flat_map(|p| &p.invoices)
        .all(|i| i.number != "INV-Late" || i.new_level.is_none()));
    assert!(audit::verify(&late).unwrap().is_intact());
}

/// Taken back before any later run: the level given back counts as reached again and its
/// charges are charged again; the next run in the same level's days takes nothing more.
#[test]
fn a_payment_taken_back_before_the_next_run_restores_the_level() {
    let (_d, mut conn) = db();
    with_fees_over(&mut conn, Some("5000"));
    let c = owing(&mut conn, "Back", "TWD", 10_000_000);
    run(&mut conn, d(2026, 2, 21)).unwrap();
    let charged = charges_standing(&conn, c);
    record(
        &mut conn,
        &payment(c, "TT-0215", d(2026, 2, 15), twd(9_900_000)),
    )
    .unwrap();
    assert_eq!(charges_standing(&conn, c), 0);
    assert!(steps(&conn)[0].3);
    take_back(&mut conn, "TT-0215", d(2026, 2, 25));
    assert_eq!(charges_standing(&conn, c), charged);
    assert_eq!(steps(&conn), [(1, "INV-Back".into(), 21, false, None)]);
    let restored: i64 = scalar(
        &conn,
        "SELECT count(*) FROM audit WHERE entity = 'invoice' AND action = 'dunning_level_restored'",
    );
    assert_eq!(restored, 1);
    // 02-28: still the formal notice's days, and it was reached: nothing new.
    let plan = collections::plan(&conn, d(2026, 2, 28)).unwrap();
    assert!(plan
        .customers
        .iter()
        .all(|p| p.invoices.iter().all(|i| i.new_level.is_none())));
}

/// Two payments on the due date, NT$0.45 and NT$0.37 of NT$0.81, the second entered after the
/// runs of day 7 and day 120: its NT$0.01 too much paid the first run's fee invoice (the
/// oldest open) until the fee was credited back. The credit note frees it to pay INV-Prop-2,
/// as it did when entered on its day, and the interest the second run charged on that cent
/// goes back too.
#[test]
fn money_a_credited_fee_had_taken_pays_the_next_invoice() {
    let runs = [7, 120].into_iter().collect();
    let payments = [(0, 45), (0, 37)];
    let late = Entered::RunsLate(vec![0, 2]);
    let (_a, on_time, c1) = world(81, Some((45, 27)), &payments, &runs, &Entered::OnTime, None);
    let (_b, entered_late, c2) = world(81, Some((45, 27)), &payments, &runs, &late, None);
    assert_eq!(charges_standing(&on_time, c1), 0);
    assert_eq!(charges_standing(&entered_late, c2), 0);
    assert_eq!(balance(&entered_late, c2), balance(&on_time, c1));
    let moved: i64 = scalar(
        &entered_late,
        "SELECT count(*) FROM audit WHERE action = 'reallocate' AND after LIKE '%credit_note%'",
    );
    assert_eq!(moved, 1);
    assert!(audit::verify(&entered_late).unwrap().is_intact());
}

/// NT$1.35 owed, NT$0.47 paid on the due date and entered after the runs of day 7 and day
/// 21; nothing is sent under NT$0.89. The first run's NT$300 fee invoice was overdue on the
/// second run's day and counted toward its minimum; given back, it was never due, so the
/// second run would have sent nothing either, and its charges go back too.
#[test]
fn a_fee_given_back_never_counts_toward_a_later_run_s_minimum() {
    let runs = [7, 21].into_iter().collect();
    let late = Entered::RunsLate(vec![3]);
    let (_a, on_time, c1) = world(135, None, &[(0, 47)], &runs, &Entered::OnTime, Some(89));
    let (_b, entered_late, c2) = world(135, None, &[(0, 47)], &runs, &late, Some(89));
    assert_eq!(charges_standing(&on_time, c1), 0);
    assert_eq!(charges_standing(&entered_late, c2), 0);
    assert_eq!(balance(&entered_late, c2), balance(&on_time, c1));
}

/// A book of schema 26 (a level reached once per invoice) keeps its steps and corrections
/// when it opens: each correction names its step's run, and the level still counts as
/// reached.
#[test]
fn a_book_of_schema_26_keeps_its_steps_and_corrections() {
    use riskdesk_core::store::{self, DbKey};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v26.db");
    let key = DbKey::generate().unwrap();
    let mut conn = store::create_at_version(&path, &key, 26).unwrap();
    let c = support::customer(&mut conn, "Old Steps Ltd", "TWD", "TW");
    support::invoice(
        &mut conn,
        c,
        "INV-Old",
        (d(2026, 1, 1), d(2026, 1, 31)),
        10_000_000,
        "TWD",
    );
    // Written as schema 26's code wrote them: the formal notice of run 7, its interest
    // credited back.
    conn.execute_batch(&format!(
        "INSERT INTO dunning_runs (id, as_of, executed_at, steps) VALUES (7, '2026-02-21', '2026-02-21T09:00:00Z', 1);
         INSERT INTO dunning_steps (invoice_id, level_id, policy_id, level_seq, days_after_due, run_id, applied_on,
                fee_minor, interest_minor, interest_bp, interest_on_minor, interest_from, interest_to, due_minor, paid_by_day_minor)
         SELECT i.id, l.id, l.policy_id, l.seq, l.days_after_due, 7, '2026-02-21', 50000, 38356, 1000, 10000000,
                '2026-02-07', '2026-02-21', 10000000, 0
         FROM invoices i, policy_levels l JOIN collection_policies p ON p.id = l.policy_id AND p.is_default = 1
         WHERE i.number = 'INV-Old' AND l.days_after_due = 21;
         INSERT INTO payments (id, customer_id, kind, received_on, amount_minor, currency, method, reference, created_at, reference_key)
         VALUES (1, {c}, 'credit_note', '2026-03-01', 38356, 'TWD', '', 'FEE-7-{c}-CR1', '2026-03-01T09:00:00Z', 'fee7{c}cr1');
         INSERT INTO charge_corrections (invoice_id, level_id, fee_minor, interest_minor, credit_note_id, created_at)
         SELECT invoice_id, level_id, 0, 38356, 1, '2026-03-01T09:00:00Z' FROM dunning_steps;",
        c = c.0
    ))
    .unwrap();
    drop(conn);
    let conn = store::open(&path, &key).unwrap();
    assert_eq!(steps(&conn), [(7, "INV-Old".into(), 21, false, None)]);
    let corrected: (i64, i64) = conn
        .query_row(
            "SELECT run_id, interest_minor FROM charge_corrections",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(corrected, (7, 38_356));
    let plan = collections::plan(&conn, d(2026, 2, 28)).unwrap();
    assert!(plan
        .customers
        .iter()
        .flat_map(|p| &p.invoices)
        .all(|i| i.new_level.is_none()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Whatever the payments, the runs, a second invoice falling due among them and the
    /// policy's minimum: with each payment entered up to three runs after its day (between
    /// runs, so that later runs know it), the customer is never charged more than with each
    /// entered on its day, and owes no more, the difference being charges alone. (Less can
    /// happen: a run made before a late payment was entered, which found the level still
    /// reached, charged nothing on the invoice that day, and the next run takes only the
    /// highest level then due; the worked example above comes out the same.)
    #[test]
    fn a_payment_entered_runs_late_never_charges_more_than_on_its_day(
        minor in 1i64..10_000_000_000,
        second in proptest::option::of((1i64..120, 1i64..2000)),
        shares in proptest::collection::vec((-20i64..130, 1i64..1000, 0usize..4), 0..4),
        runs in proptest::collection::btree_set(1i64..160, 1..7),
        minimum in proptest::option::of(1i64..1500),
    ) {
        let payments: Vec<(i64, i64)> = shares
            .iter()
            .map(|(off, per_mille, _)| (*off, (minor * per_mille / 1000).max(1)))
            .collect();
        let late = Entered::RunsLate(shares.iter().map(|s| s.2).collect());
        let second = second.map(|(due, per_mille)| (due, (minor * per_mille / 1000).max(1)));
        let minimum = minimum.map(|per_mille| (minor * per_mille / 1000).max(1));
        let (_a, on_time, c1) = world(minor, second, &payments, &runs, &Entered::OnTime, minimum);
        let (_b, entered_late, c2) = world(minor, second, &payments, &runs, &late, minimum);
        let less_charged = charges_standing(&on_time, c1) - charges_standing(&entered_late, c2);
        prop_assert!(less_charged >= 0, "charged {} more", -less_charged);
        prop_assert_eq!(balance(&on_time, c1) - balance(&entered_late, c2), less_charged);
        prop_assert!(audit::verify(&entered_late).unwrap().is_intact());
    }
}
