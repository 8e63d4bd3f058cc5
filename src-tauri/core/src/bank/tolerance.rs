//! The shortfall a line may have and still match its invoices, per currency: a wire fee
//! the payer's bank took (NT$30 by default). A setting, in its text form `TWD 30; USD 15`.

use std::collections::BTreeMap;

use rusqlite::{Connection, Transaction};

use crate::error::{Code, FieldError};
use crate::money::{Currency, Money};
use crate::{Ctx, Error, Result};

/// The setting that keeps the tolerances.
pub const TOLERANCE_KEY: &str = "bank_fee_tolerance";
const DEFAULT_TOLERANCE: &str = "TWD 30";

/// The shortfall a line may have and still match, per currency (`TWD 30; USD 15`).
pub fn fee_tolerances(conn: &Connection) -> Result<Vec<Money>> {
    let text = crate::store::settings::get(conn, TOLERANCE_KEY)?;
    parse_tolerances(text.as_deref().unwrap_or(DEFAULT_TOLERANCE))
}

fn parse_tolerances(text: &str) -> Result<Vec<Money>> {
    let mut out: BTreeMap<&'static str, Money> = BTreeMap::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            Error::fields(
                FieldError::new(
                    TOLERANCE_KEY,
                    Code::InvalidAmount,
                    "write each currency and its amount, separated by ';' (TWD 30; USD 15)",
                )
                .with("value", crate::import::shown(part)),
            )
        };
        let (code, amount) = part.split_once(char::is_whitespace).ok_or_else(bad)?;
        let currency =
            Currency::parse(code.trim().to_ascii_uppercase().as_str()).ok_or_else(bad)?;
        let m =
            Money::written(amount, currency).map_err(|e| Error::fields(e.field(TOLERANCE_KEY)))?;
        if m.minor < 0 {
            return Err(bad());
        }
        out.insert(currency.code(), m);
    }
    Ok(out.into_values().collect())
}

/// Sets the tolerances from their text form; returns them as stored.
pub fn set_fee_tolerances(tx: &Transaction, ctx: &Ctx, text: &str) -> Result<Vec<Money>> {
    let parsed = parse_tolerances(text)?;
    let canonical = parsed
        .iter()
        .map(|m| format!("{} {}", m.currency.code(), m.to_plain()))
        .collect::<Vec<_>>()
        .join("; ");
    crate::store::settings::set(tx, ctx, TOLERANCE_KEY, &canonical)?;
    Ok(parsed)
}

/// The tolerances as the settings form shows them.
pub fn fee_tolerance_text(conn: &Connection) -> Result<String> {
    Ok(fee_tolerances(conn)?
        .iter()
        .map(|m| format!("{} {}", m.currency.code(), m.to_plain()))
        .collect::<Vec<_>>()
        .join("; "))
}
