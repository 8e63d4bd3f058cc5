//! E-mail drafts from the window's side, on the demo company: a run's drafts written into its
//! folder, logged, and openable (and nothing else is); no letterhead e-mail is refused, named.

use std::path::Path;

use riskdesk_core::collections;
use riskdesk_core::ids::RunId;

use super::files::may_open;
use super::tests::{ctx, fixture, host, run_as_planned};

#[test]
fn a_run_s_drafts_are_written_logged_and_openable() {
    let mut f = fixture();
    let mut h = host(&mut f);
    run_as_planned(&mut h, "2026-11-25");
    let mut run = collections::run_record(h.conn, RunId(1)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let drafts = crate::drafts::write(&run, dir.path(), ctx().now).unwrap();
    assert!(!drafts.written.is_empty());
    h.tx(|tx, c| crate::drafts::log(tx, c, 1, &drafts)).unwrap();
    let logged = riskdesk_core::mail::log(h.conn, Some(1), None).unwrap();
    assert_eq!(logged.len(), drafts.written.len());
    let first = &drafts.written[0];
    let theirs = riskdesk_core::mail::log(h.conn, None, Some(first.customer_id)).unwrap();
    assert_eq!(theirs[0].recipient, first.to);
    for w in &drafts.written {
        assert!(may_open(&mut h, Path::new(&w.path)).is_ok(), "{}", w.path);
        let text = std::fs::read_to_string(&w.path).unwrap();
        assert!(text.contains("X-Unsent: 1") && text.contains("Content-Type: application/pdf"));
    }
    // An .eml RiskDesk did not write is not opened.
    let stranger = dir.path().join("other.eml");
    std::fs::write(&stranger, "From: x").unwrap();
    assert!(may_open(&mut h, &stranger).is_err());
    // Drafts are sent from the letterhead's e-mail: without one, refused and named.
    run.settings
        .insert("letterhead.email".into(), String::new());
    let e = crate::drafts::write(&run, dir.path(), ctx().now).unwrap_err();
    assert!(
        matches!(e, riskdesk_core::Error::Validation(ref v) if v[0].field == "letterhead.email"),
        "{e:?}"
    );
}

/// A customer's statement, policy and plan agreement as drafts: to its billing e-mail, in its
/// language, the document attached; a risk report has no customer to send to.
#[test]
fn a_customer_document_becomes_a_draft_in_the_customer_s_language() {
    use super::documents::{records, DocumentRequest};
    let mut f = fixture();
    let (customer, zh): (i64, bool) = f
        .conn
        .query_row(
            "SELECT id, language = 'zh-TW' FROM customers WHERE email <> '' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let h = host(&mut f);
    for kind in ["statement", "policy"] {
        let request = DocumentRequest {
            kind: kind.into(),
            customer_id: customer,
            as_of: ctx().today.to_string(),
            lang: String::new(),
            plan_id: 0,
        };
        let doc = records(h.conn, &h.ctx, &request).unwrap();
        let d = crate::drafts::document_draft(&doc, "x.pdf").unwrap();
        assert!(d.to.contains('@'));
        assert!(d.attachment.starts_with(b"%PDF"));
        let words = match (kind, zh) {
            ("statement", true) => "對帳單",
            ("statement", false) => "Statement of account",
            (_, true) => "收款政策",
            (_, false) => "collections policy",
        };
        assert!(d.subject.contains(words), "{}", d.subject);
    }
    let report = DocumentRequest {
        kind: "portfolio".into(),
        customer_id: 0,
        as_of: ctx().today.to_string(),
        lang: "en".into(),
        plan_id: 0,
    };
    let doc = records(h.conn, &h.ctx, &report).unwrap();
    assert!(crate::drafts::document_draft(&doc, "r.pdf").is_none());
}
