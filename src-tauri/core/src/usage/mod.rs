//! Usage and misuse: the usage files the reseller downloads from Partner Center (daily
//! rated usage) or Azure cost exports (FOCUS), the tenants they name, monthly spending
//! budgets, misuse detectors and the alerts inbox. Small modules, one concern each:
//!
//! * `read`: the two file layouts, their columns, dates and numbers;
//! * `import`: streaming a file into the usage kept per tenant, subscription and day;
//! * `classify`: what a meter is (GPU, large VM, egress, messaging);
//! * `tenants`: which customer a tenant is;
//! * `series`: a customer's daily spend and watched measures;
//! * `budgets`, `detectors`: what they find; `alerts`: the inbox; `evaluate`: both into it.

pub mod activity;
mod activity_rules;
pub mod alerts;
pub mod budgets;
pub mod classify;
mod days;
pub mod demo;
pub mod detectors;
pub mod evaluate;
pub mod import;
mod import_row;
pub mod incidents;
mod json_lines;
pub mod manifest;
mod notice_alerts;
mod notice_files;
pub mod notices;
pub mod purchases;
pub mod rates;
mod raw_date;
pub mod read;
mod region;
pub mod series;
mod spill;
mod tally;
pub mod tenants;
pub mod thresholds;
mod versions;
mod watched;
mod write;

pub use watched::reclassify;

pub use import::{
    import_usage, import_usage_files, import_usage_for, label_of, TenantSeen, UsageImport,
};
pub use purchases::PurchasesSeen;
pub use read::Format;
