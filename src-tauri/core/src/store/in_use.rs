//! Whether another process has a book open: SQLite's connections each hold a shared lock
//! on the database file's lock bytes for as long as they are open (write-ahead-log mode), so
//! a lock there held by another process is a connection open on it.
//!
//! Only asked while this process has no connection to the book: opening and closing the file
//! here would drop this process's own locks on it (POSIX locks belong to the process).

use std::path::Path;

use crate::Result;

/// SQLite's lock bytes: the pending byte at 1 GiB, the reserved byte, then 510 shared bytes.
#[cfg(unix)]
const LOCK_BYTES: (i64, i64) = (0x4000_0000, 512);

/// True when a process other than this one holds a lock on the book at `db` (a connection
/// open on it). False when there is no file. On Windows an open file cannot be moved
/// anyway: the rename that follows fails and the restore puts everything back.
pub fn open_elsewhere(db: &Path) -> Result<bool> {
    if !db.exists() {
        return Ok(false);
    }
    probe(db)
}

#[cfg(unix)]
fn probe(db: &Path) -> Result<bool> {
    use std::os::unix::io::AsRawFd;
    let file = std::fs::OpenOptions::new().read(true).open(db)?;
    // SAFETY: `flock` is a plain C struct for which all zeroes is a valid value; the fields
    // the call reads are set below.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as _;
    lock.l_whence = libc::SEEK_SET as _;
    lock.l_start = LOCK_BYTES.0 as _;
    lock.l_len = LOCK_BYTES.1 as _;
    // SAFETY: the descriptor is open for the call's length, and `lock` is a valid flock the
    // call writes the first conflicting lock into (or F_UNLCK when there is none).
    let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut lock) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok(i32::from(lock.l_type) != libc::F_UNLCK)
}

#[cfg(not(unix))]
fn probe(_db: &Path) -> Result<bool> {
    Ok(false)
}
