//! Files imported together are the parts of one export: each usage record is in one of them.
//! Two downloads of the same days (a month-to-date file and the next day's, a file and its
//! revised version, an unbilled file and the billed one) are not: imported together, their
//! rows would be summed and those days counted twice (imported one after another, the later
//! replaces the days it covers). They are told apart by the records themselves: a record is
//! its tenant, subscription, day, meter, region and resource, and a later file that repeats
//! a tenth or more of the records of the smaller side is another download, and refused.
//!
//! The records seen are kept in two Bloom filters of fixed size (the files before, the file
//! being read), so memory stays flat whatever the files' size; a false "seen" is rare (under
//! 1 % at a million records), far from the tenth that refuses.

use std::hash::Hasher;

use crate::error::{Code, ImportProblem};
use crate::Error;

/// Bits in each filter: 16 Mi (2 MiB).
const BITS: usize = 1 << 24;

#[derive(Default)]
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

/// The records of the files imported together so far.
#[derive(Default)]
pub(crate) struct Overlap {
    before: Bloom,
    current: Bloom,
    rows_before: u64,
    rows: u64,
    repeated: u64,
}

/// A record's hash, from its cells in order (the same on every machine and run).
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

impl Overlap {
    /// A record of the file being read.
    pub fn row(&mut self, hash: u64) {
        self.rows += 1;
        if self.before.contains(hash) {
            self.repeated += 1;
        }
        self.current.insert(hash);
    }

    /// After a file: `Some((repeated, rows))` when it repeats a tenth or more of the records
    /// of the smaller side (it, or the files before it together), which makes it another
    /// download of their days rather than a part of their export (whose parts share no
    /// record).
    pub fn end_file(&mut self) -> Option<(u64, u64)> {
        let (repeated, rows) = (self.repeated, self.rows);
        let smaller = rows.min(self.rows_before);
        self.before.absorb(&mut self.current);
        self.rows_before += rows;
        (self.rows, self.repeated) = (0, 0);
        (repeated > 0 && repeated * 10 >= smaller).then_some((repeated, rows))
    }
}

/// The refusal of a file imported with others that repeats their records: another download
/// of their days.
pub(crate) fn refusal(file: &str, repeated: u64, rows: u64) -> Error {
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

    fn file(o: &mut Overlap, records: std::ops::Range<u64>) -> Option<(u64, u64)> {
        for r in records {
            o.row(record([r.to_string().as_str(), "2025-01-05"]));
        }
        o.end_file()
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
        assert_eq!(
            record([tenant, "2025-01-05"]),
            record([tenant.to_lowercase().as_str(), "2025-01-05"])
        );
        assert_ne!(record(["ab", "c"]), record(["a", "bc"]));
        // Records a part shares with the parts before by chance (a few): still a part.
        let mut o = Overlap::default();
        file(&mut o, 0..1_000);
        assert_eq!(file(&mut o, 997..2_000), None);
    }
}
