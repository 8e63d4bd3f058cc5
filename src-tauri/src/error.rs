//! The one error shape the window sees: `{code, message, field, fields, file, problems,
//! more_problems}`. Every problem is a code with its values (`{field, code, params}`, an
//! import's with its line too), which the window translates into its own language; the
//! English `message` is for the log.

use riskdesk_core::error::{Code, ImportProblem, LISTED_PROBLEMS};
use riskdesk_core::{Error, FieldError};
use serde::ser::SerializeStruct;

use crate::session::OpenError;

/// What kind of failure, the error's top-level `code` (`error.kind.<code>` in the window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The input was refused; `fields` or `problems` say why.
    Validation,
    NotFound,
    Conflict,
    /// The database is not open, or the key does not open it.
    Locked,
    Keychain,
    /// The database or a file could not be read or written.
    Storage,
    /// RiskDesk could not finish (a damaged record, a file it could not write); the message
    /// says what.
    Failed,
    Internal,
}

impl Kind {
    /// Every kind, for the test that each is translated.
    #[cfg(test)]
    pub const ALL: &'static [Kind] = &[
        Kind::Validation,
        Kind::NotFound,
        Kind::Conflict,
        Kind::Locked,
        Kind::Keychain,
        Kind::Storage,
        Kind::Failed,
        Kind::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Validation => "validation",
            Kind::NotFound => "not_found",
            Kind::Conflict => "conflict",
            Kind::Locked => "locked",
            Kind::Keychain => "keychain",
            Kind::Storage => "storage",
            Kind::Failed => "failed",
            Kind::Internal => "internal",
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub code: Kind,
    pub message: String,
    pub fields: Vec<FieldError>,
    /// An import's file and its problems (the first [`LISTED_PROBLEMS`]), and how many more.
    pub file: Option<String>,
    pub problems: Vec<ImportProblem>,
    pub more_problems: usize,
}

impl ApiError {
    pub fn new(code: Kind, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            fields: Vec::new(),
            file: None,
            problems: Vec::new(),
            more_problems: 0,
        }
    }

    /// One field's problem.
    pub fn validation(field: &str, code: Code, message: impl Into<String>) -> Self {
        FieldError::new(field, code, message).into()
    }
}

/// The command line prints the English message (every field's, for a refused input).
impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

impl serde::Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ApiError", 7)?;
        st.serialize_field("code", self.code.as_str())?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("field", &self.fields.first().map(|f| f.field.as_str()))?;
        st.serialize_field("fields", &self.fields)?;
        st.serialize_field("file", &self.file)?;
        st.serialize_field("problems", &self.problems)?;
        st.serialize_field("more_problems", &self.more_problems)?;
        st.end()
    }
}

impl From<FieldError> for ApiError {
    fn from(f: FieldError) -> Self {
        ApiError {
            fields: vec![f.clone()],
            ..ApiError::new(Kind::Validation, f.message)
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Validation(fields) => ApiError {
                fields: fields.clone(),
                ..ApiError::new(Kind::Validation, e_text(&fields))
            },
            Error::NotFound(_) => ApiError::new(Kind::NotFound, e.to_string()),
            Error::Conflict { ref field, .. } => ApiError {
                fields: vec![FieldError::new(field, Code::Conflict, e.to_string())],
                ..ApiError::new(Kind::Conflict, e.to_string())
            },
            Error::Import {
                ref file,
                ref problems,
            } => ApiError {
                file: Some(file.clone()),
                problems: problems
                    .iter()
                    .take(LISTED_PROBLEMS)
                    .map(|p| ImportProblem {
                        field: cut(&p.field, 80),
                        message: cut(&p.message, 400),
                        params: p.params.iter().map(|(k, v)| (*k, cut(v, 80))).collect(),
                        ..p.clone()
                    })
                    .collect(),
                more_problems: problems.len().saturating_sub(LISTED_PROBLEMS),
                ..ApiError::new(Kind::Validation, e.to_string())
            },
            Error::Invalid(_) => ApiError::new(Kind::Failed, e.to_string()),
            Error::WrongKey => ApiError::new(Kind::Locked, e.to_string()),
            Error::TooNew { .. } => ApiError::new(Kind::Storage, e.to_string()),
            Error::Storage(_) | Error::Io(_) => {
                eprintln!("riskdesk: storage error: {e:?}");
                ApiError::new(Kind::Storage, e.to_string())
            }
        }
    }
}

/// At most `max` characters (a field name of a file's own making can be huge).
fn cut(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

fn e_text(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<OpenError> for ApiError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::Keychain(k) => ApiError::new(Kind::Keychain, k.to_string()),
            OpenError::KeyMissing(_) => ApiError::new(Kind::Locked, e.to_string()),
            OpenError::Core(c) => c.into(),
        }
    }
}

/// The window's translations of every code, for tests: each error a test meets must read
/// in both languages.
#[cfg(test)]
pub(crate) mod locales {
    use super::*;
    use std::sync::LazyLock;

    type Strings = std::collections::HashMap<String, String>;

    pub static EN: LazyLock<Strings> =
        LazyLock::new(|| serde_json::from_str(include_str!("../../ui/locales/en.json")).unwrap());
    pub static ZH: LazyLock<Strings> = LazyLock::new(|| {
        serde_json::from_str(include_str!("../../ui/locales/zh-TW.json")).unwrap()
    });

    /// The `{name}`s a translation fills in, each once, in order; a word that agrees with a
    /// count (`{n|problem|problems}`) names the count.
    pub fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(inside, _)| inside))
            .map(|inside| inside.split('|').next().unwrap_or(inside))
            .collect();
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(*n));
        names
    }

    /// Checks that the window can say `e` in both languages: its kind, each field's and each
    /// problem's code, with every value the translation names.
    pub fn assert_translated(e: &ApiError) {
        for strings in [&*EN, &*ZH] {
            let kind = format!("error.kind.{}", e.code.as_str());
            assert!(strings.contains_key(&kind), "{kind} is not translated");
            let problems = e
                .fields
                .iter()
                .map(|f| (f.code, &f.params))
                .chain(e.problems.iter().map(|p| (p.code, &p.params)));
            for (code, params) in problems {
                let key = format!("error.{}", code.as_str());
                let text = strings
                    .get(&key)
                    .unwrap_or_else(|| panic!("{key} is not translated"));
                for name in placeholders(text) {
                    assert!(
                        params.contains_key(name),
                        "{key} names {{{name}}}, which the error does not carry: {e:?}"
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::locales::{placeholders, EN, ZH};
    use super::*;

    /// Each key is in both locale files, the two naming the same values.
    fn in_both_languages(keys: impl Iterator<Item = String>) {
        for key in keys {
            let (Some(en), Some(zh)) = (EN.get(&key), ZH.get(&key)) else {
                panic!("{key} is missing from en.json or zh-TW.json");
            };
            let (mut a, mut b) = (placeholders(en), placeholders(zh));
            a.sort();
            b.sort();
            assert_eq!(a, b, "{key}: the two languages name different values");
        }
    }

    /// What a bank proposal says, its confidence and each reason, reads in both languages,
    /// each naming the values the proposal gives.
    #[test]
    fn every_bank_reason_and_confidence_is_in_both_locale_files() {
        use riskdesk_core::bank::{Confidence, Reason};
        let keys = Reason::ALL
            .iter()
            .map(|r| format!("bank.reason.{}", r.as_str()))
            .chain(
                Confidence::ALL
                    .iter()
                    .map(|c| format!("bank.confidence.{}", c.as_str())),
            );
        in_both_languages(keys);
    }

    #[test]
    fn every_error_code_and_kind_is_in_both_locale_files_with_the_same_values() {
        let keys = Code::ALL
            .iter()
            .map(|c| format!("error.{}", c.as_str()))
            .chain(
                Kind::ALL
                    .iter()
                    .map(|k| format!("error.kind.{}", k.as_str())),
            );
        in_both_languages(keys);
    }

    /// A risk reason names an abuse incident's category as the window's labels do.
    #[test]
    fn incident_categories_read_in_reasons_as_the_window_labels_them() {
        use riskdesk_core::usage::incidents::Category;
        for c in Category::ALL {
            let key = format!("incidents.category.{}", c.as_str());
            assert_eq!((EN[&key].as_str(), ZH[&key].as_str()), c.label(), "{key}");
        }
    }

    /// The Chinese window shows no English sentence for an error: the only Latin words in
    /// its error texts are names, codes and examples a user types.
    #[test]
    fn the_chinese_error_texts_have_no_english_words() {
        const KEPT: &[&str] = &[
            "RiskDesk",
            "Microsoft",
            // A format's name, and the column it lacks, as the file writes them.
            "FOCUS",
            "x_CustomerId",
            "GUID",
            "ISO",
            "YYYY-MM-DD",
            "JSON",
            "UTF",
            "NUL",
            "GDAP",
            "PNG",
            "JPEG",
            "TW",
            "US",
            "JP",
            "yes",
            "no",
            "true",
            "false",
            "tenant_id",
            "UTF-8",
            // File formats, the program that saves them and the systems keep their names.
            "CSV",
            "Excel",
            "ZIP",
            "Windows",
            "Mac",
            "contoso.onmicrosoft.com",
            "billing@contoso.com",
        ];
        for (key, text) in ZH.iter().filter(|(k, _)| k.starts_with("error.")) {
            let mut rest = text.clone();
            for p in placeholders(text) {
                rest = rest.replace(&format!("{{{p}}}"), "");
            }
            for word in rest
                .split(|c: char| !(c.is_ascii_alphanumeric() || "_-:.@".contains(c)))
                // An example with digits in it (a GUID, a time) is typed as it is.
                .filter(|w| !w.is_empty() && !w.chars().any(|c| c.is_ascii_digit()))
            {
                assert!(KEPT.contains(&word), "{key}: English {word:?} in {text:?}");
            }
        }
    }

    #[test]
    fn validation_errors_serialise_with_code_field_and_every_field() {
        let e: ApiError = Error::Validation(vec![
            FieldError::new("email", Code::InvalidEmail, "not an e-mail address"),
            FieldError::new("phone", Code::InvalidPhone, "bad phone"),
        ])
        .into();
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "validation");
        assert_eq!(v["field"], "email");
        assert_eq!(v["fields"][1]["code"], "invalid_phone");
        assert!(v["message"].as_str().unwrap().contains("e-mail"));
    }

    #[test]
    fn import_problems_travel_one_by_one_with_their_count() {
        let problems: Vec<ImportProblem> = (1..=60)
            .map(|i| {
                ImportProblem::new(i, "amount", Code::InvalidAmount, "not an amount")
                    .with("value", "x".repeat(200))
            })
            .collect();
        let e: ApiError = Error::Import {
            file: "p.csv".into(),
            problems,
        }
        .into();
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["file"], "p.csv");
        assert_eq!(v["problems"].as_array().unwrap().len(), 50);
        assert_eq!(v["problems"][0]["line"], 1);
        assert_eq!(v["problems"][0]["field"], "amount");
        assert_eq!(v["problems"][0]["code"], "invalid_amount");
        // A value of the file's own making is cut before it crosses.
        assert_eq!(
            v["problems"][0]["params"]["value"]
                .as_str()
                .unwrap()
                .chars()
                .count(),
            81
        );
        assert_eq!(v["more_problems"], 10);
    }

    #[test]
    fn a_missing_record_is_not_found_and_a_wrong_key_is_locked() {
        let v = serde_json::to_value(ApiError::from(Error::NotFound("customer 9".into()))).unwrap();
        assert_eq!(v["code"], "not_found");
        assert!(v["field"].is_null());
        let v = serde_json::to_value(ApiError::from(Error::WrongKey)).unwrap();
        assert_eq!(v["code"], "locked");
    }
}
