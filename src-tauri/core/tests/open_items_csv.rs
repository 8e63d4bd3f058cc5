//! The open items export, read back as an accountant's spreadsheet would read it: every row
//! adds up, the sums per currency and bucket are the aging's, names stay text.

use std::collections::BTreeMap;

use riskdesk_core::receivables::{self, aging, export_open_items, BucketEdges, OPEN_ITEM_COLUMNS};
use riskdesk_core::test_support::{book, ctx, cur, customer, d, invoice, pay};

#[test]
fn open_items_add_up_to_the_aging_in_every_currency_and_bucket() {
    let (_dir, mut conn) = book();
    let formula = customer(&mut conn, "=cmd|' /C calc'!A0", "TWD", "TW");
    let chinese = customer(&mut conn, "雲橋科技股份有限公司", "TWD", "TW");
    let gulf = customer(&mut conn, "Gulf Traders W.L.L.", "BHD", "BH");
    let tokyo = customer(&mut conn, "東京クラウド株式会社", "JPY", "JP");
    // Partly paid, 95 days overdue on the day.
    invoice(
        &mut conn,
        formula,
        "F-1",
        (d(2026, 1, 1), d(2026, 1, 26)),
        100_000,
        "TWD",
    );
    pay(
        &mut conn,
        formula,
        "TX-1",
        d(2026, 2, 10),
        riskdesk_core::money::Money::new(30_001, cur("TWD")),
    );
    // Paid after the day: still owed in full on it.
    invoice(
        &mut conn,
        chinese,
        "C-1",
        (d(2026, 3, 1), d(2026, 3, 31)),
        4_000_001,
        "TWD",
    );
    pay(
        &mut conn,
        chinese,
        "TX-2",
        d(2026, 5, 10),
        riskdesk_core::money::Money::new(4_000_001, cur("TWD")),
    );
    // Disputed, and a huge one.
    let disputed = invoice(
        &mut conn,
        chinese,
        "C-2",
        (d(2026, 4, 1), d(2026, 4, 20)),
        1,
        "TWD",
    );
    invoice(
        &mut conn,
        chinese,
        "C-3",
        (d(2026, 4, 2), d(2026, 4, 2)),
        1_000_000_000_000_000,
        "TWD",
    );
    {
        let tx = conn.transaction().unwrap();
        receivables::set_dispute(&tx, &ctx(), disputed, true, "<b>not ordered</b>").unwrap();
        tx.commit().unwrap();
    }
    // Three decimals, none, and one not yet due.
    invoice(
        &mut conn,
        gulf,
        "G-1",
        (d(2026, 2, 1), d(2026, 3, 3)),
        1_235,
        "BHD",
    );
    invoice(
        &mut conn,
        tokyo,
        "T-1",
        (d(2026, 4, 30), d(2026, 5, 30)),
        12_000,
        "JPY",
    );
    // Paid in full by the day: not an open item.
    invoice(
        &mut conn,
        tokyo,
        "T-0",
        (d(2026, 1, 5), d(2026, 2, 5)),
        500,
        "JPY",
    );
    pay(
        &mut conn,
        tokyo,
        "TX-3",
        d(2026, 2, 1),
        riskdesk_core::money::Money::new(500, cur("JPY")),
    );

    let as_of = d(2026, 5, 1);
    let edges = BucketEdges([30, 60, 90]);
    let mut bytes = Vec::new();
    let n = export_open_items(&conn, as_of, edges, &mut bytes).unwrap();
    assert!(bytes.starts_with(riskdesk_core::csv_out::BOM));
    let mut reader = csv::Reader::from_reader(&bytes[riskdesk_core::csv_out::BOM.len()..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, OPEN_ITEM_COLUMNS);
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect();
    let invoices: Vec<&str> = rows.iter().map(|r| r["invoice"].as_str()).collect();
    // Oldest due first; the invoice paid by the day is not there.
    assert_eq!(invoices, ["F-1", "G-1", "C-1", "C-3", "C-2", "T-1"]);
    assert_eq!(n, invoices.len());

    let minor = |text: &str, currency: &str| -> i64 {
        let exp = cur(currency).exponent() as usize;
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        assert_eq!(frac.len(), exp, "{text} in {currency}");
        format!("{whole}{frac}").parse().unwrap()
    };
    let mut sums: BTreeMap<(String, String), i64> = BTreeMap::new();
    for r in &rows {
        let c = r["currency"].as_str();
        assert_eq!(
            minor(&r["total"], c),
            minor(&r["paid"], c) + minor(&r["open"], c),
            "{r:?}"
        );
        *sums
            .entry((c.to_string(), r["bucket"].clone()))
            .or_default() += minor(&r["open"], c);
    }
    let by_name = |n: &str| rows.iter().find(|r| r["invoice"] == n).unwrap();
    let f1 = by_name("F-1");
    assert_eq!(
        f1["customer"], "'=cmd|' /C calc'!A0",
        "a formula stays text"
    );
    assert_eq!(
        riskdesk_core::csv_out::restore(&f1["customer"]),
        "=cmd|' /C calc'!A0"
    );
    assert_eq!(
        (
            f1["total"].as_str(),
            f1["paid"].as_str(),
            f1["open"].as_str()
        ),
        ("1000.00", "300.01", "699.99")
    );
    assert_eq!(
        (f1["days_overdue"].as_str(), f1["bucket"].as_str()),
        ("95", "over 90")
    );
    assert_eq!(f1["status"], "partly_paid");
    assert_eq!(by_name("C-1")["paid"], "0.00", "paid after the day");
    assert_eq!(by_name("C-1")["customer"], "雲橋科技股份有限公司");
    assert_eq!(by_name("C-2")["status"], "disputed");
    assert_eq!(by_name("C-3")["open"], "10000000000000.00");
    assert_eq!(by_name("G-1")["open"], "1.235");
    assert_eq!(by_name("G-1")["bucket"], "31-60");
    let t1 = by_name("T-1");
    assert_eq!(
        (
            t1["open"].as_str(),
            t1["bucket"].as_str(),
            t1["days_overdue"].as_str()
        ),
        ("12000", "current", "0")
    );

    // Each currency's buckets are the aging's on the same day.
    let labels = ["current", "1-30", "31-60", "61-90", "over 90"];
    let a = aging(&conn, as_of, edges).unwrap();
    for total in &a.totals {
        for (i, label) in labels.iter().enumerate() {
            let key = (total.currency.code().to_string(), label.to_string());
            assert_eq!(
                sums.get(&key).copied().unwrap_or(0),
                total.buckets[i],
                "{key:?}"
            );
        }
    }
    assert_eq!(a.totals.len(), 3);

    // Edges of its own name the buckets by them; edges out of order are refused.
    let mut other = Vec::new();
    export_open_items(&conn, as_of, BucketEdges([7, 14, 100]), &mut other).unwrap();
    let text = String::from_utf8(other).unwrap();
    assert!(text.contains(",95,15-100,"), "{text}");
    assert!(export_open_items(&conn, as_of, BucketEdges([60, 30, 90]), Vec::new()).is_err());
    assert!(export_open_items(&conn, d(1999, 12, 31), edges, Vec::new()).is_err());
}
