//! Imports of the reseller's own files: customers (and their export), invoices and
//! payments. Each is all or nothing, names the file, line and field of every problem, and
//! changes nothing when the same file is imported twice. The usage files have theirs in
//! [`crate::usage`].

mod customers;
mod invoices;
mod payments;
mod sheet;
mod text;
pub mod zipped;

pub(crate) use sheet::read_sheet as read_csv_sheet;

use std::io::Read;

use serde::Serialize;

use crate::error::Code;
use crate::{Error, Result};

pub use customers::{
    export_customers, import_customers, import_customers_with, ImportMode, CUSTOMER_COLUMNS,
};
pub use invoices::{import_invoices, INVOICE_COLUMNS};
pub use payments::{import_payments, PAYMENT_COLUMNS};
pub use text::{container, text};
pub(crate) use text::{
    delimiter, open_quote_at_end, unclosed_quote, unclosed_quote_problem, utf16, BrokenText, Lines,
    Utf16Text,
};

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ImportSummary {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Onboarding rules broken by rows of an existing book, each recorded in the audit trail.
    pub exceptions: usize,
    /// Dunning charges given back (or charged again) because of the payments imported: one
    /// per credit note or charge invoice written.
    pub corrections: usize,
}

impl ImportSummary {
    /// What this import and `other` did together (files imported together).
    pub fn add(&mut self, other: &ImportSummary) {
        self.rows += other.rows;
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.exceptions += other.exceptions;
        self.corrections += other.corrections;
    }
}

/// A file read for [`import_each`]: its name and at most [`MAX_LEDGER_BYTES`] and one of its
/// bytes.
pub type FileRead = Result<(String, Vec<u8>)>;

/// Ledger files chosen together (a year of monthly exports), imported one after another
/// inside the caller's transaction (it commits only when all are read: all or nothing) by
/// `one(name, bytes)`: each file, or each file of a ZIP archive of several, named in it
/// (`2025.zip/01.csv`). `files` reads them one at a time (a file's name and at most
/// [`MAX_LEDGER_BYTES`] and one of its bytes). What they did, added.
pub fn import_each<F>(
    files: impl IntoIterator<Item = FileRead>,
    mut one: F,
) -> Result<ImportSummary>
where
    F: FnMut(&str, &[u8]) -> Result<ImportSummary>,
{
    let mut all = ImportSummary::default();
    let mut any = false;
    for file in files {
        let (file, bytes) = file?;
        // Read cut at the bound, an archive would look cut short: named too large instead.
        if bytes.len() as u64 > MAX_LEDGER_BYTES {
            return Err(too_large(&file));
        }
        for (name, data) in zipped::each_file(&file, &bytes, MAX_LEDGER_BYTES)? {
            all.add(&one(&name, &data)?);
            any = true;
        }
    }
    if !any {
        return Err(Error::field("file", Code::Required, "choose a file"));
    }
    Ok(all)
}

/// The texts a small file chosen holds (alerts, activity logs): itself, or each file of a ZIP
/// archive of several (the pages of one API answer, saved one by one and packed), named in it
/// (`alerts.zip/page-2.json`). Each read as [`text`] is. What they hold (as read, or as
/// extracted from the archive when more) is taken from `left`, the bytes the files chosen
/// together may still hold: an archive holding more is refused as too large.
pub fn texts_of(file: &str, bytes: &[u8], left: &mut u64) -> Result<Vec<(String, String)>> {
    let texts = zipped::each_file(file, bytes, *left)?
        .into_iter()
        .map(|(name, data)| match text(&data) {
            Ok(text) => Ok((name, text)),
            Err(p) => Err(Error::Import {
                file: name,
                problems: vec![p],
            }),
        })
        .collect::<Result<Vec<_>>>()?;
    let held = texts.iter().map(|(_, t)| t.len() as u64).sum::<u64>();
    *left = left.saturating_sub(held.max(bytes.len() as u64));
    Ok(texts)
}

/// What writing one record of a file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    Created,
    Updated,
    /// Recorded alike before: importing a file twice changes nothing.
    Unchanged,
}

/// Writes a file's checked records in order through `write`, counting what each did. An
/// error is the problem of the record's line ([`Error::on_line`]) and the caller drops the
/// transaction. `progress` hears (records done, records in all) every hundred and at the end.
pub(crate) fn write_each<T>(
    file: &str,
    rows: usize,
    records: Vec<(u64, T)>,
    mut progress: impl FnMut(usize, usize),
    mut write: impl FnMut(u64, T) -> Result<Written>,
) -> Result<ImportSummary> {
    let mut summary = ImportSummary {
        rows,
        ..Default::default()
    };
    let total = records.len();
    for (n, (line, record)) in records.into_iter().enumerate() {
        match write(line, record).map_err(|e| e.on_line(file, line))? {
            Written::Created => summary.created += 1,
            Written::Updated => summary.updated += 1,
            Written::Unchanged => summary.unchanged += 1,
        }
        if n % 100 == 0 || n + 1 == total {
            progress(n + 1, total);
        }
    }
    Ok(summary)
}

/// `text` on one line, as a spreadsheet cell broken with Alt+Enter was meant: each line
/// break, with the spaces around it, is one space, or none between Chinese characters
/// (`雲橋科技⏎股份有限公司` is `雲橋科技股份有限公司`).
pub(crate) fn one_line(text: &str) -> String {
    crate::identity::joined(
        text.split(['\r', '\n'])
            .map(str::trim)
            .filter(|l| !l.is_empty()),
    )
}

/// A yes/no cell, from one documented set: `yes`/`no`, `y`/`n`, `true`/`false` (as Excel
/// writes a checkbox), `1`/`0` (any case, full-width too), `是`/`否`, empty for no. Anything
/// else (`maybe`, `x`) is refused, never read as no.
pub fn parse_bool(text: &str) -> Option<bool> {
    match crate::identity::half_width(text)
        .trim()
        .to_lowercase()
        .as_str()
    {
        "" | "no" | "n" | "false" | "0" | "否" => Some(false),
        "yes" | "y" | "true" | "1" | "是" => Some(true),
        _ => None,
    }
}

/// A cell's text as a message quotes it: at most 80 characters.
pub fn shown(text: &str) -> String {
    let mut out: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// The largest ledger file read (customers, invoices, payments, Microsoft's invoices: about
/// two million rows): a larger one is the wrong file, refused before it fills the memory.
pub const MAX_LEDGER_BYTES: u64 = 256 * 1024 * 1024;

/// A file read whole that ends inside a quoted cell is refused ([`open_quote_at_end`]).
pub(crate) fn refuse_cut_short(file: &str, text: &str, delimiter: u8) -> Result<()> {
    match open_quote_at_end(text, delimiter) {
        Some(p) => Err(Error::Import {
            file: file.to_string(),
            problems: vec![p],
        }),
        None => Ok(()),
    }
}

/// A row whose every cell is empty or spaces: what Excel writes where rows were cleared,
/// read as no row at all.
pub(crate) fn blank_row<T: AsRef<[u8]>>(cells: impl IntoIterator<Item = T>) -> bool {
    cells
        .into_iter()
        .all(|cell| cell.as_ref().trim_ascii().is_empty())
}

/// A ledger file read whole as [`text`] (UTF-8, Big5 or UTF-16); a byte that is neither is the
/// file's problem on its line, and a file over [`MAX_LEDGER_BYTES`] is refused unread.
fn read_text(file: &str, reader: impl Read) -> Result<String> {
    let bytes = read_capped(reader, MAX_LEDGER_BYTES)?;
    if bytes.len() as u64 > MAX_LEDGER_BYTES {
        return Err(too_large(file));
    }
    text(&bytes).map_err(|p| Error::Import {
        file: file.to_string(),
        problems: vec![p],
    })
}

/// A ledger file over [`MAX_LEDGER_BYTES`], refused on its line 1.
fn too_large(file: &str) -> Error {
    let mib = MAX_LEDGER_BYTES / (1024 * 1024);
    let problem = crate::error::ImportProblem::new(
        1,
        "file",
        Code::FileTooLarge,
        format!("larger than {mib} MiB, too large for a file of this kind"),
    )
    .with("max", mib);
    Error::Import {
        file: file.to_string(),
        problems: vec![problem],
    }
}

/// Reads to the end, but never more than `max` bytes and one: a longer input (a file too
/// large for its kind, a device that never ends) comes back `max + 1` bytes long, for the
/// caller to refuse.
pub fn read_capped(reader: impl Read, max: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}
