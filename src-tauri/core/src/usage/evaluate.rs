//! Running the budgets and detectors over the usage kept, raising what they find as
//! alerts. Runs after every usage import and budget change, and on demand; each finding
//! has a key, so running it again raises nothing new.

use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, Transaction};
use serde::Serialize;

use super::alerts::{self, Finding};
use super::{budgets, detectors, series};
use crate::{Ctx, Result};

/// Days before the latest usage day that are evaluated (a quarter).
pub const WINDOW_DAYS: i64 = 92;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Evaluation {
    /// The day evaluated up to: the latest usage day, never after today.
    pub as_of: Option<NaiveDate>,
    pub findings: usize,
    pub new_alerts: usize,
}

/// Everything the budgets and detectors find over the last [`WINDOW_DAYS`] of usage up to
/// `as_of`, without writing.
pub fn findings(conn: &Connection, as_of: NaiveDate) -> Result<Vec<Finding>> {
    let settings = detectors::Settings::load(conn)?;
    let from = as_of - Duration::days(WINDOW_DAYS - 1);
    let load_from = from - Duration::days(settings.baseline_days + 1);
    let budgets = budgets::list(conn)?;
    let split: std::collections::BTreeSet<_> = budgets
        .iter()
        .filter(|b| !b.subscription.is_empty())
        .map(|b| b.customer_id)
        .collect();
    let usage = series::load_split(conn, load_from, as_of, None, Some(&split))?;
    let books = detectors::books(conn, as_of)?;
    let rates = super::rates::Rates::load(conn)?;
    let mut out = Vec::new();
    for u in &usage {
        let b = books.get(&u.customer_id).cloned().unwrap_or_default();
        out.extend(detectors::detect(u, &b, &settings, &rates, from, as_of));
        for budget in budgets.iter().filter(|b| b.customer_id == u.customer_id) {
            out.extend(budgets::findings(budget, u, &rates, from, as_of));
        }
    }
    Ok(out)
}

/// Evaluates and raises the new findings as alerts: budgets and detectors up to the
/// latest usage day, and Microsoft notices' deadlines as of now.
pub fn evaluate(tx: &Transaction, ctx: &Ctx) -> Result<Evaluation> {
    let as_of = series::latest_day(tx)?.map(|latest| latest.min(ctx.today));
    let mut found = match as_of {
        Some(day) => findings(tx, day)?,
        None => Vec::new(),
    };
    found.extend(super::notices::findings(tx, ctx.now)?);
    found.extend(super::activity::findings(tx)?);
    let new_alerts = alerts::raise(tx, ctx, &found)?;
    Ok(Evaluation {
        as_of,
        findings: found.len(),
        new_alerts,
    })
}
