//! `riskdesk usage`, `budgets` and `alerts`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::usage::notices::{self, NewNotice, NoticeKind, NoticeStatus};
use riskdesk_core::usage::{self, alerts, budgets, evaluate, series, tenants, Format};

use super::{pad, parse_as_of, CliResult};
use crate::session;

#[derive(Subcommand, Debug)]
pub enum UsageCommand {
    /// Import a Partner Center daily rated usage file or a FOCUS cost export (all or
    /// nothing; a later file replaces the days it covers; the same file twice changes
    /// nothing), then evaluate budgets and detectors.
    Import {
        file: PathBuf,
        #[arg(long, default_value = "auto", value_name = "auto|partner-center|focus")]
        format: String,
    },
    /// The tenants usage files named and the customer each is linked to.
    Tenants {
        #[arg(long)]
        json: bool,
    },
    /// Link a tenant to a customer (remembered), or unlink it with --none.
    Link {
        tenant: String,
        #[arg(long, conflicts_with = "none")]
        customer: Option<i64>,
        #[arg(long)]
        none: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum BudgetsCommand {
    /// Set a customer's monthly budget (in the customer's currency).
    Set {
        #[arg(long)]
        customer: i64,
        #[arg(long)]
        amount: String,
        /// Only this Azure subscription (default: all of the customer's).
        #[arg(long, default_value = "")]
        subscription: String,
        #[arg(long, default_value = "50,80,100,150", value_name = "PERCENTS")]
        thresholds: String,
    },
    /// Remove a budget.
    Remove {
        #[arg(long)]
        customer: i64,
        #[arg(long, default_value = "")]
        subscription: String,
    },
    /// The budgets.
    List,
    /// Each budget's month-to-date, percentage and forecast.
    Check {
        /// Default: the latest day with usage (never after today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum AlertsCommand {
    /// The alerts, most severe and newest first (open and acknowledged; --all adds resolved).
    List {
        #[arg(long)]
        json: bool,
        #[arg(long)]
        all: bool,
    },
    /// Run the budgets and detectors again (after changing a usage.* setting).
    Evaluate,
    /// Acknowledge an alert.
    Ack { id: i64 },
    /// Resolve an alert, saying how.
    Resolve {
        id: i64,
        #[arg(long)]
        note: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum NoticesCommand {
    /// Import Azure fraud events (Partner Center `GET /v1/fraudEvents`, a JSON list) or
    /// security alerts (Microsoft Graph, `{"value": [...]}`); already imported ones are kept.
    Import { file: PathBuf },
    /// Record a notice received another way (e-mail, portal): acceptable use, suspension...
    Add {
        /// acceptable_use, fraud_alert, crypto_mining, suspension or other.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        customer: Option<i64>,
        #[arg(long, default_value = "")]
        tenant: String,
        #[arg(long, default_value = "")]
        subscription: String,
        /// When it was received (RFC 3339, e.g. 2026-11-26T08:30:00Z; default now).
        #[arg(long)]
        received_at: Option<String>,
        #[arg(long, default_value = "")]
        text: String,
    },
    /// The notices, newest first, with their deadlines.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Move a notice on: investigating, action_taken, responded, resolved_legitimate,
    /// resolved_fraud or resolved_ignored (a resolution needs a note).
    Set {
        id: i64,
        status: String,
        #[arg(long, default_value = "")]
        note: String,
        /// Resolved as fraud: the first day of fraudulent usage (default: first seen).
        #[arg(long, value_name = "YYYY-MM-DD")]
        fraud_from: Option<String>,
    },
    /// Record that the fraud credit was claimed in Partner Center.
    Claim {
        id: i64,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: String,
    },
}

pub(super) fn notices_cmd(db: &Path, command: NoticesCommand) -> CliResult {
    let (mut conn, _) = session::open(db)?;
    let ctx = session::ctx();
    let mut out = std::io::stdout().lock();
    match command {
        NoticesCommand::Import { file } => {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let tx = conn.transaction()?;
            let s = notices::import(&tx, &ctx, &file.display().to_string(), &text)?;
            let e = evaluate::evaluate(&tx, &ctx)?;
            tx.commit()?;
            writeln!(
                out,
                "{} notice(s) added, {} already imported; {} new alert(s)",
                s.added, s.unchanged, e.new_alerts
            )?;
            for t in s.unknown_tenants {
                writeln!(out, "tenant {t} matches no customer: link it with `riskdesk usage link {t} --customer ID`")?;
            }
        }
        NoticesCommand::Add {
            kind,
            title,
            customer,
            tenant,
            subscription,
            received_at,
            text,
        } => {
            let kind = NoticeKind::parse(&kind)
                .ok_or_else(|| format!("--kind: {}", NoticeKind::choices()))?;
            let received_at = match received_at {
                Some(t) => Some(
                    notices::parse_time(&t)
                        .ok_or("--received-at: a date and time like 2026-11-26T08:30:00Z")?,
                ),
                None => Some(ctx.now),
            };
            let tx = conn.transaction()?;
            let id = notices::add(
                &tx,
                &ctx,
                &NewNotice {
                    kind: Some(kind),
                    title,
                    customer_id: customer.map(CustomerId),
                    tenant_id: tenant,
                    subscription,
                    received_at,
                    body: text,
                    ..Default::default()
                },
            )?;
            evaluate::evaluate(&tx, &ctx)?;
            tx.commit()?;
            writeln!(out, "notice #{id} recorded")?;
        }
        NoticesCommand::List { json } => {
            let list = notices::list(&conn, ctx.now)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                for n in list {
                    let late = match (n.respond_overdue, n.mitigate_overdue) {
                        (true, _) => " RESPONSE OVERDUE",
                        (false, true) => " MITIGATION OVERDUE",
                        _ => "",
                    };
                    writeln!(
                        out,
                        "#{:<4} {}  {:<14} {:<20} {}  [{}]{late}",
                        n.id,
                        n.received_at,
                        n.kind,
                        pad(n.customer_name.as_deref().unwrap_or(&n.tenant_id), 20),
                        n.title,
                        n.status
                    )?;
                    if let Some(by) = n.claim_by {
                        let filed = n
                            .claim_filed_on
                            .map(|d| format!(", claimed {d}"))
                            .unwrap_or_default();
                        writeln!(out, "       fraud credit: claim by {by}{filed}")?;
                    }
                }
            }
        }
        NoticesCommand::Set {
            id,
            status,
            note,
            fraud_from,
        } => {
            let status = NoticeStatus::parse(&status)
                .ok_or_else(|| format!("status: {}", NoticeStatus::choices()))?;
            let fraud_from = fraud_from
                .map(|d| riskdesk_core::dates::parse_field("fraud_from", &d))
                .transpose()?;
            let tx = conn.transaction()?;
            notices::set_status(&tx, &ctx, id, status, &note, fraud_from)?;
            evaluate::evaluate(&tx, &ctx)?;
            tx.commit()?;
        }
        NoticesCommand::Claim { id, on } => {
            let on = riskdesk_core::dates::parse_field("on", &on)?;
            let tx = conn.transaction()?;
            notices::claim_filed(&tx, &ctx, id, on)?;
            tx.commit()?;
        }
    }
    Ok(())
}

#[derive(Subcommand, Debug)]
pub enum ActivityCommand {
    /// Import Partner Center audit records (JSON, `{"items": [...]}`) or the portal's
    /// activity log export (CSV); records already imported are kept as they are.
    Import { file: PathBuf },
    /// The newest records.
    List {
        #[arg(long)]
        json: bool,
        #[arg(long)]
        customer: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

pub(super) fn activity_cmd(db: &Path, command: ActivityCommand) -> CliResult {
    let (mut conn, _) = session::open(db)?;
    let ctx = session::ctx();
    let mut out = std::io::stdout().lock();
    match command {
        ActivityCommand::Import { file } => {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let tx = conn.transaction()?;
            let s = usage::activity::import(&tx, &ctx, &file.display().to_string(), &text)?;
            let e = evaluate::evaluate(&tx, &ctx)?;
            tx.commit()?;
            writeln!(
                out,
                "{} record(s) added, {} already imported; {} new alert(s)",
                s.added, s.unchanged, e.new_alerts
            )?;
        }
        ActivityCommand::List {
            json,
            customer,
            limit,
        } => {
            let list = usage::activity::list(&conn, customer.map(CustomerId), limit)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                for a in list {
                    writeln!(
                        out,
                        "{}  {}  {:<34} {}",
                        a.at,
                        pad(&a.customer_name, 28),
                        a.operation,
                        a.who
                    )?;
                }
            }
        }
    }
    Ok(())
}

#[derive(Subcommand, Debug)]
pub enum IncidentsCommand {
    /// Open an abuse incident: spam, hacking, ddos, crypto_mining, malware,
    /// reselling_stolen or other.
    Open {
        #[arg(long)]
        customer: i64,
        #[arg(long)]
        category: String,
        #[arg(long)]
        summary: String,
    },
    /// Link a notice, an alert or a subscription of the same customer.
    Link {
        id: i64,
        #[arg(long)]
        notice: Option<i64>,
        #[arg(long)]
        alert: Option<i64>,
        #[arg(long)]
        subscription: Option<i64>,
    },
    /// Record an action: suspend_subscription (--subscription), restrict_admin,
    /// contact_customer or other (with --note).
    Act {
        id: i64,
        action: String,
        #[arg(long)]
        subscription: Option<i64>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Close an incident, saying how it ended.
    Close {
        id: i64,
        #[arg(long)]
        note: String,
    },
    /// The incidents, open ones first.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub(super) fn incidents_cmd(db: &Path, command: IncidentsCommand) -> CliResult {
    use usage::incidents::{self, Action, Category, LinkKind};
    let (mut conn, _) = session::open(db)?;
    let ctx = session::ctx();
    let mut out = std::io::stdout().lock();
    let tx = conn.transaction()?;
    match command {
        IncidentsCommand::Open {
            customer,
            category,
            summary,
        } => {
            let category = Category::parse(&category)
                .ok_or_else(|| format!("--category: {}", Category::choices()))?;
            let id = incidents::open(&tx, &ctx, CustomerId(customer), category, &summary)?;
            writeln!(out, "incident #{id} opened")?;
        }
        IncidentsCommand::Link {
            id,
            notice,
            alert,
            subscription,
        } => {
            let links = [
                (LinkKind::Notice, notice),
                (LinkKind::Alert, alert),
                (LinkKind::Subscription, subscription),
            ];
            if links.iter().all(|(_, v)| v.is_none()) {
                return Err("give --notice, --alert or --subscription".into());
            }
            for (kind, v) in links {
                if let Some(v) = v {
                    incidents::link(&tx, &ctx, id, kind, v)?;
                }
            }
        }
        IncidentsCommand::Act {
            id,
            action,
            subscription,
            note,
        } => {
            let action =
                Action::parse(&action).ok_or_else(|| format!("action: {}", Action::choices()))?;
            incidents::act(&tx, &ctx, id, action, subscription, &note, ctx.today)?;
        }
        IncidentsCommand::Close { id, note } => incidents::close(&tx, &ctx, id, &note)?,
        IncidentsCommand::List { json } => {
            let list = incidents::list(&tx, None)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                for i in list {
                    let state = i
                        .closed_at
                        .as_deref()
                        .map(|c| format!("closed {c}"))
                        .unwrap_or_else(|| "open".into());
                    writeln!(
                        out,
                        "#{:<4} {}  {:<16} {}  {}  [{state}]",
                        i.id,
                        i.opened_at,
                        i.category,
                        pad(&i.customer_name, 28),
                        i.summary
                    )?;
                    for a in i.actions {
                        writeln!(out, "       {} {} {} {}", a.at, a.who, a.action, a.note)?;
                    }
                }
            }
        }
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn usage(db: &Path, command: UsageCommand) -> CliResult {
    let (mut conn, _) = session::open(db)?;
    let ctx = session::ctx();
    let mut out = std::io::stdout().lock();
    match command {
        UsageCommand::Import { file, format } => {
            let format = Format::parse(&format).ok_or("--format: auto, partner-center or focus")?;
            let reader =
                std::fs::File::open(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let label = file.display().to_string();
            let tx = conn.transaction()?;
            let s = usage::import_usage(&tx, &ctx, &label, reader, format, |_, _| {})?;
            let e = evaluate::evaluate(&tx, &ctx)?;
            tx.commit()?;
            writeln!(
                out,
                "{label}: {} rows ({}), {} to {}: {} day(s) added, {} replaced, {} unchanged, {} kept as billed",
                s.rows,
                s.format.as_str(),
                s.first_day.map(|d| d.to_string()).unwrap_or_default(),
                s.last_day.map(|d| d.to_string()).unwrap_or_default(),
                s.days_added,
                s.days_replaced,
                s.days_unchanged,
                s.days_kept_billed
            )?;
            if !s.changed() {
                writeln!(out, "nothing changed")?;
            }
            let unknown: Vec<_> = s
                .tenants
                .iter()
                .filter(|t| t.customer_id.is_none())
                .collect();
            for t in &unknown {
                writeln!(out, "unknown tenant {} ({}, {}): link it with `riskdesk usage link {} --customer ID`", t.tenant_id, t.name, t.domain, t.tenant_id)?;
            }
            writeln!(out, "{} new alert(s)", e.new_alerts)?;
        }
        UsageCommand::Tenants { json } => {
            let tx = conn.transaction()?;
            if tenants::relink(&tx)? > 0 {
                evaluate::evaluate(&tx, &ctx)?;
            }
            tx.commit()?;
            let list = tenants::list(&conn)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                for t in list {
                    let who = match (&t.customer_id, &t.customer_name) {
                        (Some(id), Some(n)) => format!("customer {} {n}", id.0),
                        _ => "not linked".to_string(),
                    };
                    writeln!(
                        out,
                        "{}  {}  {}  {} day(s)  {who}",
                        t.tenant_id,
                        pad(&t.name, 30),
                        pad(&t.domain, 34),
                        t.days
                    )?;
                }
            }
        }
        UsageCommand::Link {
            tenant,
            customer,
            none,
        } => {
            if customer.is_none() && !none {
                return Err("give --customer ID, or --none to unlink".into());
            }
            let tx = conn.transaction()?;
            tenants::link(&tx, &ctx, &tenant, customer.map(CustomerId))?;
            let e = evaluate::evaluate(&tx, &ctx)?;
            tx.commit()?;
            writeln!(out, "linked; {} new alert(s)", e.new_alerts)?;
        }
    }
    Ok(())
}

pub(super) fn budgets_cmd(db: &Path, command: BudgetsCommand) -> CliResult {
    let (mut conn, _) = session::open(db)?;
    let ctx = session::ctx();
    let mut out = std::io::stdout().lock();
    match command {
        BudgetsCommand::Set {
            customer,
            amount,
            subscription,
            thresholds,
        } => {
            let tx = conn.transaction()?;
            let b = budgets::set(
                &tx,
                &ctx,
                CustomerId(customer),
                &subscription,
                &amount,
                &thresholds,
            )?;
            let e = evaluate::evaluate(&tx, &ctx)?;
            tx.commit()?;
            writeln!(
                out,
                "budget of {}: {} a month; {} new alert(s)",
                b.customer_name,
                b.amount.format(),
                e.new_alerts
            )?;
        }
        BudgetsCommand::Remove {
            customer,
            subscription,
        } => {
            let tx = conn.transaction()?;
            budgets::remove(&tx, &ctx, CustomerId(customer), &subscription)?;
            tx.commit()?;
        }
        BudgetsCommand::List => {
            for b in budgets::list(&conn)? {
                let thresholds: Vec<String> =
                    b.thresholds.iter().map(|t| format!("{t}%")).collect();
                writeln!(
                    out,
                    "{:>6}  {}  {:>16}  {}  {}",
                    b.customer_id.0,
                    pad(&b.customer_name, 34),
                    b.amount.format(),
                    if b.subscription.is_empty() {
                        "all subscriptions"
                    } else {
                        &b.subscription
                    },
                    thresholds.join(" ")
                )?;
            }
        }
        BudgetsCommand::Check { as_of, json } => {
            let as_of = match as_of {
                Some(_) => parse_as_of(as_of)?,
                None => series::latest_day(&conn)?
                    .map(|d| d.min(ctx.today))
                    .unwrap_or(ctx.today),
            };
            let list = budgets::status(&conn, as_of)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                writeln!(out, "Budgets as of {as_of}")?;
                for s in list {
                    writeln!(
                        out,
                        "{}  {:>16} of {:>16}  {:>4}%  forecast {:>16}  Partner Center: {}",
                        pad(&s.budget.customer_name, 34),
                        s.month_to_date.format(),
                        s.budget.amount.format(),
                        s.percent,
                        s.forecast.map(|f| f.format()).unwrap_or_else(|| "-".into()),
                        s.partner_center_amount
                            .unwrap_or_else(|| "(per subscription)".into())
                    )?;
                }
            }
        }
    }
    Ok(())
}

pub(super) fn alerts_cmd(db: &Path, command: AlertsCommand) -> CliResult {
    let (mut conn, _) = session::open(db)?;
    let ctx = session::ctx();
    let mut out = std::io::stdout().lock();
    match command {
        AlertsCommand::List { json, all } => {
            let list = alerts::list(
                &conn,
                alerts::Filter {
                    include_resolved: all,
                    customer: None,
                },
            )?;
            if json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                for a in list {
                    let level =
                        ["", "info", "warning", "high", "CRITICAL"][usize::from(a.severity.min(4))];
                    writeln!(
                        out,
                        "#{:<5} {:<8} {}  {}  {}  [{}]",
                        a.id,
                        level,
                        a.day,
                        pad(a.customer_name.as_deref().unwrap_or("-"), 28),
                        a.title_en,
                        a.status
                    )?;
                    if let Some(e) = a.evidence["explain_en"].as_str() {
                        writeln!(out, "       {e}")?;
                    }
                }
            }
        }
        AlertsCommand::Evaluate => {
            let tx = conn.transaction()?;
            let e = evaluate::evaluate(&tx, &ctx)?;
            tx.commit()?;
            writeln!(
                out,
                "{} finding(s), {} new alert(s)",
                e.findings, e.new_alerts
            )?;
        }
        AlertsCommand::Ack { id } => {
            let tx = conn.transaction()?;
            alerts::set_status(&tx, &ctx, id, alerts::AlertStatus::Acknowledged, "")?;
            tx.commit()?;
        }
        AlertsCommand::Resolve { id, note } => {
            let tx = conn.transaction()?;
            alerts::set_status(&tx, &ctx, id, alerts::AlertStatus::Resolved, &note)?;
            tx.commit()?;
        }
    }
    Ok(())
}
