//! Typed record ids: a level id cannot be passed where a policy id is expected. Each is an
//! `i64` in SQL and in JSON.

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// True for a record not saved yet (id 0).
            pub fn is_new(self) -> bool {
                self.0 <= 0
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(v).map($name)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> $name {
                $name(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A collection policy.
    PolicyId
);
id_type!(
    /// A level of a collection policy: stable across edits, never reused.
    LevelId
);
id_type!(
    /// An executed dunning run.
    RunId
);
id_type!(
    /// A customer.
    CustomerId
);
id_type!(
    /// An invoice (or a charge invoice of a dunning run).
    InvoiceId
);
