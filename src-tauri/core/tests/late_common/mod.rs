//! What the late-payment tests share: a policy with fees (and a minimum), a customer owing,
//! payments recorded and taken back with what they corrected, what the runs' charges still
//! stand at, and the property tests' book, built with each payment entered on its day or
//! late.

// Each test file uses some of these.
#![allow(dead_code)]

use std::collections::BTreeSet;

use riskdesk_core::collections::{self, AmountInput, Correction};
use riskdesk_core::ids::CustomerId;
use riskdesk_core::money::Money;
use riskdesk_core::receivables::{self, NewReturn, ReturnReason};
use riskdesk_core::Error;
use rusqlite::Connection;

use riskdesk_core::test_support::{
    self as support, ctx, cur, d, ledger_db as db, payment, policy_input, run, save_policy, scalar,
};

/// Fees of NT$300, NT$500 and NT$800 at the default policy's first three levels (7, 21 and
/// 30 days; interest at 10 % a year from the second).
pub fn with_fees(conn: &mut Connection) {
    with_fees_over(conn, None);
}

/// The fees of [`with_fees`], and nothing sent to a customer owing less than `minimum` (NT$,
/// as typed in the window) overdue.
pub fn with_fees_over(conn: &mut Connection, minimum: Option<&str>) {
    let mut input = policy_input(conn);
    input.min_overdue = minimum
        .map(|m| {
            vec![AmountInput {
                currency: "TWD".into(),
                amount: m.into(),
            }]
        })
        .unwrap_or_default();
    for (level, fee) in input.levels.iter_mut().zip(["300", "500", "800"]) {
        level.late_fees = vec![AmountInput {
            currency: "TWD".into(),
            amount: fee.into(),
        }];
    }
    save_policy(conn, &input).unwrap();
}

/// A customer owing `minor` on INV-1, due 2026-01-31.
pub fn owing(conn: &mut Connection, name: &str, currency: &str, minor: i64) -> CustomerId {
    let c = support::customer(conn, name, currency, "TW");
    support::invoice(
        conn,
        c,
        &format!("INV-{name}"),
        (d(2026, 1, 1), d(2026, 1, 31)),
        minor,
        currency,
    );
    c
}

/// Records a payment (or credit note) and answers what it corrected.
pub fn record(
    conn: &mut Connection,
    p: &receivables::NewPayment,
) -> Result<Vec<Correction>, Error> {
    let tx = conn.transaction().unwrap();
    let paid = receivables::record_payment(&tx, &ctx(), p)?;
    let fixed = collections::caused_by(&tx, paid.id)?;
    tx.commit().unwrap();
    Ok(fixed)
}

/// Takes back the payment `reference` on `on` (the bank returned it); answers every
/// correction the payment caused, when it was recorded and now.
pub fn take_back(conn: &mut Connection, reference: &str, on: chrono::NaiveDate) -> Vec<Correction> {
    let paid: i64 = scalar(
        conn,
        &format!("SELECT id FROM payments WHERE reference = '{reference}'"),
    );
    let tx = conn.transaction().unwrap();
    receivables::return_payment(
        &tx,
        &ctx(),
        &NewReturn {
            payment_id: paid,
            returned_on: on,
            reason: ReturnReason::Returned,
            note: String::new(),
        },
    )
    .unwrap();
    let caused = collections::caused_by(&tx, paid).unwrap();
    tx.commit().unwrap();
    caused
}

pub fn twd(minor: i64) -> Money {
    Money::new(minor, cur("TWD"))
}

/// What the customer's runs charged and still stands: the charge invoices, less the credit
/// notes that correct them.
pub fn charges_standing(conn: &Connection, c: CustomerId) -> i64 {
    scalar(
        conn,
        &format!(
            "SELECT (SELECT COALESCE(sum(total_minor), 0) FROM invoices WHERE customer_id = {c} AND kind = 'charge')
                  - (SELECT COALESCE(sum(p.amount_minor), 0) FROM payments p WHERE p.customer_id = {c}
                     AND EXISTS (SELECT 1 FROM charge_corrections x WHERE x.credit_note_id = p.id))",
            c = c.0
        ),
    )
}

pub fn balance(conn: &Connection, c: CustomerId) -> i64 {
    receivables::statement(conn, c, ctx().today)
        .unwrap()
        .balance_minor
}

/// When the property tests' payments are entered.
#[derive(Debug, Clone)]
pub enum Entered {
    /// Each on its day, before that day's run.
    OnTime,
    /// After every run, in received order rotated by the number (then reversed when it is
    /// odd).
    AfterRuns(u64),
    /// Each payment so many runs late: entered after that many runs on or after its day
    /// (0: on its day; after every run when there are not that many), those entered at one
    /// time in received order.
    RunsLate(Vec<usize>),
}

/// A property test's book: `minor` owed on INV-Prop, due 2026-01-31, and, when given,
/// `(days after 01-31 it is due, minor)` owed on INV-Prop-2 (issued 30 days before); the
/// payments `(days after 01-31 received, minor)` entered as `entered` says; runs on the days
/// after 01-31 in `runs`. The policy has the fees of [`with_fees`] and sends nothing under
/// `minimum` (minor units) overdue, if given.
pub fn world(
    minor: i64,
    second: Option<(i64, i64)>,
    payments: &[(i64, i64)],
    runs: &BTreeSet<i64>,
    entered: &Entered,
    minimum: Option<i64>,
) -> (tempfile::TempDir, Connection, CustomerId) {
    let (dir, mut conn) = db();
    let minimum = minimum.map(|m| format!("{}.{:02}", m / 100, m % 100));
    with_fees_over(&mut conn, minimum.as_deref());
    let c = owing(&mut conn, "Prop", "TWD", minor);
    let day = |off: i64| d(2026, 1, 31) + chrono::Duration::days(off);
    if let Some((due, owed)) = second {
        support::invoice(
            &mut conn,
            c,
            "INV-Prop-2",
            (day(due - 30), day(due)),
            owed,
            "TWD",
        );
    }
    let runs: Vec<i64> = runs.iter().copied().collect();
    // (the number of runs before it is entered, received, its number, amount)
    let mut order: Vec<(usize, i64, usize, i64)> = payments
        .iter()
        .enumerate()
        .map(|(i, &(off, amount))| {
            let first = runs.iter().position(|r| *r >= off).unwrap_or(runs.len());
            let at = match entered {
                Entered::OnTime => first,
                Entered::AfterRuns(_) => runs.len(),
                Entered::RunsLate(late) => {
                    (first + late.get(i).copied().unwrap_or(0)).min(runs.len())
                }
            };
            (at, off, i, amount)
        })
        .collect();
    order.sort();
    if let Entered::AfterRuns(shuffle) = entered {
        if !order.is_empty() {
            let k = (*shuffle as usize) % order.len();
            order.rotate_left(k);
            if shuffle % 2 == 1 {
                order.reverse();
            }
        }
    }
    let mut next = order.into_iter().peekable();
    let pay = |conn: &mut Connection, (_, off, i, amount): (usize, i64, usize, i64)| {
        record(conn, &payment(c, &format!("P-{i}"), day(off), twd(amount))).unwrap();
    };
    for (k, off) in runs.iter().enumerate() {
        while let Some(p) = next.next_if(|p| p.0 <= k) {
            pay(&mut conn, p);
        }
        run(&mut conn, day(*off));
    }
    for p in next {
        pay(&mut conn, p);
    }
    (dir, conn, c)
}
