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
