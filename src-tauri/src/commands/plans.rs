//! Payment plans in the window: a customer's plans, a plan previewed as typed, made, and
//! cancelled. Plain functions over a [`Host`]; the Tauri commands in [`ipc`] unwrap the
//! window's arguments.

use riskdesk_core::error::Code;
use riskdesk_core::ids::{CustomerId, InvoiceId};
use riskdesk_core::plans::{self, Draft, Every, NewPlan, PlanView, Schedule};
use serde::Deserialize;

use crate::error::ApiError;
use crate::host::{date_arg, id_arg, text_arg, Host};
use crate::state::AppState;

/// A plan as the form sends it: everything as typed.
#[derive(Debug, Deserialize)]
pub struct PlanInput {
    pub customer_id: i64,
    pub invoices: Vec<i64>,
    pub instalments: String,
    pub first: String,
    pub every: String,
    pub rate: String,
    #[serde(default)]
    pub note: String,
}

fn new_plan(input: &PlanInput) -> Result<NewPlan, ApiError> {
    let customer_id: CustomerId = id_arg("customer_id", input.customer_id)?;
    if input.invoices.len() > 100 {
        return Err(ApiError::validation(
            "invoices",
            Code::TooMany,
            "at most 100 invoices",
        ));
    }
    let invoices = input
        .invoices
        .iter()
        .enumerate()
        .map(|(n, id)| id_arg::<InvoiceId>(&format!("invoices.{n}"), *id))
        .collect::<Result<Vec<_>, _>>()?;
    text_arg("instalments", &input.instalments, 10)?;
    let count: u32 = input.instalments.trim().parse().map_err(|_| {
        ApiError::validation(
            "instalments",
            Code::InvalidNumber,
            "a whole number of instalments",
        )
    })?;
    let first = date_arg("first", &input.first)?;
    let every = Every::parse(input.every.trim())
        .ok_or_else(|| ApiError::validation("every", Code::InvalidChoice, Every::choices()))?;
    text_arg("rate", &input.rate, 20)?;
    text_arg("note", &input.note, 1000)?;
    Ok(NewPlan {
        customer_id,
        invoices,
        schedule: Schedule::Equal {
            count,
            first,
            every,
        },
        rate_bp: plans::parse_rate(&input.rate)?,
        note: input.note.clone(),
    })
}

pub fn preview(h: &mut Host, input: &PlanInput) -> Result<Draft, ApiError> {
    Ok(plans::draft(h.conn, h.ctx.today, &new_plan(input)?)?)
}

pub fn create(h: &mut Host, input: &PlanInput) -> Result<PlanView, ApiError> {
    let p = new_plan(input)?;
    h.tx(|tx, ctx| plans::create(tx, ctx, &p))
}

pub fn cancel(h: &mut Host, plan_id: i64, note: &str) -> Result<PlanView, ApiError> {
    let id: i64 = id_arg("plan_id", plan_id)?;
    text_arg("note", note, 1000)?;
    h.tx(|tx, ctx| plans::cancel(tx, ctx, id, note))
}

pub fn for_customer(h: &mut Host, customer_id: i64) -> Result<Vec<PlanView>, ApiError> {
    let id: CustomerId = id_arg("customer_id", customer_id)?;
    Ok(plans::for_customer(h.conn, id, h.ctx.today)?)
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use tauri::State;

    use super::*;

    #[tauri::command]
    pub async fn list_customer_plans(
        state: State<'_, AppState>,
        customer_id: i64,
    ) -> Result<Vec<PlanView>, ApiError> {
        state.with_host(move |h| for_customer(h, customer_id)).await
    }

    #[tauri::command]
    pub async fn preview_payment_plan(
        state: State<'_, AppState>,
        input: PlanInput,
    ) -> Result<Draft, ApiError> {
        state.with_host(move |h| preview(h, &input)).await
    }

    #[tauri::command]
    pub async fn create_payment_plan(
        state: State<'_, AppState>,
        input: PlanInput,
    ) -> Result<PlanView, ApiError> {
        state.with_host(move |h| create(h, &input)).await
    }

    #[tauri::command]
    pub async fn cancel_payment_plan(
        state: State<'_, AppState>,
        plan_id: i64,
        note: String,
    ) -> Result<PlanView, ApiError> {
        state.with_host(move |h| cancel(h, plan_id, &note)).await
    }
}
