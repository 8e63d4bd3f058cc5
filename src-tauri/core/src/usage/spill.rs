//! The usage import's spilled lines: each spill is a run of lines in key order, packed
//! into blocks of about 64 KiB, each block one row of a scratch database of the import's
//! own ([`Scratch`]). Writing a run appends a few rows; reading it back decodes them in
//! order. A line's bytes:
//! tenant u32 · raw date i64 · meter u32 · billed u8 · currency (3 ASCII letters) ·
//! quantity and cost (16 bytes each, `Decimal::serialize`) · subscription id (u16 length,
//! then its UTF-8), integers little-endian.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rusqlite::{params, Connection};
use rust_decimal::Decimal;

use super::days::Sums;
use crate::money::Currency;
use crate::store::DbKey;
use crate::{Error, Result};

/// Where an import keeps its runs: a database file beside the book, encrypted like it but
/// with a key made for this import and held only in memory, without a journal (nothing in
/// it outlives the import), and deleted when the import ends. Kept out of the book, the
/// runs cost the book's journal nothing and need no clearing: a million lines spilled into
/// the book used to cost half a second to delete again, and their pages went through the
/// write-ahead log and into the book a second time.
pub(crate) struct Scratch {
    conn: Connection,
    /// Declared after `conn`, so dropped after it: the file is removed once closed.
    _file: ScratchFile,
}

/// The scratch database's file, removed when dropped (None: in memory).
struct ScratchFile(Option<PathBuf>);

impl Drop for ScratchFile {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Scratch {
    /// A new scratch database beside `book`'s file (in memory when the book has none).
    pub fn beside(book: &Connection) -> Result<Scratch> {
        static MADE: AtomicU64 = AtomicU64::new(0);
        let path = book.path().filter(|p| !p.is_empty()).map(|p| {
            remove_leftovers(Path::new(p), LEFTOVER_AGE);
            let n = MADE.fetch_add(1, Ordering::Relaxed);
            PathBuf::from(format!("{p}{SCRATCH}{}-{n}", std::process::id()))
        });
        let file = ScratchFile(path);
        let conn = match &file.0 {
            Some(path) => {
                // A leftover of a process that stopped with this number cannot be read
                // (its key is gone): start afresh.
                let _ = std::fs::remove_file(path);
                Connection::open(path)?
            }
            None => Connection::open_in_memory()?,
        };
        let key = DbKey::generate()?;
        conn.execute_batch(&format!(
            "PRAGMA key = \"x'{}'\";
             PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA cache_size = -2048;
             CREATE TABLE spill (data BLOB NOT NULL);",
            key.to_hex()
        ))?;
        Ok(Scratch { conn, _file: file })
    }
}

/// What a scratch file's name adds to the book's: then the process and a number.
const SCRATCH: &str = "-usage-scratch-";

/// A scratch file not written for this long is a leftover of an import that stopped (the
/// process was killed, the machine lost power): no import runs for an hour, and one that
/// runs writes its file as it goes.
const LEFTOVER_AGE: Duration = Duration::from_secs(3600);

/// Deletes the scratch files beside `book` not written for `age` (unreadable anyway: their
/// keys died with their imports). Best effort: a file that cannot be removed stays.
fn remove_leftovers(book: &Path, age: Duration) {
    let (Some(dir), Some(name)) = (book.parent(), book.file_name()) else {
        return;
    };
    let prefix = format!("{}{SCRATCH}", name.to_string_lossy());
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|idle| idle >= age);
        if stale && entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// How large a block grows before it is written.
const BLOCK: usize = 64 * 1024;

/// One spilled line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spilled {
    pub tenant: u32,
    pub subscription: String,
    pub raw: i64,
    pub meter: u32,
    pub currency: Currency,
    pub billed: bool,
    pub sums: Sums,
}

impl Spilled {
    /// The order of a run: tenant, subscription, day, meter.
    pub fn key(&self) -> (u32, &str, i64, u32) {
        (self.tenant, &self.subscription, self.raw, self.meter)
    }
}

/// Writes one run; `finish` gives its rows (first and last rowid).
pub(crate) struct RunWriter<'t> {
    scratch: &'t Scratch,
    block: Vec<u8>,
    rows: Option<(i64, i64)>,
}

impl<'t> RunWriter<'t> {
    pub fn new(scratch: &'t Scratch) -> Self {
        RunWriter {
            scratch,
            block: Vec::with_capacity(BLOCK + 256),
            rows: None,
        }
    }

    /// Adds a line; lines must come in key order.
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        tenant: u32,
        subscription: &str,
        raw: i64,
        meter: u32,
        currency: Currency,
        billed: bool,
        sums: &Sums,
    ) -> Result<()> {
        let b = &mut self.block;
        b.extend(tenant.to_le_bytes());
        b.extend(raw.to_le_bytes());
        b.extend(meter.to_le_bytes());
        b.push(billed as u8);
        b.extend(currency.code().as_bytes());
        b.extend(sums.quantity.serialize());
        b.extend(sums.cost.serialize());
        let id = subscription.as_bytes();
        let len = u16::try_from(id.len())
            .map_err(|_| Error::Invalid("a subscription id longer than 65535 bytes".into()))?;
        b.extend(len.to_le_bytes());
        b.extend(id);
        if b.len() >= BLOCK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.block.is_empty() {
            return Ok(());
        }
        let conn = &self.scratch.conn;
        conn.prepare_cached("INSERT INTO spill (data) VALUES (?1)")?
            .execute(params![&self.block[..]])?;
        let id = conn.last_insert_rowid();
        self.rows = Some((self.rows.map_or(id, |r| r.0), id));
        self.block.clear();
        Ok(())
    }

    /// Writes what is left; the run's rows (None: it had no lines).
    pub fn finish(mut self) -> Result<Option<(i64, i64)>> {
        self.flush()?;
        Ok(self.rows)
    }
}

/// Reads one run back, line by line.
pub(crate) struct RunReader {
    /// The run's rows not read yet.
    next_row: i64,
    last_row: i64,
    block: Vec<u8>,
    at: usize,
}

fn damaged() -> Error {
    Error::Invalid("usage import scratch: a damaged block".into())
}

impl RunReader {
    pub fn new((first, last): (i64, i64)) -> Self {
        RunReader {
            next_row: first,
            last_row: last,
            block: Vec::new(),
            at: 0,
        }
    }

    /// The next line of the run (None at its end).
    pub fn next(&mut self, scratch: &Scratch) -> Result<Option<Spilled>> {
        while self.at >= self.block.len() {
            if self.next_row > self.last_row {
                return Ok(None);
            }
            self.block = scratch
                .conn
                .prepare_cached("SELECT data FROM spill WHERE rowid = ?1")?
                .query_row([self.next_row], |r| r.get(0))?;
            self.next_row += 1;
            self.at = 0;
        }
        let mut take = |n: usize| -> Result<&[u8]> {
            let bytes = self.block.get(self.at..self.at + n).ok_or_else(damaged)?;
            self.at += n;
            Ok(bytes)
        };
        let tenant = u32::from_le_bytes(take(4)?.try_into().map_err(|_| damaged())?);
        let raw = i64::from_le_bytes(take(8)?.try_into().map_err(|_| damaged())?);
        let meter = u32::from_le_bytes(take(4)?.try_into().map_err(|_| damaged())?);
        let billed = take(1)?[0] == 1;
        let currency = std::str::from_utf8(take(3)?)
            .ok()
            .and_then(Currency::parse)
            .ok_or_else(damaged)?;
        let decimal = |b: &[u8]| -> Result<Decimal> {
            Ok(Decimal::deserialize(b.try_into().map_err(|_| damaged())?))
        };
        let quantity = decimal(take(16)?)?;
        let cost = decimal(take(16)?)?;
        let len = u16::from_le_bytes(take(2)?.try_into().map_err(|_| damaged())?) as usize;
        let subscription = String::from_utf8(take(len)?.to_vec()).map_err(|_| damaged())?;
        Ok(Some(Spilled {
            tenant,
            subscription,
            raw,
            meter,
            currency,
            billed,
            sums: Sums { quantity, cost },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn a_run_reads_back_line_for_line_across_blocks() {
        let (_dir, conn) = crate::test_support::book();
        let scratch = Scratch::beside(&conn).unwrap();
        let lines: Vec<Spilled> = (0..5_000u32)
            .map(|i| Spilled {
                tenant: i / 100,
                subscription: format!("訂閱-{i:08}-{}", "x".repeat((i % 50) as usize)),
                raw: i64::from(i) * 7 - 1_000,
                meter: i % 13,
                currency: if i % 2 == 0 {
                    Currency::parse("TWD").unwrap()
                } else {
                    Currency::parse("USD").unwrap()
                },
                billed: i % 3 == 0,
                sums: Sums {
                    quantity: Decimal::from_str("0.000001").unwrap() * Decimal::from(i),
                    cost: Decimal::from_str("-79228162514264337593543950335").unwrap()
                        / Decimal::from(i + 1),
                },
            })
            .collect();
        let mut w = RunWriter::new(&scratch);
        for l in &lines {
            w.push(
                l.tenant,
                &l.subscription,
                l.raw,
                l.meter,
                l.currency,
                l.billed,
                &l.sums,
            )
            .unwrap();
        }
        let rows = w.finish().unwrap().expect("written");
        assert!(rows.1 > rows.0, "more than one block: {rows:?}");
        let mut r = RunReader::new(rows);
        let mut back = Vec::new();
        while let Some(l) = r.next(&scratch).unwrap() {
            back.push(l);
        }
        assert_eq!(back, lines);
        assert_eq!(
            RunWriter::new(&scratch).finish().unwrap(),
            None,
            "an empty run writes nothing"
        );
    }

    #[test]
    fn a_damaged_block_is_an_error_not_a_panic() {
        let scratch = Scratch::beside(&Connection::open_in_memory().unwrap()).unwrap();
        for data in [&b"\x01\x02"[..], &[0xff; 40][..]] {
            scratch
                .conn
                .execute("INSERT INTO spill (data) VALUES (?1)", [data])
                .unwrap();
            let id = scratch.conn.last_insert_rowid();
            assert!(RunReader::new((id, id)).next(&scratch).is_err());
        }
    }

    #[test]
    fn a_leftover_scratch_file_an_hour_old_is_removed_and_a_live_one_is_not() {
        let (dir, conn) = crate::test_support::book();
        let book = dir.path().join("r.db");
        let name = |rest: &str| dir.path().join(format!("r.db{SCRATCH}{rest}"));
        let (old, live, other) = (name("1-0"), name("2-0"), dir.path().join("notes.txt"));
        let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
        for f in [&old, &live, &other] {
            std::fs::write(f, b"x").unwrap();
        }
        for f in [&old, &other] {
            std::fs::File::options()
                .write(true)
                .open(f)
                .unwrap()
                .set_modified(two_hours_ago)
                .unwrap();
        }
        let scratch = Scratch::beside(&conn).unwrap();
        assert!(!old.exists(), "an import's leftover goes");
        assert!(live.exists(), "a scratch file in use stays");
        assert!(other.exists(), "only scratch files are touched");
        assert!(book.exists());
        drop(scratch);
        remove_leftovers(&book, Duration::ZERO);
        assert!(!live.exists());
        assert!(other.exists() && book.exists());
    }

    #[test]
    fn the_scratch_file_is_encrypted_beside_the_book_and_gone_when_done() {
        let (dir, conn) = crate::test_support::book();
        let listed = || -> Vec<std::path::PathBuf> {
            std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.to_string_lossy().contains("-usage-scratch-"))
                .collect()
        };
        let scratch = Scratch::beside(&conn).unwrap();
        let second = Scratch::beside(&conn).unwrap();
        let mut w = RunWriter::new(&scratch);
        let secret = "a3f1c0de-5ec2-4e7a-9b1e-0123456789ab";
        for i in 0..2_000 {
            let sums = Sums {
                quantity: Decimal::from(i),
                cost: Decimal::from(i),
            };
            w.push(
                7,
                secret,
                1,
                2,
                Currency::parse("TWD").unwrap(),
                true,
                &sums,
            )
            .unwrap();
        }
        w.finish().unwrap().expect("written");
        let files = listed();
        assert_eq!(files.len(), 2, "one file per import: {files:?}");
        let on_disk: Vec<u8> = files
            .iter()
            .flat_map(|f| std::fs::read(f).unwrap())
            .collect();
        assert!(on_disk.len() > 100_000, "the run is on disk, not in memory");
        assert!(
            !on_disk
                .windows(secret.len())
                .any(|w| w == secret.as_bytes()),
            "no line readable in the file"
        );
        assert!(!on_disk.starts_with(b"SQLite format 3"));
        drop(scratch);
        assert_eq!(listed().len(), 1, "the first import's file is gone");
        drop(second);
        assert!(listed().is_empty());
    }
}
