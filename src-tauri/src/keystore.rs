//! The only module that touches the OS keychain (Windows Credential Manager, macOS
//! Keychain, Secret Service on Linux). The database key is stored under the service
//! `tw.riskdesk.app` and an account named after the database file's absolute path, so
//! two databases on one computer have two keys.
//!
//! Tests: the CLI tests must not file keys in the keychain of the person running them, so
//! a debug build (never a release build) keeps its keys in a private test keychain when
//! `RISKDESK_TEST_KEYCHAIN` names a folder: one file per database, inside the test's own
//! temporary folder. The end-to-end tests use the real keychain and remove their entries.

use std::path::{Path, PathBuf};

use riskdesk_core::store::DbKey;

// The keychain service name; kept as first released (the bundle identifier is now
// tw.riskdesk.desktop), so keys filed by earlier builds are still found.
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

/// The private test keychain's folder: only in debug builds, only when a test names one.
fn test_keychain() -> Option<PathBuf> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var_os("RISKDESK_TEST_KEYCHAIN").map(PathBuf::from)
}

/// The test keychain's file for `db`: the account name with every character that is not
/// a letter or digit replaced, so it is one plain file name on every OS.
fn test_entry(dir: &Path, db: &Path) -> PathBuf {
    let account: String = absolute(db)
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    dir.join(format!("{account}.key"))
}

fn parse_stored(hex: &str) -> Result<Option<DbKey>, KeychainError> {
    DbKey::parse(hex.trim())
        .map(Some)
        .map_err(|_| KeychainError("the stored RiskDesk key is damaged".into()))
}

/// The key for `db`, or None when the keychain has no entry for it.
pub fn load(db: &Path) -> Result<Option<DbKey>, KeychainError> {
    if let Some(dir) = test_keychain() {
        return match std::fs::read_to_string(test_entry(&dir, db)) {
            Ok(hex) => parse_stored(&hex),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(KeychainError(e.to_string())),
        };
    }
    match entry(db)?.get_password() {
        Ok(hex) => parse_stored(&hex),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(KeychainError(e.to_string())),
    }
}

pub fn save(db: &Path, key: &DbKey) -> Result<(), KeychainError> {
    if let Some(dir) = test_keychain() {
        return std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(test_entry(&dir, db), key.to_hex()))
            .map_err(|e| KeychainError(e.to_string()));
    }
    entry(db)?
        .set_password(&key.to_hex())
        .map_err(|e| KeychainError(e.to_string()))
}

/// The test keychain's file for a named secret (the SMTP password).
fn test_secret(dir: &Path, account: &str) -> PathBuf {
    let name: String = account
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    dir.join(format!("{name}.secret"))
}

/// A secret RiskDesk keeps in the keychain besides the database key (the SMTP server's
/// password, under `account`); None when there is none.
pub fn load_secret(account: &str) -> Result<Option<String>, KeychainError> {
    if let Some(dir) = test_keychain() {
        return match std::fs::read_to_string(test_secret(&dir, account)) {
            Ok(s) => Ok(Some(s)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(KeychainError(e.to_string())),
        };
    }
    let entry = keyring::Entry::new(SERVICE, account).map_err(|e| KeychainError(e.to_string()))?;
    match entry.get_password() {
        Ok(s) => Ok(Some(s)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(KeychainError(e.to_string())),
    }
}

pub fn save_secret(account: &str, secret: &str) -> Result<(), KeychainError> {
    if let Some(dir) = test_keychain() {
        return std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(test_secret(&dir, account), secret))
            .map_err(|e| KeychainError(e.to_string()));
    }
    keyring::Entry::new(SERVICE, account)
        .and_then(|e| e.set_password(secret))
        .map_err(|e| KeychainError(e.to_string()))
}
