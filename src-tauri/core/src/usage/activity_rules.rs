//! The activity log's rules, each raising one alert:
//! * a burst: at least `activity.burst_count` users or orders created for one customer
//!   within `activity.burst_minutes` (automated sign-ups, a takeover building accounts);
//! * an administrator role or relationship granted (add_user_member to an admin role,
//!   a partner or admin relationship created or approved);
//! * the customer's billing profile changed (where invoices and payments go).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use super::alerts::Finding;
use crate::customer::Language::{En, ZhTw};
use crate::dates::{date_text, moment_text};
use crate::ids::CustomerId;
use crate::Result;

/// The settings of the rules.
fn settings(conn: &Connection) -> Result<(usize, i64)> {
    let get = |k: &str, default: i64| -> Result<i64> {
        Ok(crate::store::settings::get(conn, k)?
            .and_then(|v| v.trim().parse().ok())
            .filter(|v: &i64| (1..=10_000).contains(v))
            .unwrap_or(default))
    };
    Ok((
        get("activity.burst_count", 5)? as usize,
        get("activity.burst_minutes", 15)?,
    ))
}

pub const SETTING_NAMES: &[&str] = &["activity.burst_count", "activity.burst_minutes"];

/// One record as the rules read it: id, time, who, operation, detail.
type Row = (i64, DateTime<Utc>, String, String, serde_json::Value);

/// The rules over every record kept.
pub(crate) fn findings(conn: &Connection) -> Result<Vec<Finding>> {
    let (burst_count, burst_minutes) = settings(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, customer_id, customer_name, who, operation, detail FROM activity
         WHERE status <> 'failed' ORDER BY customer_id, at, id",
    )?;
    let mut by_customer: BTreeMap<(Option<i64>, String), Vec<Row>> = BTreeMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let at: String = r.get(1)?;
        let Some(at) = super::notices::parse_time(&at) else {
            continue;
        };
        let detail: String = r.get(6)?;
        by_customer
            .entry((r.get(2)?, r.get(3)?))
            .or_default()
            .push((
                r.get(0)?,
                at,
                r.get(4)?,
                r.get(5)?,
                serde_json::from_str(&detail).unwrap_or_default(),
            ));
    }
    let mut out = Vec::new();
    for ((customer, name), records) in by_customer {
        let customer = customer.map(CustomerId);
        let who_label = if name.is_empty() {
            "(partner)".to_string()
        } else {
            name.clone()
        };
        // Bursts of users or orders created.
        let created: Vec<&Row> = records
            .iter()
            .filter(|r| r.3 == "create_customer_user" || r.3 == "create_order")
            .collect();
        let mut i = 0;
        while i < created.len() {
            let start = created[i].1;
            let window: Vec<_> = created[i..]
                .iter()
                .take_while(|r| r.1 - start <= Duration::minutes(burst_minutes))
                .collect();
            if window.len() >= burst_count {
                let last = window.last().map(|r| r.1).unwrap_or(start);
                out.push(finding(
                    customer,
                    &format!("activity-burst:{}", created[i].0),
                    3,
                    start,
                    format!("{} users or orders created within {} minutes", window.len(), (last - start).num_minutes().max(1)),
                    format!("{} 分鐘內建立了 {} 個使用者或訂單", (last - start).num_minutes().max(1), window.len()),
                    format!("For {who_label}, on {}, from {} to {} UTC: {} creations by {}.", date_text(En, start.date_naive()), start.format("%H:%M"), last.format("%H:%M"), window.len(), created[i].2),
                    format!("{who_label}：{} {} 至 {}（UTC）共建立 {} 筆（{}）。", date_text(ZhTw, start.date_naive()), start.format("%H:%M"), last.format("%H:%M"), window.len(), created[i].2),
                    "Automated sign-up or a takeover building accounts (Microsoft's fraud guidance).",
                    "自動化註冊或帳號遭接管後大量建立帳號（Microsoft 詐騙防範指引）。",
                    "Check with the customer who created them; remove unknown users and review admin access.",
                    "向客戶確認建立者；移除不明使用者並檢查管理員權限。",
                ));
                i += window.len();
            } else {
                i += 1;
            }
        }
        for (id, at, who, op, detail) in &records {
            let role = detail
                .get("RoleName")
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let admin = (op == "add_user_member"
                && (role.is_empty() || role.to_ascii_lowercase().contains("admin")))
                || matches!(
                    op.as_str(),
                    "create_partner_relationship" | "dap_admin_relationship_approved"
                );
            if admin {
                let ((granted_en, granted_zh), (did_en, did_zh)) = admin_granted(op, role);
                out.push(finding(
                    customer,
                    &format!("activity-admin:{id}"),
                    3,
                    *at,
                    format!("Administrator access granted: {granted_en}"),
                    format!("授予管理員權限：{granted_zh}"),
                    format!(
                        "For {who_label}, on {} by {who}: {did_en} ({op}).",
                        moment_text(En, *at)
                    ),
                    format!(
                        "{who_label}：{} 由 {who} {did_zh}（{op}）。",
                        moment_text(ZhTw, *at)
                    ),
                    "Full admin access before controls are in place lets a bad actor run up usage.",
                    "在控管措施到位前授予完整管理員權限，可能讓不法者大量使用服務。",
                    "Confirm the role with the customer; prefer least-privilege (GDAP) roles.",
                    "向客戶確認此角色；優先使用最小權限（GDAP）角色。",
                ));
            }
            if op == "update_customer_billing_profile" {
                out.push(finding(
                    customer,
                    &format!("activity-billing:{id}"),
                    3,
                    *at,
                    "Billing profile changed".into(),
                    "帳單資料已變更".into(),
                    format!("For {who_label}, on {} by {who}: the billing profile (contact, e-mail, address) was changed.", moment_text(En, *at)),
                    format!("{who_label}：{} 由 {who} 變更了帳單資料（聯絡人、電子郵件、地址）。", moment_text(ZhTw, *at)),
                    "Identity or payment fraud: billing details moved away from the real customer.",
                    "身分或付款詐騙：帳單資料被改離真正的客戶。",
                    "Call the customer on the number on file (not a new one) to confirm the change.",
                    "以檔案中原有的電話（非新號碼）致電客戶確認此變更。",
                ));
            }
        }
    }
    Ok(out)
}

/// What an operation granting administrator access granted, and what was done, in English
/// and in Chinese: ((what, what), (done, done)). A role keeps Microsoft's name for it.
fn admin_granted(op: &str, role: &str) -> ((String, String), (String, String)) {
    match op {
        "create_partner_relationship" => (
            ("a partner relationship".into(), "合作夥伴關係".into()),
            (
                "created a partner relationship".into(),
                "建立了合作夥伴關係".into(),
            ),
        ),
        "dap_admin_relationship_approved" => (
            (
                "a delegated admin (DAP) relationship".into(),
                "委派管理員（DAP）關係".into(),
            ),
            (
                "approved a delegated admin (DAP) relationship".into(),
                "核准了委派管理員（DAP）關係".into(),
            ),
        ),
        _ if role.is_empty() => (
            ("an administrator role".into(), "管理員角色".into()),
            (
                "added a user to an administrator role".into(),
                "將使用者加入管理員角色".into(),
            ),
        ),
        _ => (
            (role.to_string(), role.to_string()),
            (
                format!("added a user to the role {role}"),
                format!("將使用者加入「{role}」角色"),
            ),
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    customer: Option<CustomerId>,
    key: &str,
    severity: u8,
    at: DateTime<Utc>,
    title_en: String,
    title_zh: String,
    explain_en: String,
    explain_zh: String,
    risk_en: &str,
    risk_zh: &str,
    action_en: &str,
    action_zh: &str,
) -> Finding {
    Finding {
        key: key.to_string(),
        kind: "activity".into(),
        severity,
        customer_id: customer,
        subscription: None,
        day: at.date_naive(),
        title_en,
        title_zh,
        evidence: serde_json::json!({
            "observed": at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "baseline": "",
            "explain_en": explain_en,
            "explain_zh": explain_zh,
            "risk_en": risk_en,
            "risk_zh": risk_zh,
            "action_en": action_en,
            "action_zh": action_zh,
        }),
    }
}
