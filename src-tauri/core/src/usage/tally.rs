//! The usage import's reader: it counts and hashes every byte read (for progress and the
//! import record) and refuses a line no usage file has.

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
}

/// The longest line a usage file may have (its lines are hundreds of bytes).
const MAX_LINE_BYTES: u64 = 4 * 1024 * 1024;

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
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
        }
    }
}
