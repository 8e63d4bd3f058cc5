//! The usage import's reader: it counts and hashes every byte read (for progress and the
//! import record), refuses a line no usage file has, and keeps the last two reads, where
//! the file's last row is, to tell a file cut short inside a quoted cell.

use std::io::Read;

use sha2::{Digest, Sha256};

/// Counts the bytes read and hashes them, for progress and the import record.
pub(super) struct Tally<R> {
    inner: R,
    pub(super) bytes: u64,
    pub(super) hash: Sha256,
    /// Bytes since the last line end: a usage file's lines are short, so a "line" longer
    /// than [`MAX_LINE_BYTES`] is the wrong file (or a device), refused before it fills
    /// the memory.
    line: u64,
    /// The last read and the one before it (each up to the reader's buffer, 64 KiB).
    last: Vec<u8>,
    before: Vec<u8>,
}

/// The longest line a usage file may have (its lines are hundreds of bytes).
const MAX_LINE_BYTES: u64 = 4 * 1024 * 1024;

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            std::mem::swap(&mut self.last, &mut self.before);
            self.last.clear();
            self.last.extend_from_slice(&buf[..n]);
        }
        self.bytes += n as u64;
        self.hash.update(&buf[..n]);
        // From the end: the last line end of a buffer is near it.
        self.line = match buf[..n].iter().rposition(|b| *b == b'\n') {
            Some(i) => (n - 1 - i) as u64,
            None => self.line + n as u64,
        };
        if self.line > MAX_LINE_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "a line longer than {} MiB: not a usage file",
                    MAX_LINE_BYTES / (1024 * 1024)
                ),
            ));
        }
        Ok(n)
    }
}

impl<R> Tally<R> {
    pub(super) fn new(inner: R) -> Self {
        Tally {
            inner,
            bytes: 0,
            hash: Sha256::new(),
            line: 0,
            last: Vec::new(),
            before: Vec::new(),
        }
    }

    /// The bytes from offset `start` of the file to its end, when the last two reads hold
    /// them.
    pub(super) fn since(&self, start: u64) -> Option<Vec<u8>> {
        let held = (self.before.len() + self.last.len()) as u64;
        let from = start.checked_sub(self.bytes.checked_sub(held)?)?;
        let tail = [self.before.as_slice(), self.last.as_slice()].concat();
        tail.get(from as usize..).map(<[u8]>::to_vec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `data` through a tally in reads of at most `chunk` bytes.
    fn tallied(data: &[u8], chunk: usize) -> Tally<&[u8]> {
        let mut t = Tally::new(data);
        let mut buf = vec![0; chunk];
        while t.read(&mut buf).unwrap() > 0 {}
        t
    }

    #[test]
    fn the_end_of_the_file_is_held_from_the_last_two_reads() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let t = tallied(&data, 64);
        assert_eq!(t.bytes, 1000);
        // 1000 = 15 reads of 64 and one of 40: the last two hold bytes 896..1000.
        assert_eq!(t.since(896).unwrap(), &data[896..]);
        assert_eq!(t.since(999).unwrap(), &data[999..]);
        assert_eq!(t.since(1000).unwrap(), b"");
        assert_eq!(t.since(895), None, "no longer held");
        assert_eq!(t.since(1001), None, "beyond the end");
        let small = tallied(b"abc", 64);
        assert_eq!(small.since(0).unwrap(), b"abc");
        assert_eq!(tallied(b"", 64).since(0).unwrap(), b"");
    }
}
