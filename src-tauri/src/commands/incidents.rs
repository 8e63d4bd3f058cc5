//! Abuse incidents: open (with the evidence it starts from), record actions, close.
//! Plain functions over a [`Host`], or a connection for the list; [`ipc`] holds the Tauri
//! commands.

use riskdesk_core::error::Code;
use riskdesk_core::usage::incidents::{self, Action, Category, Incident, LinkKind};
use serde::Deserialize;

use crate::error::ApiError;
use crate::host::{id_arg, text_arg, Host};

#[derive(Deserialize, Debug, Clone)]
pub struct IncidentInput {
    pub customer_id: i64,
    pub category: String,
    pub summary: String,
    /// What it starts from: `("notice" | "alert" | "subscription", id)`.
    #[serde(default)]
    pub links: Vec<(String, i64)>,
}

pub fn list(conn: &rusqlite::Connection) -> Result<Vec<Incident>, ApiError> {
    Ok(incidents::list(conn, None)?)
}

pub fn open(h: &mut Host, input: IncidentInput) -> Result<i64, ApiError> {
    let customer = id_arg("customer_id", input.customer_id)?;
    let category = Category::field("category", &input.category)?;
    text_arg("summary", &input.summary, 2000)?;
    if input.links.len() > 100 {
        return Err(ApiError::validation("links", Code::TooMany, "at most 100"));
    }
    let links = input
        .links
        .iter()
        .map(|(k, v)| {
            let kind = LinkKind::field("links", k)?;
            Ok((kind, id_arg::<i64>("links", *v)?))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    h.tx(|tx, ctx| {
        let id = incidents::open(tx, ctx, customer, category, &input.summary)?;
        for (kind, v) in links {
            incidents::link(tx, ctx, id, kind, v)?;
        }
        Ok(id)
    })
}

/// Adds evidence to an incident: a notice, an alert or a subscription of its customer.
pub fn link(h: &mut Host, id: i64, kind: &str, ref_id: i64) -> Result<(), ApiError> {
    let id: i64 = id_arg("id", id)?;
    let kind = LinkKind::field("kind", kind)?;
    let ref_id: i64 = id_arg("ref_id", ref_id)?;
    h.tx(|tx, ctx| incidents::link(tx, ctx, id, kind, ref_id))
}

pub fn act(
    h: &mut Host,
    id: i64,
    action: &str,
    subscription_id: Option<i64>,
    note: &str,
) -> Result<(), ApiError> {
    let id: i64 = id_arg("id", id)?;
    let action = Action::field("action", action)?;
    let subscription_id = subscription_id
        .map(|s| id_arg::<i64>("subscription_id", s))
        .transpose()?;
    text_arg("note", note, 2000)?;
    let today = h.ctx.today;
    h.tx(|tx, ctx| incidents::act(tx, ctx, id, action, subscription_id, note, today))
}

pub fn close(h: &mut Host, id: i64, note: &str) -> Result<(), ApiError> {
    let id: i64 = id_arg("id", id)?;
    text_arg("note", note, 2000)?;
    h.tx(|tx, ctx| incidents::close(tx, ctx, id, note))
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use super::*;

    crate::commands::read_commands! {
        list_incidents() -> Vec<Incident> = |conn, _| list(conn);
    }

    crate::commands::host_commands! {
        open_incident(input: IncidentInput) -> i64 = |h| open(h, input);
        link_incident_evidence(id: i64, kind: String, ref_id: i64) -> ()
            = |h| link(h, id, &kind, ref_id);
        record_incident_action(id: i64, action: String, subscription_id: Option<i64>, note: String) -> ()
            = |h| act(h, id, &action, subscription_id, &note);
        close_incident(id: i64, note: String) -> () = |h| close(h, id, &note);
    }
}
