//! Risk: a customer's score with its factors, exposure and history; every customer's,
//! highest first. Plain functions over a [`Host`] for changes, over a connection and the
//! context for reads; [`ipc`] holds the Tauri commands.

use riskdesk_core::customer::{self, AdminRelationship, AdminRelationshipInput};
use riskdesk_core::error::Code;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::risk::{self, RiskScore, RiskSettings};
use riskdesk_core::Ctx;
use rusqlite::Connection;
use serde::Serialize;

use crate::error::{ApiError, Kind};
use crate::host::{date_arg, id_arg, text_arg, Host};
use crate::state::AppState;

#[derive(Serialize)]
pub struct CustomerRisk {
    #[serde(flatten)]
    pub score: RiskScore,
    /// (as of, score, level), oldest first.
    pub history: Vec<(String, u32, String)>,
    /// The scores from which a customer is medium, high and critical (for the chart).
    pub edges: [u32; 3],
}

/// The customer's score as of now, with its history (kept by the step after each change;
/// reading writes nothing).
pub fn customer(conn: &Connection, ctx: &Ctx, id: i64) -> Result<CustomerRisk, ApiError> {
    let id: CustomerId = id_arg("customer_id", id)?;
    let score = risk::scores(conn, ctx.today, ctx.now, Some(id))?
        .into_iter()
        .find(|s| s.customer_id == id)
        .ok_or_else(|| {
            ApiError::new(
                Kind::NotFound,
                format!("customer {} (closed customers have no score)", id.0),
            )
        })?;
    Ok(CustomerRisk {
        score,
        history: risk::history(conn, id)?,
        edges: RiskSettings::load(conn)?.edges,
    })
}

/// Every customer's score as of now, highest first.
pub fn all(conn: &Connection, ctx: &Ctx) -> Result<Vec<RiskScore>, ApiError> {
    Ok(risk::scores(conn, ctx.today, ctx.now, None)?)
}

/// What needs action today, most urgent first.
pub fn agenda(conn: &Connection, ctx: &Ctx) -> Result<Vec<risk::agenda::AgendaItem>, ApiError> {
    Ok(risk::agenda::agenda(conn, ctx.today, ctx.now)?)
}

pub fn mark_done(h: &mut Host, item: &str, note: &str) -> Result<(), ApiError> {
    text_arg("item", item, 200)?;
    text_arg("note", note, 500)?;
    h.tx(|tx, ctx| risk::agenda::mark_done(tx, ctx, item, note))
}

/// The risk and onboarding settings as (key, value), every factor's weight included.
pub fn settings(conn: &Connection) -> Result<Vec<(String, String)>, ApiError> {
    let s = RiskSettings::load(conn)?;
    let mut out = s.values();
    out.push((
        risk::onboarding::REQUIRED_SETTING.into(),
        s.required_checks
            .iter()
            .map(|i| i.as_str())
            .collect::<Vec<_>>()
            .join(","),
    ));
    out.push((
        risk::onboarding::PREPAYMENT_SETTING.into(),
        risk::onboarding::prepayment_mode(conn)?.as_str().into(),
    ));
    Ok(out)
}

fn changes_arg(changes: &[(String, String)]) -> Result<(), ApiError> {
    if changes.len() > 100 {
        return Err(ApiError::validation(
            "changes",
            Code::TooMany,
            "at most 100 settings at once",
        ));
    }
    for (k, v) in changes {
        text_arg("key", k, 100)?;
        text_arg(k, v, 2000)?;
        if !(k.starts_with("risk.") || k.starts_with("onboarding.")) {
            return Err(ApiError::validation(
                "key",
                Code::InvalidChoice,
                format!("{k}: not a risk or onboarding setting"),
            ));
        }
    }
    Ok(())
}

pub fn preview(
    conn: &Connection,
    ctx: &Ctx,
    changes: &[(String, String)],
) -> Result<risk::settings::Preview, ApiError> {
    changes_arg(changes)?;
    Ok(risk::settings::preview(conn, ctx.today, ctx.now, changes)?)
}

/// Saves the settings (all or none) and records the scores they give.
pub fn save_settings(h: &mut Host, changes: &[(String, String)]) -> Result<(), ApiError> {
    changes_arg(changes)?;
    // The scores under the new settings are recorded by `Host::tx`, as for any change.
    h.tx(|tx, ctx| risk::settings::save(tx, ctx, changes))
}

pub fn admin_relationships(
    conn: &Connection,
    customer_id: i64,
) -> Result<Vec<AdminRelationship>, ApiError> {
    let id: CustomerId = id_arg("customer_id", customer_id)?;
    Ok(customer::admin_relationships(conn, Some(id))?)
}

pub fn add_admin_relationship(
    h: &mut Host,
    customer_id: i64,
    input: &AdminRelationshipInput,
) -> Result<AdminRelationship, ApiError> {
    let id: CustomerId = id_arg("customer_id", customer_id)?;
    h.tx(|tx, ctx| customer::add_admin_relationship(tx, ctx, id, input))
}

pub fn end_admin_relationship(
    h: &mut Host,
    id: i64,
    on: &str,
) -> Result<AdminRelationship, ApiError> {
    let id: i64 = id_arg("id", id)?;
    let on = date_arg("on", on)?;
    h.tx(|tx, ctx| customer::end_admin_relationship(tx, ctx, id, on))
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use tauri::State;

    use super::*;

    crate::commands::host_commands! {
        add_admin_relationship(customer_id: i64, input: AdminRelationshipInput) -> AdminRelationship
            = |h| super::add_admin_relationship(h, customer_id, &input);
        end_admin_relationship(id: i64, on: String) -> AdminRelationship
            = |h| super::end_admin_relationship(h, id, &on);
        mark_action_done(item: String, note: String) -> () = |h| mark_done(h, &item, &note);
        save_risk_settings(changes: Vec<(String, String)>) -> () = |h| save_settings(h, &changes);
    }

    crate::commands::read_commands! {
        get_customer_risk(customer_id: i64) -> CustomerRisk
            = |conn, ctx| customer(conn, &ctx, customer_id);
        list_risk_scores() -> Vec<RiskScore> = |conn, ctx| all(conn, &ctx);
        get_risk_agenda() -> Vec<risk::agenda::AgendaItem> = |conn, ctx| agenda(conn, &ctx);
        list_admin_relationships(customer_id: i64) -> Vec<AdminRelationship>
            = |conn, _| super::admin_relationships(conn, customer_id);
        preview_risk_settings(changes: Vec<(String, String)>) -> risk::settings::Preview
            = |conn, ctx| preview(conn, &ctx, &changes);
        /// The risk and onboarding settings as (key, value).
        get_risk_settings() -> Vec<(String, String)> = |conn, _| settings(conn);
    }

    /// Where the scores kept after each change stand: when last brought up to date, and
    /// why not, when that failed (the dashboard shows it). Needs no database lock.
    #[tauri::command]
    pub fn get_derived_status(state: State<'_, AppState>) -> crate::state::DerivedStatus {
        state.derived.status()
    }

    /// Brings the scores and alerts up to date now (in the background; the window hears
    /// `derived-changed` when done).
    #[tauri::command]
    pub fn refresh_derived(state: State<'_, AppState>) {
        state.derive_later(crate::state::Step::Open);
    }
}
