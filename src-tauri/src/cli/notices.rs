//! `riskdesk notices`, `activity` and `incidents`: Microsoft's notices, the Partner Center
//! activity log and abuse incidents.

use super::say;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::usage::notices::{self, NewNotice, NoticeKind, NoticeStatus};
use riskdesk_core::usage::{self, evaluate};

use super::{pad, CliResult};

#[derive(Subcommand, Debug)]
pub enum NoticesCommand {
    /// Import Azure fraud events (Partner Center `GET /v1/fraudEvents`, a JSON list) or
    /// security alerts (Microsoft Graph, `{"value": [...]}`); already imported ones are kept.
    /// Several files (or a ZIP archive of several) are imported together, all or nothing.
    Import {
        #[arg(required = true, num_args = 1..)]
        file: Vec<PathBuf>,
    },
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
    let (mut conn, ctx) = super::open_book(db)?;
    let mut out = std::io::stdout().lock();
    match command {
        NoticesCommand::Import { file } => {
            let files = super::read_inputs(&file)?;
            let tx = super::begin(&mut conn)?;
            let mut s = notices::NoticeImport::default();
            for (name, text) in &files {
                s.add(notices::import(&tx, &ctx, name, text)?);
            }
            let e = evaluate::evaluate(&tx, &ctx)?;
            super::commit(tx, &ctx)?;
            writeln!(
                out,
                "{} added, {} already imported; {}",
                riskdesk_core::english::count(s.added, "notice", "notices"),
                s.unchanged,
                riskdesk_core::english::count(e.new_alerts, "new alert", "new alerts")
            )?;
            if s.tests > 0 {
                writeln!(
                    out,
                    "{} from Microsoft left out",
                    riskdesk_core::english::count(s.tests, "test alert", "test alerts")
                )?;
            }
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
            let tx = super::begin(&mut conn)?;
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
            super::commit(tx, &ctx)?;
            writeln!(out, "notice #{id} recorded")?;
        }
        NoticesCommand::List { json } => {
            let list = notices::list(&conn, ctx.now)?;
            if json {
                super::write_json(&mut out, &list)?;
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
            let tx = super::begin(&mut conn)?;
            notices::set_status(&tx, &ctx, id, status, &note, fraud_from)?;
            evaluate::evaluate(&tx, &ctx)?;
            super::commit(tx, &ctx)?;
        }
        NoticesCommand::Claim { id, on } => {
            let on = riskdesk_core::dates::parse_field("on", &on)?;
            let tx = super::begin(&mut conn)?;
            notices::claim_filed(&tx, &ctx, id, on)?;
            super::commit(tx, &ctx)?;
        }
    }
    Ok(())
}

#[derive(Subcommand, Debug)]
pub enum ActivityCommand {
    /// Import Partner Center audit records (JSON, `{"items": [...]}`) or the portal's
    /// activity log export (CSV); records already imported are kept as they are. Several
    /// files (or a ZIP archive of several) are imported together, all or nothing.
    Import {
        #[arg(required = true, num_args = 1..)]
        file: Vec<PathBuf>,
    },
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
    let (mut conn, ctx) = super::open_book(db)?;
    let mut out = std::io::stdout().lock();
    match command {
        ActivityCommand::Import { file } => {
            let files = super::read_inputs(&file)?;
            let tx = super::begin(&mut conn)?;
            let mut s = usage::activity::ActivityImport::default();
            for (name, text) in &files {
                s.add(usage::activity::import(&tx, &ctx, name, text)?);
            }
            let e = evaluate::evaluate(&tx, &ctx)?;
            super::commit(tx, &ctx)?;
            writeln!(
                out,
                "{} added, {} already imported; {}",
                riskdesk_core::english::count(s.added, "record", "records"),
                s.unchanged,
                riskdesk_core::english::count(e.new_alerts, "new alert", "new alerts")
            )?;
        }
        ActivityCommand::List {
            json,
            customer,
            limit,
        } => {
            let list = usage::activity::list(&conn, customer.map(CustomerId), limit)?;
            if json {
                super::write_json(&mut out, &list)?;
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
    let (mut conn, ctx) = super::open_book(db)?;
    let mut out = std::io::stdout().lock();
    let tx = super::begin(&mut conn)?;
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
                super::write_json(&mut out, &list)?;
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
    super::commit(tx, &ctx)?;
    Ok(())
}

pub(super) fn risk_cmd(db: &Path, customer: Option<i64>, json: bool) -> CliResult {
    let (conn, ctx) = super::open_book(db)?;
    if let Some(id) = customer {
        // A customer that does not exist is an error, not an empty answer.
        riskdesk_core::customer::get(&conn, CustomerId(id))
            .map_err(|_| format!("--customer {id}: there is no such customer"))?;
    }
    // Reading writes nothing: the history is kept by the step after each change.
    let list = riskdesk_core::risk::scores(&conn, ctx.today, ctx.now, customer.map(CustomerId))?;
    let mut out = std::io::stdout().lock();
    if json {
        super::write_json(&mut out, &list)?;
        return Ok(());
    }
    for r in list {
        writeln!(
            out,
            "{:>3} {:<8} #{:<5} {}",
            r.score, r.level, r.customer_id.0, r.name
        )?;
        for f in r
            .factors
            .iter()
            .take(if customer.is_some() { usize::MAX } else { 3 })
        {
            writeln!(out, "      +{:<3} {}: {}", f.points, f.key, f.evidence)?;
            if customer.is_some() {
                writeln!(out, "           {}", f.action)?;
            }
        }
    }
    Ok(())
}

pub(super) fn risk_report_cmd(
    db: &Path,
    out: std::path::PathBuf,
    customer: Option<i64>,
    lang: &str,
) -> CliResult {
    let lang = riskdesk_core::customer::Language::parse(lang)
        .ok_or_else(|| format!("--lang {lang:?}: en or zh-TW"))?;
    let customer = match customer {
        Some(id) if id > 0 => Some(CustomerId(id)),
        Some(id) => return Err(format!("--customer {id}: a customer number from 1").into()),
        None => None,
    };
    let (mut conn, ctx) = super::open_book(db)?;
    let pdf = crate::letters::risk_report(&conn, &ctx, customer, lang)?;
    crate::letters::write_atomic(&out, &pdf)?;
    // The commit records the scores' history; a portfolio report also records when.
    let tx = super::begin(&mut conn)?;
    if customer.is_none() {
        riskdesk_core::risk::report::portfolio_written(&tx, &ctx)?;
    }
    super::commit(tx, &ctx)?;
    say!("{}", out.display());
    Ok(())
}
