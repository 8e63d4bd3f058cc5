//! Receivables commands against the demo book: a payment that gives back a dunning run's
//! charges, and a file that is not CSV picked for an import.

use super::files;
use super::receivables;
use super::tests::{fixture, host, import_file, run_as_planned};

/// The demo's book dunned today, then a customer's whole balance entered as received today:
/// the payment command answers the run's fee and interest credited back, the statement says
/// so, and taking the payment back answers them charged again.
#[test]
fn a_payment_received_by_the_run_s_day_answers_the_charges_it_gave_back() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let r = run_as_planned(&mut h, "2026-11-25");
    let (customer, charge): (i64, String) = h
        .conn
        .query_row(
            "SELECT customer_id, number FROM invoices WHERE number = ?1",
            [&r.charge_invoices[0]],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    let st = receivables::statement(h.conn, customer, "2026-11-25").unwrap();
    let owed = riskdesk_core::money::Money::new(st.balance_minor, st.currency);
    let paid = receivables::record_payment(
        &mut h,
        customer,
        serde_json::from_value(serde_json::json!({
            "kind": "payment", "amount": owed.to_plain(), "received_on": "2026-11-25",
            "method": "bank transfer", "reference": "LATE-1", "invoice_number": ""
        }))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(paid.len(), 1, "{paid:#?}");
    assert_eq!(paid[0].charge_invoice, charge);
    assert_eq!(paid[0].document, format!("{charge}-CR1"));
    assert!(paid[0].amount.minor > 0);
    let st = receivables::statement(h.conn, customer, "2026-11-25").unwrap();
    let at = |doc: &str| st.lines.iter().position(|l| l.document == doc).unwrap();
    // The same day, the credit note comes after the payment that showed it.
    assert!(at("LATE-1") < at(&format!("{charge}-CR1")));
    assert!(st.lines.iter().any(|l| matches!(
        &l.entry,
        riskdesk_core::receivables::StatementEntry::ChargesCredited { charge_invoice } if *charge_invoice == charge
    )));
    let id: i64 = h
        .conn
        .query_row(
            "SELECT id FROM payments WHERE reference = 'LATE-1'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let back = receivables::return_payment(
        &mut h,
        id,
        serde_json::from_value(serde_json::json!({
            "returned_on": "2026-11-25", "reason": "returned", "note": ""
        }))
        .unwrap(),
    )
    .unwrap();
    // Only what the return charged again, not what the payment had given back.
    assert_eq!(back.len(), 1, "{back:#?}");
    assert_eq!(back[0].amount.minor, -paid[0].amount.minor);
}

/// An Excel workbook picked in the Open dialog where CSV is read: the window gets a problem
/// on line 1 it says in both languages, naming what the file is.
#[test]
fn a_workbook_picked_for_an_import_is_named_in_both_languages() {
    let mut f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("payments.xlsx");
    std::fs::write(&book, b"PK\x03\x04\x14\x00\x06\x00").unwrap();
    let mut h = host(&mut f);
    for kind in ["customers", "invoices", "payments", "ms_invoices"] {
        let e = import_file(&mut h, kind, &book).unwrap_err();
        assert!(
            e.problems
                .first()
                .is_some_and(|p| p.code == riskdesk_core::error::Code::NotASheet),
            "{kind}: {e:?}"
        );
        crate::error::locales::assert_translated(&e);
    }
}

/// Invoice files chosen together in the Open dialog (a month, and a ZIP archive of two
/// more): one import, each read from its path in turn, progress over all their bytes; the
/// same files again change nothing; a problem in a file of the archive names it there, in
/// both languages, and nothing is written.
#[test]
fn invoice_files_chosen_together_are_one_import() {
    use riskdesk_core::test_support::scalar;
    use riskdesk_core::test_support::zip::{archive, Entry};
    let mut f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut h = host(&mut f);
    let import = |h: &mut crate::host::Host, paths: &[std::path::PathBuf]| {
        files::import_paths(h, "invoices", paths, None, &mut |_, _| {}, &mut |_, _| {})
    };
    let name: String = scalar(
        h.conn,
        "SELECT legal_name FROM customers WHERE currency = 'TWD' ORDER BY id LIMIT 1",
    );
    let month = |m: u32, extra: &str| {
        let mut s = String::from("number,customer,issued_on,currency,description,unit_price\n");
        for i in 1..=3 {
            s += &format!("T-{m}-{i},\"{name}\",2026-{m:02}-0{i},TWD,Azure plan,1{i}.5{i}\n");
        }
        s + extra
    };
    let jan = dir.path().join("2026-01.csv");
    std::fs::write(&jan, month(1, "")).unwrap();
    let zip = |extra: &str| {
        archive(&[
            Entry::deflated("2026-02.csv", month(2, "").as_bytes()),
            Entry::deflated("2026-03.csv", month(3, extra).as_bytes()),
        ])
    };
    let packed = dir.path().join("2026-q1.zip");
    std::fs::write(&packed, zip("")).unwrap();
    let chosen = [jan.clone(), packed.clone()];
    let total = std::fs::metadata(&jan).unwrap().len() + std::fs::metadata(&packed).unwrap().len();
    let mut bytes = Vec::new();
    let s = files::import_paths(
        &mut h,
        "invoices",
        &chosen,
        None,
        &mut |d, t| bytes.push((d, t)),
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!((s.rows, s.created), (9, 9));
    assert_eq!(bytes.last().copied(), Some((total, total)));
    let billed = "SELECT sum(total_minor) FROM invoices WHERE number LIKE 'T-%'";
    assert_eq!(scalar::<i64>(h.conn, billed), 3 * (1151 + 1252 + 1353));
    let audit = "SELECT count(*) FROM audit";
    let audit_rows: i64 = scalar(h.conn, audit);
    let again = import(&mut h, &chosen).unwrap();
    assert_eq!((again.created, again.unchanged), (0, 9));
    assert_eq!(scalar::<i64>(h.conn, audit), audit_rows);
    // A day that is no day in the archive's second file: named there; nothing written.
    std::fs::write(&packed, zip("T-3-9,x,2026-02-30,TWD,Azure plan,1\n")).unwrap();
    let april = dir.path().join("2026-04.csv");
    std::fs::write(&april, month(4, "")).unwrap();
    let e = import(&mut h, &[april, packed]).unwrap_err();
    assert_eq!(e.file.as_deref(), Some("2026-q1.zip/2026-03.csv"), "{e:?}");
    crate::error::locales::assert_translated(&e);
    assert_eq!(scalar::<i64>(h.conn, audit), audit_rows);
    // Too many files at once: refused before any is read.
    let e = import(&mut h, &vec![jan; 101]).unwrap_err();
    assert_eq!(
        e.fields[0].code,
        riskdesk_core::error::Code::TooMany,
        "{e:?}"
    );
}
