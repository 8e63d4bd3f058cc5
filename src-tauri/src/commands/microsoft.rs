//! The credit line with Microsoft from the window: the line's settings, Microsoft's invoices
//! (typed, marked paid; imported through the import dialog as `ms_invoices`), and the
//! headroom with each customer's cash gap. Changes go through a [`Host`]; reads take a
//! connection and the context.

use riskdesk_core::microsoft::headroom::{self, Headroom};
use riskdesk_core::microsoft::invoices::{self, MsInvoice, MsInvoiceInput};
use riskdesk_core::microsoft::{CreditLine, CreditLineInput};
use riskdesk_core::Ctx;
use rusqlite::Connection;

use crate::error::ApiError;
use crate::host::{date_arg, text_arg, Host};

pub fn save_credit_line(h: &mut Host, input: &CreditLineInput) -> Result<CreditLine, ApiError> {
    for (field, value) in [
        ("limit", &input.limit),
        ("currency", &input.currency),
        ("terms_days", &input.terms_days),
        ("thresholds", &input.thresholds),
    ] {
        text_arg(field, value, 100)?;
    }
    let line = input.parse()?;
    h.tx(|tx, ctx| line.save(tx, ctx))?;
    Ok(line)
}

pub fn list(conn: &Connection) -> Result<Vec<MsInvoice>, ApiError> {
    Ok(invoices::list(conn)?)
}

pub fn add(h: &mut Host, input: &MsInvoiceInput) -> Result<MsInvoice, ApiError> {
    for (field, value) in [
        ("number", &input.number),
        ("invoice_date", &input.invoice_date),
        ("amount", &input.amount),
        ("currency", &input.currency),
        ("due_on", &input.due_on),
        ("paid_on", &input.paid_on),
    ] {
        text_arg(field, value, 100)?;
    }
    let terms = CreditLine::load(h.conn)?.terms_days;
    h.tx(|tx, ctx| invoices::add(tx, ctx, input, terms))
}

/// Records the day an invoice was paid (`paid_on` empty: not paid).
pub fn set_paid(h: &mut Host, number: &str, paid_on: &str) -> Result<MsInvoice, ApiError> {
    text_arg("number", number, 64)?;
    let day = if paid_on.trim().is_empty() {
        None
    } else {
        Some(date_arg("paid_on", paid_on)?)
    };
    h.tx(|tx, ctx| invoices::set_paid(tx, ctx, number, day))
}

/// The line today, each customer's gap with it.
pub fn get_headroom(conn: &Connection, ctx: &Ctx) -> Result<Headroom, ApiError> {
    Ok(headroom::headroom(conn, ctx.today)?)
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use super::*;

    crate::commands::read_commands! {
        list_ms_invoices() -> Vec<MsInvoice> = |conn, _| list(conn);
        get_microsoft_headroom() -> Headroom = |conn, ctx| get_headroom(conn, &ctx);
    }

    crate::commands::host_commands! {
        set_credit_line(input: CreditLineInput) -> CreditLine = |h| save_credit_line(h, &input);
        add_ms_invoice(input: MsInvoiceInput) -> MsInvoice = |h| add(h, &input);
        set_ms_invoice_paid(number: String, paid_on: String) -> MsInvoice
            = |h| set_paid(h, &number, &paid_on);
    }
}
