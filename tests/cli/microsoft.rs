//! `riskdesk microsoft` and `riskdesk headroom` through the real binary: the line set, an
//! invoice typed and a file imported (twice: nothing changes), a payment recorded, a credit
//! note given back then applied, and the
//! headroom to the minor unit with the customers whose money Microsoft has already been paid
//! for listed first.

use crate::common::{
    assert_refused, assert_says, cli, cli_closed_stdout, cli_ok, csv_book, stderr, stdout, write,
};

#[test]
fn the_credit_line_with_microsoft_from_the_command_line() {
    // Harbour's invoice of August: Microsoft's due date for it (+60 days) has passed.
    // The other two were issued ten days ago, so Microsoft's due date for them is still to
    // come whatever day the test runs (dated 20 November, they counted as paid out from
    // February 2027 and Pacific came first).
    let recent = chrono::Local::now().date_naive() - chrono::Duration::days(10);
    let (dir, db) = csv_book(
        "ms.db",
        "legal_name,country,currency,status,language\nHarbour Logistics Ltd,TW,TWD,active,en\nPacific Dental,TW,TWD,active,en\nKowloon Trading Ltd,HK,HKD,active,en\n",
        &format!(
            "number,customer,issued_on,currency,description,quantity,unit_price\n\
             HL-1,Harbour Logistics Ltd,2026-08-01,TWD,Azure plan,1,1000.50\n\
             PD-1,Pacific Dental,{recent},TWD,Azure plan,1,2000\n\
             KT-1,Kowloon Trading Ltd,{recent},HKD,Azure plan,1,0.01\n"
        ),
    );

    let set = [
        "microsoft",
        "set",
        "--limit",
        "1,000,000",
        "--currency",
        "TWD",
        "--thresholds",
        "80,100",
    ];
    let out = cli_ok(&db, &set);
    assert_says(&out, "NT$1,000,000, payment terms 60 days");
    // A decimal comma is refused, named.
    let out = cli(
        &db,
        &[
            "microsoft",
            "set",
            "--limit",
            "1234,56",
            "--currency",
            "TWD",
        ],
    );
    assert_refused(&out, "limit");

    let out = cli_ok(
        &db,
        &[
            "microsoft",
            "add-invoice",
            "--number",
            "G2026-10",
            "--date",
            "2026-10-08",
            "--amount",
            "300000.25",
            "--currency",
            "TWD",
        ],
    );
    assert_says(&out, "due 2026-12-07");
    let file = write(
        dir.path(),
        "ms.csv",
        "number,invoice_date,amount,currency,due_date,paid_date\n\
         G2026-11,2026-11-08,\"250,000\",TWD,,\n\
         G2026-10,2026-10-08,300000.25,TWD,2026-12-07,\n",
    );
    let out = cli_ok(&db, &["microsoft", "import", &file]);
    assert_says(&out, "1 added, 0 paid dates recorded, 1 unchanged");
    let out = cli(&db, &["microsoft", "import", &file]);
    assert_says(&out, "0 added, 0 paid dates recorded, 2 unchanged");
    let bad = write(
        dir.path(),
        "bad.csv",
        "number,invoice_date,amount,currency\nG-X,2026-02-30,1,TWD\n",
    );
    let out = cli(&db, &["microsoft", "import", &bad]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("bad.csv") && stderr(&out).contains("bad.csv:2 field invoice_date"),
        "{}",
        stderr(&out)
    );

    let h: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["headroom", "--json"]).stdout).unwrap();
    assert_eq!(h["unpaid_invoices"]["minor"], 55_000_025);
    assert_eq!(h["used"]["minor"], 55_000_025);
    assert_eq!(h["headroom"]["minor"], 100_000_000 - 55_000_025);
    assert_eq!(h["used_basis_points"], 5500);
    assert_eq!(h["customers"][0]["legal_name"], "Harbour Logistics Ltd");
    assert_eq!(h["customers"][0]["paid_out"]["minor"], 100_050);
    assert_eq!(h["customers"][1]["legal_name"], "Pacific Dental");
    assert_eq!(h["customers"][1]["upcoming"]["minor"], 200_000);

    cli_ok(
        &db,
        &["microsoft", "paid", "G2026-10", "--on", "2026-11-30"],
    );
    let text = stdout(&cli(&db, &["headroom"]));
    assert!(
        text.contains("used NT$250,000 (25.00%), headroom NT$750,000"),
        "{text}"
    );
    let harbour = text.find("Harbour").unwrap();
    let pacific = text.find("Pacific").unwrap();
    assert!(
        harbour < pacific,
        "the customer with money paid out first: {text}"
    );
    // Owed in Hong Kong dollars, which no rate converts: said on the customer's line (a cent
    // of it), not shown as nothing owed.
    let kowloon = text.lines().find(|l| l.contains("Kowloon")).unwrap();
    assert!(kowloon.ends_with("  HK$0.01"), "{text}");
    assert!(text.contains("not converted (no rate)"), "{text}");
    // A credit note from Microsoft gives NT$1,000.50 back until it is applied.
    let out = cli_ok(
        &db,
        &[
            "microsoft",
            "add-invoice",
            "--number",
            "CN-7",
            "--date",
            "2026-11-20",
            "--amount=-1000.50",
            "--currency",
            "TWD",
        ],
    );
    assert_says(&out, "credit note CN-7 of 2026-11-20: -NT$1,000.50");
    let text = stdout(&cli(&db, &["headroom"]));
    assert!(
        text.contains("used NT$248,999.50")
            && text.contains("credit notes not applied")
            && text.contains("-NT$1,000.50"),
        "{text}"
    );
    let list = stdout(&cli(&db, &["microsoft", "invoices"]));
    assert!(
        list.contains("paid 2026-11-30")
            && list.contains("unpaid")
            && list.contains("credit note, not applied"),
        "{list}"
    );
    let out = cli_ok(&db, &["microsoft", "paid", "CN-7", "--on", "2026-11-30"]);
    assert_says(&out, "credit note CN-7 applied on 2026-11-30");
    let text = stdout(&cli(&db, &["headroom"]));
    assert!(text.contains("used NT$250,000 ("), "{text}");
    for args in [
        &["headroom"][..],
        &["headroom", "--json"],
        &["microsoft", "invoices"],
    ] {
        let (status, err) = cli_closed_stdout(&db, args);
        assert!(
            status.success() && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}
