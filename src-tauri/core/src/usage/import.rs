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
use rust_decimal::Decimal;
use serde::Serialize;
use sha2::Digest;

use super::days::{self, Collected, DayMeta, Sums, SEP};
use super::read::{self, Col, Columns, Format, RawDate};
use super::tally::Tally;
use super::write::Writer;
use crate::error::{Code, ImportProblem};
use crate::ids::CustomerId;
use crate::money::Currency;
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
    pub tenants: Vec<TenantSeen>,
    /// The import's record (None when nothing changed and nothing was written).
    pub import_id: Option<i64>,
}

impl UsageImport {
    pub fn changed(&self) -> bool {
        self.days_added + self.days_replaced > 0
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
    error: Option<(Option<u64>, String)>,
}

fn describe(e: &csv::Error) -> (Option<u64>, String) {
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "{len} field(s) where the header has {expected_len}: a truncated or broken line"
        ),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
        _ => e.to_string(),
    };
    (e.position().map(|p| p.line()), message)
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
    // The book's page cache (64 MiB, for reports over a large book) is not what an import
    // needs: it writes mostly new pages. A smaller one while it runs keeps the import's
    // memory flat and below 64 MiB in all; the book's own size comes back after.
    let cache: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    tx.execute_batch(&format!("PRAGMA cache_size = {IMPORT_CACHE_KIB};"))?;
    let result = import_with_spill(tx, ctx, file, reader, format, progress, None);
    tx.execute_batch(&format!("PRAGMA cache_size = {cache};"))?;
    result
}

/// The page cache while a usage file is imported, in KiB (negative: SQLite's way of saying
/// kibibytes rather than pages).
const IMPORT_CACHE_KIB: i64 = -16384;

/// The same, spilling after `spill_at` lines (tests use a small bound).
fn import_with_spill(
    tx: &Transaction,
    ctx: &Ctx,
    file: &str,
    reader: impl Read + Send,
    format: Option<Format>,
    mut progress: impl FnMut(u64, u64),
    spill_at: Option<usize>,
) -> Result<UsageImport> {
    let fail = |p: ImportProblem| Error::Import {
        file: file.to_string(),
        problems: vec![p],
    };
    let mut buffered = BufReader::with_capacity(1 << 16, Tally::new(reader));
    let head = buffered.fill_buf()?;
    if crate::import::utf16(head).is_some() {
        return Err(fail(ImportProblem::new(
            1,
            "file",
            Code::NotText,
            "the file is UTF-16 (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\"",
        )));
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
    let cols = read::columns(&headers, format).map_err(fail)?;
    let mut c = Collected {
        spill_at,
        ..Default::default()
    };
    let mut scratch = Scratch::default();
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
                    .map_or(c.rows + 1, |p| p.line() + after_crlf);
                let record = encoding.utf8(record, &mut decoded);
                read_row(
                    &mut c,
                    &mut scratch,
                    &cols,
                    &headers,
                    record,
                    line,
                    decimal_comma,
                );
            }
            if let Some((line, message)) = batch.error {
                c.problem(ImportProblem::new(
                    line.map_or(c.rows + 2, |l| l + after_crlf),
                    "row",
                    Code::MalformedRow,
                    message,
                ));
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
    if c.rows == 0 && c.problems.is_empty() {
        c.problem(ImportProblem::new(
            2,
            "row",
            Code::EmptyFile,
            "the file has a header but no rows",
        ));
    }
    let resolved = days::resolve_dates(&mut c);
    if !c.problems.is_empty() {
        if c.more_problems > 0 {
            let n = c.more_problems;
            c.problems.push(
                ImportProblem::new(
                    0,
                    "file",
                    Code::MoreProblems,
                    format!("{n} more problem(s) not listed"),
                )
                .with("n", n),
            );
        }
        return Err(Error::Import {
            file: file.to_string(),
            problems: c.problems,
        });
    }
    let mut writer = Writer::new(tx, ctx, file, sha256, cols.format, c.rows);
    for ((raw, pricing, billing), rate) in std::mem::take(&mut c.rates) {
        if let Some(&d) = resolved.get(&raw) {
            writer.rate(d, pricing, billing, rate);
        }
    }
    let tenants = std::mem::take(&mut c.tenants);
    let strings = std::mem::take(&mut c.strings);
    days::for_each_day(tx, &mut c, &strings, file, &resolved, |key, day| {
        writer.day(&strings, &tenants, key, day)
    })?;
    let mut summary = writer.finish(&strings, &tenants)?;
    summary.earlier_charges = c.earlier_charges;
    Ok(summary)
}

/// Buffers reused from row to row, so reading a row allocates nothing in the usual case.
#[derive(Default)]
struct Scratch {
    tenant: String,
    subscription: String,
    meter: String,
}

fn read_row(
    c: &mut Collected,
    sc: &mut Scratch,
    cols: &Columns,
    headers: &csv::StringRecord,
    r: &csv::ByteRecord,
    line: u64,
    decimal_comma: bool,
) {
    let col = |f: Col| cols.column_name(headers, f).to_string();
    let cells = cols.cells(r);
    let cell = |c: &mut Collected, f: Col| -> Option<&str> {
        match cells.get(f) {
            Ok(v) => Some(v),
            Err(m) => {
                c.problem(ImportProblem::new(line, &col(f), Code::NotText, m));
                None
            }
        }
    };
    if cols.format == Format::Focus {
        // FOCUS rows that are not usage: purchases (reservations, Marketplace) and taxes.
        let category = cell(c, Col::ChargeCategory).unwrap_or("");
        if category.eq_ignore_ascii_case("purchase") || category.eq_ignore_ascii_case("tax") {
            return;
        }
    }
    sc.tenant.clear();
    sc.tenant.push_str(cell(c, Col::Tenant).unwrap_or(""));
    sc.tenant.make_ascii_lowercase();
    let tenant_ok = crate::identity::is_guid(&sc.tenant);
    if !tenant_ok {
        let p = if sc.tenant.is_empty() {
            ImportProblem::new(line, &col(Col::Tenant), Code::Required, "empty")
        } else {
            ImportProblem::new(
                line,
                &col(Col::Tenant),
                Code::InvalidGuid,
                format!("{:?} is not a tenant id (GUID)", sc.tenant),
            )
            .with("value", crate::import::shown(&sc.tenant))
        };
        c.problem(p);
    }
    sc.subscription.clear();
    sc.subscription.push_str(read::subscription_id(
        cell(c, Col::Subscription).unwrap_or(""),
    ));
    sc.subscription.make_ascii_lowercase();
    if sc.subscription.is_empty() {
        c.problem(ImportProblem::new(
            line,
            &col(Col::Subscription),
            Code::Required,
            "empty",
        ));
    }
    let date_text = cell(c, Col::Date).unwrap_or("");
    let mut earlier = false;
    let date = match read::raw_date(date_text) {
        Ok(charged) => {
            // A charge of an earlier billing period (a FOCUS correction: a refund or an
            // adjustment of a day already billed) counts on the first day of the billing
            // period that carries it, as the invoice does; the earlier day keeps its usage
            // instead of being replaced by the correction alone.
            let period = match cells.get(Col::BillingPeriodStart) {
                Ok(text) if !text.is_empty() => read::raw_date(text).ok(),
                _ => None,
            };
            let d = match (charged, period) {
                (RawDate::Iso(day), Some(RawDate::Iso(start))) if day < start => {
                    earlier = true;
                    c.earlier_charges += 1;
                    RawDate::Iso(start)
                }
                _ => charged,
            };
            c.order.learn(d, line);
            c.date_lines.entry(d).or_insert(line);
            Some(d)
        }
        Err(m) => {
            let p = ImportProblem::new(line, &col(Col::Date), Code::InvalidDate, m)
                .with("value", crate::import::shown(date_text));
            c.problem(p);
            None
        }
    };
    for extra in [Col::ChargeStart, Col::ChargeEnd] {
        if let Ok(d) = read::raw_date(cells.get(extra).unwrap_or("")) {
            c.order.learn(d, line);
        }
    }
    let number = |c: &mut Collected, f: Col| -> Option<Decimal> {
        let text = cell(c, f)?;
        match read::decimal(text, decimal_comma) {
            Ok(v) => Some(v),
            Err(m) => {
                let code = if text.contains(',') {
                    Code::UseDecimalPoint
                } else {
                    Code::InvalidNumber
                };
                let p = ImportProblem::new(line, &col(f), code, m)
                    .with("value", crate::import::shown(text));
                c.problem(p);
                None
            }
        }
    };
    let cost = number(c, Col::Cost);
    let quantity = number(c, Col::Quantity);
    let currency_text = cell(c, Col::Currency).unwrap_or("");
    let currency = Currency::parse(currency_text);
    if currency.is_none() {
        c.problem(
            ImportProblem::new(
                line,
                &col(Col::Currency),
                Code::InvalidCurrency,
                format!("{currency_text:?} is not a currency RiskDesk knows"),
            )
            .with("value", crate::import::shown(currency_text)),
        );
    }
    let rate = file_rate(c, cols, headers, &cells, line, decimal_comma);
    let (Some(date), Some(cost), Some(quantity), Some(currency)) = (date, cost, quantity, currency)
    else {
        return;
    };
    if let Some((pricing, rate)) = rate {
        // A correction's rate is its own period's, not the day it is counted on.
        if pricing != currency && !earlier {
            c.rates.entry((date, pricing, currency)).or_insert(rate);
        }
    }
    if !tenant_ok || sc.subscription.is_empty() {
        return;
    }
    // The text cells kept: UTF-8 (a cell that is not is a problem, never read as empty)
    // without control characters.
    for f in [
        Col::TenantName,
        Col::Domain,
        Col::Category,
        Col::Subcategory,
        Col::Meter,
        Col::Region,
        Col::Unit,
        Col::Invoice,
    ] {
        let Some(text) = cell(c, f) else {
            return;
        };
        if crate::customer::has_control(text, false) {
            c.problem(ImportProblem::new(
                line,
                &col(f),
                Code::ControlCharacter,
                "contains a control character (such as NUL): remove it",
            ));
            return;
        }
    }
    let t = c.strings.id(&sc.tenant);
    if let std::collections::btree_map::Entry::Vacant(e) = c.tenants.entry(t) {
        let name = cells.get(Col::TenantName).unwrap_or("").to_string();
        let domain = cells.get(Col::Domain).unwrap_or("").to_ascii_lowercase();
        e.insert((name, domain));
    }
    let s = c.subs.id(&sc.subscription);
    let billed = !cells.get(Col::Invoice).unwrap_or("").is_empty();
    sc.meter.clear();
    for (i, f) in [Col::Category, Col::Subcategory, Col::Meter]
        .iter()
        .enumerate()
    {
        if i > 0 {
            sc.meter.push(SEP);
        }
        sc.meter.push_str(cells.get(*f).unwrap_or(""));
    }
    sc.meter.push(SEP);
    read::push_region(&mut sc.meter, cells.get(Col::Region).unwrap_or(""));
    sc.meter.push(SEP);
    sc.meter.push_str(cells.get(Col::Unit).unwrap_or(""));
    let m = c.strings.id(&sc.meter);
    let day = c.days.entry((t, s, date)).or_insert_with(|| DayMeta {
        currency,
        billed,
        lines: Vec::new(),
    });
    if day.currency != currency {
        let message = format!(
            "{} where earlier rows of this subscription and day are in {}",
            currency.code(),
            day.currency.code()
        );
        c.problem(ImportProblem::new(
            line,
            &col(Col::Currency),
            Code::CurrencyMismatch,
            message,
        ));
        return;
    }
    day.billed |= billed;
    let sums = match day.lines.iter().rposition(|(k, _)| *k == m) {
        Some(i) => &mut day.lines[i].1,
        None => {
            day.lines.push((m, Sums::default()));
            c.lines_held += 1;
            &mut day.lines.last_mut().expect("just pushed").1
        }
    };
    match (
        sums.quantity.checked_add(quantity),
        sums.cost.checked_add(cost),
    ) {
        (Some(q), Some(v)) => {
            sums.quantity = q;
            sums.cost = v;
        }
        _ => c.problem(ImportProblem::new(
            line,
            &col(Col::Cost),
            Code::SumTooLarge,
            "this row's amounts added to the day's exceed what RiskDesk can count: check for a value with extra digits",
        )),
    }
}

/// The row's pricing currency and its rate to the billing currency (`PCToBCExchangeRate`,
/// FOCUS `x_BillingExchangeRate`), when the file has both; a rate that is not a positive
/// number is a problem naming the line and column.
fn file_rate(
    c: &mut Collected,
    cols: &Columns,
    headers: &csv::StringRecord,
    cells: &read::Cells,
    line: u64,
    decimal_comma: bool,
) -> Option<(Currency, Decimal)> {
    let pricing = cells.get(Col::PricingCurrency).ok()?;
    let rate = cells.get(Col::PcRate).ok()?;
    if pricing.is_empty() || rate.is_empty() {
        return None;
    }
    let Some(pricing) = Currency::parse(pricing) else {
        let name = cols.column_name(headers, Col::PricingCurrency).to_string();
        c.problem(
            ImportProblem::new(
                line,
                &name,
                Code::InvalidCurrency,
                format!("{pricing:?} is not a currency RiskDesk knows"),
            )
            .with("value", crate::import::shown(pricing)),
        );
        return None;
    };
    match read::decimal(rate, decimal_comma) {
        Ok(v) if v > Decimal::ZERO => Some((pricing, v)),
        Ok(_) | Err(_) => {
            let name = cols.column_name(headers, Col::PcRate).to_string();
            c.problem(
                ImportProblem::new(
                    line,
                    &name,
                    Code::InvalidRate,
                    format!("{rate:?} is not a positive exchange rate"),
                )
                .with("value", crate::import::shown(rate)),
            );
            None
        }
    }
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
