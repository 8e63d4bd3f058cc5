//! Receivables: invoices the reseller issued, payments and credit notes, their
//! allocation, payments returned, write-offs, disputes, promises to pay, aging and statements.
//!
//! What a customer owes on an invoice as of a date is its total, less what payments
//! received by that date were allocated to it, less what was written off by then.

mod aging;
mod invoices;
mod open_items;
mod payments;
mod prepayments;
mod promises;
mod returns;
mod statements;

pub use aging::*;
pub use invoices::*;
pub use open_items::*;
pub use payments::*;
pub use prepayments::*;
pub use promises::*;
pub use returns::*;
pub use statements::*;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::customer;
use crate::ids::CustomerId;
use crate::text_enum::text_enum;
use crate::Result;

text_enum!(
    InvoiceKind {
        Invoice = "invoice",
        Charge = "charge",
    }
);

text_enum!(
    PaymentKind {
        Payment = "payment",
        CreditNote = "credit_note",
    }
);

text_enum!(
    InvoiceStatus {
        Open = "open",
        PartlyPaid = "partly_paid",
        Paid = "paid",
        WrittenOff = "written_off",
        Disputed = "disputed",
    }
);

pub fn date_text(d: NaiveDate) -> String {
    crate::dates::iso_day(d, str::to_string)
}

/// Finds a customer by RiskDesk id, tenant id or legal name (for imports; `names` matches
/// a name written any way, and only one customer of that name).
pub fn resolve_customer(
    conn: &Connection,
    names: &customer::NameIndex,
    text: &str,
) -> Result<Option<CustomerId>> {
    let t = text.trim();
    if let Ok(id) = t.parse::<i64>() {
        return Ok(conn
            .query_row("SELECT id FROM customers WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()?);
    }
    if let Some(c) = customer::find_by_tenant(conn, &t.to_ascii_lowercase())? {
        return Ok(Some(c.id));
    }
    Ok(match names.get(t) {
        [one] => Some(*one),
        _ => None,
    })
}
