//! What every bank file needs read the same way: dates in the forms banks write them (ISO,
//! the ROC calendar, day first, month first) and amounts with their separators. Its bytes
//! become text as every imported file's do ([`crate::import::text`]).

use chrono::NaiveDate;

use crate::money::{Currency, Money, MoneyError};
use crate::text_enum::text_enum;

text_enum!(
    /// How a CSV export writes its dates: `iso` 2026-03-05 (or 2026/03/05, 20260305),
    /// `roc` the ROC (Minguo) calendar Taiwanese banks use (115/03/05, 1150305: year +
    /// 1911), `dmy` 05/03/2026, `mdy` 03/05/2026.
    DateFormat {
        Iso = "iso",
        Roc = "roc",
        Dmy = "dmy",
        Mdy = "mdy",
    }
);

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A date cell in `format`; a time after it (`2026-03-05 14:22`) is left aside.
pub fn date(cell: &str, format: DateFormat) -> Option<NaiveDate> {
    let plain = crate::identity::half_width(cell);
    let day = plain.split_whitespace().next().unwrap_or("");
    let day = day.split('T').next().unwrap_or("");
    let parts: Vec<&str> = day.split(['-', '/', '.']).collect();
    let (y, m, d) = match (format, parts.as_slice()) {
        (DateFormat::Iso, [y, m, d]) if y.len() == 4 => (digits(y)?, digits(m)?, digits(d)?),
        (DateFormat::Iso, [all]) if all.len() == 8 => {
            (digits(&all[..4])?, digits(&all[4..6])?, digits(&all[6..])?)
        }
        (DateFormat::Roc, [y, m, d]) if y.len() <= 3 => (digits(y)? + 1911, digits(m)?, digits(d)?),
        (DateFormat::Roc, [all]) if all.len() == 7 || all.len() == 6 => {
            let split = all.len() - 4;
            (
                digits(&all[..split])? + 1911,
                digits(&all[split..split + 2])?,
                digits(&all[split + 2..])?,
            )
        }
        (DateFormat::Dmy, [d, m, y]) if y.len() == 4 => (digits(y)?, digits(m)?, digits(d)?),
        (DateFormat::Mdy, [m, d, y]) if y.len() == 4 => (digits(y)?, digits(m)?, digits(d)?),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
    crate::dates::check(date).ok()
}

/// An amount cell, signed, in minor units of `currency`: thousands separators, a currency
/// sign or code around it (`NT$1,234`, `1,234.00 TWD`), a sign before or after it, or
/// parentheses for a negative amount. A decimal comma is refused as everywhere in RiskDesk.
pub fn amount(cell: &str, currency: Currency) -> Result<i64, MoneyError> {
    let plain = crate::identity::half_width(cell);
    let mut t = plain.trim();
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        negative = true;
        t = inner.trim();
    }
    let core: String = t
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'))
        .collect();
    let mut core = core.as_str();
    if let Some(rest) = core.strip_suffix('-') {
        negative = !negative;
        core = rest;
    }
    if let Some(rest) = core.strip_prefix('-') {
        negative = !negative;
        core = rest;
    } else if let Some(rest) = core.strip_prefix('+') {
        core = rest;
    }
    // Letters other than a currency's (NT$, TWD, USD) mean the cell is not an amount.
    let letters: String = t.chars().filter(|c| c.is_alphabetic()).collect();
    if !letters.is_empty()
        && !matches!(letters.as_str(), "NT" | "TWD" | "NTD" | "元")
        && Currency::parse(&letters).is_none()
    {
        return Err(MoneyError::NotANumber);
    }
    let money = Money::parse(core, currency)?;
    Ok(if negative { -money.minor } else { money.minor })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_every_form_banks_write_them() {
        use DateFormat::*;
        assert_eq!(date("2026-03-05", Iso), Some(d(2026, 3, 5)));
        assert_eq!(date("2026/03/05 14:22:01", Iso), Some(d(2026, 3, 5)));
        assert_eq!(date("20260305", Iso), Some(d(2026, 3, 5)));
        assert_eq!(date("115/03/05", Roc), Some(d(2026, 3, 5)));
        assert_eq!(date("115.3.5", Roc), Some(d(2026, 3, 5)));
        assert_eq!(date("1150305", Roc), Some(d(2026, 3, 5)));
        assert_eq!(date("990105", Roc), Some(d(2010, 1, 5)));
        assert_eq!(date("１１５／０３／０５", Roc), Some(d(2026, 3, 5)));
        assert_eq!(date("05/03/2026", Dmy), Some(d(2026, 3, 5)));
        assert_eq!(date("03/05/2026", Mdy), Some(d(2026, 3, 5)));
        for (bad, f) in [
            ("115/02/30", Roc),
            ("2026-13-01", Iso),
            ("115/03/05", Iso),
            ("", Iso),
            ("=1+1", Iso),
            ("9999999/01/01", Roc),
            ("2026-03-05", Roc),
        ] {
            assert_eq!(date(bad, f), None, "{bad} as {f}");
        }
    }

    #[test]
    fn amounts_with_separators_signs_and_currency_marks() {
        let twd = Currency::parse("TWD").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(amount("1,234.50", twd), Ok(123_450));
        assert_eq!(amount("NT$1,234", twd), Ok(123_400));
        assert_eq!(amount("1,234.00 TWD", twd), Ok(123_400));
        assert_eq!(amount("-500", twd), Ok(-50_000));
        assert_eq!(amount("500-", twd), Ok(-50_000));
        assert_eq!(amount("(1,000.00)", twd), Ok(-100_000));
        assert_eq!(amount("＋３０", twd), Ok(3_000));
        assert_eq!(amount("0.01", twd), Ok(1));
        assert_eq!(amount("¥1,000", jpy), Ok(1_000));
        assert_eq!(amount("1234,56", twd), Err(MoneyError::Comma));
        assert_eq!(amount("12.345", twd), Err(MoneyError::TooManyDecimals(2)));
        assert_eq!(amount("abc", twd), Err(MoneyError::NotANumber));
        assert_eq!(amount("=SUM(A1)", twd), Err(MoneyError::NotANumber));
        assert_eq!(amount("", twd), Err(MoneyError::Empty));
        assert_eq!(
            amount("99999999999999999999", twd),
            Err(MoneyError::TooLarge)
        );
    }
}
