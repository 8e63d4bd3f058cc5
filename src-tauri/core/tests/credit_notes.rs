//! A credit note naming an invoice takes back no more than the invoice charged, less the
//! credit notes already naming it; one naming no invoice is a credit of its own.

mod books;

use books::*;
use riskdesk_core::test_support::scalar;

const INVOICES: &str =
    "number,customer,issued_on,due_on,currency,description,quantity,unit_price\n\
    A1,Contoso Ltd,2026-09-01,2026-09-30,TWD,Azure,1,10000\n\
    A2,Contoso Ltd,2026-10-01,2026-10-31,TWD,Azure,1,5000\n\
    U1,Fabrikam Inc,2026-10-01,2026-10-31,USD,Azure,1,100.00\n";

const HEADER: &str = "reference,customer,received_on,amount,currency,method,kind,invoice\n";

fn payments(conn: &mut rusqlite::Connection, rows: &str) -> Result<String, String> {
    payments_in(conn, "payments.csv", format!("{HEADER}{rows}").as_bytes())
        .map(|s| format!("{s:?}"))
        .map_err(|e| e.to_string())
}

fn recorded(conn: &rusqlite::Connection) -> i64 {
    scalar(conn, "SELECT count(*) FROM payments")
}

#[test]
fn a_credit_note_takes_back_no_more_than_its_invoice_charged() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "Contoso Ltd", T1);
    let tx = conn.transaction().unwrap();
    let mut usd = input("Fabrikam Inc", T2);
    usd.currency = "USD".into();
    usd.country = "US".into();
    riskdesk_core::customer::create(&tx, &ctx(), &usd).unwrap();
    tx.commit().unwrap();
    invoices_in(&mut conn, "invoices.csv", INVOICES.as_bytes()).unwrap();

    // A2 (NT$5,000) is part paid; a credit note of NT$4,000 on it is within what it charged
    // (what it does not need spills to A1, as any credit does).
    let first = "P1,Contoso Ltd,2026-10-10,3000,TWD,transfer,payment,A2\n\
                 CN1,Contoso Ltd,2026-10-20,4000,TWD,,credit_note,A2\n";
    payments(&mut conn, first).unwrap();
    assert_eq!(recorded(&conn), 2);
    // The invoice a credit note names is part of its record, in the audit trail too.
    let audited: String = conn
        .query_row(
            "SELECT a.after FROM audit a JOIN payments p ON a.entity = 'payment' AND a.entity_id = CAST(p.id AS TEXT) WHERE p.reference = 'CN1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(audited.contains(r#""names_invoice":"A2""#), "{audited}");
    // The same file again changes nothing (its credit note is not counted twice).
    assert!(payments(&mut conn, first).unwrap().contains("created: 0"));

    // A second credit note on A2 may take back the NT$1,000 left, not more; the whole file
    // is refused on that line and field, and nothing of it is written.
    let e = payments(
        &mut conn,
        "P2,Contoso Ltd,2026-11-01,500,TWD,transfer,payment,\n\
         CN2,Contoso Ltd,2026-11-02,1500,TWD,,credit_note,A2\n",
    )
    .unwrap_err();
    assert!(e.contains("payments.csv:3 field amount"), "{e}");
    assert!(e.contains("at most NT$1,000"), "{e}");
    assert_eq!(recorded(&conn), 2);
    // Row by row: recorded, or refused on its amount saying what is left, nothing written.
    for (row, refused) in [
        ("CN2,Contoso Ltd,2026-11-02,1000,TWD,,credit_note,A2", None),
        // A2 is now credited in full: even the smallest amount more is refused.
        (
            "CN3,Contoso Ltd,2026-11-03,0.01,TWD,,credit_note,A2",
            Some("at most NT$0"),
        ),
        // A credit note naming no invoice is a credit of its own, of any size.
        ("CN4,Contoso Ltd,2026-11-03,20000,TWD,,credit_note,", None),
        // In dollars, to the cent: US$100.00 may be credited, US$100.01 not.
        (
            "UC1,Fabrikam Inc,2026-11-01,100.01,USD,,credit_note,U1",
            Some("at most US$100.00"),
        ),
        (
            "UC1,Fabrikam Inc,2026-11-01,100.00,USD,,credit_note,U1",
            None,
        ),
    ] {
        let before = recorded(&conn);
        match (payments(&mut conn, &format!("{row}\n")), refused) {
            (Err(e), Some(says)) => {
                assert!(
                    e.contains("payments.csv:2 field amount") && e.contains(says),
                    "{e}"
                );
                assert_eq!(recorded(&conn), before);
            }
            (Ok(_), None) => assert_eq!(recorded(&conn), before + 1),
            (r, _) => panic!("{row}: {r:?}"),
        }
    }
    assert_eq!(recorded(&conn), 5);
}
