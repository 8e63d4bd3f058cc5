//! The one error shape the window sees: `{code, message, field, fields, file, problems,
//! more_problems}`. An import's problems travel one by one (line, field, message), so the
//! window lists them in its own language rather than splitting a sentence.

use riskdesk_core::error::{ImportProblem, LISTED_PROBLEMS};
use riskdesk_core::{Error, FieldError};
use serde::ser::SerializeStruct;

use crate::session::OpenError;

#[derive(Debug)]
pub struct ApiError {
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
    /// An import's file and its problems (the first [`LISTED_PROBLEMS`]), and how many more.
    pub file: Option<String>,
    pub problems: Vec<ImportProblem>,
    pub more_problems: usize,
}

impl ApiError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            fields: Vec::new(),
            file: None,
            problems: Vec::new(),
            more_problems: 0,
        }
    }

    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError {
            fields: vec![FieldError::new(field, "invalid", message.clone())],
            ..ApiError::new("validation", message)
        }
    }
}

impl serde::Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ApiError", 7)?;
        st.serialize_field("code", self.code)?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("field", &self.fields.first().map(|f| f.field.as_str()))?;
        st.serialize_field("fields", &self.fields)?;
        st.serialize_field("file", &self.file)?;
        st.serialize_field("problems", &self.problems)?;
        st.serialize_field("more_problems", &self.more_problems)?;
        st.end()
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Validation(fields) => ApiError {
                fields: fields.clone(),
                ..ApiError::new("validation", e_text(&fields))
            },
            Error::NotFound(_) => ApiError::new("not_found", e.to_string()),
            Error::Conflict { ref field, .. } => ApiError {
                fields: vec![FieldError::new(field, "conflict", e.to_string())],
                ..ApiError::new("conflict", e.to_string())
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
                        line: p.line,
                        field: cut(&p.field, 80),
                        message: cut(&p.message, 400),
                    })
                    .collect(),
                more_problems: problems.len().saturating_sub(LISTED_PROBLEMS),
                ..ApiError::new("validation", e.to_string())
            },
            Error::Invalid(_) => ApiError::new("validation", e.to_string()),
            Error::WrongKey => ApiError::new("locked", e.to_string()),
            Error::TooNew { .. } => ApiError::new("storage", e.to_string()),
            Error::Storage(_) | Error::Io(_) => {
                eprintln!("riskdesk: storage error: {e:?}");
                ApiError::new("storage", e.to_string())
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
            OpenError::Keychain(k) => ApiError::new("keychain", k.to_string()),
            OpenError::KeyMissing(_) => ApiError::new("locked", e.to_string()),
            OpenError::Core(c) => c.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_serialise_with_code_field_and_every_field() {
        let e: ApiError = Error::Validation(vec![
            FieldError::new("email", "invalid_email", "not an e-mail address"),
            FieldError::new("phone", "invalid_phone", "bad phone"),
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
            .map(|i| ImportProblem {
                line: i,
                field: "amount".into(),
                message: "not an amount".into(),
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
