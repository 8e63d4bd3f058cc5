//! The detectors' thresholds (settings `usage.*`) and what they know of a customer's books
//! (first payment, credit limit, overdue invoices).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;

use crate::error::Code;
use crate::ids::CustomerId;
use crate::money::{Currency, Money};
use crate::Result;

/// Detector thresholds, each a setting `usage.<name>` (decimal text).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub baseline_days: i64,
    pub min_history_days: i64,
    /// Daily spend at least this many times the baseline median...
    pub spike_ratio: Decimal,
    /// ...and this many robust standard deviations (1.4826 × MAD) above it...
    pub spike_mads: Decimal,
    /// ...and at least this much above it (in the reference currency).
    pub spike_min_excess: Decimal,
    /// The currency the amount thresholds below are written in; each is converted to the
    /// customer's usage currency at the day's rate, so a VND, JPY or IDR customer is judged
    /// like a TWD one.
    pub reference_currency: Currency,
    pub gpu_ratio: Decimal,
    /// GPU/HPC or large-VM hours in a day that make it "around the clock" (one VM most of
    /// the day, or several): the crypto-mining shape; less is a job.
    pub gpu_sustained_hours: Decimal,
    /// ...and at least this much spent on them that day (reference currency).
    pub gpu_min_amount: Decimal,
    pub egress_ratio: Decimal,
    /// GB a day above the baseline before an egress jump counts.
    pub egress_min_gb: Decimal,
    pub messaging_ratio: Decimal,
    pub messaging_min: Decimal,
    /// Usage in the first days: this many days from the first usage...
    pub first_days: i64,
    /// ...reaching this share (percent) of the credit limit before any payment.
    pub first_days_limit_percent: Decimal,
    /// ...or reaching this amount (reference currency), credit limit or not.
    pub first_days_min_amount: Decimal,
    /// Overdue: invoices at least this many days overdue...
    pub overdue_days: i64,
    /// ...while the last 7 days' spend is at least this percent of the 7 before.
    pub overdue_growth_percent: Decimal,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            baseline_days: 28,
            min_history_days: 14,
            spike_ratio: Decimal::from(3),
            spike_mads: Decimal::from(6),
            spike_min_excess: Decimal::from(30),
            reference_currency: Currency::parse("USD").expect("USD is known"),
            gpu_ratio: Decimal::from(3),
            gpu_sustained_hours: Decimal::from(20),
            gpu_min_amount: Decimal::from(20),
            egress_ratio: Decimal::from(10),
            egress_min_gb: Decimal::from(50),
            messaging_ratio: Decimal::from(10),
            messaging_min: Decimal::from(1000),
            first_days: 14,
            first_days_limit_percent: Decimal::from(25),
            first_days_min_amount: Decimal::from(300),
            overdue_days: 14,
            overdue_growth_percent: Decimal::from(125),
        }
    }
}

/// The settings' names, their defaults and what they mean (for `settings list`).
pub const SETTING_NAMES: &[&str] = &[
    "usage.baseline_days",
    "usage.min_history_days",
    "usage.spike_ratio",
    "usage.spike_mads",
    "usage.spike_min_excess",
    "usage.reference_currency",
    "usage.gpu_ratio",
    "usage.gpu_sustained_hours",
    "usage.gpu_min_amount",
    "usage.egress_ratio",
    "usage.egress_min_gb",
    "usage.messaging_ratio",
    "usage.messaging_min",
    "usage.first_days",
    "usage.first_days_limit_percent",
    "usage.first_days_min_amount",
    "usage.overdue_days",
    "usage.overdue_growth_percent",
];

impl Settings {
    /// The stored settings; a missing one is its default.
    pub fn load(conn: &Connection) -> Result<Settings> {
        let mut s = Settings::default();
        for name in SETTING_NAMES {
            if let Some(v) = crate::store::settings::get(conn, name)? {
                s.apply(name, &v)?;
            }
        }
        Ok(s)
    }

    /// Each setting's name and value, in [`SETTING_NAMES`] order.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        let v = [
            self.baseline_days.to_string(),
            self.min_history_days.to_string(),
            self.spike_ratio.to_string(),
            self.spike_mads.to_string(),
            self.spike_min_excess.to_string(),
            self.reference_currency.code().to_string(),
            self.gpu_ratio.to_string(),
            self.gpu_sustained_hours.to_string(),
            self.gpu_min_amount.to_string(),
            self.egress_ratio.to_string(),
            self.egress_min_gb.to_string(),
            self.messaging_ratio.to_string(),
            self.messaging_min.to_string(),
            self.first_days.to_string(),
            self.first_days_limit_percent.to_string(),
            self.first_days_min_amount.to_string(),
            self.overdue_days.to_string(),
            self.overdue_growth_percent.to_string(),
        ];
        SETTING_NAMES.iter().copied().zip(v).collect()
    }

    /// Checks and applies one setting (`usage.spike_ratio` = `3`).
    pub fn apply(&mut self, name: &str, value: &str) -> Result<()> {
        let bad = || {
            crate::Error::field(
                name,
                Code::Invalid,
                format!("{value:?}: a positive number is expected"),
            )
        };
        let dec = || -> Result<Decimal> {
            let d: Decimal = value.trim().parse().map_err(|_| bad())?;
            if d <= Decimal::ZERO || d > Decimal::from(1_000_000_000) {
                return Err(bad());
            }
            Ok(d)
        };
        let days = || -> Result<i64> {
            match value.trim().parse::<i64>() {
                Ok(v) if (1..=365).contains(&v) => Ok(v),
                _ => Err(crate::Error::field(
                    name,
                    Code::Invalid,
                    format!("{value:?}: whole days from 1 to 365"),
                )),
            }
        };
        match name {
            "usage.baseline_days" => self.baseline_days = days()?,
            "usage.min_history_days" => self.min_history_days = days()?,
            "usage.spike_ratio" => self.spike_ratio = dec()?,
            "usage.spike_mads" => self.spike_mads = dec()?,
            "usage.spike_min_excess" => self.spike_min_excess = dec()?,
            "usage.reference_currency" => {
                self.reference_currency = Currency::parse(value.trim()).ok_or_else(|| {
                    crate::Error::field(
                        name,
                        Code::Invalid,
                        format!("{value:?}: an ISO 4217 currency code such as USD or TWD"),
                    )
                })?
            }
            "usage.gpu_ratio" => self.gpu_ratio = dec()?,
            "usage.gpu_sustained_hours" => {
                self.gpu_sustained_hours = dec()?;
                if self.gpu_sustained_hours > Decimal::from(100_000) {
                    return Err(bad());
                }
            }
            "usage.gpu_min_amount" => self.gpu_min_amount = dec()?,
            "usage.egress_ratio" => self.egress_ratio = dec()?,
            "usage.egress_min_gb" => self.egress_min_gb = dec()?,
            "usage.messaging_ratio" => self.messaging_ratio = dec()?,
            "usage.messaging_min" => self.messaging_min = dec()?,
            "usage.first_days" => self.first_days = days()?,
            "usage.first_days_limit_percent" => self.first_days_limit_percent = dec()?,
            "usage.first_days_min_amount" => self.first_days_min_amount = dec()?,
            "usage.overdue_days" => self.overdue_days = days()?,
            "usage.overdue_growth_percent" => self.overdue_growth_percent = dec()?,
            _ => {
                return Err(crate::Error::field(
                    name,
                    Code::Unknown,
                    "not a usage setting",
                ))
            }
        }
        Ok(())
    }
}

/// What the detectors know of a customer beyond usage (from the receivables).
#[derive(Debug, Clone, Default)]
pub struct Books {
    /// The first payment, or the first prepayment received if earlier.
    pub first_payment: Option<NaiveDate>,
    pub credit_limit: Option<Money>,
    /// Overdue amount and the most days overdue, as of the evaluation day.
    pub overdue: Option<(Money, i64)>,
    /// The day the customer's record was created.
    pub created_on: Option<NaiveDate>,
    /// The first day of any usage kept (every tenant's): usage on it, or soon after it, may
    /// have started long before RiskDesk saw it, so it does not "appear" then.
    pub book_start: Option<NaiveDate>,
}

impl Books {
    /// Whether the customer's usage began inside the usage kept (a tenant that appeared
    /// after the book's first day, or a customer recorded around its first usage): only
    /// then are its first days, or a resource present from its first day, new.
    pub fn usage_is_new(&self, first_usage: NaiveDate, first_days: i64) -> bool {
        self.book_start.is_some_and(|b| first_usage > b)
            || self.created_on.is_some_and(|c| {
                c >= first_usage - chrono::Duration::days(30)
                    && c <= first_usage + chrono::Duration::days(first_days)
            })
    }
}

/// The customers whose books the detectors need, keyed by id.
pub fn books(conn: &Connection, as_of: NaiveDate) -> Result<BTreeMap<CustomerId, Books>> {
    let mut out: BTreeMap<CustomerId, Books> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.currency, c.credit_limit_minor, substr(c.created_at, 1, 10), (SELECT min(usage_date) FROM usage_days),
                min(coalesce((SELECT min(received_on) FROM payments p WHERE p.customer_id = c.id AND p.kind = 'payment'
                                     AND NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id)), '9999-12-31'),
                    coalesce((SELECT min(received_on) FROM prepayment_requests q WHERE q.customer_id = c.id AND q.received_on IS NOT NULL), '9999-12-31'))
         FROM customers c WHERE EXISTS (SELECT 1 FROM usage_tenants t WHERE t.customer_id = c.id)",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let currency: crate::money::Currency = r.get(1)?;
        let limit: i64 = r.get(2)?;
        let first: Option<String> = r.get::<_, Option<String>>(5)?.filter(|f| f != "9999-12-31");
        let created: String = r.get(3)?;
        let book_start: Option<String> = r.get(4)?;
        out.insert(
            CustomerId(r.get(0)?),
            Books {
                first_payment: first.map(|f| crate::store::parse_day(&f)).transpose()?,
                credit_limit: (limit > 0).then(|| Money::new(limit, currency)),
                overdue: None,
                created_on: crate::dates::parse(&created).ok(),
                book_start: book_start
                    .map(|d| crate::store::parse_day(&d))
                    .transpose()?,
            },
        );
    }
    for item in crate::receivables::open_items(conn, as_of, None)? {
        // A disputed invoice is paused, not a customer ignoring its bills.
        if item.days_overdue <= 0 || item.due.minor <= 0 || item.disputed {
            continue;
        }
        if let Some(b) = out.get_mut(&item.customer_id) {
            let (sum, days) = b
                .overdue
                .get_or_insert((Money::new(0, item.due.currency), 0));
            if sum.currency == item.due.currency {
                sum.minor = sum.minor.saturating_add(item.due.minor);
            }
            *days = (*days).max(item.days_overdue);
        }
    }
    Ok(out)
}
