use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

use std::collections::BTreeMap;

crate::text_enum::text_enum! {
    /// What is wrong, as a stable code the window translates (`error.<code>` in both locale
    /// files, with the problem's `params`); the English `message` beside it is for the CLI
    /// and the logs.
    Code {
        AfterToday = "after_today",
        AlreadyRecorded = "already_recorded",
        AmbiguousDates = "ambiguous_dates",
        BothDirections = "both_directions",
        AmbiguousName = "ambiguous_name",
        BeforeIssue = "before_issue",
        BeforeMade = "before_made",
        Closed = "closed",
        Conflict = "conflict",
        InvoiceNotUsage = "invoice_not_usage",
        SeveralAccounts = "several_accounts",
        ControlCharacter = "control_character",
        CountryInstead = "country_instead",
        CreditExceedsInvoice = "credit_exceeds_invoice",
        ChecksMissing = "checks_missing",
        CurrencyLocked = "currency_locked",
        CurrencyMismatch = "currency_mismatch",
        DateOutOfRange = "date_out_of_range",
        Duplicate = "duplicate",
        FileExists = "file_exists",
        IsTheDatabase = "is_the_database",
        FileTooLarge = "file_too_large",
        DuplicateColumn = "duplicate_column",
        DuplicateCurrency = "duplicate_currency",
        DuplicateInFile = "duplicate_in_file",
        DuplicateTenant = "duplicate_tenant",
        EmptyFile = "empty_file",
        BlobMissing = "blob_missing",
        NotInManifest = "not_in_manifest",
        AnotherVersion = "another_version",
        FullAdminRefused = "full_admin_refused",
        Future = "future",
        Invalid = "invalid",
        InvalidAccount = "invalid_account",
        InvalidAction = "invalid_action",
        InvalidAmount = "invalid_amount",
        InvalidChoice = "invalid_choice",
        InvalidCountry = "invalid_country",
        InvalidCreditPercent = "invalid_credit_percent",
        InvalidCurrency = "invalid_currency",
        InvalidDate = "invalid_date",
        InvalidDays = "invalid_days",
        InvalidDomain = "invalid_domain",
        InvalidEdges = "invalid_edges",
        InvalidEmail = "invalid_email",
        InvalidGuid = "invalid_guid",
        InvalidImage = "invalid_image",
        InvalidId = "invalid_id",
        InvalidLine = "invalid_line",
        InvalidNumber = "invalid_number",
        InvalidPhone = "invalid_phone",
        InvalidPercent = "invalid_percent",
        InvalidQuantity = "invalid_quantity",
        InvalidRate = "invalid_rate",
        InvalidRecoveryKey = "invalid_recovery_key",
        InvalidTaxId = "invalid_tax_id",
        InvalidTime = "invalid_time",
        InvalidYesNo = "invalid_yes_no",
        LinesDisagree = "lines_disagree",
        MalformedRow = "malformed_row",
        MissingColumn = "missing_column",
        MixedDecimalMarks = "mixed_decimal_marks",
        MoreProblems = "more_problems",
        NameNeedsTenant = "name_needs_tenant",
        NamesItsCustomers = "names_its_customers",
        NoCustomerColumn = "no_customer_column",
        NoTenantId = "no_tenant_id",
        TenantLinkedElsewhere = "tenant_linked_elsewhere",
        MoreInstalmentsThanOwed = "more_instalments_than_owed",
        Negative = "negative",
        NotFound = "not_found",
        NotADocument = "not_a_document",
        NotJson = "not_json",
        NotPositive = "not_positive",
        NotReprintable = "not_reprintable",
        NotRising = "not_rising",
        NotText = "not_text",
        NotASheet = "not_a_sheet",
        ZipArchive = "zip_archive",
        ZipCutShort = "zip_cut_short",
        NotToday = "not_today",
        OpenElsewhere = "open_elsewhere",
        OtherCustomer = "other_customer",
        PlanChanged = "plan_changed",
        PrepaidCard = "prepaid_card",
        Required = "required",
        SameCurrency = "same_currency",
        RequiredForPrepayment = "required_for_prepayment",
        SumMismatch = "sum_mismatch",
        SumTooLarge = "sum_too_large",
        SpreadsheetExponent = "spreadsheet_exponent",
        TooEarly = "too_early",
        TooLarge = "too_large",
        TooLong = "too_long",
        TooManyDecimals = "too_many_decimals",
        TooMany = "too_many",
        Truncated = "truncated",
        UnclosedQuote = "unclosed_quote",
        UnnamedColumn = "unnamed_column",
        Unknown = "unknown",
        UnknownColumn = "unknown_column",
        UnknownCustomer = "unknown_customer",
        UnknownFormat = "unknown_format",
        UnknownLevel = "unknown_level",
        Unreadable = "unreadable",
        UseDecimalPoint = "use_decimal_point",
    }
}

/// Named values a problem's translation fills in (`{max}`, `{value}`, `{line}`).
pub type Params = BTreeMap<&'static str, String>;

/// A problem with one field of a form or of an imported row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as the UI and CSV header spell it (`email`, `tenant_id`).
    pub field: String,
    /// A stable code the UI translates (`required`, `invalid_email`, ...).
    pub code: Code,
    /// An English sentence for logs and the CLI.
    pub message: String,
    pub params: Params,
}

impl FieldError {
    pub fn new(field: &str, code: Code, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            code,
            message: message.into(),
            params: Params::new(),
        }
    }

    /// The same, with a value its translation names.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.insert(name, value.to_string());
        self
    }

    /// `field` is longer than `max` characters (the limit named, for the translation too).
    pub fn too_long(field: &str, max: usize) -> Self {
        FieldError::new(
            field,
            Code::TooLong,
            format!(
                "at most {} characters",
                crate::money::group_thousands(max as u64)
            ),
        )
        .with("max", max)
    }
}

/// Refuses `text` in `field` when it has more than `max` characters (not bytes: 200
/// characters of Chinese are 200).
pub fn at_most(field: &str, text: &str, max: usize) -> Result<()> {
    if text.chars().count() > max {
        return Err(Error::fields(FieldError::too_long(field, max)));
    }
    Ok(())
}

/// A problem in an imported file: which line and which field, what (a code and its
/// values, as for a field) and the English sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    pub line: u64,
    pub field: String,
    pub code: Code,
    pub params: Params,
    pub message: String,
}

impl ImportProblem {
    pub fn new(line: u64, field: &str, code: Code, message: impl Into<String>) -> Self {
        ImportProblem {
            line,
            field: field.to_string(),
            code,
            params: Params::new(),
            message: message.into(),
        }
    }

    /// A field's problem found on `line` of a file.
    pub fn at(line: u64, e: FieldError) -> Self {
        ImportProblem {
            line,
            field: e.field,
            code: e.code,
            params: e.params,
            message: e.message,
        }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.insert(name, value.to_string());
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", describe_fields(.0))]
    Validation(Vec<FieldError>),

    #[error("{0} not found")]
    NotFound(String),

    #[error("{message}")]
    Conflict { field: String, message: String },

    #[error("{file}: {}, nothing was imported:\n{}", crate::english::count(.problems.len(), "problem", "problems"), describe_problems(.file, .problems))]
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
    /// `Err(Error::Import)` naming `file` when any problem was found: an import reads and
    /// checks a whole file before it writes anything.
    pub fn refuse_if_any(file: &str, problems: Vec<ImportProblem>) -> Result<(), Error> {
        if problems.is_empty() {
            return Ok(());
        }
        Err(Error::Import {
            file: file.to_string(),
            problems,
        })
    }

    /// A record's error as the problem of `line` of `file`: its first field problem, a
    /// conflict or a refusal are that line's; storage and file errors, and an import's own
    /// problems, stay what they are.
    pub fn on_line(self, file: &str, line: u64) -> Error {
        let problem = match self {
            Error::Validation(mut f) if !f.is_empty() => ImportProblem::at(line, f.swap_remove(0)),
            Error::Conflict { field, message } => {
                ImportProblem::new(line, &field, Code::Conflict, message)
            }
            e @ (Error::Invalid(_) | Error::NotFound(_)) => {
                ImportProblem::new(line, "row", Code::Invalid, e.to_string())
            }
            other => return other,
        };
        Error::Import {
            file: file.to_string(),
            problems: vec![problem],
        }
    }

    pub fn field(field: &str, code: Code, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError::new(field, code, message)])
    }

    /// A field's problem with the values its translation names.
    pub fn fields(e: FieldError) -> Self {
        Error::Validation(vec![e])
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
            "  … and {} not listed",
            crate::english::count(
                problems.len() - LISTED_PROBLEMS,
                "more problem",
                "more problems"
            )
        ));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_counts_characters_not_bytes_and_names_itself() {
        // 2,000 Chinese characters are 6,000 bytes and still within a 2,000 limit.
        assert!(at_most("note", &"雲".repeat(2000), 2000).is_ok());
        assert!(at_most("note", "", 0).is_ok());
        let Err(Error::Validation(errs)) = at_most("note", &"雲".repeat(2001), 2000) else {
            panic!("2,001 characters passed a 2,000 limit");
        };
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "note");
        assert_eq!(errs[0].code, Code::TooLong);
        assert_eq!(errs[0].message, "at most 2,000 characters");
        assert_eq!(errs[0].params.get("max").map(String::as_str), Some("2000"));
        assert_eq!(
            FieldError::too_long("title", 5).message,
            "at most 5 characters"
        );
    }

    fn problems(e: Error) -> Vec<ImportProblem> {
        match e {
            Error::Import { file, problems } => {
                assert_eq!(file, "book.csv");
                problems
            }
            other => panic!("not an import error: {other}"),
        }
    }

    #[test]
    fn a_records_error_becomes_its_lines_problem_and_a_storage_error_stays_one() {
        assert!(Error::refuse_if_any("book.csv", Vec::new()).is_ok());
        let p = problems(
            Error::refuse_if_any(
                "book.csv",
                vec![ImportProblem::new(3, "x", Code::Invalid, "m")],
            )
            .unwrap_err(),
        );
        assert_eq!((p[0].line, p[0].field.as_str()), (3, "x"));

        let field = Error::field("amount", Code::NotPositive, "must be more than zero");
        let p = problems(field.on_line("book.csv", 7));
        assert_eq!(
            (p[0].line, p[0].field.as_str(), p[0].code),
            (7, "amount", Code::NotPositive)
        );
        let conflict = Error::Conflict {
            field: "status".into(),
            message: "closed".into(),
        };
        let p = problems(conflict.on_line("book.csv", 2));
        assert_eq!((p[0].field.as_str(), p[0].code), ("status", Code::Conflict));
        let p = problems(Error::NotFound("customer 9".into()).on_line("book.csv", 4));
        assert_eq!(p[0].message, "customer 9 not found");

        let storage = Error::Storage(rusqlite::Error::QueryReturnedNoRows);
        assert!(matches!(storage.on_line("book.csv", 5), Error::Storage(_)));
        let own = Error::refuse_if_any(
            "book.csv",
            vec![ImportProblem::new(1, "h", Code::Invalid, "m")],
        )
        .unwrap_err();
        assert_eq!(problems(own.on_line("other.csv", 9))[0].line, 1);
    }
}
