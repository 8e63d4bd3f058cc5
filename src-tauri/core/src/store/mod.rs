//! Opening, creating, migrating, backing up and restoring the encrypted database.

pub mod backups;
mod in_use;
mod key;
pub mod settings;
pub mod written;

pub use key::DbKey;

use std::path::{Path, PathBuf};

use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::{Error, Result};

/// A value read back from the database that the schema should have prevented.
pub(crate) fn bad_column(idx: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        format!("unexpected {what} in the database").into(),
    )
}

/// A text column read into a type by its `parse`; a spelling it does not take is an error
/// naming the type and the text (`FromSql` for the stored enums and currencies).
pub(crate) fn text_column<T>(
    v: rusqlite::types::ValueRef<'_>,
    what: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::types::FromSqlResult<T> {
    let text = v.as_str()?;
    parse(text).ok_or_else(|| {
        rusqlite::types::FromSqlError::Other(
            format!("unexpected {what} {text:?} in the database").into(),
        )
    })
}

/// A `YYYY-MM-DD` column (read by hand: it is on every row of every report).
pub(crate) fn parse_day(text: &str) -> rusqlite::Result<chrono::NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r.clone())?.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let parsed = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| Some((digits(0..4)?, digits(5..7)?, digits(8..10)?)))
        .flatten()
        .and_then(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y as i32, m, d));
    parsed.ok_or_else(|| bad_column(0, &format!("date {text:?}")))
}

/// Every row a query returns, each read by `map`, gathered into any collection (a `Vec`, a
/// set, a map of pairs). The statement is cached on the connection: the queries are fixed text.
pub fn rows<T, C: FromIterator<T>>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<C> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map(params, map)?
        .collect::<rusqlite::Result<C>>()?;
    Ok(rows)
}

/// An ISO 4217 currency column.
pub(crate) fn currency_of(text: &str) -> rusqlite::Result<crate::money::Currency> {
    crate::money::Currency::parse(text).ok_or_else(|| bad_column(0, &format!("currency {text:?}")))
}

/// Versioned migrations, applied in order; `PRAGMA user_version` is their count.
/// Shipped entries are never edited; new schema goes into a new entry.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_customers.sql"),
    include_str!("migrations/0002_settings_and_list_indexes.sql"),
    include_str!("migrations/0003_receivables_and_collections.sql"),
    include_str!("migrations/0004_defensible_collections.sql"),
    include_str!("migrations/0005_usage.sql"),
    include_str!("migrations/0006_notices.sql"),
    include_str!("migrations/0007_risk.sql"),
    include_str!("migrations/0008_terms_and_actions.sql"),
    include_str!("migrations/0009_admin_relationships.sql"),
    include_str!("migrations/0010_usage_currency_and_shape.sql"),
    include_str!("migrations/0011_documents_written.sql"),
    include_str!("migrations/0012_usage_spill_by_text.sql"),
    include_str!("migrations/0013_bank_statements.sql"),
    include_str!("migrations/0014_payment_plans.sql"),
    include_str!("migrations/0015_mail.sql"),
    include_str!("migrations/0016_mail_sent.sql"),
    include_str!("migrations/0017_microsoft_credit.sql"),
    include_str!("migrations/0018_usage_spill_runs.sql"),
    include_str!("migrations/0019_usage_spill_elsewhere.sql"),
    include_str!("migrations/0020_payment_returns.sql"),
    include_str!("migrations/0021_reference_keys.sql"),
    include_str!("migrations/0022_credit_note_invoice.sql"),
    include_str!("migrations/0023_account_totals.sql"),
    include_str!("migrations/0024_usage_purchases.sql"),
    include_str!("migrations/0025_charge_corrections.sql"),
    include_str!("migrations/0026_dunning_minimums.sql"),
    include_str!("migrations/0027_steps_by_run.sql"),
    include_str!("migrations/0028_open_invoices_index.sql"),
    include_str!("migrations/0029_customer_indexes.sql"),
    include_str!("migrations/0030_usage_credited.sql"),
    include_str!("migrations/0031_audit_by_action.sql"),
];

/// The schema version this build writes.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

fn apply_key(conn: &Connection, key: &DbKey) -> Result<()> {
    // A raw 256-bit key (no passphrase derivation). PRAGMA key takes no bound
    // parameters; the text is hex digits we produced ourselves.
    // SQLCipher would otherwise print decryption failures (a wrong key) to stderr. Its
    // first activation (at the first key) raises an unset level to WARN, and NONE reads as
    // unset: so the level is set again once the key is applied.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex()))?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    Ok(())
}

fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::NotADatabase)
}

/// Opens an existing file with `key`, without changing it. Fails with
/// [`Error::WrongKey`] when the key does not fit and [`Error::TooNew`] when the file was
/// written by a newer RiskDesk.
fn open_raw(path: &Path, key: &DbKey, flags: OpenFlags) -> Result<(Connection, i64)> {
    let conn = Connection::open_with_flags(path, flags)?;
    apply_key(&conn, key)?;
    let version: i64 = match conn.query_row("PRAGMA user_version", [], |r| r.get(0)) {
        Ok(v) => v,
        Err(e) if is_not_a_database(&e) => return Err(Error::WrongKey),
        Err(e) => return Err(e.into()),
    };
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        return Err(if is_not_a_database(&e) {
            Error::WrongKey
        } else {
            e.into()
        });
    }
    if version > schema_version() {
        return Err(Error::TooNew {
            found: version,
            supported: schema_version(),
        });
    }
    Ok((conn, version))
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -65536;",
    )?;
    // `compared(text)`: text in the form a search compares it in (half-width, lower case,
    // Chinese in one script), so `速云` finds `速雲科技` and `ＡＣＭＥ` finds `Acme`.
    conn.create_scalar_function(
        "compared",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text: Option<String> = ctx.get(0)?;
            Ok(text.map(|t| compared(&t)))
        },
    )?;
    Ok(())
}

/// `text` as a search compares it: half-width, lower case, Chinese in one script.
pub fn compared(text: &str) -> String {
    crate::identity::fold(&crate::identity::half_width(text).to_lowercase())
}

/// Applies the migrations after `from` up to `to` in one transaction.
fn migrate(conn: &mut Connection, from: i64, to: i64) -> Result<()> {
    if from >= to {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(to as usize)
        .skip(from as usize)
    {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    if to >= 21 {
        fill_reference_keys(&tx)?;
    }
    if to >= 10 {
        // Stored meters and days follow the current classification rules (derived columns).
        crate::usage::reclassify(&tx)?;
    }
    tx.commit()?;
    Ok(())
}

/// Gives the invoices and payments written before their keys existed their keys
/// ([`crate::identity::reference_key`]); rows written since carry them already.
fn fill_reference_keys(tx: &rusqlite::Transaction) -> Result<()> {
    for (table, text, key) in [
        ("invoices", "number", "number_key"),
        ("payments", "reference", "reference_key"),
    ] {
        let rows: Vec<(i64, String)> = rows(
            tx,
            &format!("SELECT id, {text} FROM {table} WHERE {key} IS NULL"),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut update = tx.prepare(&format!("UPDATE {table} SET {key} = ?1 WHERE id = ?2"))?;
        for (id, written) in rows {
            update.execute(rusqlite::params![
                crate::identity::reference_key(&written),
                id
            ])?;
        }
    }
    Ok(())
}

/// Opens an existing database and brings its schema up to date.
pub fn open(path: &Path, key: &DbKey) -> Result<Connection> {
    if !path.exists() {
        return Err(Error::NotFound(format!("database {}", path.display())));
    }
    let (mut conn, version) = open_raw(path, key, OpenFlags::default())?;
    configure(&conn)?;
    migrate(&mut conn, version, schema_version())?;
    // Stored meters and days follow the current classification rules (a no-op read when
    // they already do), also when the rules changed without a new schema.
    let tx = conn.transaction()?;
    crate::usage::reclassify(&tx)?;
    tx.commit()?;
    Ok(conn)
}

/// A second connection to a database [`open`] has brought up to date, for reading only
/// (`PRAGMA query_only`: a write through it fails). In write-ahead-log mode it reads the
/// last committed state while another connection writes, so a read need not wait for a
/// write. Fails with [`Error::Conflict`] when the schema is not this build's.
pub fn open_reader(path: &Path, key: &DbKey) -> Result<Connection> {
    let conn = reopen(path, key)?;
    conn.execute_batch("PRAGMA query_only = ON;")?;
    Ok(conn)
}

/// A connection to a database [`open`] has brought up to date, opened again: for a
/// process that must take its file locks afresh (see `AppState::hold_locks_again` in the
/// window). Fails with [`Error::Conflict`] when the schema is not this build's.
pub fn reopen(path: &Path, key: &DbKey) -> Result<Connection> {
    if !path.exists() {
        return Err(Error::NotFound(format!("database {}", path.display())));
    }
    let (conn, version) = open_raw(path, key, OpenFlags::default())?;
    if version != schema_version() {
        return Err(Error::Conflict {
            field: "path".into(),
            message: format!(
                "the database's schema is version {version}, not {}: open it for writing first",
                schema_version()
            ),
        });
    }
    configure(&conn)?;
    Ok(conn)
}

/// Creates a new encrypted database at `path`; refuses to overwrite an existing file.
pub fn create(path: &Path, key: &DbKey) -> Result<Connection> {
    create_at_version(path, key, schema_version())
}

/// Creates a database with only the first `version` migrations: for upgrade tests.
pub fn create_at_version(path: &Path, key: &DbKey, version: i64) -> Result<Connection> {
    if path.exists() {
        return Err(Error::Conflict {
            field: "path".into(),
            message: format!("{} already exists", path.display()),
        });
    }
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    let mut conn = Connection::open(path)?;
    apply_key(&conn, key)?;
    configure(&conn)?;
    migrate(&mut conn, 0, version.min(schema_version()))?;
    Ok(conn)
}

/// Writes a consistent, still-encrypted copy of the open database to `dest` through
/// SQLite's online backup API.
pub fn backup(conn: &Connection, key: &DbKey, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(Error::Conflict {
            field: "file".into(),
            message: format!(
                "{} already exists; choose a new file name for the backup",
                dest.display()
            ),
        });
    }
    let mut out = Connection::open(dest)?;
    apply_key(&out, key)?;
    {
        let b = rusqlite::backup::Backup::new(conn, &mut out)?;
        b.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
    }
    // Make the copy self-contained (no -wal file beside it).
    out.execute_batch("PRAGMA journal_mode = DELETE;")?;
    drop(out);
    // Prove the copy opens before calling it done.
    open_raw(dest, key, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    Ok(())
}

/// Checks that `backup_file` opens with `key` and is a RiskDesk database this build can
/// read, copies it beside `target` and checks the copy, and only then swaps it in. The
/// database it replaces is kept beside it (with its WAL, so nothing committed is lost) as
/// `<target>.before-restore[.N]`, whose path is returned. When any step fails, the live
/// files are untouched (or put back) and still open as before.
pub fn restore(backup_file: &Path, key: &DbKey, target: &Path) -> Result<Option<PathBuf>> {
    check_backup(backup_file, key)?;
    let (src, _version) = open_raw(backup_file, key, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let staging = sibling(target, "restoring");
    let _ = std::fs::remove_file(&staging);
    let copied = (|| -> Result<()> {
        let mut out = Connection::open(&staging)?;
        apply_key(&out, key)?;
        {
            let b = rusqlite::backup::Backup::new(&src, &mut out)?;
            b.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
        }
        out.execute_batch("PRAGMA journal_mode = DELETE;")?;
        drop(out);
        // The copy itself must open and pass the check before anything live is touched.
        let (copy, _) = open_raw(&staging, key, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        check_restorable(&copy, &staging)?;
        Ok(())
    })();
    drop(src);
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&staging);
        return Err(e);
    }
    // A book another process has open (the window, while a command restores) would go on
    // writing to the file moved aside: refused while it is open.
    let in_use = in_use::open_elsewhere(target);
    if !matches!(in_use, Ok(false)) {
        let _ = std::fs::remove_file(&staging);
        return Err(in_use.err().unwrap_or_else(|| {
            Error::Validation(vec![crate::error::FieldError::new(
                "path",
                crate::error::Code::OpenElsewhere,
                format!(
                    "{} is open in RiskDesk's window or another command: close it, then restore (nothing was changed)",
                    target.display()
                ),
            )])
        }));
    }
    // Move the live database aside together with its -wal and -shm, so a WAL that still
    // holds committed transactions stays with its database.
    let previous = if target.exists() {
        let prev = free_sibling(target, "before-restore");
        let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let from = sibling_suffix(target, suffix);
            if !from.exists() {
                continue;
            }
            let to = sibling_suffix(&prev, suffix);
            if let Err(e) = std::fs::rename(&from, &to) {
                for (a, b) in moved.iter().rev() {
                    let _ = std::fs::rename(b, a);
                }
                let _ = std::fs::remove_file(&staging);
                return Err(e.into());
            }
            moved.push((from, to));
        }
        Some((prev, moved))
    } else {
        None
    };
    if let Err(e) = std::fs::rename(&staging, target) {
        if let Some((_, moved)) = &previous {
            for (a, b) in moved.iter().rev() {
                let _ = std::fs::rename(b, a);
            }
        }
        let _ = std::fs::remove_file(&staging);
        return Err(e.into());
    }
    Ok(previous.map(|(p, _)| p))
}

/// Checks that `backup_file` opens with `key` and is a RiskDesk database this build can
/// read (what [`restore`] checks first), touching nothing.
pub fn check_backup(backup_file: &Path, key: &DbKey) -> Result<()> {
    if !backup_file.exists() {
        return Err(Error::NotFound(format!("backup {}", backup_file.display())));
    }
    let (conn, _version) = open_raw(backup_file, key, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    check_restorable(&conn, backup_file)
}

fn check_restorable(conn: &Connection, file: &Path) -> Result<()> {
    let ok: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(Error::Invalid(format!(
            "{} is damaged ({ok}); nothing was restored",
            file.display()
        )));
    }
    let has_customers: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'customers'",
        [],
        |r| r.get(0),
    )?;
    if has_customers == 0 {
        return Err(Error::Invalid(format!(
            "{} is not a RiskDesk database; nothing was restored",
            file.display()
        )));
    }
    Ok(())
}

/// `<path>.<ext>`, or `<path>.<ext>.2`, `.3`, ... : the first name not in use.
fn free_sibling(path: &Path, ext: &str) -> PathBuf {
    let first = sibling(path, ext);
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| sibling(path, &format!("{ext}.{n}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(format!(".{ext}"));
    PathBuf::from(p)
}

fn sibling_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}
