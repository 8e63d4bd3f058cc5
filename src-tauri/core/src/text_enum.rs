/// Declares an enum stored and sent as fixed lower-case text (`"on_hold"`), with
/// `as_str`, `parse` and `ALL`, so the database CHECK constraints, the JSON and the UI
/// agree on one spelling.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($var:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $var),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$var => $text),+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$var),)+
                    _ => None,
                }
            }

            /// The accepted spellings, for error messages.
            pub fn choices() -> String {
                [$($text),+].join(", ")
            }

            /// The choice written in `field` (spaces around it aside), or that field's problem
            /// naming the choices.
            pub fn field(field: &str, text: &str) -> Result<Self, $crate::FieldError> {
                Self::parse(text.trim()).ok_or_else(|| {
                    $crate::FieldError::new(
                        field,
                        $crate::error::Code::InvalidChoice,
                        format!("use one of {}", Self::choices()),
                    )
                    .with("choices", Self::choices())
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        /// A stored spelling RiskDesk does not know is an error naming the column's type
        /// and the text, never a default.
        impl rusqlite::types::FromSql for $name {
            fn column_result(
                v: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                $crate::store::text_column(v, stringify!($name), $name::parse)
            }
        }
    };
}

pub(crate) use text_enum;

/// A choice's compared form: half-width, lower case, every run of other characters one `_`
/// (`On hold` and `on-hold` are `on_hold`, `銀行轉帳／發票` is `銀行轉帳_發票`).
fn choice_key(text: &str) -> String {
    let plain = crate::identity::half_width(text).to_lowercase();
    let mut out = String::with_capacity(plain.len());
    for c in plain.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// A choice as a file people typed writes it: one of `all` by its code in any case, with
/// spaces or hyphens for underscores, or by one of `labels` (how the window shows it, in
/// English or Chinese); anything else is `strict`'s problem (the field and the choices).
pub(crate) fn written<T: Copy>(
    text: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    labels: &[(&str, T)],
    strict: impl FnOnce() -> Result<T, crate::FieldError>,
) -> Result<T, crate::FieldError> {
    let k = choice_key(text);
    all.iter()
        .copied()
        .find(|c| choice_key(code(*c)) == k)
        .or_else(|| {
            labels
                .iter()
                .find(|(l, _)| choice_key(l) == k)
                .map(|(_, c)| *c)
        })
        .map_or_else(strict, Ok)
}

#[cfg(test)]
mod tests {
    use crate::customer::Status;
    use crate::money::Currency;
    use rusqlite::Connection;

    fn read<T: rusqlite::types::FromSql>(text: &str) -> rusqlite::Result<T> {
        let conn = Connection::open_in_memory().unwrap();
        conn.query_row("SELECT ?1", [text], |r| r.get(0))
    }

    #[test]
    fn a_choice_typed_in_a_field_is_read_or_refused_naming_the_field_and_the_choices() {
        assert_eq!(Status::field("status", " on_hold "), Ok(Status::OnHold));
        for bad in [
            "",
            "On_Hold",
            "on hold",
            "<b>active</b>",
            "=cmd|' /C calc'!A0",
        ] {
            let e = Status::field("status", bad).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code),
                ("status", crate::error::Code::InvalidChoice)
            );
            assert!(
                e.message.contains("prospect, active, on_hold"),
                "{}",
                e.message
            );
            assert_eq!(
                e.params.get("choices").map(String::as_str),
                Some(Status::choices().as_str())
            );
        }
    }

    #[test]
    fn stored_text_reads_back_as_the_type_and_a_stranger_is_an_error_not_a_default() {
        assert_eq!(read::<Status>("on_hold").unwrap(), Status::OnHold);
        assert_eq!(
            read::<Currency>("JPY").unwrap(),
            Currency::parse("JPY").unwrap()
        );
        for (what, err) in [
            ("Status", read::<Status>("suspended!").unwrap_err()),
            ("currency", read::<Currency>("XXX").unwrap_err()),
        ] {
            let text = err.to_string();
            assert!(
                text.contains(what) && text.contains("in the database"),
                "{text}"
            );
        }
        let conn = Connection::open_in_memory().unwrap();
        let number: rusqlite::Result<Status> = conn.query_row("SELECT 7", [], |r| r.get(0));
        assert!(number.is_err(), "a number is no status");
        let back: String = conn
            .query_row("SELECT ?1", [Status::OnHold], |r| r.get(0))
            .unwrap();
        assert_eq!(back, "on_hold");
    }
}
