//! Statements in shapes the format tests do not use, on the demo company's book: a CAMT.053
//! of version 2 (the payer's name under `Dbtr/Nm`, references structured), an MT940 inside
//! its SWIFT envelope with slash-coded `:86:` text, and another Taiwanese bank's CSV in Big5
//! (its own headers, dates as 115.11.20, the virtual account in a column). Each line's truth
//! is known when it is written: what it names, where it arrived, who paid. The figures are
//! printed (`--nocapture`) and the rules asserted: every line that names an invoice or arrives
//! on a virtual account is *sure* with the right invoices; nothing is *sure* or *likely* for a
//! wrong customer; what only an amount or a stranger's name suggests waits for review.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use riskdesk_core::bank::{self, Confidence, CsvMap, Format, StatementFile};
use riskdesk_core::ids::CustomerId;
use riskdesk_core::test_support::ctx;
use rusqlite::Connection;

/// What a written line truly is.
#[derive(Clone, Debug)]
struct Truth {
    kind: &'static str,
    customer: Option<CustomerId>,
    invoice: Option<String>,
}

/// One open invoice per customer in New Taiwan dollars: (customer, name, virtual account,
/// number, owed).
fn open(conn: &Connection) -> Vec<(CustomerId, String, String, String, i64)> {
    let mut stmt = conn
        .prepare(
            "SELECT c.id, c.legal_name, c.virtual_account, i.number,
                    i.total_minor - i.written_off_minor - COALESCE((SELECT sum(amount_minor) FROM allocations WHERE invoice_id = i.id), 0)
             FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE i.settled_on = '9999-12-31' AND i.currency = 'TWD' AND i.disputed = 0
               AND i.id = (SELECT max(j.id) FROM invoices j WHERE j.customer_id = c.id AND j.settled_on = '9999-12-31'
                           AND j.currency = 'TWD' AND j.disputed = 0)
               AND NOT EXISTS (SELECT 1 FROM bank_lines l WHERE l.text LIKE '%' || i.number || '%')
             ORDER BY c.id",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows.into_iter().filter(|r| r.4 > 5_000).collect()
}

/// The lines every statement carries, in the statement's own words: (text, payer, account
/// received on, amount in minor units, truth).
fn lines(
    book: &[(CustomerId, String, String, String, i64)],
) -> Vec<(String, String, String, i64, Truth)> {
    let mut out = Vec::new();
    for (n, (id, name, va, number, owed)) in book.iter().enumerate() {
        let spaced = number.replace('-', " ").to_lowercase();
        let t = |kind, invoice: bool| Truth {
            kind,
            customer: Some(*id),
            invoice: invoice.then(|| number.clone()),
        };
        match n % 5 {
            0 => out.push((
                format!("Payment {spaced}"),
                String::new(),
                String::new(),
                *owed,
                t("names", true),
            )),
            1 if !va.is_empty() => out.push((
                "ATM".into(),
                String::new(),
                va.clone(),
                *owed,
                t("account", false),
            )),
            2 => out.push((
                format!("{number} less fee"),
                String::new(),
                String::new(),
                owed - 2_000,
                t("names_fee", true),
            )),
            3 => {
                let short = name
                    .replace("股份有限公司", "")
                    .replace("有限公司", "")
                    .replace(" Ltd.", "")
                    .replace(" Co., Ltd.", "");
                out.push((
                    "transfer".into(),
                    short.to_uppercase(),
                    String::new(),
                    *owed,
                    t("payer", false),
                ));
            }
            _ => out.push((
                format!("{number} part payment"),
                String::new(),
                String::new(),
                owed / 3,
                t("names_part", true),
            )),
        }
    }
    out.push((
        "deposit".into(),
        "陌生人".into(),
        String::new(),
        123_456,
        Truth {
            kind: "stranger",
            customer: None,
            invoice: None,
        },
    ));
    out.push((
        "deposit".into(),
        String::new(),
        String::new(),
        100,
        Truth {
            kind: "tiny",
            customer: None,
            invoice: None,
        },
    ));
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn camt_v2(rows: &[(String, String, String, i64, Truth)], day: NaiveDate) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n<BkToCstmrStmt><GrpHdr><MsgId>X</MsgId></GrpHdr>\n<Stmt><Id>S1</Id><Acct><Id><IBAN>TW0080800123456789012</IBAN></Id><Ccy>TWD</Ccy></Acct>\n");
    for (i, (text, payer, va, minor, _)) in rows.iter().enumerate() {
        let amount = format!("{}.{:02}", minor / 100, minor % 100);
        x += &format!(
            "<Ntry><Amt Ccy=\"TWD\">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt>\
             <AcctSvcrRef>CAMT-{i}</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>\
             <AmtDtls><TxAmt><Amt Ccy=\"TWD\">{amount}</Amt></TxAmt></AmtDtls><RltdPties><Dbtr><Nm>{}</Nm></Dbtr>\
             <CdtrAcct><Id><Othr><Id>{va}</Id></Othr></Id></CdtrAcct></RltdPties>\
             <RmtInf><Strd><CdtrRefInf><Ref>{}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>\n",
            esc(payer),
            esc(text)
        );
    }
    x += "<Ntry><Amt Ccy=\"TWD\">15.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt></Ntry>\n</Stmt></BkToCstmrStmt></Document>\n";
    x
}

fn mt940(rows: &[(String, String, String, i64, Truth)], day: NaiveDate) -> String {
    let yymmdd = format!("{:02}{:02}{:02}", day.year() % 100, day.month(), day.day());
    let mut x = format!("{{1:F01ESUNTWTPAXXX0000000000}}{{2:O940ESUNTWTPXXXXN}}{{4:\r\n:20:MT-1\r\n:25:TW/808/0123456789012\r\n:28C:5/1\r\n:60F:C{yymmdd}TWD1000,00\r\n");
    for (i, (text, payer, va, minor, _)) in rows.iter().enumerate() {
        x += &format!(
            ":61:{yymmdd}C{},{:02}NTRFREF{i}//MT-{i}\r\n",
            minor / 100,
            minor % 100
        );
        x += &format!(":86:/REMI/{text}/PAYER/{payer}/VA/{va}\r\n");
    }
    x += &format!(":61:{yymmdd}D15,NCHGNONREF\r\n:86:FEE\r\n:62F:C{yymmdd}TWD1000,00\r\n-}}");
    x
}

fn tw_csv(rows: &[(String, String, String, i64, Truth)], day: NaiveDate) -> Vec<u8> {
    let roc = format!("{}.{:02}.{:02}", day.year() - 1911, day.month(), day.day());
    let mut x = String::from("臺灣土地銀行 存款交易明細\n帳號,081-001-23456-7\n\n交易日,摘要,提款,存款,餘額,備註,對方帳號,對方戶名\n");
    for (text, payer, va, minor, _) in rows {
        x += &format!(
            "{roc},轉帳存入,,\"{}\",,{text},{va},{payer}\n",
            bank_amount(*minor)
        );
    }
    x += &format!("{roc},手續費,15,,,,,\n");
    let (bytes, _, lossy) = encoding_rs::BIG5.encode(&x);
    assert!(!lossy, "the statement is Big5 throughout");
    bytes.into_owned()
}

fn bank_amount(minor: i64) -> String {
    let whole = (minor / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", minor % 100)
}

#[test]
fn statements_in_other_shapes_are_matched_without_a_wrong_customer() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = riskdesk_core::store::create(
        &dir.path().join("d.db"),
        &riskdesk_core::store::DbKey::generate().unwrap(),
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    riskdesk_core::demo::load(&tx, &ctx(), ctx().today).unwrap();
    tx.commit().unwrap();
    // The demo's own statement: the payer the bank printed with part of the name hidden is
    // proposed as the customer whose contact it fits.
    let demo = bank::review(&conn, true).unwrap();
    let masked = demo
        .iter()
        .find(|r| r.line.entry.payer.contains('*'))
        .expect("a masked payer in the demo");
    let p = masked.proposal.as_ref().unwrap();
    assert_eq!(p.confidence, Confidence::Likely, "{p:?}");
    assert!(p
        .reasons
        .iter()
        .any(|w| w.reason == bank::Reason::ContactPerson));
    let book = open(&conn);
    assert!(
        book.len() >= 10,
        "{} customers with an open invoice",
        book.len()
    );
    let rows = lines(&book);
    let day = ctx().today - Duration::days(1);
    let map = CsvMap::parse_spec("date=交易日,credit=存款,debit=提款,text=備註,account=對方帳號,payer=對方戶名,date-format=roc").unwrap();
    let files: Vec<(&str, Vec<u8>, Option<CsvMap>, Format)> = vec![
        (
            "camt053-v2.xml",
            camt_v2(&rows, day).into_bytes(),
            None,
            Format::Camt053,
        ),
        (
            "swift.sta",
            mt940(&rows, day).into_bytes(),
            None,
            Format::Mt940,
        ),
        (
            "landbank-big5.csv",
            tw_csv(&rows, day),
            Some(map),
            Format::Csv,
        ),
    ];
    for (name, bytes, map, format) in files {
        let tx = conn.transaction().unwrap();
        let s = bank::import_statement(
            &tx,
            &ctx(),
            &StatementFile {
                file: name,
                bytes: &bytes,
                format: None,
                account: name,
                map,
            },
        )
        .unwrap();
        assert_eq!(
            (s.format, s.lines, s.outgoing),
            (format, rows.len() + 1, 1),
            "{name}"
        );
        let reviews = bank::review(&tx, true).unwrap();
        let mine: Vec<_> = reviews.iter().filter(|r| r.line.account == name).collect();
        assert_eq!(mine.len(), rows.len(), "{name}");
        let mut figures: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        let by_amount_text: Vec<&bank::Review> = {
            let mut v = mine.clone();
            v.sort_by_key(|r| r.line.entry.file_line);
            v
        };
        for (r, (_, _, _, _, truth)) in by_amount_text.iter().zip(&rows) {
            let p = r.proposal.as_ref().unwrap();
            *figures
                .entry((truth.kind, p.confidence.as_str()))
                .or_default() += 1;
            if matches!(p.confidence, Confidence::Sure | Confidence::Likely) {
                assert_eq!(
                    p.customer_id, truth.customer,
                    "{name}: {truth:?} proposed {p:?}"
                );
            }
            match truth.kind {
                "names" | "account" | "names_fee" => {
                    assert_eq!(
                        p.confidence,
                        Confidence::Sure,
                        "{name}: {truth:?} {p:?} for {:?}",
                        r.line
                    );
                    if let Some(n) = &truth.invoice {
                        assert_eq!(
                            p.allocations.iter().map(|a| &a.number).collect::<Vec<_>>(),
                            [n],
                            "{name}"
                        );
                    }
                }
                "names_part" => assert_eq!(
                    (p.confidence, p.customer_id),
                    (Confidence::Unsure, truth.customer),
                    "{name}"
                ),
                "payer" => assert_eq!(
                    p.confidence,
                    Confidence::Likely,
                    "{name}: {truth:?} {:?} {p:?}",
                    r.line.entry.payer
                ),
                _ => assert_eq!(p.confidence, Confidence::Unsure, "{name}"),
            }
        }
        eprintln!("{name}: {} lines; {figures:?}", rows.len());
        tx.rollback().unwrap();
    }
}
