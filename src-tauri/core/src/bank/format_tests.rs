//! Each statement format on crafted files, and on broken ones: a problem with its line and
//! field, never a panic, never a line read wrong.

use super::*;
use crate::money::Currency;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn twd(minor: i64) -> Money {
    Money::new(minor, Currency::parse("TWD").unwrap())
}

fn problems(r: Result<ParsedStatement>) -> Vec<ImportProblem> {
    match r {
        Err(Error::Import { problems, .. }) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

pub(super) const CAMT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-03-06T08:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>S-2026-03-05</Id>
      <Acct><Id><Othr><Id>808-0123456789</Id></Othr></Id><Ccy>TWD</Ccy></Acct>
      <Ntry>
        <Amt Ccy="TWD">12345.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-03-05</Dt></BookgDt>
        <AcctSvcrRef>E-1</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties>
            <Dbtr><Pty><Nm>雲橋科技股份有限公司</Nm></Pty></Dbtr>
            <DbtrAcct><Id><Othr><Id>012-555</Id></Othr></Id></DbtrAcct>
            <CdtrAcct><Id><Othr><Id>99880012 0003</Id></Othr></Id></CdtrAcct>
          </RltdPties>
          <RmtInf><Ustrd>Payment INV 2026-0012 &amp; thanks</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="TWD">30.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><DtTm>2026-03-05T10:00:00</DtTm></BookgDt>
        <AddtlNtryInf>Wire fee</AddtlNtryInf>
      </Ntry>
      <Ntry>
        <Amt Ccy="TWD">999.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>PDNG</Cd></Sts>
        <BookgDt><Dt>2026-03-05</Dt></BookgDt>
      </Ntry>
      <Ntry>
        <Amt Ccy="TWD">3000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-05</Dt></BookgDt>
        <AcctSvcrRef>E-3</AcctSvcrRef>
        <NtryDtls>
          <TxDtls><Amt Ccy="TWD">1000.00</Amt><RmtInf><Ustrd>INV-7</Ustrd></RmtInf></TxDtls>
          <TxDtls><Amt Ccy="TWD">2000.00</Amt><Refs><EndToEndId>E2E-9</EndToEndId></Refs></TxDtls>
        </NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#;

#[test]
fn camt_053_lines_with_their_payer_account_and_references() {
    let s = parse("s.xml", CAMT.as_bytes(), None, None).unwrap();
    assert_eq!(s.format, Format::Camt053);
    assert_eq!(s.account, "808-0123456789");
    assert_eq!(
        s.lines.len(),
        4,
        "the pending entry is left out: {:?}",
        s.lines
    );
    let first = &s.lines[0];
    assert_eq!(first.booked_on, d(2026, 3, 5));
    assert_eq!(first.direction, Direction::Credit);
    assert_eq!(first.amount, twd(1_234_500));
    assert_eq!(first.payer, "雲橋科技股份有限公司");
    assert_eq!(first.payer_account, "012-555");
    assert_eq!(first.to_account, "99880012 0003");
    assert_eq!(first.text, "Payment INV 2026-0012 & thanks");
    assert_eq!(first.reference, "E-1");
    assert_eq!(first.file_line, 8);
    assert_eq!(
        (s.lines[1].direction, s.lines[1].amount),
        (Direction::Debit, twd(3_000))
    );
    assert_eq!(s.lines[1].text, "Wire fee");
    // A batch entry is a line per transaction, each with its own amount and reference.
    assert_eq!(
        (s.lines[2].amount, s.lines[2].reference.as_str()),
        (twd(100_000), "E-3/1")
    );
    assert_eq!(
        (s.lines[3].amount, s.lines[3].reference.as_str()),
        (twd(200_000), "E2E-9")
    );
}

#[test]
fn broken_camt_files_name_the_line_and_field() {
    let no_amount = CAMT.replacen(r#"<Amt Ccy="TWD">12345.00</Amt>"#, "", 1);
    let p = problems(parse("s.xml", no_amount.as_bytes(), None, None));
    assert_eq!(
        (p[0].line, p[0].field.as_str(), p[0].code),
        (8, "amount", Code::MissingColumn)
    );

    let bad_amount = CAMT.replacen("12345.00", "12,345.0.0", 1);
    let p = problems(parse("s.xml", bad_amount.as_bytes(), None, None));
    assert_eq!((p[0].line, p[0].field.as_str()), (9, "amount"));

    let bad_ccy = CAMT.replacen(r#"Ccy="TWD">12345"#, r#"Ccy="XYZ">12345"#, 1);
    let p = problems(parse("s.xml", bad_ccy.as_bytes(), None, None));
    assert_eq!(p[0].field, "currency");

    let cut = &CAMT[..CAMT.len() / 2];
    let p = problems(parse("s.xml", cut.as_bytes(), None, None));
    assert!(
        matches!(p[0].code, Code::Truncated | Code::Unreadable),
        "{p:?}"
    );

    let no_date = CAMT.replacen("<BookgDt><Dt>2026-03-05</Dt></BookgDt>", "", 1);
    let p = problems(parse("s.xml", no_date.as_bytes(), None, None));
    assert_eq!(
        (p[0].field.as_str(), p[0].code),
        ("date", Code::InvalidDate)
    );

    // An entity declared in a DTD (the "billion laughs") is refused, not expanded.
    let dtd = CAMT.replacen(
        "<Document",
        "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n<Document",
        1,
    );
    assert!(!problems(parse("s.xml", dtd.as_bytes(), Some(Format::Camt053), None)).is_empty());
    let not_camt = "<?xml version=\"1.0\"?><camt.053><x/></camt.053>";
    assert_eq!(
        problems(parse("s.xml", not_camt.as_bytes(), None, None))[0].code,
        Code::UnknownFormat
    );
}

pub(super) const MT940: &str = "{1:F01BANKTWTPAXXX0000000000}{2:I940BANKTWTPXXXXN}{4:\r
:20:STMT-2026-03-05\r
:25:808/0123456789\r
:28C:00012/001\r
:60F:C260304TWD100000,00\r
:61:2603050305CD12345,00NTRFINV20260012//B-100\r
:86:雲橋科技股份有限公司 付款 inv20260012\r
:61:2603050305DD30,00NCHGNONREF\r
:86:匯費\r
:61:2603060306CD5000,NTRFNONREF//B-101\r
Extra details\r
:86:166?00GUTSCHRIFT?20Rechnung INV-7?32CONTOSO TAIWAN?33LTD?31TW1200\r
:62F:C260306TWD117315,00\r
-}";

#[test]
fn mt940_lines_with_chinese_text_and_structured_details() {
    let s = parse("s.sta", MT940.as_bytes(), None, None).unwrap();
    assert_eq!(s.format, Format::Mt940);
    assert_eq!(s.account, "808/0123456789");
    assert_eq!(s.lines.len(), 3);
    let a = &s.lines[0];
    assert_eq!(
        (a.booked_on, a.direction, a.amount),
        (d(2026, 3, 5), Direction::Credit, twd(1_234_500))
    );
    assert_eq!(a.reference, "B-100");
    assert_eq!(a.text, "INV20260012 雲橋科技股份有限公司 付款 inv20260012");
    assert_eq!(a.file_line, 6);
    assert_eq!(
        (
            s.lines[1].direction,
            s.lines[1].amount,
            s.lines[1].reference.as_str()
        ),
        (Direction::Debit, twd(3_000), "")
    );
    let c = &s.lines[2];
    assert_eq!((c.amount, c.reference.as_str()), (twd(500_000), "B-101"));
    assert_eq!(c.payer, "CONTOSO TAIWANLTD");
    assert_eq!(c.payer_account, "TW1200");
    assert_eq!(c.text, "Extra details Rechnung INV-7");
}

#[test]
fn broken_mt940_files_name_the_line() {
    let truncated: String = MT940.lines().take(9).collect::<Vec<_>>().join("\n");
    let p = problems(parse(
        "s.sta",
        truncated.as_bytes(),
        Some(Format::Mt940),
        None,
    ));
    assert_eq!((p[0].code, p[0].line), (Code::Truncated, 9));

    let bad_amount = MT940.replacen("CD12345,00", "CDabc", 1);
    let p = problems(parse("s.sta", bad_amount.as_bytes(), None, None));
    assert_eq!((p[0].line, p[0].field.as_str()), (6, "amount"));

    let bad_date = MT940.replacen(":61:260305", ":61:261305", 1);
    let p = problems(parse("s.sta", bad_date.as_bytes(), None, None));
    assert_eq!((p[0].line, p[0].field.as_str()), (6, "date"));

    let no_mark = MT940.replacen("0305CD12345", "0305X12345", 1);
    assert_eq!(
        problems(parse("s.sta", no_mark.as_bytes(), None, None))[0].field,
        "direction"
    );

    let no_currency = MT940.replacen("TWD100000", "XXX100000", 1);
    let p = problems(parse("s.sta", no_currency.as_bytes(), None, None));
    assert_eq!(p[0].field, "currency");
}

/// A Taiwanese bank's export: a preamble, ROC dates, deposits and withdrawals in their own
/// columns, thousands separators, a totals row, in Big5.
pub(super) const TW_CSV: &str = "帳號：0123-456-789012\r
查詢期間：115/03/01~115/03/31\r
交易日期,摘要,支出金額,存入金額,餘額,備註,虛擬帳號,匯款人\r
115/03/05,跨行轉入,,\"12,345\",\"112,345\",INV 2026-0012,99880012 0003,雲橋科技\r
115/03/05,手續費,30,,\"112,315\",,,\r
115/03/06,ATM轉入,,\"5,000.00\",\"117,315\",,,林美玲\r
,合計,30,\"17,345\",,,,\r
";

pub(super) fn tw_map() -> CsvMap {
    CsvMap::parse_spec("date=交易日期,credit=存入金額,debit=支出金額,text=備註,payer=匯款人,account=虛擬帳號,date-format=roc").unwrap()
}

#[test]
fn a_taiwanese_bank_csv_in_big5_with_roc_dates() {
    let (big5, _, lossy) = encoding_rs::BIG5.encode(TW_CSV);
    assert!(!lossy);
    for bytes in [
        big5.to_vec(),
        TW_CSV.as_bytes().to_vec(),
        [b"\xEF\xBB\xBF".as_slice(), TW_CSV.as_bytes()].concat(),
    ] {
        let s = parse("tw.csv", &bytes, None, Some(&tw_map())).unwrap();
        assert_eq!(s.format, Format::Csv);
        assert_eq!(s.lines.len(), 3, "the totals row is no line");
        let a = &s.lines[0];
        assert_eq!(
            (a.booked_on, a.direction, a.amount),
            (d(2026, 3, 5), Direction::Credit, twd(1_234_500))
        );
        assert_eq!(
            (a.text.as_str(), a.to_account.as_str(), a.payer.as_str()),
            ("INV 2026-0012", "99880012 0003", "雲橋科技")
        );
        assert_eq!(a.file_line, 4);
        assert_eq!(
            (s.lines[1].direction, s.lines[1].amount),
            (Direction::Debit, twd(3_000))
        );
        assert_eq!(s.lines[2].amount, twd(500_000));
    }
}

#[test]
fn csv_by_column_numbers_with_a_signed_amount_and_iso_dates() {
    let text = "2026-03-05;Transfer INV-7;-1.234,00\n2026-03-06;Deposit;250.00\n";
    // A decimal comma is refused on its line, never read as another number.
    let map = CsvMap::parse_spec("date=1,text=2,amount=3,currency=USD").unwrap();
    let p = problems(parse("b.csv", text.as_bytes(), None, Some(&map)));
    assert_eq!(
        (p[0].line, p[0].field.as_str(), p[0].code),
        (1, "amount", Code::UseDecimalPoint)
    );
    let text = "2026-03-05;Transfer INV-7;-1,234.00\n2026-03-06;Deposit;250.00\n";
    let s = parse("b.csv", text.as_bytes(), None, Some(&map)).unwrap();
    let usd = Currency::parse("USD").unwrap();
    assert_eq!(
        (s.lines[0].direction, s.lines[0].amount),
        (Direction::Debit, Money::new(123_400, usd))
    );
    assert_eq!(
        (s.lines[1].direction, s.lines[1].amount),
        (Direction::Credit, Money::new(25_000, usd))
    );
}

/// A Hong Kong or Singapore bank's export: one amount column, its direction in letters.
/// The fee (DR) is money out, never a payment; a line whose amount is a date (a shifted
/// column) is refused on its line, not booked as twenty million.
#[test]
fn csv_with_the_direction_written_beside_the_amount() {
    let map = CsvMap::parse_spec("date=1,text=2,amount=3,currency=HKD").unwrap();
    let text = "2026-03-05,FPS INV-7,\"1,000.00 CR\"\n2026-03-06,Service fee,25.00DR\n";
    let s = parse("hk.csv", text.as_bytes(), None, Some(&map)).unwrap();
    let hkd = Currency::parse("HKD").unwrap();
    assert_eq!(
        (s.lines[0].direction, s.lines[0].amount),
        (Direction::Credit, Money::new(100_000, hkd))
    );
    assert_eq!(
        (s.lines[1].direction, s.lines[1].amount),
        (Direction::Debit, Money::new(2_500, hkd))
    );
    let shifted = "2026-03-05,FPS INV-7,2026/03/05\n";
    let p = problems(parse("hk.csv", shifted.as_bytes(), None, Some(&map)));
    assert_eq!((p[0].line, p[0].field.as_str()), (1, "amount"));
}

/// Banks that write every amount unsigned with a column that says which way it went
/// (`C`/`D`, `CR`/`DR`, `存入`/`支出`): read through the direction role. A `CR`/`DR` mark in
/// the amount cell may repeat the column or stand alone; a word that says neither, a mark
/// or a sign against the column, or a direction without an amount column is refused,
/// never guessed.
#[test]
fn csv_with_a_direction_column_beside_unsigned_amounts() {
    let map =
        CsvMap::parse_spec("date=Date,text=Details,amount=Amount,direction=Dr/Cr,currency=SGD")
            .unwrap();
    let text = "Date,Details,Amount,Dr/Cr\n\
                05 Mar 2026,GIRO INV-7,\"1,000.00\",CR\n\
                06 Mar 2026,Service fee,25.00,D\n\
                07 Mar 2026,轉帳,300,存入\n\
                08 Mar 2026,提款,40,支出\n\
                09 Mar 2026,FAST INV-8,50.00 CR,C\n\
                10 Mar 2026,Charge,6.00 DR,D\n\
                11 Mar 2026,Interest,0.10CR,\n";
    let s = parse("sg.csv", text.as_bytes(), None, Some(&map)).unwrap();
    let sgd = Currency::parse("SGD").unwrap();
    let got: Vec<(Direction, Money)> = s.lines.iter().map(|l| (l.direction, l.amount)).collect();
    assert_eq!(
        got,
        [
            (Direction::Credit, Money::new(100_000, sgd)),
            (Direction::Debit, Money::new(2_500, sgd)),
            (Direction::Credit, Money::new(30_000, sgd)),
            (Direction::Debit, Money::new(4_000, sgd)),
            (Direction::Credit, Money::new(5_000, sgd)),
            (Direction::Debit, Money::new(600, sgd)),
            (Direction::Credit, Money::new(10, sgd)),
        ]
    );
    for (bad, field) in [
        ("05 Mar 2026,x,100,maybe\n", "direction"),
        ("05 Mar 2026,x,100,\n", "direction"),
        ("05 Mar 2026,x,-100,C\n", "amount"),
        ("05 Mar 2026,x,100 CR,D\n", "amount"),
        ("05 Mar 2026,x,100 DR,存入\n", "amount"),
    ] {
        let file = format!("Date,Details,Amount,Dr/Cr\n{bad}");
        let p = problems(parse("sg.csv", file.as_bytes(), None, Some(&map)));
        assert_eq!((p[0].line, p[0].field.as_str()), (2, field), "{bad}");
    }
    let e = CsvMap::parse_spec("date=1,credit=2,direction=3").unwrap_err();
    assert!(e.to_string().contains("direction"), "{e}");
}

#[test]
fn broken_csv_files_name_the_line_and_field() {
    let mut bad = TW_CSV.as_bytes().to_vec();
    let at = bad.len() - 20;
    bad[at] = 0xFF;
    let p = problems(parse("tw.csv", &bad, None, Some(&tw_map())));
    assert_eq!((p[0].code, p[0].line), (Code::NotText, 7));

    let bad_date = TW_CSV.replacen("115/03/06", "115/02/30", 1);
    let p = problems(parse("tw.csv", bad_date.as_bytes(), None, Some(&tw_map())));
    assert_eq!(
        (p[0].line, p[0].field.as_str(), p[0].code),
        (6, "date", Code::InvalidDate)
    );

    let formula = TW_CSV.replacen("\"5,000.00\"", "=HYPERLINK(\"x\")", 1);
    let p = problems(parse("tw.csv", formula.as_bytes(), None, Some(&tw_map())));
    assert_eq!((p[0].line, p[0].field.as_str()), (6, "credit"));

    let both = TW_CSV.replacen(",30,,", ",30,40,", 1);
    let p = problems(parse("tw.csv", both.as_bytes(), None, Some(&tw_map())));
    assert_eq!((p[0].line, p[0].code), (5, Code::BothDirections));

    let other_header = TW_CSV.replacen("存入金額", "存款", 1);
    let p = problems(parse(
        "tw.csv",
        other_header.as_bytes(),
        None,
        Some(&tw_map()),
    ));
    assert_eq!(
        (p[0].field.as_str(), p[0].code),
        ("map", Code::MissingColumn)
    );

    assert_eq!(
        problems(parse("tw.csv", TW_CSV.as_bytes(), None, None))[0].field,
        "map"
    );
    assert_eq!(
        problems(parse("e.csv", b"  \n", None, Some(&tw_map())))[0].code,
        Code::EmptyFile
    );
}

#[test]
fn a_mapping_is_checked_before_it_is_used() {
    for bad in [
        "amount=2",
        "date=1",
        "date=1,amount=2,currency=XYZ",
        "date=1,amount=2,colour=3",
        "date=1,amount",
        "date=1,amount=2,date-format=ymd",
    ] {
        assert!(CsvMap::parse_spec(bad).is_err(), "{bad}");
    }
    let m = CsvMap::parse_spec("date=日期, credit = 存入 ,date_format=dmy").unwrap();
    assert_eq!(
        (m.credit.as_str(), m.date_format),
        ("存入", DateFormat::Dmy)
    );
}

#[test]
fn formats_are_told_apart() {
    assert_eq!(detect(CAMT), Format::Camt053);
    assert_eq!(detect(MT940), Format::Mt940);
    assert_eq!(detect(":20:X\n:25:Y\n:61:..."), Format::Mt940);
    assert_eq!(detect(TW_CSV), Format::Csv);
}

#[test]
fn mt940_slash_coded_details_give_the_payer_and_the_account() {
    let text = ":20:X\n:25:A\n:60F:C260301TWD0,00\n:61:260305C100,NTRFNONREF//B-9\n:86:/EREF/E2E-1/REMI/INV 2026-0012 march/CNTP/TW123//Contoso Taiwan/\n:61:260305C5,NTRFNONREF//B-10\n:86:/REMI/a/b split/NAME/林美玲/VA/99880012 0003\n:62F:C260305TWD105,00\n";
    let s = parse("s.sta", text.as_bytes(), None, None).unwrap();
    assert_eq!(s.lines[0].text, "E2E-1 INV 2026-0012 march");
    assert_eq!(
        (s.lines[0].payer.as_str(), s.lines[0].payer_account.as_str()),
        ("Contoso Taiwan", "TW123")
    );
    assert_eq!(s.lines[1].text, "a/b split");
    assert_eq!(
        (s.lines[1].payer.as_str(), s.lines[1].to_account.as_str()),
        ("林美玲", "99880012 0003")
    );
}

/// The Taiwanese export opened in Excel and saved again: the virtual account (a long
/// number) became `9.988E+11` and the memo's number `2.02600E+07`. Each such cell is
/// refused on its line and column, and nothing else of the file is read as it stands.
#[test]
fn a_bank_csv_whose_long_numbers_a_spreadsheet_rounded_is_refused_on_their_cells() {
    let resaved = TW_CSV
        .replace("INV 2026-0012,99880012 0003", "2.02600E+07,9.988E+11")
        .replace(
            "115/03/06,ATM轉入,,\"5,000.00\",\"117,315\",,,",
            "115/03/06,ATM轉入,,\"5,000.00\",\"117,315\",,9.98800E+11,",
        );
    let Err(Error::Import { problems, .. }) =
        parse("tw.csv", resaved.as_bytes(), None, Some(&tw_map()))
    else {
        panic!("a rounded account or memo is refused");
    };
    let found: Vec<(u64, &str, Code)> = problems
        .iter()
        .map(|p| (p.line, p.field.as_str(), p.code))
        .collect();
    assert_eq!(
        found,
        [
            (4, "account", Code::SpreadsheetExponent),
            (4, "text", Code::SpreadsheetExponent),
            (6, "account", Code::SpreadsheetExponent),
        ]
    );
    assert!(problems[0].message.contains("9.988E+11"), "{problems:?}");
    // Numbers written out in full are read as before.
    let kept = TW_CSV.replace("INV 2026-0012", "20260012");
    let s = parse("tw.csv", kept.as_bytes(), None, Some(&tw_map())).unwrap();
    assert_eq!(s.lines[0].text, "20260012");
}

/// The day's account report (camt.052) and a credit notification (camt.054) carry their
/// entries as the statement does: the same lines, the same account.
#[test]
fn camt_052_reports_and_054_notifications_read_as_the_statement() {
    let statement = parse("s.xml", CAMT.as_bytes(), None, None).unwrap();
    for (version, message, block) in [
        ("camt.052.001.08", "BkToCstmrAcctRpt", "Rpt"),
        ("camt.054.001.02", "BkToCstmrDbtCdtNtfctn", "Ntfctn"),
    ] {
        let text = CAMT
            .replace("camt.053.001.08", version)
            .replace("BkToCstmrStmt", message)
            .replace("<Stmt>", &format!("<{block}>"))
            .replace("</Stmt>", &format!("</{block}>"));
        assert_eq!(detect(&text), Format::Camt053, "{version}");
        let read = parse("r.xml", text.as_bytes(), None, None).unwrap();
        assert_eq!(read, statement, "{version}");
    }
}

/// The interim report (MT942): its currency from the floor limit, no balances, its totals at
/// the end; a statement after it in the file gives its own currency.
#[test]
fn mt942_interim_reports_read_with_the_floor_limit_s_currency() {
    let text = "{1:F01BANKTWTPAXXX0000000000}{2:I942BANKTWTPXXXXN}{4:\r
:20:INTERIM-1\r
:25:808/0123456789\r
:28C:00012/001\r
:34F:USDD0,\r
:34F:USDC0,\r
:13D:2611021200+0800\r
:61:2611021102CD1215,00NTRFNONREF//U-1\r
:86:DOLLAR INC US-7\r
:90D:0USD0,\r
:90C:1USD1215,00\r
-}";
    let s = parse("i.sta", text.as_bytes(), None, None).unwrap();
    assert_eq!(s.account, "808/0123456789");
    assert_eq!(s.lines.len(), 1);
    let usd = Currency::parse("USD").unwrap();
    assert_eq!(s.lines[0].amount, Money::new(121_500, usd));
    assert_eq!(s.lines[0].reference, "U-1");
    // An MT940 statement after it, in New Taiwan dollars; one without its balance is cut.
    let both = format!("{text}\r\n{MT940}");
    let s = parse("b.sta", both.as_bytes(), None, None).unwrap();
    assert_eq!(s.lines.len(), 4);
    assert_eq!(s.lines[1].amount, twd(1_234_500));
    let cut = &MT940[..MT940.find(":62F:").unwrap()];
    assert_eq!(
        problems(parse("c.sta", cut.as_bytes(), None, None))[0].code,
        Code::Truncated
    );
}
