//! Instalments paid in time but entered after a dunning run that found the plan broken: the
//! run's charges on the plan's invoices go back, and a suspension it made is offered for
//! reactivation; a payment taken back since charges them again.

use rusqlite::Connection;

use super::tests::{at, book, make, plan_of, run};
use super::*;
use crate::collections::{self, Exclusions};
use crate::test_support::{self as support, d};

/// Plan `p`, made on `on`, its first instalment paid on its day (`P1`).
fn first_paid(conn: &mut Connection, p: &NewPlan, on: chrono::NaiveDate) -> PlanView {
    let plan = make(conn, on, p);
    let first = &plan.instalments[0];
    support::pay(conn, p.customer_id, "P1", first.due_on, first.amount);
    plan
}

/// The book of the tests below: a plan of four monthly instalments from 2026-10-15, made on
/// 10-01 after the run of 09-15; the first paid; the second paid on its day, 11-15, but
/// entered on 11-28, after the run of 11-21 that found the plan broken (`late`), or on its
/// day. Answers the second instalment's payment, what the run of 11-21 charged, and the
/// corrections the payment booked.
#[allow(clippy::type_complexity)]
fn instalment_entered(
    late: bool,
) -> (
    tempfile::TempDir,
    Connection,
    CustomerId,
    PlanView,
    i64,
    i64,
    Vec<collections::Correction>,
) {
    let (dir, mut conn, c, inv) = book();
    run(&mut conn, d(2026, 9, 15));
    let plan = first_paid(
        &mut conn,
        &plan_of(c, &inv, 4, d(2026, 10, 15), 1200),
        d(2026, 10, 1),
    );
    let second = support::payment(c, "P2", d(2026, 11, 15), plan.instalments[1].amount);
    let record = |conn: &mut Connection| {
        let tx = conn.transaction().unwrap();
        let p2 = receivables::record_payment(&tx, &at(second.received_on), &second).unwrap();
        let fixed = collections::caused_by(&tx, p2.id).unwrap();
        tx.commit().unwrap();
        (p2.id, fixed)
    };
    let on_time = (!late).then(|| record(&mut conn));
    assert_eq!(run(&mut conn, d(2026, 11, 21)).is_empty(), !late);
    let charged: i64 = conn
        .query_row(
            "SELECT COALESCE(sum(total_minor), 0) FROM invoices i JOIN dunning_runs r
               ON i.number = 'FEE-' || r.id || '-' || i.customer_id
             WHERE r.as_of = '2026-11-21'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(charged > 0, late);
    let (p2, fixed) = on_time.unwrap_or_else(|| record(&mut conn));
    (dir, conn, c, plan, p2, charged, fixed)
}

/// The second instalment was paid on its day, 2026-11-15, but the transfer is entered only
/// after the run of 2026-11-21 that found the plan broken and charged interest on its
/// invoices. The plan was kept on that day after all: the run would have left them alone,
/// so every charge it made on them goes back, and the plan shows kept. Taken back, the
/// payment breaks the plan again and charges them again.
#[test]
fn an_instalment_paid_in_time_but_entered_after_the_run_gives_back_its_charges() {
    let (_dir, mut conn, _c, plan, p2, charged, fixed) = instalment_entered(true);
    assert_eq!(fixed.len(), 1, "{fixed:#?}");
    assert_eq!(fixed[0].amount.minor, charged);
    let kept = view(&conn, plan.id, d(2026, 11, 21)).unwrap();
    assert_eq!(kept.status, PlanStatus::Kept);
    // Taken back: the plan broke on 11-21 after all, and the charges stand again.
    let tx = conn.transaction().unwrap();
    receivables::return_payment(
        &tx,
        &at(d(2026, 12, 1)),
        &receivables::NewReturn {
            payment_id: p2,
            returned_on: d(2026, 11, 30),
            reason: receivables::ReturnReason::Returned,
            note: String::new(),
        },
    )
    .unwrap();
    let again = collections::charged_again_by(&tx, p2).unwrap();
    tx.commit().unwrap();
    assert_eq!(-again.iter().map(|x| x.amount.minor).sum::<i64>(), charged);
    assert!(crate::audit::verify(&conn).unwrap().is_intact());
}

/// After the late-entered instalment gave back the run of 11-21, the third instalment
/// (12-15) is missed: the plan is broken now, and the run of 12-21 takes again the level that
/// run had taken on the plan's invoices, saying so, and charges what it charges when the
/// instalment was entered on its day; the step of 11-21 stays given back.
#[test]
fn a_plan_broken_later_takes_again_the_level_a_late_instalment_gave_back() {
    let run_of_12_21 = |late: bool| {
        let (dir, mut conn, ..) = instalment_entered(late);
        let tx = conn.transaction().unwrap();
        let on = d(2026, 12, 21);
        let r = collections::execute(&tx, &at(on), on, &Exclusions::default(), None, "out")
            .unwrap()
            .expect("the plan is broken: the run duns");
        tx.commit().unwrap();
        (dir, conn, r)
    };
    let (_a, _on_time, on_time) = run_of_12_21(false);
    let (_b, conn, late) = run_of_12_21(true);
    let charges = |r: &collections::RunRecord| -> Vec<(String, Option<i64>, i64, i64)> {
        r.customers[0]
            .plan
            .invoices
            .iter()
            .map(|i| {
                (
                    i.number.clone(),
                    i.new_level,
                    i.late_fee_minor,
                    i.interest_minor,
                )
            })
            .collect()
    };
    assert_eq!(charges(&late), charges(&on_time));
    assert!(charges(&late).iter().any(|(_, level, ..)| level.is_some()));
    let notes = &late.customers[0].plan.notes;
    assert!(
        notes
            .iter()
            .any(|n| matches!(n, collections::Note::TakenAgain { run_id: 2, .. })),
        "{notes:?}"
    );
    let steps_of_11_21: Vec<(bool, Option<i64>)> = crate::store::rows(
        &conn,
        "SELECT s.given_back, s.superseded_by FROM dunning_steps s
         JOIN dunning_runs r ON r.id = s.run_id WHERE r.as_of = '2026-11-21'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap();
    assert!(!steps_of_11_21.is_empty());
    assert!(steps_of_11_21.iter().all(|s| *s == (true, Some(late.id.0))));
    assert!(crate::audit::verify(&conn).unwrap().is_intact());
}

/// A plan made on 08-05, before any run. Its second instalment (09-15) was paid in time but
/// entered after the run of 09-21, which found the plan broken and suspended the customer
/// (HL-1 was 83 days overdue). The plan was kept that day after all: the next plan proposes
/// reactivating the subscription, naming that run, though the plan's invoices are still
/// open.
#[test]
fn a_suspension_a_kept_plan_never_allowed_is_proposed_for_reactivation() {
    let (_dir, mut conn, c, inv) = book();
    let plan = first_paid(
        &mut conn,
        &plan_of(c, &inv, 4, d(2026, 8, 15), 0),
        d(2026, 8, 5),
    );
    let tx = conn.transaction().unwrap();
    let suspending = collections::execute(
        &tx,
        &at(d(2026, 9, 21)),
        d(2026, 9, 21),
        &Exclusions::default(),
        None,
        "out",
    )
    .unwrap()
    .unwrap();
    tx.commit().unwrap();
    assert_eq!(suspending.changes.len(), 1, "the subscription is suspended");
    let proposed = |conn: &Connection| {
        collections::plan(conn, d(2026, 9, 25))
            .unwrap()
            .reactivations
            .into_iter()
            .map(|r| (r.customer_id, r.never_due_by_run))
            .collect::<Vec<_>>()
    };
    assert!(proposed(&conn).is_empty());
    support::pay(
        &mut conn,
        c,
        "P2",
        d(2026, 9, 15),
        plan.instalments[1].amount,
    );
    assert_eq!(proposed(&conn), [(c, Some(suspending.id.0))]);
    // Nothing is dunned meanwhile: the plan holds its invoices.
    assert!(collections::plan(&conn, d(2026, 9, 25))
        .unwrap()
        .customers
        .is_empty());
}
