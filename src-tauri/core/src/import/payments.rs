//! Payment CSV import: `reference, customer, received_on, amount, currency, method, kind,
//! invoice`. `customer` is a RiskDesk id, a tenant id, the legal name (written any way) or
//! the tax id. All or nothing; re-importing the same file changes nothing.

use super::sheet::{customer_and_currency, date, get, read_sheet};
use super::{write_each, ImportSummary, Written};
use crate::ids::CustomerId;
use std::collections::HashMap;
use std::io::Read;

use rusqlite::Transaction;

use crate::error::{Code, ImportProblem};
use crate::money::Money;
use crate::receivables::{self, NewPayment, PaymentKind};
use crate::{Ctx, Error, FieldError, Result};

pub const PAYMENT_COLUMNS: &[&str] = &[
    "reference",
    "customer",
    "received_on",
    "amount",
    "currency",
    "method",
    "kind",
    "invoice",
];

/// Imports payments and credit notes inside `tx`; the caller commits.
pub fn import_payments(
    tx: &Transaction,
    ctx: &Ctx,
    file: &str,
    reader: impl Read,
    progress: impl FnMut(usize, usize),
) -> Result<ImportSummary> {
    let sheet = read_sheet(
        file,
        reader,
        PAYMENT_COLUMNS,
        &["reference", "customer", "received_on", "amount", "currency"],
    )?;
    let names = crate::customer::NameIndex::load(tx)?;
    let taxes = crate::customer::TaxIndex::load(tx)?;
    let mut problems = Vec::new();
    let mut payments = Vec::new();
    let mut seen: HashMap<(CustomerId, PaymentKind, String), u64> = HashMap::new();
    for (line, row) in &sheet.rows {
        // Every field is checked, so one pass reports all of a row's problems.
        let mut bad = |e: FieldError| problems.push(ImportProblem::at(*line, e));
        let (customer_id, currency) = customer_and_currency(tx, &names, &taxes, row, &mut bad)?;
        let received_on = date("received_on", get(row, "received_on"))
            .map_err(&mut bad)
            .ok();
        let amount = match currency.map(|c| Money::written(get(row, "amount"), c)) {
            Some(Ok(m)) if m.minor > 0 => Some(m),
            Some(Ok(_)) => {
                bad(FieldError::new(
                    "amount",
                    Code::NotPositive,
                    "must be more than zero",
                ));
                None
            }
            Some(Err(e)) => {
                bad(e.field("amount"));
                None
            }
            None => None,
        };
        let kind = match get(row, "kind") {
            "" => Some(PaymentKind::Payment),
            // As the window labels it too (`Credit note`, `折讓單`, `付款`).
            k => crate::text_enum::written(
                k,
                PaymentKind::ALL,
                PaymentKind::as_str,
                &[
                    ("付款", PaymentKind::Payment),
                    ("收款", PaymentKind::Payment),
                    ("折讓", PaymentKind::CreditNote),
                    ("折讓單", PaymentKind::CreditNote),
                    ("銷貨折讓", PaymentKind::CreditNote),
                ],
                || PaymentKind::field("kind", k),
            )
            .map_err(&mut bad)
            .ok(),
        };
        let reference = get(row, "reference").to_string();
        if reference.is_empty() {
            bad(FieldError::new("reference", Code::Required, "required"));
        } else if crate::identity::is_spreadsheet_exponent(&reference) {
            bad(receivables::exponent_problem("reference", &reference));
        }
        let (Some(customer_id), Some(received_on), Some(amount), Some(kind)) =
            (customer_id, received_on, amount, kind)
        else {
            continue;
        };
        if reference.is_empty() {
            continue;
        }
        let key = crate::identity::reference_key(&reference);
        if let Some(first) = seen.insert((customer_id, kind, key), *line) {
            bad(FieldError::new(
                "reference",
                Code::DuplicateInFile,
                format!("the same {kind} is already on line {first}"),
            )
            .with("line", first));
            continue;
        }
        let invoice = Some(get(row, "invoice").to_string()).filter(|s| !s.is_empty());
        payments.push((
            *line,
            NewPayment {
                customer_id,
                kind,
                received_on,
                amount,
                method: get(row, "method").to_string(),
                reference,
                invoice_number: invoice,
            },
        ));
    }
    Error::refuse_if_any(file, problems)?;
    // Recorded in the order received (a bank's export may list the newest first): each then
    // pays the oldest invoices still open, and none takes an invoice back from a later one.
    payments.sort_by_key(|(line, p)| (p.received_on, *line));
    let rows = payments.len();
    let mut corrections = 0;
    let mut summary =
        write_each(
            file,
            rows,
            payments,
            progress,
            |_, p| match receivables::payment_by_reference(tx, p.customer_id, p.kind, &p.reference)?
            {
                Some(existing)
                    if existing.amount == p.amount && existing.received_on == p.received_on =>
                {
                    Ok(Written::Unchanged)
                }
                Some(existing) => Err(Error::fields(FieldError::new(
                    "reference",
                    Code::AlreadyRecorded,
                    format!(
                        "{} {} is already recorded with another date or amount",
                        p.kind, existing.reference
                    ),
                ))),
                None => {
                    let paid = receivables::record_payment(tx, ctx, &p)?;
                    corrections += crate::collections::caused_by(tx, paid.id)?.len();
                    Ok(Written::Created)
                }
            },
        )?;
    summary.corrections = corrections;
    Ok(summary)
}
