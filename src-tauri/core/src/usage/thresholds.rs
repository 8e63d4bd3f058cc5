//! The detectors' thresholds (settings `usage.*`) and what they know of a customer's books
//! (first payment, credit limit, overdue invoices).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;

use super::series::col_str;
use crate::ids::CustomerId;
use crate::money::Money;
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
    /// ...and at least this much above it (major units of the customer's currency).
    pub spike_min_excess: Decimal,
    pub gpu_ratio: Decimal,
    pub egress_ratio: Decimal,
    /// GB a day above the baseline before an egress jump counts.
    pub egress_min_gb: Decimal,
    pub messaging_ratio: Decimal,
    pub messaging_min: Decimal,
    /// Usage in the first days: this many days from the first usage...
    pub first_days: i64,
    /// ...reaching this share (percent) of the credit limit before any payment.
    pub first_days_limit_percent: Decimal,
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
            spike_min_excess: Decimal::from(1000),
            gpu_ratio: Decimal::from(3),
            egress_ratio: Decimal::from(10),
            egress_min_gb: Decimal::from(50),
            messaging_ratio: Decimal::from(10),
            messaging_min: Decimal::from(1000),
            first_days: 14,
            first_days_limit_percent: Decimal::from(25),
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
    "usage.gpu_ratio",
    "usage.egress_ratio",
    "usage.egress_min_gb",
    "usage.messaging_ratio",
    "usage.messaging_min",
    "usage.first_days",
    "usage.first_days_limit_percent",
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
            self.gpu_ratio.to_string(),
            self.egress_ratio.to_string(),
            self.egress_min_gb.to_string(),
            self.messaging_ratio.to_string(),
            self.messaging_min.to_string(),
            self.first_days.to_string(),
            self.first_days_limit_percent.to_string(),
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
                "invalid",
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
                    "invalid",
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
            "usage.gpu_ratio" => self.gpu_ratio = dec()?,
            "usage.egress_ratio" => self.egress_ratio = dec()?,
            "usage.egress_min_gb" => self.egress_min_gb = dec()?,
            "usage.messaging_ratio" => self.messaging_ratio = dec()?,
            "usage.messaging_min" => self.messaging_min = dec()?,
            "usage.first_days" => self.first_days = days()?,
            "usage.first_days_limit_percent" => self.first_days_limit_percent = dec()?,
            "usage.overdue_days" => self.overdue_days = days()?,
            "usage.overdue_growth_percent" => self.overdue_growth_percent = dec()?,
            _ => return Err(crate::Error::field(name, "unknown", "not a usage setting")),
        }
        Ok(())
    }
}

/// What the detectors know of a customer beyond usage (from the receivables).
#[derive(Debug, Clone, Default)]
pub struct Books {
    pub first_payment: Option<NaiveDate>,
    pub credit_limit: Option<Money>,
    /// Overdue amount and the most days overdue, as of the evaluation day.
    pub overdue: Option<(Money, i64)>,
}

/// The customers whose books the detectors need, keyed by id.
pub fn books(conn: &Connection, as_of: NaiveDate) -> Result<BTreeMap<CustomerId, Books>> {
    let mut out: BTreeMap<CustomerId, Books> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.currency, c.credit_limit_minor, (SELECT min(received_on) FROM payments p WHERE p.customer_id = c.id AND p.kind = 'payment')
         FROM customers c WHERE EXISTS (SELECT 1 FROM usage_tenants t WHERE t.customer_id = c.id)",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let currency = crate::store::currency_of(col_str(r, 1)?)?;
        let limit: i64 = r.get(2)?;
        let first: Option<String> = r.get(3)?;
        out.insert(
            CustomerId(r.get(0)?),
            Books {
                first_payment: first.map(|f| crate::store::parse_day(&f)).transpose()?,
                credit_limit: (limit > 0).then(|| Money::new(limit, currency)),
                overdue: None,
            },
        );
    }
    for item in crate::receivables::open_items(conn, as_of, None)? {
        if item.days_overdue <= 0 || item.due.minor <= 0 {
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
