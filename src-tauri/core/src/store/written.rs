//! The documents RiskDesk wrote where the user chose, by their full path: what the window
//! may open (with a dunning run's own files, which the run's record names).

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::{Ctx, Result};

/// Records that RiskDesk wrote the document at `path` (its canonical full path).
pub fn record(tx: &Transaction, ctx: &Ctx, path: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO documents_written (path, written_at) VALUES (?1, ?2)
         ON CONFLICT (path) DO UPDATE SET written_at = excluded.written_at",
        params![path, ctx.now_text()],
    )?;
    Ok(())
}

/// Whether RiskDesk wrote the document at `path` (canonical full path).
pub fn contains(conn: &Connection, path: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM documents_written WHERE path = ?1",
            [path],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
