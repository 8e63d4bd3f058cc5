//! Promises to pay: pending promises pause dunning; broken ones resume it.

use crate::error::Code;
use crate::ids::CustomerId;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use super::*;
use crate::customer;
use crate::store::parse_day;
use crate::{audit, dates, Ctx, Error, Result};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Promise {
    pub id: i64,
    pub customer_id: CustomerId,
    pub made_on: NaiveDate,
    pub pay_by: NaiveDate,
    pub amount_minor: i64,
    pub note: String,
}

pub fn add_promise(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: CustomerId,
    made_on: NaiveDate,
    pay_by: NaiveDate,
    amount_minor: i64,
    note: &str,
) -> Result<Promise> {
    customer::get(tx, customer_id)?;
    dates::check_field("made_on", made_on)?;
    dates::check_field("pay_by", pay_by)?;
    if amount_minor <= 0 {
        return Err(Error::field(
            "amount",
            Code::NotPositive,
            "the promised amount must be more than zero",
        ));
    }
    if pay_by < made_on {
        return Err(Error::field(
            "pay_by",
            Code::BeforeMade,
            "the promised date is before the promise",
        ));
    }
    tx.execute(
        "INSERT INTO promises (customer_id, made_on, pay_by, amount_minor, note, last_payment_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, (SELECT COALESCE(max(id), 0) FROM payments), ?6)",
        params![customer_id, date_text(made_on), date_text(pay_by), amount_minor, note.trim(), ctx.now_text()],
    )?;
    let p = Promise {
        id: tx.last_insert_rowid(),
        customer_id,
        made_on,
        pay_by,
        amount_minor,
        note: note.trim().to_string(),
    };
    audit::record(tx, ctx, "promise", p.id, "create", None, Some(&p))?;
    Ok(p)
}

/// The customer's latest promise and whether, as of `as_of`, it pauses dunning (not yet
/// due), was kept, or was broken (due and not paid in full).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PromiseState {
    Pending,
    Kept,
    Broken,
}

pub fn promise_state(
    conn: &Connection,
    customer_id: CustomerId,
    as_of: NaiveDate,
) -> Result<Option<(Promise, PromiseState)>> {
    let p = conn
        .prepare_cached(&format!(
            "{LATEST} WHERE customer_id = ?1 AND made_on <= ?2 ORDER BY made_on DESC, id DESC LIMIT 1"
        ))?
        .query_row(params![customer_id, date_text(as_of)], promise_row)
        .optional()?;
    match p {
        Some((p, last_payment_id)) => {
            let state = state_of(conn, &p, last_payment_id, as_of)?;
            Ok(Some((p, state)))
        }
        None => Ok(None),
    }
}

const LATEST: &str =
    "SELECT id, customer_id, made_on, pay_by, amount_minor, note, last_payment_id FROM promises";

fn promise_row(r: &rusqlite::Row) -> rusqlite::Result<(Promise, i64)> {
    Ok((
        Promise {
            id: r.get(0)?,
            customer_id: r.get(1)?,
            made_on: parse_day(&r.get::<_, String>(2)?)?,
            pay_by: parse_day(&r.get::<_, String>(3)?)?,
            amount_minor: r.get(4)?,
            note: r.get(5)?,
        },
        r.get(6)?,
    ))
}

/// Every customer's latest promise made by `as_of`, with the last payment recorded before
/// it, in one query (a dunning plan looks at thousands of customers).
pub fn latest_promises(
    conn: &Connection,
    as_of: NaiveDate,
) -> Result<std::collections::HashMap<CustomerId, (Promise, i64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{LATEST} WHERE made_on <= ?1 ORDER BY customer_id, made_on, id"
    ))?;
    let mut out = std::collections::HashMap::new();
    let mut rows = stmt.query(params![date_text(as_of)])?;
    while let Some(r) = rows.next()? {
        // Ordered oldest first: the last one of a customer stays.
        let (p, last) = promise_row(r)?;
        out.insert(p.customer_id, (p, last));
    }
    Ok(out)
}

/// Whether a promise is pending, kept or broken as of a date: kept when the payments
/// recorded after it (received between the promise and its day) reach its amount.
pub fn state_of(
    conn: &Connection,
    p: &Promise,
    last_payment_id: i64,
    as_of: NaiveDate,
) -> Result<PromiseState> {
    let until = p.pay_by.min(as_of);
    let paid: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(sum(amount_minor), 0) FROM payments p
             WHERE customer_id = ?1 AND kind = 'payment' AND id > ?4 AND received_on >= ?2 AND received_on <= ?3
               AND NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id AND r.returned_on <= ?5)",
        )?
        .query_row(
            params![
                p.customer_id,
                date_text(p.made_on),
                date_text(until),
                last_payment_id,
                date_text(as_of)
            ],
            |r| r.get(0),
        )?;
    Ok(if paid >= p.amount_minor {
        PromiseState::Kept
    } else if as_of <= p.pay_by {
        PromiseState::Pending
    } else {
        PromiseState::Broken
    })
}
