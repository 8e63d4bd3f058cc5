//! Scenario tests on books the shared samples do not have: Partner Center files billed in
//! one currency for customers invoiced in another (USD, JPY, VND) and in the file's own
//! (TWD), with planted misuse found on its day whatever the invoicing currency, and the
//! shapes honest customers have every day (an occasional GPU job, an inbound restore, a
//! month-start backup, sparse usage, a VND tenant) raising nothing of severity 3 or more.

mod usage_common;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use riskdesk_core::customer::{self, CustomerInput};
use riskdesk_core::ids::CustomerId;
use riskdesk_core::money::{Currency, Money};
use riskdesk_core::test_support::customer_input;
use riskdesk_core::usage;
use riskdesk_core::Ctx;
use rusqlite::Connection;
use usage_common::*;

const HEADER: &str = "CustomerId,CustomerName,CustomerDomainName,InvoiceNumber,EntitlementId,UsageDate,MeterCategory,MeterSubCategory,MeterName,ResourceLocation,UnitType,Quantity,BillingPreTaxTotal,BillingCurrency,PricingCurrency,PCToBCExchangeRate";

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The first day of the files and how many days they cover (2025-01-01 .. 2025-03-31).
const START: &str = "2025-01-01";
const DAYS: i64 = 90;

fn tenant(i: u32) -> String {
    format!("{i:08x}-0000-4000-8000-{i:012x}")
}

/// A small deterministic jitter in [0.9, 1.1).
fn jitter(seed: u32, d: NaiveDate) -> f64 {
    let x = (seed as u64 * 2_654_435_761 + d.num_days_from_ce() as u64 * 40_503) % 1000;
    0.9 + x as f64 / 5000.0
}

/// One usage line: meter, region, unit, quantity and cost in USD (the pricing currency).
type Line = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
);

/// A tenant's usage, day by day.
type Shape = Box<dyn Fn(NaiveDate) -> Vec<Line>>;

/// A line of virtual machine hours in `region` at `rate` an hour.
fn vm_hours(
    series: &'static str,
    size: &'static str,
    region: &'static str,
    hours: f64,
    rate: f64,
) -> Line {
    (
        "Virtual Machines",
        series,
        size,
        region,
        "1 Hour",
        hours,
        hours * rate,
    )
}

/// `gb` of outbound data transfer (internet egress) costing `cost`.
fn egress(gb: f64, cost: f64) -> Line {
    (
        "Bandwidth",
        "Rtn Preference: MGN",
        "Standard Data Transfer Out",
        "Zone 2",
        "1 GB",
        gb,
        cost,
    )
}

/// Inbound data transfer (free), `quantity` of a meter whose unit is `unit`.
fn inbound(unit: &'static str, quantity: f64) -> Line {
    (
        "Bandwidth",
        "Rtn Preference: MGN",
        "Standard Data Transfer In",
        "Zone 2",
        unit,
        quantity,
        0.0,
    )
}

/// An honest customer's days with `extra(day)` added to each.
fn normal_plus(seed: u32, extra: impl Fn(NaiveDate) -> Vec<Line> + 'static) -> Shape {
    Box::new(move |d| {
        let mut v = normal_day(seed, d);
        v.extend(extra(d));
        v
    })
}

/// An honest customer's day: two D4s v5 around the clock (less at weekends), storage,
/// a few GB out.
fn normal_day(seed: u32, d: NaiveDate) -> Vec<Line> {
    let weekend = matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
    let j = jitter(seed, d);
    let hours = if weekend { 30.0 } else { 48.0 } * j;
    let gb = if weekend { 2.0 } else { 4.0 } * j;
    vec![
        vm_hours("Dsv5 Series", "D4s v5", "EASTASIA", hours, 0.192),
        (
            "Storage",
            "Tiered Block Blob",
            "Hot LRS Data Stored",
            "EASTASIA",
            "1 GB/Month",
            500.0,
            0.3,
        ),
        egress(gb, gb * 0.12),
    ]
}

/// A file: per tenant, a day's lines; costs converted to the billing currency at `rate`
/// (one USD is `rate` of it), stated in the file's PCToBCExchangeRate column.
fn file(tenants: &[(String, Shape)], billing: &str, rate: f64) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for (t, f) in tenants {
        for i in 0..DAYS {
            let d = day(START) + Duration::days(i);
            for (cat, sub, meter, region, unit, qty, usd) in f(d) {
                out.push_str(&format!(
                    "{t},Tenant {t},{}.onmicrosoft.com,,{t},{d},{cat},{sub},{meter},{region},{unit},{qty:.6},{:.6},{billing},USD,{rate}\n",
                    &t[..8],
                    usd * rate
                ));
            }
        }
    }
    out
}

fn create(
    conn: &mut Connection,
    name: &str,
    tenant: &str,
    currency: &str,
    extra: impl FnOnce(&mut CustomerInput),
) -> CustomerId {
    let tx = conn.transaction().unwrap();
    let mut input = CustomerInput {
        tenant_id: tenant.into(),
        status: "prospect".into(),
        ..customer_input(name, currency, "TW")
    };
    extra(&mut input);
    let c = customer::create(&tx, &ctx(), &input).unwrap();
    tx.commit().unwrap();
    c.id
}

/// "Today" for the evaluation: the day after the files end.
fn today() -> Ctx {
    Ctx::new("tester", Utc.with_ymd_and_hms(2025, 4, 1, 9, 0, 0).unwrap())
}

fn alerts_of(conn: &mut Connection) -> Vec<usage::alerts::Alert> {
    let tx = conn.transaction().unwrap();
    usage::evaluate::evaluate(&tx, &today()).unwrap();
    tx.commit().unwrap();
    said_as_read(conn);
    usage::alerts::list(conn, Default::default()).unwrap()
}

/// Mining: NC-series around the clock from 2025-02-10, 2 VMs growing to 8, weekends too.
fn mining(seed: u32) -> Shape {
    normal_plus(seed, |d| {
        let since = (d - day("2025-02-10")).num_days();
        let vms = (2 + since / 3).min(8) as f64;
        let run = vm_hours("NCSv3 Series", "NC6s v3", "EASTASIA", 24.0 * vms, 3.06);
        if since >= 0 {
            vec![run]
        } else {
            vec![]
        }
    })
}

/// Spam: outbound transfer from a few GB to 300-500 GB a day from 2025-02-20.
fn spam(seed: u32) -> Shape {
    normal_plus(seed, move |d| {
        let gb = 400.0 * jitter(seed + 7, d);
        if d >= day("2025-02-20") {
            vec![egress(gb, gb * 0.087)]
        } else {
            vec![]
        }
    })
}

/// A new region: VMs in Brazil South from 2025-03-02.
fn new_region(seed: u32) -> Shape {
    normal_plus(seed, |d| {
        if d >= day("2025-03-02") {
            vec![vm_hours("Dsv5 Series", "D4s v5", "BRAZILSOUTH", 24.0, 0.25)]
        } else {
            vec![]
        }
    })
}

/// Occasional GPU jobs: three one-hour NC4as T4 v3 runs of about NT$15.
fn gpu_jobs(seed: u32) -> Shape {
    normal_plus(seed, |d| {
        if ["2025-02-04", "2025-02-18", "2025-03-11"].contains(&d.to_string().as_str()) {
            vec![t4_hours(1.0)]
        } else {
            vec![]
        }
    })
}

/// `hours` of an NC4as T4 v3 (a small GPU VM).
fn t4_hours(hours: f64) -> Line {
    vm_hours("NCasT4 v3 Series", "NC4as T4 v3", "EASTASIA", hours, 0.526)
}

/// An inbound restore of 4,000 GB (free) in a "1 TB"-unit meter and a "10 GB" one.
fn restore(seed: u32) -> Shape {
    normal_plus(seed, |d| {
        if d != day("2025-02-25") {
            return vec![];
        }
        vec![
            inbound("1 TB", 3.0),
            inbound("10 GB", 100.0),
            (
                "Bandwidth",
                "Inter-Region",
                "Intra Continent Data Transfer Out",
                "Zone 2",
                "1 GB",
                800.0,
                16.0,
            ),
        ]
    })
}

/// A month-start backup: 200 GB out on the 1st of every month.
fn backups(seed: u32) -> Shape {
    normal_plus(seed, |d| {
        if d.day() == 1 {
            vec![egress(200.0, 17.4)]
        } else {
            vec![]
        }
    })
}

/// Sparse usage: a small function app on one day in five, nothing else.
fn sparse(seed: u32) -> Shape {
    Box::new(move |d| {
        if (d.ordinal() + seed).is_multiple_of(5) {
            let j = jitter(seed, d) * if d.ordinal() % 3 == 0 { 6.0 } else { 1.0 };
            vec![(
                "Functions",
                "",
                "Standard Execution Time",
                "EASTASIA",
                "10 GB",
                j,
                0.4 * j,
            )]
        } else {
            Vec::new()
        }
    })
}

/// The detector kinds and days of severity 3 or more, per customer.
fn severe(alerts: &[usage::alerts::Alert], id: CustomerId) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = alerts
        .iter()
        .filter(|a| a.customer_id == Some(id) && a.severity >= 3)
        .map(|a| (a.kind.clone(), a.day.clone()))
        .collect();
    v.sort();
    v
}

#[test]
fn planted_misuse_is_found_on_its_day_whatever_currency_the_customer_is_invoiced_in() {
    for invoicing in ["TWD", "USD", "JPY"] {
        let (_d, mut conn) = db();
        let rates_owner = invoicing == "JPY";
        let ids: Vec<CustomerId> = (1..=3)
            .map(|i| {
                create(
                    &mut conn,
                    &format!("Planted {i}"),
                    &tenant(i),
                    invoicing,
                    |_| {},
                )
            })
            .collect();
        let tenants: Vec<(String, Shape)> = vec![
            (tenant(1), mining(1)),
            (tenant(2), spam(2)),
            (tenant(3), new_region(3)),
        ];
        import_bytes(
            &mut conn,
            "pc.csv",
            file(&tenants, "TWD", 32.4561).as_bytes(),
        )
        .unwrap();
        if rates_owner {
            // JPY: no file rate reaches it; the owner's USD→JPY rate does (TWD→USD→JPY).
            let tx = conn.transaction().unwrap();
            usage::rates::set(&tx, &today(), "2025-01-01", "USD", "JPY", "156.5", "").unwrap();
            tx.commit().unwrap();
        }
        let alerts = alerts_of(&mut conn);
        assert_eq!(
            severe(&alerts, ids[0]),
            vec![("gpu".into(), "2025-02-10".into())],
            "{invoicing}"
        );
        assert_eq!(
            severe(&alerts, ids[1]),
            vec![("egress".into(), "2025-02-20".into())],
            "{invoicing}"
        );
        let regions: Vec<_> = alerts
            .iter()
            .filter(|a| a.customer_id == Some(ids[2]) && a.kind == "new_region")
            .map(|a| a.day.as_str())
            .collect();
        assert_eq!(regions, vec!["2025-03-02"], "{invoicing}");
        // The mining alert names hours and the threshold with the rate used.
        let gpu = alerts.iter().find(|a| a.kind == "gpu").unwrap();
        let explain = gpu.evidence["explain_en"].as_str().unwrap();
        assert!(explain.contains("48 hours"), "{explain}");
        assert!(
            explain.contains(
                "US$20.00 (NT$649.12 at 1 USD = 32.4561 TWD (usage file, 10 February 2025))"
            ),
            "{explain}"
        );
        // Days as a reader writes them, in each language: no ISO dates in the texts.
        let zh = gpu.evidence["explain_zh"].as_str().unwrap();
        assert!(
            explain.starts_with("On ") && explain.contains(" 2025, "),
            "{explain}"
        );
        assert!(zh.contains("（用量檔案，2025年2月10日）"), "{zh}");
        for text in [explain, zh] {
            assert!(!text.contains("2025-0"), "{text}");
        }
        // Nothing is left unconverted, and exposure counts the usage in the invoicing currency.
        assert!(
            !alerts.iter().any(|a| a.kind == "unconverted_usage"),
            "{invoicing}"
        );
        let scores =
            riskdesk_core::risk::scores(&conn, day("2025-03-31"), today().now, Some(ids[0]))
                .unwrap();
        assert!(
            scores[0].exposure.usage_not_invoiced_minor > 0,
            "{invoicing}"
        );
        assert_eq!(scores[0].exposure.currency, invoicing);
    }
}

#[test]
fn honest_shapes_raise_nothing_severe_in_any_currency() {
    // Each shape in a TWD file for a USD customer, and a VND tenant in a VND file.
    let (_d, mut conn) = db();
    let shapes: Vec<(&str, Shape)> = vec![
        ("gpu jobs", gpu_jobs(11)),
        ("restore", restore(12)),
        ("backups", backups(13)),
        ("sparse", sparse(14)),
        ("plain", Box::new(|d| normal_day(15, d))),
    ];
    let mut ids = Vec::new();
    let mut tenants = Vec::new();
    for (i, (name, f)) in shapes.into_iter().enumerate() {
        let t = tenant(100 + i as u32);
        ids.push((
            name,
            create(&mut conn, name, &t, "USD", |c| {
                c.credit_limit = "5000".into()
            }),
        ));
        tenants.push((t, f));
    }
    import_bytes(
        &mut conn,
        "twd.csv",
        file(&tenants, "TWD", 32.8917).as_bytes(),
    )
    .unwrap();
    let vnd = tenant(200);
    let vnd_id = create(&mut conn, "VND tenant", &vnd, "VND", |c| {
        c.country = "VN".into()
    });
    let vnd_tenants: Vec<(String, Shape)> = vec![(vnd.clone(), gpu_jobs(21))];
    import_bytes(
        &mut conn,
        "vnd.csv",
        file(&vnd_tenants, "VND", 25_410.0).as_bytes(),
    )
    .unwrap();
    let alerts = alerts_of(&mut conn);
    for (name, id) in ids.iter().chain([("vnd", vnd_id)].iter()) {
        assert_eq!(
            severe(&alerts, *id),
            Vec::<(String, String)>::new(),
            "{name}"
        );
    }
    // The GPU jobs are one informational note each, not crypto-mining.
    let notes: Vec<_> = alerts.iter().filter(|a| a.kind == "new_resource").collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(notes.iter().all(|a| a.severity == 1));
    // The restore's 4,000 GB in: no egress counted at all that day.
    let restore_id = ids.iter().find(|(n, _)| *n == "restore").unwrap().1;
    let u = usage::series::load(
        &conn,
        day("2025-02-25"),
        day("2025-02-25"),
        Some(restore_id),
    )
    .unwrap();
    let gb = u[0].days[&day("2025-02-25")].egress;
    assert!(gb < rust_decimal::Decimal::from(10), "{gb}");
}

#[test]
fn usage_no_rate_converts_is_shown_and_alerted_never_read_as_zero() {
    let (_d, mut conn) = db();
    let t = tenant(300);
    let id = create(&mut conn, "Euro invoiced", &t, "EUR", |_| {});
    // A file without exchange-rate columns: TWD only, nothing connects TWD and EUR.
    let mut text = String::from("CustomerId,CustomerName,CustomerDomainName,InvoiceNumber,EntitlementId,UsageDate,MeterCategory,MeterSubCategory,MeterName,ResourceLocation,UnitType,Quantity,BillingPreTaxTotal,BillingCurrency\n");
    for i in 0..20 {
        let d = day(START) + Duration::days(i);
        text.push_str(&format!("{t},E,e.onmicrosoft.com,,{t},{d},Virtual Machines,Dsv5 Series,D4s v5,EASTASIA,1 Hour,24,150.5,TWD\n"));
    }
    import_bytes(&mut conn, "no-rates.csv", text.as_bytes()).unwrap();
    let alerts = alerts_of(&mut conn);
    let a = alerts
        .iter()
        .find(|a| a.customer_id == Some(id) && a.kind == "unconverted_usage")
        .expect("an unconverted-usage alert");
    assert!(
        a.title_en.contains("TWD") && a.title_en.contains("EUR"),
        "{}",
        a.title_en
    );
    assert!(
        a.evidence["observed"]
            .as_str()
            .unwrap()
            .contains("NT$3,010"),
        "{:?}",
        a.evidence
    );
    let facts =
        riskdesk_core::risk::facts::gather(&conn, day("2025-01-20"), today().now, None).unwrap();
    let f = &facts[&id];
    assert_eq!(f.usage_minor, 0);
    // Twenty days of NT$150.50, shown as one figure for the currency, not one a day.
    assert_eq!(
        f.usage_unconverted,
        vec![Money::new(301_000, Currency::parse("TWD").unwrap())]
    );
    // Once the owner adds a rate, the usage counts, at that rate, and the alert stays as history.
    let tx = conn.transaction().unwrap();
    usage::rates::set(&tx, &today(), "2024-12-31", "EUR", "TWD", "34.25", "ECB").unwrap();
    tx.commit().unwrap();
    let facts =
        riskdesk_core::risk::facts::gather(&conn, day("2025-01-20"), today().now, None).unwrap();
    let f = &facts[&id];
    assert!(f.usage_unconverted.is_empty());
    // 3,010.00 TWD / 34.25 = 87.883... EUR, rounded once half away from zero.
    assert_eq!(f.usage_minor, 8788);
    assert!(f
        .usage_rate
        .as_ref()
        .unwrap()
        .0
        .contains("1 EUR = 34.25 TWD (your rate table, 31 December 2024)"));
}

#[test]
fn the_owner_s_rates_are_checked_and_audited() {
    let (_d, mut conn) = db();
    let tx = conn.transaction().unwrap();
    let c = today();
    for (on, from, to, rate, field) in [
        ("2025-13-01", "USD", "TWD", "32", "rate_on"),
        ("2025-05-01", "USD", "TWD", "32", "rate_on"),
        ("2025-01-01", "US", "TWD", "32", "from_currency"),
        ("2025-01-01", "USD", "USD", "1", "to_currency"),
        ("2025-01-01", "USD", "TWD", "0", "rate"),
        ("2025-01-01", "USD", "TWD", "32,5", "rate"),
        ("2025-01-01", "USD", "TWD", "=1+1", "rate"),
        ("2025-01-01", "USD", "TWD", "1e99", "rate"),
    ] {
        let e = usage::rates::set(&tx, &c, on, from, to, rate, "").unwrap_err();
        assert!(
            e.to_string().contains(field) || format!("{e:?}").contains(field),
            "{on} {from} {to} {rate}: {e}"
        );
    }
    let r =
        usage::rates::set(&tx, &c, "2025-01-01", "usd", "twd", "32.450", "<b>bank</b>").unwrap();
    assert_eq!((r.rate.as_str(), r.note.as_str()), ("32.45", "<b>bank</b>"));
    usage::rates::set(&tx, &c, "2025-01-01", "USD", "TWD", "32.5", "").unwrap();
    assert_eq!(usage::rates::list(&tx).unwrap().len(), 1);
    usage::rates::remove(&tx, &c, r.id).unwrap();
    tx.commit().unwrap();
    let actions: Vec<String> = conn
        .prepare("SELECT action FROM audit WHERE entity = 'exchange_rate' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(actions, ["create", "update", "delete"]);
}

/// At most 1 alert of severity 3 or more per 100 customer-months on normal customers.
#[test]
fn normal_customers_raise_at_most_one_severe_alert_per_hundred_customer_months() {
    let (_d, mut conn) = db();
    let mut tenants: Vec<(String, Shape)> = Vec::new();
    let n = 60u32;
    for i in 0..n {
        let t = tenant(1000 + i);
        create(
            &mut conn,
            &format!("Honest {i}"),
            &t,
            ["TWD", "USD", "JPY"][(i % 3) as usize],
            |c| c.credit_limit = "900000".into(),
        );
        let f: Shape = match i % 5 {
            0 => gpu_jobs(i),
            1 => restore(i),
            2 => backups(i),
            3 => sparse(i),
            _ => Box::new(move |d| normal_day(i, d)),
        };
        tenants.push((t, f));
    }
    import_bytes(
        &mut conn,
        "honest.csv",
        file(&tenants, "TWD", 32.1).as_bytes(),
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    usage::rates::set(&tx, &today(), "2025-01-01", "USD", "JPY", "150", "").unwrap();
    tx.commit().unwrap();
    let alerts = alerts_of(&mut conn);
    let severe = alerts.iter().filter(|a| a.severity >= 3).count();
    let customer_months = n as usize * 3;
    eprintln!(
        "{severe} alert(s) of severity 3 or more over {customer_months} customer-months; {} alert(s) in all",
        alerts.len()
    );
    assert!(
        severe * 100 <= customer_months,
        "{severe} severe alerts over {customer_months} customer-months: {:#?}",
        alerts
            .iter()
            .filter(|a| a.severity >= 3)
            .map(|a| (&a.title_en, &a.day))
            .collect::<Vec<_>>()
    );
}

fn detector_days(invoicing: &'static str, owner_rate: &str) -> Vec<(String, String)> {
    let (_d, mut conn) = db();
    let id = create(&mut conn, "P", &tenant(9), invoicing, |_| {});
    let tenants: Vec<(String, Shape)> = vec![(
        tenant(9),
        Box::new(|d| {
            let mut v = mining(9)(d);
            v.extend(spam(9)(d).into_iter().skip(3));
            v
        }),
    )];
    import_bytes(&mut conn, "p.csv", file(&tenants, "TWD", 31.9).as_bytes()).unwrap();
    if invoicing != "TWD" && invoicing != "USD" {
        let tx = conn.transaction().unwrap();
        usage::rates::set(
            &tx,
            &today(),
            "2025-01-01",
            "USD",
            invoicing,
            owner_rate,
            "",
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let mut v: Vec<(String, String)> = alerts_of(&mut conn)
        .into_iter()
        .filter(|a| a.customer_id == Some(id) && a.kind != "budget")
        .map(|a| (a.kind, a.day))
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]
    /// Converting the customer's currency never changes which days a detector fires on.
    #[test]
    fn the_invoicing_currency_never_moves_a_detector_s_day(
        currency in prop::sample::select(vec!["TWD", "USD", "JPY", "VND", "EUR", "KRW"]),
        rate in 1u32..40_000,
    ) {
        let base = detector_days("TWD", "1");
        prop_assert!(base.contains(&("gpu".to_string(), "2025-02-10".to_string())));
        prop_assert!(base.contains(&("egress".to_string(), "2025-02-20".to_string())));
        prop_assert_eq!(detector_days(currency, &rate.to_string()), base);
    }
}

#[test]
fn look_alike_sign_ups_are_linked_however_they_are_written_and_honest_neighbours_are_not() {
    let (_d, mut conn) = db();
    let mut planted = Vec::new();
    let mut n = 0u32;
    let mut add = |conn: &mut Connection, name: &str, f: &dyn Fn(&mut CustomerInput)| {
        n += 1;
        create(conn, name, &tenant(5000 + n), "TWD", |c| {
            c.status = "active".into();
            f(c)
        })
    };
    // One phone in four spellings.
    for (name, phone) in [
        ("Lotus Harbor Trading", "02-2345-6789"),
        ("Quiet River Media", "(02) 2345 6789"),
        ("Golden Step Retail", "+886 2 2345 6789"),
        ("Blue Orchid Systems", "+886-2-23456789"),
    ] {
        planted.push(add(&mut conn, name, &|c| c.phone = phone.into()));
    }
    // One tax id in three spellings.
    for (name, tax) in [
        ("Silver Pine Logistics", "1234 5676"),
        ("Maple Stone Design", "12-345-676"),
        ("Red Cedar Foods", "１２３４５６７６"),
    ] {
        planted.push(add(&mut conn, name, &|c| c.tax_id = tax.into()));
    }
    // One own domain, written with and without a mail host.
    for (name, email) in [
        ("North Gate Studio", "ops@mail.shadowbyte.com.tw"),
        ("East Wind Bakery", "billing@shadowbyte.com.tw"),
        ("West Field Energy", "Admin@SHADOWBYTE.COM.TW"),
    ] {
        planted.push(add(&mut conn, name, &|c| c.email = email.into()));
    }
    // Similar names, nothing else shared.
    for name in [
        "Apex Cloud Trading Co., Ltd.",
        "Apex Cloud Services Ltd",
        "Apex Cloud Solutions Inc.",
    ] {
        planted.push(add(&mut conn, name, &|_| {}));
    }
    // Honest: five tenants of one business centre (the address written five ways), five on
    // gmail.com, twenty with nothing in common.
    let mut honest = Vec::new();
    let centre = [
        "No. 7, Sec. 5, Xinyi Rd., Taipei",
        "no 7 section 5 xinyi road taipei",
        "No.7, Sec.5, Xinyi Road, Taipei",
        "ＮＯ．７, Sec. 5, Xinyi Rd, Taipei",
        "No. 7 Sec 5 Xinyi Rd. TAIPEI",
    ];
    let words = [
        "Anchor", "Birch", "Comet", "Dune", "Ember", "Fjord", "Garnet", "Heron", "Iris", "Juniper",
        "Kestrel", "Lagoon", "Meadow", "Nimbus", "Onyx", "Prairie", "Quartz", "Raven", "Sierra",
        "Tundra", "Umber", "Vale", "Willow", "Xenon", "Yarrow", "Zephyr", "Alder", "Basalt",
        "Cobalt", "Delta",
    ];
    for (i, w) in words.iter().enumerate() {
        let name = format!(
            "{w} {}",
            ["Foods", "Media", "Works", "Labs", "Partners"][i % 5]
        );
        let id = match i {
            0..=4 => add(&mut conn, &name, &|c| c.address = centre[i].into()),
            5..=9 => add(&mut conn, &name, &|c| {
                c.email = format!("{w}@gmail.com").to_lowercase()
            }),
            _ => add(&mut conn, &name, &|_| {}),
        };
        honest.push(id);
    }
    let scores = riskdesk_core::risk::scores(&conn, day("2025-02-03"), ctx().now, None).unwrap();
    let of = |id: CustomerId| scores.iter().find(|s| s.customer_id == id).unwrap();
    for id in &planted {
        let s = of(*id);
        assert!(
            s.factors.iter().any(|f| f.key == "automated_signup"),
            "{}: {:?}",
            s.name,
            s.factors
        );
    }
    for id in &honest {
        let s = of(*id);
        assert!(
            !s.factors.iter().any(|f| f.key == "automated_signup"),
            "{}: {:?}",
            s.name,
            s.factors
        );
    }
    let lowest_planted = planted.iter().map(|id| of(*id).score).min().unwrap();
    let highest_honest = honest.iter().map(|id| of(*id).score).max().unwrap();
    assert!(
        lowest_planted > highest_honest,
        "{lowest_planted} vs {highest_honest}"
    );
    // The evidence names the one form the spellings share.
    let phone = of(planted[0])
        .factors
        .iter()
        .find(|f| f.key == "automated_signup")
        .unwrap();
    assert!(
        phone
            .evidence
            .contains("\"+886223456789\" shared by 4 customers"),
        "{}",
        phone.evidence
    );
}

/// A steady GPU workload from the first day of the usage kept: 12 hours a day of an
/// inference VM, nothing new about it.
fn steady_gpu(seed: u32) -> Shape {
    normal_plus(seed, |_| vec![t4_hours(24.0)])
}

/// A tenant that appears on 2025-02-15 and mines from its first hour, never paying.
fn thief(seed: u32) -> Shape {
    Box::new(move |d| {
        if d < day("2025-02-15") {
            return Vec::new();
        }
        let mut v = normal_day(seed, d);
        v.push(mining_rig());
        v
    })
}

/// Four NC24s v3 around the clock: 96 hours, about US$1,175 a day.
fn mining_rig() -> Line {
    vm_hours("NCSv3 Series", "NC24s v3", "EASTASIA", 96.0, 12.24)
}

/// A busy customer whose usage (about US$60 a day) runs from the first day of the files.
fn busy(seed: u32) -> Shape {
    normal_plus(seed, |_| {
        vec![vm_hours("Esv5 Series", "E8s v5", "EASTASIA", 96.0, 0.504)]
    })
}

#[test]
fn usage_that_began_before_the_files_is_not_new_and_a_tenant_that_appears_mid_book_is() {
    let (_d, mut conn) = db();
    let steady = create(&mut conn, "Steady Inference", &tenant(400), "USD", |_| {});
    let busy_id = create(&mut conn, "Busy Since Ever", &tenant(401), "TWD", |_| {});
    let thief_id = create(
        &mut conn,
        "Quick Start Trading",
        &tenant(402),
        "TWD",
        |_| {},
    );
    let render_id = create(
        &mut conn,
        "Render Farm Since Ever",
        &tenant(403),
        "TWD",
        |_| {},
    );
    let tenants: Vec<(String, Shape)> = vec![
        (tenant(400), steady_gpu(400)),
        (tenant(401), busy(401)),
        (tenant(402), thief(402)),
        // Four NC24s v3 around the clock (about US$1,175 a day) from the files' first day.
        (tenant(403), normal_plus(403, |_| vec![mining_rig()])),
    ];
    import_bytes(
        &mut conn,
        "mixed.csv",
        file(&tenants, "TWD", 32.0).as_bytes(),
    )
    .unwrap();
    let alerts = alerts_of(&mut conn);
    // A GPU VM running from the files' first day, and heavy usage since then, are nothing new.
    assert_eq!(severe(&alerts, steady), Vec::<(String, String)>::new());
    assert_eq!(severe(&alerts, busy_id), Vec::<(String, String)>::new());
    assert_eq!(severe(&alerts, render_id), Vec::<(String, String)>::new());
    // Neither GPU run is called "a job": each is noted as running around the clock, too early
    // in the usage kept to tell whether it is new. The one that costs more than the
    // threshold (US$20 a day) asks for one call to the customer (severity 2); the
    // US$12.62 a day inference VM stays informational.
    for (id, severity) in [(steady, 1), (render_id, 2)] {
        let notes: Vec<_> = alerts
            .iter()
            .filter(|a| a.customer_id == Some(id) && a.kind == "new_resource")
            .collect();
        assert_eq!(notes.len(), 1, "{notes:#?}");
        assert_eq!(notes[0].severity, severity);
        assert_eq!(notes[0].day, START);
        let explain = notes[0].evidence["explain_en"].as_str().unwrap();
        assert!(explain.contains("around the clock"), "{explain}");
        assert!(!explain.contains("a job"), "{explain}");
        let zh = notes[0].evidence["explain_zh"].as_str().unwrap();
        assert!(zh.contains("全天候") && !zh.contains("短期工作"), "{zh}");
    }
    // The tenant that appears mid-book mining on its first day, with no payment and no
    // credit limit: crypto-mining that day, and its first days before any payment.
    let found = severe(&alerts, thief_id);
    assert!(
        found.contains(&("gpu".into(), "2025-02-15".into())),
        "{found:?}"
    );
    assert!(found.iter().any(|(k, _)| k == "first_days"), "{found:?}");
    let first = alerts
        .iter()
        .find(|a| a.customer_id == Some(thief_id) && a.kind == "first_days")
        .unwrap();
    assert_eq!(first.day, "2025-02-15");
    let explain = first.evidence["explain_en"].as_str().unwrap();
    assert!(explain.contains("no credit limit is set"), "{explain}");
    // The threshold is met on the first day itself: said as one day, not a span from a day
    // to the same day.
    assert!(
        explain.starts_with("On 15 February 2025, the first day of usage, NT$"),
        "{explain}"
    );
    let zh = first.evidence["explain_zh"].as_str().unwrap();
    assert!(
        zh.starts_with("首次使用當天（2025年2月15日）已用 NT$"),
        "{zh}"
    );
}

/// A new customer whose spend reaches a quarter of its credit limit a week after its first
/// usage, with no payment: the alert names the span, from the first day to that day.
#[test]
fn first_days_spend_names_the_days_from_the_first_usage_to_the_day_it_was_reached() {
    let (_d, mut conn) = db();
    let t = tenant(720);
    let id = create(&mut conn, "Fresh Start Ltd", &t, "TWD", |c| {
        c.credit_limit = "10000".into()
    });
    let fresh: Shape = Box::new(|d| {
        if d >= day("2025-03-20") {
            normal_day(720, d)
        } else {
            vec![]
        }
    });
    // Another customer's usage from the files' first day: the usage kept begins before the
    // new customer's, so its first days are its first.
    create(&mut conn, "Long Standing", &tenant(721), "TWD", |_| {});
    let steady: Shape = Box::new(|d| normal_day(721, d));
    let tenants = [(t, fresh), (tenant(721), steady)];
    import_bytes(
        &mut conn,
        "fresh.csv",
        file(&tenants, "TWD", 32.0).as_bytes(),
    )
    .unwrap();
    let alerts = alerts_of(&mut conn);
    let first = alerts
        .iter()
        .find(|a| a.customer_id == Some(id) && a.kind == "first_days")
        .expect("the first days' spend");
    assert!(first.day.as_str() > "2025-03-20", "{}", first.day);
    let on = day(&first.day);
    let explain = first.evidence["explain_en"].as_str().unwrap();
    let span = format!(
        "From the first usage on 20 March 2025 to {}, NT$",
        on.format("%-d %B %Y")
    );
    assert!(explain.starts_with(&span), "{explain}");
    assert!(
        explain.contains("25% of the credit limit of NT$10,000"),
        "{explain}"
    );
    let zh = first.evidence["explain_zh"].as_str().unwrap();
    let span_zh = format!(
        "自 2025年3月20日 首次使用至 {}已用 NT$",
        on.format("%Y年%-m月%-d日")
    );
    assert!(zh.starts_with(&span_zh), "{zh}");
}

/// A budget for one Azure subscription counts that subscription's spend only, and its alerts
/// name the subscription in each language.
#[test]
fn a_subscription_s_budget_counts_its_own_spend_and_names_it() {
    let (_d, mut conn) = db();
    let t = tenant(710);
    let id = create(&mut conn, "Two Subscriptions", &t, "TWD", |_| {});
    let (small, large) = (
        "aaaaaaaa-0000-4000-8000-000000000001",
        "bbbbbbbb-0000-4000-8000-000000000002",
    );
    // March: the small subscription spends NT$100 a day, the large one NT$1,000.
    let mut text = format!("{HEADER}\n");
    for n in 1..=31 {
        for (sub, cost) in [(small, 100), (large, 1000)] {
            text.push_str(&format!(
                "{t},Tenant,x.onmicrosoft.com,,{sub},2025-03-{n:02},Storage,Tiered Block Blob,Hot LRS Data Stored,EASTASIA,1 GB/Month,1,{cost},TWD,TWD,1\n"
            ));
        }
    }
    import_bytes(&mut conn, "two.csv", text.as_bytes()).unwrap();
    let tx = conn.transaction().unwrap();
    // Written as the portal shows it, in capitals: the same subscription.
    usage::budgets::set(&tx, &ctx(), id, &small.to_uppercase(), "2000", "100").unwrap();
    tx.commit().unwrap();
    let alerts: Vec<(String, String, String, Option<String>)> = alerts_of(&mut conn)
        .into_iter()
        .filter(|a| a.kind.starts_with("budget"))
        .map(|a| (a.day, a.title_en, a.title_zh, a.subscription))
        .collect();
    // 100 % on the 20th (NT$2,000 of its own; the customer had spent NT$22,000 by then),
    // and from the 7th a forecast over the budget (NT$100 a day to the month's end).
    assert_eq!(
        alerts,
        [
            (
                "2025-03-20".to_string(),
                format!("100% of the monthly budget reached ({small})"),
                format!("已達每月預算的 100%（{small}）"),
                Some(small.to_string()),
            ),
            (
                "2025-03-07".to_string(),
                format!("Forecast over the monthly budget ({small})"),
                format!("預測將超過每月預算（{small}）"),
                Some(small.to_string()),
            ),
        ]
    );
}

#[test]
fn a_budget_in_another_currency_than_the_usage_converts_each_day() {
    let (_d, mut conn) = db();
    let id = create(&mut conn, "Budget In Dollars", &tenant(700), "TWD", |_| {});
    let tenants: Vec<(String, Shape)> = vec![(tenant(700), Box::new(|d| normal_day(700, d)))];
    import_bytes(&mut conn, "b.csv", file(&tenants, "TWD", 32.0).as_bytes()).unwrap();
    let tx = conn.transaction().unwrap();
    // By default the budget is in the currency the usage arrives in; here the owner chose USD.
    let b = usage::budgets::set_in(&tx, &ctx(), id, "", "250", "", Some("USD")).unwrap();
    assert_eq!(b.amount.currency.code(), "USD");
    let twd = usage::budgets::set_in(&tx, &ctx(), id, "", "8000", "", None).unwrap();
    assert_eq!(
        twd.amount.currency.code(),
        "TWD",
        "the usage's own currency by default"
    );
    // Typed as the owner says it: the same budget.
    for typed in ["NT$8,000", "新台幣 8000 元", "0.8萬"] {
        let again = usage::budgets::set_in(&tx, &ctx(), id, "", typed, "", None).unwrap();
        assert_eq!(again.amount, twd.amount, "{typed}");
    }
    let e = usage::budgets::set_in(&tx, &ctx(), id, "", "US$8000", "", None).unwrap_err();
    assert!(e.to_string().contains("amount"), "{e}");
    usage::budgets::set_in(&tx, &ctx(), id, "", "250", "", Some("USD")).unwrap();
    tx.commit().unwrap();
    let as_of = day("2025-03-31");
    let status = usage::budgets::status(&conn, as_of).unwrap();
    let s = status.iter().find(|s| s.budget.customer_id == id).unwrap();
    let u = usage::series::load(&conn, day("2025-03-01"), as_of, Some(id)).unwrap();
    let twd_total: rust_decimal::Decimal = u[0].days.values().map(|d| d.spend).sum();
    let expected = usage::series::to_minor(
        twd_total / rust_decimal::Decimal::from(32),
        s.month_to_date.currency,
    );
    assert_eq!(s.month_to_date.currency.code(), "USD");
    assert_eq!(s.month_to_date.minor, expected);
    assert_eq!(s.unconverted_days, 0);
    assert!(
        s.rate_used.as_deref().unwrap().contains("1 USD = 32 TWD"),
        "{:?}",
        s.rate_used
    );
}

/// One month of usage only: mining that starts on its tenth day, in a tenant present from the
/// first day of the file, is found that day (a few days of its own usage are enough for the
/// run to "appear"); a GPU running from the file's first day, weekends included, is not.
#[test]
fn mining_in_a_single_month_file_is_found_on_its_day() {
    let (_d, mut conn) = db();
    let miner = create(
        &mut conn,
        "Short History Mining",
        &tenant(800),
        "USD",
        |_| {},
    );
    let steady = create(
        &mut conn,
        "Short History Steady",
        &tenant(801),
        "USD",
        |_| {},
    );
    let month = |f: Shape| -> Shape {
        Box::new(move |d| {
            if d < day("2025-02-01") {
                f(d)
            } else {
                Vec::new()
            }
        })
    };
    let tenants: Vec<(String, Shape)> = vec![
        (
            tenant(800),
            month(Box::new(|d| {
                let mut v = normal_day(800, d);
                if d >= day("2025-01-10") {
                    v.push(vm_hours("NCSv3 Series", "NC6s v3", "EASTASIA", 72.0, 3.06));
                }
                v
            })),
        ),
        (tenant(801), month(steady_gpu(801))),
    ];
    import_bytes(&mut conn, "jan.csv", file(&tenants, "TWD", 32.1).as_bytes()).unwrap();
    let alerts = alerts_of(&mut conn);
    assert_eq!(
        severe(&alerts, miner),
        vec![("gpu".into(), "2025-01-10".into())]
    );
    assert_eq!(severe(&alerts, steady), Vec::<(String, String)>::new());
}

/// Partner Center bills in many more currencies than the region's: a Danish customer's file
/// in kroner and a Kuwaiti one's in dinars (three decimals) are read, counted to the fils,
/// and not refused as "a currency RiskDesk knows".
#[test]
fn usage_billed_in_kroner_and_three_decimal_dinars_counts_to_the_last_digit() {
    let (_d, mut conn) = db();
    let (dk, kw) = (tenant(310), tenant(311));
    let danish = create(&mut conn, "Nordisk Sky ApS", &dk, "DKK", |_| {});
    let kuwaiti = create(&mut conn, "Gulf Cloud Co", &kw, "KWD", |_| {});
    let mut text = String::from("CustomerId,CustomerName,CustomerDomainName,InvoiceNumber,EntitlementId,UsageDate,MeterCategory,MeterSubCategory,MeterName,ResourceLocation,UnitType,Quantity,BillingPreTaxTotal,BillingCurrency\n");
    for i in 0..20 {
        let d = day(START) + Duration::days(i);
        text.push_str(&format!("{dk},N,n.onmicrosoft.com,,{dk},{d},Virtual Machines,Dsv5 Series,D4s v5,NORTHEUROPE,1 Hour,24,12.34,DKK\n"));
        text.push_str(&format!("{kw},G,g.onmicrosoft.com,,{kw},{d},Virtual Machines,Dsv5 Series,D4s v5,UAENORTH,1 Hour,24,1.234,KWD\n"));
    }
    import_bytes(&mut conn, "nordic-gulf.csv", text.as_bytes()).unwrap();
    let facts =
        riskdesk_core::risk::facts::gather(&conn, day("2025-01-20"), today().now, None).unwrap();
    assert_eq!(facts[&danish].usage_minor, 20 * 1_234);
    assert_eq!(facts[&kuwaiti].usage_minor, 20 * 1_234);
    assert!(facts[&danish].usage_unconverted.is_empty());
    assert!(facts[&kuwaiti].usage_unconverted.is_empty());
    // No alert reads a currency it could not convert.
    assert!(!alerts_of(&mut conn)
        .iter()
        .any(|a| a.kind == "unconverted_usage"));
}

/// Each shape as a customer of its own (tenants from `first`), in one file: the severe
/// alerts of each, in the shapes' order.
fn severe_of_each(first: u32, shapes: Vec<Shape>) -> Vec<Vec<(String, String)>> {
    let (_d, mut conn) = db();
    let mut ids = Vec::new();
    let mut tenants: Vec<(String, Shape)> = Vec::new();
    for (i, shape) in shapes.into_iter().enumerate() {
        let t = tenant(first + i as u32);
        ids.push(create(&mut conn, &format!("Routine {i}"), &t, "USD", |c| {
            c.credit_limit = "50000".into()
        }));
        tenants.push((t, shape));
    }
    import_bytes(
        &mut conn,
        "routines.csv",
        file(&tenants, "TWD", 32.8917).as_bytes(),
    )
    .unwrap();
    let alerts = alerts_of(&mut conn);
    ids.iter().map(|id| severe(&alerts, *id)).collect()
}

/// Weekly routines from `since`: a GPU training run every Monday (two NC6s v3 around the
/// clock), an export of 300 GB every Wednesday, a batch of ten D16s v5 for 12 hours every
/// Friday.
fn weekly(seed: u32, which: u32, since: NaiveDate) -> Shape {
    normal_plus(seed, move |d| {
        let weekday = d.weekday();
        match which {
            _ if d < since => vec![],
            0 if weekday == chrono::Weekday::Mon => {
                vec![vm_hours("NCSv3 Series", "NC6s v3", "EASTASIA", 48.0, 3.06)]
            }
            1 if weekday == chrono::Weekday::Wed => vec![egress(300.0, 26.1)],
            2 if weekday == chrono::Weekday::Fri => {
                vec![vm_hours("Dsv5 Series", "D16s v5", "EASTASIA", 120.0, 0.768)]
            }
            _ => vec![],
        }
    })
}

/// A routine that comes back on its weekday is alerted the first week it appears, not
/// every week after (each came 12 or 13 times in the three months and was alerted every
/// week before); one that was there from the files' first day is no jump at all.
#[test]
fn a_weekly_routine_is_alerted_when_it_appears_not_every_week() {
    let shapes = [START, "2025-02-03"]
        .into_iter()
        .flat_map(|since| (0..3u32).map(move |which| weekly(30 + which, which, day(since))))
        .collect();
    let found = severe_of_each(400, shapes);
    let one = |kind: &str, on: &str| vec![(kind.to_string(), on.to_string())];
    assert_eq!(
        found,
        [
            // From the first day: the GPU run appears on the first Monday with days before
            // it; the export and the batch were there from the start.
            one("gpu", "2025-01-06"),
            vec![],
            vec![],
            // From February: each on its first day only.
            one("gpu", "2025-02-03"),
            one("egress", "2025-02-05"),
            one("spend_spike", "2025-02-07"),
        ]
    );
}

/// Monthly routines other than the month's first days: a report job on the 15th (ten
/// D16s v5 for 12 hours), a closing export of 300 GB on the last day of each month, a
/// rendering run on the 10th (two NC6s v3 around the clock).
fn monthly(seed: u32, which: u32) -> Shape {
    normal_plus(seed, move |d| {
        let last = (d + Duration::days(1)).month() != d.month();
        match which {
            0 if d.day() == 15 => {
                vec![vm_hours("Dsv5 Series", "D16s v5", "EASTASIA", 120.0, 0.768)]
            }
            1 if last => vec![egress(300.0, 26.1)],
            2 if d.day() == 10 => {
                vec![vm_hours("NCSv3 Series", "NC6s v3", "EASTASIA", 48.0, 3.06)]
            }
            _ => vec![],
        }
    })
}

/// A job on one day of every month is alerted the first month, not every month (the 15th;
/// the last day, 31 January, 28 February, 31 March).
#[test]
fn a_monthly_routine_is_alerted_the_first_month_only() {
    let found = severe_of_each(
        500,
        (0..3u32).map(|which| monthly(40 + which, which)).collect(),
    );
    let one = |kind: &str, on: &str| vec![(kind.to_string(), on.to_string())];
    assert_eq!(
        found,
        [
            one("spend_spike", "2025-01-15"),
            one("egress", "2025-01-31"),
            one("gpu", "2025-01-10"),
        ]
    );
}

/// The customer's region written as the price sheet names it (`AP East` for the
/// `EASTASIA` of its other lines) from February is no new region; Brazil South in March is,
/// written `BR South`, and is named as its resources name it.
#[test]
fn a_region_written_as_the_price_sheet_names_it_is_the_same_region() {
    let (_d, mut conn) = db();
    let t = tenant(600);
    let id = create(&mut conn, "Regions", &t, "USD", |_| {});
    let shape = normal_plus(60, |d| {
        let mut v = Vec::new();
        if d >= day("2025-02-03") {
            v.push(vm_hours("Dsv5 Series", "D2s v5", "AP East", 24.0, 0.096));
        }
        if d >= day("2025-03-03") {
            v.push(vm_hours("Dsv5 Series", "D2s v5", "BR South", 24.0, 0.12));
        }
        v
    });
    import_bytes(
        &mut conn,
        "regions.csv",
        file(&[(t, shape)], "TWD", 32.8917).as_bytes(),
    )
    .unwrap();
    let alerts = alerts_of(&mut conn);
    let regions: Vec<(&str, &str, &str)> = alerts
        .iter()
        .filter(|a| a.customer_id == Some(id) && a.kind == "new_region")
        .map(|a| (a.day.as_str(), a.title_en.as_str(), a.title_zh.as_str()))
        .collect();
    // Each region as the portal names it, in each language.
    assert_eq!(
        regions,
        [(
            "2025-03-03",
            "Resources in a region never used before: Brazil South",
            "在從未使用的區域建立資源：巴西南部"
        )]
    );
    let new = alerts.iter().find(|a| a.kind == "new_region").unwrap();
    assert!(
        new.evidence["explain_en"]
            .as_str()
            .unwrap()
            .contains("usage appeared in Brazil South; since 1 January 2025 the customer used only East Asia."),
        "{}",
        new.evidence
    );
    assert!(
        new.evidence["explain_zh"]
            .as_str()
            .unwrap()
            .contains("起在巴西南部出現用量；自 2025年1月1日 以來客戶只使用東亞。"),
        "{}",
        new.evidence
    );
}

/// A customer whose usage comes every third day only (a file lists only what was used):
/// its honest days, plus `extra` on the days it has usage.
fn every_third_day(seed: u32, extra: impl Fn(NaiveDate) -> Vec<Line> + 'static) -> Shape {
    Box::new(move |d| {
        if (d - day(START)).num_days() % 3 != 0 {
            return Vec::new();
        }
        let mut v = normal_day(seed, d);
        v.extend(extra(d));
        v
    })
}

/// A sparse series is judged as a daily one: a customer seen every third day has been
/// watched as long as one seen daily (the days between are days without usage), so its
/// jumps are found on their day, and its honest days raise nothing. Before, it never had
/// the 14 days of "history" a jump needs, however long it had been a customer.
#[test]
fn a_customer_with_usage_every_third_day_is_judged_against_its_own_days() {
    // 2025-02-18 is day 48 of the files, a usage day (48 = 3 × 16); so are 2025-03-08
    // (day 66) and 2025-03-11 (day 69).
    let on = |which: &'static str| {
        move |d: NaiveDate| -> Vec<Line> {
            match which {
                "egress" if d == day("2025-02-18") => vec![egress(400.0, 34.8)],
                "spend" if d >= day("2025-03-08") => {
                    vec![vm_hours("Dsv5 Series", "D16s v5", "EASTASIA", 240.0, 0.768)]
                }
                "mining" if d >= day("2025-03-11") => {
                    vec![mining_rig()]
                }
                _ => vec![],
            }
        }
    };
    let found = severe_of_each(
        500,
        vec![
            every_third_day(50, on("none")),
            every_third_day(51, on("egress")),
            every_third_day(52, on("spend")),
            every_third_day(53, on("mining")),
        ],
    );
    let one = |kind: &str, on: &str| vec![(kind.to_string(), on.to_string())];
    assert_eq!(
        found,
        [
            vec![],
            one("egress", "2025-02-18"),
            one("spend_spike", "2025-03-08"),
            one("gpu", "2025-03-11"),
        ]
    );
}

/// Usage kept with a month missing (January and March imported, February not): the
/// first days of March rest on too few days of usage to judge a jump against, and raise
/// nothing on honest customers, here busy ones (ten D16s v5 and 80 GB out every day) whose
/// every day would be "a jump" against an empty February.
#[test]
fn a_month_missing_between_files_raises_nothing_on_honest_customers() {
    let without_february = |seed: u32| -> Shape {
        Box::new(move |d| {
            if d.month() == 2 {
                return Vec::new();
            }
            let mut v = normal_day(seed, d);
            v.push(vm_hours("Dsv5 Series", "D16s v5", "EASTASIA", 240.0, 0.768));
            v.push(egress(80.0, 7.0));
            v
        })
    };
    let found = severe_of_each(520, (0..6).map(without_february).collect());
    assert!(found.iter().all(|f| f.is_empty()), "{found:?}");
}

/// A tenant that appears in the middle of the usage kept and sends at once (a spammer's
/// new sign-up) is found before it has the 14 days a baseline of its own needs, when a day
/// reaches ten times the minimum jump (500 GB out); a new tenant sending less, and one
/// there since the files began (whose start RiskDesk did not see), are not.
#[test]
fn a_new_customer_sending_at_once_is_found_before_it_has_a_baseline() {
    let appears = |seed: u32, gb: f64| -> Shape {
        Box::new(move |d| {
            if d < day("2025-02-15") {
                return Vec::new();
            }
            let mut v = normal_day(seed, d);
            if d == day("2025-02-17") {
                v.push(egress(gb, gb * 0.087));
            }
            v
        })
    };
    let found = severe_of_each(
        540,
        vec![
            appears(60, 600.0),
            appears(61, 120.0),
            normal_plus(62, |d| {
                if d == day("2025-01-03") {
                    vec![egress(600.0, 52.2)]
                } else {
                    vec![]
                }
            }),
        ],
    );
    assert_eq!(
        found,
        [
            vec![("egress".to_string(), "2025-02-17".to_string())],
            vec![],
            vec![],
        ]
    );
}
