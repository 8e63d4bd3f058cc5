//! Money in from the bank: statements imported (CAMT.053, MT940, or a bank's CSV export
//! through a column mapping kept per account), each line matched to open invoices with a
//! reason and a confidence, and booked as a payment only once the owner confirms it.
//!
//! An import is all or nothing and names the file's line and field of every problem. A line
//! is stored once per account: by the bank's reference, or without one by a hash of its
//! date, direction, amount, text and accounts (the n-th identical line of a file is the
//! n-th such line), so importing the same statement twice, or a later one that overlaps
//! it, adds only the lines not seen before. Outgoing lines are kept and never matched.

mod book;
mod camt;
mod csv_file;
pub mod decode;
pub mod demo;
mod matching;
mod mt940;
mod numbers;
mod proposal;
mod returns;
mod store;
mod tolerance;

pub use crate::dates::DateFormat;
pub use book::*;
pub use csv_file::{first_rows, CsvMap};
pub use matching::*;
pub use proposal::*;
pub use store::*;
pub use tolerance::*;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Code, ImportProblem};
use crate::money::Money;
use crate::text_enum::text_enum;
use crate::{Error, Result};

text_enum!(
    /// The kinds of statement file RiskDesk reads.
    Format {
        Camt053 = "camt053",
        Mt940 = "mt940",
        Csv = "csv",
    }
);

text_enum!(
    /// Money in (credit) or out (debit) of the reseller's account.
    Direction {
        Credit = "credit",
        Debit = "debit",
    }
);

text_enum!(
    /// Where a stored line is: waiting for review, booked as a payment, set aside by the
    /// owner, or outgoing (never matched).
    LineStatus {
        Open = "open",
        Booked = "booked",
        Ignored = "ignored",
        Outgoing = "outgoing",
    }
);

/// A line as a statement file gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedLine {
    /// The file's line the entry starts on (for problems and for the review list).
    pub file_line: u64,
    pub booked_on: NaiveDate,
    pub direction: Direction,
    /// More than zero; `direction` says which way.
    pub amount: Money,
    /// The remittance text (what the payer wrote, the bank's description).
    pub text: String,
    pub payer: String,
    pub payer_account: String,
    /// The account the money arrived on when the file says (a virtual account).
    pub to_account: String,
    /// The bank's reference for the line, or "".
    pub reference: String,
    /// The bank undoing an earlier entry (CAMT `RvslInd`, MT940 `RC`/`RD`): a debit that
    /// reverses a credit is a customer's payment sent back; a credit that reverses a debit
    /// is money paid out coming back, never a customer's payment.
    pub reversal: bool,
}

/// A statement file read: its account as the file names it, and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedStatement {
    pub format: Format,
    /// The account the file's first statement names ("" for a CSV).
    pub account: String,
    pub lines: Vec<ParsedLine>,
    /// Each statement in the file, in order: the account it names and how many of `lines`
    /// are its own (a bank may put the statements of several accounts in one file).
    pub statements: Vec<(String, usize)>,
}

impl ParsedStatement {
    /// The accounts the file's statements name, each once, in the file's order.
    pub fn accounts(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (name, _) in &self.statements {
            let name = name.trim();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
}

/// The format a file's text shows: XML with a CAMT statement, MT940 fields, or else CSV.
pub fn detect(text: &str) -> Format {
    let head: String = text.trim_start().chars().take(4000).collect();
    let camt = [
        "camt.053",
        "camt.052",
        "camt.054",
        "BkToCstmrStmt",
        "BkToCstmrAcctRpt",
        "BkToCstmrDbtCdtNtfctn",
    ];
    if head.starts_with('<') && camt.iter().any(|c| head.contains(c)) {
        Format::Camt053
    } else if head.starts_with("{1:")
        || (head.contains(":20:") && (head.contains(":25:") || head.contains(":61:")))
    {
        Format::Mt940
    } else {
        Format::Csv
    }
}

/// Reads a statement file's bytes. A CSV needs its account's column mapping.
pub fn parse(
    file: &str,
    bytes: &[u8],
    format: Option<Format>,
    map: Option<&CsvMap>,
) -> Result<ParsedStatement> {
    let fail = |problems: Vec<ImportProblem>| Error::Import {
        file: file.to_string(),
        problems,
    };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(fail(vec![ImportProblem::new(
            1,
            "file",
            Code::FileTooLarge,
            format!(
                "a statement file is at most {} MB",
                MAX_FILE_BYTES / 1_000_000
            ),
        )
        .with("max", MAX_FILE_BYTES / 1_000_000)]));
    }
    let text = crate::import::text(bytes).map_err(|p| fail(vec![p]))?;
    if text.trim().is_empty() {
        return Err(fail(vec![ImportProblem::new(
            1,
            "file",
            Code::EmptyFile,
            "the file is empty",
        )]));
    }
    let format = format.unwrap_or_else(|| detect(&text));
    let parsed = match format {
        Format::Camt053 => camt::parse(&text),
        Format::Mt940 => mt940::parse(&text),
        Format::Csv => match map {
            Some(m) => csv_file::parse(&text, m),
            None => Err(vec![ImportProblem::new(
                1,
                "map",
                Code::Required,
                "a bank CSV needs its column mapping (which column is the date, the amount, ...)",
            )]),
        },
    };
    let mut statement = parsed.map_err(fail)?;
    statement.lines.sort_by_key(|l| l.file_line);
    Ok(statement)
}

/// Statement files above this size are refused (a year of a busy account is a few MB).
pub const MAX_FILE_BYTES: usize = 50_000_000;

#[cfg(test)]
#[path = "format_tests.rs"]
mod format_tests;

#[cfg(test)]
#[path = "matching_tests.rs"]
mod matching_tests;

#[cfg(test)]
#[path = "damaged_tests.rs"]
mod damaged_tests;
