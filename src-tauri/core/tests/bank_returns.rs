//! Reversals on bank statements: a payment the bank sends back (CAMT `RvslInd` on a debit,
//! MT940 `RC`) is matched to the payment it undoes and, once the owner records it, that
//! payment is taken back; money paid out coming back (a credit reversal, `RD`) is never
//! proposed as a customer's payment.

use riskdesk_core::bank::{self, Confidence, Direction, LineStatus, Reason, StatementFile};
use riskdesk_core::ids::CustomerId;
use riskdesk_core::receivables;
use riskdesk_core::test_support::{self as support, camt, ctx, d, scalar};
use riskdesk_core::{audit, Error};
use rusqlite::Connection;

const PAYER: (&str, &str) = ("雲橋科技股份有限公司", "012-555");

/// A booked entry of the customer's.
fn entry(
    amount: &str,
    dir: &str,
    reversal: bool,
    day: &str,
    reference: &str,
    text: &str,
) -> String {
    camt::entry(amount, dir, reversal, day, reference, text, PAYER)
}

fn import(conn: &mut Connection, file: &str, text: &str) -> bank::ImportedStatement {
    let f = StatementFile {
        file,
        bytes: text.as_bytes(),
        format: None,
        account: "",
        map: None,
    };
    support::import_statement(conn, &f).unwrap()
}

fn book() -> (tempfile::TempDir, Connection, CustomerId) {
    let (dir, mut conn) = support::ledger_db();
    let c = support::customer(&mut conn, "雲橋科技股份有限公司", "TWD", "TW");
    support::invoice(
        &mut conn,
        c,
        "INV-2026-0012",
        (d(2026, 10, 1), d(2026, 10, 31)),
        1_234_500,
        "TWD",
    );
    (dir, conn, c)
}

fn review_of(conn: &Connection, file_line_text: &str) -> bank::Review {
    bank::review(conn, false)
        .unwrap()
        .into_iter()
        .find(|r| r.line.entry.text.contains(file_line_text))
        .unwrap_or_else(|| panic!("no line {file_line_text}"))
}

fn reasons(r: &bank::Review) -> Vec<Reason> {
    r.proposal
        .as_ref()
        .map(|p| p.reasons.iter().map(|w| w.reason).collect())
        .unwrap_or_default()
}

#[test]
fn a_payment_the_bank_sends_back_is_matched_and_taken_back_once_recorded() {
    let (_d, mut conn, c) = book();
    let paid = camt::statement(&[entry(
        "12345.00",
        "CRDT",
        false,
        "2026-11-02",
        "E-100",
        "Payment INV-2026-0012",
    )]);
    import(&mut conn, "nov-1.xml", &paid);
    {
        let tx = conn.transaction().unwrap();
        assert_eq!(bank::accept_all_sure(&tx, &ctx()).unwrap().len(), 1);
        tx.commit().unwrap();
    }
    let owed = |conn: &Connection, on| -> i64 {
        receivables::open_items(conn, on, Some(c))
            .unwrap()
            .iter()
            .map(|o| o.due.minor)
            .sum()
    };
    assert_eq!(owed(&conn, d(2026, 11, 20)), 0);

    let back = camt::statement(&[
        entry(
            "12345.00",
            "DBIT",
            true,
            "2026-11-10",
            "E-100-R",
            "RETURN E-100 account closed",
        ),
        entry("30.00", "CRDT", true, "2026-11-10", "E-101", "fee refunded"),
        entry("50.00", "DBIT", false, "2026-11-10", "E-102", "card fee"),
    ]);
    let s = import(&mut conn, "nov-2.xml", &back);
    assert_eq!(
        (s.added, s.outgoing),
        (3, 1),
        "only the plain debit is outgoing"
    );

    let sent = review_of(&conn, "RETURN E-100");
    assert_eq!(sent.line.entry.direction, Direction::Debit);
    assert!(sent.line.entry.reversal);
    let p = sent.proposal.clone().expect("a proposal");
    assert_eq!(p.confidence, Confidence::Likely);
    assert_eq!(p.customer_id, Some(c));
    assert_eq!(reasons(&sent), [Reason::SendsBack, Reason::SameReference]);
    let refund = review_of(&conn, "fee refunded");
    assert_eq!(reasons(&refund), [Reason::Reversal]);
    assert_eq!(refund.proposal.unwrap().customer_id, None);

    // Nothing here is sure: booking the sure lines leaves both for the owner.
    {
        let tx = conn.transaction().unwrap();
        assert!(bank::accept_all_sure(&tx, &ctx()).unwrap().is_empty());
        tx.commit().unwrap();
    }
    let tx = conn.transaction().unwrap();
    // It pays no invoice: booking it as a customer's payment is refused.
    let as_payment = bank::Decision {
        customer_id: c,
        allocations: vec![],
        write_off_fee: false,
        received_minor: None,
    };
    match bank::confirm(&tx, &ctx(), sent.line.id, &as_payment) {
        Err(Error::Conflict { message, .. }) => assert!(message.contains("paid out"), "{message}"),
        other => panic!("{other:?}"),
    }
    let b = bank::accept(&tx, &ctx(), sent.line.id).unwrap();
    tx.commit().unwrap();
    assert!(b.sent_back);
    assert_eq!(b.customer_id, c);
    assert_eq!(
        owed(&conn, d(2026, 11, 9)),
        0,
        "paid until the day it went back"
    );
    assert_eq!(owed(&conn, d(2026, 11, 10)), 1_234_500);
    let r = receivables::payment_record(&conn, b.payment_id).unwrap();
    assert_eq!(r.returned_on, Some(d(2026, 11, 10)));
    assert_eq!(r.return_reason, Some(receivables::ReturnReason::Returned));
    let line = bank::line(&conn, sent.line.id).unwrap();
    assert_eq!(line.status, LineStatus::Booked);
    assert_eq!(line.booked_to.map(|t| t.id), Some(c));
    // Recorded once: the line is no longer waiting, and importing the file again adds nothing.
    let tx = conn.transaction().unwrap();
    assert!(bank::accept(&tx, &ctx(), sent.line.id).is_err());
    drop(tx);
    assert_eq!(import(&mut conn, "nov-2.xml", &back).added, 0);
    assert_eq!(
        scalar::<i64>(&conn, "SELECT count(*) FROM payment_returns"),
        1
    );
    assert!(audit::verify(&conn).unwrap().is_intact());
}

#[test]
fn a_payment_sent_back_that_names_no_single_payment_is_left_to_the_owner() {
    let (_d, mut conn, c) = book();
    // Two payments of the same amount, neither from a bank statement.
    let twd = |minor| riskdesk_core::money::Money::new(minor, support::cur("TWD"));
    support::pay(&mut conn, c, "TX-88001", d(2026, 11, 1), twd(50_000));
    support::pay(&mut conn, c, "TX-88002", d(2026, 11, 3), twd(50_000));
    let back = camt::statement(&[
        entry("500.00", "DBIT", true, "2026-11-12", "R-1", "returned"),
        entry(
            "777.00",
            "DBIT",
            true,
            "2026-11-12",
            "R-2",
            "no such payment",
        ),
    ]);
    import(&mut conn, "back.xml", &back);
    let several = review_of(&conn, "returned");
    assert_eq!(reasons(&several), [Reason::SeveralPayments]);
    let none = review_of(&conn, "no such payment");
    assert_eq!(reasons(&none), [Reason::NoPaymentFound]);
    let tx = conn.transaction().unwrap();
    match bank::accept(&tx, &ctx(), none.line.id) {
        Err(Error::Conflict { message, .. }) => assert!(message.contains("set it aside")),
        other => panic!("{other:?}"),
    }
    bank::ignore(&tx, &ctx(), none.line.id, "bank error, reversed again").unwrap();
    tx.commit().unwrap();
    assert_eq!(
        scalar::<i64>(&conn, "SELECT count(*) FROM payment_returns"),
        0
    );
    // The payment's own reference in the bank's text names it among the two.
    let named = camt::statement(&[entry(
        "500.00",
        "DBIT",
        true,
        "2026-11-13",
        "R-3",
        "RTN tx 88002 insufficient funds",
    )]);
    import(&mut conn, "named.xml", &named);
    let r = review_of(&conn, "RTN tx");
    assert_eq!(reasons(&r), [Reason::SendsBack, Reason::SameReference]);
    // The same reference written two more ways (full-width, run together) names it too.
    let spelled = camt::statement(&[
        entry(
            "500.00",
            "DBIT",
            true,
            "2026-11-14",
            "R-4",
            "退匯 ＴＸ－８８００２",
        ),
        entry(
            "500.00",
            "DBIT",
            true,
            "2026-11-14",
            "R-5",
            "returnTX88002/closed",
        ),
    ]);
    import(&mut conn, "spelled.xml", &spelled);
    for text in ["退匯", "returnTX88002"] {
        let r = review_of(&conn, text);
        assert_eq!(
            reasons(&r),
            [Reason::SendsBack, Reason::SameReference],
            "{text}"
        );
        assert!(r.proposal.unwrap().reasons[0]
            .params
            .values()
            .any(|v| v == "TX-88002"));
    }
}

#[test]
fn mt940_reversal_marks_give_the_direction_and_the_reversal() {
    let text = ":20:X\r\n:25:808/0123456789\r\n:60F:C261101TWD0,00\r\n\
                :61:2611101110RC12345,00NTRFE-100-R\r\n:86:RETURN E-100\r\n\
                :61:2611101110RD30,00NCHGE-101\r\n:86:FEE REFUND\r\n\
                :61:2611101110D50,00NCHGE-102\r\n:86:FEE\r\n:62F:C261110TWD0,00\r\n";
    let s = bank::parse("m.sta", text.as_bytes(), None, None).unwrap();
    let read: Vec<(Direction, bool, i64)> = s
        .lines
        .iter()
        .map(|l| (l.direction, l.reversal, l.amount.minor))
        .collect();
    assert_eq!(
        read,
        [
            (Direction::Debit, true, 1_234_500),
            (Direction::Credit, true, 3_000),
            (Direction::Debit, false, 5_000),
        ]
    );
}
