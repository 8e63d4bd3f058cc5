//! Statement files cut short or damaged in transit, in each format: every one is read or
//! refused, never a panic, and a refusal names a line of the file and a field.

use proptest::prelude::*;
use proptest::sample::Index;

use super::format_tests::{tw_map, CAMT, MT940, TW_CSV};
use super::*;

/// The sample of a format, as bytes, with the mapping a CSV needs.
fn sample(which: usize) -> (Vec<u8>, Option<CsvMap>) {
    match which {
        0 => (CAMT.as_bytes().to_vec(), None),
        1 => (MT940.as_bytes().to_vec(), None),
        2 => (TW_CSV.as_bytes().to_vec(), Some(tw_map())),
        _ => {
            let (big5, _, _) = encoding_rs::BIG5.encode(TW_CSV);
            (big5.to_vec(), Some(tw_map()))
        }
    }
}

/// Bytes a damaged copy may carry: the format's own punctuation, quotes, separators, NUL,
/// a lone UTF-8 lead byte, digits, signs and markup.
const DAMAGE: &[u8] = b"<>/:{}\",;\r\n\0\xE5\xFF0-9.+-='&";

/// Reads the file and checks what came back: a refusal names a line within the file (the
/// line after its last for "it ends too soon") and a field; a read line has an amount above
/// zero, a day within the book's range and a line within the file.
fn read_or_refused(bytes: &[u8], map: Option<&CsvMap>) -> std::result::Result<(), TestCaseError> {
    let lines = bytes.split(|b| *b == b'\n').count() as u64 + 1;
    match parse("damaged", bytes, None, map) {
        Ok(s) => {
            for l in &s.lines {
                prop_assert!(l.amount.minor > 0, "{l:?}");
                prop_assert!(
                    (crate::dates::MIN..=crate::dates::MAX).contains(&l.booked_on),
                    "{l:?}"
                );
                prop_assert!((1..=lines).contains(&l.file_line), "{l:?}");
            }
        }
        Err(Error::Import { file, problems }) => {
            prop_assert_eq!(file, "damaged");
            prop_assert!(!problems.is_empty());
            for p in &problems {
                prop_assert!((1..=lines).contains(&p.line), "{p:?} of {lines} lines");
                prop_assert!(!p.field.is_empty(), "{p:?}");
                prop_assert!(!p.message.is_empty(), "{p:?}");
            }
        }
        Err(other) => prop_assert!(false, "not a file problem: {other:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Cut anywhere, then up to four bytes overwritten, inserted or removed.
    #[test]
    fn a_statement_cut_and_damaged_is_read_or_refused_by_line_and_field(
        which in 0usize..4,
        cut in any::<Index>(),
        edits in prop::collection::vec((0u8..3, any::<Index>(), any::<Index>()), 0..5),
    ) {
        let (mut bytes, map) = sample(which);
        bytes.truncate(cut.index(bytes.len() + 1));
        for (kind, at, with) in edits {
            let b = DAMAGE[with.index(DAMAGE.len())];
            let i = at.index(bytes.len() + 1);
            match kind {
                0 if i < bytes.len() => bytes[i] = b,
                1 => bytes.insert(i, b),
                _ if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ => {}
            }
        }
        read_or_refused(&bytes, map.as_ref())?;
    }

    /// Whatever the bytes, in whatever format the caller claims.
    #[test]
    fn any_bytes_are_read_or_refused_by_line_and_field(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        csv in any::<bool>(),
    ) {
        let map = csv.then(tw_map);
        read_or_refused(&bytes, map.as_ref())?;
    }
}

/// Every cut of each sample, one byte at a time: read or refused, and what a cut file gives
/// is the whole file's lines, day, direction and amount alike: a figure is never read cut
/// (`"12,345"` cut to `"1` booked as 1). Only a cut inside a row's last cell, here the
/// payer's name, cannot be told from a whole row.
#[test]
fn every_cut_of_each_sample_is_read_whole_or_refused() {
    for which in 0..4 {
        let (bytes, map) = sample(which);
        let whole = parse("whole", &bytes, None, map.as_ref()).unwrap().lines;
        let mut refused = 0;
        for end in 0..=bytes.len() {
            let cut = &bytes[..end];
            if let Err(e) = read_or_refused(cut, map.as_ref()) {
                panic!("sample {which} cut at {end}: {e}");
            }
            let Ok(read) = parse("cut", cut, None, map.as_ref()) else {
                refused += 1;
                continue;
            };
            for (got, full) in read.lines.iter().zip(&whole) {
                assert_eq!(
                    (got.file_line, got.booked_on, got.direction, got.amount),
                    (full.file_line, full.booked_on, full.direction, full.amount),
                    "sample {which} cut at {end}"
                );
            }
            assert!(read.lines.len() <= whole.len());
        }
        assert!(
            refused > bytes.len() / 2,
            "sample {which}: {refused} cuts refused"
        );
    }
}

#[test]
fn a_bank_csv_cut_inside_a_quoted_figure_or_short_of_its_cells_is_refused() {
    let map = tw_map();
    let whole = TW_CSV.trim_end_matches(['\r', '\n']);
    for (cut, code, why) in [
        (
            "115/03/06,ATM轉入,,\"5",
            Code::UnclosedQuote,
            "a quoted amount left open",
        ),
        (
            "115/03/05,手續費,3",
            Code::Truncated,
            "a row short of its cells",
        ),
        ("115/03/05", Code::Truncated, "a row of its date alone"),
    ] {
        let at = whole.find(cut).unwrap() + cut.len();
        let problems = match parse("cut.csv", &whole.as_bytes()[..at], None, Some(&map)) {
            Err(Error::Import { problems, .. }) => problems,
            other => panic!("{why}: {other:?}"),
        };
        assert_eq!(problems.len(), 1, "{why}: {problems:?}");
        assert_eq!(
            (problems[0].code, problems[0].field.as_str()),
            (code, "file"),
            "{why}"
        );
        let line = whole[..at].lines().count() as u64;
        assert_eq!(problems[0].line, line, "{why}: the line it stops on");
    }
    // Whole files are read as before, with or without a line break after the last row, and
    // with a quote doubled inside a quoted cell.
    for text in [
        TW_CSV.to_string(),
        whole.to_string(),
        whole.replace("林美玲", "\"林\"\"美\"\"玲\""),
    ] {
        let s = parse("whole.csv", text.as_bytes(), None, Some(&map)).unwrap();
        assert_eq!(s.lines.len(), 3);
    }
    let quoted = whole.replace("林美玲", "\"林\"\"美\"\"玲\"");
    let s = parse("q.csv", quoted.as_bytes(), None, Some(&map)).unwrap();
    assert_eq!(s.lines[2].payer, "林\"美\"玲");
}
