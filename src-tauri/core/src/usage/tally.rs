//! The usage import's reader: it counts and hashes every byte read (for progress and the
//! import record), refuses a line no usage file has, and keeps the file's last 16 KiB,
//! where its last row is, to tell a file cut short inside a quoted cell.

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
    /// The last [`TAIL_BYTES`] read (rows are hundreds of bytes to a few KiB).
    tail: Vec<u8>,
}

const TAIL_BYTES: usize = 16 * 1024;

/// The longest line a usage file may have (its lines are hundreds of bytes).
const MAX_LINE_BYTES: u64 = 4 * 1024 * 1024;

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        // Reads are up to the buffer's 64 KiB: a quarter of each is copied, and a short
        // read (the file's end) moves at most 16 KiB.
        if n >= TAIL_BYTES {
            self.tail.clear();
            self.tail.extend_from_slice(&buf[n - TAIL_BYTES..n]);
        } else {
            self.tail.extend_from_slice(&buf[..n]);
            let over = self.tail.len().saturating_sub(TAIL_BYTES);
            self.tail.drain(..over);
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
            tail: Vec::with_capacity(TAIL_BYTES),
        }
    }

    /// The bytes from offset `start` of the file to its end, when they are among the last
    /// [`TAIL_BYTES`].
    pub(super) fn since(&self, start: u64) -> Option<&[u8]> {
        let from = start.checked_sub(self.bytes - self.tail.len() as u64)?;
        self.tail.get(usize::try_from(from).ok()?..)
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
    fn the_last_16_kib_are_held_whatever_the_reads() {
        let data: Vec<u8> = (0..=250u8).cycle().take(100_000).collect();
        let end = data.len() as u64;
        let held = end - TAIL_BYTES as u64;
        // Reads smaller than, as large as and larger than what is held, ending short.
        for chunk in [1000, TAIL_BYTES, 65_536, 100_000] {
            let t = tallied(&data, chunk);
            assert_eq!(t.bytes, end);
            assert_eq!(t.since(held).unwrap(), &data[held as usize..], "{chunk}");
            assert_eq!(t.since(end - 1).unwrap(), &data[data.len() - 1..]);
            assert_eq!(t.since(end).unwrap(), b"");
            assert_eq!(t.since(held - 1), None, "{chunk}: no longer held");
            assert_eq!(t.since(end + 1), None, "beyond the end");
        }
        assert_eq!(tallied(b"abc", 64).since(0).unwrap(), b"abc");
        assert_eq!(tallied(b"", 64).since(0).unwrap(), b"");
    }
}
