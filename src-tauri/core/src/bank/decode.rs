//! What every bank file needs read the same way: amounts with their separators. Its dates
//! are read as every written date is ([`crate::dates::written`]) and its bytes become text
//! as every imported file's do ([`crate::import::text`]).

use crate::money::{Currency, Money, MoneyError};

/// An amount cell, signed, in minor units of `currency` ([`Money::written`]). A bank that
/// writes the direction as letters beside the number (`1,000.00 CR`, `500.00DR`, `Dr 20`,
/// as HSBC, DBS or Citibank exports do) gives money in for `CR` and money out for `DR`; a
/// number with both a sign and such a mark says two things and is refused.
pub fn amount(cell: &str, currency: Currency) -> Result<i64, MoneyError> {
    let (number, credit) = direction(cell.trim());
    let minor = Money::written(number, currency)?.minor;
    match credit {
        None => Ok(minor),
        Some(_) if minor < 0 || number.contains(['+', '-', '(']) => Err(MoneyError::NotANumber),
        Some(true) => Ok(minor),
        Some(false) => Ok(-minor),
    }
}

/// The direction mark an amount cell carries (`Some(true)` for `CR`, `Some(false)` for `DR`).
pub fn mark(cell: &str) -> Option<bool> {
    direction(cell.trim()).1
}

/// The number of a cell and its direction mark, if it has one: `Some(true)` for a credit
/// (money in), `Some(false)` for a debit. The mark stands apart from letters (`CRC 100`,
/// Costa Rica's colón, has none).
fn direction(cell: &str) -> (&str, Option<bool>) {
    // The longer form first, so that `Cr.` leaves no point behind.
    for (mark, credit) in [("CR.", true), ("CR", true), ("DR.", false), ("DR", false)] {
        let n = mark.len();
        let at_end = cell
            .len()
            .checked_sub(n)
            .and_then(|at| cell.get(at..).zip(cell.get(..at)));
        if let Some((end, rest)) = at_end {
            if end.eq_ignore_ascii_case(mark) && !rest.ends_with(char::is_alphabetic) {
                return (rest.trim_end(), Some(credit));
            }
        }
        if let Some((start, rest)) = cell.get(..n).zip(cell.get(n..)) {
            if start.eq_ignore_ascii_case(mark) && !rest.starts_with(char::is_alphabetic) {
                return (rest.trim_start(), Some(credit));
            }
        }
    }
    (cell, None)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // The direction as letters: money in for CR, out for DR, however it is written.
        assert_eq!(amount("1,000.00 CR", twd), Ok(100_000));
        assert_eq!(amount("500.00DR", twd), Ok(-50_000));
        assert_eq!(amount("Dr 20", twd), Ok(-2_000));
        assert_eq!(amount("cr. 0.01", twd), Ok(1));
        assert_eq!(amount("NT$1,000 Cr", twd), Ok(100_000));
        assert_eq!(amount("-500 DR", twd), Err(MoneyError::NotANumber));
        assert_eq!(amount("(500) CR", twd), Err(MoneyError::NotANumber));
        assert_eq!(amount("CR", twd), Err(MoneyError::Empty));
        let crc = Currency::parse("CRC").unwrap();
        assert_eq!(amount("CRC 1,000", crc), Ok(100_000));
        assert_eq!(amount("1,000 CRC", crc), Ok(100_000));
        assert_eq!(amount("1,000 XCR", twd), Err(MoneyError::NotANumber));
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
