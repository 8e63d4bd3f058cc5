//! Usage imports on the shared samples (Partner Center daily rated usage, billed and
//! unbilled, a revised download, FOCUS) and on crafted bad files.

use std::path::PathBuf;

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use riskdesk_core::customer::{self, CustomerInput};
use riskdesk_core::ids::CustomerId;
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::usage::{self, Format, UsageImport};
use riskdesk_core::{Ctx, Error};
use rusqlite::Connection;

fn ctx() -> Ctx {
    Ctx::new("tester", Utc.with_ymd_and_hms(2025, 2, 3, 9, 0, 0).unwrap())
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples")
        .join(name)
}

fn db() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = store::create(&dir.path().join("u.db"), &DbKey::generate().unwrap()).unwrap();
    (dir, conn)
}

fn customer_with_tenant(conn: &mut Connection, name: &str, tenant: &str) -> CustomerId {
    let tx = conn.transaction().unwrap();
    let c = customer::create(
        &tx,
        &ctx(),
        &CustomerInput {
            legal_name: name.into(),
            tenant_id: tenant.into(),
            country: "TW".into(),
            currency: "TWD".into(),
            language: "en".into(),
            payment_terms_days: "30".into(),
            payment_instrument: "bank_transfer".into(),
            admin_access: "none".into(),
            status: "active".into(),
            ..Default::default()
        },
    )
    .unwrap();
    tx.commit().unwrap();
    c.id
}

fn import_bytes(conn: &mut Connection, name: &str, bytes: &[u8]) -> Result<UsageImport, Error> {
    let tx = conn.transaction().unwrap();
    let r = usage::import_usage(&tx, &ctx(), name, bytes, None, |_, _| {});
    if r.is_ok() {
        tx.commit().unwrap();
    }
    r
}

fn import(conn: &mut Connection, name: &str) -> UsageImport {
    let bytes = std::fs::read(sample(name)).unwrap();
    import_bytes(conn, name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn counts(conn: &Connection) -> (i64, i64, i64) {
    let q = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        q("SELECT count(*) FROM usage_days"),
        q("SELECT count(*) FROM usage_lines"),
        q("SELECT count(*) FROM audit"),
    )
}

/// The exact total of a tenant's days in [from, to], as stored.
fn total(conn: &Connection, tenant: &str, from: &str, to: &str) -> rust_decimal::Decimal {
    let mut stmt = conn
        .prepare(
            "SELECT l.cost FROM usage_lines l JOIN usage_days d ON d.id = l.day_id
             WHERE d.tenant_id = ?1 AND d.usage_date BETWEEN ?2 AND ?3",
        )
        .unwrap();
    stmt.query_map([tenant, from, to], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|c| c.unwrap().parse::<rust_decimal::Decimal>().unwrap())
        .sum()
}

fn planted() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(sample("planted.json")).unwrap()).unwrap()
}

const C1: &str = "90fea696-4074-5090-b371-10b325a2143d";

#[test]
fn the_partner_center_samples_import_exactly_once() {
    let (_d, mut conn) = db();
    let c1 = customer_with_tenant(&mut conn, "Contoso Trading Co.", C1);
    let billed = import(&mut conn, "daily_rated_usage_billed_2024-12.csv");
    assert_eq!(billed.format, Format::PartnerCenter);
    assert_eq!(billed.rows, 868);
    assert_eq!(billed.first_day, NaiveDate::from_ymd_opt(2024, 12, 1));
    assert_eq!(billed.last_day, NaiveDate::from_ymd_opt(2024, 12, 31));
    assert_eq!(billed.days_added, 8 * 31, "8 tenants x 31 days");
    let unbilled = import(&mut conn, "daily_rated_usage_unbilled_2025-01.csv");
    assert_eq!(unbilled.rows, 930);
    assert_eq!(unbilled.days_added, 8 * 31);
    // Tenants are linked by tenant id; the others are listed to link.
    let linked: Vec<_> = unbilled
        .tenants
        .iter()
        .filter(|t| t.customer_id.is_some())
        .collect();
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].customer_id, Some(c1));
    assert!(unbilled
        .tenants
        .iter()
        .any(|t| t.name == "Harbor Logistics, Ltd."));
    assert!(unbilled
        .tenants
        .iter()
        .any(|t| t.name == "台北雲端股份有限公司"));

    // Each planted January total, to the cent, from exact sums.
    let p = planted();
    for (key, info) in p["customers"].as_object().unwrap() {
        let tenant = info["CustomerId"].as_str().unwrap();
        let expected = p["january_budget_crossings"][key]["january_total"]
            .as_str()
            .unwrap();
        let got = total(&conn, tenant, "2025-01-01", "2025-01-31")
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(got.to_string(), expected, "{key}");
    }

    // The same files again change nothing: no row, no audit entry.
    let before = counts(&conn);
    for name in [
        "daily_rated_usage_billed_2024-12.csv",
        "daily_rated_usage_unbilled_2025-01.csv",
    ] {
        let again = import(&mut conn, name);
        assert!(!again.changed(), "{name}");
        assert_eq!(again.import_id, None);
    }
    assert_eq!(counts(&conn), before);
}

#[test]
fn a_revised_download_replaces_the_days_it_covers() {
    let (_d, mut conn) = db();
    import(&mut conn, "daily_rated_usage_unbilled_2025-01.csv");
    let jan_before = total(&conn, C1, "2025-01-01", "2025-01-29");
    let end_before = total(&conn, C1, "2025-01-30", "2025-01-31");
    let revised = import(&mut conn, "daily_rated_usage_unbilled_2025-01_revised.csv");
    assert_eq!(revised.days_replaced, 2, "{revised:?}");
    assert_eq!(revised.days_added, 0);
    assert_eq!(total(&conn, C1, "2025-01-01", "2025-01-29"), jan_before);
    let end_after = total(&conn, C1, "2025-01-30", "2025-01-31");
    // Quantity x1.08: the days are replaced, not added to.
    let ratio = end_after / end_before;
    assert!(
        (ratio - rust_decimal::Decimal::new(108, 2)).abs() < rust_decimal::Decimal::new(1, 6),
        "{end_before} -> {end_after}"
    );
    // The original unbilled file again puts the original figures back.
    let back = import(&mut conn, "daily_rated_usage_unbilled_2025-01.csv");
    assert_eq!(back.days_replaced, 2);
    assert_eq!(total(&conn, C1, "2025-01-30", "2025-01-31"), end_before);
}

#[test]
fn an_unbilled_file_never_replaces_a_billed_day() {
    let (_d, mut conn) = db();
    let billed = std::fs::read(sample("daily_rated_usage_billed_2024-12.csv")).unwrap();
    import_bytes(&mut conn, "billed.csv", &billed).unwrap();
    let before = total(&conn, C1, "2024-12-01", "2024-12-31");
    // The same rows without their invoice numbers (an unbilled download of December).
    let text = String::from_utf8(billed).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let inv = headers.iter().position(|h| h == "InvoiceNumber").unwrap();
    let qty = headers.iter().position(|h| h == "Quantity").unwrap();
    let total_col = headers
        .iter()
        .position(|h| h == "BillingPreTaxTotal")
        .unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&headers).unwrap();
    for r in reader.records() {
        let r = r.unwrap();
        let row: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, v)| match i {
                _ if i == inv => String::new(),
                _ if i == qty || i == total_col => format!("{v}1"),
                _ => v.to_string(),
            })
            .collect();
        out.write_record(&row).unwrap();
    }
    let unbilled = out.into_inner().unwrap();
    let r = import_bytes(&mut conn, "unbilled-december.csv", &unbilled).unwrap();
    assert_eq!(r.days_kept_billed, 8 * 31);
    assert!(!r.changed());
    assert_eq!(total(&conn, C1, "2024-12-01", "2024-12-31"), before);
}

#[test]
fn the_focus_sample_imports_and_agrees_with_the_partner_center_file() {
    let (_d, mut conn) = db();
    let focus = import(&mut conn, "focus_usage_slice.csv");
    assert_eq!(focus.format, Format::Focus);
    assert_eq!(focus.rows, 80);
    assert_eq!(focus.first_day, NaiveDate::from_ymd_opt(2025, 1, 6));
    assert_eq!(focus.last_day, NaiveDate::from_ymd_opt(2025, 1, 15));
    let from_focus = total(&conn, C1, "2025-01-06", "2025-01-15");
    let (_d2, mut other) = db();
    import(&mut other, "daily_rated_usage_unbilled_2025-01.csv");
    assert_eq!(from_focus, total(&other, C1, "2025-01-06", "2025-01-15"));
    // Regions are normalised the same way in both formats.
    let regions: Vec<String> = conn
        .prepare("SELECT region FROM usage_regions WHERE tenant_id = ?1")
        .unwrap()
        .query_map([C1], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(regions.contains(&"EASTASIA".to_string()), "{regions:?}");
}

const HEADER: &str = "CustomerId,CustomerName,CustomerDomainName,InvoiceNumber,EntitlementId,ChargeStartDate,ChargeEndDate,UsageDate,MeterCategory,MeterSubCategory,MeterName,ResourceLocation,UnitType,Quantity,BillingPreTaxTotal,BillingCurrency";
const ROW: &str = "90fea696-4074-5090-b371-10b325a2143d,\"Contoso, Ltd.\",contoso.onmicrosoft.com,,edef061b-0a9c-535c-bacc-1fd9276bf821,1/1/2025,1/31/2025,1/15/2025,Virtual Machines,Dsv5 Series,D4s v5,EASTASIA,1 Hour,24,123.4567890123,TWD";

fn problems(e: Error) -> String {
    match e {
        Error::Import { problems, file } => {
            assert!(!problems.is_empty());
            format!("{file}: {problems:?}")
        }
        other => panic!("expected an import error, got {other}"),
    }
}

#[test]
fn bad_files_are_refused_with_line_and_column_and_nothing_is_written() {
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "missing column",
            HEADER.replace(",BillingCurrency", "") + "\n" + &ROW.replace(",TWD", ""),
            "BillingCurrency",
        ),
        (
            "bad date",
            format!("{HEADER}\n{}", ROW.replace("1/15/2025", "2025-02-30")),
            "line: 2",
        ),
        (
            "bad number",
            format!("{HEADER}\n{}", ROW.replace("123.4567890123", "\"1,234.5\"")),
            "BillingPreTaxTotal",
        ),
        (
            "formula",
            format!("{HEADER}\n{}", ROW.replace("123.4567890123", "=1+2")),
            "BillingPreTaxTotal",
        ),
        (
            "truncated last line",
            format!("{HEADER}\n{ROW}\n{}", &ROW[..60]),
            "line: 3",
        ),
        (
            "another format",
            "legal_name,country,currency\nContoso,TW,TWD\n".into(),
            "neither",
        ),
        ("empty", String::new(), "empty"),
        ("header only", format!("{HEADER}\n"), "no rows"),
        (
            "bad tenant",
            format!("{HEADER}\n{}", ROW.replace("90fea696-", "<b>x</b>-")),
            "CustomerId",
        ),
        (
            "date out of range",
            format!("{HEADER}\n{}", ROW.replace("1/15/2025", "1/15/2101")),
            "2100",
        ),
        (
            "mixed date order",
            format!("{HEADER}\n{ROW}\n{}", ROW.replace("1/15/2025", "15/1/2025")),
            "day-first",
        ),
    ];
    for (what, text, expect) in cases {
        let (_d, mut conn) = db();
        let before = counts(&conn);
        let e = import_bytes(&mut conn, "bad.csv", text.as_bytes()).expect_err(what);
        let shown = format!("{e}");
        let listed = problems(e);
        assert!(
            shown.contains(expect) || listed.contains(expect),
            "{what}: {shown} / {listed}"
        );
        assert_eq!(counts(&conn), before, "{what}: nothing written");
    }
}

#[test]
fn bom_crlf_quoted_commas_semicolons_and_iso_dates_are_read() {
    let expected = rust_decimal::Decimal::new(1234567890123, 10);
    let variants = [
        format!("\u{feff}{HEADER}\r\n{ROW}\r\n"),
        format!(
            "{}\n{}\n",
            HEADER.replace(',', ";"),
            ROW.replace("\"Contoso, Ltd.\"", "\"Contoso; Ltd.\"")
                .replace(',', ";")
                .replace("123.4567890123", "123,4567890123")
        ),
        format!(
            "{HEADER}\n{}\n",
            ROW.replace("1/15/2025", "2025-01-15T00:00:00Z")
        ),
        format!(
            "{}\n{ROW}\n",
            HEADER
                .replace("CustomerId", "Customer Id")
                .replace("MeterName", "meter_name")
        ),
    ];
    for v in variants {
        let (_d, mut conn) = db();
        let r =
            import_bytes(&mut conn, "v.csv", v.as_bytes()).unwrap_or_else(|e| panic!("{v:?}: {e}"));
        assert_eq!(r.first_day, NaiveDate::from_ymd_opt(2025, 1, 15), "{v:?}");
        assert_eq!(
            total(&conn, C1, "2025-01-15", "2025-01-15"),
            expected,
            "{v:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Any cell text in any column: an import either succeeds or names a line, never
    /// panics, and a refused file writes nothing.
    #[test]
    fn the_row_reader_never_panics(cells in proptest::collection::vec("[ -~\u{4e00}-\u{4e10}\"]{0,12}", 16)) {
        let row: Vec<String> = cells
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect();
        let text = format!("{HEADER}\n{}\n", row.join(","));
        let (_d, mut conn) = db();
        let before = counts(&conn);
        match import_bytes(&mut conn, "fuzz.csv", text.as_bytes()) {
            Ok(r) => prop_assert!(r.rows == 1),
            Err(Error::Import { problems, .. }) => {
                prop_assert!(!problems.is_empty());
                prop_assert_eq!(counts(&conn), before);
            }
            Err(other) => prop_assert!(false, "unexpected error {}", other),
        }
    }
}

/// The eight sample tenants as customers with the planted budgets (TWD).
fn sample_book() -> (tempfile::TempDir, Connection, Vec<(String, CustomerId)>) {
    let (dir, mut conn) = db();
    let p = planted();
    let mut ids = Vec::new();
    for (key, info) in p["customers"].as_object().unwrap() {
        let id = customer_with_tenant(
            &mut conn,
            info["CustomerName"].as_str().unwrap(),
            info["CustomerId"].as_str().unwrap(),
        );
        let budget = p["monthly_budgets"][key].as_i64().unwrap().to_string();
        let tx = conn.transaction().unwrap();
        usage::budgets::set(&tx, &ctx(), id, "", &budget, "").unwrap();
        tx.commit().unwrap();
        ids.push((key.clone(), id));
    }
    import(&mut conn, "daily_rated_usage_billed_2024-12.csv");
    import(&mut conn, "daily_rated_usage_unbilled_2025-01.csv");
    (dir, conn, ids)
}

fn evaluate(conn: &mut Connection) -> usage::evaluate::Evaluation {
    let tx = conn.transaction().unwrap();
    let e = usage::evaluate::evaluate(&tx, &ctx()).unwrap();
    tx.commit().unwrap();
    e
}

#[test]
fn the_planted_cases_are_found_on_the_day_they_start_and_nothing_else() {
    let (_d, mut conn, ids) = sample_book();
    let first = evaluate(&mut conn);
    assert_eq!(first.as_of, NaiveDate::from_ymd_opt(2025, 1, 31));
    let alerts = usage::alerts::list(&conn, Default::default()).unwrap();
    let key_of =
        |id: Option<CustomerId>| ids.iter().find(|(_, c)| Some(*c) == id).unwrap().0.clone();
    let mut seen: Vec<(String, String, String)> = alerts
        .iter()
        .filter(|a| !a.kind.starts_with("budget"))
        .map(|a| (key_of(a.customer_id), a.kind.clone(), a.day.clone()))
        .collect();
    seen.sort();
    let expected: Vec<(String, String, String)> = [
        ("C3", "gpu", "2025-01-10"),
        ("C3", "new_region", "2025-01-12"),
        ("C5", "egress", "2025-01-18"),
        ("C6", "new_region", "2025-01-22"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(
        seen,
        expected,
        "{:#?}",
        alerts
            .iter()
            .map(|a| (&a.title_en, &a.day, &a.evidence["explain_en"]))
            .collect::<Vec<_>>()
    );
    // Each explains itself in both languages.
    for a in &alerts {
        for k in [
            "explain_en",
            "explain_zh",
            "risk_en",
            "risk_zh",
            "action_en",
            "action_zh",
        ] {
            assert!(
                a.evidence[k].as_str().is_some_and(|t| !t.is_empty()),
                "{} {k}",
                a.title_en
            );
        }
    }
    // January's budget thresholds, on the planted first days.
    let p = planted();
    for (key, id) in &ids {
        let crossings = p["january_budget_crossings"][key]["first_day_reaching_pct"]
            .as_object()
            .unwrap();
        let mut got: Vec<(String, String)> = alerts
            .iter()
            .filter(|a| {
                a.kind == "budget" && a.customer_id == Some(*id) && a.day.starts_with("2025-01")
            })
            .map(|a| {
                (
                    a.evidence["percent"]
                        .as_i64()
                        .map(|_| ())
                        .map_or(String::new(), |_| {
                            a.title_en.split('%').next().unwrap().to_string()
                        }),
                    a.day.clone(),
                )
            })
            .collect();
        got.sort();
        let mut want: Vec<(String, String)> = crossings
            .iter()
            .map(|(pct, day)| (pct.clone(), day.as_str().unwrap().to_string()))
            .collect();
        want.sort();
        assert_eq!(got, want, "{key}");
    }
    // Evaluating again raises nothing new.
    let again = evaluate(&mut conn);
    assert_eq!(again.new_alerts, 0);
    assert_eq!(
        usage::alerts::list(&conn, Default::default())
            .unwrap()
            .len(),
        alerts.len()
    );
}

/// A synthetic Partner Center file: one tenant, `days` days from 2025-01-01, the day's
/// VM spend, egress GB and region given by `f`.
fn synthetic(days: i64, f: impl Fn(NaiveDate) -> (f64, f64, &'static str, &'static str)) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    for i in 0..days {
        let d = start + chrono::Duration::days(i);
        let (vm, gb, region, meter) = f(d);
        for (cat, sub, m, qty, cost) in [
            ("Virtual Machines", "Dsv5 Series", meter, 24.0, vm),
            (
                "Bandwidth",
                "Rtn Preference: MGN",
                "Standard Data Transfer Out",
                gb,
                gb * 2.5,
            ),
        ] {
            out.push_str(&format!(
                "{C1},Contoso,contoso.onmicrosoft.com,,edef061b-0a9c-535c-bacc-1fd9276bf821,,,{d},{cat},{sub},{m},{region},1 Hour,{qty:.4},{cost:.6},TWD\n"
            ));
        }
    }
    out
}

fn synthetic_alerts(text: &str) -> Vec<usage::alerts::Alert> {
    let (_d, mut conn) = db();
    customer_with_tenant(&mut conn, "Contoso", C1);
    import_bytes(&mut conn, "synthetic.csv", text.as_bytes()).unwrap();
    let tx = conn.transaction().unwrap();
    let ctx = Ctx::new(
        "tester",
        Utc.with_ymd_and_hms(2025, 6, 30, 9, 0, 0).unwrap(),
    );
    usage::evaluate::evaluate(&tx, &ctx).unwrap();
    tx.commit().unwrap();
    usage::alerts::list(&conn, Default::default()).unwrap()
}

#[test]
fn normal_series_raise_nothing_and_a_planted_spike_is_found_on_its_day() {
    use chrono::Datelike;
    // Weekly (weekends at a fifth), monthly (a backup burst on the 1st) and steady growth
    // (1 % a day, compounding): nothing is unusual.
    let normal = |d: NaiveDate| {
        let growth = 1.01f64.powi(d.ordinal0() as i32);
        let weekend = matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
        let vm = 3000.0 * growth * if weekend { 0.2 } else { 1.0 };
        let gb = 20.0 * if d.day() == 1 { 6.0 } else { 1.0 } * if weekend { 0.5 } else { 1.0 };
        (vm, gb, "EASTASIA", "D4s v5")
    };
    let quiet = synthetic_alerts(&synthetic(150, normal));
    assert!(
        quiet.is_empty(),
        "{:#?}",
        quiet
            .iter()
            .map(|a| (&a.day, &a.title_en))
            .collect::<Vec<_>>()
    );

    // The same with a spend spike on 2025-03-12 (×8 VM spend), egress ×40 from 2025-04-08,
    // a GPU size from 2025-05-06 and a new region on 2025-05-20: each found on its day, once.
    let planted = |d: NaiveDate| {
        let (mut vm, mut gb, mut region, mut meter) = normal(d);
        if d == NaiveDate::from_ymd_opt(2025, 3, 12).unwrap() {
            vm *= 8.0;
        }
        if d >= NaiveDate::from_ymd_opt(2025, 4, 8).unwrap()
            && d <= NaiveDate::from_ymd_opt(2025, 4, 10).unwrap()
        {
            gb *= 40.0;
        }
        if d >= NaiveDate::from_ymd_opt(2025, 5, 6).unwrap() {
            meter = "NC24s v3";
        }
        if d >= NaiveDate::from_ymd_opt(2025, 5, 20).unwrap() {
            region = "BRAZILSOUTH";
        }
        (vm, gb, region, meter)
    };
    let mut found: Vec<(String, String)> = synthetic_alerts(&synthetic(150, planted))
        .into_iter()
        .map(|a| (a.kind, a.day))
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    let expected: Vec<(String, String)> = [
        ("spend_spike", "2025-03-12"),
        ("egress", "2025-04-08"),
        ("gpu", "2025-05-06"),
        ("new_region", "2025-05-20"),
    ]
    .iter()
    .map(|(k, d)| (k.to_string(), d.to_string()))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn fraud_events_and_security_alerts_become_one_notice_each_with_deadlines() {
    let (_d, mut conn, ids) = sample_book();
    let text = std::fs::read_to_string(sample("fraud_events.json")).unwrap();
    let tx = conn.transaction().unwrap();
    let first = usage::notices::import(&tx, &ctx(), "fraud_events.json", &text).unwrap();
    tx.commit().unwrap();
    assert_eq!(first.added, 3);
    assert!(first.unknown_tenants.is_empty(), "{first:?}");
    // The same alerts in the Graph shape, and the same file again: nothing new.
    for name in ["security_alerts.json", "fraud_events.json"] {
        let text = std::fs::read_to_string(sample(name)).unwrap();
        let tx = conn.transaction().unwrap();
        let again = usage::notices::import(&tx, &ctx(), name, &text).unwrap();
        tx.commit().unwrap();
        assert_eq!((again.added, again.unchanged), (0, 3), "{name}");
    }
    let now = ctx().now;
    let notices = usage::notices::list(&conn, now).unwrap();
    let c = |k: &str| ids.iter().find(|(key, _)| key == k).unwrap().1;
    let mining = notices
        .iter()
        .find(|n| n.customer_id == Some(c("C3")))
        .unwrap();
    assert_eq!(mining.kind, usage::notices::NoticeKind::CryptoMining);
    assert_eq!(mining.status, usage::notices::NoticeStatus::Received);
    assert_eq!(mining.received_at, "2025-01-11T03:12:40Z");
    assert_eq!(mining.respond_by, "2025-01-11T04:12:40Z");
    assert!(mining.respond_overdue && mining.mitigate_overdue);
    assert!(!mining.resources.is_empty());
    let anomaly = notices
        .iter()
        .find(|n| n.customer_id == Some(c("C5")))
        .unwrap();
    assert_eq!(anomaly.status, usage::notices::NoticeStatus::Investigating);
    assert!(!anomaly.respond_overdue && anomaly.mitigate_overdue);
    let legit = notices
        .iter()
        .find(|n| n.customer_id == Some(c("C6")))
        .unwrap();
    assert_eq!(
        legit.status,
        usage::notices::NoticeStatus::ResolvedLegitimate
    );
    assert!(!legit.mitigate_overdue);

    // Evaluating raises the overdue deadlines once.
    let e = evaluate(&mut conn);
    let alerts = usage::alerts::list(&conn, Default::default()).unwrap();
    let notice_alerts: Vec<_> = alerts.iter().filter(|a| a.kind == "notice").collect();
    assert_eq!(
        notice_alerts.len(),
        3,
        "C3 respond + mitigate, C5 mitigate: {e:?}"
    );
    assert_eq!(evaluate(&mut conn).new_alerts, 0);

    // Resolving as fraud needs a note, starts the claim window from the first fraudulent
    // usage, and the credit is claimed once per tenant.
    let tx = conn.transaction().unwrap();
    let fraud = usage::notices::NoticeStatus::ResolvedFraud;
    assert!(usage::notices::set_status(&tx, &ctx(), mining.id, fraud, " ", None).is_err());
    usage::notices::set_status(
        &tx,
        &ctx(),
        mining.id,
        fraud,
        "Mining confirmed; subscription suspended.",
        None,
    )
    .unwrap();
    tx.commit().unwrap();
    let mining = usage::notices::list(&conn, now)
        .unwrap()
        .into_iter()
        .find(|n| n.id == mining.id)
        .unwrap();
    assert_eq!(mining.fraud_from.as_deref(), Some("2025-01-10"));
    assert_eq!(
        mining.claim_by,
        NaiveDate::from_ymd_opt(2025, 3, 11),
        "60 days by default"
    );
    assert_eq!(mining.steps.len(), 2);
    let tx = conn.transaction().unwrap();
    usage::notices::claim_filed(
        &tx,
        &ctx(),
        mining.id,
        NaiveDate::from_ymd_opt(2025, 2, 1).unwrap(),
    )
    .unwrap();
    tx.commit().unwrap();

    // Bad files: not JSON, a missing id, a date out of range; nothing written.
    let before = counts(&conn);
    for (text, expect) in [
        ("{not json", "not JSON"),
        ("[{\"eventTime\": \"2025-01-01T00:00:00Z\"}]", "eventId"),
        (
            "[{\"eventId\": \"x\", \"eventTime\": \"2101-01-01T00:00:00Z\"}]",
            "eventTime",
        ),
        ("{\"value\": 5}", "list"),
    ] {
        let tx = conn.transaction().unwrap();
        let e = usage::notices::import(&tx, &ctx(), "bad.json", text).unwrap_err();
        drop(tx);
        assert!(format!("{e}").contains(expect), "{text}: {e}");
    }
    assert_eq!(counts(&conn), before);
}

#[test]
fn the_activity_log_flags_the_planted_burst_and_billing_change_in_both_formats() {
    for name in ["audit_records.json", "activity_log_export.csv"] {
        let (_d, mut conn, ids) = sample_book();
        let text = std::fs::read_to_string(sample(name)).unwrap();
        let tx = conn.transaction().unwrap();
        let first = usage::activity::import(&tx, &ctx(), name, &text).unwrap();
        tx.commit().unwrap();
        assert_eq!(first.added, 30, "{name}");
        let tx = conn.transaction().unwrap();
        let again = usage::activity::import(&tx, &ctx(), name, &text).unwrap();
        tx.commit().unwrap();
        assert_eq!((again.added, again.unchanged), (0, 30), "{name}");
        evaluate(&mut conn);
        let c3 = ids.iter().find(|(k, _)| k == "C3").unwrap().1;
        let mut found: Vec<(String, String)> = usage::alerts::list(&conn, Default::default())
            .unwrap()
            .into_iter()
            .filter(|a| a.kind == "activity")
            .map(|a| {
                assert_eq!(a.customer_id, Some(c3), "{name}: {}", a.title_en);
                (a.day, a.title_en)
            })
            .collect();
        found.sort();
        assert_eq!(found.len(), 3, "{name}: {found:#?}");
        assert!(
            found
                .iter()
                .any(|(d, t)| d == "2025-01-09" && t.starts_with("Administrator access granted")),
            "{name}: {found:?}"
        );
        assert!(
            found.iter().any(|(d, t)| d == "2025-01-09"
                && t.starts_with("9 users or orders created within 6 minutes")),
            "{name}: {found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(d, t)| d == "2025-01-13" && t == "Billing profile changed"),
            "{found:?}"
        );
    }
}

#[test]
fn an_abuse_incident_links_its_evidence_and_suspends_through_the_history() {
    use riskdesk_core::subscription::{self, SubscriptionInput, SubscriptionStatus};
    use riskdesk_core::usage::incidents::{self, Action, Category, LinkKind};
    let (_d, mut conn, ids) = sample_book();
    let c = |k: &str| ids.iter().find(|(key, _)| key == k).unwrap().1;
    let text = std::fs::read_to_string(sample("fraud_events.json")).unwrap();
    let tx = conn.transaction().unwrap();
    usage::notices::import(&tx, &ctx(), "fraud_events.json", &text).unwrap();
    let sub = subscription::add(
        &tx,
        &ctx(),
        c("C3"),
        &SubscriptionInput {
            offer: "Azure plan".into(),
            pc_subscription_id: "49cc2f04-6a47-5821-ae8d-a11aa1f30f68".into(),
            quantity: "1".into(),
            monthly_price: "0".into(),
            start_on: "2024-12-01".into(),
        },
    )
    .unwrap();
    tx.commit().unwrap();
    evaluate(&mut conn);
    let notices = usage::notices::list(&conn, ctx().now).unwrap();
    let mining = notices
        .iter()
        .find(|n| n.customer_id == Some(c("C3")))
        .unwrap();
    let other = notices
        .iter()
        .find(|n| n.customer_id == Some(c("C5")))
        .unwrap();
    let alert = usage::alerts::list(&conn, Default::default())
        .unwrap()
        .into_iter()
        .find(|a| a.customer_id == Some(c("C3")) && a.kind == "gpu")
        .unwrap();

    let tx = conn.transaction().unwrap();
    let id = incidents::open(
        &tx,
        &ctx(),
        c("C3"),
        Category::CryptoMining,
        "GPU VMs mining since 10 Jan",
    )
    .unwrap();
    incidents::link(&tx, &ctx(), id, LinkKind::Notice, mining.id).unwrap();
    incidents::link(&tx, &ctx(), id, LinkKind::Alert, alert.id).unwrap();
    assert!(
        incidents::link(&tx, &ctx(), id, LinkKind::Notice, other.id).is_err(),
        "another customer's notice"
    );
    let on = NaiveDate::from_ymd_opt(2025, 2, 3).unwrap();
    assert!(incidents::act(&tx, &ctx(), id, Action::SuspendSubscription, None, "", on).is_err());
    incidents::act(
        &tx,
        &ctx(),
        id,
        Action::SuspendSubscription,
        Some(sub.id),
        "Mining pool traffic",
        on,
    )
    .unwrap();
    assert!(
        incidents::act(&tx, &ctx(), id, Action::ContactCustomer, None, "", on).is_err(),
        "a note is needed"
    );
    incidents::act(
        &tx,
        &ctx(),
        id,
        Action::ContactCustomer,
        None,
        "Called the CFO.",
        on,
    )
    .unwrap();
    incidents::close(
        &tx,
        &ctx(),
        id,
        "Subscription stays suspended; fraud credit claimed.",
    )
    .unwrap();
    assert!(
        incidents::act(&tx, &ctx(), id, Action::Other, None, "late", on).is_err(),
        "closed"
    );
    tx.commit().unwrap();

    let s = subscription::get(&conn, sub.id).unwrap();
    assert_eq!(s.status, SubscriptionStatus::Suspended);
    let reason: String = conn
        .query_row(
            "SELECT reason FROM subscription_events WHERE subscription_id = ?1 ORDER BY id DESC LIMIT 1",
            [sub.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reason, "suspected_fraud");
    let list = incidents::list(&conn, Some(c("C3"))).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].links.len(),
        3,
        "notice, alert and the suspended subscription"
    );
    assert_eq!(list[0].actions.len(), 2);
    assert!(list[0].closed_at.is_some());
}
