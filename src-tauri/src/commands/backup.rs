//! Backups from the window: an encrypted copy of the book written where the Save dialog
//! says, and the book replaced by a backup chosen in the Open dialog (made here, or on
//! another computer with its own recovery key). The functions over paths are tested
//! without a window; [`ipc`] holds the dialog calls.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use riskdesk_core::error::Code;
use riskdesk_core::store::backups::{self, Kind};
use riskdesk_core::store::{self, DbKey};
use rusqlite::Connection;
use serde::Serialize;

use crate::book_files::is_book_file;
pub(crate) use crate::book_files::Keep;
use crate::error::ApiError;
use crate::state::{AppState, Open};

/// The name the Save dialog offers for a backup made on `today`.
pub fn backup_name(today: NaiveDate) -> String {
    format!("riskdesk-backup-{today}.db")
}

/// Refuses `file` when it is one of the book's files ([`is_book_file`]): with [`Keep::All`]
/// a backup is never written over one.
pub(crate) fn not_the_database(db: &Path, file: &Path, keep: Keep) -> Result<(), ApiError> {
    if is_book_file(db, file, keep) {
        return Err(ApiError::validation(
            "file",
            Code::IsTheDatabase,
            format!(
                "{} is the database or a file it keeps beside it: choose another file",
                file.display()
            ),
        ));
    }
    Ok(())
}

/// Writes an encrypted copy of the book (same key) to `dest`: whole into a file beside it
/// first, then renamed, so a backup of that name the dialog agreed to replace is replaced
/// only by a complete copy that opens. Returns the path written.
pub fn write_backup(
    conn: &Connection,
    key: &DbKey,
    db: &Path,
    dest: &Path,
) -> Result<PathBuf, ApiError> {
    not_the_database(db, dest, Keep::All)?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| ApiError::validation("file", Code::Required, "no file name"))?;
    let partial = dest.with_file_name(format!("{name}.partial"));
    let _ = std::fs::remove_file(&partial);
    let written = store::backup(conn, key, &partial)
        .map_err(ApiError::from)
        .and_then(|()| {
            std::fs::rename(&partial, dest)
                .map_err(|e| ApiError::from(riskdesk_core::Error::from(e)))
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    Ok(dest.to_path_buf())
}

/// Writes a backup to, or a restore from, `file` into the book's audit trail through the
/// writing connection: the reminder to back up counts from it.
pub fn record(open: &mut Open, kind: Kind, file: &Path) -> Result<(), ApiError> {
    let file = file.display().to_string();
    open.write(|tx| Ok(backups::record(tx, &crate::session::ctx(), kind, &file)?))
}

/// [`record`], where a failure is only logged: the copy is whole on disk (or the book
/// restored) whatever the trail says, and the reminder then counts from an earlier backup.
fn record_or_log(open: &mut Open, kind: Kind, file: &Path) {
    if let Err(e) = record(open, kind, file) {
        eprintln!(
            "riskdesk: the {} of {} could not be written to the audit trail: {}",
            match kind {
                Kind::Backup => "backup",
                Kind::Restore => "restore",
            },
            file.display(),
            e.message
        );
    }
}

/// Writes a backup to `dest` through the reading connection (a write waits for nothing),
/// then its record in the audit trail through the writing one. Returns the path written.
pub async fn back_up(state: &AppState, dest: PathBuf) -> Result<PathBuf, ApiError> {
    let key = state.with_db(|o| Ok(o.key.clone())).await?;
    let db = state.db_path.clone();
    let written = state
        .with_read(move |conn, _| write_backup(conn, &key, &db, &dest))
        .await?;
    let recorded = written.clone();
    state
        .with_db(move |o| {
            record_or_log(o, Kind::Backup, &recorded);
            Ok(())
        })
        .await?;
    Ok(written)
}

/// Whether the files `a` and `b` (both written) are on the same disk: a backup there is
/// lost with the book when the disk is. Unix compares their devices; Windows their drives
/// or network shares; elsewhere nothing is claimed.
pub fn same_disk(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev(),
            _ => false,
        }
    }
    #[cfg(windows)]
    {
        let prefix = |p: &Path| match crate::keystore::absolute(p).components().next() {
            Some(std::path::Component::Prefix(x)) => {
                Some(x.as_os_str().to_string_lossy().to_lowercase())
            }
            _ => None,
        };
        prefix(a).is_some_and(|x| Some(x) == prefix(b))
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (a, b);
        false
    }
}

/// A backup the window wrote.
#[derive(Debug, Serialize)]
pub struct Written {
    pub path: String,
    /// On the book's own disk: the window says to copy it elsewhere too.
    pub same_disk: bool,
}

/// What a restore did.
#[derive(Debug, Serialize)]
pub struct Restored {
    /// Where the database it replaced is kept.
    pub previous: Option<String>,
    pub customers: i64,
}

/// Replaces the database at `db` with the backup `file`, while the window has no
/// connection open on it (`slot` holds the writing one; the caller closed the reading one).
///
/// The backup is checked with the book's key, or with `recovery_key` (a backup made with
/// another database's key), before anything is closed: a key that does not open it is
/// refused (`Locked`) and the book stays open as it was. Then the book is closed, the file
/// swapped by [`store::restore`] (which keeps the replaced database beside it), the key
/// filed in the keychain by `save_key` when it is another, and the restored book opened in
/// the slot. When the swap fails the book is opened again as it was.
pub fn restore_backup(
    slot: &mut Option<Open>,
    db: &Path,
    file: &Path,
    recovery_key: Option<&str>,
    save_key: impl FnOnce(&Path, &DbKey) -> Result<(), ApiError>,
) -> Result<Restored, ApiError> {
    not_the_database(db, file, Keep::Live)?;
    let current = slot
        .as_ref()
        .map(|o| o.key.clone())
        .ok_or_else(|| ApiError::new(crate::error::Kind::Locked, "the database is not open"))?;
    let key = match recovery_key {
        Some(text) => DbKey::parse(text)?,
        None => current.clone(),
    };
    store::check_backup(file, &key)?;
    // Closed here: the files are moved next, which Windows refuses while they are open.
    *slot = None;
    let previous = match store::restore(file, &key, db) {
        Ok(previous) => previous,
        Err(e) => {
            // The files are as they were: the book is opened again.
            if let Ok(conn) = store::open(db, &current) {
                *slot = Some(Open { conn, key: current });
            }
            return Err(e.into());
        }
    };
    let conn = store::open(db, &key)?;
    let customers = riskdesk_core::customer::count(&conn)?;
    let other_key = key != current;
    let mut open = Open {
        conn,
        key: key.clone(),
    };
    record_or_log(&mut open, Kind::Restore, file);
    *slot = Some(open);
    // Open in this session either way; without its key in the keychain the next start
    // asks for the recovery key.
    if other_key {
        save_key(db, &key)?;
    }
    Ok(Restored {
        previous: previous.map(|p| p.display().to_string()),
        customers,
    })
}

/// The window's commands: each opens the dialog and calls a function above.
pub mod ipc {
    use tauri::{AppHandle, State};
    use tauri_plugin_dialog::DialogExt;

    use super::*;
    use crate::commands::files::ipc::{dialog, save_where};

    /// Offers a backup's name in the Save dialog and writes the copy there ([`back_up`]);
    /// None when cancelled.
    #[tauri::command]
    pub async fn write_backup_with_dialog(
        app: AppHandle,
        state: State<'_, AppState>,
        title: String,
    ) -> Result<Option<Written>, ApiError> {
        let name = backup_name(crate::session::today());
        let filter = ("RiskDesk", &["db"][..]);
        let Some(dest) = save_where(&app, &state, title, name, filter).await? else {
            return Ok(None);
        };
        let path = back_up(&state, dest).await?;
        Ok(Some(Written {
            same_disk: same_disk(&state.db_path, &path),
            path: path.display().to_string(),
        }))
    }

    /// The last backup or restore, the changes since and whether a reminder is due, read
    /// through the reading connection.
    #[tauri::command]
    pub async fn get_backup_status(
        state: State<'_, AppState>,
    ) -> Result<backups::Status, ApiError> {
        state
            .with_read(|conn, ctx| Ok(backups::status(conn, ctx.now)?))
            .await
    }

    /// Sets the days after a backup before the window reminds (0: never; at most 365).
    #[tauri::command]
    pub async fn set_backup_reminder(
        state: State<'_, AppState>,
        days: u32,
    ) -> Result<(), ApiError> {
        backups::parse_remind_days(&days.to_string())?;
        state
            .with_db(move |o| {
                o.write(|tx| Ok(backups::set_remind_days(tx, &crate::session::ctx(), days)?))
            })
            .await
    }

    /// Asks for a backup in the Open dialog and keeps its path for
    /// [`restore_chosen_backup`]; the file's name, or None when cancelled. No filter: a
    /// backup the command line wrote may have any name, and a book a restore kept ends in
    /// `.before-restore`.
    #[tauri::command]
    pub async fn choose_backup(
        app: AppHandle,
        state: State<'_, AppState>,
        title: String,
    ) -> Result<Option<String>, ApiError> {
        crate::host::text_arg("title", &title, 200)?;
        let dlg = app.dialog().file().set_title(title);
        let Some(path) = dialog(&state, move || dlg.blocking_pick_file()).await? else {
            return Ok(None);
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        *state.backup_file.lock().unwrap_or_else(|e| e.into_inner()) = Some(path);
        Ok(Some(name))
    }

    /// Replaces the book with the backup chosen, opened with its key or `recovery_key`.
    #[tauri::command]
    pub async fn restore_chosen_backup(
        state: State<'_, AppState>,
        recovery_key: Option<String>,
    ) -> Result<Restored, ApiError> {
        if let Some(k) = &recovery_key {
            crate::host::text_arg("recovery_key", k, 200)?;
        }
        let file = state
            .backup_file
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| {
                ApiError::validation("file", Code::Required, "choose a backup file first")
            })?;
        let restored = state
            .with_file_closed(move |slot, db| {
                restore_backup(slot, &db, &file, recovery_key.as_deref(), |db, key| {
                    crate::keystore::save(db, key)
                        .map_err(|e| ApiError::from(crate::session::OpenError::from(e)))
                })
            })
            .await?;
        *state.backup_file.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(restored)
    }
}
