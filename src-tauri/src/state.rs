//! The window's state: the database path and, once opened, its connection, with a second
//! one that only reads (pages that read answer while a write holds the first). Store work
//! runs on the blocking thread pool, never on the UI thread; the data derived from the
//! records (scores, tenant links) follows a write in a background step of its own.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use riskdesk_core::derive::{self, Derived};
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::Ctx;
use rusqlite::Connection;
use serde::Serialize;

use crate::error::{ApiError, Kind};
use crate::host::Host;

pub struct Open {
    pub conn: Connection,
    pub key: DbKey,
}

impl Open {
    /// Runs `f` in a write transaction of its own (begun immediately), committed when `f`
    /// succeeds: for a small write that changes no score (a setting, a backup's record).
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(riskdesk_core::Error::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(riskdesk_core::Error::from)?;
        Ok(out)
    }
}

pub struct AppState {
    pub db_path: PathBuf,
    /// Where letters, statements and policies are written.
    pub documents: PathBuf,
    pub open: Arc<Mutex<Option<Open>>>,
    /// A second connection, for reading only, with the [`Self::opened`] count it was made
    /// at: a read answers while a write or the derive step holds `open`.
    reader: Arc<Mutex<Option<(u64, Connection)>>>,
    /// How many times the slot has been opened, and the key it was last opened with: a
    /// reader from an earlier count is made again, without waiting for `open`.
    opened: Arc<AtomicU64>,
    opened_key: Arc<Mutex<Option<DbKey>>>,
    pub derived: Arc<Background>,
    /// The bank statements chosen in the open dialog (one or several), waiting for their
    /// import (the window never holds their paths).
    pub statement_files: Mutex<Vec<PathBuf>>,
    /// The backup chosen in the open dialog, waiting for its restore (likewise).
    pub backup_file: Mutex<Option<PathBuf>>,
}

/// Where the derived data stands: shown on the dashboard and sent to the window (the
/// `derived-changed` event) each time a step ends.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DerivedStatus {
    /// When the last step ended (UTC), and what it changed.
    pub finished_at: Option<String>,
    pub last: Derived,
    /// Why the last step failed, when it did (the writes before it are kept).
    pub error: Option<String>,
}

/// Which derive step: after a write, or on opening a book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    AfterWrite,
    Open,
}

type Notify = Box<dyn Fn(&DerivedStatus) + Send + Sync>;

/// The background derive step's state.
#[derive(Default)]
pub struct Background {
    /// A step is waiting for the database: a later write needs no step of its own.
    pending: AtomicBool,
    status: Mutex<DerivedStatus>,
    notify: OnceLock<Notify>,
}

impl Background {
    pub fn status(&self) -> DerivedStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Who is told when a step ends (the window, once it is built).
    pub fn on_change(&self, f: impl Fn(&DerivedStatus) + Send + Sync + 'static) {
        let _ = self.notify.set(Box::new(f));
    }

    fn finish(&self, now: String, result: Result<Derived, String>) {
        let status = {
            let mut s = self.status.lock().unwrap_or_else(|p| p.into_inner());
            s.finished_at = Some(now);
            match result {
                Ok(d) => {
                    s.last = d;
                    s.error = None;
                }
                Err(e) => {
                    eprintln!("riskdesk: the scores could not be brought up to date: {e}");
                    s.error = Some(e);
                }
            }
            s.clone()
        };
        if let Some(f) = self.notify.get() {
            f(&status);
        }
    }
}

impl AppState {
    pub fn new(db_path: PathBuf, documents: PathBuf) -> Self {
        crate::book_files::guard(&db_path);
        AppState {
            db_path,
            documents,
            open: Arc::new(Mutex::new(None)),
            reader: Arc::new(Mutex::new(None)),
            opened: Arc::new(AtomicU64::new(0)),
            opened_key: Arc::new(Mutex::new(None)),
            derived: Arc::new(Background::default()),
            statement_files: Mutex::new(Vec::new()),
            backup_file: Mutex::new(None),
        }
    }

    /// Runs a derive step in the background, once the database is free: a failure is
    /// logged and kept in [`DerivedStatus`], and never touches what was written. After a
    /// write, a step already waiting covers it.
    pub fn derive_later(&self, step: Step) -> tauri::async_runtime::JoinHandle<()> {
        let bg = Arc::clone(&self.derived);
        let open = Arc::clone(&self.open);
        let waiting = step == Step::AfterWrite && bg.pending.swap(true, Ordering::SeqCst);
        tauri::async_runtime::spawn_blocking(move || {
            if waiting {
                return;
            }
            let mut guard = open.lock().unwrap_or_else(|p| p.into_inner());
            if step == Step::AfterWrite {
                bg.pending.store(false, Ordering::SeqCst);
            }
            let Some(o) = guard.as_mut() else { return };
            let ctx = crate::session::ctx();
            let result = caught(|| {
                let d = match step {
                    Step::AfterWrite => derive::after_write(&mut o.conn, &ctx),
                    Step::Open => derive::on_open(&mut o.conn, &ctx),
                };
                d.map_err(ApiError::from)
            });
            drop(guard);
            bg.finish(ctx.now_text(), result.map_err(|e| e.message));
        })
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

    /// Runs `f` on a blocking thread with the reading connection (made the first time, from
    /// the open database's key) and the session's context. It does not wait for a write:
    /// it sees what was last committed. Never give it a write (the connection refuses one).
    pub async fn with_read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, Ctx) -> Result<T, ApiError> + Send + 'static,
    {
        let reader = Arc::clone(&self.reader);
        let open = Arc::clone(&self.open);
        let opened = Arc::clone(&self.opened);
        let opened_key = Arc::clone(&self.opened_key);
        let path = self.db_path.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = reader.lock().unwrap_or_else(|p| p.into_inner());
            let count = opened.load(Ordering::SeqCst);
            if !matches!(&*guard, Some((made, _)) if *made == count) {
                *guard = None;
                // The key the book was opened with (or, for a book put in the slot without
                // opening it here, as tests do, its key from the slot).
                let kept = opened_key.lock().unwrap_or_else(|p| p.into_inner()).clone();
                let key = match kept {
                    Some(key) => key,
                    None => {
                        let slot = open.lock().unwrap_or_else(|p| p.into_inner());
                        match slot.as_ref() {
                            Some(o) => o.key.clone(),
                            None => {
                                return Err(ApiError::new(Kind::Locked, "the database is not open"))
                            }
                        }
                    }
                };
                *guard = Some((count, store::open_reader(&path, &key)?));
            }
            let (_, conn) = guard.as_ref().expect("made above");
            caught(|| f(conn, crate::session::ctx()))
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
        let (out, changed) = self
            .with_db(move |o| {
                let mut host = Host::new(&mut o.conn, &documents, crate::session::ctx());
                let out = f(&mut host);
                Ok((out, host.changed))
            })
            .await?;
        if changed {
            self.derive_later(Step::AfterWrite);
        }
        out
    }

    /// Runs `f` with the slot itself (to open or create the database) on a blocking thread.
    pub async fn with_slot<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Option<Open>, PathBuf) -> Result<T, ApiError> + Send + 'static,
    {
        self.slot_task(false, f).await
    }

    /// Runs `f` with the slot while the window has no connection open on the database file
    /// (the reading one is closed; `f` may take the other out of the slot), to replace the
    /// file itself (a restore). A book in the slot after `f` succeeds counts as opened
    /// afresh: the reading connection is made again with its key, and its scores brought up
    /// to date.
    pub async fn with_file_closed<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Option<Open>, PathBuf) -> Result<T, ApiError> + Send + 'static,
    {
        self.slot_task(true, f).await
    }

    /// Closes the window's two connections and opens the book again with its key, so this
    /// process holds its file locks afresh; nothing when no book is open.
    ///
    /// On Linux and macOS a lock on a file is the process's, and closing any descriptor of
    /// that file drops all of them. A file dialog runs in this process, and GTK's reads the
    /// first bytes of every file in the folder it shows to tell their types: shown the
    /// book's folder, it opens and closes the database, its WAL and shared memory. The
    /// command line would then take the book for unused when it closes, and delete the WAL
    /// the window still reads and writes. Called after every dialog.
    pub async fn hold_locks_again(&self) -> Result<(), ApiError> {
        let reader = Arc::clone(&self.reader);
        let open = Arc::clone(&self.open);
        let path = self.db_path.clone();
        tauri::async_runtime::spawn_blocking(move || {
            // The reading connection's lock first, the order `with_read` takes them in; it
            // is made again at the next read.
            let mut read_guard = reader.lock().unwrap_or_else(|p| p.into_inner());
            let mut guard = open.lock().unwrap_or_else(|p| p.into_inner());
            *read_guard = None;
            let Some(key) = guard.take().map(|o| o.key) else {
                return Ok(());
            };
            // The last connection closed: SQLite takes the file for itself and writes the
            // WAL back into the database, as at any close. Then the book is opened again.
            let conn = caught(|| Ok(store::reopen(&path, &key)?))?;
            *guard = Some(Open { conn, key });
            Ok(())
        })
        .await
        .map_err(|e| ApiError::new(Kind::Internal, format!("background task failed: {e}")))?
    }

    /// [`Self::with_slot`], or with the reading connection closed first
    /// ([`Self::with_file_closed`]).
    async fn slot_task<T, F>(&self, close_file: bool, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Option<Open>, PathBuf) -> Result<T, ApiError> + Send + 'static,
    {
        let reader = Arc::clone(&self.reader);
        let open = Arc::clone(&self.open);
        let self_opened = Arc::clone(&self.opened);
        let self_key = Arc::clone(&self.opened_key);
        let path = self.db_path.clone();
        let (out, opened) = tauri::async_runtime::spawn_blocking(move || {
            // The reading connection's lock first, the order `with_read` takes them in.
            let mut read_guard =
                close_file.then(|| reader.lock().unwrap_or_else(|p| p.into_inner()));
            let mut guard = open.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(r) = read_guard.as_mut() {
                **r = None;
            }
            let was_open = guard.is_some();
            let out = caught(|| f(&mut guard, path));
            let opened = guard.is_some() && if close_file { out.is_ok() } else { !was_open };
            if opened {
                *self_key.lock().unwrap_or_else(|p| p.into_inner()) =
                    guard.as_ref().map(|o| o.key.clone());
                self_opened.fetch_add(1, Ordering::SeqCst);
            }
            (out, opened)
        })
        .await
        .map_err(|e| ApiError::new(Kind::Internal, format!("background task failed: {e}")))?;
        // A book just opened: the scores and alerts of the day, in the background.
        if opened {
            self.derive_later(Step::Open);
        }
        out
    }
}

/// Runs `f` on the blocking pool without the database (rendering, writing files, talking to
/// a mail server), a panic turned into an error.
pub async fn without_db<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tauri::async_runtime::spawn_blocking(move || caught(f))
        .await
        .map_err(|e| ApiError::new(Kind::Internal, format!("background task failed: {e}")))?
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

    /// A write in the window commits at once; the derived step runs after it in the
    /// background, and its failure is kept for the dashboard and told to the window,
    /// never undoing the write.
    #[test]
    fn the_derive_step_follows_a_write_and_its_failure_is_kept_not_undone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let key = riskdesk_core::store::DbKey::generate().unwrap();
        let conn = riskdesk_core::store::create(&path, &key).unwrap();
        let state = AppState::new(path, dir.path().join("docs"));
        *state.open.lock().unwrap() = Some(Open { conn, key });
        let told = Arc::new(Mutex::new(Vec::new()));
        let t2 = Arc::clone(&told);
        state
            .derived
            .on_change(move |s| t2.lock().unwrap().push(s.error.clone()));
        let write = |key: &'static str| {
            move |h: &mut Host| {
                h.tx(|tx, ctx| riskdesk_core::store::settings::set(tx, ctx, key, "5"))
            }
        };
        tauri::async_runtime::block_on(state.with_host(write("risk.weight.overdue"))).unwrap();
        tauri::async_runtime::block_on(state.derive_later(Step::Open)).unwrap();
        assert_eq!(state.derived.status().error, None);
        // A damaged stored setting: the next write is kept, the step after it fails.
        tauri::async_runtime::block_on(state.with_db(|o| {
            o.conn
                .execute(
                    "INSERT INTO settings (key, value, updated_at) VALUES ('risk.weight.nonsense', '1', '2026-01-01T00:00:00Z')",
                    [],
                )
                .map_err(riskdesk_core::Error::from)?;
            Ok(())
        }))
        .unwrap();
        tauri::async_runtime::block_on(state.with_host(write("usage.gpu_sustained_hours")))
            .unwrap();
        tauri::async_runtime::block_on(state.derive_later(Step::Open)).unwrap();
        let error = state.derived.status().error.expect("the failure is kept");
        assert!(error.contains("nonsense"), "{error}");
        assert!(told.lock().unwrap().iter().any(|e| e.is_some()));
        let kept: String = tauri::async_runtime::block_on(state.with_db(|o| {
            Ok(
                riskdesk_core::store::settings::get(&o.conn, "usage.gpu_sustained_hours")?
                    .unwrap_or_default(),
            )
        }))
        .unwrap();
        assert_eq!(kept, "5");
    }
}
