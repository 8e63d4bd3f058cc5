//! The window's commands at the ledger's edges: the letter preview is the letter the run
//! prints, letterhead lines and Taiwan business numbers as typed, a Graph export chosen by
//! its manifest.

use riskdesk_core::collections::Exclusions;

use super::tests::{audit_rows, fixture, host, refused};
use super::{documents, dunning, notices, usage};

/// Unticking a customer's charges and suspension changes the letter the preview shows
/// exactly as it changes the letter the run prints (both from one core function).
#[test]
fn the_preview_is_the_letter_the_run_prints() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let plan = dunning::plan(h.conn, "2026-11-25").unwrap();
    let c = plan
        .customers
        .iter()
        .find(|c| c.charges.minor > 0 && !c.suspend.is_empty())
        .expect("the demo plans a customer with charges and a suspension");
    let id = c.customer_id.0;
    let full = dunning::preview(h.conn, "2026-11-25", id, false, false).unwrap();
    let spared = dunning::preview(h.conn, "2026-11-25", id, true, true).unwrap();
    assert!(
        spared.total.minor < full.total.minor,
        "charges left out lower the total"
    );
    assert_eq!(spared.plan.charges.minor, 0);
    assert!(spared.plan.suspend.is_empty());
    assert_ne!(
        spared.body, full.body,
        "the letter no longer announces the suspension"
    );
    let ex = Exclusions {
        customers: Vec::new(),
        no_suspension: vec![c.customer_id],
        no_charges: vec![c.customer_id],
    };
    let r = dunning::execute(&mut h, "2026-11-25", ex, &plan.fingerprint, &mut |_, _| {})
        .unwrap()
        .unwrap();
    let record = riskdesk_core::collections::run_record(h.conn, r.run_id).unwrap();
    let printed = record
        .customers
        .iter()
        .find(|rc| rc.plan.customer_id == c.customer_id)
        .unwrap();
    assert_eq!(printed.plan.total(), spared.total);
    assert_eq!(printed.plan.letter_text(), spared.plan.letter_text());
    assert_eq!(printed.plan.invoices, spared.plan.invoices);
    assert_eq!(printed.plan.actions, spared.plan.actions);
}

/// A 100,000-character letterhead name made one letter take 56 s: each letterhead line has
/// one documented maximum, checked before anything is saved.
#[test]
fn letterhead_lines_have_a_maximum_length_and_no_control_characters() {
    let mut f = fixture();
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    refused(
        documents::save_letterhead(
            &mut h,
            vec![("letterhead.name".into(), "A".repeat(100_000))],
        ),
        "letterhead.name",
    );
    refused(
        documents::save_letterhead(
            &mut h,
            vec![("letterhead.phone".into(), "02\u{0}1234".into())],
        ),
        "letterhead.phone",
    );
    // Paper is A4 or Letter, whatever the case; anything else is refused with its field.
    for bad in ["a5", "", "=A4", "<b>a4</b>"] {
        refused(
            documents::save_letterhead(&mut h, vec![("paper".into(), bad.into())]),
            "paper",
        );
    }
    drop(h);
    assert_eq!(audit_rows(&f), before, "nothing was saved");
    let mut h = host(&mut f);
    documents::save_letterhead(
        &mut h,
        vec![
            ("letterhead.address".into(), "1 Main St\nTaipei".into()),
            ("paper".into(), "Letter".into()),
        ],
    )
    .unwrap();
}

/// A Taiwan unified business number typed into the form is checked by its check digit,
/// however it is spaced; an imported book keeps the numbers it has.
#[test]
fn a_taiwan_business_number_is_checked_when_typed() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let input = |tax: &str| riskdesk_core::customer::CustomerInput {
        language: "zh-TW".into(),
        status: "prospect".into(),
        tax_id: tax.into(),
        ..riskdesk_core::test_support::customer_input(&format!("Check Digit {tax}"), "TWD", "TW")
    };
    refused(
        super::customers::create(&mut h, &input("04595258"), None, &[]),
        "tax_id",
    );
    refused(
        super::customers::create(&mut h, &input("0459-5258"), None, &[]),
        "tax_id",
    );
    let c = super::customers::create(&mut h, &input("0459 5257"), None, &[]).unwrap();
    let mut edit = c.fields.to_input();
    edit.tax_id = "04595258".into();
    refused(
        super::customers::update(&mut h, c.id.0, &edit, None),
        "tax_id",
    );
    // Outside Taiwan, or not eight digits, it is not a 統一編號.
    let mut other = input("04595258");
    other.country = "JP".into();
    super::customers::create(&mut h, &other, None, &[]).unwrap();
}

/// The window writes money from the reference data's table, the one letters use: every
/// currency a form offers has its ISO 4217 digits there (the web view's own `Intl` gives
/// IDR and HUF none and so would show a hundred times the amount).
#[test]
fn the_reference_data_says_how_every_currency_is_written() {
    let data = serde_json::to_value(super::session::get_reference_data()).unwrap();
    let codes = data["currencies"].as_array().unwrap();
    let formats = data["money_formats"].as_array().unwrap();
    assert_eq!(codes.len(), formats.len());
    let format = |code: &str| {
        formats
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("no format for {code}"))
    };
    for code in codes {
        format(code.as_str().unwrap());
    }
    for (code, exponent, symbol) in [
        ("TWD", 2, "NT$"),
        ("IDR", 2, "Rp"),
        ("HUF", 2, "HUF "),
        ("BHD", 3, "BHD "),
        ("JPY", 0, "¥"),
        ("THB", 2, "฿"),
    ] {
        assert_eq!(format(code)["exponent"], exponent, "{code}");
        assert_eq!(format(code)["symbol"], symbol, "{code}");
    }
    // How a payment arrived, in both languages, from the table statements use.
    let methods = data["payment_methods"].as_array().unwrap();
    assert!(methods.contains(&serde_json::json!(["bank transfer", "銀行轉帳"])));
}

/// A Graph export's manifest chosen alone imports the blobs it names from its folder (the
/// progress counting all of them); with one of them gone, it names the one missing and
/// nothing is written.
#[test]
fn a_manifest_chosen_alone_imports_the_export_it_names() {
    let mut f = fixture();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src-tauri/core/tests/samples/daily_rated_usage_billed_2024-12.csv");
    let text = std::fs::read_to_string(&sample).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let dir = tempfile::tempdir().unwrap();
    let names = ["part-00001-e5.c000.csv", "part-00002-e5.c000.csv"];
    for (name, rows) in names.iter().zip([&lines[1..500], &lines[500..]]) {
        let part = format!("{}{}", lines[0], rows.concat());
        std::fs::write(dir.path().join(name), part).unwrap();
    }
    let manifest = dir.path().join("manifest.json");
    let blobs: Vec<String> = names
        .iter()
        .map(|n| format!("{{\"name\":\"{n}\"}}"))
        .collect();
    let json = format!("{{\"blobCount\":2,\"blobs\":[{}]}}", blobs.join(","));
    std::fs::write(&manifest, json).unwrap();
    let size = |p: &std::path::Path| std::fs::metadata(p).unwrap().len();
    let total = size(&manifest) + names.iter().map(|n| size(&dir.path().join(n))).sum::<u64>();
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    let mut last = (0, 0, 0);
    let chosen = std::slice::from_ref(&manifest);
    let r = usage::import_paths(&mut h, chosen, "auto", None, &mut |b, r, t| {
        last = (b, r, t)
    })
    .unwrap();
    assert_eq!(r.files, ["manifest.json", names[0], names[1]]);
    assert_eq!((r.summary.rows, r.summary.days_added), (868, 8 * 31));
    assert_eq!(last, (total, 868, total));
    assert!(audit_rows(&f) > before);
    let after = audit_rows(&f);
    std::fs::remove_file(dir.path().join(names[1])).unwrap();
    let mut h = host(&mut f);
    let Err(e) = usage::import_paths(&mut h, chosen, "auto", None, &mut |_, _, _| {}) else {
        panic!("an export not whole was imported");
    };
    assert_eq!(e.file.as_deref(), Some("manifest.json"));
    let missing: Vec<_> = e
        .problems
        .iter()
        .map(|p| (p.code, p.params.get("name")))
        .collect();
    assert_eq!(
        missing,
        [(
            riskdesk_core::error::Code::BlobMissing,
            Some(&names[1].to_string())
        )]
    );
    crate::error::locales::assert_translated(&e);
    assert_eq!(audit_rows(&f), after, "nothing written");
}

/// Fraud events fetched page by page (the API's answer saved one page a file), chosen
/// together or packed in a ZIP archive: one import, all or nothing; again, nothing new. The
/// activity log's two exports (the API's JSON and the portal's CSV) packed together: each
/// read, in one import.
#[test]
fn alert_and_activity_files_come_several_at_a_time() {
    use riskdesk_core::test_support::zip::{archive, Entry};
    let mut f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut h = host(&mut f);
    let samples =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/core/tests/samples");
    let read = |name: &str| std::fs::read(samples.join(name)).unwrap();
    let events: Vec<serde_json::Value> =
        serde_json::from_slice(&read("fraud_events.json")).unwrap();
    let (first, second) = events.split_at(1);
    let page = |name: &str, events: &[serde_json::Value]| {
        let path = dir.path().join(name);
        std::fs::write(&path, serde_json::to_vec(events).unwrap()).unwrap();
        path
    };
    let pages = [page("page-1.json", first), page("page-2.json", second)];
    let notices_count = |h: &crate::host::Host| -> i64 {
        h.conn
            .query_row("SELECT count(*) FROM notices", [], |r| r.get(0))
            .unwrap()
    };
    let before = notices_count(&h);
    let s = notices::import_paths(&mut h, &pages).unwrap();
    assert_eq!((s.added, s.unchanged), (events.len() as u64, 0));
    assert_eq!(notices_count(&h), before + events.len() as i64);
    let packed = dir.path().join("pages.zip");
    let zip = |second: &[u8]| {
        archive(&[
            Entry::deflated("page-1.json", &std::fs::read(&pages[0]).unwrap()),
            Entry::deflated("page-2.json", second),
        ])
    };
    std::fs::write(&packed, zip(&std::fs::read(&pages[1]).unwrap())).unwrap();
    let again = notices::import_paths(&mut h, std::slice::from_ref(&packed)).unwrap();
    assert_eq!((again.added, again.unchanged), (0, events.len() as u64));
    // A page cut short in the archive: named in it; nothing written.
    std::fs::write(&packed, zip(b"[{\"eventId\": \"x\"")).unwrap();
    let e = notices::import_paths(&mut h, &[pages[0].clone(), packed.clone()]).unwrap_err();
    assert_eq!(e.file.as_deref(), Some("pages.zip/page-2.json"), "{e:?}");
    assert_eq!(notices_count(&h), before + events.len() as i64);
    refused(notices::import_paths(&mut h, &[]), "file");
    // Archives holding more than the files may together once extracted (50 MB; each a
    // few kilobytes packed): the one past it refused as too large, never held whole.
    let bomb = dir.path().join("bomb.zip");
    let spaces = vec![b' '; 30 << 20];
    std::fs::write(&bomb, archive(&[Entry::deflated("spaces.json", &spaces)])).unwrap();
    let e = notices::import_paths(&mut h, &[bomb.clone(), bomb]).unwrap_err();
    assert_eq!(e.file.as_deref(), Some("bomb.zip"), "{e:?}");
    assert_eq!(
        e.problems[0].code,
        riskdesk_core::error::Code::FileTooLarge,
        "{e:?}"
    );
    assert_eq!(notices_count(&h), before + events.len() as i64);

    let exports = dir.path().join("activity.zip");
    let both = archive(&[
        Entry::deflated("audit_records.json", &read("audit_records.json")),
        Entry::deflated("activity_log_export.csv", &read("activity_log_export.csv")),
    ]);
    std::fs::write(&exports, both).unwrap();
    let s = notices::import_activity_paths(&mut h, std::slice::from_ref(&exports)).unwrap();
    assert!(s.added > 0, "{s:?}");
    let again = notices::import_activity_paths(&mut h, &[exports]).unwrap();
    assert_eq!((again.added, again.unchanged), (0, s.added + s.unchanged));
}
