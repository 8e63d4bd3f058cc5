//! What the store and import tests share: a new encrypted book, a customer, and files
//! imported into it the way the window and the command line do.

#![allow(dead_code)] // each test crate uses its own share

use std::path::PathBuf;

use chrono::{NaiveDate, TimeZone, Utc};
use riskdesk_core::customer::{self, CustomerInput};
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::test_support::customer_input;
use riskdesk_core::{audit, import, Ctx, Error};
use rusqlite::Connection;

pub fn ctx() -> Ctx {
    Ctx::new(
        "tester",
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap(),
    )
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

pub struct Db {
    pub _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub key: DbKey,
}

pub fn new_db() -> (Db, Connection) {
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

pub fn input(name: &str, tenant: &str) -> CustomerInput {
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

pub fn add(conn: &mut Connection, name: &str, tenant: &str) -> customer::Customer {
    let tx = conn.transaction().unwrap();
    let c = customer::create(&tx, &ctx(), &input(name, tenant)).unwrap();
    tx.commit().unwrap();
    c
}

pub const T1: &str = "11111111-1111-4111-8111-111111111111";
pub const T2: &str = "22222222-2222-4222-8222-222222222222";

pub fn counts(conn: &Connection) -> (i64, i64) {
    (customer::count(conn).unwrap(), audit::count(conn).unwrap())
}

/// Imports as an existing book (the samples have active customers without recorded checks
/// and a prepaid card); `import_enforced` holds the onboarding rules.
pub fn import_text(conn: &mut Connection, text: &str) -> Result<import::ImportSummary, Error> {
    import_in(
        conn,
        text,
        &import::ImportMode::ExistingBook("moving from spreadsheets".into()),
    )
}

pub fn import_enforced(conn: &mut Connection, text: &str) -> Result<import::ImportSummary, Error> {
    import_in(conn, text, &import::ImportMode::Enforce)
}

pub fn import_in(
    conn: &mut Connection,
    text: &str,
    mode: &import::ImportMode,
) -> Result<import::ImportSummary, Error> {
    import_file(conn, "customers.csv", text.as_bytes(), mode)
}

/// `work` in a transaction of its own, committed when it succeeds.
pub fn committed<T>(
    conn: &mut Connection,
    work: impl FnOnce(&rusqlite::Transaction) -> Result<T, Error>,
) -> Result<T, Error> {
    let tx = conn.transaction().unwrap();
    let out = work(&tx)?;
    tx.commit().unwrap();
    Ok(out)
}

/// Imports the customers file `file` read from `reader`, committed when it is accepted.
pub fn import_file(
    conn: &mut Connection,
    file: &str,
    reader: impl std::io::Read,
    mode: &import::ImportMode,
) -> Result<import::ImportSummary, Error> {
    committed(conn, |tx| {
        import::import_customers_with(tx, &ctx(), file, reader, mode, |_, _| {})
    })
}

/// Imports the invoice file `file` read from `reader`, committed when it is accepted.
pub fn invoices_in(
    conn: &mut Connection,
    file: &str,
    reader: impl std::io::Read,
) -> Result<import::ImportSummary, Error> {
    committed(conn, |tx| {
        import::import_invoices(tx, &ctx(), file, reader, |_, _| {})
    })
}

/// Imports the payment file `file` read from `reader`, committed when it is accepted.
pub fn payments_in(
    conn: &mut Connection,
    file: &str,
    reader: impl std::io::Read,
) -> Result<import::ImportSummary, Error> {
    committed(conn, |tx| {
        import::import_payments(tx, &ctx(), file, reader, |_, _| {})
    })
}

/// The customers file `text` (as an existing book) is refused with each of `says` in its
/// message, and the book is as it was.
#[track_caller]
pub fn assert_refused(conn: &mut Connection, text: &str, says: &[&str]) {
    let before = counts(conn);
    let e = import_text(conn, text).unwrap_err().to_string();
    for s in says {
        assert!(e.contains(s), "{s:?} not in {e}");
    }
    assert_eq!(counts(conn), before);
}
