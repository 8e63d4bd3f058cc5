//! Risk: one explainable score per customer from every signal the records hold. Each
//! factor has a weight (a setting), the evidence (which record, which date, which amount)
//! and the recommended action from Microsoft's guidance. The score is the sum of the
//! factors' points, capped at 100; the level comes from the edges (settings). The same
//! records always give the same score, and every point traces to a factor.

pub mod agenda;
mod facts;
pub mod labels;
pub mod onboarding;
pub mod report;
pub mod settings;
pub mod terms;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, Transaction};
use serde::Serialize;

pub use facts::{Facts, PUBLIC_MAIL};
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
    pub evidence: String,
    pub action: &'static str,
    pub action_zh: &'static str,
}

/// Exposure: what the reseller stands to lose, against the credit limit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Exposure {
    pub open_receivables_minor: i64,
    pub usage_not_invoiced_minor: i64,
    /// The rest of annual and multi-year terms, not billed yet.
    pub committed_minor: i64,
    /// Unallocated payments and credit notes (prepayments recorded as payments).
    pub credit_minor: i64,
    /// Open + usage + committed − credit.
    pub total_minor: i64,
    pub credit_limit_minor: i64,
    pub currency: String,
    pub over_limit: bool,
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

/// The factors of one customer.
fn factors(
    f: &Facts,
    s: &RiskSettings,
    lookalike: Option<&Vec<String>>,
    as_of: NaiveDate,
    now: DateTime<Utc>,
) -> (Vec<Factor>, Exposure, Vec<Window>) {
    let mut out = Vec::new();
    let mut add = |key: &'static str, points: u32, evidence: String, action: &'static str| {
        if points > 0 {
            out.push(Factor {
                key,
                points,
                evidence,
                action,
                action_zh: labels::action_zh(key),
            });
        }
    };
    let w = |k: &str| s.weight(k);
    if matches!(f.instrument.as_str(), "prepaid_card" | "stored_value_card") {
        add("prepaid_card", w("prepaid_card"), format!("payment instrument: {}", f.instrument.replace('_', " ")), "Refuse prepaid and stored-value cards; ask for a bank transfer or a card in the company's name.");
    }
    if matches!(
        f.instrument.as_str(),
        "credit_card" | "debit_card" | "prepaid_card" | "stored_value_card"
    ) && !f.card_present
    {
        add(
            "card_not_present",
            w("card_not_present"),
            "the card was not present at purchase".into(),
            "Verify the cardholder (a call-back, a card fraud check) before provisioning.",
        );
    }
    let missing = f.missing_checks(&s.required_checks);
    for item in &missing {
        add(
            "check_missing",
            w("check_missing"),
            format!(
                "onboarding check missing: {}",
                item.as_str().replace('_', " ")
            ),
            "Complete the onboarding check before services grow.",
        );
    }
    if s.high_risk_countries.contains(&f.country) {
        add(
            "high_risk_region",
            w("high_risk_region"),
            format!("country or region {} is on the high-risk list", f.country),
            "Require prepayment and identity verification.",
        );
    }
    if f.first_payment.is_none() && (f.first_usage.is_some() || f.active_subscriptions > 0) {
        let what = match f.first_usage {
            Some(d) => format!("usage since {d}"),
            None => format!("{} active subscription(s)", f.active_subscriptions),
        };
        add(
            "before_first_payment",
            w("before_first_payment"),
            format!("{what} and no payment received yet"),
            "Collect a first payment or a prepayment before provisioning more.",
        );
    }
    if f.prepayments_missing > 0 {
        add(
            "prepayment_missing",
            w("prepayment_missing"),
            format!(
                "{} prepayment request(s) due and not received",
                f.prepayments_missing
            ),
            "Hold provisioning until the prepayment arrives.",
        );
    }
    if f.admin_access == "full" && !missing.is_empty() {
        add(
            "full_admin_checks_missing",
            w("full_admin_checks_missing"),
            format!(
                "full administrator access while {} check(s) are missing",
                missing.len()
            ),
            "Use least-privilege (GDAP) roles until the checks are done.",
        );
    }
    if let Some(shared) = lookalike {
        add("automated_signup", w("automated_signup"), shared.join("; "), "Verify each customer's identity by phone before provisioning; sign-ups in batches are a sign of automation.");
    }
    if f.overdue_minor > 0 {
        // The weight at 90 days or more; a share of it before.
        let share = match f.overdue_days {
            1..=30 => 1,
            31..=60 => 2,
            61..=89 => 3,
            _ => 4,
        };
        add(
            "overdue",
            w("overdue") * share / 4,
            format!(
                "{} overdue, up to {} days",
                f.money(f.overdue_minor),
                f.overdue_days
            ),
            "Follow the dunning plan; suspend if it keeps growing.",
        );
    }
    if f.broken_promise {
        add(
            "broken_promise",
            w("broken_promise"),
            "the latest promise to pay was broken".into(),
            "Ask for payment now; do not accept another promise without a part payment.",
        );
    }
    if f.disputed_invoices >= 2 {
        add(
            "disputes",
            w("disputes"),
            format!("{} invoices disputed", f.disputed_invoices),
            "Resolve the disputes; frequent disputes can hide non-payment.",
        );
    }
    let committed = f
        .subscriptions
        .iter()
        .map(|x| terms::committed_rest(x, as_of))
        .fold(0i64, i64::saturating_add);
    let total = f
        .open_minor
        .saturating_add(f.usage_minor)
        .saturating_add(committed)
        .saturating_sub(f.credit_minor);
    let exposure = Exposure {
        open_receivables_minor: f.open_minor,
        usage_not_invoiced_minor: f.usage_minor,
        committed_minor: committed,
        credit_minor: f.credit_minor,
        total_minor: total,
        credit_limit_minor: f.credit_limit_minor,
        currency: f.currency.map(|c| c.code().to_string()).unwrap_or_default(),
        over_limit: f.credit_limit_minor > 0 && total > f.credit_limit_minor,
    };
    if exposure.over_limit {
        add(
            "over_credit_limit",
            w("over_credit_limit"),
            format!(
                "exposure {} over the credit limit {}",
                f.money(total),
                f.money(f.credit_limit_minor)
            ),
            "Ask for a payment or a prepayment to bring the exposure under the limit.",
        );
    }
    let budget = f
        .alerts
        .iter()
        .filter(|(k, _, _)| k == "budget")
        .map(|(_, s, _)| *s)
        .max()
        .unwrap_or(0);
    if budget >= 3 {
        add(
            "budget_overrun",
            w("budget_overrun"),
            "a monthly budget was reached or exceeded".into(),
            "Agree a higher budget with a prepayment, or reduce the usage.",
        );
    }
    let misuse: Vec<&(String, u8, String)> = f
        .alerts
        .iter()
        .filter(|(k, s, _)| !k.starts_with("budget") && k != "notice" && *s >= 3)
        .collect();
    if let Some(worst) = misuse.iter().map(|(_, s, _)| *s).max() {
        let points = if worst >= 4 {
            w("misuse_alert")
        } else {
            w("misuse_alert") * 3 / 5
        };
        let titles: Vec<&str> = misuse.iter().map(|(_, _, t)| t.as_str()).collect();
        add(
            "misuse_alert",
            points,
            format!("open alert(s): {}", titles.join("; ")),
            "Work the alerts: call the customer, suspend what cannot be explained.",
        );
    }
    if !f.notices_overdue.is_empty() {
        add(
            "notice_overdue",
            w("notice_overdue"),
            format!(
                "Microsoft notice(s) past their deadline: {}",
                f.notices_overdue.join("; ")
            ),
            "Respond to Microsoft now and record the mitigation.",
        );
    }
    if !f.incidents_open.is_empty() {
        add(
            "abuse_incident",
            w("abuse_incident"),
            format!("open abuse incident(s): {}", f.incidents_open.join("; ")),
            "Close the incident: suspend, restrict admin access, contact the customer.",
        );
    }
    // Windows still open on purchases for a customer who has not paid: never paid, or
    // overdue now, and no prepayment received since 30 days before the window opened.
    let windows: Vec<Window> =
        terms::open_windows(&f.subscriptions, &f.seats, now, s.cancel_window_days)
            .into_iter()
            .filter(|w| {
                let unpaid = f.first_payment.is_none() || f.overdue_minor > 0;
                let prepaid = f
                    .last_prepayment
                    .is_some_and(|d| d >= w.opened_on - chrono::Duration::days(30));
                unpaid && !prepaid
            })
            .collect();
    if !windows.is_empty() {
        let list: Vec<String> = windows
            .iter()
            .map(|w| {
                format!(
                    "{} ({}{} on {}, {} seat(s), term worth {}): {} hours left, collect or cancel before {}",
                    w.offer,
                    w.kind,
                    if w.kind == "seats" { " added" } else { "" },
                    w.opened_on,
                    w.quantity,
                    f.money(w.term_value_minor),
                    w.hours_left,
                    w.closes_at.format("%Y-%m-%d %H:%M UTC")
                )
            })
            .collect();
        add(
            "cancellation_window",
            w("cancellation_window"),
            list.join("; "),
            "Collect payment or a prepayment now, or cancel in Partner Center before the window closes; after it the whole term is owed to Microsoft.",
        );
    }
    out.sort_by(|a, b| b.points.cmp(&a.points).then(a.key.cmp(b.key)));
    (out, exposure, windows)
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
    let facts = facts::gather(conn, as_of, now)?;
    let lookalikes = facts::lookalikes(&facts, s.signup_window_days, s.signup_min_customers);
    let mut out: Vec<RiskScore> = facts
        .iter()
        .filter(|(id, _)| customer.is_none_or(|c| c == **id))
        .map(|(id, f)| {
            let (factors, exposure, windows) = factors(f, s, lookalikes.get(id), as_of, now);
            let score = factors.iter().map(|f| f.points).sum::<u32>().min(100);
            RiskScore {
                customer_id: *id,
                name: f.name.clone(),
                score,
                level: level_of(score, s.edges),
                factors,
                exposure,
                windows,
            }
        })
        .collect();
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
    for r in &list {
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
    let mut stmt = conn.prepare(
        "SELECT as_of, score, level FROM risk_history WHERE customer_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([customer.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
