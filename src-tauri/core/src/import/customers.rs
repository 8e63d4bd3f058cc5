//! Customer CSV import and export.
//!
//! The layout is one header row with the columns in [`CUSTOMER_COLUMNS`] (any order;
//! `legal_name`, `country`, `currency` required, the rest optional). An import is
//! all-or-nothing: every row is checked first and any problem is reported with its line
//! and field, with nothing written. A row matches an existing customer by tenant id, or,
//! without one, by legal name written any way (case, full-width letters, spaces and
//! punctuation aside: `ACME LTD` is `Acme Ltd.`, `Acme Inc` is not); an unchanged row writes
//! nothing, so importing the same file twice changes nothing.
//!
//! An update changes only the columns present in the file's header: a file with just
//! `legal_name,country,currency,tenant_id` leaves the phone, credit limit and status of an
//! existing customer as they were. In a present column, an empty cell clears a text field
//! (address, phone, notes, ...) but keeps the existing value of a field that has a default
//! (`language`, `payment_terms_days`, `credit_limit`, `payment_instrument`, `card_present`,
//! `admin_access`, `status`); a new customer gets the default.

use std::collections::HashMap;
use std::io::{Read, Write};

use rusqlite::Transaction;

use super::{parse_bool, shown, write_each, ImportSummary, Written};
use crate::customer::{self, CustomerFields, CustomerInput};
use crate::error::{Code, ImportProblem};
use crate::{Ctx, Error, Result};

pub const CUSTOMER_COLUMNS: &[&str] = &[
    "legal_name",
    "tenant_id",
    "primary_domain",
    "country",
    "address",
    "contact_name",
    "phone",
    "email",
    "tax_id",
    "currency",
    "language",
    "payment_terms_days",
    "credit_limit",
    "payment_instrument",
    "card_present",
    "admin_access",
    "status",
    "notes",
    "virtual_account",
    "payer_names",
    "billing_email",
];

const REQUIRED: &[&str] = &["legal_name", "country", "currency"];
/// Columns whose empty cell means "keep what is there" on an update.
const KEEP_WHEN_EMPTY: &[&str] = &[
    // An empty tenant id cell never takes a customer's tenant id away.
    "tenant_id",
    "language",
    "payment_terms_days",
    "credit_limit",
    "payment_instrument",
    "card_present",
    "admin_access",
    "status",
];

/// One row: its cells by column (only the columns present in the header).
type RawRow = HashMap<&'static str, String>;

fn set_field(input: &mut CustomerInput, column: &str, value: &str) {
    let v = value.to_string();
    match column {
        "legal_name" => input.legal_name = v,
        "tenant_id" => input.tenant_id = v,
        "primary_domain" => input.primary_domain = v,
        "country" => input.country = v,
        "address" => input.address = v,
        "contact_name" => input.contact_name = v,
        "phone" => input.phone = v,
        "email" => input.email = v,
        "tax_id" => input.tax_id = v,
        "currency" => input.currency = v,
        "language" => input.language = v,
        "payment_terms_days" => input.payment_terms_days = v,
        "credit_limit" => input.credit_limit = v,
        "payment_instrument" => input.payment_instrument = v,
        "card_present" => input.card_present = parse_bool(value).unwrap_or(false),
        "admin_access" => input.admin_access = v,
        "status" => input.status = v,
        "notes" => input.notes = v,
        "virtual_account" => input.virtual_account = v,
        "payer_names" => input.payer_names = v,
        "billing_email" => input.billing_email = v,
        _ => {}
    }
}

/// The input for a row: the existing customer's fields (or the defaults for a new one)
/// with the row's present columns laid over them.
fn overlay(base: CustomerInput, raw: &RawRow) -> CustomerInput {
    let mut input = base;
    for (column, value) in raw {
        // An empty cell keeps the existing value, or for a new customer the default
        // that `defaults()` put there.
        if value.trim().is_empty() && KEEP_WHEN_EMPTY.contains(column) {
            continue;
        }
        set_field(&mut input, column, value);
    }
    input
}

fn defaults() -> CustomerInput {
    CustomerInput {
        language: "en".into(),
        payment_terms_days: "30".into(),
        payment_instrument: "bank_transfer".into(),
        admin_access: "none".into(),
        status: "prospect".into(),
        ..Default::default()
    }
}
const MAX_PROBLEMS: usize = 100;

/// Reads and validates every row; returns the rows with their line numbers or every
/// problem found (up to a hundred).
fn read_rows(file_label: &str, reader: impl Read) -> Result<Vec<(u64, CustomerFields, RawRow)>> {
    let problem = ImportProblem::new;
    let text = super::read_text(file_label, reader)?;
    let delimiter = super::delimiter(text.as_bytes());
    super::refuse_cut_short(file_label, &text, delimiter)?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::None)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = super::sheet::checked_header(file_label, &mut rdr, CUSTOMER_COLUMNS, REQUIRED)?;
    // Every name is one of the columns: the header was checked.
    let index: HashMap<&'static str, usize> = headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| CUSTOMER_COLUMNS.iter().find(|c| **c == h).map(|c| (*c, i)))
        .collect();
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut seen_tenants: HashMap<String, u64> = HashMap::new();
    let mut seen_names: HashMap<String, u64> = HashMap::new();
    // A name a row with a tenant id gives: another row naming that customer by name alone
    // would find a different record once this file is in (see below).
    let mut tenant_row_names: HashMap<String, u64> = HashMap::new();
    let mut lines = super::Lines::new(&text);
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = lines.of(e.position());
                problems.push(problem(
                    line,
                    "row",
                    Code::MalformedRow,
                    crate::csv_out::describe_row_error(&e),
                ));
                if problems.len() >= MAX_PROBLEMS {
                    break;
                }
                continue;
            }
        };
        if super::blank_row(&record) {
            continue;
        }
        let line = lines.of(record.position());
        problems.extend(super::sheet::unnamed_cell(&headers, &record, line));
        let raw: RawRow = index
            .iter()
            .map(|(name, i)| {
                let cell = crate::csv_out::restore(record.get(*i).unwrap_or(""));
                // A name Excel broke over lines is the one-line name the form would hold;
                // the address and the notes keep their lines.
                let cell = match *name {
                    "legal_name" | "contact_name" => super::one_line(cell),
                    _ => cell.to_string(),
                };
                (*name, cell)
            })
            .collect();
        if let Some(v) = raw.get("card_present") {
            if parse_bool(v).is_none() {
                problems.push(
                    problem(
                        line,
                        "card_present",
                        Code::InvalidYesNo,
                        format!(
                            "{:?}: use yes or no (also y/n, true/false, 1/0, 是/否)",
                            shown(v)
                        ),
                    )
                    .with("value", shown(v)),
                );
            }
        }
        let input = overlay(defaults(), &raw);
        match input.validate() {
            Ok(fields) => {
                let compared = crate::identity::legal_name(&fields.legal_name);
                let dup = match &fields.tenant_id {
                    Some(t) => {
                        tenant_row_names.entry(compared).or_insert(line);
                        seen_tenants
                            .insert(t.clone(), line)
                            .map(|l| ("tenant_id", l))
                    }
                    None => seen_names.insert(compared, line).map(|l| ("legal_name", l)),
                };
                if let Some((field, first)) = dup {
                    problems.push(
                        problem(
                            line,
                            field,
                            Code::DuplicateInFile,
                            format!("the same customer is already on line {first}"),
                        )
                        .with("line", first),
                    );
                }
                rows.push((line, fields, raw));
            }
            Err(Error::Validation(errs)) => {
                for e in errs {
                    problems.push(ImportProblem::at(line, e));
                }
            }
            Err(e) => return Err(e),
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    // A row without a tenant id finds its customer by name. Where another row of the file
    // gives a customer of that name with a tenant id, the file would make two customers of
    // one name (or say one twice), and the same file imported again could no longer tell
    // which the first row means: the row must say which by its tenant id.
    for (name, line) in &seen_names {
        if let Some(other) = tenant_row_names.get(name) {
            problems.push(
                problem(
                    *line,
                    "tenant_id",
                    Code::NameNeedsTenant,
                    format!(
                        "line {other} has a customer of this name with a tenant id: give this row its tenant_id too, so the file says which customer each row is"
                    ),
                )
                .with("line", *other),
            );
        }
    }
    problems.sort_by_key(|p| p.line);
    problems.truncate(MAX_PROBLEMS);
    Error::refuse_if_any(file_label, problems)?;
    Ok(rows)
}

/// How an import treats the onboarding rules (a prepaid or stored-value card, full admin
/// access or activation while required checks are missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportMode {
    /// The rules hold as in the window: a row that breaks one is a problem on its line.
    Enforce,
    /// Bringing an existing book in as it is: each rule a row breaks is recorded as an
    /// exception in the audit trail (customer, rule, who, and this reason).
    ExistingBook(String),
}

/// Imports customers inside `tx`, enforcing the onboarding rules. On error the caller
/// drops the transaction, so nothing is written. `progress` is called with (rows done,
/// rows in all).
pub fn import_customers(
    tx: &Transaction,
    ctx: &Ctx,
    file_label: &str,
    reader: impl Read,
    progress: impl FnMut(usize, usize),
) -> Result<ImportSummary> {
    import_customers_with(tx, ctx, file_label, reader, &ImportMode::Enforce, progress)
}

/// The same, in the mode given.
pub fn import_customers_with(
    tx: &Transaction,
    ctx: &Ctx,
    file_label: &str,
    reader: impl Read,
    mode: &ImportMode,
    progress: impl FnMut(usize, usize),
) -> Result<ImportSummary> {
    if let ImportMode::ExistingBook(reason) = mode {
        let n = reason.trim().chars().count();
        if n == 0 || n > 500 {
            return Err(Error::field(
                "reason",
                Code::Required,
                "bringing an existing book needs a reason of 1 to 500 characters (it is recorded with each exception)",
            ));
        }
    }
    let rows: Vec<_> = read_rows(file_label, reader)?
        .into_iter()
        .map(|(line, fields, raw)| (line, (fields, raw)))
        .collect();
    let mut names = customer::NameIndex::load(tx)?;
    let mut exceptions = 0;
    let refuse = |problem: ImportProblem| Error::Import {
        file: file_label.to_string(),
        problems: vec![problem],
    };
    let mut summary = write_each(
        file_label,
        rows.len(),
        rows,
        progress,
        |line, (fields, raw)| {
            // One customer, one record: by tenant id when the row has one, otherwise by legal
            // name (case, width, spaces and punctuation aside) whether or not the stored customer
            // has a tenant id; two customers of that name are a question the file must answer
            // (a tenant_id column).
            let existing = match &fields.tenant_id {
                Some(t) => customer::find_by_tenant(tx, t)?,
                None => {
                    let named = names.get(&fields.legal_name);
                    if named.len() > 1 {
                        let ids: Vec<String> = named.iter().map(|c| c.0.to_string()).collect();
                        return Err(refuse(
                        ImportProblem::new(
                            line,
                            "legal_name",
                            Code::AmbiguousName,
                            format!(
                                "{} customers are named {:?} (ids {}): give the row a tenant_id to say which",
                                named.len(),
                                fields.legal_name,
                                ids.join(", ")
                            ),
                        )
                        .with("ids", ids.join(", ")),
                    ));
                    }
                    named.first().map(|id| customer::get(tx, *id)).transpose()?
                }
            };
            let merged = match &existing {
                Some(c) => overlay(c.fields.to_input(), &raw).validate()?,
                None => fields,
            };
            // The onboarding rules, on this path too.
            let broken = crate::risk::onboarding::violations(
                tx,
                existing.as_ref().map(|c| c.id),
                existing.as_ref().map(|c| &c.fields),
                &merged,
            )?;
            if let (ImportMode::Enforce, Some(v)) = (mode, broken.first()) {
                let mut p = ImportProblem::at(line, v.error());
                p.message = format!(
                "{} (to bring an existing book in as it is, import it as an existing book with a reason: each exception is recorded)",
                v.message
            );
                return Err(refuse(p));
            }
            let (id, written) = match existing {
                Some(c) => {
                    let (_, changed) = customer::update(tx, ctx, c.id, &merged)?;
                    if !changed {
                        (c.id, Written::Unchanged)
                    } else {
                        names.rename(c.id, &c.fields.legal_name, &merged.legal_name);
                        (c.id, Written::Updated)
                    }
                }
                None => {
                    let c = customer::insert(tx, ctx, &merged)?;
                    names.add(c.id, &merged.legal_name);
                    (c.id, Written::Created)
                }
            };
            if let ImportMode::ExistingBook(reason) = mode {
                let rules: Vec<&str> = broken.iter().map(|v| v.rule).collect();
                crate::risk::onboarding::record_overrides(tx, ctx, id, &rules, Some(reason))?;
                exceptions += rules.len();
            }
            Ok(written)
        },
    )?;
    summary.exceptions = exceptions;
    Ok(summary)
}

/// Writes every customer in the import layout, so an export imports back unchanged.
pub fn export_customers(conn: &rusqlite::Connection, out: impl Write) -> Result<usize> {
    let mut sheet = crate::csv_out::Sheet::new(out, CUSTOMER_COLUMNS)?;
    let customers = customer::all(conn)?;
    for c in &customers {
        let i = c.fields.to_input();
        let card = if i.card_present { "yes" } else { "no" };
        let cells = [
            &i.legal_name,
            &i.tenant_id,
            &i.primary_domain,
            &i.country,
            &i.address,
            &i.contact_name,
            &i.phone,
            &i.email,
            &i.tax_id,
            &i.currency,
            &i.language,
            &i.payment_terms_days,
            &i.credit_limit,
            &i.payment_instrument,
            card,
            &i.admin_access,
            &i.status,
            &i.notes,
            &i.virtual_account,
            &i.payer_names,
            &i.billing_email,
        ];
        sheet.row(&cells)?;
    }
    sheet.finish()?;
    Ok(customers.len())
}
