//! Executing a dunning run, and the run as a stored record.
//!
//! A run is: the plan (read only) -> the reviewed plan's fingerprint -> one transaction
//! that books the steps, the charges, the suspensions and the reactivations and stores the
//! run record (everything the letters and the Partner Center list are made from, the
//! letterhead included) -> documents rendered from that record, which can be rendered
//! again at any time (`reprint`).

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::plan::{plan, PlanCustomer, PlanSubscription};
use super::policies::{rate_text, Action};
use crate::customer::Language;
use crate::customer::{self, Customer};
use crate::error::Code;
use crate::ids::{CustomerId, RunId};
use crate::money::Money;
use crate::receivables::{self, date_text, InvoiceKind, InvoiceLine, NewInvoice};
use crate::store::settings;
use crate::subscription::{self, Reason, SubscriptionAction};
use crate::{audit, dates, Ctx, Error, Result};

/// The settings a letter is printed with; a run keeps a copy of them.
pub const LETTERHEAD_KEYS: &[&str] = &[
    "letterhead.name",
    "letterhead.address",
    "letterhead.tax_id",
    "letterhead.phone",
    "letterhead.email",
    "letterhead.payment_instructions",
    "letterhead.logo",
    "paper",
];

/// The longest text each letterhead line may have (characters): a letter lays out in
/// milliseconds within these, where a 100,000-character name took a minute.
pub const LETTERHEAD_LIMITS: &[(&str, usize)] = &[
    ("letterhead.name", 200),
    ("letterhead.address", 500),
    ("letterhead.tax_id", 50),
    ("letterhead.phone", 50),
    ("letterhead.email", 200),
    ("letterhead.payment_instructions", 1000),
];

/// Checks a letterhead line: its length and no control characters (line breaks allowed in
/// the address and the payment instructions).
pub fn check_letterhead(key: &str, value: &str) -> Result<()> {
    let Some((_, max)) = LETTERHEAD_LIMITS.iter().find(|(k, _)| *k == key) else {
        return Ok(());
    };
    let lines = matches!(
        key,
        "letterhead.address" | "letterhead.payment_instructions"
    );
    crate::error::at_most(key, value.trim(), *max)?;
    if crate::customer::has_control(value, lines) {
        return Err(Error::field(
            key,
            Code::ControlCharacter,
            "contains a control character (such as NUL): remove it",
        ));
    }
    Ok(())
}

/// What the user left out of the plan after reviewing it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Exclusions {
    /// Customers left out entirely (their reactivations too).
    pub customers: Vec<CustomerId>,
    /// Customers whose subscriptions are not suspended in this run.
    pub no_suspension: Vec<CustomerId>,
    /// Customers who are not charged fees or interest in this run: the fees are not
    /// charged and the interest for the period is waived (a later run does not charge it).
    pub no_charges: Vec<CustomerId>,
}

/// One customer of an executed run, as the letter prints them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunCustomer {
    pub customer: Customer,
    pub plan: PlanCustomer,
}

/// A subscription suspended or reactivated by a run: do the same in Partner Center.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PartnerCenterChange {
    pub action: SubscriptionAction,
    pub customer_id: CustomerId,
    pub legal_name: String,
    pub subscription: PlanSubscription,
}

/// An executed run: everything its documents are made from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunRecord {
    pub id: RunId,
    pub as_of: NaiveDate,
    pub executed_at: String,
    pub fingerprint: String,
    /// Where the documents were asked to go (the run's own folder is inside it).
    pub output_dir: String,
    /// The letterhead and paper settings at the time of the run.
    pub settings: BTreeMap<String, String>,
    pub customers: Vec<RunCustomer>,
    pub changes: Vec<PartnerCenterChange>,
    pub charge_invoices: Vec<String>,
    pub steps: usize,
}

impl RunRecord {
    /// The folder (inside `output_dir`) that holds this run's documents.
    pub fn folder_name(&self) -> String {
        format!("dunning-run-{:05}-{}", self.id, self.as_of)
    }

    /// The customers who get a letter.
    pub fn letters(&self) -> impl Iterator<Item = &RunCustomer> {
        self.customers
            .iter()
            .filter(|c| c.plan.actions.iter().any(|a| a.writes_letter()))
    }

    pub fn setting(&self, key: &str) -> &str {
        self.settings.get(key).map(String::as_str).unwrap_or("")
    }

    /// Charges booked, per currency.
    pub fn charges(&self) -> Vec<Money> {
        let mut out: Vec<Money> = Vec::new();
        for c in &self.customers {
            if c.plan.charges.minor == 0 {
                continue;
            }
            match out.iter_mut().find(|m| m.currency == c.plan.currency) {
                Some(m) => m.minor = m.minor.saturating_add(c.plan.charges.minor),
                None => out.push(c.plan.charges),
            }
        }
        out
    }
}

/// A line of the run history.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RunSummary {
    pub id: RunId,
    pub as_of: NaiveDate,
    pub executed_at: String,
    pub customers: i64,
    pub letters: i64,
    pub charges: Vec<Money>,
    pub suspensions: i64,
    pub output_dir: String,
    pub folder_name: String,
    /// False for runs made before runs were stored (schema 3): they cannot be reprinted.
    pub reprintable: bool,
}

/// Executes the plan as of `as_of` less the exclusions, in `tx`. The plan is rebuilt inside
/// the transaction; when `reviewed` is given and the plan's fingerprint differs, nothing is
/// done ("the plan changed since you reviewed it"). Idempotent: a level is never applied to
/// an invoice twice, so running it again the same day changes nothing (and returns None).
pub fn execute(
    tx: &Transaction,
    ctx: &Ctx,
    as_of: NaiveDate,
    ex: &Exclusions,
    reviewed: Option<&str>,
    output_dir: &str,
) -> Result<Option<RunRecord>> {
    dates::check_field("as_of", as_of)?;
    if as_of > ctx.today {
        return Err(Error::field(
            "as_of",
            Code::AfterToday,
            format!(
                "a dunning run cannot be dated after today ({}); charges and suspensions would be booked in advance",
                ctx.today
            ),
        ));
    }
    // A customer left out must be one: a typo must not charge and suspend the customer
    // meant to be spared.
    for (field, ids) in [
        ("skip", &ex.customers),
        ("no_suspension", &ex.no_suspension),
        ("no_charges", &ex.no_charges),
    ] {
        for id in ids {
            let known: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)",
                [id.0],
                |r| r.get(0),
            )?;
            if !known {
                return Err(Error::field(
                    field,
                    Code::NotFound,
                    format!("there is no customer {}: nothing was booked", id.0),
                ));
            }
        }
    }
    let mut snapshot = BTreeMap::new();
    for k in LETTERHEAD_KEYS {
        snapshot.insert(k.to_string(), settings::get(tx, k)?.unwrap_or_default());
    }
    if snapshot["letterhead.name"].trim().is_empty() {
        return Err(Error::field(
            "letterhead.name",
            Code::Required,
            "set your company name in Settings > Letterhead (or `riskdesk settings set letterhead.name NAME`) before a dunning run: every letter is signed with it",
        ));
    }
    let plan = plan(tx, as_of)?;
    if let Some(fp) = reviewed {
        if fp != plan.fingerprint {
            return Err(Error::Conflict {
                field: "plan".into(),
                message: "the plan changed since you reviewed it; review it again before running"
                    .into(),
            });
        }
    }
    let left_out: HashSet<CustomerId> = ex.customers.iter().copied().collect();
    let chosen: Vec<PlanCustomer> = plan
        .customers
        .into_iter()
        .filter(|c| !left_out.contains(&c.customer_id))
        .collect();
    let reactivations: Vec<_> = plan
        .reactivations
        .into_iter()
        .filter(|r| !left_out.contains(&r.customer_id))
        .collect();
    if chosen.is_empty() && reactivations.is_empty() {
        return Ok(None);
    }
    tx.execute(
        "INSERT INTO dunning_runs (as_of, executed_at, steps, fingerprint, output_dir) VALUES (?1, ?2, 0, ?3, ?4)",
        params![date_text(as_of), ctx.now_text(), plan.fingerprint, output_dir],
    )?;
    let run_id = RunId(tx.last_insert_rowid());
    let mut record = RunRecord {
        id: run_id,
        as_of,
        executed_at: ctx.now_text(),
        fingerprint: plan.fingerprint.clone(),
        output_dir: output_dir.to_string(),
        settings: snapshot,
        customers: Vec::new(),
        changes: Vec::new(),
        charge_invoices: Vec::new(),
        steps: 0,
    };
    for c in chosen {
        let charge = !ex.no_charges.contains(&c.customer_id);
        let spare = ex.no_suspension.contains(&c.customer_id);
        let c = c.with_exclusions(!charge, spare);
        let mut lines = Vec::new();
        for inv in c.invoices.iter() {
            let (Some(seq), Some(level_id)) = (inv.new_level, inv.level_id) else {
                continue;
            };
            let a = inv.interest.as_ref();
            let level = super::policies::level(tx, level_id)?;
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO dunning_steps (invoice_id, level_id, policy_id, level_seq, days_after_due, run_id, applied_on,
                    fee_minor, interest_minor, interest_bp, interest_on_minor, interest_from, interest_to, waived,
                    due_minor, paid_by_day_minor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                params![
                    inv.invoice_id,
                    level_id,
                    c.policy_id,
                    seq,
                    level.days_after_due,
                    run_id,
                    date_text(as_of),
                    inv.late_fee_minor,
                    inv.interest_minor,
                    a.map_or(0, |a| a.rate_bp),
                    a.map_or(0, |a| a.on_minor),
                    a.map(|a| date_text(a.from)),
                    a.map(|a| date_text(a.to)),
                    !charge as i64,
                    inv.due.minor,
                    super::corrections::paid_by(tx, inv.invoice_id, as_of)?,
                ],
            )?;
            if inserted == 0 {
                continue;
            }
            super::would_have_sent::supersede(tx, ctx, inv.invoice_id, run_id.0)?;
            record.steps += 1;
            if inv.late_fee_minor > 0 {
                lines.push(InvoiceLine {
                    description: match c.language {
                        Language::ZhTw => {
                            format!("{} 逾期手續費（{}）", inv.number, c.level.name_zh)
                        }
                        Language::En => format!("Late fee on {} ({})", inv.number, c.level.name_en),
                    },
                    quantity: 1,
                    unit_price_minor: inv.late_fee_minor,
                    subscription_id: None,
                });
            }
            if let Some(a) = inv.interest.as_ref().filter(|a| a.interest_minor > 0) {
                lines.push(InvoiceLine {
                    // In the customer's language: the line prints on statements.
                    description: {
                        let (rate, on) = (
                            rate_text(a.rate_bp),
                            Money::new(a.on_minor, c.currency).format(),
                        );
                        let from = a.from.succ_opt().unwrap_or(a.from);
                        match c.language {
                            Language::ZhTw => format!(
                                "{} 利息：年利率 {rate}，本金 {on}，{} 天（{from} 至 {}）",
                                inv.number, a.days, a.to
                            ),
                            Language::En => format!(
                                "Interest on {}: {rate} a year on {on} for {}, {from} to {}",
                                inv.number,
                                crate::english::count(a.days, "day", "days"),
                                a.to
                            ),
                        }
                    },
                    quantity: 1,
                    unit_price_minor: a.interest_minor,
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
                    "run": run_id, "level_id": level_id, "level": seq, "as_of": as_of,
                    "late_fee_minor": inv.late_fee_minor, "interest": inv.interest, "waived": !charge,
                })),
            )?;
        }
        if charge {
            super::would_have_sent::keep_minimum(tx, ctx, run_id.0, &c, as_of)?;
        }
        if !lines.is_empty() {
            let number = format!("FEE-{run_id}-{}", c.customer_id);
            receivables::insert_invoice(
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
            record.charge_invoices.push(number);
        }
        if c.actions.contains(&Action::Suspend) {
            for s in &c.suspend {
                subscription::change(
                    tx,
                    ctx,
                    s.id,
                    SubscriptionAction::Suspend,
                    Reason::NonPayment,
                    as_of,
                    &match c.language {
                        Language::ZhTw => format!("催收作業 {run_id}：{}", c.level.name_zh),
                        Language::En => format!("Dunning run {run_id}: {}", c.level.name_en),
                    },
                )?;
                record.changes.push(PartnerCenterChange {
                    action: SubscriptionAction::Suspend,
                    customer_id: c.customer_id,
                    legal_name: c.legal_name.clone(),
                    subscription: s.clone(),
                });
            }
        }
        let customer = customer::get(tx, c.customer_id)?;
        record.customers.push(RunCustomer { customer, plan: c });
    }
    for r in reactivations {
        let zh = customer::get(tx, r.customer_id)?.fields.language == Language::ZhTw;
        for s in r.subscriptions {
            subscription::change(
                tx,
                ctx,
                s.id,
                SubscriptionAction::Reactivate,
                Reason::NonPayment,
                as_of,
                &if zh {
                    format!("催收作業 {run_id}：逾期餘額已付清")
                } else {
                    format!("Dunning run {run_id}: the overdue balance is paid")
                },
            )?;
            record.changes.push(PartnerCenterChange {
                action: SubscriptionAction::Reactivate,
                customer_id: r.customer_id,
                legal_name: r.legal_name.clone(),
                subscription: s,
            });
        }
    }
    let suspensions = record
        .changes
        .iter()
        .filter(|c| c.action == SubscriptionAction::Suspend)
        .count();
    let document = serde_json::to_string(&record)
        .map_err(|e| Error::Invalid(format!("cannot store the run: {e}")))?;
    let charges = serde_json::to_string(&record.charges())
        .map_err(|e| Error::Invalid(format!("cannot store the run: {e}")))?;
    tx.execute(
        "UPDATE dunning_runs SET steps = ?1, document = ?2, customers = ?3, letters = ?4, charges = ?5, suspensions = ?6 WHERE id = ?7",
        params![
            record.steps as i64,
            document,
            record.customers.len() as i64,
            record.letters().count() as i64,
            charges,
            suspensions as i64,
            run_id
        ],
    )?;
    audit::record(
        tx,
        ctx,
        "dunning_run",
        run_id.0,
        "execute",
        None,
        Some(&serde_json::json!({
            "as_of": as_of, "fingerprint": record.fingerprint, "steps": record.steps,
            "customers": record.customers.len(), "charge_invoices": record.charge_invoices,
            "suspended": suspensions, "reactivated": record.changes.len() - suspensions,
        })),
    )?;
    Ok(Some(record))
}

/// Every run, newest first.
pub fn runs(conn: &Connection) -> Result<Vec<RunSummary>> {
    crate::store::rows(
        conn,
        "SELECT id, as_of, executed_at, customers, letters, charges, suspensions, output_dir, document != ''
         FROM dunning_runs ORDER BY id DESC",
        [],
        |r| {
            let charges: String = r.get(5)?;
            let id: RunId = r.get(0)?;
            let as_of = crate::store::parse_day(&r.get::<_, String>(1)?)?;
            Ok(RunSummary {
                id,
                as_of,
                executed_at: r.get(2)?,
                customers: r.get(3)?,
                letters: r.get(4)?,
                charges: serde_json::from_str(&charges).unwrap_or_default(),
                suspensions: r.get(6)?,
                output_dir: r.get(7)?,
                folder_name: format!("dunning-run-{id:05}-{as_of}"),
                reprintable: r.get(8)?,
            })
        },
    )
}

/// The stored record of a run, to print its documents (again).
pub fn run_record(conn: &Connection, id: RunId) -> Result<RunRecord> {
    let doc: String = conn
        .query_row(
            "SELECT document FROM dunning_runs WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("dunning run {id}")))?;
    if doc.is_empty() {
        return Err(Error::field(
            "run",
            Code::NotReprintable,
            format!("dunning run {id} was made by an older RiskDesk that did not keep its letters; it cannot be reprinted"),
        ));
    }
    serde_json::from_str(&doc).map_err(|e| {
        Error::Invalid(format!(
            "the record of dunning run {id} cannot be read: {e}"
        ))
    })
}
