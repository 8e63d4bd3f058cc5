//! Importing a usage file: streamed (a reading thread hands batches of records to the
//! checking one; what is summed is held in memory up to a bound and spilled beyond it, see
//! `days`), all or nothing, idempotent.
//!
//! Rows are summed per tenant, Azure subscription, day, meter and region, exactly. A file
//! then **replaces the days it covers**: for each tenant, subscription and day in the
//! file, the day's lines become the file's. So the same file twice changes nothing, an
//! overlapping later download replaces the overlap instead of adding to it, and a
//! revised unbilled file (unbilled figures change until billed) corrects the days it
//! covers. One rule protects the books: an unbilled file never replaces a day already
//! imported from a billed file (rows with an InvoiceNumber).

use std::io::{BufRead, BufReader, Read};

use chrono::NaiveDate;
use rusqlite::Transaction;
use serde::Serialize;
use sha2::Digest;

use super::days::{self, Collected};
use super::import_row::{read_row, Scratch};
use super::read::{self, Format};
use super::tally::Tally;
use super::write::Writer;
use crate::error::{Code, ImportProblem};
use crate::ids::CustomerId;
use crate::import::BrokenText;
use crate::{Ctx, Error, Result};

/// A tenant the file named, and the customer it belongs to (None: unknown, to link).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TenantSeen {
    pub tenant_id: String,
    pub name: String,
    pub domain: String,
    pub customer_id: Option<CustomerId>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct UsageImport {
    pub format: Format,
    pub rows: u64,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    /// Days (tenant × subscription × day) new to the database.
    pub days_added: u64,
    /// Days whose earlier figures the file replaced.
    pub days_replaced: u64,
    /// Days the file has exactly as they were.
    pub days_unchanged: u64,
    /// Unbilled days the file has that were already imported billed (kept as billed).
    pub days_kept_billed: u64,
    /// Rows charging a day of an earlier billing period (FOCUS corrections: refunds,
    /// adjustments), counted on the first day of the billing period that carries them.
    pub earlier_charges: u64,
    /// FOCUS rows left out because they name no customer (an empty `x_CustomerId`: usage
    /// of the partner's own subscriptions in a billing account's export).
    pub no_customer: u64,
    /// What FOCUS purchase rows (reservations, Marketplace) bill each customer: not usage, so
    /// in no day, budget or detector, but told, so that a large one is seen.
    pub purchases: Vec<super::PurchasesSeen>,
    /// Days of purchases (tenant × day × currency) new or with other figures than were kept.
    pub purchase_days_changed: usize,
    /// The new alerts those purchases raised.
    pub purchase_alerts: usize,
    /// FOCUS tax rows left out (usage and budgets are before tax).
    pub taxes: u64,
    /// Rows a Microsoft credit pays (`CreditPercentage` above 0; FOCUS credit rows): usage the
    /// misuse detectors watch, but not billed to the reseller, so in no budget, exposure or
    /// credit line.
    pub credited_rows: u64,
    pub tenants: Vec<TenantSeen>,
    /// The import's record (None when nothing changed and nothing was written).
    pub import_id: Option<i64>,
}

impl UsageImport {
    pub fn changed(&self) -> bool {
        self.days_added + self.days_replaced > 0
            || self.purchase_days_changed > 0
            || self.purchase_alerts > 0
    }
}

/// Records handed from the reading thread to the checking one at a time.
const BATCH: usize = 1024;

struct Batch {
    records: Vec<csv::ByteRecord>,
    /// How many of `records` are filled.
    n: usize,
    /// Bytes of the file read so far.
    bytes: u64,
    /// A record that could not be read: its line and why; reading stops there.
    error: Option<(Option<u64>, ImportProblem)>,
}

/// The record's problem and the reader's line for it (the problem's line is set from it),
/// or the file's problem on its line 1.
fn describe(e: &csv::Error) -> (Option<u64>, ImportProblem) {
    let row = |code, message| ImportProblem::new(0, "row", code, message);
    if let csv::ErrorKind::Io(io) = e.kind() {
        // Found at the archive's end (a second file, a damaged one): the file's problem.
        if let Some(zip) = crate::import::zipped::ZipProblem::of(io) {
            return (None, zip.to_problem());
        }
        if let Some(broken) = io.get_ref().and_then(|e| e.downcast_ref::<BrokenText>()) {
            return (
                e.position().map(|p| p.line()),
                row(Code::NotText, broken.to_string()),
            );
        }
    }
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "{} where the header has {expected_len}: a truncated or broken line",
            crate::english::count(len, "field", "fields")
        ),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
        _ => e.to_string(),
    };
    (
        e.position().map(|p| p.line()),
        row(Code::MalformedRow, message),
    )
}

/// Imports a usage file inside `tx` (the caller commits). `progress(bytes, rows)` is called
/// every few thousand rows. Nothing is written when the file has a problem.
pub fn import_usage(
    tx: &Transaction,
    ctx: &Ctx,
    file: &str,
    reader: impl Read + Send,
    format: Option<Format>,
    progress: impl FnMut(u64, u64),
) -> Result<UsageImport> {
    import_usage_for(tx, ctx, file, reader, format, None, progress)
}

/// The same, for a FOCUS export that names no customer (no `x_CustomerId` column: one
/// customer's own export from Cost Management): every row is `whose` customer's, in the
/// Microsoft tenant its record gives. A file that names its customers is refused with a
/// customer chosen, as is a customer without a tenant id, or whose tenant id the usage
/// kept links to another customer.
pub fn import_usage_for(
    tx: &Transaction,
    ctx: &Ctx,
    file: &str,
    reader: impl Read + Send,
    format: Option<Format>,
    whose: Option<CustomerId>,
    progress: impl FnMut(u64, u64),
) -> Result<UsageImport> {
    let files: Vec<(String, Box<dyn Read + Send + '_>)> =
        vec![(file.to_string(), Box::new(reader))];
    import_usage_files(tx, ctx, files, format, whose, progress)
}

/// Several files imported as one: the parts of one export (Microsoft Graph writes a large
/// export as several blobs, and a day's rows may fall in two of them). Their rows are summed
/// together before the days they cover are replaced, so a day split between two parts keeps
/// both parts' rows (imported one by one, the second would replace the day the first
/// wrote). All or nothing: the first file with a problem is named with its own lines.
/// `progress(bytes, rows)` counts the files' bytes one after another.
pub fn import_usage_files<'a>(
    tx: &Transaction,
    ctx: &Ctx,
    files: Vec<(String, Box<dyn Read + Send + 'a>)>,
    format: Option<Format>,
    whose: Option<CustomerId>,
    progress: impl FnMut(u64, u64),
) -> Result<UsageImport> {
    let label = label_of(&files);
    let whose = match whose {
        Some(id) => Some(super::tenants::of_customer(tx, &label, id)?),
        None => None,
    };
    // The book's page cache (64 MiB, for reports over a large book) is not what an import
    // needs: it writes mostly new pages. A smaller one while it runs keeps the import's
    // memory flat and below 64 MiB in all; the book's own size comes back after.
    let cache: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    tx.execute_batch(&format!("PRAGMA cache_size = {IMPORT_CACHE_KIB};"))?;
    let result = import_with_spill(tx, ctx, files, format, progress, None, whose);
    tx.execute_batch(&format!("PRAGMA cache_size = {cache};"))?;
    result
}

/// The name an import of `files` is recorded under: the file's, or the first's and how
/// many more.
pub fn label_of<R>(files: &[(String, R)]) -> String {
    match files {
        [] => String::new(),
        [(one, _)] => one.clone(),
        [(first, _), rest @ ..] => format!(
            "{first} (and {})",
            crate::english::count(rest.len(), "more file", "more files")
        ),
    }
}

/// The page cache while a usage file is imported, in KiB (negative: SQLite's way of saying
/// kibibytes rather than pages).
const IMPORT_CACHE_KIB: i64 = -16384;

/// The same, spilling after `spill_at` lines (tests use a small bound).
#[allow(clippy::too_many_arguments)]
fn import_with_spill<'a>(
    tx: &Transaction,
    ctx: &Ctx,
    files: Vec<(String, Box<dyn Read + Send + 'a>)>,
    format: Option<Format>,
    mut progress: impl FnMut(u64, u64),
    spill_at: Option<usize>,
    whose: Option<(String, String)>,
) -> Result<UsageImport> {
    let label = label_of(&files);
    let mut c = Collected {
        spill_at,
        ..Default::default()
    };
    let mut hashes = sha2::Sha256::new();
    let mut sha256 = String::new();
    let mut read_before = 0u64;
    let mut format_of: Option<Format> = None;
    // The files read, and whether the one read last was JSON lines: the problems found after
    // one such file is read are on its lines too.
    let (mut read_files, mut json_lines_last) = (0, false);
    // A Graph export's manifests, and the usage files read, by name: the manifest names the
    // export's blobs.
    let (mut manifests, mut read_names) = (Vec::new(), Vec::new());
    for (chosen, reader) in files {
        // A Graph export (JSON lines, gzip-compressed or not) is read as the CSV it stands
        // for, a ZIP archive as the file or the parts of one export it holds, each named
        // in it (`usage.zip/part-2.csv`). Their progress is then in the file's own bytes.
        let fail = |file: &str, p: ImportProblem| Error::Import {
            file: file.to_string(),
            problems: vec![p],
        };
        let mut parts = super::json_lines::Parts::open(reader).map_err(|p| fail(&chosen, p))?;
        while let Some((member, part)) = parts.next().map_err(|p| fail(&chosen, p))? {
            let file = match member {
                Some(member) => format!("{chosen}/{member}"),
                None => chosen.clone(),
            };
            let super::json_lines::Plain {
                text,
                json_lines,
                file_bytes,
            } = match part {
                super::json_lines::Part::Usage(plain) => plain,
                super::json_lines::Part::Manifest(m) => {
                    manifests.push((file, m));
                    continue;
                }
            };
            read_names.push(file.clone());
            let mut progress = |bytes: u64, rows: u64| {
                let bytes = file_bytes.as_ref().map_or(bytes, |read| {
                    read.load(std::sync::atomic::Ordering::Relaxed)
                });
                progress(read_before + bytes, rows);
            };
            let read = read_file(
                tx,
                &mut c,
                &file,
                text,
                format_of.or(format),
                &mut progress,
                whose.clone(),
            )
            .and_then(|read| match refused(&mut c, &file) {
                Some(e) => Err(e),
                None => Ok(read),
            });
            let (format, sha) = read.map_err(|e| on_file_lines(e, json_lines))?;
            c.overlap.end_file(&file);
            (read_files, json_lines_last) = (read_files + 1, json_lines);
            // The parts of one export are of one format (the first file's is asked of the
            // others).
            format_of = Some(format);
            hashes.update(&sha);
            sha256 = sha;
        }
        read_before += parts.bytes_read();
    }
    c.overlap.judge(&c.order)?;
    let json_only = json_lines_last && read_files == 1;
    let incomplete = super::manifest::problems(&manifests, &read_names);
    if let Some((manifest, _)) = incomplete.first() {
        return Err(Error::Import {
            file: manifest.clone(),
            problems: incomplete.into_iter().map(|(_, p)| p).collect(),
        });
    }
    if read_files == 0 {
        let problem = ImportProblem::new(
            1,
            "blobs",
            Code::EmptyFile,
            "the export's manifest names no blob: no usage to import",
        );
        return Err(Error::Import {
            file: label,
            problems: vec![problem],
        });
    }
    if read_files > 1 {
        sha256 = crate::hex::lower(&hashes.finalize());
    }
    let resolved = days::resolve_dates(&mut c);
    if let Some(p) = super::import_row::mixed_marks(&c) {
        c.problem(p);
    }
    if let Some(e) = refused(&mut c, &label) {
        return Err(on_file_lines(e, json_only));
    }
    let mut writer = Writer::new(
        tx,
        ctx,
        &label,
        sha256,
        format_of.unwrap_or(Format::PartnerCenter),
        c.rows,
    );
    for ((raw, pricing, billing), rate) in std::mem::take(&mut c.rates) {
        // A correction's rate is its own period's, not that of the day it is counted on.
        if let Some(&(d, false)) = resolved.get(&raw) {
            writer.rate(d, pricing, billing, rate);
        }
    }
    let tenants = std::mem::take(&mut c.tenants);
    let strings = std::mem::take(&mut c.strings);
    days::for_each_day(tx, &mut c, &strings, &label, &resolved, |key, day| {
        writer.day(&strings, &tenants, key, day)
    })
    .map_err(|e| on_file_lines(e, json_only))?;
    let mut summary = writer.finish(&strings, &tenants)?;
    summary.earlier_charges = c.earlier_charges;
    summary.no_customer = c.no_customer;
    summary.taxes = c.taxes;
    summary.credited_rows = c.credited_rows;
    // After the days: a tenant the file's usage linked (by its domain too) is found linked.
    let told = super::purchases::tell(tx, ctx, &mut c, &resolved)?;
    summary.purchases = told.seen;
    summary.purchase_days_changed = told.changed;
    summary.purchase_alerts = told.raised;
    Ok(summary)
}

/// Reads one file of an import into `c` (its rows summed with those of the files before it):
/// its format and the SHA-256 of its text. Its problems are left in `c`.
#[allow(clippy::too_many_arguments)]
fn read_file(
    tx: &Transaction,
    c: &mut Collected,
    file: &str,
    reader: impl Read + Send,
    format: Option<Format>,
    mut progress: impl FnMut(u64, u64),
    whose: Option<(String, String)>,
) -> Result<(Format, String)> {
    let rows_before = c.rows;
    let fail = |p: ImportProblem| Error::Import {
        file: file.to_string(),
        problems: vec![p],
    };
    let mut buffered = BufReader::with_capacity(1 << 16, Tally::new(reader));
    let head = buffered.fill_buf()?;
    if let Some(problem) = crate::import::container(head) {
        return Err(fail(problem));
    }
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(fail(ImportProblem::new(
            1,
            "header",
            Code::EmptyFile,
            "the file is empty",
        )));
    }
    let delimiter = crate::import::delimiter(head);
    // The csv crate counts a record's line one short after a CRLF line break
    // (rust-csv#395): with CRLF line ends (Excel, Partner Center's billed files) every row
    // after the header is one line further than it says.
    let crlf = head
        .iter()
        .position(|b| *b == b'\n')
        .is_some_and(|i| i > 0 && head[i - 1] == b'\r');
    let after_crlf = u64::from(crlf);
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(buffered);
    let headers = csv
        .headers()
        .map_err(|e| {
            fail(ImportProblem::new(
                1,
                "header",
                Code::Unreadable,
                format!("cannot read the header: {e}"),
            ))
        })?
        .clone();
    let cols = read::columns(&headers, format, whose.is_some()).map_err(fail)?;
    let mut scratch = Scratch::default();
    scratch.whose = whose;
    let mut encoding = read::Encoding::default();
    let mut decoded = csv::ByteRecord::new();
    let decimal_comma = delimiter == b';';
    let mut spill_error = None;
    // Where the last row starts (byte, line): a quoted cell left open in it means the file
    // was cut short, and the reader would take the cell as it stands.
    let mut last_row = None;
    // Two threads: one reads, hashes and splits the file into records, the other checks
    // and sums them; batches of records go back and forth, so memory stays bounded.
    let tally = std::thread::scope(|scope| {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<csv::ByteRecord>>();
        let reader = scope.spawn(move || {
            let mut csv = csv;
            loop {
                let mut records = empty_rx.try_recv().unwrap_or_default();
                records.resize_with(BATCH, csv::ByteRecord::new);
                let mut n = 0;
                let mut error = None;
                while n < BATCH {
                    match csv.read_byte_record(&mut records[n]) {
                        Ok(true) => n += 1,
                        Ok(false) => break,
                        Err(e) => {
                            error = Some(describe(&e));
                            break;
                        }
                    }
                }
                let done = n < BATCH || error.is_some();
                let bytes = csv.get_ref().get_ref().bytes;
                if full_tx
                    .send(Batch {
                        records,
                        n,
                        bytes,
                        error,
                    })
                    .is_err()
                    || done
                {
                    break;
                }
            }
            csv.into_inner().into_inner()
        });
        for batch in full_rx {
            if let Some(r) = batch.records[..batch.n].last() {
                last_row = r.position().map(|p| (p.byte(), p.line() + after_crlf));
            }
            for record in &batch.records[..batch.n] {
                // A row of empty cells is what Excel leaves where rows were cleared.
                if crate::import::blank_row(record) {
                    continue;
                }
                c.rows += 1;
                let line = record
                    .position()
                    .map_or(c.rows - rows_before + 1, |p| p.line() + after_crlf);
                let record = encoding.utf8(record, &mut decoded);
                read_row(
                    c,
                    &mut scratch,
                    &cols,
                    &headers,
                    record,
                    line,
                    decimal_comma,
                );
            }
            if let Some((line, mut problem)) = batch.error {
                if problem.field == "row" {
                    problem.line = line.map_or(c.rows - rows_before + 2, |l| l + after_crlf);
                }
                c.problem(problem);
            }
            progress(batch.bytes, c.rows);
            let _ = empty_tx.send(batch.records);
            if let Err(e) = c.spill_if_full(tx) {
                spill_error = Some(e);
                break;
            }
        }
        reader.join()
    })
    .map_err(|_| Error::Invalid(format!("{file}: the file reader stopped unexpectedly")))?;
    if let Some(e) = spill_error {
        return Err(e);
    }
    if let Some((start, line)) = last_row {
        // After a CRLF the reader places a row at the LF before it (rust-csv#395, as above).
        let opened = tally.since(start).and_then(|rest| {
            let row = rest.strip_prefix(b"\n").unwrap_or(rest);
            crate::import::unclosed_quote(row, delimiter)
        });
        if let Some(after) = opened {
            c.problem(crate::import::unclosed_quote_problem(line + after));
        }
    }
    progress(tally.bytes, c.rows);
    let sha256 = crate::hex::lower(&tally.hash.finalize());
    if c.rows == rows_before && c.problems.is_empty() {
        c.problem(ImportProblem::new(
            2,
            "row",
            Code::EmptyFile,
            "the file has a header but no rows",
        ));
    }
    Ok((cols.format, sha256))
}

/// `e` with its problems on the file's own lines where the file was JSON lines (read as CSV
/// under a header made from its first object).
fn on_file_lines(e: Error, json_lines: bool) -> Error {
    match e {
        Error::Import { file, mut problems } if json_lines => {
            for p in &mut problems {
                p.line = super::json_lines::file_line(p.line);
            }
            Error::Import { file, problems }
        }
        other => other,
    }
}

/// The import's error where `c` holds problems (taken from it), naming `file`.
fn refused(c: &mut Collected, file: &str) -> Option<Error> {
    if c.problems.is_empty() {
        return None;
    }
    if c.more_problems > 0 {
        let n = std::mem::take(&mut c.more_problems);
        c.problems.push(
            ImportProblem::new(
                0,
                "file",
                Code::MoreProblems,
                format!(
                    "{} not listed",
                    crate::english::count(n, "more problem", "more problems")
                ),
            )
            .with("n", n),
        );
    }
    Some(Error::Import {
        file: file.to_string(),
        problems: std::mem::take(&mut c.problems),
    })
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
