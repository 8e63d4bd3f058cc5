//! Payments taken back (charge-backs, returned transfers, recalls), read as an accountant
//! would: the statement, the aging, the open items and the dunning plan on days before and
//! after the return, and the customer's credit.

use chrono::NaiveDate;
use proptest::prelude::*;
use riskdesk_core::audit;
use riskdesk_core::collections;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::money::Money;
use riskdesk_core::receivables::{
    self, BucketEdges, NewPayment, NewReturn, PaymentKind, ReturnReason, StatementEntry,
};
use riskdesk_core::test_support::{self as support, ctx_on, d, ledger_db, scalar};
use rusqlite::Connection;

fn usd(minor: i64) -> Money {
    Money::new(minor, support::cur("USD"))
}

fn payment_id(conn: &Connection, reference: &str) -> i64 {
    conn.query_row(
        "SELECT id FROM payments WHERE reference = ?1",
        [reference],
        |r| r.get(0),
    )
    .unwrap()
}

fn give_back(
    conn: &mut Connection,
    reference: &str,
    on: NaiveDate,
    reason: ReturnReason,
) -> riskdesk_core::Result<receivables::PaymentRecord> {
    let id = payment_id(conn, reference);
    let tx = conn.transaction().unwrap();
    let r = receivables::return_payment(
        &tx,
        &ctx_on(on.max(support::ctx().today)),
        &NewReturn {
            payment_id: id,
            returned_on: on,
            reason,
            note: "Card issuer: fraudulent transaction".into(),
        },
    )?;
    tx.commit().unwrap();
    Ok(r)
}

fn owed_on(conn: &Connection, c: CustomerId, on: NaiveDate) -> i64 {
    receivables::open_items(conn, on, Some(c))
        .unwrap()
        .iter()
        .map(|o| o.due.minor)
        .sum()
}

/// The aging's totals on a day, all currencies together: what is owed, and the credit held.
fn aging_sums(conn: &Connection, on: NaiveDate) -> (i64, i64) {
    let a = receivables::aging(conn, on, BucketEdges([30, 60, 90])).unwrap();
    let owed = a.totals.iter().map(|t| t.total_minor).sum();
    (owed, a.totals.iter().map(|t| t.credit_minor).sum())
}

#[test]
fn credit_is_aged_in_its_own_currency_until_its_payment_goes_back() {
    let (_d, mut conn) = ledger_db();
    let yen = support::customer(&mut conn, "Kyoto Cloud KK", "JPY", "JP");
    let dollars = support::customer(&mut conn, "Austin Cloud LLC", "USD", "US");
    // One yen paid ahead, nothing invoiced; a dollar customer owing a cent.
    support::pay(
        &mut conn,
        yen,
        "JP-1",
        d(2026, 5, 1),
        Money::new(1, support::cur("JPY")),
    );
    support::invoice(
        &mut conn,
        dollars,
        "US-1",
        (d(2026, 5, 1), d(2026, 5, 31)),
        1,
        "USD",
    );
    let a = receivables::aging(&conn, d(2026, 5, 10), BucketEdges::default()).unwrap();
    let row = a.rows.iter().find(|r| r.customer_id == yen).unwrap();
    assert_eq!((row.total_minor, row.credit_minor), (0, 1));
    let totals: Vec<(&str, i64, i64)> = a
        .totals
        .iter()
        .map(|t| (t.currency.code(), t.total_minor, t.credit_minor))
        .collect();
    assert_eq!(totals, vec![("JPY", 0, 1), ("USD", 1, 0)]);
    // Not before it arrived, and not from the day the bank took it back.
    give_back(&mut conn, "JP-1", d(2026, 5, 20), ReturnReason::Returned).unwrap();
    assert_eq!(aging_sums(&conn, d(2026, 4, 30)), (0, 0));
    assert_eq!(aging_sums(&conn, d(2026, 5, 19)), (1, 1));
    assert_eq!(aging_sums(&conn, d(2026, 5, 20)), (1, 0));
    let a = receivables::aging(&conn, d(2026, 5, 20), BucketEdges::default()).unwrap();
    assert!(a.rows.iter().all(|r| r.customer_id != yen));
}

#[test]
fn a_charged_back_payment_reopens_what_it_paid_from_the_day_it_went_back() {
    let (_d, mut conn) = ledger_db();
    let c = support::customer(&mut conn, "Stolen Card Ltd", "USD", "US");
    let a = (d(2026, 6, 1), d(2026, 6, 30));
    let b = (d(2026, 7, 1), d(2026, 7, 31));
    support::invoice(&mut conn, c, "SC-1", a, 10_000, "USD");
    support::invoice(&mut conn, c, "SC-2", b, 5_001, "USD");
    support::pay(&mut conn, c, "CARD-77", d(2026, 7, 10), usd(15_001));
    assert_eq!(owed_on(&conn, c, d(2026, 8, 10)), 0);
    let plan_before = collections::plan(&conn, d(2026, 8, 10)).unwrap();
    assert!(plan_before.customers.iter().all(|p| p.customer_id != c));

    let r = give_back(
        &mut conn,
        "CARD-77",
        d(2026, 8, 5),
        ReturnReason::Chargeback,
    )
    .unwrap();
    assert_eq!(r.returned_on, Some(d(2026, 8, 5)));
    assert_eq!(r.return_reason, Some(ReturnReason::Chargeback));

    // Before the day it went back the books stand as they did; from that day both invoices
    // are owed again, from their own due dates.
    assert_eq!(owed_on(&conn, c, d(2026, 8, 4)), 0);
    assert_eq!(aging_sums(&conn, d(2026, 8, 4)).0, 0);
    assert_eq!(owed_on(&conn, c, d(2026, 8, 5)), 15_001);
    assert_eq!(aging_sums(&conn, d(2026, 8, 10)).0, 15_001);
    let open = receivables::open_items(&conn, d(2026, 8, 10), Some(c)).unwrap();
    assert_eq!(
        open.iter()
            .map(|o| (o.number.as_str(), o.days_overdue))
            .collect::<Vec<_>>(),
        [("SC-1", 41), ("SC-2", 10)]
    );
    assert_eq!(receivables::customer_credit(&conn, c).unwrap(), 0);

    // The statement reads: two invoices, the payment, then the payment returned; the
    // balance is what is open.
    let st = receivables::statement(&conn, c, d(2026, 8, 10)).unwrap();
    let read: Vec<(NaiveDate, i64, i64, i64)> = st
        .lines
        .iter()
        .map(|l| (l.on, l.debit_minor, l.credit_minor, l.balance_minor))
        .collect();
    assert_eq!(
        read,
        [
            (d(2026, 6, 1), 10_000, 0, 10_000),
            (d(2026, 7, 1), 5_001, 0, 15_001),
            (d(2026, 7, 10), 0, 15_001, 0),
            (d(2026, 8, 5), 15_001, 0, 15_001),
        ]
    );
    assert_eq!(
        st.lines[3].entry,
        StatementEntry::PaymentReturned {
            reason: ReturnReason::Chargeback
        }
    );
    assert_eq!(st.balance_minor, owed_on(&conn, c, d(2026, 8, 10)));
    let earlier = receivables::statement(&conn, c, d(2026, 8, 4)).unwrap();
    assert_eq!(earlier.balance_minor, 0);
    assert_eq!(earlier.lines.len(), 3);

    // The dunning plan acts on what is known now, even dated before the return.
    for on in [d(2026, 8, 4), d(2026, 8, 10)] {
        let plan = collections::plan(&conn, on).unwrap();
        assert!(plan.customers.iter().any(|p| p.customer_id == c), "{on}");
    }
    let action: String = scalar(
        &conn,
        "SELECT action FROM audit WHERE entity = 'payment' ORDER BY seq DESC LIMIT 1",
    );
    assert_eq!(action, "return");
    assert!(audit::verify(&conn).unwrap().is_intact());
}

#[test]
fn credit_the_customer_holds_goes_to_what_the_return_reopened() {
    let (_d, mut conn) = ledger_db();
    let c = support::customer(&mut conn, "Two Payments Ltd", "USD", "US");
    support::invoice(
        &mut conn,
        c,
        "TP-1",
        (d(2026, 6, 1), d(2026, 6, 30)),
        10_000,
        "USD",
    );
    support::pay(&mut conn, c, "P-1", d(2026, 7, 10), usd(10_000));
    support::pay(&mut conn, c, "P-2", d(2026, 7, 20), usd(3_000));
    assert_eq!(receivables::customer_credit(&conn, c).unwrap(), 3_000);
    give_back(&mut conn, "P-1", d(2026, 8, 5), ReturnReason::Returned).unwrap();
    assert_eq!(receivables::customer_credit(&conn, c).unwrap(), 0);
    assert_eq!(owed_on(&conn, c, d(2026, 8, 10)), 7_000);
    // On a day between the two payments and the return, nothing was owed and P-2 was credit.
    assert_eq!(owed_on(&conn, c, d(2026, 7, 25)), 0);
    let st = receivables::statement(&conn, c, d(2026, 7, 25)).unwrap();
    assert_eq!(st.balance_minor, -3_000);
    let st = receivables::statement(&conn, c, d(2026, 8, 10)).unwrap();
    assert_eq!(st.balance_minor, 7_000);
}

#[test]
fn what_cannot_be_returned_is_refused_and_nothing_is_written() {
    let (_d, mut conn) = ledger_db();
    let c = support::customer(&mut conn, "Refusals Ltd", "USD", "US");
    support::invoice(
        &mut conn,
        c,
        "RF-1",
        (d(2026, 6, 1), d(2026, 6, 30)),
        1,
        "USD",
    );
    support::pay(&mut conn, c, "TINY", d(2026, 7, 1), usd(1));
    {
        let tx = conn.transaction().unwrap();
        receivables::record_payment(
            &tx,
            &support::ctx(),
            &NewPayment {
                kind: PaymentKind::CreditNote,
                ..support::payment(c, "CN-1", d(2026, 7, 2), usd(500))
            },
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let field = |e: riskdesk_core::Error| format!("{e:?}");
    let e = give_back(&mut conn, "TINY", d(2026, 6, 30), ReturnReason::Recalled).unwrap_err();
    assert!(field(e).contains("returned_on"));
    let e = give_back(&mut conn, "CN-1", d(2026, 7, 3), ReturnReason::Returned).unwrap_err();
    assert!(field(e).contains("credit note"));
    let id = payment_id(&conn, "TINY");
    let future = {
        let tx = conn.transaction().unwrap();
        let e = receivables::return_payment(
            &tx,
            &support::ctx(),
            &NewReturn {
                payment_id: id,
                returned_on: d(2026, 11, 26),
                reason: ReturnReason::Returned,
                note: String::new(),
            },
        )
        .unwrap_err();
        let long = receivables::return_payment(
            &tx,
            &support::ctx(),
            &NewReturn {
                payment_id: id,
                returned_on: d(2026, 7, 3),
                reason: ReturnReason::Returned,
                note: "x".repeat(2001),
            },
        )
        .unwrap_err();
        let missing = receivables::return_payment(
            &tx,
            &support::ctx(),
            &NewReturn {
                payment_id: 999_999,
                returned_on: d(2026, 7, 3),
                reason: ReturnReason::Returned,
                note: String::new(),
            },
        )
        .unwrap_err();
        (field(e), field(long), field(missing))
    };
    assert!(future.0.contains("AfterToday"), "{}", future.0);
    assert!(future.1.contains("note"));
    assert!(future.2.contains("999999"));
    assert_eq!(
        scalar::<i64>(&conn, "SELECT count(*) FROM payment_returns"),
        0
    );
    // A tiny payment returned once: the cent is owed again, and paid from the credit note
    // the customer holds; a second time is refused.
    assert_eq!(receivables::customer_credit(&conn, c).unwrap(), 500);
    give_back(&mut conn, "TINY", d(2026, 7, 3), ReturnReason::Recalled).unwrap();
    assert_eq!(owed_on(&conn, c, d(2026, 7, 3)), 0);
    assert_eq!(receivables::customer_credit(&conn, c).unwrap(), 499);
    let e = give_back(&mut conn, "TINY", d(2026, 7, 4), ReturnReason::Recalled).unwrap_err();
    assert!(field(e).contains("AlreadyRecorded"));
    assert_eq!(
        scalar::<i64>(&conn, "SELECT count(*) FROM payment_returns"),
        1
    );
}

#[test]
fn a_payment_taken_back_is_a_risk_factor_for_a_year_naming_the_payment() {
    let (_d, mut conn) = ledger_db();
    let c = support::customer(&mut conn, "Card Thief Ltd", "USD", "US");
    support::invoice(
        &mut conn,
        c,
        "CT-1",
        (d(2026, 1, 1), d(2026, 1, 31)),
        250_000,
        "USD",
    );
    support::pay(&mut conn, c, "CARD-1", d(2026, 1, 20), usd(250_000));
    give_back(&mut conn, "CARD-1", d(2026, 2, 3), ReturnReason::Chargeback).unwrap();
    let factor = |on: NaiveDate| {
        let now =
            chrono::TimeZone::from_utc_datetime(&chrono::Utc, &on.and_hms_opt(12, 0, 0).unwrap());
        riskdesk_core::risk::scores(&conn, on, now, Some(c))
            .unwrap()
            .remove(0)
            .factors
            .into_iter()
            .find(|f| f.key == "payment_returned")
    };
    assert!(factor(d(2026, 2, 2)).is_none(), "not before the day");
    let f = factor(d(2026, 2, 3)).expect("on the day");
    assert_eq!(
        f.evidence,
        "payment CARD-1 of US$2,500.00 charged back by the card issuer on 3 February 2026"
    );
    assert_eq!(
        f.evidence_zh,
        "付款 CARD-1（US$2,500.00）於 2026年2月3日 遭發卡機構退單"
    );
    assert!(f.points >= 25);
    assert!(factor(d(2027, 2, 2)).is_some(), "a year on");
    assert!(factor(d(2027, 2, 3)).is_none(), "and no longer");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Whatever is invoiced, paid, taken back and written off, on every day the statement's
    /// balance is what is open less the credit held then, and the aging agrees with the open
    /// items.
    #[test]
    fn the_balance_is_what_is_open_less_credit_on_every_day(
        invoices in proptest::collection::vec(1i64..5_000_000_000, 1..4),
        payments in proptest::collection::vec((1i64..5_000_000_000, any::<bool>()), 1..4),
        write_off in any::<bool>(),
    ) {
        let (_d, mut conn) = ledger_db();
        let c = support::customer(&mut conn, "Random Ltd", "USD", "US");
        for (n, minor) in invoices.iter().enumerate() {
            let issued = d(2026, 3, 1) + chrono::Duration::days(n as i64 * 20);
            support::invoice(&mut conn, c, &format!("R-{n}"), (issued, issued + chrono::Duration::days(30)), *minor, "USD");
        }
        for (n, (minor, _)) in payments.iter().enumerate() {
            support::pay(&mut conn, c, &format!("PAY-{n}"), d(2026, 4, 1) + chrono::Duration::days(n as i64 * 15), usd(*minor));
        }
        for (n, (_, back)) in payments.iter().enumerate() {
            if *back {
                let on = d(2026, 6, 1) + chrono::Duration::days(n as i64 * 7);
                give_back(&mut conn, &format!("PAY-{n}"), on, ReturnReason::Chargeback).unwrap();
            }
        }
        // The oldest invoice still open on 20 June written off then.
        let open = receivables::open_items(&conn, d(2026, 6, 20), Some(c)).unwrap();
        if let (true, Some(o)) = (write_off, open.first()) {
            let tx = conn.transaction().unwrap();
            receivables::write_off(&tx, &ctx_on(d(2026, 6, 20)), o.invoice_id, d(2026, 6, 20), "uncollectable").unwrap();
            tx.commit().unwrap();
        }
        // 5 April: a payment of the 1st may pay an invoice issued on the 10th, but on the 5th
        // it was credit.
        for day in [d(2026, 4, 5), d(2026, 4, 20), d(2026, 5, 20), d(2026, 6, 10), d(2026, 6, 20), d(2026, 7, 31)] {
            let st = receivables::statement(&conn, c, day).unwrap();
            let open = owed_on(&conn, c, day);
            let (owed, credit) = aging_sums(&conn, day);
            prop_assert_eq!(owed, open);
            // The balance is what is owed less the credit held then, as the aging lists it.
            prop_assert_eq!(st.balance_minor, open - credit, "{}", day);
        }
        // The totals the triggers keep are the records' own sums.
        let (kept, fresh) = support::account_totals_kept_and_fresh(&conn);
        prop_assert_eq!(kept, fresh);
        // Now: what is owed less the customer's credit is the balance.
        let st = receivables::statement(&conn, c, d(2026, 11, 25)).unwrap();
        let credit = receivables::customer_credit(&conn, c).unwrap();
        prop_assert_eq!(st.balance_minor, owed_on(&conn, c, d(2026, 11, 25)) - credit);
    }
}
