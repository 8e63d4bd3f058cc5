//! `riskdesk letter` and `riskdesk settings`: the collections policy as PDF, and the
//! letterhead every document is printed with.

use super::say;
use std::io::Write;
use std::path::Path;

use riskdesk_core::collections;
use riskdesk_core::customer::{self, Language};
use riskdesk_core::ids::CustomerId;
use riskdesk_core::store::{backups, settings};

use super::{CliResult, LetterCommand, SettingsCommand};
use crate::letters;
use crate::session;

pub(super) fn letter(db: &Path, command: LetterCommand) -> CliResult {
    match command {
        LetterCommand::Policy {
            customer: id,
            lang,
            out,
        } => {
            let conn = session::connect(db)?;
            let id = CustomerId(id);
            let mut c = customer::get(&conn, id)?;
            if let Some(l) = lang {
                c.fields.language = Language::parse(&l)
                    .ok_or_else(|| format!("--lang: use {}", Language::choices()))?;
            }
            let policy = collections::policy(&conn, collections::policy_for(&conn, id)?)?;
            let (lh, paper) = letters::letterhead(&conn)?;
            letters::write_atomic(
                &out,
                &riskdesk_docs::policy_document(paper, &lh, &c, &policy, session::today()),
            )?;
            say!(
                "collections policy for {} written to {}",
                c.fields.legal_name,
                out.display()
            );
            Ok(())
        }
        LetterCommand::Plan { plan, out } => {
            let conn = session::connect(db)?;
            let v = riskdesk_core::plans::view(&conn, plan, session::today())?;
            let c = customer::get(&conn, v.customer_id)?;
            let (lh, paper) = letters::letterhead(&conn)?;
            letters::write_atomic(&out, &riskdesk_docs::plan_agreement(paper, &lh, &c, &v))?;
            say!(
                "payment plan {} agreement for {} written to {}",
                v.id,
                c.fields.legal_name,
                out.display()
            );
            Ok(())
        }
    }
}

pub(super) fn settings(db: &Path, command: SettingsCommand) -> CliResult {
    let mut conn = session::connect(db)?;
    match command {
        SettingsCommand::Set { key, value } if key == riskdesk_core::bank::TOLERANCE_KEY => {
            let tx = super::begin(&mut conn)?;
            riskdesk_core::bank::set_fee_tolerances(&tx, &session::ctx(), &value)?;
            super::commit(tx, &session::ctx())?;
        }
        SettingsCommand::Set { key, value } if key == backups::REMIND_KEY => {
            let days = backups::parse_remind_days(&value)?;
            let tx = super::begin(&mut conn)?;
            backups::set_remind_days(&tx, &session::ctx(), days)?;
            // A reminder's days change no score: nothing to derive after it.
            tx.commit()?;
        }
        SettingsCommand::Set { key, value } if is_rule_setting(&key) => {
            // Each family is checked by its own parser; a bad value is refused, naming it.
            check_rule_setting(&conn, &key, &value)?;
            let tx = super::begin(&mut conn)?;
            settings::set(&tx, &session::ctx(), &key, value.trim())?;
            super::commit(tx, &session::ctx())?;
        }
        SettingsCommand::Set { key, value } => {
            if !letters::LETTERHEAD_KEYS.contains(&key.as_str()) {
                return Err(format!(
                    "unknown setting {key:?}; the settings are {}, {} and {}",
                    letters::LETTERHEAD_KEYS.join(", "),
                    riskdesk_core::usage::detectors::SETTING_NAMES.join(", "),
                    backups::REMIND_KEY
                )
                .into());
            }
            letters::check_paper(&key, &value)?;
            let value = if key == letters::LOGO_KEY {
                // The value is the image file; the setting keeps the image itself.
                // Read one byte past the largest logo at most: the check below refuses it.
                let file = super::open_input(std::path::Path::new(&value))?;
                let bytes = riskdesk_core::import::read_capped(file, letters::MAX_LOGO_BYTES)
                    .map_err(|e| format!("{value}: {e}"))?;
                letters::logo_setting(&bytes).map_err(|e| format!("{value}: {e}"))?
            } else {
                value.replace("\\n", "\n")
            };
            riskdesk_core::collections::check_letterhead(&key, &value)?;
            let tx = super::begin(&mut conn)?;
            settings::set(&tx, &session::ctx(), &key, &value)?;
            super::commit(tx, &session::ctx())?;
        }
        SettingsCommand::List => {
            for k in letters::LETTERHEAD_KEYS {
                let v = settings::get(&conn, k)?.unwrap_or_default();
                let mut out = std::io::stdout().lock();
                if *k == letters::LOGO_KEY {
                    writeln!(
                        out,
                        "{k} = {}",
                        if v.is_empty() {
                            "(none)".to_string()
                        } else {
                            format!("(an image, {} bytes as base64)", v.len())
                        }
                    )?;
                } else {
                    writeln!(out, "{k} = {v}")?;
                }
            }
            let usage = riskdesk_core::usage::detectors::Settings::load(&conn)?;
            let mut out = std::io::stdout().lock();
            for (k, v) in usage.values() {
                writeln!(out, "{k} = {v}")?;
            }
            let d = riskdesk_core::usage::notices::Deadlines::load(&conn)?;
            writeln!(out, "notices.respond_minutes = {}", d.respond_minutes)?;
            writeln!(out, "notices.mitigate_hours = {}", d.mitigate_hours)?;
            writeln!(
                out,
                "{} = {}",
                riskdesk_core::plans::GRACE_KEY,
                riskdesk_core::plans::grace_days(&conn)?
            )?;
            writeln!(
                out,
                "bank_fee_tolerance = {}",
                riskdesk_core::bank::fee_tolerance_text(&conn)?
            )?;
            writeln!(out, "notices.claim_days = {}", d.claim_days)?;
            for (k, v) in riskdesk_core::risk::RiskSettings::load(&conn)?.values() {
                writeln!(out, "{k} = {v}")?;
            }
            let required: Vec<&str> = riskdesk_core::risk::onboarding::required(&conn)?
                .iter()
                .map(|i| i.as_str())
                .collect();
            writeln!(
                out,
                "{} = {}",
                riskdesk_core::risk::onboarding::REQUIRED_SETTING,
                required.join(",")
            )?;
            writeln!(
                out,
                "{} = {}",
                riskdesk_core::risk::onboarding::PREPAYMENT_SETTING,
                riskdesk_core::risk::onboarding::prepayment_mode(&conn)?
            )?;
            for k in riskdesk_core::usage::activity::SETTING_NAMES {
                let v = settings::get(&conn, k)?.unwrap_or_else(|| "(default)".into());
                writeln!(out, "{k} = {v}")?;
            }
            writeln!(
                out,
                "{} = {}",
                backups::REMIND_KEY,
                backups::remind_days(&conn)?
            )?;
        }
    }
    Ok(())
}

/// The rule settings (as opposed to the letterhead), by the prefix of their key: one table,
/// so telling a rule setting apart and checking it cannot fall out of step.
#[derive(Clone, Copy)]
enum RuleArea {
    /// The usage detectors' thresholds.
    Usage,
    /// Deadlines of Microsoft's notices.
    Notices,
    /// The activity log's rules.
    Activity,
    /// The risk model and onboarding.
    Risk,
    /// Payment plans.
    Plans,
}

impl RuleArea {
    const PREFIXES: [(&'static str, RuleArea); 6] = [
        ("usage.", RuleArea::Usage),
        ("notices.", RuleArea::Notices),
        ("activity.", RuleArea::Activity),
        ("risk.", RuleArea::Risk),
        ("onboarding.", RuleArea::Risk),
        ("plans.", RuleArea::Plans),
    ];

    fn of(key: &str) -> Option<RuleArea> {
        Self::PREFIXES
            .iter()
            .find(|(prefix, _)| key.starts_with(prefix))
            .map(|(_, area)| *area)
    }
}

fn is_rule_setting(key: &str) -> bool {
    RuleArea::of(key).is_some()
}

/// `value` (spaces around it allowed) is a whole number in `range`.
fn whole_number_in(value: &str, range: std::ops::RangeInclusive<i64>) -> bool {
    value
        .trim()
        .parse::<i64>()
        .is_ok_and(|v| range.contains(&v))
}

fn check_rule_setting(conn: &rusqlite::Connection, key: &str, value: &str) -> CliResult {
    use riskdesk_core::{risk, usage};
    let Some(area) = RuleArea::of(key) else {
        return Err(format!("{key}: not a rule setting").into());
    };
    match area {
        RuleArea::Usage => {
            usage::detectors::Settings::default().apply(key, value)?;
        }
        RuleArea::Notices => {
            usage::notices::Deadlines::load(conn)?.apply(key, value)?;
        }
        RuleArea::Plans => {
            let ok = key == riskdesk_core::plans::GRACE_KEY && whole_number_in(value, 0..=90);
            if !ok {
                return Err(format!(
                    "{key}: the only plans setting is {}, a whole number of days from 0 to 90",
                    riskdesk_core::plans::GRACE_KEY
                )
                .into());
            }
        }
        RuleArea::Activity => {
            let ok =
                usage::activity::SETTING_NAMES.contains(&key) && whole_number_in(value, 1..=10_000);
            if !ok {
                return Err(format!(
                    "{key}: a whole number from 1 to 10000 (settings: {})",
                    usage::activity::SETTING_NAMES.join(", ")
                )
                .into());
            }
        }
        RuleArea::Risk => {
            risk::RiskSettings::default().apply(key, value)?;
        }
    }
    Ok(())
}
