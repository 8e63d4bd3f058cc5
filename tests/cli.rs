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
