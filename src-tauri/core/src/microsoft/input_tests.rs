//! The line's settings and Microsoft's invoices as typed or imported: each field checked,
//! a file all or nothing, the same invoice recorded once.

use rusqlite::Connection;

use super::invoices;
use super::tests::{ms_invoice, twd};
use super::{CreditLine, CreditLineInput};
use crate::error::Code;
use crate::test_support::{ctx_on, d, ledger_db};
use crate::Error;

fn codes(e: Error) -> Vec<(String, Code)> {
    match e {
        Error::Validation(v) => v.into_iter().map(|f| (f.field, f.code)).collect(),
        Error::Import { problems, .. } => problems
            .into_iter()
            .map(|p| (format!("{}:{}", p.line, p.field), p.code))
            .collect(),
        other => panic!("{other}"),
    }
}

#[test]
fn the_line_s_settings_are_checked_field_by_field() {
    let (_dir, conn) = ledger_db();
    let line = CreditLine::load(&conn).unwrap();
    assert_eq!(
        (line.limit, line.terms_days, line.thresholds.clone()),
        (None, 60, vec![80, 100])
    );
    let bad = CreditLineInput {
        limit: "1234,56".into(),
        currency: "TWD".into(),
        terms_days: "-1".into(),
        thresholds: "100,80".into(),
    };
    assert_eq!(
        codes(bad.parse().unwrap_err()),
        [
            ("limit".to_string(), Code::UseDecimalPoint),
            ("terms_days".to_string(), Code::InvalidDays),
            ("thresholds".to_string(), Code::NotRising),
        ]
    );
    let zero = CreditLineInput {
        limit: "0".into(),
        currency: "XXX".into(),
        ..Default::default()
    };
    assert_eq!(
        codes(zero.parse().unwrap_err()),
        [("currency".to_string(), Code::InvalidCurrency)]
    );
    // A huge limit is kept exactly.
    let huge = CreditLineInput {
        limit: "9,999,999,999,999.99".into(),
        currency: "TWD".into(),
        ..Default::default()
    };
    assert_eq!(huge.parse().unwrap().limit, Some(twd(999_999_999_999_999)));
}

#[test]
fn microsoft_s_invoices_are_typed_or_imported_all_or_nothing_and_once() {
    let (_dir, mut conn) = ledger_db();
    let today = d(2026, 11, 25);
    ms_invoice(&mut conn, today, "MS-1", "2026-10-08", "1.00", "").unwrap();
    assert!(matches!(
        ms_invoice(&mut conn, today, "MS-1", "2026-10-08", "1.00", ""),
        Err(Error::Validation(_))
    ));
    let e = ms_invoice(&mut conn, today, "MS-2", "2026-12-08", "1,0", "2026-10-01").unwrap_err();
    let fields: Vec<String> = codes(e).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["amount", "paid_on", "invoice_date"]);

    let import = |conn: &mut Connection, text: &str| {
        let tx = conn.transaction().unwrap();
        let r = invoices::import(&tx, &ctx_on(today), "ms.csv", text.as_bytes(), 60);
        if r.is_ok() {
            tx.commit().unwrap();
        }
        r
    };
    let file = "number,invoice_date,amount,currency,due_date,paid_date\n\
                MS-1,2026-10-08,1.00,TWD,,\n\
                MS-3,2026-11-08,\"250,000.50\",TWD,2027-01-07,\n\
                =HYPERLINK(\"x\"),2026-11-08,5,TWD,,\n";
    let s = import(&mut conn, file).unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (2, 0, 1));
    // A number is text, formulas included: kept as typed, never run.
    assert!(invoices::by_number(&conn, "=HYPERLINK(\"x\")")
        .unwrap()
        .is_some());
    let again = import(&mut conn, file).unwrap();
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 3),
        "the same file changes nothing"
    );
    // Paid dates filled in later are recorded.
    let paid = file.replace(
        "MS-3,2026-11-08,\"250,000.50\",TWD,2027-01-07,",
        "MS-3,2026-11-08,\"250,000.50\",TWD,2027-01-07,2026-11-20",
    );
    let s = import(&mut conn, &paid).unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 1, 2));
    assert_eq!(
        invoices::by_number(&conn, "MS-3").unwrap().unwrap().paid_on,
        Some(d(2026, 11, 20))
    );
    // Bad rows are named by line and field, and nothing is written.
    let before = invoices::list(&conn).unwrap().len();
    let bad = "number,invoice_date,amount,currency,due_date,paid_date\n\
               MS-9,2026-11-08,9,TWD,,\n\
               MS-1,2026-10-09,1.00,TWD,,\n\
               MS-10,2026-13-01,1,TWD,,\n\
               MS-11,2026-11-01,abc,TWD,2026-10-01,\n\
               MS-9,2026-11-08,9,TWD,,\n";
    assert_eq!(
        codes(import(&mut conn, bad).unwrap_err()),
        [
            ("3:number".to_string(), Code::AlreadyRecorded),
            ("4:invoice_date".to_string(), Code::InvalidDate),
            ("5:amount".to_string(), Code::InvalidAmount),
            ("5:due_date".to_string(), Code::BeforeIssue),
            ("6:number".to_string(), Code::DuplicateInFile),
        ]
    );
    assert_eq!(invoices::list(&conn).unwrap().len(), before);
}
