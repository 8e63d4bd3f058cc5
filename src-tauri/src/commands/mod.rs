//! Tauri commands: parse arguments, call the core, map errors. Nothing else.

pub mod customers;
pub mod documents;
pub mod dunning;
pub mod imports;
pub mod policies;
pub mod receivables;
pub mod session;

use riskdesk_core::Error;

use crate::error::ApiError;

/// Runs `f` in one transaction and commits it; any error rolls everything back.
pub(crate) fn in_tx<T>(
    conn: &mut rusqlite::Connection,
    f: impl FnOnce(&rusqlite::Transaction) -> Result<T, Error>,
) -> Result<T, ApiError> {
    let tx = conn.transaction().map_err(Error::from)?;
    let out = f(&tx)?;
    tx.commit().map_err(Error::from)?;
    Ok(out)
}

#[cfg(test)]
mod tests;
