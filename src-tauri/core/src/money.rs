//! Money as an integer count of minor units with an ISO 4217 currency. Never a float.

use crate::error::Code;
use crate::FieldError;
use serde::{Deserialize, Serialize};

/// The currencies RiskDesk accepts, with their ISO 4217 minor-unit exponent and the
/// symbol English text uses. The ones resellers in the region bill in most come first
/// (they are what pickers offer first and what a lookup meets first).
const CURRENCIES: &[(&str, u32, &str)] = &[
    ("TWD", 2, "NT$"),
    ("USD", 2, "$"),
    ("EUR", 2, "€"),
    ("GBP", 2, "£"),
    ("JPY", 0, "¥"),
    ("CNY", 2, "CN¥"),
    ("HKD", 2, "HK$"),
    ("SGD", 2, "S$"),
    ("MYR", 2, "RM"),
    ("THB", 2, "฿"),
    ("VND", 0, "₫"),
    ("PHP", 2, "₱"),
    ("IDR", 2, "Rp"),
    ("KRW", 0, "₩"),
    ("AUD", 2, "A$"),
    ("NZD", 2, "NZ$"),
    ("CAD", 2, "CA$"),
    ("CHF", 2, "CHF "),
    ("INR", 2, "₹"),
    // Every other currency in ISO 4217's list of those in use, with its minor unit (the
    // three-decimal dinars and rials, the zero-decimal francs and others): a usage file,
    // a bank statement or a customer may be billed in any of them. Written with the code.
    ("AED", 2, "AED "),
    ("AFN", 2, "AFN "),
    ("ALL", 2, "ALL "),
    ("AMD", 2, "AMD "),
    ("ANG", 2, "ANG "),
    ("AOA", 2, "AOA "),
    ("ARS", 2, "ARS "),
    ("AWG", 2, "AWG "),
    ("AZN", 2, "AZN "),
    ("BAM", 2, "BAM "),
    ("BBD", 2, "BBD "),
    ("BDT", 2, "BDT "),
    ("BGN", 2, "BGN "),
    ("BHD", 3, "BHD "),
    ("BIF", 0, "BIF "),
    ("BMD", 2, "BMD "),
    ("BND", 2, "BND "),
    ("BOB", 2, "BOB "),
    ("BRL", 2, "BRL "),
    ("BSD", 2, "BSD "),
    ("BTN", 2, "BTN "),
    ("BWP", 2, "BWP "),
    ("BYN", 2, "BYN "),
    ("BZD", 2, "BZD "),
    ("CDF", 2, "CDF "),
    ("CLP", 0, "CLP "),
    ("COP", 2, "COP "),
    ("CRC", 2, "CRC "),
    ("CUP", 2, "CUP "),
    ("CVE", 2, "CVE "),
    ("CZK", 2, "CZK "),
    ("DJF", 0, "DJF "),
    ("DKK", 2, "DKK "),
    ("DOP", 2, "DOP "),
    ("DZD", 2, "DZD "),
    ("EGP", 2, "EGP "),
    ("ERN", 2, "ERN "),
    ("ETB", 2, "ETB "),
    ("FJD", 2, "FJD "),
    ("FKP", 2, "FKP "),
    ("GEL", 2, "GEL "),
    ("GHS", 2, "GHS "),
    ("GIP", 2, "GIP "),
    ("GMD", 2, "GMD "),
    ("GNF", 0, "GNF "),
    ("GTQ", 2, "GTQ "),
    ("GYD", 2, "GYD "),
    ("HNL", 2, "HNL "),
    ("HTG", 2, "HTG "),
    ("HUF", 2, "HUF "),
    ("ILS", 2, "ILS "),
    ("IQD", 3, "IQD "),
    ("IRR", 2, "IRR "),
    ("ISK", 0, "ISK "),
    ("JMD", 2, "JMD "),
    ("JOD", 3, "JOD "),
    ("KES", 2, "KES "),
    ("KGS", 2, "KGS "),
    ("KHR", 2, "KHR "),
    ("KMF", 0, "KMF "),
    ("KPW", 2, "KPW "),
    ("KWD", 3, "KWD "),
    ("KYD", 2, "KYD "),
    ("KZT", 2, "KZT "),
    ("LAK", 2, "LAK "),
    ("LBP", 2, "LBP "),
    ("LKR", 2, "LKR "),
    ("LRD", 2, "LRD "),
    ("LSL", 2, "LSL "),
    ("LYD", 3, "LYD "),
    ("MAD", 2, "MAD "),
    ("MDL", 2, "MDL "),
    ("MGA", 2, "MGA "),
    ("MKD", 2, "MKD "),
    ("MMK", 2, "MMK "),
    ("MNT", 2, "MNT "),
    ("MOP", 2, "MOP "),
    ("MRU", 2, "MRU "),
    ("MUR", 2, "MUR "),
    ("MVR", 2, "MVR "),
    ("MWK", 2, "MWK "),
    ("MXN", 2, "MXN "),
    ("MZN", 2, "MZN "),
    ("NAD", 2, "NAD "),
    ("NGN", 2, "NGN "),
    ("NIO", 2, "NIO "),
    ("NOK", 2, "NOK "),
    ("NPR", 2, "NPR "),
    ("OMR", 3, "OMR "),
    ("PAB", 2, "PAB "),
    ("PEN", 2, "PEN "),
    ("PGK", 2, "PGK "),
    ("PKR", 2, "PKR "),
    ("PLN", 2, "PLN "),
    ("PYG", 0, "PYG "),
    ("QAR", 2, "QAR "),
    ("RON", 2, "RON "),
    ("RSD", 2, "RSD "),
    ("RUB", 2, "RUB "),
    ("RWF", 0, "RWF "),
    ("SAR", 2, "SAR "),
    ("SBD", 2, "SBD "),
    ("SCR", 2, "SCR "),
    ("SDG", 2, "SDG "),
    ("SEK", 2, "SEK "),
    ("SHP", 2, "SHP "),
    ("SLE", 2, "SLE "),
    ("SOS", 2, "SOS "),
    ("SRD", 2, "SRD "),
    ("SSP", 2, "SSP "),
    ("STN", 2, "STN "),
    ("SVC", 2, "SVC "),
    ("SYP", 2, "SYP "),
    ("SZL", 2, "SZL "),
    ("TJS", 2, "TJS "),
    ("TMT", 2, "TMT "),
    ("TND", 3, "TND "),
    ("TOP", 2, "TOP "),
    ("TRY", 2, "TRY "),
    ("TTD", 2, "TTD "),
    ("TZS", 2, "TZS "),
    ("UAH", 2, "UAH "),
    ("UGX", 0, "UGX "),
    ("UYU", 2, "UYU "),
    ("UZS", 2, "UZS "),
    ("VED", 2, "VED "),
    ("VES", 2, "VES "),
    ("VUV", 0, "VUV "),
    ("WST", 2, "WST "),
    ("XAF", 0, "XAF "),
    ("XCD", 2, "XCD "),
    ("XCG", 2, "XCG "),
    ("XOF", 0, "XOF "),
    ("XPF", 0, "XPF "),
    ("YER", 2, "YER "),
    ("ZAR", 2, "ZAR "),
    ("ZMW", 2, "ZMW "),
    ("ZWG", 2, "ZWG "),
];

/// An ISO 4217 currency RiskDesk knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(&'static str);

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl rusqlite::types::ToSql for Currency {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.0.into())
    }
}

impl rusqlite::types::FromSql for Currency {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::store::text_column(v, "currency", Currency::parse)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Currency::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown currency {text:?}")))
    }
}

impl Currency {
    pub fn parse(code: &str) -> Option<Currency> {
        // Compared in place: this runs for every row read with money on it.
        let code = code.trim();
        CURRENCIES
            .iter()
            .find(|(c, _, _)| c.eq_ignore_ascii_case(code))
            .map(|(c, _, _)| Currency(c))
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    /// Digits after the decimal point (2 for TWD and USD, 0 for JPY).
    pub fn exponent(self) -> u32 {
        self.entry().1
    }

    fn symbol(self) -> &'static str {
        self.entry().2
    }

    fn entry(self) -> &'static (&'static str, u32, &'static str) {
        CURRENCIES
            .iter()
            .find(|(c, _, _)| *c == self.0)
            .unwrap_or(&CURRENCIES[0])
    }

    pub fn all() -> Vec<Currency> {
        CURRENCIES.iter().map(|(c, _, _)| Currency(c)).collect()
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// An amount: minor units (cents) of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    Empty,
    NotANumber,
    TooManyDecimals(u32),
    Negative,
    TooLarge,
    CurrencyMismatch,
    /// A comma that is not a thousands separator (`1234,56`, `12,5`, `1,2,3`).
    Comma,
}

/// The largest amount RiskDesk takes, in minor units (10^15: NT$10 trillion, ¥1 quadrillion).
/// Any sum of up to 9,000 such amounts still fits in an `i64`, and sums are checked anyway.
pub const MAX_MINOR: i64 = 1_000_000_000_000_000;

impl MoneyError {
    /// The code the window translates.
    pub fn code(&self) -> Code {
        match self {
            MoneyError::Empty => Code::Required,
            MoneyError::NotANumber => Code::InvalidAmount,
            MoneyError::TooManyDecimals(_) => Code::TooManyDecimals,
            MoneyError::Negative => Code::Negative,
            MoneyError::TooLarge => Code::TooLarge,
            MoneyError::CurrencyMismatch => Code::CurrencyMismatch,
            MoneyError::Comma => Code::UseDecimalPoint,
        }
    }

    /// The problem as `field`'s, with the values its translation names.
    pub fn field(&self, field: &str) -> FieldError {
        let e = FieldError::new(field, self.code(), self.to_string());
        match self {
            MoneyError::TooManyDecimals(n) => e.with("digits", n),
            _ => e,
        }
    }
}

impl std::fmt::Display for MoneyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MoneyError::Empty => write!(f, "an amount is required"),
            MoneyError::NotANumber => write!(
                f,
                "not an amount (use digits and a decimal point, e.g. 1234.50)"
            ),
            MoneyError::TooManyDecimals(n) => {
                write!(f, "at most {n} digits after the decimal point")
            }
            MoneyError::Negative => write!(f, "must not be negative"),
            MoneyError::TooLarge => write!(f, "the amount is too large"),
            MoneyError::CurrencyMismatch => write!(f, "amounts in different currencies"),
            MoneyError::Comma => write!(
                f,
                "use a point for decimals; a comma may only separate thousands (1,234.56)"
            ),
        }
    }
}

/// The letters a currency's amounts are written with besides its code (`NT$`, `HK$`, `円`).
fn local_marks(currency: Currency) -> &'static [&'static str] {
    match currency.code() {
        "TWD" => &["NT", "NTD", "元"],
        "HKD" => &["HK"],
        "SGD" => &["S"],
        "AUD" => &["A"],
        "CAD" => &["C", "CA"],
        "NZD" => &["NZ"],
        "USD" => &["US"],
        "JPY" => &["円"],
        "CNY" => &["元", "RMB"],
        "KRW" => &["원"],
        "MYR" => &["RM"],
        _ => &[],
    }
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    /// An amount as a spreadsheet or a bank writes it in a cell of `currency`, signed: as
    /// [`Money::parse`] reads it, with the currency's sign or code around it (`NT$1,234`,
    /// `$1,234.00`, `1,234 TWD`, `¥1,000`, `HK$500`), full-width digits, a sign before or
    /// after it, or parentheses for a negative amount. Another currency's code (`1,234 USD`
    /// in a TWD cell) is a mismatch, other letters no amount; a decimal comma is refused as
    /// everywhere in RiskDesk.
    pub fn written(cell: &str, currency: Currency) -> Result<Money, MoneyError> {
        let plain = crate::identity::half_width(cell);
        let mut t = plain.trim();
        let mut negative = false;
        if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
            negative = true;
            t = inner.trim();
        }
        let letters: String = t.chars().filter(|c| c.is_alphabetic()).collect();
        let ours = letters.is_empty()
            || letters.eq_ignore_ascii_case(currency.code())
            || local_marks(currency).contains(&letters.as_str());
        if !ours {
            return Err(if Currency::parse(&letters).is_some() {
                MoneyError::CurrencyMismatch
            } else {
                MoneyError::NotANumber
            });
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
        let money = Money::parse(core, currency)?;
        Ok(if negative {
            Money::new(-money.minor, currency)
        } else {
            money
        })
    }

    /// Parses typed text in major units ("1,234.5", "12345") exactly, without floats.
    /// A comma is a thousands separator only between groups of three digits (`1,234,567.5`);
    /// anything else with a comma (`1234,56`, `12,5`) is refused, never read as another
    /// number. More decimals than the currency has are refused rather than rounded, unless
    /// they are zeros (`¥1,000.00`, `12.3400` from a four-decimal export: the same amount
    /// exactly), and amounts above [`MAX_MINOR`] are refused.
    pub fn parse(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        fixed_point(text, currency.exponent()).map(|minor| Money::new(minor, currency))
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch);
        }
        self.minor
            .checked_add(other.minor)
            .map(|m| Money::new(m, self.currency))
            .ok_or(MoneyError::TooLarge)
    }

    /// Plain decimal text in major units, as CSV files carry it: "1234.50", "-3", "12345.00".
    pub fn to_plain(self) -> String {
        let exp = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exp == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10u64.pow(exp);
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = exp as usize
        )
    }

    /// Formats for people: "NT$12,345", "$1,234.56", "-$5.00". Fraction digits are
    /// shown unless the amount is whole in a currency usually written without cents
    /// (TWD), matching what the UI's `Intl` formatting shows.
    pub fn format(self) -> String {
        let exp = self.currency.exponent();
        let abs = self.minor.unsigned_abs();
        let scale = 10u64.pow(exp);
        let whole = group_thousands(abs / scale);
        let frac = abs % scale;
        let hide_cents = self.currency.code() == "TWD" && frac == 0;
        let number = if exp == 0 || hide_cents {
            whole
        } else {
            format!("{whole}.{frac:0width$}", width = exp as usize)
        };
        let sign = if self.minor < 0 { "-" } else { "" };
        format!("{sign}{}{number}", self.currency.symbol())
    }
}

pub(crate) fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Decimal text ("1,234.5", "-3", "12.3400") as a whole count of 10^-`exp` units, exactly and
/// without floats: the reading behind [`Money::parse`] and [`whole_number`].
fn fixed_point(text: &str, exp: u32) -> Result<i64, MoneyError> {
    let trimmed = text.trim();
    if trimmed.contains(',') {
        let unsigned = trimmed.strip_prefix('-').unwrap_or(trimmed);
        let whole = unsigned.split_once('.').map_or(unsigned, |(w, _)| w);
        let frac = unsigned.split_once('.').map_or("", |(_, f)| f);
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or("");
        let grouped =
            (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3) && !frac.contains(',');
        if !grouped {
            return Err(MoneyError::Comma);
        }
    }
    let cleaned: String = trimmed.chars().filter(|c| *c != ',').collect();
    if cleaned.is_empty() {
        return Err(MoneyError::Empty);
    }
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let (whole, frac) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !all_digits(whole) || !all_digits(frac) {
        return Err(MoneyError::NotANumber);
    }
    let frac = match frac.get(exp as usize..) {
        Some(extra) if extra.bytes().all(|b| b == b'0') => &frac[..exp as usize],
        _ => frac,
    };
    if frac.len() as u32 > exp {
        return Err(MoneyError::TooManyDecimals(exp));
    }
    let scale = 10i64.pow(exp);
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| MoneyError::TooLarge)?
    };
    let mut frac_minor: i64 = 0;
    for (i, c) in frac.chars().enumerate() {
        frac_minor += (c as i64 - '0' as i64) * 10i64.pow(exp - 1 - i as u32);
    }
    let minor = whole
        .checked_mul(scale)
        .and_then(|v| v.checked_add(frac_minor))
        .filter(|v| *v <= MAX_MINOR)
        .ok_or(MoneyError::TooLarge)?;
    Ok(if negative { -minor } else { minor })
}

/// A whole number as a spreadsheet writes it (`1,000`, `3.00`, full-width `３`): none for a
/// fraction that is not zero, a misplaced comma or anything but a number.
pub fn whole_number(text: &str) -> Option<i64> {
    fixed_point(&crate::identity::half_width(text), 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_as_a_cell_writes_it_in_its_own_currency() {
        let c = |code: &str| Currency::parse(code).unwrap();
        let minor = |cell: &str, code: &str| Money::written(cell, c(code)).map(|m| m.minor);
        assert_eq!(minor("NT$1,200.00", "TWD"), Ok(120_000));
        assert_eq!(minor("1,200 元", "TWD"), Ok(120_000));
        assert_eq!(minor("HK$500", "HKD"), Ok(50_000));
        assert_eq!(minor("US$10.50", "USD"), Ok(1_050));
        assert_eq!(minor("¥1,000", "JPY"), Ok(1_000));
        assert_eq!(minor("1,000 円", "JPY"), Ok(1_000));
        assert_eq!(minor("€ 12.30", "EUR"), Ok(1_230));
        assert_eq!(minor("(1,000.00)", "TWD"), Ok(-100_000));
        assert_eq!(minor("RM 99.90", "MYR"), Ok(9_990));
        // Another currency's code, or letters that are no currency's.
        assert_eq!(minor("1,234 USD", "TWD"), Err(MoneyError::CurrencyMismatch));
        assert_eq!(minor("HK$500", "TWD"), Err(MoneyError::NotANumber));
        assert_eq!(minor("1e3", "TWD"), Err(MoneyError::NotANumber));
        assert_eq!(minor("=SUM(A1)", "TWD"), Err(MoneyError::NotANumber));
        assert_eq!(minor("1234,56", "TWD"), Err(MoneyError::Comma));
        assert_eq!(minor("", "TWD"), Err(MoneyError::Empty));
    }
    use proptest::prelude::*;

    fn twd() -> Currency {
        Currency::parse("TWD").unwrap()
    }
    fn usd() -> Currency {
        Currency::parse("usd").unwrap()
    }

    #[test]
    fn every_currency_in_use_is_known_with_its_minor_unit() {
        let c = |code: &str| Currency::parse(code).unwrap_or_else(|| panic!("{code}"));
        // Three decimals (the dinars), none (the francs, the peso, the krona), two.
        for (code, exp) in [
            ("KWD", 3),
            ("BHD", 3),
            ("OMR", 3),
            ("JOD", 3),
            ("TND", 3),
            ("CLP", 0),
            ("ISK", 0),
            ("XOF", 0),
            ("UGX", 0),
            ("DKK", 2),
            ("SEK", 2),
            ("BRL", 2),
            ("ZAR", 2),
            ("MXN", 2),
            ("PLN", 2),
            ("AED", 2),
            ("SAR", 2),
            ("MOP", 2),
        ] {
            assert_eq!(c(code).exponent(), exp, "{code}");
        }
        assert_eq!(
            Money::parse("1,234.567", c("KWD")),
            Ok(Money::new(1_234_567, c("KWD")))
        );
        assert_eq!(Money::parse("0.001", c("BHD")).unwrap().minor, 1);
        assert_eq!(
            Money::parse("1.2345", c("KWD")),
            Err(MoneyError::TooManyDecimals(3))
        );
        assert_eq!(Money::parse("1,000.00", c("CLP")).unwrap().minor, 1_000);
        assert_eq!(Money::new(-1_234_567, c("KWD")).format(), "-KWD 1,234.567");
        assert_eq!(Money::new(1_500_000, c("CLP")).format(), "CLP 1,500,000");
        assert_eq!(Money::new(123_456, c("dkk")).format(), "DKK 1,234.56");
        assert_eq!(
            Money::written("1,234.567 KWD", c("KWD")).unwrap().minor,
            1_234_567
        );
        assert_eq!(
            Money::written("1,234 SEK", c("DKK")),
            Err(MoneyError::CurrencyMismatch)
        );
        // No two entries for one code, codes are three capitals, withdrawn ones are gone.
        let all = Currency::all();
        let mut codes: Vec<&str> = all.iter().map(|c| c.code()).collect();
        assert!(codes
            .iter()
            .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        assert!(all.len() > 150, "{}", all.len());
        for gone in ["HRK", "SLL", "ZWL", "CUC", "XAU", "XXX"] {
            assert!(Currency::parse(gone).is_none(), "{gone}");
        }
    }

    #[test]
    fn amounts_format_the_way_resellers_write_them() {
        assert_eq!(Money::new(1_234_500, twd()).format(), "NT$12,345");
        assert_eq!(Money::new(1_234_550, twd()).format(), "NT$12,345.50");
        assert_eq!(Money::new(123_456, usd()).format(), "$1,234.56");
        assert_eq!(Money::new(-500, usd()).format(), "-$5.00");
        assert_eq!(Money::new(0, usd()).format(), "$0.00");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(Money::new(1_000_000, jpy).format(), "¥1,000,000");
    }

    #[test]
    fn typed_amounts_parse_exactly_without_floats() {
        assert_eq!(Money::parse("1,234.56", usd()).unwrap().minor, 123_456);
        assert_eq!(Money::parse("0.1", usd()).unwrap().minor, 10);
        assert_eq!(Money::parse(".5", usd()).unwrap().minor, 50);
        assert_eq!(Money::parse("50000", twd()).unwrap().minor, 5_000_000);
        assert_eq!(Money::parse("-3", usd()).unwrap().minor, -300);
        assert_eq!(
            Money::parse("1.234", usd()),
            Err(MoneyError::TooManyDecimals(2))
        );
        assert_eq!(Money::parse("12a", usd()), Err(MoneyError::NotANumber));
        // Commas separate thousands only: nothing else is read as another number.
        assert_eq!(
            Money::parse("1,234,567.50", usd()).unwrap().minor,
            123_456_750
        );
        assert_eq!(Money::parse("-1,000", usd()).unwrap().minor, -100_000);
        for bad in [
            "1234,56",
            "12,5",
            "1,2,3",
            ",123",
            "1,23,456",
            "1,234,",
            "12345,678",
            "1.234,56",
        ] {
            assert_eq!(Money::parse(bad, usd()), Err(MoneyError::Comma), "{bad}");
        }
        assert!(MoneyError::Comma.to_string().contains("point for decimals"));
        // One ceiling for every amount.
        assert!(Money::parse("10000000000000.00", usd()).is_ok());
        assert_eq!(
            Money::parse("10000000000000.01", usd()),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(
            Money::parse("50,000,000,000,000,000.00", twd()),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(Money::parse("", usd()), Err(MoneyError::Empty));
        assert_eq!(Money::parse(".", usd()), Err(MoneyError::NotANumber));
        assert_eq!(
            Money::parse("99999999999999999999", usd()),
            Err(MoneyError::TooLarge)
        );
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(
            Money::parse("1.5", jpy),
            Err(MoneyError::TooManyDecimals(0))
        );
        // Zeros past the currency's decimals are the same amount: an export's fixed four
        // decimals, yen as a spreadsheet formats any number. A digit that is not zero is still
        // refused, however far out, and nothing is rounded.
        assert_eq!(Money::parse("1,000.00", jpy).unwrap().minor, 1_000);
        assert_eq!(Money::parse("1000.", jpy).unwrap().minor, 1_000);
        assert_eq!(Money::parse("12.3400", usd()).unwrap().minor, 1_234);
        assert_eq!(Money::parse("-0.0100", usd()).unwrap().minor, -1);
        assert_eq!(Money::parse("0.000", usd()).unwrap().minor, 0);
        assert_eq!(
            Money::parse("12.3401", usd()),
            Err(MoneyError::TooManyDecimals(2))
        );
        assert_eq!(
            Money::parse("1.0000000000000000000001", usd()),
            Err(MoneyError::TooManyDecimals(2))
        );
        assert_eq!(
            Money::parse("1,000.05", jpy),
            Err(MoneyError::TooManyDecimals(0))
        );
        assert_eq!(Money::parse(".00", jpy), Ok(Money::zero(jpy)));
    }

    #[test]
    fn adding_different_currencies_is_refused() {
        let a = Money::new(1, usd());
        let b = Money::new(1, twd());
        assert_eq!(a.checked_add(b), Err(MoneyError::CurrencyMismatch));
        assert_eq!(
            Money::new(i64::MAX, usd()).checked_add(a),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn unknown_currencies_are_refused() {
        assert!(Currency::parse("XYZ").is_none());
        assert!(Currency::parse("").is_none());
        // Written any case, with spaces around: the same currency; anything longer is not one.
        for code in [" twd", "Twd ", "\tTWD\n"] {
            assert_eq!(
                Currency::parse(code).map(Currency::code),
                Some("TWD"),
                "{code:?}"
            );
        }
        for code in ["TWDX", "TW D", "ＴＷＤ", "usd;"] {
            assert!(Currency::parse(code).is_none(), "{code:?}");
        }
    }

    proptest! {
        #[test]
        fn plain_text_round_trips(minor in -1_000_000_000_000i64..1_000_000_000_000i64) {
            for c in [usd(), twd(), Currency::parse("JPY").unwrap()] {
                let m = Money::new(minor, c);
                prop_assert_eq!(Money::parse(&m.to_plain(), c).unwrap(), m);
            }
        }

        #[test]
        fn formatted_text_keeps_every_digit(minor in 0i64..1_000_000_000_000i64) {
            let m = Money::new(minor, usd());
            let digits: String = m.format().chars().filter(|c| c.is_ascii_digit()).collect();
            let expected = minor.to_string();
            prop_assert_eq!(digits.trim_start_matches('0'), expected.trim_start_matches('0'));
        }
    }
}
