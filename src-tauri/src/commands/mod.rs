//! Tauri commands: parse arguments, call the core, map errors. Nothing else.

pub mod collections;
pub mod customers;
pub mod session;
