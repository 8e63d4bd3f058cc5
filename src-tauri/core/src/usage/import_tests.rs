//! The usage import's own tests: spilling and the page cache.

use super::*;
use chrono::{TimeZone, Utc};

/// Partner Center's billed sample (BOM, CRLF line ends).
const BILLED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/samples/daily_rated_usage_billed_2024-12.csv"
);

/// A file imported as "f.csv" (its format recognised), spilling after `spill_at` lines.
fn spilled(tx: &Transaction, ctx: &Ctx, bytes: &[u8], spill_at: Option<usize>) -> UsageImport {
    let files: Vec<(String, Box<dyn Read + Send + '_>)> = vec![("f.csv".into(), Box::new(bytes))];
    import_with_spill(tx, ctx, files, None, |_, _| {}, spill_at, None).unwrap()
}

/// `file` imported into a new book held in memory, then into another spilling at every line:
/// what `read` gives of each (after it checks the import's summary), in that order.
fn memory_and_spilled<T>(
    ctx: &Ctx,
    file: &str,
    read: impl Fn(&UsageImport, &rusqlite::Connection) -> T,
) -> Vec<T> {
    [None, Some(1)]
        .into_iter()
        .map(|spill_at| {
            let (_dir, mut conn) = crate::test_support::book();
            let tx = conn.transaction().unwrap();
            let s = spilled(&tx, ctx, file.as_bytes(), spill_at);
            tx.commit().unwrap();
            read(&s, &conn)
        })
        .collect()
}

/// What is stored for the days, in a comparable form.
/// (tenant, day, digest of the lines, total, line count) per stored day.
fn stored(conn: &rusqlite::Connection) -> Vec<(String, String, String, String, i64)> {
    let mut stmt = conn
        .prepare(
            "SELECT d.tenant_id, d.usage_date, d.digest, d.total, count(l.meter_id)
             FROM usage_days d JOIN usage_lines l ON l.day_id = d.id
             GROUP BY d.id ORDER BY d.tenant_id, d.subscription, d.usage_date",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn a_spilled_import_stores_exactly_what_an_in_memory_one_does() {
    let bytes = std::fs::read(BILLED).unwrap();
    let ctx = Ctx::new("t", Utc.with_ymd_and_hms(2025, 2, 1, 0, 0, 0).unwrap());
    let mut results = Vec::new();
    for spill_at in [None, Some(7)] {
        let (dir, mut conn) = crate::test_support::book();
        let tx = conn.transaction().unwrap();
        let s = spilled(&tx, &ctx, &bytes[..], spill_at);
        tx.commit().unwrap();
        assert_eq!(s.days_added, 8 * 31);
        assert_no_scratch_left(dir.path());
        // Imported again (spilled again): nothing changes.
        let tx = conn.transaction().unwrap();
        let again = spilled(&tx, &ctx, &bytes[..], spill_at);
        tx.commit().unwrap();
        assert_eq!(again.days_unchanged, 8 * 31);
        results.push(stored(&conn));
    }
    assert_eq!(results[0].len(), results[1].len());
    for (a, b) in results[0].iter().zip(&results[1]) {
        assert_eq!(a, b);
    }
}

/// A FOCUS file Excel saved again, with a correction of November and one day written both
/// ways: spilled at every line, it stores what it stores in memory.
#[test]
fn days_written_two_ways_are_one_day_after_a_spill_too() {
    let tenant = "90fea696-4074-5090-b371-10b325a2143d";
    let mut file = String::from(
        "x_CustomerId,SubAccountId,BillingPeriodStart,ChargePeriodStart,ChargeClass,ServiceName,x_SkuMeterName,ConsumedQuantity,BilledCost,BillingCurrency\n",
    );
    for (sub, period, day, meter, cost) in [
        ("a", "12/1/2026 0:00", "12/14/2026 0:00", "D4s v5", "10"),
        ("a", "12/1/2026 0:00", "11/15/2026 0:00", "D4s v5", "-4"),
        (
            "a",
            "2026-12-01T00:00:00Z",
            "2026-12-01T00:00:00Z",
            "D4s v5",
            "1",
        ),
        ("a", "12/1/2026 0:00", "12/1/2026 0:00", "E8s v5", "2"),
        ("b", "12/1/2026 0:00", "12/14/2026 0:00", "D4s v5", "5"),
        ("a", "2026-12-01", "2026-12-14", "D4s v5", "0.5"),
    ] {
        file.push_str(&format!(
            "{tenant},{sub},{period},{day},,Virtual Machines,{meter},1,{cost},TWD\n"
        ));
    }
    let ctx = Ctx::new("t", Utc.with_ymd_and_hms(2026, 12, 20, 0, 0, 0).unwrap());
    let results = memory_and_spilled(&ctx, &file, |s, conn| {
        assert_eq!((s.days_added, s.earlier_charges), (3, 1), "{s:?}");
        stored(conn)
    });
    assert_eq!(results[0], results[1]);
    let totals: Vec<(&str, &str)> = results[0]
        .iter()
        .map(|(_, day, _, total, _)| (day.as_str(), total.as_str()))
        .collect();
    assert_eq!(
        totals,
        [
            ("2026-12-01", "-1"),
            ("2026-12-14", "10.5"),
            ("2026-12-14", "5")
        ]
    );
}

fn assert_no_scratch_left(dir: &std::path::Path) {
    let left = crate::usage::spill::scratch_files_in(dir);
    assert!(left.is_empty(), "the scratch database is deleted: {left:?}");
}

/// A file whose problem is found after lines were spilled: nothing is written, and the
/// scratch database is gone as after a good import.
#[test]
fn a_failed_import_after_a_spill_leaves_no_scratch_behind() {
    let mut bytes = std::fs::read(BILLED).unwrap();
    bytes.extend(b"a truncated last line,with,three fields\n");
    let ctx = Ctx::new("t", Utc.with_ymd_and_hms(2025, 2, 1, 0, 0, 0).unwrap());
    let (dir, mut conn) = crate::test_support::book();
    let tx = conn.transaction().unwrap();
    let Err(Error::Import { problems, .. }) = import_with_spill(
        &tx,
        &ctx,
        vec![("f.csv".into(), Box::new(&bytes[..]))],
        None,
        |_, _| {},
        Some(7),
        None,
    ) else {
        panic!("a truncated line is a problem");
    };
    assert_eq!(problems[0].code, Code::MalformedRow, "{problems:?}");
    drop(tx);
    assert_no_scratch_left(dir.path());
    let days: i64 = conn
        .query_row("SELECT count(*) FROM usage_days", [], |r| r.get(0))
        .unwrap();
    assert_eq!(days, 0);
}

/// An import works with a small page cache and gives the book its own back.
#[test]
fn an_import_gives_the_page_cache_back() {
    let bytes = std::fs::read(BILLED).unwrap();
    let ctx = Ctx::new("t", Utc.with_ymd_and_hms(2025, 2, 1, 0, 0, 0).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let key = crate::store::DbKey::generate().unwrap();
    let mut conn = crate::store::create(&dir.path().join("c.db"), &key).unwrap();
    let cache = |c: &rusqlite::Connection| -> i64 {
        c.query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap()
    };
    let before = cache(&conn);
    assert_ne!(before, IMPORT_CACHE_KIB);
    let tx = conn.transaction().unwrap();
    import_usage(&tx, &ctx, "f.csv", &bytes[..], None, |_, _| {}).unwrap();
    tx.commit().unwrap();
    assert_eq!(cache(&conn), before);
    // A refused file gives it back too.
    let tx = conn.transaction().unwrap();
    assert!(import_usage(&tx, &ctx, "bad.csv", &b"a,b\n1,2\n"[..], None, |_, _| {}).is_err());
    drop(tx);
    assert_eq!(cache(&conn), before);
}

/// A row is checked as UTF-8 once, whole: a byte that is not UTF-8 in a column RiskDesk
/// does not read changes nothing, one in a column it reads is a problem naming its line
/// and column, and nothing is written.
#[test]
fn a_byte_that_is_not_utf8_matters_only_in_a_column_that_is_read() {
    let text = std::fs::read_to_string(BILLED).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| h.ends_with(name)).unwrap();
    // The third row (line 4) with a Latin-1 "é" (0xE9) put in one of its cells.
    let with_bad_byte = |col: usize| -> Vec<u8> {
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if i == 3 {
                let cells: Vec<&str> = line.split(',').collect();
                for (j, cell) in cells.iter().enumerate() {
                    if j > 0 {
                        out.push(b',');
                    }
                    out.extend(cell.as_bytes());
                    if j == col {
                        out.push(0xE9);
                    }
                }
            } else {
                out.extend(line.as_bytes());
            }
            out.push(b'\n');
        }
        out
    };
    let ctx = Ctx::new("t", Utc.with_ymd_and_hms(2025, 2, 1, 0, 0, 0).unwrap());
    let (_dir, mut conn) = crate::test_support::book();

    let tx = conn.transaction().unwrap();
    let unread = with_bad_byte(column("PublisherName"));
    let s = import_usage(&tx, &ctx, "f.csv", &unread[..], None, |_, _| {}).unwrap();
    assert_eq!(s.days_added, 8 * 31, "a column RiskDesk does not read");
    drop(tx);

    let tx = conn.transaction().unwrap();
    let read = with_bad_byte(column("MeterName"));
    let Err(Error::Import { file, problems }) =
        import_usage(&tx, &ctx, "f.csv", &read[..], None, |_, _| {})
    else {
        panic!("a cell RiskDesk reads must be UTF-8");
    };
    assert_eq!(file, "f.csv");
    let p = &problems[0];
    assert_eq!(
        (p.line, p.field.as_str(), p.code),
        (4, "MeterName", Code::NotText),
        "{p:?}"
    );
    drop(tx);
    let days: i64 = crate::test_support::scalar(&conn, "SELECT count(*) FROM usage_days");
    assert_eq!(days, 0, "nothing written");
}

/// A "line" that never ends (the wrong file, a device) is refused once it passes the longest
/// line a usage file has, in the header or after good rows, not read until the memory runs
/// out; nothing is written.
#[test]
fn a_line_that_never_ends_is_refused_at_its_limit() {
    let (_d, mut conn) = crate::test_support::book();
    let ctx = crate::test_support::ctx();
    let good = std::fs::read(BILLED).unwrap();
    for (name, start) in [("header", &b""[..]), ("rows", &good[..])] {
        let endless = std::io::Read::chain(start, std::io::repeat(b'x'));
        let tx = conn.transaction().unwrap();
        let e = import_usage(&tx, &ctx, name, endless, None, |_, _| {}).unwrap_err();
        assert!(
            e.to_string().contains("a line longer than 4 MiB"),
            "{name}: {e}"
        );
        drop(tx);
        let days: i64 = crate::test_support::scalar(&conn, "SELECT count(*) FROM usage_days");
        assert_eq!(days, 0, "{name}");
    }
}

/// Partner Center's billed files end their lines with CRLF: a problem names the line it is
/// on as with LF line ends (the csv reader's own count is one short after a CRLF).
#[test]
fn a_problem_names_its_line_whatever_ends_the_lines() {
    let (_d, mut conn) = crate::test_support::book();
    let ctx = crate::test_support::ctx();
    let text = std::fs::read_to_string(BILLED).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let quantity = header.iter().position(|h| *h == "Quantity").unwrap();
    for eol in ["\n", "\r\n"] {
        // The fourth line's Quantity (its cells have no quoted commas before it) made "abc".
        let lines: Vec<String> = text
            .lines()
            .take(6)
            .enumerate()
            .map(|(i, l)| match i {
                3 => {
                    let mut cells: Vec<&str> = l.split(',').collect();
                    cells[quantity] = "abc";
                    cells.join(",")
                }
                _ => l.to_string(),
            })
            .collect();
        let file = lines.join(eol) + eol;
        let tx = conn.transaction().unwrap();
        let e = import_usage(&tx, &ctx, "u.csv", file.as_bytes(), None, |_, _| {}).unwrap_err();
        assert!(
            e.to_string().contains("u.csv:4 field Quantity"),
            "{eol:?}: {e}"
        );
    }
}

/// A FOCUS export of a billing account has purchases (reservations, Marketplace) and taxes
/// beside usage (the category written `Purchase`, `PURCHASE` or `purchase`). Neither is a day
/// of usage. The purchases are told per customer and currency,
/// summed exactly and rounded once, refunds and the billing account's own (no subscription)
/// included; each customer, day and currency billing more than nothing raises one alert, the
/// customer's first one high. A purchase whose cost cannot be read refuses the file.
#[test]
fn purchases_and_taxes_are_no_usage_and_purchases_are_told_per_customer() {
    let contoso = "90fea696-4074-5090-b371-10b325a2143d";
    let file = format!(
        "x_CustomerId,x_CustomerName,SubAccountId,ChargeCategory,ChargePeriodStart,ServiceName,x_SkuMeterName,ConsumedQuantity,BilledCost,BillingCurrency
{contoso},Contoso,a,Usage,2026-12-02T00:00:00Z,Virtual Machines,D4s v5,1,10,USD
{contoso},Contoso,,Purchase,2026-12-02T00:00:00Z,Virtual Machines,Reserved VM Instance,1,1234.565,USD
{contoso},Contoso,a,PURCHASE,2026-12-02T00:00:00Z,SaaS,Marketplace offer,1,0.005,USD
{contoso},Contoso,a,purchase,2026-12-02T00:00:00Z,SaaS,Marketplace refund,1,-100,USD
{contoso},Contoso,a,Purchase,2026-12-02T00:00:00Z,SaaS,Marketplace offer,1,50000,JPY
11111111-2222-4333-8444-555555555555,Fabrikam,b,Purchase,2026-12-02T00:00:00Z,Virtual Machines,Reserved VM Instance,1,5,USD
,,,Purchase,2026-12-02T00:00:00Z,Virtual Machines,Reserved VM Instance,1,9,USD
{contoso},Contoso,a,Tax,2026-12-02T00:00:00Z,Virtual Machines,,1,0.5,USD
{contoso},Contoso,a,Purchase,2026-12-09T00:00:00Z,SaaS,Marketplace refund,1,-20,USD
"
    );
    let (_d, mut conn) = crate::test_support::book();
    let ctx = crate::test_support::ctx();
    let tx = conn.transaction().unwrap();
    let mut input = crate::test_support::customer_input("Contoso Ltd", "USD", "TW");
    input.tenant_id = contoso.into();
    let c = crate::customer::create(&tx, &ctx, &input).unwrap();
    for (round, alerts) in [("first", 2), ("again", 0)] {
        let s = import_usage(&tx, &ctx, "f.csv", file.as_bytes(), None, |_, _| {}).unwrap();
        let days = s.days_added + s.days_unchanged;
        assert_eq!((days, s.taxes, s.no_customer), (1, 1, 1), "{round}: {s:?}");
        assert_eq!(s.purchase_alerts, alerts, "{round}");
        let mut told: Vec<(&str, Option<i64>, u64, String)> = s
            .purchases
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.customer_id.map(|c| c.0),
                    p.rows,
                    p.amount.format(),
                )
            })
            .collect();
        told.sort();
        let contoso_id = Some(c.id.0);
        assert_eq!(
            told,
            [
                ("Contoso", contoso_id, 1, "¥50,000".to_string()),
                ("Contoso", contoso_id, 4, "US$1,114.57".to_string()),
                ("Fabrikam", None, 1, "US$5.00".to_string()),
            ],
            "{round}"
        );
    }
    let mut raised: Vec<(u8, String)> = crate::usage::alerts::list(&tx, Default::default())
        .unwrap()
        .into_iter()
        .filter(|a| a.kind == crate::usage::alerts::AlertKind::Purchase.as_str())
        .map(|a| (a.severity, a.title_en))
        .collect();
    raised.sort();
    let on = "(reservations, Marketplace) on 2 December 2026";
    assert_eq!(
        raised,
        [
            // The day's first (in currency order) is the customer's first purchase.
            (2, format!("Purchase billed: US$1,134.57 {on}")),
            (3, format!("First purchase billed: ¥50,000 {on}")),
        ]
    );
    let stored = stored(&tx);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].3, "10", "only the usage row is a day of usage");
    // A purchase's cost that cannot be read, beyond any amount, or in no currency RiskDesk
    // knows: refused.
    for (cost, currency, field) in [
        ("12abc", "USD", "BilledCost"),
        ("100000000000000000000", "USD", "BilledCost"),
        ("12", "XXX", "BillingCurrency"),
    ] {
        let broken = format!(
            "{file}{contoso},Contoso,,Purchase,2026-12-02T00:00:00Z,SaaS,Offer,1,{cost},{currency}\n"
        );
        let e = import_usage(&tx, &ctx, "f.csv", broken.as_bytes(), None, |_, _| {}).unwrap_err();
        assert!(
            e.to_string().contains(&format!("f.csv:11 field {field}")),
            "{e}"
        );
    }
}

/// Credited parts (Partner Center's share, whole or in part, on lines of one meter and day
/// that add up) come back from the spill as they were: spilled at every line, the days store
/// the same totals, credited parts and digests as in memory.
#[test]
fn credited_parts_are_the_same_after_a_spill() {
    let tenant = "90fea696-4074-5090-b371-10b325a2143d";
    let mut file = String::from(
        "CustomerId,EntitlementId,UsageDate,MeterCategory,MeterName,Quantity,BillingPreTaxTotal,BillingCurrency,CreditPercentage\n",
    );
    for (sub, day, meter, cost, credit) in [
        ("a", "2026-12-01", "D4s v5", "10", "100"),
        ("b", "2026-12-01", "D4s v5", "7", "0"),
        ("a", "2026-12-01", "D4s v5", "0.33", "50"),
        ("a", "2026-12-02", "E8s v5", "2", ""),
        ("a", "2026-12-01", "E8s v5", "-1", "100"),
    ] {
        file.push_str(&format!(
            "{tenant},{sub},{day},Virtual Machines,{meter},1,{cost},TWD,{credit}\n"
        ));
    }
    let ctx = Ctx::new("t", Utc.with_ymd_and_hms(2026, 12, 5, 0, 0, 0).unwrap());
    let results = memory_and_spilled(&ctx, &file, |s, conn| {
        assert_eq!(s.credited_rows, 3);
        let days: Vec<(String, String, String, String, String)> = conn
            .prepare("SELECT subscription, usage_date, total, credited, digest FROM usage_days ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        days
    });
    let credited: Vec<(&str, &str)> = results[0]
        .iter()
        .map(|d| (d.2.as_str(), d.3.as_str()))
        .collect();
    // Subscription a on the 1st: 10 + 0.33 − 1 = 9.33, of which 10 + 0.165 − 1 = 9.165
    // credited.
    assert_eq!(credited, [("9.33", "9.165"), ("2", "0"), ("7", "0")]);
    assert_eq!(results[0], results[1]);
}
