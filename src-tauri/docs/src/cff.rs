//! The shipped CJK font's outlines (a CID-keyed CFF table), read once, and the subset of
//! them a document embeds.
//!
//! A document embeds only the glyphs it draws. The general subsetter behind printpdf reads
//! the whole 8 MB font again for every document and decodes each outline to learn its
//! width: most of a letter's time. This one reads the table's structure once (where each
//! glyph's charstring lies, its CID and its font dict) and writes a document's subset by
//! copying the charstrings it needs: microseconds per document.
//!
//! Scope, checked when the font is read: a CID-keyed CFF (version 1) without subroutines,
//! which is what `fonts/cut-fonts.py` makes (it desubroutinizes). A subset numbers its
//! glyphs, and their CIDs, 1, 2, 3… in the order the document gives them: its charset is
//! then one range, and the document's text codes (Identity-H) small numbers.
//! Format: Adobe Technical Notes 5176 (CFF) and 5014 (CID-keyed fonts).

use std::ops::Range;

/// Top DICT and Font DICT operators this module reads or rewrites.
const OP_CHARSET: u16 = 15;
const OP_ENCODING: u16 = 16;
const OP_CHARSTRINGS: u16 = 17;
const OP_PRIVATE: u16 = 18;
const OP_SUBRS: u16 = 19;
const OP_ROS: u16 = 1230;
const OP_FONTNAME: u16 = 1238;
const OP_FULLNAME: u16 = 2;
const OP_FAMILYNAME: u16 = 3;
const OP_WEIGHT: u16 = 4;
/// The entries whose operands are strings (SIDs): version, Notice, FullName, FamilyName,
/// Weight, Copyright, PostScript, BaseFontName, FontName, and ROS (its first two).
const SID_OPS: [u16; 10] = [0, 1, 2, 3, 4, 1200, 1221, 1222, OP_FONTNAME, OP_ROS];
/// A charstring that draws nothing.
const ENDCHAR: u8 = 14;
/// The first string of a font's own (SIDs below are the standard strings).
const FIRST_SID: usize = 391;
const OP_FDARRAY: u16 = 1236;
const OP_FDSELECT: u16 = 1237;

/// Why the bundled font cannot be read this way.
#[derive(Debug, PartialEq)]
pub struct CffError(pub &'static str);

/// The parts of a CID-keyed CFF a subset is made of.
pub struct CidCff {
    data: &'static [u8],
    name: Range<usize>,
    /// The Top DICT's entries other than the offsets a subset writes again, as they are.
    top_kept: Vec<u8>,
    /// The String INDEX as far as the kept entries refer to it, and the (empty) Global
    /// Subr INDEX.
    strings_and_gsubrs: Vec<u8>,
    /// Each glyph's charstring.
    charstrings: Vec<Range<usize>>,
    /// Each glyph's font dict.
    fd_of: Vec<u8>,
    /// Each font dict's entries but Private and FontName, and its Private DICT.
    fds: Vec<(Vec<u8>, Range<usize>)>,
}

struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&self, at: usize) -> Result<u8, CffError> {
        self.data
            .get(at)
            .copied()
            .ok_or(CffError("the table ends early"))
    }

    fn uint(&self, at: usize, size: usize) -> Result<usize, CffError> {
        (0..size).try_fold(0usize, |v, i| Ok(v << 8 | self.byte(at + i)? as usize))
    }

    /// The items of the INDEX at `at`, and where the INDEX ends.
    fn index(&self, at: usize) -> Result<(Vec<Range<usize>>, usize), CffError> {
        let count = self.uint(at, 2)?;
        if count == 0 {
            return Ok((Vec::new(), at + 2));
        }
        let size = self.uint(at + 2, 1)?;
        if !(1..=4).contains(&size) {
            return Err(CffError("an INDEX has a bad offset size"));
        }
        let offsets = at + 3;
        let base = offsets + (count + 1) * size - 1;
        let mut items = Vec::with_capacity(count);
        let mut start = self.uint(offsets, size)?;
        for i in 1..=count {
            let end = self.uint(offsets + i * size, size)?;
            if end < start || base + end > self.data.len() {
                return Err(CffError("an INDEX has a bad offset"));
            }
            items.push(base + start..base + end);
            start = end;
        }
        Ok((items, base + start))
    }
}

/// One DICT entry: its operator, its integer operands (reals read as 0) and its bytes.
struct Entry {
    op: u16,
    ints: Vec<i64>,
    bytes: Range<usize>,
}

fn dict(data: &[u8], range: Range<usize>) -> Result<Vec<Entry>, CffError> {
    let byte = |i: usize| {
        data.get(i)
            .copied()
            .filter(|_| i < range.end)
            .ok_or(CffError("a DICT is malformed"))
    };
    let mut out = Vec::new();
    let (mut at, mut start, mut ints) = (range.start, range.start, Vec::new());
    while at < range.end {
        let b0 = byte(at)?;
        let (value, len) = match b0 {
            0..=21 => {
                let (op, len) = match b0 {
                    12 => (1200 + byte(at + 1)? as u16, 2),
                    _ => (b0 as u16, 1),
                };
                at += len;
                out.push(Entry {
                    op,
                    ints: std::mem::take(&mut ints),
                    bytes: start..at,
                });
                start = at;
                continue;
            }
            28 => (i16::from_be_bytes([byte(at + 1)?, byte(at + 2)?]) as i64, 3),
            29 => {
                let v = [byte(at + 1)?, byte(at + 2)?, byte(at + 3)?, byte(at + 4)?];
                (i32::from_be_bytes(v) as i64, 5)
            }
            30 => {
                // A real (read as 0: no entry this module reads is one): nibbles up to
                // the one that ends it.
                let mut len = 1;
                loop {
                    let b = byte(at + len)?;
                    len += 1;
                    if b & 0x0f == 0x0f || b >> 4 == 0x0f {
                        break;
                    }
                }
                (0, len)
            }
            32..=246 => (b0 as i64 - 139, 1),
            247..=250 => ((b0 as i64 - 247) * 256 + byte(at + 1)? as i64 + 108, 2),
            251..=254 => (-(b0 as i64 - 251) * 256 - byte(at + 1)? as i64 - 108, 2),
            _ => return Err(CffError("a DICT is malformed")),
        };
        ints.push(value);
        at += len;
    }
    match ints.is_empty() {
        true => Ok(out),
        false => Err(CffError("a DICT ends with operands")),
    }
}

fn operand(entries: &[Entry], op: u16, n: usize) -> Result<Vec<usize>, CffError> {
    let e = entries
        .iter()
        .find(|e| e.op == op)
        .ok_or(CffError("a DICT lacks an entry a CID font needs"))?;
    if e.ints.len() != n || e.ints.iter().any(|v| *v < 0) {
        return Err(CffError("a DICT entry has the wrong operands"));
    }
    Ok(e.ints.iter().map(|v| *v as usize).collect())
}

impl CidCff {
    /// Reads the table's structure (nothing is decoded).
    pub fn parse(data: &'static [u8]) -> Result<CidCff, CffError> {
        let r = Reader { data };
        if r.byte(0)? != 1 {
            return Err(CffError("not a version 1 CFF table"));
        }
        let (names, after_names) = r.index(r.byte(2)? as usize)?;
        let (tops, after_tops) = r.index(after_names)?;
        let (strings, after_strings) = r.index(after_tops)?;
        let (gsubrs, _) = r.index(after_strings)?;
        let (name, top) = match (names.as_slice(), tops.as_slice()) {
            ([n], [t]) => (n.clone(), t.clone()),
            _ => return Err(CffError("not a table of one font")),
        };
        if !gsubrs.is_empty() {
            return Err(CffError("the font has global subroutines"));
        }
        let top = dict(data, top)?;
        if top.first().map(|e| e.op) != Some(OP_ROS) {
            return Err(CffError("not a CID-keyed font"));
        }
        let (charstrings, _) = r.index(operand(&top, OP_CHARSTRINGS, 1)?[0])?;
        let n = charstrings.len();
        let (fd_dicts, _) = r.index(operand(&top, OP_FDARRAY, 1)?[0])?;
        let fd_of = fd_select(&r, operand(&top, OP_FDSELECT, 1)?[0], n, fd_dicts.len())?;
        let mut fds = Vec::new();
        for fd in fd_dicts {
            let entries = dict(data, fd)?;
            let p = operand(&entries, OP_PRIVATE, 2)?;
            let private = p[1]..p[1] + p[0];
            if private.end > data.len()
                || dict(data, private.clone())?
                    .iter()
                    .any(|e| e.op == OP_SUBRS)
            {
                return Err(CffError(
                    "a Private DICT is out of bounds or has subroutines",
                ));
            }
            let kept = entries
                .iter()
                .filter(|e| e.op != OP_PRIVATE && e.op != OP_FONTNAME)
                .flat_map(|e| data[e.bytes.clone()].iter().copied())
                .collect();
            fds.push((kept, private));
        }
        // Entries written again, and the names a PDF gives the font itself (FullName,
        // FamilyName, Weight): left out. The copyright Notice stays.
        let rewritten = [
            OP_CHARSET,
            OP_ENCODING,
            OP_CHARSTRINGS,
            OP_PRIVATE,
            OP_FDARRAY,
            OP_FDSELECT,
            OP_FULLNAME,
            OP_FAMILYNAME,
            OP_WEIGHT,
        ];
        let kept: Vec<&Entry> = top.iter().filter(|e| !rewritten.contains(&e.op)).collect();
        let top_kept = kept
            .iter()
            .flat_map(|e| data[e.bytes.clone()].iter().copied())
            .collect();
        // The strings up to the last one the kept entries name.
        let sids = kept
            .iter()
            .filter(|e| SID_OPS.contains(&e.op))
            .flat_map(|e| {
                let n = if e.op == OP_ROS { 2 } else { 1 };
                e.ints.iter().take(n).copied()
            });
        let used = sids
            .max()
            .map_or(0, |sid| (sid + 1).max(0) as usize)
            .saturating_sub(FIRST_SID);
        if used > strings.len() {
            return Err(CffError("a DICT names a string the font lacks"));
        }
        let used: Vec<&[u8]> = strings[..used].iter().map(|s| &data[s.clone()]).collect();
        let mut strings_and_gsubrs = index(&used);
        strings_and_gsubrs.extend(index(&[]));
        Ok(CidCff {
            data,
            name,
            top_kept,
            strings_and_gsubrs,
            charstrings,
            fd_of,
            fds,
        })
    }

    /// The font dict of glyph `gid`.
    pub fn font_dict(&self, gid: u16) -> u8 {
        self.fd_of.get(gid as usize).copied().unwrap_or(0)
    }

    /// A CFF table of `.notdef` and the glyphs `gids`, glyph (and CID) `i` being
    /// `gids[i - 1]`, each keeping its font dict and outline. A glyph the font lacks is
    /// drawn as `.notdef`, whose outline (a box) is kept only when `notdef_drawn`: a
    /// document that draws none carries an empty one.
    pub fn subset(&self, gids: &[u16], notdef_drawn: bool) -> Vec<u8> {
        let glyphs: Vec<usize> = std::iter::once(0)
            .chain(gids.iter().map(|g| *g as usize))
            .map(|g| if g < self.charstrings.len() { g } else { 0 })
            .collect();
        // The font dicts the glyphs use, numbered again in the order of the originals.
        let mut fd_new = vec![None; self.fds.len()];
        let mut used: Vec<usize> = glyphs.iter().map(|g| self.fd_of[*g] as usize).collect();
        used.sort_unstable();
        used.dedup();
        for (new, old) in used.iter().enumerate() {
            fd_new[*old] = Some(new as u8);
        }

        let name = index(&[&self.data[self.name.clone()]]);
        let strings = &self.strings_and_gsubrs;
        let charset = charset_bytes(glyphs.len() - 1);
        let select = fd_select_bytes(
            glyphs
                .iter()
                .map(|g| fd_new[self.fd_of[*g] as usize].unwrap_or(0)),
        );
        let outlines: Vec<&[u8]> = glyphs
            .iter()
            .enumerate()
            .map(|(i, g)| match (i, notdef_drawn) {
                (0, false) => &[ENDCHAR][..],
                _ => &self.data[self.charstrings[*g].clone()],
            })
            .collect();
        let charstrings = index(&outlines);
        // Offsets are written as 5-byte integers, so every size is known before them.
        // Four offsets of 5 bytes, two one-byte and two two-byte operators.
        let top_len = self.top_kept.len() + 4 * 5 + 2 + 2 * 2;
        let top_index_len = index_len(&[top_len]);
        let mut at = 4 + name.len() + top_index_len + strings.len();
        let charset_at = at;
        at += charset.len();
        let select_at = at;
        at += select.len();
        let charstrings_at = at;
        at += charstrings.len();
        let fd_array_at = at;
        let fd_lens: Vec<usize> = used.iter().map(|fd| self.fds[*fd].0.len() + 11).collect();
        at += index_len(&fd_lens);
        let mut fd_dicts = Vec::new();
        for fd in &used {
            let (kept, private) = &self.fds[*fd];
            let mut d = kept.clone();
            push_int(&mut d, private.len());
            push_int(&mut d, at);
            d.push(OP_PRIVATE as u8);
            at += private.len();
            fd_dicts.push(d);
        }

        let mut top = self.top_kept.clone();
        push_int(&mut top, charset_at);
        top.push(OP_CHARSET as u8);
        push_int(&mut top, select_at);
        top.extend([12, (OP_FDSELECT - 1200) as u8]);
        push_int(&mut top, charstrings_at);
        top.push(OP_CHARSTRINGS as u8);
        push_int(&mut top, fd_array_at);
        top.extend([12, (OP_FDARRAY - 1200) as u8]);
        debug_assert_eq!(top.len(), top_len);

        let mut out = Vec::with_capacity(at);
        out.extend([1, 0, 4, 4]);
        out.extend(name);
        out.extend(index(&[&top]));
        out.extend_from_slice(strings);
        out.extend(charset);
        out.extend(select);
        out.extend(charstrings);
        let fd_refs: Vec<&[u8]> = fd_dicts.iter().map(|d| d.as_slice()).collect();
        out.extend(index(&fd_refs));
        for fd in &used {
            out.extend_from_slice(&self.data[self.fds[*fd].1.clone()]);
        }
        debug_assert_eq!(out.len(), at);
        out
    }
}

fn fd_select(r: &Reader, at: usize, n: usize, fds: usize) -> Result<Vec<u8>, CffError> {
    let mut out = Vec::with_capacity(n);
    match r.byte(at)? {
        0 => {
            for g in 0..n {
                out.push(r.byte(at + 1 + g)?);
            }
        }
        3 => {
            let ranges = r.uint(at + 1, 2)?;
            for i in 0..ranges {
                let p = at + 3 + 3 * i;
                let (first, fd, next) = (r.uint(p, 2)?, r.byte(p + 2)?, r.uint(p + 3, 2)?);
                if first != out.len() || next < first {
                    return Err(CffError("an FDSelect range out of order"));
                }
                out.resize(next.min(n), fd);
            }
        }
        _ => return Err(CffError("an unknown FDSelect format")),
    }
    if out.len() != n || out.iter().any(|fd| *fd as usize >= fds) {
        return Err(CffError("FDSelect does not give every glyph a font dict"));
    }
    Ok(out)
}

/// The charset of a subset: CIDs 1 to `n`, one range (format 2).
fn charset_bytes(n: usize) -> Vec<u8> {
    let mut out = vec![2u8];
    if n > 0 {
        out.extend(1u16.to_be_bytes());
        out.extend(((n - 1) as u16).to_be_bytes());
    }
    out
}

/// The smaller of FDSelect formats 0 (a font dict per glyph) and 3 (runs).
fn fd_select_bytes(fds: impl Iterator<Item = u8>) -> Vec<u8> {
    let fds: Vec<u8> = fds.collect();
    let mut runs: Vec<(u16, u8)> = Vec::new();
    for (g, fd) in fds.iter().enumerate() {
        if runs.last().map(|r| r.1) != Some(*fd) {
            runs.push((g as u16, *fd));
        }
    }
    if 5 + 3 * runs.len() < 1 + fds.len() {
        let mut out = vec![3u8];
        out.extend((runs.len() as u16).to_be_bytes());
        for (first, fd) in runs {
            out.extend(first.to_be_bytes());
            out.push(fd);
        }
        out.extend((fds.len() as u16).to_be_bytes());
        out
    } else {
        let mut out = vec![0u8];
        out.extend(fds);
        out
    }
}

fn offset_size(largest: usize) -> usize {
    match largest {
        0..=0xff => 1,
        0x100..=0xffff => 2,
        0x1_0000..=0xff_ffff => 3,
        _ => 4,
    }
}

fn index_len(lens: &[usize]) -> usize {
    if lens.is_empty() {
        return 2;
    }
    let data: usize = lens.iter().sum();
    3 + (lens.len() + 1) * offset_size(data + 1) + data
}

fn index(items: &[&[u8]]) -> Vec<u8> {
    let mut out = (items.len() as u16).to_be_bytes().to_vec();
    if items.is_empty() {
        return out;
    }
    let data: usize = items.iter().map(|i| i.len()).sum();
    let size = offset_size(data + 1);
    out.push(size as u8);
    let mut offset = 1usize;
    for i in std::iter::once(&[][..]).chain(items.iter().copied()) {
        offset += i.len();
        out.extend(&offset.to_be_bytes()[8 - size..]);
    }
    for i in items {
        out.extend_from_slice(i);
    }
    out
}

/// A DICT integer operand in its 5-byte form (so its size does not depend on its value).
fn push_int(out: &mut Vec<u8>, v: usize) {
    out.push(29);
    out.extend((v as i32).to_be_bytes());
}

#[cfg(test)]
#[path = "cff_tests.rs"]
mod tests;
