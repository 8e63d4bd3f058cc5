//! FOCUS exports of one customer's own (Cost Management of its billing account or
//! subscription): FOCUS has no customer column, so the user says whose export it is.

mod usage_common;

use riskdesk_core::error::Code;
use riskdesk_core::usage::Format;
use riskdesk_core::Error;
use rust_decimal::Decimal;
use usage_common::*;

const TENANT: &str = "5f1c2b3a-9d8e-4f70-a1b2-c3d4e5f60718";

/// The FOCUS working group's example (reference/README.txt): a reservation bought
/// (ChargeCategory Purchase, US$55,334) and an hour of usage it covers (BilledCost 0).
const REFERENCE: &str = "reference/focus_spec_azure_reservation_no_upfront_100pct.head3.csv";

fn reference() -> Vec<u8> {
    std::fs::read(sample(REFERENCE)).unwrap()
}

/// The one problem of a refused import: its line, field and code.
fn refusal(e: Error) -> (u64, String, Code) {
    match e {
        Error::Import { problems, .. } => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            let p = &problems[0];
            (p.line, p.field.clone(), p.code)
        }
        other => panic!("expected an import error, got {other}"),
    }
}

#[test]
fn a_focus_export_naming_no_customer_is_imported_for_the_customer_chosen_once() {
    let (_d, mut conn) = db();
    let id = customer_with_tenant(&mut conn, "Contoso Reserved Ltd", TENANT);
    let before = counts(&conn);
    // Without a customer: refused on its header, naming the column, and nothing written.
    let e = import_bytes(&mut conn, "reservation.csv", &reference()).unwrap_err();
    assert_eq!(
        refusal(e),
        (1, "x_CustomerId".to_string(), Code::NoCustomerColumn)
    );
    assert_eq!(counts(&conn), before);

    let r = import_for(&mut conn, "reservation.csv", &reference(), Some(id)).unwrap();
    assert_eq!(r.format, Format::Focus);
    assert_eq!(r.rows, 2);
    assert_eq!(r.days_added, 1, "{r:?}");
    assert_eq!(r.first_day, chrono::NaiveDate::from_ymd_opt(2026, 2, 1));
    assert_eq!(r.tenants.len(), 1);
    assert_eq!(r.tenants[0].tenant_id, TENANT);
    assert_eq!(r.tenants[0].customer_id, Some(id));
    // The file has no customer name: the tenant is listed under the customer's.
    assert_eq!(r.tenants[0].name, "Contoso Reserved Ltd");
    // The reservation's purchase is not usage; the hour it covered was billed nothing.
    assert_eq!(
        total(&conn, TENANT, "2026-02-01", "2026-02-28"),
        Decimal::ZERO
    );
    // The same file for the same customer again changes nothing.
    let after = counts(&conn);
    let again = import_for(&mut conn, "reservation.csv", &reference(), Some(id)).unwrap();
    assert!(!again.changed(), "{again:?}");
    assert_eq!(counts(&conn), after);
}

#[test]
fn a_customer_s_focus_export_counts_each_day_to_the_cent() {
    let (_d, mut conn) = db();
    let id = customer_with_tenant(&mut conn, "Northwind Self-Service", TENANT);
    // Two days, another column order, a tiny and a large cost, a credit.
    let text = "ChargeCategory,BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,SubAccountId,RegionId,PricingUnit,PricingQuantity,ChargeDescription\n\
        Usage,0.01,USD,2026-03-01T00:00:00Z,2026-03-02T00:00:00Z,Storage,/subscriptions/0a1b2c3d-0000-4000-8000-000000000001,eastasia,GB/Month,0.5,Hot LRS Data Stored\n\
        Usage,98765.43,USD,2026-03-01T00:00:00Z,2026-03-02T00:00:00Z,Virtual Machines,/subscriptions/0a1b2c3d-0000-4000-8000-000000000001,eastasia,Hours,24,D4s v5\n\
        Credit,-5.00,USD,2026-03-02T00:00:00Z,2026-03-03T00:00:00Z,Virtual Machines,/subscriptions/0a1b2c3d-0000-4000-8000-000000000001,eastasia,Hours,0,D4s v5\n\
        Usage,1.50,USD,2026-03-02T00:00:00Z,2026-03-03T00:00:00Z,Virtual Machines,/subscriptions/0a1b2c3d-0000-4000-8000-000000000001,eastasia,Hours,1,D4s v5\n\
        Purchase,500.00,USD,2026-03-02T00:00:00Z,2026-04-01T00:00:00Z,Virtual Machines,/subscriptions/0a1b2c3d-0000-4000-8000-000000000001,eastasia,Units,1,Reservation\n";
    let r = import_for(&mut conn, "march.csv", text.as_bytes(), Some(id)).unwrap();
    assert_eq!((r.rows, r.days_added), (5, 2), "{r:?}");
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    assert_eq!(
        total(&conn, TENANT, "2026-03-01", "2026-03-01"),
        d("98765.44")
    );
    assert_eq!(total(&conn, TENANT, "2026-03-02", "2026-03-02"), d("-3.50"));
}

#[test]
fn a_customer_is_chosen_only_where_the_file_names_none_and_must_have_its_tenant() {
    let (_d, mut conn) = db();
    let with_tenant = customer_with_tenant(&mut conn, "Tenant Known Co", TENANT);
    let without = customer_with_tenant(&mut conn, "No Tenant Yet Co", "");
    let before = counts(&conn);
    let focus = std::fs::read(sample("focus_usage_slice.csv")).unwrap();
    let partner_center = format!("{HEADER}\n{ROW}\n");
    // A file that names the customer of each row is imported as it says.
    for (name, bytes, column) in [
        ("focus.csv", focus.as_slice(), "x_CustomerId"),
        ("pc.csv", partner_center.as_bytes(), "CustomerId"),
    ] {
        let e = import_for(&mut conn, name, bytes, Some(with_tenant)).unwrap_err();
        assert_eq!(
            refusal(e),
            (1, column.to_string(), Code::NamesItsCustomers),
            "{name}"
        );
    }
    // A customer without a Microsoft tenant id, and one that does not exist.
    let e = import_for(&mut conn, "r.csv", &reference(), Some(without)).unwrap_err();
    assert_eq!(refusal(e), (1, "customer".to_string(), Code::NoTenantId));
    let e = import_for(
        &mut conn,
        "r.csv",
        &reference(),
        Some(riskdesk_core::ids::CustomerId(9_999)),
    )
    .unwrap_err();
    assert_eq!(refusal(e), (1, "customer".to_string(), Code::NotFound));
    assert_eq!(counts(&conn), before);
}

#[test]
fn a_tenant_the_usage_kept_links_to_another_customer_is_not_taken_over() {
    let (_d, mut conn) = db();
    let first = customer_with_tenant(&mut conn, "First Owner Ltd", TENANT);
    let second = customer_with_tenant(&mut conn, "Second Owner Ltd", "");
    // The tenant's usage is linked to the first customer; the second is then given the
    // tenant id by mistake (the first's record moved to another tenant).
    let tx = conn.transaction().unwrap();
    riskdesk_core::usage::import_usage_for(
        &tx,
        &ctx(),
        "r.csv",
        &reference()[..],
        None,
        Some(first),
        |_, _| {},
    )
    .unwrap();
    tx.execute(
        "UPDATE customers SET tenant_id = CASE id WHEN ?1 THEN '6a6a6a6a-0000-4000-8000-000000000000' ELSE ?2 END WHERE id IN (?1, ?3)",
        rusqlite::params![first.0, TENANT, second.0],
    )
    .unwrap();
    tx.commit().unwrap();
    let before = counts(&conn);
    let e = import_for(&mut conn, "r.csv", &reference(), Some(second)).unwrap_err();
    assert_eq!(
        refusal(e),
        (1, "customer".to_string(), Code::TenantLinkedElsewhere)
    );
    assert_eq!(counts(&conn), before);
}
