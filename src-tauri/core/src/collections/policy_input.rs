//! A policy as typed into the policy editor: days, amounts per currency and rates arrive
//! as text and are parsed here exactly (never through JavaScript numbers), then validated
//! and saved by [`mod@super::policies`].

use serde::{Deserialize, Serialize};

use super::policies::{Action, Level, LevelId, Policy, PolicyId};
use crate::error::Code;
use crate::money::{Currency, Money};
use crate::{Error, Result};

/// Parses a typed annual rate in percent ("10", "10.5", "12.25") into basis points,
/// exactly: more than two decimals are refused, never rounded.
pub fn parse_rate(field: &str, text: &str) -> Result<i64> {
    let t = text.trim().trim_end_matches('%').trim();
    let bad = || {
        Error::field(
            field,
            Code::InvalidPercent,
            "a yearly rate in percent with at most two decimals, 0 to 100 (e.g. 10 or 12.5)",
        )
    };
    if t.is_empty() {
        return Ok(0);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() && frac.is_empty()
        || whole.len() > 3
        || frac.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let f: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let bp = w * 100 + f;
    if bp > 10_000 {
        return Err(bad());
    }
    Ok(bp)
}

/// An amount per currency as typed into the policy editor.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AmountInput {
    pub currency: String,
    pub amount: String,
}

/// A level as typed into the policy editor: amounts and rates are text, parsed here.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct LevelInput {
    pub id: LevelId,
    pub days_after_due: String,
    pub name_en: String,
    pub name_zh: String,
    pub actions: Vec<String>,
    pub letter_en: String,
    pub letter_zh: String,
    pub late_fees: Vec<AmountInput>,
    /// Percent a year, e.g. "10" or "12.5".
    pub interest: String,
    pub email_subject_en: String,
    pub email_subject_zh: String,
    pub email_body_en: String,
    pub email_body_zh: String,
}

/// A policy as typed into the policy editor.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct PolicyInput {
    pub id: PolicyId,
    pub name: String,
    pub grace_days: String,
    pub min_overdue: Vec<AmountInput>,
    pub levels: Vec<LevelInput>,
}

fn parse_amounts(field: &str, list: &[AmountInput]) -> Result<Vec<Money>> {
    let mut out = Vec::new();
    for a in list {
        if a.amount.trim().is_empty() {
            continue;
        }
        let cur = Currency::parse(&a.currency).ok_or_else(|| {
            Error::field(
                field,
                Code::InvalidCurrency,
                format!("unknown currency {:?}", a.currency),
            )
        })?;
        let m = Money::written(&a.amount, cur)
            .map_err(|e| Error::field(field, Code::InvalidAmount, format!("{cur}: {e}")))?;
        if m.minor > 0 {
            out.push(m);
        }
    }
    Ok(out)
}

fn parse_int(field: &str, text: &str, max: i64) -> Result<i64> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=max).contains(n))
        .ok_or_else(|| {
            Error::field(
                field,
                Code::InvalidDays,
                format!("a whole number of days, 0 to {max}"),
            )
        })
}

impl PolicyInput {
    /// Parses every typed number exactly and returns the policy (not yet validated).
    pub fn parse(&self) -> Result<Policy> {
        let mut levels = Vec::new();
        for (i, l) in self.levels.iter().enumerate() {
            let f = format!("levels.{i}");
            let mut actions = Vec::new();
            for a in &l.actions {
                actions.push(Action::parse(a).ok_or_else(|| {
                    Error::field(
                        &format!("{f}.actions"),
                        Code::InvalidAction,
                        format!("unknown action {a:?}; use {}", Action::choices()),
                    )
                })?);
            }
            levels.push(Level {
                id: l.id,
                seq: (i + 1) as i64,
                days_after_due: parse_int(&format!("{f}.days_after_due"), &l.days_after_due, 3650)?,
                name_en: l.name_en.clone(),
                name_zh: l.name_zh.clone(),
                actions,
                letter_en: l.letter_en.clone(),
                letter_zh: l.letter_zh.clone(),
                late_fees: parse_amounts(&format!("{f}.late_fees"), &l.late_fees)?,
                interest_bp: parse_rate(&format!("{f}.interest"), &l.interest)?,
                email_subject_en: l.email_subject_en.clone(),
                email_subject_zh: l.email_subject_zh.clone(),
                email_body_en: l.email_body_en.clone(),
                email_body_zh: l.email_body_zh.clone(),
            });
        }
        Ok(Policy {
            id: self.id,
            name: self.name.clone(),
            grace_days: parse_int("grace_days", &self.grace_days, 365)?,
            min_overdue: parse_amounts("min_overdue", &self.min_overdue)?,
            is_default: false,
            levels,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_parsed_exactly_in_percent() {
        assert_eq!(parse_rate("r", "10").unwrap(), 1000);
        assert_eq!(parse_rate("r", "12.5").unwrap(), 1250);
        assert_eq!(parse_rate("r", " 0.07 % ").unwrap(), 7);
        assert_eq!(parse_rate("r", "100").unwrap(), 10_000);
        assert_eq!(parse_rate("r", "").unwrap(), 0);
        for bad in [
            "100.01", "1e3", "12.345", "-1", "abc", "0x10", ".", "NaN", "Infinity",
        ] {
            assert!(parse_rate("r", bad).is_err(), "{bad}");
        }
    }
}
