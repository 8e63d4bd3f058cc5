//! Collection policies, dunning levels, the dunning plan and its execution.

use std::collections::{BTreeMap, HashSet};

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::billing::{self, date_text, InvoiceKind, InvoiceLine, NewInvoice, PromiseState};
use crate::customer::{self, Language};
use crate::money::{Currency, Money};
use crate::subscription::{self, Reason, SubscriptionAction, SubscriptionStatus};
use crate::text_enum::text_enum;
use crate::{audit, Ctx, Error, Result};

text_enum!(
    /// What reaching a dunning level does.
    Action {
        ReminderLetter = "reminder_letter",
        FormalNotice = "formal_notice",
        PhoneCall = "phone_call",
        Suspend = "suspend",
        FinalNotice = "final_notice",
        Agency = "agency",
    }
);

impl Action {
    pub fn writes_letter(self) -> bool {
        matches!(
            self,
            Action::ReminderLetter | Action::FormalNotice | Action::FinalNotice
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Level {
    pub seq: i64,
    pub days_after_due: i64,
    pub name_en: String,
    pub name_zh: String,
    pub actions: Vec<Action>,
    pub letter_en: String,
    pub letter_zh: String,
    pub late_fee_minor: i64,
    /// Simple annual interest in basis points (1000 = 10 % a year).
    pub interest_bp: i64,
}

impl Level {
    pub fn name(&self, lang: Language) -> &str {
        match lang {
            Language::En => &self.name_en,
            Language::ZhTw => &self.name_zh,
        }
    }

    pub fn letter(&self, lang: Language) -> &str {
        match lang {
            Language::En => &self.letter_en,
            Language::ZhTw => &self.letter_zh,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Policy {
    pub id: i64,
    pub name: String,
    pub grace_days: i64,
    pub min_overdue_minor: i64,
    pub is_default: bool,
    pub levels: Vec<Level>,
}

/// Simple interest on `amount_minor` at `rate_bp` basis points a year for `days` days:
/// amount x rate x days / 365, rounded to the minor unit, half away from zero.
pub fn interest_minor(amount_minor: i64, rate_bp: i64, days: i64) -> i64 {
    if days <= 0 || rate_bp == 0 {
        return 0;
    }
    let num = amount_minor as i128 * rate_bp as i128 * days as i128;
    let den: i128 = 10_000 * 365;
    let q = (2 * num.abs() + den) / (2 * den);
    (if num < 0 { -q } else { q }) as i64
}

fn levels(conn: &Connection, policy_id: i64) -> Result<Vec<Level>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, days_after_due, name_en, name_zh, actions, letter_en, letter_zh, late_fee_minor, interest_bp
         FROM policy_levels WHERE policy_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map(params![policy_id], |r| {
            let actions: String = r.get(4)?;
            Ok(Level {
                seq: r.get(0)?,
                days_after_due: r.get(1)?,
                name_en: r.get(2)?,
                name_zh: r.get(3)?,
                actions: actions
                    .split(',')
                    .filter_map(|a| Action::parse(a.trim()))
                    .collect(),
                letter_en: r.get(5)?,
                letter_zh: r.get(6)?,
                late_fee_minor: r.get(7)?,
                interest_bp: r.get(8)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn policy(conn: &Connection, id: i64) -> Result<Policy> {
    let (name, grace_days, min_overdue_minor, is_default) = conn
        .query_row(
            "SELECT name, grace_days, min_overdue_minor, is_default FROM collection_policies WHERE id = ?1",
            params![id],
            |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? != 0)),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("collection policy {id}")))?;
    Ok(Policy {
        id,
        name,
        grace_days,
        min_overdue_minor,
        is_default,
        levels: levels(conn, id)?,
    })
}

pub fn policies(conn: &Connection) -> Result<Vec<Policy>> {
    let ids: Vec<i64> = {
        let mut stmt =
            conn.prepare("SELECT id FROM collection_policies ORDER BY is_default DESC, name")?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        rows
    };
    ids.into_iter().map(|id| policy(conn, id)).collect()
}

pub fn default_policy_id(conn: &Connection) -> Result<i64> {
    conn.query_row(
        "SELECT id FROM collection_policies WHERE is_default = 1 ORDER BY id LIMIT 1",
        [],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound("a default collection policy".into()))
}

/// The policy that applies to a customer: its own, or the default.
pub fn policy_for(conn: &Connection, customer_id: i64) -> Result<i64> {
    let own: Option<i64> = conn.query_row(
        "SELECT policy_id FROM customers WHERE id = ?1",
        params![customer_id],
        |r| r.get(0),
    )?;
    match own {
        Some(id) => Ok(id),
        None => default_policy_id(conn),
    }
}

/// Checks a policy's fields and levels.
pub fn validate(p: &Policy) -> Result<()> {
    if p.name.trim().is_empty() || p.name.chars().count() > 100 {
        return Err(Error::field(
            "name",
            "required",
            "a policy needs a name (up to 100 characters)",
        ));
    }
    if !(0..=365).contains(&p.grace_days) {
        return Err(Error::field(
            "grace_days",
            "invalid_days",
            "the grace period is 0 to 365 days",
        ));
    }
    if p.min_overdue_minor < 0 {
        return Err(Error::field(
            "min_overdue",
            "negative",
            "the minimum overdue amount must not be negative",
        ));
    }
    if p.levels.is_empty() || p.levels.len() > 20 {
        return Err(Error::field(
            "levels",
            "required",
            "a policy has 1 to 20 levels",
        ));
    }
    let mut last = -1;
    for (i, l) in p.levels.iter().enumerate() {
        let field = format!("levels.{i}");
        if l.days_after_due <= last {
            return Err(Error::field(
                &field,
                "not_rising",
                "each level comes more days after the due date than the one before",
            ));
        }
        last = l.days_after_due;
        if l.name_en.trim().is_empty() || l.name_zh.trim().is_empty() {
            return Err(Error::field(
                &field,
                "required",
                "each level needs a name in both languages",
            ));
        }
        if l.actions.is_empty() {
            return Err(Error::field(
                &field,
                "required",
                "each level takes at least one action",
            ));
        }
        if l.late_fee_minor < 0 || !(0..=10_000).contains(&l.interest_bp) {
            return Err(Error::field(
                &field,
                "invalid_charge",
                "fees are not negative and interest is 0 to 100 % a year",
            ));
        }
    }
    Ok(())
}

/// Saves a policy (new when `id` is 0) with its levels; audited.
pub fn save_policy(tx: &Transaction, ctx: &Ctx, p: &Policy) -> Result<Policy> {
    validate(p)?;
    let before = if p.id > 0 {
        Some(policy(tx, p.id)?)
    } else {
        None
    };
    let id = if let Some(b) = &before {
        tx.execute(
            "UPDATE collection_policies SET name = ?1, grace_days = ?2, min_overdue_minor = ?3, updated_at = ?4 WHERE id = ?5",
            params![p.name.trim(), p.grace_days, p.min_overdue_minor, ctx.now_text(), b.id],
        )?;
        tx.execute(
            "DELETE FROM policy_levels WHERE policy_id = ?1",
            params![b.id],
        )?;
        b.id
    } else {
        tx.execute(
            "INSERT INTO collection_policies (name, grace_days, min_overdue_minor, is_default, created_at, updated_at)
             VALUES (?1, ?2, ?3, 0, ?4, ?4)",
            params![p.name.trim(), p.grace_days, p.min_overdue_minor, ctx.now_text()],
        )
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                Error::field("name", "duplicate", "another policy has this name")
            }
            e => e.into(),
        })?;
        tx.last_insert_rowid()
    };
    for (i, l) in p.levels.iter().enumerate() {
        let actions: Vec<&str> = l.actions.iter().map(|a| a.as_str()).collect();
        tx.execute(
            "INSERT INTO policy_levels (policy_id, seq, days_after_due, name_en, name_zh, actions, letter_en, letter_zh, late_fee_minor, interest_bp)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![id, (i + 1) as i64, l.days_after_due, l.name_en.trim(), l.name_zh.trim(), actions.join(","), l.letter_en.trim(), l.letter_zh.trim(), l.late_fee_minor, l.interest_bp],
        )?;
    }
    let after = policy(tx, id)?;
    audit::record(
        tx,
        ctx,
        "policy",
        id,
        if before.is_some() { "update" } else { "create" },
        before.as_ref(),
        Some(&after),
    )?;
    Ok(after)
}

pub fn assign_policy(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: i64,
    policy_id: Option<i64>,
) -> Result<()> {
    customer::get(tx, customer_id)?;
    if let Some(id) = policy_id {
        policy(tx, id)?;
    }
    let before: Option<i64> = tx.query_row(
        "SELECT policy_id FROM customers WHERE id = ?1",
        params![customer_id],
        |r| r.get(0),
    )?;
    if before == policy_id {
        return Ok(());
    }
    tx.execute(
        "UPDATE customers SET policy_id = ?1 WHERE id = ?2",
        params![policy_id, customer_id],
    )?;
    audit::record(
        tx,
        ctx,
        "customer",
        customer_id,
        "assign_policy",
        Some(&serde_json::json!({ "policy_id": before })),
        Some(&serde_json::json!({ "policy_id": policy_id })),
    )?;
    Ok(())
}

/// One overdue invoice in a customer's plan.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlanInvoice {
    pub invoice_id: i64,
    pub number: String,
    pub kind: InvoiceKind,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
    pub due: Money,
    /// The level this run applies to the invoice, or None when it already had it.
    pub new_level: Option<i64>,
    pub late_fee_minor: i64,
    pub interest_minor: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlanSubscription {
    pub id: i64,
    pub offer: String,
    pub pc_subscription_id: String,
}

/// What the run does for one customer.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlanCustomer {
    pub customer_id: i64,
    pub legal_name: String,
    pub language: Language,
    pub currency: Currency,
    pub policy_id: i64,
    pub level: Level,
    /// The level after this one (its day and consequence go into the letter).
    pub next_level: Option<Level>,
    pub actions: Vec<Action>,
    pub invoices: Vec<PlanInvoice>,
    pub overdue: Money,
    pub charges: Money,
    pub suspend: Vec<PlanSubscription>,
    pub deadline: NaiveDate,
    pub notes: Vec<Note>,
}

/// Why a customer is paused, or what the reviewer should know; the window translates it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    PromisePending { amount: Money, pay_by: NaiveDate },
    PromiseBroken { amount: Money, pay_by: NaiveDate },
    Disputed { invoices: Vec<String> },
}

impl Note {
    pub fn english(&self) -> String {
        match self {
            Note::PromisePending { amount, pay_by } => {
                format!("promise to pay {} by {pay_by}", amount.format())
            }
            Note::PromiseBroken { amount, pay_by } => {
                format!("broken promise: {} by {pay_by}", amount.format())
            }
            Note::Disputed { invoices } => format!("disputed: {}", invoices.join(", ")),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Paused {
    pub customer_id: i64,
    pub legal_name: String,
    pub note: Note,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reactivation {
    pub customer_id: i64,
    pub legal_name: String,
    pub subscriptions: Vec<PlanSubscription>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Plan {
    pub as_of: NaiveDate,
    pub customers: Vec<PlanCustomer>,
    pub paused: Vec<Paused>,
    pub reactivations: Vec<Reactivation>,
}

/// Days a letter gives the customer to pay.
pub const DEADLINE_DAYS: i64 = 7;

fn applied_levels(conn: &Connection) -> Result<BTreeMap<i64, i64>> {
    let mut stmt =
        conn.prepare("SELECT invoice_id, max(level_seq) FROM dunning_steps GROUP BY invoice_id")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<BTreeMap<_, _>, _>>()?;
    Ok(rows)
}

fn suspended_for_non_payment(conn: &Connection, customer_id: i64) -> Result<Vec<PlanSubscription>> {
    let mut out = Vec::new();
    for s in subscription::list_for_customer(conn, customer_id)? {
        if s.status != SubscriptionStatus::Suspended {
            continue;
        }
        let last = subscription::events(conn, s.id)?.into_iter().last();
        if last.is_some_and(|e| {
            e.reason == Reason::NonPayment && e.action == SubscriptionAction::Suspend
        }) {
            out.push(PlanSubscription {
                id: s.id,
                offer: s.offer,
                pc_subscription_id: s.pc_subscription_id,
            });
        }
    }
    Ok(out)
}

/// Builds the dunning plan as of a date. Reads only; nothing is written.
pub fn plan(conn: &Connection, as_of: NaiveDate) -> Result<Plan> {
    let items = billing::open_items(conn, as_of, None)?;
    let applied = applied_levels(conn)?;
    let mut by_customer: BTreeMap<i64, Vec<billing::OpenItem>> = BTreeMap::new();
    for it in items {
        by_customer.entry(it.customer_id).or_default().push(it);
    }
    let mut policies: BTreeMap<i64, Policy> = BTreeMap::new();
    let mut out = Plan {
        as_of,
        customers: Vec::new(),
        paused: Vec::new(),
        reactivations: Vec::new(),
    };
    for (customer_id, items) in &by_customer {
        let c = customer::get(conn, *customer_id)?;
        if c.fields.status == customer::Status::Closed {
            continue;
        }
        let policy_id = policy_for(conn, *customer_id)?;
        if let std::collections::btree_map::Entry::Vacant(e) = policies.entry(policy_id) {
            e.insert(policy(conn, policy_id)?);
        }
        let pol = &policies[&policy_id];
        let overdue: Vec<&billing::OpenItem> = items
            .iter()
            .filter(|i| i.days_overdue > pol.grace_days)
            .collect();
        if overdue.is_empty() {
            continue;
        }
        let mut notes = Vec::new();
        match billing::promise_state(conn, *customer_id, as_of)? {
            Some((p, PromiseState::Pending)) => {
                out.paused.push(Paused {
                    customer_id: *customer_id,
                    legal_name: c.fields.legal_name.clone(),
                    note: Note::PromisePending {
                        amount: Money::new(p.amount_minor, c.fields.currency),
                        pay_by: p.pay_by,
                    },
                });
                continue;
            }
            Some((p, PromiseState::Broken)) => notes.push(Note::PromiseBroken {
                amount: Money::new(p.amount_minor, c.fields.currency),
                pay_by: p.pay_by,
            }),
            _ => {}
        }
        let disputed: Vec<&&billing::OpenItem> = overdue.iter().filter(|i| i.disputed).collect();
        let disputed_numbers: Vec<String> = disputed.iter().map(|i| i.number.clone()).collect();
        let dunnable: Vec<&billing::OpenItem> =
            overdue.into_iter().filter(|i| !i.disputed).collect();
        if dunnable.is_empty() {
            out.paused.push(Paused {
                customer_id: *customer_id,
                legal_name: c.fields.legal_name.clone(),
                note: Note::Disputed {
                    invoices: disputed_numbers,
                },
            });
            continue;
        }
        if !disputed_numbers.is_empty() {
            notes.push(Note::Disputed {
                invoices: disputed_numbers,
            });
        }
        let overdue_total: i64 = dunnable.iter().map(|i| i.due.minor).sum();
        if overdue_total < pol.min_overdue_minor {
            continue;
        }
        let mut invoices = Vec::new();
        let mut top: Option<&Level> = None;
        for it in &dunnable {
            let reached = pol
                .levels
                .iter()
                .rfind(|l| l.days_after_due <= it.days_overdue);
            let already = applied.get(&it.invoice_id).copied().unwrap_or(0);
            let new_level = match reached {
                Some(l) if it.kind == InvoiceKind::Invoice && l.seq > already => Some(l),
                _ => None,
            };
            let (fee, interest) = match new_level {
                Some(l) => (
                    l.late_fee_minor,
                    interest_minor(it.due.minor, l.interest_bp, it.days_overdue),
                ),
                None => (0, 0),
            };
            if let Some(l) = new_level {
                if top.is_none_or(|t| l.seq > t.seq) {
                    top = Some(l);
                }
            }
            invoices.push(PlanInvoice {
                invoice_id: it.invoice_id,
                number: it.number.clone(),
                kind: it.kind,
                due_on: it.due_on,
                days_overdue: it.days_overdue,
                due: it.due,
                new_level: new_level.map(|l| l.seq),
                late_fee_minor: fee,
                interest_minor: interest,
            });
        }
        let Some(level) = top.cloned() else { continue };
        let next_level = pol.levels.iter().find(|l| l.seq == level.seq + 1).cloned();
        let currency = c.fields.currency;
        let charges: i64 = invoices
            .iter()
            .map(|i| i.late_fee_minor + i.interest_minor)
            .sum();
        let mut actions: Vec<Action> = Vec::new();
        for l in pol.levels.iter().filter(|l| l.seq <= level.seq) {
            // A skipped level's suspension still happens; its letters are replaced by this one's.
            for a in &l.actions {
                let keep = l.seq == level.seq || *a == Action::Suspend;
                if keep && !actions.contains(a) {
                    actions.push(*a);
                }
            }
        }
        let suspend = if actions.contains(&Action::Suspend) {
            subscription::list_for_customer(conn, *customer_id)?
                .into_iter()
                .filter(|s| s.status == SubscriptionStatus::Active)
                .map(|s| PlanSubscription {
                    id: s.id,
                    offer: s.offer,
                    pc_subscription_id: s.pc_subscription_id,
                })
                .collect()
        } else {
            Vec::new()
        };
        out.customers.push(PlanCustomer {
            customer_id: *customer_id,
            legal_name: c.fields.legal_name.clone(),
            language: c.fields.language,
            currency,
            policy_id,
            level,
            next_level,
            actions,
            invoices,
            overdue: Money::new(overdue_total, currency),
            charges: Money::new(charges, currency),
            suspend,
            deadline: as_of + Duration::days(DEADLINE_DAYS),
            notes,
        });
    }
    // Customers suspended for non-payment who owe nothing overdue any more.
    let suspended_customers: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT DISTINCT customer_id FROM subscriptions WHERE status = 'suspended' ORDER BY customer_id")?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        rows
    };
    for cid in suspended_customers {
        let owes = by_customer
            .get(&cid)
            .is_some_and(|items| items.iter().any(|i| i.days_overdue > 0));
        if owes {
            continue;
        }
        let subs = suspended_for_non_payment(conn, cid)?;
        if !subs.is_empty() {
            out.reactivations.push(Reactivation {
                customer_id: cid,
                legal_name: customer::get(conn, cid)?.fields.legal_name,
                subscriptions: subs,
            });
        }
    }
    out.customers.sort_by(|a, b| {
        b.level
            .seq
            .cmp(&a.level.seq)
            .then(b.overdue.minor.cmp(&a.overdue.minor))
            .then(a.legal_name.cmp(&b.legal_name))
    });
    Ok(out)
}

/// What the user left out of the plan after reviewing it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Exclusions {
    /// Customers left out entirely.
    pub customers: Vec<i64>,
    /// Customers whose subscriptions are not suspended in this run.
    pub no_suspension: Vec<i64>,
    /// Customers who are not charged fees or interest in this run.
    pub no_charges: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Executed {
    pub run_id: Option<i64>,
    pub customers: Vec<PlanCustomer>,
    pub steps: usize,
    pub charge_invoices: Vec<String>,
    /// Suspended here; suspend them in Partner Center too.
    pub suspended: Vec<(String, PlanSubscription)>,
}

/// Executes the plan as of `as_of` (rebuilt inside the transaction, never taken from the
/// caller) less the exclusions. Idempotent: a level is never applied to an invoice twice,
/// so running it again the same day changes nothing.
pub fn execute(tx: &Transaction, ctx: &Ctx, as_of: NaiveDate, ex: &Exclusions) -> Result<Executed> {
    let plan = plan(tx, as_of)?;
    let left_out: HashSet<i64> = ex.customers.iter().copied().collect();
    let chosen: Vec<PlanCustomer> = plan
        .customers
        .into_iter()
        .filter(|c| !left_out.contains(&c.customer_id))
        .collect();
    let mut result = Executed {
        run_id: None,
        customers: Vec::new(),
        steps: 0,
        charge_invoices: Vec::new(),
        suspended: Vec::new(),
    };
    if chosen.is_empty() {
        return Ok(result);
    }
    tx.execute(
        "INSERT INTO dunning_runs (as_of, executed_at, steps) VALUES (?1, ?2, 0)",
        params![date_text(as_of), ctx.now_text()],
    )?;
    let run_id = tx.last_insert_rowid();
    for mut c in chosen {
        let charge = !ex.no_charges.contains(&c.customer_id);
        let mut lines = Vec::new();
        for inv in c.invoices.iter_mut() {
            let Some(seq) = inv.new_level else { continue };
            if !charge {
                inv.late_fee_minor = 0;
                inv.interest_minor = 0;
            }
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO dunning_steps (invoice_id, level_seq, run_id, applied_on, charge_minor) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![inv.invoice_id, seq, run_id, date_text(as_of), inv.late_fee_minor + inv.interest_minor],
            )?;
            if inserted == 0 {
                continue;
            }
            result.steps += 1;
            if inv.late_fee_minor > 0 {
                lines.push(InvoiceLine {
                    description: format!("Late fee on {} (level {seq})", inv.number),
                    quantity: 1,
                    unit_price_minor: inv.late_fee_minor,
                    subscription_id: None,
                });
            }
            if inv.interest_minor > 0 {
                lines.push(InvoiceLine {
                    description: format!(
                        "Interest on {}: {}.{:02}% a year for {} days",
                        inv.number,
                        c.level.interest_bp / 100,
                        c.level.interest_bp % 100,
                        inv.days_overdue
                    ),
                    quantity: 1,
                    unit_price_minor: inv.interest_minor,
                    subscription_id: None,
                });
            }
            audit::record(
                tx,
                ctx,
                "invoice",
                inv.invoice_id,
                "dunning_level",
                None,
                Some(&serde_json::json!({
                    "run": run_id, "level": seq, "as_of": as_of, "late_fee_minor": inv.late_fee_minor, "interest_minor": inv.interest_minor,
                })),
            )?;
        }
        if !charge {
            c.charges = Money::zero(c.currency);
        }
        if !lines.is_empty() {
            let number = format!("FEE-{run_id}-{}", c.customer_id);
            billing::insert_invoice(
                tx,
                ctx,
                &NewInvoice {
                    number: number.clone(),
                    customer_id: c.customer_id,
                    kind: InvoiceKind::Charge,
                    issued_on: as_of,
                    due_on: Some(as_of),
                    currency: c.currency,
                    lines,
                    requires_prepayment: false,
                },
            )?;
            result.charge_invoices.push(number);
        }
        if c.actions.contains(&Action::Suspend) && !ex.no_suspension.contains(&c.customer_id) {
            for s in &c.suspend {
                subscription::change(
                    tx,
                    ctx,
                    s.id,
                    SubscriptionAction::Suspend,
                    Reason::NonPayment,
                    as_of,
                    &format!("Dunning run {run_id}: {}", c.level.name_en),
                )?;
                result.suspended.push((c.legal_name.clone(), s.clone()));
            }
        } else {
            c.suspend.clear();
            c.actions.retain(|a| *a != Action::Suspend);
        }
        result.customers.push(c);
    }
    tx.execute(
        "UPDATE dunning_runs SET steps = ?1 WHERE id = ?2",
        params![result.steps as i64, run_id],
    )?;
    audit::record(
        tx,
        ctx,
        "dunning_run",
        run_id,
        "execute",
        None,
        Some(
            &serde_json::json!({ "as_of": as_of, "steps": result.steps, "customers": result.customers.len() }),
        ),
    )?;
    result.run_id = Some(run_id);
    Ok(result)
}

/// Fills a letter text's placeholders.
pub fn fill_letter(
    text: &str,
    customer: &str,
    amount: &str,
    deadline: &str,
    reseller: &str,
) -> String {
    text.replace("{customer}", customer)
        .replace("{amount}", amount)
        .replace("{deadline}", deadline)
        .replace("{reseller}", reseller)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interest_is_amount_times_rate_times_days_over_365_rounded_half_away_from_zero() {
        // NT$100,000.00 at 10 % for 30 days = 821.917... -> NT$821.92
        assert_eq!(interest_minor(10_000_000, 1000, 30), 82_192);
        // $1,234.56 at 12 % for 45 days = 18.2647... -> $18.26
        assert_eq!(interest_minor(123_456, 1200, 45), 1_826);
        // Exactly half a cent: 3.65 at 50 % for 1 day = 0.005 -> 0.01, and -0.01 when negative
        assert_eq!(interest_minor(365, 5000, 1), 1);
        assert_eq!(interest_minor(-365, 5000, 1), -1);
        // Just under half: rounds down
        assert_eq!(interest_minor(364, 5000, 1), 0);
        assert_eq!(interest_minor(10_000_000, 0, 30), 0);
        assert_eq!(interest_minor(10_000_000, 1000, 0), 0);
    }

    #[test]
    fn letters_fill_their_placeholders() {
        assert_eq!(
            fill_letter(
                "Dear {customer}, pay {amount} by {deadline}.",
                "Contoso",
                "$5.00",
                "2026-12-02",
                "R"
            ),
            "Dear Contoso, pay $5.00 by 2026-12-02."
        );
    }
}
