//! Whether a dunning run would have written to a customer, had it known every payment
//! received by its day: what a run keeps of the customers it dunned under a policy's minimum
//! overdue amount, and the payment plans that held their invoices then. A payment recorded
//! after the run reads them: the charges of a run that would have sent nothing go back in
//! full ([`super::corrections`]), and a suspension it made is offered for reactivation
//! ([`super::plan`]).

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::corrections::paid_by;
use crate::ids::{CustomerId, InvoiceId};
use crate::receivables::date_text;
use crate::{audit, Ctx, Result};

/// Keeps, for a customer a run dunned under a policy with a minimum overdue amount in the
/// customer's currency, the minimum and what the run counted toward it: per invoice, what
/// it found due and what payments received by `day` had paid of it; audited on the run.
pub(crate) fn keep_minimum(
    tx: &Transaction,
    ctx: &Ctx,
    run_id: i64,
    c: &super::PlanCustomer,
    day: NaiveDate,
) -> Result<()> {
    let min: Option<i64> = tx
        .prepare_cached(
            "SELECT amount_minor FROM policy_minimums WHERE policy_id = ?1 AND currency = ?2",
        )?
        .query_row(params![c.policy_id, c.currency], |r| r.get(0))
        .optional()?;
    let Some(min) = min.filter(|m| *m > 0) else {
        return Ok(());
    };
    tx.execute(
        "INSERT INTO dunning_minimums (run_id, customer_id, min_minor) VALUES (?1, ?2, ?3)",
        params![run_id, c.customer_id, min],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO dunning_overdue (run_id, customer_id, invoice_id, due_minor, paid_by_day_minor)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut counted = Vec::with_capacity(c.invoices.len());
    for inv in &c.invoices {
        let paid = paid_by(tx, inv.invoice_id, day)?;
        insert.execute(params![
            run_id,
            c.customer_id,
            inv.invoice_id,
            inv.due.minor,
            paid
        ])?;
        counted.push(serde_json::json!({
            "invoice_id": inv.invoice_id, "due_minor": inv.due.minor, "paid_by_day_minor": paid,
        }));
    }
    audit::record(
        tx,
        ctx,
        "dunning_run",
        run_id,
        "minimum_counted",
        None,
        Some(&serde_json::json!({
            "customer_id": c.customer_id, "min_minor": min, "counted": counted,
        })),
    )?;
    Ok(())
}

/// Whether what is paid now shows the customer's overdue total was under the run's minimum
/// on its day (`day`): each invoice the run counted, less what payments received by then
/// and recorded since paid of it (more, when a payment counted then was taken back), less
/// what the corrections since gave back of an earlier run's charge invoice (charges never
/// due), and none that a payment plan kept then held.
pub(super) fn under_minimum(
    conn: &Connection,
    run_id: i64,
    customer_id: CustomerId,
    day: NaiveDate,
) -> Result<bool> {
    let min: Option<i64> = conn
        .prepare_cached(
            "SELECT min_minor FROM dunning_minimums WHERE run_id = ?1 AND customer_id = ?2",
        )?
        .query_row(params![run_id, customer_id], |r| r.get(0))
        .optional()?;
    let Some(min) = min else {
        return Ok(false);
    };
    let counted: Vec<(InvoiceId, i64, i64)> = crate::store::rows(
        conn,
        "SELECT invoice_id, due_minor, paid_by_day_minor FROM dunning_overdue
         WHERE run_id = ?1 AND customer_id = ?2",
        params![run_id, customer_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut total = 0i64;
    for (invoice_id, due, paid_then) in counted {
        if held_by_plan(conn, invoice_id, day)? {
            continue;
        }
        let late = paid_by(conn, invoice_id, day)?.saturating_sub(paid_then);
        let never_due = corrected_charges(conn, invoice_id)?;
        total = total.saturating_add(due.saturating_sub(late).saturating_sub(never_due).max(0));
    }
    Ok(total < min)
}

/// What the corrections gave back, net of what they charged again, of the charges on an
/// earlier run's charge invoice (`FEE-run-customer`); 0 for any other invoice.
fn corrected_charges(conn: &Connection, invoice_id: InvoiceId) -> Result<i64> {
    let (number, customer_id): (String, CustomerId) = conn
        .prepare_cached(
            "SELECT number, customer_id FROM invoices WHERE id = ?1 AND kind = 'charge'",
        )?
        .query_row([invoice_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or_default();
    let run = number
        .strip_prefix("FEE-")
        .and_then(|rest| rest.split_once('-'))
        .filter(|(_, customer)| *customer == customer_id.0.to_string())
        .and_then(|(run, _)| run.parse::<i64>().ok());
    let Some(run) = run else {
        return Ok(0);
    };
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(sum(c.fee_minor + c.interest_minor), 0)
             FROM dunning_steps s
             JOIN invoices i ON i.id = s.invoice_id
             JOIN charge_corrections c
               ON c.invoice_id = s.invoice_id AND c.level_id = s.level_id AND c.run_id = s.run_id
             WHERE s.run_id = ?1 AND i.customer_id = ?2",
        )?
        .query_row(params![run, customer_id], |r| r.get(0))?)
}

/// Whether a payment plan made before `day` and holding the invoice was kept on that day, as
/// the payments recorded now show (one taken back since never counted): a run then leaves
/// the invoice alone. (A plan made on a run's day is left out: made before the run, it held
/// the invoice then and the run charged nothing on it; made after, the run rightly charged.)
pub(super) fn held_by_plan(
    conn: &Connection,
    invoice_id: InvoiceId,
    day: NaiveDate,
) -> Result<bool> {
    let plans: Vec<i64> = crate::store::rows(
        conn,
        "SELECT pi.plan_id FROM plan_invoices pi JOIN payment_plans p ON p.id = pi.plan_id
         WHERE pi.invoice_id = ?1 AND p.made_on < ?2",
        params![invoice_id, date_text(day)],
        |r| r.get(0),
    )?;
    for id in plans {
        if crate::plans::kept_knowing_now(conn, id, day)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Marks, of the customer's steps applied on or after `since`, those whose run the payments
/// recorded now show would have sent nothing on the invoice (the customer under the run's
/// minimum, or a payment plan kept then holding the invoice) as given back, and clears the
/// mark where a payment taken back shows it would have. A level given back does not count
/// as reached: a later run takes it again. A step superseded by such a later run, and a step
/// whose charges the reviewer waived, keep their mark. Each change is audited on the invoice.
pub(crate) fn give_back_levels(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: CustomerId,
    since: NaiveDate,
) -> Result<()> {
    let steps: Vec<(i64, InvoiceId, i64, String, bool)> = crate::store::rows(
        tx,
        "SELECT s.run_id, s.invoice_id, s.level_id, s.applied_on, s.given_back
         FROM dunning_steps s JOIN invoices i ON i.id = s.invoice_id
         WHERE i.customer_id = ?1 AND s.applied_on >= ?2 AND s.waived = 0
           AND s.paid_by_day_minor IS NOT NULL AND s.superseded_by IS NULL
         ORDER BY s.run_id, s.invoice_id, s.level_id",
        params![customer_id, date_text(since)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let mut under: Option<(i64, bool)> = None;
    for (run_id, invoice_id, level_id, day, was) in steps {
        let day = crate::store::parse_day(&day)?;
        let below = match under {
            Some((run, below)) if run == run_id => below,
            _ => {
                let below = under_minimum(tx, run_id, customer_id, day)?;
                under = Some((run_id, below));
                below
            }
        };
        let now = below || held_by_plan(tx, invoice_id, day)?;
        if now == was {
            continue;
        }
        tx.prepare_cached(
            "UPDATE dunning_steps SET given_back = ?4 WHERE invoice_id = ?1 AND level_id = ?2 AND run_id = ?3",
        )?
        .execute(params![invoice_id, level_id, run_id, now])?;
        audit::record(
            tx,
            ctx,
            "invoice",
            invoice_id.0,
            if now {
                "dunning_level_given_back"
            } else {
                "dunning_level_restored"
            },
            Some(&serde_json::json!({ "run": run_id, "level_id": level_id, "given_back": was })),
            Some(&serde_json::json!({
                "run": run_id, "level_id": level_id, "given_back": now,
                "why": if !now { "a payment taken back" } else if below { "under the minimum" } else { "a payment plan kept" },
            })),
        )?;
    }
    Ok(())
}

/// Run `run_id` took a level on the invoice: the invoice's steps given back until now stay
/// given back, whatever is recorded later. The run charged its fee and interest from where
/// they would have been charged with those levels never reached; a payment taken back
/// afterwards does not bring them back (that would charge a level, or its days' interest,
/// twice). Audited on the invoice.
pub(crate) fn supersede(
    tx: &Transaction,
    ctx: &Ctx,
    invoice_id: InvoiceId,
    run_id: i64,
) -> Result<()> {
    let given_back: Vec<(i64, i64)> = crate::store::rows(
        tx,
        "SELECT run_id, level_id FROM dunning_steps
         WHERE invoice_id = ?1 AND given_back = 1 AND superseded_by IS NULL AND run_id <> ?2",
        params![invoice_id, run_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (run, level_id) in given_back {
        tx.prepare_cached(
            "UPDATE dunning_steps SET superseded_by = ?4 WHERE invoice_id = ?1 AND level_id = ?2 AND run_id = ?3",
        )?
        .execute(params![invoice_id, level_id, run, run_id])?;
        audit::record(
            tx,
            ctx,
            "invoice",
            invoice_id.0,
            "dunning_level_superseded",
            None,
            Some(&serde_json::json!({ "run": run, "level_id": level_id, "superseded_by": run_id })),
        )?;
    }
    Ok(())
}

/// The run that suspended the customer's subscriptions on `day`, if the payments recorded
/// since show it would have sent the customer nothing: the customer was under the policy's
/// minimum that day, or a payment plan kept then held every invoice the run took a level
/// on. Such a suspension was never due, whatever is still owed.
pub(crate) fn suspension_never_due(
    conn: &Connection,
    customer_id: CustomerId,
    day: NaiveDate,
) -> Result<Option<i64>> {
    let run: Option<i64> = conn
        .prepare_cached(
            "SELECT max(s.run_id) FROM dunning_steps s JOIN invoices i ON i.id = s.invoice_id
             WHERE i.customer_id = ?1 AND s.applied_on = ?2",
        )?
        .query_row(params![customer_id, date_text(day)], |r| r.get(0))?;
    let Some(run) = run else {
        return Ok(None);
    };
    if under_minimum(conn, run, customer_id, day)? {
        return Ok(Some(run));
    }
    let invoices: Vec<InvoiceId> = crate::store::rows(
        conn,
        "SELECT s.invoice_id FROM dunning_steps s JOIN invoices i ON i.id = s.invoice_id
         WHERE i.customer_id = ?1 AND s.run_id = ?2",
        params![customer_id, run],
        |r| r.get(0),
    )?;
    for invoice_id in invoices {
        if !held_by_plan(conn, invoice_id, day)? {
            return Ok(None);
        }
    }
    Ok(Some(run))
}
