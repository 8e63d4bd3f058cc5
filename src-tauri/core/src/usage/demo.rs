//! The demo company's usage: three months of daily rated usage for twelve customers,
//! written as a Partner Center file and read by the real importer. Four customers carry a
//! planted case; the rest look normal (weekends lower, a backup burst on the 1st, noise):
//!
//! * the 3rd: GPU virtual machines appear 12 days ago (crypto-mining's shape);
//! * the 6th: outbound data transfer × 100 from 8 days ago (spam or DDoS);
//! * the 9th: resources in a region never used before, 5 days ago;
//! * the 11th: steady growth of 1.5 % a day, over its monthly budget this month.
//!
//! Every customer gets a monthly budget: three times its usual month for the normal ones.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rusqlite::Transaction;
use rust_decimal::Decimal;

use crate::ids::CustomerId;
use crate::money::Money;
use crate::usage::notices::{self, NewNotice, NoticeKind};
use crate::usage::{budgets, evaluate, import_usage, series};
use crate::{Ctx, Result};

const DAYS: i64 = 92;
const PARTNER: &str = "c8f335a5-5107-4c7d-aa68-e2eeff2f16f1";
pub const HEADER: &str = "PartnerId,CustomerId,CustomerName,CustomerDomainName,InvoiceNumber,SubscriptionId,EntitlementId,ChargeStartDate,ChargeEndDate,UsageDate,MeterCategory,MeterSubCategory,MeterName,ResourceLocation,UnitType,Quantity,BillingPreTaxTotal,BillingCurrency,PricingCurrency,PCToBCExchangeRate";

/// The demo's rate from the pricing currency (USD, as Partner Center prices Azure) to each
/// billing currency: illustrative figures, as a real file carries them on every row.
fn usd_rate(code: &str) -> &'static str {
    match code {
        "TWD" => "32.4561",
        "JPY" => "151.23",
        "EUR" => "0.9213",
        "GBP" => "0.7862",
        "SGD" => "1.3402",
        "HKD" => "7.7915",
        "AUD" => "1.5234",
        "MYR" => "4.4710",
        "THB" => "35.912",
        "KRW" => "1380.5",
        "CNY" => "7.2410",
        "VND" => "25410",
        "IDR" => "16240",
        "PHP" => "57.85",
        "INR" => "83.42",
        _ => "1",
    }
}

/// What one demo customer does.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Normal,
    Mining,
    Egress,
    NewRegion,
    Growth,
}

/// A deterministic noise factor in [0.9, 1.1] from a customer and a day.
fn noise(seed: u64, day: i64) -> Decimal {
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005)
        ^ (day as u64).wrapping_mul(1_442_695_040_888_963_407);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    Decimal::new(9_000 + (x % 2001) as i64, 4)
}

/// A decimal from a whole number of thousandths (`d(400)` = 0.4).
fn d(thousandths: i64) -> Decimal {
    Decimal::new(thousandths, 3)
}

/// The amount as the file writes it: six decimals.
fn dec(v: Decimal) -> String {
    v.round_dp(6).to_string()
}

struct Target {
    id: CustomerId,
    tenant: String,
    name: String,
    domain: String,
    currency: crate::money::Currency,
    /// Usual daily VM spend in major units.
    daily: Decimal,
    shape: Shape,
}

/// Writes the usage file, imports it, sets the budgets and raises the alerts.
pub fn load(tx: &Transaction, ctx: &Ctx, today: NaiveDate) -> Result<()> {
    let mut stmt = tx.prepare(
        "SELECT id, tenant_id, legal_name, primary_domain, currency, credit_limit_minor FROM customers
         WHERE tenant_id <> '' AND status = 'active' ORDER BY id LIMIT 12",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    let mut targets = Vec::new();
    for (i, row) in rows.enumerate() {
        let (id, tenant, name, domain, currency, limit) = row?;
        let currency = crate::store::currency_of(&currency)?;
        let shape = match i {
            2 => Shape::Mining,
            5 => Shape::Egress,
            8 => Shape::NewRegion,
            10 => Shape::Growth,
            _ => Shape::Normal,
        };
        // Small against the credit limit: a fortnight of usage is a few percent of it.
        let limit_major = Decimal::new(limit, currency.exponent());
        targets.push(Target {
            id: CustomerId(id),
            tenant: tenant.to_ascii_lowercase(),
            name,
            domain,
            currency,
            daily: (limit_major / Decimal::from(400)).max(Decimal::from(10)),
            shape,
        });
    }
    drop(stmt);
    let last = today - Duration::days(1);
    let first = last - Duration::days(DAYS - 1);
    let mut csv = String::from(HEADER);
    csv.push('\n');
    for (n, t) in targets.iter().enumerate() {
        for k in 0..DAYS {
            let d = first + Duration::days(k);
            for row in rows_of(t, n as u64, d, (last - d).num_days()) {
                csv.push_str(&row);
                csv.push('\n');
            }
        }
    }
    import_usage(
        tx,
        ctx,
        "demo-daily-rated-usage.csv",
        csv.as_bytes(),
        None,
        |_, _| {},
    )?;
    for t in &targets {
        let usual_month = t.daily * Decimal::from(30) * d(1_300);
        let amount = if t.shape == Shape::Growth {
            // 90 % of this month's spend so far: crossed in the last days of the month.
            let start = last.with_day(1).unwrap_or(last);
            let u = series::load(tx, start, last, Some(t.id))?;
            let spent: rust_decimal::Decimal = u
                .first()
                .map(|u| u.days.values().map(|d| d.spend).sum())
                .unwrap_or_default();
            let minor = series::to_minor(spent, t.currency) * 9 / 10;
            Money::new(minor.max(1), t.currency).to_plain()
        } else {
            series::money(usual_month * Decimal::from(3), t.currency).to_plain()
        };
        budgets::set(tx, ctx, t.id, "", &amount, "")?;
    }
    // Microsoft's crypto-mining alert about the mining customer, not yet answered.
    if let Some(t) = targets.iter().find(|t| t.shape == Shape::Mining) {
        let seen = (today - Duration::days(11))
            .and_hms_opt(22, 5, 0)
            .map(|d| d.and_utc());
        notices::add(
            tx,
            ctx,
            &NewNotice {
                source_id: Some(format!("demo-{}", t.tenant)),
                kind: Some(NoticeKind::CryptoMining),
                alert_type: "NetworkConnectionsToCryptoMiningPools".into(),
                received_at: (today - Duration::days(10)).and_hms_opt(3, 12, 40).map(|d| d.and_utc()),
                first_seen: seen,
                last_seen: seen,
                tenant_id: t.tenant.clone(),
                customer_id: Some(t.id),
                subscription: t.tenant.clone(),
                resources: vec![format!(
                    "/subscriptions/{}/resourceGroups/gpu-rg/providers/Microsoft.Compute/virtualMachines/nc24-01",
                    t.tenant
                )],
                title: "Action Required: Virtual machine connecting to crypto currency mining pool Detected".into(),
                body: "Network connections from a virtual machine to a known crypto-currency mining pool were detected.".into(),
                severity: "High".into(),
                status: None,
            },
        )?;
    }
    // The activity log: a burst of users created for the mining customer one evening,
    // then one of them made Global Administrator; ordinary records for the others.
    let mut items = Vec::new();
    for (n, t) in targets.iter().enumerate() {
        let day = today - Duration::days(20 + n as i64);
        items.push(serde_json::json!({
            "id": format!("demo-{n}-order"), "customerId": t.tenant, "customerName": t.name,
            "userPrincipalName": "admin@reseller.example", "operationType": "create_order",
            "resourceType": "order", "operationStatus": "succeeded",
            "operationDate": format!("{day}T02:30:00Z"), "customizedData": []
        }));
    }
    if let Some(t) = targets.iter().find(|t| t.shape == Shape::Mining) {
        let day = today - Duration::days(13);
        for k in 0..7 {
            items.push(serde_json::json!({
                "id": format!("demo-burst-{k}"), "customerId": t.tenant, "customerName": t.name,
                "userPrincipalName": "admin@reseller.example", "operationType": "create_customer_user",
                "resourceType": "customer_user", "operationStatus": "succeeded",
                "operationDate": format!("{day}T18:0{k}:10Z"), "customizedData": []
            }));
        }
        items.push(serde_json::json!({
            "id": "demo-burst-admin", "customerId": t.tenant, "customerName": t.name,
            "userPrincipalName": "admin@reseller.example", "operationType": "add_user_member",
            "resourceType": "customer_directory_role", "operationStatus": "succeeded",
            "operationDate": format!("{day}T18:09:00Z"),
            "customizedData": [{"key": "RoleName", "value": "Global Administrator"}]
        }));
    }
    let log = serde_json::json!({ "totalCount": items.len(), "items": items });
    super::activity::import(tx, ctx, "demo-audit-records.json", &log.to_string())?;
    evaluate::evaluate(tx, ctx)?;
    Ok(())
}

/// The usage rows of one customer on one day (`ago`: days before the last day).
fn rows_of(t: &Target, seed: u64, day: NaiveDate, ago: i64) -> Vec<String> {
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    let day_no = (day - NaiveDate::default()).num_days();
    let weekday_share = if weekend { d(400) } else { Decimal::ONE };
    let mut vm = t.daily * noise(seed, day_no) * weekday_share;
    if t.shape == Shape::Growth {
        // 1.5 % a day: the spend `ago` days before the last day is the last day's / 1.015^ago.
        for _ in 0..ago {
            vm = (vm / d(1_015)).round_dp(12);
        }
    }
    let mut gb = Decimal::from(15)
        * noise(seed + 7, day_no)
        * if day.day() == 1 {
            Decimal::from(5)
        } else {
            Decimal::ONE
        }
        * if weekend { d(500) } else { Decimal::ONE };
    if t.shape == Shape::Egress && ago <= 7 {
        gb *= Decimal::from(100);
    }
    let per_gb = t.daily / Decimal::from(500);
    let region = if t.id.0 % 2 == 0 {
        "EASTASIA"
    } else {
        "SOUTHEASTASIA"
    };
    let month_end = {
        let next = if day.month() == 12 {
            NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(day.year(), day.month() + 1, 1)
        };
        next.map(|n| n - Duration::days(1)).unwrap_or(day)
    };
    let start = day.with_day(1).unwrap_or(day);
    let line = |cat: &str,
                sub: &str,
                meter: &str,
                loc: &str,
                unit: &str,
                qty: Decimal,
                cost: Decimal| {
        format!(
            "{PARTNER},{},\"{}\",{},,{},{},{start},{month_end},{day},{cat},{sub},{meter},{loc},{unit},{},{},{},USD,{}",
            t.tenant,
            t.name.replace('"', "\"\""),
            t.domain,
            "00000000-0000-4000-8000-000000000001",
            t.tenant,
            dec(qty),
            dec(cost),
            t.currency.code(),
            usd_rate(t.currency.code())
        )
    };
    let mut out = vec![
        line(
            "Virtual Machines",
            "Dsv5 Series",
            "D4s v5",
            region,
            "1 Hour",
            Decimal::from(24) * weekday_share,
            vm,
        ),
        line(
            "Bandwidth",
            "Rtn Preference: MGN",
            "Standard Data Transfer Out",
            region,
            "1 GB",
            gb,
            gb * per_gb,
        ),
        line(
            "Storage",
            "Premium SSD Managed Disks",
            "P10 LRS Disk",
            region,
            "1/Month",
            Decimal::ONE,
            t.daily * d(100),
        ),
    ];
    if t.shape == Shape::Mining && ago <= 11 {
        let vms = Decimal::from(if ago <= 6 { 8 } else { 2 });
        out.push(line(
            "Virtual Machines",
            "NCSv3 Series",
            "NC24s v3",
            region,
            "1 Hour",
            Decimal::from(24) * vms,
            t.daily * Decimal::from(2) * vms,
        ));
    }
    if t.shape == Shape::NewRegion && ago <= 4 {
        out.push(line(
            "Virtual Machines",
            "BS Series",
            "B2ms",
            "BRAZILSOUTH",
            "1 Hour",
            Decimal::from(48),
            t.daily * d(300),
        ));
    }
    out
}
