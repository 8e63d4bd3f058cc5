//! Dunning commands: the plan, a letter preview, the run (executed against the reviewed
//! plan's fingerprint), the run history and reprints. Plain functions over a [`Host`], or
//! a connection for what only reads; the Tauri commands in [`ipc`] only unwrap the window's
//! arguments.

use std::path::{Path, PathBuf};

use riskdesk_core::collections::{self, fill_letter, Exclusions, Plan, PlanCustomer, RunRecord};
use riskdesk_core::customer;
use riskdesk_core::error::Code;
use riskdesk_core::ids::RunId;
use riskdesk_core::money::Money;
use rusqlite::Connection;
use serde::Serialize;

use crate::error::{ApiError, Kind};
use crate::host::{date_arg, id_arg, Host};
use crate::letters;
use crate::state::AppState;

pub fn plan(conn: &Connection, as_of: &str) -> Result<Plan, ApiError> {
    Ok(collections::plan(conn, date_arg("as_of", as_of)?)?)
}

#[derive(Serialize)]
pub struct LetterPreview {
    pub letterhead_name: String,
    pub letterhead_address: String,
    pub customer_name: String,
    pub customer_address: String,
    pub title: String,
    pub body: String,
    pub plan: PlanCustomer,
    pub total: Money,
}

/// The text of a customer's letter in this plan, for reviewing it before the run.
/// `no_charges` and `no_suspension` are the reviewer's choices for this customer, applied
/// as the run applies them.
pub fn preview(
    conn: &Connection,
    as_of: &str,
    customer_id: i64,
    no_charges: bool,
    no_suspension: bool,
) -> Result<LetterPreview, ApiError> {
    let as_of = date_arg("as_of", as_of)?;
    let customer_id = id_arg("customer_id", customer_id)?;
    let plan = collections::plan(conn, as_of)?;
    let pc = plan
        .customers
        .into_iter()
        .find(|c| c.customer_id == customer_id)
        .ok_or_else(|| ApiError::new(Kind::NotFound, "this customer is not in the plan"))?
        .with_exclusions(no_charges, no_suspension);
    let c = customer::get(conn, customer_id)?;
    let (lh, _) = letters::letterhead(conn)?;
    let total = pc.total();
    let deadline = riskdesk_docs::letters::date_text(pc.language, pc.deadline);
    Ok(LetterPreview {
        body: fill_letter(
            pc.letter_text(),
            &c.fields.legal_name,
            &total.format(),
            &deadline,
            &lh.name,
        ),
        title: pc.level.name(pc.language).to_string(),
        letterhead_name: lh.name,
        letterhead_address: lh.address,
        customer_name: c.fields.legal_name,
        customer_address: c.fields.address,
        plan: pc,
        total,
    })
}

#[derive(Serialize, Debug)]
pub struct RunResult {
    pub run_id: RunId,
    pub steps: usize,
    pub customers: usize,
    pub charge_invoices: Vec<String>,
    pub changes: Vec<collections::PartnerCenterChange>,
    pub folder: String,
    pub files: Vec<String>,
}

fn write(
    run: &RunRecord,
    base: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<RunResult, ApiError> {
    let files = letters::write_run(run, base, progress)?;
    Ok(RunResult {
        run_id: run.id,
        steps: run.steps,
        customers: run.customers.len(),
        charge_invoices: run.charge_invoices.clone(),
        changes: run.changes.clone(),
        folder: letters::run_folder(base, run).display().to_string(),
        files: files
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect(),
    })
}

/// Executes the reviewed plan: one transaction that books it and stores the run record,
/// then the documents rendered from that record. Refused when the plan is no longer the
/// one whose fingerprint the window reviewed. None when there was nothing to do.
#[cfg(test)]
pub fn execute(
    h: &mut Host,
    as_of: &str,
    exclusions: Exclusions,
    fingerprint: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Option<RunResult>, ApiError> {
    match book(h, as_of, exclusions, fingerprint)? {
        Some((run, base)) => Ok(Some(write(&run, &base, progress)?)),
        None => Ok(None),
    }
}

/// Executes the reviewed plan in two steps: the run booked with the database held (one
/// transaction that books it and stores the run record; refused when the plan is no longer
/// the one whose fingerprint the window reviewed), then its documents rendered from the
/// stored record with the database free (the window answers meanwhile), reporting progress.
pub async fn execute_in_steps(
    state: &AppState,
    as_of: String,
    exclusions: Exclusions,
    fingerprint: String,
    mut progress: impl FnMut(usize, usize) + Send + 'static,
) -> Result<Option<RunResult>, ApiError> {
    let booked = state
        .with_host(move |h| book(h, &as_of, exclusions, &fingerprint))
        .await?;
    let Some((run, base)) = booked else {
        return Ok(None);
    };
    crate::state::without_db(move || write(&run, &base, &mut progress))
        .await
        .map(Some)
}

/// A stored run's record, by the id the window gave (checked).
fn stored_run(h: &mut Host, run_id: i64) -> Result<collections::RunRecord, ApiError> {
    Ok(collections::run_record(
        h.conn,
        RunId(id_arg("run_id", run_id)?),
    )?)
}

/// Writes a run's documents again, in two steps as [`execute_in_steps`].
pub async fn reprint_in_steps(
    state: &AppState,
    run_id: i64,
    mut progress: impl FnMut(usize, usize) + Send + 'static,
) -> Result<RunResult, ApiError> {
    let run = state.with_host(move |h| stored_run(h, run_id)).await?;
    crate::state::without_db(move || {
        let base = PathBuf::from(&run.output_dir);
        write(&run, &base, &mut progress)
    })
    .await
}

/// Writes the run's letters as e-mail drafts into the run's folder: the record read, the
/// drafts rendered and written without the database, then each one logged.
pub async fn drafts_in_steps(
    state: &AppState,
    run_id: i64,
) -> Result<crate::drafts::Drafts, ApiError> {
    let run = state.with_host(move |h| stored_run(h, run_id)).await?;
    let now = crate::session::ctx().now;
    let id = run.id;
    let drafts = crate::state::without_db(move || {
        let dir = crate::letters::run_folder(&PathBuf::from(&run.output_dir), &run);
        Ok(crate::drafts::write(&run, &dir, now)?)
    })
    .await?;
    state
        .with_host(move |h| {
            h.tx(|tx, ctx| crate::drafts::log(tx, ctx, id.0, &drafts))?;
            Ok(drafts)
        })
        .await
}

/// Books the reviewed plan in one transaction and stores its run record; the record and
/// the folder its documents go in. None when there was nothing to do.
fn book(
    h: &mut Host,
    as_of: &str,
    exclusions: Exclusions,
    fingerprint: &str,
) -> Result<Option<(RunRecord, PathBuf)>, ApiError> {
    let as_of = date_arg("as_of", as_of)?;
    if fingerprint.len() != 64 || !fingerprint.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::validation(
            "fingerprint",
            Code::PlanChanged,
            "review the plan first",
        ));
    }
    let base = run_base(h)?;
    let run = h.tx(|tx, ctx| {
        collections::execute(
            tx,
            ctx,
            as_of,
            &exclusions,
            Some(fingerprint),
            &base.display().to_string(),
        )
    })?;
    Ok(run.map(|r| (r, base)))
}

/// The setting that holds the folder dunning runs write into (chosen once, in a dialog).
pub const RUN_FOLDER: &str = "dunning.folder";

/// Where runs write their folders: the chosen folder, or the documents folder.
pub fn run_base(h: &mut Host) -> Result<PathBuf, ApiError> {
    Ok(riskdesk_core::store::settings::get(h.conn, RUN_FOLDER)?
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| h.documents.to_path_buf()))
}

/// Remembers the folder dunning runs write into; it must be an existing folder.
pub fn set_run_base(h: &mut Host, folder: &Path) -> Result<String, ApiError> {
    if !folder.is_absolute() || !folder.is_dir() {
        return Err(ApiError::validation(
            "folder",
            Code::NotFound,
            "choose an existing folder",
        ));
    }
    let text = folder.display().to_string();
    h.tx(|tx, ctx| riskdesk_core::store::settings::set(tx, ctx, RUN_FOLDER, &text))?;
    Ok(text)
}

#[derive(Serialize)]
pub struct RunRow {
    #[serde(flatten)]
    pub summary: collections::RunSummary,
    pub folder: String,
    pub missing: Vec<String>,
    /// The letters sent by e-mail, failed, or drafted.
    pub mail: riskdesk_core::mail::RunMailStatus,
}

/// The run history, with the files each run is missing.
pub fn runs(conn: &Connection) -> Result<Vec<RunRow>, ApiError> {
    let mut out = Vec::new();
    for r in collections::runs(conn)? {
        let base = PathBuf::from(&r.output_dir);
        let missing = if r.reprintable {
            letters::missing_files(&base, &collections::run_record(conn, r.id)?)
        } else {
            Vec::new()
        };
        out.push(RunRow {
            folder: base.join(&r.folder_name).display().to_string(),
            mail: riskdesk_core::mail::run_status(conn, r.id.0)?,
            summary: r,
            missing,
        });
    }
    Ok(out)
}

/// Writes a run's documents again from its stored record, where the run wrote them.
#[cfg(test)]
pub fn reprint(
    h: &mut Host,
    run_id: i64,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<RunResult, ApiError> {
    let run = stored_run(h, run_id)?;
    let base = PathBuf::from(&run.output_dir);
    write(&run, &base, progress)
}

#[derive(Serialize, Clone)]
struct Progress {
    done: usize,
    total: usize,
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use tauri::{AppHandle, Emitter, State};

    use super::*;

    fn progress(app: AppHandle) -> impl FnMut(usize, usize) + Send + 'static {
        move |done, total| {
            let _ = app.emit("dunning-progress", Progress { done, total });
        }
    }

    crate::commands::read_commands! {
        plan_dunning_run(as_of: String) -> Plan = |conn, _| plan(conn, &as_of);
        preview_letter(as_of: String, customer_id: i64, no_charges: bool, no_suspension: bool) -> LetterPreview
            = |conn, _| preview(conn, &as_of, customer_id, no_charges, no_suspension);
        /// The run history, with the files each run is missing.
        list_dunning_runs() -> Vec<RunRow> = |conn, _| runs(conn);
    }

    #[tauri::command]
    pub async fn execute_dunning_run(
        app: AppHandle,
        state: State<'_, AppState>,
        as_of: String,
        exclusions: Exclusions,
        fingerprint: String,
    ) -> Result<Option<RunResult>, ApiError> {
        execute_in_steps(&state, as_of, exclusions, fingerprint, progress(app)).await
    }

    /// The folder runs write into.
    #[tauri::command]
    pub async fn get_dunning_folder(state: State<'_, AppState>) -> Result<String, ApiError> {
        state
            .with_host(|h| Ok(run_base(h)?.display().to_string()))
            .await
    }

    /// Asks for the folder runs write into (the OS folder dialog); None when cancelled.
    #[tauri::command]
    pub async fn choose_dunning_folder(
        app: AppHandle,
        state: State<'_, AppState>,
        title: String,
    ) -> Result<Option<String>, ApiError> {
        use tauri_plugin_dialog::DialogExt;
        crate::host::text_arg("title", &title, 200)?;
        let start = state.with_host(run_base).await?;
        let dlg = app.dialog().file().set_title(title).set_directory(start);
        let Some(folder) =
            crate::commands::files::ipc::dialog(&state, move || dlg.blocking_pick_folder()).await?
        else {
            return Ok(None);
        };
        state
            .with_host(move |h| set_run_base(h, &folder))
            .await
            .map(Some)
    }

    #[tauri::command]
    pub async fn reprint_dunning_run(
        app: AppHandle,
        state: State<'_, AppState>,
        run_id: i64,
    ) -> Result<RunResult, ApiError> {
        reprint_in_steps(&state, run_id, progress(app)).await
    }

    /// The run's letters as e-mail drafts in its folder, each logged.
    #[tauri::command]
    pub async fn write_email_drafts(
        state: State<'_, AppState>,
        run_id: i64,
    ) -> Result<crate::drafts::Drafts, ApiError> {
        drafts_in_steps(&state, run_id).await
    }
}
