//! Interest on overdue invoices, as an accrual with a watermark.
//!
//! Interest is simple: amount still due x annual rate x days / 365, rounded to the minor
//! unit half away from zero, once per charged period. Each invoice records (in its dunning
//! steps) the last day interest was charged up to; a run charges only the days after that,
//! so the interest on an invoice never depends on how often runs happen: a run on day 21,
//! 30, 45 and 90 charges the same days as one run on day 90 (at most one minor unit of
//! rounding per run apart).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates;

/// Simple interest on `amount_minor` at `rate_bp` basis points a year for `days` days:
/// amount x rate x days / 365, rounded to the minor unit, half away from zero.
pub fn interest_minor(amount_minor: i64, rate_bp: i64, days: i64) -> i64 {
    if days <= 0 || rate_bp == 0 {
        return 0;
    }
    let num = amount_minor as i128 * rate_bp as i128 * days as i128;
    let den: i128 = 10_000 * 365;
    let q = (2 * num.abs() + den) / (2 * den);
    let q = if num < 0 { -q } else { q };
    q.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// One charged period of interest on one invoice.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Accrual {
    /// Interest runs for the days after this one...
    #[serde(serialize_with = "crate::dates::serialize_day")]
    pub from: NaiveDate,
    /// ...up to and including this one.
    #[serde(serialize_with = "crate::dates::serialize_day")]
    pub to: NaiveDate,
    pub days: i64,
    pub rate_bp: i64,
    /// The amount still due it was computed on.
    pub on_minor: i64,
    pub interest_minor: i64,
}

/// The interest due on `due_minor` at `rate_bp` for the days after the watermark (or the
/// due date, when interest was never charged) up to `as_of`. None when there is nothing to
/// charge (no rate, nothing due, or no day since the watermark).
pub fn accrue(
    due_on: NaiveDate,
    watermark: Option<NaiveDate>,
    as_of: NaiveDate,
    due_minor: i64,
    rate_bp: i64,
) -> Option<Accrual> {
    if rate_bp <= 0 || due_minor <= 0 {
        return None;
    }
    let from = watermark.map_or(due_on, |w| w.max(due_on));
    let days = dates::days_between(from, as_of);
    if days <= 0 {
        return None;
    }
    Some(Accrual {
        from,
        to: as_of,
        days,
        rate_bp,
        on_minor: due_minor,
        interest_minor: interest_minor(due_minor, rate_bp, days),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn interest_is_amount_times_rate_times_days_over_365_rounded_half_away_from_zero() {
        // NT$100,000.00 at 10 % for 30 days = 821.917... -> NT$821.92
        assert_eq!(interest_minor(10_000_000, 1000, 30), 82_192);
        // NT$100,000.00 at 10 % for 90 days = 2,465.753... -> NT$2,465.75
        assert_eq!(interest_minor(10_000_000, 1000, 90), 246_575);
        // $1,234.56 at 12 % for 45 days = 18.2647... -> $18.26
        assert_eq!(interest_minor(123_456, 1200, 45), 1_826);
        // Exactly half a cent: 3.65 at 50 % for 1 day = 0.005 -> 0.01, and -0.01 when negative
        assert_eq!(interest_minor(365, 5000, 1), 1);
        assert_eq!(interest_minor(-365, 5000, 1), -1);
        // Just under half: rounds down
        assert_eq!(interest_minor(364, 5000, 1), 0);
        assert_eq!(interest_minor(10_000_000, 0, 30), 0);
        assert_eq!(interest_minor(10_000_000, 1000, 0), 0);
        // The largest amounts do not overflow.
        assert!(interest_minor(i64::MAX, 10_000, 36_500) > 0);
    }

    #[test]
    fn accrual_starts_at_the_watermark_or_the_due_date() {
        let due = d(2026, 1, 31);
        let a = accrue(due, None, d(2026, 2, 21), 10_000_000, 1000).unwrap();
        assert_eq!((a.from, a.days, a.interest_minor), (due, 21, 57_534));
        let b = accrue(due, Some(d(2026, 2, 21)), d(2026, 3, 2), 10_000_000, 1000).unwrap();
        assert_eq!((b.from, b.days), (d(2026, 2, 21), 9));
        assert_eq!(
            accrue(due, Some(d(2026, 3, 2)), d(2026, 3, 2), 10_000_000, 1000),
            None
        );
        assert_eq!(accrue(due, None, d(2026, 3, 2), 10_000_000, 0), None);
    }
}
