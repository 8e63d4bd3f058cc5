//! Files the user chooses in the operating system's dialogs. Imports are read by Rust from
//! the chosen path, streamed, with progress in bytes; no file content crosses IPC. Documents
//! are saved where the user says, the folder remembered for next time. The functions over a
//! path are tested without a window; the dialog calls in [`ipc`] are one-line wrappers.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use riskdesk_core::error::Code;
use riskdesk_core::import::{ImportSummary, MAX_LEDGER_BYTES};
use riskdesk_core::store::settings;
use serde::Serialize;

use super::documents::{self, DocumentKind, DocumentRequest};
use crate::error::{ApiError, Kind};
use crate::host::Host;
use crate::state::AppState;
use riskdesk_core::FieldError;

/// The setting that remembers the folder of the last document saved.
pub const LAST_FOLDER: &str = "documents.last_folder";

/// Counts the bytes read and reports them every 256 KiB (and at the end).
struct Counting<'a, R> {
    inner: R,
    done: u64,
    reported: u64,
    total: u64,
    progress: &'a mut dyn FnMut(u64, u64),
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        if n == 0 || self.done - self.reported >= 256 * 1024 {
            self.reported = self.done;
            (self.progress)(self.done, self.total);
        }
        Ok(n)
    }
}

/// The name a chosen file is reported under (its name, never its content), the file open
/// for reading, and its size in bytes.
pub(crate) fn open_chosen(path: &Path) -> Result<(String, File, u64), ApiError> {
    let label = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = File::open(path).map_err(|e| {
        FieldError::new("file", Code::Unreadable, format!("{}: {e}", path.display()))
            .with("file", path.display())
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    Ok((label, file, total))
}

/// Imports the CSV files at `paths` (customers, invoices, payments or Microsoft's invoices
/// to the partner; one file, several chosen together, or a ZIP archive of several, each
/// named in it): all or nothing, one transaction for all, each file read from its path in
/// turn, `bytes(done, total)` over all of them while reading and `rows(done, total)` while
/// writing. Errors name the file by its name, never the content.
/// `existing_book`: for customers, the reason an existing book is brought in as it is (each
/// onboarding rule a row breaks is then recorded as an exception instead of refused).
pub fn import_paths(
    h: &mut Host,
    kind: &str,
    paths: &[PathBuf],
    existing_book: Option<&str>,
    bytes: &mut dyn FnMut(u64, u64),
    rows: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary, ApiError> {
    if !matches!(kind, "customers" | "invoices" | "payments" | "ms_invoices") {
        return Err(ApiError::validation(
            "kind",
            Code::InvalidChoice,
            "import customers, invoices, payments or Microsoft's invoices",
        ));
    }
    if let Some(reason) = existing_book {
        crate::host::text_arg("existing_book", reason, 500)?;
    }
    if paths.len() > MAX_CHOSEN {
        return Err(ApiError::validation(
            "file",
            Code::TooMany,
            format!("choose at most {MAX_CHOSEN} files at a time"),
        ));
    }
    let mode = match existing_book {
        Some(reason) => riskdesk_core::import::ImportMode::ExistingBook(reason.to_string()),
        None => riskdesk_core::import::ImportMode::Enforce,
    };
    // Every file opened first (one that cannot be is named before anything is read), then
    // read one at a time inside the transaction.
    let opened = paths
        .iter()
        .map(|p| open_chosen(p))
        .collect::<Result<Vec<_>, _>>()?;
    let total = opened.iter().map(|(_, _, size)| size).sum();
    let mut done = 0;
    let read = opened.into_iter().map(|(label, file, _)| {
        let mut reader = Counting {
            inner: BufReader::with_capacity(1 << 20, file),
            done,
            reported: done,
            total,
            progress: &mut *bytes,
        };
        let read = riskdesk_core::import::read_capped(&mut reader, MAX_LEDGER_BYTES);
        done = reader.done;
        Ok((label, read?))
    });
    h.tx(|tx, ctx| {
        riskdesk_core::import::import_each(read, |label, data| match kind {
            "customers" => riskdesk_core::import::import_customers_with(
                tx, ctx, label, data, &mode, &mut *rows,
            ),
            "invoices" => riskdesk_core::import::import_invoices(tx, ctx, label, data, &mut *rows),
            "ms_invoices" => {
                let terms = riskdesk_core::microsoft::CreditLine::load(tx)?.terms_days;
                riskdesk_core::microsoft::invoices::import(tx, ctx, label, data, terms)
            }
            _ => riskdesk_core::import::import_payments(tx, ctx, label, data, &mut *rows),
        })
    })
}

/// The most files imported at a time.
const MAX_CHOSEN: usize = 100;

/// The file name a document is offered under in the Save dialog.
pub fn suggested_name(h: &mut Host, request: &DocumentRequest) -> Result<String, ApiError> {
    let kind = request.kind();
    if kind == Some(DocumentKind::Portfolio) {
        return Ok(format!(
            "{}-portfolio-risk-report.pdf",
            crate::letters::file_safe(request.as_of.trim())
        ));
    }
    let c = riskdesk_core::customer::get(
        h.conn,
        crate::host::id_arg("customer_id", request.customer_id)?,
    )?;
    let what = match kind {
        Some(DocumentKind::Policy) => "collections-policy",
        Some(DocumentKind::Statement) => "statement",
        Some(DocumentKind::Plan) => "payment-plan",
        Some(DocumentKind::Risk) => "risk-report",
        Some(DocumentKind::Portfolio) | None => return Err(documents::unknown_kind()),
    };
    let name = crate::letters::file_safe(&c.fields.legal_name);
    Ok(format!(
        "{}-{what}-{name}.pdf",
        crate::letters::file_safe(request.as_of.trim())
    ))
}

/// The folder the Save dialog opens in: the last one used, or the documents folder.
pub fn start_folder(h: &mut Host) -> Result<PathBuf, ApiError> {
    Ok(settings::get(h.conn, LAST_FOLDER)?
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| h.documents.to_path_buf()))
}

/// Writes the document to the path the user chose (through a temporary file and a rename),
/// records it (so it may be opened) and remembers its folder. The dialog offers the name
/// with `.pdf` and a PDF filter; a name chosen without it gets it, unless a file of that
/// name exists, which the dialog never asked about: that is refused, never overwritten.
#[cfg(test)]
pub fn save_document(
    h: &mut Host,
    request: &DocumentRequest,
    path: &Path,
) -> Result<String, ApiError> {
    let path = pdf_path(path)?;
    let bytes = documents::render(h, request)?;
    crate::letters::write_atomic(&path, &bytes)?;
    saved(h, request, &path)
}

/// Saves a document at `path` in three steps: its records read through the reading
/// connection (a write or the scores' update does not hold it up), the PDF laid out and
/// written with the database free (the window answers meanwhile), then the file recorded.
pub async fn save_document_in_steps(
    state: &AppState,
    request: DocumentRequest,
    path: PathBuf,
) -> Result<String, ApiError> {
    let path = pdf_path(&path)?;
    let doc = {
        let request = request.clone();
        state
            .with_read(move |conn, ctx| documents::records(conn, &ctx, &request))
            .await?
    };
    let written = crate::state::without_db(move || {
        crate::letters::write_atomic(&path, &doc.render())?;
        Ok(path)
    })
    .await?;
    state.with_host(move |h| saved(h, &request, &written)).await
}

/// A draft written for a customer document: where, to whom, and what it says.
#[derive(Debug, Serialize)]
pub struct DocumentDraft {
    pub path: String,
    pub to: String,
    pub subject: String,
}

/// A customer document as an e-mail draft in the documents folder, to the customer's
/// billing e-mail with the document attached; logged, and openable in the mail program.
/// The document is read with the database, rendered and written without it.
pub async fn document_draft_in_steps(
    state: &AppState,
    request: DocumentRequest,
) -> Result<DocumentDraft, ApiError> {
    let (doc, name, folder) = {
        let request = request.clone();
        state
            .with_host(move |h| {
                if request.is_risk_report() {
                    return Err(ApiError::validation(
                        "kind",
                        Code::InvalidChoice,
                        "policy, statement or plan: a document for a customer",
                    ));
                }
                Ok((
                    documents::records(h.conn, &h.ctx, &request)?,
                    suggested_name(h, &request)?,
                    h.documents.to_path_buf(),
                ))
            })
            .await?
    };
    let now = crate::session::ctx().now;
    let (draft, path) = crate::state::without_db(move || {
        let draft = crate::drafts::customer_draft(&doc, &name)?;
        std::fs::create_dir_all(&folder).map_err(|e| {
            FieldError::new(
                "file",
                Code::Unreadable,
                format!("{}: {e}", folder.display()),
            )
        })?;
        let path = folder.join(name.replace(".pdf", ".eml"));
        let id = format!("doc-{}", now.timestamp_micros());
        crate::letters::write_atomic(&path, &riskdesk_core::mail::eml(&draft, now, &id))?;
        Ok((draft, path))
    })
    .await?;
    state
        .with_host(move |h| {
            let real = path
                .canonicalize()
                .unwrap_or(path.clone())
                .display()
                .to_string();
            let customer = crate::host::id_arg("customer_id", request.customer_id)?;
            h.tx(|tx, ctx| {
                riskdesk_core::mail::log_draft(tx, ctx, None, customer, &draft, &real)?;
                riskdesk_core::store::written::record(tx, ctx, &real)
            })?;
            Ok(DocumentDraft {
                path: real,
                to: draft.to.clone(),
                subject: draft.subject.clone(),
            })
        })
        .await
}

/// The path a document is saved at: with `.pdf`, refused when adding it would land on a
/// file the dialog never asked about.
fn pdf_path(path: &Path) -> Result<PathBuf, ApiError> {
    path_with(path, "pdf")
}

/// `path` as chosen in the Save dialog, ending in `.extension`: a name chosen without it
/// gets it, unless a file of that name exists, which the dialog never asked about: that is
/// refused, never overwritten.
pub(crate) fn path_with(path: &Path, extension: &str) -> Result<PathBuf, ApiError> {
    let mut path = path.to_path_buf();
    if path
        .extension()
        .is_none_or(|e| !e.eq_ignore_ascii_case(extension))
    {
        let chosen = path.display().to_string();
        path.set_extension(extension);
        if path.exists() {
            return Err(ApiError::validation(
                "path",
                Code::FileExists,
                format!(
                    "{chosen} has no .{extension} and {} already exists: choose the name again",
                    path.display()
                ),
            ));
        }
    }
    Ok(path)
}

/// Records a document written at `path` (so it may be opened) and its folder (for the
/// next Save As).
fn saved(h: &mut Host, request: &DocumentRequest, path: &Path) -> Result<String, ApiError> {
    if request.kind() == Some(DocumentKind::Portfolio) {
        // When it was written, for the next one's moves.
        h.tx(riskdesk_core::risk::report::portfolio_written)?;
    }
    remember_written(h, path)
}

/// Records a file RiskDesk wrote at `path`, so the window may open it, and its folder, where
/// the next Save dialog opens.
pub(crate) fn remember_written(h: &mut Host, path: &Path) -> Result<String, ApiError> {
    let written = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    h.tx(|tx, ctx| riskdesk_core::store::written::record(tx, ctx, &written.display().to_string()))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let dir = dir.display().to_string();
        h.tx(|tx, ctx| settings::set(tx, ctx, LAST_FOLDER, &dir))?;
    }
    Ok(path.display().to_string())
}

/// An import's summary with the name of the file it read.
#[derive(Serialize)]
pub struct ImportResult {
    /// The files chosen, by name, in the order read.
    pub files: Vec<String>,
    #[serde(flatten)]
    pub summary: ImportSummary,
}

/// Whether RiskDesk may open `path`, or show it in its folder: only a regular PDF or CSV
/// file whose path RiskDesk recorded when it wrote it (saved through the Save dialog), a
/// file of a dunning run (its stored record names them), or a run's own folder. Never a
/// folder at large, a program or an app bundle, whatever sits beside a document.
pub fn may_open(h: &mut Host, path: &Path) -> Result<PathBuf, ApiError> {
    let refuse =
        || ApiError::validation("path", Code::NotADocument, "not a document RiskDesk wrote");
    let real = path.canonicalize().map_err(|_| refuse())?;
    let meta = std::fs::symlink_metadata(&real).map_err(|_| refuse())?;
    let mut run_folders = Vec::new();
    let mut run_files = Vec::new();
    for r in riskdesk_core::collections::runs(h.conn)? {
        let record = riskdesk_core::collections::run_record(h.conn, r.id)?;
        let folder = crate::letters::run_folder(Path::new(&r.output_dir), &record);
        for name in crate::letters::run_file_names(&record) {
            run_files.push(folder.join(name));
        }
        run_folders.push(folder);
    }
    let same = |p: &PathBuf| p.canonicalize().is_ok_and(|c| c == real);
    if meta.is_dir() {
        return if run_folders.iter().any(same) {
            Ok(real)
        } else {
            Err(refuse())
        };
    }
    let document = meta.is_file()
        && real.extension().is_some_and(|e| {
            ["pdf", "csv", "eml"]
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        });
    if !document {
        return Err(refuse());
    }
    let recorded = riskdesk_core::store::written::contains(h.conn, &real.display().to_string())?;
    if recorded || run_files.iter().any(same) {
        Ok(real)
    } else {
        Err(refuse())
    }
}

/// The `import-progress` event: which import, in bytes or rows, how far of how much.
#[derive(Serialize, Clone)]
pub(crate) struct Progress<'a> {
    pub kind: &'a str,
    pub unit: &'a str,
    pub done: u64,
    pub total: u64,
}

/// The window's commands: each opens the dialog and calls a function above.
pub mod ipc {
    use tauri::{AppHandle, Emitter, State};
    use tauri_plugin_dialog::DialogExt;

    use super::*;
    use crate::commands::backup::Keep;

    /// Runs a blocking dialog off the UI thread; None when the user cancelled.
    pub(crate) async fn dialog<F>(state: &AppState, f: F) -> Result<Option<PathBuf>, ApiError>
    where
        F: FnOnce() -> Option<tauri_plugin_dialog::FilePath> + Send + 'static,
    {
        let picked = dialogs(state, move || f().map(|p| vec![p])).await?;
        Ok(picked.and_then(|mut paths| paths.pop()))
    }

    /// The same for a dialog that may give several files: the paths chosen (None when
    /// none), none of them a file of the book.
    pub(crate) async fn dialogs<F>(state: &AppState, f: F) -> Result<Option<Vec<PathBuf>>, ApiError>
    where
        F: FnOnce() -> Option<Vec<tauri_plugin_dialog::FilePath>> + Send + 'static,
    {
        let picked = tauri::async_runtime::spawn_blocking(f)
            .await
            .map_err(|e| ApiError::new(Kind::Internal, format!("the dialog failed: {e}")));
        // Whatever was chosen, the dialog may have read the book's files: its locks are
        // taken again before anything else is done.
        state.hold_locks_again().await?;
        let paths: Vec<PathBuf> = picked?
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| p.into_path().ok())
            .collect();
        for path in &paths {
            // Read or written over, the book's own files would lose it its locks again, or
            // worse: no dialog hands them on.
            crate::commands::backup::not_the_database(&state.db_path, path, Keep::Live)?;
        }
        Ok((!paths.is_empty()).then_some(paths))
    }

    /// Asks in the system's open dialog for one file or several (every import takes several
    /// files of its kind) of one of `extensions` (`kinds` names them in the dialog's filter),
    /// its title checked first; None when cancelled.
    pub(crate) async fn pick_files(
        app: &AppHandle,
        state: &AppState,
        title: String,
        kinds: &str,
        extensions: &[&str],
    ) -> Result<Option<Vec<PathBuf>>, ApiError> {
        let dlg = open_dialog(app, title, kinds, extensions)?;
        dialogs(state, move || dlg.blocking_pick_files()).await
    }

    fn open_dialog(
        app: &AppHandle,
        title: String,
        kinds: &str,
        extensions: &[&str],
    ) -> Result<tauri_plugin_dialog::FileDialogBuilder<tauri::Wry>, ApiError> {
        crate::host::text_arg("title", &title, 200)?;
        Ok(app
            .dialog()
            .file()
            .set_title(title)
            .add_filter(kinds, extensions))
    }

    /// Asks for CSV files in the open dialog (one, several, or a ZIP archive of them) and
    /// imports them together; None when cancelled.
    #[tauri::command]
    pub async fn import_with_dialog(
        app: AppHandle,
        state: State<'_, AppState>,
        kind: String,
        title: String,
        existing_book: Option<String>,
    ) -> Result<Option<ImportResult>, ApiError> {
        let Some(paths) = pick_files(&app, &state, title, "CSV", &["csv", "txt", "zip"]).await?
        else {
            return Ok(None);
        };
        let files = paths
            .iter()
            .map(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        state
            .with_host(move |h| {
                let emit = |unit: &str, done: u64, total: u64| {
                    let p = Progress {
                        kind: &kind,
                        unit,
                        done,
                        total,
                    };
                    let _ = app.emit("import-progress", p);
                };
                import_paths(
                    h,
                    &kind,
                    &paths,
                    existing_book.as_deref(),
                    &mut |d, t| emit("bytes", d, t),
                    &mut |d, t| emit("rows", d as u64, t as u64),
                )
            })
            .await
            .map(|summary| Some(ImportResult { files, summary }))
    }

    /// Opens a document RiskDesk wrote in the system's viewer.
    #[tauri::command]
    pub async fn open_document(state: State<'_, AppState>, path: String) -> Result<(), ApiError> {
        let real = state
            .with_host(move |h| may_open(h, Path::new(&path)))
            .await?;
        // Open is for a document; a run's folder is only shown.
        if !real.is_file() {
            return Err(ApiError::validation(
                "path",
                Code::NotADocument,
                "not a document RiskDesk wrote",
            ));
        }
        open::that_detached(&real)
            .map_err(|e| ApiError::new(Kind::Internal, format!("{}: {e}", real.display())))
    }

    /// Shows the folder that holds a document RiskDesk wrote (or a run's folder).
    #[tauri::command]
    pub async fn show_in_folder(state: State<'_, AppState>, path: String) -> Result<(), ApiError> {
        let real = state
            .with_host(move |h| may_open(h, Path::new(&path)))
            .await?;
        let folder = if real.is_dir() {
            real
        } else {
            real.parent().map(Path::to_path_buf).unwrap_or(real)
        };
        open::that_detached(&folder)
            .map_err(|e| ApiError::new(Kind::Internal, format!("{}: {e}", folder.display())))
    }

    /// A customer document as an e-mail draft (see [`document_draft_in_steps`]).
    #[tauri::command]
    pub async fn write_document_draft(
        state: State<'_, AppState>,
        request: DocumentRequest,
    ) -> Result<DocumentDraft, ApiError> {
        document_draft_in_steps(&state, request).await
    }

    /// Offers the document in the Save As dialog and writes it there; None when cancelled.
    #[tauri::command]
    pub async fn save_document_as(
        app: AppHandle,
        state: State<'_, AppState>,
        request: DocumentRequest,
        title: String,
    ) -> Result<Option<String>, ApiError> {
        crate::host::text_arg("title", &title, 200)?;
        let name = {
            let request = request.clone();
            state
                .with_host(move |h| suggested_name(h, &request))
                .await?
        };
        let Some(path) = save_where(&app, &state, title, name, ("PDF", &["pdf"])).await? else {
            return Ok(None);
        };
        save_document_in_steps(&state, request, path)
            .await
            .map(Some)
    }

    /// Asks in the Save As dialog where a file offered as `name` goes (`filter`: the kind
    /// named in the dialog and its extensions), from the folder last saved in, the title
    /// checked first; None when cancelled.
    pub(crate) async fn save_where(
        app: &AppHandle,
        state: &AppState,
        title: String,
        name: String,
        (kind, extensions): (&str, &[&str]),
    ) -> Result<Option<PathBuf>, ApiError> {
        crate::host::text_arg("title", &title, 200)?;
        let folder = state.with_host(start_folder).await?;
        let dlg = app
            .dialog()
            .file()
            .set_title(title)
            .add_filter(kind, extensions)
            .set_directory(folder)
            .set_file_name(name);
        dialog(state, move || dlg.blocking_save_file()).await
    }
}
