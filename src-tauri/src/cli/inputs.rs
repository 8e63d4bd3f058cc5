//! Files given on the command line to read: opened first (a folder, a missing file or one of
//! the book's own is named before anything is read), read whole within a bound, a ZIP
//! archive of several taken apart; and files to write that must not be the book's.

use std::path::{Path, PathBuf};

/// Opens a file given on the command line for reading; a folder or a missing file is an
/// error naming the path.
pub(in crate::cli) fn open_input(path: &Path) -> Result<std::fs::File, String> {
    if path.is_dir() {
        return Err(format!(
            "{}: is a folder; give the file to read",
            path.display()
        ));
    }
    if let Some(db) = crate::book_files::book_of(path) {
        // Opened and closed here, the database would lose this process its locks.
        return Err(format!(
            "{}: is a file of the book {} (the database, its log, or a file kept beside it); give the file to read",
            path.display(),
            db.display()
        ));
    }
    std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Ledger files given together (a year of monthly exports; a ZIP archive of several is each
/// of them): every one opened first (a folder or a missing file is named before anything
/// is read), then read one at a time for [`riskdesk_core::import::import_each`], each under
/// `name(path)`; and the name they are told under together.
pub(in crate::cli) fn ledger_inputs(
    files: &[PathBuf],
    name: impl Fn(&Path) -> String,
) -> Result<
    (
        String,
        impl Iterator<Item = riskdesk_core::import::FileRead>,
    ),
    String,
> {
    let opened = files
        .iter()
        .map(|f| Ok((name(f), open_input(f)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let label = riskdesk_core::usage::label_of(&opened);
    let read = opened.into_iter().map(|(name, file)| {
        let max = riskdesk_core::import::MAX_LEDGER_BYTES;
        let bytes = riskdesk_core::import::read_capped(std::io::BufReader::new(file), max)?;
        Ok((name, bytes))
    });
    Ok((label, read))
}

/// Refuses a file to write that is one of the book's (the database, its log, a database a
/// restore kept): written over, the book would be lost.
pub(in crate::cli) fn not_a_book_file(path: &Path) -> Result<(), String> {
    match crate::book_files::book_of(path) {
        Some(db) => Err(format!(
            "{}: is a file of the book {} (the database, its log, or a file kept beside it); write to another file",
            path.display(),
            db.display()
        )),
        None => Ok(()),
    }
}

/// The largest JSON or text file read whole (notices, the activity log), as in the window.
const MAX_INPUT_BYTES: u64 = 50 * 1024 * 1024;

/// Reads the text files given on the command line (at most [`MAX_INPUT_BYTES`] together):
/// each file, or each file of a ZIP archive of several (the pages of one API answer, saved
/// one by one and packed), by its name (`alerts.zip/page-2.json`); errors name the path.
pub(in crate::cli) fn read_inputs(
    paths: &[PathBuf],
) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    let mut left = MAX_INPUT_BYTES;
    for path in paths {
        let bytes = riskdesk_core::import::read_capped(open_input(path)?, left)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if bytes.len() as u64 > left {
            return Err(format!(
                "{}: larger than {} MiB (with the files before it), too large for this kind of file",
                path.display(),
                MAX_INPUT_BYTES / (1024 * 1024)
            )
            .into());
        }
        // UTF-8, Big5 (Excel in Taiwan) or UTF-16 with its mark (Windows PowerShell's
        // `Out-File`), as every imported file is read; what an archive holds counts extracted.
        let name = path.display().to_string();
        out.extend(riskdesk_core::import::texts_of(&name, &bytes, &mut left)?);
    }
    Ok(out)
}
