//! Derived data: what RiskDesk works out from the records rather than being told. A write
//! commits its records and audit rows only; the derived data follows in a step of its own,
//! after the commit, so a failure here (a bad stored setting, a damaged row that scoring
//! reads) is reported and never undoes the write. Reading never derives anything.
//!
//! The steps: [`after_write`] once a write has committed (the window runs it off the
//! command's thread, the command line after its commit), and [`on_open`] when a book is
//! opened (scores that moved with the calendar, alerts of the day).

use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use crate::usage::{evaluate, tenants};
use crate::{Ctx, Result};

/// What a derive step changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Derived {
    /// Risk history rows written (one per customer whose score, level or factors moved).
    pub score_changes: usize,
    /// Usage tenants newly linked to a customer (one created or given that tenant id).
    pub tenants_linked: usize,
    /// Alerts raised.
    pub new_alerts: usize,
}

/// After a write: usage tenants of customers created or changed since are linked (and their
/// usage evaluated), every score is recomputed (a history row kept where one moved), and the
/// credit line's alerts raised. One transaction of its own.
pub fn after_write(conn: &mut Connection, ctx: &Ctx) -> Result<Derived> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let tenants_linked = tenants::relink(&tx)?;
    let new_alerts = if tenants_linked > 0 {
        evaluate::evaluate(&tx, ctx)?.new_alerts
    } else {
        0
    };
    let score_changes = crate::risk::refresh(&tx, ctx)?;
    // The credit line with Microsoft: a threshold reached this month raises its alert once.
    let new_alerts = new_alerts + crate::microsoft::headroom::raise_alerts(&tx, ctx)?;
    tx.commit()?;
    Ok(Derived {
        score_changes,
        tenants_linked,
        new_alerts,
    })
}

/// When a book is opened: the alerts of the day are evaluated (days pass without a write),
/// then [`after_write`]'s links and scores.
pub fn on_open(conn: &mut Connection, ctx: &Ctx) -> Result<Derived> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let new_alerts = evaluate::evaluate(&tx, ctx)?.new_alerts;
    tx.commit()?;
    let mut d = after_write(conn, ctx)?;
    d.new_alerts += new_alerts;
    Ok(d)
}
