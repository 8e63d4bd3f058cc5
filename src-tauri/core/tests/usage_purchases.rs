//! Purchases a FOCUS file bills (reservations, Marketplace) are no usage, but money owed to
//! Microsoft at once: a customer's exposure counts them, converted at the day's rate, until
//! a billed file covers them, and so does the reseller's credit line with Microsoft; one no
//! rate converts is shown apart, never read as zero; a file imported again, or an unbilled
//! one after the billed one, changes nothing.

mod usage_common;
use usage_common::{ctx, customer_with_tenant, db, import_bytes};

use riskdesk_core::risk;
use riskdesk_core::usage;

const TENANT: &str = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/// A FOCUS file with one day of usage that costs nothing (the reservation covers it) and
/// the reservation's purchase, billed (with an invoice id) or not.
fn file(invoice: &str, cost: &str) -> String {
    format!(
        "x_CustomerId,x_CustomerName,SubAccountId,ChargeCategory,ChargePeriodStart,ServiceName,x_SkuMeterName,ConsumedQuantity,BilledCost,BillingCurrency,x_InvoiceId
{TENANT},Harbor Cloud,s1,Usage,2025-01-20T00:00:00Z,Virtual Machines,D4s v5,24,0,USD,{invoice}
{TENANT},Harbor Cloud,s1,Purchase,2025-01-20T00:00:00Z,Virtual Machines,Reserved VM Instance,1,{cost},USD,{invoice}
"
    )
}

fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 1, 31).unwrap()
}

fn exposure(conn: &rusqlite::Connection, id: riskdesk_core::ids::CustomerId) -> risk::Exposure {
    let scores = risk::scores(conn, as_of(), ctx().now, Some(id)).unwrap();
    scores[0].exposure.clone()
}

/// What the credit line with Microsoft counts as not billed yet, in New Taiwan dollars.
fn line_unbilled(conn: &rusqlite::Connection) -> String {
    let h = riskdesk_core::microsoft::headroom::headroom(conn, as_of()).unwrap();
    h.unbilled_usage.format()
}

#[test]
fn a_purchase_not_invoiced_is_exposure_until_a_billed_file_covers_it() {
    let (_d, mut conn) = db();
    let id = customer_with_tenant(&mut conn, "Harbor Cloud", TENANT);
    let s = import_bytes(&mut conn, "unbilled.csv", file("", "1000.005").as_bytes()).unwrap();
    assert_eq!((s.purchase_days_changed, s.purchase_alerts), (1, 1));

    // No rate from US dollars to the customer's New Taiwan dollars yet: shown apart.
    let e = exposure(&conn, id);
    assert_eq!(e.purchases_not_invoiced_minor, 0);
    let apart: Vec<String> = e.usage_unconverted.iter().map(|m| m.format()).collect();
    assert_eq!(apart, ["US$1,000.01"]);
    assert_eq!(line_unbilled(&conn), "NT$0");

    // With the owner's rate: US$1,000.005 × 32.5 = NT$32,500.1625, rounded once.
    let tx = conn.transaction().unwrap();
    usage::rates::set(&tx, &ctx(), "2025-01-01", "USD", "TWD", "32.5", "").unwrap();
    tx.commit().unwrap();
    let e = exposure(&conn, id);
    assert_eq!(e.purchases_not_invoiced_minor, 3_250_016);
    assert!(e.usage_unconverted.is_empty(), "{e:?}");
    assert_eq!(line_unbilled(&conn), "NT$32,500.16");
    assert_eq!(
        e.total_minor,
        e.open_receivables_minor + e.usage_not_invoiced_minor + 3_250_016 + e.committed_minor
            - e.credit_minor
    );

    // The same file again: nothing new, the same exposure.
    let again = import_bytes(&mut conn, "unbilled.csv", file("", "1000.005").as_bytes()).unwrap();
    assert_eq!((again.purchase_days_changed, again.purchase_alerts), (0, 0));
    assert!(!again.changed());
    assert_eq!(exposure(&conn, id).purchases_not_invoiced_minor, 3_250_016);

    // A revised unbilled file replaces the day's figure.
    let revised = import_bytes(&mut conn, "revised.csv", file("", "900").as_bytes()).unwrap();
    assert_eq!(revised.purchase_days_changed, 1);
    assert_eq!(exposure(&conn, id).purchases_not_invoiced_minor, 2_925_000);

    // The billed file: on Microsoft's invoice, so on the customer's; no longer exposure, and
    // an unbilled file read after it does not bring it back.
    import_bytes(
        &mut conn,
        "billed.csv",
        file("G012345678", "900").as_bytes(),
    )
    .unwrap();
    assert_eq!(exposure(&conn, id).purchases_not_invoiced_minor, 0);
    assert_eq!(line_unbilled(&conn), "NT$0");
    let late = import_bytes(&mut conn, "late.csv", file("", "900").as_bytes()).unwrap();
    assert_eq!(late.purchase_days_changed, 0);
    assert_eq!(exposure(&conn, id).purchases_not_invoiced_minor, 0);
    let kept: (i64, String) = conn
        .query_row("SELECT billed, total FROM usage_purchases", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(kept, (1, "900".to_string()));
    // Each change is in the audit trail, with what it replaced: kept, revised, billed.
    let audited: Vec<(String, String)> = conn
        .prepare("SELECT before, after FROM audit WHERE entity = 'usage_purchase' ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(audited.len(), 3, "{audited:?}");
    assert!(!audited[0].0.contains("total") && audited[0].1.contains("\"total\":\"1000.005\""));
    assert!(audited[1].0.contains("1000.005") && audited[1].1.contains("\"total\":\"900\""));
    assert!(audited[2].1.contains("\"billed\":true"), "{audited:?}");
}

/// A tenant that only buys (a Marketplace offer, nothing used) and has never paid: service
/// used before the first payment, from the purchase's day.
#[test]
fn a_purchase_with_nothing_used_is_service_before_the_first_payment() {
    let (_d, mut conn) = db();
    let id = customer_with_tenant(&mut conn, "Harbor Cloud", TENANT);
    let only = format!(
        "x_CustomerId,x_CustomerName,SubAccountId,ChargeCategory,ChargePeriodStart,ServiceName,x_SkuMeterName,ConsumedQuantity,BilledCost,BillingCurrency
{TENANT},Harbor Cloud,,Purchase,2025-01-22T00:00:00Z,SaaS,Marketplace offer,1,80,TWD
"
    );
    let before = risk::scores(&conn, as_of(), ctx().now, Some(id)).unwrap();
    assert!(!before[0]
        .factors
        .iter()
        .any(|f| f.key == "before_first_payment"));
    import_bytes(&mut conn, "only.csv", only.as_bytes()).unwrap();
    let after = risk::scores(&conn, as_of(), ctx().now, Some(id)).unwrap();
    let f = after[0]
        .factors
        .iter()
        .find(|f| f.key == "before_first_payment")
        .expect("flagged");
    assert!(f.evidence.contains("22 January 2025"), "{}", f.evidence);
    assert_eq!(after[0].exposure.purchases_not_invoiced_minor, 8_000);
}

/// A purchase dated on or before the last day a billed file covered is on an invoice already
/// (backdated in an unbilled file); one after it is not.
#[test]
fn a_purchase_before_the_last_billed_day_is_not_exposure_one_after_is() {
    let (_d, mut conn) = db();
    let id = customer_with_tenant(&mut conn, "Harbor Cloud", TENANT);
    let header = "x_CustomerId,x_CustomerName,SubAccountId,ChargeCategory,ChargePeriodStart,ServiceName,x_SkuMeterName,ConsumedQuantity,BilledCost,BillingCurrency,x_InvoiceId";
    let billed = format!(
        "{header}\n{TENANT},Harbor Cloud,s1,Usage,2025-01-25T00:00:00Z,Virtual Machines,D4s v5,24,100,TWD,G0001\n"
    );
    import_bytes(&mut conn, "billed.csv", billed.as_bytes()).unwrap();
    let purchases = format!(
        "{header}\n{TENANT},Harbor Cloud,,Purchase,2025-01-20T00:00:00Z,SaaS,Offer,1,70,TWD,\n{TENANT},Harbor Cloud,,Purchase,2025-01-28T00:00:00Z,SaaS,Offer,1,30,TWD,\n"
    );
    import_bytes(&mut conn, "purchases.csv", purchases.as_bytes()).unwrap();
    assert_eq!(exposure(&conn, id).purchases_not_invoiced_minor, 3_000);
}

/// The purchase days kept (day, currency, total), and how many purchase alerts there are.
fn kept(conn: &rusqlite::Connection) -> (Vec<(String, String, String)>, i64) {
    let days = conn
        .prepare("SELECT day, currency, total FROM usage_purchases ORDER BY day, currency")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let alerts = conn
        .query_row(
            "SELECT count(*) FROM alerts WHERE kind = ?1",
            [usage::alerts::AlertKind::Purchase.as_str()],
            |r| r.get(0),
        )
        .unwrap();
    (days, alerts)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    /// What is kept of a customer's purchases, and the alerts they raise, never depend on
    /// how often the file is imported; the kept days add up to the file's rows exactly.
    #[test]
    fn purchases_kept_do_not_depend_on_how_often_a_file_is_imported(
        rows in proptest::collection::vec((1u32..6, 0usize..2, -100_000i64..10_000_000), 1..12),
        times in 2usize..4,
    ) {
        let mut text = String::from(
            "x_CustomerId,x_CustomerName,SubAccountId,ChargeCategory,ChargePeriodStart,ServiceName,x_SkuMeterName,ConsumedQuantity,BilledCost,BillingCurrency\n",
        );
        let mut sums = std::collections::BTreeMap::new();
        for (day, currency, cents) in &rows {
            let currency = ["USD", "EUR"][*currency];
            let cost = rust_decimal::Decimal::new(*cents, 3);
            *sums.entry((format!("2025-01-{day:02}"), currency)).or_insert(rust_decimal::Decimal::ZERO) += cost;
            text.push_str(&format!(
                "{TENANT},Harbor Cloud,,Purchase,2025-01-{day:02}T00:00:00Z,SaaS,Offer,1,{cost},{currency}\n"
            ));
        }
        let (_d, mut conn) = db();
        customer_with_tenant(&mut conn, "Harbor Cloud", TENANT);
        import_bytes(&mut conn, "p.csv", text.as_bytes()).unwrap();
        let once = kept(&conn);
        for _ in 1..times {
            let again = import_bytes(&mut conn, "p.csv", text.as_bytes()).unwrap();
            proptest::prop_assert!(!again.changed());
        }
        proptest::prop_assert_eq!(kept(&conn), once.clone());
        let expected: Vec<(String, String, String)> = sums
            .into_iter()
            .map(|((day, currency), sum)| (day, currency.to_string(), sum.normalize().to_string()))
            .collect();
        proptest::prop_assert_eq!(once.0, expected);
    }
}

/// Purchases imported while their tenant was no customer's are alerted when the tenant is
/// linked to one, as an import would have alerted them (the first one high); linking again
/// raises nothing new, and a purchase of nothing is no alert.
#[test]
fn purchases_imported_before_their_tenant_is_linked_are_alerted_on_the_link() {
    let (_d, mut conn) = db();
    let free = file("", "0").replace("2025-01-20", "2025-01-21");
    for (name, text) in [("u.csv", file("", "250.00")), ("free.csv", free)] {
        let s = import_bytes(&mut conn, name, text.as_bytes()).unwrap();
        assert_eq!(s.purchase_alerts, 0, "no customer yet");
    }
    let alerts = |conn: &rusqlite::Connection| -> Vec<(i64, i64, String)> {
        let mut stmt = conn
            .prepare(
                "SELECT customer_id, severity, title_en FROM alerts WHERE kind = ?1 ORDER BY id",
            )
            .unwrap();
        stmt.query_map([usage::alerts::AlertKind::Purchase.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    assert!(alerts(&conn).is_empty());
    // A customer made without the tenant id, then the tenant linked to it.
    let id = customer_with_tenant(&mut conn, "Harbor Cloud", "");
    let link = |conn: &mut rusqlite::Connection, to| {
        let tx = conn.transaction().unwrap();
        usage::tenants::link(&tx, &ctx(), TENANT, to).unwrap();
        tx.commit().unwrap();
    };
    link(&mut conn, Some(id));
    let raised = alerts(&conn);
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert_eq!((raised[0].0, raised[0].1), (id.0, 3));
    assert!(
        raised[0].2.starts_with("First purchase billed: US$250.00"),
        "{}",
        raised[0].2
    );
    link(&mut conn, None);
    link(&mut conn, Some(id));
    assert_eq!(alerts(&conn), raised, "linked again: nothing new");
}

/// The same when the customer is made with the tenant id after the import, or given it
/// later: its purchases are alerted then, once.
#[test]
fn purchases_imported_before_the_customer_has_the_tenant_id_are_alerted_when_it_does() {
    let count = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM alerts WHERE kind = ?1",
            [usage::alerts::AlertKind::Purchase.as_str()],
            |r| r.get(0),
        )
        .unwrap()
    };
    // Made with it.
    let (_d, mut conn) = db();
    import_bytes(&mut conn, "u.csv", file("", "250.00").as_bytes()).unwrap();
    assert_eq!(count(&conn), 0);
    customer_with_tenant(&mut conn, "Harbor Cloud", TENANT);
    assert_eq!(count(&conn), 1);
    // Given it later, in upper case as a form may hold it.
    let (_d, mut conn) = db();
    import_bytes(&mut conn, "u.csv", file("", "250.00").as_bytes()).unwrap();
    let id = customer_with_tenant(&mut conn, "Harbor Cloud", "");
    assert_eq!(count(&conn), 0);
    let tx = conn.transaction().unwrap();
    let mut fields = riskdesk_core::customer::get(&tx, id).unwrap().fields;
    fields.tenant_id = Some(TENANT.to_uppercase());
    riskdesk_core::customer::update(&tx, &ctx(), id, &fields).unwrap();
    tx.commit().unwrap();
    assert_eq!(count(&conn), 1);
}
