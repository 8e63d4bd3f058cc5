//! What the risk reports print, gathered from the records: the customer report (profile,
//! checklist, score with its factors and history, exposure, open items, actions) and the
//! portfolio report (levels and moves since the last report, top risks, exposure and
//! concentration, aging and DSO, open cancellation windows, the month's alerts, notices
//! past their deadline, admin access broader than the checks allow). Reading only, except
//! that writing a portfolio report records its time (so the next one counts the moves).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, Transaction};
use serde::Serialize;

use super::{Level, RiskScore};
use crate::customer::{
    self, AdminAccess, AdminRelationship, Customer, OnboardingCheck, OnboardingItem,
};
use crate::ids::CustomerId;
use crate::money::Currency;
use crate::receivables::{self, AgingTotal, BucketEdges, OpenItem};
use crate::usage::{alerts::Alert, incidents::Incident, notices::Notice};
use crate::{Ctx, Error, Result};

/// Admin access (the customer's record and its GDAP relationships) while checks are missing.
#[derive(Debug, Clone, Serialize)]
pub struct BroadAccess {
    pub customer_id: CustomerId,
    pub name: String,
    pub access: AdminAccess,
    /// A relationship in force includes the Global Administrator role.
    pub global_admin: bool,
    pub missing_checks: usize,
}

/// Days ahead a relationship's expiry is reported.
pub const GDAP_SOON_DAYS: i64 = 30;

/// The longest list a section prints; the report says how many there are in all.
pub const LIST_MAX: usize = 50;

/// The setting recording when the last portfolio report was written.
pub const LAST_PORTFOLIO: &str = "report.risk_portfolio.last";

#[derive(Debug, Clone, Serialize)]
pub struct CustomerReport {
    pub as_of: NaiveDate,
    pub customer: Customer,
    /// The required checks with the record of each (None: missing).
    pub checklist: Vec<(OnboardingItem, Option<OnboardingCheck>)>,
    pub score: RiskScore,
    /// (as of, score, level), oldest first.
    pub history: Vec<(String, u32, String)>,
    pub overdue: Vec<OpenItem>,
    /// The latest promise and its state (`pending`, `kept`, `broken`).
    pub promise: Option<(receivables::Promise, String)>,
    /// Prepayment requests not received yet.
    pub prepayments: Vec<receivables::PrepaymentRequest>,
    /// Admin relationships (GDAP), newest first.
    pub admin_relationships: Vec<AdminRelationship>,
    pub alerts: Vec<Alert>,
    pub notices: Vec<Notice>,
    pub incidents: Vec<Incident>,
}

pub fn customer_report(
    conn: &Connection,
    as_of: NaiveDate,
    now: DateTime<Utc>,
    id: CustomerId,
) -> Result<CustomerReport> {
    let customer = customer::get(conn, id)?;
    let score = super::scores(conn, as_of, now, Some(id))?
        .into_iter()
        .next()
        .ok_or_else(|| {
            Error::NotFound(format!(
                "customer {} (closed customers have no score)",
                id.0
            ))
        })?;
    let done = customer::checks(conn, id)?;
    let required = super::RiskSettings::load(conn)?.required_checks;
    let card = matches!(
        customer.fields.payment_instrument.as_str(),
        "credit_card" | "debit_card" | "prepaid_card" | "stored_value_card"
    );
    let checklist = required
        .iter()
        .filter(|i| card || **i != OnboardingItem::CardFraudCheck)
        .map(|i| (*i, done.iter().find(|c| c.item == *i).cloned()))
        .collect();
    let overdue = receivables::open_items(conn, as_of, Some(id))?
        .into_iter()
        .filter(|i| i.days_overdue > 0 && i.due.minor > 0)
        .collect();
    let promise = receivables::promise_state(conn, id, as_of)?.map(|(p, s)| {
        let state = match s {
            receivables::PromiseState::Pending => "pending",
            receivables::PromiseState::Kept => "kept",
            receivables::PromiseState::Broken => "broken",
        };
        (p, state.to_string())
    });
    let alerts = crate::usage::alerts::list(
        conn,
        crate::usage::alerts::Filter {
            include_resolved: false,
            customer: Some(id),
        },
    )?;
    let notices = crate::usage::notices::list(conn, now)?
        .into_iter()
        .filter(|n| n.customer_id == Some(id) && !n.status.is_resolved())
        .collect();
    let incidents = crate::usage::incidents::list(conn, Some(id))?
        .into_iter()
        .filter(|i| i.closed_at.is_none())
        .collect();
    let prepayments = receivables::prepayments(conn, Some(id))?
        .into_iter()
        .filter(|p| p.received_on.is_none())
        .collect();
    Ok(CustomerReport {
        as_of,
        prepayments,
        admin_relationships: customer::admin_relationships(conn, Some(id))?,
        customer,
        checklist,
        history: super::history(conn, id)?,
        score,
        overdue,
        promise,
        alerts,
        notices,
        incidents,
    })
}

/// One currency's exposure: the total, and the customers holding 10 % or more of it.
#[derive(Debug, Clone, Serialize)]
pub struct Concentration {
    pub currency: String,
    pub total_minor: i64,
    /// (customer, name, exposure, share in basis points), largest first.
    pub largest: Vec<(CustomerId, String, i64, i64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortfolioReport {
    pub as_of: NaiveDate,
    /// Customers per level: low, medium, high, critical.
    pub by_level: [usize; 4],
    /// When the previous report was written, and how many customers moved up or down a
    /// level since (None: the first report).
    pub previous: Option<String>,
    pub moved_up: usize,
    pub moved_down: usize,
    pub top: Vec<RiskScore>,
    /// Customers whose exposure is over their credit limit, the furthest over first (the
    /// largest multiple of the customer's own limit, whatever its currency; at most
    /// [`LIST_MAX`]; `over_limit_count` is how many in all).
    pub over_limit: Vec<RiskScore>,
    pub over_limit_count: usize,
    pub concentration: Vec<Concentration>,
    pub aging: Vec<AgingTotal>,
    /// (customer, name, window) for unpaid purchases inside their cancellation window.
    pub windows: Vec<(CustomerId, String, super::Window)>,
    /// The month's budget and misuse alerts (severity 3 and above).
    pub month_alerts: Vec<Alert>,
    pub notices_overdue: Vec<Notice>,
    /// Full admin access or a Global Administrator relationship while checks are missing,
    /// the most checks missing first.
    pub admin_too_broad: Vec<BroadAccess>,
    pub admin_too_broad_count: usize,
    /// Admin relationships (GDAP) in force that expire within [`GDAP_SOON_DAYS`], soonest
    /// first, with the customer's name.
    pub gdap_expiring: Vec<(String, AdminRelationship)>,
    pub customers: usize,
    /// The partner's credit line with Microsoft on the day, each customer's cash gap.
    pub credit_line: crate::microsoft::headroom::Headroom,
}

fn level_index(l: Level) -> usize {
    match l {
        Level::Low => 0,
        Level::Medium => 1,
        Level::High => 2,
        Level::Critical => 3,
    }
}

/// Each customer's level at `at` (the latest history row computed then or before).
fn levels_at(conn: &Connection, at: &str) -> Result<BTreeMap<i64, Level>> {
    crate::store::rows(
        conn,
        "SELECT h.customer_id, h.level FROM risk_history h
         WHERE h.id = (SELECT max(id) FROM risk_history WHERE customer_id = h.customer_id AND computed_at <= ?1)",
        params![at],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

pub fn portfolio_report(
    conn: &Connection,
    as_of: NaiveDate,
    now: DateTime<Utc>,
) -> Result<PortfolioReport> {
    let scores = super::scores(conn, as_of, now, None)?;
    let mut by_level = [0usize; 4];
    for s in &scores {
        by_level[level_index(s.level)] += 1;
    }
    let previous = crate::store::settings::get(conn, LAST_PORTFOLIO)?;
    let (mut moved_up, mut moved_down) = (0, 0);
    if let Some(at) = &previous {
        let then = levels_at(conn, at)?;
        for s in &scores {
            if let Some(l) = then.get(&s.customer_id.0) {
                match level_index(s.level).cmp(&level_index(*l)) {
                    std::cmp::Ordering::Greater => moved_up += 1,
                    std::cmp::Ordering::Less => moved_down += 1,
                    std::cmp::Ordering::Equal => {}
                }
            }
        }
    }
    // Concentration per currency over positive exposures.
    let mut per: BTreeMap<String, Vec<(CustomerId, String, i64)>> = BTreeMap::new();
    for s in &scores {
        if s.exposure.total_minor > 0 {
            per.entry(s.exposure.currency.clone()).or_default().push((
                s.customer_id,
                s.name.clone(),
                s.exposure.total_minor,
            ));
        }
    }
    let concentration = per
        .into_iter()
        .map(|(currency, mut list)| {
            let total = list.iter().map(|x| x.2).fold(0i64, i64::saturating_add);
            list.sort_by(|a, b| b.2.cmp(&a.2).then(a.0 .0.cmp(&b.0 .0)));
            // Share in basis points, rounded half up in integers.
            let bp = |x: i64| {
                ((x as i128 * 10_000 * 2 + total as i128) / (2 * total.max(1) as i128)) as i64
            };
            let largest = list
                .into_iter()
                .enumerate()
                .filter(|(i, x)| *i < 5 || bp(x.2) >= 1_000)
                .map(|(_, (id, name, x))| (id, name, x, bp(x)))
                .collect();
            Concentration {
                currency,
                total_minor: total,
                largest,
            }
        })
        .collect();
    let aging = receivables::aging(conn, as_of, BucketEdges::default())?.totals;
    let windows = scores
        .iter()
        .flat_map(|s| {
            s.windows
                .iter()
                .map(|w| (s.customer_id, s.name.clone(), w.clone()))
        })
        .collect();
    let month = format!("{:04}-{:02}", as_of.year(), as_of.month());
    let month_alerts = crate::usage::alerts::list(
        conn,
        crate::usage::alerts::Filter {
            include_resolved: true,
            customer: None,
        },
    )?
    .into_iter()
    .filter(|a| {
        a.severity >= 3
            && crate::usage::alerts::AlertKind::parse(&a.kind)
                .is_some_and(|k| k.is_misuse() || k.is_budget())
            && a.day.starts_with(&month)
    })
    .collect();
    let notices_overdue = crate::usage::notices::list(conn, now)?
        .into_iter()
        .filter(|n| n.respond_overdue || n.mitigate_overdue)
        .collect();
    let access: BTreeMap<i64, String> =
        crate::store::rows(conn, "SELECT id, admin_access FROM customers", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let relationships = customer::admin_relationships(conn, None)?;
    let global: std::collections::BTreeSet<i64> = relationships
        .iter()
        .filter(|r| r.global_admin && r.active_on(as_of))
        .map(|r| r.customer_id.0)
        .collect();
    let mut admin_too_broad = Vec::new();
    for s in &scores {
        let missing = s
            .factors
            .iter()
            .filter(|f| f.key == super::labels::FactorKind::CheckMissing.as_str())
            .count();
        let granted = access
            .get(&s.customer_id.0)
            .and_then(|a| AdminAccess::parse(a))
            .unwrap_or(AdminAccess::None);
        let global_admin = global.contains(&s.customer_id.0);
        // Least-privilege access is what the guidance asks for while checks are missing;
        // full access or a Global Administrator role is broader than they allow.
        if missing > 0 && (granted == AdminAccess::Full || global_admin) {
            admin_too_broad.push(BroadAccess {
                customer_id: s.customer_id,
                name: s.name.clone(),
                access: granted,
                global_admin,
                missing_checks: missing,
            });
        }
    }
    admin_too_broad.sort_by_key(|b| (std::cmp::Reverse(b.missing_checks), b.customer_id.0));
    let names: BTreeMap<i64, &str> = scores
        .iter()
        .map(|s| (s.customer_id.0, s.name.as_str()))
        .collect();
    let mut gdap_expiring: Vec<(String, AdminRelationship)> = relationships
        .into_iter()
        .filter(|r| {
            r.active_on(as_of) && r.expires_on <= as_of + chrono::Duration::days(GDAP_SOON_DAYS)
        })
        .filter_map(|r| names.get(&r.customer_id.0).map(|n| (n.to_string(), r)))
        .collect();
    gdap_expiring.sort_by_key(|(_, r)| (r.expires_on, r.id));
    gdap_expiring.truncate(LIST_MAX);
    let admin_too_broad_count = admin_too_broad.len();
    admin_too_broad.truncate(LIST_MAX);
    let mut over_limit: Vec<RiskScore> = scores
        .iter()
        .filter(|s| s.exposure.over_limit)
        .cloned()
        .collect();
    // The furthest over first, measured against the customer's own limit (exposure ÷
    // limit): amounts in two currencies do not compare (¥ has no minor unit, NT$ two).
    // Exactly, by cross-multiplying; every limit here is above zero.
    over_limit.sort_by(|a, b| {
        let (a_x, b_x) = (&a.exposure, &b.exposure);
        let a_times = i128::from(a_x.total_minor) * i128::from(b_x.credit_limit_minor);
        let b_times = i128::from(b_x.total_minor) * i128::from(a_x.credit_limit_minor);
        b_times
            .cmp(&a_times)
            .then(a.customer_id.0.cmp(&b.customer_id.0))
    });
    let over_limit_count = over_limit.len();
    over_limit.truncate(LIST_MAX);
    Ok(PortfolioReport {
        credit_line: crate::microsoft::headroom::headroom(conn, as_of)?,
        as_of,
        by_level,
        previous,
        moved_up,
        moved_down,
        customers: scores.len(),
        top: scores
            .iter()
            .filter(|s| s.score > 0)
            .take(20)
            .cloned()
            .collect(),
        over_limit,
        over_limit_count,
        admin_too_broad_count,
        gdap_expiring,
        concentration,
        aging,
        windows,
        month_alerts,
        notices_overdue,
        admin_too_broad,
    })
}

/// Records that a portfolio report was written now (after keeping the scores' history
/// current), so the next report counts the moves since this one.
pub fn portfolio_written(tx: &Transaction, ctx: &Ctx) -> Result<()> {
    super::refresh(tx, ctx)?;
    crate::store::settings::set(tx, ctx, LAST_PORTFOLIO, &ctx.now_text())
}

/// The currency of a concentration row, for formatting.
pub fn currency(code: &str) -> Option<Currency> {
    Currency::parse(code)
}
