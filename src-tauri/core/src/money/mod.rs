//! Money as an integer count of minor units with an ISO 4217 currency. Never a float.

use crate::error::Code;
use crate::FieldError;
use serde::{Deserialize, Serialize};

mod written;

/// The currencies RiskDesk accepts, with their ISO 4217 minor-unit exponent and the
/// symbol English text uses. The ones resellers in the region bill in most come first
/// (they are what pickers offer first and what a lookup meets first).
const CURRENCIES: &[(&str, u32, &str)] = &[
    ("TWD", 2, "NT$"),
    ("USD", 2, "US$"),
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

    /// What stands before the amount ("NT$", "฿", "BHD "): letters and the window
    /// both write money with it.
    pub fn symbol(self) -> &'static str {
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

/// Adds `m` to the amount of its currency in `totals`: amounts that stay apart (those no
/// rate converts) are shown one per currency, in currency-code order, never a day at a time.
/// A sum past the largest count stays there (these figures are shown, never booked).
pub fn add_by_currency(totals: &mut Vec<Money>, m: Money) {
    match totals.binary_search_by(|t| t.currency.code().cmp(m.currency.code())) {
        Ok(i) => totals[i].minor = totals[i].minor.saturating_add(m.minor),
        Err(i) => totals.insert(i, m),
    }
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
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

    /// Formats for people: "NT$12,345", "US$1,234.56", "-US$5.00". Fraction digits are
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
mod tests;
