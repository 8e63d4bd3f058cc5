//! Files imported together are the parts of one export: each usage record is in one of them.
//! Two downloads of the same days (a month-to-date file and the next day's, a file and its
//! revised version, an unbilled file and the billed one) are not: imported together, their
//! rows would be summed and those days counted twice (imported one after another, the later
//! replaces the days it covers). They are told apart by the records themselves: a record is
//! its tenant, subscription, day, meter, region and resource, and a later file that repeats
//! a tenth or more of the records of the smaller side is another download, and refused.
//!
//! A record's days are compared as dates, not as written: a download written `2025-01-05`
//! and its copy saved again by Excel as `1/5/2025` or `5/1/2025` hold the same records.
//! Year-last dates are read both ways until the import knows the files' order of month and
//! day, and judged once it does.
//!
//! The records seen are kept in Bloom filters of fixed size (the files before, the file
//! being read; twice once a year-last date is seen), so memory stays flat whatever the
//! files' size; a false "seen" is rare (under 1 % at a million records), far from the tenth
//! that refuses.

use std::hash::Hasher;

use chrono::Datelike;

use super::read::{DateOrder, RawDate};
use crate::error::{Code, ImportProblem};
use crate::Error;

/// Bits in each filter: 16 Mi (2 MiB).
const BITS: usize = 1 << 24;

#[derive(Default, Clone)]
struct Bloom {
    words: Vec<u64>,
}

impl Bloom {
    /// The three bits of a record's hash.
    fn bits(hash: u64) -> [usize; 3] {
        let (a, b) = (hash as usize, (hash >> 32) as usize | 1);
        [0, 1, 2].map(|i| a.wrapping_add(i * b) % BITS)
    }

    fn insert(&mut self, hash: u64) {
        if self.words.is_empty() {
            self.words = vec![0; BITS / 64];
        }
        for bit in Self::bits(hash) {
            self.words[bit / 64] |= 1 << (bit % 64);
        }
    }

    fn contains(&self, hash: u64) -> bool {
        !self.words.is_empty()
            && Self::bits(hash)
                .iter()
                .all(|bit| self.words[bit / 64] & (1 << (bit % 64)) != 0)
    }

    /// Adds what `other` holds, leaving it empty.
    fn absorb(&mut self, other: &mut Bloom) {
        if self.words.is_empty() {
            std::mem::swap(&mut self.words, &mut other.words);
            return;
        }
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w |= o;
        }
        other.words.iter_mut().for_each(|w| *w = 0);
    }
}

/// The records seen under one reading of year-last dates.
#[derive(Default, Clone)]
struct Reading {
    before: Bloom,
    current: Bloom,
    repeated: u64,
}

impl Reading {
    fn row(&mut self, hash: u64) {
        if self.before.contains(hash) {
            self.repeated += 1;
        }
        self.current.insert(hash);
    }

    /// The file's repeated records; its records join those before.
    fn end_file(&mut self) -> u64 {
        self.before.absorb(&mut self.current);
        std::mem::take(&mut self.repeated)
    }
}

/// A file read, as the check judges it.
struct FileSeen {
    name: String,
    /// Its records seen in the files before it, year-last dates read month first, then
    /// day first.
    repeated: [u64; 2],
    rows: u64,
    rows_before: u64,
}

/// The records of the files imported together so far.
#[derive(Default)]
pub(crate) struct Overlap {
    /// Year-last dates read month first (and every other date).
    month_first: Reading,
    /// Read day first: from the first year-last date on (until then both readings are one).
    day_first: Option<Reading>,
    rows_before: u64,
    rows: u64,
    files: Vec<FileSeen>,
}

/// The hash of a record's cells other than its days, in order (the same on every machine
/// and run).
pub(crate) fn record<'a>(cells: impl IntoIterator<Item = &'a str>) -> u64 {
    // ASCII case aside (a tenant id written in capitals by one download, not by another).
    let mut h = std::hash::DefaultHasher::new();
    let mut buf = [0u8; 64];
    for cell in cells {
        for chunk in cell.as_bytes().chunks(buf.len()) {
            let lower = &mut buf[..chunk.len()];
            lower.copy_from_slice(chunk);
            lower.make_ascii_lowercase();
            h.write(lower);
        }
        h.write_u8(0xff);
    }
    h.finish()
}

/// A day of a record as a number, year-last dates read in the order given (0: no date).
fn day(d: Option<RawDate>, month_first: bool) -> u64 {
    let ymd =
        |y: i32, m: u32, d: u32| (u64::from(y as u32) << 16) | u64::from(m << 8 | d) | 1 << 48;
    match d {
        None => 0,
        Some(RawDate::Iso(d)) => ymd(d.year(), d.month(), d.day()),
        Some(RawDate::Slash(a, b, y) | RawDate::SlashInPeriod(a, b, y, ..)) if month_first => {
            ymd(y, a, b)
        }
        Some(RawDate::Slash(a, b, y) | RawDate::SlashInPeriod(a, b, y, ..)) => ymd(y, b, a),
    }
}

/// A record's hash: its other cells' (from [`record`]) and its days read in the order given.
fn with_days(cells: u64, days: [Option<RawDate>; 2], month_first: bool) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write_u64(cells);
    for d in days {
        h.write_u64(day(d, month_first));
    }
    h.finish()
}

impl Overlap {
    /// A record of the file being read: the hash of its other cells (from [`record`]) and
    /// its days (the usage day and the charge's first day, where the file has them).
    pub fn row(&mut self, cells: u64, days: [Option<RawDate>; 2]) {
        self.rows += 1;
        let year_last = days
            .iter()
            .any(|d| matches!(d, Some(RawDate::Slash(..) | RawDate::SlashInPeriod(..))));
        if year_last && self.day_first.is_none() {
            self.day_first = Some(self.month_first.clone());
        }
        self.month_first.row(with_days(cells, days, true));
        if let Some(day_first) = &mut self.day_first {
            day_first.row(with_days(cells, days, false));
        }
    }

    /// The end of the file named `name`.
    pub fn end_file(&mut self, name: &str) {
        let first = self.month_first.end_file();
        let second = self.day_first.as_mut().map_or(first, Reading::end_file);
        self.files.push(FileSeen {
            name: name.to_string(),
            repeated: [first, second],
            rows: self.rows,
            rows_before: self.rows_before,
        });
        self.rows_before += std::mem::take(&mut self.rows);
    }

    /// The refusal of the first file that is another download of the days of the files
    /// before it, judged once the files' order of month and day is known (when it cannot
    /// be, the dates are refused: nothing to judge).
    pub fn judge(&self, order: &DateOrder) -> crate::Result<()> {
        match order.decide().ok().and_then(|m| self.another_download(m)) {
            Some((file, repeated, rows)) => Err(refusal(file, repeated, rows)),
            None => Ok(()),
        }
    }

    /// Once the files' order of month and day is known: the first file, with its repeated
    /// records and its rows, that repeats a tenth or more of the records of the smaller side
    /// (it, or the files before it together), which makes it another download of their days
    /// rather than a part of their export (whose parts share no record).
    pub fn another_download(&self, month_first: bool) -> Option<(&str, u64, u64)> {
        self.files.iter().find_map(|f| {
            let repeated = f.repeated[usize::from(!month_first)];
            let smaller = f.rows.min(f.rows_before);
            (repeated > 0 && repeated * 10 >= smaller).then_some((
                f.name.as_str(),
                repeated,
                f.rows,
            ))
        })
    }
}

/// The refusal of a file imported with others that repeats their records: another download
/// of their days.
fn refusal(file: &str, repeated: u64, rows: u64) -> Error {
    let problem = ImportProblem::new(
        1,
        "row",
        Code::AnotherVersion,
        format!("{repeated} of its {rows} rows are records of the files chosen with it: it is another download of the same days, not a part of their export; import the files one after another (a later file replaces the days it covers)"),
    )
    .with("n", repeated)
    .with("rows", rows);
    Error::Import {
        file: file.to_string(),
        problems: vec![problem],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const JAN_5: RawDate = RawDate::Iso(NaiveDate::from_ymd_opt(2025, 1, 5).unwrap());

    /// A file of the records numbered `records`, on the day `day`: the check's verdict
    /// after it, month first.
    fn dated(o: &mut Overlap, records: std::ops::Range<u64>, day: RawDate) -> Option<(u64, u64)> {
        for r in records {
            o.row(record([r.to_string().as_str()]), [Some(day), None]);
        }
        o.end_file("f");
        o.another_download(true).map(|(_, n, rows)| (n, rows))
    }

    fn file(o: &mut Overlap, records: std::ops::Range<u64>) -> Option<(u64, u64)> {
        dated(o, records, JAN_5)
    }

    #[test]
    fn parts_pass_and_a_second_download_of_their_days_is_told() {
        let mut o = Overlap::default();
        assert_eq!(file(&mut o, 0..50_000), None, "the first file");
        assert_eq!(file(&mut o, 50_000..100_000), None, "a part");
        assert_eq!(file(&mut o, 100_000..100_001), None, "a part of one row");
        // A month-to-date file of later days: the days before again, and more (a record
        // the filter takes for seen by chance counted too, a few at most).
        let (repeated, rows) = file(&mut o, 60_000..160_000).expect("another download");
        assert_eq!(rows, 100_000);
        assert!((40_001..40_100).contains(&repeated), "{repeated}");
        // A revised file of a few records.
        let mut o = Overlap::default();
        file(&mut o, 0..1_000);
        assert_eq!(file(&mut o, 990..998), Some((8, 8)));
        // One record however a download writes its ids' case; cells kept apart.
        let tenant = "0FFFB008-244F-5671-AA55-DE520C7FC590";
        assert_eq!(record([tenant]), record([tenant.to_lowercase().as_str()]));
        assert_ne!(record(["ab", "c"]), record(["a", "bc"]));
        // Records a part shares with the parts before by chance (a few): still a part.
        let mut o = Overlap::default();
        file(&mut o, 0..1_000);
        assert_eq!(file(&mut o, 997..2_000), None);
    }

    #[test]
    fn a_day_is_one_record_however_a_download_writes_it() {
        // A download written in ISO, its copy saved by Excel with the year last: the same
        // records, month first as the import decides for the files.
        let mut o = Overlap::default();
        file(&mut o, 0..100);
        assert_eq!(
            dated(&mut o, 0..100, RawDate::Slash(1, 5, 2025)),
            Some((100, 100))
        );
        // Read day first, `1/5/2025` is the 1st of May: another day, parts of one export.
        assert_eq!(o.another_download(false), None);
        // `5/1/2025` is the 5th of January read day first, the 1st of May month first.
        let mut o = Overlap::default();
        file(&mut o, 0..100);
        dated(&mut o, 0..100, RawDate::Slash(5, 1, 2025));
        assert_eq!(o.another_download(false), Some(("f", 100, 100)));
        assert_eq!(o.another_download(true), None);
        // Year-last files together: each file's days read in the files' order.
        let mut o = Overlap::default();
        dated(&mut o, 0..100, RawDate::Slash(13, 1, 2025));
        dated(&mut o, 0..100, RawDate::Slash(13, 1, 2025));
        assert_eq!(o.another_download(false), Some(("f", 100, 100)));
        // The days of a record kept apart from its other cells, and from each other.
        let cells = record(["a"]);
        let feb_1 = RawDate::Iso(NaiveDate::from_ymd_opt(2025, 2, 1).unwrap());
        assert_ne!(
            with_days(cells, [Some(JAN_5), Some(feb_1)], true),
            with_days(cells, [Some(feb_1), Some(JAN_5)], true)
        );
        assert_ne!(
            with_days(cells, [Some(JAN_5), None], true),
            with_days(cells, [None, Some(JAN_5)], true)
        );
        assert_eq!(
            with_days(cells, [Some(JAN_5), None], true),
            with_days(cells, [Some(RawDate::Slash(5, 1, 2025)), None], false)
        );
    }
}
