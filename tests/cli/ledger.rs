//! Ledger files given together on the command line (`customers import`, `invoices import`,
//! `payments import`, `microsoft import` with several files, or a ZIP archive of several):
//! one import, all or nothing, named by the first file and how many more.

use riskdesk_core::test_support::zip::{archive, Entry};

use crate::common::{assert_refused, assert_says, cli, cli_ok, new_book, sample, stdout};

#[test]
fn ledger_files_given_together_are_imported_as_one() {
    let (dir, db) = new_book("several.db");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_string()
    };
    let north = write(
        "north.csv",
        b"legal_name,country,currency\nNorth Ltd,TW,TWD\n",
    );
    let south = write(
        "south.csv",
        b"legal_name,country,currency\nSouth Ltd,TW,TWD\n",
    );
    let out = cli_ok(&db, &["customers", "import", &north, &south]);
    assert_says(&out, "north.csv (and 1 more file): 2 rows: 2 created");

    // Each month's file: an invoice (number, customer, day, price).
    let month = |file: &str, row: &str| {
        let text = format!("number,customer,issued_on,currency,description,unit_price\n{row}\n");
        write(file, text.replace(';', ",TWD,Azure plan,").as_bytes())
    };
    let jan = month("jan.csv", "N-1,North Ltd,2026-01-05;100.01");
    let feb = month("feb.csv", "S-1,South Ltd,2026-02-05;0.99");
    let out = cli_ok(&db, &["invoices", "import", &jan, &feb]);
    assert_says(&out, "2 invoices created, 0 unchanged");
    // A problem in the second: named; the first not written again or at all.
    let bad = month("mar.csv", "S-2,Nobody Inc,2026-03-05;5");
    let apr = month("apr.csv", "N-2,North Ltd,2026-04-05;5");
    let before = stdout(&cli(&db, &["aging", "--as-of", "2026-06-01", "--json"]));
    assert_refused(
        &cli(&db, &["invoices", "import", &apr, &bad]),
        "mar.csv:2 field customer",
    );
    assert_eq!(
        stdout(&cli(&db, &["aging", "--as-of", "2026-06-01", "--json"])),
        before
    );

    // The month's payments packed in one archive: each file of it.
    let payments = "reference,customer,received_on,amount,currency\n";
    let zip = archive(&[
        Entry::deflated(
            "bank/01.csv",
            format!("{payments}P-1,North Ltd,2026-02-01,100.01,TWD\n").as_bytes(),
        ),
        Entry::deflated(
            "bank/02.csv",
            format!("{payments}P-2,South Ltd,2026-03-01,0.99,TWD\n").as_bytes(),
        ),
    ]);
    let packed = write("payments.zip", &zip);
    let out = cli_ok(&db, &["payments", "import", &packed]);
    assert_says(&out, "2 rows: 2 payments created");
    let aging: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["aging", "--as-of", "2026-06-01", "--json"]).stdout)
            .unwrap();
    assert_eq!(aging["totals"], serde_json::json!([]), "{aging}");
    let out = cli_ok(&db, &["payments", "import", &packed]);
    assert_says(&out, "0 payments created, 2 unchanged");
    // A file that is not there: named before anything is read.
    let gone = dir.path().join("gone.csv");
    assert_refused(
        &cli(&db, &["invoices", "import", &apr, gone.to_str().unwrap()]),
        "gone.csv",
    );
}

#[test]
fn alert_and_activity_files_given_together_are_imported_as_one() {
    let (dir, db) = new_book("alerts.db");
    let path = |name: &str| sample(name).to_str().unwrap().to_string();
    // The API's fraud events and Graph's alerts about the same events, given together.
    let (events, alerts) = (path("fraud_events.json"), path("security_alerts.json"));
    let out = cli_ok(&db, &["notices", "import", &events, &alerts]);
    assert_says(&out, "3 notices added, 3 already imported");
    // The activity log's two exports packed in one archive, a page of it cut short: named
    // in the archive, nothing written; whole: imported, then nothing new.
    let read = |name: &str| std::fs::read(sample(name)).unwrap();
    let packed = dir.path().join("activity.zip");
    let zip = |csv: &[u8]| {
        archive(&[
            Entry::deflated("audit_records.json", &read("audit_records.json")),
            Entry::deflated("portal.csv", csv),
        ])
    };
    std::fs::write(&packed, zip(b"Date-Time,Affected customer\n\"01/30/2025")).unwrap();
    let out = cli(&db, &["activity", "import", packed.to_str().unwrap()]);
    assert_refused(&out, "activity.zip/portal.csv");
    let listed = stdout(&cli(&db, &["activity", "list", "--json"]));
    assert_eq!(listed.trim(), "[]", "nothing written");
    std::fs::write(&packed, zip(&read("activity_log_export.csv"))).unwrap();
    let out = cli_ok(&db, &["activity", "import", packed.to_str().unwrap()]);
    assert!(
        !stdout(&out).starts_with("0 records added"),
        "{}",
        stdout(&out)
    );
    let out = cli_ok(&db, &["activity", "import", packed.to_str().unwrap()]);
    assert_says(&out, "0 records added");
}
