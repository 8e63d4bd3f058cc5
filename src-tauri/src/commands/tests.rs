//! The window's commands, tested without a window: each plain function over a [`Host`] on
//! a temporary encrypted database with the demo company. Every entry point is fed
//! extreme dates and amounts, formulas and HTML; none may panic or write half a change.

use riskdesk_core::collections::{Exclusions, PolicyInput};
use riskdesk_core::demo;

use rusqlite::Connection;

use super::{documents, dunning, files, policies, receivables};
use crate::error::ApiError;
use crate::host::Host;

pub(super) const BAD_DATES: &[&str] = &[
    "+262142-12-31",
    "-0001-01-01",
    "9999-12-31",
    "1999-12-31",
    "2101-01-01",
    "2026-02-30",
    "",
    "2026/01/01",
    "=1+1",
    "<img src=x onerror=alert(1)>",
];
pub(super) const BAD_AMOUNTS: &[&str] = &[
    "99999999999999999999",
    "92233720368547758.08",
    "1e9",
    "NaN",
    "Infinity",
    "-5",
    "1.234",
    "=SUM(A1)",
    "<b>5</b>",
    "",
];

pub(super) struct Fixture {
    _dir: tempfile::TempDir,
    pub(super) conn: Connection,
    docs: std::path::PathBuf,
}

pub(super) fn fixture() -> Fixture {
    let (dir, mut conn) = riskdesk_core::test_support::book();
    let tx = conn.transaction().unwrap();
    demo::load(&tx, &ctx(), ctx().today).unwrap();
    tx.commit().unwrap();
    let docs = dir.path().join("documents");
    Fixture {
        _dir: dir,
        conn,
        docs,
    }
}

pub(super) use riskdesk_core::test_support::ctx;

pub(super) fn host(f: &mut Fixture) -> Host<'_> {
    Host::new(&mut f.conn, &f.docs, ctx())
}

/// The dunning run of `as_of`, executed as planned (nothing left out).
pub(super) fn run_as_planned(h: &mut Host, as_of: &str) -> dunning::RunResult {
    let plan = dunning::plan(h.conn, as_of).unwrap();
    dunning::execute(
        h,
        as_of,
        Exclusions::default(),
        &plan.fingerprint,
        &mut |_, _| {},
    )
    .unwrap()
    .expect("the plan has letters")
}

pub(super) fn audit_rows(f: &Fixture) -> i64 {
    f.conn
        .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap()
}

/// Imports a file as the window's import does, without following its progress.
pub(super) fn import_file(
    h: &mut Host,
    kind: &str,
    path: &std::path::Path,
) -> Result<riskdesk_core::import::ImportSummary, ApiError> {
    let paths = [path.to_path_buf()];
    files::import_paths(h, kind, &paths, None, &mut |_, _| {}, &mut |_, _| {})
}

pub(super) fn refused<T>(r: Result<T, ApiError>, field: &str) {
    let Err(e) = r else {
        panic!("{field}: accepted")
    };
    assert!(
        e.fields.iter().any(|f| f.field == field) || e.message.contains(field),
        "{field}: {e:?}"
    );
    crate::error::locales::assert_translated(&e);
}

#[test]
fn every_date_argument_is_bounded_and_named() {
    let mut f = fixture();
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    for d in BAD_DATES {
        refused(receivables::aging(h.conn, d, [30, 60, 90]), "as_of");
        refused(receivables::statement(h.conn, 1, d), "as_of");
        refused(receivables::customer_collections(h.conn, 1, d), "as_of");
        refused(dunning::plan(h.conn, d), "as_of");
        refused(dunning::preview(h.conn, d, 1, false, false), "as_of");
        refused(
            dunning::execute(
                &mut h,
                d,
                Exclusions::default(),
                &"0".repeat(64),
                &mut |_, _| {},
            ),
            "as_of",
        );
        refused(receivables::write_off(&mut h, 1, d, "gone"), "on");
        refused(receivables::prepayment_received(&mut h, 1, d), "on");
        refused(
            receivables::record_payment(
                &mut h,
                1,
                serde_json::from_value(serde_json::json!({
                    "kind": "payment", "amount": "10", "received_on": d, "method": "",
                    "reference": "R", "invoice_number": ""
                }))
                .unwrap(),
            ),
            "received_on",
        );
        refused(
            receivables::add_promise(
                &mut h,
                1,
                serde_json::from_value(
                    serde_json::json!({"pay_by": d, "amount": "10", "note": ""}),
                )
                .unwrap(),
            ),
            "pay_by",
        );
        refused(
            receivables::request_prepayment(
                &mut h,
                1,
                serde_json::from_value(
                    serde_json::json!({"due_on": d, "amount": "10", "note": ""}),
                )
                .unwrap(),
            ),
            "due_on",
        );
        refused(
            documents::render(
                &mut h,
                &documents::DocumentRequest {
                    kind: "statement".into(),
                    customer_id: 1,
                    as_of: d.to_string(),
                    ..Default::default()
                },
            ),
            "as_of",
        );
    }
    // A run dated after today is refused with the reason.
    let e = dunning::execute(
        &mut h,
        "2099-01-01",
        Exclusions::default(),
        &"0".repeat(64),
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(e.message.contains("after today"), "{e:?}");
    drop(h);
    assert_eq!(audit_rows(&f), before, "nothing was written");
}

#[test]
fn every_amount_argument_is_parsed_exactly_or_refused() {
    let mut f = fixture();
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    for a in BAD_AMOUNTS {
        refused(
            receivables::record_payment(
                &mut h,
                1,
                serde_json::from_value(serde_json::json!({
                    "kind": "payment", "amount": a, "received_on": "2026-11-01", "method": "",
                    "reference": "R", "invoice_number": ""
                }))
                .unwrap(),
            ),
            "amount",
        );
        refused(
            receivables::add_promise(
                &mut h,
                1,
                serde_json::from_value(
                    serde_json::json!({"pay_by": "2026-12-01", "amount": a, "note": ""}),
                )
                .unwrap(),
            ),
            "amount",
        );
        let mut p: PolicyInput = PolicyInput {
            name: "Extreme".into(),
            grace_days: "3".into(),
            ..Default::default()
        };
        p.min_overdue = vec![riskdesk_core::collections::AmountInput {
            currency: "TWD".into(),
            amount: a.to_string(),
        }];
        p.levels = vec![riskdesk_core::collections::LevelInput {
            days_after_due: "7".into(),
            name_en: "R".into(),
            name_zh: "提醒".into(),
            actions: vec!["reminder_letter".into()],
            interest: a.to_string(),
            ..Default::default()
        }];
        // An empty amount means "none" and an empty rate 0 %: that policy is valid.
        if !a.is_empty() {
            assert!(policies::save(&mut h, p).is_err(), "{a}");
        }
    }
    // A credit note taking back more than the invoice it names charged: refused on its
    // amount, in both languages.
    let number: String = h
        .conn
        .query_row(
            "SELECT number FROM invoices WHERE customer_id = 1 ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let too_much = serde_json::json!({
        "kind": "credit_note", "amount": "99999999", "received_on": "2026-11-01", "method": "",
        "reference": "CN-TOO-MUCH", "invoice_number": number
    });
    refused(
        receivables::record_payment(&mut h, 1, serde_json::from_value(too_much).unwrap()),
        "amount",
    );
    // Ids that are no records.
    for id in [0, -1, i64::MIN, i64::MAX] {
        assert!(receivables::statement(h.conn, id, "2026-11-01").is_err());
        assert!(receivables::set_dispute(&mut h, id, true, "x").is_err());
        assert!(dunning::reprint(&mut h, id, &mut |_, _| {}).is_err());
    }
    drop(h);
    assert_eq!(audit_rows(&f), before, "nothing was written");
}

#[test]
fn formulas_and_html_in_text_fields_are_kept_as_text() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let nasty = "=HYPERLINK(\"http://x\";\"y\") <script>alert(1)</script> @SUM(1+1)";
    receivables::set_dispute(&mut h, 1, true, nasty).unwrap();
    let note: String = h
        .conn
        .query_row("SELECT dispute_note FROM invoices WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(note, nasty);
    // An import of a file with a formula name stores the text, apostrophe removed only
    // when RiskDesk itself put it there.
    let dir = tempfile::tempdir().unwrap();
    let evil = dir.path().join("evil.csv");
    std::fs::write(
        &evil,
        "legal_name,country,currency\n\"'=1+1\",TW,TWD\n\"=2+2\",TW,TWD\n",
    )
    .unwrap();
    let s = import_file(&mut h, "customers", &evil).unwrap();
    assert_eq!(s.created, 2);
    // Broken files name their line.
    let x = dir.path().join("x.csv");
    std::fs::write(&x, "number,customer\n\"open").unwrap();
    let e = import_file(&mut h, "invoices", &x).unwrap_err();
    assert!(e.message.contains("x.csv"), "{e:?}");
    assert!(import_file(&mut h, "other", &x).is_err());
    let missing = dir.path().join("missing.csv");
    assert!(import_file(&mut h, "customers", &missing).is_err());
}

#[test]
fn a_run_executes_only_the_reviewed_plan_and_can_be_reprinted() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let plan = dunning::plan(h.conn, "2026-11-25").unwrap();
    assert!(!plan.customers.is_empty());
    let wrong = "f".repeat(64);
    let e = dunning::execute(
        &mut h,
        "2026-11-25",
        Exclusions::default(),
        &wrong,
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(e.message.contains("changed since you reviewed"), "{e:?}");
    let mut seen = 0;
    let r = dunning::execute(
        &mut h,
        "2026-11-25",
        Exclusions::default(),
        &plan.fingerprint,
        &mut |done, _| seen = done,
    )
    .unwrap()
    .unwrap();
    assert!(seen > 0 && r.files.len() > seen);
    let runs = dunning::runs(h.conn).unwrap();
    assert!(runs[0].missing.is_empty());
    std::fs::remove_dir_all(&r.folder).unwrap();
    let runs = dunning::runs(h.conn).unwrap();
    assert_eq!(runs[0].missing.len(), r.files.len());
    let again = dunning::reprint(&mut h, r.run_id.0, &mut |_, _| {}).unwrap();
    assert_eq!(again.files, r.files);
    assert!(dunning::runs(h.conn).unwrap()[0].missing.is_empty());
    // The same plan again: nothing to do.
    let plan = dunning::plan(h.conn, "2026-11-25").unwrap();
    let next = dunning::execute(
        &mut h,
        "2026-11-25",
        Exclusions::default(),
        &plan.fingerprint,
        &mut |_, _| {},
    );
    assert!(matches!(next, Ok(None)) || plan.customers.is_empty() || next.is_ok());
}

#[test]
fn customer_commands_refuse_extreme_input_and_keep_text_as_text() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let nasty = "=cmd|' /C calc'!A0 <img src=x onerror=alert(1)>";
    let c = super::customers::create(
        &mut h,
        &riskdesk_core::customer::CustomerInput {
            status: "prospect".into(),
            notes: "@SUM(1+1)".into(),
            ..riskdesk_core::test_support::customer_input(nasty, "TWD", "TW")
        },
        None,
        &[],
    )
    .unwrap();
    assert_eq!(c.fields.legal_name, nasty);
    for bad in ["99999999999999999999", "-1", "1e3", "NaN"] {
        let mut input = c.fields.to_input();
        input.payment_terms_days = bad.into();
        assert!(
            super::customers::update(&mut h, c.id.0, &input, None).is_err(),
            "{bad}"
        );
        let mut input = c.fields.to_input();
        input.credit_limit = bad.into();
        assert!(
            super::customers::update(&mut h, c.id.0, &input, None).is_err(),
            "{bad}"
        );
    }
    for d in BAD_DATES {
        let check: super::customers::CheckInput = serde_json::from_value(serde_json::json!({
            "item": "phone_contact", "done_on": d, "done_by": "me", "reference": "", "note": ""
        }))
        .unwrap();
        refused(
            super::customers::record_check(&mut h, c.id.0, check),
            "done_on",
        );
        let input = riskdesk_core::subscription::SubscriptionInput {
            offer: "Azure plan".into(),
            pc_subscription_id: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee".into(),
            quantity: "1".into(),
            monthly_price: "100".into(),
            start_on: d.to_string(),
            ..Default::default()
        };
        refused(
            super::customers::add_subscription(&mut h, c.id.0, &input),
            "start_on",
        );
    }
    let long = riskdesk_core::customer::ListQuery {
        search: "x".repeat(10_000),
        ..Default::default()
    };
    refused(super::customers::list(h.conn, &long), "search");
    for id in [0, -1, i64::MIN, i64::MAX] {
        assert!(super::customers::detail(h.conn, &h.ctx, id).is_err());
    }
}

/// What the Open dialog hands over: a path. The file is streamed from it, progress in bytes
/// then rows; a bad file names its line and every field; the same file twice changes
/// nothing.
#[test]
fn an_import_from_a_chosen_path_is_streamed_all_or_nothing_and_idempotent() {
    let mut f = fixture();
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("payments.csv");
    std::fs::write(
        &bad,
        "reference,customer,received_on,amount,currency\nTX-1,1,2026-10-01,100,TWD\nTX-2,Nobody,2026-10-01,abc,TWD\n",
    )
    .unwrap();
    let e = import_file(&mut h, "payments", &bad).unwrap_err();
    assert!(e.message.contains("payments.csv:3 field customer"), "{e:?}");
    assert!(e.message.contains("payments.csv:3 field amount"), "{e:?}");
    drop(h);
    assert_eq!(audit_rows(&f), before, "nothing was written");
    let mut h = host(&mut f);
    let good = dir.path().join("customers.csv");
    let mut text = String::from("legal_name,country,currency\n");
    for i in 0..5000 {
        text.push_str(&format!("Bulk Customer {i},TW,TWD\n"));
    }
    std::fs::write(&good, &text).unwrap();
    let (mut bytes, mut rows) = (Vec::new(), 0);
    let s = files::import_paths(
        &mut h,
        "customers",
        std::slice::from_ref(&good),
        None,
        &mut |d, t| bytes.push((d, t)),
        &mut |d, _| rows = d,
    )
    .unwrap();
    assert_eq!(s.created, 5000);
    assert_eq!(rows, 5000);
    assert_eq!(
        bytes.last().copied(),
        Some((text.len() as u64, text.len() as u64))
    );
    let again = import_file(&mut h, "customers", &good).unwrap();
    assert_eq!((again.created, again.unchanged), (0, 5000));
}

/// What the Save dialog hands over: a path. The PDF goes there (".pdf" added when the name
/// lacks it), and the next dialog opens in that folder.
#[test]
fn a_document_is_saved_where_the_user_chose_and_the_folder_is_remembered() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let request = documents::DocumentRequest {
        kind: "statement".into(),
        customer_id: 7,
        as_of: "2026-11-25".into(),
        ..Default::default()
    };
    let name = files::suggested_name(&mut h, &request).unwrap();
    assert!(
        name.starts_with("2026-11-25-statement-") && name.ends_with(".pdf"),
        "{name}"
    );
    assert_eq!(
        files::start_folder(&mut h).unwrap(),
        h.documents.to_path_buf()
    );
    let dir = tempfile::tempdir().unwrap();
    let chosen = dir.path().join("for the accountant");
    let written = files::save_document(&mut h, &request, &chosen).unwrap();
    assert!(written.ends_with("for the accountant.pdf"), "{written}");
    let bytes = std::fs::read(&written).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert_eq!(files::start_folder(&mut h).unwrap(), dir.path());
    let policy = documents::DocumentRequest {
        kind: "policy".into(),
        ..request.clone()
    };
    let p = files::save_document(&mut h, &policy, &dir.path().join("policy.PDF")).unwrap();
    assert!(p.ends_with("policy.PDF"), "{p}");
    let bad = documents::DocumentRequest {
        kind: "letter".into(),
        ..request.clone()
    };
    assert!(files::save_document(&mut h, &bad, &dir.path().join("x.pdf")).is_err());

    assert!(!dir.path().join("x.pdf").exists());
}

/// Open and Show in folder reach only what RiskDesk wrote.
#[test]
fn only_documents_riskdesk_wrote_may_be_opened() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("elsewhere.pdf");
    std::fs::write(&outside, b"%PDF-1.7").unwrap();
    assert!(files::may_open(&mut h, &outside).is_err());
    assert!(files::may_open(&mut h, std::path::Path::new("/etc/passwd")).is_err());
    assert!(files::may_open(&mut h, std::path::Path::new("/usr/bin/env")).is_err());
    // Saved through the Save dialog: its folder becomes one RiskDesk wrote to.
    let request = documents::DocumentRequest {
        kind: "statement".into(),
        customer_id: 7,
        as_of: "2026-11-25".into(),
        ..Default::default()
    };
    let saved = files::save_document(&mut h, &request, &dir.path().join("st.pdf")).unwrap();
    assert!(files::may_open(&mut h, std::path::Path::new(&saved)).is_ok());
    // A program beside it is still refused, and so is a path that climbs out.
    std::fs::write(dir.path().join("run.sh"), b"#!/bin/sh").unwrap();
    assert!(files::may_open(&mut h, &dir.path().join("run.sh")).is_err());
    assert!(files::may_open(&mut h, &dir.path().join("../../etc/passwd")).is_err());
    // Nor a PDF RiskDesk did not write, beside the saved one, nor the folder itself, nor
    // an app bundle or a link made to look like a document.
    assert!(files::may_open(&mut h, &outside).is_err());
    assert!(files::may_open(&mut h, dir.path()).is_err());
    std::fs::create_dir(dir.path().join("Viewer.app")).unwrap();
    assert!(files::may_open(&mut h, &dir.path().join("Viewer.app")).is_err());
    std::os::unix::fs::symlink("/usr/bin/env", dir.path().join("env.pdf")).unwrap();
    assert!(files::may_open(&mut h, &dir.path().join("env.pdf")).is_err());
    // Save As never overwrites a file the dialog did not ask about.
    let e = files::save_document(&mut h, &request, &dir.path().join("elsewhere")).unwrap_err();
    assert!(e.message.contains("already exists"), "{e:?}");
    assert_eq!(std::fs::read(&outside).unwrap(), b"%PDF-1.7");
    // A dunning run's folder and letters.
    let r = run_as_planned(&mut h, "2026-11-25");
    assert!(files::may_open(&mut h, std::path::Path::new(&r.folder)).is_ok());
    let letter = std::path::Path::new(&r.folder).join(&r.files[0]);
    assert!(files::may_open(&mut h, &letter).is_ok());
}

/// The folder a dunning run writes into is chosen once and used by every later run.
#[test]
fn dunning_runs_write_into_the_folder_chosen_once() {
    let mut f = fixture();
    let mut h = host(&mut f);
    assert_eq!(
        dunning::run_base(&mut h).unwrap(),
        h.documents.to_path_buf()
    );
    let dir = tempfile::tempdir().unwrap();
    assert!(dunning::set_run_base(&mut h, &dir.path().join("missing")).is_err());
    assert!(dunning::set_run_base(&mut h, std::path::Path::new("relative")).is_err());
    dunning::set_run_base(&mut h, dir.path()).unwrap();
    let plan = dunning::plan(h.conn, "2026-11-25").unwrap();
    let r = dunning::execute(
        &mut h,
        "2026-11-25",
        Exclusions::default(),
        &plan.fingerprint,
        &mut |_, _| {},
    )
    .unwrap()
    .unwrap();
    assert!(
        std::path::Path::new(&r.folder).starts_with(dir.path()),
        "{}",
        r.folder
    );
    assert!(files::may_open(&mut h, std::path::Path::new(&r.folder)).is_ok());
}
