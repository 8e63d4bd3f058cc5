//! What is left of the partner's credit line with Microsoft, and when each customer's money
//! is needed.
//!
//! **Headroom** = the limit − (Microsoft's invoices unpaid on the day − its credit notes not
//! applied yet + usage and purchases Microsoft has not billed yet + seat charges whose billing
//! period began this month). Usage not billed is every day of the unbilled usage files on or
//! before the day (with the reservations and Marketplace offers a FOCUS file bills that day),
//! from the first day of the month of Microsoft's latest invoice (that invoice bills the month
//! before; without any invoice, the last 92 days), each day converted at its own rate into the
//! limit's currency. Seat charges are valued at the subscription's price in RiskDesk (RiskDesk
//! does not know the partner's cost: the figure errs on the safe side). Amounts no rate
//! converts are listed apart, never counted as zero.
//!
//! **Cash gap**, per customer: Microsoft bills the partner for a month's charges when the
//! partner bills the customer, and wants its money the invoice's date + its payment terms
//! later. So each open invoice of the customer has a Microsoft due date (its issue date +
//! Microsoft's terms): past it, the partner has already paid Microsoft for what the customer
//! still owes ("paid out"); before it, the money is needed by then. The customer's usage and
//! seats not billed yet are due to Microsoft the first of next month + the terms. Customers
//! with money paid out come first, most first.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::{params, Connection, Transaction};
use rust_decimal::Decimal;
use serde::Serialize;

use super::invoices::{self, MsInvoice};
use super::CreditLine;
use crate::ids::CustomerId;
use crate::money::{add_by_currency, Currency, Money};
use crate::usage::alerts::{self, AlertKind, Finding};
use crate::usage::rates::Rates;
use crate::usage::series::to_minor;
use crate::{Ctx, Result};

/// One customer's money against Microsoft's calendar, in the line's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerGap {
    pub customer_id: CustomerId,
    pub legal_name: String,
    /// Owed by the customer past Microsoft's due date for the same charges: already paid out.
    pub paid_out: Money,
    /// The earliest Microsoft due date passed among those invoices.
    pub paid_out_since: Option<NaiveDate>,
    /// Owed by the customer, Microsoft's due date still ahead.
    pub upcoming: Money,
    /// The earliest of those Microsoft due dates.
    pub upcoming_due: Option<NaiveDate>,
    /// The customer's usage and seats Microsoft has not billed yet.
    pub unbilled: Money,
    /// When Microsoft will want the money for them.
    pub unbilled_due: NaiveDate,
    /// The customer's own earliest due date among its open invoices, and its latest payment.
    pub customer_due: Option<NaiveDate>,
    pub last_paid: Option<NaiveDate>,
    /// Amounts no rate converts into the line's currency, one sum per currency.
    pub unconverted: Vec<Money>,
}

/// The line on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Headroom {
    pub as_of: NaiveDate,
    pub line: CreditLine,
    /// The limit's currency (without a limit: the latest Microsoft invoice's, else TWD).
    pub currency: Currency,
    pub unpaid_invoices: Money,
    /// Microsoft's credit notes not applied or refunded on the day (zero or less).
    pub open_credits: Money,
    pub unbilled_usage: Money,
    pub seats_this_month: Money,
    /// The four together.
    pub used: Money,
    /// limit − used (None until a limit is set; negative past the limit).
    pub headroom: Option<Money>,
    /// used ÷ limit in hundredths of a percent (8,000 = 80 %), rounded down.
    pub used_basis_points: Option<i64>,
    /// The first usage day counted as not billed.
    pub unbilled_since: NaiveDate,
    /// Microsoft's invoices unpaid on the day, the earliest due first.
    pub unpaid: Vec<MsInvoice>,
    /// Its credit notes not applied on the day, the oldest first.
    pub credits: Vec<MsInvoice>,
    /// What no rate converts into `currency` (left out of `used`), one sum per currency.
    pub unconverted: Vec<Money>,
    /// Customers with anything owed or unbilled; those with money paid out first.
    pub customers: Vec<CustomerGap>,
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn next_month_start(d: NaiveDate) -> NaiveDate {
    month_start(d)
        .checked_add_months(Months::new(1))
        .unwrap_or(d)
}

/// `m` in `to` on `day` (None: no rate connects them).
fn convert(rates: &Rates, m: Money, to: Currency, day: NaiveDate) -> Option<i64> {
    if m.currency == to {
        return Some(m.minor);
    }
    let amount = Decimal::new(m.minor, m.currency.exponent());
    rates
        .convert(amount, m.currency, to, day)
        .map(|v| to_minor(v, to))
}

/// The billing periods of a seat subscription that begin in `[from, to]`: their charges.
fn periods_beginning(s: &crate::subscription::Subscription, from: NaiveDate, to: NaiveDate) -> i64 {
    let term = s.term.months();
    let period = s.billing.period_months(term).max(1);
    let mut charged = 0i64;
    let mut k = 0u32;
    // Periods follow one another from the term's start (renewals keep the cadence).
    while let Some(start) = s.term_start_on.checked_add_months(Months::new(k * period)) {
        if start > to {
            break;
        }
        if start >= from {
            charged = charged.saturating_add(
                i64::from(period)
                    .saturating_mul(s.quantity)
                    .saturating_mul(s.monthly_price.minor),
            );
        }
        k += 1;
        if k > 12 * 200 {
            break;
        }
    }
    charged
}

#[derive(Default)]
struct Sums {
    paid_out: i64,
    paid_out_since: Option<NaiveDate>,
    upcoming: i64,
    upcoming_due: Option<NaiveDate>,
    unbilled: i64,
    customer_due: Option<NaiveDate>,
    unconverted: Vec<Money>,
}

fn earliest(a: Option<NaiveDate>, b: NaiveDate) -> Option<NaiveDate> {
    Some(a.map_or(b, |a| a.min(b)))
}

/// The line on `as_of`.
pub fn headroom(conn: &Connection, as_of: NaiveDate) -> Result<Headroom> {
    let line = CreditLine::load(conn)?;
    let all = invoices::list(conn)?;
    let currency = line
        .limit
        .map(|m| m.currency)
        .or_else(|| {
            all.iter()
                .find(|i| i.invoice_date <= as_of)
                .map(|i| i.amount.currency)
        })
        .or_else(|| Currency::parse("TWD"))
        .expect("TWD is a currency");
    let rates = Rates::load(conn)?;
    let mut unconverted = Vec::new();

    let mut unpaid: Vec<MsInvoice> = all.iter().filter(|i| i.owed_on(as_of)).cloned().collect();
    unpaid.sort_by_key(|i| (i.due_on, i.id));
    let mut credits: Vec<MsInvoice> = all
        .iter()
        .filter(|i| i.open_credit_on(as_of))
        .cloned()
        .collect();
    credits.sort_by_key(|i| (i.invoice_date, i.id));
    // Each converted at the rate of its own date.
    let mut sum = |list: &[MsInvoice]| {
        let mut minor = 0i64;
        for i in list {
            match convert(&rates, i.amount, currency, i.invoice_date) {
                Some(v) => minor = minor.saturating_add(v),
                None => add_by_currency(&mut unconverted, i.amount),
            }
        }
        minor
    };
    let unpaid_minor = sum(&unpaid);
    let credits_minor = sum(&credits);

    // Microsoft's monthly invoices say which month is billed; a credit note (or an invoice of
    // nothing) can come any day and bills no month.
    let unbilled_since = all
        .iter()
        .filter(|i| i.invoice_date <= as_of && i.amount.minor > 0)
        .map(|i| month_start(i.invoice_date))
        .max()
        .unwrap_or(as_of - chrono::Duration::days(crate::usage::evaluate::WINDOW_DAYS));
    let unbilled_due = next_month_start(as_of) + chrono::Duration::days(line.terms_days);

    let mut per: BTreeMap<CustomerId, Sums> = BTreeMap::new();
    // Usage and purchases not billed, day by day (tenants not linked to a customer count for
    // the line).
    let mut usage_minor = 0i64;
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT t.customer_id, d.usage_date, d.currency, d.total, d.credited FROM usage_days d
             JOIN usage_tenants t ON t.tenant_id = d.tenant_id
             WHERE d.billed = 0 AND d.usage_date >= ?1 AND d.usage_date <= ?2
             UNION ALL {}",
            crate::usage::purchases::UNBILLED
        ))?;
        let mut rows = stmt.query(params![unbilled_since.to_string(), as_of.to_string()])?;
        while let Some(r) = rows.next()? {
            let customer: Option<CustomerId> = r.get(0)?;
            let day = crate::store::parse_day(&r.get::<_, String>(1)?)?;
            let from: crate::money::Currency = r.get(2)?;
            let total: String = r.get(3)?;
            // Usage a Microsoft credit pays is not billed to the reseller.
            let credited: Option<String> = r.get(4)?;
            let credited: Decimal = credited.and_then(|c| c.parse().ok()).unwrap_or_default();
            let amount: Decimal = total.parse().unwrap_or(Decimal::ZERO) - credited;
            match rates.convert(amount, from, currency, day) {
                Some(v) => {
                    let v = to_minor(v, currency);
                    usage_minor = usage_minor.saturating_add(v);
                    if let Some(c) = customer {
                        let s = per.entry(c).or_default();
                        s.unbilled = s.unbilled.saturating_add(v);
                    }
                }
                None => {
                    let m = crate::usage::series::money(amount, from);
                    add_by_currency(&mut unconverted, m);
                    if let Some(c) = customer {
                        add_by_currency(&mut per.entry(c).or_default().unconverted, m);
                    }
                }
            }
        }
    }

    // Seat charges whose billing period began this month.
    let mut seats_minor = 0i64;
    for s in crate::subscription::list_active(conn)? {
        let charge = periods_beginning(&s, month_start(as_of), as_of);
        if charge == 0 {
            continue;
        }
        let m = Money::new(charge, s.monthly_price.currency);
        match convert(&rates, m, currency, as_of) {
            Some(v) => {
                seats_minor = seats_minor.saturating_add(v);
                let e = per.entry(s.customer_id).or_default();
                e.unbilled = e.unbilled.saturating_add(v);
            }
            None => {
                add_by_currency(&mut unconverted, m);
                add_by_currency(&mut per.entry(s.customer_id).or_default().unconverted, m);
            }
        }
    }

    // The customers' open invoices against Microsoft's due dates.
    for o in crate::receivables::open_items(conn, as_of, None)? {
        let s = per.entry(o.customer_id).or_default();
        s.customer_due = earliest(s.customer_due, o.due_on);
        let ms_due = o.issued_on + chrono::Duration::days(line.terms_days);
        let Some(v) = convert(&rates, o.due, currency, as_of) else {
            add_by_currency(&mut s.unconverted, o.due);
            continue;
        };
        if ms_due < as_of {
            s.paid_out = s.paid_out.saturating_add(v);
            s.paid_out_since = earliest(s.paid_out_since, ms_due);
        } else {
            s.upcoming = s.upcoming.saturating_add(v);
            s.upcoming_due = earliest(s.upcoming_due, ms_due);
        }
    }

    let mut names = conn.prepare_cached("SELECT legal_name FROM customers WHERE id = ?1")?;
    let mut paid = conn.prepare_cached(
        "SELECT max(received_on) FROM payments p WHERE customer_id = ?1 AND received_on <= ?2
           AND NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id AND r.returned_on <= ?2)",
    )?;
    let mut customers = Vec::new();
    for (id, s) in per {
        if s.paid_out == 0 && s.upcoming == 0 && s.unbilled == 0 && s.unconverted.is_empty() {
            continue;
        }
        let last_paid: Option<String> =
            paid.query_row(params![id, as_of.to_string()], |r| r.get(0))?;
        customers.push(CustomerGap {
            customer_id: id,
            legal_name: names.query_row(params![id], |r| r.get(0))?,
            paid_out: Money::new(s.paid_out, currency),
            paid_out_since: s.paid_out_since,
            upcoming: Money::new(s.upcoming, currency),
            upcoming_due: s.upcoming_due,
            unbilled: Money::new(s.unbilled, currency),
            unbilled_due,
            customer_due: s.customer_due,
            last_paid: last_paid.map(|d| crate::store::parse_day(&d)).transpose()?,
            unconverted: s.unconverted,
        });
    }
    customers.sort_by(|a, b| {
        (
            b.paid_out.minor,
            b.upcoming.minor,
            b.unbilled.minor,
            a.customer_id.0,
        )
            .cmp(&(
                a.paid_out.minor,
                a.upcoming.minor,
                a.unbilled.minor,
                b.customer_id.0,
            ))
    });

    let used = unpaid_minor
        .saturating_add(credits_minor)
        .saturating_add(usage_minor)
        .saturating_add(seats_minor);
    let (headroom, used_basis_points) = match line.limit {
        Some(limit) => (
            Some(Money::new(limit.minor.saturating_sub(used), currency)),
            Some((i128::from(used) * 10_000 / i128::from(limit.minor.max(1))) as i64),
        ),
        None => (None, None),
    };
    Ok(Headroom {
        as_of,
        currency,
        unpaid_invoices: Money::new(unpaid_minor, currency),
        open_credits: Money::new(credits_minor, currency),
        unbilled_usage: Money::new(usage_minor, currency),
        seats_this_month: Money::new(seats_minor, currency),
        used: Money::new(used, currency),
        headroom,
        used_basis_points,
        unbilled_since,
        unpaid,
        credits,
        unconverted,
        customers,
        line,
    })
}

/// Raises an alert for each threshold the line has reached this month, once per threshold
/// per month; returns how many were new.
pub fn raise_alerts(tx: &Transaction, ctx: &Ctx) -> Result<usize> {
    if CreditLine::load(tx)?.limit.is_none() {
        return Ok(0);
    }
    let h = headroom(tx, ctx.today)?;
    let (Some(bp), Some(limit)) = (h.used_basis_points, h.line.limit) else {
        return Ok(0);
    };
    let month = ctx.today.format("%Y-%m").to_string();
    let findings: Vec<Finding> = h
        .line
        .thresholds
        .iter()
        .filter(|t| bp >= i64::from(**t) * 100)
        .map(|t| {
            let pct = format!("{}.{:02}", bp / 100, bp % 100);
            Finding {
                key: format!("headroom:{month}:{t}"),
                kind: AlertKind::Headroom.as_str().into(),
                severity: if *t >= 100 { 4 } else { 3 },
                customer_id: None,
                subscription: None,
                day: ctx.today,
                title_en: format!(
                    "Credit line with Microsoft {t}% used: {} of {} ({pct}%); headroom {}",
                    h.used.format(),
                    limit.format(),
                    h.headroom.map(|m| m.format()).unwrap_or_default()
                ),
                title_zh: format!(
                    "Microsoft 信用額度已使用 {t}%：{}／{}（{pct}%）；剩餘 {}",
                    h.used.format(),
                    limit.format(),
                    h.headroom.map(|m| m.format()).unwrap_or_default()
                ),
                evidence: serde_json::json!({
                    "limit": limit.format(),
                    "used": h.used.format(),
                    "unpaid_invoices": h.unpaid_invoices.format(),
                    "open_credits": h.open_credits.format(),
                    "unbilled_usage": h.unbilled_usage.format(),
                    "seats_this_month": h.seats_this_month.format(),
                    "threshold_percent": t,
                }),
            }
        })
        .collect();
    alerts::raise(tx, ctx, &findings)
}
