//! The onboarding checklist from Microsoft's Partner Center fraud guidance.

use crate::error::Code;
use crate::ids::CustomerId;
use rusqlite::{params, Connection, Transaction};

use super::*;
use crate::{audit, Ctx, Error, Result};

/// Records (or replaces) one onboarding check.
pub fn record_check(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: CustomerId,
    check: &OnboardingCheck,
) -> Result<()> {
    get(tx, customer_id)?;
    crate::dates::happened("done_on", check.done_on, ctx.today)?;
    let done_by = check.done_by.trim();
    if done_by.is_empty() {
        return Err(Error::field(
            "done_by",
            Code::Required,
            "say who made the check",
        ));
    }
    crate::error::at_most("done_by", done_by, 200)?;
    crate::error::at_most("reference", &check.reference, 200)?;
    crate::error::at_most("note", &check.note, 2000)?;
    if check.item == OnboardingItem::CreditCheck && check.reference.trim().is_empty() {
        return Err(Error::field(
            "reference",
            Code::Required,
            "give the credit bureau's or agency's report reference",
        ));
    }
    let before = checks(tx, customer_id)?
        .into_iter()
        .find(|c| c.item == check.item);
    let clean = OnboardingCheck {
        item: check.item,
        done_on: check.done_on,
        done_by: done_by.to_string(),
        reference: check.reference.trim().to_string(),
        note: check.note.trim().to_string(),
    };
    if before.as_ref() == Some(&clean) {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO onboarding_checks (customer_id, item, done_on, done_by, reference, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(customer_id, item) DO UPDATE SET done_on = excluded.done_on,
            done_by = excluded.done_by, reference = excluded.reference, note = excluded.note",
        params![
            customer_id,
            clean.item.as_str(),
            clean.done_on.format("%Y-%m-%d").to_string(),
            clean.done_by,
            clean.reference,
            clean.note
        ],
    )?;
    let action = if before.is_some() {
        "update_check"
    } else {
        "record_check"
    };
    audit::record(
        tx,
        ctx,
        "customer",
        customer_id,
        action,
        before.as_ref(),
        Some(&clean),
    )?;
    Ok(())
}

/// Takes back a check recorded by mistake (audited).
pub fn clear_check(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: CustomerId,
    item: OnboardingItem,
) -> Result<()> {
    let before = checks(tx, customer_id)?
        .into_iter()
        .find(|c| c.item == item);
    let Some(before) = before else {
        return Err(Error::NotFound(format!("onboarding check {item}")));
    };
    tx.execute(
        "DELETE FROM onboarding_checks WHERE customer_id = ?1 AND item = ?2",
        params![customer_id, item.as_str()],
    )?;
    audit::record::<OnboardingCheck>(
        tx,
        ctx,
        "customer",
        customer_id,
        "clear_check",
        Some(&before),
        None,
    )?;
    Ok(())
}

pub fn checks(conn: &Connection, customer_id: CustomerId) -> Result<Vec<OnboardingCheck>> {
    let mut out: Vec<OnboardingCheck> = crate::store::rows(
        conn,
        "SELECT item, done_on, done_by, reference, note FROM onboarding_checks
         WHERE customer_id = ?1",
        params![customer_id],
        |r| {
            Ok(OnboardingCheck {
                item: r.get(0)?,
                done_on: r.get(1)?,
                done_by: r.get(2)?,
                reference: r.get(3)?,
                note: r.get(4)?,
            })
        },
    )?;
    out.sort_by_key(|c| OnboardingItem::ALL.iter().position(|i| *i == c.item));
    Ok(out)
}
