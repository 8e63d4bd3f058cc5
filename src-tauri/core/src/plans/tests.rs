//! Payment plans as an accountant checks them: the schedule to the minor unit, months of
//! dunning runs over a plan kept and over one broken, and the interest added up.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::*;
use crate::collections::{self, Exclusions};
use crate::test_support::{self as support, cur, d};

pub(super) fn at(day: NaiveDate) -> Ctx {
    support::ctx_on(day)
}

fn twd(minor: i64) -> Money {
    Money::new(minor, cur("TWD"))
}

/// A customer owing two invoices: NT$60,000 due 2026-06-30 and NT$40,000.01 due 2026-07-31.
pub(super) fn book() -> (tempfile::TempDir, Connection, CustomerId, Vec<InvoiceId>) {
    let (dir, mut conn) = support::ledger_db();
    let (c, invoices) = support::arrears(&mut conn, "Harbour Logistics Ltd");
    (dir, conn, c, invoices)
}

pub(super) fn plan_of(
    c: CustomerId,
    invoices: &[InvoiceId],
    count: u32,
    first: NaiveDate,
    rate_bp: i64,
) -> NewPlan {
    NewPlan {
        customer_id: c,
        invoices: invoices.to_vec(),
        schedule: Schedule::Equal {
            count,
            first,
            every: Every::Month,
        },
        rate_bp,
        note: "agreed on the phone".into(),
    }
}

pub(super) fn make(conn: &mut Connection, on: NaiveDate, p: &NewPlan) -> PlanView {
    let tx = conn.transaction().unwrap();
    let v = create(&tx, &at(on), p).unwrap();
    tx.commit().unwrap();
    v
}

/// A dunning run on `on`; the invoice numbers it applied a level to.
pub(super) fn run(conn: &mut Connection, on: NaiveDate) -> Vec<String> {
    let tx = conn.transaction().unwrap();
    let r = collections::execute(&tx, &at(on), on, &Exclusions::default(), None, "out").unwrap();
    tx.commit().unwrap();
    r.map(|r| {
        r.customers
            .iter()
            .flat_map(|l| {
                l.plan
                    .invoices
                    .iter()
                    .filter(|i| i.new_level.is_some())
                    .map(|i| i.number.clone())
            })
            .collect()
    })
    .unwrap_or_default()
}

fn interest_charged_by_dunning(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT COALESCE(sum(interest_minor), 0) FROM dunning_steps",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn equal_instalments_split_the_odd_minor_units_and_add_interest_per_instalment() {
    let (_dir, conn, c, inv) = book();
    let made = d(2026, 10, 1);
    let draft = draft(&conn, made, &plan_of(c, &inv, 3, d(2026, 10, 31), 1200)).unwrap();
    assert_eq!(draft.owed, twd(10_000_001));
    let principals: Vec<i64> = draft
        .instalments
        .iter()
        .map(|i| i.principal.minor)
        .collect();
    assert_eq!(
        principals,
        [3_333_334, 3_333_334, 3_333_333],
        "the odd units on the first"
    );
    // 12 % a year on each share from 2026-10-01 to its due date (Oct 31, Nov 30, Dec 31:
    // 30, 60 and 91 days).
    let expected: Vec<i64> = [(3_333_334i64, 30i64), (3_333_334, 60), (3_333_333, 91)]
        .iter()
        .map(|(p, days)| interest_minor(*p, 1200, *days))
        .collect();
    assert_eq!(expected, [32_877, 65_753, 99_726]);
    let interest: Vec<i64> = draft.instalments.iter().map(|i| i.interest.minor).collect();
    assert_eq!(interest, expected);
    assert_eq!(draft.interest.minor, expected.iter().sum::<i64>());
    assert_eq!(draft.total.minor, draft.owed.minor + draft.interest.minor);
    let amounts: i64 = draft.instalments.iter().map(|i| i.amount.minor).sum();
    assert_eq!(
        amounts, draft.total.minor,
        "the instalments add up to the total exactly"
    );
    // Dates: the same day each month, the month's last day when it is shorter.
    let jan31 = draft_dates(&conn, c, &inv, d(2027, 1, 31));
    assert_eq!(jan31, [d(2027, 1, 31), d(2027, 2, 28), d(2027, 3, 31)]);
}

fn draft_dates(
    conn: &Connection,
    c: CustomerId,
    inv: &[InvoiceId],
    first: NaiveDate,
) -> Vec<NaiveDate> {
    draft(conn, d(2026, 10, 1), &plan_of(c, inv, 3, first, 0))
        .unwrap()
        .instalments
        .iter()
        .map(|i| i.due_on)
        .collect()
}

#[test]
fn a_plan_is_refused_with_its_field_named() {
    let (_dir, mut conn, c, inv) = book();
    let other = support::customer(&mut conn, "Other Ltd", "TWD", "TW");
    let foreign = support::invoice(
        &mut conn,
        other,
        "OT-1",
        (d(2026, 5, 1), d(2026, 6, 1)),
        100,
        "TWD",
    );
    let today = d(2026, 10, 1);
    let field_in = |conn: &Connection, p: NewPlan| match draft(conn, today, &p) {
        Err(Error::Validation(e)) => e[0].field.clone(),
        other => panic!("accepted: {other:?}"),
    };
    let field = |p: NewPlan| field_in(&conn, p);
    assert_eq!(field(plan_of(c, &[], 3, d(2026, 11, 1), 0)), "invoices");
    assert_eq!(
        field(plan_of(c, &[inv[0], inv[0]], 3, d(2026, 11, 1), 0)),
        "invoices.1"
    );
    assert_eq!(
        field(plan_of(c, &[inv[0], foreign], 3, d(2026, 11, 1), 0)),
        "invoices.1"
    );
    assert_eq!(field(plan_of(c, &inv, 0, d(2026, 11, 1), 0)), "instalments");
    assert_eq!(
        field(plan_of(c, &inv, 121, d(2026, 11, 1), 0)),
        "instalments"
    );
    assert_eq!(field(plan_of(c, &inv, 3, d(2026, 9, 30), 0)), "first",);
    assert_eq!(field(plan_of(c, &inv, 3, d(2028, 1, 1), 0)), "first");
    assert_eq!(field(plan_of(c, &inv, 3, d(2026, 11, 1), 10_001)), "rate");
    let typed = |parts: Vec<(NaiveDate, i64)>| NewPlan {
        schedule: Schedule::Typed { parts },
        ..plan_of(c, &inv, 1, d(2026, 11, 1), 0)
    };
    assert_eq!(
        field(typed(vec![
            (d(2026, 11, 1), 5_000_000),
            (d(2026, 12, 1), 5_000_000)
        ])),
        "instalments",
        "one unit short"
    );
    assert_eq!(
        field(typed(vec![
            (d(2026, 12, 1), 5_000_000),
            (d(2026, 11, 1), 5_000_001)
        ])),
        "instalments",
        "dates not rising"
    );
    let ok = draft(
        &conn,
        today,
        &typed(vec![(d(2026, 11, 1), 1), (d(2026, 12, 1), 10_000_000)]),
    )
    .unwrap();
    assert_eq!(
        ok.instalments[0].amount.minor, 1,
        "a tiny first instalment is allowed"
    );
    for (text, bp) in [
        ("12", 1200),
        ("9.5", 950),
        ("0", 0),
        ("", 0),
        ("12.25%", 1225),
        ("100", 10_000),
    ] {
        assert_eq!(parse_rate(text).unwrap(), bp, "{text}");
    }
    for text in ["-1", "100.01", "1e2", "12,5", "=1+1", "12.345", "abc"] {
        assert!(parse_rate(text).is_err(), "{text}");
    }
    // An invoice in a kept plan is not planned twice.
    make(
        &mut conn,
        today,
        &plan_of(c, &[inv[0]], 2, d(2026, 11, 1), 0),
    );
    assert_eq!(
        field_in(&conn, plan_of(c, &inv, 2, d(2026, 11, 1), 0)),
        "invoices.0"
    );
}

#[test]
fn a_kept_plan_pauses_dunning_for_months_and_completes_with_its_interest_billed_once() {
    let (_dir, mut conn, c, inv) = book();
    // Dunning before the plan: levels reached in September.
    assert!(!run(&mut conn, d(2026, 9, 15)).is_empty());
    let dunning_interest_before = interest_charged_by_dunning(&conn);
    let made = d(2026, 10, 1);
    let plan = make(&mut conn, made, &plan_of(c, &inv, 4, d(2026, 10, 15), 1200));
    assert_eq!(plan.status, PlanStatus::Kept);
    let owed_then: i64 = inv
        .iter()
        .map(|i| receivables::invoice_outstanding(&conn, *i).unwrap())
        .sum();
    assert_eq!(plan.owed.minor, owed_then);
    // Twice a month for five months: the customer pays each instalment on its day.
    let mut day = made;
    let mut letters = Vec::new();
    while day <= d(2027, 2, 28) {
        for i in &plan.instalments {
            if i.due_on == day {
                support::pay(&mut conn, c, &format!("PLAN-{}", i.seq), day, i.amount);
            }
        }
        letters.extend(run(&mut conn, day));
        day += chrono::Duration::days(1);
    }
    assert!(
        letters.is_empty(),
        "no level applied while the plan is kept: {letters:?}"
    );
    assert_eq!(
        interest_charged_by_dunning(&conn),
        dunning_interest_before,
        "no dunning interest during the plan"
    );
    let end = view(&conn, plan.id, d(2027, 2, 28)).unwrap();
    assert_eq!(end.status, PlanStatus::Completed);
    assert_eq!(end.paid, end.total);
    assert!(end
        .instalments
        .iter()
        .all(|i| i.state == InstalmentState::Paid));
    // What the customer was charged for the plan is the plan's interest, to the minor unit:
    // the charge invoice, paid in full with the plan's invoices.
    let charge = receivables::invoice(&conn, end.interest_invoice.unwrap()).unwrap();
    assert_eq!(charge.total, plan.interest);
    // Its line is written in the customer's language (this one reads English).
    let line = &receivables::invoice_lines(&conn, charge.id).unwrap()[0];
    assert_eq!(
        line.description,
        format!("Payment plan {}: interest at 12.00 % a year", plan.id)
    );
    for id in inv.iter().chain(end.interest_invoice.iter()) {
        assert_eq!(receivables::invoice_outstanding(&conn, *id).unwrap(), 0);
    }
    // Left open: only the fees September's run charged, outside the plan.
    let open = receivables::open_items(&conn, d(2027, 2, 28), Some(c)).unwrap();
    assert!(
        open.iter()
            .all(|i| i.kind == InvoiceKind::Charge && i.issued_on == d(2026, 9, 15)),
        "{open:?}"
    );
}

#[test]
fn a_missed_instalment_breaks_the_plan_after_the_grace_period_and_dunning_resumes() {
    let (_dir, mut conn, c, inv) = book();
    let levels_before = run(&mut conn, d(2026, 9, 15));
    let made = d(2026, 10, 1);
    let plan = make(&mut conn, made, &plan_of(c, &inv, 4, d(2026, 10, 15), 1200));
    support::pay(
        &mut conn,
        c,
        "P1",
        d(2026, 10, 15),
        plan.instalments[0].amount,
    );
    // The second instalment (2026-11-15) is not paid; grace: five days, to 2026-11-20.
    for day in [d(2026, 11, 1), d(2026, 11, 15), d(2026, 11, 20)] {
        assert!(run(&mut conn, day).is_empty(), "still kept on {day}");
        assert_eq!(view(&conn, plan.id, day).unwrap().status, PlanStatus::Kept);
    }
    let broken = view(&conn, plan.id, d(2026, 11, 21)).unwrap();
    assert_eq!(
        (broken.status, broken.ended_on),
        (PlanStatus::Broken, Some(d(2026, 11, 21)))
    );
    assert_eq!(broken.instalments[1].state, InstalmentState::Missed);
    let resumed = run(&mut conn, d(2026, 11, 21));
    assert!(
        !resumed.is_empty(),
        "dunning resumes the day the plan broke"
    );
    // No level is applied twice to an invoice.
    let twice: i64 = conn
        .query_row("SELECT count(*) FROM (SELECT invoice_id, level_id FROM dunning_steps GROUP BY 1, 2 HAVING count(*) > 1)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(twice, 0);
    // The interest charged since covers only the days from the break: none of the plan's.
    let from: Option<String> = conn
        .query_row(
            "SELECT min(interest_from) FROM dunning_steps s JOIN dunning_runs r ON r.id = s.run_id WHERE r.as_of = '2026-11-21' AND s.interest_minor > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let from = from.expect("the level reached charges interest");
    assert_eq!(
        from, "2026-11-20",
        "interest for the days after 2026-11-20 only"
    );
    assert!(!levels_before.is_empty());
    // The risk model and the agenda see it.
    let now = at(d(2026, 11, 21)).now;
    let facts = crate::risk::facts::gather(&conn, d(2026, 11, 21), now, None).unwrap();
    assert_eq!(facts[&c].broken_plan, Some((plan.id, d(2026, 11, 21))));
    let scores = crate::risk::scores(&conn, d(2026, 11, 21), now, None).unwrap();
    let s = scores.iter().find(|s| s.customer_id == c).unwrap();
    assert!(
        s.factors
            .iter()
            .any(|f| f.key == crate::risk::labels::FactorKind::BrokenPaymentPlan.as_str()),
        "{:?}",
        s.factors
    );
}

#[test]
fn a_cancelled_plan_lets_dunning_resume_and_cannot_be_cancelled_twice() {
    let (_dir, mut conn, c, inv) = book();
    let plan = make(
        &mut conn,
        d(2026, 10, 1),
        &plan_of(c, &inv, 2, d(2026, 10, 31), 0),
    );
    assert!(run(&mut conn, d(2026, 10, 10)).is_empty());
    let tx = conn.transaction().unwrap();
    assert!(
        cancel(&tx, &at(d(2026, 10, 12)), plan.id, "  ").is_err(),
        "a reason is required"
    );
    let v = cancel(
        &tx,
        &at(d(2026, 10, 12)),
        plan.id,
        "customer asked to pay at once",
    )
    .unwrap();
    assert_eq!(
        (v.status, v.ended_on),
        (PlanStatus::Cancelled, Some(d(2026, 10, 12)))
    );
    assert!(cancel(&tx, &at(d(2026, 10, 13)), plan.id, "again").is_err());
    tx.commit().unwrap();
    assert!(!run(&mut conn, d(2026, 10, 13)).is_empty());
}

/// The dunning interest on a broken plan's invoices does not depend on how often runs
/// happen: daily runs and a run every ten days charge the same (at most a minor unit of
/// rounding per run apart), and none of it falls inside the plan.
#[test]
fn after_a_break_the_interest_does_not_depend_on_how_often_runs_happen() {
    let charged = |every: i64| {
        let (_dir, mut conn, c, inv) = book();
        run(&mut conn, d(2026, 9, 15));
        let plan = make(
            &mut conn,
            d(2026, 10, 1),
            &plan_of(c, &inv, 4, d(2026, 10, 15), 900),
        );
        support::pay(
            &mut conn,
            c,
            "P1",
            d(2026, 10, 15),
            plan.instalments[0].amount,
        );
        let mut day = d(2026, 10, 2);
        let mut runs = 0;
        while day <= d(2027, 1, 31) {
            run(&mut conn, day);
            runs += 1;
            day += chrono::Duration::days(every);
        }
        run(&mut conn, d(2027, 1, 31));
        let inside: i64 = conn
            .query_row(
                "SELECT count(*) FROM dunning_steps WHERE interest_minor > 0 AND interest_to > '2026-10-01' AND interest_from < '2026-11-20'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            inside, 0,
            "no dunning interest for the plan's days (every {every} days)"
        );
        let after: i64 = conn
            .query_row(
                "SELECT COALESCE(sum(s.interest_minor), 0) FROM dunning_steps s JOIN dunning_runs r ON r.id = s.run_id
                 WHERE r.as_of > '2026-11-20'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (after, runs + 1)
    };
    let (daily, daily_runs) = charged(1);
    let (sparse, _) = charged(10);
    eprintln!("after the break: daily runs {daily}, every ten days {sparse} (minor units)");
    assert!(daily > 0, "interest is charged again after the break");
    assert!(
        (daily - sparse).abs() <= daily_runs,
        "daily {daily}, every ten days {sparse}"
    );
}

mod schedules {
    //! Any plan the form can ask for: it is refused with its field named, or its schedule
    //! adds up to the minor unit. Tiny debts, huge ones, month ends and leap days included.
    use super::*;
    use proptest::prelude::*;

    fn amount() -> impl Strategy<Value = i64> {
        prop_oneof![
            1i64..=150,
            150i64..=1_000_000_000,
            1_000_000_000_000_000i64..=crate::money::MAX_MINOR,
        ]
    }

    #[test]
    fn five_cents_are_five_instalments_at_most() {
        let (_dir, mut conn) = support::ledger_db();
        let c = support::customer(&mut conn, "Five Cents Ltd", "USD", "US");
        let inv = support::invoice(
            &mut conn,
            c,
            "C-5",
            (d(2026, 9, 1), d(2026, 9, 30)),
            5,
            "USD",
        );
        let today = d(2026, 10, 1);
        let p = plan_of(c, &[inv], 6, d(2026, 10, 31), 0);
        let (_, code, params) = match draft(&conn, today, &p) {
            Err(Error::Validation(f)) => (f[0].field.clone(), f[0].code, f[0].params.clone()),
            other => panic!("{other:?}"),
        };
        assert_eq!(code, Code::MoreInstalmentsThanOwed);
        assert_eq!(
            params.get("max").map(|v| v.to_string()).as_deref(),
            Some("5")
        );
        let five = draft(&conn, today, &plan_of(c, &[inv], 5, d(2026, 10, 31), 0)).unwrap();
        assert!(five
            .instalments
            .iter()
            .all(|i| i.amount == Money::new(1, cur("USD"))));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn a_schedule_is_refused_readably_or_adds_up_exactly(
            amounts in proptest::collection::vec(amount(), 1..4),
            count in 1u32..=130,
            rate_bp in prop_oneof![Just(0i64), 1i64..=10_000, Just(10_000i64)],
            monthly in any::<bool>(),
            (today_offset, first_offset) in (0i64..1500, 0i64..400),
        ) {
            let (_dir, mut conn) = support::ledger_db();
            let c = support::customer(&mut conn, "Tiny And Huge Ltd", "USD", "US");
            let issued = d(2024, 1, 1);
            let invoices: Vec<InvoiceId> = amounts
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let due = issued + chrono::Duration::days(30);
                    support::invoice(&mut conn, c, &format!("P-{i}"), (issued, due), *a, "USD")
                })
                .collect();
            let today = d(2024, 1, 31) + chrono::Duration::days(today_offset);
            let first = today + chrono::Duration::days(first_offset);
            let every = if monthly { Every::Month } else { Every::TwoWeeks };
            let plan = NewPlan {
                schedule: Schedule::Equal { count, first, every },
                ..plan_of(c, &invoices, count, first, rate_bp)
            };
            let owed: i128 = amounts.iter().map(|a| i128::from(*a)).sum();
            match draft(&conn, today, &plan) {
                Err(Error::Validation(problems)) => {
                    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
                    prop_assert!(
                        fields.iter().all(|f| ["instalments", "invoices", "first"].contains(f)),
                        "{:?}", problems
                    );
                    prop_assert!(
                        count > MAX_INSTALMENTS
                            || i128::from(count) > owed
                            || first_offset > 366
                            || owed > i128::from(i64::MAX / 4),
                        "refused without cause: {:?}", problems
                    );
                }
                Err(other) => prop_assert!(false, "{other}"),
                Ok(plan) => {
                    prop_assert_eq!(i128::from(plan.owed.minor), owed);
                    let principals: i64 = plan.instalments.iter().map(|i| i.principal.minor).sum();
                    prop_assert_eq!(principals, plan.owed.minor);
                    prop_assert!(plan.instalments.iter().all(|i| i.principal.minor > 0), "an instalment of nothing");
                    let amounts: i64 = plan.instalments.iter().map(|i| i.amount.minor).sum();
                    prop_assert_eq!(amounts, plan.total.minor);
                    prop_assert_eq!(plan.total.minor, plan.owed.minor + plan.interest.minor);
                    prop_assert!(plan.instalments.windows(2).all(|w| w[0].due_on < w[1].due_on));
                    prop_assert!(plan.instalments.iter().all(|i| i.interest.minor >= 0));
                    if rate_bp == 0 {
                        prop_assert_eq!(plan.interest.minor, 0);
                    }
                    if monthly {
                        for (n, i) in plan.instalments.iter().enumerate() {
                            let day = first.checked_add_months(chrono::Months::new(n as u32));
                            prop_assert_eq!(Some(i.due_on), day);
                        }
                    }
                }
            }
        }
    }
}

/// A customer who reads Chinese is billed the plan's interest on a line written in Chinese.
#[test]
fn the_interest_charge_reads_in_the_customer_s_language() {
    let (_dir, mut conn, c, inv) = book();
    conn.execute(
        "UPDATE customers SET language = 'zh-TW' WHERE id = ?1",
        [c.0],
    )
    .unwrap();
    let plan = make(
        &mut conn,
        d(2026, 10, 1),
        &plan_of(c, &inv, 3, d(2026, 10, 31), 950),
    );
    let charge = plan.interest_invoice.expect("billed when the plan is made");
    let line = &receivables::invoice_lines(&conn, charge).unwrap()[0];
    assert_eq!(
        line.description,
        format!("分期付款協議 {}：年利率 9.50 % 之利息", plan.id)
    );
}
