//! A file's bytes as text, the same for every import: UTF-8 with or without a byte order
//! mark, or Big5, the encoding Taiwanese banks export in and Excel in Taiwan saves "CSV"
//! in, or UTF-16 with its byte order mark (Excel's "Unicode Text").

use encoding_rs::{DecoderResult, BIG5, UTF_16BE, UTF_16LE};

use crate::error::{Code, ImportProblem};

/// The most a file packed in a ZIP archive may hold, extracted: as much as the largest file
/// of any kind ([`super::MAX_LEDGER_BYTES`]).
const MAX_UNZIPPED: u64 = super::MAX_LEDGER_BYTES;

/// A file's bytes as text: UTF-8 (a byte order mark dropped), or else Big5; UTF-16 where a
/// byte order mark says so. A byte that is none of these is a problem on its line, never
/// replaced. A file packed alone in a ZIP archive is read as that file ([`super::zipped`]).
pub fn text(bytes: &[u8]) -> Result<String, ImportProblem> {
    if super::zipped::is_archive(bytes) {
        let inner = super::zipped::unzip(bytes, MAX_UNZIPPED)?;
        if inner.len() as u64 > MAX_UNZIPPED {
            return Err(super::zipped::too_large(
                MAX_UNZIPPED,
                "the file in the ZIP archive is",
                "",
            ));
        }
        return unpacked_text(&inner);
    }
    unpacked_text(bytes)
}

fn unpacked_text(bytes: &[u8]) -> Result<String, ImportProblem> {
    if let Some(problem) = container(bytes) {
        return Err(problem);
    }
    if let Some(utf16) = utf16(bytes) {
        return utf16
            .decode_without_bom_handling_and_without_replacement(&bytes[2..])
            .map(|text| text.into_owned())
            .ok_or_else(|| {
                ImportProblem::new(
                    1,
                    "file",
                    Code::NotText,
                    "the file starts as UTF-16 but is not: save it as CSV UTF-8".to_string(),
                )
            });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let bad_byte = |at: usize, why: &str| {
        let line = body[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let byte = body.get(at).copied().unwrap_or(0);
        ImportProblem::new(
            line,
            "file",
            Code::NotText,
            format!("byte 0x{byte:02X} {why}: save the file as UTF-8 or Big5"),
        )
        .with("value", format!("0x{byte:02X}"))
    };
    let utf8_error = match std::str::from_utf8(body) {
        Ok(s) => return Ok(s.to_string()),
        Err(e) => e.valid_up_to(),
    };
    // Text that was UTF-8 with characters beyond ASCII up to a bad byte is UTF-8 with a
    // bad byte, not Big5.
    if !body[..utf8_error].is_ascii() {
        return Err(bad_byte(utf8_error, "is not UTF-8"));
    }
    let mut decoder = BIG5.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(body.len() * 2);
    let mut done = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&body[done..], &mut out, true);
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(body.len() - done + 16),
            DecoderResult::Malformed(bad, after) => {
                let at = (done + read).saturating_sub(after as usize + bad as usize);
                return Err(bad_byte(at, "is neither UTF-8 nor Big5"));
            }
        }
        done += read;
    }
}

/// A file that holds no text rows, by its first bytes, as a problem on its line 1 saying
/// what it is and how to get rows from it: a workbook saved as `.xlsx` or `.xls` (or as
/// Excel's XML, or the web page some banks save as "Excel"), a PDF, a Parquet file (Cost
/// Management's FOCUS exports may be Parquet). None for anything else.
pub fn container(head: &[u8]) -> Option<ImportProblem> {
    if let Some(name) = zipped_file(head) {
        return Some(
            ImportProblem::new(
                1,
                "file",
                Code::ZipArchive,
                format!("the file is a ZIP archive holding {name}: extract {name} from it, then import that file"),
            )
            .with("name", name),
        );
    }
    let (kind, what) = kind_of(head)?;
    Some(ImportProblem::new(1, "file", Code::NotASheet, what).with("kind", kind))
}

/// The name of the first file in a ZIP archive (its first local file header), when it is
/// not a part of an Office or OpenDocument file (a workbook is a ZIP archive too): a
/// download packed as `.zip`, such as `usage.csv` inside `usage.zip`.
fn zipped_file(head: &[u8]) -> Option<String> {
    if !super::zipped::is_archive(head) {
        return None;
    }
    let length = u16::from_le_bytes([*head.get(26)?, *head.get(27)?]) as usize;
    let name = std::str::from_utf8(head.get(30..30 + length)?).ok()?;
    let shown = name.rsplit('/').next().unwrap_or(name);
    (!shown.is_empty() && !shown.chars().any(char::is_control)).then(|| shown.to_string())
}

fn kind_of(head: &[u8]) -> Option<(&'static str, String)> {
    let save_as = "open it in Excel and save it as \"CSV UTF-8\", then import that file";
    Some(if head.starts_with(b"PK\x03\x04") {
        (
            "xlsx",
            format!(
                "the file is a ZIP archive, such as an Excel workbook (.xlsx), not CSV: {save_as}"
            ),
        )
    } else if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        (
            "xls",
            format!("the file is an Excel 97-2003 workbook (.xls), not CSV: {save_as}"),
        )
    } else if head.starts_with(b"%PDF-") {
        (
            "pdf",
            "the file is a PDF document, which has no rows to read: export the data as CSV".into(),
        )
    } else if web_page(head) {
        (
            "html",
            format!("the file is a web page (HTML), as some banks save an \"Excel\" export, not CSV: {save_as}"),
        )
    } else if find(head, b"progid=\"Excel.Sheet\"") {
        (
            "xml_workbook",
            format!("the file is an Excel XML spreadsheet, not CSV: {save_as}"),
        )
    } else if head.starts_with(b"PAR1") {
        (
            "parquet",
            "the file is in Parquet format: export it as CSV (in Cost Management, an export's format CSV)"
                .into(),
        )
    } else {
        return None;
    })
}

/// Whether the file starts as a web page does (a byte order mark and blanks before it
/// allowed).
fn web_page(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..head.len().min(start + 16)];
    let lower = head.to_ascii_lowercase();
    [
        &b"<!doctype html"[..],
        b"<html",
        b"<table",
        b"<head",
        b"<meta",
    ]
    .iter()
    .any(|tag| lower.starts_with(tag))
}

/// Whether `needle` is in the first 4 KiB of `head`.
fn find(head: &[u8], needle: &[u8]) -> bool {
    head[..head.len().min(4096)]
        .windows(needle.len())
        .any(|w| w == needle)
}

/// The UTF-16 a file's byte order mark names (Excel's "Unicode Text" is UTF-16LE), if any.
pub(crate) fn utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(UTF_16LE),
        Some([0xFE, 0xFF]) => Some(UTF_16BE),
        _ => None,
    }
}

/// The error [`Utf16Text`] reads as where a character is broken.
#[derive(Debug)]
pub(crate) struct BrokenText;

impl std::fmt::Display for BrokenText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not UTF-16 text (a broken character, or the file cut inside one): save the file as CSV UTF-8")
    }
}

impl std::error::Error for BrokenText {}

/// A UTF-16 stream read as UTF-8, a piece at a time, for files too large to read whole
/// (usage files). Its byte order mark is dropped. A lone surrogate, or a file cut inside a
/// character, is an error of kind `InvalidData` once the text before it is handed out:
/// never replaced.
pub(crate) struct Utf16Text<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    /// Decoded text not yet handed out, from `at`.
    out: Vec<u8>,
    at: usize,
    /// A broken character was met: told once the text before it is handed out.
    broken: bool,
    ended: bool,
}

impl<R: std::io::BufRead> Utf16Text<R> {
    /// `inner` from its first byte (the mark), in the encoding [`utf16`] named.
    pub(crate) fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Self {
        Utf16Text {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            out: Vec::new(),
            at: 0,
            broken: false,
            ended: false,
        }
    }

    /// Decodes the next piece of the input into `out`.
    fn decode_more(&mut self) -> std::io::Result<()> {
        let input = self.inner.fill_buf()?;
        let last = input.is_empty();
        let room = self
            .decoder
            .max_utf8_buffer_length_without_replacement(input.len())
            .unwrap_or(input.len().saturating_mul(3));
        self.out.clear();
        self.out.resize(room, 0);
        self.at = 0;
        let (result, read, written) =
            self.decoder
                .decode_to_utf8_without_replacement(input, &mut self.out, last);
        self.inner.consume(read);
        self.out.truncate(written);
        match result {
            DecoderResult::Malformed(..) => self.broken = true,
            DecoderResult::InputEmpty if last => self.ended = true,
            _ => {}
        }
        Ok(())
    }
}

impl<R: std::io::BufRead> std::io::Read for Utf16Text<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.at < self.out.len() {
                let n = buf.len().min(self.out.len() - self.at);
                buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            if self.broken {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    BrokenText,
                ));
            }
            if self.ended {
                return Ok(0);
            }
            self.decode_more()?;
        }
    }
}

/// `,`, `;` or a tab (Excel's "Text (Tab delimited)"): whichever separates more fields of
/// the header line (outside quotes); a comma where none does.
pub(crate) fn delimiter(first_line: &[u8]) -> u8 {
    let (mut counts, mut quoted) = ([0usize; 3], false);
    const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];
    for &b in first_line {
        match b {
            b'"' => quoted = !quoted,
            b'\n' => break,
            _ if quoted => {}
            _ => {
                if let Some(i) = SEPARATORS.iter().position(|s| *s == b) {
                    counts[i] += 1;
                }
            }
        }
    }
    // The first of the most frequent: a tie goes to the comma, then the semicolon.
    let most = counts.iter().copied().max().unwrap_or(0);
    let at = counts.iter().position(|c| *c == most).unwrap_or(0);
    SEPARATORS[at]
}

/// The line a CSV record (or a reader's error) starts on, from the byte it starts at: the
/// csv crate's own count is one short after a CRLF line break (rust-csv#395), and Excel on
/// Windows ends its lines so. Records come in order, so counting on from the last one reads
/// the text once.
pub(crate) struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Lines {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line at `position` (0 when the reader gives none).
    pub(crate) fn of(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(p) = position else {
            return 0;
        };
        let mut start =
            usize::try_from(p.byte()).map_or(self.text.len(), |b| b.min(self.text.len()));
        // After a CRLF the reader starts the next record on the LF it left behind; blank
        // lines before a record are skipped as the reader skips them.
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.at {
            (self.at, self.line) = (0, 1);
        }
        let breaks = self.text[self.at..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.line += breaks as u64;
        self.at = start;
        self.line
    }
}

/// Where a quoted cell that is never closed opens, as a count of line ends before it in
/// `bytes` (which start at the start of a row): None when every quote closes. A quote opens
/// a cell only at its start, and two quotes inside one stand for a quote (RFC 4180, as the
/// csv reader takes them).
pub(crate) fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<u64> {
    let (mut quoted, mut at_start) = (false, true);
    let (mut line, mut opened_on) = (0u64, 0u64);
    let mut bytes = bytes.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        if b == b'\n' {
            line += 1;
        }
        if quoted {
            if b == b'"' && bytes.next_if_eq(&b'"').is_none() {
                quoted = false;
            }
            at_start = false;
        } else if b == b'"' && at_start {
            quoted = true;
            opened_on = line;
            at_start = false;
        } else {
            at_start = b == delimiter || b == b'\n' || b == b'\r';
        }
    }
    quoted.then_some(opened_on)
}

/// A quoted cell opening on `line` and never closed: the file was cut short (a download
/// that stopped, a copy of part of it), or the quote is stray. Read as it stands, the cell
/// would be the cut text: `"12,345.67"` cut to `"12,3` as 12.3.
pub(crate) fn unclosed_quote_problem(line: u64) -> ImportProblem {
    ImportProblem::new(
        line,
        "file",
        Code::UnclosedQuote,
        "a quoted cell that opens on this line is never closed: the file is cut short, or the quote is stray",
    )
}

/// The problem of a file read whole whose last quoted cell never closes, on the line it
/// opens on.
pub(crate) fn open_quote_at_end(text: &str, delimiter: u8) -> Option<ImportProblem> {
    unclosed_quote(text.as_bytes(), delimiter).map(|l| unclosed_quote_problem(l + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_left_open_is_found_where_it_opens_and_nothing_else_counts_as_one() {
        let open = |s: &str| unclosed_quote(s.as_bytes(), b',');
        // Closed ones: doubled quotes inside, a line end inside, a quote inside an
        // unquoted cell (taken as text, as the reader does), an empty quoted cell.
        for closed in [
            "a,\"b \"\"c\"\" d\",e\n",
            "a,\"two\nlines\",c\n",
            "a,5\" disk,c\n\"x\"",
            "\"\",\"\"\"\"\n",
            "",
        ] {
            assert_eq!(open(closed), None, "{closed:?}");
        }
        assert_eq!(open("a,b\nc,\"12,3"), Some(1));
        assert_eq!(open("\"stray,b\nc,d\ne,f\n"), Some(0), "where it opens");
        assert_eq!(open("a,\"ends with a doubled quote \"\""), Some(0));
        assert_eq!(open("a,\"x\"\r\nb,\"two\r\nlines"), Some(1));
        // Another separator: a quote after a comma inside a cell is no cell's start.
        assert_eq!(unclosed_quote(b"a;b,\"c;d\n", b';'), None);
        assert_eq!(unclosed_quote(b"a;b;\"c,d\n", b';'), Some(0));
        let p = open_quote_at_end("a,b\nc,\"d", b',').unwrap();
        assert_eq!(
            (p.line, p.field.as_str(), p.code),
            (2, "file", Code::UnclosedQuote)
        );
    }

    #[test]
    fn text_is_utf8_with_or_without_bom_or_big5() {
        assert_eq!(text("日期,金額".as_bytes()).unwrap(), "日期,金額");
        assert_eq!(text(b"\xEF\xBB\xBFa,b").unwrap(), "a,b");
        let (big5, _, bad) = BIG5.encode("雲橋科技,1,234\n");
        assert!(!bad);
        assert_eq!(text(&big5).unwrap(), "雲橋科技,1,234\n");
        let mut broken = b"a,b\nc,d\n".to_vec();
        broken.extend_from_slice(&big5);
        broken.extend_from_slice(b"\xFF\xFF,1\n");
        let p = text(&broken).unwrap_err();
        assert_eq!((p.line, p.code), (4, Code::NotText), "{p:?}");
    }

    /// Excel's "Unicode Text": UTF-16, little-endian, with its byte order mark (and tabs).
    #[test]
    fn text_is_utf16_where_its_byte_order_mark_says_so() {
        let words = "名稱\t金額\r\n雲橋科技\t1234\r\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in words.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(text(&le).unwrap(), words);
        assert_eq!(text(&be).unwrap(), words);
        // Cut inside a character, or a lone surrogate: refused, not replaced.
        let p = text(&le[..le.len() - 1]).unwrap_err();
        assert_eq!((p.line, p.code), (1, Code::NotText), "{p:?}");
        let p = text(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]).unwrap_err();
        assert_eq!(p.code, Code::NotText, "{p:?}");
        // Without the mark, the same bytes are not text in any encoding RiskDesk reads.
        assert!(text(&le[2..]).is_err());
    }

    /// Read a piece at a time: a pair of surrogates split between two reads of the file,
    /// and a buffer of one byte, give the text whole; a lone surrogate gives the text before
    /// it, then an error.
    #[test]
    fn utf16_is_read_as_utf8_a_piece_at_a_time() {
        use std::io::{BufReader, Read};
        let words = "名稱\t金額 😀\r\n雲橋科技\t1234\r\n";
        let le: Vec<u8> = std::iter::once(0xFEFF)
            .chain(words.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        for piece in [1, 3, 4, 64] {
            let mut text = Utf16Text::new(BufReader::with_capacity(piece, &le[..]), UTF_16LE);
            let mut out = Vec::new();
            let mut byte = [0u8; 1];
            while text.read(&mut byte).unwrap() == 1 {
                out.push(byte[0]);
            }
            assert_eq!(String::from_utf8(out).unwrap(), words, "pieces of {piece}");
        }
        let mut lone = le[..8].to_vec();
        lone.extend_from_slice(&[0x00, 0xD8, 0x41, 0x00]);
        let mut text = Utf16Text::new(BufReader::with_capacity(4, &lone[..]), UTF_16LE);
        let mut out = Vec::new();
        let e = text.read_to_end(&mut out).unwrap_err();
        assert_eq!(String::from_utf8(out).unwrap(), "名稱\t");
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        assert!(e.get_ref().unwrap().is::<BrokenText>(), "{e}");
    }

    /// A download packed as `.zip` names the file inside it; a workbook (a ZIP archive of
    /// Office parts), or one whose first name cannot be read, is a workbook.
    #[test]
    fn a_zip_archive_names_the_file_inside_it() {
        let zip = |name: &str| {
            let mut head = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
            head.resize(26, 0);
            head.extend_from_slice(&(name.len() as u16).to_le_bytes());
            head.extend_from_slice(&[0, 0]);
            head.extend_from_slice(name.as_bytes());
            head.extend_from_slice(b"\x8d\x92...");
            head
        };
        for (name, shown) in [
            ("usage.csv", "usage.csv"),
            ("exports/2026-11/part_0_0001.csv.gz", "part_0_0001.csv.gz"),
            ("每日用量.csv", "每日用量.csv"),
        ] {
            let p = container(&zip(name)).unwrap();
            assert_eq!((p.line, p.code), (1, Code::ZipArchive), "{name}");
            assert!(
                p.message.contains(&format!("holding {shown}:")),
                "{}",
                p.message
            );
        }
        for part in [
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "mimetype",
        ] {
            let p = container(&zip(part)).unwrap();
            assert_eq!(p.code, Code::NotASheet, "{part}");
        }
        // Cut before its name ends, or a name that is not text: a workbook, as before.
        let mut cut = zip("usage.csv");
        cut.truncate(33);
        assert_eq!(container(&cut).unwrap().code, Code::NotASheet);
        assert_eq!(container(&zip("a\u{7}b")).unwrap().code, Code::NotASheet);
    }

    #[test]
    fn the_separator_is_what_splits_the_header_outside_quotes() {
        assert_eq!(delimiter(b"a;b;\"c,d\";e\n"), b';');
        assert_eq!(delimiter(b"a,b,c"), b',');
        assert_eq!(delimiter(b"a;b\nc,d,e,f,g\n"), b';');
        assert_eq!(delimiter(b"a\tb\tc,d\n"), b'\t');
        assert_eq!(delimiter(b"\"a\tb\"\tc;d;e\n"), b';');
        assert_eq!(delimiter(b"a,b;c\td\n"), b',', "a tie goes to the comma");
        assert_eq!(delimiter(b"a;b\tc\n"), b';', "then to the semicolon");
        assert_eq!(delimiter(b"single\n"), b',');
        assert_eq!(delimiter(b""), b',');
    }

    /// Each record's line, with LF and with CRLF line breaks, a quoted cell over two lines and
    /// a blank line among them: the line its text starts on.
    #[test]
    fn a_record_s_line_is_the_same_whatever_ends_the_lines() {
        for eol in ["\n", "\r\n"] {
            let text = ["h,i", "a,1", "\"b", "b\",2", "", "c,3"].join(eol) + eol;
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let mut lines = Lines::new(&text);
            let found: Vec<u64> = reader
                .records()
                .map(|r| lines.of(r.unwrap().position()))
                .collect();
            assert_eq!(found, [2, 3, 6], "{eol:?}");
        }
    }
}
