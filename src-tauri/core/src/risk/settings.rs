//! The risk model's settings: each factor's weight (`risk.weight.<factor>`), the level
//! edges (`risk.levels`, three ascending scores), the high-risk countries or regions
//! (`risk.high_risk_countries`, ISO codes, an empty list allowed) and the automated
//! sign-up rule (`risk.signup_window_days`, `risk.signup_min_customers`) and Microsoft's
//! cancellation window (`risk.cancel_window_days`).

use std::collections::BTreeMap;

use rusqlite::{Connection, Transaction};
use serde::Serialize;

use super::labels::{FactorKind, TABLE};
use crate::customer::OnboardingItem;
use crate::Ctx;

use crate::error::Code;
use crate::{Error, Result};

/// Every factor and its default weight in points (a score is capped at 100), from the
/// one table of factors.
pub fn factors() -> impl Iterator<Item = (FactorKind, u32)> {
    TABLE.iter().map(|l| (l.0, l.1))
}

#[derive(Debug, Clone, PartialEq)]
pub struct RiskSettings {
    pub weights: BTreeMap<&'static str, u32>,
    /// Scores from which a customer is medium, high and critical.
    pub edges: [u32; 3],
    pub high_risk_countries: Vec<String>,
    pub signup_window_days: i64,
    pub signup_min_customers: usize,
    /// Days after a purchase or renewal in which Microsoft refunds a cancellation.
    pub cancel_window_days: i64,
    /// The owner's offset from UTC (`risk.utc_offset`, `+08:00`); None: the computer's.
    pub utc_offset: Option<chrono::FixedOffset>,
    /// The onboarding checks required (`onboarding.required`).
    pub required_checks: Vec<OnboardingItem>,
}

impl Default for RiskSettings {
    fn default() -> Self {
        RiskSettings {
            weights: factors().map(|(k, w)| (k.as_str(), w)).collect(),
            edges: [25, 50, 75],
            high_risk_countries: Vec::new(),
            signup_window_days: 7,
            signup_min_customers: 3,
            cancel_window_days: 7,
            utc_offset: None,
            required_checks: OnboardingItem::ALL.to_vec(),
        }
    }
}

impl RiskSettings {
    /// A factor's weight (every factor has one: the settings start from the table's).
    pub fn weight(&self, factor: FactorKind) -> u32 {
        self.weights
            .get(factor.as_str())
            .copied()
            .unwrap_or_else(|| super::labels::default_weight(factor))
    }

    pub fn load(conn: &Connection) -> Result<RiskSettings> {
        let mut s = RiskSettings::default();
        let rows: Vec<(String, String)> = crate::store::rows(
            conn,
            "SELECT key, value FROM settings WHERE key LIKE 'risk.%' OR key LIKE 'onboarding.%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (k, v) in rows {
            s.apply(&k, &v)?;
        }
        Ok(s)
    }

    /// Checks and applies one setting.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<()> {
        let bad = |m: &str| Error::field(key, Code::Invalid, format!("{value:?}: {m}"));
        let v = value.trim();
        if let Some(factor) = key.strip_prefix("risk.weight.") {
            let name = FactorKind::parse(factor)
                .ok_or_else(|| bad("not a risk factor"))?
                .as_str();
            let w: u32 = v
                .parse()
                .ok()
                .filter(|w| *w <= 100)
                .ok_or_else(|| bad("points from 0 to 100"))?;
            self.weights.insert(name, w);
            return Ok(());
        }
        match key {
            super::onboarding::REQUIRED_SETTING => {
                self.required_checks = super::onboarding::parse_required(v)?;
            }
            super::onboarding::PREPAYMENT_SETTING => {
                super::onboarding::parse_prepayment(v)?;
            }
            "risk.levels" => {
                let e: Vec<u32> = v
                    .split(',')
                    .map(|x| x.trim().parse())
                    .collect::<std::result::Result<_, _>>()
                    .map_err(|_| bad("three scores like 25,50,75"))?;
                match e.as_slice() {
                    [a, b, c] if 0 < *a && a < b && b < c && *c <= 100 => self.edges = [*a, *b, *c],
                    _ => {
                        return Err(bad(
                            "three ascending scores between 1 and 100, like 25,50,75",
                        ))
                    }
                }
            }
            "risk.high_risk_countries" => {
                let list: Vec<String> = v
                    .split(',')
                    .map(|c| c.trim().to_ascii_uppercase())
                    .filter(|c| !c.is_empty())
                    .collect();
                if let Some(wrong) = list.iter().find(|c| !crate::countries::is_assigned(c)) {
                    return Err(bad(&format!(
                        "{wrong} is not a country or region code: ISO 3166 codes separated by commas (an empty list is allowed)"
                    )));
                }
                self.high_risk_countries = list;
            }
            "risk.signup_window_days" => {
                self.signup_window_days =
                    whole_in(v, 1..=365).ok_or_else(|| bad("days from 1 to 365"))?;
            }
            "risk.signup_min_customers" => {
                self.signup_min_customers =
                    whole_in(v, 2..=100).ok_or_else(|| bad("from 2 to 100"))?;
            }
            "risk.cancel_window_days" => {
                self.cancel_window_days =
                    whole_in(v, 1..=30).ok_or_else(|| bad("days from 1 to 30"))?;
            }
            "risk.utc_offset" => {
                self.utc_offset = if v.is_empty() {
                    None
                } else {
                    Some(parse_offset(v).ok_or_else(|| {
                        bad("an offset from UTC such as +08:00 or -05:00 (empty: the computer's)")
                    })?)
                };
            }
            _ => {
                return Err(Error::field(
                    key,
                    Code::Unknown,
                    "not a risk or onboarding setting",
                ))
            }
        }
        Ok(())
    }

    /// Every setting's name and value, for `settings list`.
    pub fn values(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .weights
            .iter()
            .map(|(k, w)| (format!("risk.weight.{k}"), w.to_string()))
            .collect();
        out.push((
            "risk.levels".into(),
            self.edges.map(|e| e.to_string()).join(","),
        ));
        out.push((
            "risk.high_risk_countries".into(),
            self.high_risk_countries.join(","),
        ));
        out.push((
            "risk.signup_window_days".into(),
            self.signup_window_days.to_string(),
        ));
        out.push((
            "risk.signup_min_customers".into(),
            self.signup_min_customers.to_string(),
        ));
        out.push((
            "risk.cancel_window_days".into(),
            self.cancel_window_days.to_string(),
        ));
        out.push((
            "risk.utc_offset".into(),
            self.utc_offset.map(show_offset).unwrap_or_default(),
        ));
        out
    }

    /// The owner's offset from UTC at `now`: the setting, or the computer's.
    pub fn offset_at(&self, now: chrono::DateTime<chrono::Utc>) -> chrono::FixedOffset {
        use chrono::TimeZone;
        self.utc_offset
            .unwrap_or_else(|| chrono::Local.offset_from_utc_datetime(&now.naive_utc()))
    }
}

/// `text` as a whole number within `range`; None for anything else.
fn whole_in<T: std::str::FromStr + PartialOrd>(
    text: &str,
    range: std::ops::RangeInclusive<T>,
) -> Option<T> {
    text.parse().ok().filter(|n| range.contains(n))
}

/// How a change of settings would move customers between levels.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Preview {
    /// (from level, to level, customers), for each pair that changes.
    pub moves: Vec<(super::Level, super::Level, usize)>,
    /// Customers per level now and after the change (low, medium, high, critical).
    pub before: [usize; 4],
    pub after: [usize; 4],
}

fn level_index(l: super::Level) -> usize {
    match l {
        super::Level::Low => 0,
        super::Level::Medium => 1,
        super::Level::High => 2,
        super::Level::Critical => 3,
    }
}

impl RiskSettings {
    /// These settings with `changes` applied (each checked; the first bad one is the error).
    pub fn with_changes(&self, changes: &[(String, String)]) -> Result<RiskSettings> {
        let mut s = self.clone();
        for (k, v) in changes {
            s.apply(k, v)?;
        }
        Ok(s)
    }
}

/// What `changes` would do to the levels, without saving them.
pub fn preview(
    conn: &Connection,
    as_of: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
    changes: &[(String, String)],
) -> Result<Preview> {
    let current = RiskSettings::load(conn)?;
    let proposed = current.with_changes(changes)?;
    let before = super::scores_with(conn, as_of, now, None, &current)?;
    let after: BTreeMap<_, _> = super::scores_with(conn, as_of, now, None, &proposed)?
        .into_iter()
        .map(|s| (s.customer_id, s.level))
        .collect();
    let mut p = Preview {
        moves: Vec::new(),
        before: [0; 4],
        after: [0; 4],
    };
    let mut moves: BTreeMap<(usize, usize), (super::Level, super::Level, usize)> = BTreeMap::new();
    for s in &before {
        let to = after.get(&s.customer_id).copied().unwrap_or(s.level);
        p.before[level_index(s.level)] += 1;
        p.after[level_index(to)] += 1;
        if to != s.level {
            moves
                .entry((level_index(s.level), level_index(to)))
                .or_insert((s.level, to, 0))
                .2 += 1;
        }
    }
    p.moves = moves.into_values().collect();
    Ok(p)
}

/// Saves `changes` (risk and onboarding settings), all or none, each audited.
pub fn save(tx: &Transaction, ctx: &Ctx, changes: &[(String, String)]) -> Result<()> {
    RiskSettings::load(tx)?.with_changes(changes)?;
    for (k, v) in changes {
        crate::store::settings::set(tx, ctx, k, v.trim())?;
    }
    Ok(())
}

/// `+08:00`, `-05:00`, `+0530`, `UTC`: an offset of at most 14 hours.
fn parse_offset(text: &str) -> Option<chrono::FixedOffset> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("utc") || t == "Z" {
        return chrono::FixedOffset::east_opt(0);
    }
    let t = t.strip_prefix("UTC").unwrap_or(t);
    let (sign, rest) = match t.chars().next()? {
        '+' => (1, &t[1..]),
        '-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    if h.is_empty()
        || h.len() > 2
        || m.len() > 2
        || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 || (h == 14 && m > 0) {
        return None;
    }
    chrono::FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn show_offset(o: chrono::FixedOffset) -> String {
    let s = o.local_minus_utc();
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.abs();
    format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
}

#[cfg(test)]
mod offset_tests {
    use super::*;

    #[test]
    fn the_owner_s_offset_is_typed_as_plus_or_minus_hours_and_minutes() {
        let mut s = RiskSettings::default();
        for (text, shown) in [
            ("+08:00", "+08:00"),
            ("-05:00", "-05:00"),
            ("+0530", "+05:30"),
            ("UTC", "+00:00"),
            ("UTC+8", "+08:00"),
        ] {
            s.apply("risk.utc_offset", text).unwrap();
            assert_eq!(
                s.utc_offset.map(show_offset).as_deref(),
                Some(shown),
                "{text}"
            );
        }
        for bad in ["8", "+15:00", "+08:60", "abc", "+8:00:00", "=1+1"] {
            assert!(s.apply("risk.utc_offset", bad).is_err(), "{bad}");
        }
        s.apply("risk.utc_offset", "").unwrap();
        assert_eq!(s.utc_offset, None);
        assert!(s
            .values()
            .contains(&("risk.utc_offset".to_string(), String::new())));
    }
}
