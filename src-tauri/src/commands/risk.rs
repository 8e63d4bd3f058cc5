//! Risk: a customer's score with its factors, exposure and history; every customer's,
//! highest first. Plain functions over a [`Host`]; [`ipc`] holds the Tauri commands.

use riskdesk_core::ids::CustomerId;
use riskdesk_core::risk::{self, RiskScore};
use serde::Serialize;

use crate::error::ApiError;
use crate::host::{id_arg, Host};
use crate::state::AppState;

#[derive(Serialize)]
pub struct CustomerRisk {
    #[serde(flatten)]
    pub score: RiskScore,
    /// (as of, score, level), oldest first.
    pub history: Vec<(String, u32, String)>,
}

/// Recomputes the scores (a history row where one changed), then the customer's.
pub fn customer(h: &mut Host, id: i64) -> Result<CustomerRisk, ApiError> {
    let id: CustomerId = id_arg("customer_id", id)?;
    h.tx(|tx, ctx| risk::refresh(tx, ctx).map(|_| ()))?;
    let score = risk::scores(h.conn, h.ctx.today, h.ctx.now, Some(id))?
        .into_iter()
        .next()
        .ok_or_else(|| {
            ApiError::new(
                "not_found",
                format!("customer {} (closed customers have no score)", id.0),
            )
        })?;
    Ok(CustomerRisk {
        score,
        history: risk::history(h.conn, id)?,
    })
}

pub fn all(h: &mut Host) -> Result<Vec<RiskScore>, ApiError> {
    h.tx(|tx, ctx| risk::refresh(tx, ctx).map(|_| ()))?;
    Ok(risk::scores(h.conn, h.ctx.today, h.ctx.now, None)?)
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use tauri::State;

    use super::*;

    #[tauri::command]
    pub async fn customer_risk(
        state: State<'_, AppState>,
        customer_id: i64,
    ) -> Result<CustomerRisk, ApiError> {
        state.with_host(move |h| customer(h, customer_id)).await
    }

    #[tauri::command]
    pub async fn risk_scores(state: State<'_, AppState>) -> Result<Vec<RiskScore>, ApiError> {
        state.with_host(all).await
    }
}
