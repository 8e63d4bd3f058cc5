//! Matching: every rule on a small book, the cases a statement of its own would lack (a
//! number inside a longer one, a fee short, two customers owing one amount, another
//! currency, conflicting evidence), and on random books: *sure* never names a wrong
//! invoice, and a booked line never allocates more than it brings or than is owed.

use proptest::prelude::*;
use rusqlite::{params, Connection};

use super::*;
use crate::ids::CustomerId;
use crate::money::Currency;
use crate::test_support::{self as support, ctx, d};

#[path = "matching/whose_tests.rs"]
mod whose;

fn twd(major: i64) -> Money {
    Money::new(major * 100, Currency::parse("TWD").unwrap())
}

fn set_bank_fields(conn: &Connection, id: CustomerId, va: &str, names: &str) {
    conn.execute(
        "UPDATE customers SET virtual_account = ?1, payer_names = ?2 WHERE id = ?3",
        params![va, names, id],
    )
    .unwrap();
}

fn invoice(
    conn: &mut Connection,
    c: CustomerId,
    number: &str,
    due: (u32, u32),
    major: i64,
    currency: &str,
) {
    let due = d(2026, due.0, due.1);
    support::invoice(
        conn,
        c,
        number,
        (due - chrono::Duration::days(30), due),
        major * 100,
        currency,
    );
}

fn line(text: &str, payer: &str, to_account: &str, amount: Money) -> BankLine {
    BankLine {
        id: 1,
        account: "Main".into(),
        statement_id: 1,
        entry: super::ParsedLine {
            file_line: 1,
            booked_on: d(2026, 11, 20),
            direction: Direction::Credit,
            amount,
            text: text.into(),
            payer: payer.into(),
            payer_account: String::new(),
            to_account: to_account.into(),
            reference: String::new(),
            reversal: false,
        },
        status: LineStatus::Open,
        payment_id: None,
        decided_at: None,
        decided_by: String::new(),
        note: String::new(),
        booked_to: None,
    }
}

struct Small {
    _dir: tempfile::TempDir,
    conn: Connection,
    cloud: CustomerId,
    contoso: CustomerId,
}

fn small_book() -> Small {
    let (dir, mut conn) = support::ledger_db();
    let cloud = support::customer(&mut conn, "雲橋科技股份有限公司", "TWD", "TW");
    set_bank_fields(
        &conn,
        cloud,
        "998800120003",
        "CloudBridge;CloudBridge Technology Co., Ltd.",
    );
    let contoso = support::customer(&mut conn, "Contoso Taiwan Ltd.", "TWD", "TW");
    let twin_a = support::customer(&mut conn, "Twin A Trading", "TWD", "TW");
    set_bank_fields(&conn, twin_a, "1234567890", "");
    let twin_b = support::customer(&mut conn, "Twin B Trading", "TWD", "TW");
    let yen = support::customer(&mut conn, "Fabrikam KK", "JPY", "JP");
    invoice(&mut conn, cloud, "INV-2026-0012", (2, 1), 12_345, "TWD");
    invoice(&mut conn, cloud, "INV-2026-0013", (3, 1), 2_000, "TWD");
    invoice(&mut conn, contoso, "INV-2026-00120", (2, 1), 7_777, "TWD");
    invoice(&mut conn, contoso, "C-0099", (4, 1), 4_000, "TWD");
    invoice(&mut conn, contoso, "C-0100", (5, 1), 1_000, "TWD");
    invoice(&mut conn, twin_a, "TA-0001", (5, 1), 5_000, "TWD");
    invoice(&mut conn, twin_b, "TB-0001", (5, 1), 5_000, "TWD");
    invoice(&mut conn, yen, "JP-0001", (5, 1), 100_000, "JPY");
    Small {
        _dir: dir,
        conn,
        cloud,
        contoso,
    }
}

fn numbers(p: &Proposal) -> Vec<(&str, i64)> {
    p.allocations
        .iter()
        .map(|a| (a.number.as_str(), a.amount.minor))
        .collect()
}

fn reasons(p: &Proposal) -> Vec<Reason> {
    p.reasons.iter().map(|w| w.reason).collect()
}

#[test]
fn a_named_invoice_paid_exactly_is_sure_however_the_number_is_written() {
    let b = small_book();
    let book = Book::load(&b.conn).unwrap();
    for text in [
        "Payment INV 2026-0012",
        "inv20260012",
        "ＩＮＶ－２０２６－００１２ 雲橋",
        "ref:INV-2026-0012.",
    ] {
        let p = book.propose(&line(text, "", "", twd(12_345))).unwrap();
        assert_eq!(p.confidence, Confidence::Sure, "{text}");
        assert_eq!(p.customer_id, Some(b.cloud));
        assert_eq!(numbers(&p), [("INV-2026-0012", 1_234_500)], "{text}");
    }
    // Two named invoices paid together.
    let p = book
        .propose(&line("INV-2026-0012 + INV-2026-0013", "", "", twd(14_345)))
        .unwrap();
    assert_eq!((p.confidence, numbers(&p).len()), (Confidence::Sure, 2));
}

#[test]
fn a_number_inside_a_longer_one_is_not_named() {
    let b = small_book();
    let book = Book::load(&b.conn).unwrap();
    let p = book
        .propose(&line("INV-2026-00120", "", "", twd(7_777)))
        .unwrap();
    assert_eq!(p.customer_id, Some(b.contoso));
    assert_eq!(numbers(&p), [("INV-2026-00120", 777_700)]);
    let p = book
        .propose(&line("INV-2026-00121", "", "", twd(7_777)))
        .unwrap();
    assert_ne!(p.confidence, Confidence::Sure, "no invoice INV-2026-00121");
}

#[test]
fn a_wire_fee_short_matches_and_is_proposed_as_a_write_off() {
    let b = small_book();
    let book = Book::load(&b.conn).unwrap();
    let p = book
        .propose(&line(
            "inv20260012",
            "",
            "",
            Money::new(1_234_500 - 3_000, Currency::parse("TWD").unwrap()),
        ))
        .unwrap();
    assert_eq!(p.confidence, Confidence::Sure);
    assert_eq!(p.fee, Some(twd(30)));
    assert_eq!(numbers(&p), [("INV-2026-0012", 1_231_500)]);
    assert!(reasons(&p).contains(&Reason::BankFee));
    // One minor unit more than the tolerance is no match.
    let p = book
        .propose(&line(
            "inv20260012",
            "",
            "",
            Money::new(1_234_500 - 3_001, Currency::parse("TWD").unwrap()),
        ))
        .unwrap();
    assert_eq!(p.confidence, Confidence::Unsure);
    assert!(reasons(&p).contains(&Reason::AmountDiffers));
}

#[test]
fn a_virtual_account_names_the_customer_and_the_amount_the_invoices() {
    let b = small_book();
    let book = Book::load(&b.conn).unwrap();
    let p = book
        .propose(&line("ATM", "", "9988-0012-0003", twd(2_000)))
        .unwrap();
    assert_eq!(
        (p.confidence, numbers(&p)),
        (Confidence::Sure, vec![("INV-2026-0013", 200_000)])
    );
    let p = book
        .propose(&line("轉入 99880012 0003", "", "", twd(14_345)))
        .unwrap();
    assert_eq!((p.confidence, numbers(&p).len()), (Confidence::Sure, 2));
    // The right customer but another amount: the customer proposed, the owner decides.
    let p = book
        .propose(&line("", "", "998800120003", twd(1_000)))
        .unwrap();
    assert_eq!(
        (p.confidence, p.customer_id),
        (Confidence::Unsure, Some(b.cloud))
    );
    assert_eq!(numbers(&p), [("INV-2026-0012", 100_000)]);
}

/// A virtual account with a leading zero, kept without it on one side by a spreadsheet
/// (the customers file, or the bank's export saved again): the account column still names
/// the customer; a number in the memo must be written as stored.
#[test]
fn a_virtual_account_is_found_with_or_without_the_zeros_a_spreadsheet_drops() {
    let b = small_book();
    let twin_b: CustomerId = CustomerId(support::scalar(
        &b.conn,
        "SELECT id FROM customers WHERE legal_name = 'Twin B Trading'",
    ));
    set_bank_fields(&b.conn, twin_b, "0555666777", "");
    let book = Book::load(&b.conn).unwrap();
    let sure = |text: &str, account: &str, major: i64| {
        let p = book.propose(&line(text, "", account, twd(major))).unwrap();
        (p.confidence, p.customer_id)
    };
    assert_eq!(
        sure("ATM", "0998800120003", 2_000),
        (Confidence::Sure, Some(b.cloud))
    );
    assert_eq!(
        sure("ATM", "555666777", 5_000),
        (Confidence::Sure, Some(twin_b))
    );
    assert_eq!(
        sure("ATM", "00555-666-777", 5_000),
        (Confidence::Sure, Some(twin_b))
    );
    assert_ne!(sure("轉入 0998800120003", "", 2_000).0, Confidence::Sure);
    assert_ne!(sure("ATM", "55566677", 5_000).0, Confidence::Sure);
    // Two customers whose accounts differ only by a zero: the one written so, else neither.
    let twin_a: CustomerId = CustomerId(support::scalar(
        &b.conn,
        "SELECT id FROM customers WHERE legal_name = 'Twin A Trading'",
    ));
    set_bank_fields(&b.conn, twin_a, "555666777", "");
    let book = Book::load(&b.conn).unwrap();
    let on = |account: &str| {
        let p = book.propose(&line("ATM", "", account, twd(5_000))).unwrap();
        (p.confidence, p.customer_id)
    };
    assert_eq!(on("555666777"), (Confidence::Sure, Some(twin_a)));
    assert_eq!(on("0555666777"), (Confidence::Sure, Some(twin_b)));
    assert_ne!(on("00555666777").0, Confidence::Sure);
}

#[test]
fn what_the_amount_alone_suggests_waits_for_review() {
    let b = small_book();
    let book = Book::load(&b.conn).unwrap();
    // Three customers owe 5,000: no customer is proposed.
    let p = book.propose(&line("deposit", "", "", twd(5_000))).unwrap();
    assert_eq!((p.confidence, p.customer_id), (Confidence::Unsure, None));
    assert_eq!(reasons(&p), [Reason::SeveralCustomers]);
    // One customer owes 7,777: proposed, but unsure.
    let p = book.propose(&line("deposit", "", "", twd(7_777))).unwrap();
    assert_eq!(
        (p.confidence, p.customer_id),
        (Confidence::Unsure, Some(b.contoso))
    );
    let p = book
        .propose(&line("deposit", "Someone Else", "", twd(3)))
        .unwrap();
    assert_eq!(reasons(&p), [Reason::NothingFound]);
}

#[test]
fn conflicting_evidence_another_currency_and_outgoing_lines() {
    let b = small_book();
    let book = Book::load(&b.conn).unwrap();
    // The text names Cloud's invoice, the money arrived on Twin A's account.
    let p = book
        .propose(&line("INV-2026-0012", "", "1234567890", twd(12_345)))
        .unwrap();
    assert_eq!((p.confidence, p.customer_id), (Confidence::Unsure, None));
    assert!(reasons(&p).contains(&Reason::Conflict));
    // Invoices of two customers named in one line.
    let p = book
        .propose(&line("INV-2026-0012 C-0099", "", "", twd(16_345)))
        .unwrap();
    assert_eq!((p.confidence, p.customer_id), (Confidence::Unsure, None));
    // US dollars to a customer billed in New Taiwan dollars.
    let usd = Money::new(1_234_500, Currency::parse("USD").unwrap());
    let p = book.propose(&line("INV-2026-0012", "", "", usd)).unwrap();
    assert_eq!(
        (p.confidence, p.customer_id),
        (Confidence::Unsure, Some(b.cloud))
    );
    assert!(reasons(&p).contains(&Reason::OtherCurrency));
    assert!(p.allocations.is_empty());
    let mut out = line("INV-2026-0012", "", "", twd(12_345));
    out.entry.direction = Direction::Debit;
    assert_eq!(book.propose(&out), None);
}

#[test]
fn a_paid_invoice_is_no_longer_proposed() {
    let mut b = small_book();
    support::pay(&mut b.conn, b.cloud, "P1", d(2026, 11, 1), twd(12_345));
    let book = Book::load(&b.conn).unwrap();
    let p = book
        .propose(&line("INV-2026-0012", "", "", twd(12_345)))
        .unwrap();
    assert_ne!(p.confidence, Confidence::Sure);
}

/// A random book: customers (some with a virtual account) and their open invoices, and the
/// lines a bank would show: some naming invoices, some on a virtual account, some from a
/// payer name, some noise (letters only, an unknown payer).
#[derive(Debug, Clone)]
struct RandomBook {
    /// Per customer: whether it has a virtual account, and its invoices' amounts (major).
    customers: Vec<(bool, Vec<i64>)>,
    /// (kind, customer, invoice indexes, short by) — kinds: 0 names, 1 account, 2 payer, 3 noise.
    lines: Vec<(u8, usize, Vec<usize>, i64, i64)>,
}

fn random_book() -> impl Strategy<Value = RandomBook> {
    let customers = prop::collection::vec(
        (any::<bool>(), prop::collection::vec(1i64..2_000, 1..5)),
        2..6,
    );
    customers.prop_flat_map(|cs| {
        let n = cs.len();
        let line = (
            0u8..4,
            0..n,
            prop::collection::vec(0usize..5, 1..3),
            0i64..40,
            1i64..5_000,
        );
        (Just(cs), prop::collection::vec(line, 1..8))
            .prop_map(|(customers, lines)| RandomBook { customers, lines })
    })
}

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn sure_never_names_a_wrong_invoice_and_booking_never_overpays(book in random_book()) {
        let (_dir, mut conn) = support::ledger_db();
        let mut ids = Vec::new();
        let mut invoices: Vec<Vec<(String, i64)>> = Vec::new();
        for (i, (va, amounts)) in book.customers.iter().enumerate() {
            let id = support::customer(&mut conn, &format!("Random Customer {} {}", ["Alpha", "Beta", "Gamma", "Delta", "Omega", "Sigma"][i], i), "TWD", "TW");
            if *va {
                set_bank_fields(&conn, id, &format!("7700{:08}", i), "");
            }
            let mut own = Vec::new();
            for (k, a) in amounts.iter().enumerate() {
                let number = format!("R{i}-{k:03}");
                invoice(&mut conn, id, &number, (1 + k as u32, 1), *a, "TWD");
                own.push((number, *a * 100));
            }
            ids.push(id);
            invoices.push(own);
        }
        // The lines as a bank CSV; what each one truly pays is kept beside it.
        let mut truth = Vec::new();
        let mut csv = String::from("date,text,payer,account,amount\n");
        for (kind, c, picks, short, noise) in &book.lines {
            let own = &invoices[*c];
            let mut chosen: Vec<usize> = picks.iter().map(|p| p % own.len()).collect();
            chosen.sort();
            chosen.dedup();
            let sum: i64 = chosen.iter().map(|k| own[*k].1).sum();
            let (text, payer, account, amount, payer_of) = match kind {
                0 => (chosen.iter().map(|k| own[*k].0.clone()).collect::<Vec<_>>().join(" "), String::new(), String::new(), sum - short, Some(*c)),
                1 if book.customers[*c].0 => ("transfer".into(), String::new(), format!("7700{:08}", c), sum, Some(*c)),
                2 => ("transfer".into(), format!("Random Customer {}", ["Alpha", "Beta", "Gamma", "Delta", "Omega", "Sigma"][*c]), String::new(), sum, Some(*c)),
                _ => ("deposit from abroad".into(), "Unknown Payer".into(), String::new(), noise * 100, None),
            };
            if amount <= 0 {
                continue;
            }
            truth.push((payer_of, if *kind == 0 { chosen.iter().map(|k| own[*k].0.clone()).collect() } else { vec![] }));
            csv.push_str(&format!("2026-11-{:02},{},{},{},{}.{:02}\n", 1 + truth.len(), csv_cell(&text), csv_cell(&payer), account, amount / 100, amount % 100));
        }
        let tx = conn.transaction().unwrap();
        let map = CsvMap::parse_spec("date=date,text=text,payer=payer,account=account,amount=amount").unwrap();
        import_statement(&tx, &ctx(), &StatementFile { file: "r.csv", bytes: csv.as_bytes(), format: None, account: "Main", map: Some(map) }).unwrap();
        tx.commit().unwrap();

        let reviews = review(&conn, true).unwrap();
        for r in &reviews {
            let (payer_of, named) = &truth[(r.line.entry.file_line - 2) as usize];
            let p = r.proposal.as_ref().unwrap();
            if matches!(p.confidence, Confidence::Sure | Confidence::Likely) {
                let truly = payer_of.map(|c| ids[c]);
                prop_assert_eq!(p.customer_id, truly, "{:?} for {:?}", p, r.line);
                for a in &p.allocations {
                    let prefix = format!("R{}-", payer_of.unwrap_or(99));
                    prop_assert!(a.number.starts_with(&prefix), "{} for {:?}", a.number, payer_of);
                    if !named.is_empty() {
                        prop_assert!(named.contains(&a.number), "{} not named in {:?}", a.number, named);
                    }
                }
            }
        }

        // Book what is sure, then every other line with a customer as proposed.
        let tx = conn.transaction().unwrap();
        accept_all_sure(&tx, &ctx()).unwrap();
        for waiting in lines(&tx, true).unwrap() {
            // Each against the book as the lines booked before it left it.
            let now = Book::load(&tx).unwrap().propose(&waiting);
            if now.is_some_and(|p| p.customer_id.is_some()) {
                accept(&tx, &ctx(), waiting.id).unwrap();
            }
        }
        tx.commit().unwrap();
        let over_paid: i64 = conn.query_row(
            "SELECT count(*) FROM payments p WHERE p.amount_minor < (SELECT COALESCE(sum(amount_minor), 0) FROM allocations WHERE payment_id = p.id)",
            [], |r| r.get(0)).unwrap();
        prop_assert_eq!(over_paid, 0);
        let over_allocated: i64 = conn.query_row(
            "SELECT count(*) FROM invoices i WHERE i.total_minor < i.written_off_minor + (SELECT COALESCE(sum(amount_minor), 0) FROM allocations WHERE invoice_id = i.id)",
            [], |r| r.get(0)).unwrap();
        prop_assert_eq!(over_allocated, 0);
        // Every booked line is one payment of its own amount.
        let mismatched: i64 = conn.query_row(
            "SELECT count(*) FROM bank_lines l LEFT JOIN payments p ON p.id = l.payment_id
             WHERE l.status = 'booked' AND (p.id IS NULL OR p.amount_minor <> l.amount_minor)",
            [], |r| r.get(0)).unwrap();
        prop_assert_eq!(mismatched, 0);
    }
}

#[test]
fn a_number_of_digits_alone_is_named_with_or_without_its_leading_zeros() {
    let (_dir, mut conn) = support::ledger_db();
    let kept = support::customer(&mut conn, "Northwind Traders", "TWD", "TW");
    let resaved = support::customer(&mut conn, "Tailspin Toys", "TWD", "TW");
    let twin = support::customer(&mut conn, "Wingtip Toys", "TWD", "TW");
    // As typed, and as a re-saved spreadsheet left another customer's 0098765.
    invoice(&mut conn, kept, "0004567", (3, 1), 1_000, "TWD");
    invoice(&mut conn, resaved, "98765", (3, 1), 2_000, "TWD");
    invoice(&mut conn, kept, "000123", (3, 1), 3_000, "TWD");
    let book = Book::load(&conn).unwrap();
    let sure = |text: &str, major: i64| {
        let p = book.propose(&line(text, "", "", twd(major))).unwrap();
        (p.confidence == Confidence::Sure).then_some(p.customer_id)
    };
    for text in [
        "Payment 4567",
        "inv 4567",
        "４５６７",
        "0004567",
        "ref:04567.",
    ] {
        assert_eq!(sure(text, 1_000), Some(Some(kept)), "{text}");
    }
    for text in ["0098765", "98765", "INV 00098765", "００９８７６５"] {
        assert_eq!(sure(text, 2_000), Some(Some(resaved)), "{text}");
    }
    // Another value, a longer number, and fewer than four digits name nothing.
    for (text, major) in [
        ("45670", 1_000),
        ("14567", 1_000),
        ("00045671", 1_000),
        ("123", 3_000),
        ("0123", 3_000),
    ] {
        assert_eq!(sure(text, major), None, "{text}");
    }

    // A book kept before numbers were compared by value may hold both 0004567 and 4567:
    // the one written exactly as the line writes it is named.
    invoice(&mut conn, twin, "T-4567", (3, 1), 1_000, "TWD");
    conn.execute(
        "UPDATE invoices SET number = '4567', number_key = '4567' WHERE number = 'T-4567'",
        [],
    )
    .unwrap();
    let book = Book::load(&conn).unwrap();
    let named =
        |text: &str| -> Vec<String> { book.named(text).iter().map(|o| o.number.clone()).collect() };
    assert_eq!(named("0004567"), ["0004567"]);
    assert_eq!(named("4567"), ["4567"]);
    assert_eq!(named("04567"), ["0004567", "4567"]);
}

/// A bank's payer column writes names in capitals without accents, and a region's legal
/// form where the customer's record has it another way: Vietnamese `Công ty TNHH Phần mềm
/// Việt Đức` is `CONG TY TNHH PHAN MEM VIET DUC`, Japan's `株式会社さくらソフト` is
/// `(株)さくらソフト`. The customer is proposed by the payer's name.
#[test]
fn a_payer_written_without_accents_or_with_an_abbreviated_form_names_the_customer() {
    let (_dir, mut conn) = support::ledger_db();
    let viet = support::customer(&mut conn, "Công ty TNHH Phần mềm Việt Đức", "VND", "VN");
    let sakura = support::customer(&mut conn, "株式会社さくらソフト", "JPY", "JP");
    invoice(&mut conn, viet, "VN-0001", (5, 1), 2_500_000, "VND");
    invoice(&mut conn, sakura, "SK-0001", (5, 1), 88_000, "JPY");
    let book = Book::load(&conn).unwrap();
    for (payer, amount, customer) in [
        ("CONG TY TNHH PHAN MEM VIET DUC", 2_500_000, viet),
        ("(株)さくらソフト", 88_000, sakura),
        ("㈱さくらソフト", 88_000, sakura),
    ] {
        let currency = if customer == viet { "VND" } else { "JPY" };
        let p = book
            .propose(&line(
                "",
                payer,
                "",
                Money::new(amount, support::cur(currency)),
            ))
            .unwrap();
        assert_eq!(p.customer_id, Some(customer), "{payer}");
        assert_eq!(reasons(&p)[0], Reason::PayerName, "{payer}");
    }
}
