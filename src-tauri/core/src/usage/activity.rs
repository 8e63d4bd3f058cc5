//! The Partner Center activity log: audit records as the API returns them
//! (`GET /v1/auditrecords`, `{"items": [...]}`) or the portal's "Export log" CSV
//! (Date-Time, Affected customer, Action, Partner user; its exact wording and date style
//! are not documented, so the usual ones are accepted). Kept as long as the user wants;
//! Partner Center itself keeps 90 days.
//!
//! The rules that flag what to review are in `activity_rules`.

use std::borrow::Cow;

use chrono::{DateTime, NaiveTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::notices::field;
use super::read::{self, DateOrder};
use crate::error::{Code, ImportProblem};
use crate::ids::CustomerId;
use crate::{Ctx, Error, Result};

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ActivityImport {
    pub added: u64,
    pub unchanged: u64,
}

impl ActivityImport {
    /// What this import and `other` did together (files imported together).
    pub fn add(&mut self, other: ActivityImport) {
        self.added += other.added;
        self.unchanged += other.unchanged;
    }
}

struct Record {
    source_id: String,
    at: DateTime<Utc>,
    tenant: String,
    customer_name: String,
    who: String,
    operation: String,
    resource_type: String,
    status: String,
    detail: serde_json::Value,
}

/// Imports an audit-records JSON or a portal CSV export: all or nothing; records already
/// imported are left alone.
pub fn import(tx: &Transaction, ctx: &Ctx, file: &str, text: &str) -> Result<ActivityImport> {
    let text = text.trim_start_matches('\u{feff}');
    let records = if text.trim_start().starts_with(['{', '[']) {
        from_json(file, text)?
    } else {
        from_csv(file, text)?
    };
    let mut summary = ActivityImport {
        added: 0,
        unchanged: 0,
    };
    let import_id: i64 = tx.query_row(
        "SELECT coalesce(max(import_id), 0) + 1 FROM activity",
        [],
        |r| r.get(0),
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO activity (source_id, at, tenant_id, customer_name, customer_id, who, operation, resource_type, status, detail, import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (source_id) DO NOTHING",
    )?;
    // One event once, whichever export it came from: the API's JSON and the portal's CSV
    // name the same event by the same second, user, operation and customer.
    let mut seen = tx.prepare_cached(
        "SELECT count(*) FROM activity WHERE source_id <> ?1 AND at = ?2 AND lower(who) = lower(?3)
           AND operation = ?4 AND ((?5 IS NOT NULL AND customer_id = ?5) OR lower(customer_name) = lower(?6))",
    )?;
    let names = crate::customer::NameIndex::load(tx)?;
    for r in &records {
        let customer = customer_of(tx, &names, &r.tenant, &r.customer_name)?;
        let at = r.at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let same: i64 = seen.query_row(
            params![
                r.source_id,
                at,
                r.who,
                r.operation,
                customer.map(|c| c.0),
                r.customer_name
            ],
            |row| row.get(0),
        )?;
        if same > 0 {
            summary.unchanged += 1;
            continue;
        }
        let n = insert.execute(params![
            r.source_id,
            r.at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            r.tenant,
            r.customer_name,
            customer.map(|c| c.0),
            r.who,
            r.operation,
            r.resource_type,
            r.status,
            r.detail.to_string(),
            import_id
        ])?;
        if n == 1 {
            summary.added += 1;
        } else {
            summary.unchanged += 1;
        }
    }
    if summary.added > 0 {
        crate::audit::record(
            tx,
            ctx,
            "activity_import",
            import_id,
            "import",
            None,
            Some(&serde_json::json!({"file": file, "added": summary.added})),
        )?;
    }
    Ok(summary)
}

/// The customer a record is about: by its tenant (linked or the customer's own), else by its
/// customer name, the one customer of that legal name however written, else the tenant
/// linked under that name.
fn customer_of(
    conn: &Connection,
    names: &crate::customer::NameIndex,
    tenant: &str,
    name: &str,
) -> Result<Option<CustomerId>> {
    if !tenant.is_empty() {
        let found: Option<i64> = conn
            .query_row(
                "SELECT coalesce((SELECT customer_id FROM usage_tenants WHERE tenant_id = ?1),
                                 (SELECT id FROM customers WHERE lower(tenant_id) = ?1))",
                [tenant],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if found.is_some() {
            return Ok(found.map(CustomerId));
        }
    }
    if name.is_empty() {
        return Ok(None);
    }
    if let [one] = names.find(name)[..] {
        return Ok(Some(one));
    }
    Ok(conn
        .query_row(
            "SELECT customer_id FROM usage_tenants WHERE name = ?1 AND customer_id IS NOT NULL
             GROUP BY name HAVING count(DISTINCT customer_id) = 1",
            [name],
            |r| r.get(0),
        )
        .optional()?
        .map(CustomerId))
}

fn problem(file: &str, problems: Vec<ImportProblem>) -> Error {
    Error::Import {
        file: file.to_string(),
        problems,
    }
}

fn from_json(file: &str, text: &str) -> Result<Vec<Record>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        problem(
            file,
            vec![ImportProblem::new(
                e.line() as u64,
                "json",
                Code::NotJson,
                format!("not JSON: {e}"),
            )],
        )
    })?;
    // A list of audit records, bare or as Graph and the Partner Center API wrap it.
    let items = match &value {
        serde_json::Value::Array(a) => Some(a.clone()),
        serde_json::Value::Object(_) => {
            match field(&value, "items").or_else(|| field(&value, "value")) {
                Some(serde_json::Value::Array(a)) => Some(a.clone()),
                _ => None,
            }
        }
        _ => None,
    };
    let Some(items) = items else {
        return Err(problem(
            file,
            vec![ImportProblem::new(
                1,
                "json",
                Code::UnknownFormat,
                "expected audit records: a list, or {\"items\": [...]} or {\"value\": [...]}",
            )],
        ));
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, v) in items.iter().enumerate() {
        let s = |k: &str| {
            field(v, k)
                .and_then(|x| x.as_str())
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let item = i as u64 + 1;
        let id = s("id");
        let operation = s("operationType");
        let at = super::notices::parse_time(&s("operationDate"));
        if id.is_empty() || operation.is_empty() || at.is_none() {
            let (name, code, message) = if id.is_empty() {
                ("id", Code::Required, "required (the record's id)")
            } else if operation.is_empty() {
                ("operationType", Code::Required, "required (what was done)")
            } else {
                (
                    "operationDate",
                    Code::InvalidTime,
                    "required (a date and time between 2000 and 2100)",
                )
            };
            problems.push(ImportProblem::new(item, name, code, message));
            continue;
        }
        let detail: serde_json::Map<String, serde_json::Value> = field(v, "customizedData")
            .and_then(|d| d.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|kv| {
                        Some((
                            field(kv, "key")?.as_str()?.to_string(),
                            field(kv, "value")?.clone(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(Record {
            source_id: id,
            at: at.unwrap_or_default(),
            tenant: s("customerId").to_ascii_lowercase(),
            customer_name: s("customerName"),
            who: s("userPrincipalName"),
            operation,
            resource_type: s("resourceType"),
            status: s("operationStatus"),
            detail: serde_json::Value::Object(detail),
        });
    }
    if !problems.is_empty() {
        return Err(problem(file, problems));
    }
    Ok(out)
}

/// The portal's wording of the operations the rules look at (anything else is kept as
/// written, in lower case with underscores). Case, runs of spaces, a closing full stop and
/// a typographic apostrophe (`customer’s`, as a copy through Word or Outlook writes it) are
/// no part of the wording.
fn operation_of(action: &str) -> String {
    let a = action
        .replace(['\u{2019}', '\u{2018}'], "'")
        .trim()
        .trim_end_matches('.')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    let known = [
        ("created a user", "create_customer_user"),
        ("added a user to a directory role", "add_user_member"),
        (
            "updated the customer's billing profile",
            "update_customer_billing_profile",
        ),
        ("created an order", "create_order"),
        ("added a customer", "add_customer"),
        (
            "created a partner relationship",
            "create_partner_relationship",
        ),
        ("created a partner user", "create_partner_user"),
        ("deleted a user", "delete_customer_user"),
        ("reset a user password", "reset_customer_user_password"),
        ("updated a subscription", "update_subscription"),
        ("updated a user", "update_customer_user"),
        ("updated user licenses", "update_customer_user_licenses"),
        (
            "updated customer qualification",
            "update_customer_qualification",
        ),
        (
            "updated the customer's azure spending budget",
            "update_customer_spending_budget",
        ),
    ];
    known
        .iter()
        .find(|(k, _)| a == *k)
        .map(|(_, op)| op.to_string())
        .unwrap_or_else(|| a.split_whitespace().collect::<Vec<_>>().join("_"))
}

/// An activity log column's name as compared: letters and digits in lower case, a time
/// zone after it left aside (`Date-Time`, `Date/Time (UTC)` and `DateTime UTC` are one), and
/// a Chinese name, as the portal in Chinese may write it, without its spaces and marks
/// (`日期/時間` is `日期時間`). The export's header text is not documented.
fn column_key(header: &str) -> String {
    let key: String = header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    key.strip_suffix("utc")
        .filter(|k| !k.is_empty())
        .map_or(key.clone(), str::to_string)
}

fn from_csv(file: &str, text: &str) -> Result<Vec<Record>> {
    let delimiter = crate::import::delimiter(text.as_bytes());
    crate::import::refuse_cut_short(file, text, delimiter)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let fail = |line: u64, field: &str, code: Code, message: String| {
        problem(file, vec![ImportProblem::new(line, field, code, message)])
    };
    let headers = reader
        .headers()
        .map_err(|e| fail(1, "header", Code::Unreadable, e.to_string()))?
        .clone();
    let names: Vec<String> = headers.iter().map(column_key).collect();
    for (i, h) in names.iter().enumerate() {
        if !h.is_empty() && names[..i].contains(h) {
            return Err(fail(
                1,
                headers.get(i).unwrap_or("header"),
                Code::DuplicateColumn,
                "this column appears twice".into(),
            ));
        }
    }
    let col = |n: &[&str]| names.iter().position(|h| n.contains(&h.as_str()));
    let (Some(c_at), Some(c_action)) = (
        col(&[
            "datetime",
            "date",
            "operationdate",
            "timestamp",
            "dateandtime",
            "日期時間",
            "日期",
        ]),
        col(&[
            "action",
            "operation",
            "operationtype",
            "activity",
            "動作",
            "活動",
            "作業",
        ]),
    ) else {
        return Err(fail(
            1,
            "header",
            Code::MissingColumn,
            "an activity log export has Date-Time and Action columns".into(),
        ));
    };
    let c_customer = col(&[
        "affectedcustomer",
        "customer",
        "customername",
        "受影響的客戶",
        "客戶",
        "客戶名稱",
    ]);
    let c_user = col(&[
        "partneruser",
        "user",
        "userprincipalname",
        "合作夥伴使用者",
        "使用者",
    ]);
    let mut rows = Vec::new();
    let mut order = DateOrder::default();
    let mut problems = Vec::new();
    let mut lines = crate::import::Lines::new(text);
    for record in reader.records() {
        let r = match record {
            Ok(r) if crate::import::blank_row(&r) => continue,
            Ok(r) => r,
            Err(e) => {
                let line = lines.of(e.position());
                problems.push(ImportProblem::new(
                    line,
                    "row",
                    Code::MalformedRow,
                    e.to_string(),
                ));
                break;
            }
        };
        let line = lines.of(r.position());
        let when = r.get(c_at).unwrap_or("").trim().to_string();
        let (day, time) = split_time(&when);
        match (read::raw_date(&day), time) {
            (Ok(d), Some(t)) => {
                order.learn(d, line);
                rows.push((line, d, t, r));
            }
            _ => problems.push(
                ImportProblem::new(
                    line,
                    headers.get(c_at).unwrap_or("Date-Time"),
                    Code::InvalidTime,
                    format!("{when:?} is not a date and time"),
                )
                .with("value", crate::import::shown(&when)),
            ),
        }
    }
    let month_first = order
        .decide()
        .map_err(|m| fail(0, "dates", Code::AmbiguousDates, m))?;
    let mut out = Vec::new();
    for (line, d, t, r) in rows {
        let Some(day) = read::resolve(d, month_first).filter(|d| crate::dates::check(*d).is_ok())
        else {
            problems.push(ImportProblem::new(
                line,
                "Date-Time",
                Code::DateOutOfRange,
                "not a calendar date between 2000 and 2100",
            ));
            continue;
        };
        let cell = |c: Option<usize>| c.and_then(|i| r.get(i)).unwrap_or("").trim().to_string();
        let mut h = Sha256::new();
        for f in r.iter() {
            h.update(f.as_bytes());
            h.update([0x1f]);
        }
        let action = cell(Some(c_action));
        out.push(Record {
            source_id: format!("csv:{}", crate::hex::lower(&h.finalize())),
            at: day.and_time(t).and_utc(),
            tenant: String::new(),
            customer_name: cell(c_customer),
            who: cell(c_user),
            operation: operation_of(&action),
            resource_type: String::new(),
            status: String::new(),
            detail: serde_json::json!({ "action": action }),
        });
    }
    if !problems.is_empty() {
        return Err(problem(file, problems));
    }
    Ok(out)
}

/// "01/30/2025 05:05:05", "1/30/2025 5:05 AM", "2025-01-30T05:05:05Z", and as Excel in
/// Taiwan saves it again, "2025/1/30 下午 05:05:05": the date and time.
/// An ISO time with an offset (`2025-01-30T05:05:05+08:00`) is the UTC day and time of
/// that instant.
fn split_time(text: &str) -> (Cow<'_, str>, Option<NaiveTime>) {
    if let Some(t) = super::notices::parse_time(text) {
        // The date part is read again by raw_date.
        return (Cow::Owned(t.date_naive().to_string()), Some(t.time()));
    }
    let (day, rest) = text.split_once(' ').unwrap_or((text, ""));
    let rest = rest.trim();
    // Chinese writes the half of the day before the time: 上午 a.m., 下午 p.m.
    let half_day = [("上午", "AM"), ("下午", "PM")]
        .iter()
        .find_map(|(zh, en)| Some(format!("{} {en}", rest.strip_prefix(zh)?.trim())));
    let rest = half_day.as_deref().unwrap_or(rest);
    let time = if rest.is_empty() {
        Some(NaiveTime::MIN)
    } else {
        ["%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p"]
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(rest, f).ok())
    };
    (Cow::Borrowed(day), time)
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Activity {
    pub id: i64,
    pub at: String,
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    pub who: String,
    pub operation: String,
    pub status: String,
    pub detail: serde_json::Value,
}

/// The newest `limit` records (of one customer or all).
pub fn list(conn: &Connection, customer: Option<CustomerId>, limit: i64) -> Result<Vec<Activity>> {
    crate::store::rows(
        conn,
        "SELECT id, at, customer_id, customer_name, who, operation, status, detail FROM activity
         WHERE ?1 IS NULL OR customer_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2",
        params![customer.map(|c| c.0), limit.clamp(1, 10_000)],
        |r| {
            let detail: String = r.get(7)?;
            Ok(Activity {
                id: r.get(0)?,
                at: r.get(1)?,
                customer_id: r.get(2)?,
                customer_name: r.get(3)?,
                who: r.get(4)?,
                operation: r.get(5)?,
                status: r.get(6)?,
                detail: serde_json::from_str(&detail).unwrap_or_default(),
            })
        },
    )
}

pub(crate) use super::activity_rules::findings;
pub use super::activity_rules::SETTING_NAMES;

#[cfg(test)]
#[path = "activity_tests.rs"]
mod tests;
