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
/// and recorded since paid of it (more, when a payment counted then was taken back), and
/// none that a payment plan kept then held.
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
        total = total.saturating_add(due.saturating_sub(late).max(0));
    }
    Ok(total < min)
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
