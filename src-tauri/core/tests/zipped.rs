//! A file that comes packed in a ZIP archive is imported as the file inside it, whichever
//! tool packed it; an archive that is not one readable file is refused with its file named,
//! and nothing is written.

mod usage_common;

use riskdesk_core::error::Code;
use riskdesk_core::import;
use riskdesk_core::test_support::zip::{archive, one, Entry, Sizes};
use riskdesk_core::Error;
use usage_common::*;

const BILLED: &str = "daily_rated_usage_billed_2024-12.csv";

/// A problem as (line, field, code, its file's name where it names one).
type Problem = (u64, String, Code, Option<String>);

/// The file's problems.
fn refused(e: Error) -> Vec<Problem> {
    let Error::Import { problems, .. } = e else {
        panic!("expected an import error, got {e}");
    };
    problems
        .into_iter()
        .map(|p| (p.line, p.field, p.code, p.params.get("name").cloned()))
        .collect()
}

#[test]
fn a_usage_download_in_a_zip_archive_is_the_file_inside_it_however_it_was_packed() {
    let csv = std::fs::read(sample(BILLED)).unwrap();
    let (_d, mut conn) = db();
    let rows = import(&mut conn, BILLED).rows;
    let (days, lines, _) = counts(&conn);
    let sum = total(&conn, C1, "2024-12-01", "2024-12-31");
    assert!(days > 0 && lines > 0 && sum > rust_decimal::Decimal::ZERO);
    let mac = |sizes| {
        archive(&[
            Entry::deflated(BILLED, &csv).sized(sizes),
            // A folder deflated (two bytes of an empty stream), its sizes where the file's are.
            Entry::deflated("__MACOSX/", b"").sized(sizes),
            Entry::deflated("__MACOSX/._daily_rated_usage_billed_2024-12.csv", &[0; 300])
                .sized(sizes),
        ])
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &csv).unwrap();
    let gz = gz.finish().unwrap();
    // An archive comment (Info-ZIP's `zip -z`): after the end record, its length in it.
    let mut commented = one(BILLED, &csv);
    let end = commented.len();
    commented[end - 2..].copy_from_slice(&10u16.to_le_bytes());
    commented.extend_from_slice(b"PK\x05\x06 notes");
    let shapes: Vec<(&str, Vec<u8>)> = vec![
        ("windows.zip", one(BILLED, &csv)),
        ("commented.zip", commented.clone()),
        ("blob.zip", one("usage.csv.gz", &gz)),
        ("stored.zip", archive(&[Entry::stored(BILLED, &csv)])),
        ("mac.zip", mac(Sizes::Descriptor)),
        ("streamed.zip", mac(Sizes::Unsigned)),
        (
            "zip64.zip",
            archive(&[Entry::deflated(BILLED, &csv).sized(Sizes::Zip64)]),
        ),
        (
            "folder.zip",
            archive(&[
                Entry::stored("billing/", b""),
                Entry::stored("billing/.DS_Store", b"\0\0\0\x01Bud1"),
                Entry::deflated(&format!("billing/{BILLED}"), &csv),
            ]),
        ),
    ];
    for (name, bytes) in &shapes {
        // Into a new book: the same days, lines and total as the file itself.
        let (_d, mut fresh) = db();
        let r = import_bytes(&mut fresh, name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r.rows, rows, "{name}");
        let (d, l, _) = counts(&fresh);
        assert_eq!((d, l), (days, lines), "{name}");
        assert_eq!(total(&fresh, C1, "2024-12-01", "2024-12-31"), sum, "{name}");
        // Into the book that has the file: nothing changes.
        let before = counts(&conn);
        import_bytes(&mut conn, name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            counts(&conn),
            before,
            "{name} imported after the file itself"
        );
    }
}

#[test]
fn an_archive_that_is_not_one_readable_file_is_refused_and_nothing_is_written() {
    let row = format!("{HEADER}\n{ROW}\n");
    let csv = row.as_bytes();
    let mut damaged = archive(&[Entry::stored("usage.csv", csv)]);
    let at = damaged.windows(3).position(|w| w == b"EAS").unwrap();
    damaged[at] = b'W';
    let mut encrypted = Entry::deflated("usage.csv", csv);
    encrypted.flags |= 1;
    let mut bzip2 = Entry::stored("usage.csv", csv);
    bzip2.method = 12;
    let whole = one("usage.csv", csv);
    // Stored, its size only in the descriptor after it: where it ends is unknown.
    let mut no_size = archive(&[Entry::stored("usage.csv", csv).sized(Sizes::Descriptor)]);
    let zip_archive =
        |name: &str| vec![(1, "file".to_string(), Code::ZipArchive, Some(name.into()))];
    let cases: Vec<(&str, Vec<u8>, Vec<Problem>)> = vec![
        ("damaged.zip", damaged, zip_archive("usage.csv")),
        (
            "locked.zip",
            archive(&[encrypted]),
            zip_archive("usage.csv"),
        ),
        ("bzip2.zip", archive(&[bzip2]), zip_archive("usage.csv")),
        ("unsized.zip", no_size.clone(), zip_archive("usage.csv")),
        (
            "cut.zip",
            whole[..whole.len() / 2].to_vec(),
            zip_archive("usage.csv"),
        ),
        (
            "cut-early.zip",
            whole[..20].to_vec(),
            vec![(1, "file".into(), Code::NotASheet, None)],
        ),
        (
            "empty.zip",
            archive(&[Entry::stored("reports/", b"")]),
            vec![(1, "file".into(), Code::EmptyFile, None)],
        ),
        (
            "nested.zip",
            one("inner.zip", &one("usage.csv", csv)),
            zip_archive("usage.csv"),
        ),
    ];
    let (_d, mut conn) = db();
    customer_with_tenant(&mut conn, "Contoso, Ltd.", C1);
    let before = counts(&conn);
    for (name, bytes, expected) in cases {
        let e = import_bytes(&mut conn, name, &bytes).unwrap_err();
        assert!(e.to_string().contains(name), "{e}");
        assert_eq!(refused(e), expected, "{name}");
        assert_eq!(counts(&conn), before, "{name} wrote nothing");
    }
    // The same row, whole, is read; and stored with a descriptor where the header gives the
    // size too, as Java's writers do.
    import_bytes(&mut conn, "whole.zip", &whole).unwrap();
    assert_eq!(counts(&conn).1, before.1 + 1);
    let size = (csv.len() as u32).to_le_bytes();
    no_size[18..22].copy_from_slice(&size);
    no_size[22..26].copy_from_slice(&size);
    import_bytes(&mut conn, "java.zip", &no_size).unwrap();
    assert_eq!(counts(&conn).1, before.1 + 1, "the same row");
}

#[test]
fn a_ledger_or_bank_file_in_a_zip_archive_is_read_as_the_text_inside_it() {
    let csv = "legal_name,country,currency\n速雲資訊股份有限公司,TW,TWD\n";
    let (big5, _, _) = encoding_rs::BIG5.encode(csv);
    for (bytes, what) in [
        (one("customers.csv", csv.as_bytes()), "UTF-8"),
        (
            archive(&[Entry::stored("客戶.csv", csv.as_bytes())]),
            "a Chinese name",
        ),
        (one("customers.csv", &big5), "Big5"),
    ] {
        assert_eq!(import::text(&bytes).unwrap(), csv, "{what}");
    }
    // Windows in Taiwan names a file in Big5 without saying so: named as written.
    let (name, _, _) = encoding_rs::BIG5.encode("帳單.csv");
    let entry = |data: &[u8]| Entry {
        name: name.to_vec(),
        flags: 0,
        ..Entry::deflated("x", data)
    };
    let p = import::text(&archive(&[entry(b"a"), entry(b"b")])).unwrap_err();
    assert_eq!((p.line, p.code), (1, Code::ZipArchive));
    assert_eq!(p.params.get("name").map(String::as_str), Some("帳單.csv"));
    assert!(
        p.message.contains("帳單.csv and 帳單.csv besides"),
        "{}",
        p.message
    );
    // A workbook is still named as one.
    let xlsx = archive(&[Entry::deflated("[Content_Types].xml", b"<Types/>")]);
    assert_eq!(import::text(&xlsx).unwrap_err().code, Code::NotASheet);
    // Customers imported from the archive.
    let (_d, mut conn) = db();
    let tx = conn.transaction().unwrap();
    let r = import::import_customers(
        &tx,
        &ctx(),
        "customers.zip",
        &one("c.csv", &big5)[..],
        |_, _| {},
    )
    .unwrap();
    tx.commit().unwrap();
    assert_eq!(r.created, 1);
    let name: String = conn
        .query_row("SELECT legal_name FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "速雲資訊股份有限公司");
}

#[test]
fn an_archive_cut_anywhere_is_refused_never_read_in_part() {
    let csv = format!("{HEADER}\n{ROW}\n{ROW}\n");
    for sizes in [
        Sizes::Header,
        Sizes::Descriptor,
        Sizes::Unsigned,
        Sizes::Zip64,
    ] {
        for entries in [
            vec![Entry::deflated("usage.csv", csv.as_bytes()).sized(sizes)],
            vec![Entry::stored("usage.csv", csv.as_bytes())],
            vec![
                Entry::stored("billing/", b""),
                Entry::deflated("billing/usage.csv", csv.as_bytes()).sized(sizes),
                Entry::deflated("__MACOSX/billing/._usage.csv", &[7; 90]).sized(sizes),
            ],
        ] {
            let whole = archive(&entries);
            for cut in 0..whole.len() {
                // Cut before its first name ends, it is no archive (its bytes as text, which
                // no import takes for usage); after, a refusal, even where the cut leaves
                // the file's data whole (in the list of files at the archive's end).
                if let Ok(text) = import::text(&whole[..cut]) {
                    assert!(
                        !text.contains("CustomerId"),
                        "{sizes:?}, cut at {cut} of {}: {text}",
                        whole.len()
                    );
                }
            }
            assert_eq!(import::text(&whole).unwrap(), csv, "{sizes:?}");
        }
    }
}

/// A day's CAMT.053 statement of one account: its entries as (bank reference, amount,
/// payer's text).
fn camt(day: &str, entries: &[(&str, &str, &str)]) -> Vec<u8> {
    let entries: String = entries
        .iter()
        .map(|(reference, amount, text)| {
            format!(
                "<Ntry><Amt Ccy=\"TWD\">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\
                 <BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>{reference}</AcctSvcrRef>\
                 <NtryDtls><TxDtls><RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\
         <BkToCstmrStmt><GrpHdr><MsgId>M-{day}</MsgId></GrpHdr><Stmt><Id>S-{day}</Id>\
         <Acct><Id><Othr><Id>808-0123456789</Id></Othr></Id><Ccy>TWD</Ccy></Acct>{entries}</Stmt></BkToCstmrStmt></Document>\n"
    )
    .into_bytes()
}

#[test]
fn a_months_statements_packed_in_one_zip_archive_are_each_imported_all_or_nothing() {
    use riskdesk_core::bank::StatementFile;
    let day_1 = camt("2026-03-05", &[("E-1", "12345.00", "INV 2026-0012")]);
    // The next day's file repeats yesterday's entry (as a bank's report of the day may).
    let day_2 = camt(
        "2026-03-06",
        &[
            ("E-1", "12345.00", "INV 2026-0012"),
            ("E-2", "800.00", "雲橋科技 INV 2026-0013"),
        ],
    );
    let month = archive(&[
        Entry::stored("statements/", b""),
        Entry::deflated("statements/2026-03-05.xml", &day_1),
        Entry::deflated("__MACOSX/statements/._2026-03-05.xml", &[0; 80]),
        Entry::deflated("statements/2026-03-06.xml", &day_2),
    ]);
    let (_d, mut conn) = db();
    let lines = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM bank_lines", [], |r| r.get(0))
            .unwrap()
    };
    let import = |conn: &mut rusqlite::Connection, file: &str, bytes: &[u8]| {
        let f = StatementFile {
            file,
            bytes,
            format: None,
            account: "",
            map: None,
        };
        riskdesk_core::test_support::import_statement(conn, &f)
    };
    let r = import(&mut conn, "2026-03.zip", &month).unwrap();
    assert_eq!((r.lines, r.added, r.known), (3, 2, 1));
    assert_eq!(r.account, "808-0123456789");
    assert_eq!(lines(&conn), 2);
    let statements: i64 = conn
        .query_row(
            "SELECT count(DISTINCT statement_id) FROM bank_lines",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(statements, 2, "each day's file is its own statement");
    // Again, or one day's file alone after it: nothing new.
    let again = import(&mut conn, "2026-03.zip", &month).unwrap();
    assert_eq!((again.added, again.known), (0, 3));
    assert_eq!(
        import(&mut conn, "2026-03-06.xml", &day_2).unwrap().added,
        0
    );
    assert_eq!(lines(&conn), 2);
    // A day's file broken, or booked after today: refused, naming it in the archive, and
    // the day before it in the archive is not written either.
    let day_3 = camt("2026-03-07", &[("E-3", "10.00", "x")]);
    let broken = camt("2026-03-08", &[("E-4", "abc", "y")]);
    let tomorrow = camt("2026-11-26", &[("E-5", "10.00", "z")]);
    for (bad, why) in [(broken, "broken"), (tomorrow, "after today")] {
        let zip = archive(&[
            Entry::deflated("2026-03-07.xml", &day_3),
            Entry::deflated("later.xml", &bad),
        ]);
        let Err(Error::Import { file, .. }) = import(&mut conn, "2026-03b.zip", &zip) else {
            panic!("{why}: an import error");
        };
        assert_eq!(file, "2026-03b.zip/later.xml", "{why}");
        assert_eq!(lines(&conn), 2, "{why}: nothing written");
    }
}

/// Statement archives chosen together hold at most 50 MB once extracted: an archive of a few
/// kilobytes that inflates past what the files before it left is refused as too large, never
/// held whole, and the statements before it are not written.
#[test]
fn statement_archives_chosen_together_hold_at_most_what_one_file_may_once_extracted() {
    use riskdesk_core::bank::StatementFile;
    let (_d, mut conn) = db();
    let day = camt("2026-03-05", &[("E-1", "12345.00", "INV 2026-0012")]);
    let padded = |n: usize| {
        let mut bytes = day.clone();
        bytes.extend(std::iter::repeat_n(b' ', n));
        archive(&[
            Entry::deflated("2026-03-05.xml", &day),
            Entry::deflated("padding.xml", &bytes),
        ])
    };
    let (small, large) = (padded(1 << 10), padded(30 << 20));
    let chosen = [("a.zip", &small), ("b.zip", &large), ("c.zip", &large)];
    let files: Vec<StatementFile> = chosen
        .iter()
        .map(|(file, bytes)| StatementFile {
            file,
            bytes,
            format: None,
            account: "",
            map: None,
        })
        .collect();
    let tx = conn.transaction().unwrap();
    let ctx = riskdesk_core::test_support::ctx();
    let e = riskdesk_core::bank::import_statements(&tx, &ctx, &files).unwrap_err();
    drop(tx);
    let Error::Import { file, problems } = e else {
        panic!("an import error: {e}");
    };
    assert_eq!(file, "c.zip", "{problems:?}");
    assert_eq!(problems[0].code, Code::FileTooLarge);
    let lines: i64 = conn
        .query_row("SELECT count(*) FROM bank_lines", [], |r| r.get(0))
        .unwrap();
    assert_eq!(lines, 0, "nothing written");
}
