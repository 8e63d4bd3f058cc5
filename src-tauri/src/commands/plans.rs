//! Payment plans in the window: a customer's plans, a plan previewed as typed, made, and
//! cancelled. Plain functions over a [`Host`], or over a connection and the context for
//! what only reads; the Tauri commands in [`ipc`] unwrap the
//! window's arguments.

use riskdesk_core::error::Code;
use riskdesk_core::ids::{CustomerId, InvoiceId};
use riskdesk_core::plans::{self, Draft, Every, NewPlan, PlanView, Schedule};
use riskdesk_core::Ctx;
use rusqlite::Connection;
use serde::Deserialize;

use crate::error::ApiError;
use crate::host::{date_arg, id_arg, text_arg, Host};

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
    /// Instalments typed one per line, `YYYY-MM-DD amount` (the share of what is owed each
    /// repays); when given, `instalments`, `first` and `every` are not used.
    #[serde(default)]
    pub typed: String,
}

/// Typed instalments: one per line, a date and an amount in the customer's currency.
fn typed_parts(
    conn: &Connection,
    customer_id: CustomerId,
    text: &str,
) -> Result<Schedule, ApiError> {
    text_arg("typed", text, 10_000)?;
    let currency = riskdesk_core::customer::get(conn, customer_id)?
        .fields
        .currency;
    let mut parts = Vec::new();
    for (n, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let field = format!("typed.{n}");
        let (day, amount) = line.split_once(char::is_whitespace).ok_or_else(|| {
            ApiError::validation(
                &field,
                Code::InvalidLine,
                "write a date and an amount: 2026-12-15 30,000",
            )
        })?;
        let day = date_arg(&field, day)?;
        let amount = riskdesk_core::money::Money::written(amount.trim(), currency)
            .map_err(|e| e.field(&field))?;
        parts.push((day, amount.minor));
    }
    Ok(Schedule::Typed { parts })
}

fn new_plan(conn: &Connection, input: &PlanInput) -> Result<NewPlan, ApiError> {
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
    text_arg("rate", &input.rate, 20)?;
    text_arg("note", &input.note, 1000)?;
    let schedule = if input.typed.trim().is_empty() {
        text_arg("instalments", &input.instalments, 10)?;
        let count: u32 = input.instalments.trim().parse().map_err(|_| {
            ApiError::validation(
                "instalments",
                Code::InvalidNumber,
                "a whole number of instalments",
            )
        })?;
        let first = date_arg("first", &input.first)?;
        let every = Every::field("every", &input.every)?;
        Schedule::Equal {
            count,
            first,
            every,
        }
    } else {
        typed_parts(conn, customer_id, &input.typed)?
    };
    Ok(NewPlan {
        customer_id,
        invoices,
        schedule,
        rate_bp: plans::parse_rate(&input.rate)?,
        note: input.note.clone(),
    })
}

pub fn preview(conn: &Connection, ctx: &Ctx, input: &PlanInput) -> Result<Draft, ApiError> {
    let p = new_plan(conn, input)?;
    Ok(plans::draft(conn, ctx.today, &p)?)
}

pub fn create(h: &mut Host, input: &PlanInput) -> Result<PlanView, ApiError> {
    let p = new_plan(h.conn, input)?;
    h.tx(|tx, ctx| plans::create(tx, ctx, &p))
}

pub fn cancel(h: &mut Host, plan_id: i64, note: &str) -> Result<PlanView, ApiError> {
    let id: i64 = id_arg("plan_id", plan_id)?;
    text_arg("note", note, 1000)?;
    h.tx(|tx, ctx| plans::cancel(tx, ctx, id, note))
}

pub fn for_customer(
    conn: &Connection,
    ctx: &Ctx,
    customer_id: i64,
) -> Result<Vec<PlanView>, ApiError> {
    let id: CustomerId = id_arg("customer_id", customer_id)?;
    Ok(plans::for_customer(conn, id, ctx.today)?)
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use super::*;

    crate::commands::read_commands! {
        list_customer_plans(customer_id: i64) -> Vec<PlanView>
            = |conn, ctx| for_customer(conn, &ctx, customer_id);
        preview_payment_plan(input: PlanInput) -> Draft = |conn, ctx| preview(conn, &ctx, &input);
    }

    crate::commands::host_commands! {
        create_payment_plan(input: PlanInput) -> PlanView = |h| create(h, &input);
        cancel_payment_plan(plan_id: i64, note: String) -> PlanView = |h| cancel(h, plan_id, &note);
    }
}
