//! Where a plan stands as of a date, read from its schedule and the payments: kept,
//! completed, broken (an instalment unpaid past the grace period), or cancelled. Nothing is
//! stored by a job, so the answer never depends on when, or how often, anyone looked.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::ids::{CustomerId, InvoiceId};
use crate::money::Money;
use crate::store::{currency_of, parse_day, rows};
use crate::text_enum::text_enum;
use crate::{Error, Result};

text_enum!(
    PlanStatus {
        Kept = "kept",
        Completed = "completed",
        Broken = "broken",
        Cancelled = "cancelled",
    }
);

text_enum!(
    /// An instalment: paid, partly paid, not yet due, late (due and unpaid, still within
    /// the grace period) or missed (unpaid past it: the plan broke).
    InstalmentState {
        Paid = "paid",
        PartlyPaid = "partly_paid",
        Upcoming = "upcoming",
        Late = "late",
        Missed = "missed",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstalmentView {
    pub seq: u32,
    pub due_on: NaiveDate,
    pub principal: Money,
    pub interest: Money,
    pub amount: Money,
    /// What the payments so far cover of it (in order: the first instalment first).
    pub paid: Money,
    pub state: InstalmentState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanView {
    pub id: i64,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub made_on: NaiveDate,
    pub owed: Money,
    pub rate_bp: i64,
    pub interest: Money,
    pub total: Money,
    pub paid: Money,
    pub status: PlanStatus,
    /// The day the plan broke (the day after the missed instalment's grace period) or was
    /// cancelled: dunning and its interest resume from there.
    pub ended_on: Option<NaiveDate>,
    pub grace_days: i64,
    pub note: String,
    pub invoices: Vec<super::PlanInvoice>,
    pub interest_invoice: Option<InvoiceId>,
    pub instalments: Vec<InstalmentView>,
}

/// The setting for the days an instalment may be late before the plan breaks.
pub const GRACE_KEY: &str = "plans.grace_days";
pub const DEFAULT_GRACE_DAYS: i64 = 5;

pub fn grace_days(conn: &Connection) -> Result<i64> {
    let text = crate::store::settings::get(conn, GRACE_KEY)?;
    Ok(text
        .and_then(|t| t.trim().parse::<i64>().ok())
        .filter(|d| (0..=90).contains(d))
        .unwrap_or(DEFAULT_GRACE_DAYS))
}

/// What payments after the plan's making, received by `as_of`, allocated to its invoices.
fn paid_towards(
    conn: &Connection,
    plan_id: i64,
    last_payment_id: i64,
    as_of: NaiveDate,
    returns_by: NaiveDate,
) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(sum(a.amount_minor), 0)
         FROM allocations a JOIN payments p ON p.id = a.payment_id
         WHERE a.invoice_id IN (SELECT invoice_id FROM plan_invoices WHERE plan_id = ?1)
           AND p.id > ?2 AND p.received_on <= ?3
           AND NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id AND r.returned_on <= ?4)",
        params![plan_id, last_payment_id, as_of.to_string(), returns_by.to_string()],
        |r| r.get(0),
    )?)
}

/// The plan as of `as_of`.
pub fn view(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<PlanView> {
    view_with(conn, id, as_of, as_of)
}

/// Whether the plan was kept on `day` as every payment recorded now shows it, a payment
/// taken back since never having counted (what a dunning run that day would have done,
/// had it known).
pub(crate) fn kept_knowing_now(conn: &Connection, id: i64, day: NaiveDate) -> Result<bool> {
    Ok(view_with(conn, id, day, crate::dates::MAX)?.status == PlanStatus::Kept)
}

/// The plan as of `as_of`, with the payments taken back by `returns_by` left out.
fn view_with(
    conn: &Connection,
    id: i64,
    as_of: NaiveDate,
    returns_by: NaiveDate,
) -> Result<PlanView> {
    type Row = (
        CustomerId,
        String,
        String,
        String,
        i64,
        i64,
        i64,
        i64,
        Option<InvoiceId>,
        i64,
        Option<String>,
        String,
    );
    let row: Option<Row> = conn
        .query_row(
            "SELECT p.customer_id, c.legal_name, p.currency, p.made_on, p.owed_minor, p.interest_bp, p.interest_minor,
                    p.total_minor, p.interest_invoice_id, p.last_payment_id, p.cancelled_on, p.note
             FROM payment_plans p JOIN customers c ON c.id = p.customer_id WHERE p.id = ?1",
            params![id],
            |r| {
                Ok((
                    r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?,
                    r.get(9)?, r.get(10)?, r.get(11)?,
                ))
            },
        )
        .optional()?;
    let (
        customer_id,
        customer_name,
        cur,
        made_on,
        owed,
        rate_bp,
        interest,
        total,
        interest_invoice,
        last_payment,
        cancelled,
        note,
    ) = row.ok_or_else(|| Error::NotFound(format!("payment plan {id}")))?;
    let currency = currency_of(&cur)?;
    let made_on = parse_day(&made_on)?;
    let m = |minor| Money::new(minor, currency);
    let invoices = rows(
        conn,
        "SELECT pi.invoice_id, i.number, pi.owed_minor FROM plan_invoices pi JOIN invoices i ON i.id = pi.invoice_id
         WHERE pi.plan_id = ?1 AND pi.invoice_id IS NOT ?2 ORDER BY i.due_on, i.id",
        params![id, interest_invoice],
        |r| {
            Ok(super::PlanInvoice {
                invoice_id: r.get(0)?,
                number: r.get(1)?,
                owed: Money::new(r.get(2)?, currency),
            })
        },
    )?;
    let schedule: Vec<(u32, NaiveDate, i64, i64)> = rows(
        conn,
        "SELECT seq, due_on, principal_minor, interest_minor FROM plan_instalments WHERE plan_id = ?1 ORDER BY seq",
        params![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let grace = grace_days(conn)?;
    let paid = paid_towards(conn, id, last_payment, as_of, returns_by)?;
    let mut left = paid;
    let mut broken_on: Option<NaiveDate> = None;
    let mut instalments = Vec::new();
    for (seq, due_on, principal, interest) in schedule {
        let amount = principal + interest;
        let covered = left.clamp(0, amount);
        left -= covered;
        let deadline = due_on + Duration::days(grace);
        let state = if covered == amount {
            InstalmentState::Paid
        } else if as_of > deadline {
            broken_on.get_or_insert(deadline + Duration::days(1));
            InstalmentState::Missed
        } else if as_of > due_on {
            InstalmentState::Late
        } else if covered > 0 {
            InstalmentState::PartlyPaid
        } else {
            InstalmentState::Upcoming
        };
        instalments.push(InstalmentView {
            seq,
            due_on,
            principal: m(principal),
            interest: m(interest),
            amount: m(amount),
            paid: m(covered),
            state,
        });
    }
    let cancelled_on = cancelled
        .as_deref()
        .map(parse_day)
        .transpose()?
        .filter(|d| *d <= as_of);
    let (status, ended_on) =
        if let Some(c) = cancelled_on.filter(|c| broken_on.is_none_or(|b| *c < b)) {
            (PlanStatus::Cancelled, Some(c))
        } else if paid >= total {
            (PlanStatus::Completed, None)
        } else if let Some(b) = broken_on {
            (PlanStatus::Broken, Some(b))
        } else {
            (PlanStatus::Kept, None)
        };
    Ok(PlanView {
        id,
        customer_id,
        customer_name,
        made_on,
        owed: m(owed),
        rate_bp,
        interest: m(interest),
        total: m(total),
        paid: m(paid.min(total)),
        status,
        ended_on,
        grace_days: grace,
        note,
        invoices,
        interest_invoice,
        instalments,
    })
}

fn ids(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<i64>> {
    rows(conn, sql, p, |r| r.get(0))
}

/// Every plan made by `as_of`, newest first.
pub fn list(conn: &Connection, as_of: NaiveDate) -> Result<Vec<PlanView>> {
    ids(
        conn,
        "SELECT id FROM payment_plans WHERE made_on <= ?1 ORDER BY id DESC",
        params![as_of.to_string()],
    )?
    .into_iter()
    .map(|id| view(conn, id, as_of))
    .collect()
}

/// A customer's plans, newest first.
pub fn for_customer(
    conn: &Connection,
    customer_id: CustomerId,
    as_of: NaiveDate,
) -> Result<Vec<PlanView>> {
    ids(
        conn,
        "SELECT id FROM payment_plans WHERE customer_id = ?1 AND made_on <= ?2 ORDER BY id DESC",
        params![customer_id, as_of.to_string()],
    )?
    .into_iter()
    .map(|id| view(conn, id, as_of))
    .collect()
}

/// What a plan means for one of its invoices in a dunning run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// The plan is kept: no dunning.
    Kept { plan_id: i64 },
    /// The plan broke or was cancelled on this day: dunning resumes, its interest only
    /// from this day on (the plan's own interest covered the days before).
    Ended { plan_id: i64, on: NaiveDate },
}

/// The plans' holds on invoices as of `as_of` (a kept plan wins over an ended one).
pub fn holds(conn: &Connection, as_of: NaiveDate) -> Result<HashMap<InvoiceId, Hold>> {
    let mut out: HashMap<InvoiceId, Hold> = HashMap::new();
    for id in ids(
        conn,
        "SELECT id FROM payment_plans WHERE made_on <= ?1",
        params![as_of.to_string()],
    )? {
        let v = view(conn, id, as_of)?;
        let hold = match (v.status, v.ended_on) {
            (PlanStatus::Kept, _) => Hold::Kept { plan_id: id },
            (PlanStatus::Broken | PlanStatus::Cancelled, Some(on)) => {
                Hold::Ended { plan_id: id, on }
            }
            _ => continue,
        };
        let invoices = v
            .invoices
            .iter()
            .map(|i| i.invoice_id)
            .chain(v.interest_invoice);
        for inv in invoices {
            match (out.get(&inv), hold) {
                (Some(Hold::Kept { .. }), _) => {}
                (Some(Hold::Ended { on: a, .. }), Hold::Ended { on: b, .. }) if *a >= b => {}
                _ => {
                    out.insert(inv, hold);
                }
            }
        }
    }
    Ok(out)
}

/// Customers with a plan broken as of `as_of`: the plan and the day it broke.
pub fn broken(
    conn: &Connection,
    as_of: NaiveDate,
) -> Result<HashMap<CustomerId, (i64, NaiveDate)>> {
    let mut out = HashMap::new();
    for v in list(conn, as_of)? {
        if let (PlanStatus::Broken, Some(on)) = (v.status, v.ended_on) {
            out.entry(v.customer_id).or_insert((v.id, on));
        }
    }
    Ok(out)
}
