//! Small user settings kept in the database (language, ...), audited like records.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::{audit, Ctx, Error, Result};

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            params![key],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn set(tx: &Transaction, ctx: &Ctx, key: &str, value: &str) -> Result<()> {
    // Values are short text, except a logo (base64 of an image of up to about 1 MB).
    if key.is_empty() || key.len() > 64 || value.len() > 1_500_000 {
        return Err(Error::Invalid("setting key or value too long".into()));
    }
    let before = get(tx, key)?;
    if before.as_deref() == Some(value) {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![key, value, ctx.now_text()],
    )?;
    let b = before.map(|v| serde_json::json!({ "key": key, "value": v }));
    let a = serde_json::json!({ "key": key, "value": value });
    audit::record(tx, ctx, "setting", 0, "update", b.as_ref(), Some(&a))?;
    Ok(())
}
