//! Bank CSV exports, read through a column mapping the owner sets once per bank account.
//!
//! A mapped column is named by its header (any case) or by its number (1 is the first).
//! Lines before the header (the account and the period, as Taiwanese exports begin) are
//! passed over; so are rows without a date (blank lines, totals). The separator is the one
//! of comma, semicolon and tab the first lines use most.

use serde::{Deserialize, Serialize};

use super::decode;
use super::{Direction, ParsedLine, ParsedStatement};
use crate::dates::DateFormat;
use crate::error::{Code, FieldError, ImportProblem};
use crate::money::{Currency, Money};
use crate::{Error, Result};

/// Which column holds what. Either `amount` (signed: a withdrawal is negative) or `credit`
/// and/or `debit` (deposits and withdrawals in columns of their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsvMap {
    pub date: String,
    pub amount: String,
    pub credit: String,
    pub debit: String,
    pub text: String,
    pub payer: String,
    pub reference: String,
    /// The account the money arrived on (a customer's virtual account).
    pub account: String,
    /// A column that says which way `amount` went (`C`/`D`, `CR`/`DR`, `存入`/`支出`), for
    /// banks that write every amount unsigned beside it.
    pub direction: String,
    pub date_format: DateFormat,
    /// The account's currency (bank exports rarely say it on each row).
    pub currency: String,
}

impl Default for CsvMap {
    fn default() -> Self {
        CsvMap {
            date: String::new(),
            amount: String::new(),
            credit: String::new(),
            debit: String::new(),
            text: String::new(),
            payer: String::new(),
            reference: String::new(),
            account: String::new(),
            direction: String::new(),
            date_format: DateFormat::Iso,
            currency: "TWD".into(),
        }
    }
}

const ROLES: &[&str] = &[
    "date",
    "amount",
    "credit",
    "debit",
    "text",
    "payer",
    "reference",
    "account",
    "direction",
];

impl CsvMap {
    /// The command line's form: `date=日期,credit=存入,debit=支出,text=摘要,date-format=roc`.
    pub fn parse_spec(spec: &str) -> Result<CsvMap> {
        let mut map = CsvMap::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').ok_or_else(|| {
                Error::fields(
                    FieldError::new("map", Code::Invalid, format!("{pair:?} is not ROLE=COLUMN"))
                        .with("value", pair),
                )
            })?;
            let value = value.trim().to_string();
            match key.trim() {
                "date" => map.date = value,
                "amount" => map.amount = value,
                "credit" => map.credit = value,
                "debit" => map.debit = value,
                "text" => map.text = value,
                "payer" => map.payer = value,
                "reference" => map.reference = value,
                "account" => map.account = value,
                "direction" => map.direction = value,
                "currency" => map.currency = value,
                "date-format" | "date_format" => {
                    map.date_format = DateFormat::field("date_format", &value)
                        .map_err(|e| Error::fields(e.with("value", &value)))?
                }
                other => {
                    return Err(Error::fields(
                        FieldError::new(
                            "map",
                            Code::UnknownColumn,
                            format!(
                                "{other} is not a role (use {}, currency, date-format)",
                                ROLES.join(", ")
                            ),
                        )
                        .with("value", other)
                        .with(
                            "columns",
                            format!("{}, currency, date-format", ROLES.join(", ")),
                        ),
                    ))
                }
            }
        }
        map.validate()?;
        Ok(map)
    }

    /// A date column, an amount or a credit or debit column, and a known currency.
    pub fn validate(&self) -> Result<()> {
        let mut errs = Vec::new();
        if self.date.trim().is_empty() {
            errs.push(FieldError::new(
                "date",
                Code::Required,
                "which column holds the date?",
            ));
        }
        if self.amount.trim().is_empty() && self.credit.trim().is_empty() {
            errs.push(FieldError::new(
                "credit",
                Code::Required,
                "which column holds the amount (or the deposits)?",
            ));
        }
        if !self.direction.trim().is_empty() && self.amount.trim().is_empty() {
            errs.push(FieldError::new(
                "direction",
                Code::Invalid,
                "a direction column says which way the amount column went: choose the amount column too",
            ));
        }
        if Currency::parse(self.currency.trim()).is_none() {
            errs.push(
                FieldError::new(
                    "currency",
                    Code::InvalidCurrency,
                    "not a currency RiskDesk knows",
                )
                .with("value", &self.currency),
            );
        }
        for (role, value) in self.roles() {
            if value.chars().count() > 100 || crate::customer::has_control(value, false) {
                errs.push(
                    FieldError::new(role, Code::Invalid, "not a column name")
                        .with("value", crate::import::shown(value)),
                );
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(errs))
        }
    }

    fn roles(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("date", &self.date),
            ("amount", &self.amount),
            ("credit", &self.credit),
            ("debit", &self.debit),
            ("text", &self.text),
            ("payer", &self.payer),
            ("reference", &self.reference),
            ("account", &self.account),
            ("direction", &self.direction),
        ]
    }
}

fn delimiter(text: &str) -> u8 {
    let head: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(8)
        .collect();
    let count = |c: char| head.iter().map(|l| l.matches(c).count()).sum::<usize>();
    [(b',', count(',')), (b';', count(';')), (b'\t', count('\t'))]
        .into_iter()
        .max_by_key(|(d, n)| (*n, *d == b','))
        .map(|(d, _)| d)
        .unwrap_or(b',')
}

/// The file's first rows, as the mapping form shows them.
pub fn first_rows(text: &str, n: usize) -> Vec<Vec<String>> {
    rows(text)
        .into_iter()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .take(n)
        .map(|(_, r)| r)
        .collect()
}

fn rows(text: &str) -> Vec<(u64, Vec<String>)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut lines = crate::import::Lines::new(text);
    reader
        .records()
        .filter_map(|r| r.ok())
        .map(|r| {
            let line = lines.of(r.position());
            (line, r.iter().map(|c| c.trim().to_string()).collect())
        })
        .collect()
}

/// Each mapped role and the index of its column.
type Columns = Vec<(&'static str, usize)>;

/// Where each mapped role's column is, and the index of the first data row.
fn locate(
    map: &CsvMap,
    rows: &[(u64, Vec<String>)],
) -> std::result::Result<(Columns, usize), ImportProblem> {
    let wanted: Vec<(&'static str, &str)> = map
        .roles()
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let numbered = |v: &str| v.trim().parse::<usize>().ok().filter(|n| *n >= 1);
    let named: Vec<&str> = wanted
        .iter()
        .map(|(_, v)| *v)
        .filter(|v| numbered(v).is_none())
        .collect();
    if named.is_empty() {
        let cols = wanted
            .iter()
            .map(|(r, v)| (*r, numbered(v).unwrap_or(1) - 1))
            .collect();
        return Ok((cols, 0));
    }
    let norm = |s: &str| crate::identity::half_width(s).trim().to_lowercase();
    for (i, (_, row)) in rows.iter().enumerate().take(30) {
        let cells: Vec<String> = row.iter().map(|c| norm(c)).collect();
        if named.iter().all(|n| cells.contains(&norm(n))) {
            let cols = wanted
                .iter()
                .map(|(role, v)| {
                    let at = numbered(v)
                        .map(|n| n - 1)
                        .or_else(|| cells.iter().position(|c| *c == norm(v)))
                        .unwrap_or(0);
                    (*role, at)
                })
                .collect();
            return Ok((cols, i + 1));
        }
    }
    Err(ImportProblem::new(
        1,
        "map",
        Code::MissingColumn,
        format!(
            "no header row with the columns {} in the first 30 lines",
            named.join(", ")
        ),
    )
    .with("columns", named.join(", ")))
}

/// A file cut short (a download that stopped, a copy of part of it): its last row would be
/// read with a figure or a name cut off (`"12,345"` read as 12), so the file is refused. It
/// shows as a quoted field left open at the end, or as a last row that does not end with a
/// line break and has fewer cells than the rows before it (or the header). A row cut inside
/// its last cell cannot be told from a whole one and is read as it stands.
fn cut_short(
    text: &str,
    all: &[(u64, Vec<String>)],
    first: usize,
    date: Option<usize>,
) -> Option<ImportProblem> {
    if let Some(p) = crate::import::open_quote_at_end(text, delimiter(text)) {
        return Some(p);
    }
    let (line, last) = all.last()?;
    let is_data = date
        .and_then(|i| last.get(i))
        .is_some_and(|c| !c.is_empty());
    if text.ends_with(['\n', '\r']) || !is_data || all.len() <= first {
        return None;
    }
    let before = &all[first..all.len() - 1];
    let width = match before.iter().map(|(_, r)| r.len()).max() {
        Some(w) => w,
        // The only data row: the header's cells, less empty ones at its end.
        None => first
            .checked_sub(1)
            .map(|h| {
                let header = &all[h].1;
                header.len() - header.iter().rev().take_while(|c| c.is_empty()).count()
            })
            .unwrap_or(0),
    };
    (last.len() < width).then(|| {
        ImportProblem::new(
            *line,
            "file",
            Code::Truncated,
            "the last row has fewer cells than the rows before it and no line break after it: the file is cut short",
        )
    })
}

/// The lines of a bank CSV export read with `map`.
pub fn parse(text: &str, map: &CsvMap) -> std::result::Result<ParsedStatement, Vec<ImportProblem>> {
    let currency = Currency::parse(map.currency.trim()).ok_or_else(|| {
        vec![ImportProblem::new(
            1,
            "currency",
            Code::InvalidCurrency,
            "the mapping's currency is not one RiskDesk knows",
        )]
    })?;
    let all = rows(text);
    let (cols, first) = locate(map, &all).map_err(|p| vec![p])?;
    let col = |role: &str| cols.iter().find(|(r, _)| *r == role).map(|(_, i)| *i);
    if let Some(p) = cut_short(text, &all, first, col("date")) {
        return Err(vec![p]);
    }
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    let mut seen_data = false;
    for (line, row) in &all[first..] {
        let cell = |role: &str| -> &str {
            col(role)
                .and_then(|i| row.get(i))
                .map(String::as_str)
                .unwrap_or("")
        };
        let problem = |field: &str, code: Code, msg: String, value: &str| {
            ImportProblem::new(*line, field, code, msg).with("value", crate::import::shown(value))
        };
        let date_cell = cell("date");
        if date_cell.is_empty() {
            continue;
        }
        let Some(booked_on) = crate::dates::written(date_cell, map.date_format).ok() else {
            // Before the first data row, a row whose date cell is no date is a preamble.
            if seen_data || col("date").is_some() && first > 0 {
                problems.push(problem(
                    "date",
                    Code::InvalidDate,
                    format!("not a date in the {} form", map.date_format),
                    date_cell,
                ));
            }
            continue;
        };
        seen_data = true;
        let signed = |role: &str| -> std::result::Result<i64, ImportProblem> {
            let c = cell(role);
            if c.is_empty() {
                return Ok(0);
            }
            decode::amount(c, currency)
                .map_err(|e| problem(role, e.code(), format!("{c} is not an amount"), c))
        };
        let amounts = if col("direction").is_some() {
            // An unsigned amount, and the column that says which way it went. A `CR`/`DR`
            // mark in the amount cell may repeat what the column says, never contradict it.
            let way = cell("direction");
            let mark = decode::mark(cell("amount"));
            match (signed("amount"), direction_word(way)) {
                (Ok(_), Some(w)) if mark.is_some_and(|m| m != w) => Err(problem(
                    "amount",
                    Code::BothDirections,
                    format!(
                        "{} says one way and the direction column says {way:?}",
                        cell("amount")
                    ),
                    cell("amount"),
                )),
                (Ok(a), Some(_)) if a < 0 && mark.is_none() => Err(problem(
                    "amount",
                    Code::BothDirections,
                    format!(
                        "{} has a sign and a direction column beside it",
                        cell("amount")
                    ),
                    cell("amount"),
                )),
                (Ok(a), Some(true)) => Ok((a.abs(), 0)),
                (Ok(a), Some(false)) => Ok((0, a.abs())),
                // Nothing beside a marked amount: the mark says which way.
                (Ok(a), None) if way.trim().is_empty() && (a == 0 || mark.is_some()) => {
                    Ok((a.max(0), (-a).max(0)))
                }
                (Ok(_), None) => Err(problem(
                    "direction",
                    Code::InvalidChoice,
                    format!("{way:?} says neither in nor out (C or D, CR or DR, 存入 or 支出)"),
                    way,
                )),
                (Err(p), _) => Err(p),
            }
        } else if col("amount").is_some() {
            signed("amount").map(|a| (a.max(0), (-a).max(0)))
        } else {
            signed("credit").and_then(|c| Ok((c.abs(), signed("debit")?.abs())))
        };
        let (credit, debit) = match amounts {
            Ok(a) => a,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        // A reference, an account or a text that a spreadsheet turned into `9.98800E+13` has
        // lost the digits that name the transfer or the customer's virtual account.
        let lost: Vec<ImportProblem> = ["reference", "account", "text"]
            .into_iter()
            .filter(|role| crate::identity::is_spreadsheet_exponent(cell(role)))
            .map(|role| {
                ImportProblem::at(
                    *line,
                    crate::receivables::exponent_problem(role, cell(role)),
                )
            })
            .collect();
        if !lost.is_empty() {
            problems.extend(lost);
            continue;
        }
        let (direction, minor) = match (credit, debit) {
            (0, 0) => continue,
            (c, 0) => (Direction::Credit, c),
            (0, d) => (Direction::Debit, d),
            _ => {
                problems.push(problem(
                    "credit",
                    Code::BothDirections,
                    "a row with both a deposit and a withdrawal".into(),
                    cell("credit"),
                ));
                continue;
            }
        };
        lines.push(ParsedLine {
            file_line: *line,
            booked_on,
            direction,
            amount: Money::new(minor, currency),
            text: cell("text").to_string(),
            payer: cell("payer").to_string(),
            payer_account: String::new(),
            to_account: cell("account").to_string(),
            reference: cell("reference").to_string(),
            reversal: false,
        });
    }
    if problems.is_empty() {
        Ok(ParsedStatement {
            format: super::Format::Csv,
            account: String::new(),
            statements: vec![(String::new(), lines.len())],
            lines,
        })
    } else {
        Err(problems)
    }
}

/// Which way a direction column says the amount beside it went: `Some(true)` in (a
/// credit to the account), `Some(false)` out; `None` for anything else, never a guess.
fn direction_word(text: &str) -> Option<bool> {
    let word = crate::identity::half_width(text)
        .trim()
        .trim_end_matches('.')
        .to_lowercase();
    match word.as_str() {
        "c" | "cr" | "credit" | "deposit" | "in" | "存" | "存入" | "收入" | "入" | "貸"
        | "貸方" => Some(true),
        "d" | "dr" | "debit" | "withdrawal" | "out" | "提" | "提款" | "支出" | "支" | "出"
        | "借" | "借方" => Some(false),
        _ => None,
    }
}
