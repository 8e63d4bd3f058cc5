//! The book's own files: the database, its write-ahead log and shared memory, and the files
//! kept beside it (a database a restore replaced). No document, export or backup is written
//! over one, and no dialog hands one on to be read: in this process, a descriptor of the
//! database opened and closed by anything but SQLite drops the locks SQLite holds on it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Which files beside the database count as the book's.
#[derive(Clone, Copy, PartialEq)]
pub enum Keep {
    /// The database, its WAL, shared memory and rollback journal (a restore may come from a
    /// database a restore replaced).
    Live,
    /// Those, and every file named as the database followed by more (a database a restore
    /// replaced, `.before-restore`).
    All,
}

/// Whether `file` is one of the files of the book at `db`. Names are compared without
/// case, as Windows and macOS compare them (`RISKDESK.DB` is the database there).
pub fn is_book_file(db: &Path, file: &Path, keep: Keep) -> bool {
    let lower = |p: &Path| {
        crate::keystore::absolute(p)
            .to_string_lossy()
            .to_lowercase()
    };
    let (db_text, file_text) = (lower(db), lower(file));
    file_text
        .strip_prefix(&db_text)
        .is_some_and(|rest| match keep {
            Keep::Live => ["", "-wal", "-shm", "-journal"].contains(&rest),
            Keep::All => !rest.contains(['/', '\\']),
        })
}

/// The books this process works on (the window's, a command's).
static BOOKS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Counts `db` among the books this process works on: [`book_of`] then finds its files.
pub fn guard(db: &Path) {
    let mut books = BOOKS.lock().unwrap_or_else(|p| p.into_inner());
    if !books.iter().any(|b| b == db) {
        books.push(db.to_path_buf());
    }
}

/// The book of this process that `file` is a file of, if any.
pub fn book_of(file: &Path) -> Option<PathBuf> {
    let books = BOOKS.lock().unwrap_or_else(|p| p.into_inner());
    books
        .iter()
        .find(|db| is_book_file(db, file, Keep::All))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_book_files_are_told_apart_by_name_in_any_case() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("RiskDesk.db");
        for name in [
            "RiskDesk.db",
            "riskdesk.DB-wal",
            "RISKDESK.db-shm",
            "riskdesk.db-journal",
        ] {
            assert!(
                is_book_file(&db, &dir.path().join(name), Keep::Live),
                "{name}"
            );
        }
        let kept = dir.path().join("riskdesk.db.before-restore.2");
        assert!(!is_book_file(&db, &kept, Keep::Live));
        assert!(is_book_file(&db, &kept, Keep::All));
        for name in ["riskdesk.pdf", "backup riskdesk.db", "riskdesk.d"] {
            assert!(
                !is_book_file(&db, &dir.path().join(name), Keep::All),
                "{name}"
            );
        }
        // A file in a folder named like the book is not the book's.
        assert!(!is_book_file(
            &db,
            &dir.path().join("riskdesk.db-files/a.pdf"),
            Keep::All
        ));

        assert_eq!(book_of(&dir.path().join("riskdesk.db-wal")), None);
        guard(&db);
        assert_eq!(
            book_of(&dir.path().join("riskdesk.db-wal")),
            Some(db.clone())
        );
        assert_eq!(book_of(&dir.path().join("letter.pdf")), None);
    }
}
