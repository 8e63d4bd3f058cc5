//! Fixtures the tests share (the `test-support` feature; never in the program): a clock, a
//! book with a letterhead, a customer with an Azure plan, an invoice, a payment and a
//! dunning run, each committed in a transaction of its own.

pub mod camt;
pub mod smtp;
pub mod zip;

use chrono::{NaiveDate, TimeZone, Utc};
use rusqlite::Connection;

use crate::collections::{self, Exclusions, RunRecord};
use crate::customer::{self, CustomerInput};
use crate::ids::{CustomerId, InvoiceId};
use crate::money::{Currency, Money};
use crate::receivables::{self, InvoiceKind, InvoiceLine, NewInvoice, NewPayment, PaymentKind};
use crate::store::{self, settings, DbKey};
use crate::subscription::{self, SubscriptionInput};
use crate::Ctx;

/// 2026-11-25 09:00 UTC, by "tester".
pub fn ctx() -> Ctx {
    Ctx::new(
        "tester",
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
    )
}

/// 09:00 UTC on `day`: a clock for work dated after [`ctx`]'s day.
pub fn ctx_on(day: NaiveDate) -> Ctx {
    Ctx::new(
        "tester",
        Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).unwrap()),
    )
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn cur(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

/// A new, empty encrypted book in a folder of its own (removed when the first value drops).
pub fn book() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = store::create(&dir.path().join("r.db"), &DbKey::generate().unwrap()).unwrap();
    (dir, conn)
}

/// The one value a query without parameters gives (a count, a sum, a field).
#[track_caller]
pub fn scalar<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> T {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The account totals the triggers keep (migration 0023) and the same totals summed afresh
/// from the invoices, payments and returns, each as one line of text to compare.
pub fn account_totals_kept_and_fresh(conn: &Connection) -> (String, String) {
    let kept = scalar(
        conn,
        "SELECT COALESCE(group_concat(line, ' '), '') FROM (
             SELECT customer_id || ':' || currency || ':' || invoiced_minor || ':' || written_off_minor
                    || ':' || paid_minor || ':' || returned_minor AS line
             FROM account_totals ORDER BY customer_id, currency)",
    );
    let fresh = scalar(
        conn,
        "SELECT COALESCE(group_concat(line, ' '), '') FROM (
             SELECT customer_id || ':' || currency || ':' || sum(inv) || ':' || sum(wo) || ':'
                    || sum(paid) || ':' || sum(ret) AS line
             FROM (SELECT customer_id, currency, total_minor AS inv,
                          CASE WHEN written_off_on IS NOT NULL THEN written_off_minor ELSE 0 END AS wo,
                          0 AS paid, 0 AS ret FROM invoices
                   UNION ALL SELECT customer_id, currency, 0, 0, amount_minor, 0 FROM payments
                   UNION ALL SELECT p.customer_id, p.currency, 0, 0, 0, p.amount_minor
                             FROM payment_returns r JOIN payments p ON p.id = r.payment_id)
             GROUP BY customer_id, currency ORDER BY customer_id, currency)",
    );
    (kept, fresh)
}

/// A new encrypted book whose letterhead has a name (a dunning run needs one).
pub fn ledger_db() -> (tempfile::TempDir, Connection) {
    let (dir, mut conn) = book();
    let tx = conn.transaction().unwrap();
    settings::set(&tx, &ctx(), "letterhead.name", "Reseller Ltd").unwrap();
    tx.commit().unwrap();
    (dir, conn)
}

/// An active customer in `country`, invoiced in `currency`, with an Azure plan whose
/// Partner Center id ends with the customer's id (`aaaaaaaa-bbbb-4ccc-8ddd-000000000001`).
pub fn customer(conn: &mut Connection, name: &str, currency: &str, country: &str) -> CustomerId {
    let tx = conn.transaction().unwrap();
    let c = customer::create(&tx, &ctx(), &customer_input(name, currency, country)).unwrap();
    subscription::add(
        &tx,
        &ctx(),
        c.id,
        &SubscriptionInput {
            offer: "Azure plan".into(),
            pc_subscription_id: format!("aaaaaaaa-bbbb-4ccc-8ddd-{:012}", c.id),
            quantity: "1".into(),
            monthly_price: "100".into(),
            start_on: "2026-01-01".into(),
            ..Default::default()
        },
    )
    .unwrap();
    tx.commit().unwrap();
    c.id
}

/// An active customer's form: English letters, 30 days to pay, bank transfer, no admin
/// access.
pub fn customer_input(name: &str, currency: &str, country: &str) -> CustomerInput {
    CustomerInput {
        legal_name: name.into(),
        country: country.into(),
        currency: currency.into(),
        language: "en".into(),
        payment_terms_days: "30".into(),
        payment_instrument: "bank_transfer".into(),
        admin_access: "none".into(),
        status: "active".into(),
        ..Default::default()
    }
}

/// The `i`-th customer of a large book (benchmarks): even ones Taiwanese with Chinese
/// letters, odd ones with English letters, in New Taiwan dollars.
pub fn numbered_customer(i: i64) -> CustomerInput {
    let name = if i % 2 == 0 {
        format!("台北測試客戶 {i:05} 股份有限公司")
    } else {
        format!("Benchmark Customer {i:05} LLC")
    };
    CustomerInput {
        address: "台北市信義區松仁路100號".into(),
        language: if i % 2 == 0 { "zh-TW" } else { "en" }.into(),
        ..customer_input(&name, "TWD", "TW")
    }
}

/// An invoice of one line, "Azure usage" at `minor` (change what a test needs with
/// `NewInvoice { .., ..new_invoice(..) }`); `due_on` None: the customer's terms.
pub fn new_invoice(
    number: &str,
    cid: CustomerId,
    issued_on: NaiveDate,
    due_on: Option<NaiveDate>,
    minor: i64,
    currency: &str,
) -> NewInvoice {
    NewInvoice {
        number: number.into(),
        customer_id: cid,
        kind: InvoiceKind::Invoice,
        issued_on,
        due_on,
        currency: cur(currency),
        lines: vec![line("Azure usage", 1, minor)],
        requires_prepayment: false,
    }
}

/// An invoice line not tied to a subscription.
pub fn line(description: &str, quantity: i64, unit_price_minor: i64) -> InvoiceLine {
    InvoiceLine {
        description: description.into(),
        quantity,
        unit_price_minor,
        subscription_id: None,
    }
}

/// A one-line invoice ("Azure usage"), committed.
pub fn invoice(
    conn: &mut Connection,
    cid: CustomerId,
    number: &str,
    (issued, due): (NaiveDate, NaiveDate),
    minor: i64,
    currency: &str,
) -> InvoiceId {
    let tx = conn.transaction().unwrap();
    let new = new_invoice(number, cid, issued, Some(due), minor, currency);
    let inv = receivables::insert_invoice(&tx, &ctx(), &new).unwrap();
    tx.commit().unwrap();
    inv.id
}

/// A Taiwanese customer in arrears on two invoices: NT$60,000 due 2026-06-30 (`HL-1`) and
/// NT$40,000.01 due 2026-07-31 (`HL-2`).
pub fn arrears(conn: &mut Connection, name: &str) -> (CustomerId, Vec<InvoiceId>) {
    let c = customer(conn, name, "TWD", "TW");
    let a = invoice(
        conn,
        c,
        "HL-1",
        (d(2026, 5, 31), d(2026, 6, 30)),
        6_000_000,
        "TWD",
    );
    let b = invoice(
        conn,
        c,
        "HL-2",
        (d(2026, 7, 1), d(2026, 7, 31)),
        4_000_001,
        "TWD",
    );
    (c, vec![a, b])
}

/// A bank-transfer payment of `amount` received `on`, for the oldest invoices.
pub fn payment(cid: CustomerId, reference: &str, on: NaiveDate, amount: Money) -> NewPayment {
    NewPayment {
        customer_id: cid,
        kind: PaymentKind::Payment,
        received_on: on,
        amount,
        method: "bank transfer".into(),
        reference: reference.into(),
        invoice_number: None,
    }
}

/// A bank-transfer [`payment`], allocated to the oldest invoices (recorded on its own day
/// when that is after [`ctx`]'s).
pub fn pay(conn: &mut Connection, cid: CustomerId, reference: &str, on: NaiveDate, amount: Money) {
    let tx = conn.transaction().unwrap();
    receivables::record_payment(
        &tx,
        &ctx_on(on.max(ctx().today)),
        &payment(cid, reference, on, amount),
    )
    .unwrap();
    tx.commit().unwrap();
}

/// The default policy as the window's form would send it back unchanged (no fees, no
/// minimum), to edit in a test.
pub fn policy_input(conn: &Connection) -> collections::PolicyInput {
    let p = collections::policy(conn, collections::default_policy_id(conn).unwrap()).unwrap();
    collections::PolicyInput {
        id: p.id,
        name: p.name.clone(),
        grace_days: p.grace_days.to_string(),
        min_overdue: Vec::new(),
        levels: p
            .levels
            .iter()
            .map(|l| collections::LevelInput {
                id: l.id,
                days_after_due: l.days_after_due.to_string(),
                name_en: l.name_en.clone(),
                name_zh: l.name_zh.clone(),
                actions: l.actions.iter().map(|a| a.as_str().to_string()).collect(),
                letter_en: l.letter_en.clone(),
                letter_zh: l.letter_zh.clone(),
                late_fees: Vec::new(),
                interest: collections::rate_text(l.interest_bp)
                    .trim_end_matches('%')
                    .to_string(),
                ..Default::default()
            })
            .collect(),
    }
}

/// Saves a policy as the window does, committed.
pub fn save_policy(
    conn: &mut Connection,
    input: &collections::PolicyInput,
) -> crate::Result<collections::Policy> {
    let tx = conn.transaction().unwrap();
    let p = collections::save_policy(&tx, &ctx(), &input.parse()?)?;
    tx.commit().unwrap();
    Ok(p)
}

/// Executes the dunning plan as of `as_of` (documents to "out"); None when it had nothing
/// to do.
pub fn run(conn: &mut Connection, as_of: NaiveDate) -> Option<RunRecord> {
    let tx = conn.transaction().unwrap();
    let r = collections::execute(&tx, &ctx(), as_of, &Exclusions::default(), None, "out").unwrap();
    tx.commit().unwrap();
    r
}

/// Imports a bank statement file as of [`ctx`]'s day, committed when it is taken (all or
/// nothing, as the window and the CLI do).
pub fn import_statement(
    conn: &mut Connection,
    f: &crate::bank::StatementFile,
) -> crate::Result<crate::bank::ImportedStatement> {
    let tx = conn.transaction().unwrap();
    let r = crate::bank::import_statement(&tx, &ctx(), f);
    if r.is_ok() {
        tx.commit().unwrap();
    }
    r
}

/// Every problem of a refused import: its line, field and code, in order. Panics when the
/// work was accepted or failed otherwise.
#[track_caller]
pub fn problem_places<T: std::fmt::Debug>(
    r: crate::Result<T>,
) -> Vec<(u64, String, crate::error::Code)> {
    match r {
        Err(crate::Error::Import { problems, .. }) => problems
            .iter()
            .map(|p| (p.line, p.field.clone(), p.code))
            .collect(),
        other => panic!("expected an import problem, got {other:?}"),
    }
}

/// The first problem of a refused import: its line, field and code. Panics when the work
/// was accepted or failed otherwise.
#[track_caller]
pub fn first_problem<T: std::fmt::Debug>(r: crate::Result<T>) -> (u64, String, crate::error::Code) {
    match r {
        Err(crate::Error::Import { problems, .. }) if !problems.is_empty() => {
            let p = &problems[0];
            (p.line, p.field.clone(), p.code)
        }
        other => panic!("expected an import problem, got {other:?}"),
    }
}

/// Bytes a damaged file holds where it should not: separators, quotes, line ends, a NUL,
/// bytes no UTF-8 text has (a Big5 lead byte among them), signs, digits, brackets.
pub const DAMAGE: &[u8] = b",;\t\"\r\n\x00\xff\xe4\xa4-.E9/:{}[]\\$ 0";

/// `bytes` with a few of them changed, put in or taken out: each edit is (what: 0 change,
/// 1 insert, 2 remove; where; which of [`DAMAGE`]), its numbers taken modulo what fits.
pub fn damaged(bytes: &[u8], edits: &[(u8, usize, usize)]) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    for (kind, at, with) in edits {
        let b = DAMAGE[with % DAMAGE.len()];
        let i = at % (bytes.len() + 1);
        match kind % 3 {
            0 if i < bytes.len() => bytes[i] = b,
            1 => bytes.insert(i, b),
            _ if i < bytes.len() => {
                bytes.remove(i);
            }
            _ => {}
        }
    }
    bytes
}

/// The days written `2026-12-06` in `text`: a reader's text (an alert's, a risk reason's)
/// says days as [`crate::dates::date_text`] does, in each language.
pub fn iso_days(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (0..b.len().saturating_sub(9))
        .filter(|&i| {
            digits(i..i + 4)
                && b[i + 4] == b'-'
                && digits(i + 5..i + 7)
                && b[i + 7] == b'-'
                && digits(i + 8..i + 10)
                && (i == 0 || !b[i - 1].is_ascii_digit())
                && b.get(i + 10).is_none_or(|c| !c.is_ascii_digit())
        })
        .map(|i| &text[i..i + 10])
        .collect()
}

/// The texts an alert's evidence explains itself with, in each language.
pub const ALERT_TEXTS: [&str; 6] = [
    "explain_en",
    "explain_zh",
    "risk_en",
    "risk_zh",
    "action_en",
    "action_zh",
];

/// Panics, naming the alert and the text, where an alert's title or its explanation, risk
/// or action (in either language) writes a day `2026-12-06`.
#[track_caller]
pub fn assert_alerts_say_days_as_read(alerts: &[crate::usage::alerts::Alert]) {
    for a in alerts {
        let evidence = ALERT_TEXTS.map(|k| a.evidence[k].as_str().unwrap_or(""));
        for text in [a.title_en.as_str(), a.title_zh.as_str()]
            .iter()
            .chain(&evidence)
        {
            assert!(
                iso_days(text).is_empty(),
                "alert {} ({}): {text}",
                a.id,
                a.kind
            );
        }
    }
}
