//! The window's state: the database path and, once opened, its connection. Store work
//! runs on the blocking thread pool, never on the UI thread.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use riskdesk_core::store::DbKey;
use rusqlite::Connection;

use crate::error::{ApiError, Kind};
use crate::host::Host;

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
            // A panic in one command must not break the next: take the lock even when an
            // earlier command panicked while holding it (its transaction was rolled back
            // when it unwound), and turn this command's panic into an error.
            let mut guard = open.lock().unwrap_or_else(|p| p.into_inner());
            match guard.as_mut() {
                Some(o) => caught(|| f(o)),
                None => Err(ApiError::new(Kind::Locked, "the database is not open")),
            }
        })
        .await
        .map_err(|e| ApiError::new(Kind::Internal, format!("background task failed: {e}")))?
    }

    /// Runs `f` with a [`Host`] over the open database on a blocking thread.
    pub async fn with_host<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Host) -> Result<T, ApiError> + Send + 'static,
    {
        let documents = self.documents.clone();
        self.with_db(move |o| {
            let mut host = Host {
                conn: &mut o.conn,
                documents: &documents,
                ctx: crate::session::ctx(),
            };
            f(&mut host)
        })
        .await
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
            let mut guard = open.lock().unwrap_or_else(|p| p.into_inner());
            caught(|| f(&mut guard, path))
        })
        .await
        .map_err(|e| ApiError::new(Kind::Internal, format!("background task failed: {e}")))?
    }
}

/// Runs `f`, turning a panic into an error the window shows.
pub fn caught<T>(f: impl FnOnce() -> Result<T, ApiError>) -> Result<T, ApiError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ApiError::new(
            Kind::Internal,
            format!("RiskDesk hit an internal error and changed nothing: {what}"),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_lock_still_works() {
        let lock = Arc::new(Mutex::new(1));
        let l2 = Arc::clone(&lock);
        let r = caught(|| -> Result<(), ApiError> {
            let _g = l2.lock().unwrap();
            panic!("boom");
        });
        assert!(r.is_err());
        // A poisoned lock would fail here; the guard taken with into_inner works.
        let g = lock.lock().unwrap_or_else(|p| p.into_inner());
        assert_eq!(*g, 1);
    }

    #[test]
    fn a_command_that_panics_does_not_break_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        let key = riskdesk_core::store::DbKey::generate().unwrap();
        let conn = riskdesk_core::store::create(&path, &key).unwrap();
        let state = AppState::new(path, dir.path().join("docs"));
        *state.open.lock().unwrap() = Some(Open { conn, key });
        let r: Result<(), ApiError> = tauri::async_runtime::block_on(state.with_db(|o| {
            let _tx = o.conn.transaction().unwrap();
            panic!("a bug in a command");
        }));
        assert_eq!(r.unwrap_err().code.as_str(), "internal");
        let n: i64 = tauri::async_runtime::block_on(state.with_host(|h| {
            Ok(h.conn
                .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
                .map_err(riskdesk_core::Error::from)?)
        }))
        .unwrap();
        assert_eq!(n, 0);
    }
}
