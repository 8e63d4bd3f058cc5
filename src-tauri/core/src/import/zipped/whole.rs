//! A ZIP archive's files read whole into memory (small files: ledgers, statements, alerts),
//! through the streaming reader of [`super`].

use std::borrow::Cow;

use super::{is_archive, too_large, unreadable, Archive, Member};
use crate::error::ImportProblem;

/// The file a ZIP archive holds, read whole: at most `max` bytes and one (the caller
/// refuses a longer one).
pub fn unzip(bytes: &[u8], max: u64) -> Result<Vec<u8>, ImportProblem> {
    let member = Member::open(bytes).map_err(unreadable)?;
    crate::import::read_capped(member, max).map_err(unreadable)
}

/// The files a file chosen is: itself, or, for a ZIP archive holding several (a month of
/// daily statements, a year of monthly exports), each of them, named in it
/// (`2025.zip/01.csv`), in the archive's order; `max` bytes at most together. An archive of
/// one file is itself: its reader takes the file out.
pub fn each_file<'a>(
    file: &str,
    bytes: &'a [u8],
    max: u64,
) -> crate::Result<Vec<(String, Cow<'a, [u8]>)>> {
    let itself = || vec![(file.to_string(), Cow::Borrowed(bytes))];
    if !is_archive(bytes) {
        return Ok(itself());
    }
    let files = files(bytes, max).map_err(|p| crate::Error::Import {
        file: file.to_string(),
        problems: vec![p],
    })?;
    if files.len() < 2 {
        return Ok(itself());
    }
    Ok(files
        .into_iter()
        .map(|(name, data)| (format!("{file}/{name}"), Cow::Owned(data)))
        .collect())
}

/// Every file a ZIP archive holds, by name (without its folders), read whole in the
/// archive's order: `max` bytes at most together, or the archive is refused (too large for a
/// file of its kind).
pub fn files(bytes: &[u8], max: u64) -> Result<Vec<(String, Vec<u8>)>, ImportProblem> {
    let mut archive = Archive::new(bytes);
    let mut out = Vec::new();
    let mut left = max;
    while let Some(member) = archive.next_member().map_err(unreadable)? {
        let name = member.name().to_string();
        let data = crate::import::read_capped(member, left).map_err(unreadable)?;
        if data.len() as u64 > left {
            return Err(too_large(
                max,
                "the files in the ZIP archive are",
                " together",
            ));
        }
        left -= data.len() as u64;
        out.push((name, data));
    }
    Ok(out)
}
