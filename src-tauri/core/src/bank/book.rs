//! Booking a reviewed line as a payment, or setting it aside. Nothing is booked without the
//! owner's word; a line is booked once.

use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};

use super::{line, BankLine, Book, Confidence, Direction, LineStatus};
use crate::error::{Code, FieldError};
use crate::ids::{CustomerId, InvoiceId};
use crate::money::Money;
use crate::receivables::{self, NewPayment, PaymentKind};
use crate::{audit, customer, Ctx, Error, Result};

/// One invoice and the part of the line paid to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationInput {
    pub invoice_id: InvoiceId,
    /// Minor units of the customer's currency (the line's, unless the bank converted it).
    pub amount_minor: i64,
}

/// What the owner decided a line pays: the customer, the invoices and amounts (what is left
/// is the customer's credit, applied by the book's rules), and whether the shortfall left on
/// those invoices is written off as a bank fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub customer_id: CustomerId,
    pub allocations: Vec<AllocationInput>,
    #[serde(default)]
    pub write_off_fee: bool,
    /// For a customer billed in another currency than the line's (a US dollar transfer the
    /// bank converted into the New Taiwan dollars of the account): what the line paid, in
    /// minor units of the customer's currency, as the bank's advice says. None otherwise.
    #[serde(default)]
    pub received_minor: Option<i64>,
}

/// A line booked: the payment it became.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Booked {
    pub line_id: i64,
    pub payment_id: i64,
    pub customer_id: CustomerId,
    /// The payment's amount, in the customer's currency.
    pub received: Money,
    /// What went to the invoices named; the rest is credit, applied to the oldest open ones.
    pub allocated: Money,
    pub fee_written_off: Option<Money>,
    /// The line sent the payment back: it was recorded as taken back.
    pub sent_back: bool,
    /// Dunning charges the payment gave back (received by a run's day), or that its return
    /// charged again.
    pub corrections: Vec<crate::collections::Correction>,
}

fn open_line(tx: &Transaction, line_id: i64) -> Result<BankLine> {
    let l = line(tx, line_id)?;
    if l.status != LineStatus::Open {
        return Err(Error::Conflict {
            field: "line".into(),
            message: format!("bank line {line_id} is {} and cannot be booked", l.status),
        });
    }
    if l.entry.direction != Direction::Credit {
        return Err(Error::Conflict {
            field: "line".into(),
            message: format!("bank line {line_id} is money paid out: it pays no invoice"),
        });
    }
    Ok(l)
}

/// The payment reference: the bank's own, unless the customer has a payment by it already.
fn reference(tx: &Transaction, l: &BankLine, customer_id: CustomerId) -> Result<String> {
    let bank: String = l.entry.reference.trim().chars().take(100).collect();
    if !bank.is_empty()
        && receivables::payment_by_reference(tx, customer_id, PaymentKind::Payment, &bank)?
            .is_none()
    {
        return Ok(bank);
    }
    Ok(format!("BANK-{}", l.id))
}

/// Books a line as the owner decided.
pub fn confirm(tx: &Transaction, ctx: &Ctx, line_id: i64, d: &Decision) -> Result<Booked> {
    let l = open_line(tx, line_id)?;
    let c = customer::get(tx, d.customer_id)?;
    let paid = paid_in_customer_currency(&l, c.fields.currency, d.received_minor)?;
    let mut seen = Vec::new();
    let mut allocated = 0i64;
    for a in &d.allocations {
        if seen.contains(&a.invoice_id) {
            return Err(Error::field(
                "allocations",
                Code::Duplicate,
                "an invoice is named twice",
            ));
        }
        seen.push(a.invoice_id);
        allocated = allocated.checked_add(a.amount_minor).ok_or_else(|| {
            Error::field(
                "allocations",
                Code::TooLarge,
                "the parts add up to more than the line",
            )
        })?;
    }
    if allocated > paid.minor {
        return Err(Error::fields(
            FieldError::new(
                "allocations",
                Code::TooLarge,
                "the parts add up to more than the line",
            )
            .with("value", Money::new(allocated, paid.currency).format()),
        ));
    }
    // The shortfall a bank fee explains: what the invoices still owe once paid this line.
    let mut fee = 0i64;
    if d.write_off_fee {
        if allocated != paid.minor || d.allocations.is_empty() {
            return Err(Error::field(
                "write_off_fee",
                Code::Invalid,
                "a bank fee is written off only when the whole line pays the invoices",
            ));
        }
        for a in &d.allocations {
            fee += receivables::invoice_outstanding(tx, a.invoice_id)? - a.amount_minor;
        }
        let tolerance = super::fee_tolerances(tx)?
            .iter()
            .find(|m| m.currency == paid.currency)
            .map_or(0, |m| m.minor);
        if fee <= 0 || fee > tolerance {
            return Err(Error::fields(
                FieldError::new(
                    "write_off_fee",
                    Code::TooLarge,
                    "the shortfall is not within the bank-fee tolerance",
                )
                .with("value", Money::new(fee.max(0), paid.currency).format()),
            ));
        }
    }
    let payment = receivables::record_payment_allocated(
        tx,
        ctx,
        &NewPayment {
            customer_id: c.id,
            kind: PaymentKind::Payment,
            received_on: l.entry.booked_on,
            amount: paid,
            // A converted transfer keeps what arrived on the account beside it.
            method: if paid.currency == l.entry.amount.currency {
                "bank transfer".into()
            } else {
                format!("bank transfer ({})", l.entry.amount.format())
            },
            reference: reference(tx, &l, c.id)?,
            invoice_number: None,
        },
        &d.allocations
            .iter()
            .map(|a| (a.invoice_id, a.amount_minor))
            .collect::<Vec<_>>(),
    )?;
    if fee > 0 {
        for a in &d.allocations {
            if receivables::invoice_outstanding(tx, a.invoice_id)? > 0 {
                receivables::write_off(
                    tx,
                    ctx,
                    a.invoice_id,
                    l.entry.booked_on,
                    // In the customer's language: its statement prints the reason.
                    &match c.fields.language {
                        customer::Language::En => {
                            format!("bank fee: the transfer of bank line {} arrived short", l.id)
                        }
                        customer::Language::ZhTw => {
                            format!("銀行手續費：銀行對帳第 {} 筆匯款入帳短少", l.id)
                        }
                    },
                )?;
            }
        }
    }
    tx.execute(
        "UPDATE bank_lines SET status = 'booked', payment_id = ?1, decided_at = ?2, decided_by = ?3 WHERE id = ?4",
        params![payment.id, ctx.now_text(), ctx.actor, l.id],
    )?;
    let after = line(tx, l.id)?;
    audit::record(tx, ctx, "bank_line", l.id, "book", Some(&l), Some(&after))?;
    Ok(Booked {
        line_id: l.id,
        payment_id: payment.id,
        customer_id: c.id,
        received: paid,
        allocated: Money::new(allocated, paid.currency),
        fee_written_off: (fee > 0).then(|| Money::new(fee, paid.currency)),
        sent_back: false,
        corrections: crate::collections::caused_by(tx, payment.id)?,
    })
}

/// What a line pays in the customer's currency: the line itself, or for a customer billed in
/// another currency the amount the owner read on the bank's advice (required then, and only
/// then).
fn paid_in_customer_currency(
    l: &BankLine,
    billed_in: crate::money::Currency,
    received_minor: Option<i64>,
) -> Result<Money> {
    let line = l.entry.amount;
    match received_minor {
        None if billed_in == line.currency => Ok(line),
        None => Err(Error::fields(
            FieldError::new(
                "received",
                Code::Required,
                format!(
                    "the customer is billed in {billed_in}, the line is in {}: give what it paid in {billed_in}",
                    line.currency
                ),
            )
            .with("currency", billed_in),
        )),
        Some(_) if billed_in == line.currency => Err(Error::field(
            "received",
            Code::Invalid,
            "the line is in the customer's currency already: it pays what it says",
        )),
        Some(m) if m <= 0 => Err(Error::field("received", Code::NotPositive, "more than zero")),
        Some(m) if m > crate::money::MAX_MINOR => Err(Error::field(
            "received",
            Code::TooLarge,
            "the amount is too large",
        )),
        Some(m) => Ok(Money::new(m, billed_in)),
    }
}

/// Books a line as RiskDesk proposes (any confidence, as long as it names a customer).
pub fn accept(tx: &Transaction, ctx: &Ctx, line_id: i64) -> Result<Booked> {
    let l = line(tx, line_id)?;
    if super::returns::sends_back(&l) {
        return super::returns::record(tx, ctx, &l);
    }
    let l = open_line(tx, line_id)?;
    let proposal = Book::load(tx)?.propose(&l);
    book_as_proposed(tx, ctx, &l, proposal)
}

/// Books a line whose proposed customer is billed in another currency (a transfer the bank
/// converted) with what it paid in that currency, `received` as typed (the bank's advice);
/// the payment goes to the customer's oldest invoices in that currency.
pub fn accept_converted(
    tx: &Transaction,
    ctx: &Ctx,
    line_id: i64,
    received: &str,
) -> Result<Booked> {
    let l = open_line(tx, line_id)?;
    let Some(customer_id) = Book::load(tx)?.propose(&l).and_then(|p| p.customer_id) else {
        return Err(Error::Conflict {
            field: "line".into(),
            message: format!("bank line {line_id} has no customer proposed: choose one"),
        });
    };
    let billed_in = customer::get(tx, customer_id)?.fields.currency;
    let received =
        Money::written(received, billed_in).map_err(|e| Error::fields(e.field("received")))?;
    confirm(
        tx,
        ctx,
        line_id,
        &Decision {
            customer_id,
            allocations: vec![],
            write_off_fee: false,
            received_minor: Some(received.minor),
        },
    )
}

fn book_as_proposed(
    tx: &Transaction,
    ctx: &Ctx,
    l: &BankLine,
    proposal: Option<super::Proposal>,
) -> Result<Booked> {
    let Some((p, customer_id)) = proposal.and_then(|p| p.customer_id.map(|c| (p, c))) else {
        return Err(Error::Conflict {
            field: "line".into(),
            message: format!("bank line {} has no customer proposed: choose one", l.id),
        });
    };
    confirm(
        tx,
        ctx,
        l.id,
        &Decision {
            customer_id,
            allocations: p
                .allocations
                .iter()
                .map(|a| AllocationInput {
                    invoice_id: a.invoice_id,
                    amount_minor: a.amount.minor,
                })
                .collect(),
            write_off_fee: p.fee.is_some(),
            received_minor: None,
        },
    )
}

/// Books every line proposed *sure*, oldest first, each against the book as the ones before
/// left it (two lines naming one invoice: the second is no longer sure). The book is read
/// once; after each booking only that customer's invoices are read again.
pub fn accept_all_sure(tx: &Transaction, ctx: &Ctx) -> Result<Vec<Booked>> {
    let mut waiting = super::lines(tx, true)?;
    waiting.sort_by_key(|l| (l.entry.booked_on, l.id));
    let mut book = Book::load(tx)?;
    let mut booked = Vec::new();
    for l in waiting {
        let proposal = book.propose(&l);
        if proposal
            .as_ref()
            .is_some_and(|p| p.confidence == Confidence::Sure)
        {
            let b = book_as_proposed(tx, ctx, &l, proposal)?;
            book.refresh_customer(tx, b.customer_id)?;
            booked.push(b);
        }
    }
    Ok(booked)
}

/// Sets a waiting line aside with a note (a transfer between own accounts, a refund).
pub fn ignore(tx: &Transaction, ctx: &Ctx, line_id: i64, note: &str) -> Result<BankLine> {
    let l = line(tx, line_id)?;
    if l.status != LineStatus::Open {
        return Err(Error::Conflict {
            field: "line".into(),
            message: format!("bank line {line_id} is {}", l.status),
        });
    }
    let note = note.trim();
    if note.chars().count() > 500 || crate::customer::has_control(note, false) {
        return Err(Error::field(
            "note",
            Code::TooLong,
            "a note is at most 500 characters on one line",
        ));
    }
    tx.execute(
        "UPDATE bank_lines SET status = 'ignored', decided_at = ?1, decided_by = ?2, note = ?3 WHERE id = ?4",
        params![ctx.now_text(), ctx.actor, note, l.id],
    )?;
    let after = line(tx, l.id)?;
    audit::record(tx, ctx, "bank_line", l.id, "ignore", Some(&l), Some(&after))?;
    Ok(after)
}
