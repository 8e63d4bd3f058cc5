//! The risk model: each factor alone and together, the automated sign-up rule on a
//! look-alike batch and on honest customers, and the score's invariants.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use riskdesk_core::customer::{self, CustomerInput, OnboardingItem};
use riskdesk_core::ids::CustomerId;
use riskdesk_core::risk::{self, Level};
use riskdesk_core::store::{self, settings, DbKey};
use riskdesk_core::Ctx;
use rusqlite::Connection;

fn ctx() -> Ctx {
    Ctx::new(
        "tester",
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
    )
}

fn db() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = store::create(&dir.path().join("r.db"), &DbKey::generate().unwrap()).unwrap();
    (dir, conn)
}

fn add(conn: &mut Connection, name: &str, f: impl FnOnce(&mut CustomerInput)) -> CustomerId {
    let mut input = CustomerInput {
        legal_name: name.into(),
        country: "TW".into(),
        currency: "TWD".into(),
        language: "en".into(),
        payment_terms_days: "30".into(),
        payment_instrument: "bank_transfer".into(),
        admin_access: "none".into(),
        status: "active".into(),
        credit_limit: "100000".into(),
        ..Default::default()
    };
    f(&mut input);
    let tx = conn.transaction().unwrap();
    let c = customer::create(&tx, &ctx(), &input).unwrap();
    tx.commit().unwrap();
    c.id
}

fn all_checks(conn: &mut Connection, id: CustomerId) {
    let tx = conn.transaction().unwrap();
    for item in OnboardingItem::ALL {
        customer::record_check(&tx, &ctx(), id, &check(*item)).unwrap();
    }
    tx.commit().unwrap();
}

fn check(item: OnboardingItem) -> customer::OnboardingCheck {
    customer::OnboardingCheck {
        item,
        done_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        done_by: "tester".into(),
        reference: "REF-1".into(),
        note: String::new(),
    }
}

fn score_of(conn: &Connection, id: CustomerId) -> risk::RiskScore {
    risk::scores(conn, ctx().today, ctx().now, Some(id))
        .unwrap()
        .remove(0)
}

fn keys(r: &risk::RiskScore) -> Vec<&'static str> {
    let mut k: Vec<&str> = r.factors.iter().map(|f| f.key).collect();
    k.dedup();
    k
}

#[test]
fn each_factor_alone_and_together() {
    let (_d, mut conn) = db();
    // An honest customer with every check done: no factor, low.
    let honest = add(&mut conn, "Honest Ltd", |_| {});
    all_checks(&mut conn, honest);
    let r = score_of(&conn, honest);
    assert_eq!((r.score, r.level), (0, Level::Low), "{:?}", r.factors);

    // A prepaid card, not present, with checks done: two factors.
    let prepaid = add(&mut conn, "Prepaid Ltd", |c| {
        c.payment_instrument = "prepaid_card".into();
    });
    all_checks(&mut conn, prepaid);
    let r = score_of(&conn, prepaid);
    assert_eq!(keys(&r), vec!["prepaid_card", "card_not_present"]);
    assert_eq!(r.score, 40);
    assert_eq!(r.level, Level::Medium);
    assert!(r.factors[0].action.contains("Refuse"));

    // Full admin access with every check missing: the checks and the admin factor.
    let admin = add(&mut conn, "Admin Ltd", |c| c.admin_access = "full".into());
    let r = score_of(&conn, admin);
    assert_eq!(keys(&r), vec!["full_admin_checks_missing", "check_missing"]);
    assert_eq!(
        r.score,
        20 + 5 * 6,
        "five checks (no card, so no card check) at 6 points"
    );
    assert_eq!(r.level, Level::High);

    // A high-risk country only counts once it is on the (editable, empty by default) list.
    let far = add(&mut conn, "Far Away Ltd", |c| c.country = "XZ".into());
    all_checks(&mut conn, far);
    assert_eq!(score_of(&conn, far).score, 0);
    let tx = conn.transaction().unwrap();
    settings::set(&tx, &ctx(), "risk.high_risk_countries", "XZ").unwrap();
    tx.commit().unwrap();
    assert_eq!(keys(&score_of(&conn, far)), vec!["high_risk_region"]);

    // Everything together is capped at 100 and is critical.
    let worst = add(&mut conn, "Worst Ltd", |c| {
        c.payment_instrument = "stored_value_card".into();
        c.admin_access = "full".into();
        c.country = "XZ".into();
    });
    let r = score_of(&conn, worst);
    assert_eq!(r.score, 100);
    assert_eq!(r.level, Level::Critical);
    assert!(
        r.factors.windows(2).all(|w| w[0].points >= w[1].points),
        "in order of contribution"
    );
}

#[test]
fn a_lookalike_batch_is_flagged_and_honest_customers_sharing_gmail_are_not() {
    let (_d, mut conn) = db();
    let mut batch = Vec::new();
    for (i, name) in ["Alpha Cloud", "Beta Cloud", "Gamma Cloud"]
        .iter()
        .enumerate()
    {
        batch.push(add(&mut conn, name, |c| {
            c.email = format!("admin{i}@quick-cloud-deals.biz");
        }));
    }
    let mut honest = Vec::new();
    for (i, name) in ["Tea House", "Bike Shop", "Noodle Bar", "Book Store"]
        .iter()
        .enumerate()
    {
        honest.push(add(&mut conn, name, |c| {
            c.email = format!("owner{i}@gmail.com");
            c.phone = format!("+886 2 2345 67{i:02}");
        }));
    }
    for id in &batch {
        let r = score_of(&conn, *id);
        let f = r
            .factors
            .iter()
            .find(|f| f.key == "automated_signup")
            .expect("flagged");
        assert!(
            f.evidence.contains("quick-cloud-deals.biz"),
            "{}",
            f.evidence
        );
    }
    for id in &honest {
        let r = score_of(&conn, *id);
        assert!(
            r.factors.iter().all(|f| f.key != "automated_signup"),
            "{:?}",
            r.factors
        );
    }
}

#[test]
fn the_history_records_changes_only() {
    let (_d, mut conn) = db();
    let id = add(&mut conn, "History Ltd", |c| {
        c.payment_instrument = "prepaid_card".into()
    });
    let tx = conn.transaction().unwrap();
    assert_eq!(risk::refresh(&tx, &ctx()).unwrap(), 1);
    assert_eq!(risk::refresh(&tx, &ctx()).unwrap(), 0, "nothing changed");
    tx.commit().unwrap();
    all_checks(&mut conn, id);
    let tx = conn.transaction().unwrap();
    assert_eq!(risk::refresh(&tx, &ctx()).unwrap(), 1);
    tx.commit().unwrap();
    let h = risk::history(&conn, id).unwrap();
    assert_eq!(h.len(), 2);
    assert!(h[0].1 > h[1].1, "checks done lower the score: {h:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Any mix of instrument, admin access, card presence and checks: the score is the sum
    /// of its factors' points capped at 100, every factor has points, and the same records
    /// give the same score twice.
    #[test]
    fn every_point_traces_to_a_factor(
        instrument in prop::sample::select(vec!["bank_transfer", "direct_debit", "credit_card", "debit_card", "prepaid_card", "stored_value_card"]),
        admin in prop::sample::select(vec!["none", "limited", "full"]),
        present in any::<bool>(),
        checks in prop::collection::vec(any::<bool>(), 6),
    ) {
        let (_d, mut conn) = db();
        let id = add(&mut conn, "Prop Ltd", |c| {
            c.payment_instrument = instrument.into();
            c.admin_access = admin.into();
            c.card_present = present;
        });
        let tx = conn.transaction().unwrap();
        for (item, done) in OnboardingItem::ALL.iter().zip(&checks) {
            if *done {
                customer::record_check(&tx, &ctx(), id, &check(*item)).unwrap();
            }
        }
        tx.commit().unwrap();
        let a = score_of(&conn, id);
        let b = score_of(&conn, id);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.score, a.factors.iter().map(|f| f.points).sum::<u32>().min(100));
        prop_assert!(a.factors.iter().all(|f| f.points > 0 && !f.evidence.is_empty() && !f.action.is_empty()));
    }
}
