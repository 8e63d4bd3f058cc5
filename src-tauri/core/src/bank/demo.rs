//! The demo company's bank statement: a Taiwanese bank's CSV export (ROC dates, deposits and
//! withdrawals in columns of their own), imported through the same path as a real one, so
//! the Bank page opens with lines to review: some sure, two likely (one from a payer the bank
//! printed with part of the name hidden), one nobody can place.

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::Transaction;

use super::{import_statement, CsvMap, StatementFile};
use crate::money::Money;
use crate::{Ctx, Result};

/// The demo's bank account.
pub const DEMO_ACCOUNT: &str = "玉山銀行 0123-456-789012";

fn roc(d: NaiveDate) -> String {
    format!("{}/{:02}/{:02}", d.year() - 1911, d.month(), d.day())
}

/// An open invoice in New Taiwan dollars: number, owed, legal name, virtual account and
/// contact person.
type Open = (String, i64, String, String, String);

/// Open invoices in New Taiwan dollars, one per customer, oldest first.
fn open_invoices(tx: &Transaction) -> Result<Vec<Open>> {
    let rows: Vec<Open> = crate::store::rows(
        tx,
        "SELECT i.number,
                i.total_minor - i.written_off_minor - COALESCE((SELECT sum(amount_minor) FROM kept_allocations WHERE invoice_id = i.id), 0) AS owed,
                c.legal_name, c.virtual_account, c.contact_name
         FROM invoices i JOIN customers c ON c.id = i.customer_id
         WHERE i.settled_on = '9999-12-31' AND i.currency = 'TWD' AND i.disputed = 0
           AND i.id = (SELECT min(j.id) FROM invoices j WHERE j.customer_id = i.customer_id
                       AND j.settled_on = '9999-12-31' AND j.currency = 'TWD' AND j.disputed = 0)
         ORDER BY i.due_on, i.id",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    Ok(rows.into_iter().filter(|r| r.1 > 0).collect())
}

pub fn load(tx: &Transaction, ctx: &Ctx, today: NaiveDate) -> Result<()> {
    let open = open_invoices(tx)?;
    let twd = |minor: i64| {
        Money::new(minor, crate::money::Currency::parse("TWD").expect("TWD")).to_plain()
    };
    let mut rows = vec![
        format!("帳號：{DEMO_ACCOUNT}"),
        "交易日期,摘要,支出金額,存入金額,備註,虛擬帳號,匯款人".to_string(),
    ];
    let day = |n: i64| roc(today - Duration::days(n));
    let mut with_account = open.iter().filter(|r| !r.3.is_empty());
    // Sure: the remittance text names the invoice, the whole amount.
    if let Some((number, owed, name, _, _)) = with_account.next() {
        rows.push(format!(
            "{},跨行轉入,,{},{number},,{name}",
            day(3),
            twd(*owed)
        ));
    }
    // Sure: on the customer's virtual account, the amount of its open invoice.
    if let Some((_, owed, _, va, _)) = with_account.next() {
        rows.push(format!("{},ATM轉入,,{},,{va},", day(2), twd(*owed)));
    }
    // Sure with a wire fee: the invoice named, NT$30 short.
    if let Some((number, owed, _, _, _)) = with_account.next().filter(|r| r.1 > 10_000) {
        rows.push(format!(
            "{},跨行轉入,,{},Payment {number},,",
            day(2),
            twd(owed - 3_000)
        ));
    }
    // Likely: no reference, the payer's name written without its legal suffix.
    if let Some((_, owed, name, _, _)) = with_account.next() {
        let short = name.replace("股份有限公司", "").replace("有限公司", "");
        rows.push(format!("{},跨行轉入,,{},,,{short}", day(1), twd(*owed)));
    }
    // Likely: the owner paid from a personal account, and the bank hid the middle of the
    // name (`林*芬`): the customer's contact person.
    let three_chinese = |c: &str| c.chars().count() == 3 && !c.is_ascii();
    if let Some((_, owed, _, _, contact)) = with_account.find(|r| three_chinese(&r.4)) {
        let shown: Vec<char> = contact.chars().collect();
        let masked = format!("{}*{}", shown[0], shown[2]);
        rows.push(format!("{},跨行轉入,,{},,,{masked}", day(1), twd(*owed)));
    }
    // Unsure: nobody can place it; and the bank's own fee, outgoing.
    rows.push(format!("{},現金存入,,1000,,,陳先生", day(1)));
    rows.push(format!("{},跨行手續費,15,,,,", day(1)));
    let text = rows.join("\n") + "\n";
    let map = CsvMap::parse_spec(
        "date=交易日期,credit=存入金額,debit=支出金額,text=備註,account=虛擬帳號,payer=匯款人,date-format=roc",
    )?;
    import_statement(
        tx,
        ctx,
        &StatementFile {
            file: "demo-esun-statement.csv",
            bytes: text.as_bytes(),
            format: None,
            account: DEMO_ACCOUNT,
            map: Some(map),
        },
    )?;
    Ok(())
}
