//! Bank statements through the book: imports all or nothing and idempotent, an overlapping
//! statement adding only its new lines (a property test over statements of whole days), booking a line once (a fee written off, a
//! reference kept), setting one aside, and the customer's bank fields.

use riskdesk_core::bank::{self, AllocationInput, CsvMap, Decision, LineStatus, StatementFile};
use riskdesk_core::customer;
use riskdesk_core::money::Money;
use riskdesk_core::receivables;
use riskdesk_core::test_support::{self as support, ctx, cur, d};
use riskdesk_core::{error::Code, Error};
use rusqlite::Connection;

const HEADER: &str = "交易日期,摘要,支出金額,存入金額,備註,虛擬帳號,匯款人\n";
const MAP: &str = "date=交易日期,credit=存入金額,debit=支出金額,text=備註,payer=匯款人,account=虛擬帳號,date-format=roc";

fn import(conn: &mut Connection, csv: &str) -> Result<bank::ImportedStatement, Error> {
    let map = CsvMap::parse_spec(MAP).unwrap();
    support::import_statement(
        conn,
        &StatementFile {
            file: "esun.csv",
            bytes: csv.as_bytes(),
            format: None,
            account: "E.SUN 0123",
            map: Some(map),
        },
    )
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn book() -> (
    tempfile::TempDir,
    Connection,
    riskdesk_core::ids::CustomerId,
) {
    let (dir, mut conn) = support::ledger_db();
    let c = support::customer(&mut conn, "雲橋科技股份有限公司", "TWD", "TW");
    conn.execute(
        "UPDATE customers SET virtual_account = '998800120003' WHERE id = ?1",
        [c.0],
    )
    .unwrap();
    support::invoice(
        &mut conn,
        c,
        "INV-2026-0012",
        (d(2026, 10, 1), d(2026, 10, 31)),
        1_234_500,
        "TWD",
    );
    support::invoice(
        &mut conn,
        c,
        "INV-2026-0013",
        (d(2026, 10, 1), d(2026, 10, 31)),
        200_000,
        "TWD",
    );
    (dir, conn, c)
}

#[test]
fn the_same_statement_twice_changes_nothing_and_an_overlapping_one_adds_its_new_lines() {
    let (_dir, mut conn, _) = book();
    let first = format!("{HEADER}115/11/20,轉入,,\"12,345\",INV 2026-0012,,雲橋科技\n115/11/20,手續費,30,,,,\n115/11/20,手續費,30,,,,\n");
    let s = import(&mut conn, &first).unwrap();
    assert_eq!((s.lines, s.added, s.known, s.outgoing), (3, 3, 0, 2));
    let audit = count(&conn, "audit");
    let again = import(&mut conn, &first).unwrap();
    assert_eq!((again.added, again.known, again.statement_id), (0, 3, 0));
    assert_eq!(
        count(&conn, "bank_lines"),
        3,
        "two identical fees are two lines, kept as two"
    );
    assert_eq!(count(&conn, "bank_statements"), 1);
    assert_eq!(
        count(&conn, "audit"),
        audit,
        "nothing written the second time"
    );
    let later = format!("{HEADER}115/11/20,手續費,30,,,,\n115/11/20,手續費,30,,,,\n115/11/22,ATM,,\"2,000\",,99880012 0003,\n");
    let s = import(&mut conn, &later).unwrap();
    assert_eq!((s.added, s.known), (1, 2));
    assert_eq!(count(&conn, "bank_lines"), 4);
    // The mapping is remembered with the account.
    let account = bank::account_by_name(&conn, "E.SUN 0123").unwrap().unwrap();
    assert_eq!(account.csv_map, Some(CsvMap::parse_spec(MAP).unwrap()));
}

#[test]
fn a_broken_or_future_statement_writes_nothing() {
    let (_dir, mut conn, _) = book();
    let broken = format!("{HEADER}115/11/20,轉入,,\"12,345\",,,\n115/13/01,轉入,,1,,,\n");
    let Err(Error::Import { file, problems }) = import(&mut conn, &broken) else {
        panic!()
    };
    assert_eq!(file, "esun.csv");
    assert_eq!((problems[0].line, problems[0].field.as_str()), (3, "date"));
    let future = format!("{HEADER}115/12/24,轉入,,1,,,\n");
    let Err(Error::Import { problems, .. }) = import(&mut conn, &future) else {
        panic!()
    };
    assert_eq!(problems[0].code, Code::AfterToday);
    for t in ["bank_lines", "bank_statements", "bank_accounts"] {
        assert_eq!(count(&conn, t), 0, "{t}");
    }
}

#[test]
fn a_sure_line_is_booked_once_with_its_fee_written_off() {
    let (_dir, mut conn, c) = book();
    // The customer reads Chinese: the reason its statement prints is written in Chinese.
    conn.execute(
        "UPDATE customers SET language = 'zh-TW' WHERE id = ?1",
        [c.0],
    )
    .unwrap();
    let csv = format!("{HEADER}115/11/20,轉入,,\"12,315\",INV 2026-0012,,\n115/11/21,ATM,,\"2,000\",,99880012 0003,\n115/11/21,轉入,,500,,,不明\n");
    import(&mut conn, &csv).unwrap();
    let tx = conn.transaction().unwrap();
    let booked = bank::accept_all_sure(&tx, &ctx()).unwrap();
    tx.commit().unwrap();
    assert_eq!(booked.len(), 2);
    assert_eq!(
        booked[0].fee_written_off,
        Some(Money::new(3_000, cur("TWD")))
    );
    let items = receivables::open_items(&conn, d(2026, 11, 25), Some(c)).unwrap();
    assert!(items.is_empty(), "both invoices settled: {items:?}");
    let inv = receivables::invoice_by_number(&conn, "INV-2026-0012")
        .unwrap()
        .unwrap();
    assert!(
        inv.write_off_reason.starts_with("銀行手續費：銀行對帳第"),
        "{}",
        inv.write_off_reason
    );
    let lines = bank::lines(&conn, false).unwrap();
    let open: Vec<_> = lines
        .iter()
        .filter(|l| l.status == LineStatus::Open)
        .collect();
    assert_eq!(open.len(), 1, "the line nobody can place waits");
    // A booked line is not booked again, by any path.
    let done = lines
        .iter()
        .find(|l| l.status == LineStatus::Booked)
        .unwrap();
    let tx = conn.transaction().unwrap();
    assert!(matches!(
        bank::accept(&tx, &ctx(), done.id),
        Err(Error::Conflict { .. })
    ));
    assert!(bank::accept_all_sure(&tx, &ctx()).unwrap().is_empty());
    // The unknown line is set aside with a note, then cannot be booked.
    bank::ignore(&tx, &ctx(), open[0].id, "refund from the landlord").unwrap();
    let decision = Decision {
        customer_id: c,
        allocations: vec![],
        write_off_fee: false,
        received_minor: None,
    };
    assert!(bank::confirm(&tx, &ctx(), open[0].id, &decision).is_err());
    tx.commit().unwrap();
    assert_eq!(count(&conn, "payments"), 2);
}

#[test]
fn a_decision_is_checked_before_anything_is_booked() {
    let (_dir, mut conn, c) = book();
    let other = support::customer(&mut conn, "Other Ltd", "TWD", "TW");
    let dollars = support::customer(&mut conn, "Dollar Inc", "USD", "US");
    support::invoice(
        &mut conn,
        other,
        "OTH-1",
        (d(2026, 10, 1), d(2026, 10, 31)),
        100_000,
        "TWD",
    );
    import(
        &mut conn,
        &format!("{HEADER}115/11/20,轉入,,\"3,000\",,,\n"),
    )
    .unwrap();
    let id = bank::lines(&conn, true).unwrap()[0].id;
    let inv = |n: &str| {
        receivables::invoice_by_number(&conn, n)
            .unwrap()
            .unwrap()
            .id
    };
    let (i12, i13, oth) = (inv("INV-2026-0012"), inv("INV-2026-0013"), inv("OTH-1"));
    let tx = conn.transaction().unwrap();
    let a = |invoice_id, amount_minor| AllocationInput {
        invoice_id,
        amount_minor,
    };
    for (customer_id, allocations, fee) in [
        (c, vec![a(oth, 1_000)], false),   // another customer's invoice
        (c, vec![a(i13, 250_000)], false), // more than is owed
        (c, vec![a(i12, 200_000), a(i13, 200_000)], false), // more than the line
        (c, vec![a(i12, 100_000), a(i12, 100_000)], false), // one invoice twice
        (c, vec![a(i13, 199_000)], true),  // a "fee" of NT$10 with 1,000 left
        (dollars, vec![], false),          // another currency
    ] {
        let d = Decision {
            customer_id,
            allocations,
            write_off_fee: fee,
            received_minor: None,
        };
        assert!(bank::confirm(&tx, &ctx(), id, &d).is_err(), "{d:?}");
    }
    // Split over two invoices, the rest as credit.
    let ok = Decision {
        customer_id: c,
        allocations: vec![a(i13, 200_000), a(i12, 50_000)],
        write_off_fee: false,
        received_minor: None,
    };
    let booked = bank::confirm(&tx, &ctx(), id, &ok).unwrap();
    tx.commit().unwrap();
    assert_eq!(booked.allocated.minor, 250_000);
    assert_eq!(receivables::invoice_outstanding(&conn, i13).unwrap(), 0);
    // What was left of the line went where the book's rules put credit: the oldest invoice.
    assert_eq!(
        receivables::invoice_outstanding(&conn, i12).unwrap(),
        1_234_500 - 100_000
    );
}

#[test]
fn a_customer_s_virtual_account_is_digits_and_its_own() {
    let (_dir, mut conn, _) = book();
    let mut input = support::customer_input("Second Ltd", "TWD", "TW");
    input.virtual_account = "9988 0012-0003".into();
    let tx = conn.transaction().unwrap();
    let Err(Error::Validation(e)) = customer::create(&tx, &ctx(), &input) else {
        panic!()
    };
    assert_eq!(
        (e[0].field.as_str(), e[0].code),
        ("virtual_account", Code::Duplicate)
    );
    for bad in ["12345", "9988-00A2", "=1+1", "1234567890123456789012"] {
        input.virtual_account = bad.into();
        let Err(Error::Validation(e)) = customer::create(&tx, &ctx(), &input) else {
            panic!("{bad}")
        };
        assert_eq!(e[0].field, "virtual_account", "{bad}");
    }
    input.virtual_account = "7700-0000-0001".into();
    input.payer_names = " Second ; 第二有限公司 ;; ".into();
    let c = customer::create(&tx, &ctx(), &input).unwrap();
    assert_eq!(c.fields.virtual_account, "770000000001");
    assert_eq!(c.fields.payer_names, ["Second", "第二有限公司"]);
    tx.commit().unwrap();
    // Both travel through the customer CSV and back.
    let mut out = Vec::new();
    riskdesk_core::import::export_customers(&conn, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text
        .lines()
        .next()
        .unwrap()
        .ends_with("virtual_account,payer_names,billing_email"));
    assert!(
        text.contains("770000000001,Second; 第二有限公司,"),
        "{text}"
    );
}

mod whole_days {
    use super::*;
    use proptest::prelude::*;

    /// One line of a bank's CSV export.
    #[derive(Debug, Clone)]
    struct Line {
        day: u32,
        credit: bool,
        minor: i64,
        text: &'static str,
        payer: &'static str,
    }

    fn line() -> impl Strategy<Value = Line> {
        (
            1u32..=20,
            any::<bool>(),
            prop_oneof![Just(3_000i64), 1i64..1_000_000_000],
            prop::sample::select(vec!["轉入", "手續費", "INV 2026-0012", "ATM", ""]),
            prop::sample::select(vec!["雲橋科技", "不明", ""]),
        )
            .prop_map(|(day, credit, minor, text, payer)| Line {
                day,
                credit,
                minor,
                text,
                payer,
            })
    }

    /// The lines as the bank writes them: ROC dates, amounts `12,345.00` or `12345`.
    fn statement(lines: &[Line], grouped: bool) -> String {
        let mut out = HEADER.to_string();
        for l in lines {
            let (whole, cents) = (l.minor / 100, l.minor % 100);
            let amount = if grouped {
                let digits = whole.to_string();
                let mut g = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        g.push(',');
                    }
                    g.push(c);
                }
                format!("\"{g}.{cents:02}\"")
            } else if cents == 0 {
                whole.to_string()
            } else {
                format!("{whole}.{cents:02}")
            };
            let (debit, credit) = if l.credit {
                (String::new(), amount)
            } else {
                (amount, String::new())
            };
            out.push_str(&format!(
                "115/11/{:02},摘要,{debit},{credit},{},,{}\n",
                l.day, l.text, l.payer
            ));
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        /// Statements of whole days: the same one again (amounts written the other way, lines
        /// in another order within their day) adds nothing, and two that share a day add up to
        /// the lines there are, identical fees included.
        #[test]
        fn statements_of_whole_days_add_each_line_once(
            mut lines in prop::collection::vec(line(), 1..30),
            split in 1u32..=20,
        ) {
            lines.sort_by_key(|l| l.day);
            let (_dir, mut conn, _) = book();
            let s = import(&mut conn, &statement(&lines, true)).unwrap();
            prop_assert_eq!(s.added, lines.len());
            let mut other_order = lines.clone();
            other_order.reverse();
            other_order.sort_by_key(|l| l.day);
            let s = import(&mut conn, &statement(&other_order, false)).unwrap();
            prop_assert_eq!(s.added, 0);
            prop_assert_eq!(count(&conn, "bank_lines"), lines.len() as i64);

            let (_dir, mut conn, _) = book();
            let early: Vec<Line> = lines.iter().filter(|l| l.day <= split).cloned().collect();
            let late: Vec<Line> = lines.iter().filter(|l| l.day >= split).cloned().collect();
            for part in [&early, &late] {
                if !part.is_empty() {
                    import(&mut conn, &statement(part, true)).unwrap();
                }
            }
            prop_assert_eq!(count(&conn, "bank_lines"), lines.len() as i64);
        }
    }
}

/// A US customer's transfer the bank converted into the New Taiwan dollars of the account
/// (NT$38,760 for US$1,200.00 less a US$15.00 fee taken on the way): booked in dollars as the
/// bank's advice gives them, the fee written off within the dollar tolerance, what arrived on
/// the account kept with the payment; without the dollar amount, or with one where the line
/// is in the customer's currency, nothing is booked.
#[test]
fn a_transfer_the_bank_converted_is_booked_in_the_customer_s_currency() {
    let (_dir, mut conn, twd) = book();
    let usd = support::customer(&mut conn, "Dollar Inc", "USD", "US");
    let inv = support::invoice(
        &mut conn,
        usd,
        "US-7",
        (d(2026, 10, 1), d(2026, 10, 31)),
        121_500,
        "USD",
    );
    import(
        &mut conn,
        &format!("{HEADER}115/11/20,國外匯入,,\"38,760\",US-7 Dollar Inc,,DOLLAR INC\n"),
    )
    .unwrap();
    let id = bank::lines(&conn, true).unwrap()[0].id;
    let tx = conn.transaction().unwrap();
    bank::set_fee_tolerances(&tx, &ctx(), "TWD 30; USD 15").unwrap();
    // With a rate known for the day, the proposal says what the line is about worth in
    // dollars (a hint beside the bank's advice), in both languages.
    riskdesk_core::usage::rates::set(&tx, &ctx(), "2026-11-01", "USD", "TWD", "32.30", "").unwrap();
    let review = bank::review(&tx, true).unwrap();
    let hint = review[0]
        .proposal
        .as_ref()
        .unwrap()
        .reasons
        .iter()
        .find(|w| w.reason == bank::Reason::ConvertedEstimate)
        .expect("the estimate")
        .params
        .clone();
    assert_eq!(hint["estimate"], "US$1,200.00");
    assert!(hint["rate_en"].starts_with("1 USD = 32.3 TWD"), "{hint:?}");
    assert!(hint["rate_zh"].contains("自訂匯率表"), "{hint:?}");
    let decide = |customer_id, received_minor, amount_minor, write_off_fee| Decision {
        customer_id,
        allocations: vec![AllocationInput {
            invoice_id: inv,
            amount_minor,
        }],
        write_off_fee,
        received_minor,
    };
    let field = |d: &Decision| match bank::confirm(&tx, &ctx(), id, d) {
        Err(Error::Validation(e)) => (e[0].field.clone(), e[0].code),
        other => panic!("booked: {other:?}"),
    };
    assert_eq!(
        field(&decide(usd, None, 120_000, false)),
        ("received".into(), Code::Required)
    );
    assert_eq!(
        field(&decide(usd, Some(0), 0, false)),
        ("received".into(), Code::NotPositive)
    );
    assert_eq!(
        field(&decide(usd, Some(100_000), 120_000, false)),
        ("allocations".into(), Code::TooLarge),
        "more than the line paid"
    );
    let own = Decision {
        allocations: vec![],
        ..decide(twd, Some(120_000), 0, false)
    };
    assert_eq!(field(&own), ("received".into(), Code::Invalid));
    // US$1,200.00 pays the US$1,215.00 invoice; the US$15.00 short is the wire's fee.
    let b = bank::confirm(&tx, &ctx(), id, &decide(usd, Some(120_000), 120_000, true)).unwrap();
    tx.commit().unwrap();
    assert_eq!(b.allocated, Money::new(120_000, cur("USD")));
    assert_eq!(b.fee_written_off, Some(Money::new(1_500, cur("USD"))));
    assert_eq!(receivables::invoice_outstanding(&conn, inv).unwrap(), 0);
    let written = receivables::invoice_by_number(&conn, "US-7")
        .unwrap()
        .unwrap();
    assert!(written
        .write_off_reason
        .starts_with("bank fee: the transfer of bank line"));
    let (amount, currency, method): (i64, String, String) = conn
        .query_row(
            "SELECT amount_minor, currency, method FROM payments WHERE id = ?1",
            [b.payment_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((amount, currency.as_str()), (120_000, "USD"));
    assert_eq!(method, "bank transfer (NT$38,760)");
    assert_eq!(bank::line(&conn, id).unwrap().status, LineStatus::Booked);
}

/// A CAMT.053 statement of `account` in `currency` with one credit per `(reference, amount)`.
fn camt_stmt(account: &str, currency: &str, credits: &[(&str, &str)]) -> String {
    let entries: String = credits
        .iter()
        .map(|(reference, amount)| {
            format!(
                "<Ntry><Amt Ccy=\"{currency}\">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\
                 <BookgDt><Dt>2026-11-02</Dt></BookgDt><AcctSvcrRef>{reference}</AcctSvcrRef></Ntry>"
            )
        })
        .collect();
    format!("<Stmt><Id>{account}</Id><Acct><Id><Othr><Id>{account}</Id></Othr></Id><Ccy>{currency}</Ccy></Acct>{entries}</Stmt>")
}

fn camt_file(statements: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>M</MsgId></GrpHdr>{}</BkToCstmrStmt></Document>",
        statements.concat()
    )
}

fn account_lines(conn: &Connection) -> Vec<(String, String, i64)> {
    let mut stmt = conn
        .prepare(
            "SELECT a.name, l.reference, l.amount_minor FROM bank_lines l
             JOIN bank_accounts a ON a.id = l.account_id ORDER BY a.name, l.reference",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A bank may put the statements of several accounts in one file (CAMT.053 `Stmt` after
/// `Stmt`, MT940 `:20:` after `:20:`): each account's lines go to it, so the same lines in a
/// later file of one account are known, not stored twice; such a file cannot be imported
/// into one account named.
#[test]
fn a_file_with_the_statements_of_several_accounts_puts_each_line_in_its_account() {
    let (_dir, mut conn, _c) = book();
    let twd = camt_stmt("808-0001", "TWD", &[("T-1", "1000.00"), ("T-2", "2.00")]);
    assert_eq!(
        bank::parse(
            "one.xml",
            camt_file(std::slice::from_ref(&twd)).as_bytes(),
            None,
            None
        )
        .unwrap()
        .accounts(),
        ["808-0001"]
    );
    let usd = camt_stmt("808-0002", "USD", &[("U-1", "30.00")]);
    // The same account again (the next day's statement in the same file).
    let twd_again = camt_stmt("808-0001", "TWD", &[("T-3", "5.00")]);
    let both = camt_file(&[twd.clone(), usd.clone(), twd_again]);
    fn f<'a>(bytes: &'a str, account: &'a str) -> StatementFile<'a> {
        StatementFile {
            file: "all.xml",
            bytes: bytes.as_bytes(),
            format: None,
            account,
            map: None,
        }
    }
    let e = support::import_statement(&mut conn, &f(&both, "My account")).unwrap_err();
    match &e {
        Error::Validation(fields) => {
            assert_eq!(fields[0].code, Code::SeveralAccounts);
            assert!(e.to_string().contains("808-0001, 808-0002"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&conn, "bank_lines"), 0, "nothing written");
    let s = support::import_statement(&mut conn, &f(&both, "")).unwrap();
    assert_eq!((s.lines, s.added, s.known), (4, 4, 0));
    assert_eq!(s.account, "808-0001, 808-0002");
    let stored = vec![
        ("808-0001".to_string(), "T-1".to_string(), 100_000),
        ("808-0001".to_string(), "T-2".to_string(), 200),
        ("808-0001".to_string(), "T-3".to_string(), 500),
        ("808-0002".to_string(), "U-1".to_string(), 3_000),
    ];
    assert_eq!(account_lines(&conn), stored);
    let again = support::import_statement(&mut conn, &f(&both, "")).unwrap();
    assert_eq!((again.added, again.known), (0, 4));
    // One account's own file, named or not: its lines are known.
    let one = support::import_statement(&mut conn, &f(&camt_file(&[usd]), "808-0002")).unwrap();
    assert_eq!((one.added, one.known), (0, 1));
    assert_eq!(account_lines(&conn), stored);

    // MT940: two statements, two accounts.
    let mt940 = "{1:F01BANKTWTPAXXX0000000000}{2:I940BANKTWTPXXXXN}{4:\r\n\
        :20:A\r\n:25:808/0003\r\n:28C:1/1\r\n:60F:C261101TWD0,00\r\n\
        :61:2611021102CD700,00NTRFNONREF//M-1\r\n:86:payment\r\n:62F:C261102TWD700,00\r\n\
        :20:B\r\n:25:808/0004\r\n:28C:1/1\r\n:60F:C261101JPY0\r\n\
        :61:2611021102CD5000,NTRFNONREF//M-2\r\n:86:payment\r\n:62F:C261102JPY5000\r\n-}";
    let s = support::import_statement(&mut conn, &f(mt940, "")).unwrap();
    assert_eq!((s.lines, s.added), (2, 2));
    let lines = account_lines(&conn);
    assert!(
        lines.contains(&("808/0003".into(), "M-1".into(), 70_000)),
        "{lines:?}"
    );
    assert!(
        lines.contains(&("808/0004".into(), "M-2".into(), 5_000)),
        "{lines:?}"
    );
}

/// The day's account report (camt.052) imported before the day's statement: the statement
/// adds only the entries the report did not have.
#[test]
fn a_camt_052_report_then_the_day_s_statement_stores_each_entry_once() {
    let (_dir, mut conn, _c) = book();
    let report = camt_file(&[camt_stmt("808-0001", "TWD", &[("T-1", "1000.00")])])
        .replace("camt.053.001.02", "camt.052.001.02")
        .replace("BkToCstmrStmt", "BkToCstmrAcctRpt")
        .replace("Stmt>", "Rpt>");
    let statement = camt_file(&[camt_stmt(
        "808-0001",
        "TWD",
        &[("T-1", "1000.00"), ("T-2", "20.00")],
    )]);
    for (bytes, added) in [(&report, 1), (&statement, 1)] {
        let s = support::import_statement(
            &mut conn,
            &StatementFile {
                file: "day.xml",
                bytes: bytes.as_bytes(),
                format: None,
                account: "",
                map: None,
            },
        )
        .unwrap();
        assert_eq!(s.added, added);
    }
    assert_eq!(count(&conn, "bank_lines"), 2);
}
