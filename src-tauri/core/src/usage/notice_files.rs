//! Importing Microsoft's alerts: the JSON list Partner Center's `GET /v1/fraudEvents`
//! returns, or Microsoft Graph's `{"value": [...]}` of `securityAlerts`. One alert has one
//! id in both, so importing both never doubles it.

use rusqlite::Transaction;
use serde::Serialize;

use super::notices::{
    add, check, customer_of, field, parse_time, NewNotice, NoticeKind, NoticeStatus,
};
use crate::error::{Code, ImportProblem};
use crate::{Ctx, Error, FieldError, Result};

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct NoticeImport {
    pub added: u64,
    pub unchanged: u64,
    /// Tenants of imported notices that match no customer.
    pub unknown_tenants: Vec<String>,
    /// Test alerts (Graph's `isTest`) left out: Microsoft sent them to try the channel, about
    /// no customer's resources.
    pub tests: u64,
}

impl NoticeImport {
    /// What this import and `other` did together (files imported together).
    pub fn add(&mut self, other: NoticeImport) {
        self.added += other.added;
        self.unchanged += other.unchanged;
        self.tests += other.tests;
        for t in other.unknown_tenants {
            if !self.unknown_tenants.contains(&t) {
                self.unknown_tenants.push(t);
            }
        }
    }
}

/// Imports fraud events (`[...]`, Partner Center) or security alerts (`{"value": [...]}`,
/// Microsoft Graph): all or nothing; a notice already imported (same Microsoft id) is left
/// as it is, with the workflow kept in RiskDesk.
pub fn import(tx: &Transaction, ctx: &Ctx, file: &str, text: &str) -> Result<NoticeImport> {
    let fail = |item: u64, code: Code, message: String| Error::Import {
        file: file.to_string(),
        problems: vec![ImportProblem::new(item, "json", code, message)],
    };
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| fail(e.line() as u64, Code::NotJson, format!("not JSON: {e}")))?;
    let items = match &value {
        serde_json::Value::Array(a) => a.clone(),
        serde_json::Value::Object(_) => {
            match field(&value, "value").or_else(|| field(&value, "items")) {
                Some(serde_json::Value::Array(a)) => a.clone(),
                _ => {
                    return Err(fail(
                        1,
                        Code::UnknownFormat,
                        "expected a list of alerts ([...]) or {\"value\": [...]}".into(),
                    ))
                }
            }
        }
        _ => {
            return Err(fail(
                1,
                Code::UnknownFormat,
                "expected a list of alerts".into(),
            ))
        }
    };
    let mut notices = Vec::new();
    let mut problems = Vec::new();
    let mut tests = 0;
    for (i, item) in items.iter().enumerate() {
        if is_test(item) {
            tests += 1;
            continue;
        }
        match from_json(item) {
            Ok(n) => match check(&n) {
                Ok(()) => notices.push(n),
                Err(e) => problems.push(ImportProblem::at(i as u64 + 1, e)),
            },
            Err(e) => problems.push(ImportProblem::at(i as u64 + 1, e)),
        }
    }
    Error::refuse_if_any(file, problems)?;
    let mut summary = NoticeImport {
        added: 0,
        unchanged: 0,
        unknown_tenants: Vec::new(),
        tests,
    };
    for n in notices {
        let known: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM notices WHERE source_id = ?1)",
            [&n.source_id],
            |r| r.get(0),
        )?;
        if known {
            summary.unchanged += 1;
            continue;
        }
        let tenant = n.tenant_id.to_ascii_lowercase();
        if customer_of(tx, &tenant)?.is_none()
            && !tenant.is_empty()
            && !summary.unknown_tenants.contains(&tenant)
        {
            summary.unknown_tenants.push(tenant);
        }
        add(tx, ctx, &n)?;
        summary.added += 1;
    }
    Ok(summary)
}

/// Whether an alert says it is a test (`"isTest": true`, or the text `"true"`).
fn is_test(v: &serde_json::Value) -> bool {
    match field(v, "isTest") {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn text_of(v: &serde_json::Value, keys: &[&str]) -> String {
    keys.iter()
        .find_map(|k| {
            field(v, k).and_then(|x| match x {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                serde_json::Value::Bool(b) => Some(b.to_string()),
                _ => None,
            })
        })
        .unwrap_or_default()
}

/// One alert in either shape.
fn from_json(v: &serde_json::Value) -> std::result::Result<NewNotice, FieldError> {
    if !v.is_object() {
        return Err(FieldError::new(
            "item",
            Code::UnknownFormat,
            "not an object",
        ));
    }
    // One alert has one id in both shapes: Graph's `id` is the fraud event's `entityId`
    // (its eventId is `{subscriptionId}_{entityId}`), so importing both never doubles it.
    let event_id = text_of(v, &["eventId"]);
    let id = [
        text_of(v, &["entityId"]),
        event_id
            .split_once('_')
            .map(|(_, e)| e.to_string())
            .unwrap_or_default(),
        event_id.clone(),
        text_of(v, &["id"]),
    ]
    .into_iter()
    .find(|s| !s.is_empty())
    .unwrap_or_default();
    if id.is_empty() {
        return Err(FieldError::new(
            "eventId",
            Code::Required,
            "required (the alert's id)",
        ));
    }
    let alert_type = text_of(v, &["eventType", "alertType"]);
    let when = text_of(
        v,
        &[
            "eventTime",
            "detectedDateTime",
            "firstObserved",
            "firstObservedDateTime",
        ],
    );
    let received_at = parse_time(&when).ok_or_else(|| {
        FieldError::new(
            "eventTime",
            Code::InvalidTime,
            format!("{when:?} is not a date and time between 2000 and 2100"),
        )
        .with("value", crate::import::shown(&when))
    })?;
    let lower = alert_type.to_ascii_lowercase();
    let kind = if lower.contains("cryptomining") || lower.contains("crypto") {
        NoticeKind::CryptoMining
    } else {
        NoticeKind::FraudAlert
    };
    let status_text = text_of(v, &["eventStatus", "status"]).to_ascii_lowercase();
    let reason = text_of(v, &["resolvedReason"]).to_ascii_lowercase();
    let status = match (status_text.as_str(), reason.as_str()) {
        ("resolved", "fraud") => NoticeStatus::ResolvedFraud,
        ("resolved", "legitimate") => NoticeStatus::ResolvedLegitimate,
        ("resolved", _) => NoticeStatus::ResolvedIgnored,
        ("investigating", _) => NoticeStatus::Investigating,
        _ => NoticeStatus::Received,
    };
    let resources = field(v, "affectedResources")
        .and_then(|r| r.as_array())
        .map(|a| {
            a.iter()
                .map(|x| text_of(x, &["azureResourceId", "resourceId"]))
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut title = text_of(v, &["displayName", "entityName"]);
    if title.is_empty() {
        title = if alert_type.is_empty() {
            "Azure fraud alert".into()
        } else {
            alert_type.clone()
        };
    }
    let first = text_of(
        v,
        &["firstObserved", "firstObservedDateTime", "firstOccurrence"],
    );
    let last = text_of(
        v,
        &["lastObserved", "lastObservedDateTime", "lastOccurrence"],
    );
    Ok(NewNotice {
        source_id: Some(id),
        kind: Some(kind),
        alert_type,
        received_at: Some(received_at),
        first_seen: parse_time(&first),
        last_seen: parse_time(&last),
        tenant_id: text_of(v, &["customerTenantId"]),
        customer_id: None,
        subscription: text_of(v, &["subscriptionId"]),
        resources,
        title,
        body: text_of(v, &["description"]),
        severity: text_of(v, &["severity"]),
        status: Some(status),
    })
}
