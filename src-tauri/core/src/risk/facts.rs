//! What the risk model knows of each customer, read from the records in a few set-based
//! queries (so scoring thousands of customers stays fast).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection};

use crate::customer::OnboardingItem;
use crate::ids::CustomerId;
use crate::money::{Currency, Money};
use crate::receivables::{promise_state, PromiseState, ReturnReason};
use crate::store::currency_of;
use crate::subscription::{SeatAddition, Subscription};
use crate::Result;

mod identity;
mod usage;

use identity::{identity_keys, Written};
use usage::usage_not_invoiced;

/// An open alert of the customer's, as the risk model reads it.
#[derive(Debug, Clone, Default)]
pub struct OpenAlert {
    pub kind: String,
    pub severity: u8,
    pub title_en: String,
    pub title_zh: String,
}

#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub name: String,
    pub created_at: String,
    pub country: String,
    pub instrument: String,
    pub card_present: bool,
    pub admin_access: String,
    pub status: String,
    pub email_domain: String,
    /// The contact and billing mailboxes at free-mail providers (one form each, no repeats):
    /// a mailbox two customers share links them where the provider's domain cannot.
    pub mailboxes: Vec<String>,
    pub phone: String,
    pub address: String,
    /// The keys of the place, read from the address as written ([`crate::identity::place`]).
    pub places: Vec<String>,
    /// The contact person as written, and the keys of the name ([`crate::identity::person`]).
    pub contact: (String, Vec<String>),
    pub tax_id: String,
    pub currency: Option<Currency>,
    pub credit_limit_minor: i64,
    pub checks_done: BTreeSet<String>,
    pub first_payment: Option<NaiveDate>,
    /// The first day of usage or of a purchase (reservations, Marketplace).
    pub first_usage: Option<NaiveDate>,
    pub active_subscriptions: i64,
    /// Overdue amount (minor units, customer's currency) and the most days overdue.
    pub overdue_minor: i64,
    pub overdue_days: i64,
    pub open_minor: i64,
    pub disputed_invoices: i64,
    pub broken_promise: bool,
    /// Payments taken back in the year up to the day: (reference, amount, reason, day),
    /// oldest first.
    pub returned: Vec<(String, Money, ReturnReason, NaiveDate)>,
    /// A payment plan broken as of the day: the plan and the day it broke.
    pub broken_plan: Option<(i64, NaiveDate)>,
    /// Prepayment requests due and not received: count and amount.
    pub prepayments_missing: i64,
    /// Usage not invoiced yet (since the last billed usage day), in the customer's
    /// invoicing currency, minor units.
    pub usage_minor: i64,
    /// Purchases (reservations, Marketplace) a FOCUS file billed and no billed file has
    /// covered yet, in the invoicing currency, minor units.
    pub purchases_minor: i64,
    /// Usage and purchases not invoiced that no rate converts into the invoicing currency,
    /// one sum per currency.
    pub usage_unconverted: Vec<Money>,
    /// What Microsoft credits paid of the usage not invoiced (in no figure above): in the
    /// invoicing currency, or in the usage's where no rate converts it.
    pub usage_credited: Vec<Money>,
    /// The rate used for usage in another currency (English, Chinese).
    pub usage_rate: Option<(String, String)>,
    /// Open alerts.
    pub alerts: Vec<OpenAlert>,
    pub notices_overdue: Vec<String>,
    /// Open abuse incidents: their category and summary.
    pub incidents_open: Vec<(crate::usage::incidents::Category, String)>,
    /// Active and suspended subscriptions, and the seats added to them.
    pub subscriptions: Vec<Subscription>,
    pub seats: Vec<SeatAddition>,
    /// Unallocated payments and credit notes (where a received prepayment sits once recorded).
    pub credit_minor: i64,
    /// The latest prepayment received.
    pub last_prepayment: Option<NaiveDate>,
    /// An admin relationship (GDAP) in force with the Global Administrator role.
    pub global_admin_relationship: bool,
}

impl Facts {
    /// The required checks (setting `onboarding.required`) not done; the card fraud check
    /// only for customers paying by card.
    pub fn missing_checks(&self, required: &[OnboardingItem]) -> Vec<OnboardingItem> {
        let card = matches!(
            self.instrument.as_str(),
            "credit_card" | "debit_card" | "prepaid_card" | "stored_value_card"
        );
        required
            .iter()
            .copied()
            .filter(|i| card || *i != OnboardingItem::CardFraudCheck)
            .filter(|i| !self.checks_done.contains(i.as_str()))
            .collect()
    }

    pub fn money(&self, minor: i64) -> String {
        self.currency
            .map(|c| Money::new(minor, c).format())
            .unwrap_or_else(|| minor.to_string())
    }
}

/// The customers' facts as of `as_of` (and `now`, for notice deadlines): every customer's
/// when `only` is None; otherwise that customer's, and of the others only their record
/// and identity keys (what look-alikes compare), none of their books.
pub fn gather(
    conn: &Connection,
    as_of: NaiveDate,
    now: DateTime<Utc>,
    only: Option<CustomerId>,
) -> Result<BTreeMap<CustomerId, Facts>> {
    let mut out: BTreeMap<CustomerId, Facts> = BTreeMap::new();
    let one = only.map(|c| c.0);
    let mut stmt = conn.prepare(
        "SELECT c.id, c.legal_name, c.created_at, c.country, c.payment_instrument, c.card_present, c.admin_access,
                c.status, c.email, c.phone, c.address, c.tax_id, c.currency, c.credit_limit_minor,
                c.billing_email, c.contact_name
         FROM customers c WHERE c.status <> 'closed'",
    )?;
    // Each customer's first payment, first day of service and active subscriptions, read
    // in one pass over each table (not one lookup per customer).
    let firsts = |sql: &str| -> Result<HashMap<i64, String>> {
        let mut found: HashMap<i64, String> = HashMap::new();
        let days: Vec<(i64, String)> = crate::store::rows(
            conn,
            &format!("SELECT id, day FROM ({sql}) WHERE ?1 IS NULL OR id = ?1"),
            [one],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (id, day) in days {
            let e = found.entry(id).or_insert_with(|| day.clone());
            if day < *e {
                *e = day;
            }
        }
        Ok(found)
    };
    // The first payment, or the first prepayment received if earlier: a received
    // prepayment is money in, so services after it are not before any payment.
    let first_payments = firsts(
        "SELECT p.customer_id AS id, min(p.received_on) AS day FROM payments p
         WHERE p.kind = 'payment' AND NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id)
         GROUP BY p.customer_id
         UNION ALL
         SELECT q.customer_id, min(q.received_on) FROM prepayment_requests q
         WHERE q.received_on IS NOT NULL GROUP BY q.customer_id",
    )?;
    // The first day of usage, or of a purchase (a reservation or Marketplace offer bought
    // with nothing used is a service used too), of a tenant linked to the customer or named
    // in its record.
    let first_usage = firsts(
        "SELECT t.customer_id AS id, min(t.first_day) AS day FROM usage_tenants t
         WHERE t.customer_id IS NOT NULL AND t.first_day IS NOT NULL GROUP BY t.customer_id
         UNION ALL
         SELECT t.customer_id, min(p.day) FROM usage_tenants t JOIN usage_purchases p ON p.tenant_id = t.tenant_id
         WHERE t.customer_id IS NOT NULL GROUP BY t.customer_id
         UNION ALL
         SELECT c.id, min(p.day) FROM customers c JOIN usage_purchases p ON p.tenant_id = lower(c.tenant_id)
         WHERE c.tenant_id <> '' GROUP BY c.id",
    )?;
    let active: HashMap<i64, i64> = crate::store::rows(
        conn,
        "SELECT customer_id, count(*) FROM subscriptions
         WHERE status = 'active' AND (?1 IS NULL OR customer_id = ?1) GROUP BY customer_id",
        [one],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut rows = stmt.query([])?;
    // The identity keys (of the address, the contact person, the phone...) are most of
    // reading a customer's facts: they are derived after the rows are read, on all cores.
    let mut written: Vec<(CustomerId, Written)> = Vec::new();
    while let Some(r) = rows.next()? {
        let id = CustomerId(r.get(0)?);
        let country: String = r.get(3)?;
        let currency: String = r.get(12)?;
        written.push((
            id,
            Written {
                email: r.get(8)?,
                billing_email: r.get(14)?,
                phone: r.get(9)?,
                address: r.get(10)?,
                contact: r.get(15)?,
                tax_id: r.get(11)?,
                country: country.clone(),
            },
        ));
        out.insert(
            id,
            Facts {
                name: r.get(1)?,
                created_at: r.get(2)?,
                country,
                instrument: r.get(4)?,
                card_present: r.get::<_, i64>(5)? == 1,
                admin_access: r.get(6)?,
                status: r.get(7)?,
                currency: Some(currency_of(&currency)?),
                credit_limit_minor: r.get(13)?,
                first_payment: first_payments
                    .get(&id.0)
                    .map(|d| crate::store::parse_day(d))
                    .transpose()?,
                first_usage: first_usage
                    .get(&id.0)
                    .map(|d| crate::store::parse_day(d))
                    .transpose()?,
                active_subscriptions: active.get(&id.0).copied().unwrap_or(0),
                ..Default::default()
            },
        );
    }
    drop(rows);
    for (id, keys) in identity_keys(written) {
        if let Some(f) = out.get_mut(&id) {
            keys.fill(f);
        }
    }
    let mut stmt = conn.prepare(
        "SELECT customer_id, item FROM onboarding_checks WHERE ?1 IS NULL OR customer_id = ?1",
    )?;
    let mut rows = stmt.query([one])?;
    while let Some(r) = rows.next()? {
        if let Some(f) = out.get_mut(&CustomerId(r.get(0)?)) {
            f.checks_done.insert(r.get(1)?);
        }
    }
    for item in crate::receivables::open_items(conn, as_of, only)? {
        let Some(f) = out.get_mut(&item.customer_id) else {
            continue;
        };
        if Some(item.due.currency) != f.currency {
            continue;
        }
        f.open_minor = f.open_minor.saturating_add(item.due.minor);
        if item.days_overdue > 0 && item.due.minor > 0 && !item.disputed {
            f.overdue_minor = f.overdue_minor.saturating_add(item.due.minor);
            f.overdue_days = f.overdue_days.max(item.days_overdue);
        }
    }
    let promised: Vec<i64> = crate::store::rows(
        conn,
        "SELECT DISTINCT customer_id FROM promises WHERE ?1 IS NULL OR customer_id = ?1",
        [one],
        |r| r.get(0),
    )?;
    for id in promised {
        if let Some(f) = out.get_mut(&CustomerId(id)) {
            f.broken_promise = matches!(
                promise_state(conn, CustomerId(id), as_of)?,
                Some((_, PromiseState::Broken))
            );
        }
    }
    // Payments taken back in the year up to the day (a charge-back is the mark of a stolen
    // card; a returned transfer, of money that was never there).
    let returned: Vec<(CustomerId, String, Money, ReturnReason, NaiveDate)> = crate::store::rows(
        conn,
        "SELECT p.customer_id, p.reference, p.amount_minor, p.currency, r.reason, r.returned_on
         FROM payment_returns r JOIN payments p ON p.id = r.payment_id
         WHERE r.returned_on <= ?1 AND r.returned_on > ?2 AND (?3 IS NULL OR p.customer_id = ?3)
         ORDER BY r.returned_on, p.id",
        params![
            as_of.to_string(),
            (as_of - chrono::Duration::days(365)).to_string(),
            one
        ],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                Money::new(r.get(2)?, r.get(3)?),
                r.get(4)?,
                r.get(5)?,
            ))
        },
    )?;
    for (customer_id, reference, amount, reason, on) in returned {
        if let Some(f) = out.get_mut(&customer_id) {
            f.returned.push((reference, amount, reason, on));
        }
    }
    // (Read for everyone; kept for the customers in scope.)
    let in_scope = |id: &CustomerId| only.is_none_or(|c| c == *id);
    for (customer_id, plan) in crate::plans::broken(conn, as_of)? {
        if let Some(f) = out.get_mut(&customer_id).filter(|_| in_scope(&customer_id)) {
            f.broken_plan = Some(plan);
        }
    }
    // (One customer's requests come back received or not; everyone's, only those outstanding.)
    for p in crate::receivables::prepayments(conn, only)? {
        if p.due_on <= as_of && p.received_on.is_none() {
            if let Some(f) = out.get_mut(&p.customer_id) {
                f.prepayments_missing += 1;
            }
        }
    }
    usage_not_invoiced(conn, as_of, only, &mut out)?;
    // Disputes from their history (the audit trail): an invoice disputed within the last
    // year counts, resolved or not, so settling each dispute quickly hides nothing. Led by
    // the disputes (`audit_by_action`), each invoice found by its id.
    let since = (as_of - chrono::Duration::days(365)).to_string();
    let mut stmt = conn.prepare(
        "SELECT i.customer_id, count(DISTINCT i.id) FROM audit a JOIN invoices i ON i.id = CAST(a.entity_id AS INTEGER)
         WHERE a.entity = 'invoice' AND a.action = 'dispute' AND substr(a.at, 1, 10) >= ?1
           AND substr(a.at, 1, 10) <= ?2 AND (?3 IS NULL OR i.customer_id = ?3)
         GROUP BY i.customer_id",
    )?;
    let mut rows = stmt.query(rusqlite::params![since, as_of.to_string(), one])?;
    while let Some(r) = rows.next()? {
        if let Some(f) = out.get_mut(&CustomerId(r.get(0)?)) {
            f.disputed_invoices = r.get(1)?;
        }
    }
    let alerts = crate::usage::alerts::Filter {
        customer: only,
        ..Default::default()
    };
    for a in crate::usage::alerts::list(conn, alerts)? {
        if let Some(f) = a.customer_id.and_then(|c| out.get_mut(&c)) {
            f.alerts.push(OpenAlert {
                kind: a.kind,
                severity: a.severity,
                title_en: a.title_en,
                title_zh: a.title_zh,
            });
        }
    }
    for n in crate::usage::notices::list(conn, now)? {
        if n.respond_overdue || n.mitigate_overdue {
            if let Some(f) = n.customer_id.filter(in_scope).and_then(|c| out.get_mut(&c)) {
                f.notices_overdue.push(n.title);
            }
        }
    }
    for i in crate::usage::incidents::list(conn, only)? {
        if i.closed_at.is_none() {
            if let Some(f) = out.get_mut(&i.customer_id) {
                f.incidents_open.push((i.category, i.summary));
            }
        }
    }
    let mut owner = HashMap::new();
    for s in crate::subscription::all_open(conn, only)? {
        if let Some(f) = out.get_mut(&s.customer_id) {
            owner.insert(s.id, s.customer_id);
            f.subscriptions.push(s);
        }
    }
    for a in crate::subscription::seat_additions(conn, None)? {
        if let Some(f) = owner.get(&a.subscription_id).and_then(|c| out.get_mut(c)) {
            f.seats.push(a);
        }
    }
    // Credit: payments and credit notes in the customer's currency not allocated to invoices.
    let mut stmt = conn.prepare(
        "SELECT p.customer_id, sum(p.amount_minor - COALESCE((SELECT sum(a.amount_minor) FROM allocations a WHERE a.payment_id = p.id), 0))
         FROM payments p JOIN customers c ON c.id = p.customer_id AND c.currency = p.currency
         WHERE NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id)
           AND (?1 IS NULL OR p.customer_id = ?1)
         GROUP BY p.customer_id",
    )?;
    let mut rows = stmt.query([one])?;
    while let Some(r) = rows.next()? {
        if let Some(f) = out.get_mut(&CustomerId(r.get(0)?)) {
            f.credit_minor = r.get::<_, i64>(1)?.max(0);
        }
    }
    for r in crate::customer::admin_relationships(conn, only)? {
        if r.global_admin && r.active_on(as_of) {
            if let Some(f) = out.get_mut(&r.customer_id) {
                f.global_admin_relationship = true;
            }
        }
    }
    let mut stmt = conn.prepare(
        "SELECT customer_id, max(received_on) FROM prepayment_requests
         WHERE received_on IS NOT NULL AND (?1 IS NULL OR customer_id = ?1) GROUP BY customer_id",
    )?;
    let mut rows = stmt.query([one])?;
    while let Some(r) = rows.next()? {
        if let Some(f) = out.get_mut(&CustomerId(r.get(0)?)) {
            f.last_prepayment = Some(crate::store::parse_day(&r.get::<_, String>(1)?)?);
        }
    }
    Ok(out)
}
