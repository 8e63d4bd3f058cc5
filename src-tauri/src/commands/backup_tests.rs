//! Backups from the window: written through the reading connection while the book stays
//! open, never over the book; restored with the window's connections closed and opened
//! again, with the book's key or the backup's own recovery key.

use std::path::Path;

use riskdesk_core::error::Code;
use riskdesk_core::store::{self, DbKey};

use super::backup::{back_up, restore_backup};
use super::lock_tests::demo_book;
use crate::error::{ApiError, Kind};
use crate::state::AppState;

fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    tauri::async_runtime::block_on(f)
}

fn customers(state: &AppState) -> i64 {
    block(state.with_read(|c, _| Ok(riskdesk_core::customer::count(c)?))).unwrap()
}

/// A customer more, written through the window's writing connection.
fn add_customer(state: &AppState) {
    block(state.with_db(|o| {
        riskdesk_core::test_support::customer(
            &mut o.conn,
            "Added After The Backup Ltd",
            "TWD",
            "TW",
        );
        Ok(())
    }))
    .unwrap();
}

/// A backup as the window's Back up… writes it, and records it.
fn backup(state: &AppState, dest: &Path) -> Result<std::path::PathBuf, ApiError> {
    block(back_up(state, dest.to_path_buf()))
}

fn restore(
    state: &AppState,
    file: &Path,
    recovery_key: Option<&str>,
    filed: &std::sync::Arc<std::sync::Mutex<Option<DbKey>>>,
) -> Result<super::backup::Restored, ApiError> {
    let file = file.to_path_buf();
    let recovery_key = recovery_key.map(str::to_string);
    let filed = std::sync::Arc::clone(filed);
    block(state.with_file_closed(move |slot, db| {
        restore_backup(slot, &db, &file, recovery_key.as_deref(), |_, key| {
            *filed.lock().unwrap() = Some(key.clone());
            Ok(())
        })
    }))
}

/// Back up, record more, restore: the book is the backup again, read and written through
/// the window's connections made afresh, and the book it replaced is kept beside it.
#[test]
fn a_backup_taken_in_the_window_is_restored_in_place_of_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let (state, book, _) = demo_book(dir.path());
    *state.open.lock().unwrap() = Some(book);
    let before = customers(&state);
    let file = dir.path().join("riskdesk-backup-2026-12-06.db");
    assert_eq!(backup(&state, &file).unwrap(), file);
    assert!(!dir
        .path()
        .join("riskdesk-backup-2026-12-06.db.partial")
        .exists());
    add_customer(&state);
    assert_eq!(customers(&state), before + 1);

    let filed = Default::default();
    let restored = restore(&state, &file, None, &filed).unwrap();
    assert_eq!(restored.customers, before);
    assert_eq!(
        customers(&state),
        before,
        "the reading connection sees the restored book"
    );
    assert!(
        filed.lock().unwrap().is_none(),
        "the same key: the keychain is left as it is"
    );
    let kept = restored.previous.expect("the replaced book is kept");
    assert!(kept.ends_with("demo.db.before-restore"), "{kept}");
    let key = block(state.with_db(|o| Ok(o.key.clone()))).unwrap();
    let old = store::open(Path::new(&kept), &key).unwrap();
    assert_eq!(riskdesk_core::customer::count(&old).unwrap(), before + 1);
    // The restored book takes writes, and the backup itself is untouched by them.
    add_customer(&state);
    assert_eq!(customers(&state), before + 1);
    let copy = store::open(&file, &key).unwrap();
    assert_eq!(riskdesk_core::customer::count(&copy).unwrap(), before);
}

/// A backup over an earlier one of the same name (the Save dialog asked) replaces it with a
/// whole copy; the book itself, its WAL, or a book a restore kept are never written over.
#[test]
fn a_backup_replaces_an_earlier_one_but_never_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let (state, book, _) = demo_book(dir.path());
    let key = book.key.clone();
    *state.open.lock().unwrap() = Some(book);
    let file = dir.path().join("weekly.db");
    backup(&state, &file).unwrap();
    add_customer(&state);
    backup(&state, &file).unwrap();
    let copy = store::open(&file, &key).unwrap();
    assert_eq!(
        riskdesk_core::customer::count(&copy).unwrap(),
        customers(&state)
    );
    let before = customers(&state);
    for name in ["demo.db", "demo.db-wal", "DEMO.DB", "Demo.db-shm"] {
        let e = backup(&state, &dir.path().join(name)).unwrap_err();
        assert_eq!(e.fields[0].code, Code::IsTheDatabase, "{name}");
        let e = restore(&state, &dir.path().join(name), None, &Default::default()).unwrap_err();
        assert_eq!(e.fields[0].code, Code::IsTheDatabase, "{name}");
    }
    assert_eq!(customers(&state), before);
}

/// A restore undone: the book a restore replaced (kept beside it) is itself a backup to
/// restore from, and is never written over by one.
#[test]
fn a_restore_is_undone_from_the_book_it_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (state, book, _) = demo_book(dir.path());
    *state.open.lock().unwrap() = Some(book);
    let file = dir.path().join("monday.db");
    backup(&state, &file).unwrap();
    add_customer(&state);
    let latest = customers(&state);
    let filed = Default::default();
    let kept = restore(&state, &file, None, &filed)
        .unwrap()
        .previous
        .unwrap();
    assert_eq!(customers(&state), latest - 1);
    let e = backup(&state, Path::new(&kept)).unwrap_err();
    assert_eq!(e.fields[0].code, Code::IsTheDatabase);

    let undone = restore(&state, Path::new(&kept), None, &filed).unwrap();
    assert_eq!(
        customers(&state),
        latest,
        "the book before the restore again"
    );
    assert!(undone
        .previous
        .unwrap()
        .ends_with("demo.db.before-restore.2"));
    assert!(Path::new(&kept).exists(), "restored from, not moved");
}

/// A backup of another database (another computer's) opens only with its recovery key:
/// without it, or with a wrong one, nothing is closed or replaced; with it, the book is
/// restored and its key filed in the keychain for the next start.
#[test]
fn a_backup_with_another_key_is_restored_with_its_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let (other_state, other_book, _) = demo_book(&other);
    let other_key = other_book.key.clone();
    *other_state.open.lock().unwrap() = Some(other_book);
    add_customer(&other_state);
    let file = dir.path().join("from-the-other-computer.db");
    backup(&other_state, &file).unwrap();
    let theirs = customers(&other_state);

    let (state, book, _) = demo_book(dir.path());
    let own_key = book.key.clone();
    *state.open.lock().unwrap() = Some(book);
    let ours = customers(&state);
    assert_ne!(ours, theirs);
    let filed = Default::default();
    let e = restore(&state, &file, None, &filed).unwrap_err();
    assert_eq!(e.code, Kind::Locked);
    let wrong = DbKey::generate().unwrap().to_recovery();
    let e = restore(&state, &file, Some(&wrong), &filed).unwrap_err();
    assert_eq!(e.code, Kind::Locked);
    let e = restore(&state, &file, Some("=1+1 <b>"), &filed).unwrap_err();
    assert_eq!(e.code, Kind::Validation);
    assert_eq!(customers(&state), ours, "still the book it was, open");
    assert!(!dir.path().join("demo.db.before-restore").exists());

    let restored = restore(&state, &file, Some(&other_key.to_recovery()), &filed).unwrap();
    assert_eq!(restored.customers, theirs);
    assert_eq!(customers(&state), theirs);
    assert_eq!(filed.lock().unwrap().as_ref(), Some(&other_key));
    let key = block(state.with_db(|o| Ok(o.key.clone()))).unwrap();
    assert_eq!(key, other_key);
    assert_ne!(key, own_key);
}

/// A file that is not a RiskDesk database, or is cut short, is refused with the book open
/// as it was.
#[test]
fn a_damaged_or_foreign_backup_is_refused_and_the_book_stays_open() {
    let dir = tempfile::tempdir().unwrap();
    let (state, book, _) = demo_book(dir.path());
    *state.open.lock().unwrap() = Some(book);
    let before = customers(&state);
    let good = dir.path().join("good.db");
    backup(&state, &good).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.path().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "=HYPERLINK(\"http://x\")\n<script>alert(1)</script>").unwrap();
    let plain = dir.path().join("plain.db");
    rusqlite::Connection::open(&plain)
        .unwrap()
        .execute_batch("CREATE TABLE t (x);")
        .unwrap();
    for file in [&cut, &text, &plain, &dir.path().join("missing.db")] {
        let e = restore(&state, file, None, &Default::default());
        assert!(e.is_err(), "{}", file.display());
        assert_eq!(customers(&state), before, "{}", file.display());
    }
    assert!(!dir.path().join("demo.db.before-restore").exists());
}

fn status(state: &AppState) -> riskdesk_core::store::backups::Status {
    block(state.with_read(|c, ctx| Ok(riskdesk_core::store::backups::status(c, ctx.now)?))).unwrap()
}

/// The dashboard's reminder: the demo book was never backed up; a backup from the window
/// is recorded in the book's trail and leaves no change outside a backup; a change counts;
/// a restore is a backup point too, recorded in the restored book.
#[test]
fn the_window_counts_the_changes_since_its_last_backup_or_restore() {
    use riskdesk_core::store::backups::Kind;
    let dir = tempfile::tempdir().unwrap();
    let (state, book, _) = demo_book(dir.path());
    *state.open.lock().unwrap() = Some(book);
    let s = status(&state);
    assert!(s.due && s.last.is_none() && s.changes_since > 100, "{s:?}");

    let file = dir.path().join("備份 2026-12-06.db");
    backup(&state, &file).unwrap();
    let s = status(&state);
    let last = s.last.clone().unwrap();
    assert_eq!(
        (last.kind, last.file),
        (Kind::Backup, file.display().to_string())
    );
    assert_eq!((s.changes_since, s.days_since, s.due), (0, Some(0), false));

    let rows = || block(state.with_read(|c, _| Ok(riskdesk_core::audit::count(c)?))).unwrap();
    let before = rows();
    add_customer(&state);
    let changes = rows() - before;
    assert!(changes > 0);
    assert_eq!(status(&state).changes_since, changes);
    // Not due on the day of the backup, whatever the changes.
    assert!(!status(&state).due);

    let restored = restore(&state, &file, None, &Default::default()).unwrap();
    let s = status(&state);
    assert_eq!(s.last.as_ref().map(|l| l.kind), Some(Kind::Restore));
    assert_eq!(s.changes_since, 0);
    // The backup held everything before its own record; the restore's record follows.
    let trail = block(state.with_read(|c, _| {
        Ok((
            riskdesk_core::audit::for_entity(c, "book", 1)?,
            riskdesk_core::audit::verify(c)?.is_intact(),
        ))
    }))
    .unwrap();
    assert_eq!(trail.0.len(), 1);
    assert_eq!(trail.0[0].action, "restore");
    assert!(trail.1, "the restored book's trail is intact");
    // The book the restore replaced keeps its own backup record.
    let key = block(state.with_db(|o| Ok(o.key.clone()))).unwrap();
    let kept = store::open(Path::new(&restored.previous.unwrap()), &key).unwrap();
    let s = riskdesk_core::store::backups::status(&kept, chrono::Utc::now()).unwrap();
    assert_eq!(
        (s.last.map(|l| l.kind), s.changes_since),
        (Some(Kind::Backup), changes)
    );
}

/// A backup beside the book is on its disk (the window then says to copy it elsewhere);
/// one on another file system is not; a file that is not there is claimed on none.
#[test]
fn a_backup_beside_the_book_is_said_to_be_on_the_same_disk() {
    use super::backup::same_disk;
    let dir = tempfile::tempdir().unwrap();
    let (book, copy) = (dir.path().join("riskdesk.db"), dir.path().join("copy.db"));
    std::fs::write(&book, b"book").unwrap();
    std::fs::write(&copy, b"copy").unwrap();
    assert!(same_disk(&book, &copy));
    assert!(!same_disk(&book, &dir.path().join("missing.db")));
    // Memory (tmpfs) is another file system than the temporary folder's disk, where it is.
    #[cfg(target_os = "linux")]
    if let Ok(elsewhere) = tempfile::tempdir_in("/dev/shm") {
        use std::os::unix::fs::MetadataExt;
        let other = elsewhere.path().join("usb.db");
        std::fs::write(&other, b"copy").unwrap();
        let devices = |p: &Path| std::fs::metadata(p).unwrap().dev();
        assert_eq!(same_disk(&book, &other), devices(&book) == devices(&other));
        assert_ne!(
            devices(&book),
            devices(&other),
            "/dev/shm is its own file system here"
        );
    }
}
