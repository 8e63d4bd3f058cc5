//! Usage Microsoft's Azure credit pays (Partner Center's `CreditPercentage`, 0 or 100 on a
//! row): the reseller is not billed for it, so it is in no exposure, budget or credit line
//! with Microsoft; the misuse detectors still watch it, since misuse paid by a credit is
//! misuse still. A share is exact (half of an odd cent stays half until the one rounding),
//! a revised file that takes a credit back replaces the day, and a cell that is no
//! percentage refuses the file on its line and column.

mod usage_common;
use usage_common::{
    counts, ctx, customer_with_tenant, db, import_bytes, problems, synthetic_alerts, C1, HEADER,
};

use chrono::NaiveDate;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::{risk, usage};
use rust_decimal::Decimal;

const SUB: &str = "edef061b-0a9c-535c-bacc-1fd9276bf821";

/// A Partner Center file with the `CreditPercentage` column: rows of (day, meter, cost,
/// credit percentage as written).
fn file(rows: &[(&str, &str, &str, &str)]) -> String {
    let mut out = format!("{HEADER},CreditPercentage\n");
    for (day, meter, cost, credit) in rows {
        out.push_str(&format!(
            "{C1},Contoso,contoso.onmicrosoft.com,,{SUB},1/1/2025,1/31/2025,{day},Virtual Machines,Dsv5 Series,{meter},EASTASIA,1 Hour,24,{cost},TWD,{credit}\n"
        ));
    }
    out
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 31).unwrap()
}

fn not_invoiced(conn: &rusqlite::Connection, id: CustomerId) -> i64 {
    let scores = risk::scores(conn, as_of(), ctx().now, Some(id)).unwrap();
    scores[0].exposure.usage_not_invoiced_minor
}

/// What credits paid of the usage not invoiced, as the customer's risk shows it.
fn credited(conn: &rusqlite::Connection, id: CustomerId) -> Vec<String> {
    let scores = risk::scores(conn, as_of(), ctx().now, Some(id)).unwrap();
    let paid = &scores[0].exposure.usage_credited;
    paid.iter().map(|m| m.format()).collect()
}

fn line_unbilled(conn: &rusqlite::Connection) -> String {
    riskdesk_core::microsoft::headroom::headroom(conn, as_of())
        .unwrap()
        .unbilled_usage
        .format()
}

/// The stored (total, credited) of a day, as the file's sums.
fn stored(conn: &rusqlite::Connection, day: &str) -> (String, String) {
    conn.query_row(
        "SELECT total, credited FROM usage_days WHERE usage_date = ?1",
        [day],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

const CREDITED: &[(&str, &str, &str, &str)] = &[
    // Wholly credited, not credited, half of an odd cent, an empty cell (no credit), and a
    // percentage as a spreadsheet shows it.
    ("1/10/2025", "D4s v5", "1000", "100"),
    ("1/10/2025", "D2s v5", "200", "0"),
    ("1/11/2025", "D4s v5", "333.33", "50"),
    ("1/11/2025", "D2s v5", "0.01", ""),
    ("1/12/2025", "D4s v5", "0.004", "100%"),
];

#[test]
fn usage_azure_credit_pays_is_neither_exposure_nor_on_the_credit_line() {
    let (_d, mut conn) = db();
    let id = customer_with_tenant(&mut conn, "Contoso", C1);
    let s = import_bytes(&mut conn, "credited.csv", file(CREDITED).as_bytes()).unwrap();
    assert_eq!((s.days_added, s.credited_rows), (3, 3));
    // The file's totals are kept as it wrote them, the credited part beside them.
    assert_eq!(stored(&conn, "2025-01-10"), ("1200".into(), "1000".into()));
    assert_eq!(
        stored(&conn, "2025-01-11"),
        ("333.34".into(), "166.665".into())
    );
    assert_eq!(
        stored(&conn, "2025-01-12"),
        ("0.004".into(), "0.004".into())
    );

    // Billed: 200 + 166.665 + 0.01 + 0 = NT$366.675, rounded once, half away from zero.
    assert_eq!(not_invoiced(&conn, id), 36_668);
    assert_eq!(line_unbilled(&conn), "NT$366.68");
    // Paid by credits, shown beside: 1,000 + 166.665 + 0.004 = NT$1,166.669, rounded once.
    assert_eq!(credited(&conn, id), ["NT$1,166.67"]);
    // The budgets' daily spend is what is billed, exactly.
    let from = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let u = usage::series::load(&conn, from, as_of(), Some(id)).unwrap();
    let spend: Vec<String> = u[0].days.values().map(|d| d.spend.to_string()).collect();
    assert_eq!(spend, ["200", "166.675", "0.000"]);
    let total: Decimal = u[0].days.values().map(|d| d.spend).sum();
    assert_eq!(total, Decimal::new(366_675, 3));

    // The same file again changes nothing.
    let again = import_bytes(&mut conn, "credited.csv", file(CREDITED).as_bytes()).unwrap();
    assert!(!again.changed());
    assert_eq!(again.days_unchanged, 3);

    // A revised file in which the credit is gone (Microsoft took it back): the days are
    // replaced, and the whole of them is billed.
    let gone: Vec<_> = CREDITED
        .iter()
        .map(|(d, m, c, _)| (*d, *m, *c, "0"))
        .collect();
    let revised = import_bytes(&mut conn, "revised.csv", file(&gone).as_bytes()).unwrap();
    assert_eq!((revised.days_replaced, revised.credited_rows), (3, 0));
    assert_eq!(stored(&conn, "2025-01-11"), ("333.34".into(), "0".into()));
    // 1,200 + 333.34 + 0.004 = NT$1,533.344.
    assert_eq!(not_invoiced(&conn, id), 153_334);
    assert_eq!(line_unbilled(&conn), "NT$1,533.34");
    assert!(credited(&conn, id).is_empty());

    // The same days from a download without the column: nothing credited either, so the
    // same days (a file without credits keeps the digest it always had).
    let plain = format!(
        "{HEADER}\n{}",
        file(&gone)
            .lines()
            .skip(1)
            .map(|l| format!("{}\n", l.strip_suffix(",0").unwrap()))
            .collect::<String>()
    );
    let same = import_bytes(&mut conn, "plain.csv", plain.as_bytes()).unwrap();
    assert!(!same.changed(), "{same:?}");
}

#[test]
fn a_credit_percentage_that_is_none_refuses_the_file_on_its_line_and_column() {
    let (_d, mut conn) = db();
    customer_with_tenant(&mut conn, "Contoso", C1);
    let before = counts(&conn);
    let bad = file(&[
        ("1/10/2025", "D4s v5", "1000", "150"),
        ("1/10/2025", "D2s v5", "200", "-5"),
        ("1/11/2025", "D4s v5", "300", "all"),
        ("1/11/2025", "D2s v5", "300", "=100"),
        ("1/12/2025", "D2s v5", "300", "100"),
    ]);
    let said = problems(import_bytes(&mut conn, "bad.csv", bad.as_bytes()).unwrap_err());
    for line in 2..=5 {
        assert!(
            said.contains(&format!(
                "line: {line}, field: \"CreditPercentage\", code: InvalidCreditPercent"
            )),
            "line {line}: {said}"
        );
    }
    assert!(!said.contains("line: 6,"), "{said}");
    assert_eq!(counts(&conn), before, "nothing written");
}

/// 150 days of steady virtual machine use; from 2025-05-06 the machines are GPU ones
/// (the crypto-mining shape: around the clock, every day), all of them paid by Azure credit.
fn mining_on_credit(credit: &str) -> String {
    let mut out = format!("{HEADER},CreditPercentage\n");
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let gpu_from = NaiveDate::from_ymd_opt(2025, 5, 6).unwrap();
    for i in 0..150 {
        let d = start + chrono::Duration::days(i);
        let (meter, credit) = if d >= gpu_from {
            ("NC24s v3", credit)
        } else {
            ("D4s v5", "0")
        };
        let day = d.format("%-m/%-d/%Y");
        out.push_str(&format!(
            "{C1},Contoso,contoso.onmicrosoft.com,,{SUB},,,{day},Virtual Machines,Dsv5 Series,{meter},EASTASIA,1 Hour,24,3000,TWD,{credit}\n"
        ));
    }
    out
}

#[test]
fn mining_paid_by_azure_credit_is_still_found() {
    for credit in ["0", "100"] {
        let found: Vec<(String, String)> = synthetic_alerts(&mining_on_credit(credit))
            .into_iter()
            .map(|a| (a.kind, a.day))
            .collect();
        assert_eq!(
            found,
            [("gpu".to_string(), "2025-05-06".to_string())],
            "credit {credit}"
        );
    }
}

/// A FOCUS export says a credit as a row of its own (`ChargeCategory` Credit, its cost
/// negative, no quantity): the part of its day the credit pays, as `CreditPercentage` says
/// it, out of what is billed; the GPU hours and their cost are the usage row's, whole.
#[test]
fn a_focus_credit_row_pays_part_of_its_day_and_leaves_the_usage_whole() {
    let (_d, mut conn) = db();
    let id = customer_with_tenant(&mut conn, "Contoso", C1);
    let header = "x_CustomerId,SubAccountId,ChargePeriodStart,ChargeCategory,ServiceName,x_SkuMeterCategory,x_SkuMeterName,RegionId,ConsumedQuantity,BilledCost,BillingCurrency";
    let row = |category: &str, quantity: &str, cost: &str| {
        format!("{C1},{SUB},2025-01-20T00:00:00Z,{category},Virtual Machines,Virtual Machines,NC24s v3,eastus,{quantity},{cost},TWD\n")
    };
    let text = format!(
        "{header}\n{}{}",
        row("Usage", "24", "1000"),
        row("Credit", "", "-600.005")
    );
    let s = import_bytes(&mut conn, "focus.csv", text.as_bytes()).unwrap();
    assert_eq!((s.days_added, s.credited_rows), (1, 1));
    assert_eq!(
        stored(&conn, "2025-01-20"),
        ("1000".into(), "600.005".into())
    );
    let watched: (String, String) = conn
        .query_row("SELECT gpu_cost, gpu_hours FROM usage_days", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(watched, ("1000".into(), "24".into()));
    // 1,000 − 600.005 = NT$399.995, rounded once: NT$400.00.
    assert_eq!(not_invoiced(&conn, id), 40_000);
    assert_eq!(line_unbilled(&conn), "NT$400");
    let again = import_bytes(&mut conn, "focus.csv", text.as_bytes()).unwrap();
    assert!(!again.changed());
}

/// Partner Center's API writes the share as a fraction (`rateOfCredit`, 0 or 1) in the
/// answer a reseller may save as a file: read as the percentage is; 100 there is no share.
#[test]
fn the_api_s_rate_of_credit_is_the_same_share_as_a_fraction() {
    let (_d, mut conn) = db();
    let id = customer_with_tenant(&mut conn, "Contoso", C1);
    let record = |meter: &str, cost: &str, rate: &str| {
        format!(
            r#"{{"customerId":"{C1}","customerName":"Contoso","entitlementId":"{SUB}","usageDate":"2025-01-10T00:00:00Z","meterCategory":"Virtual Machines","meterName":"{meter}","resourceLocation":"EASTASIA","unitType":"1 Hour","quantity":24,"billingPreTaxTotal":{cost},"billingCurrency":"TWD","rateOfCredit":{rate},"creditType":"Azure Credit Applied"}}"#
        )
    };
    let answer = |rate: &str| {
        format!(
            r#"{{"totalCount":2,"items":[{},{}]}}"#,
            record("D4s v5", "1000", rate),
            record("D2s v5", "250.5", "0")
        )
    };
    let said =
        problems(import_bytes(&mut conn, "answer.json", answer("100").as_bytes()).unwrap_err());
    assert!(
        said.contains("field: \"rateOfCredit\", code: InvalidCreditPercent"),
        "{said}"
    );
    let s = import_bytes(&mut conn, "answer.json", answer("1").as_bytes()).unwrap();
    assert_eq!(s.credited_rows, 1);
    assert_eq!(
        stored(&conn, "2025-01-10"),
        ("1250.5".into(), "1000".into())
    );
    assert_eq!(not_invoiced(&conn, id), 25_050);
}

/// Usage billed in another currency than the customer's, on days far apart: what a credit
/// pays needs no rate (a day wholly credited, even of a huge amount, is billed nothing);
/// what is left is shown apart until a rate converts it, then converted and rounded once.
#[test]
fn credited_usage_in_another_currency_needs_no_rate_and_the_rest_is_converted() {
    let (_d, mut conn) = db();
    let id = customer_with_tenant(&mut conn, "Contoso", C1);
    let mut text = format!("{HEADER},CreditPercentage\n");
    for (day, cost, credit) in [
        ("1/3/2025", "1000.01", "100"),
        ("1/3/2025", "0.02", "50"),
        ("1/28/2025", "999999999999.99", "100"),
    ] {
        text.push_str(&format!(
            "{C1},Contoso,contoso.onmicrosoft.com,,{SUB},1/1/2025,1/31/2025,{day},Virtual Machines,Dsv5 Series,D4s v5,EASTASIA,1 Hour,24,{cost},USD,{credit}\n"
        ));
    }
    let s = import_bytes(&mut conn, "usd.csv", text.as_bytes()).unwrap();
    assert_eq!((s.days_added, s.credited_rows), (2, 3));
    let scores = risk::scores(&conn, as_of(), ctx().now, Some(id)).unwrap();
    let e = &scores[0].exposure;
    assert_eq!(e.usage_not_invoiced_minor, 0);
    let apart: Vec<String> = e.usage_unconverted.iter().map(|m| m.format()).collect();
    assert_eq!(
        apart,
        ["US$0.01"],
        "only what no credit pays waits for a rate"
    );
    // What the credits paid is shown in the usage's currency until a rate converts it.
    assert_eq!(credited(&conn, id), ["US$1,000,000,001,000.01"]);

    let tx = conn.transaction().unwrap();
    usage::rates::set(&tx, &ctx(), "2025-01-01", "USD", "TWD", "32.5", "").unwrap();
    tx.commit().unwrap();
    // US$0.01 × 32.5 = NT$0.325, rounded once, half away from zero.
    assert_eq!(not_invoiced(&conn, id), 33);
    assert_eq!(line_unbilled(&conn), "NT$0.33");
    // 1,000,000,001,000.01 × 32.5 = NT$32,500,000,032,500.325, rounded once.
    assert_eq!(credited(&conn, id), ["NT$32,500,000,032,500.33"]);
}
