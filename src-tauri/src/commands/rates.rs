//! Exchange rates and the detectors' thresholds: the rates the owner keeps (audited), the
//! reference currency the amount thresholds are written in, and the thresholds themselves.
//! Saving either re-evaluates the detectors, as an import does.

use riskdesk_core::error::Code;
use riskdesk_core::usage::{detectors, evaluate, rates};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::host::{id_arg, text_arg, Host};

#[derive(Serialize)]
pub struct RatesView {
    pub rates: Vec<rates::OwnerRate>,
    /// Every `usage.*` detector setting and its value.
    pub settings: Vec<(String, String)>,
}

pub fn exchange_rates(conn: &rusqlite::Connection) -> Result<RatesView, ApiError> {
    let settings = detectors::Settings::load(conn)?
        .values()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    Ok(RatesView {
        rates: rates::list(conn)?,
        settings,
    })
}

#[derive(Deserialize, Debug)]
pub struct RateInput {
    pub rate_on: String,
    pub from_currency: String,
    pub to_currency: String,
    pub rate: String,
    #[serde(default)]
    pub note: String,
}

pub fn set_exchange_rate(h: &mut Host, input: &RateInput) -> Result<rates::OwnerRate, ApiError> {
    text_arg("rate_on", &input.rate_on, 20)?;
    text_arg("from_currency", &input.from_currency, 10)?;
    text_arg("to_currency", &input.to_currency, 10)?;
    text_arg("rate", &input.rate, 40)?;
    text_arg("note", &input.note, 500)?;
    h.tx(|tx, ctx| {
        let r = rates::set(
            tx,
            ctx,
            &input.rate_on,
            &input.from_currency,
            &input.to_currency,
            &input.rate,
            &input.note,
        )?;
        evaluate::evaluate(tx, ctx)?;
        Ok(r)
    })
}

pub fn remove_exchange_rate(h: &mut Host, id: i64) -> Result<(), ApiError> {
    let id: i64 = id_arg("id", id)?;
    h.tx(|tx, ctx| {
        rates::remove(tx, ctx, id)?;
        evaluate::evaluate(tx, ctx)?;
        Ok(())
    })
}

/// Checks every change first (all or none), then saves them, audited.
pub fn save_usage_settings(h: &mut Host, changes: &[(String, String)]) -> Result<(), ApiError> {
    if changes.len() > 50 {
        return Err(ApiError::validation(
            "changes",
            Code::TooMany,
            "at most 50 settings at once",
        ));
    }
    let mut s = detectors::Settings::load(h.conn)?;
    for (k, v) in changes {
        text_arg(k, v, 40)?;
        s.apply(k, v)?;
    }
    h.tx(|tx, ctx| {
        for (k, v) in changes {
            riskdesk_core::store::settings::set(tx, ctx, k, v.trim())?;
        }
        evaluate::evaluate(tx, ctx)?;
        Ok(())
    })
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use super::*;

    crate::commands::read_commands! {
        list_exchange_rates() -> RatesView = |conn, _| super::exchange_rates(conn);
    }

    crate::commands::host_commands! {
        set_exchange_rate(input: RateInput) -> rates::OwnerRate
            = |h| super::set_exchange_rate(h, &input);
        remove_exchange_rate(id: i64) -> () = |h| super::remove_exchange_rate(h, id);
        save_usage_settings(changes: Vec<(String, String)>) -> ()
            = |h| super::save_usage_settings(h, &changes);
    }
}
