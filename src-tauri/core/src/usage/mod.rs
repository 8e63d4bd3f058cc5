//! Usage and misuse: the usage files the reseller downloads from Partner Center (daily
//! rated usage) or Azure cost exports (FOCUS), the tenants they name, monthly spending
//! budgets, misuse detectors and the alerts inbox. Small modules, one concern each.

pub mod classify;
pub mod import;
pub mod read;
pub mod tenants;

pub use import::{import_usage, TenantSeen, UsageImport};
pub use read::Format;
