//! CSV imports from the window (customers, invoices or payments): all or nothing, off the
//! UI thread, with progress events. A plain function over a [`Host`]; [`ipc`] holds the
//! Tauri command.

use riskdesk_core::import::ImportSummary;
use riskdesk_core::Error;
use serde::Serialize;

use crate::error::ApiError;
use crate::host::Host;
use crate::state::AppState;

pub fn import(
    h: &mut Host,
    kind: &str,
    name: &str,
    text: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ApiError> {
    if name.chars().count() > 260 {
        return Err(ApiError::validation("name", "file name too long"));
    }
    if text.len() > 200 * 1024 * 1024 {
        return Err(ApiError::validation(
            "file",
            "the file is larger than 200 MB",
        ));
    }
    let label = std::path::Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let reader = text.as_bytes();
    h.tx(|tx, ctx| match kind {
        "customers" => riskdesk_core::import::import_customers(tx, ctx, &label, reader, progress),
        "invoices" => {
            riskdesk_core::ledger_import::import_invoices(tx, ctx, &label, reader, progress)
        }
        "payments" => {
            riskdesk_core::ledger_import::import_payments(tx, ctx, &label, reader, progress)
        }
        _ => Err(Error::Invalid(
            "import customers, invoices or payments".into(),
        )),
    })
}

#[derive(Serialize, Clone)]
struct Progress<'a> {
    kind: &'a str,
    done: usize,
    total: usize,
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use tauri::{AppHandle, Emitter, State};

    use super::*;

    #[tauri::command]
    pub async fn import_file(
        app: AppHandle,
        state: State<'_, AppState>,
        kind: String,
        name: String,
        text: String,
    ) -> Result<ImportSummary, ApiError> {
        state
            .with_host(move |h| {
                let mut progress = |done, total| {
                    let p = Progress {
                        kind: &kind,
                        done,
                        total,
                    };
                    let _ = app.emit("import-progress", p);
                };
                import(h, &kind, &name, &text, &mut progress)
            })
            .await
    }
}
