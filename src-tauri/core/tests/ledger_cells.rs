//! Whatever the cells of a customers, invoices or payments file hold (formulas, HTML, quotes,
//! line breaks, Chinese, amounts and dates written any way, or nonsense), an import never
//! panics, a refused file leaves the book exactly as it was, and an accepted file imported
//! a second time changes nothing.

mod books;

use books::*;

use proptest::prelude::*;
use riskdesk_core::import::{CUSTOMER_COLUMNS, INVOICE_COLUMNS, PAYMENT_COLUMNS};
use riskdesk_core::test_support::{damaged, scalar};
use riskdesk_core::Error;
use rusqlite::Connection;

/// Every table an import writes, and the audit trail.
fn book_state(conn: &Connection) -> Vec<i64> {
    [
        "customers",
        "invoices",
        "invoice_lines",
        "payments",
        "audit",
    ]
    .iter()
    .map(|t| scalar(conn, &format!("SELECT count(*) FROM {t}")))
    .collect()
}

/// Values a real file might hold in `column`, written the ways people and programs write
/// them: first those a book with Contoso and Fabrikam takes, then those it refuses.
fn plausible(column: &str) -> (Vec<&'static str>, Vec<&'static str>) {
    match column {
        "legal_name" => (
            vec![
                "Contoso Ltd",
                "ＣＯＮＴＯＳＯ LTD",
                "New Co",
                "雲橋科技",
                "\"Harbor Logistics, Ltd.\"",
                "=1+1",
            ],
            vec!["", "a\nb"],
        ),
        "customer" => (
            vec![
                "Contoso Ltd",
                "contoso ltd.",
                "ＣＯＮＴＯＳＯ LTD",
                "Fabrikam",
                T1,
                T2,
            ],
            vec!["New Co", "雲橋科技", ""],
        ),
        "tenant_id" => (
            vec!["", "33333333-3333-4333-8333-333333333333"],
            vec![T1, "not-a-guid"],
        ),
        "country" => (
            vec![
                "TW",
                "Taiwan",
                "台灣",
                "US",
                "USA",
                "taiwan (r.o.c.)",
                "Nigeria",
                "奈及利亞",
            ],
            vec!["Korea", "XX"],
        ),
        "currency" => (
            vec!["TWD", "NT$", "新台幣", "twd"],
            vec!["USD", "US$", "€", "$", ""],
        ),
        "issued_on" | "due_on" | "received_on" => (
            vec![
                "2026-11-01",
                "2026/11/01",
                "115/11/01",
                "05 Mar 2026",
                "2026年11月1日",
            ],
            vec!["11/01/2026", "2026-02-30", "9999-12-31", "0001-01-01", ""],
        ),
        "unit_price" | "amount" | "credit_limit" => (
            vec![
                "1,234.56",
                "15萬",
                "1.2M",
                "NT$8,000",
                "1",
                "1,000",
                "10 000",
                "新台幣 8000 元",
            ],
            vec![
                "1234,56",
                "1.234,56",
                "−1,000",
                "(500)",
                "0.001",
                "99999999999999999999",
                "1e9",
                "NaN",
                "",
            ],
        ),
        "quantity" => (vec!["1", "2", "1,000", "2.00"], vec!["1.5", "0", "-1"]),
        "card_present" | "requires_prepayment" => {
            (vec!["yes", "no", "是", "否", "Y", ""], vec!["maybe"])
        }
        "payment_terms_days" => (
            vec!["Net 30", "30天", "30", "30.00", ""],
            vec!["-5", "月結30天"],
        ),
        "payment_instrument" => (
            vec![
                "credit_card",
                "信用卡",
                "bank_transfer",
                "Bank transfer",
                "",
            ],
            vec!["cash"],
        ),
        "method" => (vec!["bank_transfer", "credit card", "ATM", ""], vec![]),
        "status" => (vec!["active", "使用中", "prospect", ""], vec!["closed?"]),
        "admin_access" => (vec!["none", "limited", "Full", ""], vec!["some"]),
        "kind" => (
            vec!["payment", "credit_note", "折讓單", ""],
            vec!["refund?"],
        ),
        "number" | "reference" => (vec!["INV-1", "INV-2", "inv-1", "R-1", "00123"], vec![""]),
        "invoice" => (vec!["", "INV-1"], vec!["NO-SUCH"]),
        "email" | "billing_email" => (
            vec![
                "billing@contoso.com",
                "Lin Mei <lin@x.com>",
                "mailto:a@b.tw",
                "",
            ],
            vec!["x@", "2026-11-01"],
        ),
        "phone" => (
            vec!["+886 912 345 678", "00886912345678", "0912-345-678", ""],
            vec!["12"],
        ),
        "primary_domain" => (
            vec!["contoso.com", "https://contoso.com/", ""],
            vec!["not a domain"],
        ),
        "language" => (vec!["zh-TW", "en", "繁體中文", ""], vec!["fr"]),
        "virtual_account" => (vec!["", "9876 5432 1012"], vec!["12"]),
        "tax_id" => (vec!["", "04595257", "4595257"], vec![]),
        _ => (
            vec![
                "",
                "台北市信義區\n松仁路 100 號",
                "<b>bold</b>",
                "@SUM(A1)",
                "a,b",
            ],
            vec![],
        ),
    }
}

/// A cell of `column`: in a `clean` file a value the book takes; otherwise also one it
/// refuses, or text meant to break a reader.
fn cell(column: &str, clean: bool) -> BoxedStrategy<String> {
    let (takes, refuses) = plausible(column);
    let takes = prop::sample::select(takes).prop_map(str::to_string);
    if clean {
        return takes.boxed();
    }
    let mut all = plausible(column).0;
    all.extend(refuses);
    prop_oneof![
        12 => prop::sample::select(all).prop_map(str::to_string),
        1 => prop::sample::select(vec![
            "=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "<script>alert(1)</script>",
            "<b>bold</b>", "\"quoted\"", "a,b", "line\nbreak", "tab\there", "\u{0}", "\u{feff}",
            "\u{202e}evil", "💸", "𠀀", "NT$\u{a0}1\u{a0}000",
        ])
        .prop_map(str::to_string),
        1 => "[ -~\u{4e00}-\u{4e10}\"\n]{0,14}",
    ]
    .boxed()
}

/// A file with the `required` columns and some of the others, in a random order
/// (sometimes with a column twice or one not known), and up to four rows of cells, written
/// as a spreadsheet would with `,` or `;`.
fn file(
    columns: &'static [&'static str],
    required: &'static [&'static str],
) -> impl Strategy<Value = String> {
    let optional: Vec<&'static str> = columns
        .iter()
        .filter(|c| !required.contains(c))
        .copied()
        .collect();
    let n = optional.len();
    let header = prop::sample::subsequence(optional, 0..=n)
        .prop_flat_map(move |optional| {
            let mut h: Vec<&'static str> = required.to_vec();
            h.extend(optional);
            (Just(h).prop_shuffle(), any::<u8>())
        })
        .prop_map(|(mut h, extra)| {
            match extra % 10 {
                0 => h.push("unknown_column"),
                1 => h.push(h[0]),
                _ => {}
            }
            h
        });
    (header, any::<bool>()).prop_flat_map(|(h, clean)| {
        let row = h.iter().map(|c| cell(c, clean)).collect::<Vec<_>>();
        (Just(h), prop::collection::vec(row, 1..=3), any::<bool>()).prop_map(
            |(h, rows, semicolons)| {
                let mut w = csv::WriterBuilder::new()
                    .delimiter(if semicolons { b';' } else { b',' })
                    .from_writer(Vec::new());
                w.write_record(&h).unwrap();
                for r in rows {
                    w.write_record(&r).unwrap();
                }
                String::from_utf8(w.into_inner().unwrap()).unwrap()
            },
        )
    })
}

/// A book with two customers the invoice and payment rows can name.
fn book() -> (Db, Connection) {
    let (db, mut conn) = new_db();
    add(&mut conn, "Contoso Ltd", T1);
    add(&mut conn, "Fabrikam", T2);
    (db, conn)
}

/// Imports `bytes` twice with `import`: a refusal writes nothing and names a line; an
/// acceptance imported again changes nothing.
fn holds(
    conn: &mut Connection,
    bytes: &[u8],
    import: impl Fn(&mut Connection, &[u8]) -> Result<riskdesk_core::import::ImportSummary, Error>,
) -> Result<(), TestCaseError> {
    let before = book_state(conn);
    match import(conn, bytes) {
        Err(Error::Import { problems, .. }) => {
            prop_assert!(!problems.is_empty());
            prop_assert_eq!(book_state(conn), before);
        }
        Err(e) => {
            prop_assert_eq!(book_state(conn), before, "{}", e);
        }
        Ok(_) => {
            let after = book_state(conn);
            let again = import(conn, bytes);
            let s = again.map_err(|e| TestCaseError::fail(format!("second import: {e}")))?;
            prop_assert_eq!((s.created, s.updated), (0, 0));
            prop_assert_eq!(book_state(conn), after);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_customers_file_is_all_or_nothing_and_idempotent(bytes in file(CUSTOMER_COLUMNS, &["legal_name", "country", "currency"])) {
        let (_db, mut conn) = book();
        holds(&mut conn, bytes.as_bytes(), |c, b| import_file(c, "customers.csv", b, &riskdesk_core::import::ImportMode::ExistingBook("test".into())))?;
    }

    #[test]
    fn any_invoices_file_is_all_or_nothing_and_idempotent(bytes in file(INVOICE_COLUMNS, &["number", "customer", "issued_on", "currency", "description", "unit_price"])) {
        let (_db, mut conn) = book();
        holds(&mut conn, bytes.as_bytes(), |c, b| invoices_in(c, "invoices.csv", b))?;
    }

    #[test]
    fn any_payments_file_is_all_or_nothing_and_idempotent(bytes in file(PAYMENT_COLUMNS, &PAYMENT_COLUMNS[..5])) {
        let (_db, mut conn) = book();
        holds(&mut conn, bytes.as_bytes(), |c, b| payments_in(c, "payments.csv", b))?;
    }
}

const GOOD_CUSTOMERS: &str = "legal_name,country,currency,tax_id,email,credit_limit\r\nNew Co,TW,TWD,04595258,ar@new.example,\"150,000\"\r\n雲橋科技,TW,NTD,53212539,ar@cloud.example,15萬\r\n";
const GOOD_INVOICES: &str = "number,customer,issued_on,due_on,currency,description,quantity,unit_price\r\nINV-1,Contoso Ltd,2026-03-05,2026-04-04,TWD,Azure,2,\"1,234.50\"\r\nINV-1,Contoso Ltd,2026-03-05,2026-04-04,TWD,Support,1,500\r\n00123,Fabrikam,115/03/05,,NT$,M365,1,\"NT$45,000.50\"\r\n";
const GOOD_PAYMENTS: &str = "reference,customer,received_on,amount,currency,kind,invoice\r\nP-1,Contoso Ltd,2026-03-20,\"2,000.00\",TWD,payment,INV-1\r\nCN-1,Fabrikam,2026/3/21,100,TWD,折讓單,00123\r\n";

/// The files the damage test starts from are accepted whole.
#[test]
fn the_good_ledger_files_are_accepted() {
    let (_db, mut conn) = book();
    let mode = riskdesk_core::import::ImportMode::ExistingBook("test".into());
    let s = import_file(&mut conn, "customers.csv", GOOD_CUSTOMERS.as_bytes(), &mode).unwrap();
    assert_eq!(s.created, 2);
    let s = invoices_in(&mut conn, "invoices.csv", GOOD_INVOICES.as_bytes()).unwrap();
    assert_eq!(s.created, 2);
    let s = payments_in(&mut conn, "payments.csv", GOOD_PAYMENTS.as_bytes()).unwrap();
    assert_eq!(s.created, 2);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// A good file damaged anywhere is still all or nothing and idempotent, and never
    /// panics.
    #[test]
    fn a_damaged_ledger_file_is_all_or_nothing_and_idempotent(
        which in 0..3usize,
        edits in prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..6),
    ) {
        let (_db, mut conn) = book();
        if which == 1 || which == 2 {
            // The invoices the payments name.
            invoices_in(&mut conn, "good.csv", GOOD_INVOICES.as_bytes()).unwrap();
        }
        match which {
            0 => holds(&mut conn, &damaged(GOOD_CUSTOMERS.as_bytes(), &edits), |c, b| import_file(c, "customers.csv", b, &riskdesk_core::import::ImportMode::ExistingBook("test".into())))?,
            1 => holds(&mut conn, &damaged(GOOD_INVOICES.as_bytes(), &edits), |c, b| invoices_in(c, "invoices.csv", b))?,
            _ => holds(&mut conn, &damaged(GOOD_PAYMENTS.as_bytes(), &edits), |c, b| payments_in(c, "payments.csv", b))?,
        }
    }
}
