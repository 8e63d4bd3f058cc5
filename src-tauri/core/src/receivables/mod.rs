//! Receivables: invoices the reseller issued, payments and credit notes, their
//! allocation, payments returned, write-offs, disputes, promises to pay, aging and statements.
//!
//! What a customer owes on an invoice as of a date is its total, less what payments
//! received by that date were allocated to it, less what was written off by then.

mod aging;
mod invoices;
mod methods;
mod open_items;
mod open_items_csv;
mod payments;
mod prepayments;
mod promises;
mod returns;
mod statements;

pub use aging::*;
pub use invoices::*;
pub use methods::{method_in, method_words};
pub use open_items::*;
pub use open_items_csv::{export_open_items, OPEN_ITEM_COLUMNS};
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

/// Finds a customer by RiskDesk id, tenant id, legal name or tax id, in that order (for
/// imports; `names` matches a name written any way, `taxes` a tax id however written, and
/// each only one customer).
pub fn resolve_customer(
    conn: &Connection,
    names: &customer::NameIndex,
    taxes: &customer::TaxIndex,
    text: &str,
) -> Result<Option<CustomerId>> {
    let t = text.trim();
    if let Ok(id) = t.parse::<i64>() {
        let known: Option<CustomerId> = conn
            .query_row("SELECT id FROM customers WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()?;
        if known.is_some() {
            return Ok(known);
        }
    }
    if let Some(c) = customer::find_by_tenant(conn, &t.to_ascii_lowercase())? {
        return Ok(Some(c.id));
    }
    // A tax id only where no customer has the name: never a stand-in for a name that
    // matched several customers.
    Ok(match names.find(t)[..] {
        [one] => Some(one),
        [] => match taxes.get(t)[..] {
            [one] => Some(one),
            _ => None,
        },
        _ => None,
    })
}
