//! Instalments paid in time but entered after a dunning run that found the plan broken: the
//! run's charges on the plan's invoices go back, and a suspension it made is offered for
//! reactivation; a payment taken back since charges them again.

use rusqlite::Connection;

use super::tests::{at, book, make, plan_of, run};
use super::*;
use crate::collections::{self, Exclusions};
use crate::test_support::{self as support, d};

/// The second instalment was paid on its day, 2026-11-15, but the transfer is entered only
/// after the run of 2026-11-21 that found the plan broken and charged interest on its
/// invoices. The plan was kept on that day after all: the run would have left them alone,
/// so every charge it made on them goes back, and the plan shows kept. Taken back, the
/// payment breaks the plan again and charges them again.
#[test]
fn an_instalment_paid_in_time_but_entered_after_the_run_gives_back_its_charges() {
    let (_dir, mut conn, c, inv) = book();
    run(&mut conn, d(2026, 9, 15));
    let plan = make(
        &mut conn,
        d(2026, 10, 1),
        &plan_of(c, &inv, 4, d(2026, 10, 15), 1200),
    );
    support::pay(
        &mut conn,
        c,
        "P1",
        d(2026, 10, 15),
        plan.instalments[0].amount,
    );
    assert!(!run(&mut conn, d(2026, 11, 21)).is_empty());
    let charge_of_run = |conn: &Connection| -> i64 {
        conn.query_row(
            "SELECT COALESCE(sum(total_minor), 0) FROM invoices i JOIN dunning_runs r
               ON i.number = 'FEE-' || r.id || '-' || i.customer_id
             WHERE r.as_of = '2026-11-21'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let charged = charge_of_run(&conn);
    assert!(charged > 0);
    let tx = conn.transaction().unwrap();
    let p2 = receivables::record_payment(
        &tx,
        &at(d(2026, 11, 28)),
        &support::payment(c, "P2", d(2026, 11, 15), plan.instalments[1].amount),
    )
    .unwrap();
    let fixed = collections::caused_by(&tx, p2.id).unwrap();
    tx.commit().unwrap();

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
            payment_id: p2.id,
            returned_on: d(2026, 11, 30),
            reason: receivables::ReturnReason::Returned,
            note: String::new(),
        },
    )
    .unwrap();
    let again = collections::charged_again_by(&tx, p2.id).unwrap();
    tx.commit().unwrap();
    assert_eq!(-again.iter().map(|x| x.amount.minor).sum::<i64>(), charged);
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
    let plan = make(
        &mut conn,
        d(2026, 8, 5),
        &plan_of(c, &inv, 4, d(2026, 8, 15), 0),
    );
    support::pay(
        &mut conn,
        c,
        "P1",
        d(2026, 8, 15),
        plan.instalments[0].amount,
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
