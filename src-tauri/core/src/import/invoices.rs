//! Invoice CSV import (the reseller's accounting export): `number, customer, issued_on,
//! due_on, currency, description, quantity, unit_price, subscription,
//! requires_prepayment`; several rows with one number are the lines of one invoice.
//! `customer` is a RiskDesk id, a tenant id or the legal name (written any way). All or
//! nothing; re-importing the same file changes nothing.

use std::collections::BTreeMap;
use std::io::Read;

use rusqlite::Transaction;

use super::sheet::{customer_and_currency, date, get, read_sheet};
use super::{write_each, ImportSummary, Written};
use crate::error::{Code, ImportProblem};
use crate::money::Money;
use crate::receivables::{self, InvoiceKind, InvoiceLine, NewInvoice};
use crate::{Ctx, Error, FieldError, Result};

pub const INVOICE_COLUMNS: &[&str] = &[
    "number",
    "customer",
    "issued_on",
    "due_on",
    "currency",
    "description",
    "quantity",
    "unit_price",
    "subscription",
    "requires_prepayment",
];
struct InvoiceDraft {
    line: u64,
    new: NewInvoice,
}

/// Imports invoices inside `tx`; the caller commits. Nothing is written on error.
pub fn import_invoices(
    tx: &Transaction,
    ctx: &Ctx,
    file: &str,
    reader: impl Read,
    progress: impl FnMut(usize, usize),
) -> Result<ImportSummary> {
    let sheet = read_sheet(
        file,
        reader,
        INVOICE_COLUMNS,
        &[
            "number",
            "customer",
            "issued_on",
            "currency",
            "description",
            "unit_price",
        ],
    )?;
    let names = crate::customer::NameIndex::load(tx)?;
    let taxes = crate::customer::TaxIndex::load(tx)?;
    let mut problems = Vec::new();
    let mut drafts: BTreeMap<String, InvoiceDraft> = BTreeMap::new();
    let mut order = Vec::new();
    for (line, row) in &sheet.rows {
        let mut bad = |e: FieldError| problems.push(ImportProblem::at(*line, e));
        // Every field is checked, so a row with several problems reports them all.
        let number = get(row, "number").to_string();
        if number.is_empty() {
            bad(FieldError::new("number", Code::Required, "required"));
        } else if crate::identity::is_spreadsheet_exponent(&number) {
            bad(receivables::exponent_problem("number", &number));
        }
        let (customer_id, currency) = customer_and_currency(tx, &names, &taxes, row, &mut bad)?;
        let issued_on = date("issued_on", get(row, "issued_on"))
            .map_err(&mut bad)
            .ok();
        let due_on = match get(row, "due_on") {
            "" => Some(None),
            v => date("due_on", v).map(Some).map_err(&mut bad).ok(),
        };
        let quantity = match get(row, "quantity") {
            "" => Some(1),
            v => match crate::money::whole_number(v) {
                Some(q) if (1..=1_000_000_000).contains(&q) => Some(q),
                _ => {
                    bad(FieldError::new(
                        "quantity",
                        Code::InvalidQuantity,
                        "a whole number from 1",
                    ));
                    None
                }
            },
        };
        let unit = currency.and_then(|c| {
            Money::written(get(row, "unit_price"), c)
                .map(|m| m.minor)
                .map_err(|e| bad(e.field("unit_price")))
                .ok()
        });
        let description = get(row, "description").to_string();
        if description.is_empty() {
            bad(FieldError::new("description", Code::Required, "required"));
        }
        let subscription_id = match (get(row, "subscription"), customer_id) {
            ("", _) => Some(None),
            (_, None) => None,
            (pc, Some(cid)) => match tx.query_row(
                "SELECT id FROM subscriptions WHERE customer_id = ?1 AND pc_subscription_id = ?2",
                rusqlite::params![cid, pc.to_ascii_lowercase()],
                |r| r.get::<_, i64>(0),
            ) {
                Ok(id) => Some(Some(id)),
                Err(_) => {
                    bad(FieldError::new(
                        "subscription",
                        Code::NotFound,
                        format!("the customer has no subscription {pc}"),
                    )
                    .with("value", crate::import::shown(pc)));
                    None
                }
            },
        };
        let (
            false,
            Some(customer_id),
            Some(currency),
            Some(issued_on),
            Some(due_on),
            Some(quantity),
            Some(unit),
            false,
            Some(subscription_id),
        ) = (
            number.is_empty(),
            customer_id,
            currency,
            issued_on,
            due_on,
            quantity,
            unit,
            description.is_empty(),
            subscription_id,
        )
        else {
            continue;
        };
        let terms = crate::customer::get(tx, customer_id)?
            .fields
            .payment_terms_days;
        let due = match due_on {
            Some(d) => Some(d),
            None => crate::dates::add_days("due_on", issued_on, terms).ok(),
        };
        match due {
            None => {
                bad(FieldError::new(
                    "due_on",
                    Code::DateOutOfRange,
                    format!(
                        "the issue date plus {} of payment terms is after {}",
                        crate::english::count(terms, "day", "days"),
                        crate::dates::MAX
                    ),
                ));
                continue;
            }
            Some(d) if d < issued_on => {
                bad(FieldError::new(
                    "due_on",
                    Code::BeforeIssue,
                    "the due date is before the issue date",
                ));
                continue;
            }
            _ => {}
        }
        if unit.checked_mul(quantity).is_none() {
            bad(FieldError::new(
                "unit_price",
                Code::TooLarge,
                "quantity x unit price is too large",
            ));
            continue;
        }
        let Some(requires_prepayment) = crate::import::parse_bool(get(row, "requires_prepayment"))
        else {
            let v = crate::import::shown(get(row, "requires_prepayment"));
            bad(FieldError::new(
                "requires_prepayment",
                Code::InvalidYesNo,
                format!("{v:?}: use yes or no (also y/n, true/false, 1/0, 是/否; empty is no)"),
            )
            .with("value", v));
            continue;
        };
        let l = InvoiceLine {
            description,
            quantity,
            unit_price_minor: unit,
            subscription_id,
        };
        // 00123 and 123 on two rows are one invoice, as they are in the book.
        let key = crate::identity::reference_key(&number);
        match drafts.get_mut(&key) {
            Some(d) => {
                if d.new.customer_id != customer_id
                    || d.new.issued_on != issued_on
                    || d.new.currency != currency
                    || (due_on.is_some() && d.new.due_on != due_on)
                {
                    bad(FieldError::new("number", Code::LinesDisagree, format!("the lines of invoice {number} disagree with line {} on customer, dates or currency", d.line)).with("line", d.line));
                    continue;
                }
                d.new.lines.push(l);
            }
            None => {
                order.push(key.clone());
                drafts.insert(
                    key,
                    InvoiceDraft {
                        line: *line,
                        new: NewInvoice {
                            number,
                            customer_id,
                            kind: InvoiceKind::Invoice,
                            issued_on,
                            due_on,
                            currency,
                            lines: vec![l],
                            requires_prepayment,
                        },
                    },
                );
            }
        }
    }
    Error::refuse_if_any(file, problems)?;
    let records = order
        .iter()
        .map(|number| {
            let d = drafts
                .remove(number)
                .expect("every number in order has a draft");
            (d.line, d.new)
        })
        .collect();
    write_each(file, sheet.rows.len(), records, progress, |_, new| {
        let Some(existing) = receivables::invoice_by_number(tx, &new.number)? else {
            return receivables::insert_invoice(tx, ctx, &new).map(|_| Written::Created);
        };
        let lines = receivables::invoice_lines(tx, existing.id)?;
        let same = existing.customer_id == new.customer_id
            && existing.total.currency == new.currency
            && existing.issued_on == new.issued_on
            && new.due_on.is_none_or(|due| due == existing.due_on)
            && lines.len() == new.lines.len()
            && lines.iter().zip(&new.lines).all(|(a, b)| {
                a.description == b.description.trim()
                    && a.quantity == b.quantity
                    && a.unit_price_minor == b.unit_price_minor
            });
        if !same {
            return Err(Error::fields(FieldError::new("number", Code::AlreadyRecorded, format!("invoice {} is already recorded with other content; issue a credit note instead of changing it", existing.number))));
        }
        Ok(Written::Unchanged)
    })
}
