//! Damaged usage, alert and activity files: whatever the bytes, an import reads them or
//! refuses them with the file named, and never panics.

mod usage_common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use riskdesk_core::test_support::damaged;
use riskdesk_core::usage;
use usage_common::*;

/// The first `rows` rows of a sample, with its header.
fn head(name: &str, rows: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(sample(name)).unwrap();
    let mut out: Vec<u8> = Vec::new();
    for line in text.lines().take(rows + 1) {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The same rows as Microsoft Graph exports them: JSON lines, names in camel case.
fn json_lines(csv: &[u8]) -> Vec<u8> {
    let mut reader = csv::Reader::from_reader(csv);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut out = String::new();
    for row in reader.records() {
        let row = row.unwrap();
        let fields: Vec<String> = header
            .iter()
            .zip(row.iter())
            .map(|(name, cell)| {
                let key = format!("{}{}", name[..1].to_lowercase(), &name[1..]);
                format!(
                    "{}:{}",
                    serde_json::to_string(&key).unwrap(),
                    serde_json::to_string(cell).unwrap()
                )
            })
            .collect();
        out.push_str(&format!("{{{}}}\n", fields.join(",")));
    }
    out.into_bytes()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn damaged_files_are_read_or_refused_never_a_panic() {
    let pc = head("daily_rated_usage_billed_2024-12.csv", 12);
    let focus = head("focus_usage_slice.csv", 12);
    let usage_files: Vec<(&str, Vec<u8>)> = vec![
        ("pc.csv", pc.clone()),
        ("focus.csv", focus.clone()),
        ("graph.json", json_lines(&pc)),
        ("focus.json", json_lines(&focus)),
        ("graph.json.gz", gzip(&json_lines(&pc))),
        (
            "usage.zip",
            riskdesk_core::test_support::zip::one("usage.csv", &pc),
        ),
    ];
    let text_files: Vec<(&str, Vec<u8>)> = [
        "fraud_events.json",
        "security_alerts.json",
        "audit_records.json",
        "activity_log_export.csv",
    ]
    .iter()
    .map(|n| (*n, std::fs::read(sample(n)).unwrap()))
    .collect();
    let (_d, mut conn) = db();
    customer_with_tenant(&mut conn, "Contoso Trading Co.", C1);
    let cases: u32 = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    let conn = std::cell::RefCell::new(conn);
    let edits = prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..8);
    runner
        .run(
            &(0..(usage_files.len() + text_files.len()), edits),
            |(which, edits)| {
                let mut conn = conn.borrow_mut();
                let tx = conn.transaction().unwrap();
                if which < usage_files.len() {
                    let (name, bytes) = &usage_files[which];
                    let bytes = if name.ends_with(".gz") || name.ends_with(".zip") {
                        // Damage inside the compressed text, and of the compressed bytes.
                        match (edits.len() % 2, name.ends_with(".zip")) {
                            (0, false) => gzip(&damaged(&json_lines(&pc), &edits)),
                            (0, true) => riskdesk_core::test_support::zip::one(
                                "usage.csv",
                                &damaged(&pc, &edits),
                            ),
                            _ => damaged(bytes, &edits),
                        }
                    } else {
                        damaged(bytes, &edits)
                    };
                    if let Err(e) =
                        usage::import_usage(&tx, &ctx(), name, &bytes[..], None, |_, _| {})
                    {
                        prop_assert!(e.to_string().contains(name), "{e}");
                    }
                } else {
                    let (name, bytes) = &text_files[which - usage_files.len()];
                    let text = String::from_utf8_lossy(&damaged(bytes, &edits)).into_owned();
                    let r = if name.starts_with("audit") || name.starts_with("activity") {
                        usage::activity::import(&tx, &ctx(), name, &text).map(|_| ())
                    } else {
                        usage::notices::import(&tx, &ctx(), name, &text).map(|_| ())
                    };
                    if let Err(e) = r {
                        prop_assert!(e.to_string().contains(name), "{e}");
                    }
                }
                Ok(())
            },
        )
        .unwrap();
}

/// A saved API answer that is not whole JSON is refused as the file's problem, named with
/// its line, as a CSV's is; so is a gzip stream that is not one.
#[test]
fn a_broken_json_document_or_gzip_stream_is_refused_by_file_and_line() {
    let (_d, mut conn) = db();
    let cut = b"{\n  \"items\": [\n    {\"customerId\": \"x\",\n      \"usageDate\": \"2025-01-0";
    let bad_gzip = [
        0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x01,
    ];
    for (name, bytes, line) in [
        ("answer.json", &cut[..], 4),
        ("blob.json.gz", &bad_gzip[..], 1),
    ] {
        let tx = conn.transaction().unwrap();
        let cache = |tx: &rusqlite::Transaction| -> i64 {
            tx.query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap()
        };
        let before = cache(&tx);
        let e = usage::import_usage(&tx, &ctx(), name, bytes, None, |_, _| {}).unwrap_err();
        assert_eq!(cache(&tx), before, "the book's page cache is as it was");
        let riskdesk_core::Error::Import { file, problems } = &e else {
            panic!("{name}: {e:?}");
        };
        assert_eq!(file, name);
        assert_eq!(
            (problems[0].line, problems[0].field.as_str()),
            (line, "file"),
            "{e}"
        );
    }
}

/// Partner Center's invoice reconciliation file given as usage is named for what it is, with
/// the file to download instead.
#[test]
fn an_invoice_reconciliation_file_is_refused_with_the_file_to_download() {
    let header = "PartnerId,CustomerId,CustomerName,CustomerDomainName,CustomerCountry,InvoiceNumber,MpnId,Tier2MpnId,OrderId,OrderDate,ProductId,SkuId,AvailabilityId,SkuName,ProductName,ChargeType,UnitPrice,Quantity,Subtotal,TaxTotal,Total,Currency";
    let file = format!("{header}\r\np,{C1},Contoso,contoso.example,TW,G0123,1,,o1,10/3/2020,DZH318Z0BQ3Q,0001,,Tables - LRS,Storage,New,0.045,1,0.01,0,0.01,EUR\r\n");
    let (_d, mut conn) = db();
    let tx = conn.transaction().unwrap();
    let e = usage::import_usage(&tx, &ctx(), "invoice.csv", file.as_bytes(), None, |_, _| {})
        .unwrap_err();
    let riskdesk_core::Error::Import { problems, .. } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(
        problems[0].code,
        riskdesk_core::error::Code::InvoiceNotUsage
    );
    assert!(e.to_string().contains("daily rated usage"), "{e}");
}
