//! The parts of one export imported as one: Microsoft Graph writes a large export as several
//! blobs, and one day's rows may fall in two of them. Imported one by one, the second part
//! replaces the day the first wrote; imported together, every row counts.

#[path = "../usage_common/mod.rs"]
mod usage_common;

mod manifest;

use std::io::Read;

use riskdesk_core::error::Code;
use riskdesk_core::test_support::zip::{archive, Entry, Sizes};
use riskdesk_core::usage;
use riskdesk_core::Error;
use rusqlite::Connection;
use usage_common::*;

const BILLED: &str = "daily_rated_usage_billed_2024-12.csv";

/// The sample's header and rows, and where to cut them: between two rows of one tenant's
/// subscription and day.
fn cut_mid_day() -> (String, Vec<String>, usize) {
    let text = std::fs::read_to_string(sample(BILLED)).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines().map(String::from);
    let header = lines.next().unwrap();
    let rows: Vec<String> = lines.collect();
    let key = |row: &str| {
        let cells: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(row.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(String::from)
            .collect();
        // CustomerId, SubscriptionId, UsageDate.
        (cells[2].clone(), cells[17].clone(), cells[20].clone())
    };
    let at = (rows.len() / 2..rows.len())
        .find(|i| key(&rows[*i - 1]) == key(&rows[*i]))
        .expect("two rows of one day side by side");
    (header, rows, at)
}

fn file(header: &str, rows: &[String]) -> Vec<u8> {
    let mut out = format!("{header}\r\n");
    for r in rows {
        out.push_str(r);
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// `rows` as a Graph export's blob: JSON lines, attributes in camel case, gzip-compressed.
fn blob(header: &str, rows: &[String]) -> Vec<u8> {
    let csv = file(header, rows);
    let mut reader = csv::Reader::from_reader(&csv[..]);
    let names: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|n| format!("{}{}", n[..1].to_lowercase(), &n[1..]))
        .collect();
    let mut out = String::new();
    for row in reader.records() {
        let row = row.unwrap();
        let object: serde_json::Map<String, serde_json::Value> = names
            .iter()
            .zip(row.iter())
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.into())))
            .collect();
        out.push_str(&serde_json::to_string(&object).unwrap());
        out.push('\n');
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, out.as_bytes()).unwrap();
    gz.finish().unwrap()
}

fn import_together(
    conn: &mut Connection,
    parts: &[(&str, &[u8])],
) -> Result<usage::UsageImport, Error> {
    let tx = conn.transaction().unwrap();
    let files: Vec<(String, Box<dyn Read + Send + '_>)> = parts
        .iter()
        .map(|(name, bytes)| (name.to_string(), Box::new(*bytes) as Box<dyn Read + Send>))
        .collect();
    let r = usage::import_usage_files(&tx, &ctx(), files, None, None, |_, _| {});
    if r.is_ok() {
        tx.commit().unwrap();
    }
    r
}

/// Every tenant's total over every day kept.
fn totals(conn: &Connection) -> Vec<(String, rust_decimal::Decimal)> {
    let mut stmt = conn
        .prepare("SELECT DISTINCT tenant_id FROM usage_days ORDER BY tenant_id")
        .unwrap();
    let tenants: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tenants
        .into_iter()
        .map(|t| {
            let sum = total(conn, &t, "1900-01-01", "9999-12-31");
            (t, sum)
        })
        .collect()
}

#[test]
fn the_parts_of_one_export_imported_together_count_every_row_of_a_day_they_share() {
    let (header, rows, at) = cut_mid_day();
    let (first, second) = (file(&header, &rows[..at]), file(&header, &rows[at..]));
    let (_d, mut whole) = db();
    import(&mut whole, BILLED);
    let expected = (counts(&whole).0, counts(&whole).1, totals(&whole));

    // One by one, the second part replaces the day the first wrote: a row is lost.
    let (_d, mut apart) = db();
    import_bytes(&mut apart, "part-1.csv", &first).unwrap();
    import_bytes(&mut apart, "part-2.csv", &second).unwrap();
    assert!(
        counts(&apart).1 < expected.1,
        "the day shared lost the first part's rows"
    );

    // Together, in either order: every row, the whole file's days, lines and totals.
    for order in [[&first, &second], [&second, &first]] {
        let (_d, mut conn) = db();
        let s = import_together(
            &mut conn,
            &[("part-1.csv", order[0]), ("part-2.csv", order[1])],
        )
        .unwrap();
        assert_eq!(s.rows as usize, rows.len());
        let (days, lines, _) = counts(&conn);
        assert_eq!((days, lines, totals(&conn)), expected);
        // The same parts again change nothing; nor does the whole file after them.
        let before = counts(&conn);
        import_together(
            &mut conn,
            &[("part-1.csv", &first), ("part-2.csv", &second)],
        )
        .unwrap();
        import_bytes(&mut conn, BILLED, &std::fs::read(sample(BILLED)).unwrap()).unwrap();
        assert_eq!(counts(&conn).0, before.0);
        assert_eq!(counts(&conn).1, before.1);
        assert_eq!(totals(&conn), expected.2);
        // The import is recorded under the first part's name and how many more.
        let name: String = conn
            .query_row(
                "SELECT file_name FROM usage_imports ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(name, "part-1.csv (and 1 more file)");
    }

    // Packed together in one ZIP archive, as a download of the export's folder comes
    // (the folder, a Mac's copies, the parts in either order, descriptors after the data):
    // the same.
    for (sizes, order) in [
        (Sizes::Header, [&first, &second]),
        (Sizes::Descriptor, [&second, &first]),
        (Sizes::Zip64, [&first, &second]),
    ] {
        let zip = archive(&[
            Entry::stored("export/", b""),
            Entry::deflated("export/part-1.csv", order[0]).sized(sizes),
            Entry::deflated("__MACOSX/export/._part-1.csv", &[0; 120]).sized(sizes),
            Entry::stored("export/part-2.csv", order[1]),
        ]);
        let (_d, mut conn) = db();
        let s = import_bytes(&mut conn, "export.zip", &zip).unwrap();
        assert_eq!(s.rows as usize, rows.len(), "{sizes:?}");
        let (days, lines, _) = counts(&conn);
        assert_eq!((days, lines, totals(&conn)), expected, "{sizes:?}");
        let before = counts(&conn);
        import_bytes(&mut conn, "export.zip", &zip).unwrap();
        import_bytes(&mut conn, BILLED, &std::fs::read(sample(BILLED)).unwrap()).unwrap();
        assert_eq!(
            counts(&conn),
            before,
            "{sizes:?}: again, then the whole file"
        );
    }
}

#[test]
fn a_problem_in_a_part_packed_in_an_archive_names_the_part_in_it_and_nothing_is_written() {
    let (header, rows, at) = cut_mid_day();
    let first = file(&header, &rows[..at]);
    let second = file(&header, &rows[at..]);
    let text = String::from_utf8(second.clone()).unwrap();
    let bad = text.replacen(&rows[at + 1], &rows[at + 1].replacen(',', ",=1+1,", 1), 1);
    let (_d, mut conn) = db();
    let before = counts(&conn);
    let refused = |conn: &mut Connection, zip: &[u8]| {
        let e = import_bytes(conn, "export.zip", zip).unwrap_err();
        let Error::Import { file, problems } = e else {
            panic!("an import error, got {e}");
        };
        assert_eq!(counts(conn), before, "nothing written");
        (file, problems[0].line, problems[0].code)
    };
    // A row of the second part with a cell too many: the part's own line 3.
    let zip = archive(&[
        Entry::deflated("part-1.csv", &first),
        Entry::deflated("part-2.csv", bad.as_bytes()),
    ]);
    let (file, line, _) = refused(&mut conn, &zip);
    assert_eq!((file.as_str(), line), ("export.zip/part-2.csv", 3));
    // The second part damaged (a byte changed after its CRC-32 was taken): refused on the
    // part's line 1, as a damaged archive.
    let mut damaged = archive(&[
        Entry::stored("part-1.csv", &first),
        Entry::stored("part-2.csv", &second),
    ]);
    let at = damaged.len() - 200;
    damaged[at] ^= 0x20;
    let damaged_part = ("export.zip/part-2.csv".to_string(), 1, Code::ZipArchive);
    assert_eq!(refused(&mut conn, &damaged), damaged_part);
    // Cut in the middle of the second part.
    let whole = archive(&[
        Entry::deflated("part-1.csv", &first),
        Entry::deflated("part-2.csv", &second),
    ]);
    let cut = refused(&mut conn, &whole[..whole.len() * 3 / 4]);
    assert_eq!(cut, damaged_part);
}

#[test]
fn a_problem_in_one_part_is_named_with_that_parts_own_line_and_nothing_is_written() {
    let (header, rows, at) = cut_mid_day();
    let first = file(&header, &rows[..at]);
    let mut broken: Vec<String> = rows[at..].to_vec();
    // The second part's line 3 (its second row): a quantity that is no number.
    let cells: Vec<&str> = broken[1].split(',').collect();
    let quantity = cells.iter().position(|c| *c == "24").unwrap_or(34);
    let mut cells: Vec<String> = cells.into_iter().map(String::from).collect();
    cells[quantity] = "twenty".into();
    broken[1] = cells.join(",");
    let second = file(&header, &broken);
    let (_d, mut conn) = db();
    let before = counts(&conn);
    let e = import_together(
        &mut conn,
        &[("part-1.csv", &first), ("part-2.csv", &second)],
    )
    .unwrap_err();
    let Error::Import { file, problems } = e else {
        panic!("an import error");
    };
    assert_eq!(file, "part-2.csv");
    assert_eq!(problems[0].line, 3, "{problems:?}");
    assert_eq!(counts(&conn), before);
}

#[test]
fn graph_blobs_of_one_export_imported_together_are_the_whole_export() {
    let (header, rows, at) = cut_mid_day();
    let blob = |rows: &[String]| blob(&header, rows);
    let (_d, mut whole) = db();
    import(&mut whole, BILLED);
    let (_d, mut conn) = db();
    import_together(
        &mut conn,
        &[
            ("part_0_0001.json.gz", &blob(&rows[..at])),
            ("part_0_0002.json.gz", &blob(&rows[at..])),
        ],
    )
    .unwrap();
    assert_eq!(counts(&conn).1, counts(&whole).1);
    assert_eq!(totals(&conn), totals(&whole));
    // The blobs downloaded into one folder and zipped: the same.
    let (_d, mut zipped) = db();
    let zip = archive(&[
        Entry::stored("part_0_0001.json.gz", &blob(&rows[..at])),
        Entry::stored("part_0_0002.json.gz", &blob(&rows[at..])),
    ]);
    import_bytes(&mut zipped, "blobs.zip", &zip).unwrap();
    assert_eq!(counts(&zipped).1, counts(&whole).1);
    assert_eq!(totals(&zipped), totals(&whole));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 12, ..Default::default() })]

    /// However an export is cut (anywhere, mid-day too) and packed (files chosen together in
    /// any order, one ZIP archive, parts gzip-compressed or not), its days, lines and every
    /// tenant's total are the whole file's.
    #[test]
    fn an_export_cut_and_packed_any_way_is_the_whole_file(
        cuts in proptest::collection::btree_set(1usize..868, 0..4),
        zipped in proptest::bool::ANY,
        gzipped in proptest::collection::vec(proptest::bool::ANY, 4),
        turn in 0usize..4,
    ) {
        let (header, rows, _) = cut_mid_day();
        let mut bounds: Vec<usize> = std::iter::once(0).chain(cuts).collect();
        bounds.push(rows.len());
        let mut parts: Vec<(String, Vec<u8>)> = bounds
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let csv = file(&header, &rows[w[0]..w[1]]);
                if gzipped[i] {
                    let mut gz =
                        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                    std::io::Write::write_all(&mut gz, &csv).unwrap();
                    (format!("part-{i}.csv.gz"), gz.finish().unwrap())
                } else {
                    (format!("part-{i}.csv"), csv)
                }
            })
            .collect();
        let n = parts.len();
        parts.rotate_left(turn % n);
        let (_d, mut whole) = db();
        import(&mut whole, BILLED);
        let (_d, mut conn) = db();
        if zipped {
            let entries: Vec<Entry> = parts.iter().map(|(name, b)| Entry::deflated(name, b)).collect();
            import_bytes(&mut conn, "export.zip", &archive(&entries)).unwrap();
        } else {
            let chosen: Vec<(&str, &[u8])> =
                parts.iter().map(|(name, b)| (name.as_str(), b.as_slice())).collect();
            import_together(&mut conn, &chosen).unwrap();
        }
        proptest::prop_assert_eq!(counts(&conn), counts(&whole));
        proptest::prop_assert_eq!(totals(&conn), totals(&whole));
    }
}

#[test]
fn two_downloads_of_the_same_days_chosen_together_are_refused_not_summed() {
    const UNBILLED: &str = "daily_rated_usage_unbilled_2025-01.csv";
    const REVISED: &str = "daily_rated_usage_unbilled_2025-01_revised.csv";
    let read = |name: &str| std::fs::read(sample(name)).unwrap();
    let (_d, mut conn) = db();
    let before = counts(&conn);
    // A file and its revised version (8 rows of two days): summed, those days would count
    // twice. Refused, naming the second, whichever order; nothing written.
    for (first, second) in [(UNBILLED, REVISED), (REVISED, UNBILLED)] {
        let e = import_together(&mut conn, &[(first, &read(first)), (second, &read(second))])
            .unwrap_err();
        let Error::Import { file, problems } = e else {
            panic!("an import error");
        };
        assert_eq!(file, second);
        assert_eq!(problems[0].code, Code::AnotherVersion);
        assert_eq!(problems[0].params.get("n").map(String::as_str), Some("8"));
        assert_eq!(counts(&conn), before);
    }
    // The same file twice, or packed twice in one archive under two names: refused too.
    let billed = read(BILLED);
    let e = import_together(&mut conn, &[("a.csv", &billed), ("b.csv", &billed)]).unwrap_err();
    assert!(
        matches!(e, Error::Import { ref file, .. } if file == "b.csv"),
        "{e}"
    );
    let zip = archive(&[
        Entry::deflated("a.csv", &billed),
        Entry::deflated("copy of a.csv", &billed),
    ]);
    let e = import_bytes(&mut conn, "downloads.zip", &zip).unwrap_err();
    assert!(e.to_string().contains("downloads.zip/copy of a.csv"), "{e}");
    // One after another, as a later download is meant to come: the revised days replace
    // the first file's.
    import_bytes(&mut conn, UNBILLED, &read(UNBILLED)).unwrap();
    let r = import_bytes(&mut conn, REVISED, &read(REVISED)).unwrap();
    assert_eq!((r.days_replaced, r.days_added), (2, 0));
}

/// The billed sample with its dates written as `how(month, day, year)` says: a copy saved
/// again by Excel under other regional settings.
fn redated(how: impl Fn(&str, &str, &str) -> String) -> Vec<u8> {
    let text = std::fs::read_to_string(sample(BILLED)).unwrap();
    let number = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let cells = line
                .split(',')
                .map(|cell| match cell.split('/').collect::<Vec<_>>()[..] {
                    [m, d, y] if y.len() == 4 && number(m) && number(d) => how(m, d, y),
                    _ => cell.to_string(),
                });
            cells.collect::<Vec<_>>().join(",")
        })
        .collect();
    lines.join("\r\n").into_bytes()
}

#[test]
fn a_download_and_its_copy_with_dates_written_another_way_are_refused_together() {
    let (_d, mut conn) = db();
    let before = counts(&conn);
    let pad = |p: &str| format!("{p:0>2}");
    let us = std::fs::read(sample(BILLED)).unwrap();
    let iso = redated(|m, d, y| format!("{y}-{}-{}", pad(m), pad(d)));
    let taiwan = redated(|m, d, y| format!("{y}/{m}/{d}"));
    let day_first = redated(|m, d, y| format!("{}.{}.{y}", pad(d), pad(m)));
    assert!(String::from_utf8_lossy(&day_first).contains(",31.12.2024,"));
    // Each pair holds the same records: summed, every day would count twice. Refused,
    // naming the copy, whichever way each writes its dates; nothing written.
    let pairs = [
        (&us, &iso),
        (&iso, &taiwan),
        (&taiwan, &us),
        (&iso, &day_first),
        (&day_first, &taiwan),
    ];
    for (first, second) in pairs {
        let e =
            import_together(&mut conn, &[("usage.csv", first), ("copy.csv", second)]).unwrap_err();
        let Error::Import { file, problems } = e else {
            panic!("an import error: {e}");
        };
        assert_eq!(file, "copy.csv");
        assert_eq!(problems[0].code, Code::AnotherVersion, "{problems:?}");
        assert_eq!(counts(&conn), before);
    }
    // Alone, after the sample, each copy is the sample's days: nothing changes.
    import_bytes(&mut conn, "usage.csv", &us).unwrap();
    let after = counts(&conn);
    for copy in [&iso, &taiwan, &day_first] {
        let r = import_bytes(&mut conn, "copy.csv", copy).unwrap();
        assert!(!r.changed(), "{r:?}");
        assert_eq!(counts(&conn), after);
    }
}
