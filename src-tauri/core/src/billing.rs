//! Receivables: invoices the reseller issued, payments and credit notes, their
//! allocation, write-offs, disputes, promises to pay, aging and statements.
//!
//! What a customer owes on an invoice as of a date is its total, less what payments
//! received by that date were allocated to it, less what was written off by then.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::customer;
use crate::money::{Currency, Money};
use crate::store::{currency_of, parse_day};
use crate::text_enum::text_enum;
use crate::{audit, dates, Ctx, Error, Result};

text_enum!(
    InvoiceKind {
        Invoice = "invoice",
        Charge = "charge",
    }
);

text_enum!(
    PaymentKind {
        Payment = "payment",
        CreditNote = "credit_note",
    }
);

text_enum!(
    InvoiceStatus {
        Open = "open",
        PartlyPaid = "partly_paid",
        Paid = "paid",
        WrittenOff = "written_off",
        Disputed = "disputed",
    }
);

pub fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

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
    pub customer_id: i64,
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
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
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
                Error::field("unit_price", "too_large", "the invoice total is too large")
            })
    })
}

const INVOICE_COLUMNS: &str =
    "id, number, customer_id, kind, issued_on, due_on, currency, total_minor, \
    requires_prepayment, disputed, dispute_note, written_off_minor, write_off_reason";

fn invoice_from_row(r: &rusqlite::Row) -> rusqlite::Result<Invoice> {
    let kind: String = r.get(3)?;
    let cur: String = r.get(6)?;
    Ok(Invoice {
        id: r.get(0)?,
        number: r.get(1)?,
        customer_id: r.get(2)?,
        kind: InvoiceKind::parse(&kind).unwrap_or(InvoiceKind::Invoice),
        issued_on: parse_day(&r.get::<_, String>(4)?)?,
        due_on: parse_day(&r.get::<_, String>(5)?)?,
        total: Money::new(r.get(7)?, currency_of(&cur)?),
        requires_prepayment: r.get::<_, i64>(8)? != 0,
        disputed: r.get::<_, i64>(9)? != 0,
        dispute_note: r.get(10)?,
        written_off_minor: r.get(11)?,
        write_off_reason: r.get(12)?,
    })
}

pub fn invoice(conn: &Connection, id: i64) -> Result<Invoice> {
    conn.query_row(
        &format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE id = ?1"),
        params![id],
        invoice_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("invoice {id}")))
}

pub fn invoice_by_number(conn: &Connection, number: &str) -> Result<Option<Invoice>> {
    Ok(conn
        .query_row(
            &format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE number = ?1"),
            params![number],
            invoice_from_row,
        )
        .optional()?)
}

pub fn invoice_lines(conn: &Connection, invoice_id: i64) -> Result<Vec<InvoiceLine>> {
    let mut stmt = conn.prepare(
        "SELECT description, quantity, unit_price_minor, subscription_id FROM invoice_lines
         WHERE invoice_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![invoice_id], |r| {
            Ok(InvoiceLine {
                description: r.get(0)?,
                quantity: r.get(1)?,
                unit_price_minor: r.get(2)?,
                subscription_id: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Inserts an invoice with its lines, applies any customer credit to it, and audits it.
pub fn insert_invoice(tx: &Transaction, ctx: &Ctx, new: &NewInvoice) -> Result<Invoice> {
    let c = customer::get(tx, new.customer_id)?;
    let number = new.number.trim();
    if number.is_empty() || number.chars().count() > 50 {
        return Err(Error::field(
            "number",
            "required",
            "an invoice number (1 to 50 characters) is required",
        ));
    }
    if invoice_by_number(tx, number)?.is_some() {
        return Err(Error::field(
            "number",
            "duplicate",
            format!("invoice {number} already exists"),
        ));
    }
    if new.currency != c.fields.currency {
        return Err(Error::field(
            "currency",
            "currency_mismatch",
            format!("the customer is billed in {}", c.fields.currency),
        ));
    }
    if new.lines.is_empty() {
        return Err(Error::field(
            "lines",
            "required",
            "an invoice needs at least one line",
        ));
    }
    for l in &new.lines {
        if l.quantity <= 0 || l.description.trim().is_empty() {
            return Err(Error::field(
                "lines",
                "invalid_line",
                "each line needs a description and a quantity from 1",
            ));
        }
    }
    let total = lines_total(&new.lines)?;
    if total < 0 {
        return Err(Error::field(
            "lines",
            "negative",
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
            "before_issue",
            "the due date is before the issue date",
        ));
    }
    tx.execute(
        "INSERT INTO invoices (number, customer_id, kind, issued_on, due_on, currency, total_minor,
            requires_prepayment, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            number,
            new.customer_id,
            new.kind.as_str(),
            date_text(new.issued_on),
            date_text(due_on),
            new.currency.code(),
            total,
            new.requires_prepayment as i64,
            ctx.now_text()
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
    let inv = invoice(tx, id)?;
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

#[derive(Debug, Clone)]
pub struct NewPayment {
    pub customer_id: i64,
    pub kind: PaymentKind,
    pub received_on: NaiveDate,
    pub amount: Money,
    pub method: String,
    pub reference: String,
    /// Allocate to this invoice first (by hand); the rest goes oldest-first.
    pub invoice_number: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Payment {
    pub id: i64,
    pub customer_id: i64,
    pub kind: PaymentKind,
    pub received_on: NaiveDate,
    pub amount: Money,
    pub method: String,
    pub reference: String,
}

pub fn payment_by_reference(
    conn: &Connection,
    customer_id: i64,
    kind: PaymentKind,
    reference: &str,
) -> Result<Option<Payment>> {
    Ok(conn
        .query_row(
            "SELECT id, customer_id, kind, received_on, amount_minor, currency, method, reference
             FROM payments WHERE customer_id = ?1 AND kind = ?2 AND reference = ?3",
            params![customer_id, kind.as_str(), reference],
            |r| {
                let cur: String = r.get(5)?;
                Ok(Payment {
                    id: r.get(0)?,
                    customer_id: r.get(1)?,
                    kind,
                    received_on: parse_day(&r.get::<_, String>(3)?)?,
                    amount: Money::new(r.get(4)?, currency_of(&cur)?),
                    method: r.get(6)?,
                    reference: r.get(7)?,
                })
            },
        )
        .optional()?)
}

/// What is still owed on an invoice now (ignoring payment dates).
fn outstanding_now(conn: &Connection, invoice_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT i.total_minor - i.written_off_minor
                - COALESCE((SELECT sum(a.amount_minor) FROM allocations a WHERE a.invoice_id = i.id), 0)
         FROM invoices i WHERE i.id = ?1",
        params![invoice_id],
        |r| r.get(0),
    )?)
}

fn allocate(tx: &Transaction, payment_id: i64, invoice_id: i64, amount: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO allocations (payment_id, invoice_id, amount_minor) VALUES (?1, ?2, ?3)
         ON CONFLICT(payment_id, invoice_id) DO UPDATE SET amount_minor = amount_minor + excluded.amount_minor",
        params![payment_id, invoice_id, amount],
    )?;
    refresh_settled(tx, invoice_id)
}

/// Keeps `settled_on` true: the latest payment or write-off date once nothing is owed.
fn refresh_settled(tx: &Transaction, invoice_id: i64) -> Result<()> {
    tx.execute(
        "UPDATE invoices SET settled_on = CASE
            WHEN total_minor - written_off_minor
                 - COALESCE((SELECT sum(a.amount_minor) FROM allocations a WHERE a.invoice_id = invoices.id), 0) <= 0
            THEN max(COALESCE(written_off_on, '0000-01-01'),
                     COALESCE((SELECT max(p.received_on) FROM allocations a JOIN payments p ON p.id = a.payment_id
                               WHERE a.invoice_id = invoices.id), '0000-01-01'))
            ELSE '9999-12-31' END
         WHERE id = ?1",
        params![invoice_id],
    )?;
    Ok(())
}

/// Records a payment or credit note, allocates it, and audits it.
pub fn record_payment(tx: &Transaction, ctx: &Ctx, p: &NewPayment) -> Result<Payment> {
    let c = customer::get(tx, p.customer_id)?;
    dates::check_field("received_on", p.received_on)?;
    if p.amount.currency != c.fields.currency {
        return Err(Error::field(
            "currency",
            "currency_mismatch",
            format!("the customer is billed in {}", c.fields.currency),
        ));
    }
    if p.amount.minor <= 0 {
        return Err(Error::field(
            "amount",
            "not_positive",
            "the amount must be more than zero",
        ));
    }
    let reference = p.reference.trim();
    if reference.is_empty() || reference.chars().count() > 100 {
        return Err(Error::field(
            "reference",
            "required",
            "a reference (1 to 100 characters) is required",
        ));
    }
    if payment_by_reference(tx, p.customer_id, p.kind, reference)?.is_some() {
        return Err(Error::field(
            "reference",
            "duplicate",
            format!("{} {reference} is already recorded", p.kind),
        ));
    }
    let target = match &p.invoice_number {
        Some(n) if !n.trim().is_empty() => {
            let inv = invoice_by_number(tx, n.trim())?
                .ok_or_else(|| Error::field("invoice", "not_found", format!("no invoice {n}")))?;
            if inv.customer_id != p.customer_id {
                return Err(Error::field(
                    "invoice",
                    "other_customer",
                    format!("invoice {n} belongs to another customer"),
                ));
            }
            if inv.total.currency != p.amount.currency {
                return Err(Error::field(
                    "invoice",
                    "currency_mismatch",
                    format!("invoice {n} is in {}", inv.total.currency),
                ));
            }
            Some(inv.id)
        }
        _ => None,
    };
    tx.execute(
        "INSERT INTO payments (customer_id, kind, received_on, amount_minor, currency, method, reference, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            p.customer_id,
            p.kind.as_str(),
            date_text(p.received_on),
            p.amount.minor,
            p.amount.currency.code(),
            p.method.trim(),
            reference,
            ctx.now_text()
        ],
    )?;
    let id = tx.last_insert_rowid();
    if let Some(invoice_id) = target {
        let owed = outstanding_now(tx, invoice_id)?;
        let part = owed.min(p.amount.minor);
        if part > 0 {
            allocate(tx, id, invoice_id, part)?;
        }
    }
    let payment = payment_by_reference(tx, p.customer_id, p.kind, reference)?
        .ok_or_else(|| Error::NotFound("the payment just recorded".into()))?;
    audit::record(tx, ctx, "payment", id, "create", None, Some(&payment))?;
    auto_allocate(tx, p.customer_id)?;
    Ok(payment)
}

/// Applies every unallocated payment remainder of a customer to its open invoices in the
/// same currency, oldest due date first, leaving disputed invoices alone (they are paid
/// only when the payment names them, or once the dispute is resolved). What is left over
/// stays as the customer's credit.
pub fn auto_allocate(tx: &Transaction, customer_id: i64) -> Result<()> {
    let payments: Vec<(i64, i64, String)> = {
        let mut stmt = tx.prepare(
            "SELECT p.id, p.amount_minor - COALESCE((SELECT sum(a.amount_minor) FROM allocations a WHERE a.payment_id = p.id), 0), p.currency
             FROM payments p WHERE p.customer_id = ?1 ORDER BY p.received_on, p.id",
        )?;
        let rows = stmt
            .query_map(params![customer_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().filter(|(_, left, _)| *left > 0).collect()
    };
    if payments.is_empty() {
        return Ok(());
    }
    let mut invoices: Vec<(i64, i64, String)> = {
        let mut stmt = tx.prepare(
            "SELECT i.id, i.total_minor - i.written_off_minor
                    - COALESCE((SELECT sum(a.amount_minor) FROM allocations a WHERE a.invoice_id = i.id), 0),
                    i.currency
             FROM invoices i WHERE i.customer_id = ?1 AND i.disputed = 0 ORDER BY i.due_on, i.id",
        )?;
        let rows = stmt
            .query_map(params![customer_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().filter(|(_, owed, _)| *owed > 0).collect()
    };
    for (payment_id, mut left, currency) in payments {
        for (invoice_id, owed, inv_currency) in invoices.iter_mut() {
            if left == 0 {
                break;
            }
            if *owed == 0 || *inv_currency != currency {
                continue;
            }
            let part = left.min(*owed);
            allocate(tx, payment_id, *invoice_id, part)?;
            *owed -= part;
            left -= part;
        }
    }
    Ok(())
}

/// Unallocated payments and credit notes: the customer's credit.
pub fn customer_credit(conn: &Connection, customer_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(sum(p.amount_minor), 0)
                - COALESCE((SELECT sum(a.amount_minor) FROM allocations a JOIN payments q ON q.id = a.payment_id WHERE q.customer_id = ?1), 0)
         FROM payments p WHERE p.customer_id = ?1",
        params![customer_id],
        |r| r.get(0),
    )?)
}

pub fn write_off(
    tx: &Transaction,
    ctx: &Ctx,
    invoice_id: i64,
    on: NaiveDate,
    reason: &str,
) -> Result<Invoice> {
    let before = invoice(tx, invoice_id)?;
    dates::check_field("on", on)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::field(
            "reason",
            "required",
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
    Ok(after)
}

/// Opens or closes a dispute; dunning pauses on a disputed invoice.
pub fn set_dispute(
    tx: &Transaction,
    ctx: &Ctx,
    invoice_id: i64,
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

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Promise {
    pub id: i64,
    pub customer_id: i64,
    pub made_on: NaiveDate,
    pub pay_by: NaiveDate,
    pub amount_minor: i64,
    pub note: String,
}

pub fn add_promise(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: i64,
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
            "not_positive",
            "the promised amount must be more than zero",
        ));
    }
    if pay_by < made_on {
        return Err(Error::field(
            "pay_by",
            "before_made",
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
    customer_id: i64,
    as_of: NaiveDate,
) -> Result<Option<(Promise, PromiseState)>> {
    let p = conn
        .query_row(
            "SELECT id, made_on, pay_by, amount_minor, note, last_payment_id FROM promises
             WHERE customer_id = ?1 AND made_on <= ?2 ORDER BY made_on DESC, id DESC LIMIT 1",
            params![customer_id, date_text(as_of)],
            |r| {
                Ok((
                    Promise {
                        id: r.get(0)?,
                        customer_id,
                        made_on: parse_day(&r.get::<_, String>(1)?)?,
                        pay_by: parse_day(&r.get::<_, String>(2)?)?,
                        amount_minor: r.get(3)?,
                        note: r.get(4)?,
                    },
                    r.get::<_, i64>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((p, last_payment_id)) = p else {
        return Ok(None);
    };
    let until = p.pay_by.min(as_of);
    // Payments recorded after the promise, received between the promise and its day.
    let paid: i64 = conn.query_row(
        "SELECT COALESCE(sum(amount_minor), 0) FROM payments
         WHERE customer_id = ?1 AND kind = 'payment' AND id > ?4 AND received_on >= ?2 AND received_on <= ?3",
        params![customer_id, date_text(p.made_on), date_text(until), last_payment_id],
        |r| r.get(0),
    )?;
    let state = if paid >= p.amount_minor {
        PromiseState::Kept
    } else if as_of <= p.pay_by {
        PromiseState::Pending
    } else {
        PromiseState::Broken
    };
    Ok(Some((p, state)))
}

/// One invoice with what is still owed on it as of a date.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OpenItem {
    pub invoice_id: i64,
    pub number: String,
    pub customer_id: i64,
    pub kind: InvoiceKind,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub total: Money,
    pub due: Money,
    pub paid_minor: i64,
    pub disputed: bool,
    /// Services start only once this invoice is paid.
    pub requires_prepayment: bool,
    pub days_overdue: i64,
}

impl OpenItem {
    pub fn status(&self) -> InvoiceStatus {
        if self.disputed && self.due.minor > 0 {
            InvoiceStatus::Disputed
        } else if self.due.minor == 0 && self.paid_minor < self.total.minor {
            InvoiceStatus::WrittenOff
        } else if self.due.minor == 0 {
            InvoiceStatus::Paid
        } else if self.paid_minor > 0 {
            InvoiceStatus::PartlyPaid
        } else {
            InvoiceStatus::Open
        }
    }
}

/// Invoices issued by `as_of` that still have something owed on that date (one query).
/// `customer_id` narrows it to one customer.
pub fn open_items(
    conn: &Connection,
    as_of: NaiveDate,
    customer_id: Option<i64>,
) -> Result<Vec<OpenItem>> {
    let day = date_text(as_of);
    let mut stmt = conn.prepare_cached(
        "WITH paid AS (
            SELECT a.invoice_id, sum(a.amount_minor) AS amount
            FROM allocations a JOIN payments p ON p.id = a.payment_id
            WHERE p.received_on <= ?1
            GROUP BY a.invoice_id
         )
         SELECT i.id, i.number, i.customer_id, i.kind, i.issued_on, i.due_on, i.currency, i.total_minor,
                COALESCE(paid.amount, 0),
                CASE WHEN i.written_off_on IS NOT NULL AND i.written_off_on <= ?1 THEN i.written_off_minor ELSE 0 END,
                i.disputed, i.requires_prepayment
         FROM invoices i LEFT JOIN paid ON paid.invoice_id = i.id
         WHERE i.settled_on > ?1 AND i.issued_on <= ?1 AND (?2 IS NULL OR i.customer_id = ?2)
         ORDER BY i.customer_id, i.due_on, i.id",
    )?;
    let mut out = Vec::new();
    let mut rows = stmt.query(params![day, customer_id])?;
    while let Some(r) = rows.next()? {
        let total: i64 = r.get(7)?;
        let paid: i64 = r.get(8)?;
        let written: i64 = r.get(9)?;
        let due = total - paid - written;
        if due <= 0 {
            continue;
        }
        let currency = currency_of(&r.get::<_, String>(6)?)?;
        let due_on = parse_day(&r.get::<_, String>(5)?)?;
        let kind: String = r.get(3)?;
        out.push(OpenItem {
            invoice_id: r.get(0)?,
            number: r.get(1)?,
            customer_id: r.get(2)?,
            kind: InvoiceKind::parse(&kind).unwrap_or(InvoiceKind::Invoice),
            issued_on: parse_day(&r.get::<_, String>(4)?)?,
            due_on,
            total: Money::new(total, currency),
            due: Money::new(due, currency),
            paid_minor: paid,
            disputed: r.get::<_, i64>(10)? != 0,
            requires_prepayment: r.get::<_, i64>(11)? != 0,
            days_overdue: (as_of - due_on).num_days(),
        });
    }
    Ok(out)
}

/// Upper edges (in days overdue) of the 1st, 2nd and 3rd overdue buckets; the usual
/// 30/60/90 gives current, 1-30, 31-60, 61-90 and over 90.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct BucketEdges(pub [i64; 3]);

impl Default for BucketEdges {
    fn default() -> Self {
        BucketEdges([30, 60, 90])
    }
}

impl BucketEdges {
    pub fn validate(self) -> Result<Self> {
        let [a, b, c] = self.0;
        if a >= 1 && a < b && b < c && c <= 3650 {
            Ok(self)
        } else {
            Err(Error::field(
                "edges",
                "invalid_edges",
                "bucket edges must rise, e.g. 30, 60, 90",
            ))
        }
    }

    /// 0 = current (not yet overdue), 1..=3 the overdue buckets, 4 beyond the last edge.
    pub fn bucket(self, days_overdue: i64) -> usize {
        if days_overdue <= 0 {
            0
        } else if days_overdue <= self.0[0] {
            1
        } else if days_overdue <= self.0[1] {
            2
        } else if days_overdue <= self.0[2] {
            3
        } else {
            4
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgingRow {
    pub customer_id: i64,
    pub legal_name: String,
    pub currency: Currency,
    /// Minor units per bucket: current, edge1, edge2, edge3, beyond.
    pub buckets: [i64; 5],
    pub total_minor: i64,
    pub overdue_minor: i64,
    pub oldest_days_overdue: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgingTotal {
    pub currency: Currency,
    pub buckets: [i64; 5],
    pub total_minor: i64,
    pub overdue_minor: i64,
    /// Days sales outstanding over the last 90 days, in tenths of a day (rounded half up).
    pub dso_tenths: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Aging {
    pub as_of: NaiveDate,
    pub edges: BucketEdges,
    pub rows: Vec<AgingRow>,
    pub totals: Vec<AgingTotal>,
}

/// Aging of receivables as of a date, per customer and per currency. The buckets are
/// summed by SQLite in one pass over the invoices, so it stays fast on a big book.
pub fn aging(conn: &Connection, as_of: NaiveDate, edges: BucketEdges) -> Result<Aging> {
    dates::check_field("as_of", as_of)?;
    let edges = edges.validate()?;
    let [e1, e2, e3] = edges.0;
    // Bucket edges as due dates: a day overdue is a due date before `as_of`, so plain
    // comparisons of YYYY-MM-DD text replace date arithmetic on every invoice.
    let day = date_text(as_of);
    let edge_dates: Vec<String> = [e1, e2, e3]
        .iter()
        .map(|d| date_text(as_of - Duration::days(*d)))
        .collect();
    let bucket_of = |due_on: &str| -> usize {
        if due_on >= day.as_str() {
            0
        } else if due_on >= edge_dates[0].as_str() {
            1
        } else if due_on >= edge_dates[1].as_str() {
            2
        } else if due_on >= edge_dates[2].as_str() {
            3
        } else {
            4
        }
    };
    // Only invoices not settled by `as_of` can be owed on it (index on settled_on).
    let mut stmt = conn.prepare_cached(
        "SELECT i.customer_id, i.currency, i.due_on,
                i.total_minor
                - COALESCE((SELECT sum(a.amount_minor) FROM allocations a JOIN payments p ON p.id = a.payment_id
                            WHERE a.invoice_id = i.id AND p.received_on <= ?1), 0)
                - CASE WHEN i.written_off_on IS NOT NULL AND i.written_off_on <= ?1 THEN i.written_off_minor ELSE 0 END
         FROM invoices i
         WHERE i.settled_on > ?1 AND i.issued_on <= ?1",
    )?;
    #[derive(Default)]
    struct Acc {
        buckets: [i64; 5],
        oldest_due_on: Option<String>,
    }
    let mut by_customer: HashMap<(i64, String), Acc> = HashMap::new();
    let mut q = stmt.query(params![day])?;
    while let Some(r) = q.next()? {
        let due: i64 = r.get(3)?;
        if due <= 0 {
            continue;
        }
        let customer_id: i64 = r.get(0)?;
        let due_on = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
        let b = bucket_of(due_on);
        let key = (customer_id, r.get::<_, String>(1)?);
        let acc = by_customer.entry(key).or_default();
        acc.buckets[b] += due;
        if b > 0 && acc.oldest_due_on.as_deref().is_none_or(|o| due_on < o) {
            acc.oldest_due_on = Some(due_on.to_string());
        }
    }
    // One pass over the customers for the names beats a lookup per customer.
    let names: HashMap<i64, String> = {
        let mut stmt = conn.prepare_cached("SELECT id, legal_name FROM customers")?;
        let names = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        names
    };
    let mut rows = Vec::with_capacity(by_customer.len());
    for (
        (customer_id, currency),
        Acc {
            buckets,
            oldest_due_on,
        },
    ) in by_customer
    {
        let oldest_days_overdue = match oldest_due_on {
            Some(d) => (as_of - parse_day(&d)?).num_days(),
            None => 0,
        };
        rows.push(AgingRow {
            customer_id,
            legal_name: names.get(&customer_id).cloned().unwrap_or_default(),
            currency: currency_of(&currency)?,
            total_minor: buckets.iter().sum(),
            overdue_minor: buckets[1..].iter().sum(),
            buckets,
            oldest_days_overdue,
        });
    }
    let mut totals: BTreeMap<&'static str, AgingTotal> = BTreeMap::new();
    for row in &rows {
        let t = totals
            .entry(row.currency.code())
            .or_insert_with(|| AgingTotal {
                currency: row.currency,
                buckets: [0; 5],
                total_minor: 0,
                overdue_minor: 0,
                dso_tenths: None,
            });
        for i in 0..5 {
            t.buckets[i] += row.buckets[i];
        }
        t.total_minor += row.total_minor;
        t.overdue_minor += row.overdue_minor;
    }
    for t in totals.values_mut() {
        let sales: i64 = conn.query_row(
            "SELECT COALESCE(sum(total_minor), 0) FROM invoices
             WHERE currency = ?1 AND issued_on > ?2 AND issued_on <= ?3",
            params![
                t.currency.code(),
                date_text(as_of - Duration::days(90)),
                date_text(as_of)
            ],
            |r| r.get(0),
        )?;
        if sales > 0 {
            // receivables / sales x 90 days, in tenths, rounded half up (both positive).
            let num = t.total_minor as i128 * 900;
            t.dso_tenths = Some(((num * 2 + sales as i128) / (2 * sales as i128)) as i64);
        }
    }
    rows.sort_by(|a, b| {
        b.overdue_minor
            .cmp(&a.overdue_minor)
            .then(a.legal_name.cmp(&b.legal_name))
    });
    Ok(Aging {
        as_of,
        edges,
        rows,
        totals: totals.into_values().collect(),
    })
}

/// What a statement line is, so each language can describe it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StatementEntry {
    Invoice { due_on: NaiveDate },
    Charge { due_on: NaiveDate },
    Payment { method: String },
    CreditNote,
    WriteOff { reason: String },
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StatementLine {
    pub on: NaiveDate,
    pub document: String,
    pub entry: StatementEntry,
    /// The same in English (for the CLI and logs).
    pub description: String,
    pub debit_minor: i64,
    pub credit_minor: i64,
    pub balance_minor: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Statement {
    pub customer_id: i64,
    pub as_of: NaiveDate,
    pub currency: Currency,
    pub lines: Vec<StatementLine>,
    pub balance_minor: i64,
    pub open_items: Vec<OpenItem>,
}

/// Every invoice, payment, credit note and write-off of a customer up to a date, with a
/// running balance, and the invoices still open.
pub fn statement(conn: &Connection, customer_id: i64, as_of: NaiveDate) -> Result<Statement> {
    dates::check_field("as_of", as_of)?;
    let c = customer::get(conn, customer_id)?;
    let day = date_text(as_of);
    let mut entries: Vec<(NaiveDate, u8, String, StatementEntry, String, i64, i64)> = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT issued_on, number, kind, total_minor, written_off_on, written_off_minor, write_off_reason, due_on
             FROM invoices WHERE customer_id = ?1 AND issued_on <= ?2",
        )?;
        let mut rows = stmt.query(params![customer_id, day])?;
        while let Some(r) = rows.next()? {
            let on = parse_day(&r.get::<_, String>(0)?)?;
            let number: String = r.get(1)?;
            let kind: String = r.get(2)?;
            let due_on = parse_day(&r.get::<_, String>(7)?)?;
            let (what, entry) = if kind == "charge" {
                ("charge", StatementEntry::Charge { due_on })
            } else {
                ("invoice", StatementEntry::Invoice { due_on })
            };
            entries.push((
                on,
                0,
                number.clone(),
                entry,
                format!("{what}; due {due_on}"),
                r.get(3)?,
                0,
            ));
            let wo_on: Option<String> = r.get(4)?;
            if let Some(wo_on) = wo_on.filter(|d| d.as_str() <= day.as_str()) {
                let reason: String = r.get(6)?;
                entries.push((
                    parse_day(&wo_on)?,
                    2,
                    number,
                    StatementEntry::WriteOff {
                        reason: reason.clone(),
                    },
                    format!("write-off: {reason}"),
                    0,
                    r.get(5)?,
                ));
            }
        }
    }
    {
        let mut stmt = conn.prepare(
            "SELECT received_on, reference, kind, amount_minor, method FROM payments
             WHERE customer_id = ?1 AND received_on <= ?2",
        )?;
        let mut rows = stmt.query(params![customer_id, day])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(2)?;
            let method: String = r.get(4)?;
            let desc = if kind == "credit_note" {
                "credit note".to_string()
            } else if method.is_empty() {
                "payment".to_string()
            } else {
                format!("payment ({method})")
            };
            let entry = if kind == "credit_note" {
                StatementEntry::CreditNote
            } else {
                StatementEntry::Payment { method }
            };
            entries.push((
                parse_day(&r.get::<_, String>(0)?)?,
                1,
                r.get(1)?,
                entry,
                desc,
                0,
                r.get(3)?,
            ));
        }
    }
    entries.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    let mut balance = 0i64;
    let lines = entries
        .into_iter()
        .map(|(on, _, document, entry, description, debit, credit)| {
            balance += debit - credit;
            StatementLine {
                on,
                document,
                entry,
                description,
                debit_minor: debit,
                credit_minor: credit,
                balance_minor: balance,
            }
        })
        .collect();
    Ok(Statement {
        customer_id,
        as_of,
        currency: c.fields.currency,
        lines,
        balance_minor: balance,
        open_items: open_items(conn, as_of, Some(customer_id))?,
    })
}

/// Finds a customer by RiskDesk id, tenant id or exact legal name (for imports).
pub fn resolve_customer(conn: &Connection, text: &str) -> Result<Option<i64>> {
    let t = text.trim();
    if let Ok(id) = t.parse::<i64>() {
        return Ok(conn
            .query_row("SELECT id FROM customers WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()?);
    }
    if let Some(c) = customer::find_by_tenant(conn, &t.to_ascii_lowercase())? {
        return Ok(Some(c.id));
    }
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT id FROM customers WHERE legal_name = ?1 LIMIT 2")?;
        let rows = stmt
            .query_map(params![t], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        rows
    };
    Ok(if ids.len() == 1 { Some(ids[0]) } else { None })
}

/// A request that the customer pays before services start.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PrepaymentRequest {
    pub id: i64,
    pub customer_id: i64,
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
        amount: Money::new(r.get(2)?, currency_of(&r.get::<_, String>(3)?)?),
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
    customer_id: i64,
    amount: Money,
    due_on: NaiveDate,
    note: &str,
) -> Result<PrepaymentRequest> {
    let c = customer::get(tx, customer_id)?;
    dates::check_field("due_on", due_on)?;
    if amount.currency != c.fields.currency {
        return Err(Error::field(
            "amount",
            "currency_mismatch",
            format!("the customer is billed in {}", c.fields.currency),
        ));
    }
    if amount.minor <= 0 {
        return Err(Error::field(
            "amount",
            "not_positive",
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
    dates::check_field("on", on)?;
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
pub fn prepayments(conn: &Connection, customer_id: Option<i64>) -> Result<Vec<PrepaymentRequest>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {PREPAYMENT_COLUMNS} FROM prepayment_requests
         WHERE (?1 IS NOT NULL AND customer_id = ?1) OR (?1 IS NULL AND received_on IS NULL)
         ORDER BY due_on, id"
    ))?;
    let rows = stmt
        .query_map(params![customer_id], prepayment_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
