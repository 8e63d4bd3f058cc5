use riskdesk_core::audit::{self, AuditRow};
use riskdesk_core::customer::{
    self, Customer, CustomerInput, ListPage, ListQuery, OnboardingCheck, OnboardingItem,
    StatusAction,
};
use riskdesk_core::subscription::{
    self, parse_date, Reason, Subscription, SubscriptionAction, SubscriptionEvent,
    SubscriptionInput,
};
use serde::{Deserialize, Serialize};
use tauri::State;

use super::in_tx;
use crate::error::ApiError;
use crate::session::ctx;
use crate::state::AppState;

fn check_id(id: i64) -> Result<i64, ApiError> {
    if id > 0 {
        Ok(id)
    } else {
        Err(ApiError::validation("id", "not a record id"))
    }
}

#[tauri::command]
pub async fn list_customers(
    state: State<'_, AppState>,
    query: ListQuery,
) -> Result<ListPage, ApiError> {
    state
        .with_db(move |o| Ok(customer::list(&o.conn, &query)?))
        .await
}

#[derive(Serialize)]
pub struct SubscriptionDetail {
    #[serde(flatten)]
    subscription: Subscription,
    events: Vec<SubscriptionEvent>,
}

#[derive(Serialize)]
pub struct CustomerDetail {
    customer: Customer,
    form: CustomerInput,
    checks: Vec<OnboardingCheck>,
    subscriptions: Vec<SubscriptionDetail>,
    history: Vec<AuditRow>,
}

#[tauri::command]
pub async fn get_customer(state: State<'_, AppState>, id: i64) -> Result<CustomerDetail, ApiError> {
    let id = check_id(id)?;
    state
        .with_db(move |o| {
            let customer = customer::get(&o.conn, id)?;
            let mut subscriptions = Vec::new();
            for s in subscription::list_for_customer(&o.conn, id)? {
                let events = subscription::events(&o.conn, s.id)?;
                subscriptions.push(SubscriptionDetail {
                    subscription: s,
                    events,
                });
            }
            let mut history = audit::for_entity(&o.conn, "customer", id)?;
            for s in &subscriptions {
                history.extend(audit::for_entity(
                    &o.conn,
                    "subscription",
                    s.subscription.id,
                )?);
            }
            history.sort_by_key(|row| std::cmp::Reverse(row.seq));
            history.truncate(100);
            Ok(CustomerDetail {
                form: customer.fields.to_input(),
                checks: customer::checks(&o.conn, id)?,
                customer,
                subscriptions,
                history,
            })
        })
        .await
}

#[tauri::command]
pub async fn create_customer(
    state: State<'_, AppState>,
    input: CustomerInput,
) -> Result<Customer, ApiError> {
    state
        .with_db(move |o| in_tx(&mut o.conn, |tx| customer::create(tx, &ctx(), &input)))
        .await
}

#[tauri::command]
pub async fn update_customer(
    state: State<'_, AppState>,
    id: i64,
    input: CustomerInput,
) -> Result<Customer, ApiError> {
    let id = check_id(id)?;
    state
        .with_db(move |o| {
            in_tx(&mut o.conn, |tx| {
                let fields = input.validate()?;
                Ok(customer::update(tx, &ctx(), id, &fields)?.0)
            })
        })
        .await
}

#[derive(Deserialize)]
pub struct StatusChange {
    action: String,
    reason: String,
    note: String,
}

#[tauri::command]
pub async fn change_customer_status(
    state: State<'_, AppState>,
    id: i64,
    change: StatusChange,
) -> Result<Customer, ApiError> {
    let id = check_id(id)?;
    let action = StatusAction::parse(&change.action)
        .ok_or_else(|| ApiError::validation("action", "unknown action"))?;
    state
        .with_db(move |o| {
            in_tx(&mut o.conn, |tx| {
                customer::change_status(tx, &ctx(), id, action, &change.reason, &change.note)
            })
        })
        .await
}

#[derive(Deserialize)]
pub struct CheckInput {
    item: String,
    done_on: String,
    done_by: String,
    reference: String,
    note: String,
}

#[tauri::command]
pub async fn record_onboarding_check(
    state: State<'_, AppState>,
    customer_id: i64,
    check: CheckInput,
) -> Result<(), ApiError> {
    let customer_id = check_id(customer_id)?;
    let item = OnboardingItem::parse(&check.item)
        .ok_or_else(|| ApiError::validation("item", "unknown onboarding item"))?;
    let done_on = parse_date("done_on", &check.done_on)?;
    let check = OnboardingCheck {
        item,
        done_on,
        done_by: check.done_by,
        reference: check.reference,
        note: check.note,
    };
    state
        .with_db(move |o| {
            in_tx(&mut o.conn, |tx| {
                customer::record_check(tx, &ctx(), customer_id, &check)
            })
        })
        .await
}

#[tauri::command]
pub async fn clear_onboarding_check(
    state: State<'_, AppState>,
    customer_id: i64,
    item: String,
) -> Result<(), ApiError> {
    let customer_id = check_id(customer_id)?;
    let item = OnboardingItem::parse(&item)
        .ok_or_else(|| ApiError::validation("item", "unknown onboarding item"))?;
    state
        .with_db(move |o| {
            in_tx(&mut o.conn, |tx| {
                customer::clear_check(tx, &ctx(), customer_id, item)
            })
        })
        .await
}

#[tauri::command]
pub async fn add_subscription(
    state: State<'_, AppState>,
    customer_id: i64,
    input: SubscriptionInput,
) -> Result<Subscription, ApiError> {
    let customer_id = check_id(customer_id)?;
    state
        .with_db(move |o| {
            in_tx(&mut o.conn, |tx| {
                subscription::add(tx, &ctx(), customer_id, &input)
            })
        })
        .await
}

#[derive(Deserialize)]
pub struct SubscriptionChange {
    action: String,
    reason: String,
    on: String,
    note: String,
}

#[tauri::command]
pub async fn change_subscription(
    state: State<'_, AppState>,
    id: i64,
    change: SubscriptionChange,
) -> Result<Subscription, ApiError> {
    let id = check_id(id)?;
    let action = SubscriptionAction::parse(&change.action)
        .ok_or_else(|| ApiError::validation("action", "unknown action"))?;
    let reason = Reason::parse(&change.reason)
        .ok_or_else(|| ApiError::validation("reason", "choose a reason"))?;
    let on = parse_date("on", &change.on)?;
    state
        .with_db(move |o| {
            in_tx(&mut o.conn, |tx| {
                subscription::change(tx, &ctx(), id, action, reason, on, &change.note)
            })
        })
        .await
}
