//! Payment plans: chosen open invoices of one customer spread over instalments, with the
//! plan's own interest if the owner charges one.
//!
//! The schedule: each instalment repays a share of what the invoices owe (equal shares, the
//! odd minor units on the first ones, or shares and dates typed) and the interest on that
//! share from the plan's date to the instalment's due date (simple interest, rounded half
//! away from zero per instalment: the same rule as dunning interest). The total is what is
//! owed plus the interest, exactly; the interest is billed as a charge invoice of the plan.
//!
//! While a plan is kept, dunning pauses for its invoices. Payments count towards the
//! instalments in order (what is allocated to the plan's invoices by payments made after
//! it). An instalment still unpaid after the grace period breaks the plan: dunning resumes
//! at the level each invoice had reached, with interest only from the day the plan broke.

mod state;

pub use state::*;

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};

use crate::collections::interest::interest_minor;
use crate::error::{Code, FieldError};
use crate::ids::{CustomerId, InvoiceId};
use crate::money::Money;
use crate::receivables::{self, InvoiceKind, InvoiceLine, NewInvoice};
use crate::text_enum::text_enum;
use crate::{audit, customer, dates, Ctx, Error, Result};

text_enum!(
    /// How far apart equal instalments fall.
    Every {
        Month = "month",
        TwoWeeks = "2weeks",
    }
);

/// The instalments asked for: equal ones from a first date, or each share and date typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    Equal {
        count: u32,
        first: NaiveDate,
        every: Every,
    },
    /// (due date, share of what is owed in minor units), dates rising.
    Typed { parts: Vec<(NaiveDate, i64)> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlan {
    pub customer_id: CustomerId,
    pub invoices: Vec<InvoiceId>,
    pub schedule: Schedule,
    /// The plan's annual interest rate in basis points (0 for none).
    pub rate_bp: i64,
    pub note: String,
}

/// One instalment as scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instalment {
    pub seq: u32,
    pub due_on: NaiveDate,
    pub principal: Money,
    pub interest: Money,
    /// Principal plus interest: what the customer pays that day.
    pub amount: Money,
}

/// A plan as it would be made: the invoices, what they owe, the schedule and the totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub customer_id: CustomerId,
    pub made_on: NaiveDate,
    pub invoices: Vec<PlanInvoice>,
    pub owed: Money,
    pub rate_bp: i64,
    pub interest: Money,
    pub total: Money,
    pub instalments: Vec<Instalment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanInvoice {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub owed: Money,
}

/// The most instalments a plan has (ten years of months).
pub const MAX_INSTALMENTS: u32 = 120;

fn bad(field: &str, code: Code, msg: impl Into<String>) -> Error {
    Error::field(field, code, msg)
}

/// Equal dates from `first`: the same day each month (the month's last day when shorter),
/// or every fourteen days.
fn dates_from(first: NaiveDate, every: Every, count: u32) -> Result<Vec<NaiveDate>> {
    (0..count)
        .map(|i| {
            let d = match every {
                Every::Month => first.checked_add_months(Months::new(i)),
                Every::TwoWeeks => first.checked_add_signed(chrono::Duration::days(14 * i as i64)),
            };
            d.filter(|d| dates::check(*d).is_ok()).ok_or_else(|| {
                bad(
                    "first",
                    Code::DateOutOfRange,
                    "the instalments run past the dates RiskDesk takes",
                )
            })
        })
        .collect()
}

/// The plan a request would make, checked against the book as it is today.
pub fn draft(conn: &Connection, today: NaiveDate, p: &NewPlan) -> Result<Draft> {
    let c = customer::get(conn, p.customer_id)?;
    if c.fields.status == customer::Status::Closed {
        return Err(bad("customer_id", Code::Closed, "the customer is closed"));
    }
    let currency = c.fields.currency;
    if p.invoices.is_empty() || p.invoices.len() > 100 {
        return Err(bad(
            "invoices",
            Code::Required,
            "choose 1 to 100 open invoices",
        ));
    }
    if !(0..=10_000).contains(&p.rate_bp) {
        return Err(bad(
            "rate",
            Code::InvalidPercent,
            "a rate from 0 to 100 % a year",
        ));
    }
    let held = state::holds(conn, today)?;
    let mut invoices = Vec::new();
    for (n, id) in p.invoices.iter().enumerate() {
        let field = format!("invoices.{n}");
        if p.invoices[..n].contains(id) {
            return Err(bad(&field, Code::Duplicate, "an invoice is chosen twice"));
        }
        let inv = receivables::invoice(conn, *id)?;
        if inv.customer_id != p.customer_id {
            return Err(bad(
                &field,
                Code::OtherCustomer,
                format!("invoice {} belongs to another customer", inv.number),
            ));
        }
        if inv.total.currency != currency {
            return Err(bad(
                &field,
                Code::CurrencyMismatch,
                format!("invoice {} is in {}", inv.number, inv.total.currency),
            ));
        }
        if inv.disputed {
            return Err(bad(
                &field,
                Code::Conflict,
                format!(
                    "invoice {} is disputed: resolve the dispute first",
                    inv.number
                ),
            ));
        }
        if matches!(held.get(id), Some(Hold::Kept { .. })) {
            return Err(bad(
                &field,
                Code::Conflict,
                format!("invoice {} is already in a payment plan", inv.number),
            ));
        }
        let owed = receivables::invoice_outstanding(conn, *id)?;
        if owed <= 0 {
            return Err(bad(
                &field,
                Code::Conflict,
                format!("invoice {} is paid", inv.number),
            ));
        }
        invoices.push(PlanInvoice {
            invoice_id: *id,
            number: inv.number,
            owed: Money::new(owed, currency),
        });
    }
    let owed: i64 = invoices
        .iter()
        .try_fold(0i64, |a, i| a.checked_add(i.owed.minor))
        .ok_or_else(|| bad("invoices", Code::SumTooLarge, "too much to plan"))?;
    let parts: Vec<(NaiveDate, i64)> = match &p.schedule {
        Schedule::Equal {
            count,
            first,
            every,
        } => {
            if *count == 0 || *count > MAX_INSTALMENTS {
                return Err(Error::fields(
                    FieldError::new("instalments", Code::InvalidNumber, "1 to 120 instalments")
                        .with("max", MAX_INSTALMENTS),
                ));
            }
            let n = *count as i64;
            if n > owed {
                // Each instalment repays at least one minor unit: USD 0.05 is five at most.
                return Err(Error::fields(
                    FieldError::new(
                        "instalments",
                        Code::MoreInstalmentsThanOwed,
                        format!(
                            "at most {} for what the invoices owe",
                            crate::english::count(owed, "instalment", "instalments")
                        ),
                    )
                    .with("max", owed)
                    .with("value", Money::new(owed, currency).format()),
                ));
            }
            let share = owed / n;
            let odd = owed % n;
            dates_from(*first, *every, *count)?
                .into_iter()
                .enumerate()
                .map(|(i, d)| (d, share + i64::from((i as i64) < odd)))
                .collect()
        }
        Schedule::Typed { parts } => {
            if parts.is_empty() || parts.len() > MAX_INSTALMENTS as usize {
                return Err(bad(
                    "instalments",
                    Code::InvalidNumber,
                    "1 to 120 instalments",
                ));
            }
            if parts.windows(2).any(|w| w[1].0 <= w[0].0) {
                return Err(bad(
                    "instalments",
                    Code::NotRising,
                    "each instalment falls after the one before",
                ));
            }
            if parts.iter().any(|(_, a)| *a <= 0) {
                return Err(bad(
                    "instalments",
                    Code::NotPositive,
                    "each instalment repays more than zero",
                ));
            }
            let sum = parts.iter().try_fold(0i64, |a, (_, x)| a.checked_add(*x));
            if sum != Some(owed) {
                return Err(Error::fields(
                    FieldError::new(
                        "instalments",
                        Code::SumMismatch,
                        "the instalments must add up to what the invoices owe",
                    )
                    .with("value", Money::new(owed, currency).format()),
                ));
            }
            parts.clone()
        }
    };
    let first = parts[0].0;
    if first < today {
        return Err(bad(
            "first",
            Code::TooEarly,
            "the first instalment is today or later",
        ));
    }
    if first > today + chrono::Duration::days(366) {
        return Err(bad(
            "first",
            Code::DateOutOfRange,
            "the first instalment is within a year",
        ));
    }
    let too_much = || bad("invoices", Code::SumTooLarge, "too much to plan");
    let mut instalments = Vec::new();
    let mut interest = 0i64;
    for (i, (due_on, principal)) in parts.iter().enumerate() {
        dates::check_field("instalments", *due_on)?;
        let charged = interest_minor(*principal, p.rate_bp, dates::days_between(today, *due_on));
        interest = interest.checked_add(charged).ok_or_else(too_much)?;
        instalments.push(Instalment {
            seq: i as u32 + 1,
            due_on: *due_on,
            principal: Money::new(*principal, currency),
            interest: Money::new(charged, currency),
            amount: Money::new(
                principal.checked_add(charged).ok_or_else(too_much)?,
                currency,
            ),
        });
    }
    owed.checked_add(interest).ok_or_else(too_much)?;
    Ok(Draft {
        customer_id: p.customer_id,
        made_on: today,
        invoices,
        owed: Money::new(owed, currency),
        rate_bp: p.rate_bp,
        interest: Money::new(interest, currency),
        total: Money::new(owed + interest, currency),
        instalments,
    })
}

/// Makes the plan (and the charge invoice for its interest) and audits it.
pub fn create(tx: &Transaction, ctx: &Ctx, p: &NewPlan) -> Result<PlanView> {
    let note = p.note.trim();
    if note.chars().count() > 1000 || customer::has_control(note, true) {
        return Err(bad(
            "note",
            Code::TooLong,
            "a note is at most 1,000 characters",
        ));
    }
    let d = draft(tx, ctx.today, p)?;
    let last_payment: i64 = tx.query_row("SELECT COALESCE(max(id), 0) FROM payments", [], |r| {
        r.get(0)
    })?;
    tx.execute(
        "INSERT INTO payment_plans (customer_id, currency, made_on, owed_minor, interest_bp, interest_minor, total_minor,
             last_payment_id, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            p.customer_id,
            d.owed.currency.code(),
            d.made_on.to_string(),
            d.owed.minor,
            d.rate_bp,
            d.interest.minor,
            d.total.minor,
            last_payment,
            note,
            ctx.now_text()
        ],
    )?;
    let id = tx.last_insert_rowid();
    for inv in &d.invoices {
        tx.execute(
            "INSERT INTO plan_invoices (plan_id, invoice_id, owed_minor) VALUES (?1, ?2, ?3)",
            params![id, inv.invoice_id, inv.owed.minor],
        )?;
    }
    for i in &d.instalments {
        tx.execute(
            "INSERT INTO plan_instalments (plan_id, seq, due_on, principal_minor, interest_minor) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, i.seq, i.due_on.to_string(), i.principal.minor, i.interest.minor],
        )?;
    }
    if d.interest.minor > 0 {
        let last = d.instalments.last().map_or(d.made_on, |i| i.due_on);
        let charge = receivables::insert_invoice(
            tx,
            ctx,
            &NewInvoice {
                number: format!("PLAN-{id}-{}", d.made_on.year()),
                customer_id: p.customer_id,
                kind: InvoiceKind::Charge,
                issued_on: d.made_on,
                due_on: Some(last),
                currency: d.owed.currency,
                lines: vec![InvoiceLine {
                    // In the customer's language, as dunning's charges are: the line is theirs.
                    description: {
                        let rate = format!("{}.{:02} %", d.rate_bp / 100, d.rate_bp % 100);
                        match crate::customer::get(tx, p.customer_id)?.fields.language {
                            crate::customer::Language::En => {
                                format!("Payment plan {id}: interest at {rate} a year")
                            }
                            crate::customer::Language::ZhTw => {
                                format!("分期付款協議 {id}：年利率 {rate} 之利息")
                            }
                        }
                    },
                    quantity: 1,
                    unit_price_minor: d.interest.minor,
                    subscription_id: None,
                }],
                requires_prepayment: false,
            },
        )?;
        tx.execute(
            "UPDATE payment_plans SET interest_invoice_id = ?1 WHERE id = ?2",
            params![charge.id, id],
        )?;
        tx.execute(
            "INSERT INTO plan_invoices (plan_id, invoice_id, owed_minor) VALUES (?1, ?2, ?3)",
            params![id, charge.id, d.interest.minor],
        )?;
    }
    let view = state::view(tx, id, ctx.today)?;
    audit::record(tx, ctx, "payment_plan", id, "create", None, Some(&view))?;
    Ok(view)
}

/// Ends a kept plan by the owner's decision: dunning resumes for its invoices.
pub fn cancel(tx: &Transaction, ctx: &Ctx, id: i64, note: &str) -> Result<PlanView> {
    let before = state::view(tx, id, ctx.today)?;
    if before.status == PlanStatus::Cancelled || before.status == PlanStatus::Completed {
        return Err(Error::Conflict {
            field: "plan".into(),
            message: format!("payment plan {id} is {}", before.status),
        });
    }
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 1000 || customer::has_control(note, true) {
        return Err(bad(
            "note",
            Code::Required,
            "say why the plan ends (at most 1,000 characters)",
        ));
    }
    tx.execute(
        "UPDATE payment_plans SET cancelled_on = ?1, note = CASE WHEN note = '' THEN ?2 ELSE note || char(10) || ?2 END WHERE id = ?3",
        params![ctx.today.to_string(), note, id],
    )?;
    let after = state::view(tx, id, ctx.today)?;
    audit::record(
        tx,
        ctx,
        "payment_plan",
        id,
        "cancel",
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

/// A rate typed as a percentage (`12`, `9.5`, `0`) in basis points: the policies' parser.
pub fn parse_rate(text: &str) -> Result<i64> {
    crate::collections::parse_rate("rate", text)
}

#[cfg(test)]
mod late_tests;
#[cfg(test)]
mod tests;
