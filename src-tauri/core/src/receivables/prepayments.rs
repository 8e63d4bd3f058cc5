//! Requests that a customer pays before services start.

use crate::error::Code;
use crate::ids::CustomerId;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use super::*;
use crate::customer;
use crate::money::Money;
use crate::store::parse_day;
use crate::{audit, dates, Ctx, Error, Result};

/// A request that the customer pays before services start.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PrepaymentRequest {
    pub id: i64,
    pub customer_id: CustomerId,
    pub amount: Money,
    pub due_on: NaiveDate,
    pub received_on: Option<NaiveDate>,
    pub note: String,
}

fn prepayment_from_row(r: &rusqlite::Row) -> rusqlite::Result<PrepaymentRequest> {
    let received: Option<String> = r.get(5)?;
    Ok(PrepaymentRequest {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        amount: Money::new(r.get(2)?, r.get(3)?),
        due_on: parse_day(&r.get::<_, String>(4)?)?,
        received_on: received.map(|d| parse_day(&d)).transpose()?,
        note: r.get(6)?,
    })
}

const PREPAYMENT_COLUMNS: &str =
    "id, customer_id, amount_minor, currency, due_on, received_on, note";

pub fn request_prepayment(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: CustomerId,
    amount: Money,
    due_on: NaiveDate,
    note: &str,
) -> Result<PrepaymentRequest> {
    let c = customer::get(tx, customer_id)?;
    dates::check_field("due_on", due_on)?;
    if amount.currency != c.fields.currency {
        return Err(Error::field(
            "amount",
            Code::CurrencyMismatch,
            format!("the customer is billed in {}", c.fields.currency),
        ));
    }
    if amount.minor <= 0 {
        return Err(Error::field(
            "amount",
            Code::NotPositive,
            "the amount must be more than zero",
        ));
    }
    tx.execute(
        "INSERT INTO prepayment_requests (customer_id, amount_minor, currency, due_on, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![customer_id, amount.minor, amount.currency.code(), date_text(due_on), note.trim(), ctx.now_text()],
    )?;
    let id = tx.last_insert_rowid();
    let p = tx.query_row(
        &format!("SELECT {PREPAYMENT_COLUMNS} FROM prepayment_requests WHERE id = ?1"),
        params![id],
        prepayment_from_row,
    )?;
    audit::record(tx, ctx, "prepayment_request", id, "create", None, Some(&p))?;
    Ok(p)
}

pub fn mark_prepayment_received(
    tx: &Transaction,
    ctx: &Ctx,
    id: i64,
    on: NaiveDate,
) -> Result<PrepaymentRequest> {
    let before = tx
        .query_row(
            &format!("SELECT {PREPAYMENT_COLUMNS} FROM prepayment_requests WHERE id = ?1"),
            params![id],
            prepayment_from_row,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("prepayment request {id}")))?;
    dates::happened("on", on, ctx.today)?;
    if before.received_on.is_some() {
        return Err(Error::Conflict {
            field: "received_on".into(),
            message: "this prepayment is already received".into(),
        });
    }
    tx.execute(
        "UPDATE prepayment_requests SET received_on = ?1 WHERE id = ?2",
        params![date_text(on), id],
    )?;
    let after = PrepaymentRequest {
        received_on: Some(on),
        ..before.clone()
    };
    audit::record(
        tx,
        ctx,
        "prepayment_request",
        id,
        "received",
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

/// A customer's prepayment requests (or everyone's still outstanding when None).
pub fn prepayments(
    conn: &Connection,
    customer_id: Option<CustomerId>,
) -> Result<Vec<PrepaymentRequest>> {
    crate::store::rows(
        conn,
        &format!(
            "SELECT {PREPAYMENT_COLUMNS} FROM prepayment_requests
         WHERE (?1 IS NOT NULL AND customer_id = ?1) OR (?1 IS NULL AND received_on IS NULL)
         ORDER BY due_on, id"
        ),
        params![customer_id],
        prepayment_from_row,
    )
}
