//! Bank statements in the window: a statement chosen in the open dialog is previewed (its
//! format, the account it names, a CSV's first rows for the mapping form), imported with the
//! mapping the owner set, and its lines reviewed, booked or set aside. Plain functions over
//! a [`Host`], or a connection for reads; the Tauri commands in [`ipc`] only unwrap the
//! window's arguments.

use std::path::{Path, PathBuf};

use riskdesk_core::bank::{self, BankAccount, CsvMap, Format, ImportedStatement, Review};
use riskdesk_core::error::Code;
use riskdesk_core::ids::{CustomerId, InvoiceId};
use riskdesk_core::money::Money;
use riskdesk_core::receivables;
use riskdesk_core::FieldError;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::host::{id_arg, text_arg, Host};
use crate::state::AppState;

/// What the import form shows of a chosen file before it is imported.
#[derive(Debug, Serialize)]
pub struct StatementPreview {
    pub file: String,
    /// The files chosen together, by name (the window says "and N more" in its language).
    pub files: Vec<String>,
    pub format: Format,
    /// The account the file names (CAMT.053, MT940), for the account field; empty when it
    /// holds the statements of several accounts.
    pub account_in_file: String,
    /// The accounts the file's statements name, each once.
    pub accounts_in_file: Vec<String>,
    /// A CSV's first rows (cells cut to 60 characters), to map its columns.
    pub rows: Vec<Vec<String>>,
    pub accounts: Vec<BankAccount>,
}

fn read_chosen(path: &Path) -> Result<(String, Vec<u8>), ApiError> {
    let (label, file, size) = super::files::open_chosen(path)?;
    let too_large = || {
        FieldError::new(
            "file",
            Code::FileTooLarge,
            "a statement file is at most 50 MB",
        )
        .with("max", bank::MAX_FILE_BYTES / 1_000_000)
    };
    if size as usize > bank::MAX_FILE_BYTES {
        return Err(too_large().into());
    }
    // Read no further than the limit: a device reports no size.
    let bytes = riskdesk_core::import::read_capped(file, bank::MAX_FILE_BYTES as u64)
        .map_err(|e| FieldError::new("file", Code::Unreadable, format!("{label}: {e}")))?;
    if bytes.len() > bank::MAX_FILE_BYTES {
        return Err(too_large().into());
    }
    Ok((label, bytes))
}

/// The statement files chosen (one or several, a month of daily files), each by its name:
/// at most [`bank::MAX_FILE_BYTES`] together.
fn read_all_chosen(paths: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>, ApiError> {
    if paths.is_empty() {
        return Err(ApiError::validation(
            "file",
            Code::Required,
            "choose a statement file first",
        ));
    }
    let mut chosen = Vec::with_capacity(paths.len());
    let mut total = 0;
    for path in paths {
        let (file, bytes) = read_chosen(path)?;
        total += bytes.len();
        if total > bank::MAX_FILE_BYTES {
            return Err(FieldError::new(
                "file",
                Code::FileTooLarge,
                "the statement files chosen are at most 50 MB together",
            )
            .with("max", bank::MAX_FILE_BYTES / 1_000_000)
            .into());
        }
        chosen.push((file, bytes));
    }
    Ok(chosen)
}

pub fn preview(h: &mut Host, paths: &[PathBuf]) -> Result<StatementPreview, ApiError> {
    let chosen = read_all_chosen(paths)?;
    // Several statements (files chosen together, or a ZIP archive of them): the first one's
    // format and rows, every one's accounts.
    let mut files = Vec::new();
    let mut left = bank::MAX_FILE_BYTES as u64;
    for (file, bytes) in &chosen {
        files.extend(bank::statement_files(file, bytes, &mut left)?);
    }
    let text_of = |name: &str, bytes: &[u8]| {
        riskdesk_core::import::text(bytes).map_err(|p| riskdesk_core::Error::Import {
            file: name.to_string(),
            problems: vec![p],
        })
    };
    let text = text_of(&files[0].0, &files[0].1)?;
    let format = bank::detect(&text);
    let mut accounts_in_file: Vec<String> = Vec::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        let format = match i {
            0 => format,
            _ => bank::detect(&text_of(name, bytes)?),
        };
        if format == Format::Csv {
            continue;
        }
        let accounts = bank::parse(name, bytes, Some(format), None)
            .map(|s| {
                s.accounts()
                    .into_iter()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for a in accounts {
            if !accounts_in_file.contains(&a) {
                accounts_in_file.push(a);
            }
        }
    }
    let account_in_file = match accounts_in_file.as_slice() {
        [one] => one.clone(),
        _ => String::new(),
    };
    let rows = match format {
        Format::Csv => bank::first_rows(&text, 8)
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .take(30)
                    .map(|c| c.chars().take(60).collect())
                    .collect()
            })
            .collect(),
        _ => vec![],
    };
    Ok(StatementPreview {
        file: chosen[0].0.clone(),
        files: chosen.into_iter().map(|(file, _)| file).collect(),
        format,
        account_in_file,
        accounts_in_file,
        rows,
        accounts: bank::accounts(h.conn)?,
    })
}

#[derive(Debug, Deserialize)]
pub struct ImportInput {
    /// auto, camt053, mt940 or csv.
    pub format: String,
    pub account: String,
    pub map: Option<CsvMap>,
}

/// Imports the statement files chosen (one or several, each possibly a ZIP archive of
/// statements), all or nothing.
pub fn import(
    h: &mut Host,
    paths: &[PathBuf],
    input: ImportInput,
) -> Result<ImportedStatement, ApiError> {
    text_arg("account", &input.account, 100)?;
    let format = match input.format.as_str() {
        "auto" => None,
        f => Some(Format::parse(f).ok_or_else(|| {
            ApiError::validation(
                "format",
                Code::InvalidChoice,
                format!("auto, {}", Format::choices()),
            )
        })?),
    };
    let chosen = read_all_chosen(paths)?;
    let files: Vec<bank::StatementFile> = chosen
        .iter()
        .map(|(file, bytes)| bank::StatementFile {
            file,
            bytes,
            format,
            account: &input.account,
            map: input.map.clone(),
        })
        .collect();
    h.tx(|tx, ctx| bank::import_statements(tx, ctx, &files))
}

/// A decision from the review dialog: amounts as typed, read in the line's currency.
#[derive(Debug, Deserialize)]
pub struct DecisionInput {
    pub customer_id: i64,
    pub allocations: Vec<AllocationText>,
    #[serde(default)]
    pub write_off_fee: bool,
    /// What the line paid in the customer's currency, typed, when the bank converted it.
    #[serde(default)]
    pub received: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct AllocationText {
    pub invoice_id: i64,
    pub amount: String,
}

pub fn confirm(h: &mut Host, line_id: i64, input: DecisionInput) -> Result<bank::Booked, ApiError> {
    let line_id: i64 = id_arg("line_id", line_id)?;
    let customer_id: CustomerId = id_arg("customer_id", input.customer_id)?;
    if input.allocations.len() > 200 {
        return Err(ApiError::validation(
            "allocations",
            Code::TooMany,
            "at most 200 invoices",
        ));
    }
    bank::line(h.conn, line_id)?;
    // Amounts are in the customer's currency: the line's, or the one the bank converted to.
    let currency = riskdesk_core::customer::get(h.conn, customer_id)?
        .fields
        .currency;
    let received_minor = match input.received.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => {
            text_arg("received", text, 40)?;
            Some(
                Money::written(text, currency)
                    .map_err(|e| e.field("received"))?
                    .minor,
            )
        }
    };
    let mut allocations = Vec::new();
    for (n, a) in input.allocations.iter().enumerate() {
        let field = format!("allocations.{n}");
        text_arg(&field, &a.amount, 40)?;
        let invoice_id: InvoiceId = id_arg(&field, a.invoice_id)?;
        let amount = Money::written(&a.amount, currency).map_err(|e| e.field(&field))?;
        if amount.minor <= 0 {
            return Err(ApiError::validation(
                &field,
                Code::NotPositive,
                "more than zero",
            ));
        }
        allocations.push(bank::AllocationInput {
            invoice_id,
            amount_minor: amount.minor,
        });
    }
    let decision = bank::Decision {
        customer_id,
        allocations,
        write_off_fee: input.write_off_fee,
        received_minor,
    };
    h.tx(|tx, ctx| bank::confirm(tx, ctx, line_id, &decision))
}

/// An open invoice of a customer, for the review dialog.
#[derive(Debug, Serialize)]
pub struct OpenInvoice {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub due_on: chrono::NaiveDate,
    pub owed: Money,
}

pub fn open_invoices(
    conn: &rusqlite::Connection,
    ctx: &riskdesk_core::Ctx,
    customer_id: i64,
) -> Result<Vec<OpenInvoice>, ApiError> {
    let customer_id: CustomerId = id_arg("customer_id", customer_id)?;
    let mut out = Vec::new();
    for item in receivables::open_items(conn, ctx.today, Some(customer_id))? {
        let owed = receivables::invoice_outstanding(conn, item.invoice_id)?;
        if owed > 0 {
            out.push(OpenInvoice {
                invoice_id: item.invoice_id,
                number: item.number,
                due_on: item.due_on,
                owed: Money::new(owed, item.total.currency),
            });
        }
    }
    Ok(out)
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use tauri::{AppHandle, State};

    use super::*;
    use crate::commands::files::ipc::pick_files;

    /// Asks for a statement file, or several (a month of daily files), and previews them;
    /// None when cancelled. The files wait in the window's state for
    /// [`import_bank_statement`] (their paths never cross IPC).
    #[tauri::command]
    pub async fn choose_bank_statement(
        app: AppHandle,
        state: State<'_, AppState>,
        title: String,
    ) -> Result<Option<StatementPreview>, ApiError> {
        let Some(paths) = pick_files(
            &app,
            &state,
            title,
            "CAMT.053, MT940, CSV",
            &["xml", "sta", "mt940", "940", "txt", "csv", "zip"],
        )
        .await?
        else {
            return Ok(None);
        };
        let chosen = paths.clone();
        let preview = state.with_host(move |h| preview(h, &chosen)).await?;
        *state
            .statement_files
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = paths;
        Ok(Some(preview))
    }

    #[tauri::command]
    pub async fn import_bank_statement(
        state: State<'_, AppState>,
        input: ImportInput,
    ) -> Result<ImportedStatement, ApiError> {
        let paths = state
            .statement_files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let imported = state.with_host(move |h| import(h, &paths, input)).await?;
        state
            .statement_files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        Ok(imported)
    }

    crate::commands::read_commands! {
        list_bank_lines(open_only: bool) -> Vec<Review> = |conn, _| Ok(bank::review(conn, open_only)?);
        list_open_invoices(customer_id: i64) -> Vec<OpenInvoice>
            = |conn, ctx| super::open_invoices(conn, &ctx, customer_id);
        get_bank_fee_tolerance() -> String = |conn, _| Ok(bank::fee_tolerance_text(conn)?);
    }

    crate::commands::host_commands! {
        accept_bank_line(line_id: i64) -> bank::Booked
            = |h| { let id: i64 = id_arg("line_id", line_id)?; h.tx(|tx, ctx| bank::accept(tx, ctx, id)) };
        confirm_bank_line(line_id: i64, decision: DecisionInput) -> bank::Booked
            = |h| super::confirm(h, line_id, decision);
        ignore_bank_line(line_id: i64, note: String) -> ()
            = |h| { let id: i64 = id_arg("line_id", line_id)?; text_arg("note", &note, 500)?; h.tx(|tx, ctx| bank::ignore(tx, ctx, id, &note)).map(|_| ()) };
        set_bank_fee_tolerance(text: String) -> String
            = |h| { text_arg("bank_fee_tolerance", &text, 500)?; h.tx(|tx, ctx| bank::set_fee_tolerances(tx, ctx, &text))?; Ok(bank::fee_tolerance_text(h.conn)?) };
    }

    #[tauri::command]
    pub async fn accept_sure_bank_lines(
        state: State<'_, AppState>,
    ) -> Result<Vec<bank::Booked>, ApiError> {
        state.with_host(|h| h.tx(bank::accept_all_sure)).await
    }
}
