//! Store tests on temporary encrypted databases.

mod books;

use books::*;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use riskdesk_core::customer::{
    self, ListQuery, OnboardingCheck, OnboardingItem, SortKey, Status, StatusAction,
};
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::subscription::{
    self, Reason, SubscriptionAction, SubscriptionInput, SubscriptionStatus,
};
use riskdesk_core::test_support::scalar;
use riskdesk_core::{audit, demo, Error};
use rusqlite::Connection;

#[test]
fn a_customer_survives_closing_and_reopening_the_database() {
    let (db, mut conn) = new_db();
    let c = add(&mut conn, "台北雲端科技股份有限公司", T1);
    drop(conn);
    let conn = store::open(&db.path, &db.key).unwrap();
    let again = customer::get(&conn, c.id).unwrap();
    assert_eq!(again.fields.legal_name, "台北雲端科技股份有限公司");
    assert_eq!(again.fields.credit_limit.minor, 10_000_000);
}

/// The reading connection answers while the writing one holds a write transaction open,
/// sees what it committed once it is committed (not before), and cannot write.
#[test]
fn a_reader_answers_while_a_write_is_open_and_cannot_write() {
    let (db, mut conn) = new_db();
    add(&mut conn, "Reader Before Ltd", T1);
    let reader = store::open_reader(&db.path, &db.key).unwrap();
    let names = |c: &Connection| -> Vec<String> {
        customer::list(c, &ListQuery::default())
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.legal_name)
            .collect()
    };
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    tx.execute(
        "UPDATE customers SET legal_name = 'Reader During Ltd' WHERE legal_name = 'Reader Before Ltd'",
        [],
    )
    .unwrap();
    let started = std::time::Instant::now();
    assert_eq!(names(&reader), ["Reader Before Ltd"]);
    // It did not wait for the writer (whose lock a waiting reader would sit out for the
    // busy timeout, five seconds).
    assert!(started.elapsed() < std::time::Duration::from_secs(4));
    tx.commit().unwrap();
    assert_eq!(names(&reader), ["Reader During Ltd"]);
    let refused = reader.execute("DELETE FROM settings", []);
    assert!(refused.is_err(), "a write through the reader: {refused:?}");
    assert_eq!(
        scalar::<i64>(&conn, "SELECT count(*) FROM customers"),
        1,
        "the book is unchanged"
    );
}

/// A reader is refused on a key that does not fit and on a schema that is not this
/// build's (the writing connection upgrades first).
#[test]
fn a_reader_needs_the_key_and_an_upgraded_book() {
    let (db, conn) = new_db();
    drop(conn);
    let other = DbKey::generate().unwrap();
    assert!(matches!(
        store::open_reader(&db.path, &other),
        Err(Error::WrongKey)
    ));
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    drop(store::create_at_version(&old, &db.key, 20).unwrap());
    assert!(matches!(
        store::open_reader(&old, &db.key),
        Err(Error::Conflict { .. })
    ));
    drop(store::open(&old, &db.key).unwrap());
    assert!(store::open_reader(&old, &db.key).is_ok());
}

#[test]
fn the_file_on_disk_is_not_readable_sqlite() {
    let (db, mut conn) = new_db();
    add(&mut conn, "Plaintext Search Corp", T1);
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    drop(conn);
    let bytes = std::fs::read(&db.path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    let needle = b"Plaintext Search Corp";
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    // Plain SQLite (no key) cannot read it either.
    let plain = Connection::open(&db.path).unwrap();
    assert!(plain
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r
            .get::<_, i64>(0))
        .is_err());
}

#[test]
fn a_wrong_key_is_refused_with_a_clear_error() {
    let (db, conn) = new_db();
    drop(conn);
    let other = DbKey::generate().unwrap();
    match store::open(&db.path, &other) {
        Err(Error::WrongKey) => {}
        other => panic!("expected WrongKey, got {other:?}"),
    }
    assert!(Error::WrongKey.to_string().contains("recovery key"));
}

#[test]
fn a_database_from_a_newer_riskdesk_is_refused_and_left_unchanged() {
    let (db, conn) = new_db();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let before = std::fs::read(&db.path).unwrap();
    match store::open(&db.path, &db.key) {
        Err(Error::TooNew {
            found: 99,
            supported,
        }) => assert_eq!(supported, store::schema_version()),
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert_eq!(std::fs::read(&db.path).unwrap(), before);
}

/// Migration 0023 sums the account totals of a book written before it, and the aging's
/// credit held reads them: the same figures as a book that had them from its first record.
#[test]
fn a_book_from_schema_22_gets_its_account_totals_summed() {
    use riskdesk_core::receivables::{self, BucketEdges};
    use riskdesk_core::test_support::{self as support, account_totals_kept_and_fresh};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v22.db");
    let key = DbKey::generate().unwrap();
    // Schema 22: everything but the totals and their triggers.
    let mut conn = store::create_at_version(&path, &key, 22).unwrap();
    let c = support::customer(&mut conn, "Old Book Ltd", "TWD", "TW");
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    support::invoice(&mut conn, c, "A", (day(3, 1), day(3, 31)), 1_000_000, "TWD");
    support::invoice(&mut conn, c, "B", (day(4, 1), day(5, 1)), 500_000, "TWD");
    // 18,000 paid for 15,000; the first payment is charged back on 5 May, and the credit
    // it left pays A again; what B still owes is written off on 10 May. Written as schema
    // 22's code wrote them (today's writes columns it lacks): PAY-1 paid A and 2,000 of B,
    // PAY-2 3,000 of B and held 3,000, which paid A again once PAY-1 was taken back.
    conn.execute_batch(&format!(
        "INSERT INTO payments (id, customer_id, kind, received_on, amount_minor, currency, method, reference, created_at, reference_key)
         VALUES (1, {c}, 'payment', '2026-04-10', 1200000, 'TWD', 'bank transfer', 'PAY-1', '2026-04-10T09:00:00Z', 'PAY-1'),
                (2, {c}, 'payment', '2026-04-20', 600000, 'TWD', 'bank transfer', 'PAY-2', '2026-04-20T09:00:00Z', 'PAY-2');
         INSERT INTO allocations (payment_id, invoice_id, amount_minor)
         SELECT 1, id, CASE number WHEN 'A' THEN 1000000 ELSE 200000 END FROM invoices
         UNION ALL SELECT 2, id, 300000 FROM invoices;
         INSERT INTO payment_returns (payment_id, returned_on, reason, note, recorded_at)
         VALUES (1, '2026-05-05', 'chargeback', '', '2026-05-05T09:00:00Z');
         UPDATE invoices SET written_off_minor = 200000, written_off_on = '2026-05-10',
                write_off_reason = 'uncollectable', settled_on = '2026-05-10' WHERE number = 'B';",
        c = c.0
    ))
    .unwrap();
    drop(conn);

    let conn = store::open(&path, &key).unwrap();
    let (kept, fresh) = account_totals_kept_and_fresh(&conn);
    assert_eq!(kept, fresh);
    assert_eq!(kept, format!("{}:TWD:1500000:200000:1800000:1200000", c.0));
    let aging = |on| {
        let a = receivables::aging(&conn, on, BucketEdges::default()).unwrap();
        (a.totals[0].total_minor, a.totals[0].credit_minor)
    };
    // 25 April: both invoices paid, 3,000 held. 15 May: A owes 7,000, nothing held.
    assert_eq!(aging(day(4, 25)), (0, 300_000));
    assert_eq!(aging(day(5, 15)), (700_000, 0));
    // A record never leaves its account, whatever writes to the file.
    for sql in [
        "UPDATE invoices SET currency = 'USD'",
        "UPDATE payments SET customer_id = customer_id + 1",
    ] {
        let e = conn.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("keeps its customer and currency"), "{e}");
    }
}

#[test]
fn a_schema_1_database_is_upgraded_and_keeps_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let key = DbKey::generate().unwrap();
    let conn = store::create_at_version(&path, &key, 1).unwrap();
    let v: i64 = scalar(&conn, "PRAGMA user_version");
    assert_eq!(v, 1);
    let no_settings: i64 = scalar(
        &conn,
        "SELECT count(*) FROM sqlite_master WHERE name = 'settings'",
    );
    assert_eq!(no_settings, 0);
    // The row as schema 1 wrote it: today's record has columns schema 1 lacks.
    conn.execute(
        "INSERT INTO customers (legal_name, tenant_id, country, currency, language, payment_terms_days,
             credit_limit_minor, payment_instrument, card_present, admin_access, status, created_at, updated_at)
         VALUES ('Old Schema Ltd', ?1, 'TW', 'TWD', 'zh-TW', 30, 10000000, 'bank_transfer', 0, 'limited', 'active',
                 '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        [T1],
    )
    .unwrap();
    let id = riskdesk_core::ids::CustomerId(conn.last_insert_rowid());
    drop(conn);

    let mut conn = store::open(&path, &key).unwrap();
    let v: i64 = scalar(&conn, "PRAGMA user_version");
    assert_eq!(v, store::schema_version());
    assert_eq!(
        customer::get(&conn, id).unwrap().fields.legal_name,
        "Old Schema Ltd"
    );
    let tx = conn.transaction().unwrap();
    store::settings::set(&tx, &ctx(), "language", "zh-TW").unwrap();
    tx.commit().unwrap();
    assert_eq!(
        store::settings::get(&conn, "language").unwrap().as_deref(),
        Some("zh-TW")
    );
    assert!(audit::verify(&conn).unwrap().is_intact());
}

#[test]
fn a_second_customer_with_the_same_tenant_id_is_refused() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "First", T1);
    let tx = conn.transaction().unwrap();
    let mut dup = input("Second", &T1.to_uppercase());
    dup.legal_name = "Second".into();
    match customer::create(&tx, &ctx(), &dup) {
        Err(Error::Validation(e)) => assert_eq!(e[0].code.as_str(), "duplicate_tenant"),
        other => panic!("expected duplicate tenant, got {other:?}"),
    }
}

#[test]
fn every_change_writes_an_audit_row_in_the_same_transaction() {
    let (_db, mut conn) = new_db();
    let c = add(&mut conn, "Audited Ltd", T1);
    assert_eq!(audit::count(&conn).unwrap(), 1);

    let tx = conn.transaction().unwrap();
    let mut f = c.fields.clone();
    f.phone = "+886 2 2345 6789".into();
    customer::update(&tx, &ctx(), c.id, &f).unwrap();
    // Saving the same fields again writes nothing.
    let (_, changed) = customer::update(&tx, &ctx(), c.id, &f).unwrap();
    assert!(!changed);
    customer::change_status(
        &tx,
        &ctx(),
        c.id,
        StatusAction::Suspend,
        "Card charge-back",
        "",
    )
    .unwrap();
    customer::change_status(&tx, &ctx(), c.id, StatusAction::Reactivate, "Paid", "").unwrap();
    tx.commit().unwrap();

    let history = audit::for_entity(&conn, "customer", c.id).unwrap();
    let actions: Vec<&str> = history.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["reactivate", "suspend", "update", "create"]);
    assert_eq!(
        history[1].after.as_ref().unwrap()["reason"],
        "Card charge-back"
    );
    assert_eq!(history[1].os_user, "tester");
    assert_eq!(history[1].at, "2026-11-25T09:30:00Z");

    // A change that fails leaves neither the record nor an audit row behind.
    let tx = conn.transaction().unwrap();
    assert!(
        customer::change_status(&tx, &ctx(), c.id, StatusAction::Reactivate, "again", "").is_err()
    );
    drop(tx);
    assert_eq!(audit::count(&conn).unwrap(), 4);
}

#[test]
fn the_audit_trail_refuses_updates_and_deletes() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "A", T1);
    assert!(conn.execute("UPDATE audit SET os_user = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM audit", []).is_err());
}

fn tamper(conn: &Connection, sql: &str) {
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_rows_are_never_updated; DROP TRIGGER audit_rows_are_never_deleted; {sql}"
    ))
    .unwrap();
}

#[test]
fn audit_verify_finds_an_edited_row() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "A", T1);
    add(&mut conn, "B", T2);
    assert!(audit::verify(&conn).unwrap().is_intact());
    tamper(
        &conn,
        "UPDATE audit SET os_user = 'someone-else' WHERE seq = 1;",
    );
    let v = audit::verify(&conn).unwrap();
    assert!(v.problem.unwrap().contains("row 1"));
    let b = v.broken.unwrap();
    assert_eq!((b.kind, b.row), ("changed", 1));
}

#[test]
fn audit_verify_finds_a_removed_row_in_the_middle_and_at_the_end() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "A", T1);
    add(&mut conn, "B", T2);
    add(&mut conn, "C", "");
    tamper(&conn, "DELETE FROM audit WHERE seq = 2;");
    let v = audit::verify(&conn).unwrap();
    assert!(v.problem.unwrap().contains("row 2 is missing"));
    let b = v.broken.unwrap();
    assert_eq!((b.kind, b.row, b.next), ("missing", 2, 3));

    let (_db, mut conn) = new_db();
    add(&mut conn, "A", T1);
    add(&mut conn, "B", T2);
    tamper(&conn, "DELETE FROM audit WHERE seq = 2;");
    let v = audit::verify(&conn).unwrap();
    assert!(v.problem.unwrap().contains("recorded end"));
    let b = v.broken.unwrap();
    assert_eq!((b.kind, b.row, b.next), ("end_moved", 1, 2));
}

#[test]
fn onboarding_checks_are_recorded_replaced_and_cleared() {
    let (_db, mut conn) = new_db();
    let c = add(&mut conn, "A", T1);
    let tx = conn.transaction().unwrap();
    let check = |item, reference: &str| OnboardingCheck {
        item,
        done_on: today(),
        done_by: "Amy".into(),
        reference: reference.into(),
        note: String::new(),
    };
    // A credit check needs the report's reference.
    assert!(
        customer::record_check(&tx, &ctx(), c.id, &check(OnboardingItem::CreditCheck, "")).is_err()
    );
    customer::record_check(
        &tx,
        &ctx(),
        c.id,
        &check(OnboardingItem::CreditCheck, "TCRI-1"),
    )
    .unwrap();
    customer::record_check(&tx, &ctx(), c.id, &check(OnboardingItem::PhoneContact, "")).unwrap();
    customer::record_check(
        &tx,
        &ctx(),
        c.id,
        &check(OnboardingItem::CreditCheck, "TCRI-2"),
    )
    .unwrap();
    let checks = customer::checks(&tx, c.id).unwrap();
    assert_eq!(checks.len(), 2);
    assert_eq!(checks[0].item, OnboardingItem::PhoneContact);
    assert_eq!(checks[1].reference, "TCRI-2");
    customer::clear_check(&tx, &ctx(), c.id, OnboardingItem::PhoneContact).unwrap();
    assert_eq!(customer::checks(&tx, c.id).unwrap().len(), 1);
    tx.commit().unwrap();
    let actions: Vec<String> = audit::for_entity(&conn, "customer", c.id)
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(
        actions,
        [
            "clear_check",
            "update_check",
            "record_check",
            "record_check",
            "create"
        ]
    );
}

#[test]
fn a_subscription_keeps_its_suspension_and_reactivation_history() {
    let (_db, mut conn) = new_db();
    let c = add(&mut conn, "A", T1);
    let tx = conn.transaction().unwrap();
    let s = subscription::add(
        &tx,
        &ctx(),
        c.id,
        &SubscriptionInput {
            offer: "Azure plan".into(),
            pc_subscription_id: "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE".into(),
            quantity: "1".into(),
            monthly_price: "45,000".into(),
            start_on: "2026-01-01".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(s.monthly_price.minor, 4_500_000);
    assert_eq!(s.monthly_price.currency.code(), "TWD");
    let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    subscription::change(
        &tx,
        &ctx(),
        s.id,
        SubscriptionAction::Suspend,
        Reason::NonPayment,
        d(1),
        "60 days overdue",
    )
    .unwrap();
    // Suspending twice is refused.
    assert!(subscription::change(
        &tx,
        &ctx(),
        s.id,
        SubscriptionAction::Suspend,
        Reason::NonPayment,
        d(2),
        ""
    )
    .is_err());
    let s2 = subscription::change(
        &tx,
        &ctx(),
        s.id,
        SubscriptionAction::Reactivate,
        Reason::NonPayment,
        d(3),
        "paid",
    )
    .unwrap();
    assert_eq!(s2.status, SubscriptionStatus::Active);
    subscription::change(
        &tx,
        &ctx(),
        s.id,
        SubscriptionAction::Cancel,
        Reason::CustomerRequest,
        d(4),
        "",
    )
    .unwrap();
    assert!(subscription::change(
        &tx,
        &ctx(),
        s.id,
        SubscriptionAction::Reactivate,
        Reason::Other,
        d(5),
        ""
    )
    .is_err());
    tx.commit().unwrap();
    let ev = subscription::events(&conn, s.id).unwrap();
    let got: Vec<(SubscriptionAction, Reason)> = ev.iter().map(|e| (e.action, e.reason)).collect();
    assert_eq!(
        got,
        [
            (SubscriptionAction::Suspend, Reason::NonPayment),
            (SubscriptionAction::Reactivate, Reason::NonPayment),
            (SubscriptionAction::Cancel, Reason::CustomerRequest)
        ]
    );
    assert_eq!(ev[0].note, "60 days overdue");
    assert!(audit::verify(&conn).unwrap().is_intact());
}

#[test]
fn the_list_searches_filters_sorts_and_pages_ten_thousand_customers() {
    let (_db, mut conn) = new_db();
    let tx = conn.transaction().unwrap();
    for i in 0..10_000 {
        let mut inp = input(&format!("Customer {i:05}"), "");
        inp.status = if i % 10 == 0 { "suspended" } else { "active" }.into();
        inp.credit_limit = (i * 10).to_string();
        let f = inp.validate().unwrap();
        customer::insert(&tx, &ctx(), &f).unwrap();
    }
    tx.commit().unwrap();
    let page = customer::list(
        &conn,
        &ListQuery {
            limit: 50,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 10_000);
    assert_eq!(page.rows.len(), 50);
    assert_eq!(page.rows[0].legal_name, "Customer 00000");

    let q = ListQuery {
        search: "0999".into(),
        ..Default::default()
    };
    let page = customer::list(&conn, &q).unwrap();
    let names: Vec<&str> = page.rows.iter().map(|r| r.legal_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Customer 00999",
            "Customer 09990",
            "Customer 09991",
            "Customer 09992",
            "Customer 09993",
            "Customer 09994",
            "Customer 09995",
            "Customer 09996",
            "Customer 09997",
            "Customer 09998",
            "Customer 09999"
        ]
    );

    let q = ListQuery {
        status: Some(Status::Suspended),
        sort: SortKey::CreditLimit,
        descending: true,
        offset: 10,
        limit: 5,
        ..Default::default()
    };
    let page = customer::list(&conn, &q).unwrap();
    assert_eq!(page.total, 1_000);
    assert_eq!(page.rows[0].legal_name, "Customer 09890");
    assert!(page.rows.iter().all(|r| r.status == Status::Suspended));

    // Wildcards in the search are literal.
    let q = ListQuery {
        search: "%".into(),
        ..Default::default()
    };
    assert_eq!(customer::list(&conn, &q).unwrap().total, 0);
}

/// A search typed in the other script or in full-width letters finds the customer, by its
/// name or its contact; wildcards typed in Chinese stay literal.
#[test]
fn the_list_finds_a_name_in_either_script_and_in_full_width_letters() {
    let (_db, mut conn) = new_db();
    let tx = conn.transaction().unwrap();
    for (name, contact) in [
        ("速雲資訊股份有限公司", "張志豪"),
        ("云桥科技有限公司", "Lin Shu-Fen"),
        ("Acme Trading Ltd", "王小明"),
        ("100% 資訊", ""),
    ] {
        let mut inp = input(name, "");
        inp.contact_name = contact.into();
        customer::insert(&tx, &ctx(), &inp.validate().unwrap()).unwrap();
    }
    tx.commit().unwrap();
    let found = |search: &str| -> Vec<String> {
        let q = ListQuery {
            search: search.into(),
            ..Default::default()
        };
        let page = customer::list(&conn, &q).unwrap();
        assert_eq!(page.total, page.rows.len() as i64, "{search}");
        page.rows.into_iter().map(|r| r.legal_name).collect()
    };
    for (search, name) in [
        ("速云", "速雲資訊股份有限公司"),
        ("速雲資訊", "速雲資訊股份有限公司"),
        ("资讯股份", "速雲資訊股份有限公司"),
        ("张志豪", "速雲資訊股份有限公司"),
        ("雲橋科技", "云桥科技有限公司"),
        ("ＡＣＭＥ", "Acme Trading Ltd"),
        ("ａｃｍｅ　ｔｒａｄｉｎｇ", "Acme Trading Ltd"),
        ("王小明", "Acme Trading Ltd"),
        ("100% 资", "100% 資訊"),
    ] {
        assert_eq!(found(search), [name], "{search}");
    }
    assert!(found("速雲科技").is_empty());
    assert!(found("％資").is_empty(), "a full-width % is a literal %");
    assert_eq!(found("%").len(), 1, "a % is literal");
}

#[test]
fn the_demo_company_has_varied_customers_and_an_intact_audit_trail() {
    let (_db, mut conn) = new_db();
    let tx = conn.transaction().unwrap();
    let n = demo::load(&tx, &ctx(), today()).unwrap();
    tx.commit().unwrap();
    assert!((35..=45).contains(&n));
    let all = customer::all(&conn).unwrap();
    let countries: std::collections::HashSet<&str> =
        all.iter().map(|c| c.fields.country.as_str()).collect();
    assert!(countries.contains("TW") && countries.contains("US") && countries.len() >= 6);
    for s in Status::ALL {
        assert!(all.iter().any(|c| c.fields.status == *s), "no {s} customer");
    }
    let instruments: std::collections::HashSet<_> =
        all.iter().map(|c| c.fields.payment_instrument).collect();
    assert_eq!(instruments.len(), 6);
    assert!(audit::verify(&conn).unwrap().is_intact());
    // The planted look-alikes name their one contact person, written three ways.
    let scores = riskdesk_core::risk::scores(&conn, today(), ctx().now, None).unwrap();
    let apex = scores
        .iter()
        .find(|s| s.name == "Apex Cloud Services Ltd")
        .and_then(|s| s.factors.iter().find(|f| f.key == "automated_signup"))
        .expect("the planted batch");
    assert!(
        apex.evidence
            .contains("contact person \"Daniel Okafor\" shared by 3 customers"),
        "{}",
        apex.evidence
    );
    // Its alerts and risk reasons say days as a reader writes them, in each language.
    let alerts = riskdesk_core::usage::alerts::list(
        &conn,
        riskdesk_core::usage::alerts::Filter {
            include_resolved: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(alerts.len() >= 10, "{}", alerts.len());
    riskdesk_core::test_support::assert_alerts_say_days_as_read(&alerts);
    for f in scores.iter().flat_map(|s| &s.factors) {
        for text in [&f.evidence, &f.evidence_zh] {
            assert!(
                riskdesk_core::test_support::iso_days(text).is_empty(),
                "{}: {text}",
                f.key
            );
        }
    }
    // A second demo into the same database is refused.
    let tx = conn.transaction().unwrap();
    assert!(demo::load(&tx, &ctx(), today()).is_err());
}

fn copy_path(p: &Path, name: &str) -> PathBuf {
    p.parent().unwrap().join(name)
}

#[test]
fn a_backup_restores_after_checking_its_key() {
    let (db, mut conn) = new_db();
    add(&mut conn, "Before Backup", T1);
    let backup = copy_path(&db.path, "backup.db");
    store::backup(&conn, &db.key, &backup).unwrap();
    assert!(
        store::backup(&conn, &db.key, &backup).is_err(),
        "never overwrites"
    );
    add(&mut conn, "After Backup", T2);
    drop(conn);

    // The wrong key: refused, nothing replaced.
    let wrong = DbKey::generate().unwrap();
    assert!(matches!(
        store::restore(&backup, &wrong, &db.path),
        Err(Error::WrongKey)
    ));
    assert_eq!(
        customer::count(&store::open(&db.path, &db.key).unwrap()).unwrap(),
        2
    );

    store::restore(&backup, &db.key, &db.path).unwrap();
    let conn = store::open(&db.path, &db.key).unwrap();
    let names: Vec<String> = customer::all(&conn)
        .unwrap()
        .into_iter()
        .map(|c| c.fields.legal_name)
        .collect();
    assert_eq!(names, ["Before Backup"]);
    assert!(audit::verify(&conn).unwrap().is_intact());
}

/// Issue 6, observation 9: committed data still in the WAL survives a failed restore, and a
/// successful restore keeps the database it replaced (WAL included) beside it.
#[test]
fn a_restore_never_loses_what_the_live_database_committed() {
    let (db, mut conn) = new_db();
    add(&mut conn, "In The Backup", T1);
    let backup = copy_path(&db.path, "backup.db");
    store::backup(&conn, &db.key, &backup).unwrap();
    let damaged = copy_path(&db.path, "damaged.db");
    let mut bytes = std::fs::read(&backup).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0xff;
    }
    std::fs::write(&damaged, bytes).unwrap();
    // Committed, but only in the WAL: the process "crashes" before any checkpoint.
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    add(&mut conn, "Only In The WAL", T2);
    std::mem::forget(conn);
    let wal = copy_path(&db.path, "riskdesk.db-wal");
    assert!(
        std::fs::metadata(&wal)
            .map(|m| m.len() > 0)
            .unwrap_or(false),
        "the WAL holds the commit"
    );

    assert!(store::restore(&damaged, &db.key, &db.path).is_err());
    let live = store::open(&db.path, &db.key).unwrap();
    assert_eq!(
        customer::count(&live).unwrap(),
        2,
        "a failed restore keeps everything"
    );
    live.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    std::mem::forget(live);

    let previous = store::restore(&backup, &db.key, &db.path).unwrap().unwrap();
    assert!(previous.to_string_lossy().ends_with(".before-restore"));
    let restored = store::open(&db.path, &db.key).unwrap();
    assert_eq!(customer::count(&restored).unwrap(), 1);
    let kept = store::open(&previous, &db.key).unwrap();
    assert_eq!(
        customer::count(&kept).unwrap(),
        2,
        "the replaced database, WAL included"
    );
    // A second restore keeps the first copy and adds another.
    drop(kept);
    let again = store::restore(&backup, &db.key, &db.path).unwrap().unwrap();
    assert!(again.to_string_lossy().ends_with(".before-restore.2"));
    assert!(previous.exists());
}

/// A book made by each released schema opens and is brought up to date (the classification
/// of stored usage included); released migrations are never edited, so this keeps holding.
#[test]
fn a_book_of_every_released_schema_opens_and_upgrades() {
    for version in 1..=store::schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("v{version}.db"));
        let key = DbKey::generate().unwrap();
        drop(store::create_at_version(&path, &key, version).unwrap());
        let conn = store::open(&path, &key).unwrap_or_else(|e| panic!("schema {version}: {e}"));
        let now: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(now, store::schema_version(), "schema {version}");
    }
}

/// The book knows its last backup (or restore) from the audit trail, counts the changes
/// since, and is due a reminder only when it has changes no backup holds and the last
/// backup is the set number of days old, or there was none.
#[test]
fn the_book_knows_its_last_backup_and_when_a_reminder_is_due() {
    use chrono::{Duration, TimeZone, Utc};
    use riskdesk_core::store::backups::{self, Kind};
    use riskdesk_core::test_support::ctx;

    let (_db, mut conn) = new_db();
    let t0 = ctx().now;
    // An empty book: nothing to lose, no reminder.
    let s = backups::status(&conn, t0).unwrap();
    assert_eq!((s.last.clone(), s.changes_since, s.due), (None, 0, false));
    assert_eq!(s.remind_days, 7);

    add(&mut conn, "Never Backed Up Ltd", T1);
    let s = backups::status(&conn, t0).unwrap();
    assert!(s.due && s.last.is_none() && s.days_since.is_none());
    assert_eq!(s.changes_since, audit::count(&conn).unwrap());

    // A backup named with Chinese and a formula stays as given.
    let file = "D:\\備份\\=cmd|' /C calc'!A0 riskdesk.db";
    let tx = conn.transaction().unwrap();
    backups::record(&tx, &ctx(), Kind::Backup, file).unwrap();
    tx.commit().unwrap();
    let s = backups::status(&conn, t0).unwrap();
    let last = s.last.clone().unwrap();
    assert_eq!((last.kind, last.file.as_str()), (Kind::Backup, file));
    assert_eq!(last.at, "2026-11-25T09:00:00Z");
    assert_eq!((s.changes_since, s.days_since, s.due), (0, Some(0), false));

    // Seven days later with no change since: nothing to remind of.
    let week = t0 + Duration::days(7);
    assert!(!backups::status(&conn, week).unwrap().due);
    add(&mut conn, "Changed Since Ltd", T2);
    let at = |conn: &Connection, d: Duration| backups::status(conn, t0 + d).unwrap();
    assert_eq!(at(&conn, Duration::days(3)).changes_since, 1);
    assert!(!at(&conn, Duration::days(3)).due);
    // Whole days: one second short of seven is six.
    let short = at(&conn, Duration::days(7) - Duration::seconds(1));
    assert_eq!((short.days_since, short.due), (Some(6), false));
    let due = at(&conn, Duration::days(7));
    assert_eq!((due.days_since, due.due), (Some(7), true));
    // A clock set before the backup reads as the same day, never as negative days.
    let past = backups::status(&conn, Utc.with_ymd_and_hms(2001, 1, 1, 0, 0, 0).unwrap()).unwrap();
    assert_eq!((past.days_since, past.due), (Some(0), false));

    // Thirty days, then never; a stored value out of range reads as the default.
    let set = |conn: &mut Connection, days: u32| {
        let tx = conn.transaction().unwrap();
        backups::set_remind_days(&tx, &ctx(), days).unwrap();
        tx.commit().unwrap();
    };
    set(&mut conn, 30);
    let s = at(&conn, Duration::days(29));
    assert_eq!((s.remind_days, s.due), (30, false));
    assert!(at(&conn, Duration::days(30)).due);
    set(&mut conn, 0);
    assert!(!at(&conn, Duration::days(10_000)).due);
    let tx = conn.transaction().unwrap();
    assert!(backups::set_remind_days(&tx, &ctx(), 366).is_err());
    for stored in ["366", "-1", "a week", ""] {
        riskdesk_core::store::settings::set(&tx, &ctx(), backups::REMIND_KEY, stored).unwrap();
        assert_eq!(backups::remind_days(&tx).unwrap(), 7, "{stored:?}");
    }
    tx.rollback().unwrap();
    for (text, days) in [("0", Some(0)), (" 14 ", Some(14)), ("365", Some(365))] {
        assert_eq!(backups::parse_remind_days(text).ok(), days);
    }
    for bad in ["366", "-1", "7.5", "一週", "", "=1+1"] {
        let e = backups::parse_remind_days(bad).unwrap_err();
        assert!(e.to_string().contains("days"), "{bad:?}: {e}");
    }

    // A restore is a backup point too: the book then equals a file on disk.
    let tx = conn.transaction().unwrap();
    backups::record(&tx, &ctx(), Kind::Restore, "friday.db").unwrap();
    tx.commit().unwrap();
    let s = at(&conn, Duration::days(1));
    assert_eq!(s.last.unwrap().kind, Kind::Restore);
    assert_eq!(s.changes_since, 0);
    // Both are in the trail, which stays intact.
    assert_eq!(audit::for_entity(&conn, "book", 1).unwrap().len(), 2);
    assert!(audit::verify(&conn).unwrap().is_intact());
}

/// Every `customer_id` column leads an index (or is the table's key): the risk model reads
/// each customer's rows by it, and without an index every such read went through the whole
/// table (10,000 customers with one Microsoft tenant each scored in 10.4 s instead of 0.5 s).
/// A dunning run's own tables are read by the run, then the customer: their key.
#[test]
fn every_customer_id_column_leads_an_index() {
    const READ_BY_RUN: &[&str] = &["dunning_minimums", "dunning_overdue"];
    let (_db, conn) = new_db();
    let list = |sql: &str| -> Vec<String> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| r.get::<_, Option<String>>(0))
            .unwrap()
            .map(|r| r.unwrap().unwrap_or_default())
            .collect()
    };
    let tables =
        list("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    let mut checked = 0;
    for t in &tables {
        if !list(&format!("SELECT name FROM pragma_table_info('{t}')"))
            .contains(&"customer_id".to_string())
        {
            continue;
        }
        checked += 1;
        if READ_BY_RUN.contains(&t.as_str()) {
            let key = list(&format!(
                "SELECT name FROM pragma_table_info('{t}') WHERE pk > 0 ORDER BY pk"
            ));
            assert_eq!(key[..2], ["run_id", "customer_id"], "{t}");
            continue;
        }
        let mut leading = list(&format!(
            "SELECT (SELECT name FROM pragma_index_info(l.name) WHERE seqno = 0) FROM pragma_index_list('{t}') l"
        ));
        leading.extend(list(&format!(
            "SELECT name FROM pragma_table_info('{t}') WHERE pk = 1"
        )));
        assert!(
            leading.iter().any(|c| c == "customer_id"),
            "{t}.customer_id leads no index (indexes lead with {leading:?})"
        );
    }
    assert!(checked >= 15, "only {checked} tables have a customer_id");
}
