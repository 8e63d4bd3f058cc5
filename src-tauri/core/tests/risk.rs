//! The risk model: each factor alone and together, and the score's invariants (the
//! automated sign-up rule's look-alikes are in lookalikes.rs).

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use riskdesk_core::audit;
use riskdesk_core::customer::{self, CustomerInput, OnboardingItem};
use riskdesk_core::ids::CustomerId;
use riskdesk_core::money::{Currency, Money};
use riskdesk_core::risk::{self, Level};
use riskdesk_core::store::settings;
use riskdesk_core::subscription;
use riskdesk_core::test_support::{ctx, customer_input, d, pay};
use rusqlite::Connection;

mod risk_common;
use risk_common::{add, db, score_of};

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
    let far = add(&mut conn, "Far Away Ltd", |c| c.country = "KP".into());
    all_checks(&mut conn, far);
    assert_eq!(score_of(&conn, far).score, 0);
    let tx = conn.transaction().unwrap();
    settings::set(&tx, &ctx(), "risk.high_risk_countries", "KP").unwrap();
    tx.commit().unwrap();
    assert_eq!(keys(&score_of(&conn, far)), vec!["high_risk_region"]);

    // Everything together is capped at 100 and is critical.
    let worst = add(&mut conn, "Worst Ltd", |c| {
        c.payment_instrument = "stored_value_card".into();
        c.admin_access = "full".into();
        c.country = "KP".into();
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

fn annual(conn: &mut Connection, id: CustomerId, start: &str, seats: &str) -> i64 {
    let tx = conn.transaction().unwrap();
    let s = subscription::add(
        &tx,
        &ctx(),
        id,
        &subscription::SubscriptionInput {
            offer: "Microsoft 365 E3".into(),
            quantity: seats.into(),
            monthly_price: "1,000".into(),
            start_on: start.into(),
            term: "annual".into(),
            ..Default::default()
        },
    )
    .unwrap();
    tx.commit().unwrap();
    s.id
}

fn at(ctx_now: chrono::DateTime<Utc>, conn: &Connection, id: CustomerId) -> risk::RiskScore {
    risk::scores(conn, ctx_now.date_naive(), ctx_now, Some(id))
        .unwrap()
        .remove(0)
}

#[test]
fn an_unpaid_purchase_is_flagged_inside_its_cancellation_window_only() {
    let (_d, mut conn) = db();
    let id = add(&mut conn, "New Buyer Ltd", |_| {});
    all_checks(&mut conn, id);
    // A term or billing the form does not offer is refused by name; nothing is written.
    let tx = conn.transaction().unwrap();
    for (term, billing, field) in [
        ("weekly", "", "term"),
        ("monthly", "upfront", "billing"),
        ("annual", "=1+1", "billing"),
    ] {
        let e = subscription::add(
            &tx,
            &ctx(),
            id,
            &subscription::SubscriptionInput {
                offer: "Microsoft 365 E3".into(),
                quantity: "1".into(),
                monthly_price: "1".into(),
                start_on: "2026-11-20".into(),
                term: term.into(),
                billing: billing.into(),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains(field), "{e}");
    }
    drop(tx);
    // Bought on 2026-11-20: the window runs to 2026-11-27 00:00 UTC (7 days).
    let sub = annual(&mut conn, id, "2026-11-20", "10");
    let t = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap();
    let r = at(t(26, 23), &conn, id);
    assert!(keys(&r).contains(&"cancellation_window"), "{:?}", r.factors);
    assert_eq!(r.windows.len(), 1);
    assert_eq!(r.windows[0].hours_left, 1);
    // Rest of the term: eleven months of ten seats at NT$1,000, not billed yet.
    assert_eq!(r.exposure.committed_minor, 11 * 10 * 100_000);
    assert!(r.exposure.over_limit, "NT$110,000 against NT$100,000");
    // At the closing instant the window is gone (the term is owed to Microsoft now).
    assert!(!keys(&at(t(27, 0), &conn, id)).contains(&"cancellation_window"));

    // Ten seats added on 2026-11-24 have a window of their own, to 2026-12-01.
    let tx = conn.transaction().unwrap();
    subscription::add_seats(&tx, &ctx(), sub, 10, d(2026, 11, 24)).unwrap();
    tx.commit().unwrap();
    let r = at(t(28, 0), &conn, id);
    assert_eq!(r.windows.len(), 1);
    assert_eq!(
        (r.windows[0].kind.as_str(), r.windows[0].quantity),
        ("seats", 10)
    );
    assert_eq!(r.windows[0].hours_left, 72);
    assert!(r.factors.iter().any(|f| f.key == "cancellation_window"
        && f.evidence
            .contains("collect or cancel before 1 December 2026, 00:00 UTC")
        && f.evidence_zh
            .contains("請在 2026年12月1日 00:00 UTC 前收款或取消")));

    // A first payment (nothing overdue) ends it: the customer pays.
    let twd = Currency::parse("TWD").unwrap();
    pay(
        &mut conn,
        id,
        "PAY-1",
        d(2026, 11, 25),
        Money::new(500_000, twd),
    );
    let r = at(t(28, 0), &conn, id);
    assert!(r.windows.is_empty());
    // The unallocated payment is credit against the exposure.
    assert_eq!(r.exposure.credit_minor, 500_000);
    assert_eq!(r.exposure.total_minor, r.exposure.committed_minor - 500_000);
    // Paid ahead beyond the whole term: nothing is exposed, and the credit is shown as it
    // stands (exposure never reads as a negative amount).
    let ahead = r.exposure.committed_minor + 1;
    pay(
        &mut conn,
        id,
        "PAY-2",
        d(2026, 11, 25),
        Money::new(ahead, twd),
    );
    let r = at(t(28, 0), &conn, id);
    assert_eq!(r.exposure.credit_minor, 500_000 + ahead);
    assert_eq!(r.exposure.total_minor, 0);
    assert!(!r.exposure.over_limit);

    // A renewal opens a window again; it cannot be dated before the current term.
    let tx = conn.transaction().unwrap();
    assert!(subscription::renew(&tx, &ctx(), sub, d(2026, 11, 1)).is_err());
    let s = subscription::renew(&tx, &ctx(), sub, d(2027, 11, 20)).unwrap();
    assert_eq!(s.term_start_on, d(2027, 11, 20));
    tx.commit().unwrap();
    assert!(audit::for_entity(&conn, "subscription", sub)
        .unwrap()
        .iter()
        .any(|e| e.action == "renew"));
}

#[test]
fn a_prepayment_is_requested_at_onboarding_as_the_setting_asks() {
    let (_d, mut conn) = db();
    let create = |conn: &mut Connection, name: &str, instrument: &str, limit: &str| {
        let tx = conn.transaction().unwrap();
        let input = CustomerInput {
            payment_instrument: instrument.into(),
            status: "prospect".into(),
            credit_limit: limit.into(),
            ..customer_input(name, "TWD", "TW")
        };
        let c = customer::create(&tx, &ctx(), &input).unwrap();
        let r = risk::onboarding::request_prepayment_if_asked(&tx, &ctx(), c.id);
        match r {
            Ok(p) => {
                tx.commit().unwrap();
                Ok(p)
            }
            Err(e) => Err(e),
        }
    };
    // Never (the default): no request.
    assert!(create(&mut conn, "A Ltd", "bank_transfer", "50000")
        .unwrap()
        .is_none());
    let set = |conn: &mut Connection, v: &str| {
        let tx = conn.transaction().unwrap();
        risk::settings::save(&tx, &ctx(), &[("onboarding.prepayment".into(), v.into())]).unwrap();
        tx.commit().unwrap();
    };
    set(&mut conn, "always");
    let p = create(&mut conn, "B Ltd", "bank_transfer", "50000")
        .unwrap()
        .unwrap();
    assert_eq!(p.amount.minor, 5_000_000);
    assert_eq!(p.due_on, ctx().today);
    // No credit limit to ask for: refused, and the customer is not written.
    let e = create(&mut conn, "C Ltd", "bank_transfer", "0").unwrap_err();
    assert!(e.to_string().contains("credit limit"), "{e}");
    assert_eq!(customer::count(&conn).unwrap(), 2);
    // Only for high risk: a prepaid card, not present, no checks: asked; an honest one not.
    set(&mut conn, "high_risk");
    assert!(create(&mut conn, "D Ltd", "prepaid_card", "50000")
        .unwrap()
        .is_some());
    let tx = conn.transaction().unwrap();
    assert!(risk::settings::save(
        &tx,
        &ctx(),
        &[("onboarding.prepayment".into(), "sometimes".into())]
    )
    .is_err());
}

#[test]
fn a_settings_preview_counts_the_moves_and_saves_nothing() {
    let (_d, mut conn) = db();
    let far = add(&mut conn, "Far Away Ltd", |c| c.country = "KP".into());
    let admin = add(&mut conn, "Admin Ltd", |c| c.admin_access = "full".into());
    all_checks(&mut conn, far);
    let _ = admin;
    let change = vec![
        ("risk.high_risk_countries".to_string(), "KP".to_string()),
        ("risk.weight.high_risk_region".to_string(), "30".to_string()),
    ];
    let p = risk::settings::preview(&conn, ctx().today, ctx().now, &change).unwrap();
    // Far Away moves from low to medium; Admin (50, high) stays.
    assert_eq!(p.moves, vec![(Level::Low, Level::Medium, 1)]);
    assert_eq!(p.before, [1, 0, 1, 0]);
    assert_eq!(p.after, [0, 1, 1, 0]);
    assert_eq!(score_of(&conn, far).score, 0, "nothing saved");
    // A bad value is refused by name; the preview does not guess.
    let bad = vec![("risk.levels".to_string(), "50,40,90".to_string())];
    let e = risk::settings::preview(&conn, ctx().today, ctx().now, &bad).unwrap_err();
    assert!(e.to_string().contains("risk.levels"), "{e}");
    let tx = conn.transaction().unwrap();
    risk::settings::save(&tx, &ctx(), &change).unwrap();
    tx.commit().unwrap();
    assert_eq!(score_of(&conn, far).score, 30);
}

#[test]
fn the_agenda_lists_what_needs_action_and_a_done_mark_is_audited() {
    let (_d, mut conn) = db();
    let id = add(&mut conn, "Fresh Buyer Ltd", |_| {});
    all_checks(&mut conn, id);
    annual(&mut conn, id, "2026-11-24", "5");
    let risky = add(&mut conn, "Risky Ltd", |c| {
        c.payment_instrument = "prepaid_card".into();
        c.admin_access = "full".into();
    });
    let items = risk::agenda::agenda(&conn, ctx().today, ctx().now).unwrap();
    let window = items
        .iter()
        .find(|i| i.kind == "window")
        .expect("a window item");
    assert_eq!(window.customer_id, Some(id));
    assert_eq!(window.when, "2026-12-01T00:00:00Z");
    assert_eq!(window.urgency, 1);
    assert!(items
        .iter()
        .any(|i| i.kind == "risk" && i.customer_id == Some(risky)));
    let key = window.key.clone();
    let tx = conn.transaction().unwrap();
    risk::agenda::mark_done(&tx, &ctx(), &key, "Called; they pay by transfer today").unwrap();
    // Twice, or an item not on the list: refused.
    assert!(risk::agenda::mark_done(&tx, &ctx(), &key, "").is_err());
    assert!(risk::agenda::mark_done(&tx, &ctx(), "window:999:purchase:2026-01-01", "").is_err());
    tx.commit().unwrap();
    let items = risk::agenda::agenda(&conn, ctx().today, ctx().now).unwrap();
    assert!(items.iter().all(|i| i.key != key));
    let trail = audit::for_entity(&conn, "action", 1).unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(
        trail[0].after.as_ref().unwrap()["note"],
        "Called; they pay by transfer today"
    );
}

#[test]
fn admin_relationships_are_checked_and_a_global_administrator_counts_as_full_access() {
    let (_d, mut conn) = db();
    let id = add(&mut conn, "Gdap Ltd", |_| {});
    let input =
        |name: &str, global: bool, starts: &str, expires: &str| customer::AdminRelationshipInput {
            name: name.into(),
            roles: "Helpdesk Agent".into(),
            global_admin: global,
            starts_on: starts.into(),
            expires_on: expires.into(),
        };
    let tx = conn.transaction().unwrap();
    // No name, dates out of order, or longer than Microsoft's two years: refused by name.
    for (bad, field) in [
        (input("", false, "2026-01-01", "2027-01-01"), "name"),
        (input("A", false, "2026-01-01", "2025-12-31"), "expires_on"),
        (input("A", false, "2026-01-01", "2028-01-02"), "expires_on"),
        (input("A", false, "2026-01-01", "2201-01-01"), "expires_on"),
    ] {
        let e = customer::add_admin_relationship(&tx, &ctx(), id, &bad).unwrap_err();
        assert!(e.to_string().contains(field), "{field}: {e}");
    }
    // Limited roles while checks are missing: least privilege, no admin factor.
    customer::add_admin_relationship(
        &tx,
        &ctx(),
        id,
        &input("Support", false, "2026-01-01", "2027-12-31"),
    )
    .unwrap();
    tx.commit().unwrap();
    assert!(!keys(&score_of(&conn, id)).contains(&"full_admin_checks_missing"));
    // A Global Administrator role is full access: the factor, with the relationship named.
    let tx = conn.transaction().unwrap();
    let g = customer::add_admin_relationship(
        &tx,
        &ctx(),
        id,
        &input("Onboarding", true, "2026-11-01", "2026-12-01"),
    )
    .unwrap();
    tx.commit().unwrap();
    let r = score_of(&conn, id);
    let f = r
        .factors
        .iter()
        .find(|f| f.key == "full_admin_checks_missing")
        .expect("the admin factor");
    assert!(
        f.evidence.contains("Global Administrator"),
        "{}",
        f.evidence
    );
    assert!(f.evidence_zh.contains("全域管理員"), "{}", f.evidence_zh);
    // Expiring within two weeks: on today's list; in the portfolio report's 30 days.
    let items = risk::agenda::agenda(&conn, ctx().today, ctx().now).unwrap();
    assert!(items
        .iter()
        .any(|i| i.kind == "gdap" && i.when == "2026-12-01"));
    let p = risk::report::portfolio_report(&conn, ctx().today, ctx().now).unwrap();
    assert_eq!(p.gdap_expiring.len(), 1);
    assert_eq!(p.admin_too_broad.len(), 1);
    assert!(p.admin_too_broad[0].global_admin);
    // Ended (audited): the factor goes, and it cannot end twice.
    let tx = conn.transaction().unwrap();
    customer::end_admin_relationship(&tx, &ctx(), g.id, d(2026, 11, 20)).unwrap();
    assert!(customer::end_admin_relationship(&tx, &ctx(), g.id, d(2026, 11, 21)).is_err());
    tx.commit().unwrap();
    assert!(!keys(&score_of(&conn, id)).contains(&"full_admin_checks_missing"));
    assert_eq!(
        audit::for_entity(&conn, "admin_relationship", g.id)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_received_prepayment_is_a_payment_and_no_credit_limit_is_a_factor_of_its_own() {
    let (_d, mut conn) = db();
    let up_front = add(&mut conn, "Paid Up Front Ltd", |_| {});
    all_checks(&mut conn, up_front);
    annual(&mut conn, up_front, "2026-01-05", "5");
    assert!(keys(&score_of(&conn, up_front)).contains(&"before_first_payment"));
    let tx = conn.transaction().unwrap();
    let p = riskdesk_core::receivables::request_prepayment(
        &tx,
        &ctx(),
        up_front,
        riskdesk_core::money::Money::new(
            500_000,
            riskdesk_core::money::Currency::parse("TWD").unwrap(),
        ),
        d(2026, 1, 5),
        "",
    )
    .unwrap();
    riskdesk_core::receivables::mark_prepayment_received(&tx, &ctx(), p.id, d(2026, 1, 4)).unwrap();
    tx.commit().unwrap();
    let r = score_of(&conn, up_front);
    assert!(
        !keys(&r).contains(&"before_first_payment"),
        "{:?}",
        r.factors
    );

    // The same customer without a credit limit: its own factor, naming the exposure.
    let unlimited = add(&mut conn, "No Limit Ltd", |c| {
        c.credit_limit = String::new()
    });
    all_checks(&mut conn, unlimited);
    annual(&mut conn, unlimited, "2026-11-01", "1");
    let r = score_of(&conn, unlimited);
    let f = r
        .factors
        .iter()
        .find(|f| f.key == "no_credit_limit")
        .expect("no_credit_limit");
    assert!(
        f.evidence.starts_with("No credit limit is set"),
        "{}",
        f.evidence
    );
    assert!(
        f.evidence_zh.contains("未設定信用額度"),
        "{}",
        f.evidence_zh
    );
    // A prospect with nothing bought yet has no exposure to cap.
    let prospect = add(&mut conn, "Just Looking Ltd", |c| {
        c.credit_limit = String::new();
        c.status = "prospect".into();
    });
    assert!(!keys(&score_of(&conn, prospect)).contains(&"no_credit_limit"));
}

/// A payment taken back (a charge-back) is no first payment: service used since is still
/// service before any payment; the next payment that stays is the first.
#[test]
fn a_payment_taken_back_is_no_first_payment() {
    let (_d, mut conn) = db();
    let id = add(&mut conn, "Charged Back Ltd", |_| {});
    all_checks(&mut conn, id);
    annual(&mut conn, id, "2026-10-01", "5");
    let paid = |conn: &mut Connection, reference: &str, on| {
        pay(
            conn,
            id,
            reference,
            on,
            Money::new(600_000, Currency::parse("TWD").unwrap()),
        );
    };
    paid(&mut conn, "CARD-1", d(2026, 10, 2));
    assert!(!keys(&score_of(&conn, id)).contains(&"before_first_payment"));
    let payment: i64 = conn
        .query_row(
            "SELECT id FROM payments WHERE reference = 'CARD-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let tx = conn.transaction().unwrap();
    riskdesk_core::receivables::return_payment(
        &tx,
        &ctx(),
        &riskdesk_core::receivables::NewReturn {
            payment_id: payment,
            returned_on: d(2026, 10, 20),
            reason: riskdesk_core::receivables::ReturnReason::Chargeback,
            note: "Card issuer: fraudulent transaction".into(),
        },
    )
    .unwrap();
    tx.commit().unwrap();
    assert!(keys(&score_of(&conn, id)).contains(&"before_first_payment"));
    paid(&mut conn, "WIRE-1", d(2026, 10, 25));
    assert!(!keys(&score_of(&conn, id)).contains(&"before_first_payment"));
}

/// Frequent disputes, read from the audit trail: two invoices disputed in the year up to the
/// day make the factor, resolved or not (settling each quickly hides nothing); an invoice
/// disputed twice is one invoice, a dispute more than a year back and another customer's
/// dispute are not counted; one customer's score says what everyone's does.
#[test]
fn two_invoices_disputed_within_the_year_are_frequent_disputes() {
    use riskdesk_core::receivables::set_dispute;
    use riskdesk_core::test_support::{ctx_on, invoice};
    let (_d, mut conn) = db();
    let (a, b) = (
        add(&mut conn, "Quarrel Ltd", |_| {}),
        add(&mut conn, "Calm Ltd", |_| {}),
    );
    let terms = (d(2025, 1, 1), d(2025, 1, 31));
    let (a1, a2, a3, b1) = (
        invoice(&mut conn, a, "Q-1", terms, 100_000, "TWD"),
        invoice(&mut conn, a, "Q-2", terms, 100_000, "TWD"),
        invoice(&mut conn, a, "Q-3", terms, 100_000, "TWD"),
        invoice(&mut conn, b, "C-1", terms, 100_000, "TWD"),
    );
    let dispute = |conn: &mut Connection, on, id, open| {
        let tx = conn.transaction().unwrap();
        set_dispute(&tx, &ctx_on(on), id, open, "").unwrap();
        tx.commit().unwrap();
    };
    let disputes = |conn: &Connection, id| {
        let all = risk::scores(conn, ctx().today, ctx().now, None).unwrap();
        let whole = all.into_iter().find(|s| s.customer_id == id).unwrap();
        assert_eq!(score_of(conn, id), whole);
        let f = whole.factors.into_iter().find(|f| f.key == "disputes");
        f.map(|f| (f.evidence, f.evidence_zh))
    };
    // More than a year before the day (2026-11-25): not counted.
    dispute(&mut conn, d(2025, 11, 20), a1, true);
    dispute(&mut conn, d(2025, 11, 21), a1, false);
    // One invoice disputed twice within the year, resolved the next day each time.
    dispute(&mut conn, d(2026, 2, 2), a2, true);
    dispute(&mut conn, d(2026, 2, 3), a2, false);
    dispute(&mut conn, d(2026, 5, 2), a2, true);
    dispute(&mut conn, d(2026, 5, 3), a2, false);
    dispute(&mut conn, d(2026, 3, 1), b1, true);
    assert_eq!(disputes(&conn, a), None);
    assert_eq!(disputes(&conn, b), None);
    // A second invoice, disputed on the day itself and still open.
    dispute(&mut conn, d(2026, 11, 25), a3, true);
    assert_eq!(
        disputes(&conn, a),
        Some(("2 invoices disputed".into(), "2 張發票有爭議".into()))
    );
    assert_eq!(disputes(&conn, b), None);
}
