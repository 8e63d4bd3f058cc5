//! Microsoft's notices: Azure fraud and security alerts (imported from the JSON the
//! Partner Center API `GET /v1/fraudEvents` or Microsoft Graph `securityAlerts` returns,
//! saved from the portal or a script), acceptable-use and suspension notices (typed in),
//! each with a workflow: received → investigating → action taken → responded → resolved
//! as legitimate, fraud or ignored; every step with its time and who.
//!
//! Deadlines: Microsoft asks partners to respond to a security alert within an hour and to
//! mitigate within 24 hours (settings `notices.respond_minutes`, `notices.mitigate_hours`).
//! A notice past a deadline raises an alert. A notice resolved as fraud starts the
//! fraud-credit claim window from the first day of fraudulent usage
//! (`notices.claim_days`); the credit is claimed once per customer tenant.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::error::Code;
use crate::ids::CustomerId;
use crate::store::rows;
use crate::text_enum::text_enum;
use crate::{Ctx, Error, FieldError, Result};

text_enum! {
    NoticeKind {
        AcceptableUse = "acceptable_use",
        FraudAlert = "fraud_alert",
        CryptoMining = "crypto_mining",
        Suspension = "suspension",
        Other = "other",
    }
}

text_enum! {
    NoticeStatus {
        Received = "received",
        Investigating = "investigating",
        ActionTaken = "action_taken",
        Responded = "responded",
        ResolvedLegitimate = "resolved_legitimate",
        ResolvedFraud = "resolved_fraud",
        ResolvedIgnored = "resolved_ignored",
    }
}

impl NoticeStatus {
    pub fn is_resolved(self) -> bool {
        matches!(
            self,
            NoticeStatus::ResolvedLegitimate
                | NoticeStatus::ResolvedFraud
                | NoticeStatus::ResolvedIgnored
        )
    }

    /// Responded to: anything past "received".
    fn responded(self) -> bool {
        self != NoticeStatus::Received
    }

    /// Mitigated: an action taken, a response or a resolution.
    fn mitigated(self) -> bool {
        !matches!(self, NoticeStatus::Received | NoticeStatus::Investigating)
    }
}

/// The deadlines and the claim window, from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Deadlines {
    pub respond_minutes: i64,
    pub mitigate_hours: i64,
    pub claim_days: i64,
}

pub const SETTING_NAMES: &[&str] = &[
    "notices.respond_minutes",
    "notices.mitigate_hours",
    "notices.claim_days",
];

impl Deadlines {
    pub fn load(conn: &Connection) -> Result<Deadlines> {
        let mut d = Deadlines {
            respond_minutes: 60,
            mitigate_hours: 24,
            claim_days: 60,
        };
        for name in SETTING_NAMES {
            if let Some(v) = crate::store::settings::get(conn, name)? {
                d.apply(name, &v)?;
            }
        }
        Ok(d)
    }

    pub fn apply(&mut self, name: &str, value: &str) -> Result<()> {
        let v = value
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| (1..=10_000).contains(v))
            .ok_or_else(|| {
                Error::field(
                    name,
                    Code::Invalid,
                    format!("{value:?}: a whole number from 1 to 10000"),
                )
            })?;
        match name {
            "notices.respond_minutes" => self.respond_minutes = v,
            "notices.mitigate_hours" => self.mitigate_hours = v,
            "notices.claim_days" => self.claim_days = v,
            _ => return Err(Error::field(name, Code::Unknown, "not a notice setting")),
        }
        Ok(())
    }
}

/// A notice as typed or imported.
#[derive(Debug, Clone, Default)]
pub struct NewNotice {
    pub source_id: Option<String>,
    pub kind: Option<NoticeKind>,
    pub alert_type: String,
    pub received_at: Option<DateTime<Utc>>,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    pub tenant_id: String,
    pub customer_id: Option<CustomerId>,
    pub subscription: String,
    pub resources: Vec<String>,
    pub title: String,
    pub body: String,
    pub severity: String,
    pub status: Option<NoticeStatus>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    pub status: NoticeStatus,
    pub at: String,
    pub who: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Notice {
    pub id: i64,
    pub source_id: Option<String>,
    pub kind: NoticeKind,
    pub alert_type: String,
    pub received_at: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub customer_id: Option<CustomerId>,
    pub customer_name: Option<String>,
    pub tenant_id: String,
    pub subscription: String,
    pub resources: Vec<String>,
    pub title: String,
    pub body: String,
    pub severity: String,
    pub status: NoticeStatus,
    /// When a response is due, and whether it is late (as of the listing).
    pub respond_by: String,
    pub respond_overdue: bool,
    pub mitigate_by: String,
    pub mitigate_overdue: bool,
    pub fraud_from: Option<String>,
    /// Resolved as fraud: the last day to claim the fraud credit.
    pub claim_by: Option<NaiveDate>,
    pub claim_filed_on: Option<String>,
    /// The credit was already claimed for this customer tenant on another notice.
    pub claimed_for_tenant: bool,
    pub steps: Vec<Step>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A date-time as Microsoft writes it: with `Z` or an offset, or (the fraud events) with
/// neither, which is read as UTC. `9999-12-31…` (never) is None.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if t.is_empty() || t.starts_with("9999") || t.starts_with("0001") {
        return None;
    }
    let parsed = DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
                .map(|n| n.and_utc())
        })
        .or_else(|| dotnet_date(t))?;
    crate::dates::check(parsed.date_naive()).ok()?;
    Some(parsed)
}

/// A time as Windows PowerShell's `ConvertTo-Json` writes one: `/Date(1736565160510)/`,
/// milliseconds since 1970 in UTC, perhaps with the writer's offset after them
/// (`/Date(1736565160510+0800)/`), which does not move the instant.
fn dotnet_date(t: &str) -> Option<DateTime<Utc>> {
    let inner = t.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let sign = inner
        .get(1..)?
        .find(['+', '-'])
        .map_or(inner.len(), |i| i + 1);
    let (ms, offset) = inner.split_at(sign);
    if !offset.is_empty() && (offset.len() != 5 || !offset[1..].bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    DateTime::from_timestamp_millis(ms.parse().ok()?)
}

/// The value of `key` in a JSON object, however its case is written (`eventId` as the
/// REST API writes it, `EventId` as a PowerShell export does).
pub(crate) fn field<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
    v.get(key).or_else(|| {
        v.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, x)| x)
    })
}

/// The customer a tenant belongs to (a remembered link, then the customer's tenant id).
pub(crate) fn customer_of(conn: &Connection, tenant: &str) -> Result<Option<CustomerId>> {
    if tenant.is_empty() {
        return Ok(None);
    }
    let linked: Option<Option<i64>> = conn
        .query_row(
            "SELECT customer_id FROM usage_tenants WHERE tenant_id = ?1",
            [tenant],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(Some(id)) = linked {
        return Ok(Some(CustomerId(id)));
    }
    Ok(conn
        .query_row(
            "SELECT id FROM customers WHERE lower(tenant_id) = ?1",
            [tenant],
            |r| r.get(0),
        )
        .optional()?
        .map(CustomerId))
}

pub(crate) fn check(n: &NewNotice) -> std::result::Result<(), FieldError> {
    let bad = |f: &str, code: Code, m: &str| Err(FieldError::new(f, code, m));
    if n.title.trim().is_empty() {
        return bad("title", Code::Required, "required");
    }
    if n.title.chars().count() > 500 {
        return Err(FieldError::too_long("title", 500));
    }
    if n.body.chars().count() > 20_000 {
        return Err(FieldError::too_long("text", 20_000));
    }
    if n.received_at.is_none() {
        return bad(
            "received_at",
            Code::InvalidTime,
            "a date and time (ISO 8601) between 2000 and 2100",
        );
    }
    if n.resources.len() > 1000 {
        return bad("resources", Code::TooMany, "at most 1,000 resources")
            .map_err(|e| e.with("max", 1000));
    }
    Ok(())
}

/// Adds a notice (audited); returns its id. Imported ones keep their Microsoft id.
pub fn add(tx: &Transaction, ctx: &Ctx, n: &NewNotice) -> Result<i64> {
    check(n).map_err(Error::fields)?;
    let tenant = n.tenant_id.trim().to_ascii_lowercase();
    let customer = match n.customer_id {
        Some(c) => Some(c),
        None => customer_of(tx, &tenant)?,
    };
    let status = n.status.unwrap_or(NoticeStatus::Received);
    let received = n.received_at.map(rfc3339).unwrap_or_else(|| ctx.now_text());
    tx.execute(
        "INSERT INTO notices (source_id, kind, alert_type, received_at, first_seen, last_seen, customer_id, tenant_id,
           subscription, resources, title, body, severity, status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            n.source_id,
            n.kind.unwrap_or(NoticeKind::Other).as_str(),
            n.alert_type,
            received,
            n.first_seen.map(rfc3339),
            n.last_seen.map(rfc3339),
            customer.map(|c| c.0),
            tenant,
            n.subscription.trim().to_ascii_lowercase(),
            serde_json::to_string(&n.resources).unwrap_or_else(|_| "[]".into()),
            n.title.trim(),
            n.body.trim(),
            n.severity,
            status.as_str(),
            ctx.now_text()
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO notice_steps (notice_id, status, at, who, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            id,
            status.as_str(),
            ctx.now_text(),
            ctx.actor,
            n.source_id.as_ref().map(|_| "imported").unwrap_or("")
        ],
    )?;
    if status == NoticeStatus::ResolvedFraud {
        let from = n.first_seen.or(n.received_at).map(|t| t.date_naive());
        set_fraud_from(tx, id, from)?;
    }
    crate::audit::record(
        tx,
        ctx,
        "notice",
        id,
        "create",
        None,
        Some(
            &serde_json::json!({"title": n.title, "kind": n.kind.map(|k| k.as_str()), "tenant": tenant, "source_id": n.source_id}),
        ),
    )?;
    Ok(id)
}

/// The first day of fraudulent usage, which starts the credit claim window.
fn set_fraud_from(tx: &Transaction, id: i64, from: Option<NaiveDate>) -> Result<()> {
    tx.execute(
        "UPDATE notices SET fraud_from = ?2 WHERE id = ?1",
        params![id, from.map(|d| d.to_string())],
    )?;
    Ok(())
}

/// Moves a notice on in its workflow (audited). Resolving as fraud records the first day
/// of fraudulent usage (default: when it was first seen), which starts the claim window.
pub fn set_status(
    tx: &Transaction,
    ctx: &Ctx,
    id: i64,
    status: NoticeStatus,
    note: &str,
    fraud_from: Option<NaiveDate>,
) -> Result<()> {
    crate::error::at_most("note", note, 2000)?;
    if status.is_resolved() && note.trim().is_empty() {
        return Err(Error::field(
            "note",
            Code::Required,
            "say what you found and did",
        ));
    }
    let before: Option<(String, Option<String>, String)> = tx
        .query_row(
            "SELECT status, first_seen, received_at FROM notices WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((old, first_seen, received)) = before else {
        return Err(Error::NotFound(format!("notice {id}")));
    };
    tx.execute(
        "UPDATE notices SET status = ?2 WHERE id = ?1",
        params![id, status.as_str()],
    )?;
    if status == NoticeStatus::ResolvedFraud {
        let from = match fraud_from {
            Some(d) => Some(crate::dates::check_field("fraud_from", d)?),
            None => parse_time(&first_seen.unwrap_or(received)).map(|t| t.date_naive()),
        };
        set_fraud_from(tx, id, from)?;
    }
    tx.execute(
        "INSERT INTO notice_steps (notice_id, status, at, who, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, status.as_str(), ctx.now_text(), ctx.actor, note.trim()],
    )?;
    crate::audit::record(
        tx,
        ctx,
        "notice",
        id,
        status.as_str(),
        Some(&serde_json::json!({"status": old})),
        Some(&serde_json::json!({"status": status.as_str(), "note": note.trim()})),
    )
}

/// Records that the fraud credit was claimed (once per customer tenant), audited.
pub fn claim_filed(tx: &Transaction, ctx: &Ctx, id: i64, on: NaiveDate) -> Result<()> {
    let on = crate::dates::check_field("claim_filed_on", on)?;
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT status, tenant_id FROM notices WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((status, tenant)) = row else {
        return Err(Error::NotFound(format!("notice {id}")));
    };
    if status != NoticeStatus::ResolvedFraud.as_str() {
        return Err(Error::field(
            "status",
            Code::Invalid,
            "only a notice resolved as fraud has a credit to claim",
        ));
    }
    let already: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM notices WHERE tenant_id = ?1 AND tenant_id <> '' AND claim_filed_on IS NOT NULL AND id <> ?2)",
        params![tenant, id],
        |r| r.get(0),
    )?;
    if already {
        return Err(Error::field(
            "claim_filed_on",
            Code::Conflict,
            "the fraud credit was already claimed for this customer tenant",
        ));
    }
    tx.execute(
        "UPDATE notices SET claim_filed_on = ?2 WHERE id = ?1",
        params![id, on.to_string()],
    )?;
    crate::audit::record(
        tx,
        ctx,
        "notice",
        id,
        "claim_filed",
        None,
        Some(&serde_json::json!({"claim_filed_on": on.to_string()})),
    )
}

/// Every notice, newest first, with its deadlines as of `now`.
pub fn list(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<Notice>> {
    let d = Deadlines::load(conn)?;
    let mut out: Vec<Notice> = rows(
        conn,
        "SELECT n.id, n.source_id, n.kind, n.alert_type, n.received_at, n.first_seen, n.last_seen, n.customer_id, c.legal_name,
                n.tenant_id, n.subscription, n.resources, n.title, n.body, n.severity, n.status, n.fraud_from, n.claim_filed_on,
                EXISTS (SELECT 1 FROM notices o WHERE o.tenant_id = n.tenant_id AND o.tenant_id <> '' AND o.claim_filed_on IS NOT NULL AND o.id <> n.id)
         FROM notices n LEFT JOIN customers c ON c.id = n.customer_id
         ORDER BY n.received_at DESC, n.id DESC",
        [],
        |r| {
        let resources: String = r.get(11)?;
        Ok(Notice {
            id: r.get(0)?,
            source_id: r.get(1)?,
            kind: r.get(2)?,
            alert_type: r.get(3)?,
            received_at: r.get(4)?,
            first_seen: r.get(5)?,
            last_seen: r.get(6)?,
            customer_id: r.get(7)?,
            customer_name: r.get(8)?,
            tenant_id: r.get(9)?,
            subscription: r.get(10)?,
            resources: serde_json::from_str(&resources).unwrap_or_default(),
            title: r.get(12)?,
            body: r.get(13)?,
            severity: r.get(14)?,
            status: r.get(15)?,
            respond_by: String::new(),
            respond_overdue: false,
            mitigate_by: String::new(),
            mitigate_overdue: false,
            fraud_from: r.get(16)?,
            claim_by: None,
            claim_filed_on: r.get(17)?,
            claimed_for_tenant: r.get(18)?,
            steps: Vec::new(),
        })
    })?;
    for n in &mut out {
        let received = parse_time(&n.received_at).unwrap_or(now);
        let respond_by = received + Duration::minutes(d.respond_minutes);
        let mitigate_by = received + Duration::hours(d.mitigate_hours);
        n.respond_by = rfc3339(respond_by);
        n.mitigate_by = rfc3339(mitigate_by);
        n.respond_overdue = !n.status.responded() && now > respond_by;
        n.mitigate_overdue = !n.status.mitigated() && now > mitigate_by;
        n.claim_by = n
            .fraud_from
            .as_deref()
            .and_then(|f| crate::dates::parse(f).ok())
            .filter(|_| n.status == NoticeStatus::ResolvedFraud)
            .map(|f| f + Duration::days(d.claim_days));
        n.steps = rows(
            conn,
            "SELECT status, at, who, note FROM notice_steps WHERE notice_id = ?1 ORDER BY id",
            [n.id],
            |r| {
                Ok(Step {
                    status: r.get(0)?,
                    at: r.get(1)?,
                    who: r.get(2)?,
                    note: r.get(3)?,
                })
            },
        )?;
    }
    Ok(out)
}

pub(crate) use super::notice_alerts::findings;
pub use super::notice_files::{import, NoticeImport};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_the_api_powershell_and_spreadsheets_write_them() {
        let at = parse_time("2025-01-11T03:12:40.51Z").unwrap();
        for same in [
            "2025-01-11T03:12:40.51",
            "2025-01-11 03:12:40.51",
            "2025-01-11T11:12:40.51+08:00",
            "/Date(1736565160510)/",
            "/Date(1736565160510+0800)/",
            " /Date(1736565160510-0500)/ ",
        ] {
            assert_eq!(parse_time(same), Some(at), "{same}");
        }
        for bad in [
            "",
            "/Date()/",
            "/Date(x)/",
            "/Date(1736565160510+08)/",
            "/Date(1736565160510",
            "/Date(99999999999999999999)/",
            "/Date(-99999999999999)/",
            "9999-12-31T23:59:59.9970000",
            "0001-01-01T00:00:00",
            "/Date(é)/",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}
