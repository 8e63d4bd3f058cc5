//! Daily usage per customer, as the budgets and detectors read it: the day's spend in the
//! customer's currency (exact decimals), per subscription, and the spend or quantity of
//! the meter classes the detectors watch; the first day each region was used.
//!
//! Currency: a customer's usage is kept in the currency it arrives in (the file's
//! `BillingCurrency`, which may differ from the currency the customer is invoiced in), its
//! **usage currency**: the currency of its latest usage day. A day in yet another currency
//! is converted into the usage currency at that day's rate ([`super::rates`]); a day that no
//! rate converts is listed in `unconverted` with its amount (never read as zero), and its
//! quantities (hours, GB, messages) still count, as they need no rate.
//!
//! Money: a day's spend is the exact sum of the file's amounts, less the part a Microsoft
//! credit pays (Partner Center's `CreditPercentage`, a FOCUS credit row): what the day is
//! billed. The watched classes' spend (GPU, large VMs) is their whole cost, credit or not:
//! misuse on a credit is misuse still. A figure shown or compared with a budget is that
//! exact sum rounded once, half away from zero, to the currency's minor unit ([`to_minor`]).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::ids::CustomerId;
use crate::money::{Currency, Money};
use crate::store::{currency_of, parse_day};
use crate::Result;

/// One customer's day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Day {
    /// What the day is billed: the file's amounts less what credits pay.
    pub spend: Decimal,
    /// What credits paid of the day (not in `spend`).
    pub credited: Decimal,
    pub by_subscription: BTreeMap<String, Decimal>,
    /// Spend and hours of GPU/HPC virtual machines, and of large VMs.
    pub gpu_spend: Decimal,
    pub gpu_hours: Decimal,
    pub large_vm_spend: Decimal,
    pub large_vm_hours: Decimal,
    /// Gigabytes of outbound data transfer; messages sent (normalised by unit).
    pub egress: Decimal,
    pub messaging: Decimal,
}

/// Usage of a day that no rate converts into the usage currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Unconverted {
    pub day: NaiveDate,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomerUsage {
    pub customer_id: CustomerId,
    pub name: String,
    /// The usage currency: what the customer's usage arrives in (see the module's note).
    pub currency: Currency,
    /// The currency the customer is invoiced in.
    pub invoice_currency: Currency,
    pub days: BTreeMap<NaiveDate, Day>,
    /// Each region (normalised) and the first day it was used, over all history.
    pub regions: BTreeMap<String, NaiveDate>,
    /// The first day with any usage, over all history.
    pub first_day: Option<NaiveDate>,
    /// Days (or parts of days) in another currency that no rate converts.
    pub unconverted: Vec<Unconverted>,
    /// The latest rate other-currency amounts were converted at: its day and the rate in
    /// words (English, Chinese).
    pub conversion: Option<(NaiveDate, String, String)>,
}

/// The exact amount in minor units, rounded once, half away from zero.
pub fn to_minor(amount: Decimal, currency: Currency) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    let scaled = amount
        .checked_mul(Decimal::from(10i64.pow(currency.exponent())))
        .unwrap_or(if amount.is_sign_negative() {
            Decimal::MIN
        } else {
            Decimal::MAX
        })
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    scaled.to_i64().unwrap_or(if scaled.is_sign_negative() {
        i64::MIN
    } else {
        i64::MAX
    })
}

pub fn money(amount: Decimal, currency: Currency) -> Money {
    Money::new(to_minor(amount, currency), currency)
}

/// Usage of every customer linked to a tenant (or of one), days in `[from, to]`.
pub fn load(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    customer: Option<CustomerId>,
) -> Result<Vec<CustomerUsage>> {
    load_split(conn, from, to, customer, None)
}

/// The same; spend per subscription only for the customers in `split` (those with a
/// budget per subscription), which keeps evaluating thousands of customers fast.
pub fn load_split(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    customer: Option<CustomerId>,
    split: Option<&std::collections::BTreeSet<CustomerId>>,
) -> Result<Vec<CustomerUsage>> {
    let only = customer.map(|c| c.0);
    let mut out: HashMap<i64, CustomerUsage> = HashMap::new();
    // The usage currency: that of the customer's latest usage day loaded (any subscription),
    // in one pass over the days asked for. Here and below, the linked tenants first (CROSS
    // JOIN keeps SQLite to that order), each one's days found by its key: led by the date
    // index instead, the planner read every tenant's days in the range, linked or not, a
    // row at a time (2.5 times as slow over a million days).
    let mut latest: HashMap<i64, (String, String)> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT t.customer_id, d.currency, max(d.usage_date)
             FROM usage_tenants t CROSS JOIN usage_days d ON d.tenant_id = t.tenant_id
             WHERE t.customer_id IS NOT NULL AND (?1 IS NULL OR t.customer_id = ?1)
               AND d.usage_date BETWEEN ?2 AND ?3
             GROUP BY t.customer_id, d.currency",
        )?;
        let mut rows = stmt.query(params![only, from.to_string(), to.to_string()])?;
        while let Some(r) = rows.next()? {
            let (id, currency, day): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let e = latest
                .entry(id)
                .or_insert_with(|| (day.clone(), currency.clone()));
            if (day.as_str(), currency.as_str()) > (e.0.as_str(), e.1.as_str()) {
                *e = (day, currency);
            }
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.legal_name, c.currency, min(t.first_day)
         FROM customers c
         JOIN usage_tenants t ON t.customer_id = c.id
         WHERE t.first_day IS NOT NULL AND (?1 IS NULL OR c.id = ?1)
         GROUP BY c.id",
    )?;
    let rows = stmt.query_map(params![only], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (id, name, currency, first) = row?;
        let usage_currency = latest.get(&id).map(|(_, c)| c.clone());
        let invoice_currency = currency_of(&currency)?;
        out.insert(
            id,
            CustomerUsage {
                customer_id: CustomerId(id),
                name,
                currency: match usage_currency {
                    Some(u) => currency_of(&u)?,
                    None => invoice_currency,
                },
                invoice_currency,
                days: BTreeMap::new(),
                regions: BTreeMap::new(),
                first_day: Some(parse_day(&first)?),
                unconverted: Vec::new(),
                conversion: None,
            },
        );
    }
    let rates = super::rates::Rates::load(conn)?;
    let (from_text, to_text) = (from.to_string(), to.to_string());
    let mut stmt = conn.prepare_cached(
        "SELECT t.customer_id, d.subscription, d.usage_date, d.currency, d.total,
                d.gpu_cost, d.large_vm_cost, d.egress_qty, d.messaging_qty, d.gpu_hours, d.large_vm_hours,
                d.credited
         FROM usage_tenants t CROSS JOIN usage_days d ON d.tenant_id = t.tenant_id
         WHERE t.customer_id IS NOT NULL AND (?1 IS NULL OR t.customer_id = ?1)
           AND d.usage_date BETWEEN ?2 AND ?3",
    )?;
    let mut rows = stmt.query(params![only, from_text, to_text])?;
    while let Some(r) = rows.next()? {
        let Some(c) = out.get_mut(&r.get::<_, i64>(0)?) else {
            continue;
        };
        let date = parse_day(col_str(r, 2)?)?;
        // What the day is billed: the file's total less what credits pay.
        let credited = decimal(col_str(r, 11)?)?;
        let billed = |total: Decimal| total.checked_sub(credited).unwrap_or(total);
        // The factor that turns this day's money into the usage currency (None: no rate).
        let factor = if col_str(r, 3)? == c.currency.code() {
            Some(Decimal::ONE)
        } else {
            let from = currency_of(col_str(r, 3)?)?;
            match rates.conversion(from, c.currency, date) {
                Some(conv) => {
                    if c.conversion.as_ref().is_none_or(|(d, _, _)| *d <= date) {
                        c.conversion = Some((date, conv.en, conv.zh));
                    }
                    Some(conv.factor)
                }
                None => {
                    let amount = money(billed(decimal(col_str(r, 4)?)?), from);
                    match c
                        .unconverted
                        .iter_mut()
                        .find(|u| u.day == date && u.amount.currency == from)
                    {
                        Some(u) => u.amount.minor = u.amount.minor.saturating_add(amount.minor),
                        None => c.unconverted.push(Unconverted { day: date, amount }),
                    }
                    None
                }
            }
        };
        let day = c.days.entry(date).or_default();
        sat(&mut day.gpu_hours, decimal(col_str(r, 9)?)?);
        sat(&mut day.large_vm_hours, decimal(col_str(r, 10)?)?);
        sat(&mut day.egress, decimal(col_str(r, 7)?)?);
        sat(&mut day.messaging, decimal(col_str(r, 8)?)?);
        let Some(factor) = factor else {
            continue;
        };
        let in_usage = |text: &str| -> rusqlite::Result<Decimal> {
            let v = decimal(text)?;
            Ok(if factor == Decimal::ONE {
                v
            } else {
                v.checked_mul(factor).unwrap_or(Decimal::MAX)
            })
        };
        // The spend (budgets, exposure, the spend detectors) is what is billed; the watched
        // classes below keep their whole cost: misuse paid by a credit is misuse still.
        let total = billed(decimal(col_str(r, 4)?)?);
        let total = if factor == Decimal::ONE {
            total
        } else {
            total.checked_mul(factor).unwrap_or(Decimal::MAX)
        };
        sat(&mut day.spend, total);
        let sub = col_str(r, 1)?;
        if split.is_some_and(|s| !s.contains(&c.customer_id)) {
            // No budget of this customer needs the split.
        } else if let Some(v) = day.by_subscription.get_mut(sub) {
            sat(v, total);
        } else {
            day.by_subscription.insert(sub.to_string(), total);
        }
        sat(&mut day.credited, in_usage(col_str(r, 11)?)?);
        sat(&mut day.gpu_spend, in_usage(col_str(r, 5)?)?);
        sat(&mut day.large_vm_spend, in_usage(col_str(r, 6)?)?);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT t.customer_id, g.region, min(g.first_day)
         FROM usage_regions g JOIN usage_tenants t ON t.tenant_id = g.tenant_id
         WHERE t.customer_id IS NOT NULL AND (?1 IS NULL OR t.customer_id = ?1)
         GROUP BY t.customer_id, g.region",
    )?;
    let mut rows = stmt.query(params![only])?;
    while let Some(r) = rows.next()? {
        let Some(c) = out.get_mut(&r.get::<_, i64>(0)?) else {
            continue;
        };
        // One place however the files wrote it (`AP East` in one, `eastasia` in another).
        let place = super::region::region_place(col_str(r, 1)?).to_string();
        let first = parse_day(col_str(r, 2)?)?;
        let day = c.regions.entry(place).or_insert(first);
        *day = (*day).min(first);
    }
    let mut list: Vec<CustomerUsage> = out.into_values().collect();
    list.sort_by_key(|c| c.customer_id.0);
    Ok(list)
}

/// Adds `b` to `a`, staying at the largest value rather than overflowing (a panic).
fn sat(a: &mut Decimal, b: Decimal) {
    *a = a.checked_add(b).unwrap_or(Decimal::MAX);
}

/// A text column borrowed from the row (no allocation per row).
pub(crate) fn col_str<'a>(r: &'a rusqlite::Row, i: usize) -> rusqlite::Result<&'a str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn decimal(text: &str) -> rusqlite::Result<Decimal> {
    if text == "0" {
        return Ok(Decimal::ZERO);
    }
    text.parse()
        .map_err(|_| crate::store::bad_column(0, &format!("decimal {text:?}")))
}

/// The latest day with usage of any linked customer, if any.
pub fn latest_day(conn: &Connection) -> Result<Option<NaiveDate>> {
    let d: Option<String> = conn.query_row(
        "SELECT max(d.usage_date) FROM usage_days d JOIN usage_tenants t ON t.tenant_id = d.tenant_id WHERE t.customer_id IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    d.map(|d| parse_day(&d)).transpose().map_err(Into::into)
}

/// A customer's daily spend for a chart: each day rounded once to minor units.
#[derive(Debug, Clone, Serialize)]
pub struct DailySpend {
    pub day: NaiveDate,
    pub spend: Money,
}

pub fn daily_spend(usage: &CustomerUsage) -> Vec<DailySpend> {
    usage
        .days
        .iter()
        .map(|(d, day)| DailySpend {
            day: *d,
            spend: money(day.spend, usage.currency),
        })
        .collect()
}
