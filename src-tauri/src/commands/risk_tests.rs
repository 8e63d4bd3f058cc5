//! The risk commands and the risk reports, tested without a window on the demo company
//! (see `tests` for the fixture).

use super::tests::{fixture, host};
use super::{documents, files};

/// The risk reports: a customer's and the portfolio's, in the window's language, as of
/// today only; writing the portfolio report records when (for the next one's moves).
#[test]
fn risk_reports_are_saved_where_the_user_chose_and_the_portfolio_report_is_recorded() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let dir = tempfile::tempdir().unwrap();
    let request = documents::DocumentRequest {
        kind: "statement".into(),
        customer_id: 7,
        as_of: "2026-11-25".into(),
        ..Default::default()
    };
    // today only; writing the portfolio report records when (for the next one's moves).
    let risk = documents::DocumentRequest {
        kind: "risk".into(),
        lang: "zh-TW".into(),
        ..request.clone()
    };
    let name = files::suggested_name(&mut h, &risk).unwrap();
    assert!(name.starts_with("2026-11-25-risk-report-"), "{name}");
    let p = files::save_document(&mut h, &risk, &dir.path().join("risk.pdf")).unwrap();
    assert!(std::fs::read(p).unwrap().starts_with(b"%PDF"));
    let portfolio = documents::DocumentRequest {
        kind: "portfolio".into(),
        customer_id: 0,
        lang: "en".into(),
        ..request.clone()
    };
    assert_eq!(
        files::suggested_name(&mut h, &portfolio).unwrap(),
        "2026-11-25-portfolio-risk-report.pdf"
    );
    assert!(riskdesk_core::store::settings::get(
        h.conn,
        riskdesk_core::risk::report::LAST_PORTFOLIO
    )
    .unwrap()
    .is_none());
    files::save_document(&mut h, &portfolio, &dir.path().join("portfolio")).unwrap();
    assert_eq!(
        riskdesk_core::store::settings::get(h.conn, riskdesk_core::risk::report::LAST_PORTFOLIO)
            .unwrap()
            .as_deref(),
        Some("2026-11-25T09:00:00Z")
    );
    for bad in [
        documents::DocumentRequest {
            lang: "fr".into(),
            ..portfolio.clone()
        },
        documents::DocumentRequest {
            as_of: "2026-11-01".into(),
            ..portfolio.clone()
        },
        documents::DocumentRequest {
            customer_id: -1,
            ..risk.clone()
        },
    ] {
        assert!(files::save_document(&mut h, &bad, &dir.path().join("bad.pdf")).is_err());
    }
    assert!(!dir.path().join("bad.pdf").exists());
}

/// A change to the records commits its records only; the score read now reflects it at
/// once (scores are computed when read), and its history row follows in the step after the
/// commit. Reading writes nothing.
#[test]
fn a_change_moves_the_score_at_once_and_its_history_follows_after_the_commit() {
    let mut f = fixture();
    let rows = |f: &super::tests::Fixture, id: i64| -> i64 {
        f.conn
            .query_row(
                "SELECT count(*) FROM risk_history WHERE customer_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    let nimbus: i64 = f
        .conn
        .query_row(
            "SELECT id FROM customers WHERE legal_name = 'Nimbus Startup Studio Pte. Ltd.'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let before = rows(&f, nimbus);
    let mut h = host(&mut f);
    let score = |h: &mut crate::host::Host| {
        super::risk::customer(h.conn, &h.ctx, nimbus)
            .unwrap()
            .score
            .score
    };
    let s0 = score(&mut h);
    assert!(!h.changed, "reading changes nothing");
    super::customers::record_check(
        &mut h,
        nimbus,
        super::customers::CheckInput {
            item: "credit_check".into(),
            done_on: "2026-11-24".into(),
            done_by: "Owner".into(),
            reference: "TCRI-1".into(),
            note: String::new(),
        },
    )
    .unwrap();
    assert!(h.changed);
    assert_eq!(score(&mut h), s0 - 6, "one check fewer missing");
    drop(h);
    assert_eq!(rows(&f, nimbus), before, "the write kept no history");
    let mut h = host(&mut f);
    let d = h.derive().unwrap();
    assert!(d.score_changes >= 1, "{d:?}");
    drop(h);
    assert_eq!(rows(&f, nimbus), before + 1);
    // Reading changes nothing, and a second derive step finds nothing to keep.
    let mut h = host(&mut f);
    super::risk::agenda(h.conn, &h.ctx).unwrap();
    super::risk::all(h.conn, &h.ctx).unwrap();
    super::usage::overview(h.conn, &h.ctx).unwrap();
    assert!(!h.changed);
    assert_eq!(h.derive().unwrap().score_changes, 0);
    drop(h);
    assert_eq!(rows(&f, nimbus), before + 1);
}

/// Scoring that fails (a damaged stored setting) never undoes a write: the payment is kept
/// with its audit row, and the derive step reports the failure.
#[test]
fn a_write_succeeds_while_scoring_fails() {
    let mut f = fixture();
    f.conn
        .execute(
            "INSERT INTO settings (key, value, updated_at) VALUES ('risk.weight.no_such_factor', '5', '2026-11-25T09:00:00Z')",
            [],
        )
        .unwrap();
    let audit = super::tests::audit_rows(&f);
    let mut h = host(&mut f);
    let input: super::receivables::PaymentInput = serde_json::from_value(serde_json::json!({
        "kind": "payment", "amount": "1,000.00", "received_on": "2026-11-20",
        "method": "bank transfer", "reference": "SCORING-FAILS-1", "invoice_number": ""
    }))
    .unwrap();
    super::receivables::record_payment(&mut h, 1, input).unwrap();
    assert!(h.changed);
    let e = h.derive().unwrap_err();
    assert!(e.to_string().contains("no_such_factor"), "{e}");
    drop(h);
    assert!(
        super::tests::audit_rows(&f) > audit,
        "the payment's audit row is kept"
    );
    let kept: i64 = f
        .conn
        .query_row(
            "SELECT count(*) FROM payments WHERE reference = 'SCORING-FAILS-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1);
}

/// The admin relationship commands check their arguments before anything is written.
#[test]
fn admin_relationship_commands_refuse_bad_arguments() {
    let mut f = fixture();
    let before = super::tests::audit_rows(&f);
    let mut h = host(&mut f);
    let input = riskdesk_core::customer::AdminRelationshipInput {
        name: "=HYPERLINK(\"x\") <b>".into(),
        roles: "Helpdesk Agent".into(),
        global_admin: false,
        starts_on: "2026-11-01".into(),
        expires_on: "2027-11-01".into(),
    };
    assert!(super::risk::add_admin_relationship(&mut h, 0, &input).is_err());
    assert!(super::risk::add_admin_relationship(&mut h, 99_999, &input).is_err());
    assert!(super::risk::end_admin_relationship(&mut h, 1, "2026-13-01").is_err());
    assert!(super::risk::end_admin_relationship(&mut h, -1, "2026-11-20").is_err());
    drop(h);
    assert_eq!(super::tests::audit_rows(&f), before, "nothing written");
    // Text stays text: the name is kept as typed.
    let mut h = host(&mut f);
    let g = super::risk::add_admin_relationship(&mut h, 1, &input).unwrap();
    assert_eq!(g.name, "=HYPERLINK(\"x\") <b>");
    let list = super::risk::admin_relationships(h.conn, 1).unwrap();
    assert!(list.iter().any(|x| x.id == g.id));
}
