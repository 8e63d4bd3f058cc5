//! Exchange rates: usage arrives in the currency Microsoft bills the reseller for the
//! customer (`BillingCurrency`), which need not be the currency the reseller invoices the
//! customer in, nor the owner's reference currency for detector thresholds. Amounts are
//! converted explicitly, at a stated rate, never dropped:
//!
//! 1. the usage files' own rates (`PCToBCExchangeRate`: one unit of the pricing currency is
//!    so many units of the billing currency on that usage day), where they connect the two
//!    currencies;
//! 2. otherwise the dated rates the owner keeps (window and CLI, audited).
//!
//! A rate is taken for the day asked, or the latest before it, or else the earliest after
//! it (its date is named wherever it is used). A pair is connected directly, by the inverse
//! rate, or through one other currency (TWD → USD by the file, USD → VND by the owner). A
//! pair with no rate at all is "not convertible", which callers show and alert on.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Code;
use crate::money::Currency;
use crate::store::parse_day;
use crate::{Ctx, Error, FieldError, Result};

/// Where a rate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    File,
    Owner,
}

/// One step of a conversion: `1 from = rate to`, dated.
#[derive(Debug, Clone, PartialEq)]
struct Step {
    from: Currency,
    to: Currency,
    rate: Decimal,
    on: NaiveDate,
    source: Source,
}

/// How an amount was converted: the factor to multiply by, and the rate(s) used in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    pub factor: Decimal,
    pub en: String,
    pub zh: String,
}

impl Conversion {
    fn identity() -> Conversion {
        Conversion {
            factor: Decimal::ONE,
            en: String::new(),
            zh: String::new(),
        }
    }
}

/// A rate on a day, and where it comes from.
type Dated = (NaiveDate, Decimal, Source);

/// Every rate known, by pair, each list sorted by date.
#[derive(Debug, Clone, Default)]
pub struct Rates {
    pairs: HashMap<(Currency, Currency), Vec<Dated>>,
}

fn show(d: Decimal) -> String {
    d.round_dp(6).normalize().to_string()
}

impl Rates {
    /// The files' rates and the owner's.
    pub fn load(conn: &Connection) -> Result<Rates> {
        let mut r = Rates::default();
        for (sql, source) in [
            (
                "SELECT usage_date, pricing_currency, billing_currency, rate FROM usage_rates",
                Source::File,
            ),
            (
                "SELECT rate_on, from_currency, to_currency, rate FROM exchange_rates",
                Source::Owner,
            ),
        ] {
            let mut stmt = conn.prepare_cached(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let on = parse_day(super::series::col_str(row, 0)?)?;
                let (from, to) = (row.get(1)?, row.get(2)?);
                let rate: Decimal = super::series::col_str(row, 3)?
                    .parse()
                    .map_err(|_| Error::Invalid("a stored exchange rate is not a number".into()))?;
                if rate > Decimal::ZERO {
                    // Sorted once below, not at every rate.
                    r.pairs
                        .entry((from, to))
                        .or_default()
                        .push((on, rate, source));
                }
            }
        }
        for list in r.pairs.values_mut() {
            list.sort_by_key(|(d, _, s)| (*d, *s == Source::Owner));
        }
        Ok(r)
    }

    /// Adds a rate (tests and callers that build rates by hand).
    pub fn add(
        &mut self,
        on: NaiveDate,
        from: Currency,
        to: Currency,
        rate: Decimal,
        source: Source,
    ) {
        let list = self.pairs.entry((from, to)).or_default();
        list.push((on, rate, source));
        list.sort_by_key(|(d, _, s)| (*d, *s == Source::Owner));
    }

    /// The rate of one pair as stored in one direction, for `day`, from `source`.
    fn stored(&self, from: Currency, to: Currency, day: NaiveDate, source: Source) -> Option<Step> {
        let list = self.pairs.get(&(from, to))?;
        let of_source = || list.iter().filter(|(_, _, s)| *s == source);
        let pick = of_source()
            .rfind(|(d, _, _)| *d <= day)
            .or_else(|| of_source().find(|(d, _, _)| *d > day))?;
        Some(Step {
            from,
            to,
            rate: pick.1,
            on: pick.0,
            source,
        })
    }

    /// One step from `from` to `to`: stored that way or the other way (inverted), from the
    /// files first, then the owner's table.
    fn step(&self, from: Currency, to: Currency, day: NaiveDate) -> Option<(Step, Decimal)> {
        for source in [Source::File, Source::Owner] {
            if let Some(s) = self.stored(from, to, day, source) {
                let f = s.rate;
                return Some((s, f));
            }
            if let Some(s) = self.stored(to, from, day, source) {
                let f = Decimal::ONE.checked_div(s.rate)?;
                return Some((s, f));
            }
        }
        None
    }

    fn currencies(&self) -> Vec<Currency> {
        let mut all: Vec<Currency> = self.pairs.keys().flat_map(|(a, b)| [*a, *b]).collect();
        all.sort_by_key(|c| c.code());
        all.dedup();
        all
    }

    /// How to convert an amount in `from` into `to` on `day` (None: no rate connects them).
    pub fn conversion(&self, from: Currency, to: Currency, day: NaiveDate) -> Option<Conversion> {
        if from == to {
            return Some(Conversion::identity());
        }
        let steps: Vec<(Step, Decimal)> = match self.step(from, to, day) {
            Some(s) => vec![s],
            None => self.currencies().into_iter().find_map(|via| {
                if via == from || via == to {
                    return None;
                }
                let a = self.step(from, via, day)?;
                let b = self.step(via, to, day)?;
                Some(vec![a, b])
            })?,
        };
        let factor = steps
            .iter()
            .try_fold(Decimal::ONE, |acc, (_, f)| acc.checked_mul(*f))?;
        let words = |zh: bool| -> String {
            steps
                .iter()
                .map(|(s, _)| {
                    let src = match (s.source, zh) {
                        (Source::File, false) => "usage file",
                        (Source::File, true) => "用量檔案",
                        (Source::Owner, false) => "your rate table",
                        (Source::Owner, true) => "自訂匯率表",
                    };
                    let (lang, open, comma, close) = if zh {
                        (crate::customer::Language::ZhTw, "（", "，", "）")
                    } else {
                        (crate::customer::Language::En, " (", ", ", ")")
                    };
                    format!(
                        "1 {} = {} {}{open}{src}{comma}{}{close}",
                        s.from.code(),
                        show(s.rate),
                        s.to.code(),
                        crate::dates::date_text(lang, s.on)
                    )
                })
                .collect::<Vec<_>>()
                .join(if zh { "；" } else { "; " })
        };
        Some(Conversion {
            factor,
            en: words(false),
            zh: words(true),
        })
    }

    /// `amount` of `from` in `to` on `day`, exactly (None: not convertible).
    pub fn convert(
        &self,
        amount: Decimal,
        from: Currency,
        to: Currency,
        day: NaiveDate,
    ) -> Option<Decimal> {
        amount.checked_mul(self.conversion(from, to, day)?.factor)
    }
}

/// A rate the owner keeps.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OwnerRate {
    pub id: i64,
    pub rate_on: NaiveDate,
    pub from_currency: String,
    pub to_currency: String,
    /// Exact decimal text: one unit of `from_currency` is this many units of `to_currency`.
    pub rate: String,
    pub note: String,
}

pub fn list(conn: &Connection) -> Result<Vec<OwnerRate>> {
    crate::store::rows(
        conn,
        "SELECT id, rate_on, from_currency, to_currency, rate, note FROM exchange_rates
         ORDER BY rate_on DESC, from_currency, to_currency",
        [],
        |r| {
            Ok(OwnerRate {
                id: r.get(0)?,
                rate_on: parse_day(&r.get::<_, String>(1)?)?,
                from_currency: r.get(2)?,
                to_currency: r.get(3)?,
                rate: r.get(4)?,
                note: r.get(5)?,
            })
        },
    )
}

fn get(conn: &Connection, id: i64) -> Result<Option<OwnerRate>> {
    Ok(list(conn)?.into_iter().find(|r| r.id == id))
}

/// Sets the owner's rate of a pair on a day (text as typed: `rate_on` a date, the
/// currencies ISO 4217 codes, `rate` a positive decimal with `.`), audited. Setting a pair
/// and day again changes its rate.
pub fn set(
    tx: &Transaction,
    ctx: &Ctx,
    rate_on: &str,
    from: &str,
    to: &str,
    rate: &str,
    note: &str,
) -> Result<OwnerRate> {
    let on = crate::dates::parse(rate_on.trim())
        .map_err(|e| Error::field("rate_on", e.code(), format!("{rate_on:?}: {e}")))?;
    if on > ctx.today {
        return Err(Error::field(
            "rate_on",
            Code::Future,
            format!("{on} is after today: a rate is recorded for a day that has come"),
        ));
    }
    let currency = |field: &str, text: &str| -> Result<Currency> {
        Currency::parse(text.trim()).ok_or_else(|| {
            Error::fields(
                FieldError::new(
                    field,
                    Code::InvalidCurrency,
                    format!("{text:?} is not an ISO 4217 currency code"),
                )
                .with("value", crate::import::shown(text)),
            )
        })
    };
    let (from, to) = (
        currency("from_currency", from)?,
        currency("to_currency", to)?,
    );
    if from == to {
        return Err(Error::field(
            "to_currency",
            Code::SameCurrency,
            "a rate converts between two different currencies",
        ));
    }
    let plain = rate.trim();
    let digits_only = !plain.is_empty()
        && plain.chars().all(|c| c.is_ascii_digit() || c == '.')
        && plain.matches('.').count() <= 1;
    let value: Decimal = Some(plain)
        .filter(|_| digits_only)
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| {
            let code = if plain.contains(',') {
                Code::UseDecimalPoint
            } else {
                Code::InvalidNumber
            };
            Error::fields(
                FieldError::new(
                    "rate",
                    code,
                    format!("{rate:?} is not a number (write it with a decimal point, like 32.45)"),
                )
                .with("value", crate::import::shown(plain)),
            )
        })?;
    if value <= Decimal::ZERO || value > Decimal::from(1_000_000) {
        return Err(Error::fields(
            FieldError::new(
                "rate",
                Code::InvalidRate,
                format!("{rate:?}: a rate is more than 0 and at most 1,000,000"),
            )
            .with("value", crate::import::shown(plain)),
        ));
    }
    crate::error::at_most("note", note, 500)?;
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM exchange_rates WHERE rate_on = ?1 AND from_currency = ?2 AND to_currency = ?3",
            params![on.to_string(), from.code(), to.code()],
            |r| r.get(0),
        )
        .optional()?;
    let before = match existing {
        Some(id) => get(tx, id)?,
        None => None,
    };
    let text = value.normalize().to_string();
    tx.execute(
        "INSERT INTO exchange_rates (rate_on, from_currency, to_currency, rate, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (rate_on, from_currency, to_currency) DO UPDATE SET rate = excluded.rate, note = excluded.note",
        params![on.to_string(), from.code(), to.code(), text, note.trim(), ctx.now_text()],
    )?;
    let id: i64 = tx.query_row(
        "SELECT id FROM exchange_rates WHERE rate_on = ?1 AND from_currency = ?2 AND to_currency = ?3",
        params![on.to_string(), from.code(), to.code()],
        |r| r.get(0),
    )?;
    let after = get(tx, id)?.ok_or_else(|| Error::NotFound(format!("rate {id}")))?;
    let action = if before.is_some() { "update" } else { "create" };
    crate::audit::record(
        tx,
        ctx,
        "exchange_rate",
        id,
        action,
        before.as_ref(),
        Some(&after),
    )?;
    Ok(after)
}

/// Removes one of the owner's rates, audited.
pub fn remove(tx: &Transaction, ctx: &Ctx, id: i64) -> Result<()> {
    let before = get(tx, id)?.ok_or_else(|| Error::NotFound(format!("exchange rate {id}")))?;
    tx.execute("DELETE FROM exchange_rates WHERE id = ?1", [id])?;
    crate::audit::record::<OwnerRate>(tx, ctx, "exchange_rate", id, "delete", Some(&before), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }
    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_file_rate_converts_both_ways_and_names_itself() {
        let mut r = Rates::default();
        r.add(
            day("2025-01-01"),
            c("USD"),
            c("TWD"),
            d("32.8917"),
            Source::File,
        );
        let to_usd = r.conversion(c("TWD"), c("USD"), day("2025-01-20")).unwrap();
        assert_eq!((d("3289.17") * to_usd.factor).round_dp(6), d("100"));
        assert!(to_usd
            .en
            .contains("1 USD = 32.8917 TWD (usage file, 1 January 2025)"));
        assert_eq!(
            r.convert(d("2"), c("USD"), c("TWD"), day("2025-01-20")),
            Some(d("65.7834"))
        );
    }

    #[test]
    fn the_file_goes_before_the_owner_and_a_pair_can_go_through_a_third_currency() {
        let mut r = Rates::default();
        r.add(
            day("2025-01-01"),
            c("USD"),
            c("TWD"),
            d("30"),
            Source::Owner,
        );
        r.add(day("2025-01-01"), c("USD"), c("TWD"), d("32"), Source::File);
        assert_eq!(
            r.convert(d("1"), c("USD"), c("TWD"), day("2025-01-02")),
            Some(d("32"))
        );
        r.add(
            day("2024-06-30"),
            c("USD"),
            c("VND"),
            d("25000"),
            Source::Owner,
        );
        // TWD → USD (file) → VND (owner).
        let v = r
            .convert(d("32"), c("TWD"), c("VND"), day("2025-01-02"))
            .unwrap();
        assert_eq!(v.round_dp(6), d("25000"));
        assert_eq!(r.conversion(c("TWD"), c("JPY"), day("2025-01-02")), None);
    }

    #[test]
    fn the_latest_rate_on_or_before_the_day_else_the_first_after() {
        let mut r = Rates::default();
        r.add(
            day("2025-01-01"),
            c("USD"),
            c("TWD"),
            d("30"),
            Source::Owner,
        );
        r.add(
            day("2025-02-01"),
            c("USD"),
            c("TWD"),
            d("31"),
            Source::Owner,
        );
        let at = |s| r.convert(d("1"), c("USD"), c("TWD"), day(s));
        assert_eq!(at("2025-01-31"), Some(d("30")));
        assert_eq!(at("2025-02-01"), Some(d("31")));
        assert_eq!(at("2024-12-01"), Some(d("30")));
    }
}
