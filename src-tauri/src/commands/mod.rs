//! Window commands, one file per area. Each area holds plain functions over a
//! [`crate::host::Host`], or over a connection and the context for the pages that only read
//! (parse the arguments, call the core, map errors; nothing else), tested without a window,
//! and an `ipc` module of one-line Tauri commands over them.

/// Window commands, one line each: a `#[tauri::command]` taking the app's state and the
/// arguments, and running the body through `AppState::$via` (`host_commands`,
/// `read_commands`).
macro_rules! ipc_commands {
    ($via:ident; $($(#[$attr:meta])* $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty = |$($p:pat_param),+| $body:expr;)*) => {
        $(
            $(#[$attr])*
            #[tauri::command]
            pub async fn $name(
                state: tauri::State<'_, crate::state::AppState>,
                $($arg: $ty),*
            ) -> Result<$out, crate::error::ApiError> {
                state.$via(move |$($p),+| $body).await
            }
        )*
    };
}
pub(crate) use ipc_commands;

/// Window commands that hand their arguments to a function over the host, one line each:
///
/// ```ignore
/// host_commands! {
///     /// A customer's status changed.
///     change_customer_status(id: i64, change: StatusChange) -> Customer
///         = |h| change_status(h, id, &change);
/// }
/// ```
///
/// Each runs the body with the host (`AppState::with_host`: the database held for that call
/// only, the derived data brought up to date after a write).
macro_rules! host_commands {
    ($($t:tt)*) => { crate::commands::ipc_commands!(with_host; $($t)*); };
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
    ($($t:tt)*) => { crate::commands::ipc_commands!(with_read; $($t)*); };
}
pub(crate) use read_commands;

pub mod backup;
pub mod bank;
pub mod customers;
pub mod documents;
pub mod dunning;
pub mod exports;
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
mod backup_tests;
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
