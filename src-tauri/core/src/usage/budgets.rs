//! Monthly spending budgets: per customer (or per customer and Azure subscription), in the
//! customer's currency, with thresholds (50, 80, 100 and 150 % unless edited), the
//! month-to-date spend and a forecast to the month's end from the daily run-rate of the
//! last seven days. Crossing a threshold raises one alert; so does a forecast over the
//! budget (from the 7th of the month, while the spend is still under it).

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use serde::Serialize;

use super::alerts::Finding;
use super::rates::Rates;
use super::series::{self, to_minor, CustomerUsage};
use crate::customer::Language::{En, ZhTw};
use crate::dates::date_text;
use crate::error::Code;
use crate::ids::CustomerId;
use crate::money::Money;
use crate::store::currency_of;
use crate::{Ctx, Error, Result};

pub const DEFAULT_THRESHOLDS: &[u32] = &[50, 80, 100, 150];
/// Days of run-rate the forecast uses, and the first day of the month it is made on.
const RUN_RATE_DAYS: i64 = 7;
const FORECAST_FROM_DAY: u32 = 7;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Budget {
    pub id: i64,
    pub customer_id: CustomerId,
    pub customer_name: String,
    /// Empty: every subscription of the customer.
    pub subscription: String,
    pub amount: Money,
    pub thresholds: Vec<u32>,
}

/// Parses "50, 80,100" into ascending, distinct percentages between 1 and 1000.
pub fn parse_thresholds(text: &str) -> Result<Vec<u32>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(DEFAULT_THRESHOLDS.to_vec());
    }
    let mut out = Vec::new();
    for part in text.split(',') {
        let p = part.trim().trim_end_matches('%').trim();
        match p.parse::<u32>() {
            Ok(v) if (1..=1000).contains(&v) => out.push(v),
            _ => {
                return Err(Error::field(
                    "thresholds",
                    Code::Invalid,
                    format!(
                    "{part:?}: thresholds are whole percentages from 1 to 1000, like 50,80,100,150"
                ),
                ))
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Sets (creates or changes) a budget, audited, in the currency the customer's usage
/// arrives in (as Partner Center shows it), or the invoicing currency before any usage.
pub fn set(
    tx: &Transaction,
    ctx: &Ctx,
    customer: CustomerId,
    subscription: &str,
    amount: &str,
    thresholds: &str,
) -> Result<Budget> {
    set_in(tx, ctx, customer, subscription, amount, thresholds, None)
}

/// The same, in a currency the owner chooses (`None`: as [`set`] does).
pub fn set_in(
    tx: &Transaction,
    ctx: &Ctx,
    customer: CustomerId,
    subscription: &str,
    amount: &str,
    thresholds: &str,
    chosen: Option<&str>,
) -> Result<Budget> {
    let subscription = subscription.trim().to_ascii_lowercase();
    crate::error::at_most("subscription", &subscription, 100)?;
    let currency: Option<String> = tx
        .query_row(
            "SELECT currency FROM customers WHERE id = ?1",
            [customer.0],
            |r| r.get(0),
        )
        .optional()?;
    let invoicing =
        currency_of(&currency.ok_or_else(|| Error::NotFound(format!("customer {}", customer.0)))?)?;
    let usage_currency: Option<String> = tx
        .query_row(
            "SELECT d.currency FROM usage_days d JOIN usage_tenants t ON t.tenant_id = d.tenant_id
             WHERE t.customer_id = ?1 ORDER BY d.usage_date DESC, d.currency LIMIT 1",
            [customer.0],
            |r| r.get(0),
        )
        .optional()?;
    let currency = match chosen.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => crate::money::Currency::parse(code).ok_or_else(|| {
            Error::field(
                "currency",
                Code::Invalid,
                format!("{code:?} is not an ISO 4217 currency code"),
            )
        })?,
        None => match usage_currency {
            Some(u) => currency_of(&u)?,
            None => invoicing,
        },
    };
    let amount = Money::written(amount, currency)
        .map_err(|e| Error::field("amount", Code::Invalid, e.to_string()))?;
    if amount.minor <= 0 {
        return Err(Error::field(
            "amount",
            Code::Invalid,
            "a budget is more than zero",
        ));
    }
    let thresholds = parse_thresholds(thresholds)?;
    let before = find(tx, customer, &subscription)?;
    let text: Vec<String> = thresholds.iter().map(u32::to_string).collect();
    tx.execute(
        "INSERT INTO budgets (customer_id, subscription, currency, amount_minor, thresholds) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (customer_id, subscription) DO UPDATE SET currency = excluded.currency,
           amount_minor = excluded.amount_minor, thresholds = excluded.thresholds",
        params![customer.0, subscription, currency.code(), amount.minor, text.join(",")],
    )?;
    let after =
        find(tx, customer, &subscription)?.ok_or_else(|| Error::NotFound("budget".into()))?;
    if before.as_ref() != Some(&after) {
        let action = if before.is_some() { "update" } else { "create" };
        crate::audit::record(
            tx,
            ctx,
            "budget",
            after.id,
            action,
            before.as_ref(),
            Some(&after),
        )?;
    }
    Ok(after)
}

/// Removes a budget, audited.
pub fn remove(tx: &Transaction, ctx: &Ctx, customer: CustomerId, subscription: &str) -> Result<()> {
    let subscription = subscription.trim().to_ascii_lowercase();
    let before = find(tx, customer, &subscription)?
        .ok_or_else(|| Error::NotFound(format!("budget of customer {}", customer.0)))?;
    tx.execute("DELETE FROM budgets WHERE id = ?1", [before.id])?;
    crate::audit::record(tx, ctx, "budget", before.id, "delete", Some(&before), None)
}

fn find(conn: &Connection, customer: CustomerId, subscription: &str) -> Result<Option<Budget>> {
    Ok(query(conn, Some(customer))?
        .into_iter()
        .find(|b| b.subscription == subscription))
}

pub fn list(conn: &Connection) -> Result<Vec<Budget>> {
    query(conn, None)
}

fn query(conn: &Connection, customer: Option<CustomerId>) -> Result<Vec<Budget>> {
    crate::store::rows(
        conn,
        "SELECT b.id, b.customer_id, c.legal_name, b.subscription, b.currency, b.amount_minor, b.thresholds
         FROM budgets b JOIN customers c ON c.id = b.customer_id
         WHERE ?1 IS NULL OR b.customer_id = ?1
         ORDER BY c.legal_name, b.subscription",
        [customer.map(|c| c.0)],
        |r| {
        let thresholds: String = r.get(6)?;
        Ok(Budget {
            id: r.get(0)?,
            customer_id: r.get(1)?,
            customer_name: r.get(2)?,
            subscription: r.get(3)?,
            amount: Money::new(r.get(5)?, r.get(4)?),
            thresholds: thresholds
                .split(',')
                .filter_map(|t| t.parse().ok())
                .collect(),
        })
    })
}

/// Where a budget stands on a day.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetStatus {
    pub budget: Budget,
    /// `YYYY-MM` of `as_of`.
    pub month: String,
    pub as_of: NaiveDate,
    pub month_to_date: Money,
    /// Whole percent of the budget spent (rounded down).
    pub percent: i64,
    /// Month-to-date plus the run-rate for the rest of the month (None: too few days).
    pub forecast: Option<Money>,
    /// The average daily spend of the last seven calendar days (a day without usage
    /// counts as zero).
    pub run_rate: Option<Money>,
    /// Days of the month whose usage no rate converts into the budget's currency (left
    /// out of the figures above, and alerted).
    pub unconverted_days: u32,
    /// The rate(s) used where the usage is in another currency than the budget.
    pub rate_used: Option<String>,
    pub crossed: Vec<u32>,
    /// The figure to type as this customer's Azure spending budget in Partner Center
    /// (whole units; Partner Center has one budget per customer, so only for budgets of
    /// every subscription).
    pub partner_center_amount: Option<String>,
}

fn spend_of(day: &series::Day, subscription: &str) -> Decimal {
    if subscription.is_empty() {
        day.spend
    } else {
        day.by_subscription
            .get(subscription)
            .copied()
            .unwrap_or_default()
    }
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn days_in_month(d: NaiveDate) -> i64 {
    let next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    };
    next.map(|n| (n - month_start(d)).num_days()).unwrap_or(31)
}

/// A budget's standing on `as_of`, from the customer's usage (converted into the budget's
/// currency at each day's rate where the two differ).
pub fn status_of(
    budget: &Budget,
    usage: Option<&CustomerUsage>,
    rates: &Rates,
    as_of: NaiveDate,
) -> BudgetStatus {
    let currency = budget.amount.currency;
    let start = month_start(as_of);
    let mut mtd = Decimal::ZERO;
    let mut recent = Decimal::ZERO;
    let mut unconverted_days = 0;
    let mut rate_used = None;
    let mut calendar_days = 0i64;
    if let Some(u) = usage {
        let in_budget = |d: NaiveDate, day: &series::Day| -> Option<Decimal> {
            let v = spend_of(day, &budget.subscription);
            rates.convert(v, u.currency, currency, d)
        };
        if u.currency != currency {
            rate_used = rates.conversion(u.currency, currency, as_of).map(|c| c.en);
        }
        for (d, day) in u.days.range(start..=as_of) {
            match in_budget(*d, day) {
                Some(v) => mtd += v,
                None => unconverted_days += 1,
            }
        }
        unconverted_days += u
            .unconverted
            .iter()
            .filter(|x| x.day >= start && x.day <= as_of)
            .count() as u32;
        let from = as_of - chrono::Duration::days(RUN_RATE_DAYS - 1);
        for (d, day) in u.days.range(from..=as_of) {
            recent += in_budget(*d, day).unwrap_or_default();
        }
        // Calendar days, from the first usage day if that is later.
        let first = u.first_day.unwrap_or(from).max(from);
        calendar_days = (as_of - first).num_days() + 1;
    }
    let mtd_minor = to_minor(mtd, currency);
    let run_rate = (calendar_days >= 3).then(|| recent / Decimal::from(calendar_days));
    let remaining = days_in_month(as_of) - (as_of - start).num_days() - 1;
    let forecast = run_rate.map(|r| {
        Money::new(
            to_minor(mtd + r * Decimal::from(remaining), currency),
            currency,
        )
    });
    let crossed = budget
        .thresholds
        .iter()
        .copied()
        .filter(|p| reached(mtd_minor, budget.amount.minor, *p))
        .collect();
    BudgetStatus {
        month: format!("{:04}-{:02}", as_of.year(), as_of.month()),
        as_of,
        month_to_date: Money::new(mtd_minor, currency),
        percent: (i128::from(mtd_minor) * 100 / i128::from(budget.amount.minor.max(1))) as i64,
        forecast,
        run_rate: run_rate.map(|r| Money::new(to_minor(r, currency), currency)),
        crossed,
        unconverted_days,
        rate_used,
        partner_center_amount: budget
            .subscription
            .is_empty()
            .then(|| whole_units(budget.amount)),
        budget: budget.clone(),
    }
}

fn reached(spent_minor: i64, budget_minor: i64, percent: u32) -> bool {
    i128::from(spent_minor) * 100 >= i128::from(budget_minor) * i128::from(percent)
}

/// Whole units, rounded up (a budget of 9,000.50 is entered as 9001).
fn whole_units(m: Money) -> String {
    let scale = 10i64.pow(m.currency.exponent());
    (m.minor / scale + i64::from(m.minor % scale != 0)).to_string()
}

/// Every budget's standing on `as_of`.
pub fn status(conn: &Connection, as_of: NaiveDate) -> Result<Vec<BudgetStatus>> {
    let budgets = list(conn)?;
    let from = month_start(as_of) - chrono::Duration::days(RUN_RATE_DAYS);
    let usage = series::load(conn, from, as_of, None)?;
    let rates = Rates::load(conn)?;
    Ok(budgets
        .iter()
        .map(|b| {
            status_of(
                b,
                usage.iter().find(|u| u.customer_id == b.customer_id),
                &rates,
                as_of,
            )
        })
        .collect())
}

/// The thresholds crossed and forecasts over budget on the days in `[from, to]`.
pub(crate) fn findings(
    budget: &Budget,
    usage: &CustomerUsage,
    rates: &Rates,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let days: Vec<NaiveDate> = usage.days.range(from..=to).map(|(d, _)| *d).collect();
    // The standing of the day before, carried from one day to the next.
    let mut carried: Option<BudgetStatus> = None;
    for d in days {
        let now = status_of(budget, Some(usage), rates, d);
        let yesterday = d - chrono::Duration::days(1);
        let before = if d.day() == 1 {
            None
        } else if carried.as_ref().is_some_and(|c| c.as_of == yesterday) {
            carried.take()
        } else {
            Some(status_of(budget, Some(usage), rates, yesterday))
        };
        for p in &now.crossed {
            if before.as_ref().is_some_and(|b| b.crossed.contains(p)) {
                continue;
            }
            out.push(threshold_finding(budget, &now, *p, d));
        }
        let over = |s: &BudgetStatus| {
            s.as_of.day() >= FORECAST_FROM_DAY
                && s.forecast.is_some_and(|f| f.minor > budget.amount.minor)
                && s.month_to_date.minor < budget.amount.minor
        };
        if over(&now) && !before.as_ref().is_some_and(over) {
            out.push(forecast_finding(budget, &now, d));
        }
        carried = Some(now);
    }
    out
}

/// The subscription a budget is for, after a title: " (id)" in English, "（id）" in Chinese.
fn sub_label(budget: &Budget, zh: bool) -> String {
    match (budget.subscription.is_empty(), zh) {
        (true, _) => String::new(),
        (false, false) => format!(" ({})", budget.subscription),
        (false, true) => format!("（{}）", budget.subscription),
    }
}

fn threshold_finding(budget: &Budget, s: &BudgetStatus, p: u32, d: NaiveDate) -> Finding {
    let severity = match p {
        0..=79 => 1,
        80..=99 => 2,
        100..=149 => 3,
        _ => 4,
    };
    let (on_en, on_zh) = (date_text(En, d), date_text(ZhTw, d));
    Finding {
        key: format!(
            "budget:{}:{}:{}:{p}",
            budget.customer_id.0, budget.subscription, s.month
        ),
        kind: "budget".into(),
        severity,
        customer_id: Some(budget.customer_id),
        subscription: (!budget.subscription.is_empty()).then(|| budget.subscription.clone()),
        day: d,
        title_en: format!(
            "{}% of the monthly budget reached{}",
            p,
            sub_label(budget, false)
        ),
        title_zh: format!("已達每月預算的 {p}%{}", sub_label(budget, true)),
        evidence: serde_json::json!({
            "observed": s.month_to_date.format(),
            "baseline": budget.amount.format(),
            "percent": s.percent,
            "month": s.month,
            "explain_en": format!("Month-to-date spend on {on_en} was {} against a budget of {} ({}%).", s.month_to_date.format(), budget.amount.format(), s.percent),
            "explain_zh": format!("截至 {on_zh} 本月用量 {}，預算 {}（{}%）。", s.month_to_date.format(), budget.amount.format(), s.percent),
            "risk_en": "Overspend: the reseller owes Microsoft for all usage, paid or not.",
            "risk_zh": "超支：不論客戶是否付款，經銷商都須支付 Microsoft 全部用量。",
            "action_en": "Check the usage with the customer; ask for a payment or a prepayment before it grows; keep the Partner Center budget in step.",
            "action_zh": "與客戶確認用量；在金額擴大前要求付款或預付；並同步 Partner Center 的預算。",
        }),
    }
}

fn forecast_finding(budget: &Budget, s: &BudgetStatus, d: NaiveDate) -> Finding {
    let forecast = s.forecast.map(Money::format).unwrap_or_default();
    let rate = s.run_rate.map(Money::format).unwrap_or_default();
    let (on_en, on_zh) = (date_text(En, d), date_text(ZhTw, d));
    Finding {
        key: format!(
            "budget-forecast:{}:{}:{}",
            budget.customer_id.0, budget.subscription, s.month
        ),
        kind: "budget_forecast".into(),
        severity: 2,
        customer_id: Some(budget.customer_id),
        subscription: (!budget.subscription.is_empty()).then(|| budget.subscription.clone()),
        day: d,
        title_en: format!(
            "Forecast over the monthly budget{}",
            sub_label(budget, false)
        ),
        title_zh: format!("預測將超過每月預算{}", sub_label(budget, true)),
        evidence: serde_json::json!({
            "observed": forecast,
            "baseline": budget.amount.format(),
            "month": s.month,
            "explain_en": format!("On {on_en}, {} spent so far plus {} a day (the last 7 days) to the month's end makes {forecast}, over the budget of {}.", s.month_to_date.format(), rate, budget.amount.format()),
            "explain_zh": format!("{on_zh} 時本月已用 {}，以最近 7 天每日 {} 推算至月底為 {forecast}，超過預算 {}。", s.month_to_date.format(), rate, budget.amount.format()),
            "risk_en": "Overspend ahead: usage is billed to the reseller first.",
            "risk_zh": "即將超支：用量先由經銷商支付。",
            "action_en": "Tell the customer now; agree a higher budget with a prepayment, or reduce the usage.",
            "action_zh": "立即通知客戶；以預付款提高預算，或請客戶降低用量。",
        }),
    }
}
