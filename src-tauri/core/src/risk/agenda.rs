//! The dashboard's "needs action today": top risks, cancellation windows closing on unpaid
//! purchases, Microsoft notices near or past their deadline, letters and phone calls the
//! dunning plan asks for, promises falling due and open budget or misuse alerts. Each item
//! has a key naming its evidence and state; marking it done is audited and hides that item
//! (a new state of the same evidence is a new item).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{params, Connection, Transaction};
use serde::Serialize;

use crate::collections::policies::Action;
use crate::error::Code;
use crate::ids::CustomerId;
use crate::receivables::{promise_state, PromiseState};
use crate::{audit, Ctx, Error, Result};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgendaItem {
    pub key: String,
    /// `risk`, `window`, `notice`, `letter`, `call`, `promise`, `plan_due`, `plan_broken`,
    /// `gdap`, `budget`, `headroom` (the credit line with Microsoft) or `alert`.
    pub kind: &'static str,
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    /// What the item is about (an offer, a notice title, an amount), in the records' words.
    pub detail: String,
    /// The same in Traditional Chinese where the records have it (a level's, an alert's
    /// name); None: `detail` is the record's own text in any language.
    pub detail_zh: Option<String>,
    /// The deadline (an RFC 3339 UTC time) or the day (YYYY-MM-DD) the item is about.
    pub when: String,
    /// Where the evidence is, as a window route.
    pub link: String,
    /// 1 (most urgent) to 5.
    pub urgency: u8,
    /// For a risk item: the score, the level and the main factor.
    pub score: Option<u32>,
    pub level: Option<super::Level>,
    pub factor: Option<&'static str>,
}

impl AgendaItem {
    /// An item's optional fields, empty (for `..AgendaItem::plain()`).
    fn plain() -> AgendaItem {
        AgendaItem {
            key: String::new(),
            kind: "",
            customer_id: None,
            customer_name: String::new(),
            detail: String::new(),
            detail_zh: None,
            when: String::new(),
            link: String::new(),
            urgency: 5,
            score: None,
            level: None,
            factor: None,
        }
    }
}

/// Days ahead a promise falling due is listed.
const PROMISE_DAYS: i64 = 3;
/// Days ahead an admin relationship's expiry is listed.
const GDAP_DAYS: i64 = 14;
/// Hours ahead a notice's deadline is listed.
const NOTICE_HOURS: i64 = 24;

fn customer_link(id: CustomerId) -> String {
    format!("#/customers/{}", id.0)
}

/// Everything that needs action as of `as_of` / `now`, most urgent first, without the
/// items marked done.
pub fn agenda(conn: &Connection, as_of: NaiveDate, now: DateTime<Utc>) -> Result<Vec<AgendaItem>> {
    let mut out = Vec::new();
    let scores = super::scores(conn, as_of, now, None)?;
    for s in &scores {
        for w in &s.windows {
            out.push(AgendaItem {
                key: format!("window:{}:{}:{}", w.subscription_id, w.kind, w.opened_on),
                kind: "window",
                customer_id: Some(s.customer_id),
                customer_name: s.name.clone(),
                detail: format!("{} × {}", w.offer, w.quantity),
                when: w
                    .closes_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                link: customer_link(s.customer_id),
                urgency: 1,
                ..AgendaItem::plain()
            });
        }
        if matches!(s.level, super::Level::High | super::Level::Critical) {
            out.push(AgendaItem {
                key: format!("risk:{}:{}", s.customer_id.0, s.level),
                kind: "risk",
                customer_id: Some(s.customer_id),
                customer_name: s.name.clone(),
                detail: s
                    .factors
                    .first()
                    .map(|f| f.evidence.clone())
                    .unwrap_or_default(),
                detail_zh: s.factors.first().map(|f| f.evidence_zh.clone()),
                when: as_of.to_string(),
                link: customer_link(s.customer_id),
                urgency: if s.level == super::Level::Critical {
                    1
                } else {
                    2
                },
                score: Some(s.score),
                level: Some(s.level),
                factor: s.factors.first().map(|f| f.key),
            });
        }
    }
    // Admin relationships (GDAP) running out: renew them (or let them go) in time.
    let names: std::collections::BTreeMap<i64, &str> = scores
        .iter()
        .map(|s| (s.customer_id.0, s.name.as_str()))
        .collect();
    for r in crate::customer::admin_relationships(conn, None)? {
        let soon = r.expires_on <= as_of + Duration::days(GDAP_DAYS);
        if let (true, true, Some(name)) = (r.active_on(as_of), soon, names.get(&r.customer_id.0)) {
            out.push(AgendaItem {
                key: format!("gdap:{}:{}", r.id, r.expires_on),
                kind: "gdap",
                customer_id: Some(r.customer_id),
                customer_name: name.to_string(),
                detail: if r.global_admin {
                    format!("{} (Global Administrator)", r.name)
                } else {
                    r.name.clone()
                },
                detail_zh: r.global_admin.then(|| format!("{}（全域管理員）", r.name)),
                when: r.expires_on.to_string(),
                link: customer_link(r.customer_id),
                urgency: 3,
                ..AgendaItem::plain()
            });
        }
    }
    let soon = now + Duration::hours(NOTICE_HOURS);
    let soon_text = soon.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    for n in crate::usage::notices::list(conn, now)? {
        if n.status.is_resolved() {
            continue;
        }
        // Not answered yet (still "received") with the response due within a day.
        let near = n.status == crate::usage::notices::NoticeStatus::Received
            && !n.respond_by.is_empty()
            && n.respond_by <= soon_text;
        if n.respond_overdue || n.mitigate_overdue || near {
            out.push(AgendaItem {
                key: format!("notice:{}:{}", n.id, n.status),
                kind: "notice",
                customer_id: n.customer_id,
                customer_name: n.customer_name.clone().unwrap_or(n.tenant_id.clone()),
                detail: n.title.clone(),
                when: if n.respond_overdue || near {
                    n.respond_by.clone()
                } else {
                    n.mitigate_by.clone()
                },
                link: "#/usage".into(),
                urgency: if n.respond_overdue || n.mitigate_overdue {
                    1
                } else {
                    2
                },
                ..AgendaItem::plain()
            });
        }
    }
    let plan = crate::collections::plan::plan(conn, as_of)?;
    for c in &plan.customers {
        let Some(level) = &c.next_level else { continue };
        let letter = c.actions.iter().any(|a| a.writes_letter());
        let call = c.actions.contains(&Action::PhoneCall);
        for (kind, wanted) in [("letter", letter), ("call", call)] {
            if wanted {
                out.push(AgendaItem {
                    key: format!("{kind}:{}:{}", c.customer_id.0, level.id.0),
                    kind,
                    customer_id: Some(c.customer_id),
                    customer_name: c.legal_name.clone(),
                    detail: format!("{} · {}", level.name_en, c.overdue.format()),
                    detail_zh: Some(format!("{} · {}", level.name_zh, c.overdue.format())),
                    when: as_of.to_string(),
                    link: "#/dunning".into(),
                    urgency: 3,
                    ..AgendaItem::plain()
                });
            }
        }
    }
    let promised: Vec<i64> =
        crate::store::rows(conn, "SELECT DISTINCT customer_id FROM promises", [], |r| {
            r.get(0)
        })?;
    for id in promised {
        if let Some((p, PromiseState::Pending)) = promise_state(conn, CustomerId(id), as_of)? {
            if p.pay_by <= as_of + Duration::days(PROMISE_DAYS) {
                let name = crate::customer::get(conn, CustomerId(id))?
                    .fields
                    .legal_name;
                out.push(AgendaItem {
                    key: format!("promise:{}", p.id),
                    kind: "promise",
                    customer_id: Some(CustomerId(id)),
                    customer_name: name,
                    detail: p.note.clone(),
                    when: p.pay_by.to_string(),
                    link: customer_link(CustomerId(id)),
                    urgency: 3,
                    ..AgendaItem::plain()
                });
            }
        }
    }
    // Payment plans: an instalment due within the week, and a plan that broke.
    for v in crate::plans::list(conn, as_of)? {
        let next = v.instalments.iter().find(|i| i.paid.minor < i.amount.minor);
        let (kind, urgency, when, detail, detail_zh) = match (v.status, next) {
            (crate::plans::PlanStatus::Broken, _) => (
                "plan_broken",
                2,
                v.ended_on.unwrap_or(as_of).to_string(),
                format!("payment plan {} broken: dunning resumes", v.id),
                format!("分期付款計畫 {} 未履行：已恢復催收", v.id),
            ),
            (crate::plans::PlanStatus::Kept, Some(i))
                if i.due_on <= as_of + Duration::days(PROMISE_DAYS) =>
            {
                (
                    "plan_due",
                    3,
                    i.due_on.to_string(),
                    format!(
                        "payment plan {}: instalment {} of {}",
                        v.id,
                        i.seq,
                        i.amount.format()
                    ),
                    format!(
                        "分期付款計畫 {}：第 {} 期 {}",
                        v.id,
                        i.seq,
                        i.amount.format()
                    ),
                )
            }
            _ => continue,
        };
        out.push(AgendaItem {
            key: format!("{kind}:{}:{when}", v.id),
            kind,
            customer_id: Some(v.customer_id),
            customer_name: v.customer_name.clone(),
            detail,
            detail_zh: Some(detail_zh),
            when,
            link: customer_link(v.customer_id),
            urgency,
            ..AgendaItem::plain()
        });
    }
    for a in crate::usage::alerts::list(conn, Default::default())? {
        if a.status.as_str() != "open" || a.severity < 3 {
            continue;
        }
        let alert_kind = crate::usage::alerts::AlertKind::parse(&a.kind);
        let budget = alert_kind.is_some_and(|k| k.is_budget());
        // The credit line with Microsoft: no customer; its evidence is on the Microsoft page.
        let headroom = alert_kind == Some(crate::usage::alerts::AlertKind::Headroom);
        out.push(AgendaItem {
            key: format!("alert:{}", a.id),
            kind: if headroom {
                "headroom"
            } else if budget {
                "budget"
            } else {
                "alert"
            },
            customer_id: a.customer_id,
            customer_name: a.customer_name.clone().unwrap_or_default(),
            detail: a.title_en.clone(),
            detail_zh: Some(a.title_zh.clone()),
            when: a.day.clone(),
            link: if headroom { "#/microsoft" } else { "#/usage" }.into(),
            urgency: if a.severity >= 4 { 2 } else { 4 },
            ..AgendaItem::plain()
        });
    }
    let done = marked(conn)?;
    out.retain(|i| !done.contains(&i.key));
    // Most urgent first; among risks the highest score first; then the nearest deadline.
    out.sort_by(|a, b| {
        (a.urgency, std::cmp::Reverse(a.score), &a.when, &a.key).cmp(&(
            b.urgency,
            std::cmp::Reverse(b.score),
            &b.when,
            &b.key,
        ))
    });
    Ok(out)
}

fn marked(conn: &Connection) -> Result<BTreeSet<String>> {
    crate::store::rows(conn, "SELECT item FROM action_marks", [], |r| r.get(0))
}

/// Marks an item of today's agenda as done (audited). Only an item on the agenda can be
/// marked, once.
pub fn mark_done(tx: &Transaction, ctx: &Ctx, key: &str, note: &str) -> Result<()> {
    let note = note.trim();
    crate::error::at_most("note", note, 500)?;
    let items = agenda(tx, ctx.today, ctx.now)?;
    let Some(item) = items.iter().find(|i| i.key == key) else {
        return Err(Error::field(
            "item",
            Code::NotFound,
            format!("{key:?} is not on today's list (already done, or no longer due)"),
        ));
    };
    tx.execute(
        "INSERT INTO action_marks (item, note, marked_at) VALUES (?1, ?2, ?3)",
        params![key, note, ctx.now_text()],
    )?;
    let id = tx.last_insert_rowid();
    audit::record(
        tx,
        ctx,
        "action",
        id,
        "done",
        None,
        Some(&serde_json::json!({"item": item, "note": note})),
    )?;
    Ok(())
}
