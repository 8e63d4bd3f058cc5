//! CLI round trips through the real binary (needs an OS keychain; see tests/quickstart.sh).

mod common;

use common::{cli, require_keychain, stderr, stdout};

#[test]
fn demo_then_list_shows_the_demo_customers() {
    require_keychain();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = cli(&db, &["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("recovery key"));
    let out = cli(&db, &["customers", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("台北雲端科技股份有限公司"));
    assert!(text.contains("Pacific Northwest Dental Group"));
    assert!(text.contains("40 customers"));
    let out = cli(
        &db,
        &["customers", "list", "--json", "--status", "suspended"],
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "suspended"));
    assert!(!rows.as_array().unwrap().is_empty());
    // A second demo into the same file is refused.
    let out = cli(&db, &["demo"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("empty database"));
}

#[test]
fn the_database_file_cannot_be_read_without_the_key() {
    require_keychain();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    assert!(cli(&db, &["demo"]).status.success());
    let bytes = std::fs::read(&db).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
}

#[test]
fn import_export_round_trip_and_bad_files_change_nothing() {
    require_keychain();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("io.db");
    assert!(cli(&db, &["init"]).status.success());
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "legal_name,tenant_id,country,currency,credit_limit,status\n\
         Contoso Ltd,11111111-1111-4111-8111-111111111111,TW,TWD,100000,active\n\
         Fabrikam Inc,,US,USD,2500.50,prospect\n",
    )
    .unwrap();
    let out = cli(&db, &["customers", "import", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 created"));
    let out = cli(&db, &["customers", "import", good.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("0 created, 0 updated, 2 unchanged"),
        "{}",
        stdout(&out)
    );

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "legal_name,country,currency,email\nNew Co,TW,TWD,ok@new.com\nBroken Co,TW,XXX,x@y\n",
    )
    .unwrap();
    let out = cli(&db, &["customers", "import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("bad.csv:3 field currency"), "{err}");
    assert!(err.contains("bad.csv:3 field email"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    let list = stdout(&cli(&db, &["customers", "list"]));
    assert!(!list.contains("New Co"), "a bad file must write nothing");

    let export = dir.path().join("out.csv");
    assert!(cli(&db, &["customers", "export", export.to_str().unwrap()])
        .status
        .success());
    let out = cli(&db, &["customers", "import", export.to_str().unwrap()]);
    assert!(stdout(&out).contains("2 unchanged"), "{}", stdout(&out));
}

#[test]
fn audit_verify_catches_an_edited_row() {
    require_keychain();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("audit.db");
    assert!(cli(&db, &["demo"]).status.success());
    let out = cli(&db, &["audit", "verify"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("intact"));

    // Edit a row with the key, the way someone with access to the file and keychain might.
    let key = stdout(&cli(&db, &["recovery-key"])).trim().to_string();
    let k = riskdesk_core::store::DbKey::parse(&key).unwrap();
    let conn = riskdesk_core::store::open(&db, &k).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_rows_are_never_updated;
         UPDATE audit SET os_user = 'mallory' WHERE seq = 5;",
    )
    .unwrap();
    drop(conn);
    let out = cli(&db, &["audit", "verify"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("audit row 5"), "{}", stderr(&out));
}

#[test]
fn backup_and_restore_round_trip() {
    require_keychain();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("main.db");
    assert!(cli(&db, &["demo"]).status.success());
    let backup = dir.path().join("backup.db");
    let out = cli(&db, &["backup", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let key = stdout(&cli(&db, &["recovery-key"])).trim().to_string();

    // Restore onto another "computer": a new path with no key in the keychain.
    let elsewhere = dir.path().join("elsewhere.db");
    let out = cli(&elsewhere, &["restore", backup.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("recovery key"), "{}", stderr(&out));
    let out = cli(
        &elsewhere,
        &[
            "restore",
            backup.to_str().unwrap(),
            "--recovery-key",
            "0000-1111",
        ],
    );
    assert!(!out.status.success());
    let out = cli(
        &elsewhere,
        &["restore", backup.to_str().unwrap(), "--recovery-key", &key],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&cli(&elsewhere, &["customers", "list"])).contains("40 customers"));
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(&dir.path().join("missing.db"), &["customers", "list"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no database"));
    assert!(stdout(&out).is_empty());
}

#[test]
fn the_demo_dunning_run_reaches_every_level_and_a_second_run_changes_nothing() {
    require_keychain();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dun.db");
    assert!(cli(&db, &["demo"]).status.success());
    let out = cli(&db, &["dunning", "plan", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let levels: std::collections::BTreeSet<i64> = plan["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["level"]["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(levels.into_iter().collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    assert!(
        !plan["paused"].as_array().unwrap().is_empty(),
        "a dispute and a promise pause someone"
    );

    let letters = dir.path().join("letters");
    let out = cli(&db, &["dunning", "run", "--out", letters.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files: Vec<String> = std::fs::read_dir(&letters)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|f| f.ends_with("all-letters.pdf")));
    assert!(files
        .iter()
        .any(|f| f.ends_with("suspend-in-partner-center.csv")));
    assert!(files.iter().filter(|f| f.contains("-L")).count() >= 5);
    let before = stdout(&cli(&db, &["aging", "--json"]));

    let again = dir.path().join("again");
    let out = cli(&db, &["dunning", "run", "--out", again.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("nothing to do"), "{}", stdout(&out));
    assert!(!again.exists());
    assert_eq!(stdout(&cli(&db, &["aging", "--json"])), before);
    assert!(cli(&db, &["audit", "verify"]).status.success());
}

#[test]
fn invoices_and_payments_import_all_or_nothing_and_idempotently() {
    require_keychain();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    assert!(cli(&db, &["init"]).status.success());
    let customers = dir.path().join("c.csv");
    std::fs::write(&customers, "legal_name,tenant_id,country,currency,payment_terms_days,status\nContoso Ltd,11111111-1111-4111-8111-111111111111,TW,TWD,30,active\n").unwrap();
    assert!(
        cli(&db, &["customers", "import", customers.to_str().unwrap()])
            .status
            .success()
    );
    let invoices = dir.path().join("inv.csv");
    std::fs::write(
        &invoices,
        "number,customer,issued_on,currency,description,quantity,unit_price\n\
         INV-1,Contoso Ltd,2026-09-01,TWD,Microsoft 365 E3,10,1000\n\
         INV-1,Contoso Ltd,2026-09-01,TWD,Azure plan,1,45000.50\n\
         INV-2,11111111-1111-4111-8111-111111111111,2026-10-01,TWD,Azure plan,1,30000\n",
    )
    .unwrap();
    let out = cli(&db, &["invoices", "import", invoices.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2 invoices created"),
        "{}",
        stdout(&out)
    );
    let out = cli(&db, &["invoices", "import", invoices.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("0 invoices created, 2 unchanged"),
        "{}",
        stdout(&out)
    );

    let payments = dir.path().join("pay.csv");
    std::fs::write(&payments, "reference,customer,received_on,amount,currency\nTX-1,Contoso Ltd,2026-10-10,\"60,000.50\",TWD\nTX-2,Nobody Inc,2026-10-11,5,TWD\n").unwrap();
    let out = cli(&db, &["payments", "import", payments.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("pay.csv:3 field customer"),
        "{}",
        stderr(&out)
    );
    std::fs::write(&payments, "reference,customer,received_on,amount,currency\nTX-1,Contoso Ltd,2026-10-10,\"60,000.50\",TWD\n").unwrap();
    assert!(
        cli(&db, &["payments", "import", payments.to_str().unwrap()])
            .status
            .success()
    );
    assert!(stdout(&cli(
        &db,
        &["payments", "import", payments.to_str().unwrap()]
    ))
    .contains("1 unchanged"));
    // INV-1 (NT$55,000.50) is paid; NT$5,000 of the payment went to INV-2.
    let aging: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["aging", "--as-of", "2026-12-15", "--json"]).stdout)
            .unwrap();
    assert_eq!(aging["totals"][0]["total_minor"], 2_500_000);
    // INV-2 was due on 2026-10-31 (30 days terms): 45 days overdue, in the 31-60 bucket.
    assert_eq!(aging["rows"][0]["buckets"][2], 2_500_000);
}
