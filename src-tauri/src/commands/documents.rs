//! Document commands: a customer's collections policy or statement as PDF (saved where the
//! user chooses, see `files`), and the letterhead they are printed with. Plain functions over a [`Host`]; [`ipc`] holds the
//! Tauri commands.

use riskdesk_core::collections;
use riskdesk_core::customer;
use riskdesk_core::receivables;
use riskdesk_core::store::settings;
use serde::Deserialize;

use crate::error::ApiError;
use crate::host::{date_arg, id_arg, Host};
use crate::letters::{self, LETTERHEAD_KEYS};
use crate::state::AppState;

#[derive(Deserialize, Clone)]
pub struct DocumentRequest {
    pub kind: String,
    pub customer_id: i64,
    pub as_of: String,
}

/// Renders a collections policy or a statement of account as PDF.
pub fn render(h: &mut Host, request: &DocumentRequest) -> Result<Vec<u8>, ApiError> {
    let as_of = date_arg("as_of", &request.as_of)?;
    let c = customer::get(h.conn, id_arg("customer_id", request.customer_id)?)?;
    let (lh, paper) = letters::letterhead(h.conn)?;
    match request.kind.as_str() {
        "policy" => {
            let policy = collections::policy(h.conn, collections::policy_for(h.conn, c.id)?)?;
            Ok(riskdesk_docs::policy_document(
                paper, &lh, &c, &policy, as_of,
            ))
        }
        "statement" => {
            let st = receivables::statement(h.conn, c.id, as_of)?;
            Ok(riskdesk_docs::statement_document(paper, &lh, &c, &st))
        }
        _ => Err(ApiError::validation("kind", "policy or statement")),
    }
}

pub fn letterhead(h: &mut Host) -> Result<Vec<(String, String)>, ApiError> {
    LETTERHEAD_KEYS
        .iter()
        .map(|k| Ok((k.to_string(), settings::get(h.conn, k)?.unwrap_or_default())))
        .collect()
}

pub fn save_letterhead(h: &mut Host, values: Vec<(String, String)>) -> Result<(), ApiError> {
    for (k, v) in &values {
        if !LETTERHEAD_KEYS.contains(&k.as_str()) {
            return Err(ApiError::validation("key", format!("unknown setting {k}")));
        }
        if k == "paper" && riskdesk_docs::Paper::parse(v).is_none() {
            return Err(ApiError::validation("paper", "a4 or letter"));
        }
        if k == letters::LOGO_KEY && !v.is_empty() {
            letters::decode_logo_base64(v).map_err(|e| ApiError::validation(k, e))?;
        }
    }
    h.tx(|tx, ctx| {
        for (k, v) in &values {
            settings::set(tx, ctx, k, v.trim())?;
        }
        Ok(())
    })
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use tauri::State;

    use super::*;

    #[tauri::command]
    pub async fn get_letterhead(
        state: State<'_, AppState>,
    ) -> Result<Vec<(String, String)>, ApiError> {
        state.with_host(letterhead).await
    }

    #[tauri::command]
    pub async fn save_letterhead(
        state: State<'_, AppState>,
        values: Vec<(String, String)>,
    ) -> Result<(), ApiError> {
        state
            .with_host(move |h| super::save_letterhead(h, values))
            .await
    }
}
