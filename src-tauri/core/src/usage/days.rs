//! The days an import collects: rows summed per tenant, subscription, day and meter line,
//! exactly. Up to [`SPILL_AT`] lines are held in memory; beyond that they are spilled, in
//! key order, as one more run of packed blocks in the import's scratch database (see
//! `spill`), and the runs are merged when they are read back: memory stays flat whatever
//! the size of the file.

use std::collections::HashMap as StdHashMap;

/// The import's tables, hashed with foldhash (seeded per process): a million rows hash
/// their keys several times each, and SipHash was a fifth of reading a row.
pub(crate) type HashMap<K, V> = StdHashMap<K, V, foldhash::fast::RandomState>;

use chrono::NaiveDate;
use rusqlite::Transaction;
use rust_decimal::Decimal;

use super::read::{self, DateOrder, RawDate};
use super::spill::{RunReader, RunWriter, Scratch, Spilled};
use crate::error::{Code, ImportProblem};
use crate::money::Currency;
use crate::{Error, Result};

/// Lines held in memory before they are spilled (about 30 MB of them).
pub(crate) const SPILL_AT: usize = 200_000;

/// A meter line's key: category, subcategory, meter, region, unit (joined by U+001F).
pub(crate) const SEP: char = '\u{1f}';

/// Interns strings so a million rows share a few thousand allocations.
#[derive(Default)]
pub(crate) struct Interner {
    ids: HashMap<String, u32>,
    pub names: Vec<String>,
}

impl Interner {
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
    }

    pub fn name(&self, i: u32) -> &str {
        &self.names[i as usize]
    }
}

#[derive(Default, Clone, Copy, Debug, PartialEq)]
pub(crate) struct Sums {
    pub quantity: Decimal,
    pub cost: Decimal,
    /// The part of `cost` Microsoft's Azure credit pays (Partner Center's
    /// `CreditPercentage`): not billed to the reseller.
    pub credited: Decimal,
}

/// A day as it is collected (its date still as written).
pub(crate) struct DayMeta {
    pub currency: Currency,
    pub billed: bool,
    /// Meter key → sums; a handful per day, so a short vector searched in place.
    pub lines: Vec<(u32, Sums)>,
}

/// One imported day: its lines in the order of the meter's text (so the day's digest does
/// not depend on the order of the file's rows) and what is known of it.
pub(crate) struct Day {
    pub currency: Currency,
    pub billed: bool,
    pub lines: Vec<(u32, Sums)>,
}

/// A day's key: tenant (interned), subscription id (its text), date.
pub(crate) type DayKey<'a> = (u32, &'a str, NaiveDate);
pub(crate) type RawKey = (u32, u32, RawDate);

/// What a file's purchase rows of one tenant, currency and day come to.
#[derive(Debug, Clone)]
pub(crate) struct Purchased {
    /// The tenant's name as the file writes it.
    pub name: String,
    pub rows: u64,
    pub cost: Decimal,
    /// Whether a row carries an invoice number.
    pub billed: bool,
}

/// What the reading pass collects.
#[derive(Default)]
pub(crate) struct Collected {
    pub rows: u64,
    /// The records of the files imported together, to tell their parts from two downloads
    /// of the same days.
    pub overlap: super::versions::Overlap,
    /// Tenants and meter lines: as many as the file has tenants and meters.
    pub strings: Interner,
    /// Subscription ids of the lines held; emptied at each spill, which writes them as
    /// text, so nothing is kept per distinct subscription beyond the lines held.
    pub subs: Interner,
    pub tenants: std::collections::BTreeMap<u32, (String, String)>,
    pub days: HashMap<RawKey, DayMeta>,
    /// Lines in `days` now, and the runs spilled so far (each its first and last rowid).
    pub lines_held: usize,
    pub runs: Vec<(i64, i64)>,
    /// Where the runs are, from the first spill on.
    pub scratch: Option<Scratch>,
    /// Lines held before a spill (None: [`SPILL_AT`]; tests make it small).
    pub spill_at: Option<usize>,
    /// The first line each raw date was seen on, for messages once the order is known.
    pub date_lines: HashMap<RawDate, u64>,
    pub order: DateOrder,
    /// The file's exchange rates: day (as written), pricing currency, billing currency →
    /// how many units of the billing currency one unit of the pricing currency is.
    pub rates: HashMap<(RawDate, Currency, Currency), Decimal>,
    pub problems: Vec<ImportProblem>,
    pub more_problems: u64,
    /// Rows charging a day before their billing period, counted on its first day.
    pub earlier_charges: u64,
    /// FOCUS rows that name no customer (an empty `x_CustomerId`: the partner's own usage).
    pub no_customer: u64,
    /// FOCUS purchase rows (reservations, Marketplace) by tenant, currency and day: the
    /// tenant's name as the file writes it, the rows and what they bill. Not usage: never a
    /// day of usage (see [`super::purchases`]).
    pub purchases: std::collections::BTreeMap<(String, Currency, RawDate), Purchased>,
    /// FOCUS tax rows, left out (usage and budgets are before tax).
    pub taxes: u64,
    /// Rows a Microsoft credit pays in whole or in part (Partner Center's
    /// `CreditPercentage`), and FOCUS credit rows.
    pub credited_rows: u64,
    /// Rows of slash-written days with a slash-written billing period: which of them are
    /// earlier charges is counted once the file's order is known.
    pub in_period_rows: HashMap<RawDate, u64>,
    /// In a file whose numbers may have a decimal comma (`;`-separated): the first line of
    /// a number written with a comma, and of one written with a point.
    pub comma_line: Option<u64>,
    pub point_line: Option<u64>,
}

/// At most this many problems are listed; the count says how many more there were.
const MAX_PROBLEMS: usize = 100;

impl Collected {
    pub fn problem(&mut self, p: ImportProblem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        } else {
            self.more_problems += 1;
        }
    }

    /// Spills the lines held when there are more than [`SPILL_AT`].
    pub fn spill_if_full(&mut self, tx: &Transaction) -> Result<()> {
        if self.lines_held < self.spill_at.unwrap_or(SPILL_AT) {
            return Ok(());
        }
        let scratch = match &mut self.scratch {
            Some(scratch) => scratch,
            None => self.scratch.insert(Scratch::beside(tx)?),
        };
        // In key order, so that the runs can be merged.
        let subs = std::mem::take(&mut self.subs);
        let mut days: Vec<(RawKey, DayMeta)> = self.days.drain().collect();
        days.sort_unstable_by(|((t1, s1, r1), _), ((t2, s2, r2), _)| {
            (t1, subs.name(*s1), encode(*r1)).cmp(&(t2, subs.name(*s2), encode(*r2)))
        });
        let mut run = RunWriter::new(scratch);
        for ((t, s, raw), mut meta) in days {
            meta.lines.sort_unstable_by_key(|(m, _)| *m);
            for (m, sums) in &meta.lines {
                run.push(
                    t,
                    subs.name(s),
                    encode(raw),
                    *m,
                    meta.currency,
                    meta.billed,
                    sums,
                )?;
            }
        }
        let run = run.finish()?;
        self.runs.extend(run);
        self.lines_held = 0;
        Ok(())
    }
}

/// Where slash dates start in [`encode`]'s range, and days in a billing period.
const SLASH: i64 = 1_000_000_000;
const IN_PERIOD: i64 = 10_000_000_000_000_000;

/// A raw date as one integer (the runs need only keep a subscription's days together).
fn encode(raw: RawDate) -> i64 {
    // Year, then the two parts: at most 9999_31_31, eight digits.
    let slash = |a: u32, b: u32, y: i32| i64::from(y) * 10_000 + i64::from(a) * 100 + i64::from(b);
    match raw {
        RawDate::Iso(d) => i64::from(chrono::Datelike::num_days_from_ce(&d)),
        RawDate::Slash(a, b, y) => SLASH + slash(a, b, y),
        RawDate::SlashInPeriod(a, b, y, pa, pb, py) => {
            IN_PERIOD + slash(a, b, y) * 100_000_000 + slash(pa, pb, py)
        }
    }
}

fn decode(v: i64) -> Option<RawDate> {
    let slash = |v: i64| {
        (
            ((v / 100) % 100) as u32,
            (v % 100) as u32,
            (v / 10_000) as i32,
        )
    };
    if v >= IN_PERIOD {
        let ((a, b, y), (pa, pb, py)) = (
            slash((v - IN_PERIOD) / 100_000_000),
            slash((v - IN_PERIOD) % 100_000_000),
        );
        Some(RawDate::SlashInPeriod(a, b, y, pa, pb, py))
    } else if v >= SLASH {
        let (a, b, y) = slash(v - SLASH);
        Some(RawDate::Slash(a, b, y))
    } else {
        NaiveDate::from_num_days_from_ce_opt(v as i32).map(RawDate::Iso)
    }
}

/// The day each raw date counts on once the file's order is known, and whether it is a
/// charge of an earlier billing period; bad dates become problems in `c`.
pub(crate) fn resolve_dates(c: &mut Collected) -> HashMap<RawDate, (NaiveDate, bool)> {
    let month_first = match c.order.decide() {
        Ok(m) => m,
        Err(m) => {
            c.problem(ImportProblem::new(0, "dates", Code::AmbiguousDates, m));
            return HashMap::default();
        }
    };
    let mut resolved = HashMap::default();
    let mut bad = Vec::new();
    for (&raw, &line) in &c.date_lines {
        let counted = read::resolve_counted(raw, month_first);
        match counted.map(|(d, earlier)| crate::dates::check(d).map(|d| (d, earlier))) {
            Some(Ok((d, earlier))) => {
                if earlier {
                    c.earlier_charges += c.in_period_rows.get(&raw).copied().unwrap_or(0);
                }
                resolved.insert(raw, (d, earlier));
            }
            Some(Err(e)) => bad.push((
                line,
                e.code(),
                show(raw, month_first),
                format!("{}: {e}", show(raw, month_first)),
            )),
            None => bad.push((
                line,
                Code::InvalidDate,
                show(raw, month_first),
                format!("{} is not a calendar date", show(raw, month_first)),
            )),
        }
    }
    bad.sort_by_key(|(line, ..)| *line);
    for (line, code, value, m) in bad {
        c.problem(ImportProblem::new(line, "date", code, m).with("value", value));
    }
    resolved
}

fn show(raw: RawDate, month_first: bool) -> String {
    match raw {
        RawDate::Iso(d) => d.to_string(),
        RawDate::Slash(a, b, y) if month_first => format!("month {a}, day {b}, {y}"),
        RawDate::Slash(a, b, y) => format!("day {a}, month {b}, {y}"),
        RawDate::SlashInPeriod(a, b, y, pa, pb, py) => format!(
            "{} (billing period from {})",
            show(RawDate::Slash(a, b, y), month_first),
            show(RawDate::Slash(pa, pb, py), month_first)
        ),
    }
}

fn finish_day(strings: &Interner, meta: DayMeta) -> Day {
    let mut lines = meta.lines;
    lines.sort_unstable_by(|a, b| strings.name(a.0).cmp(strings.name(b.0)));
    Day {
        currency: meta.currency,
        billed: meta.billed,
        lines,
    }
}

/// Adds a day's lines, as written one way, to the same day written another (`12/14/2026`
/// and `2026-12-14` in one file, or a correction counted on its period's first day).
fn absorb(into: &mut DayMeta, from: DayMeta) -> std::result::Result<(), Code> {
    if into.currency != from.currency {
        return Err(Code::CurrencyMismatch);
    }
    into.billed |= from.billed;
    for (m, sums) in from.lines {
        add_line(&mut into.lines, into.currency, m, sums)?;
    }
    Ok(())
}

/// Adds one meter line's sums to a day's lines; a cost beyond what RiskDesk counts as an
/// amount of `currency` is a sum too large.
fn add_line(
    lines: &mut Vec<(u32, Sums)>,
    currency: Currency,
    m: u32,
    sums: Sums,
) -> std::result::Result<(), Code> {
    let most = Decimal::new(crate::money::MAX_MINOR, currency.exponent());
    match lines.iter_mut().rfind(|(k, _)| *k == m) {
        Some((_, s)) => {
            let (Some(q), Some(v), Some(c)) = (
                s.quantity.checked_add(sums.quantity),
                s.cost.checked_add(sums.cost),
                s.credited.checked_add(sums.credited),
            ) else {
                return Err(Code::SumTooLarge);
            };
            if v.abs() > most || c.abs() > most {
                return Err(Code::SumTooLarge);
            }
            s.quantity = q;
            s.cost = v;
            s.credited = c;
        }
        None => lines.push((m, sums)),
    }
    Ok(())
}

/// The problem of a day whose rows cannot be one day: two currencies, or a sum too large.
fn day_problem(file: &str, code: Code, tenant: &str, subscription: &str, day: NaiveDate) -> Error {
    let (column, what) = match code {
        Code::CurrencyMismatch => ("BillingCurrency", "are in more than one currency"),
        _ => (
            "BillingPreTaxTotal",
            "add up to more than RiskDesk can count",
        ),
    };
    Error::Import {
        file: file.to_string(),
        problems: vec![ImportProblem::new(
            0,
            column,
            code,
            format!("the rows of tenant {tenant}, subscription {subscription} on {day} {what}"),
        )],
    }
}

/// Hands every day collected to `f`, each once with all its lines, whichever way the file
/// wrote its date: from memory, or (after a spill) merged back from the scratch database a
/// subscription at a time, which is then deleted.
pub(crate) fn for_each_day(
    tx: &Transaction,
    c: &mut Collected,
    strings: &Interner,
    file: &str,
    resolved: &HashMap<RawDate, (NaiveDate, bool)>,
    mut f: impl FnMut(DayKey, Day) -> Result<()>,
) -> Result<()> {
    if c.runs.is_empty() {
        let mut days: HashMap<(u32, u32, NaiveDate), DayMeta> = HashMap::default();
        for ((t, s, raw), meta) in std::mem::take(&mut c.days) {
            let Some(&(d, _)) = resolved.get(&raw) else {
                continue;
            };
            match days.entry((t, s, d)) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(meta);
                }
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    absorb(e.get_mut(), meta).map_err(|code| {
                        day_problem(file, code, strings.name(t), c.subs.name(s), d)
                    })?;
                }
            }
        }
        for ((t, s, d), meta) in days {
            f((t, c.subs.name(s), d), finish_day(strings, meta))?;
        }
        return Ok(());
    }
    c.lines_held = usize::MAX;
    c.spill_if_full(tx)?;
    // Dropped at the end, and with it the scratch database and its file.
    let scratch = c
        .scratch
        .take()
        .ok_or_else(|| Error::Invalid("usage import: spilled runs without a scratch".into()))?;
    let mut runs: Vec<RunReader> = c.runs.iter().map(|r| RunReader::new(*r)).collect();
    let mut heads: Vec<Option<Spilled>> = Vec::with_capacity(runs.len());
    for run in &mut runs {
        heads.push(run.next(&scratch)?);
    }
    // The days of one subscription (the runs are in tenant and subscription order).
    let mut group: Option<(u32, String)> = None;
    let mut days: std::collections::BTreeMap<NaiveDate, DayMeta> = Default::default();
    let mut flush = |group: &Option<(u32, String)>,
                     days: &mut std::collections::BTreeMap<NaiveDate, DayMeta>|
     -> Result<()> {
        if let Some((t, s)) = group {
            for (d, meta) in std::mem::take(days) {
                f((*t, s, d), finish_day(strings, meta))?;
            }
        }
        Ok(())
    };
    // The runs merged: the smallest head next (a handful of runs, so a scan).
    while let Some(i) = (0..heads.len())
        .filter(|i| heads[*i].is_some())
        .min_by(|a, b| {
            heads[*a]
                .as_ref()
                .map(Spilled::key)
                .cmp(&heads[*b].as_ref().map(Spilled::key))
        })
    {
        let row = heads[i].take().expect("chosen as present");
        heads[i] = runs[i].next(&scratch)?;
        let Spilled {
            tenant,
            subscription,
            raw,
            meter: m,
            currency,
            billed,
            sums,
        } = row;
        let raw = decode(raw)
            .ok_or_else(|| Error::Invalid("usage import scratch: a damaged date".into()))?;
        if group
            .as_ref()
            .is_none_or(|(t, s)| *t != tenant || *s != subscription)
        {
            flush(&group, &mut days)?;
            group = Some((tenant, subscription));
        }
        let Some(&(d, _)) = resolved.get(&raw) else {
            continue;
        };
        let day = days.entry(d).or_insert_with(|| DayMeta {
            currency,
            billed,
            lines: Vec::new(),
        });
        day.billed |= billed;
        let added = match day.currency == currency {
            true => add_line(&mut day.lines, currency, m, sums),
            false => Err(Code::CurrencyMismatch),
        };
        added.map_err(|code| {
            let (t, s) = group.as_ref().expect("set above");
            day_problem(file, code, strings.name(*t), s, d)
        })?;
    }
    flush(&group, &mut days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_dates_survive_the_scratch_table() {
        for raw in [
            RawDate::Iso(NaiveDate::from_ymd_opt(2025, 1, 31).unwrap()),
            RawDate::Slash(1, 31, 2025),
            RawDate::Slash(31, 12, 2099),
            RawDate::SlashInPeriod(11, 15, 2026, 12, 1, 2026),
            RawDate::SlashInPeriod(31, 31, 9999, 31, 31, 9999),
            RawDate::SlashInPeriod(1, 1, 0, 1, 1, 0),
        ] {
            assert_eq!(decode(encode(raw)), Some(raw));
        }
    }
}
