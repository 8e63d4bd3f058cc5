//! Invoice and payment CSV import (the reseller's accounting export).
//!
//! Invoices: `number, customer, issued_on, due_on, currency, description, quantity,
//! unit_price, subscription, requires_prepayment`; several rows with one number are the
//! lines of one invoice. Payments: `reference, customer, received_on, amount, currency,
//! method, kind, invoice`. `customer` is a RiskDesk id, a tenant id or the exact legal
//! name. All or nothing; re-importing the same file changes nothing.

use crate::ids::CustomerId;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use chrono::NaiveDate;
use rusqlite::Transaction;

use crate::error::{Code, ImportProblem};
use crate::import::ImportSummary;
use crate::money::{Currency, Money};
use crate::receivables::{self, InvoiceKind, InvoiceLine, NewInvoice, NewPayment, PaymentKind};
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

struct Sheet {
    rows: Vec<(u64, HashMap<String, String>)>,
}

fn read_sheet(file: &str, reader: impl Read, columns: &[&str], required: &[&str]) -> Result<Sheet> {
    let fail = |problems| Error::Import {
        file: file.to_string(),
        problems,
    };
    let p = ImportProblem::new;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(reader);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| {
            fail(vec![p(
                1,
                "header",
                Code::Unreadable,
                format!("cannot read the header row: {e}"),
            )])
        })?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for h in &headers {
        if !columns.contains(&h.as_str()) {
            problems.push(
                p(
                    1,
                    h,
                    Code::UnknownColumn,
                    format!("unknown column; the columns are {}", columns.join(", ")),
                )
                .with("columns", columns.join(", ")),
            );
        } else if !seen.insert(h.as_str()) {
            // Which copy would win is a guess the file must not leave to us.
            problems.push(p(
                1,
                h,
                Code::DuplicateColumn,
                "this column appears twice".into(),
            ));
        }
    }
    for r in required {
        if !headers.iter().any(|h| h == r) {
            problems.push(p(
                1,
                r,
                Code::MissingColumn,
                "required column is missing".into(),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(rec) => {
                let line = rec.position().map(|x| x.line()).unwrap_or(0);
                let map: HashMap<String, String> = headers
                    .iter()
                    .cloned()
                    .zip(
                        rec.iter()
                            .map(|v| crate::csv_out::restore(v.trim()).to_string()),
                    )
                    .collect();
                for (h, v) in &map {
                    if crate::customer::has_control(v, false) {
                        problems.push(p(
                            line,
                            h,
                            Code::ControlCharacter,
                            "contains a control character (such as NUL): remove it".into(),
                        ));
                    }
                }
                rows.push((line, map));
            }
            Err(e) => {
                let line = e.position().map(|x| x.line()).unwrap_or(0);
                return Err(fail(vec![p(
                    line,
                    "row",
                    Code::MalformedRow,
                    crate::csv_out::describe_row_error(&e),
                )]));
            }
        }
    }
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    Ok(Sheet { rows })
}

/// A row's customer that names no single customer.
fn no_customer(v: &str) -> FieldError {
    FieldError::new(
        "customer",
        Code::UnknownCustomer,
        format!("no single customer is {v:?} (use the RiskDesk id, tenant id or exact legal name)"),
    )
    .with("value", crate::import::shown(v))
}

fn get<'a>(row: &'a HashMap<String, String>, k: &str) -> &'a str {
    row.get(k).map(String::as_str).unwrap_or("")
}

fn date(field: &str, v: &str) -> std::result::Result<NaiveDate, FieldError> {
    crate::dates::parse(v).map_err(|e| {
        FieldError::new(field, e.code(), format!("{v:?}: {e}"))
            .with("value", crate::import::shown(v))
    })
}

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
    mut progress: impl FnMut(usize, usize),
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
    let mut problems = Vec::new();
    let mut drafts: BTreeMap<String, InvoiceDraft> = BTreeMap::new();
    let mut order = Vec::new();
    for (line, row) in &sheet.rows {
        let mut bad = |e: FieldError| problems.push(ImportProblem::at(*line, e));
        // Every field is checked, so a row with several problems reports them all.
        let number = get(row, "number").to_string();
        if number.is_empty() {
            bad(FieldError::new("number", Code::Required, "required"));
        }
        let customer_id = receivables::resolve_customer(tx, get(row, "customer"))?;
        if customer_id.is_none() {
            bad(no_customer(get(row, "customer")));
        }
        let currency = Currency::parse(get(row, "currency"));
        if currency.is_none() {
            bad(FieldError::new(
                "currency",
                Code::InvalidCurrency,
                format!("unknown currency {:?}", get(row, "currency")),
            )
            .with("value", crate::import::shown(get(row, "currency"))));
        }
        let issued_on = date("issued_on", get(row, "issued_on"))
            .map_err(&mut bad)
            .ok();
        let due_on = match get(row, "due_on") {
            "" => Some(None),
            v => date("due_on", v).map(Some).map_err(&mut bad).ok(),
        };
        let quantity = match get(row, "quantity") {
            "" => Some(1),
            v => match v.parse::<i64>() {
                Ok(q) if (1..=1_000_000_000).contains(&q) => Some(q),
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
            Money::parse(get(row, "unit_price"), c)
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
                        "the issue date plus {terms} days of payment terms is after {}",
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
                format!("{v:?}: use yes or no (also true/false, 1/0; empty is no)"),
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
        match drafts.get_mut(&number) {
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
                order.push(number.clone());
                drafts.insert(
                    number.clone(),
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
    if !problems.is_empty() {
        return Err(Error::Import {
            file: file.into(),
            problems,
        });
    }
    let mut summary = ImportSummary {
        rows: sheet.rows.len(),
        ..Default::default()
    };
    let total = order.len();
    for (n, number) in order.iter().enumerate() {
        let d = &drafts[number];
        let fail = |e: FieldError| Error::Import {
            file: file.into(),
            problems: vec![ImportProblem::at(d.line, e)],
        };
        if let Some(existing) = receivables::invoice_by_number(tx, number)? {
            let lines = receivables::invoice_lines(tx, existing.id)?;
            let same = existing.customer_id == d.new.customer_id
                && existing.issued_on == d.new.issued_on
                && d.new.due_on.is_none_or(|due| due == existing.due_on)
                && lines.len() == d.new.lines.len()
                && lines.iter().zip(&d.new.lines).all(|(a, b)| {
                    a.description == b.description.trim()
                        && a.quantity == b.quantity
                        && a.unit_price_minor == b.unit_price_minor
                });
            if !same {
                return Err(fail(FieldError::new("number", Code::AlreadyRecorded, format!("invoice {number} is already recorded with other content; issue a credit note instead of changing it"))));
            }
            summary.unchanged += 1;
        } else {
            receivables::insert_invoice(tx, ctx, &d.new).map_err(|e| match e {
                Error::Validation(mut f) if !f.is_empty() => fail(f.swap_remove(0)),
                e => fail(FieldError::new("row", Code::Invalid, e.to_string())),
            })?;
            summary.created += 1;
        }
        if n % 100 == 0 || n + 1 == total {
            progress(n + 1, total);
        }
    }
    Ok(summary)
}

/// Imports payments and credit notes inside `tx`; the caller commits.
pub fn import_payments(
    tx: &Transaction,
    ctx: &Ctx,
    file: &str,
    reader: impl Read,
    mut progress: impl FnMut(usize, usize),
) -> Result<ImportSummary> {
    let sheet = read_sheet(
        file,
        reader,
        PAYMENT_COLUMNS,
        &["reference", "customer", "received_on", "amount", "currency"],
    )?;
    let mut problems = Vec::new();
    let mut payments = Vec::new();
    let mut seen: HashMap<(CustomerId, PaymentKind, String), u64> = HashMap::new();
    for (line, row) in &sheet.rows {
        // Every field is checked, so one pass reports all of a row's problems.
        let mut bad = |e: FieldError| problems.push(ImportProblem::at(*line, e));
        let customer_id = receivables::resolve_customer(tx, get(row, "customer"))?;
        if customer_id.is_none() {
            bad(no_customer(get(row, "customer")));
        }
        let currency = Currency::parse(get(row, "currency"));
        if currency.is_none() {
            bad(FieldError::new(
                "currency",
                Code::InvalidCurrency,
                format!("unknown currency {:?}", get(row, "currency")),
            )
            .with("value", crate::import::shown(get(row, "currency"))));
        }
        let received_on = date("received_on", get(row, "received_on"))
            .map_err(&mut bad)
            .ok();
        let amount = match currency.map(|c| Money::parse(get(row, "amount"), c)) {
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
            k => PaymentKind::parse(k).or_else(|| {
                bad(FieldError::new(
                    "kind",
                    Code::InvalidChoice,
                    format!("use one of {}", PaymentKind::choices()),
                )
                .with("choices", PaymentKind::choices()));
                None
            }),
        };
        let reference = get(row, "reference").to_string();
        if reference.is_empty() {
            bad(FieldError::new("reference", Code::Required, "required"));
        }
        let (Some(customer_id), Some(received_on), Some(amount), Some(kind)) =
            (customer_id, received_on, amount, kind)
        else {
            continue;
        };
        if reference.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert((customer_id, kind, reference.clone()), *line) {
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
    if !problems.is_empty() {
        return Err(Error::Import {
            file: file.into(),
            problems,
        });
    }
    let mut summary = ImportSummary {
        rows: payments.len(),
        ..Default::default()
    };
    let total = payments.len();
    for (n, (line, p)) in payments.iter().enumerate() {
        let fail = |e: FieldError| Error::Import {
            file: file.into(),
            problems: vec![ImportProblem::at(*line, e)],
        };
        match receivables::payment_by_reference(tx, p.customer_id, p.kind, &p.reference)? {
            Some(existing)
                if existing.amount == p.amount && existing.received_on == p.received_on =>
            {
                summary.unchanged += 1
            }
            Some(_) => {
                return Err(fail(FieldError::new(
                    "reference",
                    Code::AlreadyRecorded,
                    format!(
                        "{} {} is already recorded with another date or amount",
                        p.kind, p.reference
                    ),
                )))
            }
            None => {
                receivables::record_payment(tx, ctx, p).map_err(|e| match e {
                    Error::Validation(mut f) if !f.is_empty() => fail(f.swap_remove(0)),
                    e => fail(FieldError::new("row", Code::Invalid, e.to_string())),
                })?;
                summary.created += 1;
            }
        }
        if n % 100 == 0 || n + 1 == total {
            progress(n + 1, total);
        }
    }
    Ok(summary)
}
