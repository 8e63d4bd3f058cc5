//! Importing a usage file: streamed (one row in memory at a time; what is kept grows with
//! the number of distinct tenant × subscription × day × meter × region, not with the
//! file), all or nothing, idempotent.
//!
//! Rows are summed per tenant, Azure subscription, day, meter and region, exactly. A file
//! then **replaces the days it covers**: for each tenant, subscription and day in the
//! file, the day's lines become the file's. So the same file twice changes nothing, an
//! overlapping later download replaces the overlap instead of adding to it, and a
//! revised unbilled file (unbilled figures change until billed) corrects the days it
//! covers. One rule protects the books: an unbilled file never replaces a day already
//! imported from a billed file (rows with an InvoiceNumber).

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::read::{self, Columns, DateOrder, Format, RawDate};
use crate::error::ImportProblem;
use crate::ids::CustomerId;
use crate::money::Currency;
use crate::{Ctx, Error, Result};

/// At most this many problems are listed; the count says how many more there were.
const MAX_PROBLEMS: usize = 100;

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
    pub tenants: Vec<TenantSeen>,
    /// The import's record (None when nothing changed and nothing was written).
    pub import_id: Option<i64>,
}

impl UsageImport {
    pub fn changed(&self) -> bool {
        self.days_added + self.days_replaced > 0
    }
}

/// Counts the bytes read and hashes them, for progress and the import record.
struct Tally<R> {
    inner: R,
    bytes: u64,
    hash: Sha256,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

/// Interns strings so a million rows share a few thousand allocations.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
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

/// A meter line: category, subcategory, meter, region, unit (joined by U+001F).
const SEP: char = '\u{1f}';

#[derive(Default)]
struct Sums {
    quantity: Decimal,
    cost: Decimal,
}

struct DayMeta {
    currency: Currency,
    billed: bool,
    /// Meter key → sums; a handful per day, so a short vector searched in place.
    lines: Vec<(u32, Sums)>,
}

/// What the reading pass collects.
#[derive(Default)]
struct Collected {
    rows: u64,
    strings: Interner,
    tenants: BTreeMap<u32, (String, String)>,
    days: HashMap<(u32, u32, RawDate), DayMeta>,
    /// The first line each raw date was seen on, for messages once the order is known.
    date_lines: HashMap<RawDate, u64>,
    order: DateOrder,
    problems: Vec<ImportProblem>,
    more_problems: u64,
}

impl Collected {
    fn problem(&mut self, line: u64, field: &str, message: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(ImportProblem {
                line,
                field: field.into(),
                message,
            });
        } else {
            self.more_problems += 1;
        }
    }
}

/// Imports a usage file inside `tx` (the caller commits). `progress(bytes, rows)` is called
/// every few thousand rows. Nothing is written when the file has a problem.
pub fn import_usage(
    tx: &Transaction,
    ctx: &Ctx,
    file: &str,
    reader: impl Read + Send,
    format: Option<Format>,
    mut progress: impl FnMut(u64, u64),
) -> Result<UsageImport> {
    let fail = |line: u64, field: &str, message: String| Error::Import {
        file: file.to_string(),
        problems: vec![ImportProblem {
            line,
            field: field.into(),
            message,
        }],
    };
    let mut buffered = BufReader::with_capacity(
        1 << 16,
        Tally {
            inner: reader,
            bytes: 0,
            hash: Sha256::new(),
        },
    );
    let head = buffered.fill_buf()?;
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(fail(1, "header", "the file is empty".into()));
    }
    let delimiter = read::sniff_delimiter(head);
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(buffered);
    let headers = csv
        .headers()
        .map_err(|e| fail(1, "header", format!("cannot read the header: {e}")))?
        .clone();
    let cols = read::columns(&headers, format).map_err(|m| fail(1, "header", m))?;
    let mut c = Collected::default();
    let mut scratch = Scratch::default();
    let decimal_comma = delimiter == b';';
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
            for record in &batch.records[..batch.n] {
                c.rows += 1;
                let line = record.position().map(|p| p.line()).unwrap_or(c.rows + 1);
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
                c.problem(line.unwrap_or(c.rows + 2), "row", message);
            }
            progress(batch.bytes, c.rows);
            let _ = empty_tx.send(batch.records);
        }
        reader.join()
    })
    .map_err(|_| Error::Invalid(format!("{file}: the file reader stopped unexpectedly")))?;
    progress(tally.bytes, c.rows);
    let sha256: String = tally
        .hash
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if c.rows == 0 && c.problems.is_empty() {
        c.problem(2, "row", "the file has a header but no rows".into());
    }
    let days = resolve_days(&mut c);
    if !c.problems.is_empty() {
        if c.more_problems > 0 {
            let n = c.more_problems;
            c.problems.push(ImportProblem {
                line: 0,
                field: "file".into(),
                message: format!("{n} more problem(s) not listed"),
            });
        }
        return Err(Error::Import {
            file: file.to_string(),
            problems: c.problems,
        });
    }
    store(
        tx,
        ctx,
        file,
        &sha256,
        cols.format,
        c.rows,
        &c.strings,
        &c.tenants,
        days,
    )
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
    let col = |f: &str| cols.column_name(headers, f).to_string();
    let cell = |c: &mut Collected, f: &str| -> Option<&str> {
        match cols.get(r, f) {
            Ok(v) => Some(v),
            Err(m) => {
                c.problem(line, &col(f), m);
                None
            }
        }
    };
    if cols.format == Format::Focus {
        // FOCUS rows that are not usage: purchases (reservations, Marketplace) and taxes.
        let category = cell(c, "charge_category").unwrap_or("");
        if category.eq_ignore_ascii_case("purchase") || category.eq_ignore_ascii_case("tax") {
            return;
        }
    }
    sc.tenant.clear();
    sc.tenant.push_str(cell(c, "tenant").unwrap_or(""));
    sc.tenant.make_ascii_lowercase();
    let tenant_ok = is_guid(&sc.tenant);
    if !tenant_ok {
        let shown = if sc.tenant.is_empty() {
            "empty".to_string()
        } else {
            format!("{:?} is not a tenant id (GUID)", sc.tenant)
        };
        c.problem(line, &col("tenant"), shown);
    }
    sc.subscription.clear();
    sc.subscription
        .push_str(read::subscription_id(cell(c, "subscription").unwrap_or("")));
    sc.subscription.make_ascii_lowercase();
    if sc.subscription.is_empty() {
        c.problem(line, &col("subscription"), "empty".into());
    }
    let date = match read::raw_date(cell(c, "date").unwrap_or("")) {
        Ok(d) => {
            c.order.learn(d, line);
            c.date_lines.entry(d).or_insert(line);
            Some(d)
        }
        Err(m) => {
            c.problem(line, &col("date"), m);
            None
        }
    };
    for extra in ["charge_start", "charge_end"] {
        if let Ok(d) = read::raw_date(cols.get(r, extra).unwrap_or("")) {
            c.order.learn(d, line);
        }
    }
    let number = |c: &mut Collected, f: &str| -> Option<Decimal> {
        let text = cell(c, f)?;
        match read::decimal(text, decimal_comma) {
            Ok(v) => Some(v),
            Err(m) => {
                c.problem(line, &col(f), m);
                None
            }
        }
    };
    let cost = number(c, "cost");
    let quantity = number(c, "quantity");
    let currency_text = cell(c, "currency").unwrap_or("");
    let currency = Currency::parse(currency_text);
    if currency.is_none() {
        c.problem(
            line,
            &col("currency"),
            format!("{currency_text:?} is not a currency RiskDesk knows"),
        );
    }
    let (Some(date), Some(cost), Some(quantity), Some(currency)) = (date, cost, quantity, currency)
    else {
        return;
    };
    if !tenant_ok || sc.subscription.is_empty() {
        return;
    }
    let t = c.strings.id(&sc.tenant);
    if let std::collections::btree_map::Entry::Vacant(e) = c.tenants.entry(t) {
        let name = cols.get(r, "tenant_name").unwrap_or("").to_string();
        let domain = cols.get(r, "domain").unwrap_or("").to_ascii_lowercase();
        e.insert((name, domain));
    }
    let s = c.strings.id(&sc.subscription);
    let billed = !cols.get(r, "invoice").unwrap_or("").is_empty();
    sc.meter.clear();
    for (i, f) in ["category", "subcategory", "meter"].iter().enumerate() {
        if i > 0 {
            sc.meter.push(SEP);
        }
        sc.meter.push_str(cols.get(r, f).unwrap_or(""));
    }
    sc.meter.push(SEP);
    read::push_region(&mut sc.meter, cols.get(r, "region").unwrap_or(""));
    sc.meter.push(SEP);
    sc.meter.push_str(cols.get(r, "unit").unwrap_or(""));
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
        c.problem(line, &col("currency"), message);
        return;
    }
    day.billed |= billed;
    let sums = match day.lines.iter().rposition(|(k, _)| *k == m) {
        Some(i) => &mut day.lines[i].1,
        None => {
            day.lines.push((m, Sums::default()));
            &mut day.lines.last_mut().expect("just pushed").1
        }
    };
    sums.quantity += quantity;
    sums.cost += cost;
}

fn is_guid(t: &str) -> bool {
    let groups: Vec<&str> = t.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// One imported day: its lines (meter key → sums, in the order of the meter's text, so
/// the day's digest does not depend on the order of the file's rows) and what is known.
struct Day {
    currency: Currency,
    billed: bool,
    lines: Vec<(u32, Sums)>,
}

type DayKey = (u32, u32, NaiveDate);

/// Turns raw dates into calendar days now the file's order is known; problems go to `c`.
fn resolve_days(c: &mut Collected) -> BTreeMap<DayKey, Day> {
    let month_first = match c.order.decide() {
        Ok(m) => m,
        Err(m) => {
            c.problem(0, "dates", m);
            return BTreeMap::new();
        }
    };
    let mut resolved: HashMap<RawDate, NaiveDate> = HashMap::new();
    let mut bad = Vec::new();
    for (&raw, &line) in &c.date_lines {
        match read::resolve(raw, month_first).map(crate::dates::check) {
            Some(Ok(d)) => {
                resolved.insert(raw, d);
            }
            Some(Err(e)) => bad.push((line, format!("{raw:?}: {e}"))),
            None => bad.push((
                line,
                format!("{} is not a calendar date", show(raw, month_first)),
            )),
        }
    }
    bad.sort();
    for (line, m) in bad {
        c.problem(line, "date", m);
    }
    let mut days: BTreeMap<DayKey, Day> = BTreeMap::new();
    let strings = &c.strings;
    for ((t, s, raw), meta) in std::mem::take(&mut c.days) {
        if let Some(&d) = resolved.get(&raw) {
            let mut lines = meta.lines;
            lines.sort_unstable_by(|a, b| {
                strings.names[a.0 as usize].cmp(&strings.names[b.0 as usize])
            });
            days.insert(
                (t, s, d),
                Day {
                    currency: meta.currency,
                    billed: meta.billed,
                    lines,
                },
            );
        }
    }
    days
}

fn show(raw: RawDate, month_first: bool) -> String {
    match raw {
        RawDate::Iso(d) => d.to_string(),
        RawDate::Slash(a, b, y) if month_first => format!("month {a}, day {b}, {y}"),
        RawDate::Slash(a, b, y) => format!("day {a}, month {b}, {y}"),
    }
}

/// The exact decimal as stored: no trailing zeros.
pub(crate) fn text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// What the detectors watch on a day, summed from its lines.
#[derive(Default)]
struct Watched {
    gpu_cost: Decimal,
    large_vm_cost: Decimal,
    egress_qty: Decimal,
    messaging_qty: Decimal,
}

#[allow(clippy::too_many_arguments)]
fn store(
    tx: &Transaction,
    ctx: &Ctx,
    file: &str,
    sha256: &str,
    format: Format,
    rows: u64,
    strings: &Interner,
    tenants: &BTreeMap<u32, (String, String)>,
    days: BTreeMap<DayKey, Day>,
) -> Result<UsageImport> {
    let name = |i: u32| strings.names[i as usize].as_str();
    let mut summary = UsageImport {
        format,
        rows,
        first_day: days.keys().map(|k| k.2).min(),
        last_day: days.keys().map(|k| k.2).max(),
        days_added: 0,
        days_replaced: 0,
        days_unchanged: 0,
        days_kept_billed: 0,
        tenants: Vec::new(),
        import_id: None,
    };
    // Decide per day first, so an import that changes nothing writes nothing.
    let mut plans: Vec<(DayKey, Option<i64>, String)> = Vec::new();
    {
        let mut existing_day = tx.prepare_cached(
            "SELECT id, billed, digest FROM usage_days WHERE tenant_id = ?1 AND subscription = ?2 AND usage_date = ?3",
        )?;
        for (key, day) in &days {
            let (t, s, d) = *key;
            let digest = day_digest(day, strings);
            let existing: Option<(i64, bool, String)> = existing_day
                .query_row(params![name(t), name(s), d.to_string()], |r| {
                    Ok((r.get(0)?, r.get::<_, i64>(1)? == 1, r.get(2)?))
                })
                .optional()?;
            match existing {
                None => plans.push((*key, None, digest)),
                Some((_, _, old)) if old == digest => summary.days_unchanged += 1,
                Some((_, true, _)) if !day.billed => summary.days_kept_billed += 1,
                Some((id, _, _)) => plans.push((*key, Some(id), digest)),
            }
        }
    }
    for (t, (tenant_name, domain)) in tenants {
        let tenant = name(*t);
        let customer = link_tenant(tx, ctx, tenant, tenant_name, domain, !plans.is_empty())?;
        summary.tenants.push(TenantSeen {
            tenant_id: tenant.to_string(),
            name: tenant_name.clone(),
            domain: domain.clone(),
            customer_id: customer,
        });
    }
    if plans.is_empty() {
        return Ok(summary);
    }
    for (_, existing, _) in &plans {
        match existing {
            None => summary.days_added += 1,
            Some(_) => summary.days_replaced += 1,
        }
    }
    tx.execute(
        "INSERT INTO usage_imports (file_name, sha256, format, imported_at, actor, rows, days_added, days_replaced, days_kept)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            file,
            sha256,
            format.as_str(),
            ctx.now_text(),
            ctx.actor,
            rows as i64,
            summary.days_added as i64,
            summary.days_replaced as i64,
            summary.days_kept_billed as i64
        ],
    )?;
    let import_id = tx.last_insert_rowid();
    summary.import_id = Some(import_id);
    let mut meters = Meters::default();
    let mut regions: BTreeMap<(u32, String), NaiveDate> = BTreeMap::new();
    let mut delete_lines = tx.prepare_cached("DELETE FROM usage_lines WHERE day_id = ?1")?;
    let mut add_day = tx.prepare_cached(
        "INSERT INTO usage_days (tenant_id, subscription, usage_date, currency, billed, total, gpu_cost, large_vm_cost, egress_qty, messaging_qty, digest, import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    let mut change_day = tx.prepare_cached(
        "UPDATE usage_days SET currency = ?2, billed = ?3, total = ?4, gpu_cost = ?5, large_vm_cost = ?6,
           egress_qty = ?7, messaging_qty = ?8, digest = ?9, import_id = ?10 WHERE id = ?1",
    )?;
    let mut put_line = tx.prepare_cached(
        "INSERT INTO usage_lines (day_id, meter_id, quantity, cost) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for ((t, s, d), existing, digest) in &plans {
        let day = &days[&(*t, *s, *d)];
        let mut total = Decimal::ZERO;
        let mut watched = Watched::default();
        let mut ids = Vec::with_capacity(day.lines.len());
        for (m, sums) in &day.lines {
            let (id, class, region) = meters.get(tx, *m, name(*m))?;
            total += sums.cost;
            match class {
                "gpu" => watched.gpu_cost += sums.cost,
                "large_vm" => watched.large_vm_cost += sums.cost,
                "egress" => watched.egress_qty += sums.quantity,
                "messaging" => watched.messaging_qty += sums.quantity,
                _ => {}
            }
            if !region.is_empty() {
                let first = regions.entry((*t, region.to_string())).or_insert(*d);
                *first = (*first).min(*d);
            }
            ids.push((id, sums));
        }
        let values = (
            day.currency.code(),
            day.billed as i64,
            text(total),
            text(watched.gpu_cost),
            text(watched.large_vm_cost),
            text(watched.egress_qty),
            text(watched.messaging_qty),
        );
        let day_id = match existing {
            Some(id) => {
                delete_lines.execute([id])?;
                change_day.execute(params![
                    id, values.0, values.1, values.2, values.3, values.4, values.5, values.6,
                    digest, import_id
                ])?;
                *id
            }
            None => {
                add_day.execute(params![
                    name(*t),
                    name(*s),
                    d.to_string(),
                    values.0,
                    values.1,
                    values.2,
                    values.3,
                    values.4,
                    values.5,
                    values.6,
                    digest,
                    import_id
                ])?;
                tx.last_insert_rowid()
            }
        };
        for (meter_id, sums) in ids {
            put_line.execute(params![
                day_id,
                meter_id,
                text(sums.quantity),
                text(sums.cost)
            ])?;
        }
    }
    let mut first_days: BTreeMap<u32, NaiveDate> = BTreeMap::new();
    for ((t, _, d), _, _) in &plans {
        let first = first_days.entry(*t).or_insert(*d);
        *first = (*first).min(*d);
    }
    let mut put_first = tx.prepare_cached(
        "UPDATE usage_tenants SET first_day = min(coalesce(first_day, ?2), ?2) WHERE tenant_id = ?1",
    )?;
    for (t, d) in &first_days {
        put_first.execute(params![name(*t), d.to_string()])?;
    }
    let mut put_region = tx.prepare_cached(
        "INSERT INTO usage_regions (tenant_id, region, first_day) VALUES (?1, ?2, ?3)
         ON CONFLICT (tenant_id, region) DO UPDATE SET first_day = min(first_day, excluded.first_day)",
    )?;
    for ((t, region), first) in &regions {
        put_region.execute(params![name(*t), region, first.to_string()])?;
    }
    crate::audit::record(
        tx,
        ctx,
        "usage_import",
        import_id,
        "import",
        None,
        Some(&summary),
    )?;
    Ok(summary)
}

/// The usage_meters row of each meter key, found or made once per import.
#[derive(Default)]
struct Meters {
    known: HashMap<u32, (i64, &'static str, String)>,
}

impl Meters {
    fn get(&mut self, tx: &Transaction, key: u32, text: &str) -> Result<(i64, &'static str, &str)> {
        if let std::collections::hash_map::Entry::Vacant(e) = self.known.entry(key) {
            let p: Vec<&str> = text.split(SEP).collect();
            let class = super::classify::classify(p[0], p[1], p[2]);
            tx.execute(
                "INSERT INTO usage_meters (category, subcategory, meter, region, unit, class) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (category, subcategory, meter, region, unit) DO NOTHING",
                params![p[0], p[1], p[2], p[3], p[4], class],
            )?;
            let id: i64 = tx.query_row(
                "SELECT id FROM usage_meters WHERE category = ?1 AND subcategory = ?2 AND meter = ?3 AND region = ?4 AND unit = ?5",
                params![p[0], p[1], p[2], p[3], p[4]],
                |r| r.get(0),
            )?;
            e.insert((id, class, p[3].to_string()));
        }
        let (id, class, region) = &self.known[&key];
        Ok((*id, class, region.as_str()))
    }
}

fn day_digest(day: &Day, strings: &Interner) -> String {
    let mut h = Sha256::new();
    h.update(day.currency.code());
    h.update([day.billed as u8]);
    for (m, sums) in &day.lines {
        h.update(strings.names[*m as usize].as_bytes());
        // The exact values in a fixed binary form (normalised: 1.50 and 1.5 are equal).
        h.update(sums.quantity.normalize().serialize());
        h.update(sums.cost.normalize().serialize());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The customer a tenant belongs to: a link remembered earlier, else the customer with
/// this tenant id, else the one with this primary domain. A tenant new to RiskDesk is
/// remembered (only when the import writes anything).
fn link_tenant(
    tx: &Transaction,
    ctx: &Ctx,
    tenant: &str,
    tenant_name: &str,
    domain: &str,
    writing: bool,
) -> Result<Option<CustomerId>> {
    let known: Option<Option<i64>> = tx
        .query_row(
            "SELECT customer_id FROM usage_tenants WHERE tenant_id = ?1",
            [tenant],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(Some(id)) = known {
        return Ok(Some(CustomerId(id)));
    }
    let by_tenant: Option<i64> = tx
        .query_row(
            "SELECT id FROM customers WHERE lower(tenant_id) = ?1",
            [tenant],
            |r| r.get(0),
        )
        .optional()?;
    let found = match by_tenant {
        Some(id) => Some(id),
        None if !domain.is_empty() => tx
            .query_row(
                "SELECT id FROM customers WHERE lower(primary_domain) = ?1 AND (SELECT count(*) FROM customers WHERE lower(primary_domain) = ?1) = 1",
                [domain],
                |r| r.get(0),
            )
            .optional()?,
        None => None,
    };
    if writing || (known.is_some() && found.is_some()) {
        tx.execute(
            "INSERT INTO usage_tenants (tenant_id, name, domain, customer_id, first_seen) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (tenant_id) DO UPDATE SET customer_id = COALESCE(usage_tenants.customer_id, excluded.customer_id)",
            params![tenant, tenant_name, domain, found, ctx.now_text()],
        )?;
    }
    Ok(found.map(CustomerId))
}
