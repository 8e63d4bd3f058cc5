//! What a command needs from its surroundings: the open database, the documents folder
//! and the clock (who acts, now, today). The window builds one per call; tests build one
//! on a temporary database, so every command is tested without a window.

use std::path::Path;

use riskdesk_core::error::Code;
use riskdesk_core::{Ctx, Error};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::ApiError;

pub struct Host<'a> {
    pub conn: &'a mut Connection,
    pub documents: &'a Path,
    pub ctx: Ctx,
    /// Whether a transaction of this command changed records: the derived data (scores,
    /// tenant links) then follows, after the commit ([`riskdesk_core::derive`]).
    pub changed: bool,
}

impl<'a> Host<'a> {
    pub fn new(conn: &'a mut Connection, documents: &'a Path, ctx: Ctx) -> Self {
        Host {
            conn,
            documents,
            ctx,
            changed: false,
        }
    }
}

impl Host<'_> {
    /// Runs `f` in one transaction, begun immediately (it holds the write lock from the
    /// start, so a concurrent writer waits instead of failing at commit), and commits it;
    /// any error rolls everything back. The transaction holds the records and their audit
    /// rows only: what is derived from them follows after the commit.
    pub fn tx<T>(
        &mut self,
        f: impl FnOnce(&Transaction, &Ctx) -> Result<T, Error>,
    ) -> Result<T, ApiError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(Error::from)?;
        let changes = |tx: &Transaction| -> Result<i64, Error> {
            Ok(tx.query_row("SELECT total_changes()", [], |r| r.get(0))?)
        };
        let before = changes(&tx)?;
        let out = f(&tx, &self.ctx)?;
        let changed = changes(&tx)? != before;
        tx.commit().map_err(Error::from)?;
        self.changed |= changed;
        Ok(out)
    }

    /// The derived data now, on this thread, for tests (the window runs it in the
    /// background, [`crate::state::AppState::derive_later`]; the command line after its
    /// commit).
    #[cfg(test)]
    pub fn derive(&mut self) -> Result<riskdesk_core::derive::Derived, Error> {
        self.changed = false;
        riskdesk_core::derive::after_write(self.conn, &self.ctx)
    }
}

/// A typed date, checked (YYYY-MM-DD, 2000-01-01 to 2100-12-31); errors name the field.
pub fn date_arg(field: &str, text: &str) -> Result<chrono::NaiveDate, ApiError> {
    Ok(riskdesk_core::dates::parse_field(field, text)?)
}

/// A record id from the window: positive, typed by where it goes.
pub fn id_arg<T: From<i64>>(field: &str, id: i64) -> Result<T, ApiError> {
    if id > 0 {
        Ok(T::from(id))
    } else {
        Err(ApiError::validation(
            field,
            Code::InvalidId,
            "not a record id",
        ))
    }
}

/// Free text from the window, bounded.
pub fn text_arg(field: &str, text: &str, max: usize) -> Result<(), ApiError> {
    Ok(riskdesk_core::error::at_most(field, text, max)?)
}
