//! `riskdesk bank`: statements imported, their lines reviewed, booked or set aside.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use riskdesk_core::bank::{self, CsvMap, Format, StatementFile};

use super::{begin, commit, pad, say, CliResult};
use crate::session;

#[derive(Subcommand, Debug)]
pub enum BankCommand {
    /// Import a bank statement: CAMT.053 (XML), MT940, or the bank's CSV export read with a
    /// column mapping (remembered with the account). All or nothing; lines seen before are
    /// counted, not added again. Several files (a month of daily statements), or a ZIP
    /// archive of them, are imported together, all or nothing.
    Import {
        #[arg(required = true, num_args = 1..)]
        file: Vec<PathBuf>,
        /// auto (the default), camt053, mt940 or csv.
        #[arg(long, default_value = "auto")]
        format: String,
        /// The bank account's name (default: the account the statement names; a CSV needs one).
        /// A file with the statements of several accounts puts each account's lines in it
        /// and takes no name.
        #[arg(long, value_name = "NAME")]
        account: Option<String>,
        /// A CSV's columns by header or number:
        /// date=COL,amount=COL,credit=COL,debit=COL,text=COL,payer=COL,reference=COL,account=COL,
        /// date-format=iso|roc|dmy|mdy,currency=TWD
        #[arg(long, value_name = "ROLE=COL,...")]
        map: Option<String>,
    },
    /// The statement lines with what RiskDesk proposes for each (newest first).
    Lines {
        #[arg(long)]
        json: bool,
        /// Only the lines waiting for review.
        #[arg(long)]
        open: bool,
    },
    /// Book lines as proposed (a customer must be proposed), or every line proposed sure.
    Confirm {
        #[arg(value_name = "LINE", required_unless_present = "all_sure")]
        lines: Vec<i64>,
        #[arg(long, conflicts_with = "lines")]
        all_sure: bool,
        /// For one line the bank converted (its customer is billed in another currency): what
        /// it paid in the customer's currency, as the bank's advice says (`1,200.00`).
        #[arg(long, value_name = "AMOUNT", conflicts_with = "all_sure")]
        received: Option<String>,
    },
    /// Set a line aside (a transfer between own accounts, a refund), with a note.
    Ignore {
        line: i64,
        #[arg(long, default_value = "")]
        note: String,
    },
}

pub(super) fn bank_cmd(db: &Path, command: BankCommand) -> CliResult {
    match command {
        BankCommand::Import {
            file,
            format,
            account,
            map,
        } => import(db, &file, &format, account.as_deref(), map.as_deref()),
        BankCommand::Lines { json, open } => lines(db, json, open),
        BankCommand::Confirm {
            lines,
            all_sure,
            received,
        } => confirm(db, &lines, all_sure, received.as_deref()),
        BankCommand::Ignore { line, note } => {
            let (mut conn, ctx) = super::open_book(db)?;
            let tx = begin(&mut conn)?;
            let l = bank::ignore(&tx, &ctx, line, &note)?;
            commit(tx, &ctx)?;
            say!("line {} set aside", l.id);
            Ok(())
        }
    }
}

fn import(
    db: &Path,
    files: &[PathBuf],
    format: &str,
    account: Option<&str>,
    map: Option<&str>,
) -> CliResult {
    let format = match format {
        "auto" => None,
        f => Some(
            Format::parse(f).ok_or_else(|| format!("--format: use auto, {}", Format::choices()))?,
        ),
    };
    let map = map.map(CsvMap::parse_spec).transpose()?;
    let mut chosen = Vec::with_capacity(files.len());
    for file in files {
        // One byte over the limit is enough for the import to refuse the file as too large.
        let input = super::open_input(file)?;
        let bytes = riskdesk_core::import::read_capped(input, bank::MAX_FILE_BYTES as u64)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        chosen.push((file.display().to_string(), bytes));
    }
    let name = match files {
        [one] => one
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        _ => format!("{} files", files.len()),
    };
    let statements: Vec<StatementFile> = chosen
        .iter()
        .map(|(file, bytes)| StatementFile {
            file,
            bytes,
            format,
            account: account.unwrap_or(""),
            map: map.clone(),
        })
        .collect();
    let (mut conn, ctx) = super::open_book(db)?;
    let tx = begin(&mut conn)?;
    let s = bank::import_statements(&tx, &ctx, &statements)?;
    commit(tx, &ctx)?;
    say!(
        "{name}: {} ({}) into {}: {} new ({} outgoing), {} already imported",
        riskdesk_core::english::count(s.lines, "line", "lines"),
        s.format,
        s.account,
        s.added,
        s.outgoing,
        s.known
    );
    Ok(())
}

/// For a line in another currency than its customer's: how to book it, and what it is about
/// worth at a known rate.
fn converted(p: &bank::Proposal) -> Option<String> {
    let param = |reason: bank::Reason, key: &str| {
        p.reasons
            .iter()
            .find(|w| w.reason == reason)
            .and_then(|w| w.params.get(key).cloned())
    };
    let currency = param(bank::Reason::OtherCurrency, "currency")?;
    let about = match (
        param(bank::Reason::ConvertedEstimate, "estimate"),
        param(bank::Reason::ConvertedEstimate, "rate_en"),
    ) {
        (Some(estimate), Some(rate)) => format!("; about {estimate} at {rate}"),
        _ => String::new(),
    };
    Some(format!(
        "billed in {currency}: confirm with --received AMOUNT (the bank's advice){about}"
    ))
}

fn lines(db: &Path, json: bool, open: bool) -> CliResult {
    let conn = session::connect(db)?;
    let reviews = bank::review(&conn, open)?;
    let mut out = std::io::stdout().lock();
    if json {
        super::write_json(&mut out, &reviews)?;
        return Ok(());
    }
    for r in &reviews {
        let l = &r.line;
        let (what, customer, invoices) = match &r.proposal {
            Some(p) => (
                p.confidence.as_str().to_string(),
                p.customer_name.clone(),
                p.allocations
                    .iter()
                    .map(|a| format!("{} {}", a.number, a.amount.format()))
                    .chain(p.fee.map(|f| format!("fee {}", f.format())))
                    .chain(converted(p))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            None => (l.status.as_str().to_string(), String::new(), String::new()),
        };
        writeln!(
            out,
            "{:>5}  {}  {:>16}  {}  {}  {}  {}",
            l.id,
            l.entry.booked_on,
            format!(
                "{}{}",
                if l.entry.direction == bank::Direction::Debit {
                    "-"
                } else {
                    ""
                },
                l.entry.amount.format()
            ),
            pad(&what, 8),
            pad(
                &format!("{} {}", l.entry.payer, l.entry.text)
                    .trim()
                    .chars()
                    .take(40)
                    .collect::<String>(),
                40
            ),
            pad(&customer, 30),
            invoices
        )?;
    }
    Ok(())
}

fn confirm(db: &Path, ids: &[i64], all_sure: bool, received: Option<&str>) -> CliResult {
    let (mut conn, ctx) = super::open_book(db)?;
    let tx = begin(&mut conn)?;
    let booked = if all_sure {
        bank::accept_all_sure(&tx, &ctx)?
    } else if let Some(received) = received {
        let [id] = ids else {
            return Err(riskdesk_core::Error::field(
                "received",
                riskdesk_core::error::Code::Invalid,
                "--received is what one line paid: name one line",
            )
            .into());
        };
        vec![bank::accept_converted(&tx, &ctx, *id, received)?]
    } else {
        ids.iter()
            .map(|id| bank::accept(&tx, &ctx, *id))
            .collect::<Result<Vec<_>, _>>()?
    };
    commit(tx, &ctx)?;
    for b in &booked {
        if b.sent_back {
            say!(
                "line {}: sends back payment {} of customer {}: recorded as taken back, what it paid is owed again",
                b.line_id,
                b.payment_id,
                b.customer_id
            );
            continue;
        }
        let applied = if b.allocated == b.received {
            format!("{} allocated", b.allocated.format())
        } else {
            format!(
                "{} received, {} to the invoices named, the rest to the oldest open ones",
                b.received.format(),
                b.allocated.format()
            )
        };
        say!(
            "line {}: payment {} of customer {} ({applied}{})",
            b.line_id,
            b.payment_id,
            b.customer_id,
            b.fee_written_off
                .map(|f| format!(", bank fee {} written off", f.format()))
                .unwrap_or_default()
        );
    }
    if booked.is_empty() {
        say!("nothing to book");
    }
    Ok(())
}
