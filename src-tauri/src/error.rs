//! The one error shape the window sees: `{code, message, field, fields}`.

use riskdesk_core::{Error, FieldError};
use serde::ser::SerializeStruct;

use crate::session::OpenError;

#[derive(Debug)]
pub struct ApiError {
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl ApiError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError {
            code: "validation",
            fields: vec![FieldError::new(field, "invalid", message.clone())],
            message,
        }
    }
}

impl serde::Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ApiError", 4)?;
        st.serialize_field("code", self.code)?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("field", &self.fields.first().map(|f| f.field.as_str()))?;
        st.serialize_field("fields", &self.fields)?;
        st.end()
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Validation(fields) => ApiError {
                code: "validation",
                message: e_text(&fields),
                fields,
            },
            Error::NotFound(_) => ApiError::new("not_found", e.to_string()),
            Error::Conflict { ref field, .. } => ApiError {
                code: "conflict",
                message: e.to_string(),
                fields: vec![FieldError::new(field, "conflict", e.to_string())],
            },
            Error::Import { .. } | Error::Invalid(_) => ApiError::new("validation", e.to_string()),
            Error::WrongKey => ApiError::new("locked", e.to_string()),
            Error::TooNew { .. } => ApiError::new("storage", e.to_string()),
            Error::Storage(_) | Error::Io(_) => {
                eprintln!("riskdesk: storage error: {e:?}");
                ApiError::new("storage", e.to_string())
            }
        }
    }
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
    fn a_missing_record_is_not_found_and_a_wrong_key_is_locked() {
        let v = serde_json::to_value(ApiError::from(Error::NotFound("customer 9".into()))).unwrap();
        assert_eq!(v["code"], "not_found");
        assert!(v["field"].is_null());
        let v = serde_json::to_value(ApiError::from(Error::WrongKey)).unwrap();
        assert_eq!(v["code"], "locked");
    }
}
