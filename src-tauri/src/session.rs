//! Opening the database with the key from the keychain: shared by the window and the CLI.

use std::path::{Path, PathBuf};

use chrono::Utc;
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::{Ctx, Error};
use rusqlite::Connection;

use crate::keystore::{self, KeychainError};

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error("the key of {0} is not in this computer's keychain. Enter the recovery key that was shown when the database was created (riskdesk restore --recovery-key, or the window's unlock screen).")]
    KeyMissing(PathBuf),
    #[error(transparent)]
    Core(#[from] Error),
}

/// Where the database lives unless `--db` or `RISKDESK_DB` says otherwise:
/// Windows `%APPDATA%\RiskDesk`, macOS `~/Library/Application Support/RiskDesk`,
/// Linux `~/.local/share/riskdesk`.
pub fn default_db_path() -> PathBuf {
    if let Some(p) = std::env::var_os("RISKDESK_DB") {
        return PathBuf::from(p);
    }
    let dir = dirs::data_dir().unwrap_or_else(|| PathBuf::from("."));
    let folder = if cfg!(target_os = "linux") {
        "riskdesk"
    } else {
        "RiskDesk"
    };
    dir.join(folder).join("riskdesk.db")
}

/// Where the window writes documents: the user's Documents folder, RiskDesk.
pub fn default_documents_dir() -> PathBuf {
    dirs::document_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("RiskDesk")
}

/// The person at the keyboard, for the audit trail.
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .or_else(|| {
            dirs::home_dir().and_then(|h| h.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_else(|| "unknown".into())
}

pub fn ctx() -> Ctx {
    Ctx::new(os_user(), Utc::now()).with_today(today())
}

pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn open(db: &Path) -> Result<(Connection, DbKey), OpenError> {
    if !db.exists() {
        return Err(Error::Invalid(format!(
            "there is no database at {}: create one with `riskdesk init` (or `riskdesk demo`), or start the window",
            db.display()
        ))
        .into());
    }
    let key = keystore::load(db)?.ok_or_else(|| OpenError::KeyMissing(db.to_path_buf()))?;
    let conn = store::open(db, &key)?;
    Ok((conn, key))
}

/// Opens the database for a command that does not need its key again.
pub fn connect(db: &Path) -> Result<Connection, OpenError> {
    open(db).map(|(conn, _)| conn)
}

/// Creates a new database with a fresh key; the key goes into the keychain before the
/// file is written, so a database never exists without its key.
pub fn create(db: &Path) -> Result<(Connection, DbKey), OpenError> {
    if db.exists() {
        return Err(Error::Conflict {
            field: "path".into(),
            message: format!("{} already exists", db.display()),
        }
        .into());
    }
    if let Some(dir) = db.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(Error::from)?;
        }
    }
    let key = DbKey::generate()?;
    keystore::save(db, &key)?;
    let conn = store::create(db, &key)?;
    Ok((conn, key))
}

/// Opens the database with a recovery key typed by the user and, when it fits, files
/// that key in this computer's keychain.
pub fn unlock(db: &Path, recovery_key: &str) -> Result<(Connection, DbKey), OpenError> {
    let key = DbKey::parse(recovery_key)?;
    let conn = store::open(db, &key)?;
    keystore::save(db, &key)?;
    Ok((conn, key))
}
