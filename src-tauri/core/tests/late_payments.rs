//! A payment received by a dunning run's day but recorded after the run: the run's late fee
//! and interest on money already paid are credited back, and charged again if the payment is
//! taken back. Checked the way an accountant would: the charges that stand are what the runs
//! would have charged had every payment been recorded on its day.

mod late_common;

use late_common::*;
use proptest::prelude::*;
use riskdesk_core::audit;
use riskdesk_core::collections::{self, interest_minor, Correction, Exclusions};
use riskdesk_core::money::Money;
use riskdesk_core::receivables::{self, PaymentKind, StatementEntry};
use rusqlite::Connection;

use riskdesk_core::test_support::{
    self as support, ctx, cur, d, ledger_db as db, payment, run, scalar,
};

/// NT$100,000 due 2026-01-31, dunned on 02-21 (formal notice: NT$500 and interest from the
/// reminder's day 02-07) and 03-02 (suspension warning: NT$800 and nine more days); the
/// customer had paid in full on 02-15, and the transfer is entered in November. Both runs'
/// charges are credited back, one credit note per run, and the customer owes nothing.
#[test]
fn a_payment_entered_late_gives_back_the_charges_of_the_runs_after_it() {
    let (_d, mut conn) = db();
    with_fees(&mut conn);
    let c = owing(&mut conn, "Prompt", "TWD", 10_000_000);
    let first = run(&mut conn, d(2026, 2, 21)).unwrap();
    let second = run(&mut conn, d(2026, 3, 2)).unwrap();
    assert_eq!(
        charges_standing(&conn, c),
        50_000 + 38_356 + 80_000 + 24_658
    );
    let fixed = record(
        &mut conn,
        &payment(c, "TT-0215", d(2026, 2, 15), twd(10_000_000)),
    )
    .unwrap();
    let fee = |r: &collections::RunRecord| format!("FEE-{}-{}", r.id, c.0);
    assert_eq!(
        fixed,
        [
            Correction {
                charge_invoice: fee(&first),
                document: format!("{}-CR1", fee(&first)),
                amount: twd(50_000 + 38_356),
            },
            Correction {
                charge_invoice: fee(&second),
                document: format!("{}-CR1", fee(&second)),
                amount: twd(80_000 + 24_658),
            },
        ]
    );
    assert_eq!(charges_standing(&conn, c), 0);
    assert_eq!(balance(&conn, c), 0);
    assert!(
        receivables::open_items_known_now(&conn, ctx().today, Some(c))
            .unwrap()
            .is_empty()
    );
    // The statement says what the credit notes are, and names the charge invoice.
    let st = receivables::statement(&conn, c, ctx().today).unwrap();
    let credited: Vec<_> = st
        .lines
        .iter()
        .filter_map(|l| match &l.entry {
            StatementEntry::ChargesCredited { charge_invoice } => {
                Some((l.document.clone(), charge_invoice.clone(), l.credit_minor))
            }
            _ => None,
        })
        .collect();
    assert_eq!(credited.len(), 2);
    assert_eq!(credited[0].1, fee(&first));
    assert_eq!(credited[0].2, 88_356);
    // Nothing more to do: a later run books nothing, another payment corrects nothing,
    // and each correction is in the audit trail.
    assert!(run(&mut conn, d(2026, 3, 10)).is_none());
    let more = record(&mut conn, &payment(c, "TT-0401", d(2026, 4, 1), twd(1_000))).unwrap();
    assert!(more.is_empty());
    let audited: i64 = scalar(
        &conn,
        "SELECT count(*) FROM audit WHERE action = 'charges_credited_back'",
    );
    assert_eq!(audited, 2);
    assert!(audit::verify(&conn).unwrap().is_intact());
}

/// NT$40,000 of NT$100,000 paid on 02-15 and entered after the 02-21 run: the fee stands
/// (NT$60,000 was still overdue), the interest is given back down to what NT$60,000 bears
/// for the same 14 days; the next run charges on NT$60,000. The charges then stand exactly
/// as they do when the payment is entered on its day.
#[test]
fn a_part_payment_entered_late_gives_back_the_interest_on_it() {
    let late = {
        let (dir, mut conn) = db();
        with_fees(&mut conn);
        let c = owing(&mut conn, "Part", "TWD", 10_000_000);
        run(&mut conn, d(2026, 2, 21)).unwrap();
        let fixed = record(
            &mut conn,
            &payment(c, "TT-1", d(2026, 2, 15), twd(4_000_000)),
        )
        .unwrap();
        assert_eq!(fixed.len(), 1);
        assert_eq!(
            fixed[0].amount,
            twd(38_356 - interest_minor(6_000_000, 1000, 14))
        );
        run(&mut conn, d(2026, 3, 2)).unwrap();
        (dir, conn, c)
    };
    let on_time = {
        let (dir, mut conn) = db();
        with_fees(&mut conn);
        let c = owing(&mut conn, "Part", "TWD", 10_000_000);
        record(
            &mut conn,
            &payment(c, "TT-1", d(2026, 2, 15), twd(4_000_000)),
        )
        .unwrap();
        run(&mut conn, d(2026, 2, 21)).unwrap();
        run(&mut conn, d(2026, 3, 2)).unwrap();
        (dir, conn, c)
    };
    let standing = charges_standing(&late.1, late.2);
    assert_eq!(standing, charges_standing(&on_time.1, on_time.2));
    assert_eq!(
        standing,
        50_000 + interest_minor(6_000_000, 1000, 14) + 80_000 + interest_minor(6_000_000, 1000, 9)
    );
    assert_eq!(balance(&late.1, late.2), balance(&on_time.1, on_time.2));
}

/// A payment received after the run's day changes nothing of it; one received on the run's
/// day counts as paid by then.
#[test]
fn only_payments_received_by_the_run_s_day_correct_it() {
    let (_d, mut conn) = db();
    with_fees(&mut conn);
    let after = owing(&mut conn, "After", "TWD", 10_000_000);
    let on_day = owing(&mut conn, "OnDay", "TWD", 10_000_000);
    run(&mut conn, d(2026, 2, 21)).unwrap();
    let none = record(
        &mut conn,
        &payment(after, "A-1", d(2026, 2, 22), twd(10_000_000)),
    )
    .unwrap();
    assert!(none.is_empty());
    assert_eq!(charges_standing(&conn, after), 88_356);
    let some = record(
        &mut conn,
        &payment(on_day, "O-1", d(2026, 2, 21), twd(10_000_000)),
    )
    .unwrap();
    assert_eq!(some.len(), 1);
    assert_eq!(charges_standing(&conn, on_day), 0);
}

/// The transfer that justified the credit is charged back by the bank: what was credited is
/// charged again (one charge invoice per run), and no more; entered once more, later, the
/// money then gives nothing back for runs before it.
#[test]
fn a_payment_taken_back_charges_again_what_it_had_given_back() {
    let (_d, mut conn) = db();
    with_fees(&mut conn);
    let c = owing(&mut conn, "Bounce", "TWD", 10_000_000);
    let charged = {
        run(&mut conn, d(2026, 2, 21)).unwrap();
        run(&mut conn, d(2026, 3, 2)).unwrap();
        charges_standing(&conn, c)
    };
    let owed_before = balance(&conn, c);
    record(
        &mut conn,
        &payment(c, "TT-0215", d(2026, 2, 15), twd(10_000_000)),
    )
    .unwrap();
    assert_eq!(charges_standing(&conn, c), 0);
    let again = take_back(&mut conn, "TT-0215", d(2026, 3, 5));
    // Both credit notes and both charges again name the payment that caused them.
    assert_eq!(again.len(), 4, "{again:#?}");
    let charged_again: i64 = again
        .iter()
        .filter(|x| x.amount.minor < 0)
        .map(|x| -x.amount.minor)
        .sum();
    assert_eq!(charged_again, charged);
    assert!(again.iter().any(|x| x.document.ends_with("-RE1")));
    // What the customer owes is what it owed before the payment was entered.
    assert_eq!(balance(&conn, c), owed_before);
    let st = receivables::statement(&conn, c, ctx().today).unwrap();
    assert_eq!(
        st.lines
            .iter()
            .filter(|l| matches!(l.entry, StatementEntry::ChargesAgain { .. }))
            .count(),
        2
    );
    // The lines say why, in the customer's language.
    let line: String = scalar(
        &conn,
        "SELECT description FROM invoice_lines WHERE description LIKE 'Interest on %charged again%' LIMIT 1",
    );
    assert!(line.contains("TT-0215 was taken back"), "{line}");
    // Paid again in April: the runs of February and March stand.
    let none = record(
        &mut conn,
        &payment(c, "TT-0410", d(2026, 4, 10), twd(10_000_000)),
    )
    .unwrap();
    assert!(none.is_empty());
    assert_eq!(charges_standing(&conn, c), charged);
    assert!(audit::verify(&conn).unwrap().is_intact());
}

/// The bank kept NT$15 of the transfer; the shortfall is written off as its fee, dated the
/// day the money arrived: the invoice was settled by then, so the run's fee goes back too.
/// A write-off dated after the run changes nothing of it.
#[test]
fn a_bank_fee_written_off_by_the_run_s_day_settles_the_invoice_then() {
    let (_d, mut conn) = db();
    with_fees(&mut conn);
    let c = owing(&mut conn, "Fee", "TWD", 10_000_000);
    let later = owing(&mut conn, "Later", "TWD", 10_000_000);
    run(&mut conn, d(2026, 2, 21)).unwrap();
    let fixed = record(
        &mut conn,
        &payment(c, "TT-1", d(2026, 2, 15), twd(10_000_000 - 1_500)),
    )
    .unwrap();
    // The interest goes back but for what NT$15 bears for 14 days (NT$0.06); the fee stays
    // while NT$15 is owed.
    assert_eq!(
        fixed[0].amount,
        twd(38_356 - interest_minor(1_500, 1000, 14))
    );
    let write_off = |conn: &mut Connection, number: &str, on| {
        let tx = conn.transaction().unwrap();
        let id: i64 = scalar(
            &tx,
            &format!("SELECT id FROM invoices WHERE number = '{number}'"),
        );
        receivables::write_off(
            &tx,
            &ctx(),
            riskdesk_core::ids::InvoiceId(id),
            on,
            "bank fee",
        )
        .unwrap();
        tx.commit().unwrap();
    };
    write_off(&mut conn, "INV-Fee", d(2026, 2, 15));
    assert_eq!(charges_standing(&conn, c), 0);
    let notes: i64 = scalar(
        &conn,
        &format!(
            "SELECT count(*) FROM payments WHERE customer_id = {} AND reference LIKE 'FEE-%-CR_'",
            c.0
        ),
    );
    assert_eq!(notes, 2);
    record(
        &mut conn,
        &payment(later, "TT-2", d(2026, 2, 15), twd(10_000_000 - 1_500)),
    )
    .unwrap();
    write_off(&mut conn, "INV-Later", d(2026, 2, 25));
    assert_eq!(
        charges_standing(&conn, later),
        50_000 + interest_minor(1_500, 1000, 14)
    );
    assert!(audit::verify(&conn).unwrap().is_intact());
}

/// A bank's export of February's payments, imported after the run: the summary counts the
/// credit note, and importing the same file again changes nothing.
#[test]
fn a_payments_file_imported_late_gives_back_once() {
    let (_d, mut conn) = db();
    with_fees(&mut conn);
    let c = owing(&mut conn, "Imported", "TWD", 10_000_000);
    run(&mut conn, d(2026, 2, 21)).unwrap();
    let file = format!(
        "reference,customer,received_on,amount,currency,method\n\
         TT-0215,{},2026-02-15,\"100,000.00\",TWD,bank transfer\n",
        c.0
    );
    let import = |conn: &mut Connection| {
        let tx = conn.transaction().unwrap();
        let s = riskdesk_core::import::import_payments(
            &tx,
            &ctx(),
            "february.csv",
            file.as_bytes(),
            |_, _| {},
        )
        .unwrap();
        tx.commit().unwrap();
        s
    };
    let first = import(&mut conn);
    assert_eq!((first.created, first.corrections), (1, 1));
    // Newest first, as some banks export: recorded in the order received, nothing moves.
    let newest = owing(&mut conn, "Newest", "TWD", 40_000);
    let newest_first = format!(
        "reference,customer,received_on,amount,currency\n\
         TT-0420,{c},2026-04-20,300,TWD\n\
         TT-0410,{c},2026-04-10,200,TWD\n\
         TT-0401,{c},2026-04-01,100,TWD\n",
        c = newest.0
    );
    let tx = conn.transaction().unwrap();
    riskdesk_core::import::import_payments(
        &tx,
        &ctx(),
        "april.csv",
        newest_first.as_bytes(),
        |_, _| {},
    )
    .unwrap();
    tx.commit().unwrap();
    let moved: i64 = scalar(
        &conn,
        "SELECT count(*) FROM audit WHERE action = 'reallocate'",
    );
    assert_eq!(moved, 0);
    let first_paid: String = scalar(
        &conn,
        "SELECT p.reference FROM allocations a JOIN payments p ON p.id = a.payment_id
         JOIN invoices i ON i.id = a.invoice_id WHERE i.number = 'INV-Newest'
         ORDER BY p.received_on LIMIT 1",
    );
    assert_eq!(first_paid, "TT-0401");
    let second = import(&mut conn);
    assert_eq!(
        (second.created, second.unchanged, second.corrections),
        (0, 1, 0)
    );
    assert_eq!(charges_standing(&conn, c), 0);
    let notes: i64 = scalar(
        &conn,
        "SELECT count(*) FROM payments WHERE kind = 'credit_note'",
    );
    assert_eq!(notes, 1);
}

/// The transfer of 10 March is entered before the cheque of 10 February: entering the cheque
/// applies both again in the order they were received, so the cheque paid the invoice before
/// the runs, their charges go back, and the March transfer is the credit. A payment that
/// named its invoice keeps it.
#[test]
fn payments_entered_out_of_order_pay_in_the_order_received() {
    let (_d, mut conn) = db();
    with_fees(&mut conn);
    let c = owing(&mut conn, "Order", "TWD", 10_000_000);
    run(&mut conn, d(2026, 2, 21)).unwrap();
    run(&mut conn, d(2026, 3, 2)).unwrap();
    let march = record(
        &mut conn,
        &payment(c, "TT-0310", d(2026, 3, 10), twd(10_000_000)),
    )
    .unwrap();
    assert!(march.is_empty(), "{march:#?}");
    let february = record(
        &mut conn,
        &payment(c, "CHQ-0210", d(2026, 2, 10), twd(10_000_000)),
    )
    .unwrap();
    assert_eq!(february.len(), 2, "{february:#?}");
    assert_eq!(charges_standing(&conn, c), 0);
    let paid_by: String = scalar(
        &conn,
        "SELECT group_concat(p.reference) FROM allocations a JOIN payments p ON p.id = a.payment_id
         JOIN invoices i ON i.id = a.invoice_id WHERE i.number = 'INV-Order'",
    );
    assert_eq!(paid_by, "CHQ-0210");
    // As it stood on 20 February: paid.
    assert!(receivables::open_items(&conn, d(2026, 2, 20), Some(c))
        .unwrap()
        .is_empty());
    // The March transfer is what the customer holds: it paid the two charge invoices once
    // the cheque took the invoice back from it, and the credit notes then took them back
    // from it.
    assert_eq!(balance(&conn, c), -10_000_000);
    let march_pays: i64 = scalar(
        &conn,
        "SELECT count(*) FROM allocations a JOIN payments p ON p.id = a.payment_id WHERE p.reference = 'TT-0310'",
    );
    assert_eq!(march_pays, 0);
    let moved = |why: &str| -> i64 {
        scalar(
            &conn,
            &format!("SELECT count(*) FROM audit WHERE entity = 'payment' AND action = 'reallocate' AND after LIKE '%\"{why}\"%'"),
        )
    };
    assert_eq!((moved("received_earlier"), moved("credit_note")), (1, 2));
    assert!(audit::verify(&conn).unwrap().is_intact());

    // Named: the March transfer said it paid the invoice; the cheque leaves that alone.
    let (_d2, mut conn) = db();
    let c = owing(&mut conn, "Named", "TWD", 10_000_000);
    let mut named = payment(c, "TT-0310", d(2026, 3, 10), twd(10_000_000));
    named.invoice_number = Some("INV-Named".into());
    record(&mut conn, &named).unwrap();
    record(
        &mut conn,
        &payment(c, "CHQ-0210", d(2026, 2, 10), twd(10_000_000)),
    )
    .unwrap();
    let paid_by: String = scalar(
        &conn,
        "SELECT group_concat(p.reference) FROM allocations a JOIN payments p ON p.id = a.payment_id",
    );
    assert_eq!(paid_by, "TT-0310");
}

/// The bank statement of February, imported in March: the transfer of 15 February, booked
/// to the customer, says what it gave back of the run of the 21st.
#[test]
fn a_bank_line_booked_late_says_what_it_gave_back() {
    use riskdesk_core::bank;
    use riskdesk_core::test_support::camt;
    let (_d, mut conn) = db();
    with_fees(&mut conn);
    let c = owing(&mut conn, "Harbour", "TWD", 10_000_000);
    let r = run(&mut conn, d(2026, 2, 21)).unwrap();
    let file = camt::statement(&[camt::entry(
        "100000.00",
        "CRDT",
        false,
        "2026-02-15",
        "B-0215",
        "INV-Harbour",
        ("Harbour", "0123"),
    )]);
    support::import_statement(
        &mut conn,
        &bank::StatementFile {
            file: "february.xml",
            bytes: file.as_bytes(),
            format: None,
            account: "E.SUN TWD",
            map: None,
        },
    )
    .unwrap();
    let line = bank::lines(&conn, true).unwrap()[0].id;
    let tx = conn.transaction().unwrap();
    let booked = bank::confirm(
        &tx,
        &ctx(),
        line,
        &bank::Decision {
            customer_id: c,
            allocations: Vec::new(),
            write_off_fee: false,
            received_minor: None,
        },
    )
    .unwrap();
    tx.commit().unwrap();
    assert_eq!(
        booked.corrections,
        [Correction {
            charge_invoice: format!("FEE-{}-{}", r.id, c.0),
            document: format!("FEE-{}-{}-CR1", r.id, c.0),
            amount: twd(88_356),
        }]
    );
    assert_eq!(charges_standing(&conn, c), 0);
}

/// The owner had already waived the fee by hand (a credit note on the charge invoice): the
/// correction gives back only what the invoice still has to give, and the payment is saved.
/// A run whose charges the owner left out has nothing to give back.
#[test]
fn a_correction_never_gives_back_more_than_was_charged() {
    let (_d, mut conn) = db();
    with_fees(&mut conn);
    let c = owing(&mut conn, "Waived", "TWD", 10_000_000);
    let spared = owing(&mut conn, "Spared", "TWD", 10_000_000);
    let tx = conn.transaction().unwrap();
    let r = collections::execute(
        &tx,
        &ctx(),
        d(2026, 2, 21),
        &Exclusions {
            no_charges: vec![spared],
            ..Default::default()
        },
        None,
        "out",
    )
    .unwrap()
    .unwrap();
    tx.commit().unwrap();
    let fee = format!("FEE-{}-{}", r.id, c.0);
    let mut by_hand = payment(c, "CN-waive", d(2026, 3, 1), twd(50_000));
    by_hand.kind = PaymentKind::CreditNote;
    by_hand.invoice_number = Some(fee.clone());
    assert!(record(&mut conn, &by_hand).unwrap().is_empty());
    let fixed = record(
        &mut conn,
        &payment(c, "TT-1", d(2026, 2, 15), twd(10_000_000)),
    )
    .unwrap();
    assert_eq!(fixed.len(), 1);
    assert_eq!(fixed[0].amount, twd(38_356));
    let credited: i64 = scalar(
        &conn,
        &format!("SELECT sum(amount_minor) FROM payments WHERE names_invoice = (SELECT id FROM invoices WHERE number = '{fee}')"),
    );
    assert_eq!(credited, 88_356);
    let none = record(
        &mut conn,
        &payment(spared, "TT-2", d(2026, 2, 15), twd(10_000_000)),
    )
    .unwrap();
    assert!(none.is_empty());
    assert_eq!(balance(&conn, spared), 0);
}

/// Nothing is sent under NT$5,000 overdue. The customer owed NT$100,000 on one invoice and
/// NT$2,000 on another, both due 01-31, and paid NT$99,000 on 02-15, entered only after the
/// runs of 02-21 and 03-02: NT$3,000 was overdue on both days, under the minimum, so neither
/// run would have written, and every charge of both goes back (the fee on the NT$2,000
/// invoice too, though nothing was paid on it). At a minimum of NT$3,000 the runs would
/// have written: the fees stand and only the interest on what was paid goes back. Taken
/// back, the payment charges again all that it gave back.
#[test]
fn a_payment_entered_late_that_leaves_less_than_the_minimum_gives_back_every_charge() {
    let book = |minimum: &str| {
        let (dir, mut conn) = db();
        with_fees_over(&mut conn, Some(minimum));
        let c = owing(&mut conn, "Small", "TWD", 10_000_000);
        support::invoice(
            &mut conn,
            c,
            "INV-Small-2",
            (d(2026, 1, 1), d(2026, 1, 31)),
            200_000,
            "TWD",
        );
        run(&mut conn, d(2026, 2, 21)).unwrap();
        run(&mut conn, d(2026, 3, 2)).unwrap();
        let charged = charges_standing(&conn, c);
        let fixed = record(
            &mut conn,
            &payment(c, "TT-0215", d(2026, 2, 15), twd(9_900_000)),
        )
        .unwrap();
        (dir, conn, c, charged, fixed)
    };
    let (_d, mut conn, c, charged, fixed) = book("5000");
    // Two runs, two invoices, a fee and interest each time.
    assert_eq!(
        charged,
        2 * 50_000 + 2 * 80_000 + 38_356 + 24_658 + 767 + 493
    );
    assert_eq!(fixed.len(), 2, "{fixed:#?}");
    assert_eq!(fixed.iter().map(|x| x.amount.minor).sum::<i64>(), charged);
    assert_eq!(charges_standing(&conn, c), 0);
    assert_eq!(balance(&conn, c), 300_000);
    // The next run: still under the minimum, nothing is sent.
    assert!(run(&mut conn, d(2026, 3, 10)).is_none());
    // What each run counted toward the minimum is in the audit trail.
    let counted: i64 = scalar(
        &conn,
        "SELECT count(*) FROM audit WHERE entity = 'dunning_run' AND action = 'minimum_counted'",
    );
    assert_eq!(counted, 2);

    // At the minimum exactly, the runs would have written: the fees stand.
    let (_e, at, c2, charged2, fixed2) = book("3000");
    assert_eq!(charged2, charged);
    let interest_back: i64 = fixed2.iter().map(|x| x.amount.minor).sum();
    assert!(
        interest_back > 0 && interest_back < 38_356 + 24_658,
        "{fixed2:#?}"
    );
    assert_eq!(charges_standing(&at, c2), charged - interest_back);
    assert!(charges_standing(&at, c2) > 2 * 50_000 + 2 * 80_000);

    // Taken back: what the minimum gave back is charged again, and no more.
    let again = take_back(&mut conn, "TT-0215", d(2026, 3, 20));
    let charged_again: i64 = again
        .iter()
        .map(|x| x.amount.minor)
        .filter(|m| *m < 0)
        .sum();
    assert_eq!(-charged_again, charged);
    assert_eq!(charges_standing(&conn, c), charged);
    assert!(audit::verify(&conn).unwrap().is_intact());
}

/// The run of 03-17 (45 days overdue) suspended the customer's subscription. A transfer of
/// 03-10 that left NT$3,000 of NT$102,000, under the NT$5,000 minimum, is entered after it:
/// that run would have sent nothing, so the suspension was never due. The next plan proposes
/// reactivating the subscription, naming the run, though NT$3,000 is still owed. Another
/// customer suspended the same day and still owing all of it is not proposed.
#[test]
fn a_suspension_a_late_payment_shows_was_never_due_is_proposed_for_reactivation() {
    let (_d, mut conn) = db();
    with_fees_over(&mut conn, Some("5000"));
    let c = owing(&mut conn, "Spared", "TWD", 10_000_000);
    support::invoice(
        &mut conn,
        c,
        "INV-Spared-2",
        (d(2026, 1, 1), d(2026, 1, 31)),
        200_000,
        "TWD",
    );
    // Suspended the same day, owing all of it: never proposed.
    let _still_owing = owing(&mut conn, "Owing", "TWD", 10_000_000);
    let suspending = run(&mut conn, d(2026, 3, 17)).unwrap();
    assert_eq!(suspending.changes.len(), 2);
    let proposed = |conn: &Connection| {
        collections::plan(conn, d(2026, 3, 20))
            .unwrap()
            .reactivations
            .into_iter()
            .map(|r| (r.customer_id, r.never_due_by_run, r.subscriptions.len()))
            .collect::<Vec<_>>()
    };
    assert!(proposed(&conn).is_empty());
    record(
        &mut conn,
        &payment(c, "TT-0310", d(2026, 3, 10), twd(9_900_000)),
    )
    .unwrap();
    assert_eq!(proposed(&conn), [(c, Some(suspending.id.0), 1)]);
    assert_eq!(charges_standing(&conn, c), 0);
    assert!(balance(&conn, c) >= 300_000);
    // Paid on the day after the run instead: the suspension was due, nothing is proposed.
    take_back(&mut conn, "TT-0310", d(2026, 3, 19));
    record(
        &mut conn,
        &payment(c, "TT-0318", d(2026, 3, 18), twd(9_900_000)),
    )
    .unwrap();
    assert!(proposed(&conn).is_empty(), "{:?}", proposed(&conn));
}

/// Yen have no minor unit; a payment too small to change the interest gives nothing back (no
/// credit note of zero); the largest invoice does not overflow.
#[test]
fn tiny_and_huge_amounts_in_other_currencies() {
    let (_d, mut conn) = db();
    let jp = owing(&mut conn, "Osaka", "JPY", 5_000);
    // $999,999,999,999.99 owed, half of it paid.
    let (most, half) = (99_999_999_999_999, 50_000_000_000_000);
    let big = owing(&mut conn, "Big", "USD", most);
    run(&mut conn, d(2026, 3, 2)).unwrap();
    let jpy = |m| Money::new(m, cur("JPY"));
    let none = record(&mut conn, &payment(jp, "JP-1", d(2026, 2, 1), jpy(1))).unwrap();
    assert!(none.is_empty(), "{none:#?}");
    let some = record(&mut conn, &payment(jp, "JP-2", d(2026, 2, 1), jpy(4_999))).unwrap();
    // Interest on ¥5,000 at 10 % from 02-07 to 03-02 (23 days): ¥32, on ¥0 nothing.
    assert_eq!(some.len(), 1);
    assert_eq!(some[0].amount, jpy(interest_minor(5_000, 1000, 23)));
    let usd = |m| Money::new(m, cur("USD"));
    let fixed = record(&mut conn, &payment(big, "US-1", d(2026, 2, 20), usd(half))).unwrap();
    assert_eq!(fixed.len(), 1);
    let charged = interest_minor(most, 1000, 23);
    assert_eq!(
        fixed[0].amount,
        usd(charged - interest_minor(most - half, 1000, 23))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the payments (before the due date or long after, in part or more than
    /// owed) and the runs, the charges that stand when every payment is entered after all
    /// the runs, in any order, are those charged when each is entered on its day, to the
    /// minor unit; and what the customer owes is the same. With a minimum overdue amount
    /// (a share of what is owed) too.
    #[test]
    fn the_charges_that_stand_never_depend_on_when_a_payment_is_entered(
        minor in 1i64..10_000_000_000,
        shares in proptest::collection::vec((-20i64..130, 1i64..1000), 0..4),
        runs in proptest::collection::btree_set(1i64..140, 1..6),
        shuffle in 0u64..8,
        minimum in proptest::option::of(1i64..1000),
    ) {
        let payments: Vec<(i64, i64)> = shares
            .iter()
            .map(|(off, per_mille)| (*off, (minor * per_mille / 1000).max(1)))
            .collect();
        let minimum = minimum.map(|per_mille| (minor * per_mille / 1000).max(1));
        let (_a, on_time, c1) = world(minor, None, &payments, &runs, &Entered::OnTime, minimum);
        let (_b, late, c2) = world(minor, None, &payments, &runs, &Entered::AfterRuns(shuffle), minimum);
        prop_assert_eq!(charges_standing(&on_time, c1), charges_standing(&late, c2));
        prop_assert_eq!(balance(&on_time, c1), balance(&late, c2));
        prop_assert!(audit::verify(&late).unwrap().is_intact());
    }
}
