//! CLI round trips for usage, budgets, alerts, notices, the activity log and the rule
//! settings; keys go to a private test keychain (tests/common).

use crate::common::{
    assert_refused, assert_says, cli, cli_ok, demo_book, new_book, sample, stderr, stdout,
};

#[test]
fn the_demo_alerts_inbox_shows_the_planted_cases_and_nothing_else() {
    let (_dir, db) = demo_book("usage.db");
    let out = cli_ok(&db, &["alerts", "list", "--json"]);
    let alerts: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut by_customer: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for a in &alerts {
        by_customer
            .entry(a["customer_name"].as_str().unwrap().to_string())
            .or_default()
            .push(a["kind"].as_str().unwrap().to_string());
    }
    // Four planted customers (mining, egress, new region, growth over budget), no other.
    assert_eq!(by_customer.len(), 4, "{by_customer:#?}");
    let kinds: Vec<&String> = by_customer.values().flatten().collect();
    for kind in ["gpu", "egress", "new_region", "budget"] {
        assert!(kinds.iter().any(|k| *k == kind), "{kind}: {by_customer:#?}");
    }
    assert!(
        !kinds.iter().any(|k| *k == "spend_spike"),
        "{by_customer:#?}"
    );
    let growth = by_customer
        .values()
        .find(|k| k.iter().all(|k| k.starts_with("budget")))
        .expect("the growth customer has budget alerts only");
    assert!(growth.len() >= 3, "{growth:?}");

    // Acknowledge and resolve (a note is required), then the same again changes nothing.
    let id = alerts[0]["id"].as_i64().unwrap().to_string();
    cli_ok(&db, &["alerts", "ack", &id]);
    let out = cli(&db, &["alerts", "resolve", &id, "--note", ""]);
    assert_refused(&out, "note");
    cli_ok(
        &db,
        &[
            "alerts",
            "resolve",
            &id,
            "--note",
            "Called the customer: a real render farm; prepaid.",
        ],
    );
    let open = stdout(&cli(&db, &["alerts", "list"]));
    assert!(!open.contains(&format!("#{id} ")), "{open}");
    let all = stdout(&cli(&db, &["alerts", "list", "--all"]));
    assert!(all.contains("[resolved]"), "{all}");
    let again = stdout(&cli(&db, &["alerts", "evaluate"]));
    assert!(again.contains(" 0 new alerts"), "{again}");
}

#[test]
fn a_usage_file_imported_twice_changes_nothing_and_unknown_tenants_are_listed() {
    let (dir, db) = new_book("import.db");
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src-tauri/core/tests/samples/daily_rated_usage_unbilled_2025-01.csv");
    let file = sample.to_str().unwrap();
    let first = cli(&db, &["usage", "import", file]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_says(&first, "930 rows (partner-center)");
    assert_says(&first, "248 days added");
    assert_says(&first, "unknown tenant 90fea696");
    let audit_before = stdout(&cli(&db, &["audit", "verify"]));
    let second = cli(&db, &["usage", "import", file]);
    assert_says(&second, "nothing changed");
    assert_eq!(stdout(&cli(&db, &["audit", "verify"])), audit_before);
    // A file of another kind is refused, naming the file and the header.
    let other = dir.path().join("customers.csv");
    std::fs::write(&other, "legal_name,country,currency\nX,TW,TWD\n").unwrap();
    let out = cli(&db, &["usage", "import", other.to_str().unwrap()]);
    assert_refused(&out, "customers.csv:1 field header");

    // A FOCUS export of one customer's own names no customer: refused until it is said
    // whose it is, then every row is that customer's.
    let focus = sample
        .with_file_name("reference")
        .join("focus_spec_azure_reservation_no_upfront_100pct.head3.csv");
    let focus = focus.to_str().unwrap();
    let out = cli(&db, &["usage", "import", focus]);
    assert_refused(
        &out,
        ":1 field x_CustomerId: this FOCUS export names no customer",
    );
    std::fs::write(
        &other,
        "legal_name,country,currency,tenant_id\nReserved Co,TW,TWD,5f1c2b3a-9d8e-4f70-a1b2-c3d4e5f60718\n",
    )
    .unwrap();
    cli_ok(&db, &["customers", "import", other.to_str().unwrap()]);
    let out = cli_ok(&db, &["usage", "import", focus, "--customer", "1"]);
    assert_says(
        &out,
        "2 rows (focus), 2026-02-01 to 2026-02-01: 1 day added",
    );
    // Its reservation's purchase is no day of usage (the usage it covers bills 0.00) but is
    // told, with what it bills.
    assert_says(
        &out,
        "purchases (reservations, Marketplace), not usage and in no budget: Reserved Co (customer 1): 1 row, US$55,334.00",
    );
    // It raises an alert, the customer's first purchase, high; the day of usage it covers
    // costs nothing, so no exchange rate is missing for it.
    let alerts = stdout(&cli(&db, &["alerts", "list"]));
    assert!(
        alerts.contains("high     2026-02-01  Reserved Co")
            && alerts.contains("First purchase billed: US$55,334.00"),
        "{alerts}"
    );
    assert!(!alerts.contains("cannot be converted"), "{alerts}");
    assert_says(&out, "1 new alert");
    let tenants = stdout(&cli(&db, &["usage", "tenants"]));
    assert!(
        tenants.contains("5f1c2b3a-9d8e-4f70-a1b2-c3d4e5f60718"),
        "{tenants}"
    );
    assert!(tenants.contains("Reserved Co"), "{tenants}");
    // A file that names its customers is not given one.
    let out = cli(&db, &["usage", "import", file, "--customer", "1"]);
    assert_refused(
        &out,
        ":1 field CustomerId: the file names the customer of each row",
    );
}

#[test]
fn fraud_alerts_are_imported_once_and_worked_through_the_cli() {
    let (_dir, db) = new_book("notices.db");
    let events = sample("fraud_events.json");
    let out = cli_ok(&db, &["notices", "import", events.to_str().unwrap()]);
    assert_says(&out, "3 notices added");
    assert_says(&out, "matches no customer");
    let graph = sample("security_alerts.json");
    let out = cli(&db, &["notices", "import", graph.to_str().unwrap()]);
    assert_says(&out, "0 notices added, 3 already imported");
    // The same file as Windows PowerShell's `Out-File` writes it: UTF-16 with its mark.
    let utf16 = db.with_file_name("alerts-utf16.json");
    let text = std::fs::read_to_string(&graph).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&utf16, bytes).unwrap();
    let out = cli(&db, &["notices", "import", utf16.to_str().unwrap()]);
    assert_says(&out, "0 notices added, 3 already imported");
    let list = stdout(&cli(&db, &["notices", "list"]));
    assert!(list.contains("RESPONSE OVERDUE"), "{list}");
    let out = cli(&db, &["notices", "set", "1", "resolved_fraud"]);
    assert!(!out.status.success(), "a resolution needs a note");
    cli_ok(
        &db,
        &[
            "notices",
            "set",
            "1",
            "resolved_fraud",
            "--note",
            "Confirmed with the customer.",
        ],
    );
    assert!(stdout(&cli(&db, &["notices", "list"])).contains("fraud credit: claim by"));
    cli_ok(
        &db,
        &[
            "notices",
            "add",
            "--kind",
            "acceptable_use",
            "--title",
            "=cmd|' /C calc'!A0",
        ],
    );
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&cli(&db, &["notices", "list", "--json"]).stdout).unwrap();
    assert!(
        json.iter().any(|n| n["title"] == "=cmd|' /C calc'!A0"),
        "kept as text"
    );
    let out = cli(&db, &["settings", "set", "notices.respond_minutes", "0"]);
    assert!(!out.status.success());
}

#[test]
fn the_activity_log_is_imported_once_in_either_format() {
    let (dir, db) = new_book("activity.db");
    // The portal's CSV has the same 30 events as the API's records: one event is stored
    // once, whichever export it came from.
    for (name, first) in [
        ("audit_records.json", "30 records added"),
        (
            "activity_log_export.csv",
            "0 records added, 30 already imported",
        ),
    ] {
        let file = sample(name);
        let out = cli(&db, &["activity", "import", file.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(stdout(&out).contains(first), "{name}: {}", stdout(&out));
        let again = cli(&db, &["activity", "import", file.to_str().unwrap()]);
        assert_says(&again, "0 records added, 30 already imported");
    }
    let alerts = stdout(&cli(&db, &["alerts", "list"]));
    assert!(
        alerts.contains("9 users or orders created within 6 minutes"),
        "{alerts}"
    );
    assert!(alerts.contains("Billing profile changed"), "{alerts}");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "Date-Time,Action\n13/13/2025 10:00,Created a user\n").unwrap();
    let out = cli(&db, &["activity", "import", bad.to_str().unwrap()]);
    assert_refused(&out, "bad.csv");
}

#[test]
fn rule_settings_are_checked_before_they_are_kept() {
    let (_dir, db) = new_book("settings.db");
    for (key, good, bad) in [
        ("usage.spike_ratio", "4", "abc"),
        ("notices.respond_minutes", "30", "0"),
        ("activity.burst_count", "4", "0"),
        ("risk.levels", "20,40,60", "60,40"),
        ("risk.weight.prepaid_card", "40", "101"),
        ("risk.high_risk_countries", "KP", "Narnia"),
        // The edges of each window: the last value kept, the first refused.
        ("risk.signup_window_days", "365", "366"),
        ("risk.signup_min_customers", "2", "1"),
        ("risk.cancel_window_days", "30", "0"),
        ("risk.cancel_window_days", "1", "1.5"),
        ("onboarding.required", "phone_contact,mfa", "nope"),
    ] {
        let out = cli(&db, &["settings", "set", key, good]);
        assert!(out.status.success(), "{key}={good}: {}", stderr(&out));
        let out = cli(&db, &["settings", "set", key, bad]);
        assert!(!out.status.success(), "{key}={bad} accepted");
        assert!(stderr(&out).contains(key), "{key}: {}", stderr(&out));
    }
    let list = stdout(&cli(&db, &["settings", "list"]));
    for line in [
        "usage.spike_ratio = 4",
        "notices.respond_minutes = 30",
        "activity.burst_count = 4",
        "risk.levels = 20,40,60",
        "risk.weight.prepaid_card = 40",
        "risk.high_risk_countries = KP",
        "risk.signup_window_days = 365",
        "risk.signup_min_customers = 2",
        "risk.cancel_window_days = 1",
        "onboarding.required = phone_contact,mfa",
    ] {
        assert!(list.contains(line), "{line} missing from:\n{list}");
    }
    let out = cli(&db, &["settings", "set", "risk.weight.unknown", "5"]);
    assert!(!out.status.success());
}

#[test]
fn exchange_rates_are_kept_checked_and_audited_from_the_cli() {
    let (_dir, db) = new_book("rates.db");
    let out = cli(
        &db,
        &[
            "rates",
            "set",
            "--on",
            "2025-01-01",
            "--from",
            "USD",
            "--to",
            "VND",
            "--rate",
            "25,410",
        ],
    );
    assert_refused(&out, "rate");
    let out = cli_ok(
        &db,
        &[
            "rates",
            "set",
            "--on",
            "2025-01-01",
            "--from",
            "usd",
            "--to",
            "vnd",
            "--rate",
            "25410.5",
            "--note",
            "=HYPERLINK(\"x\")",
        ],
    );
    assert_says(&out, "1 USD = 25410.5 VND on 2025-01-01");
    let list: Vec<serde_json::Value> =
        serde_json::from_slice(&cli(&db, &["rates", "list", "--json"]).stdout).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["note"], "=HYPERLINK(\"x\")");
    let id = list[0]["id"].as_i64().unwrap().to_string();
    cli_ok(&db, &["rates", "remove", &id]);
    assert!(stdout(&cli(&db, &["rates", "list"])).contains("no rates of your own"));
    let audit = stdout(&cli(&db, &["audit", "verify"]));
    assert!(
        audit.to_lowercase().contains("ok") || audit.contains("intact"),
        "{audit}"
    );
    // The detectors' reference currency is a setting, checked like the others.
    let out = cli(&db, &["settings", "set", "usage.reference_currency", "XYZ"]);
    assert!(!out.status.success());
    cli_ok(&db, &["settings", "set", "usage.reference_currency", "TWD"]);
}
