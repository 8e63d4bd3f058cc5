//! Dates as a usage file writes them: ISO, or year last with the order of month and day
//! decided by the whole file ([`DateOrder`]), never row by row; and the day a charge
//! counts on once that order is known (a correction of an earlier billing period on the
//! first day of the period that carries it).

use chrono::NaiveDate;

/// A date as written: ISO (unambiguous) or slash-separated (order decided per file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum RawDate {
    Iso(NaiveDate),
    Slash(u32, u32, i32),
    /// A slash-written day charged in the billing period whose first day is the second
    /// slash date (FOCUS `BillingPeriodStart`): whether the charge is of an earlier period
    /// is known only once the file's order is.
    SlashInPeriod(u32, u32, i32, u32, u32, i32),
}

/// Parses a date cell; a time after it (` 0:00`, ` 12:00:00 AM`, `T00:00:00Z`) is dropped:
/// a usage day is a UTC calendar date. Year first (`2025-01-05`, or `2025/1/5` and
/// `2025.1.5` as Excel in Taiwan and elsewhere re-saves a file) is always year, month, day;
/// year last (`1/5/2025`, `05.01.2025`) is month and day in the order the file decides.
pub(crate) fn raw_date(text: &str) -> Result<RawDate, String> {
    let t = text.trim();
    let day = t.split(['T', ' ']).next().unwrap_or("");
    if day.is_empty() {
        return Err("empty".into());
    }
    let not_a_date =
        || format!("{t:?} is not a date (M/D/YYYY, YYYY-MM-DD, YYYYMMDD, YYYY/M/D, 05-Jan-2025)");
    // A month written as a word (`05-Jan-2025`, `Jan 5, 2025`: a custom Excel format saved
    // as shown) says which part is the month: nothing to decide for the file.
    if t.bytes()
        .take(12)
        .any(|b| b.is_ascii_alphabetic() && b != b'T')
    {
        if let Some(named) = crate::dates::with_month_name(t) {
            return named.map(RawDate::Iso).map_err(|_| not_a_date());
        }
    }
    // Excel's long date in Chinese (`2025年1月5日 上午 12:00:00`) is year, month, day.
    if let Some((y, rest)) = day.split_once('年') {
        let ymd = rest
            .split_once('月')
            .and_then(|(m, d)| Some((y, m, d.strip_suffix('日')?)));
        return ymd
            .and_then(|(y, m, d)| {
                let n = |s: &str| {
                    (s.len() <= 4 && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| s.parse::<u32>().ok())?
                };
                NaiveDate::from_ymd_opt(i32::try_from(n(y)?).ok()?, n(m)?, n(d)?)
            })
            .map(RawDate::Iso)
            .ok_or_else(not_a_date);
    }
    // ISO 8601's basic form (`20250105`, as many systems and Taiwanese exports write a
    // date): year, month, day, the year from 1900 to 2099 so that no other order is read so.
    if day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit()) {
        let part = |r: std::ops::Range<usize>| day[r].parse::<u32>().ok();
        return match (part(0..4), part(4..6), part(6..8)) {
            (Some(y @ 1900..=2099), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d)
                .map(RawDate::Iso)
                .ok_or_else(not_a_date),
            _ => Err(not_a_date()),
        };
    }
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let separator = match day.bytes().find(|b| !b.is_ascii_digit()) {
        Some(b @ (b'-' | b'/' | b'.')) => b as char,
        _ => return Err(not_a_date()),
    };
    let parts: Vec<&str> = day.split(separator).collect();
    let [a, b, c] = parts[..] else {
        return Err(not_a_date());
    };
    let (Some(x), Some(y), Some(z)) = (num(a), num(b), num(c)) else {
        return Err(not_a_date());
    };
    if a.len() == 4 {
        // Year first is year, month, day in every convention.
        let date = i32::try_from(x)
            .ok()
            .and_then(|year| NaiveDate::from_ymd_opt(year, y, z));
        return date.map(RawDate::Iso).ok_or_else(not_a_date);
    }
    // A dash with the year last (`01-05-2025`) is no convention a usage file uses.
    if separator == '-' || c.len() != 4 || !(1..=31).contains(&x) || !(1..=31).contains(&y) {
        return Err(not_a_date());
    }
    Ok(RawDate::Slash(x, y, z as i32))
}

/// How a file writes slash dates, learnt from its values.
#[derive(Debug, Default)]
pub(crate) struct DateOrder {
    /// The first line with a first part above 12 (so day first).
    day_first: Option<u64>,
    /// The first line with a second part above 12 (so month first).
    month_first: Option<u64>,
    any_slash: bool,
}

impl DateOrder {
    pub fn learn(&mut self, d: RawDate, line: u64) {
        match d {
            RawDate::Iso(_) => {}
            RawDate::Slash(a, b, _) => self.learn_parts(a, b, line),
            RawDate::SlashInPeriod(a, b, _, pa, pb, _) => {
                self.learn_parts(a, b, line);
                self.learn_parts(pa, pb, line);
            }
        }
    }

    fn learn_parts(&mut self, a: u32, b: u32, line: u64) {
        self.any_slash = true;
        if a > 12 && self.day_first.is_none() {
            self.day_first = Some(line);
        }
        if b > 12 && self.month_first.is_none() {
            self.month_first = Some(line);
        }
    }

    /// True for month-first. Errors when the file contradicts itself or cannot decide.
    pub fn decide(&self) -> Result<bool, String> {
        match (self.day_first, self.month_first) {
            (Some(d), Some(m)) => Err(format!(
                "the file writes dates both day-first (line {d}) and month-first (line {m}); it cannot be read safely"
            )),
            (Some(_), None) => Ok(false),
            (None, Some(_)) => Ok(true),
            (None, None) if !self.any_slash => Ok(true),
            (None, None) => Err("every date in the file could be read as M/D or D/M (no day after the 12th); export a longer period or use ISO dates (YYYY-MM-DD)".into()),
        }
    }
}

/// The calendar date of a raw date once the file's order is known: the day it counts on.
pub(crate) fn resolve(d: RawDate, month_first: bool) -> Option<NaiveDate> {
    resolve_counted(d, month_first).map(|(day, _)| day)
}

/// The day a raw date counts on once the file's order is known, and whether it is a
/// charge of an earlier billing period, counted on the first day of the period carrying it.
pub(crate) fn resolve_counted(d: RawDate, month_first: bool) -> Option<(NaiveDate, bool)> {
    let slash = |a: u32, b: u32, y: i32| {
        let (m, day) = if month_first { (a, b) } else { (b, a) };
        NaiveDate::from_ymd_opt(y, m, day)
    };
    match d {
        RawDate::Iso(d) => Some((d, false)),
        RawDate::Slash(a, b, y) => slash(a, b, y).map(|d| (d, false)),
        RawDate::SlashInPeriod(a, b, y, pa, pb, py) => {
            let (charged, start) = (slash(a, b, y)?, slash(pa, pb, py)?);
            Some(if charged < start {
                (start, true)
            } else {
                (charged, false)
            })
        }
    }
}
