//! Dunning charges corrected by payments recorded after the run.
//!
//! A run charges its late fee and interest on what is due when it runs. A payment received on
//! or before the run's day but recorded only after it (a bank statement imported a week
//! late, a cheque entered at the month's end) shows that less was due: the run would have
//! charged interest on the smaller amount, and no fee at all had the invoice been paid in
//! full. Each step keeps what the run found due and what payments received by its day had
//! paid then; whenever a payment or credit note is recorded, or a payment is taken back, the
//! customer's steps from that day on are compared with what is paid now:
//!
//! - what the step charged too much and was not yet credited back goes on a credit note
//!   naming the run's charge invoice (`FEE-run-customer-CRn`);
//! - a credit that a payment taken back no longer justifies is charged again on a charge
//!   invoice (`FEE-run-customer-REn`), never more than was credited.
//!
//! A run with a minimum overdue amount (a policy's "send nothing under") keeps what it
//! counted toward it: when the payments recorded since show the customer's overdue total was
//! under the minimum on the run's day, the run would have sent nothing, and every charge it
//! made to that customer is credited back. Likewise an invoice in a payment plan that the
//! payments recorded since show was kept on the run's day (an instalment paid in time,
//! entered late): the run would have left it alone, and its charges go back in full (both
//! read in the collections module's `would_have_sent`).
//!
//! So the charges that stand are what the run would have charged had it known every payment
//! received by its day, whenever those payments were recorded.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, Transaction};
use serde::Serialize;

use super::interest::interest_minor;
use super::would_have_sent::give_back_levels;
use crate::customer::{self, Language};
use crate::ids::{CustomerId, InvoiceId};
use crate::money::{Currency, Money};
use crate::receivables::{self, date_text, InvoiceKind, InvoiceLine, NewInvoice, NewPayment};
use crate::receivables::{PaymentKind, MAX_LINES};
use crate::store::parse_day;
use crate::{audit, dates, Ctx, Result};

/// What payments and credit notes received by `day` pay on an invoice now (payments taken
/// back left out; the credit notes that correct dunning charges not counted), and what a
/// write-off dated by then took off it (a bank's fee kept from a transfer, a debt given up).
pub(crate) fn paid_by(conn: &Connection, invoice_id: InvoiceId, day: NaiveDate) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE((SELECT sum(a.amount_minor)
                          FROM kept_allocations a JOIN payments p ON p.id = a.payment_id
                          WHERE a.invoice_id = ?1 AND p.received_on <= ?2
                            AND NOT EXISTS (SELECT 1 FROM charge_corrections c WHERE c.credit_note_id = p.id)), 0)
              + COALESCE((SELECT written_off_minor FROM invoices
                          WHERE id = ?1 AND written_off_on IS NOT NULL AND written_off_on <= ?2), 0)",
    )?;
    Ok(stmt.query_row(params![invoice_id, date_text(day)], |r| r.get(0))?)
}

/// A correction booked: a credit note giving charges back, or a charge invoice charging
/// again what a payment taken back no longer justifies.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Correction {
    /// The run's charge invoice the fee and interest were billed on.
    pub charge_invoice: String,
    /// The credit note's reference, or the new charge invoice's number.
    pub document: String,
    /// Positive: credited back; negative: charged again.
    pub amount: Money,
}

/// One step of a run with what it charged and what was corrected since.
struct Step {
    invoice_id: InvoiceId,
    number: String,
    level_id: i64,
    run_id: i64,
    applied_on: NaiveDate,
    fee: i64,
    interest: i64,
    rate_bp: i64,
    on_minor: i64,
    days: i64,
    due: i64,
    paid_then: i64,
    fee_corrected: i64,
    interest_corrected: i64,
    /// The run would have sent nothing on the invoice (see [`give_back_levels`]).
    given_back: bool,
}

impl Step {
    /// What the step should have credited back by now: (fee, interest), each at most what
    /// it charged.
    fn owed_back(&self, paid_now: i64) -> (i64, i64) {
        let late = paid_now - self.paid_then;
        if late <= 0 {
            return (0, 0);
        }
        let fee = if self.due - late <= 0 { self.fee } else { 0 };
        let deserved = interest_minor((self.on_minor - late).max(0), self.rate_bp, self.days);
        (fee, (self.interest - deserved).clamp(0, self.interest))
    }
}

/// The customer's steps applied on or after `since` that charged something.
fn steps(tx: &Transaction, customer_id: CustomerId, since: NaiveDate) -> Result<Vec<Step>> {
    crate::store::rows(
        tx,
        "SELECT s.invoice_id, i.number, s.level_id, s.run_id, s.applied_on, s.fee_minor, s.interest_minor,
                s.interest_bp, s.interest_on_minor, s.interest_from, s.interest_to, s.due_minor, s.paid_by_day_minor,
                COALESCE((SELECT sum(c.fee_minor) FROM charge_corrections c
                          WHERE c.invoice_id = s.invoice_id AND c.level_id = s.level_id AND c.run_id = s.run_id), 0),
                COALESCE((SELECT sum(c.interest_minor) FROM charge_corrections c
                          WHERE c.invoice_id = s.invoice_id AND c.level_id = s.level_id AND c.run_id = s.run_id), 0),
                s.given_back
         FROM dunning_steps s JOIN invoices i ON i.id = s.invoice_id
         WHERE i.customer_id = ?1 AND s.applied_on >= ?2 AND s.waived = 0
           AND s.paid_by_day_minor IS NOT NULL AND s.due_minor IS NOT NULL
           AND (s.fee_minor > 0 OR s.interest_minor > 0)
         ORDER BY s.run_id, s.invoice_id, s.level_id",
        params![customer_id, date_text(since)],
        |r| {
            let day = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
                r.get::<_, Option<String>>(i)?
                    .map(|t| parse_day(&t))
                    .transpose()
            };
            let days = match (day(9)?, day(10)?) {
                (Some(from), Some(to)) => dates::days_between(from, to),
                _ => 0,
            };
            Ok(Step {
                invoice_id: r.get(0)?,
                number: r.get(1)?,
                level_id: r.get(2)?,
                run_id: r.get(3)?,
                applied_on: parse_day(&r.get::<_, String>(4)?)?,
                fee: r.get(5)?,
                interest: r.get(6)?,
                rate_bp: r.get(7)?,
                on_minor: r.get(8)?,
                days,
                due: r.get(11)?,
                paid_then: r.get(12)?,
                fee_corrected: r.get(13)?,
                interest_corrected: r.get(14)?,
                given_back: r.get(15)?,
            })
        },
    )
}

/// One step's change: (step, fee, interest), positive to credit back, negative to charge.
type Change<'a> = (&'a Step, i64, i64);

/// Compares the customer's steps applied on or after `since` with what is paid now and
/// books the corrections, each caused by payment `cause` (the one just recorded or taken
/// back; None for a write-off). Runs again change nothing: what was corrected is on record.
pub(crate) fn reconcile(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: CustomerId,
    since: NaiveDate,
    cause: Option<i64>,
) -> Result<Vec<Correction>> {
    // Most payments meet no run: one indexed look before reading anything else.
    let dunned: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM invoices i JOIN dunning_steps s ON s.invoice_id = i.id
                            WHERE i.customer_id = ?1 AND s.applied_on >= ?2)",
        )?
        .query_row(params![customer_id, date_text(since)], |r| r.get(0))?;
    if !dunned {
        return Ok(Vec::new());
    }
    // A credit note frees the money a payment had applied to the charge invoice it names,
    // which then pays another invoice, perhaps one a run charged on: what that shows is
    // corrected in the next pass. A pass that books nothing ends it.
    let c = customer::get(tx, customer_id)?;
    let mut out = Vec::new();
    for _ in 0..MAX_PASSES {
        give_back_levels(tx, ctx, customer_id, since)?;
        let steps = steps(tx, customer_id, since)?;
        let (credits, charges) = changes(tx, &steps)?;
        let booked = out.len();
        for (run_id, changes) in credits {
            out.extend(credit_back(tx, ctx, &c, run_id, changes, cause)?);
        }
        for (run_id, changes) in charges {
            // Two lines a step at most: an invoice holds MAX_LINES.
            for part in changes.chunks(MAX_LINES / 2) {
                out.extend(charge_again(tx, ctx, &c, run_id, part.to_vec(), cause)?);
            }
        }
        if out.len() == booked {
            break;
        }
    }
    Ok(out)
}

/// Passes of [`reconcile`] at most (each frees less money than the one before; two do in
/// every case found).
const MAX_PASSES: usize = 8;

/// Per run, what its steps should credit back and charge again now.
type ByRun<'a> = BTreeMap<i64, Vec<Change<'a>>>;

/// What each step should have corrected by now, less what it has: credits and charges again.
fn changes<'a>(tx: &Transaction, steps: &'a [Step]) -> Result<(ByRun<'a>, ByRun<'a>)> {
    let mut credits = ByRun::new();
    let mut charges = ByRun::new();
    for s in steps {
        // A level given back: all it charged goes back.
        let (fee, interest) = if s.given_back {
            (s.fee, s.interest)
        } else {
            s.owed_back(paid_by(tx, s.invoice_id, s.applied_on)?)
        };
        let (dfee, dint) = (fee - s.fee_corrected, interest - s.interest_corrected);
        // One direction per document: a fee credited while interest is charged again
        // cannot happen (both follow the same payments), but is booked apart if it does.
        let (cfee, cint) = (dfee.max(0), dint.max(0));
        let (rfee, rint) = (dfee.min(0), dint.min(0));
        if cfee + cint > 0 {
            credits.entry(s.run_id).or_default().push((s, cfee, cint));
        }
        if rfee + rint < 0 {
            charges.entry(s.run_id).or_default().push((s, rfee, rint));
        }
    }
    Ok((credits, charges))
}

/// The run's charge invoice of a customer, if it is in the customer's currency.
fn charge_invoice(
    tx: &Transaction,
    run_id: i64,
    c: &customer::Customer,
) -> Result<Option<receivables::Invoice>> {
    let number = format!("FEE-{run_id}-{}", c.id);
    Ok(receivables::invoice_by_number(tx, &number)?
        .filter(|i| i.customer_id == c.id && i.total.currency == c.fields.currency))
}

fn record_rows(
    tx: &Transaction,
    ctx: &Ctx,
    changes: &[Change],
    document: (Option<i64>, Option<InvoiceId>),
    cause: Option<i64>,
    action: &str,
) -> Result<()> {
    for (s, fee, interest) in changes {
        if *fee == 0 && *interest == 0 {
            continue;
        }
        tx.execute(
            "INSERT INTO charge_corrections (invoice_id, level_id, run_id, fee_minor, interest_minor,
                 credit_note_id, charge_invoice_id, cause_payment_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                s.invoice_id,
                s.level_id,
                s.run_id,
                fee,
                interest,
                document.0,
                document.1,
                cause,
                ctx.now_text()
            ],
        )?;
        audit::record(
            tx,
            ctx,
            "invoice",
            s.invoice_id.0,
            action,
            None,
            Some(&serde_json::json!({
                "run": s.run_id, "level_id": s.level_id, "fee_minor": fee,
                "interest_minor": interest, "credit_note_id": document.0,
                "charge_invoice_id": document.1, "cause_payment_id": cause,
            })),
        )?;
    }
    Ok(())
}

/// Credits back, on one credit note naming the run's charge invoice, what the run charged
/// too much; never more than the credit notes naming that invoice may still take back.
fn credit_back(
    tx: &Transaction,
    ctx: &Ctx,
    c: &customer::Customer,
    run_id: i64,
    mut changes: Vec<Change>,
    cause: Option<i64>,
) -> Result<Option<Correction>> {
    let Some(inv) = charge_invoice(tx, run_id, c)? else {
        return Ok(None);
    };
    let credited: i64 = tx.query_row(
        "SELECT COALESCE(sum(amount_minor), 0) FROM payments WHERE names_invoice = ?1 AND kind = 'credit_note'",
        [inv.id],
        |r| r.get(0),
    )?;
    // A credit note the owner made by hand on the charge invoice already gave some back.
    let mut room = (inv.total.minor - credited).max(0);
    for (_, fee, interest) in changes.iter_mut() {
        *interest = (*interest).min(room);
        room -= *interest;
        *fee = (*fee).min(room);
        room -= *fee;
    }
    let amount: i64 = changes.iter().map(|(_, f, i)| f + i).sum();
    if amount <= 0 {
        return Ok(None);
    }
    let mut reference = String::new();
    for n in 1.. {
        reference = format!("{}-CR{n}", inv.number);
        if receivables::payment_by_reference(tx, c.id, PaymentKind::CreditNote, &reference)?
            .is_none()
        {
            break;
        }
    }
    let note = receivables::book_payment(
        tx,
        ctx,
        &NewPayment {
            customer_id: c.id,
            kind: PaymentKind::CreditNote,
            received_on: ctx.today,
            amount: Money::new(amount, inv.total.currency),
            method: String::new(),
            reference: reference.clone(),
            invoice_number: Some(inv.number.clone()),
        },
        &[],
    )?;
    record_rows(
        tx,
        ctx,
        &changes,
        (Some(note.id), None),
        cause,
        "charges_credited_back",
    )?;
    Ok(Some(Correction {
        charge_invoice: inv.number,
        document: reference,
        amount: note.amount,
    }))
}

/// Charges again, on a new charge invoice, what was credited back and a payment taken back
/// no longer justifies.
fn charge_again(
    tx: &Transaction,
    ctx: &Ctx,
    c: &customer::Customer,
    run_id: i64,
    changes: Vec<Change>,
    cause: Option<i64>,
) -> Result<Option<Correction>> {
    let Some(inv) = charge_invoice(tx, run_id, c)? else {
        return Ok(None);
    };
    let cause_reference: Option<String> = match cause {
        Some(id) => Some(tx.query_row(
            "SELECT reference FROM payments WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?),
        None => None,
    };
    let (why_zh, why_en) = match &cause_reference {
        Some(r) => (
            format!("款項 {r} 已遭退回"),
            format!("payment {r} was taken back"),
        ),
        None => (
            "所據款項已不復存在".to_string(),
            "what paid it no longer stands".to_string(),
        ),
    };
    let currency: Currency = inv.total.currency;
    let zh = c.fields.language == Language::ZhTw;
    let mut lines = Vec::new();
    for (s, fee, interest) in &changes {
        for (amount, en, cn) in [
            (-fee, "Late fee", "逾期手續費"),
            (-interest, "Interest", "利息"),
        ] {
            if amount <= 0 {
                continue;
            }
            lines.push(InvoiceLine {
                description: if zh {
                    format!("{} {cn}重新計收：{why_zh}，原退還金額不再適用", s.number)
                } else {
                    format!(
                        "{en} on {} charged again: {why_en}, so the credit for it no longer stands",
                        s.number
                    )
                },
                quantity: 1,
                unit_price_minor: amount,
                subscription_id: None,
            });
        }
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let mut number = String::new();
    for n in 1.. {
        number = format!("{}-RE{n}", inv.number);
        if receivables::invoice_by_number(tx, &number)?.is_none() {
            break;
        }
    }
    let charged = receivables::insert_invoice(
        tx,
        ctx,
        &NewInvoice {
            number: number.clone(),
            customer_id: c.id,
            kind: InvoiceKind::Charge,
            issued_on: ctx.today,
            due_on: Some(ctx.today),
            currency,
            lines,
            requires_prepayment: false,
        },
    )?;
    record_rows(
        tx,
        ctx,
        &changes,
        (None, Some(charged.id)),
        cause,
        "charges_charged_again",
    )?;
    Ok(Some(Correction {
        charge_invoice: inv.number,
        document: number,
        amount: Money::new(-charged.total.minor, currency),
    }))
}

/// The corrections a payment caused (recorded, or taken back), for the window to say so.
pub fn caused_by(conn: &Connection, payment_id: i64) -> Result<Vec<Correction>> {
    crate::store::rows(
        conn,
        "SELECT 'FEE-' || s.run_id || '-' || i.customer_id,
                COALESCE(p.reference, ci.number), sum(c.fee_minor + c.interest_minor), i.currency
         FROM charge_corrections c
         JOIN dunning_steps s ON s.invoice_id = c.invoice_id AND s.level_id = c.level_id AND s.run_id = c.run_id
         JOIN invoices i ON i.id = c.invoice_id
         LEFT JOIN payments p ON p.id = c.credit_note_id
         LEFT JOIN invoices ci ON ci.id = c.charge_invoice_id
         WHERE c.cause_payment_id = ?1
         GROUP BY c.credit_note_id, c.charge_invoice_id
         ORDER BY min(c.id)",
        params![payment_id],
        |r| {
            Ok(Correction {
                charge_invoice: r.get(0)?,
                document: r.get(1)?,
                amount: Money::new(r.get(2)?, r.get(3)?),
            })
        },
    )
}

/// The charges a payment taken back charged again (what its return did, not what its
/// recording gave back).
pub fn charged_again_by(conn: &Connection, payment_id: i64) -> Result<Vec<Correction>> {
    let mut out = caused_by(conn, payment_id)?;
    out.retain(|c| c.amount.minor < 0);
    Ok(out)
}
