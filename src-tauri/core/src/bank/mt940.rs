//! SWIFT MT940 customer statements.
//!
//! Read here rather than with a strict parser: Taiwanese and other Asian banks write the
//! payer's name in Chinese in `:86:`, outside SWIFT's character set, and a strict grammar
//! refuses the whole file for it. What is read: `:25:` (the account), `:60F:`/`:60M:` (the
//! currency), each `:61:` (date, credit or debit, amount, references) with the `:86:` after
//! it (the text, and in the structured `?20`..`?33` form the payer's name and account), and
//! `:62F:`/`:62M:`, without which the statement is incomplete (a truncated file).
//!
//! The interim report of the day (MT942) is read alike: it has no balances, its currency is
//! the floor limit's (`:34F:EURD0,`), and it ends with its totals (`:90D:`/`:90C:`) if at
//! all; its entries are the day's statement's, which then adds only what it did not have.

use chrono::{Datelike, NaiveDate};

use super::{Direction, ParsedLine, ParsedStatement};
use crate::error::{Code, ImportProblem};
use crate::money::{Currency, Money};

/// One field: its tag, its text (continuation lines joined with `\n`) and its first line.
struct Field {
    tag: String,
    value: String,
    line: u64,
}

fn fields(text: &str) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let mut line = raw.trim_end_matches('\r');
        // SWIFT envelopes ({1:...}{2:...}{4:) and the end of a message (-}) are not fields.
        if line.starts_with('{') {
            match line.find("{4:") {
                Some(at) => line = &line[at + 3..],
                None => continue,
            }
        }
        if line == "-" || line == "-}" || line.trim().is_empty() {
            continue;
        }
        let tagged = line.strip_prefix(':').and_then(|rest| {
            let end = rest.find(':')?;
            let tag = &rest[..end];
            (tag.len() >= 2 && tag.len() <= 3 && tag.bytes().all(|b| b.is_ascii_alphanumeric()))
                .then(|| (tag.to_string(), rest[end + 1..].to_string()))
        });
        match (tagged, out.last_mut()) {
            (Some((tag, value)), _) => out.push(Field {
                tag,
                value,
                line: i as u64 + 1,
            }),
            (None, Some(last)) => {
                last.value.push('\n');
                last.value.push_str(line);
            }
            (None, None) => {}
        }
    }
    out
}

fn yymmdd(s: &str) -> Option<NaiveDate> {
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s[..2].parse().ok()?;
    let m: u32 = s[2..4].parse().ok()?;
    let d: u32 = s[4..].parse().ok()?;
    // SWIFT's two-digit years: 80-99 are the 1900s.
    NaiveDate::from_ymd_opt(if y >= 80 { 1900 + y } else { 2000 + y }, m, d)
}

/// The statement line of a `:61:` field and the `:86:` after it.
fn statement_line(
    f: &Field,
    info: Option<&Field>,
    currency: Currency,
) -> Result<ParsedLine, ImportProblem> {
    let problem = |field: &str, code: Code, msg: &str| {
        ImportProblem::new(f.line, field, code, format!(":61: {msg}"))
            .with("value", crate::import::shown(&f.value))
    };
    let first = f.value.lines().next().unwrap_or("");
    let supplementary = f.value.lines().nth(1).unwrap_or("").trim();
    let value_date = first.get(..6).and_then(yymmdd).ok_or_else(|| {
        problem(
            "date",
            Code::InvalidDate,
            "the value date (YYMMDD) is missing or not a date",
        )
    })?;
    let mut rest = &first[6..];
    // An entry date (MMDD) may follow; its year is the value date's, or the next or the
    // one before across a new year.
    let mut booked_on = value_date;
    if rest.len() >= 4 && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        let m: u32 = rest[..2].parse().unwrap_or(0);
        let d: u32 = rest[2..4].parse().unwrap_or(0);
        let candidates = [
            value_date.year() - 1,
            value_date.year(),
            value_date.year() + 1,
        ];
        booked_on = candidates
            .iter()
            .filter_map(|y| NaiveDate::from_ymd_opt(*y, m, d))
            .min_by_key(|c| (*c - value_date).num_days().abs())
            .ok_or_else(|| {
                problem(
                    "date",
                    Code::InvalidDate,
                    "the entry date (MMDD) is not a date",
                )
            })?;
        rest = &rest[4..];
    }
    let (direction, reversal, after) = if let Some(r) = rest.strip_prefix("RC") {
        (Direction::Debit, true, r)
    } else if let Some(r) = rest.strip_prefix("RD") {
        (Direction::Credit, true, r)
    } else if let Some(r) = rest.strip_prefix('C') {
        (Direction::Credit, false, r)
    } else if let Some(r) = rest.strip_prefix('D') {
        (Direction::Debit, false, r)
    } else {
        return Err(problem(
            "direction",
            Code::Invalid,
            "the credit or debit mark (C, D, RC, RD) is missing",
        ));
    };
    // An optional funds code (the third letter of the currency), then the amount.
    let after = match after.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => &after[1..],
        _ => after,
    };
    let end = after
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(after.len());
    let amount_text = after[..end].replacen(',', ".", 1);
    let amount_text = amount_text.trim_end_matches('.');
    let amount = Money::parse(amount_text, currency)
        .ok()
        .filter(|m| m.minor > 0)
        .ok_or_else(|| {
            problem(
                "amount",
                Code::InvalidAmount,
                "the amount is missing or not a number (1234,56)",
            )
        })?;
    // The transaction type (N, S or F and three characters), then the references.
    let refs = after[end..].get(4..).unwrap_or("");
    let (customer_ref, bank_ref) = match refs.split_once("//") {
        Some((c, b)) => (c.trim(), b.trim()),
        None => (refs.trim(), ""),
    };
    let meaningful = |r: &str| !r.is_empty() && !r.eq_ignore_ascii_case("NONREF");
    let reference = if meaningful(bank_ref) {
        bank_ref
    } else if meaningful(customer_ref) {
        customer_ref
    } else {
        ""
    };
    let mut line = ParsedLine {
        file_line: f.line,
        booked_on,
        direction,
        amount,
        text: String::new(),
        payer: String::new(),
        payer_account: String::new(),
        to_account: String::new(),
        reference: reference.to_string(),
        reversal,
    };
    let mut texts = vec![];
    if meaningful(customer_ref) && customer_ref != reference {
        texts.push(customer_ref.to_string());
    }
    if !supplementary.is_empty() {
        texts.push(supplementary.to_string());
    }
    if let Some(info) = info {
        read_information(&info.value, &mut line, &mut texts);
    }
    line.text = texts.join(" ");
    Ok(line)
}

/// `:86:` as free text, or in the structured form (`166?00...?20purpose?32name`).
fn read_information(value: &str, line: &mut ParsedLine, texts: &mut Vec<String>) {
    let joined: String = value
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("");
    let structured = joined.len() > 3
        && joined.as_bytes()[..3].iter().all(u8::is_ascii_digit)
        && joined[3..].starts_with('?');
    if !structured {
        if joined.starts_with('/') && read_slash_codes(&joined, line, texts) {
            return;
        }
        let free: Vec<&str> = value
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        texts.push(free.join(" "));
        return;
    }
    let mut purpose = String::new();
    let mut name = String::new();
    for part in joined[3..].split('?').filter(|p| p.len() >= 2) {
        let (code, text) = part.split_at(2);
        match code {
            "20" | "21" | "22" | "23" | "24" | "25" | "26" | "27" | "28" | "29" | "60" | "61"
            | "62" | "63" => purpose.push_str(text),
            "31" => line.payer_account = text.trim().to_string(),
            "32" | "33" => name.push_str(text),
            _ => {}
        }
    }
    if !purpose.trim().is_empty() {
        texts.push(purpose.trim().to_string());
    }
    line.payer = name.trim().to_string();
}

/// `:86:` in the slash-coded form many banks write (`/REMI/INV 12/ORDP//NAME/Contoso/IBAN/..`):
/// the remittance and references as text, the ordering party's name and account as the
/// payer's, the account received on. False when the text has no such code.
fn read_slash_codes(joined: &str, line: &mut ParsedLine, texts: &mut Vec<String>) -> bool {
    const KNOWN: &[&str] = &[
        "REMI", "EREF", "MARF", "PURP", "USTD", "NAME", "PAYER", "ORDP", "IBAN", "ACCT", "CNTP",
        "VA",
    ];
    let parts: Vec<&str> = joined.split('/').collect();
    let is_code = |p: &str| KNOWN.contains(&p);
    if !parts.iter().any(|p| is_code(p)) {
        return false;
    }
    let mut remittance = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let code = parts[i];
        if !is_code(code) {
            i += 1;
            continue;
        }
        // The value runs to the next code (a value may itself hold slashes).
        let mut j = i + 1;
        while j < parts.len() && !is_code(parts[j]) {
            j += 1;
        }
        let value = parts[i + 1..j]
            .join("/")
            .trim()
            .trim_matches('/')
            .to_string();
        match code {
            "REMI" | "EREF" | "MARF" | "PURP" | "USTD" if !value.is_empty() => {
                remittance.push(value)
            }
            "NAME" | "PAYER" => line.payer = value,
            "IBAN" | "ACCT" => line.payer_account = value,
            "VA" => line.to_account = value,
            "CNTP" => {
                // CNTP/account/bic/name/
                let fields: Vec<&str> = value.split('/').collect();
                line.payer_account = fields.first().copied().unwrap_or("").to_string();
                if let Some(name) = fields.get(2) {
                    line.payer = name.trim().to_string();
                }
            }
            _ => {}
        }
        i = j;
    }
    texts.extend(remittance);
    true
}

/// Every statement of the file, its lines in order; problems name their line.
pub fn parse(text: &str) -> Result<ParsedStatement, Vec<ImportProblem>> {
    let fields = fields(text);
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    // Each statement's account and the count of lines before it began.
    let mut parts: Vec<(String, usize)> = Vec::new();
    let mut currency: Option<Currency> = None;
    let mut open = false;
    // The statement read is an interim report (MT942: a floor limit, no balances).
    let mut interim = false;
    let mut last_line = 0;
    for (i, f) in fields.iter().enumerate() {
        last_line = f.line;
        match f.tag.as_str() {
            "20" => {
                // Each statement gives its own currency.
                open = true;
                interim = false;
                currency = None;
            }
            "34F" => {
                interim = true;
                if currency.is_none() {
                    currency = Currency::parse(f.value.get(..3).unwrap_or(""));
                }
            }
            "25" => parts.push((f.value.trim().to_string(), lines.len())),
            "60F" | "60M" => {
                let code = f.value.get(7..10).unwrap_or("");
                currency = Currency::parse(code);
                if currency.is_none() {
                    problems.push(
                        ImportProblem::new(
                            f.line,
                            "currency",
                            Code::InvalidCurrency,
                            format!(":{}: no known currency in {}", f.tag, f.value.trim()),
                        )
                        .with("value", code),
                    );
                }
            }
            "61" => match currency {
                Some(cur) => {
                    let info = fields.get(i + 1).filter(|n| n.tag == "86");
                    match statement_line(f, info, cur) {
                        Ok(l) => lines.push(l),
                        Err(p) => problems.push(p),
                    }
                }
                None => problems.push(ImportProblem::new(
                    f.line,
                    "currency",
                    Code::MissingColumn,
                    ":61: comes before an opening balance (:60F:) that gives the currency",
                )),
            },
            "62F" | "62M" => open = false,
            _ => {}
        }
    }
    if fields.is_empty() {
        problems.push(ImportProblem::new(
            1,
            "file",
            Code::EmptyFile,
            "no MT940 fields (:20:, :61:, ...) in the file",
        ));
    } else if open && !interim {
        problems.push(ImportProblem::new(
            last_line,
            "file",
            Code::Truncated,
            "the statement ends before its closing balance (:62F:): the file is cut short",
        ));
    }
    if problems.is_empty() {
        // Lines before any `:25:` are the first statement's.
        let mut statements: Vec<(String, usize)> = Vec::new();
        for (i, (name, start)) in parts.iter().enumerate() {
            let end = parts.get(i + 1).map_or(lines.len(), |(_, s)| *s);
            let start = if i == 0 { 0 } else { *start };
            statements.push((name.clone(), end - start));
        }
        if statements.is_empty() {
            statements.push((String::new(), lines.len()));
        }
        Ok(ParsedStatement {
            format: super::Format::Mt940,
            account: statements[0].0.clone(),
            lines,
            statements,
        })
    } else {
        Err(problems)
    }
}
