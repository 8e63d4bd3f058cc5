//! The usage import's spilled lines: each spill is a run of lines in key order, packed
//! into blocks of about 64 KiB, each block one row of a scratch database of the import's
//! own ([`Scratch`]). Writing a run appends a few rows; reading it back decodes them in
//! order. A line's bytes, integers as LEB128 varints (signed ones zigzagged):
//! flags (1: billed, 2: the same tenant and subscription as the line before it in the
//! block) · currency (3 ASCII letters) · then, unless flag 2, tenant and subscription id
//! (its length, then its UTF-8) · raw date · meter · quantity and cost, each its scale
//! (with 128 for negative) and then its mantissa's magnitude: exactly the decimal it was,
//! trailing zeros and sign of zero included. Lines of one day of one subscription follow
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
        b.push(u8::from(billed) | if same { SAME } else { 0 });
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
        self.at = r.at;
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

    /// Writes `lines` as one run and reads them back.
    fn round_trip(lines: &[Spilled]) -> Vec<Spilled> {
        let scratch = Scratch::beside(&Connection::open_in_memory().unwrap()).unwrap();
        let mut w = RunWriter::new(&scratch);
        for l in lines {
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
        let Some(rows) = w.finish().unwrap() else {
            return Vec::new();
        };
        let mut r = RunReader::new(rows);
        std::iter::from_fn(|| r.next(&scratch).unwrap()).collect()
    }

    /// Every decimal comes back exactly: the sign of a zero, trailing zeros, the extremes.
    #[test]
    fn decimals_come_back_to_the_last_digit_and_sign() {
        let mut minus_zero = Decimal::new(0, 3);
        minus_zero.set_sign_negative(true);
        let values = [
            minus_zero,
            Decimal::new(150, 2),
            Decimal::new(-1, 28),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::ZERO,
            Decimal::from_str("0.0000000000000000000000000001").unwrap(),
        ];
        let lines: Vec<Spilled> = values
            .iter()
            .enumerate()
            .map(|(i, v)| Spilled {
                tenant: u32::MAX,
                subscription: String::new(),
                raw: if i % 2 == 0 { i64::MIN } else { i64::MAX },
                meter: i as u32,
                currency: Currency::parse("JPY").unwrap(),
                billed: false,
                sums: Sums {
                    quantity: *v,
                    cost: -*v,
                },
            })
            .collect();
        let back = round_trip(&lines);
        assert_eq!(back, lines);
        for (a, b) in back.iter().zip(&lines) {
            assert_eq!(a.sums.quantity.to_string(), b.sums.quantity.to_string());
            assert_eq!(a.sums.quantity.serialize(), b.sums.quantity.serialize());
            assert_eq!(a.sums.cost.serialize(), b.sums.cost.serialize());
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

        /// Any lines in key order come back as they went in, whether or not they share a
        /// tenant and subscription with the line before them.
        #[test]
        fn any_run_comes_back_as_written(
            raw in proptest::collection::vec(
                (0u32..3, 0usize..3, proptest::prelude::any::<i64>(), proptest::prelude::any::<u32>(),
                 proptest::prelude::any::<bool>(), proptest::prelude::any::<i64>(), 0u32..=28,
                 proptest::prelude::any::<(u64, u32)>()),
                0..400,
            )
        ) {
            let subs = ["", "a1b2c3d4-0000-4000-8000-000000000001", "訂閱-é"];
            let mut lines: Vec<Spilled> = raw
                .into_iter()
                .map(|(t, s, r, m, billed, q, scale, (hi, lo))| Spilled {
                    tenant: t,
                    subscription: subs[s].to_string(),
                    raw: r,
                    meter: m,
                    currency: Currency::parse(if billed { "TWD" } else { "USD" }).unwrap(),
                    billed,
                    sums: Sums {
                        quantity: Decimal::new(q, scale),
                        cost: Decimal::from_i128_with_scale(
                            (i128::from(hi) << 32 | i128::from(lo)) >> 32,
                            scale,
                        ),
                    },
                })
                .collect();
            lines.sort_by(|a, b| a.key().cmp(&b.key()));
            proptest::prop_assert_eq!(round_trip(&lines), lines);
        }

        /// Any bytes read as a block give lines or an error, never a panic.
        #[test]
        fn any_bytes_read_as_a_block_never_panic(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..300)
        ) {
            let scratch = Scratch::beside(&Connection::open_in_memory().unwrap()).unwrap();
            scratch.conn.execute("INSERT INTO spill (data) VALUES (?1)", [&data]).unwrap();
            let id = scratch.conn.last_insert_rowid();
            let mut r = RunReader::new((id, id));
            for _ in 0..400 {
                match r.next(&scratch) {
                    Ok(Some(_)) => {}
                    Ok(None) | Err(_) => break,
                }
            }
        }
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
        // Each line a subscription of its own, so that each carries the id.
        for i in 0..3_000 {
            let sums = Sums {
                quantity: Decimal::from(i),
                cost: Decimal::from(i),
            };
            w.push(
                7,
                &format!("{secret}-{i:05}"),
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
