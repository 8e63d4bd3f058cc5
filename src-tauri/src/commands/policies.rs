//! Collection policy commands: list, save (amounts and rates typed as text, parsed in
//! Rust) and assign. Plain functions over a [`Host`] (the list over a
//! connection); [`ipc`] holds the Tauri commands.

use riskdesk_core::collections::{self, Policy, PolicyId, PolicyInput};

use crate::error::ApiError;
use crate::host::{id_arg, Host};

pub fn list(conn: &rusqlite::Connection) -> Result<Vec<Policy>, ApiError> {
    Ok(collections::policies(conn)?)
}

pub fn save(h: &mut Host, input: PolicyInput) -> Result<Policy, ApiError> {
    let policy = input.parse()?;
    h.tx(|tx, ctx| collections::save_policy(tx, ctx, &policy))
}

pub fn assign(h: &mut Host, customer_id: i64, policy_id: Option<i64>) -> Result<(), ApiError> {
    let customer_id = id_arg("customer_id", customer_id)?;
    let policy_id = policy_id
        .map(|p| id_arg("policy_id", p).map(PolicyId))
        .transpose()?;
    h.tx(|tx, ctx| collections::assign_policy(tx, ctx, customer_id, policy_id))
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use super::*;

    crate::commands::read_commands! {
        list_policies() -> Vec<Policy> = |conn, _| list(conn);
    }

    crate::commands::host_commands! {
        save_policy(policy: PolicyInput) -> Policy = |h| save(h, policy);
        assign_policy(customer_id: i64, policy_id: Option<i64>) -> ()
            = |h| assign(h, customer_id, policy_id);
    }
}
