//! Microsoft's notices: import (JSON from a path the OS dialog chose), record, move on in
//! the workflow, record the fraud-credit claim; and the Partner Center activity log.
//! Plain functions over a [`Host`], or a connection and the context for reads; [`ipc`]
//! holds the Tauri commands.

use std::path::PathBuf;

use riskdesk_core::error::Code;
use riskdesk_core::usage::activity::{self, Activity, ActivityImport};
use riskdesk_core::usage::evaluate;
use riskdesk_core::usage::notices::{
    self, NewNotice, Notice, NoticeImport, NoticeKind, NoticeStatus,
};
use riskdesk_core::Ctx;
use rusqlite::Connection;
use serde::Deserialize;

use crate::error::ApiError;
use crate::host::{date_arg, id_arg, text_arg, Host};
use crate::state::AppState;
use riskdesk_core::FieldError;

/// Alert files are small; anything larger is not one.
const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// Imports the alert files chosen (one, several, or a ZIP archive of several) in one
/// transaction: all or nothing.
pub fn import_paths(h: &mut Host, paths: &[PathBuf]) -> Result<NoticeImport, ApiError> {
    let files = read_chosen(paths)?;
    h.tx(|tx, ctx| {
        let mut all = NoticeImport::default();
        for (name, text) in &files {
            all.add(notices::import(tx, ctx, name, text)?);
        }
        evaluate::evaluate(tx, ctx)?;
        Ok(all)
    })
}

/// The files chosen (one; several, such as the pages of one API answer saved one by one;
/// or a ZIP archive of several), each as text by its name (`alerts.zip/page-2.json`): at
/// most [`MAX_BYTES`] together.
fn read_chosen(paths: &[PathBuf]) -> Result<Vec<(String, String)>, ApiError> {
    if paths.is_empty() {
        return Err(ApiError::validation(
            "file",
            Code::Required,
            "choose a file",
        ));
    }
    let mut out = Vec::new();
    // What the files may hold together, as read and as extracted from their archives.
    let mut left = MAX_BYTES;
    for path in paths {
        let (label, bytes) = read_small(path, left)?;
        out.extend(riskdesk_core::import::texts_of(&label, &bytes, &mut left)?);
    }
    Ok(out)
}

/// A file chosen, by its name, read whole: at most `max` bytes.
fn read_small(path: &std::path::Path, max: u64) -> Result<(String, Vec<u8>), ApiError> {
    let (label, file, size) = super::files::open_chosen(path)?;
    let too_large = |size: u64| {
        FieldError::new(
            "file",
            Code::FileTooLarge,
            format!("{label}: {size} bytes is too large for this kind of file (the files chosen are at most 50 MB together)"),
        )
        .with("file", &label)
    };
    if size > max {
        return Err(too_large(size).into());
    }
    // Read no further than the limit: a device reports no size.
    let bytes = riskdesk_core::import::read_capped(file, max).map_err(|e| {
        FieldError::new("file", Code::Unreadable, format!("{label}: {e}")).with("file", &label)
    })?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64).into());
    }
    Ok((label, bytes))
}

/// Imports audit records (JSON) or the portal's activity log export (CSV): the files chosen
/// (one, several, or a ZIP archive of several) in one transaction, all or nothing.
pub fn import_activity_paths(h: &mut Host, paths: &[PathBuf]) -> Result<ActivityImport, ApiError> {
    let files = read_chosen(paths)?;
    h.tx(|tx, ctx| {
        let mut all = ActivityImport::default();
        for (name, text) in &files {
            all.add(activity::import(tx, ctx, name, text)?);
        }
        evaluate::evaluate(tx, ctx)?;
        Ok(all)
    })
}

pub fn list_activity(conn: &Connection, limit: i64) -> Result<Vec<Activity>, ApiError> {
    Ok(activity::list(conn, None, limit)?)
}

pub fn list(conn: &Connection, ctx: &Ctx) -> Result<Vec<Notice>, ApiError> {
    Ok(notices::list(conn, ctx.now)?)
}

#[derive(Deserialize, Debug, Clone)]
pub struct NoticeInput {
    pub kind: String,
    pub title: String,
    pub customer_id: Option<i64>,
    #[serde(default)]
    pub subscription: String,
    /// RFC 3339; empty: now.
    #[serde(default)]
    pub received_at: String,
    #[serde(default)]
    pub text: String,
}

pub fn add(h: &mut Host, input: NoticeInput) -> Result<i64, ApiError> {
    let kind = NoticeKind::field("kind", &input.kind)?;
    text_arg("title", &input.title, 500)?;
    text_arg("subscription", &input.subscription, 100)?;
    text_arg("text", &input.text, 20_000)?;
    let customer = input
        .customer_id
        .map(|c| id_arg("customer_id", c))
        .transpose()?;
    let received_at = if input.received_at.trim().is_empty() {
        h.ctx.now
    } else {
        notices::parse_time(&input.received_at).ok_or_else(|| {
            ApiError::validation(
                "received_at",
                Code::InvalidTime,
                "a date and time like 2026-11-26T08:30:00Z",
            )
        })?
    };
    let n = NewNotice {
        kind: Some(kind),
        title: input.title,
        customer_id: customer,
        subscription: input.subscription,
        received_at: Some(received_at),
        body: input.text,
        ..Default::default()
    };
    h.tx(|tx, ctx| {
        let id = notices::add(tx, ctx, &n)?;
        evaluate::evaluate(tx, ctx)?;
        Ok(id)
    })
}

pub fn set_status(
    h: &mut Host,
    id: i64,
    status: &str,
    note: &str,
    fraud_from: &str,
) -> Result<(), ApiError> {
    let id: i64 = id_arg("id", id)?;
    let status = NoticeStatus::field("status", status)?;
    text_arg("note", note, 2000)?;
    let fraud_from = if fraud_from.trim().is_empty() {
        None
    } else {
        Some(date_arg("fraud_from", fraud_from)?)
    };
    h.tx(|tx, ctx| {
        notices::set_status(tx, ctx, id, status, note, fraud_from)?;
        evaluate::evaluate(tx, ctx).map(|_| ())
    })
}

pub fn claim(h: &mut Host, id: i64, on: &str) -> Result<(), ApiError> {
    let id: i64 = id_arg("id", id)?;
    let on = date_arg("claim_filed_on", on)?;
    h.tx(|tx, ctx| notices::claim_filed(tx, ctx, id, on))
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use tauri::{AppHandle, State};

    use super::*;
    use crate::commands::files::ipc::pick_files;

    /// Asks for alert files (JSON: one, several, or a ZIP archive of several) in the open
    /// dialog and imports them; None when cancelled.
    #[tauri::command]
    pub async fn import_notices_with_dialog(
        app: AppHandle,
        state: State<'_, AppState>,
        title: String,
    ) -> Result<Option<NoticeImport>, ApiError> {
        let Some(paths) = pick_files(&app, &state, title, "JSON", &["json", "zip"]).await? else {
            return Ok(None);
        };
        state
            .with_host(move |h| import_paths(h, &paths))
            .await
            .map(Some)
    }

    /// Asks for activity log files (JSON or CSV: one, several, or a ZIP archive of several)
    /// and imports them; None when cancelled.
    #[tauri::command]
    pub async fn import_activity_with_dialog(
        app: AppHandle,
        state: State<'_, AppState>,
        title: String,
    ) -> Result<Option<ActivityImport>, ApiError> {
        let Some(paths) =
            pick_files(&app, &state, title, "JSON, CSV", &["json", "csv", "zip"]).await?
        else {
            return Ok(None);
        };
        state
            .with_host(move |h| import_activity_paths(h, &paths))
            .await
            .map(Some)
    }

    crate::commands::read_commands! {
        list_activity_log(limit: i64) -> Vec<Activity> = |conn, _| list_activity(conn, limit);
        list_notices() -> Vec<Notice> = |conn, ctx| list(conn, &ctx);
    }

    crate::commands::host_commands! {
        add_notice(input: NoticeInput) -> i64 = |h| add(h, input);
        set_notice_status(id: i64, status: String, note: String, fraud_from: String) -> ()
            = |h| set_status(h, id, &status, &note, &fraud_from);
        record_notice_claim(id: i64, on: String) -> () = |h| claim(h, id, &on);
    }
}
