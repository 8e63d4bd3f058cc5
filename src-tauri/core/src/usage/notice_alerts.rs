//! What the security notices raise on the alerts list: a deadline passed (an answer within
//! the hour, the mitigation within a day) and a fraud credit's claim window closing.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::alerts::Finding;
use super::notices::list;
use crate::customer::Language::{En, ZhTw};
use crate::dates::{date_text, day_text, time_text};
use crate::Result;

/// Deadlines passed and claim windows closing (within 7 days), as alert findings.
pub(crate) fn findings(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    for n in list(conn, now)? {
        let day = now.date_naive();
        let mut push = |key: String,
                        severity: u8,
                        en: String,
                        zh: String,
                        explain_en: String,
                        explain_zh: String,
                        action_en: &str,
                        action_zh: &str| {
            out.push(Finding {
                key,
                kind: "notice".into(),
                severity,
                customer_id: n.customer_id,
                subscription: (!n.subscription.is_empty()).then(|| n.subscription.clone()),
                day,
                title_en: en,
                title_zh: zh,
                evidence: serde_json::json!({
                    "notice_id": n.id,
                    "observed": n.status.as_str(),
                    "baseline": n.received_at,
                    "explain_en": explain_en,
                    "explain_zh": explain_zh,
                    "risk_en": "Microsoft expects a response to a security alert within an hour and mitigation within 24 hours; late answers let the loss grow and can end in suspension.",
                    "risk_zh": "Microsoft 要求在一小時內回應安全性警示、24 小時內完成處置；延誤會擴大損失，並可能導致服務遭暫停。",
                    "action_en": action_en,
                    "action_zh": action_zh,
                }),
            });
        };
        // The two deadlines a security notice has: an answer, then the mitigation.
        let deadlines = [
            (
                n.respond_overdue,
                "respond",
                &n.respond_by,
                ["Microsoft notice not answered", "尚未回應 Microsoft 通知"],
                ["a response was due by", "前回應"],
                [
                    "Open the notice, start the investigation now and record it.",
                    "開啟通知，立即開始調查並記錄。",
                ],
            ),
            (
                n.mitigate_overdue,
                "mitigate",
                &n.mitigate_by,
                ["Microsoft notice not mitigated in time", "Microsoft 通知未於時限內處置"],
                ["mitigation was due by", "前完成處置"],
                [
                    "Suspend the affected subscription or resources, restrict admin access and record the action.",
                    "暫停受影響的訂閱或資源、限制管理員存取，並記錄處置。",
                ],
            ),
        ];
        for (overdue, what, by, [title_en, title_zh], [due_en, due_zh], [act_en, act_zh]) in
            deadlines
        {
            if !overdue {
                continue;
            }
            let received = |lang| time_text(lang, &n.received_at);
            push(
                format!("notice-{what}:{}", n.id),
                4,
                format!("{title_en}: {}", n.title),
                format!("{title_zh}：{}", n.title),
                format!("Received {}; {due_en} {}.", received(En), time_text(En, by)),
                format!(
                    "收到時間 {}；應於 {} {due_zh}。",
                    received(ZhTw),
                    time_text(ZhTw, by)
                ),
                act_en,
                act_zh,
            );
        }
        if let (Some(by), None, false) = (n.claim_by, &n.claim_filed_on, n.claimed_for_tenant) {
            let left = (by - day).num_days();
            let from = n.fraud_from.as_deref().unwrap_or_default();
            if left <= 7 {
                push(
                    format!("notice-claim:{}", n.id),
                    if left < 0 { 2 } else { 4 },
                    format!("Fraud credit: claim by {}", date_text(En, by)),
                    format!("詐騙抵免：請於 {} 前申請", date_text(ZhTw, by)),
                    format!(
                        "The notice was resolved as fraud (fraudulent usage from {}); the credit must be claimed by {} ({} left).",
                        day_text(En, from),
                        date_text(En, by),
                        crate::english::count(left, "day", "days")
                    ),
                    format!(
                        "此通知已判定為詐騙（詐騙用量始於 {}）；須於 {} 前申請抵免（剩 {left} 天）。",
                        day_text(ZhTw, from),
                        date_text(ZhTw, by)
                    ),
                    "File the fraud credit claim in Partner Center and record it on the notice.",
                    "在 Partner Center 提出詐騙抵免申請，並在通知上記錄。",
                );
            }
        }
    }
    Ok(out)
}
