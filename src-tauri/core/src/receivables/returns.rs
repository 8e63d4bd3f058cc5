//! Payments taken back: a card charge-back, a transfer the bank returned, a payment the
//! payer's bank recalled. The payment stays on record; from the day it was returned it no
//! longer pays the invoices it was allocated to (they are owed again, from their own due
//! dates) and is no credit. As-of figures before that day still count it.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use super::*;
use crate::error::Code;
use crate::ids::{CustomerId, InvoiceId};
use crate::money::Money;
use crate::{audit, dates, Ctx, Error, Result};

text_enum!(
    /// Why the money went back: the cardholder disputed the charge with the card issuer
    /// (charge-back), the bank sent the transfer back (account closed, no funds), or the
    /// payer's bank recalled it.
    ReturnReason {
        Chargeback = "chargeback",
        Returned = "returned",
        Recalled = "recalled",
    }
);

#[derive(Debug, Clone)]
pub struct NewReturn {
    pub payment_id: i64,
    pub returned_on: NaiveDate,
    pub reason: ReturnReason,
    pub note: String,
}

/// A payment of a customer's, and when and why it was returned if it was.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PaymentRecord {
    #[serde(flatten)]
    pub payment: Payment,
    pub returned_on: Option<NaiveDate>,
    pub return_reason: Option<ReturnReason>,
    pub return_note: String,
}

const RECORD_COLUMNS: &str =
    "p.id, p.customer_id, p.kind, p.received_on, p.amount_minor, p.currency, p.method,
     p.reference, r.returned_on, r.reason, COALESCE(r.note, ''),
     (SELECT i.number FROM invoices i WHERE i.id = p.names_invoice)";

fn record_from(r: &rusqlite::Row) -> rusqlite::Result<PaymentRecord> {
    Ok(PaymentRecord {
        payment: Payment {
            id: r.get(0)?,
            customer_id: r.get(1)?,
            kind: r.get(2)?,
            received_on: r.get(3)?,
            amount: Money::new(r.get(4)?, r.get(5)?),
            method: r.get(6)?,
            reference: r.get(7)?,
            names_invoice: r.get(11)?,
        },
        returned_on: r.get(8)?,
        return_reason: r.get(9)?,
        return_note: r.get(10)?,
    })
}

/// One payment or credit note with its return, if any.
pub fn payment_record(conn: &Connection, payment_id: i64) -> Result<PaymentRecord> {
    conn.query_row(
        &format!(
            "SELECT {RECORD_COLUMNS} FROM payments p LEFT JOIN payment_returns r ON r.payment_id = p.id
             WHERE p.id = ?1"
        ),
        params![payment_id],
        record_from,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("payment {payment_id}")))
}

/// A customer's payments and credit notes, newest first (at most `limit`).
pub fn payments_of(
    conn: &Connection,
    customer_id: CustomerId,
    limit: i64,
) -> Result<Vec<PaymentRecord>> {
    crate::store::rows(
        conn,
        &format!(
            "SELECT {RECORD_COLUMNS} FROM payments p LEFT JOIN payment_returns r ON r.payment_id = p.id
             WHERE p.customer_id = ?1 ORDER BY p.received_on DESC, p.id DESC LIMIT ?2"
        ),
        params![customer_id, limit.clamp(1, 10_000)],
        record_from,
    )
}

/// Records that a payment was taken back on a day: the invoices it paid are owed again
/// (then what the customer has in credit is applied to them, as to any open invoice), and
/// the return is audited. A credit note cannot be returned, nor a payment twice, nor
/// before it was received or after today.
pub fn return_payment(tx: &Transaction, ctx: &Ctx, r: &NewReturn) -> Result<PaymentRecord> {
    let before = payment_record(tx, r.payment_id)?;
    let p = &before.payment;
    if p.kind != PaymentKind::Payment {
        return Err(Error::field(
            "payment_id",
            Code::Invalid,
            "a credit note is not money received: it cannot be returned",
        ));
    }
    if let Some(on) = before.returned_on {
        return Err(Error::fields(
            crate::FieldError::new(
                "payment_id",
                Code::AlreadyRecorded,
                format!("payment {} was returned on {on}", p.reference),
            )
            .with("value", p.reference.clone()),
        ));
    }
    dates::happened("returned_on", r.returned_on, ctx.today)?;
    if r.returned_on < p.received_on {
        return Err(Error::fields(
            crate::FieldError::new(
                "returned_on",
                Code::TooEarly,
                format!(
                    "the payment was received on {}: it cannot be returned before",
                    p.received_on
                ),
            )
            .with("min", p.received_on.to_string()),
        ));
    }
    let note = r.note.trim();
    crate::error::at_most("note", note, 2000)?;
    tx.execute(
        "INSERT INTO payment_returns (payment_id, returned_on, reason, note, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            r.payment_id,
            r.returned_on.to_string(),
            r.reason,
            note,
            ctx.now_text()
        ],
    )?;
    let paid: Vec<InvoiceId> = crate::store::rows(
        tx,
        "SELECT invoice_id FROM allocations WHERE payment_id = ?1",
        params![r.payment_id],
        |row| row.get(0),
    )?;
    for invoice_id in paid {
        refresh_settled(tx, invoice_id)?;
    }
    let after = payment_record(tx, r.payment_id)?;
    audit::record(
        tx,
        ctx,
        "payment",
        r.payment_id,
        "return",
        Some(&before),
        Some(&after),
    )?;
    auto_allocate(tx, p.customer_id)?;
    // What it had credited back of dunning charges is charged again.
    crate::collections::corrections::reconcile(
        tx,
        ctx,
        p.customer_id,
        p.received_on,
        Some(r.payment_id),
    )?;
    Ok(after)
}
