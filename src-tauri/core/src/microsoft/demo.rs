//! The demo's credit line with Microsoft: a limit in New Taiwan dollars and Microsoft's
//! three latest monthly invoices (each issued on the 8th, due 60 days later), the oldest
//! paid, whatever day of the month the demo is made. The limit leaves the demo below its first
//! alert threshold even at a month's end, when the month's seats are billed on top of two
//! unpaid invoices. The owner's own exchange rates convert what the usage files' rates do not
//! (the currencies of customers without usage), so the credit line counts every customer.

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::Transaction;

use super::invoices::{self, MsInvoiceInput};
use super::CreditLineInput;
use crate::{Ctx, Result};

pub fn load(tx: &Transaction, ctx: &Ctx, today: NaiveDate) -> Result<()> {
    let line = CreditLineInput {
        limit: "8,000,000".into(),
        currency: "TWD".into(),
        terms_days: "60".into(),
        thresholds: "80,100".into(),
    }
    .parse()?;
    line.save(tx, ctx)?;
    let amounts = ["1480220.00", "1612480.35", "1705900.00"];
    // The latest invoice is the last 8th on or before today: before the 8th of a month, the
    // previous month's. Dating it from this month's 8th left the first week of each month
    // with two invoices, so the line's use jumped by one invoice on the day the oldest fell
    // due.
    let latest = latest_invoice_day(today);
    for (back, amount) in (0..3u32).rev().zip(amounts) {
        let Some(date) = latest.checked_sub_months(Months::new(back)) else {
            continue;
        };
        // The oldest was paid on its due date, or today when that is still to come (a day
        // early in a March after a short February).
        let due = date + chrono::Duration::days(line.terms_days);
        let paid = if back == 2 {
            due.min(today).to_string()
        } else {
            String::new()
        };
        invoices::add(
            tx,
            ctx,
            &MsInvoiceInput {
                number: format!(
                    "G{:04}{:02}-{:06}",
                    date.year(),
                    date.month(),
                    812_000 + back
                ),
                invoice_date: date.to_string(),
                amount: amount.into(),
                currency: "TWD".into(),
                due_on: String::new(),
                paid_on: paid,
            },
            line.terms_days,
        )?;
    }
    // Rates kept on the first of the month, as an owner copies them from the bank's board.
    let on = today.with_day(1).unwrap_or(today).to_string();
    for (from, rate) in [
        ("AUD", "21.30"),
        ("EUR", "35.23"),
        ("GBP", "41.25"),
        ("HKD", "4.1656"),
        ("JPY", "0.2146"),
        ("MYR", "7.31"),
        ("SGD", "24.18"),
        ("THB", "0.9038"),
    ] {
        crate::usage::rates::set(
            tx,
            ctx,
            &on,
            from,
            "TWD",
            rate,
            "Bank of Taiwan, spot selling",
        )?;
    }
    Ok(())
}

/// The last 8th of a month on or before `today`.
fn latest_invoice_day(today: NaiveDate) -> NaiveDate {
    let this_month = today.with_day(8).unwrap_or(today);
    if this_month <= today {
        this_month
    } else {
        this_month
            .checked_sub_months(Months::new(1))
            .unwrap_or(this_month)
    }
}
