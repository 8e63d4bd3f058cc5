//! The window's state: the database path and, once opened, its connection. Store work
//! runs on the blocking thread pool, never on the UI thread.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use riskdesk_core::store::DbKey;
use rusqlite::Connection;

use crate::error::ApiError;

pub struct Open {
    pub conn: Connection,
    pub key: DbKey,
}

pub struct AppState {
    pub db_path: PathBuf,
    /// Where letters, statements and policies are written.
    pub documents: PathBuf,
    pub open: Arc<Mutex<Option<Open>>>,
}

impl AppState {
    pub fn new(db_path: PathBuf, documents: PathBuf) -> Self {
        AppState {
            db_path,
            documents,
            open: Arc::new(Mutex::new(None)),
        }
    }

    /// Runs `f` with the open database on a blocking thread.
    pub async fn with_db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Open) -> Result<T, ApiError> + Send + 'static,
    {
        let open = Arc::clone(&self.open);
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = open
                .lock()
                .map_err(|_| ApiError::new("internal", "the database lock was poisoned"))?;
            match guard.as_mut() {
                Some(o) => f(o),
                None => Err(ApiError::new("locked", "the database is not open")),
            }
        })
        .await
        .map_err(|e| ApiError::new("internal", format!("background task failed: {e}")))?
    }

    /// Runs `f` with the slot itself (to open or create the database) on a blocking thread.
    pub async fn with_slot<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Option<Open>, PathBuf) -> Result<T, ApiError> + Send + 'static,
    {
        let open = Arc::clone(&self.open);
        let path = self.db_path.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = open
                .lock()
                .map_err(|_| ApiError::new("internal", "the database lock was poisoned"))?;
            f(&mut guard, path)
        })
        .await
        .map_err(|e| ApiError::new("internal", format!("background task failed: {e}")))?
    }
}
