//! Payments and credit notes, and their allocation to invoices: named first, then
//! oldest due first in the same currency, never to a disputed invoice; the rest is credit.

use crate::error::Code;
use crate::ids::{CustomerId, InvoiceId};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use super::*;
use crate::customer;
use crate::money::Money;
use crate::store::parse_day;
use crate::{audit, dates, Ctx, Error, Result};

#[derive(Debug, Clone)]
pub struct NewPayment {
    pub customer_id: CustomerId,
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
    pub customer_id: CustomerId,
    pub kind: PaymentKind,
    pub received_on: NaiveDate,
    pub amount: Money,
    pub method: String,
    pub reference: String,
    /// The invoice it names (allocated to first; a credit note takes back at most what that
    /// invoice charged), by number; None when it names none or was recorded before RiskDesk
    /// kept it.
    pub names_invoice: Option<String>,
}

pub fn payment_by_reference(
    conn: &Connection,
    customer_id: CustomerId,
    kind: PaymentKind,
    reference: &str,
) -> Result<Option<Payment>> {
    Ok(conn
        .query_row(
            "SELECT id, customer_id, kind, received_on, amount_minor, currency, method, reference,
                    (SELECT number FROM invoices WHERE invoices.id = payments.names_invoice)
             FROM payments WHERE customer_id = ?1 AND kind = ?2
               AND (reference_key = ?3 OR reference = ?4)
             ORDER BY reference = ?4 DESC, id LIMIT 1",
            params![
                customer_id,
                kind.as_str(),
                crate::identity::reference_key(reference),
                reference.trim()
            ],
            |r| {
                Ok(Payment {
                    id: r.get(0)?,
                    customer_id: r.get(1)?,
                    kind,
                    received_on: parse_day(&r.get::<_, String>(3)?)?,
                    amount: Money::new(r.get(4)?, r.get(5)?),
                    method: r.get(6)?,
                    reference: r.get(7)?,
                    names_invoice: r.get(8)?,
                })
            },
        )
        .optional()?)
}

/// What is still owed on an invoice now (ignoring payment dates).
pub(super) fn outstanding_now(conn: &Connection, invoice_id: InvoiceId) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT i.total_minor - i.written_off_minor
                - COALESCE((SELECT sum(a.amount_minor) FROM kept_allocations a WHERE a.invoice_id = i.id), 0)
         FROM invoices i WHERE i.id = ?1",
        params![invoice_id],
        |r| r.get(0),
    )?)
}

/// What is still owed on an invoice now.
pub fn invoice_outstanding(conn: &Connection, invoice_id: InvoiceId) -> Result<i64> {
    outstanding_now(conn, invoice_id)
}

/// Allocates `amount` of a payment to an invoice; `auto` when the book's rule chose the
/// invoice (oldest first), not the user (a named invoice, a bank line's decision).
fn allocate(
    tx: &Transaction,
    payment_id: i64,
    invoice_id: InvoiceId,
    amount: i64,
    auto: bool,
) -> Result<()> {
    tx.execute(
        "INSERT INTO allocations (payment_id, invoice_id, amount_minor, auto_minor) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(payment_id, invoice_id) DO UPDATE SET amount_minor = amount_minor + excluded.amount_minor,
             auto_minor = auto_minor + excluded.auto_minor",
        params![payment_id, invoice_id, amount, if auto { amount } else { 0 }],
    )?;
    refresh_settled(tx, invoice_id)
}

/// A payment's allocations as the audit trail keeps them: (invoice number, amount).
type Allocated = Vec<(String, i64)>;

fn allocations_of(tx: &Transaction, payment_id: i64) -> Result<Allocated> {
    crate::store::rows(
        tx,
        "SELECT i.number, a.amount_minor FROM allocations a JOIN invoices i ON i.id = a.invoice_id
         WHERE a.payment_id = ?1 ORDER BY i.due_on, i.id",
        params![payment_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Before a payment received on `day` is applied by the book's rule: takes back what that rule
/// applied of the customer's payments received later (in `currency`, not taken back), so that
/// applying them all again, oldest received first, pays the invoices in the order the money
/// came. Answers the payments whose allocations were taken back, with what they were.
fn take_back_later(
    tx: &Transaction,
    customer_id: CustomerId,
    day: NaiveDate,
    currency: &str,
) -> Result<Vec<(i64, Allocated)>> {
    let later: Vec<i64> = crate::store::rows(
        tx,
        "SELECT DISTINCT a.payment_id FROM allocations a JOIN payments p ON p.id = a.payment_id
         WHERE p.customer_id = ?1 AND p.received_on > ?2 AND p.currency = ?3 AND a.auto_minor > 0
           AND NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id)",
        params![customer_id, date_text(day), currency],
        |r| r.get(0),
    )?;
    let mut out = Vec::new();
    for payment_id in later {
        out.push((payment_id, allocations_of(tx, payment_id)?));
        let invoices: Vec<InvoiceId> = crate::store::rows(
            tx,
            "SELECT invoice_id FROM allocations WHERE payment_id = ?1 AND auto_minor > 0",
            params![payment_id],
            |r| r.get(0),
        )?;
        tx.execute(
            "DELETE FROM allocations WHERE payment_id = ?1 AND auto_minor = amount_minor",
            params![payment_id],
        )?;
        tx.execute(
            "UPDATE allocations SET amount_minor = amount_minor - auto_minor, auto_minor = 0
             WHERE payment_id = ?1 AND auto_minor > 0",
            params![payment_id],
        )?;
        for invoice_id in invoices {
            refresh_settled(tx, invoice_id)?;
        }
    }
    Ok(out)
}

/// A credit note naming an invoice cancels what it charged: what the book's rule applied of
/// payments to that invoice, beyond what is still owed on it, is taken back (money received
/// last first), so that the credit note covers the invoice and that money pays the next
/// invoices instead (a charge invoice credited back after a payment entered late had paid
/// part of it). What the user applied by hand stays. Answers the payments whose allocations
/// were taken back, with what they were.
fn free_for_credit(
    tx: &Transaction,
    invoice_id: InvoiceId,
    amount: i64,
) -> Result<Vec<(i64, Allocated)>> {
    let mut free = amount - outstanding_now(tx, invoice_id)?;
    if free <= 0 {
        return Ok(Vec::new());
    }
    let applied: Vec<(i64, i64, i64)> = crate::store::rows(
        tx,
        "SELECT a.payment_id, a.amount_minor, a.auto_minor FROM allocations a JOIN payments p ON p.id = a.payment_id
         WHERE a.invoice_id = ?1 AND a.auto_minor > 0
           AND NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id)
         ORDER BY p.received_on DESC, p.id DESC",
        params![invoice_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut out = Vec::new();
    for (payment_id, allocated, auto) in applied {
        if free == 0 {
            break;
        }
        let part = auto.min(free);
        out.push((payment_id, allocations_of(tx, payment_id)?));
        if part == allocated {
            tx.execute(
                "DELETE FROM allocations WHERE payment_id = ?1 AND invoice_id = ?2",
                params![payment_id, invoice_id],
            )?;
        } else {
            tx.execute(
                "UPDATE allocations SET amount_minor = amount_minor - ?3, auto_minor = auto_minor - ?3
                 WHERE payment_id = ?1 AND invoice_id = ?2",
                params![payment_id, invoice_id, part],
            )?;
        }
        free -= part;
    }
    refresh_settled(tx, invoice_id)?;
    Ok(out)
}

/// Keeps `settled_on` true: the latest payment or write-off date once nothing is owed.
pub(super) fn refresh_settled(tx: &Transaction, invoice_id: InvoiceId) -> Result<()> {
    tx.execute(
        "UPDATE invoices SET settled_on = CASE
            WHEN total_minor - written_off_minor
                 - COALESCE((SELECT sum(a.amount_minor) FROM kept_allocations a WHERE a.invoice_id = invoices.id), 0) <= 0
            THEN max(COALESCE(written_off_on, '0000-01-01'),
                     COALESCE((SELECT max(p.received_on) FROM kept_allocations a JOIN payments p ON p.id = a.payment_id
                               WHERE a.invoice_id = invoices.id), '0000-01-01'))
            ELSE '9999-12-31' END
         WHERE id = ?1",
        params![invoice_id],
    )?;
    Ok(())
}

/// A credit note naming `inv` takes back no more than the invoice charged, less what the
/// credit notes already naming it took back (a larger one is a typing error, or a refund
/// of something else: its own credit note).
fn credit_fits(tx: &Transaction, inv: &Invoice, amount: Money) -> Result<()> {
    let credited: i64 = tx.query_row(
        "SELECT COALESCE(sum(amount_minor), 0) FROM payments WHERE names_invoice = ?1 AND kind = 'credit_note'",
        [inv.id],
        |r| r.get(0),
    )?;
    let left = Money {
        minor: (inv.total.minor - credited).max(0),
        currency: inv.total.currency,
    };
    if amount.minor <= left.minor {
        return Ok(());
    }
    Err(Error::fields(
        crate::FieldError::new(
            "amount",
            Code::CreditExceedsInvoice,
            format!(
                "a credit note on invoice {} takes back at most {} (it charged {}; credit notes on it took back {})",
                inv.number,
                left.format(),
                inv.total.format(),
                Money { minor: credited, currency: inv.total.currency }.format()
            ),
        )
        .with("invoice", inv.number.clone())
        .with("left", left.format()),
    ))
}

/// Records a payment or credit note, allocates it, and audits it.
pub fn record_payment(tx: &Transaction, ctx: &Ctx, p: &NewPayment) -> Result<Payment> {
    record_payment_allocated(tx, ctx, p, &[])
}

/// Records a payment allocated first to the given invoices with the given amounts (each
/// checked: the customer's, in the payment's currency, no more than is owed, together no
/// more than the payment), then to the invoice it names, then oldest first. A payment
/// received on or before a dunning run that charged the invoices it pays corrects those
/// charges (see [`crate::collections::corrections`]).
pub fn record_payment_allocated(
    tx: &Transaction,
    ctx: &Ctx,
    p: &NewPayment,
    allocations: &[(InvoiceId, i64)],
) -> Result<Payment> {
    let payment = book_payment(tx, ctx, p, allocations)?;
    crate::collections::corrections::reconcile(
        tx,
        ctx,
        p.customer_id,
        p.received_on,
        Some(payment.id),
    )?;
    Ok(payment)
}

/// [`record_payment_allocated`] without correcting dunning charges: how a correction's own
/// credit note is recorded.
pub(crate) fn book_payment(
    tx: &Transaction,
    ctx: &Ctx,
    p: &NewPayment,
    allocations: &[(InvoiceId, i64)],
) -> Result<Payment> {
    let c = customer::get(tx, p.customer_id)?;
    dates::happened("received_on", p.received_on, ctx.today)?;
    if p.amount.currency != c.fields.currency {
        return Err(Error::field(
            "currency",
            Code::CurrencyMismatch,
            format!("the customer is billed in {}", c.fields.currency),
        ));
    }
    if p.amount.minor <= 0 {
        return Err(Error::field(
            "amount",
            Code::NotPositive,
            "the amount must be more than zero",
        ));
    }
    let reference = p.reference.trim();
    if reference.is_empty() || reference.chars().count() > 100 {
        return Err(Error::field(
            "reference",
            Code::Required,
            "a reference (1 to 100 characters) is required",
        ));
    }
    super::invoices::written_out("reference", reference)?;
    if let Some(stored) = payment_by_reference(tx, p.customer_id, p.kind, reference)? {
        let written = if stored.reference == reference {
            String::new()
        } else {
            format!(" (written {})", stored.reference)
        };
        return Err(Error::field(
            "reference",
            Code::Duplicate,
            format!("{} {reference} is already recorded{written}", p.kind),
        ));
    }
    let target = match &p.invoice_number {
        Some(n) if !n.trim().is_empty() => {
            let inv = invoice_by_number(tx, n.trim())?.ok_or_else(|| {
                Error::field("invoice", Code::NotFound, format!("no invoice {n}"))
            })?;
            if inv.customer_id != p.customer_id {
                return Err(Error::field(
                    "invoice",
                    Code::OtherCustomer,
                    format!("invoice {n} belongs to another customer"),
                ));
            }
            if inv.total.currency != p.amount.currency {
                return Err(Error::field(
                    "invoice",
                    Code::CurrencyMismatch,
                    format!("invoice {n} is in {}", inv.total.currency),
                ));
            }
            if p.kind == PaymentKind::CreditNote {
                credit_fits(tx, &inv, p.amount)?;
            }
            Some(inv.id)
        }
        _ => None,
    };
    // The allocations asked for, checked before anything is written.
    let mut left = p.amount.minor;
    for (n, (invoice_id, amount)) in allocations.iter().enumerate() {
        let field = format!("allocations.{n}");
        let inv = invoice(tx, *invoice_id)?;
        if inv.customer_id != p.customer_id {
            return Err(Error::field(
                &field,
                Code::OtherCustomer,
                format!("invoice {} belongs to another customer", inv.number),
            ));
        }
        if inv.total.currency != p.amount.currency {
            return Err(Error::field(
                &field,
                Code::CurrencyMismatch,
                format!("invoice {} is in {}", inv.number, inv.total.currency),
            ));
        }
        let owed = outstanding_now(tx, *invoice_id)?;
        if allocations[..n]
            .iter()
            .any(|(other, _)| other == invoice_id)
            || *amount <= 0
            || *amount > owed
            || *amount > left
        {
            return Err(Error::fields(
                crate::FieldError::new(
                    &field,
                    Code::TooLarge,
                    format!("invoice {}: named twice, or more than is owed on it ({owed}) or left of the payment", inv.number),
                )
                .with("value", inv.number.clone()),
            ));
        }
        left -= amount;
    }
    tx.execute(
        "INSERT INTO payments (customer_id, kind, received_on, amount_minor, currency, method, reference, created_at, reference_key, names_invoice)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            p.customer_id,
            p.kind.as_str(),
            date_text(p.received_on),
            p.amount.minor,
            p.amount.currency.code(),
            p.method.trim(),
            reference,
            ctx.now_text(),
            crate::identity::reference_key(reference),
            target
        ],
    )?;
    let id = tx.last_insert_rowid();
    for (invoice_id, amount) in allocations {
        allocate(tx, id, *invoice_id, *amount, false)?;
    }
    let mut left = p.amount.minor - allocations.iter().map(|(_, a)| a).sum::<i64>();
    let mut moved = Vec::new();
    if let Some(invoice_id) = target {
        if p.kind == PaymentKind::CreditNote {
            moved = free_for_credit(tx, invoice_id, left)?
                .into_iter()
                .map(|(payment_id, before)| (payment_id, before, "credit_note"))
                .collect();
        }
        let owed = outstanding_now(tx, invoice_id)?;
        let part = owed.min(left);
        if part > 0 {
            allocate(tx, id, invoice_id, part, false)?;
            left -= part;
        }
    }
    let payment = payment_by_reference(tx, p.customer_id, p.kind, reference)?
        .ok_or_else(|| Error::NotFound("the payment just recorded".into()))?;
    audit::record(tx, ctx, "payment", id, "create", None, Some(&payment))?;
    // Entered after money received later: the rule applies them again in received order.
    if left > 0 {
        for (payment_id, before) in
            take_back_later(tx, p.customer_id, p.received_on, p.amount.currency.code())?
        {
            // Freed for the credit note first: what it was before that is what it was.
            if moved.iter().all(|(id, ..)| *id != payment_id) {
                moved.push((payment_id, before, "received_earlier"));
            }
        }
    }
    auto_allocate(tx, p.customer_id)?;
    for (payment_id, before, why) in moved {
        let after = allocations_of(tx, payment_id)?;
        if after != before {
            audit::record(
                tx,
                ctx,
                "payment",
                payment_id,
                "reallocate",
                Some(&serde_json::json!({ "allocations": before })),
                Some(&serde_json::json!({ "allocations": after, why: id })),
            )?;
        }
    }
    Ok(payment)
}

/// Applies every unallocated payment remainder of a customer to its open invoices in the
/// same currency: those of a payment plan first (what the customer pays goes to the plan's
/// instalments), then oldest due date first, leaving disputed invoices alone (they are paid
/// only when the payment names them, or once the dispute is resolved). What is left over
/// stays as the customer's credit.
pub fn auto_allocate(tx: &Transaction, customer_id: CustomerId) -> Result<()> {
    let payments: Vec<(i64, i64, String)> = {
        let rows: Vec<_> = crate::store::rows(
            tx,
            "SELECT p.id, p.amount_minor - COALESCE((SELECT sum(a.amount_minor) FROM allocations a WHERE a.payment_id = p.id), 0), p.currency
             FROM payments p WHERE p.customer_id = ?1 AND NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id)
             ORDER BY p.received_on, p.id",
            params![customer_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        rows.into_iter().filter(|(_, left, _)| *left > 0).collect()
    };
    if payments.is_empty() {
        return Ok(());
    }
    let mut invoices: Vec<(InvoiceId, i64, String)> = {
        let rows: Vec<_> = crate::store::rows(
            tx,
            "SELECT i.id, i.total_minor - i.written_off_minor
                    - COALESCE((SELECT sum(a.amount_minor) FROM kept_allocations a WHERE a.invoice_id = i.id), 0),
                    i.currency
             FROM invoices i WHERE i.customer_id = ?1 AND i.disputed = 0
             ORDER BY EXISTS (SELECT 1 FROM plan_invoices pi JOIN payment_plans pp ON pp.id = pi.plan_id
                              WHERE pi.invoice_id = i.id AND pp.cancelled_on IS NULL) DESC,
                      i.due_on, i.id",
            params![customer_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
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
            allocate(tx, payment_id, *invoice_id, part, true)?;
            *owed -= part;
            left -= part;
        }
    }
    Ok(())
}

/// Unallocated payments and credit notes (not returned): the customer's credit.
pub fn customer_credit(conn: &Connection, customer_id: CustomerId) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(sum(p.amount_minor), 0)
                - COALESCE((SELECT sum(a.amount_minor) FROM kept_allocations a JOIN payments q ON q.id = a.payment_id WHERE q.customer_id = ?1), 0)
         FROM payments p WHERE p.customer_id = ?1 AND NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id)",
        params![customer_id],
        |r| r.get(0),
    )?)
}
