//! The only module that touches the OS keychain (Windows Credential Manager, macOS
//! Keychain, Secret Service on Linux). The database key is stored under the service
//! `tw.riskdesk.app` and an account named after the database file's absolute path, so
//! two databases on one computer have two keys.

use std::path::{Path, PathBuf};

use riskdesk_core::store::DbKey;

const SERVICE: &str = "tw.riskdesk.app";

#[derive(Debug, thiserror::Error)]
#[error("the OS keychain is not available: {0}. RiskDesk keeps its database key there; on Linux start a Secret Service keyring (GNOME Keyring or KWallet) and try again.")]
pub struct KeychainError(String);

/// The absolute path the key is filed under (the file itself may not exist yet).
pub fn absolute(db: &Path) -> PathBuf {
    let abs = if db.is_absolute() {
        db.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(db))
            .unwrap_or_else(|_| db.to_path_buf())
    };
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => dir
            .canonicalize()
            .map(|d| d.join(name))
            .unwrap_or(abs.clone()),
        _ => abs,
    }
}

fn entry(db: &Path) -> Result<keyring::Entry, KeychainError> {
    let account = absolute(db).to_string_lossy().into_owned();
    keyring::Entry::new(SERVICE, &account).map_err(|e| KeychainError(e.to_string()))
}

/// The key for `db`, or None when the keychain has no entry for it.
pub fn load(db: &Path) -> Result<Option<DbKey>, KeychainError> {
    match entry(db)?.get_password() {
        Ok(hex) => DbKey::parse(&hex)
            .map(Some)
            .map_err(|_| KeychainError("the stored RiskDesk key is damaged".into())),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(KeychainError(e.to_string())),
    }
}

pub fn save(db: &Path, key: &DbKey) -> Result<(), KeychainError> {
    entry(db)?
        .set_password(&key.to_hex())
        .map_err(|e| KeychainError(e.to_string()))
}
