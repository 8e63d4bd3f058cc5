//! What the risk model knows of each customer, read from the records in a few set-based
//! queries (so scoring thousands of customers stays fast).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

use crate::customer::OnboardingItem;
use crate::ids::CustomerId;
use crate::money::{Currency, Money};
use crate::receivables::{promise_state, PromiseState};
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
    pub phone: String,
    pub address: String,
    pub tax_id: String,
    pub currency: Option<Currency>,
    pub credit_limit_minor: i64,
    pub checks_done: BTreeSet<String>,
    pub first_payment: Option<NaiveDate>,
    pub first_usage: Option<NaiveDate>,
    pub active_subscriptions: i64,
    /// Overdue amount (minor units, customer's currency) and the most days overdue.
    pub overdue_minor: i64,
    pub overdue_days: i64,
    pub open_minor: i64,
    pub disputed_invoices: i64,
    pub broken_promise: bool,
    /// Prepayment requests due and not received: count and amount.
    pub prepayments_missing: i64,
    /// Usage this month not invoiced yet (the month-to-date spend), minor units.
    pub usage_minor: i64,
    /// Open alerts.
    pub alerts: Vec<OpenAlert>,
    pub notices_overdue: Vec<String>,
    pub incidents_open: Vec<String>,
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

/// Every customer's facts as of `as_of` (and `now`, for notice deadlines).
pub fn gather(
    conn: &Connection,
    as_of: NaiveDate,
    now: DateTime<Utc>,
) -> Result<BTreeMap<CustomerId, Facts>> {
    let mut out: BTreeMap<CustomerId, Facts> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT c.id, c.legal_name, c.created_at, c.country, c.payment_instrument, c.card_present, c.admin_access,
                c.status, c.email, c.phone, c.address, c.tax_id, c.currency, c.credit_limit_minor,
                (SELECT min(received_on) FROM payments p WHERE p.customer_id = c.id AND p.kind = 'payment'),
                (SELECT min(t.first_day) FROM usage_tenants t WHERE t.customer_id = c.id),
                (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id AND s.status = 'active')
         FROM customers c WHERE c.status <> 'closed'",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let email: String = r.get(8)?;
        let currency: String = r.get(12)?;
        let first_payment: Option<String> = r.get(14)?;
        let first_usage: Option<String> = r.get(15)?;
        out.insert(
            CustomerId(r.get(0)?),
            Facts {
                name: r.get(1)?,
                created_at: r.get(2)?,
                country: r.get(3)?,
                instrument: r.get(4)?,
                card_present: r.get::<_, i64>(5)? == 1,
                admin_access: r.get(6)?,
                status: r.get(7)?,
                email_domain: email
                    .rsplit_once('@')
                    .map(|(_, d)| d.to_ascii_lowercase())
                    .unwrap_or_default(),
                phone: r
                    .get::<_, String>(9)?
                    .chars()
                    .filter(|c| c.is_ascii_digit())
                    .collect(),
                address: r
                    .get::<_, String>(10)?
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase(),
                tax_id: r.get::<_, String>(11)?.trim().to_string(),
                currency: Some(currency_of(&currency)?),
                credit_limit_minor: r.get(13)?,
                first_payment: first_payment
                    .map(|d| crate::store::parse_day(&d))
                    .transpose()?,
                first_usage: first_usage
                    .map(|d| crate::store::parse_day(&d))
                    .transpose()?,
                active_subscriptions: r.get(16)?,
                ..Default::default()
            },
        );
    }
    let mut stmt = conn.prepare("SELECT customer_id, item FROM onboarding_checks")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(f) = out.get_mut(&CustomerId(r.get(0)?)) {
            f.checks_done.insert(r.get(1)?);
        }
    }
    for item in crate::receivables::open_items(conn, as_of, None)? {
        let Some(f) = out.get_mut(&item.customer_id) else {
            continue;
        };
        if Some(item.due.currency) != f.currency {
            continue;
        }
        f.open_minor = f.open_minor.saturating_add(item.due.minor);
        if item.disputed {
            f.disputed_invoices += 1;
        }
        if item.days_overdue > 0 && item.due.minor > 0 && !item.disputed {
            f.overdue_minor = f.overdue_minor.saturating_add(item.due.minor);
            f.overdue_days = f.overdue_days.max(item.days_overdue);
        }
    }
    let promised: Vec<i64> = conn
        .prepare("SELECT DISTINCT customer_id FROM promises")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in promised {
        if let Some(f) = out.get_mut(&CustomerId(id)) {
            f.broken_promise = matches!(
                promise_state(conn, CustomerId(id), as_of)?,
                Some((_, PromiseState::Broken))
            );
        }
    }
    for p in crate::receivables::prepayments(conn, None)? {
        if p.due_on <= as_of {
            if let Some(f) = out.get_mut(&p.customer_id) {
                f.prepayments_missing += 1;
            }
        }
    }
    let start = chrono::Datelike::with_day(&as_of, 1).unwrap_or(as_of);
    for u in crate::usage::series::load(conn, start, as_of, None)? {
        if let Some(f) = out.get_mut(&u.customer_id) {
            let spend: rust_decimal::Decimal = u.days.values().map(|d| d.spend).sum();
            f.usage_minor = crate::usage::series::to_minor(spend, u.currency);
        }
    }
    for a in crate::usage::alerts::list(conn, Default::default())? {
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
            if let Some(f) = n.customer_id.and_then(|c| out.get_mut(&c)) {
                f.notices_overdue.push(n.title);
            }
        }
    }
    for i in crate::usage::incidents::list(conn, None)? {
        if i.closed_at.is_none() {
            if let Some(f) = out.get_mut(&i.customer_id) {
                f.incidents_open
                    .push(format!("{}: {}", i.category, i.summary));
            }
        }
    }
    let mut owner = HashMap::new();
    for s in crate::subscription::all_open(conn)? {
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
         GROUP BY p.customer_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(f) = out.get_mut(&CustomerId(r.get(0)?)) {
            f.credit_minor = r.get::<_, i64>(1)?.max(0);
        }
    }
    for r in crate::customer::admin_relationships(conn, None)? {
        if r.global_admin && r.active_on(as_of) {
            if let Some(f) = out.get_mut(&r.customer_id) {
                f.global_admin_relationship = true;
            }
        }
    }
    let mut stmt = conn.prepare(
        "SELECT customer_id, max(received_on) FROM prepayment_requests
         WHERE received_on IS NOT NULL GROUP BY customer_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(f) = out.get_mut(&CustomerId(r.get(0)?)) {
            f.last_prepayment = Some(crate::store::parse_day(&r.get::<_, String>(1)?)?);
        }
    }
    Ok(out)
}

/// Public mail providers: a shared one is not a link between customers.
pub const PUBLIC_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.com.tw",
    "icloud.com",
    "me.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "mail.com",
    "yandex.com",
    "qq.com",
    "163.com",
    "126.com",
    "hinet.net",
    "msa.hinet.net",
    "pchome.com.tw",
    "seed.net.tw",
    "naver.com",
];

/// Groups of customers created within `window_days` of each other that share something
/// that should be their own (a non-public e-mail domain, a phone, an address, a tax id):
/// for each customer in such a group, what is shared and with how many (in English and
/// Chinese).
pub fn lookalikes(
    facts: &BTreeMap<CustomerId, Facts>,
    window_days: i64,
    min: usize,
) -> HashMap<CustomerId, Vec<(String, String)>> {
    let mut groups: HashMap<(&'static str, String), Vec<(CustomerId, NaiveDate)>> = HashMap::new();
    for (id, f) in facts {
        let Some(created) = f
            .created_at
            .get(..10)
            .and_then(|d| crate::dates::parse(d).ok())
        else {
            continue;
        };
        let keys = [
            (
                "e-mail domain",
                (!f.email_domain.is_empty() && !PUBLIC_MAIL.contains(&f.email_domain.as_str()))
                    .then(|| f.email_domain.clone()),
            ),
            ("phone", (f.phone.len() >= 6).then(|| f.phone.clone())),
            (
                "address",
                (f.address.chars().count() >= 8).then(|| f.address.clone()),
            ),
            ("tax id", (!f.tax_id.is_empty()).then(|| f.tax_id.clone())),
        ];
        for (what, value) in keys {
            if let Some(v) = value {
                groups.entry((what, v)).or_default().push((*id, created));
            }
        }
    }
    let mut out: HashMap<CustomerId, Vec<(String, String)>> = HashMap::new();
    for ((what, value), mut members) in groups {
        if members.len() < min {
            continue;
        }
        members.sort_by_key(|(_, d)| *d);
        // Every window of `min` members created within `window_days`.
        let mut flagged = BTreeSet::new();
        for w in members.windows(min) {
            if (w[min - 1].1 - w[0].1).num_days() <= window_days {
                flagged.extend(w.iter().map(|(id, _)| *id));
            }
        }
        for id in &flagged {
            let what_zh = match what {
                "e-mail domain" => "電子郵件網域",
                "phone" => "電話",
                "address" => "地址",
                _ => "統一編號",
            };
            out.entry(*id).or_default().push((
                format!(
                    "{what} {value:?} shared by {} customers created within {window_days} days",
                    flagged.len()
                ),
                format!(
                    "{what_zh} {value:?} 由 {window_days} 天內建立的 {} 位客戶共用",
                    flagged.len()
                ),
            ));
        }
    }
    out
}
