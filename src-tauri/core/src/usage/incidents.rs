//! Abuse incidents: a register with the guidance's categories (spam, hacking, DDoS,
//! crypto-mining, malware distribution, reselling stolen subscriptions, other), each linked
//! to its customer, subscriptions, notices and alerts, with the actions taken. Suspending
//! a subscription goes through the subscription's own suspension history (with the reason
//! "acceptable-use violation", or "suspected fraud" for mining and stolen subscriptions);
//! restricting admin access sets the customer's admin access to "limited". All audited.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::customer::{self, AdminAccess};
use crate::error::Code;
use crate::ids::CustomerId;
use crate::store::rows;
use crate::subscription::{self, Reason, SubscriptionAction};
use crate::text_enum::text_enum;
use crate::{Ctx, Error, Result};

text_enum! {
    Category {
        Spam = "spam",
        Hacking = "hacking",
        Ddos = "ddos",
        CryptoMining = "crypto_mining",
        Malware = "malware",
        ResellingStolen = "reselling_stolen",
        Other = "other",
    }
}

impl Category {
    /// The category as a reason names it, in English and in Chinese (as the window's
    /// labels write it).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Category::Spam => ("Spam", "垃圾郵件"),
            Category::Hacking => ("Hacking", "入侵"),
            Category::Ddos => ("DDoS", "DDoS"),
            Category::CryptoMining => ("Crypto-mining", "挖礦"),
            Category::Malware => ("Malware distribution", "散布惡意軟體"),
            Category::ResellingStolen => ("Reselling stolen subscriptions", "轉售盜用訂閱"),
            Category::Other => ("Other", "其他"),
        }
    }
}

text_enum! {
    Action {
        SuspendSubscription = "suspend_subscription",
        RestrictAdmin = "restrict_admin",
        ContactCustomer = "contact_customer",
        Other = "other",
    }
}

text_enum! {
    LinkKind {
        Notice = "notice",
        Alert = "alert",
        Subscription = "subscription",
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ActionTaken {
    pub action: Action,
    pub subscription_id: Option<i64>,
    pub at: String,
    pub who: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Incident {
    pub id: i64,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub category: Category,
    pub summary: String,
    pub opened_at: String,
    pub opened_by: String,
    pub closed_at: Option<String>,
    pub closing_note: String,
    pub links: Vec<(LinkKind, i64)>,
    pub actions: Vec<ActionTaken>,
}

/// What was done to incident `id`, in the audit trail (an incident has no "before": each
/// step is added, none changed).
fn audited(tx: &Transaction, ctx: &Ctx, id: i64, op: &str, data: serde_json::Value) -> Result<()> {
    crate::audit::record(tx, ctx, "incident", id, op, None, Some(&data))
}

fn text(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::field(field, Code::Required, "required"));
    }
    crate::error::at_most(field, v, max)?;
    Ok(v.to_string())
}

/// Opens an incident (audited); returns its id.
pub fn open(
    tx: &Transaction,
    ctx: &Ctx,
    customer: CustomerId,
    category: Category,
    summary: &str,
) -> Result<i64> {
    let summary = text("summary", summary, 2000)?;
    customer::get(tx, customer)?;
    tx.execute(
        "INSERT INTO incidents (customer_id, category, summary, opened_at, opened_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![customer.0, category.as_str(), summary, ctx.now_text(), ctx.actor],
    )?;
    let id = tx.last_insert_rowid();
    audited(
        tx,
        ctx,
        id,
        "open",
        serde_json::json!({"customer_id": customer.0, "category": category.as_str(), "summary": summary}),
    )?;
    Ok(id)
}

fn customer_of(tx: &Transaction, id: i64) -> Result<(CustomerId, Category, bool)> {
    let row: Option<(CustomerId, Category, Option<String>)> = tx
        .query_row(
            "SELECT customer_id, category, closed_at FROM incidents WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (c, cat, closed) = row.ok_or_else(|| Error::NotFound(format!("incident {id}")))?;
    Ok((c, cat, closed.is_some()))
}

/// The customer and category of an incident still open; a closed one is refused (its record
/// is what it was when closed: new evidence or actions go to a new incident).
fn still_open(tx: &Transaction, id: i64) -> Result<(CustomerId, Category)> {
    let (customer, category, closed) = customer_of(tx, id)?;
    if closed {
        return Err(Error::field(
            "incident",
            Code::Closed,
            "the incident is closed",
        ));
    }
    Ok((customer, category))
}

/// Links a notice, an alert or a subscription of the same customer to an open incident
/// (audited).
pub fn link(tx: &Transaction, ctx: &Ctx, id: i64, kind: LinkKind, ref_id: i64) -> Result<()> {
    let (customer, _) = still_open(tx, id)?;
    let owner: Option<Option<i64>> = match kind {
        LinkKind::Notice => tx
            .query_row(
                "SELECT customer_id FROM notices WHERE id = ?1",
                [ref_id],
                |r| r.get(0),
            )
            .optional()?,
        LinkKind::Alert => tx
            .query_row(
                "SELECT customer_id FROM alerts WHERE id = ?1",
                [ref_id],
                |r| r.get(0),
            )
            .optional()?,
        LinkKind::Subscription => tx
            .query_row(
                "SELECT customer_id FROM subscriptions WHERE id = ?1",
                [ref_id],
                |r| r.get(0),
            )
            .optional()?,
    };
    match owner {
        None => return Err(Error::NotFound(format!("{} {ref_id}", kind.as_str()))),
        Some(Some(c)) if c != customer.0 => {
            return Err(Error::field(
                "ref_id",
                Code::OtherCustomer,
                format!("{} {ref_id} belongs to another customer", kind.as_str()),
            ))
        }
        _ => {}
    }
    let n = tx.execute(
        "INSERT INTO incident_links (incident_id, kind, ref_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![id, kind.as_str(), ref_id],
    )?;
    if n == 1 {
        audited(
            tx,
            ctx,
            id,
            "link",
            serde_json::json!({"kind": kind.as_str(), "ref_id": ref_id}),
        )?;
    }
    Ok(())
}

/// Records an action taken; suspending a subscription suspends it (its history records
/// the reason), restricting admin access sets the customer's admin access to limited.
pub fn act(
    tx: &Transaction,
    ctx: &Ctx,
    id: i64,
    action: Action,
    subscription_id: Option<i64>,
    note: &str,
    on: NaiveDate,
) -> Result<()> {
    let note = note.trim();
    crate::error::at_most("note", note, 2000)?;
    let (customer, category) = still_open(tx, id)?;
    match action {
        Action::SuspendSubscription => {
            let sid = subscription_id.ok_or_else(|| {
                Error::field(
                    "subscription_id",
                    Code::Required,
                    "which subscription to suspend",
                )
            })?;
            let sub = subscription::get(tx, sid)?;
            if sub.customer_id != customer {
                return Err(Error::field(
                    "subscription_id",
                    Code::OtherCustomer,
                    "the subscription belongs to another customer",
                ));
            }
            let reason = match category {
                Category::CryptoMining | Category::ResellingStolen => Reason::SuspectedFraud,
                _ => Reason::AcceptableUseViolation,
            };
            let why = if note.is_empty() {
                format!("Abuse incident #{id}")
            } else {
                format!("Abuse incident #{id}: {note}")
            };
            subscription::change(tx, ctx, sid, SubscriptionAction::Suspend, reason, on, &why)?;
            link(tx, ctx, id, LinkKind::Subscription, sid)?;
        }
        Action::RestrictAdmin => {
            let c = customer::get(tx, customer)?;
            if c.fields.admin_access == AdminAccess::Full {
                let mut f = c.fields.clone();
                f.admin_access = AdminAccess::Limited;
                customer::update(tx, ctx, customer, &f)?;
            }
        }
        Action::ContactCustomer | Action::Other => {
            if note.is_empty() {
                return Err(Error::field("note", Code::Required, "say what was done"));
            }
        }
    }
    tx.execute(
        "INSERT INTO incident_actions (incident_id, action, subscription_id, at, who, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, action.as_str(), subscription_id, ctx.now_text(), ctx.actor, note],
    )?;
    audited(
        tx,
        ctx,
        id,
        action.as_str(),
        serde_json::json!({"subscription_id": subscription_id, "note": note}),
    )
}

/// Closes an incident with a note (audited).
pub fn close(tx: &Transaction, ctx: &Ctx, id: i64, note: &str) -> Result<()> {
    let note = text("note", note, 2000)?;
    let (_, _, closed) = customer_of(tx, id)?;
    if closed {
        return Ok(());
    }
    tx.execute(
        "UPDATE incidents SET closed_at = ?2, closing_note = ?3 WHERE id = ?1",
        params![id, ctx.now_text(), note],
    )?;
    audited(tx, ctx, id, "close", serde_json::json!({"note": note}))
}

/// Every incident (of one customer, or all), open ones first, newest first.
pub fn list(conn: &Connection, customer: Option<CustomerId>) -> Result<Vec<Incident>> {
    let mut out: Vec<Incident> = rows(
        conn,
        "SELECT i.id, i.customer_id, c.legal_name, i.category, i.summary, i.opened_at, i.opened_by, i.closed_at, i.closing_note
         FROM incidents i JOIN customers c ON c.id = i.customer_id
         WHERE ?1 IS NULL OR i.customer_id = ?1
         ORDER BY i.closed_at IS NOT NULL, i.opened_at DESC, i.id DESC",
        [customer.map(|c| c.0)],
        |r| {
        Ok(Incident {
            id: r.get(0)?,
            customer_id: r.get(1)?,
            customer_name: r.get(2)?,
            category: r.get(3)?,
            summary: r.get(4)?,
            opened_at: r.get(5)?,
            opened_by: r.get(6)?,
            closed_at: r.get(7)?,
            closing_note: r.get(8)?,
            links: Vec::new(),
            actions: Vec::new(),
        })
    })?;
    for i in &mut out {
        i.links = rows(
            conn,
            "SELECT kind, ref_id FROM incident_links WHERE incident_id = ?1 ORDER BY kind, ref_id",
            [i.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        i.actions = rows(
            conn,
            "SELECT action, subscription_id, at, who, note FROM incident_actions WHERE incident_id = ?1 ORDER BY id",
            [i.id],
            |r| {
                Ok(ActionTaken {
                    action: r.get(0)?,
                    subscription_id: r.get(1)?,
                    at: r.get(2)?,
                    who: r.get(3)?,
                    note: r.get(4)?,
                })
            },
        )?;
    }
    Ok(out)
}
