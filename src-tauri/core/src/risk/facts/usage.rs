//! What a customer used and bought that is not invoiced yet, in its invoicing currency:
//! the usage and purchases in its exposure, and what Microsoft credits paid beside them.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use rust_decimal::Decimal;

use super::Facts;
use crate::ids::CustomerId;
use crate::money::{add_by_currency, Currency};
use crate::Result;

/// Usage not invoiced yet, in each customer's invoicing currency: every usage day after the
/// last day a billed file covered (the last invoiced period; at most 92 days back when
/// nothing was billed yet), converted at each day's rate. Usage no rate converts is kept
/// apart in `usage_unconverted` (shown, never read as zero).
pub(super) fn usage_not_invoiced(
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
