//! What the risk model knows of each customer, read from the records in a few set-based
//! queries (so scoring thousands of customers stays fast).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{LazyLock, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection};
use rust_decimal::Decimal;

use crate::customer::OnboardingItem;
use crate::ids::CustomerId;
use crate::money::{add_by_currency, Currency, Money};
use crate::receivables::{promise_state, PromiseState, ReturnReason};
use crate::store::currency_of;
use crate::subscription::{SeatAddition, Subscription};
use crate::Result;

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

/// A customer's identity as written in the record: what its look-alike keys are read from.
#[derive(PartialEq, Eq, Hash)]
struct Written {
    email: String,
    billing_email: String,
    phone: String,
    address: String,
    contact: String,
    tax_id: String,
    country: String,
}

/// The keys [`Written`] gives, for [`Facts`].
#[derive(Clone, Debug, PartialEq)]
struct IdentityKeys {
    email_domain: String,
    mailboxes: Vec<String>,
    phone: String,
    address: String,
    places: Vec<String>,
    contact: (String, Vec<String>),
    tax_id: String,
}

impl Written {
    fn keys(&self) -> IdentityKeys {
        let address = crate::identity::address(&self.address);
        IdentityKeys {
            email_domain: crate::identity::email_domain(&self.email),
            mailboxes: public_mailboxes(
                &std::iter::once(self.email.as_str())
                    .chain(crate::mail::recipients(&self.billing_email))
                    .collect::<Vec<_>>(),
            ),
            phone: crate::identity::phone(&self.phone, &self.country),
            places: crate::identity::place_of(&address, &self.address),
            address,
            contact: (
                self.contact.trim().to_string(),
                crate::identity::person(&self.contact),
            ),
            tax_id: crate::identity::tax_key(&self.tax_id, &self.country),
        }
    }
}

impl IdentityKeys {
    fn fill(self, f: &mut Facts) {
        f.email_domain = self.email_domain;
        f.mailboxes = self.mailboxes;
        f.phone = self.phone;
        f.address = self.address;
        f.places = self.places;
        f.contact = self.contact;
        f.tax_id = self.tax_id;
    }
}

/// The identity keys derived so far, by the text they were derived from. Deriving them (the
/// address, the contact person, the phone...) is most of reading every customer's facts,
/// and a record's keys change only when its text does: scoring again after a write derives
/// only the records it changed. Emptied when it would hold more than [`KEYS_KEPT`] (each
/// entry is the record's text and its keys, about a kilobyte): a larger book derives the
/// rest each time, as it did before anything was kept.
static KEYS: LazyLock<Mutex<HashMap<Written, IdentityKeys>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
/// (Small in the crate's own tests, so that going past it is quick to test.)
const KEYS_KEPT: usize = if cfg!(test) { 500 } else { 20_000 };

/// The identity keys of `written`, derived (on all cores) only where not kept already.
fn identity_keys(written: Vec<(CustomerId, Written)>) -> Vec<(CustomerId, IdentityKeys)> {
    // A poisoned lock holds whole entries (each is inserted at once): still good to read.
    let lock = || KEYS.lock().unwrap_or_else(|e| e.into_inner());
    let mut out = Vec::with_capacity(written.len());
    let mut missing = Vec::new();
    {
        let kept = lock();
        for (id, w) in written {
            match kept.get(&w) {
                Some(k) => out.push((id, k.clone())),
                None => missing.push((id, w)),
            }
        }
    }
    let derived = crate::parallel::map(&missing, |(id, w)| (*id, w.keys()));
    let mut kept = lock();
    if kept.len() + missing.len() > KEYS_KEPT {
        kept.clear();
    }
    for ((_, w), (_, k)) in missing.into_iter().zip(&derived) {
        if kept.len() < KEYS_KEPT {
            kept.insert(w, k.clone());
        }
    }
    out.extend(derived);
    out
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

/// The mailboxes among `addresses` at free-mail providers, each in one form, once.
fn public_mailboxes(addresses: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = addresses
        .iter()
        .filter(|a| crate::identity::is_public_mail(&crate::identity::email_domain(a)))
        .map(|a| crate::identity::mailbox(a))
        .filter(|m| !m.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Usage not invoiced yet, in each customer's invoicing currency: every usage day after the
/// last day a billed file covered (the last invoiced period; at most 92 days back when
/// nothing was billed yet), converted at each day's rate. Usage no rate converts is kept
/// apart in `usage_unconverted` (shown, never read as zero).
fn usage_not_invoiced(
    conn: &Connection,
    as_of: NaiveDate,
    only: Option<CustomerId>,
    out: &mut BTreeMap<CustomerId, Facts>,
) -> Result<()> {
    let earliest = as_of - chrono::Duration::days(crate::usage::evaluate::WINDOW_DAYS);
    let mut billed: HashMap<i64, NaiveDate> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT t.customer_id, max(d.usage_date) FROM usage_days d JOIN usage_tenants t ON t.tenant_id = d.tenant_id
         WHERE d.usage_date >= ?1 AND d.billed = 1 AND t.customer_id IS NOT NULL
           AND (?2 IS NULL OR t.customer_id = ?2)
         GROUP BY t.customer_id",
    )?;
    // Billed days before the window do not matter: every day loaded is after them.
    let mut rows = stmt.query(params![earliest.to_string(), only.map(|c| c.0)])?;
    while let Some(r) = rows.next()? {
        let day: String = r.get(1)?;
        billed.insert(r.get(0)?, crate::store::parse_day(&day)?);
    }
    let rates = crate::usage::rates::Rates::load(conn)?;
    for u in crate::usage::series::load(conn, earliest, as_of, only)? {
        let Some(f) = out.get_mut(&u.customer_id) else {
            continue;
        };
        let after = billed.get(&u.customer_id.0).copied();
        let mut total = Decimal::ZERO;
        // What credits paid: converted, and where no rate converts it (rounded once each).
        let (mut credited, mut credited_apart) = (Decimal::ZERO, Decimal::ZERO);
        for (d, day) in &u.days {
            if after.is_some_and(|b| *d <= b) {
                continue;
            }
            if !day.credited.is_zero() {
                match rates.convert(day.credited, u.currency, u.invoice_currency, *d) {
                    Some(v) => credited += v,
                    None => credited_apart += day.credited,
                }
            }
            // A day that costs nothing (usage a reservation or a credit covers) needs no rate.
            if day.spend.is_zero() {
                continue;
            }
            match rates.convert(day.spend, u.currency, u.invoice_currency, *d) {
                Some(v) => total += v,
                None => add_by_currency(
                    &mut f.usage_unconverted,
                    crate::usage::series::money(day.spend, u.currency),
                ),
            }
        }
        for x in &u.unconverted {
            if after.is_none_or(|b| x.day > b) && x.amount.minor != 0 {
                add_by_currency(&mut f.usage_unconverted, x.amount);
            }
        }
        if u.currency != u.invoice_currency {
            f.usage_rate = rates
                .conversion(u.currency, u.invoice_currency, as_of)
                .map(|c| (c.en, c.zh));
        }
        f.usage_minor = crate::usage::series::to_minor(total, u.invoice_currency);
        for (amount, currency) in [(credited, u.invoice_currency), (credited_apart, u.currency)] {
            let paid = crate::usage::series::money(amount, currency);
            if paid.minor != 0 {
                add_by_currency(&mut f.usage_credited, paid);
            }
        }
    }
    purchases_not_invoiced(conn, earliest, as_of, only, &billed, &rates, out)
}

/// Purchases (reservations, Marketplace) not invoiced yet: those of unbilled files, after
/// the customer's last billed usage day, converted at each day's rate as usage is.
fn purchases_not_invoiced(
    conn: &Connection,
    earliest: NaiveDate,
    as_of: NaiveDate,
    only: Option<CustomerId>,
    billed: &HashMap<i64, NaiveDate>,
    rates: &crate::usage::rates::Rates,
    out: &mut BTreeMap<CustomerId, Facts>,
) -> Result<()> {
    let mut stmt = conn.prepare(crate::usage::purchases::UNBILLED)?;
    let mut rows = stmt.query([earliest.to_string(), as_of.to_string()])?;
    let mut totals: BTreeMap<i64, Decimal> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let Some(id) = r.get::<_, Option<i64>>(0)? else {
            continue;
        };
        if only.is_some_and(|c| c.0 != id) {
            continue;
        }
        let day = crate::store::parse_day(&r.get::<_, String>(1)?)?;
        let Some(f) = out.get_mut(&CustomerId(id)) else {
            continue;
        };
        if billed.get(&id).is_some_and(|b| day <= *b) {
            continue;
        }
        let (Some(from), Some(to)) = (Currency::parse(&r.get::<_, String>(2)?), f.currency) else {
            continue;
        };
        let total: Decimal = r
            .get::<_, String>(3)?
            .parse()
            .map_err(|_| crate::Error::Invalid("a stored purchase total is not a number".into()))?;
        match rates.convert(total, from, to, day) {
            Some(v) => *totals.entry(id).or_default() += v,
            None => add_by_currency(
                &mut f.usage_unconverted,
                crate::usage::series::money(total, from),
            ),
        }
    }
    for (id, total) in totals {
        if let Some(f) = out.get_mut(&CustomerId(id)) {
            if let Some(c) = f.currency {
                f.purchases_minor = crate::usage::series::to_minor(total, c);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More records than are kept, twice over: each comes back with the keys its own text
    /// gives (kept or derived again), and no more than the bound is kept.
    #[test]
    fn identity_keys_beyond_the_bound_are_each_the_records_own() {
        let written = |n: usize| -> Vec<(CustomerId, Written)> {
            (0..n)
                .map(|i| {
                    let w = Written {
                        email: format!("ap{i}@bound{}.example", i % 7),
                        billing_email: String::new(),
                        phone: format!("02-2711-{:04}", i % 10_000),
                        address: format!("{} Keep Road, Taipei", i % 97),
                        contact: format!("Bound Person {i}"),
                        tax_id: format!("{:08}", i),
                        country: "TW".into(),
                    };
                    (CustomerId(i as i64), w)
                })
                .collect()
        };
        let n = KEYS_KEPT + 10;
        for _ in 0..3 {
            // (Kept ones come first: the order is not the records'.)
            let mut got = identity_keys(written(n));
            got.sort_by_key(|(id, _)| id.0);
            assert_eq!(got.len(), n);
            for ((id, keys), (wid, w)) in got.iter().zip(written(n)) {
                assert_eq!(*id, wid);
                assert_eq!(*keys, w.keys());
            }
            assert!(KEYS.lock().unwrap_or_else(|e| e.into_inner()).len() <= KEYS_KEPT);
        }
    }
}
