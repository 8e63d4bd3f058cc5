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
}

/// What the reading pass collects.
#[derive(Default)]
struct Collected {
    rows: u64,
    strings: Interner,
    tenants: BTreeMap<u32, (String, String)>,
    days: HashMap<(u32, u32, RawDate), DayMeta>,
    lines: HashMap<(u32, u32, RawDate, u32), Sums>,
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
    reader: impl Read,
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
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(c.rows + 2);
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
                        "{len} field(s) where the header has {expected_len}: a truncated or broken line"
                    ),
                    csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
                    _ => e.to_string(),
                };
                c.problem(line, "row", message);
                break;
            }
        }
        c.rows += 1;
        let line = record.position().map(|p| p.line()).unwrap_or(c.rows + 1);
        read_row(&mut c, &cols, &headers, &record, line, delimiter == b';');
        if c.rows % 4096 == 0 {
            progress(csv.get_ref().get_ref().bytes, c.rows);
        }
    }
    let tally = csv.into_inner().into_inner();
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

fn read_row(
    c: &mut Collected,
    cols: &Columns,
    headers: &csv::StringRecord,
    r: &csv::StringRecord,
    line: u64,
    decimal_comma: bool,
) {
    let col = |f: &str| cols.column_name(headers, f).to_string();
    if cols.format == Format::Focus {
        // FOCUS rows that are not usage: purchases (reservations, Marketplace) and taxes.
        let category = cols.get(r, "charge_category");
        if category.eq_ignore_ascii_case("purchase") || category.eq_ignore_ascii_case("tax") {
            return;
        }
    }
    let tenant = cols.get(r, "tenant").to_ascii_lowercase();
    if !is_guid(&tenant) {
        let shown = if tenant.is_empty() {
            "empty".to_string()
        } else {
            format!("{tenant:?} is not a tenant id (GUID)")
        };
        c.problem(line, &col("tenant"), shown);
    }
    let subscription = read::subscription(cols.get(r, "subscription"));
    if subscription.is_empty() {
        c.problem(line, &col("subscription"), "empty".into());
    }
    let date = match read::raw_date(cols.get(r, "date")) {
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
        if let Ok(d) = read::raw_date(cols.get(r, extra)) {
            c.order.learn(d, line);
        }
    }
    let cost = match read::decimal(cols.get(r, "cost"), decimal_comma) {
        Ok(v) => Some(v),
        Err(m) => {
            c.problem(line, &col("cost"), m);
            None
        }
    };
    let quantity = match read::decimal(cols.get(r, "quantity"), decimal_comma) {
        Ok(v) => Some(v),
        Err(m) => {
            c.problem(line, &col("quantity"), m);
            None
        }
    };
    let currency_text = cols.get(r, "currency");
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
    if !is_guid(&tenant) || subscription.is_empty() {
        return;
    }
    let t = c.strings.id(&tenant);
    c.tenants.entry(t).or_insert_with(|| {
        (
            cols.get(r, "tenant_name").to_string(),
            cols.get(r, "domain").to_ascii_lowercase(),
        )
    });
    let s = c.strings.id(&subscription);
    let billed = !cols.get(r, "invoice").is_empty();
    let earlier = c.days.get(&(t, s, date)).map(|m| m.currency);
    match earlier {
        Some(other) if other != currency => {
            let message = format!(
                "{} where earlier rows of this subscription and day are in {}",
                currency.code(),
                other.code()
            );
            c.problem(line, &col("currency"), message);
            return;
        }
        Some(_) => {
            if let Some(meta) = c.days.get_mut(&(t, s, date)) {
                meta.billed |= billed;
            }
        }
        None => {
            c.days.insert((t, s, date), DayMeta { currency, billed });
        }
    }
    let meter = format!(
        "{}{SEP}{}{SEP}{}{SEP}{}{SEP}{}",
        cols.get(r, "category"),
        cols.get(r, "subcategory"),
        cols.get(r, "meter"),
        read::region(cols.get(r, "region")),
        cols.get(r, "unit"),
    );
    let m = c.strings.id(&meter);
    let sums = c.lines.entry((t, s, date, m)).or_default();
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

/// One imported day: its lines (meter key → sums) and what is known of it.
struct Day {
    currency: Currency,
    billed: bool,
    lines: BTreeMap<u32, Sums>,
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
    for ((t, s, raw), meta) in c.days.drain() {
        if let Some(&d) = resolved.get(&raw) {
            days.insert(
                (t, s, d),
                Day {
                    currency: meta.currency,
                    billed: meta.billed,
                    lines: BTreeMap::new(),
                },
            );
        }
    }
    for ((t, s, raw, m), sums) in c.lines.drain() {
        if let Some(day) = resolved.get(&raw).and_then(|&d| days.get_mut(&(t, s, d))) {
            day.lines.insert(m, sums);
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
    enum Plan {
        Add,
        Replace,
    }
    let mut plans: Vec<(DayKey, Plan, String, Decimal)> = Vec::new();
    for (key, day) in &days {
        let (t, s, d) = *key;
        let digest = day_digest(day, strings);
        let total: Decimal = day.lines.values().map(|l| l.cost).sum();
        let existing: Option<(bool, String)> = tx
            .query_row(
                "SELECT billed, digest FROM usage_days WHERE tenant_id = ?1 AND subscription = ?2 AND usage_date = ?3",
                params![name(t), name(s), d.to_string()],
                |r| Ok((r.get::<_, i64>(0)? == 1, r.get(1)?)),
            )
            .optional()?;
        match existing {
            None => plans.push((*key, Plan::Add, digest, total)),
            Some((_, old)) if old == digest => summary.days_unchanged += 1,
            Some((true, _)) if !day.billed => summary.days_kept_billed += 1,
            Some(_) => plans.push((*key, Plan::Replace, digest, total)),
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
    for (_, plan, _, _) in &plans {
        match plan {
            Plan::Add => summary.days_added += 1,
            Plan::Replace => summary.days_replaced += 1,
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
    let mut delete_lines = tx.prepare_cached(
        "DELETE FROM usage_lines WHERE tenant_id = ?1 AND subscription = ?2 AND usage_date = ?3",
    )?;
    let mut put_day = tx.prepare_cached(
        "INSERT INTO usage_days (tenant_id, subscription, usage_date, currency, billed, total, digest, import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (tenant_id, subscription, usage_date) DO UPDATE SET
           currency = excluded.currency, billed = excluded.billed, total = excluded.total,
           digest = excluded.digest, import_id = excluded.import_id",
    )?;
    let mut put_line = tx.prepare_cached(
        "INSERT INTO usage_lines (tenant_id, subscription, usage_date, category, subcategory, meter, region, unit, class, quantity, cost)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for ((t, s, d), plan, digest, total) in &plans {
        let day = &days[&(*t, *s, *d)];
        let date = d.to_string();
        if matches!(plan, Plan::Replace) {
            delete_lines.execute(params![name(*t), name(*s), date])?;
        }
        put_day.execute(params![
            name(*t),
            name(*s),
            date,
            day.currency.code(),
            day.billed as i64,
            text(*total),
            digest,
            import_id
        ])?;
        for (m, sums) in &day.lines {
            let parts: Vec<&str> = name(*m).split(SEP).collect();
            put_line.execute(params![
                name(*t),
                name(*s),
                date,
                parts[0],
                parts[1],
                parts[2],
                parts[3],
                parts[4],
                super::classify::classify(parts[0], parts[1], parts[2]),
                text(sums.quantity),
                text(sums.cost)
            ])?;
        }
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

fn day_digest(day: &Day, strings: &Interner) -> String {
    let mut h = Sha256::new();
    h.update(day.currency.code());
    h.update([day.billed as u8]);
    for (m, sums) in &day.lines {
        h.update(strings.names[*m as usize].as_bytes());
        h.update(b"\x1e");
        h.update(text(sums.quantity));
        h.update(b"\x1e");
        h.update(text(sums.cost));
        h.update(b"\n");
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
