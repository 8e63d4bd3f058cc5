//! The usage import's spilled lines: each spill is a run of lines in key order, packed
//! into blocks of about 64 KiB, each block one row of a scratch database of the import's
//! own ([`Scratch`]). Writing a run appends a few rows; reading it back decodes them in
//! order. A line's bytes, integers as LEB128 varints (signed ones zigzagged):
//! flags (1: billed, 2: the same tenant and subscription as the line before it in the
//! block, 4: a part of the cost is credited) · currency (3 ASCII letters) · then, unless flag 2, tenant and subscription id
//! (its length, then its UTF-8) · raw date · meter · quantity and cost, each its scale
//! (with 128 for negative) and then its mantissa's magnitude: exactly the decimal it was,
//! trailing zeros and sign of zero included; with flag 4, the credited part the same way. Lines of one day of one subscription follow
//! each other in a run, so most lines carry only their meter and figures: about 20 bytes
//! instead of 90.

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

/// The scratch files in `dir` (for tests: which are left).
#[cfg(test)]
pub(crate) fn scratch_files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(SCRATCH))
        .collect()
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
    /// The tenant and subscription of the block's last line.
    last: Option<(u32, String)>,
    block: Vec<u8>,
    rows: Option<(i64, i64)>,
}

impl<'t> RunWriter<'t> {
    pub fn new(scratch: &'t Scratch) -> Self {
        RunWriter {
            scratch,
            last: None,
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
        let same = self
            .last
            .as_ref()
            .is_some_and(|(t, s)| *t == tenant && s == subscription);
        let b = &mut self.block;
        let credited = !sums.credited.is_zero();
        b.push(
            u8::from(billed) | if same { SAME } else { 0 } | if credited { CREDITED } else { 0 },
        );
        b.extend(currency.code().as_bytes());
        if !same {
            put(b, u128::from(tenant));
            put(b, subscription.len() as u128);
            b.extend(subscription.as_bytes());
            self.last = Some((tenant, subscription.to_string()));
        }
        put(b, u128::from(zigzag(raw)));
        put(b, u128::from(meter));
        put_decimal(b, sums.quantity);
        put_decimal(b, sums.cost);
        if credited {
            put_decimal(b, sums.credited);
        }
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
        self.last = None;
        Ok(())
    }

    /// Writes what is left; the run's rows (None: it had no lines).
    pub fn finish(mut self) -> Result<Option<(i64, i64)>> {
        self.flush()?;
        Ok(self.rows)
    }
}

/// A line's flag: the same tenant and subscription as the line before it in the block.
const SAME: u8 = 2;
/// A line's flag: a credited part follows its cost.
const CREDITED: u8 = 4;

/// Appends `v` as a LEB128 varint.
fn put(b: &mut Vec<u8>, mut v: u128) {
    while v >= 0x80 {
        b.push((v as u8) | 0x80);
        v >>= 7;
    }
    b.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// A decimal exactly: its scale (128 added when negative, zero included) and magnitude.
fn put_decimal(b: &mut Vec<u8>, d: Decimal) {
    b.push(d.scale() as u8 | if d.is_sign_negative() { 0x80 } else { 0 });
    put(b, d.mantissa().unsigned_abs());
}

/// Reads one run back, line by line.
pub(crate) struct RunReader {
    /// The run's rows not read yet.
    next_row: i64,
    last_row: i64,
    block: Vec<u8>,
    at: usize,
    /// The tenant and subscription of the line read last from this block.
    last: Option<(u32, String)>,
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
            last: None,
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
            self.last = None;
        }
        let mut r = Cursor {
            bytes: &self.block,
            at: self.at,
        };
        let flags = r.byte()?;
        let billed = flags & 1 == 1;
        let currency = std::str::from_utf8(r.take(3)?)
            .ok()
            .and_then(Currency::parse)
            .ok_or_else(damaged)?;
        if flags & SAME == 0 {
            let tenant = u32::try_from(r.varint()?).map_err(|_| damaged())?;
            let len = usize::try_from(r.varint()?).map_err(|_| damaged())?;
            let id = std::str::from_utf8(r.take(len)?).map_err(|_| damaged())?;
            self.last = Some((tenant, id.to_string()));
        }
        let (tenant, subscription) = self.last.clone().ok_or_else(damaged)?;
        let raw = unzigzag(u64::try_from(r.varint()?).map_err(|_| damaged())?);
        let meter = u32::try_from(r.varint()?).map_err(|_| damaged())?;
        let quantity = r.decimal()?;
        let cost = r.decimal()?;
        let credited = if flags & CREDITED != 0 {
            r.decimal()?
        } else {
            Decimal::ZERO
        };
        self.at = r.at;
        Ok(Some(Spilled {
            tenant,
            subscription,
            raw,
            meter,
            currency,
            billed,
            sums: Sums {
                quantity,
                cost,
                credited,
            },
        }))
    }
}

/// Reading a block: every read checked against its end.
struct Cursor<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Cursor<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8]> {
        let end = self.at.checked_add(n).ok_or_else(damaged)?;
        let bytes = self.bytes.get(self.at..end).ok_or_else(damaged)?;
        self.at = end;
        Ok(bytes)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    /// A LEB128 varint of at most 128 bits.
    fn varint(&mut self) -> Result<u128> {
        let mut v: u128 = 0;
        for shift in (0..128).step_by(7) {
            let b = self.byte()?;
            v |= u128::from(b & 0x7f)
                .checked_shl(shift)
                .filter(|x| x >> shift == u128::from(b & 0x7f))
                .ok_or_else(damaged)?;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(damaged())
    }

    fn decimal(&mut self) -> Result<Decimal> {
        let head = self.byte()?;
        let magnitude = i128::try_from(self.varint()?).map_err(|_| damaged())?;
        let mut d = Decimal::try_from_i128_with_scale(magnitude, u32::from(head & 0x7f))
            .map_err(|_| damaged())?;
        d.set_sign_negative(head & 0x80 != 0);
        Ok(d)
    }
}

#[cfg(test)]
#[path = "spill_tests.rs"]
mod tests;
