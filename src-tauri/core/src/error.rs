use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem with one field of a form or of an imported row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as the UI and CSV header spell it (`email`, `tenant_id`).
    pub field: String,
    /// A stable code the UI translates (`required`, `invalid_email`, ...).
    pub code: String,
    /// An English sentence for logs and the CLI.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// A problem in an imported file: which line and which field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    pub line: u64,
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", describe_fields(.0))]
    Validation(Vec<FieldError>),

    #[error("{0} not found")]
    NotFound(String),

    #[error("{message}")]
    Conflict { field: String, message: String },

    #[error("{file}: {} problem(s), nothing was imported:\n{}", .problems.len(), describe_problems(.file, .problems))]
    Import {
        file: String,
        problems: Vec<ImportProblem>,
    },

    #[error("this database cannot be opened with this key: it was made with another key, or it is not a RiskDesk database. Enter the recovery key that was shown when the database was created.")]
    WrongKey,

    #[error("this database was written by a newer RiskDesk (schema version {found}; this RiskDesk knows up to {supported}). Install the newer RiskDesk; the file was not changed.")]
    TooNew { found: i64, supported: i64 },

    #[error("{0}")]
    Invalid(String),

    #[error("database error: {0}")]
    Storage(#[from] rusqlite::Error),

    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError::new(field, code, message)])
    }
}

fn describe_fields(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Problems listed per file; the rest are counted.
pub const LISTED_PROBLEMS: usize = 50;

/// At most `max` characters of `text`, with an ellipsis when cut.
fn cut(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// Each problem as `FILE:LINE field NAME: message` (a problem of the whole file has no
/// line), the first [`LISTED_PROBLEMS`], then how many more; a field name or message of
/// the file's own making is cut, so a 50 MB column name is not echoed back.
fn describe_problems(file: &str, problems: &[ImportProblem]) -> String {
    let mut lines: Vec<String> = problems
        .iter()
        .take(LISTED_PROBLEMS)
        .map(|p| {
            let at = if p.line == 0 {
                file.to_string()
            } else {
                format!("{file}:{}", p.line)
            };
            format!(
                "  {at} field {}: {}",
                cut(&p.field, 80),
                cut(&p.message, 400)
            )
        })
        .collect();
    if problems.len() > LISTED_PROBLEMS {
        lines.push(format!(
            "  … and {} more problem(s) not listed",
            problems.len() - LISTED_PROBLEMS
        ));
    }
    lines.join("\n")
}
