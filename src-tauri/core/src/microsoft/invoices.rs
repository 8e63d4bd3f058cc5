//! Microsoft's invoices to the partner: number, date, amount, due date and the day paid.
//! Typed one at a time or imported from a CSV (`number, invoice_date, amount, currency,
//! due_date, paid_date`) all or nothing; importing the same file again changes nothing, and a
//! later export with paid dates filled in records those payments.

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Code, FieldError, ImportProblem};
use crate::import::ImportSummary;
use crate::money::Money;
use crate::store::parse_day;
use crate::{audit, Ctx, Error, Result};

/// One of Microsoft's invoices to the partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MsInvoice {
    pub id: i64,
    pub number: String,
    pub invoice_date: NaiveDate,
    pub amount: Money,
    pub due_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
}

impl MsInvoice {
    /// Unpaid on `day`: issued by then and not paid by then. For a credit note, not applied
    /// (or refunded) by then.
    pub fn unpaid_on(&self, day: NaiveDate) -> bool {
        self.invoice_date <= day && self.paid_on.is_none_or(|p| p > day)
    }

    /// A credit note: Microsoft owes the partner its amount (negative) until it is applied to
    /// an invoice or refunded, the day recorded as its paid date. It is never overdue.
    pub fn is_credit(&self) -> bool {
        self.amount.minor < 0
    }

    /// Owed to Microsoft on `day`: an invoice of more than zero, unpaid then.
    pub fn owed_on(&self, day: NaiveDate) -> bool {
        self.amount.minor > 0 && self.unpaid_on(day)
    }

    /// A credit note not applied by `day`.
    pub fn open_credit_on(&self, day: NaiveDate) -> bool {
        self.is_credit() && self.unpaid_on(day)
    }
}

/// An invoice as typed (or as a CSV row gives it): text, checked here.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct MsInvoiceInput {
    pub number: String,
    pub invoice_date: String,
    pub amount: String,
    pub currency: String,
    /// Empty: the invoice date plus Microsoft's payment terms.
    #[serde(default)]
    pub due_on: String,
    /// Empty: not paid yet.
    #[serde(default)]
    pub paid_on: String,
}

fn date_field(field: &str, text: &str) -> std::result::Result<NaiveDate, FieldError> {
    crate::dates::written(text, crate::dates::DateFormat::Iso).map_err(|e| {
        FieldError::new(field, e.code(), format!("{:?}: {e}", text.trim()))
            .with("value", crate::import::shown(text.trim()))
    })
}

impl MsInvoiceInput {
    /// The invoice, or every field's problem. `today` bounds the paid date.
    pub fn parse(
        &self,
        terms_days: i64,
        today: NaiveDate,
    ) -> std::result::Result<MsInvoice, Vec<FieldError>> {
        let mut errs = Vec::new();
        let number = self.number.trim().to_string();
        if number.is_empty() {
            errs.push(FieldError::new(
                "number",
                Code::Required,
                "Microsoft's invoice number",
            ));
        } else if number.chars().count() > 64 || number.chars().any(char::is_control) {
            errs.push(
                FieldError::new("number", Code::TooLong, "up to 64 characters on one line")
                    .with("max", 64),
            );
        }
        let invoice_date = date_field("invoice_date", &self.invoice_date)
            .map_err(|e| errs.push(e))
            .ok();
        let currency = super::currency_field(&self.currency)
            .map_err(|e| errs.push(e))
            .ok();
        let amount = currency.and_then(|c| match Money::written(&self.amount, c) {
            Ok(m) => Some(m),
            Err(e) => {
                errs.push(e.field("amount"));
                None
            }
        });
        let due_on = if self.due_on.trim().is_empty() {
            invoice_date.map(|d| d + chrono::Duration::days(terms_days))
        } else {
            date_field("due_on", &self.due_on)
                .map_err(|e| errs.push(e))
                .ok()
        };
        let paid_on = if self.paid_on.trim().is_empty() {
            None
        } else {
            date_field("paid_on", &self.paid_on)
                .map_err(|e| errs.push(e))
                .ok()
        };
        if let (Some(i), Some(d)) = (invoice_date, due_on) {
            if d < i {
                errs.push(FieldError::new(
                    "due_on",
                    Code::BeforeIssue,
                    "on or after the invoice date",
                ));
            }
        }
        if let (Some(i), Some(p)) = (invoice_date, paid_on) {
            if p < i {
                errs.push(FieldError::new(
                    "paid_on",
                    Code::BeforeIssue,
                    "on or after the invoice date",
                ));
            }
        }
        if invoice_date.is_some_and(|d| d > today) {
            errs.push(FieldError::new(
                "invoice_date",
                Code::Future,
                "not after today",
            ));
        }
        if paid_on.is_some_and(|d| d > today) {
            errs.push(FieldError::new("paid_on", Code::Future, "not after today"));
        }
        match (invoice_date, amount, due_on) {
            (Some(invoice_date), Some(amount), Some(due_on)) if errs.is_empty() => Ok(MsInvoice {
                id: 0,
                number,
                invoice_date,
                amount,
                due_on,
                paid_on,
            }),
            _ => Err(errs),
        }
    }
}

const COLUMNS: &str = "id, number, invoice_date, currency, amount_minor, due_on, paid_on";

fn row(r: &Row) -> rusqlite::Result<MsInvoice> {
    Ok(MsInvoice {
        id: r.get(0)?,
        number: r.get(1)?,
        invoice_date: parse_day(&r.get::<_, String>(2)?)?,
        amount: Money::new(r.get(4)?, r.get(3)?),
        due_on: parse_day(&r.get::<_, String>(5)?)?,
        paid_on: r
            .get::<_, Option<String>>(6)?
            .map(|d| parse_day(&d))
            .transpose()?,
    })
}

/// Every invoice, newest first.
pub fn list(conn: &Connection) -> Result<Vec<MsInvoice>> {
    crate::store::rows(
        conn,
        &format!("SELECT {COLUMNS} FROM ms_invoices ORDER BY invoice_date DESC, id DESC"),
        [],
        row,
    )
}

pub fn by_number(conn: &Connection, number: &str) -> Result<Option<MsInvoice>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM ms_invoices WHERE number = ?1"),
            params![number.trim()],
            row,
        )
        .optional()?)
}

fn insert(tx: &Transaction, ctx: &Ctx, inv: &MsInvoice) -> Result<MsInvoice> {
    tx.execute(
        "INSERT INTO ms_invoices (number, invoice_date, currency, amount_minor, due_on, paid_on, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            inv.number,
            inv.invoice_date.to_string(),
            inv.amount.currency.code(),
            inv.amount.minor,
            inv.due_on.to_string(),
            inv.paid_on.map(|d| d.to_string()),
            ctx.now_text()
        ],
    )?;
    let saved = MsInvoice {
        id: tx.last_insert_rowid(),
        ..inv.clone()
    };
    audit::record(
        tx,
        ctx,
        "ms_invoice",
        saved.id,
        "create",
        None,
        Some(&saved),
    )?;
    Ok(saved)
}

/// Records a typed invoice; a number already recorded is refused.
pub fn add(
    tx: &Transaction,
    ctx: &Ctx,
    input: &MsInvoiceInput,
    terms_days: i64,
) -> Result<MsInvoice> {
    let inv = input
        .parse(terms_days, ctx.today)
        .map_err(Error::Validation)?;
    if by_number(tx, &inv.number)?.is_some() {
        return Err(Error::fields(
            FieldError::new(
                "number",
                Code::Duplicate,
                "this invoice is already recorded",
            )
            .with("value", crate::import::shown(&inv.number)),
        ));
    }
    insert(tx, ctx, &inv)
}

/// Records the day an invoice was paid (None: not paid after all).
pub fn set_paid(
    tx: &Transaction,
    ctx: &Ctx,
    number: &str,
    paid_on: Option<NaiveDate>,
) -> Result<MsInvoice> {
    let before = by_number(tx, number)?
        .ok_or_else(|| Error::NotFound(format!("Microsoft invoice {number}")))?;
    if let Some(p) = paid_on {
        if p < before.invoice_date {
            return Err(Error::fields(FieldError::new(
                "paid_on",
                Code::BeforeIssue,
                "on or after the invoice date",
            )));
        }
        if p > ctx.today {
            return Err(Error::fields(FieldError::new(
                "paid_on",
                Code::Future,
                "not after today",
            )));
        }
    }
    if before.paid_on == paid_on {
        return Ok(before);
    }
    tx.execute(
        "UPDATE ms_invoices SET paid_on = ?1, updated_at = ?2 WHERE id = ?3",
        params![paid_on.map(|d| d.to_string()), ctx.now_text(), before.id],
    )?;
    let after = MsInvoice {
        paid_on,
        ..before.clone()
    };
    audit::record(
        tx,
        ctx,
        "ms_invoice",
        after.id,
        "paid",
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

pub const MS_INVOICE_COLUMNS: &[&str] = &[
    "number",
    "invoice_date",
    "amount",
    "currency",
    "due_date",
    "paid_date",
];

/// Imports Microsoft's invoices from a CSV inside `tx` (the caller commits): every row
/// checked first, nothing written when one is wrong. A number already recorded with the same
/// date, amount and due date is unchanged, or has its paid date recorded; with other values
/// it is refused (Microsoft does not change an invoice: a correction is a credit note with a
/// number of its own).
pub fn import(
    tx: &Transaction,
    ctx: &Ctx,
    file: &str,
    reader: impl Read,
    terms_days: i64,
) -> Result<ImportSummary> {
    let sheet = crate::import::read_csv_sheet(
        file,
        reader,
        MS_INVOICE_COLUMNS,
        &["number", "invoice_date", "amount", "currency"],
    )?;
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (line, r) in &sheet.rows {
        let get = |k: &str| r.get(k).map(String::as_str).unwrap_or("").to_string();
        let input = MsInvoiceInput {
            number: get("number"),
            invoice_date: get("invoice_date"),
            amount: get("amount"),
            currency: get("currency"),
            due_on: get("due_date"),
            paid_on: get("paid_date"),
        };
        match input.parse(terms_days, ctx.today) {
            Err(errs) => problems.extend(errs.into_iter().map(|e| {
                let e = FieldError {
                    field: match e.field.as_str() {
                        "due_on" => "due_date".into(),
                        "paid_on" => "paid_date".into(),
                        _ => e.field,
                    },
                    ..e
                };
                ImportProblem::at(*line, e)
            })),
            Ok(inv) => {
                if let Some(first) = seen.insert(inv.number.clone(), *line) {
                    problems.push(
                        ImportProblem::new(
                            *line,
                            "number",
                            Code::DuplicateInFile,
                            format!("the same invoice is already on line {first}"),
                        )
                        .with("line", first),
                    );
                    continue;
                }
                if let Some(old) = by_number(tx, &inv.number)? {
                    let same = old.invoice_date == inv.invoice_date
                        && old.amount == inv.amount
                        && old.due_on == inv.due_on;
                    if !same {
                        problems.push(
                            ImportProblem::new(
                                *line,
                                "number",
                                Code::AlreadyRecorded,
                                "already recorded with another date, amount or due date",
                            )
                            .with("value", crate::import::shown(&inv.number)),
                        );
                        continue;
                    }
                    if old.paid_on.is_some() && inv.paid_on != old.paid_on {
                        problems.push(
                            ImportProblem::new(
                                *line,
                                "paid_date",
                                Code::AlreadyRecorded,
                                format!(
                                    "recorded as paid on {}",
                                    old.paid_on.map(|d| d.to_string()).unwrap_or_default()
                                ),
                            )
                            .with(
                                "value",
                                old.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                            ),
                        );
                        continue;
                    }
                    parsed.push((Some(old), inv));
                } else {
                    parsed.push((None, inv));
                }
            }
        }
    }
    Error::refuse_if_any(file, problems)?;
    let mut summary = ImportSummary {
        rows: parsed.len(),
        ..Default::default()
    };
    for (old, inv) in parsed {
        match old {
            None => {
                insert(tx, ctx, &inv)?;
                summary.created += 1;
            }
            Some(old) if old.paid_on != inv.paid_on => {
                set_paid(tx, ctx, &inv.number, inv.paid_on)?;
                summary.updated += 1;
            }
            Some(_) => summary.unchanged += 1,
        }
    }
    Ok(summary)
}
