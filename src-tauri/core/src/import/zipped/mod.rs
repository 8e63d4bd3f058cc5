//! A file that comes packed in a ZIP archive (`usage.zip` holding `usage.csv`, as a
//! download or an e-mail attachment may come), read as that file: its one member inflated
//! as it is read and checked against the CRC-32 the archive records for it. Folders and
//! what a Mac adds when it compresses (`__MACOSX/`, `.DS_Store`) are passed over. An
//! archive holding more than one file (except for a usage import, which reads them as the
//! parts of one export, [`Archive`]), locked with a password, cut short, damaged or packed
//! another way than stored or deflated is refused, naming its file and saying to extract it.
//!
//! The archive is read from its start, one local header after another, never from its
//! central directory at the end: a usage file streams through it however large it is. The
//! parts of one usage export packed together are read the same way, one after another
//! ([`Archive`]).

use std::fmt;
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex, PoisonError};

use flate2::bufread::DeflateDecoder;
use flate2::Crc;

use crate::error::{Code, ImportProblem};

mod whole;
pub use whole::{each_file, files, unzip};

const LOCAL: [u8; 4] = *b"PK\x03\x04";
const DESCRIPTOR: [u8; 4] = *b"PK\x07\x08";
/// General purpose flags: encrypted (bit 0), sizes and CRC in a descriptor after the data
/// (bit 3), strong encryption (bit 6), the name in UTF-8 (bit 11).
const ENCRYPTED: u16 = 1 | 1 << 6;
const SIZES_AFTER: u16 = 1 << 3;
const UTF8_NAME: u16 = 1 << 11;

/// Why a ZIP archive's file cannot be read: the file named as the archive holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZipProblem {
    pub code: Code,
    /// The file, without its folders (empty before the archive names one).
    pub name: String,
    pub message: String,
}

impl fmt::Display for ZipProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ZipProblem {}

impl ZipProblem {
    /// The problem on the file's line 1, its file's name a parameter of the translation.
    pub fn to_problem(&self) -> ImportProblem {
        let problem = ImportProblem::new(1, "file", self.code, self.message.clone());
        if matches!(self.code, Code::ZipArchive | Code::ZipCutShort) {
            problem.with("name", &self.name)
        } else {
            problem
        }
    }

    /// The problem an I/O error carries, when it is one.
    pub fn of(e: &io::Error) -> Option<&ZipProblem> {
        e.get_ref().and_then(|e| e.downcast_ref::<ZipProblem>())
    }
}

/// The archive's file `name` cannot be read as it is (`why`); before the archive names a
/// file, the archive cannot.
fn refuse(name: &str, why: &str) -> io::Error {
    refuse_as(
        name,
        why,
        &format!("extract {name} from it, then import that file"),
    )
}

fn refuse_as(name: &str, why: &str, instead: &str) -> io::Error {
    let problem = if name.is_empty() {
        ZipProblem {
            code: Code::Unreadable,
            name: String::new(),
            message: format!("the file is a ZIP archive {why} before its first file"),
        }
    } else {
        ZipProblem {
            code: Code::ZipArchive,
            name: name.to_string(),
            message: format!("the file is a ZIP archive holding {name} {why}: {instead}"),
        }
    };
    io::Error::new(io::ErrorKind::InvalidData, problem)
}

/// Whether `head` starts a ZIP archive that is not a workbook or another Office or
/// OpenDocument file (those are ZIP archives too, and are named for what they are). Cut
/// before its first file's name ends, it is taken for a workbook, as before.
pub fn is_archive(head: &[u8]) -> bool {
    if !head.starts_with(&LOCAL) {
        return false;
    }
    let Some(length) = head.get(26..28).map(|b| u16_at(b, 0) as usize) else {
        return false;
    };
    let Some(name) = head.get(30..30 + length) else {
        return false;
    };
    ![
        &b"[Content_Types].xml"[..],
        b"mimetype",
        b"_rels/",
        b"docProps/",
        b"xl/",
        b"word/",
        b"ppt/",
    ]
    .iter()
    .any(|part| name.starts_with(part))
}

/// One member's local header.
struct Header {
    name: String,
    flags: u16,
    method: u16,
    crc: u32,
    /// The stored size (from the ZIP64 extra field where the header's is all ones).
    compressed: u64,
    zip64: bool,
}

impl Header {
    fn folder(&self) -> bool {
        self.name.ends_with('/') || self.name.ends_with('\\')
    }

    /// A folder, or what a Mac adds beside the file it compresses.
    fn passed_over(&self) -> bool {
        self.folder()
            || self.name.starts_with("__MACOSX/")
            || self.name.rsplit(['/', '\\']).next() == Some(".DS_Store")
    }

    /// The name as shown: the file's own, without its folders.
    fn shown(&self) -> &str {
        self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name)
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The most the list of files at an archive's end is read (a million files' worth).
const MAX_DIRECTORY: u64 = 64 << 20;

/// Where the members end: the list of the archive's files (its central directory, or for an
/// archive of no file its end record alone), read to the archive's end, which must be that
/// list's end record. An archive cut short after a file's data (a download stopped between
/// two files) has none: refused, never read as the files before the cut.
fn end_of_archive(r: &mut impl BufRead, signature: [u8; 4], after: &str) -> io::Result<()> {
    const CENTRAL: [u8; 4] = *b"PK\x01\x02";
    const END: [u8; 4] = *b"PK\x05\x06";
    const END64: [u8; 4] = *b"PK\x06\x06";
    if ![CENTRAL, END, END64].contains(&signature) {
        return Err(refuse(after, "but it is damaged"));
    }
    let mut tail = signature.to_vec();
    r.take(MAX_DIRECTORY).read_to_end(&mut tail)?;
    // The end record: 22 bytes and a comment of at most 65,535, the comment's length in its
    // last two fixed bytes, ending the archive.
    let last = tail.len().saturating_sub(22);
    let closed = (last.saturating_sub(usize::from(u16::MAX))..=last)
        .rev()
        .any(|at| {
            tail[at..].starts_with(&END)
                && tail.len() >= at + 22
                && at + 22 + usize::from(u16_at(&tail, at + 20)) == tail.len()
        });
    if closed {
        Ok(())
    } else {
        Err(cut_after(after))
    }
}

/// An archive that ends, or whose list of files ends, before it should.
fn cut_after(after: &str) -> io::Error {
    if after.is_empty() {
        return refuse(after, "but is cut short");
    }
    let problem = ZipProblem {
        code: Code::ZipCutShort,
        name: after.to_string(),
        message: format!(
            "the file is a ZIP archive cut short after {after}: the list of its files at its end is missing, so files after it may be lost; download or pack it again"
        ),
    };
    io::Error::new(io::ErrorKind::InvalidData, problem)
}

/// The next member's header, or None where the members end (the central directory).
fn header(r: &mut impl BufRead, after: &str) -> io::Result<Option<Header>> {
    let mut signature = [0u8; 4];
    if read_all(r, &mut signature)? < 4 {
        return Err(cut_after(after));
    }
    if signature != LOCAL {
        end_of_archive(r, signature, after)?;
        return Ok(None);
    }
    let mut fixed = [0u8; 26];
    if read_all(r, &mut fixed)? < 26 {
        return Err(refuse(after, "but is cut short"));
    }
    let mut name = vec![0u8; u16_at(&fixed, 22) as usize];
    let mut extra = vec![0u8; u16_at(&fixed, 24) as usize];
    if read_all(r, &mut name)? < name.len() || read_all(r, &mut extra)? < extra.len() {
        return Err(refuse(after, "but is cut short"));
    }
    let flags = u16_at(&fixed, 2);
    let name = match String::from_utf8(name) {
        Ok(name) => name,
        // Windows in Taiwan writes a name in Big5 without saying so.
        Err(e) if flags & UTF8_NAME == 0 => encoding_rs::BIG5
            .decode_without_bom_handling(e.as_bytes())
            .0
            .into_owned(),
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    let mut compressed = u64::from(u32_at(&fixed, 14));
    let uncompressed_all_ones = u32_at(&fixed, 18) == u32::MAX;
    let mut zip64 = false;
    let mut at = 0;
    while at + 4 <= extra.len() {
        let (id, size) = (u16_at(&extra, at), u16_at(&extra, at + 2) as usize);
        let body = extra.get(at + 4..at + 4 + size).unwrap_or(&[]);
        if id == 1 {
            zip64 = true;
            // The sizes that are all ones in the header, in order: uncompressed, compressed.
            let skip = if uncompressed_all_ones { 8 } else { 0 };
            if compressed == u64::from(u32::MAX) {
                if let Some(b) = body.get(skip..skip + 8) {
                    compressed = u64::from_le_bytes(b.try_into().unwrap_or([0xff; 8]));
                }
            }
        }
        at += 4 + size;
    }
    Ok(Some(Header {
        name,
        flags,
        method: u16_at(&fixed, 4),
        crc: u32_at(&fixed, 10),
        compressed,
        zip64,
    }))
}

/// Reads until `buf` is full or the input ends: how many bytes were read.
fn read_all(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match r.read(&mut buf[done..]) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

enum Body<R> {
    Stored(io::Take<R>),
    Deflated(DeflateDecoder<R>),
}

impl<R: BufRead> Body<R> {
    fn open(r: R, h: &Header) -> io::Result<Body<R>> {
        if h.flags & ENCRYPTED != 0 {
            return Err(refuse(h.shown(), "locked with a password"));
        }
        match h.method {
            // A folder holds no bytes, whatever its header says of where its sizes are.
            0 if h.folder() => Ok(Body::Stored(r.take(0))),
            // A descriptor may follow though the header gives the size (Java's writers).
            0 if h.flags & SIZES_AFTER != 0 && h.compressed == 0 => {
                Err(refuse(h.shown(), "stored without its size"))
            }
            0 => Ok(Body::Stored(r.take(h.compressed))),
            8 => Ok(Body::Deflated(DeflateDecoder::new(r))),
            m => Err(refuse(
                h.shown(),
                &format!("packed with a method RiskDesk does not read (method {m})"),
            )),
        }
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Body::Stored(r) => r.read(buf),
            Body::Deflated(r) => r.read(buf),
        }
    }

    /// The reader after the member's data; an error where the data ends early.
    fn end(self, h: &Header) -> io::Result<R> {
        match self {
            Body::Stored(r) if r.limit() > 0 => Err(refuse(h.shown(), "but is cut short")),
            Body::Stored(r) => Ok(r.into_inner()),
            Body::Deflated(r) => Ok(r.into_inner()),
        }
    }
}

/// Reads the data descriptor after a member's data where its header says one follows, and
/// checks the CRC-32 of what was read against the one the archive records.
fn check(r: &mut impl BufRead, h: &Header, crc: u32) -> io::Result<()> {
    let mut recorded = h.crc;
    if h.flags & SIZES_AFTER != 0 {
        let mut word = [0u8; 4];
        if read_all(r, &mut word)? < 4 {
            return Err(refuse(h.shown(), "but is cut short"));
        }
        // The descriptor's signature is optional.
        if word == DESCRIPTOR && read_all(r, &mut word)? < 4 {
            return Err(refuse(h.shown(), "but is cut short"));
        }
        recorded = u32::from_le_bytes(word);
        let mut sizes = [0u8; 16];
        let length = if h.zip64 { 16 } else { 8 };
        if read_all(r, &mut sizes[..length])? < length {
            return Err(refuse(h.shown(), "but is cut short"));
        }
    }
    if recorded != crc {
        return Err(refuse(
            h.shown(),
            "but it is damaged (its CRC-32 is not the one the archive records)",
        ));
    }
    Ok(())
}

/// Reads over a member that is passed over.
fn pass_over<R: BufRead>(r: &mut R, h: &Header) -> io::Result<()> {
    let mut body = Body::open(&mut *r, h)?;
    let mut crc = Crc::new();
    let mut buf = [0u8; 8192];
    loop {
        match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => crc.update(&buf[..n]),
            Err(e) if ZipProblem::of(&e).is_some() => return Err(e),
            Err(_) => return Err(refuse(h.shown(), "but it is damaged")),
        }
    }
    body.end(h)?;
    check(r, h, crc.sum())
}

/// The next member that is not passed over, those before it read past (`last`: the name of
/// the member read before, for the messages).
fn next_file(r: &mut impl BufRead, last: &mut String) -> io::Result<Option<Header>> {
    while let Some(h) = header(r, last)? {
        if !h.passed_over() {
            return Ok(Some(h));
        }
        pass_over(r, &h)?;
        *last = h.shown().to_string();
    }
    Ok(None)
}

/// An archive holding no file to import.
fn no_file(last: &str) -> io::Error {
    let empty = ZipProblem {
        code: Code::EmptyFile,
        name: last.to_string(),
        message: "the file is a ZIP archive that holds no file to import".into(),
    };
    io::Error::new(io::ErrorKind::InvalidData, empty)
}

/// Where the archive's reader goes back once a file of it has been read to its end.
type Back<R> = Arc<Mutex<Option<R>>>;

/// The one file in a ZIP archive, read as it is inflated.
pub struct Member<R: BufRead> {
    body: Option<Body<R>>,
    header: Header,
    crc: Crc,
    /// In an [`Archive`]: where the reader goes after the file's last byte.
    back: Option<Back<R>>,
}

impl<R: BufRead> Member<R> {
    /// The archive's file, the members before it that are passed over read past. An error
    /// carries a [`ZipProblem`].
    pub fn open(mut r: R) -> io::Result<Member<R>> {
        let mut last = String::new();
        match next_file(&mut r, &mut last)? {
            Some(h) => Member::start(r, h, None),
            None => Err(no_file(&last)),
        }
    }

    fn start(r: R, header: Header, back: Option<Back<R>>) -> io::Result<Member<R>> {
        Ok(Member {
            body: Some(Body::open(r, &header)?),
            header,
            crc: Crc::new(),
            back,
        })
    }

    /// The file's name in the archive, without its folders.
    pub fn name(&self) -> &str {
        self.header.shown()
    }

    /// After the file's last byte: its CRC-32 checked, and no other file after it.
    fn finish(&mut self) -> io::Result<()> {
        let Some(body) = self.body.take() else {
            return Ok(());
        };
        let h = &self.header;
        let mut r = body.end(h)?;
        check(&mut r, h, self.crc.sum())?;
        if let Some(back) = &self.back {
            *back.lock().unwrap_or_else(PoisonError::into_inner) = Some(r);
            return Ok(());
        }
        while let Some(next) = header(&mut r, h.shown())? {
            if !next.passed_over() {
                return Err(refuse_as(
                    h.shown(),
                    &format!("and {} besides", next.shown()),
                    "extract the files from it, then import each one",
                ));
            }
            pass_over(&mut r, &next)?;
        }
        Ok(())
    }
}

impl<R: BufRead> Read for Member<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(body) = self.body.as_mut() else {
            return Ok(0);
        };
        if buf.is_empty() {
            return Ok(0);
        }
        match body.read(buf) {
            Ok(0) => {
                self.finish()?;
                Ok(0)
            }
            Ok(n) => {
                self.crc.update(&buf[..n]);
                Ok(n)
            }
            Err(e) if ZipProblem::of(&e).is_some() => Err(e),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(_) => Err(refuse(self.header.shown(), "but it is damaged")),
        }
    }
}

/// A ZIP archive's files read one after another, as they come (the parts of one usage
/// export packed together): each [`Member`] read to its end gives the archive back for the
/// next. Folders and what a Mac adds are passed over, as in [`Member::open`].
pub struct Archive<R: BufRead> {
    back: Back<R>,
    /// The name of the member read last, for the messages.
    last: String,
    files: usize,
    done: bool,
}

impl<R: BufRead> Archive<R> {
    pub fn new(r: R) -> Archive<R> {
        Archive {
            back: Arc::new(Mutex::new(Some(r))),
            last: String::new(),
            files: 0,
            done: false,
        }
    }

    /// The archive's next file, or None after its last. An archive without any is refused
    /// (a [`ZipProblem`]), as is asking for the next before the one before was read to its
    /// end.
    pub fn next_member(&mut self) -> io::Result<Option<Member<R>>> {
        if self.done {
            return Ok(None);
        }
        let taken = self
            .back
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some(mut r) = taken else {
            return Err(io::Error::other(format!(
                "{} in the ZIP archive was not read to its end",
                self.last
            )));
        };
        match next_file(&mut r, &mut self.last)? {
            Some(h) => {
                self.files += 1;
                self.last = h.shown().to_string();
                Member::start(r, h, Some(Arc::clone(&self.back))).map(Some)
            }
            None if self.files == 0 => Err(no_file(&self.last)),
            None => {
                self.done = true;
                Ok(None)
            }
        }
    }
}

/// The problem an error reading a file is, on its line 1: its ZIP archive's problem where it
/// carries one, else that it cannot be read.
pub(crate) fn unreadable(e: io::Error) -> ImportProblem {
    match ZipProblem::of(&e) {
        Some(z) => z.to_problem(),
        None => ImportProblem::new(
            1,
            "file",
            Code::Unreadable,
            format!("cannot read the file: {e}"),
        ),
    }
}

/// `what` (in the archive) larger than `max` bytes (`how`), too large for its kind.
pub(crate) fn too_large(max: u64, what: &str, how: &str) -> ImportProblem {
    let mib = max >> 20;
    ImportProblem::new(
        1,
        "file",
        Code::FileTooLarge,
        format!("{what} larger than {mib} MiB{how}, too large for a file of this kind"),
    )
    .with("max", mib)
}
