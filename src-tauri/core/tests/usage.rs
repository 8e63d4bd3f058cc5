//! Usage imports on the shared samples (Partner Center daily rated usage, billed and
//! unbilled, a revised download, FOCUS) and on crafted bad files.

mod usage_common;

use chrono::NaiveDate;
use proptest::prelude::*;
use riskdesk_core::test_support::{first_problem, scalar};
use riskdesk_core::usage::Format;
use riskdesk_core::Error;
use usage_common::*;

#[test]
fn the_partner_center_samples_import_exactly_once() {
    let (_d, mut conn) = db();
    let c1 = customer_with_tenant(&mut conn, "Contoso Trading Co.", C1);
    let billed = import(&mut conn, "daily_rated_usage_billed_2024-12.csv");
    assert_eq!(billed.format, Format::PartnerCenter);
    assert_eq!(billed.rows, 868);
    assert_eq!(billed.first_day, NaiveDate::from_ymd_opt(2024, 12, 1));
    assert_eq!(billed.last_day, NaiveDate::from_ymd_opt(2024, 12, 31));
    assert_eq!(billed.days_added, 8 * 31, "8 tenants x 31 days");
    let unbilled = import(&mut conn, "daily_rated_usage_unbilled_2025-01.csv");
    assert_eq!(unbilled.rows, 930);
    assert_eq!(unbilled.days_added, 8 * 31);
    // Tenants are linked by tenant id; the others are listed to link.
    let linked: Vec<_> = unbilled
        .tenants
        .iter()
        .filter(|t| t.customer_id.is_some())
        .collect();
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].customer_id, Some(c1));
    assert!(unbilled
        .tenants
        .iter()
        .any(|t| t.name == "Harbor Logistics, Ltd."));
    assert!(unbilled
        .tenants
        .iter()
        .any(|t| t.name == "台北雲端股份有限公司"));

    // Each planted January total, to the cent, from exact sums.
    let p = planted();
    for (key, info) in p["customers"].as_object().unwrap() {
        let tenant = info["CustomerId"].as_str().unwrap();
        let expected = p["january_budget_crossings"][key]["january_total"]
            .as_str()
            .unwrap();
        let got = total(&conn, tenant, "2025-01-01", "2025-01-31")
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(got.to_string(), expected, "{key}");
    }

    // The same files again change nothing: no row, no audit entry.
    let before = counts(&conn);
    for name in [
        "daily_rated_usage_billed_2024-12.csv",
        "daily_rated_usage_unbilled_2025-01.csv",
    ] {
        let again = import(&mut conn, name);
        assert!(!again.changed(), "{name}");
        assert_eq!(again.import_id, None);
    }
    assert_eq!(counts(&conn), before);
}

/// The unbilled sample as Excel in Taiwan saves it again: Big5 text ("CSV" in a zh-TW
/// Windows), dates year first (`2025/1/5 上午 12:00:00`), and a row of empty cells where rows
/// were cleared; as "Text (Tab delimited)"; and with its dates shown `05-Jan-2025` or
/// `2025年1月5日` (a custom or long date format saved as shown). Each reads as the same days, names and
/// amounts as the download itself, so importing it over the download changes nothing.
#[test]
fn a_usage_file_excel_saved_again_in_taiwan_reads_as_the_download() {
    let name = "daily_rated_usage_unbilled_2025-01.csv";
    let original = std::fs::read(sample(name)).unwrap();
    let mut reader = csv::Reader::from_reader(&original[..]);
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let dates: Vec<usize> = ["ChargeStartDate", "ChargeEndDate", "UsageDate"]
        .iter()
        .map(|c| header.iter().position(|h| h == *c).unwrap())
        .collect();
    fn mdy(cell: &str) -> (u32, u32, u32) {
        let p: Vec<u32> = cell.split('/').map(|x| x.parse().unwrap()).collect();
        (p[0], p[1], p[2])
    }
    fn year_first(cell: &str) -> String {
        let (m, d, y) = mdy(cell);
        format!("{y}/{m}/{d} 上午 12:00:00")
    }
    // A custom format saved as shown, and Excel's long date in Chinese.
    fn month_named(cell: &str) -> String {
        let (m, d, y) = mdy(cell);
        let month = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!("{d:02}-{}-{y}", month[m as usize - 1])
    }
    fn long_chinese(cell: &str) -> String {
        let (m, d, y) = mdy(cell);
        format!("{y}年{m}月{d}日")
    }
    let write = |separator: u8, date_as: Option<fn(&str) -> String>| -> String {
        let mut w = csv::WriterBuilder::new()
            .delimiter(separator)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record(&header).unwrap();
        for (i, row) in rows.iter().enumerate() {
            let row: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(j, cell)| match date_as.filter(|_| dates.contains(&j)) {
                    Some(rewrite) => rewrite(cell),
                    None => cell.to_string(),
                })
                .collect();
            w.write_record(&row).unwrap();
            if i == 100 {
                w.write_record(vec![""; header.len()]).unwrap();
            }
        }
        w.write_record(vec![" "; header.len()]).unwrap();
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    };
    let year_first_csv = write(b',', Some(year_first));
    let (big5, _, unmappable) = encoding_rs::BIG5.encode(&year_first_csv);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&big5).is_err(),
        "the Chinese name makes it Big5"
    );
    let tabs = write(b'\t', None);
    // Excel's "Unicode Text": UTF-16 (little-endian) with its mark, tabs, dates as Excel in
    // Taiwan shows them; and PowerShell's `Out-File` of a Graph export (below).
    let utf16 = |text: &str, big_endian: bool| -> Vec<u8> {
        let mark: u16 = 0xFEFF;
        std::iter::once(mark)
            .chain(text.encode_utf16())
            .flat_map(|u| match big_endian {
                true => u.to_be_bytes(),
                false => u.to_le_bytes(),
            })
            .collect()
    };
    let unicode_text = utf16(&write(b'\t', Some(year_first)), false);
    let unicode_big_endian = utf16(&tabs, true);
    let named = write(b',', Some(month_named));
    let chinese = write(b',', Some(long_chinese));
    // As Microsoft Graph exports the same records: JSON lines, names in camel case, numbers
    // as JSON numbers, days in ISO 8601, a blank line; and that compressed with gzip.
    // With null attributes written, or left out as some writers do.
    let graph_lines = |leave_out_nulls: bool| {
        let mut out = String::new();
        for (i, row) in rows.iter().enumerate() {
            let fields: Vec<String> = header
                .iter()
                .zip(row.iter())
                .enumerate()
                .map(|(j, (name, cell))| {
                    let key = format!("{}{}", name[..1].to_lowercase(), &name[1..]);
                    let value = if dates.contains(&j) {
                        let (m, d, y) = mdy(cell);
                        format!("\"{y}-{m:02}-{d:02}T00:00:00Z\"")
                    } else if !cell.is_empty() && cell.parse::<f64>().is_ok() && !cell.contains('-')
                    {
                        cell.to_string()
                    } else if cell.is_empty() {
                        "null".to_string()
                    } else {
                        serde_json::to_string(cell).unwrap()
                    };
                    format!("{}:{value}", serde_json::to_string(&key).unwrap())
                })
                .filter(|f| !(leave_out_nulls && f.ends_with(":null")))
                .collect();
            out.push_str(&format!("{{{}}}\n", fields.join(",")));
            if i == 100 {
                out.push('\n');
            }
        }
        out
    };
    let graph = graph_lines(false);
    let sparse = graph_lines(true);
    // And as the Partner Center API answers with them, saved as a file.
    let response = format!(
        "{{\n  \"totalCount\": {},\n  \"items\": [\n    {}\n  ]\n}}\n",
        rows.len(),
        graph
            .lines()
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(",\n    ")
    );
    let gzip = |bytes: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, bytes).unwrap();
        gz.finish().unwrap()
    };
    let graph_gz = gzip(graph.as_bytes());
    let graph_utf16 = utf16(&graph, false);
    let unicode_gz = gzip(&unicode_text);

    let (_d, mut reference) = db();
    let download = import(&mut reference, name);
    let stored = |conn: &rusqlite::Connection| -> Vec<(String, String, String, String)> {
        let mut stmt = conn
            .prepare(
                "SELECT t.name, d.subscription, d.usage_date, d.total FROM usage_days d
                 JOIN usage_tenants t ON t.tenant_id = d.tenant_id
                 ORDER BY d.tenant_id, d.subscription, d.usage_date",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let expected = stored(&reference);
    assert!(expected.iter().any(|d| d.0 == "台北雲端股份有限公司"));
    for (label, bytes) in [
        ("big5.csv", &big5[..]),
        ("tabs.txt", tabs.as_bytes()),
        ("unicode.txt", &unicode_text[..]),
        ("unicode-be.txt", &unicode_big_endian[..]),
        ("unicode.txt.gz", &unicode_gz[..]),
        ("graph-out-file.json", &graph_utf16[..]),
        ("graph.json", graph.as_bytes()),
        ("graph.json.gz", &graph_gz[..]),
        ("response.json", response.as_bytes()),
        ("sparse.json", sparse.as_bytes()),
        ("month-named.csv", named.as_bytes()),
        ("long-chinese.csv", chinese.as_bytes()),
    ] {
        let (_d, mut conn) = db();
        let r = import_bytes(&mut conn, label, bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(r.rows, download.rows, "{label}: the empty rows are no rows");
        assert_eq!(
            (r.first_day, r.last_day),
            (download.first_day, download.last_day)
        );
        assert_eq!(stored(&conn), expected, "{label}");
        let over = import_bytes(&mut reference, label, bytes).unwrap();
        assert_eq!(over.days_unchanged, download.days_added, "{label}");
        assert!(!over.changed(), "{label}");
    }
}

/// A file is one encoding: a Big5 row after a UTF-8 one is named, not read as mojibake; a
/// byte that is neither is named; in a UTF-16 file ("Unicode Text"), a lone surrogate, and
/// a file cut inside a character, are named on their line. Nothing is written.
#[test]
fn a_usage_file_in_two_encodings_or_broken_utf16_is_refused_by_line_and_column() {
    let utf8_row = ROW.replace("\"Contoso, Ltd.\"", "台北雲端");
    let (big5_name, _, _) = encoding_rs::BIG5.encode("雲橋科技");
    let big5_row = ROW.replace("1/15/2025", "1/16/2025");
    let (before, after) = big5_row.split_once("\"Contoso, Ltd.\"").unwrap();
    let mut mixed = format!("{HEADER}\n{utf8_row}\n").into_bytes();
    mixed.extend_from_slice(before.as_bytes());
    mixed.extend_from_slice(&big5_name);
    mixed.extend_from_slice(after.as_bytes());
    mixed.push(b'\n');
    let (name_before, name_after) = ROW.split_once("Contoso, Ltd.").unwrap();
    // 0xFF starts no UTF-8 character and no Big5 one.
    let neither = [
        format!("{HEADER}\n{name_before}").as_bytes(),
        b"\xFF\xFF",
        format!("{name_after}\n").as_bytes(),
    ]
    .concat();
    // Rows 2 and 3 of a "Unicode Text" file; 0xD800 begins a pair it never ends.
    let units = |text: &str| -> Vec<u16> { text.replace(',', "\t").encode_utf16().collect() };
    let next_day = ROW.replace("1/15/2025", "1/16/2025");
    let (name_at, _) = next_day.split_once("Contoso").unwrap();
    let before_name = units(&format!("\u{FEFF}{HEADER}\r\n{ROW}\r\n{name_at}"));
    let mut surrogate = before_name.clone();
    surrogate.push(0xD800);
    surrogate.extend(units(&format!(
        "Contoso{}\r\n",
        &next_day[name_at.len() + 7..]
    )));
    let le = |units: &[u16]| -> Vec<u8> { units.iter().flat_map(|u| u.to_le_bytes()).collect() };
    let lone = le(&surrogate);
    let whole = le(&units(&format!(
        "\u{FEFF}{HEADER}\r\n{ROW}\r\n{next_day}\r\n"
    )));
    // Cut in row 3's name, one byte into its fourth letter.
    let cut = &whole[..(before_name.len() + 3) * 2 + 1];
    let (_d, mut conn) = db();
    let empty = counts(&conn);
    for (file, bytes, line, field) in [
        ("mixed.csv", &mixed[..], 3, "CustomerName"),
        ("neither.csv", &neither[..], 2, "CustomerName"),
        ("lone-surrogate.txt", &lone[..], 3, "row"),
        ("cut.txt", cut, 3, "row"),
    ] {
        let (at, named, code) = first_problem(import_bytes(&mut conn, file, bytes));
        assert_eq!((at, named.as_str()), (line, field), "{file}");
        assert_eq!(code, riskdesk_core::error::Code::NotText, "{file}");
        assert_eq!(counts(&conn), empty, "{file}: nothing written");
    }
}

#[test]
fn a_revised_download_replaces_the_days_it_covers() {
    let (_d, mut conn) = db();
    import(&mut conn, "daily_rated_usage_unbilled_2025-01.csv");
    let jan_before = total(&conn, C1, "2025-01-01", "2025-01-29");
    let end_before = total(&conn, C1, "2025-01-30", "2025-01-31");
    let revised = import(&mut conn, "daily_rated_usage_unbilled_2025-01_revised.csv");
    assert_eq!(revised.days_replaced, 2, "{revised:?}");
    assert_eq!(revised.days_added, 0);
    assert_eq!(total(&conn, C1, "2025-01-01", "2025-01-29"), jan_before);
    let end_after = total(&conn, C1, "2025-01-30", "2025-01-31");
    // Quantity x1.08: the days are replaced, not added to.
    let ratio = end_after / end_before;
    assert!(
        (ratio - rust_decimal::Decimal::new(108, 2)).abs() < rust_decimal::Decimal::new(1, 6),
        "{end_before} -> {end_after}"
    );
    // The original unbilled file again puts the original figures back.
    let back = import(&mut conn, "daily_rated_usage_unbilled_2025-01.csv");
    assert_eq!(back.days_replaced, 2);
    assert_eq!(total(&conn, C1, "2025-01-30", "2025-01-31"), end_before);
}

#[test]
fn an_unbilled_file_never_replaces_a_billed_day() {
    let (_d, mut conn) = db();
    let billed = std::fs::read(sample("daily_rated_usage_billed_2024-12.csv")).unwrap();
    import_bytes(&mut conn, "billed.csv", &billed).unwrap();
    let before = total(&conn, C1, "2024-12-01", "2024-12-31");
    // The same rows without their invoice numbers (an unbilled download of December).
    let text = String::from_utf8(billed).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let inv = headers.iter().position(|h| h == "InvoiceNumber").unwrap();
    let qty = headers.iter().position(|h| h == "Quantity").unwrap();
    let total_col = headers
        .iter()
        .position(|h| h == "BillingPreTaxTotal")
        .unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&headers).unwrap();
    for r in reader.records() {
        let r = r.unwrap();
        let row: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, v)| match i {
                _ if i == inv => String::new(),
                _ if i == qty || i == total_col => format!("{v}1"),
                _ => v.to_string(),
            })
            .collect();
        out.write_record(&row).unwrap();
    }
    let unbilled = out.into_inner().unwrap();
    let r = import_bytes(&mut conn, "unbilled-december.csv", &unbilled).unwrap();
    assert_eq!(r.days_kept_billed, 8 * 31);
    assert!(!r.changed());
    assert_eq!(total(&conn, C1, "2024-12-01", "2024-12-31"), before);
}

#[test]
fn the_focus_sample_imports_and_agrees_with_the_partner_center_file() {
    let (_d, mut conn) = db();
    let focus = import(&mut conn, "focus_usage_slice.csv");
    assert_eq!(focus.format, Format::Focus);
    assert_eq!(focus.rows, 80);
    assert_eq!(focus.first_day, NaiveDate::from_ymd_opt(2025, 1, 6));
    assert_eq!(focus.last_day, NaiveDate::from_ymd_opt(2025, 1, 15));
    let from_focus = total(&conn, C1, "2025-01-06", "2025-01-15");
    let (_d2, mut other) = db();
    import(&mut other, "daily_rated_usage_unbilled_2025-01.csv");
    assert_eq!(from_focus, total(&other, C1, "2025-01-06", "2025-01-15"));
    // Regions are normalised the same way in both formats.
    let regions: Vec<String> = conn
        .prepare("SELECT region FROM usage_regions WHERE tenant_id = ?1")
        .unwrap()
        .query_map([C1], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(regions.contains(&"EASTASIA".to_string()), "{regions:?}");
}

#[test]
fn bad_files_are_refused_with_line_and_column_and_nothing_is_written() {
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "missing column",
            HEADER.replace(",BillingCurrency", "") + "\n" + &ROW.replace(",TWD", ""),
            "BillingCurrency",
        ),
        (
            "bad date",
            format!("{HEADER}\n{}", ROW.replace("1/15/2025", "2025-02-30")),
            "line: 2",
        ),
        (
            "bad number",
            format!("{HEADER}\n{}", ROW.replace("123.4567890123", "\"1,234.5\"")),
            "BillingPreTaxTotal",
        ),
        (
            "formula",
            format!("{HEADER}\n{}", ROW.replace("123.4567890123", "=1+2")),
            "BillingPreTaxTotal",
        ),
        (
            "truncated last line",
            format!("{HEADER}\n{ROW}\n{}", &ROW[..60]),
            "line: 3",
        ),
        (
            "another format",
            "legal_name,country,currency\nContoso,TW,TWD\n".into(),
            "neither",
        ),
        ("empty", String::new(), "empty"),
        ("header only", format!("{HEADER}\n"), "no rows"),
        (
            "bad tenant",
            format!("{HEADER}\n{}", ROW.replace("90fea696-", "<b>x</b>-")),
            "CustomerId",
        ),
        (
            "date out of range",
            format!("{HEADER}\n{}", ROW.replace("1/15/2025", "1/15/2101")),
            "2100",
        ),
        (
            "mixed date order",
            format!("{HEADER}\n{ROW}\n{}", ROW.replace("1/15/2025", "15/1/2025")),
            "day-first",
        ),
    ];
    for (what, text, expect) in cases {
        let (_d, mut conn) = db();
        let before = counts(&conn);
        let e = import_bytes(&mut conn, "bad.csv", text.as_bytes()).expect_err(what);
        let shown = format!("{e}");
        let listed = problems(e);
        assert!(
            shown.contains(expect) || listed.contains(expect),
            "{what}: {shown} / {listed}"
        );
        assert_eq!(counts(&conn), before, "{what}: nothing written");
    }
}

/// A usage file cut short inside a quoted last cell (the meter's name, last in an export
/// that orders its columns so) is refused on that row's line, nothing written; before, the
/// row was stored with the name cut ("D4s v5" as "D4s"). With a byte-order mark and CRLF
/// line ends too, and the whole file still reads.
#[test]
fn a_usage_file_cut_inside_a_quoted_last_cell_is_refused_on_its_line() {
    let header = format!("{},MeterName", HEADER.replace(",MeterName", ""));
    let row = format!("{},\"D4s v5\"", ROW.replace(",D4s v5", ""));
    let next = row.replace("1/15/2025", "1/16/2025");
    for (bom, eol) in [
        ("", "\n"),
        ("", "\r\n"),
        ("\u{feff}", "\n"),
        ("\u{feff}", "\r\n"),
    ] {
        let whole = format!("{bom}{header}{eol}{row}{eol}{next}{eol}");
        let (_d, mut conn) = db();
        let cut = &whole[..whole.rfind("v5").unwrap()];
        assert_eq!(
            first_problem(import_bytes(&mut conn, "cut.csv", cut.as_bytes())),
            (3, "file".into(), riskdesk_core::error::Code::UnclosedQuote),
            "{bom:?} {eol:?}"
        );
        assert_eq!(counts(&conn), (0, 0, 0), "nothing written");
        let s = import_bytes(&mut conn, "whole.csv", whole.as_bytes()).unwrap();
        assert_eq!(s.rows, 2);
        let meters: Vec<String> = conn
            .prepare("SELECT meter FROM usage_meters")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .unwrap();
        assert_eq!(meters, ["D4s v5"]);
    }
}

/// Every cut of a three-row file, one byte at a time: refused with a line, or read with the
/// cost of exactly the rows it holds whole. No cut stores a figure cut short, and a refused
/// cut writes nothing.
#[test]
fn every_cut_of_a_usage_file_is_refused_or_reads_only_its_whole_rows() {
    let tenant = "90fea696-4074-5090-b371-10b325a2143d";
    let rows: Vec<(String, &str)> = [
        ("1/15/2025", "123.4567890123", "123.4567890123"),
        ("1/16/2025", "123.4567890123", "0.0001"),
        ("1/17/2025", "123.4567890123", "98765.4321"),
    ]
    .iter()
    .map(|(day, cost, new)| (ROW.replace("1/15/2025", day).replace(cost, new), *new))
    .collect();
    let whole = format!(
        "{HEADER}\n{}\n",
        rows.iter()
            .map(|(r, _)| r.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let (_d, mut conn) = db();
    let mut read = 0;
    for end in 0..=whole.len() {
        if !whole.is_char_boundary(end) {
            continue;
        }
        let cut = &whole[..end];
        let tx = conn.transaction().unwrap();
        let r = riskdesk_core::usage::import_usage(
            &tx,
            &ctx(),
            "cut.csv",
            cut.as_bytes(),
            None,
            |_, _| {},
        );
        match r {
            Ok(_) => {
                read += 1;
                // The rows whose every cell is in the cut.
                let whole_rows: rust_decimal::Decimal = rows
                    .iter()
                    .filter(|(r, _)| cut.contains(r.as_str()))
                    .map(|(_, cost)| cost.parse::<rust_decimal::Decimal>().unwrap())
                    .sum();
                assert_eq!(
                    total(&tx, tenant, "2025-01-01", "2025-01-31"),
                    whole_rows,
                    "cut at {end}"
                );
            }
            Err(Error::Import { problems, .. }) => {
                assert!(
                    problems.iter().all(|p| p.line >= 1 && !p.field.is_empty()),
                    "cut at {end}: {problems:?}"
                );
            }
            Err(other) => panic!("cut at {end}: {other}"),
        }
        drop(tx);
    }
    assert_eq!(counts(&conn), (0, 0, 0));
    assert!(read >= 3, "the cuts at each row's end are read: {read}");
}

#[test]
fn bom_crlf_quoted_commas_semicolons_and_iso_dates_are_read() {
    let expected = rust_decimal::Decimal::new(1234567890123, 10);
    let variants = [
        format!("\u{feff}{HEADER}\r\n{ROW}\r\n"),
        format!(
            "{}\n{}\n",
            HEADER.replace(',', ";"),
            ROW.replace("\"Contoso, Ltd.\"", "\"Contoso; Ltd.\"")
                .replace(',', ";")
                .replace("123.4567890123", "123,4567890123")
        ),
        format!(
            "{HEADER}\n{}\n",
            ROW.replace("1/15/2025", "2025-01-15T00:00:00Z")
        ),
        format!(
            "{}\n{ROW}\n",
            HEADER
                .replace("CustomerId", "Customer Id")
                .replace("MeterName", "meter_name")
        ),
    ];
    for v in variants {
        let (_d, mut conn) = db();
        let r =
            import_bytes(&mut conn, "v.csv", v.as_bytes()).unwrap_or_else(|e| panic!("{v:?}: {e}"));
        assert_eq!(r.first_day, NaiveDate::from_ymd_opt(2025, 1, 15), "{v:?}");
        assert_eq!(
            total(&conn, C1, "2025-01-15", "2025-01-15"),
            expected,
            "{v:?}"
        );
    }
}

/// A `;`-separated file may write decimals with a comma (Excel where the list separator is
/// `;`). One that writes `24,5` on one line and `1.234` on another leaves `1.234` to a guess
/// (a thousand and some, or one and a bit): it is refused, naming both lines, and nothing is
/// written. Each way alone is read.
#[test]
fn a_file_that_marks_decimals_both_ways_is_refused() {
    let semi = |row: &str| {
        row.replace(',', ";")
            .replace("\"Contoso; Ltd.\"", "Contoso")
    };
    let row = |quantity: &str, cost: &str| {
        semi(ROW)
            .replace(";24;", &format!(";{quantity};"))
            .replace("123.4567890123", cost)
    };
    let file = |rows: &[String]| format!("{}\n{}\n", HEADER.replace(',', ";"), rows.join("\n"));
    let (_d, mut conn) = db();
    let mixed = file(&[
        row("24,5", "100"),
        row("24", "1.234").replace("1/15/2025", "1/16/2025"),
    ]);
    let e = problems(import_bytes(&mut conn, "mixed.csv", mixed.as_bytes()).unwrap_err());
    assert!(
        e.contains("MixedDecimalMarks") && e.contains("line 2") && e.contains("line 3"),
        "{e}"
    );
    assert_eq!(counts(&conn), (0, 0, 0));
    for (quantity, cost, sum) in [("24,5", "1234,5", "1234.5"), ("24.5", "1.234", "1.234")] {
        let (_d, mut conn) = db();
        let one_way = file(&[row(quantity, cost)]);
        import_bytes(&mut conn, "one.csv", one_way.as_bytes()).unwrap();
        assert_eq!(
            total(&conn, C1, "2025-01-15", "2025-01-15"),
            rust_decimal::Decimal::from_str_exact(sum).unwrap()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Any cell text in any column: an import either succeeds or names a line, never
    /// panics, and a refused file writes nothing.
    #[test]
    fn the_row_reader_never_panics(cells in proptest::collection::vec("[ -~\u{4e00}-\u{4e10}\"]{0,12}", 16)) {
        let row: Vec<String> = cells
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect();
        let text = format!("{HEADER}\n{}\n", row.join(","));
        let (_d, mut conn) = db();
        let before = counts(&conn);
        match import_bytes(&mut conn, "fuzz.csv", text.as_bytes()) {
            Ok(r) => prop_assert!(r.rows == 1),
            Err(Error::Import { problems, .. }) => {
                prop_assert!(!problems.is_empty());
                prop_assert_eq!(counts(&conn), before);
            }
            Err(other) => prop_assert!(false, "unexpected error {}", other),
        }
    }
}

/// Lines are stored several to a statement: a day of one line, of just under, just at and
/// just over a statement's worth, and of several statements keeps every meter with its own
/// quantity and cost, and the same file again changes nothing.
#[test]
fn every_line_of_a_day_keeps_its_own_meter_quantity_and_cost() {
    for n in [1usize, 15, 16, 17, 33, 40] {
        let rows: Vec<String> = (0..n)
            .map(|i| {
                ROW.replace("D4s v5", &format!("Meter {i}"))
                    .replace(",24,", &format!(",{},", i + 1))
                    .replace("123.4567890123", &format!("{}.0{i}", 1000 + i))
            })
            .collect();
        let file = format!("{HEADER}\n{}\n", rows.join("\n"));
        let (_d, mut conn) = db();
        import_bytes(&mut conn, "day.csv", file.as_bytes()).unwrap();
        let stored: Vec<(String, String, String)> = conn
            .prepare(
                "SELECT m.meter, l.quantity, l.cost FROM usage_lines l
                 JOIN usage_meters m ON m.id = l.meter_id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(stored.len(), n, "{n} lines");
        let mut seen = std::collections::BTreeSet::new();
        for (meter, quantity, cost) in &stored {
            let i: usize = meter.strip_prefix("Meter ").unwrap().parse().unwrap();
            assert!(seen.insert(i), "{n} lines: {meter} twice");
            let written: rust_decimal::Decimal = format!("{}.0{i}", 1000 + i).parse().unwrap();
            assert_eq!(quantity, &(i + 1).to_string(), "{n} lines: {meter}");
            assert_eq!(cost, &written.normalize().to_string(), "{n} lines: {meter}");
        }
        let before = counts(&conn);
        let again = import_bytes(&mut conn, "day.csv", file.as_bytes()).unwrap();
        assert!(
            !again.changed(),
            "{n} lines: the same file changed something"
        );
        assert_eq!(counts(&conn), before);
    }
}

/// A cost beyond what RiskDesk counts as an amount (NT$10 trillion: a value with extra
/// digits) is refused on its line, and so is a row that takes its day's sum beyond it;
/// neither is stored to be shown clipped, and neither panics.
#[test]
fn amounts_too_large_to_add_are_a_problem_on_their_line_not_a_panic() {
    let row = |cost: &str, currency: &str| {
        format!("{C1},Contoso,contoso.onmicrosoft.com,,edef061b-0a9c-535c-bacc-1fd9276bf821,1/1/2025,1/31/2025,1/15/2025,Virtual Machines,Dsv5 Series,D4s v5,EASTASIA,1 Hour,24,{cost},{currency}\n")
    };
    // Two rows' costs, their currency, and the problem: its line and code. With no
    // decimals (JPY) the same bound is a thousand trillion yen.
    for case in [
        "6000000000000 6000000000000 TWD 3 SumTooLarge",
        "1 70000000000000000000000000000 TWD 3 TooLarge",
        "-10000000000000.01 1 TWD 2 TooLarge",
        "1000000000000001 1 JPY 2 TooLarge",
    ] {
        let [first, second, currency, line, code] = case.split(' ').collect::<Vec<_>>()[..] else {
            unreachable!("five words")
        };
        let (line, code) = (format!("line: {line}"), format!("code: {code}"));
        let (_d, mut conn) = db();
        let text = format!(
            "{HEADER}\n{}{}",
            row(first, currency),
            row(second, currency)
        );
        let e = import_bytes(&mut conn, "huge.csv", text.as_bytes()).unwrap_err();
        let shown = problems(e);
        assert!(
            shown.contains(&line) && shown.contains("BillingPreTaxTotal") && shown.contains(&code),
            "{shown}"
        );
        assert_eq!(counts(&conn), (0, 0, 0));
    }
    // At the bound exactly, it is an amount.
    let (_d, mut conn) = db();
    let text = format!("{HEADER}\n{}", row("10000000000000.00", "TWD"));
    import_bytes(&mut conn, "bound.csv", text.as_bytes()).unwrap();
}

#[test]
fn a_usage_file_with_a_column_twice_or_a_nul_is_refused() {
    let (_d, mut conn) = db();
    let dup = format!("{HEADER},BillingPreTaxTotal\n{ROW},999\n");
    let e = import_bytes(&mut conn, "dup.csv", dup.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("BillingPreTaxTotal appears 2 times"), "{e}");
    let nul = format!("{HEADER}\n{}\n", ROW.replace("D4s v5", "D4s\u{0}v5"));
    let e = problems(import_bytes(&mut conn, "nul.csv", nul.as_bytes()).unwrap_err());
    assert!(
        e.contains("line: 2") && e.contains("control character"),
        "{e}"
    );
    assert_eq!(counts(&conn), (0, 0, 0));
}

#[test]
fn a_usage_date_out_of_range_is_shown_as_the_file_wrote_it() {
    let (_d, mut conn) = db();
    let text = format!("{HEADER}\n{}\n", ROW.replace("1/15/2025", "1/1/2101"));
    let e = problems(import_bytes(&mut conn, "late.csv", text.as_bytes()).unwrap_err());
    assert!(!e.contains("Slash("), "{e}");
    assert!(e.contains("month 1, day 1, 2101"), "{e}");
}

/// When the classification rules change, a book's stored days are recomputed from their
/// lines the next time it is opened (only derived columns; the lines stay as imported).
#[test]
fn stored_days_follow_the_current_rules_when_a_book_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.db");
    let key = riskdesk_core::store::DbKey::generate().unwrap();
    let mut conn = riskdesk_core::store::create(&path, &key).unwrap();
    customer_with_tenant(&mut conn, "Contoso", C1);
    let row = ROW.replace(
        "Virtual Machines,Dsv5 Series,D4s v5,EASTASIA,1 Hour,24",
        "Bandwidth,Rtn Preference: MGN,Standard Data Transfer Out,EASTASIA,1 TB,2",
    );
    import_bytes(&mut conn, "tb.csv", format!("{HEADER}\n{row}\n").as_bytes()).unwrap();
    let egress =
        |c: &rusqlite::Connection| -> String { scalar(c, "SELECT egress_qty FROM usage_days") };
    assert_eq!(egress(&conn), "2048");
    // As a book classified by older rules would have it.
    conn.execute_batch(
        "UPDATE usage_days SET egress_qty = '2';
         UPDATE settings SET value = '1' WHERE key = 'usage.classifier_rules';",
    )
    .unwrap();
    drop(conn);
    let conn = riskdesk_core::store::open(&path, &key).unwrap();
    assert_eq!(egress(&conn), "2048");
}

/// A FOCUS row of cost: tenant C1, one subscription, a VM meter.
fn focus_row(period: &str, day: &str, category: &str, class: &str, cost: &str) -> String {
    format!(
        "{C1},edef061b-0a9c-535c-bacc-1fd9276bf821,{period}T00:00:00Z,{day}T00:00:00Z,{category},{class},Virtual Machines,D4s v5,eastasia,24,{cost},TWD"
    )
}

const FOCUS_HEADER: &str = "x_CustomerId,SubAccountId,BillingPeriodStart,ChargePeriodStart,ChargeCategory,ChargeClass,ServiceName,x_SkuMeterName,RegionId,ConsumedQuantity,BilledCost,BillingCurrency";

fn focus_file(rows: &[String]) -> Vec<u8> {
    format!("{FOCUS_HEADER}\n{}\n", rows.join("\n")).into_bytes()
}

/// December's export carries a refund for a November day (FOCUS `ChargeClass` Correction,
/// charge period before the billing period). It counts on December 1st, as the invoice
/// does; November's day keeps its usage, whichever file is imported again and in which
/// order. Without the billing period the correction is on its own day, as before.
#[test]
fn a_correction_of_an_earlier_billing_period_counts_when_billed_and_leaves_the_day_it_corrects() {
    let (_d, mut conn) = db();
    let dec = |n: &str| rust_decimal::Decimal::from_str_exact(n).unwrap();
    let november = focus_file(
        &["2026-11-14", "2026-11-15", "2026-11-16"]
            .map(|d| focus_row("2026-11-01", d, "Usage", "", "100.00")),
    );
    let mut december_rows: Vec<String> = ["2026-12-01", "2026-12-02"]
        .map(|d| focus_row("2026-12-01", d, "Usage", "", "100.00"))
        .into();
    december_rows.push(focus_row(
        "2026-12-01",
        "2026-11-15",
        "Credit",
        "Correction",
        "-40.005",
    ));
    let december = focus_file(&december_rows);

    let n = import_bytes(&mut conn, "november.csv", &november).unwrap();
    assert_eq!((n.days_added, n.earlier_charges), (3, 0));
    let d = import_bytes(&mut conn, "december.csv", &december).unwrap();
    assert_eq!(d.earlier_charges, 1, "{d:?}");
    assert_eq!((d.days_added, d.days_replaced), (2, 0), "{d:?}");
    assert_eq!(d.first_day, NaiveDate::from_ymd_opt(2026, 12, 1));
    let books = |conn: &rusqlite::Connection| {
        (
            total(conn, C1, "2026-11-15", "2026-11-15"),
            total(conn, C1, "2026-11-01", "2026-11-30"),
            total(conn, C1, "2026-12-01", "2026-12-01"),
            total(conn, C1, "2026-12-01", "2026-12-31"),
        )
    };
    let expected = (dec("100"), dec("300"), dec("59.995"), dec("159.995"));
    assert_eq!(books(&conn), expected);
    // Either file again, in either order, changes nothing.
    for (name, bytes) in [("december.csv", &december), ("november.csv", &november)] {
        let again = import_bytes(&mut conn, name, bytes).unwrap();
        assert!(!again.changed(), "{name}: {again:?}");
        assert_eq!(books(&conn), expected, "{name}");
    }

    // A file without BillingPeriodStart says nothing of periods: the row is on its day.
    let (_d, mut conn) = db();
    let header = FOCUS_HEADER.replace("BillingPeriodStart,", "");
    let refund = focus_row("2026-12-01", "2026-11-15", "Credit", "Correction", "-40").replacen(
        ",2026-12-01T00:00:00Z",
        "",
        1,
    );
    let bare = format!("{header}\n{refund}\n");
    let r = import_bytes(&mut conn, "refund.csv", bare.as_bytes()).unwrap();
    assert_eq!(
        (r.earlier_charges, r.first_day),
        (0, NaiveDate::from_ymd_opt(2026, 11, 15))
    );
    assert_eq!(total(&conn, C1, "2026-11-15", "2026-11-15"), dec("-40"));
}

/// The correction above in a FOCUS file Excel saved again: every date is written `M/D/YYYY
/// H:MM` (or `DD.MM.YYYY` where the day comes first), so whether the charge is before its
/// billing period is known only once the file has shown its order (a day after the 12th).
/// It still counts on December 1st.
#[test]
fn a_correction_in_a_file_excel_saved_again_counts_when_billed() {
    for format in ["%-m/%-d/%Y 0:00", "%d.%m.%Y"] {
        correction_written_so(format);
    }
}

fn correction_written_so(format: &str) {
    let (_d, mut conn) = db();
    let dec = |n: &str| rust_decimal::Decimal::from_str_exact(n).unwrap();
    let excel = |iso: &str| {
        let d = NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap();
        d.format(format).to_string()
    };
    let row = |period: &str, day: &str, category: &str, class: &str, cost: &str| {
        focus_row(period, day, category, class, cost)
            .replace(&format!("{period}T00:00:00Z"), &excel(period))
            .replace(&format!("{day}T00:00:00Z"), &excel(day))
    };
    let december = focus_file(&[
        row("2026-12-01", "2026-12-01", "Usage", "", "100.00"),
        row("2026-12-01", "2026-12-02", "Usage", "", "100.00"),
        row(
            "2026-12-01",
            "2026-11-15",
            "Credit",
            "Correction",
            "-40.005",
        ),
    ]);
    let d = import_bytes(&mut conn, "december.csv", &december).unwrap();
    assert_eq!(d.earlier_charges, 1, "{d:?}");
    assert_eq!((d.days_added, d.days_replaced), (2, 0), "{d:?}");
    assert_eq!(d.first_day, NaiveDate::from_ymd_opt(2026, 12, 1));
    assert_eq!(total(&conn, C1, "2026-12-01", "2026-12-01"), dec("59.995"));
    assert_eq!(total(&conn, C1, "2026-11-01", "2026-11-30"), dec("0"));
    let again = import_bytes(&mut conn, "december.csv", &december).unwrap();
    assert!(!again.changed(), "{again:?}");
}

/// Two exports pasted into one file, one as downloaded (ISO dates) and one Excel saved
/// again (`M/D/YYYY`): the rows of one day written both ways are one day, summed, not the
/// second written over the first.
#[test]
fn one_day_written_two_ways_in_one_file_is_one_day() {
    let (_d, mut conn) = db();
    let dec = |n: &str| rust_decimal::Decimal::from_str_exact(n).unwrap();
    let iso = focus_row("2026-12-01", "2026-12-14", "Usage", "", "100.00");
    let slash = iso
        .replace("2026-12-14T00:00:00Z", "12/14/2026")
        .replace("2026-12-01T00:00:00Z", "12/1/2026")
        .replace("100.00", "25.50");
    let file = focus_file(&[iso.clone(), slash.clone()]);
    let r = import_bytes(&mut conn, "pasted.csv", &file).unwrap();
    assert_eq!(r.days_added, 1, "{r:?}");
    assert_eq!(total(&conn, C1, "2026-12-14", "2026-12-14"), dec("125.50"));
    let again = import_bytes(&mut conn, "pasted.csv", &file).unwrap();
    assert!(!again.changed(), "{again:?}");

    // One day in two currencies, written two ways: refused with the day named, and
    // nothing written.
    let (_d, mut conn) = db();
    let usd = slash.replace(",TWD", ",USD");
    let err = import_bytes(&mut conn, "pasted.csv", &focus_file(&[iso, usd]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("2026-12-14") && err.contains("currency"),
        "{err}"
    );
    assert_eq!(scalar::<i64>(&conn, "SELECT count(*) FROM usage_days"), 0);
}

/// A Graph export's problems name the file's own lines: a record with a bad amount on its
/// line and attribute, a blob cut inside a record on the line it stops. Nothing is written.
#[test]
fn a_graph_export_s_problems_name_its_lines() {
    let names: Vec<&str> = HEADER.split(',').collect();
    let mut row = csv::StringRecord::new();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(ROW.as_bytes())
        .read_record(&mut row)
        .unwrap();
    let mut cells: Vec<String> = row.iter().map(str::to_string).collect();
    let record = |cells: &[String]| -> String {
        let fields: Vec<String> = names
            .iter()
            .zip(cells)
            .map(|(n, c)| {
                let key = format!("{}{}", n[..1].to_lowercase(), &n[1..]);
                format!(
                    "{}:{}",
                    serde_json::to_string(&key).unwrap(),
                    serde_json::to_string(c).unwrap()
                )
            })
            .collect();
        format!("{{{}}}", fields.join(","))
    };
    let good = record(&cells);
    let total = names
        .iter()
        .position(|n| *n == "BillingPreTaxTotal")
        .unwrap();
    cells[total] = "12,3x".into();
    let bad_amount = record(&cells);
    let (_d, mut conn) = db();
    let before = counts(&conn);
    let file = format!("{good}\n\n{bad_amount}\n");
    let p = problems(import_bytes(&mut conn, "export.json", file.as_bytes()).unwrap_err());
    assert!(p.contains("line: 3, field: \"billingPreTaxTotal\""), "{p}");
    let cut = format!("{good}\n{}", &good[..good.len() / 2]);
    let p = problems(import_bytes(&mut conn, "export.json", cut.as_bytes()).unwrap_err());
    assert!(
        p.contains("line: 2") && p.contains("line 2: not a JSON object"),
        "{p}"
    );
    assert_eq!(counts(&conn), before);
    let s = import_bytes(&mut conn, "export.json", format!("{good}\n").as_bytes()).unwrap();
    assert_eq!(s.rows, 1);

    // Progress counts the compressed file's bytes, so it ends at the file's size.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for _ in 0..20_000 {
        std::io::Write::write_all(&mut gz, format!("{good}\n").as_bytes()).unwrap();
    }
    let blob = gz.finish().unwrap();
    let mut seen = Vec::new();
    let tx = conn.transaction().unwrap();
    riskdesk_core::usage::import_usage(&tx, &ctx(), "blob.json.gz", &blob[..], None, |b, _| {
        seen.push(b)
    })
    .unwrap();
    drop(tx);
    assert_eq!(seen.last(), Some(&(blob.len() as u64)), "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
}

/// A billing account's FOCUS export has the partner's own subscriptions beside the
/// customers': rows with an empty `x_CustomerId` are no customer's usage. They are left out
/// and counted; the customers' rows go in, and the file again changes nothing. A tenant id
/// that is there but no GUID is still refused on its line.
#[test]
fn focus_rows_of_the_partner_s_own_usage_are_left_out_and_counted() {
    let (_d, mut conn) = db();
    let own =
        |cost: &str| focus_row("2026-12-01", "2026-12-02", "Usage", "", cost).replacen(C1, "", 1);
    let rows = [
        focus_row("2026-12-01", "2026-12-02", "Usage", "", "10"),
        own("999"),
        own("1"),
        focus_row("2026-12-01", "2026-12-03", "Usage", "", "5"),
    ];
    let first = import_bytes(&mut conn, "own.csv", &focus_file(&rows)).unwrap();
    assert_eq!((first.days_added, first.no_customer), (2, 2), "{first:?}");
    assert_eq!(
        total(&conn, C1, "2026-12-01", "2026-12-31"),
        rust_decimal::Decimal::from(15)
    );
    let again = import_bytes(&mut conn, "own.csv", &focus_file(&rows)).unwrap();
    assert!(!again.changed(), "{again:?}");
    assert_eq!(again.no_customer, 2);
    let (days, _, _) = counts(&conn);
    let bad = [focus_row("2026-12-01", "2026-12-02", "Usage", "", "10").replacen(C1, "C1", 1)];
    let e = import_bytes(&mut conn, "bad.csv", &focus_file(&bad)).unwrap_err();
    assert!(problems(e).contains("x_CustomerId"));
    assert_eq!(counts(&conn).0, days);
}
