//! Bank accounts (with their CSV mapping), statements imported and their stored lines.

use std::borrow::Cow;
use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{parse, CsvMap, Direction, Format, LineStatus, ParsedLine};
use crate::error::{Code, FieldError, ImportProblem};
use crate::money::Money;
use crate::store::parse_day;
use crate::{audit, Ctx, Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BankAccount {
    pub id: i64,
    pub name: String,
    /// The mapping its CSV exports were last read with.
    pub csv_map: Option<CsvMap>,
}

fn account_from(r: &Row) -> rusqlite::Result<BankAccount> {
    let map: String = r.get(2)?;
    Ok(BankAccount {
        id: r.get(0)?,
        name: r.get(1)?,
        csv_map: serde_json::from_str(&map).ok(),
    })
}

pub fn accounts(conn: &Connection) -> Result<Vec<BankAccount>> {
    crate::store::rows(
        conn,
        "SELECT id, name, csv_map FROM bank_accounts ORDER BY name",
        [],
        account_from,
    )
}

pub fn account_by_name(conn: &Connection, name: &str) -> Result<Option<BankAccount>> {
    Ok(conn
        .query_row(
            "SELECT id, name, csv_map FROM bank_accounts WHERE name = ?1",
            params![name.trim()],
            account_from,
        )
        .optional()?)
}

/// A line as stored: the line as its file gave it, and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BankLine {
    pub id: i64,
    pub account: String,
    pub statement_id: i64,
    /// What the file said (its fields sit beside the others in JSON).
    #[serde(flatten)]
    pub entry: super::ParsedLine,
    pub status: LineStatus,
    pub payment_id: Option<i64>,
    pub decided_at: Option<String>,
    pub decided_by: String,
    pub note: String,
    /// The customer a booked line's payment went to.
    pub booked_to: Option<BookedTo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BookedTo {
    pub id: crate::ids::CustomerId,
    pub name: String,
}

const LINE_COLUMNS: &str = "l.id, a.name, l.statement_id, l.file_line, l.booked_on, l.direction, l.amount_minor, l.currency, \
     l.text, l.payer, l.payer_account, l.to_account, l.reference, l.status, l.payment_id, l.decided_at, l.decided_by, l.note, \
     c.id, c.legal_name, l.reversal";

fn line_from(r: &Row) -> rusqlite::Result<BankLine> {
    Ok(BankLine {
        id: r.get(0)?,
        account: r.get(1)?,
        statement_id: r.get(2)?,
        entry: super::ParsedLine {
            file_line: r.get::<_, i64>(3)?.max(0) as u64,
            booked_on: parse_day(&r.get::<_, String>(4)?)?,
            direction: r.get(5)?,
            amount: Money::new(r.get(6)?, r.get(7)?),
            text: r.get(8)?,
            payer: r.get(9)?,
            payer_account: r.get(10)?,
            to_account: r.get(11)?,
            reference: r.get(12)?,
            reversal: r.get(20)?,
        },
        status: r.get(13)?,
        payment_id: r.get(14)?,
        decided_at: r.get(15)?,
        decided_by: r.get(16)?,
        note: r.get(17)?,
        booked_to: match r.get::<_, Option<crate::ids::CustomerId>>(18)? {
            Some(id) => Some(BookedTo {
                id,
                name: r.get(19)?,
            }),
            None => None,
        },
    })
}

/// Stored lines, newest first; only those waiting for review with `open_only`.
pub fn lines(conn: &Connection, open_only: bool) -> Result<Vec<BankLine>> {
    crate::store::rows(
        conn,
        &format!(
            "SELECT {LINE_COLUMNS} FROM bank_lines l JOIN bank_accounts a ON a.id = l.account_id
         LEFT JOIN payments p ON p.id = l.payment_id LEFT JOIN customers c ON c.id = p.customer_id
         WHERE (?1 = 0 OR l.status = 'open') ORDER BY l.booked_on DESC, l.id DESC"
        ),
        params![open_only as i64],
        line_from,
    )
}

pub fn line(conn: &Connection, id: i64) -> Result<BankLine> {
    conn.query_row(
        &format!("SELECT {LINE_COLUMNS} FROM bank_lines l JOIN bank_accounts a ON a.id = l.account_id \
           LEFT JOIN payments p ON p.id = l.payment_id LEFT JOIN customers c ON c.id = p.customer_id WHERE l.id = ?1"),
        params![id],
        line_from,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("bank line {id}")))
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedStatement {
    pub statement_id: i64,
    pub account: String,
    pub format: Format,
    /// Lines in the file.
    pub lines: usize,
    /// Lines stored for the first time (incoming ones wait for review).
    pub added: usize,
    /// Lines already stored by an earlier import (nothing changed for them).
    pub known: usize,
    /// New outgoing lines (kept, never matched).
    pub outgoing: usize,
}

/// A statement file to import into an account (named, or else as the file names it).
pub struct StatementFile<'a> {
    pub file: &'a str,
    pub bytes: &'a [u8],
    pub format: Option<Format>,
    pub account: &'a str,
    /// A CSV's mapping; the account's stored one when absent.
    pub map: Option<CsvMap>,
}

/// The key a line is stored under: the bank's reference, or a hash of what it says. The
/// n-th line of a file with the same key gets `#n`, so two identical fees on one day are
/// two lines, and the same two in a later, overlapping file are the same two.
fn dedup_keys(lines: &[ParsedLine]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    lines
        .iter()
        .map(|l| {
            let base = if l.reference.trim().is_empty() {
                let mut h = Sha256::new();
                for part in [
                    l.booked_on.to_string(),
                    l.direction.as_str().to_string(),
                    l.amount.minor.to_string(),
                    l.amount.currency.code().to_string(),
                    l.text.clone(),
                    l.payer.clone(),
                    l.payer_account.clone(),
                    l.to_account.clone(),
                ] {
                    h.update(part.as_bytes());
                    h.update([0u8]);
                }
                let digest = h.finalize();
                format!("hash:{}", crate::hex::lower(&digest[..16]))
            } else {
                format!("ref:{}", l.reference.trim())
            };
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}#{n}")
            }
        })
        .collect()
}

/// Imports a statement: all its lines or none. Lines stored before are counted, not
/// changed; the account is made on its first statement and keeps the CSV mapping. A file
/// with the statements of several accounts (as a bank may export them together) puts each
/// account's lines in that account; it cannot be imported into one account named. A ZIP
/// archive holding several statements (a month of daily files, as a bank packs them) is
/// each of them imported in turn, all or nothing, a problem naming its file in the archive
/// (`statements.zip/2025-01-06.xml`).
pub fn import_statement(
    tx: &Transaction,
    ctx: &Ctx,
    f: &StatementFile,
) -> Result<ImportedStatement> {
    import_statements(tx, ctx, std::slice::from_ref(f))
}

/// Imports several statement files chosen together (a month of daily files), each in turn
/// as [`import_statement`] does, all or nothing: what they did together. What they hold,
/// extracted from their archives, is at most [`super::MAX_FILE_BYTES`] together.
pub fn import_statements(
    tx: &Transaction,
    ctx: &Ctx,
    files: &[StatementFile],
) -> Result<ImportedStatement> {
    let mut all = None;
    let mut left = super::MAX_FILE_BYTES as u64;
    for f in files {
        for (file, bytes) in statement_files(f.file, f.bytes, &mut left)? {
            let one = StatementFile {
                file: &file,
                bytes: &bytes,
                format: f.format,
                account: f.account,
                map: f.map.clone(),
            };
            all = Some(together(all, import_one(tx, ctx, &one)?));
        }
    }
    all.ok_or_else(|| Error::field("file", Code::Required, "choose a statement file"))
}

/// The statement files a chosen file is: itself, or, for a ZIP archive holding several,
/// each of them, named in it (`statements.zip/2025-01-06.xml`), in the archive's order.
/// What they hold (extracted) is taken from `left`, the bytes the files chosen together may
/// still hold: an archive holding more is refused as too large.
pub fn statement_files<'a>(
    file: &str,
    bytes: &'a [u8],
    left: &mut u64,
) -> Result<Vec<(String, Cow<'a, [u8]>)>> {
    let files = crate::import::zipped::each_file(file, bytes, *left)?;
    let held: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    *left = left.saturating_sub(held);
    Ok(files)
}

/// What two imports of statements did together: the second's statement, each account once.
fn together(all: Option<ImportedStatement>, one: ImportedStatement) -> ImportedStatement {
    let Some(a) = all else {
        return one;
    };
    let account = if a.account.split(", ").any(|n| n == one.account) {
        a.account
    } else {
        format!("{}, {}", a.account, one.account)
    };
    ImportedStatement {
        statement_id: if one.statement_id != 0 {
            one.statement_id
        } else {
            a.statement_id
        },
        account,
        format: a.format,
        lines: a.lines + one.lines,
        added: a.added + one.added,
        known: a.known + one.known,
        outgoing: a.outgoing + one.outgoing,
    }
}

/// One statement file (see [`import_statement`]).
fn import_one(tx: &Transaction, ctx: &Ctx, f: &StatementFile) -> Result<ImportedStatement> {
    let named = f.account.trim();
    if named.chars().count() > 100 || crate::customer::has_control(named, false) {
        return Err(Error::fields(
            FieldError::new(
                "account",
                Code::Invalid,
                "an account name is 1 to 100 characters",
            )
            .with("value", crate::import::shown(named)),
        ));
    }
    let existing = if named.is_empty() {
        None
    } else {
        account_by_name(tx, named)?
    };
    if let Some(m) = &f.map {
        m.validate()?;
    }
    let map = f
        .map
        .clone()
        .or_else(|| existing.as_ref().and_then(|a| a.csv_map.clone()));
    let statement = parse(f.file, f.bytes, f.format, map.as_ref())?;
    let problems: Vec<ImportProblem> = statement
        .lines
        .iter()
        .filter(|l| l.booked_on > ctx.today)
        .map(|l| {
            ImportProblem::new(
                l.file_line,
                "date",
                Code::AfterToday,
                "a line booked after today",
            )
            .with("value", l.booked_on)
        })
        .collect();
    Error::refuse_if_any(f.file, problems)?;
    let accounts = statement.accounts();
    if accounts.len() > 1 && !named.is_empty() {
        let listed = accounts.join(", ");
        return Err(Error::fields(
            FieldError::new(
                "account",
                Code::SeveralAccounts,
                format!("the file holds the statements of {} accounts ({listed}): import it without naming an account, and each account's lines go to it", accounts.len()),
            )
            .with("n", accounts.len())
            .with("value", crate::import::shown(&listed)),
        ));
    }
    // Each account's lines, in the file's order (a statement naming no account is the
    // first one's).
    let mut groups: Vec<(String, Vec<ParsedLine>)> = Vec::new();
    let mut rest = statement.lines.iter();
    for (account, count) in &statement.statements {
        let account = match account.trim() {
            "" => accounts.first().copied().unwrap_or(""),
            a => a,
        };
        let name = if named.is_empty() {
            account.chars().take(100).collect::<String>()
        } else {
            named.to_string()
        };
        let lines = rest.by_ref().take(*count).cloned();
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, l)) => l.extend(lines),
            None => groups.push((name, lines.collect())),
        }
    }
    if groups.is_empty() {
        groups.push((named.to_string(), Vec::new()));
    }
    if groups.iter().any(|(name, _)| name.is_empty()) {
        return Err(Error::field(
            "account",
            Code::Required,
            "name the bank account this statement is from",
        ));
    }
    let mut all: Option<ImportedStatement> = None;
    for (name, lines) in groups {
        let one = store_lines(tx, ctx, f, &name, statement.format, &lines, map.as_ref())?;
        all = Some(together(all, one));
    }
    Ok(all.expect("one account at least"))
}

/// Stores one account's lines of a statement file (see [`import_statement`]); a CSV's
/// mapping is kept with the account.
fn store_lines(
    tx: &Transaction,
    ctx: &Ctx,
    f: &StatementFile,
    name: &str,
    format: Format,
    lines: &[ParsedLine],
    map: Option<&CsvMap>,
) -> Result<ImportedStatement> {
    let keys = dedup_keys(lines);
    let known = match account_by_name(tx, name)? {
        Some(a) => {
            let mut exists =
                tx.prepare("SELECT 1 FROM bank_lines WHERE account_id = ?1 AND dedup_key = ?2")?;
            let mut n = 0;
            for k in &keys {
                if exists.exists(params![a.id, k])? {
                    n += 1;
                }
            }
            n
        }
        None => 0,
    };
    if known == keys.len() {
        // Nothing new: the book stays as it is (the same statement imported again).
        return Ok(ImportedStatement {
            statement_id: 0,
            account: name.to_string(),
            format,
            lines: keys.len(),
            added: 0,
            known,
            outgoing: 0,
        });
    }
    let map_text = match (format, map) {
        (Format::Csv, Some(m)) => serde_json::to_string(m).unwrap_or_default(),
        _ => String::new(),
    };
    let account_id = match account_by_name(tx, name)? {
        Some(a) => {
            if !map_text.is_empty() && a.csv_map.as_ref() != map {
                tx.execute(
                    "UPDATE bank_accounts SET csv_map = ?1 WHERE id = ?2",
                    params![map_text, a.id],
                )?;
            }
            a.id
        }
        None => {
            tx.execute(
                "INSERT INTO bank_accounts (name, csv_map, created_at) VALUES (?1, ?2, ?3)",
                params![name, map_text, ctx.now_text()],
            )?;
            tx.last_insert_rowid()
        }
    };
    let sha = crate::hex::lower(&Sha256::digest(f.bytes));
    tx.execute(
        "INSERT INTO bank_statements (account_id, file_name, sha256, format, imported_at, actor, lines_added, lines_known)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0)",
        params![account_id, f.file, sha, format.as_str(), ctx.now_text(), ctx.actor],
    )?;
    let statement_id = tx.last_insert_rowid();
    let (mut added, mut outgoing) = (0, 0);
    {
        let mut insert = tx.prepare(
            "INSERT OR IGNORE INTO bank_lines (account_id, statement_id, file_line, booked_on, direction, amount_minor,
                 currency, text, payer, payer_account, to_account, reference, dedup_key, status, reversal)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        for (l, key) in lines.iter().zip(&keys) {
            // A debit reversing a credit (a payment sent back) waits for review like money in.
            let status = match l.direction {
                Direction::Debit if !l.reversal => LineStatus::Outgoing,
                _ => LineStatus::Open,
            };
            let cut = |s: &str| s.chars().take(1000).collect::<String>();
            let n = insert.execute(params![
                account_id,
                statement_id,
                l.file_line as i64,
                l.booked_on.to_string(),
                l.direction.as_str(),
                l.amount.minor,
                l.amount.currency.code(),
                cut(&l.text),
                cut(&l.payer),
                cut(&l.payer_account),
                cut(&l.to_account),
                cut(&l.reference),
                key,
                status.as_str(),
                l.reversal,
            ])?;
            added += n;
            if n > 0 && status == LineStatus::Outgoing {
                outgoing += 1;
            }
        }
    }
    let summary = ImportedStatement {
        statement_id,
        account: name.to_string(),
        format,
        lines: lines.len(),
        added,
        known: lines.len() - added,
        outgoing,
    };
    tx.execute(
        "UPDATE bank_statements SET lines_added = ?1, lines_known = ?2 WHERE id = ?3",
        params![summary.added as i64, summary.known as i64, statement_id],
    )?;
    audit::record(
        tx,
        ctx,
        "bank_statement",
        statement_id,
        "import",
        None,
        Some(&summary),
    )?;
    Ok(summary)
}
