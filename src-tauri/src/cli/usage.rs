//! `riskdesk usage`, `budgets` and `alerts`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::usage::{self, alerts, budgets, evaluate, series, tenants, Format};

use super::{pad, parse_as_of, CliResult};

#[derive(Subcommand, Debug)]
pub enum UsageCommand {
    /// Import a Partner Center daily rated usage file (CSV, or Microsoft Graph's JSON lines,
    /// gzip-compressed or not) or a FOCUS cost export, alone or packed in a ZIP archive (all
    /// or nothing; a later file replaces the days it covers; the same file twice changes
    /// nothing), then evaluate budgets and detectors. Several files are the parts of one
    /// export (Microsoft Graph's blobs, or a ZIP archive holding them), imported as one: a
    /// day two parts share keeps both parts' rows. The export's manifest.json, given alone or
    /// with them, brings the blobs beside it and refuses an export not whole.
    Import {
        #[arg(required = true, num_args = 1..)]
        file: Vec<PathBuf>,
        #[arg(long, default_value = "auto", value_name = "auto|partner-center|focus")]
        format: String,
        /// Whose export the file is, for a FOCUS export that names no customer (no
        /// x_CustomerId column): every row is this customer's, in its Microsoft tenant.
        #[arg(long, value_name = "ID")]
        customer: Option<i64>,
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
    /// Set a customer's monthly budget (in the currency its usage arrives in, unless
    /// --currency says otherwise).
    Set {
        #[arg(long)]
        customer: i64,
        #[arg(long)]
        amount: String,
        /// The budget's currency (ISO 4217); usage in another currency is converted.
        #[arg(long)]
        currency: Option<String>,
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

pub(super) fn usage(db: &Path, command: UsageCommand) -> CliResult {
    let (mut conn, ctx) = super::open_book(db)?;
    let mut out = std::io::stdout().lock();
    match command {
        UsageCommand::Import {
            file,
            format,
            customer,
        } => {
            let format = Format::parse(&format).ok_or("--format: auto, partner-center or focus")?;
            let mut files: Vec<(String, Box<dyn std::io::Read + Send>)> = Vec::new();
            // A Graph export's manifest given alone brings the blobs beside it.
            for path in &usage::manifest::with_blobs(&file) {
                let reader = super::open_input(path)?;
                files.push((path.display().to_string(), Box::new(reader)));
            }
            let label = usage::label_of(&files);
            let tx = super::begin(&mut conn)?;
            let whose = customer.map(CustomerId);
            let s = usage::import_usage_files(&tx, &ctx, files, format, whose, |_, _| {})?;
            let e = evaluate::evaluate(&tx, &ctx)?;
            super::commit(tx, &ctx)?;
            writeln!(
                out,
                "{label}: {} ({}), {} to {}: {} added, {} replaced, {} unchanged, {} kept as billed",
                riskdesk_core::english::count(s.rows, "row", "rows"),
                s.format.as_str(),
                s.first_day.map(|d| d.to_string()).unwrap_or_default(),
                s.last_day.map(|d| d.to_string()).unwrap_or_default(),
                riskdesk_core::english::count(s.days_added, "day", "days"),
                s.days_replaced,
                s.days_unchanged,
                s.days_kept_billed
            )?;
            // The rows read in a way of their own, each kind said when there are any.
            for (n, one, many, said) in [
                (
                    s.earlier_charges,
                    "row charging",
                    "rows charging",
                    "a day of an earlier billing period (corrections) counted on the first day of the billing period that carries them",
                ),
                (
                    s.no_customer,
                    "row",
                    "rows",
                    "with no x_CustomerId (the partner's own usage) left out",
                ),
                (
                    s.taxes,
                    "tax row",
                    "tax rows",
                    "left out (usage and budgets are before tax)",
                ),
                (
                    s.credited_rows,
                    "row",
                    "rows",
                    "paid by a Microsoft credit (CreditPercentage, or FOCUS credit rows): watched by the misuse detectors, not in what is billed, budgets or exposure",
                ),
            ] {
                if n > 0 {
                    writeln!(out, "{} {said}", riskdesk_core::english::count(n, one, many))?;
                }
            }
            for p in &s.purchases {
                let whose = match p.customer_id {
                    Some(id) => format!("customer {id}"),
                    None => format!("tenant {}, linked to no customer", p.tenant_id),
                };
                writeln!(
                    out,
                    "purchases (reservations, Marketplace), not usage and in no budget: {} ({whose}): {}, {}",
                    p.name,
                    riskdesk_core::english::count(p.rows, "row", "rows"),
                    p.amount.format()
                )?;
            }
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
            writeln!(
                out,
                "{}",
                riskdesk_core::english::count(
                    e.new_alerts + s.purchase_alerts,
                    "new alert",
                    "new alerts"
                )
            )?;
        }
        UsageCommand::Tenants { json } => {
            // A read: the links to customers made since are the derive step's, after the
            // write that gave a customer its tenant id (reading never scores the book again).
            let list = tenants::list(&conn)?;
            if json {
                super::write_json(&mut out, &list)?;
            } else {
                for t in list {
                    let who = match (&t.customer_id, &t.customer_name) {
                        (Some(id), Some(n)) => format!("customer {} {n}", id.0),
                        _ => "not linked".to_string(),
                    };
                    writeln!(
                        out,
                        "{}  {}  {}  {}  {who}",
                        t.tenant_id,
                        pad(&t.name, 30),
                        pad(&t.domain, 34),
                        riskdesk_core::english::count(t.days, "day", "days")
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
            let tx = super::begin(&mut conn)?;
            tenants::link(&tx, &ctx, &tenant, customer.map(CustomerId))?;
            let e = evaluate::evaluate(&tx, &ctx)?;
            super::commit(tx, &ctx)?;
            writeln!(
                out,
                "linked; {}",
                riskdesk_core::english::count(e.new_alerts, "new alert", "new alerts")
            )?;
        }
    }
    Ok(())
}

pub(super) fn budgets_cmd(db: &Path, command: BudgetsCommand) -> CliResult {
    let (mut conn, ctx) = super::open_book(db)?;
    let mut out = std::io::stdout().lock();
    match command {
        BudgetsCommand::Set {
            customer,
            amount,
            subscription,
            thresholds,
            currency,
        } => {
            let tx = super::begin(&mut conn)?;
            let b = budgets::set_in(
                &tx,
                &ctx,
                CustomerId(customer),
                &subscription,
                &amount,
                &thresholds,
                currency.as_deref(),
            )?;
            let e = evaluate::evaluate(&tx, &ctx)?;
            super::commit(tx, &ctx)?;
            writeln!(
                out,
                "budget of {}: {} a month; {}",
                b.customer_name,
                b.amount.format(),
                riskdesk_core::english::count(e.new_alerts, "new alert", "new alerts")
            )?;
        }
        BudgetsCommand::Remove {
            customer,
            subscription,
        } => {
            let tx = super::begin(&mut conn)?;
            budgets::remove(&tx, &ctx, CustomerId(customer), &subscription)?;
            super::commit(tx, &ctx)?;
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
                super::write_json(&mut out, &list)?;
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
    let (mut conn, ctx) = super::open_book(db)?;
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
                super::write_json(&mut out, &list)?;
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
            let tx = super::begin(&mut conn)?;
            let e = evaluate::evaluate(&tx, &ctx)?;
            super::commit(tx, &ctx)?;
            writeln!(
                out,
                "{}, {}",
                riskdesk_core::english::count(e.findings, "finding", "findings"),
                riskdesk_core::english::count(e.new_alerts, "new alert", "new alerts")
            )?;
        }
        AlertsCommand::Ack { id } => {
            let tx = super::begin(&mut conn)?;
            alerts::set_status(&tx, &ctx, id, alerts::AlertStatus::Acknowledged, "")?;
            super::commit(tx, &ctx)?;
        }
        AlertsCommand::Resolve { id, note } => {
            let tx = super::begin(&mut conn)?;
            alerts::set_status(&tx, &ctx, id, alerts::AlertStatus::Resolved, &note)?;
            super::commit(tx, &ctx)?;
        }
    }
    Ok(())
}

#[derive(Subcommand, Debug)]
pub enum RatesCommand {
    /// Set the rate of a pair on a day: one FROM is RATE TO (audited). Usage files' own
    /// rates (PCToBCExchangeRate) are used first where they connect two currencies.
    Set {
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        rate: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Remove one of your rates by its id.
    Remove { id: i64 },
    /// Your rates, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub(super) fn rates_cmd(db: &Path, command: RatesCommand) -> CliResult {
    use riskdesk_core::usage::rates;
    let (mut conn, ctx) = super::open_book(db)?;
    let mut out = std::io::stdout().lock();
    match command {
        RatesCommand::Set {
            on,
            from,
            to,
            rate,
            note,
        } => {
            let tx = super::begin(&mut conn)?;
            let r = rates::set(&tx, &ctx, &on, &from, &to, &rate, &note)?;
            let e = evaluate::evaluate(&tx, &ctx)?;
            super::commit(tx, &ctx)?;
            writeln!(
                out,
                "rate {}: 1 {} = {} {} on {}; {}",
                r.id,
                r.from_currency,
                r.rate,
                r.to_currency,
                r.rate_on,
                riskdesk_core::english::count(e.new_alerts, "new alert", "new alerts")
            )?;
        }
        RatesCommand::Remove { id } => {
            let tx = super::begin(&mut conn)?;
            rates::remove(&tx, &ctx, id)?;
            super::commit(tx, &ctx)?;
            writeln!(out, "rate {id} removed")?;
        }
        RatesCommand::List { json } => {
            let list = rates::list(&conn)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
            } else if list.is_empty() {
                writeln!(
                    out,
                    "no rates of your own (usage files' rates are used where they apply)"
                )?;
            } else {
                for r in list {
                    writeln!(
                        out,
                        "{:>4}  {}  1 {} = {} {}  {}",
                        r.id, r.rate_on, r.from_currency, r.rate, r.to_currency, r.note
                    )?;
                }
            }
        }
    }
    Ok(())
}
