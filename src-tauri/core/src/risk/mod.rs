//! Risk: one explainable score per customer from every signal the records hold. Each
//! factor has a weight (a setting), the evidence (which record, which date, which amount)
//! and the recommended action from Microsoft's guidance. The score is the sum of the
//! factors' points, capped at 100; the level comes from the edges (settings). The same
//! records always give the same score, and every point traces to a factor.

pub mod agenda;
mod factors;
pub mod facts;
pub mod labels;
mod lookalikes;
pub mod onboarding;
pub mod report;
pub mod settings;
pub mod terms;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, Transaction};
use serde::Serialize;

pub use facts::Facts;
pub use settings::RiskSettings;
pub use terms::Window;

use crate::ids::CustomerId;
use crate::text_enum::text_enum;
use crate::{Ctx, Result};

text_enum! {
    Level {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Factor {
    pub key: &'static str,
    pub points: u32,
    /// Which record, which date, which amount: in English and in Traditional Chinese.
    pub evidence: String,
    pub evidence_zh: String,
    pub action: &'static str,
    pub action_zh: &'static str,
}

/// Exposure: what the reseller stands to lose, against the credit limit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Exposure {
    pub open_receivables_minor: i64,
    pub usage_not_invoiced_minor: i64,
    /// Purchases (reservations, Marketplace) billed by Microsoft and not invoiced yet.
    pub purchases_not_invoiced_minor: i64,
    /// The rest of annual and multi-year terms, not billed yet.
    pub committed_minor: i64,
    /// Unallocated payments and credit notes (prepayments recorded as payments).
    pub credit_minor: i64,
    /// Open + usage + committed − credit, never below zero (credit beyond all of it is the
    /// customer's money held, not a negative exposure).
    pub total_minor: i64,
    pub credit_limit_minor: i64,
    pub currency: String,
    pub over_limit: bool,
    /// The rate usage in another currency was converted at (English, Chinese), if any.
    pub usage_rate: Option<(String, String)>,
    /// Usage not invoiced that no rate converts into the invoicing currency (not counted
    /// above, shown so it never reads as zero), one sum per currency.
    pub usage_unconverted: Vec<crate::money::Money>,
    /// What Microsoft credits paid of the usage not invoiced (counted nowhere above, shown
    /// so the usage's whole is traceable): in the invoicing currency, or in the usage's where
    /// no rate converts it.
    pub usage_credited: Vec<crate::money::Money>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RiskScore {
    pub customer_id: CustomerId,
    pub name: String,
    pub score: u32,
    pub level: Level,
    /// In order of contribution.
    pub factors: Vec<Factor>,
    pub exposure: Exposure,
    /// Cancellation windows still open on subscriptions the customer has not paid for.
    pub windows: Vec<Window>,
}

fn level_of(score: u32, edges: [u32; 3]) -> Level {
    if score >= edges[2] {
        Level::Critical
    } else if score >= edges[1] {
        Level::High
    } else if score >= edges[0] {
        Level::Medium
    } else {
        Level::Low
    }
}

/// Every customer's score (or one's) as of `as_of`, highest first.
pub fn scores(
    conn: &Connection,
    as_of: NaiveDate,
    now: DateTime<Utc>,
    customer: Option<CustomerId>,
) -> Result<Vec<RiskScore>> {
    let s = RiskSettings::load(conn)?;
    scores_with(conn, as_of, now, customer, &s)
}

/// The scores under settings `s` (for a preview of settings not saved yet).
pub fn scores_with(
    conn: &Connection,
    as_of: NaiveDate,
    now: DateTime<Utc>,
    customer: Option<CustomerId>,
    s: &RiskSettings,
) -> Result<Vec<RiskScore>> {
    let facts = facts::gather(conn, as_of, now, customer)?;
    let lookalikes = lookalikes::lookalikes(
        &facts,
        s.signup_window_days,
        s.signup_min_customers,
        customer,
    );
    let wanted: Vec<(&CustomerId, &Facts)> = facts
        .iter()
        .filter(|(id, _)| customer.is_none_or(|c| c == **id))
        .collect();
    let mut out: Vec<RiskScore> = crate::parallel::map(&wanted, |(id, f)| {
        let (factors, exposure, windows) = factors::factors(f, s, lookalikes.get(id), as_of, now);
        let score = factors.iter().map(|f| f.points).sum::<u32>().min(100);
        RiskScore {
            customer_id: **id,
            name: f.name.clone(),
            score,
            level: level_of(score, s.edges),
            factors,
            exposure,
            windows,
        }
    });
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.customer_id.0.cmp(&b.customer_id.0))
    });
    Ok(out)
}

/// Recomputes every score and keeps a history row where the score, level or factors
/// changed since the last one; returns how many rows were written.
pub fn refresh(tx: &Transaction, ctx: &Ctx) -> Result<usize> {
    let list = scores(tx, ctx.today, ctx.now, None)?;
    record(tx, ctx, &list)
}

/// [`refresh`], returning every score it computed (highest first), for a caller that shows
/// them: the scores are computed once.
pub fn refresh_scores(tx: &Transaction, ctx: &Ctx) -> Result<Vec<RiskScore>> {
    let list = scores(tx, ctx.today, ctx.now, None)?;
    record(tx, ctx, &list)?;
    Ok(list)
}

/// Keeps a history row for each score of `list` that differs from the customer's last one.
fn record(tx: &Transaction, ctx: &Ctx, list: &[RiskScore]) -> Result<usize> {
    let mut last: BTreeMap<i64, (u32, String, String)> = BTreeMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT h.customer_id, h.score, h.level, h.factors FROM risk_history h
             WHERE h.id = (SELECT max(id) FROM risk_history WHERE customer_id = h.customer_id)",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            last.insert(r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?));
        }
    }
    let mut written = 0;
    let mut put = tx.prepare_cached(
        "INSERT INTO risk_history (customer_id, computed_at, as_of, score, level, factors) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for r in list {
        let keys: Vec<serde_json::Value> = r
            .factors
            .iter()
            .map(|f| serde_json::json!({"key": f.key, "points": f.points}))
            .collect();
        let factors = serde_json::Value::Array(keys).to_string();
        let now = (r.score, r.level.as_str().to_string(), factors.clone());
        if last.get(&r.customer_id.0) == Some(&now) {
            continue;
        }
        put.execute(params![
            r.customer_id.0,
            ctx.now_text(),
            ctx.today.to_string(),
            r.score,
            r.level.as_str(),
            factors
        ])?;
        written += 1;
    }
    Ok(written)
}

/// A customer's score history, oldest first: (as of, score, level).
pub fn history(conn: &Connection, customer: CustomerId) -> Result<Vec<(String, u32, String)>> {
    crate::store::rows(
        conn,
        "SELECT as_of, score, level FROM risk_history WHERE customer_id = ?1 ORDER BY id",
        [customer.0],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
