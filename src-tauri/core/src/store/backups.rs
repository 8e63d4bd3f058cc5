//! When the book was last backed up, or restored from a backup, and whether the owner is
//! due a reminder to back it up.
//!
//! A backup or a restore is written to the audit trail (the record `book`), after the copy
//! is whole: the trail shows it, and the rows after it are the changes no backup holds yet.
//! A restore counts as a backup point, since the book then equals a file on disk.

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::error::{Code, FieldError};
use crate::{audit, Ctx, Error, Result};

/// The setting for the days after a backup before the owner is reminded (0: never).
pub const REMIND_KEY: &str = "backup.remind_days";
pub const DEFAULT_REMIND_DAYS: u32 = 7;
pub const MAX_REMIND_DAYS: u32 = 365;

/// The audit trail's record for the book as a whole.
const ENTITY: &str = "book";
const BOOK_ID: i64 = 1;

/// What was done with the book and a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A copy of the book was written to the file.
    Backup,
    /// The book was replaced by the file.
    Restore,
}

impl Kind {
    fn action(self) -> &'static str {
        match self {
            Kind::Backup => "backup",
            Kind::Restore => "restore",
        }
    }

    fn of(action: &str) -> Option<Kind> {
        match action {
            "backup" => Some(Kind::Backup),
            "restore" => Some(Kind::Restore),
            _ => None,
        }
    }
}

/// The latest backup or restore.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Last {
    pub kind: Kind,
    /// UTC, as the audit trail writes it (`2026-12-06T22:10:00Z`).
    pub at: String,
    /// The file written or restored from, as it was given.
    pub file: String,
}

/// Where the book stands against its backups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub last: Option<Last>,
    /// Whole days from the last backup to now (0 when the clock says it is in the future).
    pub days_since: Option<i64>,
    /// Audit rows written after the last backup (every row, when there was none): the
    /// changes a backup does not hold yet.
    pub changes_since: i64,
    pub remind_days: u32,
    /// True when the book has changes no backup holds, reminders are on, and there was no
    /// backup, or the last is `remind_days` or more days old.
    pub due: bool,
}

/// Writes a backup to, or a restore from, `file` into the audit trail.
pub fn record(tx: &Transaction, ctx: &Ctx, kind: Kind, file: &str) -> Result<()> {
    let after = serde_json::json!({ "file": file });
    audit::record(
        tx,
        ctx,
        ENTITY,
        BOOK_ID,
        kind.action(),
        None::<&serde_json::Value>,
        Some(&after),
    )
}

/// The days set for the reminder; the default when none is set or the stored value is not
/// a whole number of days in range.
pub fn remind_days(conn: &Connection) -> Result<u32> {
    let text = super::settings::get(conn, REMIND_KEY)?;
    Ok(text
        .and_then(|t| parse_remind_days(&t).ok())
        .unwrap_or(DEFAULT_REMIND_DAYS))
}

/// Reads `text` as the reminder's days: a whole number from 0 (never) to 365.
pub fn parse_remind_days(text: &str) -> Result<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|d| *d <= MAX_REMIND_DAYS)
        .ok_or_else(|| {
            Error::Validation(vec![FieldError::new(
                REMIND_KEY,
                Code::InvalidDays,
                format!(
                    "{text:?} is not a number of days from 0 (never remind) to {MAX_REMIND_DAYS}"
                ),
            )])
        })
}

/// Sets the reminder's days (0: never), audited like every setting.
pub fn set_remind_days(tx: &Transaction, ctx: &Ctx, days: u32) -> Result<()> {
    let days = parse_remind_days(&days.to_string())?;
    super::settings::set(tx, ctx, REMIND_KEY, &days.to_string())
}

/// The last backup or restore, the changes since, and whether a reminder is due at `now`.
pub fn status(conn: &Connection, now: DateTime<Utc>) -> Result<Status> {
    let latest: Option<(i64, String, String, String)> = conn
        .query_row(
            "SELECT seq, at, action, after FROM audit
             WHERE entity = ?1 AND entity_id = ?2 AND action IN ('backup', 'restore')
             ORDER BY seq DESC LIMIT 1",
            params![ENTITY, BOOK_ID.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let after_seq = latest.as_ref().map_or(0, |l| l.0);
    let changes_since: i64 = conn.query_row(
        "SELECT count(*) FROM audit WHERE seq > ?1",
        params![after_seq],
        |r| r.get(0),
    )?;
    let last = latest.and_then(|(_, at, action, after)| {
        let file = serde_json::from_str::<serde_json::Value>(&after)
            .ok()
            .and_then(|v| v.get("file").and_then(|f| f.as_str()).map(str::to_owned))
            .unwrap_or_default();
        Kind::of(&action).map(|kind| Last { kind, at, file })
    });
    let days_since = match &last {
        Some(l) => Some(
            NaiveDateTime::parse_from_str(&l.at, "%Y-%m-%dT%H:%M:%SZ")
                .map_err(|e| Error::Invalid(format!("audit time {:?}: {e}", l.at)))?
                .and_utc(),
        )
        .map(|at| (now - at).num_days().max(0)),
        None => None,
    };
    let remind_days = remind_days(conn)?;
    let due = remind_days > 0
        && changes_since > 0
        && days_since.is_none_or(|d| d >= i64::from(remind_days));
    Ok(Status {
        last,
        days_since,
        changes_since,
        remind_days,
        due,
    })
}
