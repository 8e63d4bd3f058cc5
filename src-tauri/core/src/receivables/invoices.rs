//! Invoices the reseller issued: lines, totals, due dates, write-offs and disputes.

use crate::error::Code;
use crate::ids::{CustomerId, InvoiceId};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::*;
use crate::customer;
use crate::money::{Currency, Money};
use crate::store::parse_day;
use crate::{audit, dates, Ctx, Error, Result};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub subscription_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewInvoice {
    pub number: String,
    pub customer_id: CustomerId,
    pub kind: InvoiceKind,
    pub issued_on: NaiveDate,
    /// None: the issue date plus the customer's payment terms.
    pub due_on: Option<NaiveDate>,
    pub currency: Currency,
    pub lines: Vec<InvoiceLine>,
    pub requires_prepayment: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Invoice {
    pub id: InvoiceId,
    pub number: String,
    pub customer_id: CustomerId,
    pub kind: InvoiceKind,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub total: Money,
    pub requires_prepayment: bool,
    pub disputed: bool,
    pub dispute_note: String,
    pub written_off_minor: i64,
    pub write_off_reason: String,
}

/// Total of the lines, with overflow checked.
pub fn lines_total(lines: &[InvoiceLine]) -> Result<i64> {
    lines.iter().try_fold(0i64, |acc, l| {
        l.quantity
            .checked_mul(l.unit_price_minor)
            .and_then(|v| acc.checked_add(v))
            .ok_or_else(|| {
                Error::field(
                    "unit_price",
                    Code::TooLarge,
                    "the invoice total is too large",
                )
            })
    })
}

const INVOICE_COLUMNS: &str =
    "id, number, customer_id, kind, issued_on, due_on, currency, total_minor, \
    requires_prepayment, disputed, dispute_note, written_off_minor, write_off_reason";

fn invoice_from_row(r: &rusqlite::Row) -> rusqlite::Result<Invoice> {
    Ok(Invoice {
        id: r.get(0)?,
        number: r.get(1)?,
        customer_id: r.get(2)?,
        kind: r.get(3)?,
        issued_on: parse_day(&r.get::<_, String>(4)?)?,
        due_on: parse_day(&r.get::<_, String>(5)?)?,
        total: Money::new(r.get(7)?, r.get(6)?),
        requires_prepayment: r.get::<_, i64>(8)? != 0,
        disputed: r.get::<_, i64>(9)? != 0,
        dispute_note: r.get(10)?,
        written_off_minor: r.get(11)?,
        write_off_reason: r.get(12)?,
    })
}

pub fn invoice(conn: &Connection, id: InvoiceId) -> Result<Invoice> {
    conn.query_row(
        &format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE id = ?1"),
        params![id],
        invoice_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("invoice {id}")))
}

/// The invoice `number` names however a spreadsheet or a keyboard wrote it (`123` finds
/// `00123`, `inv-7` finds `INV-7`: [`crate::identity::reference_key`]); the one written
/// exactly so first.
pub fn invoice_by_number(conn: &Connection, number: &str) -> Result<Option<Invoice>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {INVOICE_COLUMNS} FROM invoices WHERE number_key = ?1 OR number = ?2
                 ORDER BY number = ?2 DESC, id LIMIT 1"
            ),
            params![crate::identity::reference_key(number), number.trim()],
            invoice_from_row,
        )
        .optional()?)
}

/// Refuses an invoice number or a payment reference that is a spreadsheet's rounding of a
/// long number (`1.23457E+15`): its digits are lost, so it would name the wrong record.
pub(crate) fn written_out(field: &str, text: &str) -> Result<()> {
    if crate::identity::is_spreadsheet_exponent(text) {
        return Err(Error::fields(exponent_problem(field, text)));
    }
    Ok(())
}

/// The problem [`written_out`] reports, for the imports to list with the others.
pub(crate) fn exponent_problem(field: &str, text: &str) -> crate::FieldError {
    crate::FieldError::new(
        field,
        Code::SpreadsheetExponent,
        format!("{text} is how a spreadsheet shows a long number whose digits it lost; format the column as text in the spreadsheet and export the file again"),
    )
    .with("value", crate::import::shown(text))
}

pub fn invoice_lines(conn: &Connection, invoice_id: InvoiceId) -> Result<Vec<InvoiceLine>> {
    crate::store::rows(
        conn,
        "SELECT description, quantity, unit_price_minor, subscription_id FROM invoice_lines
         WHERE invoice_id = ?1 ORDER BY id",
        params![invoice_id],
        |r| {
            Ok(InvoiceLine {
                description: r.get(0)?,
                quantity: r.get(1)?,
                unit_price_minor: r.get(2)?,
                subscription_id: r.get(3)?,
            })
        },
    )
}

/// The longest line description an invoice takes (characters).
pub const MAX_DESCRIPTION: usize = 500;
/// The most lines one invoice takes.
pub const MAX_LINES: usize = 1000;

/// Inserts an invoice with its lines, applies any customer credit to it, and audits it.
pub fn insert_invoice(tx: &Transaction, ctx: &Ctx, new: &NewInvoice) -> Result<Invoice> {
    let c = customer::get(tx, new.customer_id)?;
    let number = new.number.trim();
    if number.is_empty() || number.chars().count() > 50 {
        return Err(Error::field(
            "number",
            Code::Required,
            "an invoice number (1 to 50 characters) is required",
        ));
    }
    written_out("number", number)?;
    if let Some(stored) = invoice_by_number(tx, number)? {
        let written = if stored.number == number {
            String::new()
        } else {
            format!(" (written {})", stored.number)
        };
        return Err(Error::field(
            "number",
            Code::Duplicate,
            format!("invoice {number} already exists{written}"),
        ));
    }
    if new.currency != c.fields.currency {
        return Err(Error::field(
            "currency",
            Code::CurrencyMismatch,
            format!("the customer is billed in {}", c.fields.currency),
        ));
    }
    if new.lines.is_empty() {
        return Err(Error::field(
            "lines",
            Code::Required,
            "an invoice needs at least one line",
        ));
    }
    if new.lines.len() > MAX_LINES {
        return Err(Error::field(
            "lines",
            Code::TooMany,
            format!("at most {MAX_LINES} lines on one invoice"),
        ));
    }
    for l in &new.lines {
        if l.quantity <= 0 || l.description.trim().is_empty() {
            return Err(Error::field(
                "lines",
                Code::InvalidLine,
                "each line needs a description and a quantity from 1",
            ));
        }
        // One documented maximum, on every path (form, import, runs): a 50 MB description
        // was stored.
        crate::error::at_most("description", l.description.trim(), MAX_DESCRIPTION)?;
    }
    let total = lines_total(&new.lines)?;
    if total < 0 {
        return Err(Error::field(
            "lines",
            Code::Negative,
            "an invoice total cannot be negative; issue a credit note",
        ));
    }
    dates::check_field("issued_on", new.issued_on)?;
    let due_on = match new.due_on {
        Some(d) => dates::check_field("due_on", d)?,
        None => dates::add_days("due_on", new.issued_on, c.fields.payment_terms_days)?,
    };
    if due_on < new.issued_on {
        return Err(Error::field(
            "due_on",
            Code::BeforeIssue,
            "the due date is before the issue date",
        ));
    }
    tx.execute(
        "INSERT INTO invoices (number, customer_id, kind, issued_on, due_on, currency, total_minor,
            requires_prepayment, created_at, number_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            number,
            new.customer_id,
            new.kind.as_str(),
            date_text(new.issued_on),
            date_text(due_on),
            new.currency.code(),
            total,
            new.requires_prepayment as i64,
            ctx.now_text(),
            crate::identity::reference_key(number)
        ],
    )?;
    let id = tx.last_insert_rowid();
    for l in &new.lines {
        tx.execute(
            "INSERT INTO invoice_lines (invoice_id, description, quantity, unit_price_minor, subscription_id)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, l.description.trim(), l.quantity, l.unit_price_minor, l.subscription_id],
        )?;
    }
    let inv = invoice(tx, InvoiceId(id))?;
    #[derive(Serialize)]
    struct WithLines<'a> {
        #[serde(flatten)]
        invoice: &'a Invoice,
        lines: &'a [InvoiceLine],
    }
    audit::record(
        tx,
        ctx,
        "invoice",
        id,
        "create",
        None,
        Some(&WithLines {
            invoice: &inv,
            lines: &new.lines,
        }),
    )?;
    auto_allocate(tx, new.customer_id)?;
    Ok(inv)
}
pub fn write_off(
    tx: &Transaction,
    ctx: &Ctx,
    invoice_id: InvoiceId,
    on: NaiveDate,
    reason: &str,
) -> Result<Invoice> {
    let before = invoice(tx, invoice_id)?;
    dates::happened("on", on, ctx.today)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::field(
            "reason",
            Code::Required,
            "a write-off needs a reason",
        ));
    }
    let owed = outstanding_now(tx, invoice_id)?;
    if owed <= 0 {
        return Err(Error::Conflict {
            field: "invoice".into(),
            message: format!("invoice {} is settled", before.number),
        });
    }
    tx.execute(
        "UPDATE invoices SET written_off_minor = written_off_minor + ?1, written_off_on = ?2, write_off_reason = ?3 WHERE id = ?4",
        params![owed, date_text(on), reason, invoice_id],
    )?;
    refresh_settled(tx, invoice_id)?;
    let after = invoice(tx, invoice_id)?;
    audit::record(
        tx,
        ctx,
        "invoice",
        invoice_id,
        "write_off",
        Some(&before),
        Some(&after),
    )?;
    // Dated on or before a dunning run, it settled what the run charged on.
    crate::collections::corrections::reconcile(tx, ctx, before.customer_id, on, None)?;
    Ok(after)
}

/// Opens or closes a dispute; dunning pauses on a disputed invoice.
pub fn set_dispute(
    tx: &Transaction,
    ctx: &Ctx,
    invoice_id: InvoiceId,
    disputed: bool,
    note: &str,
) -> Result<Invoice> {
    let before = invoice(tx, invoice_id)?;
    if before.disputed == disputed {
        return Ok(before);
    }
    tx.execute(
        "UPDATE invoices SET disputed = ?1, dispute_note = ?2 WHERE id = ?3",
        params![disputed as i64, note.trim(), invoice_id],
    )?;
    let after = invoice(tx, invoice_id)?;
    if !disputed {
        // Credit held back while the invoice was disputed now pays it.
        auto_allocate(tx, after.customer_id)?;
    }
    let action = if disputed {
        "dispute"
    } else {
        "resolve_dispute"
    };
    audit::record(
        tx,
        ctx,
        "invoice",
        invoice_id,
        action,
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}
