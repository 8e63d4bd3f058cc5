//! Customer commands: the list, a customer's detail, create and update, status changes,
//! the onboarding checklist and subscriptions. Plain functions over a [`Host`]; [`ipc`]
//! holds the Tauri commands.

use riskdesk_core::audit::{self, AuditRow};
use riskdesk_core::customer::{
    self, Customer, CustomerInput, ListPage, ListQuery, OnboardingCheck, OnboardingItem,
    StatusAction,
};
use riskdesk_core::error::Code;
use riskdesk_core::subscription::{
    self, parse_date, Reason, Subscription, SubscriptionAction, SubscriptionEvent,
    SubscriptionInput,
};
use riskdesk_core::Ctx;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use riskdesk_core::risk::onboarding;

use crate::error::ApiError;
use crate::host::{id_arg, text_arg, Host};
use crate::state::AppState;

pub fn list(conn: &Connection, query: &ListQuery) -> Result<ListPage, ApiError> {
    text_arg("search", &query.search, 200)?;
    Ok(customer::list(conn, query)?)
}

#[derive(Serialize)]
pub struct SubscriptionDetail {
    #[serde(flatten)]
    subscription: Subscription,
    events: Vec<SubscriptionEvent>,
}

#[derive(Serialize)]
pub struct CustomerDetail {
    pub(crate) customer: Customer,
    form: CustomerInput,
    checks: Vec<OnboardingCheck>,
    subscriptions: Vec<SubscriptionDetail>,
    history: Vec<AuditRow>,
    /// The e-mails drafted for the customer, newest first.
    mail: Vec<riskdesk_core::mail::MailLogRow>,
}

pub fn detail(conn: &Connection, ctx: &Ctx, id: i64) -> Result<CustomerDetail, ApiError> {
    let id = id_arg("id", id)?;
    let customer = customer::get(conn, id)?;
    let mut subscriptions = Vec::new();
    for s in subscription::list_for_customer(conn, id)? {
        let events = subscription::events(conn, s.id)?;
        subscriptions.push(SubscriptionDetail {
            subscription: s,
            events,
        });
    }
    let mut history = audit::for_entity(conn, "customer", id)?;
    for s in &subscriptions {
        history.extend(audit::for_entity(conn, "subscription", s.subscription.id)?);
    }
    for plan in riskdesk_core::plans::for_customer(conn, id, ctx.today)? {
        history.extend(audit::for_entity(conn, "payment_plan", plan.id)?);
    }
    history.sort_by_key(|row| std::cmp::Reverse(row.seq));
    history.truncate(100);
    Ok(CustomerDetail {
        form: customer.fields.to_input().shown(),
        checks: customer::checks(conn, id)?,
        customer,
        subscriptions,
        history,
        mail: riskdesk_core::mail::log(conn, None, Some(id))?,
    })
}

/// Creates a customer, enforcing the onboarding rules (an overridable refusal passes with
/// `override_reason`, which is audited).
pub fn create(
    h: &mut Host,
    input: &CustomerInput,
    override_reason: Option<&str>,
    checks: &[CheckInput],
) -> Result<Customer, ApiError> {
    // The checks the new-customer wizard walked through, recorded with the customer so
    // that they count for the onboarding rules (an active customer needs them).
    let checks: Vec<OnboardingCheck> = checks.iter().map(parse_check).collect::<Result<_, _>>()?;
    riskdesk_core::customer::check_typed_tax_id(&input.country, &input.tax_id)?;
    h.tx(|tx, ctx| {
        let fields = input.validate()?;
        if checks.is_empty() {
            // Refusals first, before anything is written.
            onboarding::check(tx, None, None, &fields, override_reason)?;
        }
        let c = customer::create(tx, ctx, input)?;
        for check in &checks {
            customer::record_check(tx, ctx, c.id, check)?;
        }
        let rules = onboarding::check(tx, Some(c.id), None, &fields, override_reason)?;
        onboarding::record_overrides(tx, ctx, c.id, &rules, override_reason)?;
        onboarding::request_prepayment_if_asked(tx, ctx, c.id)?;
        Ok(c)
    })
}

pub fn update(
    h: &mut Host,
    id: i64,
    input: &CustomerInput,
    override_reason: Option<&str>,
) -> Result<Customer, ApiError> {
    let id = id_arg("id", id)?;
    riskdesk_core::customer::check_typed_tax_id(&input.country, &input.tax_id)?;
    h.tx(|tx, ctx| {
        let fields = input.validate()?;
        let before = customer::get(tx, id)?;
        let rules =
            onboarding::check(tx, Some(id), Some(&before.fields), &fields, override_reason)?;
        let c = customer::update(tx, ctx, id, &fields)?.0;
        onboarding::record_overrides(tx, ctx, id, &rules, override_reason)?;
        Ok(c)
    })
}

#[derive(Deserialize)]
pub struct StatusChange {
    action: String,
    reason: String,
    note: String,
    /// Overrides an onboarding refusal (audited).
    #[serde(default)]
    override_reason: Option<String>,
}

pub fn change_status(h: &mut Host, id: i64, change: &StatusChange) -> Result<Customer, ApiError> {
    let id = id_arg("id", id)?;
    let action = StatusAction::field("action", &change.action)?;
    h.tx(|tx, ctx| {
        let before = customer::get(tx, id)?;
        let mut after = before.fields.clone();
        if action == StatusAction::Reactivate {
            after.status = customer::Status::Active;
        }
        let reason = change.override_reason.as_deref();
        let rules = onboarding::check(tx, Some(id), Some(&before.fields), &after, reason)?;
        let c = customer::change_status(tx, ctx, id, action, &change.reason, &change.note)?;
        onboarding::record_overrides(tx, ctx, id, &rules, reason)?;
        Ok(c)
    })
}

#[derive(Deserialize, Clone, Default)]
pub struct CheckInput {
    pub item: String,
    pub done_on: String,
    pub done_by: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub note: String,
}

fn parse_check(check: &CheckInput) -> Result<OnboardingCheck, ApiError> {
    let item = OnboardingItem::field("item", &check.item)?;
    let done_on = parse_date("done_on", &check.done_on)?;
    Ok(OnboardingCheck {
        item,
        done_on,
        done_by: check.done_by.clone(),
        reference: check.reference.clone(),
        note: check.note.clone(),
    })
}

pub fn record_check(h: &mut Host, customer_id: i64, check: CheckInput) -> Result<(), ApiError> {
    let customer_id = id_arg("customer_id", customer_id)?;
    let check = parse_check(&check)?;
    h.tx(|tx, ctx| customer::record_check(tx, ctx, customer_id, &check))
}

pub fn clear_check(h: &mut Host, customer_id: i64, item: &str) -> Result<(), ApiError> {
    let customer_id = id_arg("customer_id", customer_id)?;
    let item = OnboardingItem::field("item", item)?;
    h.tx(|tx, ctx| customer::clear_check(tx, ctx, customer_id, item))
}

pub fn add_subscription(
    h: &mut Host,
    customer_id: i64,
    input: &SubscriptionInput,
) -> Result<Subscription, ApiError> {
    let customer_id = id_arg("customer_id", customer_id)?;
    h.tx(|tx, ctx| subscription::add(tx, ctx, customer_id, input))
}

#[derive(Deserialize)]
pub struct SubscriptionChange {
    /// suspend, reactivate, cancel (with a reason), renew or add_seats (with a quantity).
    action: String,
    #[serde(default)]
    reason: String,
    on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    quantity: String,
}

pub fn change_subscription(
    h: &mut Host,
    id: i64,
    change: &SubscriptionChange,
) -> Result<Subscription, ApiError> {
    let id = id_arg("id", id)?;
    match change.action.as_str() {
        "renew" => {
            let on = parse_date("on", &change.on)?;
            return h.tx(|tx, ctx| subscription::renew(tx, ctx, id, on));
        }
        "add_seats" => {
            let on = parse_date("on", &change.on)?;
            let n: i64 = change.quantity.trim().parse().map_err(|_| {
                ApiError::validation(
                    "quantity",
                    Code::InvalidQuantity,
                    "a whole number of seats from 1",
                )
            })?;
            return h.tx(|tx, ctx| subscription::add_seats(tx, ctx, id, n, on));
        }
        _ => {}
    }
    let action = SubscriptionAction::field("action", &change.action)?;
    let reason = Reason::parse(&change.reason)
        .ok_or_else(|| ApiError::validation("reason", Code::Required, "choose a reason"))?;
    let on = parse_date("on", &change.on)?;
    h.tx(|tx, ctx| subscription::change(tx, ctx, id, action, reason, on, &change.note))
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use tauri::State;

    use super::*;

    crate::commands::read_commands! {
        list_customers(query: ListQuery) -> ListPage = |conn, _| list(conn, &query);
        get_customer(id: i64) -> CustomerDetail = |conn, ctx| detail(conn, &ctx, id);
    }

    crate::commands::host_commands! {
        update_customer(id: i64, input: CustomerInput, override_reason: Option<String>) -> Customer
            = |h| update(h, id, &input, override_reason.as_deref());
        change_customer_status(id: i64, change: StatusChange) -> Customer
            = |h| change_status(h, id, &change);
        record_onboarding_check(customer_id: i64, check: CheckInput) -> ()
            = |h| record_check(h, customer_id, check);
        clear_onboarding_check(customer_id: i64, item: String) -> ()
            = |h| clear_check(h, customer_id, &item);
        add_subscription(customer_id: i64, input: SubscriptionInput) -> Subscription
            = |h| super::add_subscription(h, customer_id, &input);
        change_subscription(id: i64, change: SubscriptionChange) -> Subscription
            = |h| super::change_subscription(h, id, &change);
    }

    #[tauri::command]
    pub async fn create_customer(
        state: State<'_, AppState>,
        input: CustomerInput,
        override_reason: Option<String>,
        checks: Option<Vec<CheckInput>>,
    ) -> Result<Customer, ApiError> {
        let checks = checks.unwrap_or_default();
        if checks.len() > 20 {
            return Err(ApiError::validation(
                "checks",
                Code::TooMany,
                "at most 20 checks",
            ));
        }
        state
            .with_host(move |h| create(h, &input, override_reason.as_deref(), &checks))
            .await
    }
}
