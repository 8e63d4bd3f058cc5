//! One inbox of alerts: budget thresholds and forecasts, misuse detectors (and, as they
//! land, notice deadlines and activity-log rules). A finding has a key naming what it is
//! about (kind, customer, subscription, day or month); raising the same key again does
//! nothing, so evaluating after every import raises each finding once.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::error::Code;
use crate::ids::CustomerId;
use crate::text_enum::text_enum;
use crate::{Ctx, Error, Result};

/// What a detector or a budget found, before it is an alert.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    pub key: String,
    pub kind: String,
    /// 1 information, 2 warning, 3 high, 4 critical.
    pub severity: u8,
    pub customer_id: Option<CustomerId>,
    pub subscription: Option<String>,
    pub day: chrono::NaiveDate,
    pub title_en: String,
    pub title_zh: String,
    /// What was seen, the baseline, the risk it points to and what to do (both languages).
    pub evidence: serde_json::Value,
}

text_enum! {
    /// What an alert is about: one table, which the risk model and reports switch on.
    AlertKind {
        Budget = "budget",
        BudgetForecast = "budget_forecast",
        Gpu = "gpu",
        LargeVm = "large_vm",
        Egress = "egress",
        Messaging = "messaging",
        SpendSpike = "spend_spike",
        NewRegion = "new_region",
        FirstDays = "first_days",
        OverdueGrowth = "overdue_growth",
        NewResource = "new_resource",
        UnconvertedUsage = "unconverted_usage",
        Notice = "notice",
        Activity = "activity",
        Headroom = "headroom",
        Purchase = "purchase",
    }
}

impl AlertKind {
    /// A misuse detector's finding (what the risk model's misuse factor counts): not a
    /// budget, a notice deadline, an activity-log rule, a note or a missing rate.
    pub fn is_misuse(self) -> bool {
        matches!(
            self,
            AlertKind::Gpu
                | AlertKind::LargeVm
                | AlertKind::Egress
                | AlertKind::Messaging
                | AlertKind::SpendSpike
                | AlertKind::NewRegion
                | AlertKind::FirstDays
                | AlertKind::OverdueGrowth
        )
    }

    pub fn is_budget(self) -> bool {
        matches!(self, AlertKind::Budget | AlertKind::BudgetForecast)
    }

    /// Whether stored kind text is a misuse finding (unknown text is not).
    pub fn text_is_misuse(text: &str) -> bool {
        AlertKind::parse(text).is_some_and(AlertKind::is_misuse)
    }
}

text_enum! {
    AlertStatus {
        Open = "open",
        Acknowledged = "acknowledged",
        Resolved = "resolved",
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Alert {
    pub id: i64,
    pub kind: String,
    pub severity: u8,
    pub customer_id: Option<CustomerId>,
    pub customer_name: Option<String>,
    pub subscription: Option<String>,
    pub day: String,
    pub title_en: String,
    pub title_zh: String,
    pub evidence: serde_json::Value,
    pub status: AlertStatus,
    pub note: String,
    pub raised_at: String,
    pub changed_at: String,
    pub changed_by: String,
}

/// Raises the findings not raised before; returns how many were new. Each new alert is
/// in the audit trail.
pub fn raise(tx: &Transaction, ctx: &Ctx, findings: &[Finding]) -> Result<usize> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO alerts (key, kind, severity, customer_id, subscription, day, title_en, title_zh, evidence, raised_at, changed_at, changed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)
         ON CONFLICT (key) DO NOTHING",
    )?;
    let mut new = 0;
    for f in findings {
        let n = insert.execute(params![
            f.key,
            f.kind,
            f.severity,
            f.customer_id.map(|c| c.0),
            f.subscription,
            f.day.to_string(),
            f.title_en,
            f.title_zh,
            f.evidence.to_string(),
            ctx.now_text(),
            ctx.actor
        ])?;
        if n == 1 {
            new += 1;
            crate::audit::record(
                tx,
                ctx,
                "alert",
                tx.last_insert_rowid(),
                "raise",
                None,
                Some(f),
            )?;
        }
    }
    Ok(new)
}

/// Which alerts to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// Resolved alerts too.
    pub include_resolved: bool,
    pub customer: Option<CustomerId>,
}

/// Most severe first, then newest.
pub fn list(conn: &Connection, filter: Filter) -> Result<Vec<Alert>> {
    crate::store::rows(
        conn,
        "SELECT a.id, a.kind, a.severity, a.customer_id, c.legal_name, a.subscription, a.day,
                a.title_en, a.title_zh, a.evidence, a.status, a.note, a.raised_at, a.changed_at, a.changed_by
         FROM alerts a LEFT JOIN customers c ON c.id = a.customer_id
         WHERE (?1 OR a.status <> 'resolved') AND (?2 IS NULL OR a.customer_id = ?2)
         ORDER BY a.status = 'resolved', a.severity DESC, a.day DESC, a.id DESC",
        params![filter.include_resolved, filter.customer.map(|c| c.0)],
        |r| {
            let evidence: String = r.get(9)?;
            Ok(Alert {
                id: r.get(0)?,
                kind: r.get(1)?,
                severity: r.get(2)?,
                customer_id: r.get(3)?,
                customer_name: r.get(4)?,
                subscription: r.get(5)?,
                day: r.get(6)?,
                title_en: r.get(7)?,
                title_zh: r.get(8)?,
                evidence: serde_json::from_str(&evidence).unwrap_or(serde_json::Value::Null),
                status: r.get(10)?,
                note: r.get(11)?,
                raised_at: r.get(12)?,
                changed_at: r.get(13)?,
                changed_by: r.get(14)?,
            })
        },
    )
}

/// Open (not yet acknowledged) and acknowledged counts, for the navigation.
pub fn counts(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE status = 'acknowledged') FROM alerts",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Acknowledges or resolves an alert (resolving needs a note), audited.
pub fn set_status(
    tx: &Transaction,
    ctx: &Ctx,
    id: i64,
    status: AlertStatus,
    note: &str,
) -> Result<()> {
    let note = note.trim();
    crate::error::at_most("note", note, 2000)?;
    if status == AlertStatus::Resolved && note.is_empty() {
        return Err(Error::field(
            "note",
            Code::Required,
            "say how the alert was resolved (what you checked, what you did)",
        ));
    }
    let before: Option<(String, String)> = tx
        .query_row("SELECT status, note FROM alerts WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((old_status, old_note)) = before else {
        return Err(Error::NotFound(format!("alert {id}")));
    };
    tx.execute(
        "UPDATE alerts SET status = ?2, note = ?3, changed_at = ?4, changed_by = ?5 WHERE id = ?1",
        params![id, status.as_str(), note, ctx.now_text(), ctx.actor],
    )?;
    crate::audit::record(
        tx,
        ctx,
        "alert",
        id,
        status.as_str(),
        Some(&serde_json::json!({"status": old_status, "note": old_note})),
        Some(&serde_json::json!({"status": status.as_str(), "note": note})),
    )
}
