//! The reseller's own line with Microsoft. A reseller pays Microsoft whether or not its
//! customers pay it, and Microsoft blocks new purchases for every customer once what the
//! partner owes (unpaid invoices and unbilled charges) reaches its credit limit. Here: the
//! limit, Microsoft's payment terms and the alert thresholds (settings), Microsoft's
//! invoices to the partner ([`invoices`]), and what is left of the line and when each
//! customer's money is needed ([`headroom`]).

pub mod demo;
pub mod headroom;
pub mod invoices;

#[cfg(test)]
mod demo_tests;
#[cfg(test)]
mod input_tests;
#[cfg(test)]
mod tests;

use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Code, FieldError};
use crate::money::{Currency, Money};
use crate::store::settings;
use crate::{Ctx, Error, Result};

pub const LIMIT_KEY: &str = "microsoft.credit_limit";
pub const TERMS_KEY: &str = "microsoft.payment_terms_days";
pub const THRESHOLDS_KEY: &str = "microsoft.alert_thresholds";

const DEFAULT_TERMS: i64 = 60;
const DEFAULT_THRESHOLDS: &[u32] = &[80, 100];

/// The line: its limit (none until the owner sets it), Microsoft's payment terms in days,
/// and the shares of the limit used at which an alert is raised (percent, rising).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditLine {
    pub limit: Option<Money>,
    pub terms_days: i64,
    pub thresholds: Vec<u32>,
}

/// The line as the window and the command line give it: text, checked here.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CreditLineInput {
    /// The limit's amount (empty: no limit set).
    pub limit: String,
    pub currency: String,
    pub terms_days: String,
    /// Percentages, rising, separated by commas (`80,100`).
    pub thresholds: String,
}

fn thresholds_text(t: &[u32]) -> String {
    t.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

impl CreditLineInput {
    pub fn parse(&self) -> Result<CreditLine> {
        let mut errs = Vec::new();
        let limit = if self.limit.trim().is_empty() {
            None
        } else {
            match currency_field(&self.currency) {
                Err(e) => {
                    errs.push(e);
                    None
                }
                Ok(c) => match Money::written(&self.limit, c) {
                    Ok(m) if m.minor > 0 => Some(m),
                    Ok(_) => {
                        errs.push(FieldError::new(
                            "limit",
                            Code::NotPositive,
                            "must be more than zero",
                        ));
                        None
                    }
                    Err(e) => {
                        errs.push(e.field("limit"));
                        None
                    }
                },
            }
        };
        let terms_days = match self.terms_days.trim() {
            "" => DEFAULT_TERMS,
            t => match crate::money::whole_number(t) {
                Some(d) if (0..=365).contains(&d) => d,
                _ => {
                    errs.push(
                        FieldError::new(
                            "terms_days",
                            Code::InvalidDays,
                            "whole days from 0 to 365",
                        )
                        .with("value", crate::import::shown(t)),
                    );
                    DEFAULT_TERMS
                }
            },
        };
        let thresholds = match parse_thresholds(&self.thresholds) {
            Ok(t) => t,
            Err(e) => {
                errs.push(e);
                Vec::new()
            }
        };
        if !errs.is_empty() {
            return Err(Error::Validation(errs));
        }
        Ok(CreditLine {
            limit,
            terms_days,
            thresholds,
        })
    }
}

/// A currency typed as its ISO 4217 code (any case), or the field's problem.
fn currency_field(text: &str) -> std::result::Result<Currency, FieldError> {
    Currency::parse(text.trim().to_ascii_uppercase().as_str()).ok_or_else(|| {
        FieldError::new(
            "currency",
            Code::InvalidCurrency,
            "an ISO 4217 code such as TWD",
        )
        .with("value", crate::import::shown(text.trim()))
    })
}

fn parse_thresholds(text: &str) -> std::result::Result<Vec<u32>, FieldError> {
    if text.trim().is_empty() {
        return Ok(DEFAULT_THRESHOLDS.to_vec());
    }
    let bad = || {
        FieldError::new(
            "thresholds",
            Code::NotRising,
            "rising percentages from 1 to 1000, separated by commas (80,100)",
        )
        .with("value", crate::import::shown(text.trim()))
    };
    let mut out: Vec<u32> = Vec::new();
    for part in text.split(',') {
        let n: u32 = part.trim().parse().map_err(|_| bad())?;
        if !(1..=1000).contains(&n) || out.last().is_some_and(|l| *l >= n) || out.len() >= 10 {
            return Err(bad());
        }
        out.push(n);
    }
    Ok(out)
}

impl CreditLine {
    /// The saved line (the defaults where nothing is saved).
    pub fn load(conn: &Connection) -> Result<CreditLine> {
        let get = |k: &str| -> Result<String> { Ok(settings::get(conn, k)?.unwrap_or_default()) };
        let limit_text = get(LIMIT_KEY)?;
        let (currency, limit) = limit_text.split_once(' ').unwrap_or(("", ""));
        CreditLineInput {
            limit: limit.to_string(),
            currency: currency.to_string(),
            terms_days: get(TERMS_KEY)?,
            thresholds: get(THRESHOLDS_KEY)?,
        }
        .parse()
    }

    /// Saves the line (each setting audited).
    pub fn save(&self, tx: &Transaction, ctx: &Ctx) -> Result<()> {
        let limit = self
            .limit
            .map(|m| format!("{} {}", m.currency.code(), m.to_plain()))
            .unwrap_or_default();
        settings::set(tx, ctx, LIMIT_KEY, &limit)?;
        settings::set(tx, ctx, TERMS_KEY, &self.terms_days.to_string())?;
        settings::set(tx, ctx, THRESHOLDS_KEY, &thresholds_text(&self.thresholds))?;
        Ok(())
    }
}
