//! Store tests on temporary encrypted databases.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone, Utc};
use riskdesk_core::customer::{
    self, CustomerInput, ListQuery, OnboardingCheck, OnboardingItem, SortKey, Status, StatusAction,
};
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::subscription::{
    self, Reason, SubscriptionAction, SubscriptionInput, SubscriptionStatus,
};
use riskdesk_core::test_support::{customer_input, scalar};
use riskdesk_core::{audit, demo, import, Ctx, Error};
use rusqlite::Connection;

fn ctx() -> Ctx {
    Ctx::new(
        "tester",
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap(),
    )
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

struct Db {
    _dir: tempfile::TempDir,
    path: PathBuf,
    key: DbKey,
}

fn new_db() -> (Db, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("riskdesk.db");
    let key = DbKey::generate().unwrap();
    let conn = store::create(&path, &key).unwrap();
    (
        Db {
            _dir: dir,
            path,
            key,
        },
        conn,
    )
}

fn input(name: &str, tenant: &str) -> CustomerInput {
    CustomerInput {
        tenant_id: tenant.into(),
        primary_domain: "contoso.onmicrosoft.com".into(),
        language: "zh-TW".into(),
        credit_limit: "100000".into(),
        admin_access: "limited".into(),
        email: "billing@contoso.com".into(),
        ..customer_input(name, "TWD", "TW")
    }
}

fn add(conn: &mut Connection, name: &str, tenant: &str) -> customer::Customer {
    let tx = conn.transaction().unwrap();
    let c = customer::create(&tx, &ctx(), &input(name, tenant)).unwrap();
    tx.commit().unwrap();
    c
}

const T1: &str = "11111111-1111-4111-8111-111111111111";
const T2: &str = "22222222-2222-4222-8222-222222222222";

#[test]
fn a_customer_survives_closing_and_reopening_the_database() {
    let (db, mut conn) = new_db();
    let c = add(&mut conn, "台北雲端科技股份有限公司", T1);
    drop(conn);
    let conn = store::open(&db.path, &db.key).unwrap();
    let again = customer::get(&conn, c.id).unwrap();
    assert_eq!(again.fields.legal_name, "台北雲端科技股份有限公司");
    assert_eq!(again.fields.credit_limit.minor, 10_000_000);
}

#[test]
fn the_file_on_disk_is_not_readable_sqlite() {
    let (db, mut conn) = new_db();
    add(&mut conn, "Plaintext Search Corp", T1);
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    drop(conn);
    let bytes = std::fs::read(&db.path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    let needle = b"Plaintext Search Corp";
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    // Plain SQLite (no key) cannot read it either.
    let plain = Connection::open(&db.path).unwrap();
    assert!(plain
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r
            .get::<_, i64>(0))
        .is_err());
}

#[test]
fn a_wrong_key_is_refused_with_a_clear_error() {
    let (db, conn) = new_db();
    drop(conn);
    let other = DbKey::generate().unwrap();
    match store::open(&db.path, &other) {
        Err(Error::WrongKey) => {}
        other => panic!("expected WrongKey, got {other:?}"),
    }
    assert!(Error::WrongKey.to_string().contains("recovery key"));
}

#[test]
fn a_database_from_a_newer_riskdesk_is_refused_and_left_unchanged() {
    let (db, conn) = new_db();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let before = std::fs::read(&db.path).unwrap();
    match store::open(&db.path, &db.key) {
        Err(Error::TooNew {
            found: 99,
            supported,
        }) => assert_eq!(supported, store::schema_version()),
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert_eq!(std::fs::read(&db.path).unwrap(), before);
}

#[test]
fn a_schema_1_database_is_upgraded_and_keeps_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let key = DbKey::generate().unwrap();
    let conn = store::create_at_version(&path, &key, 1).unwrap();
    let v: i64 = scalar(&conn, "PRAGMA user_version");
    assert_eq!(v, 1);
    let no_settings: i64 = scalar(
        &conn,
        "SELECT count(*) FROM sqlite_master WHERE name = 'settings'",
    );
    assert_eq!(no_settings, 0);
    // The row as schema 1 wrote it: today's record has columns schema 1 lacks.
    conn.execute(
        "INSERT INTO customers (legal_name, tenant_id, country, currency, language, payment_terms_days,
             credit_limit_minor, payment_instrument, card_present, admin_access, status, created_at, updated_at)
         VALUES ('Old Schema Ltd', ?1, 'TW', 'TWD', 'zh-TW', 30, 10000000, 'bank_transfer', 0, 'limited', 'active',
                 '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        [T1],
    )
    .unwrap();
    let id = riskdesk_core::ids::CustomerId(conn.last_insert_rowid());
    drop(conn);

    let mut conn = store::open(&path, &key).unwrap();
    let v: i64 = scalar(&conn, "PRAGMA user_version");
    assert_eq!(v, store::schema_version());
    assert_eq!(
        customer::get(&conn, id).unwrap().fields.legal_name,
        "Old Schema Ltd"
    );
    let tx = conn.transaction().unwrap();
    store::settings::set(&tx, &ctx(), "language", "zh-TW").unwrap();
    tx.commit().unwrap();
    assert_eq!(
        store::settings::get(&conn, "language").unwrap().as_deref(),
        Some("zh-TW")
    );
    assert!(audit::verify(&conn).unwrap().is_intact());
}

#[test]
fn a_second_customer_with_the_same_tenant_id_is_refused() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "First", T1);
    let tx = conn.transaction().unwrap();
    let mut dup = input("Second", &T1.to_uppercase());
    dup.legal_name = "Second".into();
    match customer::create(&tx, &ctx(), &dup) {
        Err(Error::Validation(e)) => assert_eq!(e[0].code.as_str(), "duplicate_tenant"),
        other => panic!("expected duplicate tenant, got {other:?}"),
    }
}

#[test]
fn every_change_writes_an_audit_row_in_the_same_transaction() {
    let (_db, mut conn) = new_db();
    let c = add(&mut conn, "Audited Ltd", T1);
    assert_eq!(audit::count(&conn).unwrap(), 1);

    let tx = conn.transaction().unwrap();
    let mut f = c.fields.clone();
    f.phone = "+886 2 2345 6789".into();
    customer::update(&tx, &ctx(), c.id, &f).unwrap();
    // Saving the same fields again writes nothing.
    let (_, changed) = customer::update(&tx, &ctx(), c.id, &f).unwrap();
    assert!(!changed);
    customer::change_status(
        &tx,
        &ctx(),
        c.id,
        StatusAction::Suspend,
        "Card charge-back",
        "",
    )
    .unwrap();
    customer::change_status(&tx, &ctx(), c.id, StatusAction::Reactivate, "Paid", "").unwrap();
    tx.commit().unwrap();

    let history = audit::for_entity(&conn, "customer", c.id).unwrap();
    let actions: Vec<&str> = history.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["reactivate", "suspend", "update", "create"]);
    assert_eq!(
        history[1].after.as_ref().unwrap()["reason"],
        "Card charge-back"
    );
    assert_eq!(history[1].os_user, "tester");
    assert_eq!(history[1].at, "2026-11-25T09:30:00Z");

    // A change that fails leaves neither the record nor an audit row behind.
    let tx = conn.transaction().unwrap();
    assert!(
        customer::change_status(&tx, &ctx(), c.id, StatusAction::Reactivate, "again", "").is_err()
    );
    drop(tx);
    assert_eq!(audit::count(&conn).unwrap(), 4);
}

#[test]
fn the_audit_trail_refuses_updates_and_deletes() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "A", T1);
    assert!(conn.execute("UPDATE audit SET os_user = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM audit", []).is_err());
}

fn tamper(conn: &Connection, sql: &str) {
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_rows_are_never_updated; DROP TRIGGER audit_rows_are_never_deleted; {sql}"
    ))
    .unwrap();
}

#[test]
fn audit_verify_finds_an_edited_row() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "A", T1);
    add(&mut conn, "B", T2);
    assert!(audit::verify(&conn).unwrap().is_intact());
    tamper(
        &conn,
        "UPDATE audit SET os_user = 'someone-else' WHERE seq = 1;",
    );
    let v = audit::verify(&conn).unwrap();
    assert!(v.problem.unwrap().contains("row 1"));
}

#[test]
fn audit_verify_finds_a_removed_row_in_the_middle_and_at_the_end() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "A", T1);
    add(&mut conn, "B", T2);
    add(&mut conn, "C", "");
    tamper(&conn, "DELETE FROM audit WHERE seq = 2;");
    assert!(audit::verify(&conn)
        .unwrap()
        .problem
        .unwrap()
        .contains("row 2 is missing"));

    let (_db, mut conn) = new_db();
    add(&mut conn, "A", T1);
    add(&mut conn, "B", T2);
    tamper(&conn, "DELETE FROM audit WHERE seq = 2;");
    assert!(audit::verify(&conn)
        .unwrap()
        .problem
        .unwrap()
        .contains("recorded end"));
}

#[test]
fn onboarding_checks_are_recorded_replaced_and_cleared() {
    let (_db, mut conn) = new_db();
    let c = add(&mut conn, "A", T1);
    let tx = conn.transaction().unwrap();
    let check = |item, reference: &str| OnboardingCheck {
        item,
        done_on: today(),
        done_by: "Amy".into(),
        reference: reference.into(),
        note: String::new(),
    };
    // A credit check needs the report's reference.
    assert!(
        customer::record_check(&tx, &ctx(), c.id, &check(OnboardingItem::CreditCheck, "")).is_err()
    );
    customer::record_check(
        &tx,
        &ctx(),
        c.id,
        &check(OnboardingItem::CreditCheck, "TCRI-1"),
    )
    .unwrap();
    customer::record_check(&tx, &ctx(), c.id, &check(OnboardingItem::PhoneContact, "")).unwrap();
    customer::record_check(
        &tx,
        &ctx(),
        c.id,
        &check(OnboardingItem::CreditCheck, "TCRI-2"),
    )
    .unwrap();
    let checks = customer::checks(&tx, c.id).unwrap();
    assert_eq!(checks.len(), 2);
    assert_eq!(checks[0].item, OnboardingItem::PhoneContact);
    assert_eq!(checks[1].reference, "TCRI-2");
    customer::clear_check(&tx, &ctx(), c.id, OnboardingItem::PhoneContact).unwrap();
    assert_eq!(customer::checks(&tx, c.id).unwrap().len(), 1);
    tx.commit().unwrap();
    let actions: Vec<String> = audit::for_entity(&conn, "customer", c.id)
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(
        actions,
        [
            "clear_check",
            "update_check",
            "record_check",
            "record_check",
            "create"
        ]
    );
}

#[test]
fn a_subscription_keeps_its_suspension_and_reactivation_history() {
    let (_db, mut conn) = new_db();
    let c = add(&mut conn, "A", T1);
    let tx = conn.transaction().unwrap();
    let s = subscription::add(
        &tx,
        &ctx(),
        c.id,
        &SubscriptionInput {
            offer: "Azure plan".into(),
            pc_subscription_id: "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE".into(),
            quantity: "1".into(),
            monthly_price: "45,000".into(),
            start_on: "2026-01-01".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(s.monthly_price.minor, 4_500_000);
    assert_eq!(s.monthly_price.currency.code(), "TWD");
    let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    subscription::change(
        &tx,
        &ctx(),
        s.id,
        SubscriptionAction::Suspend,
        Reason::NonPayment,
        d(1),
        "60 days overdue",
    )
    .unwrap();
    // Suspending twice is refused.
    assert!(subscription::change(
        &tx,
        &ctx(),
        s.id,
        SubscriptionAction::Suspend,
        Reason::NonPayment,
        d(2),
        ""
    )
    .is_err());
    let s2 = subscription::change(
        &tx,
        &ctx(),
        s.id,
        SubscriptionAction::Reactivate,
        Reason::NonPayment,
        d(3),
        "paid",
    )
    .unwrap();
    assert_eq!(s2.status, SubscriptionStatus::Active);
    subscription::change(
        &tx,
        &ctx(),
        s.id,
        SubscriptionAction::Cancel,
        Reason::CustomerRequest,
        d(4),
        "",
    )
    .unwrap();
    assert!(subscription::change(
        &tx,
        &ctx(),
        s.id,
        SubscriptionAction::Reactivate,
        Reason::Other,
        d(5),
        ""
    )
    .is_err());
    tx.commit().unwrap();
    let ev = subscription::events(&conn, s.id).unwrap();
    let got: Vec<(SubscriptionAction, Reason)> = ev.iter().map(|e| (e.action, e.reason)).collect();
    assert_eq!(
        got,
        [
            (SubscriptionAction::Suspend, Reason::NonPayment),
            (SubscriptionAction::Reactivate, Reason::NonPayment),
            (SubscriptionAction::Cancel, Reason::CustomerRequest)
        ]
    );
    assert_eq!(ev[0].note, "60 days overdue");
    assert!(audit::verify(&conn).unwrap().is_intact());
}

#[test]
fn the_list_searches_filters_sorts_and_pages_ten_thousand_customers() {
    let (_db, mut conn) = new_db();
    let tx = conn.transaction().unwrap();
    for i in 0..10_000 {
        let mut inp = input(&format!("Customer {i:05}"), "");
        inp.status = if i % 10 == 0 { "suspended" } else { "active" }.into();
        inp.credit_limit = (i * 10).to_string();
        let f = inp.validate().unwrap();
        customer::insert(&tx, &ctx(), &f).unwrap();
    }
    tx.commit().unwrap();
    let page = customer::list(
        &conn,
        &ListQuery {
            limit: 50,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 10_000);
    assert_eq!(page.rows.len(), 50);
    assert_eq!(page.rows[0].legal_name, "Customer 00000");

    let q = ListQuery {
        search: "0999".into(),
        ..Default::default()
    };
    let page = customer::list(&conn, &q).unwrap();
    let names: Vec<&str> = page.rows.iter().map(|r| r.legal_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Customer 00999",
            "Customer 09990",
            "Customer 09991",
            "Customer 09992",
            "Customer 09993",
            "Customer 09994",
            "Customer 09995",
            "Customer 09996",
            "Customer 09997",
            "Customer 09998",
            "Customer 09999"
        ]
    );

    let q = ListQuery {
        status: Some(Status::Suspended),
        sort: SortKey::CreditLimit,
        descending: true,
        offset: 10,
        limit: 5,
        ..Default::default()
    };
    let page = customer::list(&conn, &q).unwrap();
    assert_eq!(page.total, 1_000);
    assert_eq!(page.rows[0].legal_name, "Customer 09890");
    assert!(page.rows.iter().all(|r| r.status == Status::Suspended));

    // Wildcards in the search are literal.
    let q = ListQuery {
        search: "%".into(),
        ..Default::default()
    };
    assert_eq!(customer::list(&conn, &q).unwrap().total, 0);
}

fn counts(conn: &Connection) -> (i64, i64) {
    (customer::count(conn).unwrap(), audit::count(conn).unwrap())
}

/// Imports as an existing book (the samples have active customers without recorded checks
/// and a prepaid card); `import_enforced` holds the onboarding rules.
fn import_text(conn: &mut Connection, text: &str) -> Result<import::ImportSummary, Error> {
    import_in(
        conn,
        text,
        &import::ImportMode::ExistingBook("moving from spreadsheets".into()),
    )
}

fn import_enforced(conn: &mut Connection, text: &str) -> Result<import::ImportSummary, Error> {
    import_in(conn, text, &import::ImportMode::Enforce)
}

fn import_in(
    conn: &mut Connection,
    text: &str,
    mode: &import::ImportMode,
) -> Result<import::ImportSummary, Error> {
    import_file(conn, "customers.csv", text.as_bytes(), mode)
}

/// Imports the customers file `file` read from `reader`, committed when it is accepted.
fn import_file(
    conn: &mut Connection,
    file: &str,
    reader: impl std::io::Read,
    mode: &import::ImportMode,
) -> Result<import::ImportSummary, Error> {
    let tx = conn.transaction().unwrap();
    let s = import::import_customers_with(&tx, &ctx(), file, reader, mode, |_, _| {})?;
    tx.commit().unwrap();
    Ok(s)
}

/// Imports the invoice file `file` read from `reader`, committed when it is accepted.
fn invoices_in(
    conn: &mut Connection,
    file: &str,
    reader: impl std::io::Read,
) -> Result<import::ImportSummary, Error> {
    let tx = conn.transaction().unwrap();
    let s = import::import_invoices(&tx, &ctx(), file, reader, |_, _| {})?;
    tx.commit().unwrap();
    Ok(s)
}

/// Imports the payment file `file` read from `reader`, committed when it is accepted.
fn payments_in(
    conn: &mut Connection,
    file: &str,
    reader: impl std::io::Read,
) -> Result<import::ImportSummary, Error> {
    let tx = conn.transaction().unwrap();
    let s = import::import_payments(&tx, &ctx(), file, reader, |_, _| {})?;
    tx.commit().unwrap();
    Ok(s)
}

/// The customers file `text` (as an existing book) is refused with each of `says` in its
/// message, and the book is as it was.
#[track_caller]
fn assert_refused(conn: &mut Connection, text: &str, says: &[&str]) {
    let before = counts(conn);
    let e = import_text(conn, text).unwrap_err().to_string();
    for s in says {
        assert!(e.contains(s), "{s:?} not in {e}");
    }
    assert_eq!(counts(conn), before);
}

const GOOD_CSV: &str = "legal_name,tenant_id,country,currency,email,credit_limit,payment_instrument,card_present,status,language\n\
Contoso Ltd,11111111-1111-4111-8111-111111111111,TW,TWD,billing@contoso.com,\"150,000\",bank_transfer,no,active,zh-TW\n\
\"Fabrikam, Inc.\",22222222-2222-4222-8222-222222222222,US,USD,ap@fabrikam.com,2500.50,credit_card,yes,active,en\n\
新竹小吃店,,TW,TWD,,0,prepaid_card,no,prospect,zh-TW\n";

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let (_db, mut conn) = new_db();
    let s = import_text(&mut conn, GOOD_CSV).unwrap();
    assert_eq!((s.rows, s.created, s.updated, s.unchanged), (3, 3, 0, 0));
    let after_first = counts(&conn);
    let s = import_text(&mut conn, GOOD_CSV).unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 0, 3));
    assert_eq!(counts(&conn), after_first);
    let fab = customer::find_by_tenant(&conn, T2).unwrap().unwrap();
    assert_eq!(fab.fields.credit_limit.minor, 250_050);
    assert!(fab.fields.card_present);
}

#[test]
fn a_bad_row_is_reported_with_line_and_field_and_nothing_is_written() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "Existing", "");
    let before = counts(&conn);
    let bad = format!("{GOOD_CSV}Bad Co,not-a-guid,TW,TWD,nobody@,1,bank_transfer,no,active,en\n");
    match import_text(&mut conn, &bad) {
        Err(Error::Import { file, problems }) => {
            assert_eq!(file, "customers.csv");
            let found: Vec<(u64, &str)> = problems
                .iter()
                .map(|p| (p.line, p.field.as_str()))
                .collect();
            assert!(found.contains(&(5, "tenant_id")), "{found:?}");
            assert!(found.contains(&(5, "email")), "{found:?}");
        }
        other => panic!("expected an import error, got {other:?}"),
    }
    assert_eq!(counts(&conn), before);

    let dup = format!("{GOOD_CSV}Contoso Again,11111111-1111-4111-8111-111111111111,TW,TWD,,0,bank_transfer,no,active,en\n");
    match import_text(&mut conn, &dup) {
        Err(Error::Import { problems, .. }) => {
            assert_eq!(
                (problems[0].line, problems[0].field.as_str()),
                (5, "tenant_id")
            );
            assert!(problems[0].message.contains("line 2"));
        }
        other => panic!("expected a duplicate error, got {other:?}"),
    }
    match import_text(&mut conn, "name,country\nX,TW\n") {
        Err(Error::Import { problems, .. }) => {
            assert!(problems.iter().any(|p| p.line == 1 && p.field == "name"));
            assert!(problems.iter().any(|p| p.field == "legal_name"));
        }
        other => panic!("expected a header error, got {other:?}"),
    }
    assert_eq!(counts(&conn), before);
}

#[test]
fn an_export_imports_back_unchanged() {
    let (_db, mut conn) = new_db();
    let tx = conn.transaction().unwrap();
    demo::load(&tx, &ctx(), today()).unwrap();
    tx.commit().unwrap();
    let mut out = Vec::new();
    let n = import::export_customers(&conn, &mut out).unwrap();
    assert_eq!(n as i64, customer::count(&conn).unwrap());
    let before = counts(&conn);
    let s = import_text(&mut conn, std::str::from_utf8(&out).unwrap()).unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 0, n));
    assert_eq!(counts(&conn), before);
}

#[test]
fn the_demo_company_has_varied_customers_and_an_intact_audit_trail() {
    let (_db, mut conn) = new_db();
    let tx = conn.transaction().unwrap();
    let n = demo::load(&tx, &ctx(), today()).unwrap();
    tx.commit().unwrap();
    assert!((35..=45).contains(&n));
    let all = customer::all(&conn).unwrap();
    let countries: std::collections::HashSet<&str> =
        all.iter().map(|c| c.fields.country.as_str()).collect();
    assert!(countries.contains("TW") && countries.contains("US") && countries.len() >= 6);
    for s in Status::ALL {
        assert!(all.iter().any(|c| c.fields.status == *s), "no {s} customer");
    }
    let instruments: std::collections::HashSet<_> =
        all.iter().map(|c| c.fields.payment_instrument).collect();
    assert_eq!(instruments.len(), 6);
    assert!(audit::verify(&conn).unwrap().is_intact());
    // A second demo into the same database is refused.
    let tx = conn.transaction().unwrap();
    assert!(demo::load(&tx, &ctx(), today()).is_err());
}

fn copy_path(p: &Path, name: &str) -> PathBuf {
    p.parent().unwrap().join(name)
}

#[test]
fn a_backup_restores_after_checking_its_key() {
    let (db, mut conn) = new_db();
    add(&mut conn, "Before Backup", T1);
    let backup = copy_path(&db.path, "backup.db");
    store::backup(&conn, &db.key, &backup).unwrap();
    assert!(
        store::backup(&conn, &db.key, &backup).is_err(),
        "never overwrites"
    );
    add(&mut conn, "After Backup", T2);
    drop(conn);

    // The wrong key: refused, nothing replaced.
    let wrong = DbKey::generate().unwrap();
    assert!(matches!(
        store::restore(&backup, &wrong, &db.path),
        Err(Error::WrongKey)
    ));
    assert_eq!(
        customer::count(&store::open(&db.path, &db.key).unwrap()).unwrap(),
        2
    );

    store::restore(&backup, &db.key, &db.path).unwrap();
    let conn = store::open(&db.path, &db.key).unwrap();
    let names: Vec<String> = customer::all(&conn)
        .unwrap()
        .into_iter()
        .map(|c| c.fields.legal_name)
        .collect();
    assert_eq!(names, ["Before Backup"]);
    assert!(audit::verify(&conn).unwrap().is_intact());
}

/// Issue 6, observation 9: committed data still in the WAL survives a failed restore, and a
/// successful restore keeps the database it replaced (WAL included) beside it.
#[test]
fn a_restore_never_loses_what_the_live_database_committed() {
    let (db, mut conn) = new_db();
    add(&mut conn, "In The Backup", T1);
    let backup = copy_path(&db.path, "backup.db");
    store::backup(&conn, &db.key, &backup).unwrap();
    let damaged = copy_path(&db.path, "damaged.db");
    let mut bytes = std::fs::read(&backup).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0xff;
    }
    std::fs::write(&damaged, bytes).unwrap();
    // Committed, but only in the WAL: the process "crashes" before any checkpoint.
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    add(&mut conn, "Only In The WAL", T2);
    std::mem::forget(conn);
    let wal = copy_path(&db.path, "riskdesk.db-wal");
    assert!(
        std::fs::metadata(&wal)
            .map(|m| m.len() > 0)
            .unwrap_or(false),
        "the WAL holds the commit"
    );

    assert!(store::restore(&damaged, &db.key, &db.path).is_err());
    let live = store::open(&db.path, &db.key).unwrap();
    assert_eq!(
        customer::count(&live).unwrap(),
        2,
        "a failed restore keeps everything"
    );
    live.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    std::mem::forget(live);

    let previous = store::restore(&backup, &db.key, &db.path).unwrap().unwrap();
    assert!(previous.to_string_lossy().ends_with(".before-restore"));
    let restored = store::open(&db.path, &db.key).unwrap();
    assert_eq!(customer::count(&restored).unwrap(), 1);
    let kept = store::open(&previous, &db.key).unwrap();
    assert_eq!(
        customer::count(&kept).unwrap(),
        2,
        "the replaced database, WAL included"
    );
    // A second restore keeps the first copy and adds another.
    drop(kept);
    let again = store::restore(&backup, &db.key, &db.path).unwrap().unwrap();
    assert!(again.to_string_lossy().ends_with(".before-restore.2"));
    assert!(previous.exists());
}

/// One customer, one record: a row matches by tenant id when it has one, otherwise by
/// legal name whether or not the stored customer has a tenant id; never a second
/// customer of the same name. Every combination of the column (present or not), the cell
/// (empty or not) and the stored tenant id (or none).
#[test]
fn a_customer_row_matches_its_one_record_in_every_combination() {
    for stored_tenant in [true, false] {
        for (header, row) in [
            (
                "legal_name,country,currency,phone",
                "Only Once Ltd,TW,TWD,+886 2 1234 5678",
            ),
            (
                "legal_name,tenant_id,country,currency,phone",
                "Only Once Ltd,,TW,TWD,+886 2 1234 5678",
            ),
            (
                "legal_name,tenant_id,country,currency,phone",
                &format!("Only Once Ltd,{T1},TW,TWD,+886 2 1234 5678"),
            ),
        ] {
            let row_has_tenant = row.contains(T1);
            if row_has_tenant && !stored_tenant {
                // A tenant id the book does not have yet is a new customer only if no one
                // of the name exists to take it; covered below.
                continue;
            }
            let (_db, mut conn) = new_db();
            let c = add(
                &mut conn,
                "Only Once Ltd",
                if stored_tenant { T1 } else { "" },
            );
            let s = import_text(&mut conn, &format!("{header}\n{row}\n")).unwrap();
            let what = format!("stored tenant {stored_tenant}, {header} / {row}");
            assert_eq!((s.created, s.updated), (0, 1), "{what}");
            assert_eq!(customer::count(&conn).unwrap(), 1, "{what}");
            let after = customer::get(&conn, c.id).unwrap();
            assert_eq!(after.fields.phone, "+886 2 1234 5678", "{what}");
            // The stored tenant id is kept whatever the row's cell says.
            assert_eq!(after.fields.tenant_id.is_some(), stored_tenant, "{what}");
        }
    }
    // Two customers of one name: the row must say which.
    let (_db, mut conn) = new_db();
    add(&mut conn, "Twin Names Ltd", T1);
    add(&mut conn, "Twin Names Ltd", T2);
    assert_refused(
        &mut conn,
        "legal_name,country,currency\nTwin Names Ltd,TW,TWD\n",
        &["2 customers are named", "customers.csv:2"],
    );
    // With the tenant id, it is clear.
    let s = import_text(
        &mut conn,
        &format!("legal_name,tenant_id,country,currency\nTwin Names Ltd,{T2},TW,TWD\n"),
    )
    .unwrap();
    assert_eq!(s.created + s.updated + s.unchanged, 1);
    assert_eq!(customer::count(&conn).unwrap(), 2);
}

/// Two stored customers' names written another way, and a third name of another legal form.
const OTHER_SPELLINGS: &str = "legal_name,country,currency,phone\n\
    ACME  TRADING LTD,TW,TWD,+886 2 1234 5678\n\
    台北雲端科技股份有限公司,TW,TWD,+886 2 8765 4321\n\
    Acme Trading Inc,TW,TWD,\n";

/// A name written another way is the same customer: capitals, full-width letters, extra
/// spaces and punctuation match the stored record (its spelling becomes the file's), another
/// legal form does not; two rows of one name in a file are refused, and two stored customers
/// of one name make the row say which. Invoices and payments name customers the same way.
#[test]
fn a_legal_name_written_another_way_is_the_same_customer() {
    let (_db, mut conn) = new_db();
    let acme = add(&mut conn, "Acme Trading Ltd.", "");
    let taipei = add(&mut conn, "臺北雲端科技股份有限公司", "");
    let s = import_text(&mut conn, OTHER_SPELLINGS).unwrap();
    assert_eq!((s.created, s.updated), (1, 2), "{s:?}");
    let after = customer::get(&conn, acme.id).unwrap();
    assert_eq!(after.fields.phone, "+886 2 1234 5678");
    assert_eq!(
        after.fields.legal_name, "ACME  TRADING LTD",
        "the file's spelling"
    );
    let after = customer::get(&conn, taipei.id).unwrap();
    assert_eq!(after.fields.phone, "+886 2 8765 4321");
    assert_eq!(customer::count(&conn).unwrap(), 3);
    // The same file again: nothing changes.
    let before = counts(&conn);
    let s = import_text(&mut conn, OTHER_SPELLINGS).unwrap();
    assert_eq!(s.unchanged, 3, "{s:?}");
    assert_eq!(counts(&conn), before);

    // One name twice in a file, written two ways: refused on the second line.
    assert_refused(
        &mut conn,
        "legal_name,country,currency\nNew Harbour Ltd,TW,TWD\n\"NEW HARBOUR, LTD.\",TW,TWD\n",
        &["customers.csv:3", "already on line 2"],
    );

    // Invoices name the customer any way too; a name two customers share names no one.
    let invoices = "number,customer,issued_on,currency,description,unit_price\n\
                    A-1, acme trading ltd ,2026-10-01,TWD,Azure plan,100\n";
    invoices_in(&mut conn, "invoices.csv", invoices.as_bytes()).unwrap();
    let billed: i64 = scalar(
        &conn,
        "SELECT customer_id FROM invoices WHERE number = 'A-1'",
    );
    assert_eq!(billed, acme.id.0);
    add(&mut conn, "Acme Trading, Ltd", "");
    let before = counts(&conn);
    let again = "number,customer,issued_on,currency,description,unit_price\n\
                 A-2,Acme Trading Ltd,2026-10-01,TWD,Azure plan,100\n";
    let e = invoices_in(&mut conn, "invoices.csv", again.as_bytes()).unwrap_err();
    assert!(
        e.to_string().contains("invoices.csv:2 field customer"),
        "{e}"
    );
    assert_eq!(counts(&conn), before);
    assert_refused(
        &mut conn,
        "legal_name,country,currency\nacme trading ltd,TW,TWD\n",
        &["2 customers are named"],
    );
}

/// A ledger file Excel in Taiwan saved as "CSV" (Big5) reads as a UTF-8 one does: the
/// Chinese names and text come in whole and its invoices find their customer; a byte that is
/// neither UTF-8 nor Big5 is refused on its line, nothing written.
#[test]
fn ledger_files_saved_in_big5_are_read_whole() {
    let (_db, mut conn) = new_db();
    let big5 = |text: &str| {
        let (bytes, _, unmappable) = encoding_rs::BIG5.encode(text);
        assert!(!unmappable, "{text}");
        bytes.into_owned()
    };
    let customers = big5(
        "legal_name,country,currency,address\n台北雲端科技股份有限公司,TW,TWD,台北市信義區松仁路100號\n",
    );
    let invoices = big5(
        "number,customer,issued_on,currency,description,unit_price\n\
         B-1,台北雲端科技股份有限公司,2026-10-01,TWD,雲端服務月費,1200\n",
    );
    let existing = import::ImportMode::ExistingBook("moving from spreadsheets".into());
    let tx = conn.transaction().unwrap();
    let s = import::import_customers_with(
        &tx,
        &ctx(),
        "客戶.csv",
        customers.as_slice(),
        &existing,
        |_, _| {},
    )
    .unwrap();
    assert_eq!(s.created, 1);
    import::import_invoices(&tx, &ctx(), "發票.csv", invoices.as_slice(), |_, _| {}).unwrap();
    tx.commit().unwrap();
    let name: String = scalar(&conn, "SELECT legal_name FROM customers");
    assert_eq!(name, "台北雲端科技股份有限公司");
    let address: String = scalar(&conn, "SELECT address FROM customers");
    assert_eq!(address, "台北市信義區松仁路100號");
    let line: String = scalar(&conn, "SELECT description FROM invoice_lines");
    assert_eq!(line, "雲端服務月費");

    let mut broken = big5("legal_name,country,currency\n甲公司,TW,TWD\n");
    broken.extend_from_slice(b"\xFF\xFE Ltd,TW,TWD\n");
    let before = counts(&conn);
    let e = import_file(&mut conn, "broken.csv", broken.as_slice(), &existing).unwrap_err();
    assert!(e.to_string().contains("broken.csv:3 field file"), "{e}");
    assert!(e.to_string().contains("neither UTF-8 nor Big5"), "{e}");
    assert_eq!(counts(&conn), before);
}

/// A file that never ends (the wrong file chosen, a device) is refused once it passes the
/// largest ledger file, not read until the memory runs out; nothing is written.
#[test]
fn an_endless_ledger_file_is_refused_at_its_limit() {
    let (_db, mut conn) = new_db();
    let before = counts(&conn);
    let endless =
        || std::io::Read::chain(&b"legal_name,country,currency\n"[..], std::io::repeat(b'x'));
    let e = import_file(&mut conn, "zero", endless(), &import::ImportMode::Enforce).unwrap_err();
    let limit = "zero:1 field file: larger than 256 MiB, too large for a file of this kind";
    assert!(e.to_string().contains(limit), "{e}");
    let e = payments_in(&mut conn, "zero", endless()).unwrap_err();
    assert!(e.to_string().contains(limit), "{e}");
    assert_eq!(counts(&conn), before);
}

/// Excel on Windows ends lines with CRLF: every problem still names the line it is on, as
/// with LF (the csv reader's own count is one short after a CRLF), for customers, invoices
/// and payments, a bad cell and a broken row alike.
#[test]
fn problems_name_their_line_whatever_ends_the_lines() {
    for eol in ["\n", "\r\n"] {
        let (_db, mut conn) = new_db();
        let file = |lines: &[&str]| lines.join(eol) + eol;
        let customers = file(&[
            "legal_name,country,currency",
            "Good Ltd,TW,TWD",
            "Bad Ltd,TW,XXX",
        ]);
        assert_refused(&mut conn, &customers, &["customers.csv:3 field currency"]);
        let short = file(&["legal_name,country,currency", "A Ltd,TW,TWD", "B Ltd,TW"]);
        assert_refused(&mut conn, &short, &["customers.csv:3 field row"]);
        import_text(
            &mut conn,
            &file(&["legal_name,country,currency", "Good Ltd,TW,TWD"]),
        )
        .unwrap();
        let invoices = file(&[
            "number,customer,issued_on,currency,description,unit_price",
            "A-1,Good Ltd,2026-10-01,TWD,Azure plan,100",
            "A-2,Good Ltd,2026-10-01,TWD,Azure plan,100",
            "A-3,Good Ltd,2026-10-01,TWD,Azure plan,abc",
        ]);
        let e = invoices_in(&mut conn, "i.csv", invoices.as_bytes()).unwrap_err();
        assert!(
            e.to_string().contains("i.csv:4 field unit_price"),
            "{eol:?}: {e}"
        );
        let payments = file(&[
            "reference,customer,received_on,amount,currency",
            "P-1,Good Ltd,2026-10-05,100,TWD",
            "P-2,Good Ltd,2026-13-05,100,TWD",
        ]);
        let e = payments_in(&mut conn, "p.csv", payments.as_bytes()).unwrap_err();
        assert!(
            e.to_string().contains("p.csv:3 field received_on"),
            "{eol:?}: {e}"
        );
    }
}

/// A country must be a code in use: UK is refused with what to write (GB), a made-up code
/// with the rule, in the form and in a file alike; the high-risk list takes codes only.
#[test]
fn a_country_is_a_code_in_use() {
    let (_db, mut conn) = new_db();
    assert_refused(
        &mut conn,
        "legal_name,country,currency\nLondon Ltd,UK,GBP\n",
        &["customers.csv:2 field country: UK is not an ISO 3166 code: write GB"],
    );
    assert_refused(
        &mut conn,
        "legal_name,country,currency\nNowhere Ltd,XX,TWD\n",
        &["customers.csv:2 field country: use the two-letter ISO 3166 code"],
    );
    let s = import_text(
        &mut conn,
        "legal_name,country,currency\nLondon Ltd,gb,GBP\nPristina LLC,XK,EUR\n",
    )
    .unwrap();
    assert_eq!(s.created, 2);
    let tx = conn.transaction().unwrap();
    let typed = customer_input("Typed Ltd", "TWD", "TA");
    let e = customer::create(&tx, &ctx(), &typed).unwrap_err();
    assert!(e.to_string().contains("ISO 3166"), "{e}");
    let high = |v: &str| {
        riskdesk_core::risk::settings::save(
            &tx,
            &ctx(),
            &[("risk.high_risk_countries".into(), v.into())],
        )
    };
    let e = high("KP, IR, UK").unwrap_err();
    assert!(
        e.to_string().contains("UK is not a country or region code"),
        "{e}"
    );
    high("KP, IR").unwrap();
}

/// Excel in Taiwan saves dates as `yyyy/M/d` and a currency cell as it shows it (`NT$100.00`):
/// an invoice file so saved is read as the plain one is (importing either after the other
/// changes nothing), while a day-first date and another currency's amount are refused on
/// their line.
#[test]
fn a_file_as_excel_saves_it_is_read_as_the_plain_one() {
    let (_db, mut conn) = new_db();
    import_text(&mut conn, "legal_name,country,currency\nGood Ltd,TW,TWD\n").unwrap();
    let invoices = |issued: &str, due: &str, price: &str| {
        format!(
            "number,customer,issued_on,due_on,currency,description,unit_price\n\
             A-1,Good Ltd,{issued},{due},TWD,Azure plan,\"{price}\"\n"
        )
    };
    let import = |conn: &mut Connection, text: &str| invoices_in(conn, "i.csv", text.as_bytes());
    let s = import(
        &mut conn,
        &invoices("2026/10/1", "2026/10/31 00:00", "NT$1,200.00"),
    )
    .unwrap();
    assert_eq!(s.created, 1, "{s:?}");
    let due: String = scalar(&conn, "SELECT due_on FROM invoices");
    assert_eq!(due, "2026-10-31");
    let total: i64 = scalar(&conn, "SELECT total_minor FROM invoices");
    assert_eq!(total, 120_000);
    let before = counts(&conn);
    let s = import(&mut conn, &invoices("2026-10-01", "2026-10-31", "1200")).unwrap();
    assert_eq!(s.unchanged, 1, "{s:?}");
    assert_eq!(counts(&conn), before);
    let e = import(&mut conn, &invoices("01/10/2026", "2026-10-31", "1200")).unwrap_err();
    assert!(e.to_string().contains("i.csv:2 field issued_on"), "{e}");
    let e = import(
        &mut conn,
        &invoices("2026-10-01", "2026-10-31", "1,200 USD"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("i.csv:2 field unit_price"), "{e}");
    assert_eq!(counts(&conn), before);
}

/// Excel where the list separator is `;` (much of Europe) saves "CSV" with semicolons: the
/// file is read by its header's separator, a comma inside a cell is text, and amounts keep
/// the decimal point the layout asks for.
#[test]
fn a_semicolon_separated_ledger_file_is_read_by_its_header() {
    let (_db, mut conn) = new_db();
    let s = import_text(
        &mut conn,
        "legal_name;country;currency;address;credit_limit\n\
         Müller & Söhne GmbH;DE;EUR;Hauptstraße 1, Berlin;1500.50\n",
    )
    .unwrap();
    assert_eq!(s.created, 1);
    let (address, limit): (String, i64) = conn
        .query_row(
            "SELECT address, credit_limit_minor FROM customers",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (address.as_str(), limit),
        ("Hauptstraße 1, Berlin", 150_050)
    );
    let invoices = "number;customer;issued_on;currency;description;unit_price\n\
                    M-1;Müller & Söhne GmbH;2026-10-01;EUR;Azure plan;1234,56\n";
    let e = invoices_in(&mut conn, "m.csv", invoices.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("m.csv:2 field unit_price"), "{e}");
    assert!(e.to_string().contains("use a point for decimals"), "{e}");
}

/// The onboarding rules hold on the CSV path too: an active customer without its checks, a
/// prepaid card or full admin access is refused on its line, nothing written; brought in as
/// an existing book, each exception is recorded in the audit trail with who and why.
#[test]
fn a_customer_import_enforces_the_onboarding_rules_unless_it_brings_an_existing_book() {
    let (_db, mut conn) = new_db();
    let before = counts(&conn);
    for (row, field) in [
        ("Active Now Ltd,TW,TWD,active,bank_transfer,none", "status"),
        (
            "Prepaid Ltd,TW,TWD,prospect,prepaid_card,none",
            "payment_instrument",
        ),
        (
            "Admin Ltd,TW,TWD,prospect,bank_transfer,full",
            "admin_access",
        ),
    ] {
        let text =
            format!("legal_name,country,currency,status,payment_instrument,admin_access\n{row}\n");
        let e = import_enforced(&mut conn, &text).unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.contains(&format!("customers.csv:2 field {field}")),
            "{row}: {shown}"
        );
        assert!(shown.contains("existing book"), "{row}: {shown}");
        assert_eq!(counts(&conn), before, "{row}");
    }
    // A prospect paying by transfer passes as it is.
    let s = import_enforced(
        &mut conn,
        "legal_name,country,currency\nCareful Ltd,TW,TWD\n",
    )
    .unwrap();
    assert_eq!(s.created, 1);
    // The existing book: all three in, three exceptions recorded with the reason; again, nothing.
    let book = "legal_name,country,currency,status,payment_instrument,admin_access\n\
                Active Now Ltd,TW,TWD,active,bank_transfer,none\n\
                Prepaid Ltd,TW,TWD,active,prepaid_card,none\n";
    let mode = import::ImportMode::ExistingBook("moving our 2019 book from Excel".into());
    let s = import_in(&mut conn, book, &mode).unwrap();
    assert_eq!((s.created, s.exceptions), (2, 3));
    let reasons: Vec<String> = conn
        .prepare("SELECT after FROM audit WHERE action = 'onboarding_override' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(reasons.len(), 3);
    assert!(
        reasons
            .iter()
            .all(|r| r.contains("moving our 2019 book from Excel")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("prepaid_card")));
    let again = import_in(&mut conn, book, &mode).unwrap();
    assert_eq!((again.unchanged, again.exceptions), (2, 0));
    // An existing book needs its reason.
    assert!(import_in(
        &mut conn,
        book,
        &import::ImportMode::ExistingBook("  ".into())
    )
    .is_err());
}

/// A book made by each released schema opens and is brought up to date (the classification
/// of stored usage included); released migrations are never edited, so this keeps holding.
#[test]
fn a_book_of_every_released_schema_opens_and_upgrades() {
    for version in 1..=store::schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("v{version}.db"));
        let key = DbKey::generate().unwrap();
        drop(store::create_at_version(&path, &key, version).unwrap());
        let conn = store::open(&path, &key).unwrap_or_else(|e| panic!("schema {version}: {e}"));
        let now: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(now, store::schema_version(), "schema {version}");
    }
}
