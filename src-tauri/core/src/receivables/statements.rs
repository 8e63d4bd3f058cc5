//! Statements of account: every document with a running balance.

use crate::ids::CustomerId;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

use super::*;
use crate::customer;
use crate::money::Currency;
use crate::store::parse_day;
use crate::{dates, Result};

/// What a statement line is, so each language can describe it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StatementEntry {
    Invoice {
        due_on: NaiveDate,
    },
    Charge {
        due_on: NaiveDate,
    },
    /// The interest a payment plan charges.
    PlanInterest {
        due_on: NaiveDate,
    },
    Payment {
        method: String,
    },
    CreditNote,
    /// A credit note giving back a dunning run's fee and interest on money received by the
    /// run's day but recorded after it; names the run's charge invoice.
    ChargesCredited {
        charge_invoice: String,
    },
    /// Fee and interest credited back and charged again: the payment that justified the
    /// credit was taken back.
    ChargesAgain {
        due_on: NaiveDate,
    },
    /// A payment taken back (a charge-back, a returned transfer): owed again.
    PaymentReturned {
        reason: ReturnReason,
    },
    WriteOff {
        reason: String,
    },
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
    pub customer_id: CustomerId,
    pub as_of: NaiveDate,
    pub currency: Currency,
    pub lines: Vec<StatementLine>,
    pub balance_minor: i64,
    pub open_items: Vec<OpenItem>,
    /// Payment plans still running or broken as of the date (shown with the statement).
    pub plans: Vec<crate::plans::PlanView>,
}

/// Every invoice, payment, credit note and write-off of a customer up to a date, with a
/// running balance, and the invoices still open.
pub fn statement(
    conn: &Connection,
    customer_id: CustomerId,
    as_of: NaiveDate,
) -> Result<Statement> {
    dates::check_field("as_of", as_of)?;
    let c = customer::get(conn, customer_id)?;
    let day = date_text(as_of);
    let mut entries: Vec<(NaiveDate, u8, String, StatementEntry, String, i64, i64)> = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT issued_on, number, kind, total_minor, written_off_on, written_off_minor, write_off_reason, due_on,
                    EXISTS (SELECT 1 FROM payment_plans p WHERE p.interest_invoice_id = invoices.id),
                    EXISTS (SELECT 1 FROM charge_corrections c WHERE c.charge_invoice_id = invoices.id)
             FROM invoices WHERE customer_id = ?1 AND issued_on <= ?2",
        )?;
        let mut rows = stmt.query(params![customer_id, day])?;
        while let Some(r) = rows.next()? {
            let on = parse_day(&r.get::<_, String>(0)?)?;
            let number: String = r.get(1)?;
            let kind: InvoiceKind = r.get(2)?;
            let due_on = parse_day(&r.get::<_, String>(7)?)?;
            let plan_interest: bool = r.get(8)?;
            let again: bool = r.get(9)?;
            let entry = match kind {
                InvoiceKind::Charge if plan_interest => StatementEntry::PlanInterest { due_on },
                InvoiceKind::Charge if again => StatementEntry::ChargesAgain { due_on },
                InvoiceKind::Charge => StatementEntry::Charge { due_on },
                InvoiceKind::Invoice => StatementEntry::Invoice { due_on },
            };
            let what = if plan_interest {
                "payment plan interest"
            } else if again {
                "late fee and interest charged again (payment taken back)"
            } else {
                kind.as_str()
            };
            // Charges taken again come after what they take back: the day's credit notes
            // and payments returned.
            let order = if again { 4 } else { 0 };
            entries.push((
                on,
                order,
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
            "SELECT p.received_on, p.reference, p.kind, p.amount_minor, p.method, r.returned_on, r.reason,
                    CASE WHEN EXISTS (SELECT 1 FROM charge_corrections c WHERE c.credit_note_id = p.id)
                         THEN (SELECT i.number FROM invoices i WHERE i.id = p.names_invoice) END
             FROM payments p LEFT JOIN payment_returns r ON r.payment_id = p.id
             WHERE p.customer_id = ?1 AND p.received_on <= ?2",
        )?;
        let mut rows = stmt.query(params![customer_id, day])?;
        while let Some(r) = rows.next()? {
            let kind: PaymentKind = r.get(2)?;
            let method: String = r.get(4)?;
            let corrects: Option<String> = r.get(7)?;
            let (desc, entry) = match (kind, corrects) {
                (PaymentKind::CreditNote, Some(charge_invoice)) => (
                    format!("late fee and interest of {charge_invoice} credited back (paid before the run)"),
                    StatementEntry::ChargesCredited { charge_invoice },
                ),
                (PaymentKind::CreditNote, None) => {
                    ("credit note".to_string(), StatementEntry::CreditNote)
                }
                (PaymentKind::Payment, _) if method.is_empty() => {
                    ("payment".to_string(), StatementEntry::Payment { method })
                }
                (PaymentKind::Payment, _) => (
                    format!("payment ({method})"),
                    StatementEntry::Payment { method },
                ),
            };
            let reference: String = r.get(1)?;
            let amount: i64 = r.get(3)?;
            // Charges given back come after the day's payments that showed them.
            let order = if matches!(entry, StatementEntry::ChargesCredited { .. }) {
                2
            } else {
                1
            };
            entries.push((r.get(0)?, order, reference.clone(), entry, desc, 0, amount));
            let returned_on: Option<NaiveDate> = r.get(5)?;
            if let Some(on) = returned_on.filter(|on| *on <= as_of) {
                let reason: ReturnReason = r.get(6)?;
                entries.push((
                    on,
                    3,
                    reference,
                    StatementEntry::PaymentReturned { reason },
                    format!("payment returned ({reason})"),
                    amount,
                    0,
                ));
            }
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
        plans: crate::plans::for_customer(conn, customer_id, as_of)?
            .into_iter()
            .filter(|p| {
                matches!(
                    p.status,
                    crate::plans::PlanStatus::Kept | crate::plans::PlanStatus::Broken
                )
            })
            .collect(),
    })
}
