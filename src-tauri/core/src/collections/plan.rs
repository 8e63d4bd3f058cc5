//! The dunning plan: what a run as of a date would do. Reading only; nothing is written.
//! The plan carries a fingerprint (SHA-256 of its content) so the run executes exactly the
//! plan the user reviewed, or refuses.

use crate::ids::{CustomerId, InvoiceId};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::interest::{self, Accrual};
use super::policies::{policy, Action, Level, LevelId, Policy, PolicyId};
use crate::customer::Language;
use crate::money::{Currency, Money};
use crate::receivables::{self, InvoiceKind, PromiseState};
use crate::subscription::{self, Reason, SubscriptionAction, SubscriptionStatus};
use crate::{dates, Result};

/// One overdue invoice in a customer's plan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PlanInvoice {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub kind: InvoiceKind,
    #[serde(serialize_with = "dates::serialize_day")]
    pub due_on: NaiveDate,
    pub days_overdue: i64,
    pub due: Money,
    /// The level this run applies to the invoice (its position), or None when it already
    /// had this level or a later one.
    pub new_level: Option<i64>,
    /// The stable id of that level.
    pub level_id: Option<LevelId>,
    pub late_fee_minor: i64,
    pub interest_minor: i64,
    /// The period the interest covers, the rate and the amount it was computed on.
    pub interest: Option<Accrual>,
    /// The stage the invoice has reached (this run's level, or the latest applied before),
    /// by name in English and Chinese: a letter says it per invoice when they differ.
    #[serde(default)]
    pub stage_en: String,
    #[serde(default)]
    pub stage_zh: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PlanSubscription {
    pub id: i64,
    pub offer: String,
    pub pc_subscription_id: String,
}

/// What the run does for one customer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PlanCustomer {
    pub customer_id: CustomerId,
    pub legal_name: String,
    pub language: Language,
    pub currency: Currency,
    pub policy_id: PolicyId,
    /// Shared by every customer at this level in the plan (not a copy each: a level's
    /// letters are the longest part of a plan).
    pub level: Arc<Level>,
    /// The level after this one (its day and consequence go into the letter).
    pub next_level: Option<Arc<Level>>,
    pub actions: Vec<Action>,
    pub invoices: Vec<PlanInvoice>,
    pub overdue: Money,
    pub charges: Money,
    pub suspend: Vec<PlanSubscription>,
    #[serde(serialize_with = "dates::serialize_day")]
    pub deadline: NaiveDate,
    pub notes: Vec<Note>,
    /// Set by the run when the reviewer left this customer's suspension out: the letter
    /// then says nothing about suspended services.
    #[serde(default)]
    pub suspension_left_out: bool,
}

/// The standard letter when the level's own text announces a suspension that the reviewer
/// left out of the run.
const NO_SUSPENSION_EN: &str = "Dear {customer}, the invoices below remain unpaid despite our earlier letters. We ask you formally to pay {amount} by {deadline}.";
const NO_SUSPENSION_ZH: &str =
    "{customer} 您好：雖經先前函告，下列發票仍未付款。特此正式催告，請於 {deadline} 前支付 {amount}。";

impl PlanCustomer {
    /// The letter text (with placeholders) that agrees with what the run did.
    pub fn letter_text(&self) -> &str {
        if self.suspension_left_out && self.level.actions.contains(&Action::Suspend) {
            match self.language {
                Language::En => NO_SUSPENSION_EN,
                Language::ZhTw => NO_SUSPENSION_ZH,
            }
        } else {
            self.level.letter(self.language)
        }
    }

    /// This customer as the run will treat it once the reviewer's choices are applied:
    /// without charges (fees and interest waived) and/or without suspension (the letter then
    /// says nothing about suspended services). The letter preview and the run both use it,
    /// so the preview is the letter.
    pub fn with_exclusions(mut self, no_charges: bool, no_suspension: bool) -> PlanCustomer {
        if no_charges {
            for inv in &mut self.invoices {
                inv.late_fee_minor = 0;
                inv.interest_minor = 0;
                if let Some(a) = inv.interest.as_mut() {
                    a.interest_minor = 0;
                }
            }
            self.charges = Money::zero(self.currency);
        }
        if no_suspension && self.actions.contains(&Action::Suspend) {
            self.suspension_left_out = true;
            self.suspend.clear();
            self.actions.retain(|a| *a != Action::Suspend);
        }
        self
    }

    /// Overdue plus this run's charges.
    pub fn total(&self) -> Money {
        Money::new(
            self.overdue.minor.saturating_add(self.charges.minor),
            self.currency,
        )
    }
}

pub use super::plan_notes::Note;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Paused {
    pub customer_id: CustomerId,
    pub legal_name: String,
    pub note: Note,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reactivation {
    pub customer_id: CustomerId,
    pub legal_name: String,
    pub subscriptions: Vec<PlanSubscription>,
    /// The run that suspended them, when a payment entered since shows it would have sent
    /// the customer nothing (under the policy's minimum that day, or held by a payment plan
    /// kept then): the customer may still owe, but the suspension was never due. None: the
    /// customer owes nothing overdue any more.
    #[serde(default)]
    pub never_due_by_run: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Plan {
    pub as_of: NaiveDate,
    pub customers: Vec<PlanCustomer>,
    pub paused: Vec<Paused>,
    pub reactivations: Vec<Reactivation>,
    /// SHA-256 of everything above: the window sends it back with the exclusions.
    pub fingerprint: String,
}

/// Days a letter gives the customer to pay.
pub const DEADLINE_DAYS: i64 = 7;

/// The customer's subscriptions whose last change was a suspension for non-payment made on
/// or before `as_of`: a run dated earlier (a missed run caught up) never lifts a suspension
/// that had not happened on its day. Each with the day it was suspended.
fn suspended_for_non_payment(
    conn: &Connection,
    customer_id: CustomerId,
    as_of: NaiveDate,
) -> Result<Vec<(PlanSubscription, NaiveDate)>> {
    let mut out = Vec::new();
    for s in subscription::list_for_customer(conn, customer_id)? {
        if s.status != SubscriptionStatus::Suspended {
            continue;
        }
        let last = subscription::events(conn, s.id)?.into_iter().last();
        if let Some(e) = last.filter(|e| {
            e.reason == Reason::NonPayment
                && e.action == SubscriptionAction::Suspend
                && e.happened_on <= as_of
        }) {
            out.push((
                PlanSubscription {
                    id: s.id,
                    offer: s.offer,
                    pc_subscription_id: s.pc_subscription_id,
                },
                e.happened_on,
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
use super::plan_reads::OneByOne;
use super::plan_reads::{applied, AllAtOnce, Reads};

/// Builds the dunning plan as of a date. Reads only; nothing is written.
pub fn plan(conn: &Connection, as_of: NaiveDate) -> Result<Plan> {
    dates::check_field("as_of", as_of)?;
    let reads = AllAtOnce::load(conn, as_of)?;
    plan_with(conn, as_of, &reads)
}

fn plan_with(conn: &Connection, as_of: NaiveDate, reads: &impl Reads) -> Result<Plan> {
    // Aged as of the run's date, but counting every payment recorded since: a backdated
    // run never duns an invoice that has been paid. Only invoices past due can be dunned
    // (or keep a suspension in place), so only those are read.
    let items = receivables::overdue_items_known_now(conn, as_of, None)?;
    let applied = applied(conn)?;
    let holds = crate::plans::holds(conn, as_of)?;
    let mut by_customer: BTreeMap<CustomerId, Vec<receivables::OpenItem>> = BTreeMap::new();
    for it in items {
        by_customer.entry(it.customer_id).or_default().push(it);
    }
    // Each policy read once, its levels shared by the customers that reach them.
    let mut policies: BTreeMap<PolicyId, (Policy, Vec<Arc<Level>>)> = BTreeMap::new();
    let mut active: Option<HashMap<CustomerId, Vec<PlanSubscription>>> = None;
    let mut out = Plan {
        as_of,
        customers: Vec::new(),
        paused: Vec::new(),
        reactivations: Vec::new(),
        fingerprint: String::new(),
    };
    for (customer_id, items) in &by_customer {
        let c = reads.customer(conn, *customer_id)?;
        if c.closed {
            continue;
        }
        let currency = c.currency;
        let policy_id = reads.policy_for(conn, *customer_id)?;
        if let std::collections::btree_map::Entry::Vacant(e) = policies.entry(policy_id) {
            let p = policy(conn, policy_id)?;
            let shared = p.levels.iter().cloned().map(Arc::new).collect();
            e.insert((p, shared));
        }
        let (pol, shared) = &policies[&policy_id];
        let overdue: Vec<&receivables::OpenItem> = items
            .iter()
            .filter(|i| i.days_overdue > pol.grace_days && i.due.currency == currency)
            .collect();
        if overdue.is_empty() {
            continue;
        }
        let mut notes = Vec::new();
        match reads.promise(conn, *customer_id, as_of)? {
            Some((p, PromiseState::Pending)) => {
                out.paused.push(Paused {
                    customer_id: *customer_id,
                    legal_name: c.legal_name.clone(),
                    note: Note::PromisePending {
                        amount: Money::new(p.amount_minor, currency),
                        pay_by: p.pay_by,
                    },
                });
                continue;
            }
            Some((p, PromiseState::Broken)) => notes.push(Note::PromiseBroken {
                amount: Money::new(p.amount_minor, currency),
                pay_by: p.pay_by,
            }),
            _ => {}
        }
        // A kept payment plan holds its invoices; an ended one lets them go, noted.
        let mut planned: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        let mut ended: BTreeMap<i64, NaiveDate> = BTreeMap::new();
        for it in &overdue {
            match holds.get(&it.invoice_id) {
                Some(crate::plans::Hold::Kept { plan_id }) => {
                    planned.entry(*plan_id).or_default().push(it.number.clone())
                }
                Some(crate::plans::Hold::Ended { plan_id, on }) => {
                    ended.insert(*plan_id, *on);
                }
                None => {}
            }
        }
        let overdue: Vec<&receivables::OpenItem> = overdue
            .into_iter()
            .filter(|i| {
                !matches!(
                    holds.get(&i.invoice_id),
                    Some(crate::plans::Hold::Kept { .. })
                )
            })
            .collect();
        for (plan_id, on) in ended {
            notes.push(Note::PlanEnded { plan_id, on });
        }
        if overdue.is_empty() {
            for (plan_id, invoices) in planned {
                out.paused.push(Paused {
                    customer_id: *customer_id,
                    legal_name: c.legal_name.clone(),
                    note: Note::PaymentPlan { plan_id, invoices },
                });
            }
            continue;
        }
        for (plan_id, invoices) in planned {
            notes.push(Note::PaymentPlan { plan_id, invoices });
        }
        let disputed_numbers: Vec<String> = overdue
            .iter()
            .filter(|i| i.disputed)
            .map(|i| i.number.clone())
            .collect();
        let dunnable: Vec<&receivables::OpenItem> =
            overdue.into_iter().filter(|i| !i.disputed).collect();
        if dunnable.is_empty() {
            out.paused.push(Paused {
                customer_id: *customer_id,
                legal_name: c.legal_name.clone(),
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
        let overdue_total: i64 = dunnable
            .iter()
            .fold(0i64, |acc, i| acc.saturating_add(i.due.minor));
        if overdue_total < pol.min_overdue(currency).minor {
            continue;
        }
        let mut invoices = Vec::new();
        let mut top: Option<&Level> = None;
        let mut fee_missing = false;
        for it in &dunnable {
            let reached = pol
                .levels
                .iter()
                .rfind(|l| l.days_after_due <= it.days_overdue);
            let latest = applied.latest_day.get(&it.invoice_id).copied();
            let new_level = match reached {
                Some(l)
                    if it.kind == InvoiceKind::Invoice
                        && !applied.ids.contains(&(it.invoice_id, l.id))
                        && latest.is_none_or(|d| l.days_after_due > d) =>
                {
                    Some(l)
                }
                _ => None,
            };
            let (fee, accrual) = match new_level {
                Some(l) => {
                    let fee = match l.late_fee(currency) {
                        Some(m) => m.minor,
                        None => {
                            fee_missing |= !l.late_fees.is_empty();
                            0
                        }
                    };
                    // A 0 % level on the way makes the days up to it free: interest starts
                    // at the latest of the watermark and the day the policy reaches its last
                    // 0 % level before this one. From the schedule, not from when runs
                    // happened, so the total never depends on how often they run.
                    let free_until = pol
                        .levels
                        .iter()
                        .filter(|x| x.seq < l.seq && x.interest_bp == 0)
                        .filter_map(|x| {
                            it.due_on
                                .checked_add_signed(chrono::Duration::days(x.days_after_due))
                        })
                        .max();
                    // A plan that ended charged its own interest for its days: dunning
                    // interest starts again from the day it ended.
                    let plan_end = match holds.get(&it.invoice_id) {
                        Some(crate::plans::Hold::Ended { on, .. }) => on.pred_opt(),
                        _ => None,
                    };
                    let wm = applied
                        .watermark
                        .get(&it.invoice_id)
                        .copied()
                        .max(free_until)
                        .max(plan_end);
                    (
                        fee,
                        interest::accrue(it.due_on, wm, as_of, it.due.minor, l.interest_bp),
                    )
                }
                None => (0, None),
            };
            if let Some(l) = new_level {
                if top.is_none_or(|t| l.seq > t.seq) {
                    top = Some(l);
                }
            }
            // The stage this invoice reaches: this run's level, or the last applied.
            let stage = new_level.or_else(|| {
                applied
                    .latest_level
                    .get(&it.invoice_id)
                    .and_then(|(_, id)| pol.levels.iter().find(|x| x.id == *id))
            });
            invoices.push(PlanInvoice {
                stage_en: stage.map(|x| x.name_en.clone()).unwrap_or_default(),
                stage_zh: stage.map(|x| x.name_zh.clone()).unwrap_or_default(),
                invoice_id: it.invoice_id,
                number: it.number.clone(),
                kind: it.kind,
                due_on: it.due_on,
                days_overdue: it.days_overdue,
                due: it.due,
                new_level: new_level.map(|l| l.seq),
                level_id: new_level.map(|l| l.id),
                late_fee_minor: fee,
                interest_minor: accrual.as_ref().map_or(0, |a| a.interest_minor),
                interest: accrual,
            });
        }
        let Some(level) = top
            .and_then(|t| pol.levels.iter().position(|l| std::ptr::eq(l, t)))
            .map(|i| Arc::clone(&shared[i]))
        else {
            continue;
        };
        if fee_missing {
            notes.push(Note::NoFeeInCurrency { currency });
        }
        notes.extend(super::plan_notes::taken_again(
            &applied.given_back,
            &invoices,
        ));
        let next_level = shared.iter().find(|l| l.seq == level.seq + 1).cloned();
        let charges: i64 = invoices.iter().fold(0i64, |acc, i| {
            acc.saturating_add(i.late_fee_minor)
                .saturating_add(i.interest_minor)
        });
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
            // Every active subscription read once, at the first suspension planned. A run
            // dated earlier (a missed run caught up) suspends only what was active on its
            // day: not a subscription bought later, nor one changed since (a reactivation
            // after a payment stands).
            if active.is_none() {
                let changed = subscription::last_changes(conn)?;
                let mut by: HashMap<CustomerId, Vec<PlanSubscription>> = HashMap::new();
                for s in subscription::list_active(conn)? {
                    if s.start_on > as_of || changed.get(&s.id).is_some_and(|on| *on > as_of) {
                        continue;
                    }
                    by.entry(s.customer_id).or_default().push(PlanSubscription {
                        id: s.id,
                        offer: s.offer,
                        pc_subscription_id: s.pc_subscription_id,
                    });
                }
                active = Some(by);
            }
            active
                .as_ref()
                .and_then(|by| by.get(customer_id))
                .cloned()
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        out.customers.push(PlanCustomer {
            customer_id: *customer_id,
            legal_name: c.legal_name.clone(),
            language: c.language,
            currency,
            policy_id,
            level,
            next_level,
            actions,
            invoices,
            overdue: Money::new(overdue_total, currency),
            charges: Money::new(charges, currency),
            suspend,
            deadline: dates::add_days("as_of", as_of, DEADLINE_DAYS).unwrap_or(dates::MAX),
            notes,
            suspension_left_out: false,
        });
    }
    // Customers suspended for non-payment who owe nothing overdue any more, and those whose
    // suspension a payment entered since shows was never due.
    let suspended_customers: Vec<CustomerId> = {
        crate::store::rows(
            conn,
            "SELECT DISTINCT customer_id FROM subscriptions WHERE status = 'suspended' ORDER BY customer_id",
            [],
            |r| r.get(0),
        )?
    };
    let dunned: HashSet<CustomerId> = out.customers.iter().map(|c| c.customer_id).collect();
    for cid in suspended_customers {
        let owes = by_customer
            .get(&cid)
            .is_some_and(|items| items.iter().any(|i| i.days_overdue > 0));
        if owes && dunned.contains(&cid) {
            // Owing enough to be dunned by this run: no reactivation proposed.
            continue;
        }
        let mut subs = suspended_for_non_payment(conn, cid, as_of)?;
        let mut never_due = None;
        if owes {
            // Only what a run suspended that would have sent nothing, as now known.
            let mut by_day: BTreeMap<NaiveDate, Option<i64>> = BTreeMap::new();
            for (_, day) in &subs {
                if !by_day.contains_key(day) {
                    let run = super::would_have_sent::suspension_never_due(conn, cid, *day)?;
                    by_day.insert(*day, run);
                }
            }
            subs.retain(|(_, day)| by_day[day].is_some());
            never_due = by_day.values().flatten().max().copied();
        }
        if !subs.is_empty() {
            out.reactivations.push(Reactivation {
                customer_id: cid,
                legal_name: reads.customer(conn, cid)?.legal_name.clone(),
                subscriptions: subs.into_iter().map(|(s, _)| s).collect(),
                never_due_by_run: never_due,
            });
        }
    }
    // The furthest level first, then by currency (amounts in two currencies do not compare),
    // the most overdue first within it; sorted by place (a customer's entry is large to
    // move about).
    let mut order: Vec<usize> = (0..out.customers.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (&out.customers[a], &out.customers[b]);
        b.level
            .seq
            .cmp(&a.level.seq)
            .then(a.overdue.currency.cmp(&b.overdue.currency))
            .then(b.overdue.minor.cmp(&a.overdue.minor))
            .then(a.legal_name.cmp(&b.legal_name))
            .then(a.customer_id.cmp(&b.customer_id))
    });
    let mut places: Vec<Option<PlanCustomer>> = out.customers.drain(..).map(Some).collect();
    out.customers = order.iter().filter_map(|&i| places[i].take()).collect();
    out.fingerprint = fingerprint(&out);
    Ok(out)
}

pub use super::plan_fingerprint::fingerprint;

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
