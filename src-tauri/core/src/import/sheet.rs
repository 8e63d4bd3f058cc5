//! A ledger CSV read as a sheet: its header checked against the columns a kind of file
//! has (unknown, repeated and missing columns refused), every row kept with its line, and
//! the helpers the invoice and payment imports share.

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;

use crate::error::{Code, ImportProblem};
use crate::{Error, FieldError, Result};

pub(crate) struct Sheet {
    pub rows: Vec<(u64, HashMap<String, String>)>,
}

/// Free-text columns a spreadsheet may break over lines (Alt+Enter in an Excel cell): the
/// record keeps them on one line, as the window's one-line field would have.
const FOLDED: &[&str] = &["description"];

pub(crate) fn read_sheet(
    file: &str,
    reader: impl Read,
    columns: &[&str],
    required: &[&str],
) -> Result<Sheet> {
    let p = ImportProblem::new;
    let text = super::read_text(file, reader)?;
    let delimiter = super::delimiter(text.as_bytes());
    super::refuse_cut_short(file, &text, delimiter)?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = checked_header(file, &mut rdr, columns, required)?;
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut lines = super::Lines::new(&text);
    for rec in rdr.records() {
        match rec {
            Ok(rec) if super::blank_row(&rec) => {}
            Ok(rec) => {
                let line = lines.of(rec.position());
                problems.extend(unnamed_cell(&headers, &rec, line));
                let map: HashMap<String, String> = headers
                    .iter()
                    .zip(rec.iter())
                    .filter(|(h, _)| !h.is_empty())
                    .map(|(h, v)| {
                        let v = crate::csv_out::restore(v.trim());
                        let v = if FOLDED.contains(&h.as_str()) {
                            super::one_line(v)
                        } else {
                            v.to_string()
                        };
                        (h.clone(), v)
                    })
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
                let line = lines.of(e.position());
                let problem = p(
                    line,
                    "row",
                    Code::MalformedRow,
                    crate::csv_out::describe_row_error(&e),
                );
                return Err(Error::Import {
                    file: file.to_string(),
                    problems: vec![problem],
                });
            }
        }
    }
    Error::refuse_if_any(file, problems)?;
    Ok(Sheet { rows })
}

/// A file's header row, each name trimmed (and the byte-order mark Excel writes dropped),
/// checked against the columns its kind has: an unknown, repeated or missing required column
/// is a problem on line 1.
pub(super) fn checked_header<R: Read>(
    file: &str,
    rdr: &mut csv::Reader<R>,
    columns: &[&str],
    required: &[&str],
) -> Result<Vec<String>> {
    let p = ImportProblem::new;
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| {
            let problem = p(
                1,
                "header",
                Code::Unreadable,
                format!("cannot read the header row: {e}"),
            );
            Error::Import {
                file: file.to_string(),
                problems: vec![problem],
            }
        })?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // A column without a name is read as nothing (Excel keeps a column it was told to empty);
    // a value under one is refused on its row ([`unnamed_cell`]).
    for h in headers.iter().filter(|h| !h.is_empty()) {
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
    Error::refuse_if_any(file, problems)?;
    Ok(headers)
}

/// A value in a row under a column without a name has no field to go to: a problem on the
/// row's line naming the column by its number.
pub(super) fn unnamed_cell(
    headers: &[String],
    record: &csv::StringRecord,
    line: u64,
) -> Option<ImportProblem> {
    let n = headers
        .iter()
        .zip(record.iter())
        .position(|(h, v)| h.is_empty() && !v.trim().is_empty())?
        + 1;
    Some(
        ImportProblem::new(
            line,
            "header",
            Code::UnnamedColumn,
            format!("a value under column {n}, which has no name: name the column or empty it"),
        )
        .with("n", n),
    )
}

/// A row's customer (its `customer` cell: a number, a tenant id or a name) and currency, each
/// None after telling `bad` why it cannot be read.
pub(super) fn customer_and_currency(
    tx: &rusqlite::Transaction,
    names: &crate::customer::NameIndex,
    taxes: &crate::customer::TaxIndex,
    row: &HashMap<String, String>,
    bad: &mut impl FnMut(FieldError),
) -> crate::Result<(
    Option<crate::ids::CustomerId>,
    Option<crate::money::Currency>,
)> {
    let customer_id = crate::receivables::resolve_customer(tx, names, taxes, get(row, "customer"))?;
    if customer_id.is_none() {
        bad(no_customer(get(row, "customer")));
    }
    let currency = crate::money::Currency::written(get(row, "currency"));
    if currency.is_none() {
        bad(FieldError::new(
            "currency",
            Code::InvalidCurrency,
            format!("unknown currency {:?}", get(row, "currency")),
        )
        .with("value", crate::import::shown(get(row, "currency"))));
    }
    Ok((customer_id, currency))
}

pub(super) fn no_customer(v: &str) -> FieldError {
    FieldError::new(
        "customer",
        Code::UnknownCustomer,
        format!(
            "no single customer is {v:?} (use the RiskDesk id, tenant id, legal name or tax id)"
        ),
    )
    .with("value", crate::import::shown(v))
}

pub(super) fn get<'a>(row: &'a HashMap<String, String>, k: &str) -> &'a str {
    row.get(k).map(String::as_str).unwrap_or("")
}

pub(super) fn date(field: &str, v: &str) -> std::result::Result<NaiveDate, FieldError> {
    crate::dates::written(v, crate::dates::DateFormat::Iso).map_err(|e| {
        FieldError::new(field, e.code(), format!("{v:?}: {e}"))
            .with("value", crate::import::shown(v))
    })
}
