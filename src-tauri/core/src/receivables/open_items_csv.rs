//! The open items as a spreadsheet's CSV, for the accountant: every invoice with something
//! owed on a day, as the aging counts it, one row each.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::{open_items, BucketEdges};
use crate::csv_out::Sheet;
use crate::Result;

/// The columns of [`export_open_items`], in order.
pub const OPEN_ITEM_COLUMNS: &[&str] = &[
    "customer_id",
    "customer",
    "invoice",
    "kind",
    "issued_on",
    "due_on",
    "currency",
    "total",
    "paid",
    "open",
    "days_overdue",
    "bucket",
    "status",
    "requires_prepayment",
];

/// Writes to `out` every invoice issued by `as_of` with something owed on it that day
/// (payments, credit notes and write-offs by that day counted, as the aging does), the
/// customers by name, the oldest due first. Amounts are in major units with the currency's
/// decimals and a point (`1234.50`), so a spreadsheet adds them: `paid` is what payments and
/// credit notes by that day paid of it (an invoice written off by then owes nothing and is
/// not listed), so `total` = `paid` + `open` on every row, and `open` summed per currency
/// and bucket is the aging's. The bucket is named by `edges` as the aging page names it (`current`, `1-30`,
/// `31-60`, `61-90`, `over 90`). Returns how many invoices were written.
pub fn export_open_items<W: std::io::Write>(
    conn: &Connection,
    as_of: NaiveDate,
    edges: BucketEdges,
    out: W,
) -> Result<usize> {
    crate::dates::check_field("as_of", as_of)?;
    let edges = edges.validate()?;
    let mut items = open_items(conn, as_of, None)?;
    let names: std::collections::HashMap<i64, String> =
        crate::store::rows(conn, "SELECT id, legal_name FROM customers", [], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
    items.sort_by(|a, b| {
        (a.due_on, a.issued_on, &a.number).cmp(&(b.due_on, b.issued_on, &b.number))
    });
    let labels = edges.labels();
    let mut sheet = Sheet::new(out, OPEN_ITEM_COLUMNS)?;
    for item in &items {
        let currency = item.total.currency;
        let paid = crate::money::Money::new(item.paid_minor, currency);
        let bucket = edges.bucket(item.days_overdue);
        sheet.row(&[
            item.customer_id.0.to_string(),
            names.get(&item.customer_id.0).cloned().unwrap_or_default(),
            item.number.clone(),
            item.kind.as_str().to_string(),
            item.issued_on.to_string(),
            item.due_on.to_string(),
            currency.code().to_string(),
            item.total.to_plain(),
            paid.to_plain(),
            item.due.to_plain(),
            item.days_overdue.max(0).to_string(),
            labels[bucket].clone(),
            item.status().as_str().to_string(),
            if item.requires_prepayment {
                "yes"
            } else {
                "no"
            }
            .to_string(),
        ])?;
    }
    sheet.finish()?;
    Ok(items.len())
}
