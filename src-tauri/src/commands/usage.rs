//! Usage, budgets and alerts: the usage file import (from a path the OS dialog chose,
//! streamed, with progress), tenants to link, budgets, the alerts inbox and a customer's
//! daily spend. Plain functions over a [`Host`] for changes, over a connection for reads;
//! [`ipc`] holds the Tauri commands.

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use riskdesk_core::error::Code;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::money::Money;
use riskdesk_core::usage::{self, alerts, budgets, evaluate, series, tenants, Format, UsageImport};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::host::{id_arg, text_arg, Host};
use crate::state::AppState;

#[derive(Serialize)]
pub struct UsageImportResult {
    pub file: String,
    /// The files imported as one, by name (the window says "and N more" in its language).
    pub files: Vec<String>,
    #[serde(flatten)]
    pub summary: UsageImport,
    pub evaluation: evaluate::Evaluation,
}

/// Imports the usage file at `paths` (format `auto`, `partner-center` or `focus`), or several,
/// the parts of one export, as one ([`usage::import_usage_files`]; a Graph export's manifest
/// with the blobs beside it that it names), then evaluates budgets
/// and detectors, in one transaction. `whose`: the customer a FOCUS export that names none
/// belongs to. `progress(bytes, rows, total)`, `total` the files' sizes together.
pub fn import_paths(
    h: &mut Host,
    paths: &[PathBuf],
    format: &str,
    whose: Option<CustomerId>,
    progress: &mut dyn FnMut(u64, u64, u64),
) -> Result<UsageImportResult, ApiError> {
    let format = Format::parse(format).ok_or_else(|| {
        ApiError::validation(
            "format",
            Code::InvalidChoice,
            "auto, partner-center or focus",
        )
    })?;
    let mut total = 0;
    let mut files: Vec<(String, Box<dyn std::io::Read + Send>)> = Vec::new();
    // A Graph export's manifest chosen alone brings the blobs beside it.
    for path in &usage::manifest::with_blobs(paths) {
        let (label, file, size) = super::files::open_chosen(path)?;
        total += size;
        files.push((label, Box::new(file)));
    }
    let label = usage::label_of(&files);
    let names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
    let (summary, evaluation) = h.tx(|tx, ctx| {
        let s =
            usage::import_usage_files(tx, ctx, files, format, whose, |b, r| progress(b, r, total))?;
        let e = evaluate::evaluate(tx, ctx)?;
        Ok((s, e))
    })?;
    Ok(UsageImportResult {
        file: label,
        files: names,
        summary,
        evaluation,
    })
}

/// One customer's month in the portfolio table.
#[derive(Serialize)]
pub struct PortfolioRow {
    pub customer_id: CustomerId,
    pub name: String,
    pub month_to_date: Money,
    /// What Microsoft's credits paid of the month's usage besides (not in
    /// `month_to_date`); None when nothing.
    pub credited: Option<Money>,
    /// The budget of every subscription of the customer.
    pub budget: Option<budgets::BudgetStatus>,
    /// The budgets of one subscription each, in the order of their ids.
    pub subscription_budgets: Vec<budgets::BudgetStatus>,
    /// The subscriptions with usage this month, in order (a budget may be set for each).
    pub subscriptions: Vec<String>,
}

#[derive(Serialize)]
pub struct Overview {
    /// The day figures are as of: the latest usage day (never after today), or today.
    pub as_of: NaiveDate,
    pub month: String,
    pub tenants: Vec<tenants::Tenant>,
    pub budgets: Vec<budgets::BudgetStatus>,
    pub portfolio: Vec<PortfolioRow>,
    pub open_alerts: i64,
    pub acknowledged_alerts: i64,
}

fn as_of(conn: &rusqlite::Connection, ctx: &riskdesk_core::Ctx) -> Result<NaiveDate, ApiError> {
    Ok(series::latest_day(conn)?
        .map(|d| d.min(ctx.today))
        .unwrap_or(ctx.today))
}

/// The usage page. Reading writes nothing: a customer created from an unknown tenant is
/// linked by the step after that write ([`riskdesk_core::derive`]).
pub fn overview(
    conn: &rusqlite::Connection,
    ctx: &riskdesk_core::Ctx,
) -> Result<Overview, ApiError> {
    let as_of = as_of(conn, ctx)?;
    let start = as_of.with_day(1).unwrap_or(as_of);
    let statuses = budgets::status(conn, as_of)?;
    let usage = series::load(conn, start, as_of, None)?;
    let portfolio = usage
        .iter()
        .map(|u| {
            let (all, one): (Vec<_>, Vec<_>) = statuses
                .iter()
                .filter(|s| s.budget.customer_id == u.customer_id)
                .cloned()
                .partition(|s| s.budget.subscription.is_empty());
            let subscriptions: std::collections::BTreeSet<&String> = u
                .days
                .values()
                .flat_map(|d| d.by_subscription.keys())
                .collect();
            PortfolioRow {
                customer_id: u.customer_id,
                name: u.name.clone(),
                month_to_date: series::money(u.days.values().map(|d| d.spend).sum(), u.currency),
                credited: Some(series::money(
                    u.days.values().map(|d| d.credited).sum(),
                    u.currency,
                ))
                .filter(|m| m.minor != 0),
                budget: all.into_iter().next(),
                subscription_budgets: one,
                subscriptions: subscriptions.into_iter().cloned().collect(),
            }
        })
        .collect();
    let (open_alerts, acknowledged_alerts) = alerts::counts(conn)?;
    Ok(Overview {
        as_of,
        month: format!("{:04}-{:02}", as_of.year(), as_of.month()),
        tenants: tenants::list(conn)?,
        budgets: statuses,
        portfolio,
        open_alerts,
        acknowledged_alerts,
    })
}

#[derive(Serialize)]
pub struct AlertCounts {
    pub open: i64,
    pub acknowledged: i64,
}

/// The alerts still to be worked, counted.
pub fn alert_counts(conn: &rusqlite::Connection) -> Result<AlertCounts, ApiError> {
    let (open, acknowledged) = alerts::counts(conn)?;
    Ok(AlertCounts { open, acknowledged })
}

fn tenant_arg(tenant: &str) -> Result<(), ApiError> {
    let ok = tenant.len() == 36 && tenant.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(ApiError::validation(
            "tenant",
            Code::InvalidGuid,
            "not a tenant id",
        ))
    }
}

pub fn link_tenant(h: &mut Host, tenant: &str, customer_id: Option<i64>) -> Result<(), ApiError> {
    tenant_arg(tenant)?;
    let customer = customer_id.map(|c| id_arg("customer_id", c)).transpose()?;
    h.tx(|tx, ctx| {
        tenants::link(tx, ctx, tenant, customer)?;
        evaluate::evaluate(tx, ctx).map(|_| ())
    })
}

#[derive(Deserialize, Clone, Debug)]
pub struct BudgetInput {
    pub customer_id: i64,
    #[serde(default)]
    pub subscription: String,
    pub amount: String,
    #[serde(default)]
    pub thresholds: String,
    /// The budget's currency (ISO 4217); empty: the currency the usage arrives in.
    #[serde(default)]
    pub currency: String,
}

pub fn set_budget(h: &mut Host, input: BudgetInput) -> Result<budgets::Budget, ApiError> {
    let customer = id_arg("customer_id", input.customer_id)?;
    text_arg("amount", &input.amount, 40)?;
    text_arg("thresholds", &input.thresholds, 100)?;
    text_arg("currency", &input.currency, 10)?;
    h.tx(|tx, ctx| {
        let b = budgets::set_in(
            tx,
            ctx,
            customer,
            &input.subscription,
            &input.amount,
            &input.thresholds,
            Some(input.currency.as_str()),
        )?;
        evaluate::evaluate(tx, ctx)?;
        Ok(b)
    })
}

pub fn remove_budget(h: &mut Host, customer_id: i64, subscription: &str) -> Result<(), ApiError> {
    let customer = id_arg("customer_id", customer_id)?;
    text_arg("subscription", subscription, 100)?;
    h.tx(|tx, ctx| budgets::remove(tx, ctx, customer, subscription))
}

pub fn list_alerts(
    conn: &rusqlite::Connection,
    include_resolved: bool,
    customer_id: Option<i64>,
) -> Result<Vec<alerts::Alert>, ApiError> {
    let customer = customer_id.map(|c| id_arg("customer_id", c)).transpose()?;
    Ok(alerts::list(
        conn,
        alerts::Filter {
            include_resolved,
            customer,
        },
    )?)
}

pub fn set_alert(h: &mut Host, id: i64, status: &str, note: &str) -> Result<(), ApiError> {
    if id <= 0 {
        return Err(ApiError::validation(
            "id",
            Code::InvalidId,
            "not a record id",
        ));
    }
    let status = alerts::AlertStatus::field("status", status)?;
    text_arg("note", note, 2000)?;
    h.tx(|tx, ctx| alerts::set_status(tx, ctx, id, status, note))
}

/// A customer's daily spend (last 92 days up to the latest usage day), the budget line
/// and forecast, and the days an alert starts on, for the usage chart.
#[derive(Serialize)]
pub struct CustomerUsageView {
    pub as_of: NaiveDate,
    pub days: Vec<series::DailySpend>,
    pub budget: Option<budgets::BudgetStatus>,
    pub alerts: Vec<alerts::Alert>,
    /// The currency the usage arrives in, and the one the customer is invoiced in.
    pub usage_currency: Option<String>,
    pub invoice_currency: Option<String>,
    /// Usage no rate converts (shown, never read as zero), and the rates used for the rest.
    pub unconverted: Vec<riskdesk_core::money::Money>,
    /// (English, Chinese).
    pub rates_used: Vec<(String, String)>,
}

pub fn customer_usage(
    conn: &rusqlite::Connection,
    ctx: &riskdesk_core::Ctx,
    customer_id: i64,
) -> Result<CustomerUsageView, ApiError> {
    let customer: CustomerId = id_arg("customer_id", customer_id)?;
    let as_of = as_of(conn, ctx)?;
    let from = as_of - chrono::Duration::days(evaluate::WINDOW_DAYS - 1);
    let usage = series::load(conn, from, as_of, Some(customer))?;
    let days = usage.first().map(series::daily_spend).unwrap_or_default();
    let first = usage.first();
    let unconverted = first
        .map(|u| u.unconverted.iter().map(|x| x.amount).collect())
        .unwrap_or_default();
    let rates_used = first
        .map(|u| {
            u.conversion
                .iter()
                .map(|(_, en, zh)| (en.clone(), zh.clone()))
                .collect()
        })
        .unwrap_or_default();
    let budget = budgets::status(conn, as_of)?
        .into_iter()
        .find(|s| s.budget.customer_id == customer && s.budget.subscription.is_empty());
    let alerts = list_alerts(conn, true, Some(customer_id))?;
    Ok(CustomerUsageView {
        as_of,
        usage_currency: first.map(|u| u.currency.code().to_string()),
        invoice_currency: first.map(|u| u.invoice_currency.code().to_string()),
        days,
        budget,
        alerts,
        unconverted,
        rates_used,
    })
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use tauri::{AppHandle, Emitter, State};

    use super::*;
    use crate::commands::files::{ipc::pick_files, Progress};

    /// Asks for a usage file in the open dialog (or several, the parts of one export) and
    /// imports it; None when cancelled.
    #[tauri::command]
    pub async fn import_usage_with_dialog(
        app: AppHandle,
        state: State<'_, AppState>,
        format: String,
        customer: Option<i64>,
        title: String,
    ) -> Result<Option<UsageImportResult>, ApiError> {
        Format::parse(&format).ok_or_else(|| {
            ApiError::validation(
                "format",
                Code::InvalidChoice,
                "auto, partner-center or focus",
            )
        })?;
        let whose: Option<CustomerId> = customer.map(|id| id_arg("customer", id)).transpose()?;
        let Some(paths) = pick_files(
            &app,
            &state,
            title,
            "CSV, JSON",
            &["csv", "txt", "json", "jsonl", "gz", "zip"],
        )
        .await?
        else {
            return Ok(None);
        };
        state
            .with_host(move |h| {
                import_paths(h, &paths, &format, whose, &mut |bytes, rows, total| {
                    let _ = app.emit(
                        "import-progress",
                        Progress {
                            kind: "usage",
                            unit: "bytes",
                            done: bytes,
                            total,
                        },
                    );
                    let _ = app.emit(
                        "import-progress",
                        Progress {
                            kind: "usage-rows",
                            unit: "rows",
                            done: rows,
                            total: 0,
                        },
                    );
                })
            })
            .await
            .map(Some)
    }

    crate::commands::read_commands! {
        get_usage_overview() -> Overview = |conn, ctx| overview(conn, &ctx);
        /// The open and acknowledged alerts, counted (the navigation's badge).
        count_usage_alerts() -> AlertCounts = |conn, _| alert_counts(conn);
        list_usage_alerts(include_resolved: bool, customer_id: Option<i64>) -> Vec<alerts::Alert>
            = |conn, _| list_alerts(conn, include_resolved, customer_id);
        get_customer_usage(customer_id: i64) -> CustomerUsageView
            = |conn, ctx| customer_usage(conn, &ctx, customer_id);
    }

    crate::commands::host_commands! {
        link_usage_tenant(tenant: String, customer_id: Option<i64>) -> ()
            = |h| link_tenant(h, &tenant, customer_id);
        set_usage_budget(input: BudgetInput) -> budgets::Budget = |h| set_budget(h, input);
        remove_usage_budget(customer_id: i64, subscription: String) -> ()
            = |h| remove_budget(h, customer_id, &subscription);
        set_usage_alert(id: i64, status: String, note: String) -> ()
            = |h| set_alert(h, id, &status, &note);
    }
}
