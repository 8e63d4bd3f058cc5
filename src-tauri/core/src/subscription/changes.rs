//! Changes to a subscription's term: renewals and seats added (each opens a cancellation
//! window of its own, see `risk::terms`), and the subscriptions the risk model reads.

use chrono::NaiveDate;
use rusqlite::{params, Connection, Transaction};

use super::{from_row, get, SeatAddition, Subscription, SubscriptionStatus, COLUMNS};
use crate::error::Code;
use crate::ids::CustomerId;
use crate::{audit, Ctx, Error, Result};

fn active(tx: &Transaction, id: i64) -> Result<Subscription> {
    let s = get(tx, id)?;
    if s.status == SubscriptionStatus::Cancelled {
        return Err(Error::Conflict {
            field: "status".into(),
            message: "the subscription is cancelled".into(),
        });
    }
    Ok(s)
}

/// Records a renewal on `on`: a new term starts (and with it a new cancellation window).
pub fn renew(tx: &Transaction, ctx: &Ctx, id: i64, on: NaiveDate) -> Result<Subscription> {
    let before = active(tx, id)?;
    crate::dates::check_field("on", on)?;
    if on <= before.term_start_on {
        return Err(Error::field(
            "on",
            Code::TooEarly,
            format!(
                "the current term started on {}; a renewal comes after it",
                before.term_start_on
            ),
        ));
    }
    tx.execute(
        "UPDATE subscriptions SET term_start_on = ?1, updated_at = ?2 WHERE id = ?3",
        params![on.format("%Y-%m-%d").to_string(), ctx.now_text(), id],
    )?;
    audited(tx, ctx, "renew", &before)
}

/// Adds `quantity` seats on `on`; the added seats have a cancellation window of their own.
pub fn add_seats(
    tx: &Transaction,
    ctx: &Ctx,
    id: i64,
    quantity: i64,
    on: NaiveDate,
) -> Result<Subscription> {
    let before = active(tx, id)?;
    crate::dates::check_field("on", on)?;
    if !(1..=1_000_000).contains(&quantity) || before.quantity + quantity > 1_000_000 {
        return Err(Error::field(
            "quantity",
            Code::InvalidQuantity,
            "a whole number from 1 (at most 1,000,000 seats in all)",
        ));
    }
    if on < before.start_on {
        return Err(Error::field(
            "on",
            Code::TooEarly,
            format!("the subscription started on {}", before.start_on),
        ));
    }
    tx.execute(
        "UPDATE subscriptions SET quantity = quantity + ?1, updated_at = ?2 WHERE id = ?3",
        params![quantity, ctx.now_text(), id],
    )?;
    tx.execute(
        "INSERT INTO subscription_seats (subscription_id, added_on, quantity, recorded_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            id,
            on.format("%Y-%m-%d").to_string(),
            quantity,
            ctx.now_text()
        ],
    )?;
    audited(tx, ctx, "add_seats", &before)
}

/// The subscription as `action` left it, with the audit row of the change from `before`.
fn audited(
    tx: &Transaction,
    ctx: &Ctx,
    action: &str,
    before: &Subscription,
) -> Result<Subscription> {
    let after = get(tx, before.id)?;
    audit::record(
        tx,
        ctx,
        "subscription",
        before.id,
        action,
        Some(before),
        Some(&after),
    )?;
    Ok(after)
}

/// Every seat addition (of one subscription, or all), oldest first.
pub fn seat_additions(
    conn: &Connection,
    subscription_id: Option<i64>,
) -> Result<Vec<SeatAddition>> {
    crate::store::rows(
        conn,
        "SELECT id, subscription_id, added_on, quantity FROM subscription_seats
         WHERE ?1 IS NULL OR subscription_id = ?1 ORDER BY added_on, id",
        params![subscription_id],
        |r| {
            Ok(SeatAddition {
                id: r.get(0)?,
                subscription_id: r.get(1)?,
                added_on: r.get(2)?,
                quantity: r.get(3)?,
            })
        },
    )
}

/// Every active or suspended subscription of every customer, or of one (for the risk model).
pub fn all_open(conn: &Connection, customer: Option<CustomerId>) -> Result<Vec<Subscription>> {
    crate::store::rows(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM subscriptions
             WHERE status <> 'cancelled' AND (?1 IS NULL OR customer_id = ?1) ORDER BY id"
        ),
        params![customer],
        from_row,
    )
}
