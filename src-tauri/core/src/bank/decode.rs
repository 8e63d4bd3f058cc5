//! What every bank file needs read the same way: amounts with their separators. Its dates
//! are read as every written date is ([`crate::dates::written`]) and its bytes become text
//! as every imported file's do ([`crate::import::text`]).

use crate::money::{Currency, Money, MoneyError};

/// An amount cell, signed, in minor units of `currency` ([`Money::written`]).
pub fn amount(cell: &str, currency: Currency) -> Result<i64, MoneyError> {
    Money::written(cell, currency).map(|m| m.minor)
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
