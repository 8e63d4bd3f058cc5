use crate::error::Code;
use crate::{Error, Result};

/// The 256-bit database key. Its `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct DbKey([u8; 32]);

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(<redacted>)")
    }
}

impl DbKey {
    /// A fresh random key from the operating system's generator.
    pub fn generate() -> Result<DbKey> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::Invalid(format!("no random numbers from the system: {e}")))?;
        Ok(DbKey(bytes))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> DbKey {
        DbKey(bytes)
    }

    pub fn to_hex(&self) -> String {
        crate::hex::lower(&self.0)
    }

    /// The recovery key as people copy it down: 16 groups of 4 hex digits.
    pub fn to_recovery(&self) -> String {
        let hex = self.to_hex().to_ascii_uppercase();
        hex.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Reads a recovery key (or the plain hex form), ignoring dashes, spaces and case.
    pub fn parse(text: &str) -> Result<DbKey> {
        let hex: Vec<u8> = text
            .bytes()
            .filter(|b| !matches!(b, b'-' | b' ' | b'\t' | b'\n' | b'\r'))
            .collect();
        let bad = || {
            Error::field(
                "recovery_key",
                Code::InvalidRecoveryKey,
                "a recovery key is 64 hexadecimal digits (0-9, A-F), usually written in 16 groups of 4",
            )
        };
        if hex.len() != 64 {
            return Err(bad());
        }
        let mut bytes = [0u8; 32];
        for (i, pair) in hex.chunks(2).enumerate() {
            let text = std::str::from_utf8(pair).map_err(|_| bad())?;
            bytes[i] = u8::from_str_radix(text, 16).map_err(|_| bad())?;
        }
        Ok(DbKey(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_key_round_trips_and_ignores_dashes_and_case() {
        let k = DbKey::generate().unwrap();
        let text = k.to_recovery();
        assert_eq!(text.len(), 64 + 15);
        assert_eq!(DbKey::parse(&text).unwrap(), k);
        assert_eq!(
            DbKey::parse(&text.to_lowercase().replace('-', " ")).unwrap(),
            k
        );
        assert!(DbKey::parse("ABCD-1234").is_err());
        assert!(DbKey::parse(&"G".repeat(64)).is_err());
    }

    #[test]
    fn debug_output_never_shows_the_key() {
        let k = DbKey::from_bytes([0xab; 32]);
        assert_eq!(format!("{k:?}"), "DbKey(<redacted>)");
    }

    #[test]
    fn two_generated_keys_differ() {
        assert_ne!(DbKey::generate().unwrap(), DbKey::generate().unwrap());
    }
}
