//! The operating system's own dialogs, which WebDriver cannot reach: the window opens them
//! as a person's click does, and they are answered as a person would answer them, by
//! typing into them (xdotool, on the display the window is on): the path of the file, then
//! Enter.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{self, assert_ok, cli_os as cli, Driver};
use crate::{open_customers, Book};

/// Runs xdotool with `args`; its standard output. Fails, naming the package, where xdotool
/// is missing (`cargo xtask test` installs it).
fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("xdotool: {e}; `cargo xtask test` installs it (apt-get install xdotool)")
        });
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The visible windows whose title is `title`.
fn windows_named(title: &str) -> Vec<String> {
    let exact = format!("^{}$", regex_escape(title));
    xdotool(&["search", "--onlyvisible", "--name", &exact])
        .lines()
        .map(str::to_string)
        .collect()
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.^$|?*+()[]{}".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// The keys that put the cursor where a path is typed: the open dialog's location field
/// (Ctrl+L); in the save dialog, the name field, its suggested name selected (Ctrl+A).
#[derive(Clone, Copy)]
enum Dialog {
    Open,
    Save,
}

/// Waits (a minute at most) for the dialog titled `title`, types `file`'s path into it and
/// presses Enter until it closes.
fn answer(dialog: Dialog, title: &str, file: &Path) {
    let start = Instant::now();
    let window = loop {
        if let Some(w) = windows_named(title).pop() {
            break w;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no dialog titled {title:?} opened within a minute"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    xdotool(&["windowfocus", "--sync", &window]);
    let keys = match dialog {
        Dialog::Open => "ctrl+l",
        Dialog::Save => "ctrl+a",
    };
    xdotool(&["key", "--clearmodifiers", keys]);
    std::thread::sleep(Duration::from_millis(300));
    let path = file.to_str().expect("a UTF-8 path");
    xdotool(&["type", "--delay", "15", path]);
    let start = Instant::now();
    while windows_named(title).contains(&window) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the dialog {title:?} did not close on Enter"
        );
        // The first Enter may only take the completion the field offers. One at a time, each
        // after the dialog is seen still open, so none reaches the window behind it.
        xdotool(&["windowfocus", "--sync", &window]);
        xdotool(&["key", "Return"]);
        std::thread::sleep(Duration::from_millis(1000));
    }
}

#[test]
fn files_chosen_in_the_systems_open_and_save_dialogs_are_read_and_written() {
    let (book, db) = Book::empty("dialogs.db");
    let file = common::write(
        book.dir.path(),
        "customers from the dialog.csv",
        "legal_name,country,currency,payment_terms_days,language\n\
         Dialog Harbour Trading Ltd,TW,TWD,30,en\n",
    );
    let driver = Driver::start();
    let s = driver.launch(&db);
    open_customers(&s);
    s.find("#import-customers").click();
    answer(Dialog::Open, "Import customers (CSV)", Path::new(&file));
    s.wait_text("#import-customers-status", |t| {
        t.contains("customers from the dialog.csv: 1 row, 1 new")
    });
    s.wait_text("#customer-table", |t| {
        t.contains("Dialog Harbour Trading Ltd")
    });
    s.screenshot("import-through-open-dialog-en.png");

    // The same import from a ZIP archive, as a download or an attachment may come: each
    // file inside it is read (here two branches' files), in one import.
    let zipped = book.dir.path().join("customers packed.zip");
    let header = "legal_name,country,currency,payment_terms_days,language\n";
    let packed = riskdesk_core::test_support::zip::archive(&[
        riskdesk_core::test_support::zip::Entry::deflated(
            "taipei/more customers.csv",
            format!("{header}壓縮港灣貿易有限公司,TW,TWD,30,zh-TW\n").as_bytes(),
        ),
        riskdesk_core::test_support::zip::Entry::deflated(
            "hsinchu/more customers.csv",
            format!("{header}Packed Branch Ltd,TW,TWD,30,en\n").as_bytes(),
        ),
    ]);
    std::fs::write(&zipped, packed).unwrap();
    s.find("#import-customers").click();
    answer(Dialog::Open, "Import customers (CSV)", &zipped);
    s.wait_text("#import-customers-status", |t| {
        t.contains("customers packed.zip: 2 rows, 2 new")
    });
    s.wait_text("#customer-table", |t| {
        t.contains("壓縮港灣貿易有限公司") && t.contains("Packed Branch Ltd")
    });
    s.screenshot("import-zip-through-open-dialog-en.png");

    // A usage download through the dialog that takes one file or the parts of one export.
    let usage = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src-tauri/core/tests/samples/daily_rated_usage_billed_2024-12.csv");
    s.open_view("usage");
    s.find("#import-usage").click();
    answer(Dialog::Open, "Import usage file…", &usage);
    s.wait_text("#usage-import-result", |t| {
        t.contains("daily_rated_usage_billed_2024-12.csv: 868 rows")
    });
    s.screenshot("usage-through-open-dialog-en.png");

    // A Graph export chosen by its manifest: the blobs it names come from its folder (here
    // the same rows, so nothing changes); with one gone, the window names it.
    let export = book.dir.path().join("graph export");
    std::fs::create_dir(&export).unwrap();
    let text = std::fs::read_to_string(&usage).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let names = ["part-00001-f6.c000.csv", "part-00002-f6.c000.csv"];
    for (name, rows) in names.iter().zip([&lines[1..300], &lines[300..]]) {
        std::fs::write(export.join(name), format!("{}{}", lines[0], rows.concat())).unwrap();
    }
    let manifest = export.join("manifest.json");
    let json = format!(
        "{{\"blobCount\":2,\"blobs\":[{{\"name\":\"{}\"}},{{\"name\":\"{}\"}}]}}",
        names[0], names[1]
    );
    std::fs::write(&manifest, json).unwrap();
    s.find("#import-usage").click();
    answer(Dialog::Open, "Import usage file…", &manifest);
    s.wait_text("#usage-import-result", |t| {
        t.contains("manifest.json and 2 more files: 868 rows")
    });
    std::fs::remove_file(export.join(names[1])).unwrap();
    s.find("#import-usage").click();
    answer(Dialog::Open, "Import usage file…", &manifest);
    s.wait_text("#usage-import-error", |t| {
        t.contains(
            "manifest.json names part-00002-f6.c000.csv, which is not among the files chosen",
        )
    });
    s.screenshot("usage-manifest-missing-blob-en.png");

    // A month of daily bank statements packed in one ZIP archive, through the statement
    // dialog (which takes several files too): each day's lines imported.
    let day = |d: u32| {
        format!(
            ":20:S{d}\r\n:25:808/0003\r\n:28C:{d}/1\r\n:60F:C2611{d:02}TWD0,00\r\n\
             :61:2611{d:02}11{d:02}CD100,00NTRFNONREF//M-{d}\r\n:86:payment day {d}\r\n:62F:C2611{d:02}TWD100,00\r\n"
        )
    };
    let statements = book.dir.path().join("statements 2026-11.zip");
    let entries = [
        riskdesk_core::test_support::zip::Entry::deflated("2611-02.sta", day(2).as_bytes()),
        riskdesk_core::test_support::zip::Entry::deflated("2611-03.sta", day(3).as_bytes()),
    ];
    std::fs::write(
        &statements,
        riskdesk_core::test_support::zip::archive(&entries),
    )
    .unwrap();
    s.open_view("bank");
    s.find("#bank-choose").click();
    answer(Dialog::Open, "Choose a statement…", &statements);
    s.wait_text("#bank-chosen", |t| t.contains("statements 2026-11.zip"));
    s.find("#bank-import").click();
    s.wait_text("#bank-lines", |t| {
        t.contains("payment day 2") && t.contains("payment day 3")
    });
    s.screenshot("bank-zip-through-open-dialog-en.png");
    open_customers(&s);

    // The export, where the Save dialog says: the customer just imported, in the
    // import's columns.
    let export = book.dir.path().join("exported through the dialog.csv");
    s.find("#export-customers").click();
    answer(Dialog::Save, "Export customers (CSV)", &export);
    // The window names the file once it is written.
    s.wait_text("#doc-path", |t| {
        t.contains("exported through the dialog.csv")
    });
    let text = std::fs::read_to_string(&export).unwrap();
    assert!(text.contains("legal_name"), "{text}");
    assert!(text.contains("Dialog Harbour Trading Ltd"), "{text}");

    // The open items of the receivables page, for the accountant, where the Save dialog
    // says: an invoice long overdue, aged as the page shows it.
    let invoices = common::write(
        book.dir.path(),
        "invoices.csv",
        "number,customer,issued_on,due_on,currency,description,quantity,unit_price\n\
         DH-1,Dialog Harbour Trading Ltd,2025-01-01,2025-01-31,TWD,Azure usage,1,\"1,234.50\"\n",
    );
    assert_ok(&cli(&db, &["invoices", "import", &invoices]));
    s.open_view("receivables");
    s.wait_text("#aging-table", |t| t.contains("Dialog Harbour Trading Ltd"));
    let items = book.dir.path().join("open items.csv");
    s.find("#export-open-items").click();
    answer(Dialog::Save, "Export open items (CSV)", &items);
    s.wait_text("#doc-path", |t| t.contains("open items.csv"));
    let text = std::fs::read_to_string(&items).unwrap();
    assert!(
        text.contains("Dialog Harbour Trading Ltd,DH-1,invoice,2025-01-01,2025-01-31,TWD,1234.50,0.00,1234.50,"),
        "{text}"
    );
    assert!(text.contains(",over 90,open,no"), "{text}");
}

/// The book backed up where the Save dialog says while the window is open, a customer
/// recorded after, then the book put back from the backup chosen in the Open dialog: the
/// customer recorded after is gone, the book it replaced is kept beside it, and the audit
/// trail of the book restored checks whole. Then the restore undone from the book it kept.
#[test]
fn a_backup_is_written_and_restored_through_the_systems_dialogs() {
    let (book, db) = Book::empty("restored.db");
    let import = |name: &str, customer: &str| {
        let file = common::write(
            book.dir.path(),
            name,
            &format!("legal_name,country,currency\n{customer},TW,TWD\n"),
        );
        assert_ok(&cli(&db, &["customers", "import", &file]));
    };
    import("before.csv", "Before The Backup Ltd");
    let driver = Driver::start();
    let s = driver.launch(&db);
    // A book with records and no backup: the dashboard says so.
    s.wait_text("#dashboard-backup-status", |t| {
        t.contains("This book has never been backed up")
    });
    s.open_view("settings");
    let backup = book.dir.path().join("friday backup.db");
    s.find("#backup").click();
    answer(Dialog::Save, "Back up the database", &backup);
    // Beside the book: on its disk, so the window says to copy it elsewhere too.
    s.wait_text("#backup-result", |t| {
        t.contains("friday backup.db") && t.contains("same disk as the book")
    });
    assert!(backup.exists());
    s.wait_text("#backup-status", |t| {
        t.contains("Last backed up")
            && t.contains("friday backup.db")
            && t.contains("No change since")
    });
    // The reminder's days are kept in the book: a month, then read again.
    s.script(
        "const r = document.querySelector('#backup-remind'); r.value = '30'; r.dispatchEvent(new Event('change'));",
        serde_json::json!([]),
    );
    s.wait_text("#toast", |t| t.contains("Saved"));
    // The Save dialog read the book's files (GTK tells a file's type by its first bytes),
    // which drops this process's locks on them: the window took them again after it, so
    // the command line, closing, leaves the window's WAL and shared memory in place.
    let files = || {
        use std::os::unix::fs::MetadataExt;
        ["-wal", "-shm"].map(|suffix| {
            std::fs::metadata(format!("{}{suffix}", db.display()))
                .map(|m| m.ino())
                .ok()
        })
    };
    let before = files();
    assert!(before.iter().all(Option::is_some), "{before:?}");
    let settings = common::stdout(&cli(&db, &["settings", "list"]));
    assert!(settings.contains("backup.remind_days = 30"), "{settings}");
    assert_eq!(
        files(),
        before,
        "the command line took the open book for unused"
    );
    s.open_view("dashboard");
    s.find("#dashboard-today");
    assert!(
        s.try_find("#dashboard-backup").is_none(),
        "no reminder just after a backup"
    );

    import("after.csv", "After The Backup Ltd");
    open_customers(&s);
    s.wait_text("#customer-table", |t| t.contains("After The Backup Ltd"));
    // Another program with the book open (here this test) would go on writing to the file
    // a restore moves aside: refused, and the window goes on with its book.
    let key = common::stdout(&cli(&db, &["recovery-key"]))
        .trim()
        .to_string();
    let elsewhere =
        riskdesk_core::store::open(&db, &riskdesk_core::store::DbKey::parse(&key).unwrap())
            .unwrap();
    // Settings → Restore from a backup…, the file chosen in the Open dialog, confirmed.
    let restore_from = |file: &Path, says: &str| {
        s.open_view("settings");
        s.find("#restore").click();
        answer(Dialog::Open, "Restore from a backup", file);
        s.wait_text("#dialog-ok", |t| t.contains("Restore"));
        s.find("#dialog-ok").click();
        s.wait_text("#toast", |t| t.contains(says));
    };
    restore_from(&backup, "The database is open in another RiskDesk program");
    drop(elsewhere);
    open_customers(&s);
    s.wait_text("#customer-table", |t| t.contains("After The Backup Ltd"));
    restore_from(&backup, "Restored from friday backup.db: 1 customer.");
    // The restored book's audit trail is whole: the backup copied it row for row.
    s.find("#verify-audit").click();
    s.wait_text("#audit-result", |t| t.contains("The audit trail is intact"));
    // A restore is a backup point: the book equals the file it came from.
    s.wait_text("#backup-status", |t| {
        t.contains("Restored") && t.contains("friday backup.db") && t.contains("No change since")
    });
    assert_eq!(
        s.find("#backup-remind").property("value"),
        serde_json::json!("7"),
        "the backup was made before the reminder was changed"
    );
    s.screenshot("restored-from-backup-en.png");
    open_customers(&s);
    let list = s.wait_text("#customer-table", |t| t.contains("Before The Backup Ltd"));
    assert!(!list.contains("After The Backup Ltd"), "{list}");
    let kept = std::path::PathBuf::from(format!("{}.before-restore", db.display()));
    assert!(kept.exists(), "{}", kept.display());

    // Undone: the book the restore kept, chosen in the Open dialog (no filter hides it).
    restore_from(
        &kept,
        "Restored from restored.db.before-restore: 2 customers.",
    );
    open_customers(&s);
    s.wait_text("#customer-table", |t| t.contains("After The Backup Ltd"));
}
