//! Usage as Microsoft Graph exports it (`/reports/partners/billing/usage/.../export`): JSON
//! lines, one usage record an object, in blobs compressed with gzip (FORMATS.md 1.1: the
//! same attributes as the CSV's columns, named in camel case). Each object is read as a row
//! of the CSV the rest of the import knows, its attribute names as the header, so a Graph
//! export and the portal's CSV of the same days are one set of days.
//!
//! Numbers keep the digits the file wrote (never through a float); `null` is an empty cell;
//! a nested object (`additionalInfo`, `tags`) is its JSON text. A blank line is a row of
//! empty cells, so line numbers stay the file's (the header the reader sees is one line before them,
//! which [`file_line`] takes back).

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::value::RawValue;

use crate::error::{Code, ImportProblem};
use crate::import::zipped::{unreadable, Archive};

/// The first bytes of a gzip stream.
const GZIP: &[u8] = &[0x1f, 0x8b];

/// A usage file as the text the import reads.
pub(crate) struct Plain<'a> {
    /// A gzip stream decompressed, JSON lines written as CSV, or the file as it is.
    pub text: Box<dyn Read + Send + 'a>,
    /// The file was JSON lines: its problems' lines are [`file_line`]'s.
    pub json_lines: bool,
    /// Where the text is not the file's bytes: how many of those have been read so far.
    pub file_bytes: Option<Arc<AtomicU64>>,
}

/// `reader` as the text of one usage file ([`Plain`]).
#[cfg(test)]
pub(crate) fn plain<'a>(reader: impl Read + Send + 'a) -> Result<Plain<'a>, ImportProblem> {
    match Parts::open(reader)?.next()? {
        Some((_, Part::Usage(plain))) => Ok(plain),
        _ => panic!("a usage file"),
    }
}

/// One file of those a chosen file holds.
pub(crate) enum Part<'a> {
    Usage(Plain<'a>),
    /// A Graph export's manifest ([`super::manifest`]).
    Manifest(super::manifest::Manifest),
}

type Text<'a> = Box<dyn BufRead + Send + 'a>;

/// A file chosen for a usage import as the usage files it holds: itself, or each file of a
/// ZIP archive in turn (the parts of one export packed together, [`Archive`]), each of
/// them possibly a gzip blob.
pub(crate) struct Parts<'a> {
    /// The file itself, until it is read, when it is not an archive.
    file: Option<Text<'a>>,
    archive: Option<Archive<Text<'a>>>,
    /// How many of the file's bytes have been read.
    read: Arc<AtomicU64>,
}

impl<'a> Parts<'a> {
    pub(crate) fn open(reader: impl Read + Send + 'a) -> Result<Parts<'a>, ImportProblem> {
        let read = Arc::new(AtomicU64::new(0));
        let counted = Counted {
            inner: reader,
            read: Arc::clone(&read),
        };
        let mut r: Text<'a> = Box::new(io::BufReader::with_capacity(1 << 16, counted));
        let zip = crate::import::zipped::is_archive(r.fill_buf().map_err(unreadable)?);
        let (file, archive) = if zip {
            (None, Some(Archive::new(r)))
        } else {
            (Some(r), None)
        };
        Ok(Parts {
            file,
            archive,
            read,
        })
    }

    /// The next file to read, after the one before was read to its end: its name in the
    /// archive (None for the file itself) and its text; None after the last.
    pub(crate) fn next(&mut self) -> Result<Option<(Option<String>, Part<'a>)>, ImportProblem> {
        if let Some(r) = self.file.take() {
            return decoded(r, &self.read, false).map(|p| Some((None, p)));
        }
        let Some(archive) = self.archive.as_mut() else {
            return Ok(None);
        };
        let Some(member) = archive.next_member().map_err(unreadable)? else {
            return Ok(None);
        };
        let name = member.name().to_string();
        let r = Box::new(io::BufReader::with_capacity(1 << 16, member));
        decoded(r, &self.read, true).map(|p| Some((Some(name), p)))
    }

    /// How many of the file's bytes have been read.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }
}

/// One file as the text the import reads: gzip decompressed, UTF-16 as UTF-8, JSON as CSV.
/// `zip`: the file came out of an archive (its progress is then in the archive's bytes).
fn decoded<'a>(
    mut r: Text<'a>,
    read: &Arc<AtomicU64>,
    zip: bool,
) -> Result<Part<'a>, ImportProblem> {
    let gzip = r.fill_buf().map_err(unreadable)?.starts_with(GZIP);
    if gzip {
        let gz = flate2::bufread::MultiGzDecoder::new(r);
        r = Box::new(io::BufReader::with_capacity(1 << 16, gz));
    }
    // UTF-16 with its byte order mark (Excel's "Unicode Text", PowerShell's `Out-File`) is
    // read as the UTF-8 it stands for, a piece at a time.
    let utf16 = crate::import::utf16(r.fill_buf().map_err(unreadable)?);
    if let Some(encoding) = utf16 {
        let text = crate::import::Utf16Text::new(r, encoding);
        r = Box::new(io::BufReader::with_capacity(1 << 16, text));
    }
    let head = r.fill_buf().map_err(unreadable)?;
    if super::manifest::looks_like(head) {
        return Ok(Part::Manifest(super::manifest::read(r)?));
    }
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    let first_line = start.map_or(&[][..], |s| {
        let rest = &head[s..];
        &rest[..rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len())]
    });
    if matches!(first_line.first(), Some(b'[' | b'{')) && !is_record(first_line) {
        return Ok(Part::Usage(Plain {
            text: Box::new(AsCsv::new(io::Cursor::new(records_of(r)?))),
            json_lines: true,
            file_bytes: Some(Arc::clone(read)),
        }));
    }
    if first_line.first() == Some(&b'{') {
        return Ok(Part::Usage(Plain {
            text: Box::new(AsCsv::new(r)),
            json_lines: true,
            file_bytes: Some(Arc::clone(read)),
        }));
    }
    Ok(Part::Usage(Plain {
        text: Box::new(r),
        json_lines: false,
        file_bytes: (gzip || zip || utf16.is_some()).then(|| Arc::clone(read)),
    }))
}

/// Whether a line is one usage record: a JSON object that is not a response wrapping a list
/// of them (`{"items": [...]}`, `{"value": [...]}`).
fn is_record(line: &[u8]) -> bool {
    serde_json::from_slice::<BTreeMap<String, Box<RawValue>>>(line).is_ok_and(|o| {
        !o.iter().any(|(k, v)| {
            (k.eq_ignore_ascii_case("items") || k.eq_ignore_ascii_case("value"))
                && v.get().starts_with('[')
        })
    })
}

/// The most a JSON document (rather than lines) may hold: the Partner Center API answers in
/// pages of at most 2,000 records.
const MAX_DOCUMENT: u64 = 256 << 20;

/// A JSON document of usage records (a list, or the API's `{"items": [...]}` or Graph's
/// `{"value": [...]}`, as a response is saved) as JSON lines: record N on line N.
fn records_of(mut r: impl Read) -> Result<Vec<u8>, ImportProblem> {
    let text = crate::import::read_capped(&mut r, MAX_DOCUMENT).map_err(unreadable)?;
    if text.len() as u64 > MAX_DOCUMENT {
        return Err(ImportProblem::new(
            1,
            "file",
            Code::Unreadable,
            format!(
                "a JSON document of more than {} MiB: export the records as JSON lines",
                MAX_DOCUMENT >> 20
            ),
        ));
    }
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&text);
    let not_json = |e: serde_json::Error| {
        ImportProblem::new(
            e.line().max(1) as u64,
            "file",
            Code::Unreadable,
            format!("not a JSON list of usage records ({e})"),
        )
    };
    let items: Vec<Box<RawValue>> = match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => serde_json::from_slice(text).map_err(not_json)?,
        _ => {
            let object: BTreeMap<String, Box<RawValue>> =
                serde_json::from_slice(text).map_err(not_json)?;
            let list = object.iter().find(|(k, v)| {
                (k.eq_ignore_ascii_case("items") || k.eq_ignore_ascii_case("value"))
                    && v.get().starts_with('[')
            });
            match list {
                Some((_, list)) => serde_json::from_str(list.get()).map_err(not_json)?,
                // No list in it: the object is one record, written over several lines.
                None => vec![serde_json::from_slice(text).map_err(not_json)?],
            }
        }
    };
    let mut out = Vec::with_capacity(text.len());
    for item in items {
        // JSON text has line breaks only between its tokens, never inside a string.
        out.extend(
            item.get()
                .bytes()
                .map(|b| if b == b'\n' || b == b'\r' { b' ' } else { b }),
        );
        out.push(b'\n');
    }
    Ok(out)
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The file's line of a problem the CSV reader placed on `line`: the header it read was made
/// from the first object and is one line before the file's.
pub(crate) fn file_line(line: u64) -> u64 {
    line.saturating_sub(1).max(1)
}

/// JSON lines read as CSV text.
struct AsCsv<R> {
    src: R,
    /// The attribute names, from the first object.
    header: Option<Vec<String>>,
    line: Vec<u8>,
    /// The file's line being read.
    at: u64,
    /// Blank lines before the first object.
    blanks_before: usize,
    pending: Vec<u8>,
    pos: usize,
}

impl<R: BufRead> AsCsv<R> {
    fn new(src: R) -> Self {
        AsCsv {
            src,
            header: None,
            line: Vec::new(),
            at: 0,
            blanks_before: 0,
            pending: Vec::new(),
            pos: 0,
        }
    }

    /// Converts the next line of the file into `pending`; `false` at the end.
    fn next_line(&mut self) -> io::Result<bool> {
        self.line.clear();
        if self.src.read_until(b'\n', &mut self.line)? == 0 {
            return Ok(false);
        }
        self.at += 1;
        let text = self
            .line
            .strip_prefix(b"\xef\xbb\xbf")
            .unwrap_or(&self.line);
        if text.iter().all(u8::is_ascii_whitespace) {
            // A row of empty cells (which the import passes over) keeps the lines after it
            // where the file has them; before the first object, once the header is known.
            match &self.header {
                Some(names) => blank_row(&mut self.pending, names.len()),
                None => self.blanks_before += 1,
            }
            return Ok(true);
        }
        let object: BTreeMap<String, Box<RawValue>> =
            serde_json::from_slice(text).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "line {}: not a JSON object of one usage record ({e})",
                        self.at
                    ),
                )
            })?;
        let header = self.header.get_or_insert_with(|| {
            let mut names: Vec<String> = object.keys().cloned().collect();
            // A writer may leave out an attribute that is null on the first record
            // (`resourceLocation`, `invoiceNumber`): every optional column RiskDesk reads is
            // in the header, so a later record's value is read, never dropped.
            let normalised: Vec<String> = names
                .iter()
                .map(|n| super::read::normalise_header(n))
                .collect();
            let has = |c: &str| normalised.iter().any(|n| n == c);
            if has("billingpretaxtotal") && has("usagedate") {
                for c in super::read::optional_partner_center_columns() {
                    if !has(c) {
                        names.push(c.to_string());
                    }
                }
            }
            write_row(&mut self.pending, names.iter().map(String::as_str));
            for _ in 0..self.blanks_before {
                blank_row(&mut self.pending, names.len());
            }
            names
        });
        let cells: Vec<String> = header
            .iter()
            .map(|name| {
                // A name the first record wrote another way (`CustomerId`, `customerId`) is
                // the same attribute.
                object
                    .get(name)
                    .or_else(|| {
                        object
                            .iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case(name))
                            .map(|(_, v)| v)
                    })
                    .map_or_else(String::new, |v| cell(v))
            })
            .collect();
        write_row(&mut self.pending, cells.iter().map(String::as_str));
        Ok(true)
    }
}

/// One CSV row: a cell with a comma, a quote or a line break quoted, its quotes doubled.
fn write_row<'c>(out: &mut Vec<u8>, cells: impl Iterator<Item = &'c str>) {
    for (i, c) in cells.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if c.contains([',', '"', '\n', '\r']) {
            out.push(b'"');
            out.extend_from_slice(c.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(c.as_bytes());
        }
    }
    out.push(b'\n');
}

/// A row of `width` empty cells.
fn blank_row(out: &mut Vec<u8>, width: usize) {
    out.extend(std::iter::repeat_n(b',', width.saturating_sub(1)));
    out.push(b'\n');
}

/// A JSON value as the CSV cell the portal writes for it.
fn cell(v: &RawValue) -> String {
    let raw = v.get();
    match raw.as_bytes().first() {
        Some(b'"') => serde_json::from_str(raw).unwrap_or_default(),
        _ if raw == "null" => String::new(),
        _ => raw.to_string(),
    }
}

impl<R: BufRead> Read for AsCsv<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.pending.len() {
            self.pending.clear();
            self.pos = 0;
            if !self.next_line()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.pending.len() - self.pos);
        buf[..n].copy_from_slice(&self.pending[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> (String, bool) {
        let mut p = plain(bytes).unwrap();
        let mut out = String::new();
        p.text.read_to_string(&mut out).unwrap();
        (out, p.json_lines)
    }

    #[test]
    fn json_lines_are_read_as_csv_with_exact_numbers() {
        let (csv, json) = read_all(
            b"{\"customerId\":\"a\",\"quantity\":0.1835431430074643112595,\"tags\":{\"k\":\"v, w\"},\"invoiceNumber\":null}\n\
              \n\
              {\"customerId\":\"b \\\"q\\\"\",\"quantity\":-1E-06,\"tags\":null,\"invoiceNumber\":\"T1\"}\n",
        );
        assert!(json);
        assert_eq!(
            read_all(b"{\"customerId\":\"a\"}\n{\"CustomerId\":\"b\"}\n"),
            ("customerId\na\nb\n".to_string(), true)
        );
        assert_eq!(
            csv,
            "customerId,invoiceNumber,quantity,tags\n\
             a,,0.1835431430074643112595,\"{\"\"k\"\":\"\"v, w\"\"}\"\n\
             ,,,\n\
             \"b \"\"q\"\"\",T1,-1E-06,\n"
        );
    }

    #[test]
    fn an_attribute_left_out_of_the_first_record_is_read_on_the_next() {
        let (csv, _) = read_all(
            b"{\"usageDate\":\"2025-01-05\",\"billingPreTaxTotal\":1}\n\
              {\"usageDate\":\"2025-01-06\",\"billingPreTaxTotal\":2,\"resourceLocation\":\"eastasia\"}\n",
        );
        let mut rows = csv::Reader::from_reader(csv.as_bytes());
        let at = rows
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "resourcelocation")
            .unwrap();
        let regions: Vec<String> = rows.records().map(|r| r.unwrap()[at].to_string()).collect();
        assert_eq!(regions, ["", "eastasia"]);
    }

    #[test]
    fn a_csv_passes_as_it_is_and_gzip_is_opened() {
        let (csv, json) = read_all(b"a,b\n1,2\n");
        assert_eq!((csv.as_str(), json), ("a,b\n1,2\n", false));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"{\"a\":1}\n").unwrap();
        let bytes = gz.finish().unwrap();
        assert_eq!(read_all(&bytes), ("a\n1\n".to_string(), true));
    }

    #[test]
    fn a_saved_response_is_its_list_of_records() {
        let lines = "{\"a\":1,\"b\":\"x\"}\n{\"a\":2.50,\"b\":null}\n";
        let want = ("a,b\n1,x\n2.50,\n".to_string(), true);
        for document in [
            "[{\"a\":1,\"b\":\"x\"},{\"a\":2.50,\"b\":null}]".to_string(),
            "{\n  \"totalCount\": 2,\n  \"items\": [\n    {\n      \"a\": 1,\n      \"b\": \"x\"\n    },\n    {\"a\": 2.50, \"b\": null}\n  ]\n}".to_string(),
            "{\"@odata.context\":\"x\",\"Value\":[{\"a\":1,\"b\":\"x\"},{\"a\":2.50,\"b\":null}]}".to_string(),
            lines.to_string(),
        ] {
            assert_eq!(read_all(document.as_bytes()), want, "{document}");
        }
        // An empty page is no record; one record written over several lines is a record; an
        // object with neither records nor a list is the usage file the import refuses by its
        // missing columns.
        assert_eq!(
            read_all(b"{\n  \"a\": 1,\n  \"value\": \"x\"\n}\n"),
            ("a,value\n1,x\n".to_string(), true)
        );
        assert_eq!(
            read_all(b"{\"totalCount\":0,\"items\":[]}"),
            (String::new(), true)
        );
        assert_eq!(
            read_all(b"{\"totalCount\": 0}"),
            ("totalCount\n0\n".to_string(), true)
        );
    }

    #[test]
    fn a_line_that_is_no_object_is_named() {
        let mut p = plain(&b"{\"a\":1}\n[1,2]\n"[..]).unwrap();
        let e = p.text.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(
            e.to_string().starts_with("line 2: not a JSON object"),
            "{e}"
        );
    }
}
