//! The one date parser of RiskDesk: `YYYY-MM-DD` from forms and the command line
//! ([`parse`]), dates as files write them ([`written`]: year first as spreadsheets save them,
//! the ROC calendar, day or month first where a bank's mapping says so), between [`MIN`] and
//! [`MAX`].
//!
//! Every date that enters from a form, a CSV file or the command line goes through
//! [`parse`], [`written`] or [`check`], so date arithmetic inside the core always works on
//! days far from chrono's limits (adding even 3,650 days to 2100-12-31 cannot overflow).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::customer::Language;

use crate::error::Code;
use crate::text_enum::text_enum;
use crate::{Error, Result};

/// The first day RiskDesk accepts.
pub const MIN: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => panic!("2000-01-01 is a date"),
};

/// The last day RiskDesk accepts.
pub const MAX: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => panic!("2100-12-31 is a date"),
};

/// What is wrong with a typed date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    NotADate,
    OutOfRange,
}

impl DateError {
    pub fn code(&self) -> Code {
        match self {
            DateError::NotADate => Code::InvalidDate,
            DateError::OutOfRange => Code::DateOutOfRange,
        }
    }
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateError::NotADate => write!(f, "not a date (use YYYY-MM-DD, e.g. 2026-03-31)"),
            DateError::OutOfRange => write!(f, "dates must be between {MIN} and {MAX}"),
        }
    }
}

/// Parses `YYYY-MM-DD` (surrounding spaces allowed) and checks the range.
pub fn parse(text: &str) -> std::result::Result<NaiveDate, DateError> {
    let t = text.trim();
    // chrono accepts signed and more-than-four-digit years ("+262142-12-31"): refuse
    // anything that is not exactly four digits, a dash, two digits, a dash, two digits.
    let b = t.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(DateError::NotADate);
    }
    let d = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| DateError::NotADate)?;
    check(d)
}

text_enum!(
    /// How a file writes its dates: `iso` year first, 2026-03-05 (or 2026/3/5, 2026.03.05,
    /// 20260305: Excel in Taiwan saves `yyyy/M/d`), `roc` the ROC (Minguo) calendar
    /// Taiwanese banks use (115/03/05, 1150305: year + 1911), `dmy` 05/03/2026, `mdy`
    /// 03/05/2026.
    DateFormat {
        Iso = "iso",
        Roc = "roc",
        Dmy = "dmy",
        Mdy = "mdy",
    }
);

/// A year of up to four digits, or a month or day of one or two.
fn digits(s: &str, most: usize) -> Option<u32> {
    (!s.is_empty() && s.len() <= most && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A date as a file writes it in `format`, with `-`, `/` or `.` between its parts or none,
/// or in Chinese (`2026年3月5日`, `民國115年3月5日`), full-width digits, and a time after it
/// left aside (`2026-03-05 14:22`). A year first of three digits is an ROC year whatever
/// the format says (`115/03/05`, `1150305`: no Gregorian year in range has three digits), as
/// Taiwanese accounting software writes it. An `iso` file's `05/03/2026` is no date: which day it is
/// depends on who wrote it.
pub fn written(cell: &str, format: DateFormat) -> std::result::Result<NaiveDate, DateError> {
    let plain = crate::identity::half_width(cell);
    if let Some(named) = with_month_name(&plain) {
        return named;
    }
    let day = plain.split_whitespace().next().unwrap_or("");
    let day = day.split('T').next().unwrap_or("");
    let chinese;
    let day = match day.strip_prefix("民國").unwrap_or(day).split_once('年') {
        Some((y, rest)) => {
            let (m, d) = rest.split_once('月').ok_or(DateError::NotADate)?;
            let d = d.strip_suffix('日').ok_or(DateError::NotADate)?;
            chinese = format!("{y}-{m}-{d}");
            chinese.as_str()
        }
        None => day,
    };
    let parts: Vec<&str> = day.split(['-', '/', '.']).collect();
    let md = |m: &str, d: &str| Some((digits(m, 2)?, digits(d, 2)?));
    let ymd = match (format, parts.as_slice()) {
        (_, [y, m, d]) if y.len() == 3 && !m.is_empty() && !d.is_empty() => {
            digits(y, 3).map(|y| y + 1911).zip(md(m, d))
        }
        // Seven digits are an ROC date (1150305); no Gregorian date in range has seven.
        (_, [all]) if all.len() == 7 && all.is_ascii() => {
            let y = digits(&all[..3], 3).map(|y| y + 1911);
            y.zip(md(&all[3..5], &all[5..]))
        }
        (DateFormat::Iso, [y, m, d]) if y.len() == 4 => digits(y, 4).zip(md(m, d)),
        (DateFormat::Iso, [all]) if all.len() == 8 && all.is_ascii() => {
            digits(&all[..4], 4).zip(md(&all[4..6], &all[6..]))
        }
        (DateFormat::Roc, [y, m, d]) if y.len() < 3 => digits(y, 3).map(|y| y + 1911).zip(md(m, d)),
        (DateFormat::Roc, [all]) if all.len() == 6 && all.is_ascii() => {
            let y = digits(&all[..2], 2).map(|y| y + 1911);
            y.zip(md(&all[2..4], &all[4..]))
        }
        (DateFormat::Dmy, [d, m, y]) if y.len() == 4 => digits(y, 4).zip(md(m, d)),
        (DateFormat::Mdy, [m, d, y]) if y.len() == 4 => digits(y, 4).zip(md(m, d)),
        _ => None,
    };
    let (y, (m, d)) = ymd.ok_or(DateError::NotADate)?;
    let date = NaiveDate::from_ymd_opt(y as i32, m, d).ok_or(DateError::NotADate)?;
    check(date)
}

/// The month an English month name or its abbreviation gives (`Mar`, `MARCH`, `Sept`).
fn month_named(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.to_ascii_lowercase();
    if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let found = MONTHS
        .iter()
        .position(|m| m.starts_with(&w) || (w == "sept" && *m == "september"))?;
    Some(found as u32 + 1)
}

/// A date whose month is written as a word, as banks in Hong Kong and Singapore export it
/// (`05 Mar 2026`, `05-MAR-26`, `Mar 5, 2026`, `5 March 2026 14:22`): the word says which
/// part is the month, so no order is guessed; a two-digit year after the month is 20YY.
/// `None` when the cell names no month (every other form is read by [`written`]).
pub(crate) fn with_month_name(text: &str) -> Option<std::result::Result<NaiveDate, DateError>> {
    let mut words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | ',' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    // A weekday before it (`Thu, 05 Mar 2026`) says nothing more.
    const WEEKDAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    if words.first().is_some_and(|w| {
        w.len() >= 3
            && WEEKDAYS
                .iter()
                .any(|d| d.starts_with(&w.to_ascii_lowercase()))
    }) {
        words.remove(0);
    }
    let head = &words[..words.len().min(3)];
    let (at, month) = head
        .iter()
        .enumerate()
        .find_map(|(i, w)| month_named(w).map(|m| (i, m)))?;
    let not_a_date = Some(Err(DateError::NotADate));
    // What follows the date can only be its time (`14:22`, `2:05 PM`).
    let time = |w: &&str| {
        w.contains(':')
            || ["am", "pm", "utc", "gmt"]
                .iter()
                .any(|t| w.eq_ignore_ascii_case(t))
    };
    if head.len() < 3 || !words[3..].iter().all(time) {
        return not_a_date;
    }
    let others: Vec<&str> = (0..3).filter(|i| *i != at).map(|i| head[i]).collect();
    let number = |w: &str| {
        (w.bytes().all(|b| b.is_ascii_digit()) && !w.is_empty())
            .then(|| w.parse::<u32>().ok())
            .flatten()
    };
    let (day, year) = match (others[0].len(), others[1].len()) {
        (1 | 2, 4) => (number(others[0]), number(others[1])),
        (4, 1 | 2) => (number(others[1]), number(others[0])),
        // `05-MAR-26`: day, month, then a two-digit year.
        (1 | 2, 2) if at == 1 => (number(others[0]), number(others[1]).map(|y| 2000 + y)),
        _ => return not_a_date,
    };
    let (Some(day), Some(year)) = (day, year) else {
        return not_a_date;
    };
    Some(
        NaiveDate::from_ymd_opt(year as i32, month, day)
            .ok_or(DateError::NotADate)
            .and_then(check),
    )
}

/// Checks that a date is inside the accepted range.
pub fn check(d: NaiveDate) -> std::result::Result<NaiveDate, DateError> {
    if d < MIN || d > MAX {
        Err(DateError::OutOfRange)
    } else {
        Ok(d)
    }
}

/// Parses a date typed into `field`; the error names the field.
pub fn parse_field(field: &str, text: &str) -> Result<NaiveDate> {
    parse(text).map_err(|e| Error::field(field, e.code(), e.to_string()))
}

/// Checks a date given to `field`; the error names the field.
pub fn check_field(field: &str, d: NaiveDate) -> Result<NaiveDate> {
    check(d).map_err(|e| Error::field(field, e.code(), e.to_string()))
}

/// Checks a date of something that has happened (a payment received, a check made, a
/// write-off): within range and not after `today`.
pub fn happened(field: &str, d: NaiveDate, today: NaiveDate) -> Result<NaiveDate> {
    check_field(field, d)?;
    if d > today {
        return Err(Error::field(
            field,
            Code::AfterToday,
            format!("{d} is after today ({today}): record it on the day it happens"),
        ));
    }
    Ok(d)
}

/// `d + days`, or an error naming `field` when the result leaves the accepted range.
pub fn add_days(field: &str, d: NaiveDate, days: i64) -> Result<NaiveDate> {
    d.checked_add_signed(
        Duration::try_days(days)
            .ok_or(DateError::OutOfRange)
            .map_err(|e| Error::field(field, e.code(), e.to_string()))?,
    )
    .ok_or_else(|| {
        Error::field(
            field,
            Code::DateOutOfRange,
            DateError::OutOfRange.to_string(),
        )
    })
    .and_then(|r| check_field(field, r))
}

/// Days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

/// A day as a reader writes it: `6 December 2026`, `2026年12月6日`. Letters, reports and the
/// texts of alerts and risk reasons say days this way, never `2026-12-06`.
pub fn date_text(lang: Language, d: NaiveDate) -> String {
    match lang {
        Language::ZhTw => d.format("%Y年%-m月%-d日").to_string(),
        Language::En => d.format("%-d %B %Y").to_string(),
    }
}

/// A stored day (`YYYY-MM-DD`, or a timestamp that begins with one) as [`date_text`] says
/// it; other text as it is.
pub fn day_text(lang: Language, day: &str) -> String {
    match day
        .get(..10)
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d"))
    {
        Some(Ok(d)) => date_text(lang, d),
        _ => day.to_string(),
    }
}

/// A day in ISO form (`2026-12-06`), the bytes chrono writes, handed to `with` without an
/// allocation or the formatting machinery: a dunning plan's fingerprint writes some 100,000
/// days. A year outside 0–9999 (which ISO writes with a sign) is left to chrono.
pub fn iso_day<R>(d: NaiveDate, with: impl FnOnce(&str) -> R) -> R {
    let (y, m, day) = (d.year(), d.month(), d.day());
    let Ok(y @ 0..=9999) = u32::try_from(y) else {
        return with(&d.to_string());
    };
    let mut b = *b"0000-00-00";
    let digits = [
        y / 1000,
        y / 100 % 10,
        y / 10 % 10,
        y % 10,
        m / 10,
        m % 10,
        day / 10,
        day % 10,
    ];
    for (at, v) in [0, 1, 2, 3, 5, 6, 8, 9].into_iter().zip(digits) {
        b[at] = b'0' + v as u8;
    }
    // Digits and dashes: always text.
    with(std::str::from_utf8(&b).unwrap_or_default())
}

/// For `#[serde(serialize_with)]`: a day written as chrono writes it ([`iso_day`]).
pub fn serialize_day<S: serde::Serializer>(
    d: &NaiveDate,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    iso_day(*d, |t| s.serialize_str(t))
}

/// A UTC time as a reader says it: `22 November 2026, 04:12 UTC`, `2026年11月22日 04:12 UTC`.
pub fn moment_text(lang: Language, t: DateTime<Utc>) -> String {
    let comma = if lang == Language::ZhTw { "" } else { "," };
    let day = date_text(lang, t.date_naive());
    format!("{day}{comma} {} UTC", t.format("%H:%M"))
}

/// A moment on the clock `offset` from UTC, the offset named: "1 December 2026, 00:00
/// (UTC+08:00)", "2026年12月1日 00:00（UTC+08:00）"; at offset zero as [`moment_text`] says it.
pub fn moment_text_at(lang: Language, t: DateTime<Utc>, offset: chrono::FixedOffset) -> String {
    if offset.local_minus_utc() == 0 {
        return moment_text(lang, t);
    }
    let local = t.with_timezone(&offset);
    let day = date_text(lang, local.date_naive());
    let clock = local.format("%H:%M");
    match lang {
        Language::ZhTw => format!("{day} {clock}（UTC{offset}）"),
        _ => format!("{day}, {clock} (UTC{offset})"),
    }
}

/// A stored UTC time (RFC 3339) as [`moment_text`] says it; text that is no such time is
/// shown as it is.
pub fn time_text(lang: Language, at: &str) -> String {
    match DateTime::parse_from_rfc3339(at) {
        Ok(t) => moment_text(lang, t.with_timezone(&Utc)),
        Err(_) => at.to_string(),
    }
}

#[cfg(test)]
#[path = "dates_tests.rs"]
mod tests;
