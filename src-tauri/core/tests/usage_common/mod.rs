//! Shared by the usage tests: a temporary book, the shared samples, and imports.

#![allow(dead_code)]

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use riskdesk_core::customer::{self, CustomerInput};
use riskdesk_core::ids::CustomerId;
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::usage::{self, UsageImport};
use riskdesk_core::{Ctx, Error};
use rusqlite::Connection;

pub fn ctx() -> Ctx {
    Ctx::new("tester", Utc.with_ymd_and_hms(2025, 2, 3, 9, 0, 0).unwrap())
}

pub fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples")
        .join(name)
}

pub fn db() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = store::create(&dir.path().join("u.db"), &DbKey::generate().unwrap()).unwrap();
    (dir, conn)
}

pub fn customer_with_tenant(conn: &mut Connection, name: &str, tenant: &str) -> CustomerId {
    let tx = conn.transaction().unwrap();
    let input = CustomerInput {
        tenant_id: tenant.into(),
        ..riskdesk_core::test_support::customer_input(name, "TWD", "TW")
    };
    let c = customer::create(&tx, &ctx(), &input).unwrap();
    tx.commit().unwrap();
    c.id
}

pub fn import_bytes(conn: &mut Connection, name: &str, bytes: &[u8]) -> Result<UsageImport, Error> {
    import_for(conn, name, bytes, None)
}

/// An import, committed when it succeeds; `whose`: the customer chosen for a FOCUS export
/// that names none.
pub fn import_for(
    conn: &mut Connection,
    name: &str,
    bytes: &[u8],
    whose: Option<CustomerId>,
) -> Result<UsageImport, Error> {
    let tx = conn.transaction().unwrap();
    let r = usage::import_usage_for(&tx, &ctx(), name, bytes, None, whose, |_, _| {});
    if r.is_ok() {
        tx.commit().unwrap();
    }
    r
}

pub fn import(conn: &mut Connection, name: &str) -> UsageImport {
    let bytes = std::fs::read(sample(name)).unwrap();
    import_bytes(conn, name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn counts(conn: &Connection) -> (i64, i64, i64) {
    let q = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        q("SELECT count(*) FROM usage_days"),
        q("SELECT count(*) FROM usage_lines"),
        q("SELECT count(*) FROM audit"),
    )
}

/// The exact amount billed for a tenant's days in [from, to], as stored: its lines' costs
/// less what credits pay.
pub fn total(conn: &Connection, tenant: &str, from: &str, to: &str) -> rust_decimal::Decimal {
    let sum = |sql: &str| -> rust_decimal::Decimal {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([tenant, from, to], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|c| c.unwrap().parse::<rust_decimal::Decimal>().unwrap())
            .sum()
    };
    sum(
        "SELECT l.cost FROM usage_lines l JOIN usage_days d ON d.id = l.day_id
         WHERE d.tenant_id = ?1 AND d.usage_date BETWEEN ?2 AND ?3",
    ) - sum("SELECT credited FROM usage_days WHERE tenant_id = ?1 AND usage_date BETWEEN ?2 AND ?3")
}

pub fn planted() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(sample("planted.json")).unwrap()).unwrap()
}

pub const C1: &str = "90fea696-4074-5090-b371-10b325a2143d";

pub const HEADER: &str = "CustomerId,CustomerName,CustomerDomainName,InvoiceNumber,EntitlementId,ChargeStartDate,ChargeEndDate,UsageDate,MeterCategory,MeterSubCategory,MeterName,ResourceLocation,UnitType,Quantity,BillingPreTaxTotal,BillingCurrency";
pub const ROW: &str = "90fea696-4074-5090-b371-10b325a2143d,\"Contoso, Ltd.\",contoso.onmicrosoft.com,,edef061b-0a9c-535c-bacc-1fd9276bf821,1/1/2025,1/31/2025,1/15/2025,Virtual Machines,Dsv5 Series,D4s v5,EASTASIA,1 Hour,24,123.4567890123,TWD";

pub fn problems(e: Error) -> String {
    match e {
        Error::Import { problems, file } => {
            assert!(!problems.is_empty());
            format!("{file}: {problems:?}")
        }
        other => panic!("expected an import error, got {other}"),
    }
}

/// The eight sample tenants as customers with the planted budgets (TWD).
pub fn sample_book() -> (tempfile::TempDir, Connection, Vec<(String, CustomerId)>) {
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

pub fn evaluate(conn: &mut Connection) -> usage::evaluate::Evaluation {
    let tx = conn.transaction().unwrap();
    let e = usage::evaluate::evaluate(&tx, &ctx()).unwrap();
    tx.commit().unwrap();
    said_as_read(conn);
    e
}

/// Every alert kept (resolved ones too) says its days as a reader writes them.
pub fn said_as_read(conn: &Connection) {
    let all = usage::alerts::Filter {
        include_resolved: true,
        ..Default::default()
    };
    riskdesk_core::test_support::assert_alerts_say_days_as_read(
        &usage::alerts::list(conn, all).unwrap(),
    );
}

/// The alerts a synthetic file of tenant `C1` (customer Contoso) raises, evaluated on
/// 2025-06-30 with the thresholds in TWD (the file has no exchange rates).
pub fn synthetic_alerts(text: &str) -> Vec<usage::alerts::Alert> {
    let (_d, mut conn) = db();
    customer_with_tenant(&mut conn, "Contoso", C1);
    import_bytes(&mut conn, "synthetic.csv", text.as_bytes()).unwrap();
    set_thresholds_in_twd(&mut conn);
    let tx = conn.transaction().unwrap();
    let at = Ctx::new(
        "tester",
        Utc.with_ymd_and_hms(2025, 6, 30, 9, 0, 0).unwrap(),
    );
    usage::evaluate::evaluate(&tx, &at).unwrap();
    tx.commit().unwrap();
    said_as_read(&conn);
    usage::alerts::list(&conn, Default::default()).unwrap()
}

/// Detector thresholds written in TWD (for synthetic files that carry no exchange rate):
/// the reference currency TWD, with amounts of that size.
pub fn set_thresholds_in_twd(conn: &mut Connection) {
    let tx = conn.transaction().unwrap();
    for (k, v) in [
        ("usage.reference_currency", "TWD"),
        ("usage.spike_min_excess", "1000"),
        ("usage.gpu_min_amount", "600"),
        ("usage.first_days_min_amount", "10000"),
    ] {
        riskdesk_core::store::settings::set(&tx, &ctx(), k, v).unwrap();
    }
    tx.commit().unwrap();
}
