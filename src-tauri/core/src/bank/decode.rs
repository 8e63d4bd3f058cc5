//! What every bank file needs read the same way: amounts with their separators. Its dates
//! are read as every written date is ([`crate::dates::written`]) and its bytes become text
//! as every imported file's do ([`crate::import::text`]).

use crate::money::{Currency, Money, MoneyError};

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
