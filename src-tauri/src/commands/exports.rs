//! The CSV files written for spreadsheets from the window: the customers (in the import's
//! layout) and the open items of a day (for the accountant). Each is read through the
//! reading connection, written with the database free, then recorded, so Open and Show in
//! folder work on it; the Save dialog is [`super::files::ipc::save_where`]'s.

use std::path::PathBuf;

use crate::error::ApiError;
use crate::host::Host;
use crate::state::AppState;

/// The name the customer export is offered under: `customers-2026-12-01.csv`.
pub fn export_name(h: &mut Host) -> String {
    format!("customers-{}.csv", h.ctx.today)
}

/// Writes every customer to `path` in the import's layout (`.csv` added as `.pdf` is to a
/// document): read through the reading connection, written with the database free, then
/// recorded, so Open and Show in folder work on it. A spreadsheet opens it with its Chinese
/// names intact, and it imports back unchanged.
pub async fn export_customers_in_steps(
    state: &AppState,
    path: PathBuf,
) -> Result<String, ApiError> {
    export_in_steps(state, path, |conn| {
        let mut out = Vec::new();
        riskdesk_core::import::export_customers(conn, &mut out)?;
        Ok(out)
    })
    .await
}

/// The name the open items are offered under: `open-items-2026-12-01.csv` (the day they
/// are as of).
pub fn open_items_name(as_of: chrono::NaiveDate) -> String {
    format!("open-items-{as_of}.csv")
}

/// Writes the open items on `as_of`, aged by `edges`, to `path`
/// ([`riskdesk_core::receivables::export_open_items`]), as the customer export is written.
pub async fn export_open_items_in_steps(
    state: &AppState,
    path: PathBuf,
    as_of: chrono::NaiveDate,
    edges: [i64; 3],
) -> Result<String, ApiError> {
    export_in_steps(state, path, move |conn| {
        let edges = riskdesk_core::receivables::BucketEdges(edges);
        let mut out = Vec::new();
        riskdesk_core::receivables::export_open_items(conn, as_of, edges, &mut out)?;
        Ok(out)
    })
    .await
}

/// A CSV made by `read` through the reading connection, written to `path` (`.csv` added as
/// `.pdf` is to a document) with the database free, then recorded, so Open and Show in
/// folder work on it.
async fn export_in_steps(
    state: &AppState,
    path: PathBuf,
    read: impl FnOnce(&rusqlite::Connection) -> Result<Vec<u8>, ApiError> + Send + 'static,
) -> Result<String, ApiError> {
    let path = super::files::path_with(&path, "csv")?;
    let bytes = state.with_read(move |conn, _| read(conn)).await?;
    let written = crate::state::without_db(move || {
        crate::letters::write_atomic(&path, &bytes)?;
        Ok(path)
    })
    .await?;
    state
        .with_host(move |h| super::files::remember_written(h, &written))
        .await
}

/// The window's commands: each asks the Save dialog, then calls a function above.
pub mod ipc {
    use tauri::{AppHandle, State};

    use super::*;
    use crate::commands::files::ipc::save_where;

    /// What the Save dialog offers for a CSV.
    const CSV: (&str, &[&str]) = ("CSV", &["csv"]);

    /// Offers the customer export in the Save As dialog and writes it there; None when
    /// cancelled.
    #[tauri::command]
    pub async fn export_customers_with_dialog(
        app: AppHandle,
        state: State<'_, AppState>,
        title: String,
    ) -> Result<Option<String>, ApiError> {
        let name = state.with_host(|h| Ok(export_name(h))).await?;
        let Some(path) = save_where(&app, &state, title, name, CSV).await? else {
            return Ok(None);
        };
        export_customers_in_steps(&state, path).await.map(Some)
    }

    /// Offers the open items on `as_of` (aged by `edges`) in the Save As dialog and writes
    /// them there; None when cancelled. The day and edges are checked before the dialog.
    #[tauri::command]
    pub async fn export_open_items_with_dialog(
        app: AppHandle,
        state: State<'_, AppState>,
        title: String,
        as_of: String,
        edges: [i64; 3],
    ) -> Result<Option<String>, ApiError> {
        let as_of = crate::host::date_arg("as_of", &as_of)?;
        riskdesk_core::receivables::BucketEdges(edges).validate()?;
        let name = open_items_name(as_of);
        let Some(path) = save_where(&app, &state, title, name, CSV).await? else {
            return Ok(None);
        };
        export_open_items_in_steps(&state, path, as_of, edges)
            .await
            .map(Some)
    }
}
