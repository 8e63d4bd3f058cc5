//! Receivables commands: aging, statements, a customer's collections card, payments,
//! disputes, write-offs, promises and prepayment requests. Plain functions over a
//! [`Host`], or over a connection for what only reads; the Tauri commands below them only
//! unwrap the window's arguments.

use riskdesk_core::collections;
use riskdesk_core::customer;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::money::Money;
use riskdesk_core::receivables::{self, Aging, BucketEdges, Statement};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::host::{date_arg, id_arg, text_arg, Host};

pub fn aging(conn: &Connection, as_of: &str, edges: [i64; 3]) -> Result<Aging, ApiError> {
    let as_of = date_arg("as_of", as_of)?;
    Ok(receivables::aging(conn, as_of, BucketEdges(edges))?)
}

pub fn statement(conn: &Connection, customer_id: i64, as_of: &str) -> Result<Statement, ApiError> {
    let as_of = date_arg("as_of", as_of)?;
    Ok(receivables::statement(
        conn,
        id_arg("customer_id", customer_id)?,
        as_of,
    )?)
}

#[derive(Serialize)]
pub struct CustomerCollections {
    policy_id: collections::PolicyId,
    own_policy: bool,
    statement: Statement,
    prepayments: Vec<receivables::PrepaymentRequest>,
    promise: Option<(receivables::Promise, receivables::PromiseState)>,
    credit: Money,
    /// The latest payments and credit notes, newest first, with their returns.
    payments: Vec<receivables::PaymentRecord>,
}

pub fn customer_collections(
    conn: &Connection,
    customer_id: i64,
    as_of: &str,
) -> Result<CustomerCollections, ApiError> {
    let as_of = date_arg("as_of", as_of)?;
    let customer_id = id_arg("customer_id", customer_id)?;
    let statement = receivables::statement(conn, customer_id, as_of)?;
    Ok(CustomerCollections {
        policy_id: collections::policy_for(conn, customer_id)?,
        own_policy: collections::own_policy(conn, customer_id)?.is_some(),
        credit: Money::new(
            receivables::customer_credit(conn, customer_id)?,
            statement.currency,
        ),
        statement,
        prepayments: receivables::prepayments(conn, Some(customer_id))?,
        promise: receivables::promise_state(conn, customer_id, as_of)?,
        payments: receivables::payments_of(conn, customer_id, 50)?,
    })
}

fn amount_for(
    h: &Host,
    customer_id: CustomerId,
    field: &str,
    text: &str,
) -> Result<Money, ApiError> {
    let c = customer::get(h.conn, customer_id)?;
    Money::written(text, c.fields.currency).map_err(|e| e.field(field).into())
}

#[derive(Deserialize)]
pub struct PaymentInput {
    kind: String,
    amount: String,
    received_on: String,
    method: String,
    reference: String,
    invoice_number: String,
}

/// Records a payment or credit note; answers the dunning charges it corrected.
pub fn record_payment(
    h: &mut Host,
    customer_id: i64,
    input: PaymentInput,
) -> Result<Vec<collections::Correction>, ApiError> {
    let customer_id = id_arg("customer_id", customer_id)?;
    let kind = receivables::PaymentKind::field("kind", &input.kind)?;
    let on = date_arg("received_on", &input.received_on)?;
    text_arg("method", &input.method, 100)?;
    let amount = amount_for(h, customer_id, "amount", &input.amount)?;
    h.tx(|tx, ctx| {
        receivables::record_payment(
            tx,
            ctx,
            &receivables::NewPayment {
                customer_id,
                kind,
                received_on: on,
                amount,
                method: input.method,
                reference: input.reference,
                invoice_number: Some(input.invoice_number).filter(|s| !s.trim().is_empty()),
            },
        )
        .and_then(|p| collections::caused_by(tx, p.id))
    })
}

#[derive(Deserialize)]
pub struct ReturnInput {
    returned_on: String,
    reason: String,
    note: String,
}

/// Records that a payment was taken back (a charge-back, a returned transfer, a recall).
/// Records a payment taken back; answers the dunning charges charged again.
pub fn return_payment(
    h: &mut Host,
    payment_id: i64,
    input: ReturnInput,
) -> Result<Vec<collections::Correction>, ApiError> {
    let payment_id = id_arg("payment_id", payment_id)?;
    let returned_on = date_arg("returned_on", &input.returned_on)?;
    let reason = receivables::ReturnReason::field("reason", &input.reason)?;
    text_arg("note", &input.note, 2000)?;
    h.tx(|tx, ctx| {
        receivables::return_payment(
            tx,
            ctx,
            &receivables::NewReturn {
                payment_id,
                returned_on,
                reason,
                note: input.note,
            },
        )
        .and_then(|_| collections::charged_again_by(tx, payment_id))
    })
}

pub fn set_dispute(
    h: &mut Host,
    invoice_id: i64,
    disputed: bool,
    note: &str,
) -> Result<(), ApiError> {
    let invoice_id = id_arg("invoice_id", invoice_id)?;
    text_arg("note", note, 2000)?;
    h.tx(|tx, ctx| receivables::set_dispute(tx, ctx, invoice_id, disputed, note).map(|_| ()))
}

pub fn write_off(h: &mut Host, invoice_id: i64, on: &str, reason: &str) -> Result<(), ApiError> {
    let invoice_id = id_arg("invoice_id", invoice_id)?;
    let on = date_arg("on", on)?;
    text_arg("reason", reason, 2000)?;
    h.tx(|tx, ctx| receivables::write_off(tx, ctx, invoice_id, on, reason).map(|_| ()))
}

#[derive(Deserialize)]
pub struct PromiseInput {
    pay_by: String,
    amount: String,
    note: String,
}

pub fn add_promise(h: &mut Host, customer_id: i64, input: PromiseInput) -> Result<(), ApiError> {
    let customer_id = id_arg("customer_id", customer_id)?;
    let pay_by = date_arg("pay_by", &input.pay_by)?;
    text_arg("note", &input.note, 2000)?;
    let amount = amount_for(h, customer_id, "amount", &input.amount)?;
    let today = h.ctx.today;
    h.tx(|tx, ctx| {
        receivables::add_promise(
            tx,
            ctx,
            customer_id,
            today,
            pay_by,
            amount.minor,
            &input.note,
        )
        .map(|_| ())
    })
}

#[derive(Deserialize)]
pub struct PrepaymentInput {
    amount: String,
    due_on: String,
    note: String,
}

pub fn request_prepayment(
    h: &mut Host,
    customer_id: i64,
    input: PrepaymentInput,
) -> Result<(), ApiError> {
    let customer_id = id_arg("customer_id", customer_id)?;
    let due_on = date_arg("due_on", &input.due_on)?;
    text_arg("note", &input.note, 2000)?;
    let amount = amount_for(h, customer_id, "amount", &input.amount)?;
    h.tx(|tx, ctx| {
        receivables::request_prepayment(tx, ctx, customer_id, amount, due_on, &input.note)
            .map(|_| ())
    })
}

pub fn prepayment_received(h: &mut Host, id: i64, on: &str) -> Result<(), ApiError> {
    let id = id_arg("id", id)?;
    let on = date_arg("on", on)?;
    h.tx(|tx, ctx| receivables::mark_prepayment_received(tx, ctx, id, on).map(|_| ()))
}

pub fn outstanding_prepayments(
    conn: &Connection,
) -> Result<Vec<(String, receivables::PrepaymentRequest)>, ApiError> {
    let mut out = Vec::new();
    for p in receivables::prepayments(conn, None)? {
        out.push((customer::get(conn, p.customer_id)?.fields.legal_name, p));
    }
    Ok(out)
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use super::*;

    crate::commands::read_commands! {
        get_aging_report(as_of: String, edges: [i64; 3]) -> Aging
            = |conn, _| aging(conn, &as_of, edges);
        get_customer_statement(customer_id: i64, as_of: String) -> Statement
            = |conn, _| statement(conn, customer_id, &as_of);
        get_customer_collections(customer_id: i64, as_of: String) -> CustomerCollections
            = |conn, _| super::customer_collections(conn, customer_id, &as_of);
        /// The prepayment requests not yet received, with their customers' names.
        list_prepayments() -> Vec<(String, receivables::PrepaymentRequest)>
            = |conn, _| outstanding_prepayments(conn);
    }

    crate::commands::host_commands! {
        record_payment(customer_id: i64, input: PaymentInput) -> Vec<collections::Correction>
            = |h| super::record_payment(h, customer_id, input);
        return_payment(payment_id: i64, input: ReturnInput) -> Vec<collections::Correction>
            = |h| super::return_payment(h, payment_id, input);
        set_dispute(invoice_id: i64, disputed: bool, note: String) -> ()
            = |h| super::set_dispute(h, invoice_id, disputed, &note);
        write_off_invoice(invoice_id: i64, on: String, reason: String) -> ()
            = |h| write_off(h, invoice_id, &on, &reason);
        add_promise(customer_id: i64, input: PromiseInput) -> ()
            = |h| super::add_promise(h, customer_id, input);
        request_prepayment(customer_id: i64, input: PrepaymentInput) -> ()
            = |h| super::request_prepayment(h, customer_id, input);
        mark_prepayment_received(id: i64, on: String) -> () = |h| prepayment_received(h, id, &on);
    }
}
