//! Window commands, one file per area. Each area holds plain functions over a
//! [`crate::host::Host`] (parse the arguments, call the core, map errors; nothing else),
//! tested without a window, and an `ipc` module of one-line Tauri commands over them.

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
mod risk_tests;
#[cfg(test)]
mod smtp_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod usage_tests;
