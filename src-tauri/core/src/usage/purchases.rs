//! Purchases a FOCUS file bills (reservations, Marketplace offers): no usage, so in no day,
//! budget or detector, but money the reseller owes Microsoft at once whether or not the
//! customer pays, and what a stolen or new account buys first. Each import:
//! - keeps them per tenant, day and currency (`usage_purchases`), where a customer's
//!   exposure counts them until a billed file covers them ([`crate::risk`]);
//! - tells them per customer and currency;
//! - raises an alert per customer, day and currency that bills more than nothing (the
//!   customer's first such alert is high: it reaches the dashboard).
//!
//! The day's figures are replaced by a file that has the day again, never by an unbilled
//! file after a billed one; alerts are keyed by what they are about, so importing a file
//! again changes nothing.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction};
use rust_decimal::Decimal;
use serde::Serialize;

use super::alerts::{AlertKind, Finding};
use super::days::{Collected, HashMap, Purchased};
use super::read::RawDate;
use crate::ids::CustomerId;
use crate::money::{Currency, Money};
use crate::{Ctx, Result};

/// Purchases no billed file has covered, days `?1` to `?2`: the customer (the tenant's link,
/// else the customer with that tenant id; NULL for neither), the day, the currency, the
/// exact total and no credit (a usage day's columns, to be read with them). One query for a customer's exposure and for the credit line with Microsoft.
pub(crate) const UNBILLED: &str = "SELECT coalesce(t.customer_id,
            (SELECT c.id FROM customers c WHERE lower(c.tenant_id) = p.tenant_id LIMIT 1)),
        p.day, p.currency, p.total, '0' AS credited
    FROM usage_purchases p LEFT JOIN usage_tenants t ON t.tenant_id = p.tenant_id
    WHERE p.billed = 0 AND p.day >= ?1 AND p.day <= ?2";

/// The purchases a file bills one tenant in one currency.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PurchasesSeen {
    pub tenant_id: String,
    /// As the file names the tenant.
    pub name: String,
    pub customer_id: Option<CustomerId>,
    pub rows: u64,
    /// Their billed cost summed exactly, then rounded once to the currency's minor unit.
    pub amount: Money,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// Keeps the file's purchases, raises their alerts, and says what they are per tenant and
/// currency.
pub(super) fn tell(
    tx: &Transaction,
    ctx: &Ctx,
    c: &mut Collected,
    resolved: &HashMap<RawDate, (NaiveDate, bool)>,
) -> Result<Told> {
    // Two spellings of one day (as Excel saves a file again) are one day.
    let mut by_day: BTreeMap<(String, Currency, NaiveDate), Purchased> = BTreeMap::new();
    for ((tenant, currency, raw), p) in std::mem::take(&mut c.purchases) {
        let Some(&(day, _)) = resolved.get(&raw) else {
            continue;
        };
        match by_day.entry((tenant, currency, day)) {
            Entry::Vacant(e) => {
                e.insert(p);
            }
            Entry::Occupied(mut e) => {
                let sums = e.get_mut();
                sums.rows += p.rows;
                sums.cost += p.cost;
                sums.billed |= p.billed;
            }
        }
    }
    let mut links: HashMap<String, Option<CustomerId>> = HashMap::default();
    let mut told: BTreeMap<(String, Currency), (PurchasesSeen, Decimal)> = BTreeMap::new();
    let mut findings = Vec::new();
    let mut changed = 0;
    for ((tenant, currency, day), p) in by_day {
        let Purchased {
            name,
            rows,
            cost,
            billed,
        } = p;
        let kept = KeptDay {
            tenant_id: tenant.clone(),
            day,
            currency: currency.code().to_string(),
            total: cost.normalize().to_string(),
            rows: rows as i64,
            billed,
        };
        changed += keep(tx, ctx, &kept)? as usize;
        let customer = match links.get(&tenant) {
            Some(known) => *known,
            None => {
                let found = super::write::link_tenant(tx, ctx, &tenant, &name, "", false)?;
                links.insert(tenant.clone(), found);
                found
            }
        };
        let entry = told.entry((tenant.clone(), currency)).or_insert_with(|| {
            let seen = PurchasesSeen {
                tenant_id: tenant.clone(),
                name: name.clone(),
                customer_id: customer,
                rows: 0,
                amount: Money::new(0, currency),
                first_day: day,
                last_day: day,
            };
            (seen, Decimal::ZERO)
        });
        entry.0.rows += rows;
        entry.0.last_day = day;
        entry.1 += cost;
        let amount = super::series::money(cost, currency);
        if let (Some(customer), true) = (customer, amount.minor > 0) {
            findings.push(finding(tx, customer, day, amount, rows, &findings)?);
        }
    }
    let raised = super::alerts::raise(tx, ctx, &findings)?;
    let seen: Vec<PurchasesSeen> = told
        .into_values()
        .map(|(mut seen, cost)| {
            seen.amount = super::series::money(cost, seen.amount.currency);
            seen
        })
        .collect();
    Ok(Told {
        seen,
        changed,
        raised,
    })
}

/// Raises the alerts of the purchases kept for `tenant` as `customer`'s, when the tenant is
/// linked to it after they were imported: the alerts an import raises for a linked tenant's
/// purchases, keyed alike, so linking again raises none. How many are new.
pub(super) fn alert_kept(
    tx: &Transaction,
    ctx: &Ctx,
    tenant: &str,
    customer: CustomerId,
) -> Result<usize> {
    let kept: Vec<(String, String, String, i64)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT day, currency, total, rows FROM usage_purchases
             WHERE tenant_id = ?1 ORDER BY day, currency",
        )?;
        let rows = stmt.query_map([tenant], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut findings = Vec::new();
    for (day, currency, total, rows) in kept {
        // Kept by `keep`, so they read back; a row that does not is passed over.
        let (Ok(day), Some(currency), Ok(cost)) = (
            day.parse::<NaiveDate>(),
            Currency::parse(&currency),
            total.parse::<Decimal>(),
        ) else {
            continue;
        };
        let amount = super::series::money(cost, currency);
        if amount.minor > 0 {
            findings.push(finding(
                tx,
                customer,
                day,
                amount,
                rows.max(0) as u64,
                &findings,
            )?);
        }
    }
    super::alerts::raise(tx, ctx, &findings)
}

/// The same for a customer whose record gains `tenant_id` (made with it, or given it later),
/// unless the usage kept links that tenant to another customer.
pub(crate) fn alert_for_tenant_id(
    tx: &Transaction,
    ctx: &Ctx,
    customer: CustomerId,
    tenant_id: Option<&str>,
) -> Result<usize> {
    let tenant = tenant_id.unwrap_or("").trim().to_ascii_lowercase();
    if tenant.is_empty() {
        return Ok(0);
    }
    match super::tenants::linked(tx, &tenant)? {
        Some(Some(other)) if other != customer.0 => Ok(0),
        _ => alert_kept(tx, ctx, &tenant, customer),
    }
}

/// What [`tell`] found and did.
pub(super) struct Told {
    pub seen: Vec<PurchasesSeen>,
    /// Days (tenant × day × currency) new or with other figures than were kept.
    pub changed: usize,
    /// New alerts.
    pub raised: usize,
}

/// One tenant's purchases of one day in one currency, as kept (and in the audit trail).
#[derive(Debug, Clone, PartialEq, Serialize)]
struct KeptDay {
    tenant_id: String,
    day: NaiveDate,
    currency: String,
    total: String,
    rows: i64,
    billed: bool,
}

/// Keeps `day`, unless it is kept so already or an unbilled day would replace a billed one;
/// each change is in the audit trail. Whether it changed anything.
fn keep(tx: &Transaction, ctx: &Ctx, day: &KeptDay) -> Result<bool> {
    let key = rusqlite::params![day.tenant_id, day.day.to_string(), day.currency];
    let before = tx
        .query_row(
            "SELECT rowid, total, rows, billed FROM usage_purchases
             WHERE tenant_id = ?1 AND day = ?2 AND currency = ?3",
            key,
            |r| {
                let kept = KeptDay {
                    total: r.get(1)?,
                    rows: r.get(2)?,
                    billed: r.get(3)?,
                    ..day.clone()
                };
                Ok((r.get::<_, i64>(0)?, kept))
            },
        )
        .optional()?;
    if let Some((_, was)) = &before {
        if was == day || (was.billed && !day.billed) {
            return Ok(false);
        }
    }
    tx.execute(
        "INSERT INTO usage_purchases (tenant_id, day, currency, total, rows, billed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (tenant_id, day, currency) DO UPDATE
            SET total = excluded.total, rows = excluded.rows, billed = excluded.billed",
        rusqlite::params![
            day.tenant_id,
            day.day.to_string(),
            day.currency,
            day.total,
            day.rows,
            day.billed
        ],
    )?;
    let id = match &before {
        Some((id, _)) => *id,
        None => tx.last_insert_rowid(),
    };
    let was = before.as_ref().map(|(_, was)| was);
    crate::audit::record(tx, ctx, "usage_purchase", id, "keep", was, Some(day))?;
    Ok(true)
}

/// The alert for what `rows` purchase rows bill `customer` on `day`: high when no purchase
/// of the customer's was alerted before (stored, or earlier in this file).
fn finding(
    tx: &Transaction,
    customer: CustomerId,
    day: NaiveDate,
    amount: Money,
    rows: u64,
    earlier: &[Finding],
) -> Result<Finding> {
    let key = format!(
        "{}:{}:{day}:{}:{}",
        AlertKind::Purchase.as_str(),
        customer.0,
        amount.currency.code(),
        amount.minor
    );
    let before: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM alerts WHERE kind = ?1 AND customer_id = ?2 AND key <> ?3)",
        rusqlite::params![AlertKind::Purchase.as_str(), customer.0, key],
        |r| r.get(0),
    )?;
    let first = !before && !earlier.iter().any(|f| f.customer_id == Some(customer));
    let shown = amount.format();
    let day_en = crate::dates::date_text(crate::customer::Language::En, day);
    let day_zh = crate::dates::date_text(crate::customer::Language::ZhTw, day);
    let (title_en, title_zh) = match first {
        true => (
            format!("First purchase billed: {shown} (reservations, Marketplace) on {day_en}"),
            format!("首次購買項目計費：{shown}（保留執行個體、Marketplace），{day_zh}"),
        ),
        false => (
            format!("Purchase billed: {shown} (reservations, Marketplace) on {day_en}"),
            format!("購買項目計費：{shown}（保留執行個體、Marketplace），{day_zh}"),
        ),
    };
    Ok(Finding {
        key,
        kind: AlertKind::Purchase.as_str().into(),
        severity: if first { 3 } else { 2 },
        customer_id: Some(customer),
        subscription: None,
        day,
        title_en,
        title_zh,
        evidence: serde_json::json!({
            "observed": shown,
            "baseline": "",
            "explain_en": format!("The usage file bills {shown} on {day_en} in {}: reservations or Marketplace offers, which Microsoft bills you at once and which are not usage, so no budget or detector counts them.", crate::english::count(rows, "purchase row", "purchase rows")),
            "explain_zh": format!("用量檔中有 {rows} 列購買項目，於 {day_zh} 計費 {shown}：保留執行個體或 Marketplace 方案，Microsoft 會立即向您計費，且不屬用量，預算與偵測規則皆不計入。"),
            "risk_en": "Theft of service: a stolen or new account can buy reservations and Marketplace offers that you pay Microsoft for whether or not the customer pays.",
            "risk_zh": "盜用服務：遭盜用或新開立的帳戶可購買保留執行個體與 Marketplace 方案，無論客戶是否付款，您都須付款給 Microsoft。",
            "action_en": "Confirm with the customer that they ordered it and put it on their next invoice; if they did not, cancel it while Microsoft still refunds it.",
            "action_zh": "向客戶確認確實訂購並列入下期帳單；若非客戶訂購，請趁 Microsoft 仍可退款時取消。",
        }),
    })
}
