//! Window commands, one file per area. Each area holds plain functions over a
//! [`crate::host::Host`] (parse the arguments, call the core, map errors; nothing else),
//! tested without a window, and an `ipc` module of one-line Tauri commands over them.

/// Window commands that hand their arguments to a function over the host, one line each:
///
/// ```ignore
/// host_commands! {
///     /// The customer's page.
///     get_customer(id: i64) -> CustomerDetail = |h| detail(h, id);
/// }
/// ```
///
/// Each is a `#[tauri::command]` taking the app's state and those arguments and running
/// the body with the host (`AppState::with_host`: the database held for that call only,
/// the derived data brought up to date after a write).
macro_rules! host_commands {
    ($($(#[$attr:meta])* $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty = |$h:ident| $body:expr;)*) => {
        $(
            $(#[$attr])*
            #[tauri::command]
            pub async fn $name(
                state: tauri::State<'_, crate::state::AppState>,
                $($arg: $ty),*
            ) -> Result<$out, crate::error::ApiError> {
                state.with_host(move |$h| $body).await
            }
        )*
    };
}
pub(crate) use host_commands;

/// Window commands that only read, one line each over the reading connection and the
/// session's context (`AppState::with_read`: they answer while a write or the scores'
/// update holds the database, with what was last committed):
///
/// ```ignore
/// read_commands! {
///     /// The customer list.
///     list_customers(query: ListQuery) -> ListPage = |conn, _ctx| list(conn, &query);
/// }
/// ```
macro_rules! read_commands {
    ($($(#[$attr:meta])* $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty = |$conn:ident, $ctx:pat_param| $body:expr;)*) => {
        $(
            $(#[$attr])*
            #[tauri::command]
            pub async fn $name(
                state: tauri::State<'_, crate::state::AppState>,
                $($arg: $ty),*
            ) -> Result<$out, crate::error::ApiError> {
                state.with_read(move |$conn, $ctx| $body).await
            }
        )*
    };
}
pub(crate) use read_commands;

pub mod bank;
pub mod customers;
pub mod documents;
pub mod dunning;
pub mod files;
pub mod incidents;
pub mod mail;
pub mod microsoft;
pub mod notices;
pub mod plans;
pub mod policies;
pub mod rates;
pub mod receivables;
pub mod risk;
pub mod session;
pub mod usage;

#[cfg(test)]
mod bank_tests;
#[cfg(test)]
mod edge_tests;
#[cfg(test)]
mod lock_tests;
#[cfg(test)]
mod mail_tests;
#[cfg(test)]
mod microsoft_tests;
#[cfg(test)]
mod plans_tests;
#[cfg(test)]
mod receivables_tests;
#[cfg(test)]
mod risk_tests;
#[cfg(test)]
mod smtp_tests;
#[cfg(test)]
mod surface_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod usage_tests;
