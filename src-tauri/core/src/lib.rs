//! RiskDesk core: domain types, rules and the encrypted record store.
//!
//! This crate never depends on Tauri, a UI or a PDF library. "Now" and "today" are
//! parameters of every function that needs them ([`Ctx`]); nothing here reads the clock.

pub mod audit;
pub mod bank;
pub mod collections;
pub mod countries;
pub mod csv_out;
pub mod customer;
pub mod dates;
pub mod demo;
pub mod derive;
pub mod english;
pub mod error;
pub mod hex;
pub mod identity;
pub mod ids;
pub mod import;
pub mod mail;
pub mod microsoft;
pub mod money;
pub mod parallel;
pub mod plans;
pub mod receivables;
pub mod risk;
pub mod store;
pub mod subscription;
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;
mod text_enum;
pub mod usage;

pub use error::{Error, FieldError, Result};

use chrono::{DateTime, NaiveDate, Utc};

/// Who is acting and when: passed to every mutation so the audit trail can record it.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The operating-system user name of the person at the keyboard.
    pub actor: String,
    /// The current instant (UTC).
    pub now: DateTime<Utc>,
    /// Today on the user's calendar (their time zone), the latest day a run may be dated.
    pub today: NaiveDate,
}

impl Ctx {
    pub fn new(actor: impl Into<String>, now: DateTime<Utc>) -> Self {
        Ctx {
            actor: actor.into(),
            now,
            today: now.date_naive(),
        }
    }

    /// The same, with today taken from the user's local calendar.
    pub fn with_today(mut self, today: NaiveDate) -> Self {
        self.today = today;
        self
    }

    /// The timestamp format every `*_at` column uses: RFC 3339, UTC, seconds.
    pub fn now_text(&self) -> String {
        self.now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}
