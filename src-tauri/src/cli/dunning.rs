//! `riskdesk dunning`: plan, run (into a folder of the run's own), the run history and
//! reprints from the stored run record.

use super::say;
use std::io::Write;
use std::path::{Path, PathBuf};

use riskdesk_core::collections::{self, Exclusions};
use riskdesk_core::ids::{CustomerId, RunId};

use super::{pad, parse_as_of, CliResult, DunningCommand};
use crate::letters;
use crate::session;

pub(super) fn run(db: &Path, command: DunningCommand) -> CliResult {
    match command {
        DunningCommand::Plan { as_of, json } => {
            let conn = session::connect(db)?;
            let plan = collections::plan(&conn, parse_as_of(as_of)?)?;
            let mut out = std::io::stdout().lock();
            if json {
                super::write_json(&mut out, &plan)?;
                return Ok(());
            }
            writeln!(
                out,
                "Dunning plan as of {}: {} (fingerprint {})",
                plan.as_of,
                riskdesk_core::english::count(plan.customers.len(), "customer", "customers"),
                plan.fingerprint
            )?;
            for c in &plan.customers {
                let actions: Vec<&str> = c.actions.iter().map(|a| a.as_str()).collect();
                writeln!(
                    out,
                    "  L{} {:<34} {} overdue {:>14} charges {:>10}  {}",
                    c.level.seq,
                    c.level.name_en,
                    pad(&c.legal_name, 36),
                    c.overdue.format(),
                    c.charges.format(),
                    actions.join(",")
                )?;
                for i in c.invoices.iter().filter(|i| i.new_level.is_some()) {
                    writeln!(
                        out,
                        "       {} due {} ({}) {}",
                        i.number,
                        i.due_on,
                        riskdesk_core::english::count(i.days_overdue, "day", "days"),
                        i.due.format()
                    )?;
                    if let Some(a) = &i.interest {
                        writeln!(
                            out,
                            "         interest {} a year on {} for {} ({} to {}): {}",
                            collections::rate_text(a.rate_bp),
                            riskdesk_core::money::Money::new(a.on_minor, c.currency).format(),
                            riskdesk_core::english::count(a.days, "day", "days"),
                            a.from,
                            a.to,
                            riskdesk_core::money::Money::new(a.interest_minor, c.currency).format()
                        )?;
                    }
                }
                for s in &c.suspend {
                    writeln!(out, "       suspend {} ({})", s.offer, s.pc_subscription_id)?;
                }
                for n in &c.notes {
                    writeln!(out, "       note: {}", n.english())?;
                }
            }
            for p in &plan.paused {
                writeln!(out, "  paused: {} ({})", p.legal_name, p.note.english())?;
            }
            for r in &plan.reactivations {
                for s in &r.subscriptions {
                    writeln!(
                        out,
                        "  reactivate: {} {} ({})",
                        r.legal_name, s.offer, s.pc_subscription_id
                    )?;
                }
                if let Some(run) = r.never_due_by_run {
                    writeln!(
                        out,
                        "       note: suspended by run {run}, which a payment entered since shows should have sent nothing"
                    )?;
                }
            }
            Ok(())
        }
        DunningCommand::Run {
            as_of,
            out,
            skip,
            fingerprint,
        } => {
            let mut conn = session::connect(db)?;
            let as_of = parse_as_of(as_of)?;
            let base = std::path::absolute(&out).unwrap_or(out);
            let tx = super::begin(&mut conn)?;
            let run = collections::execute(
                &tx,
                &session::ctx(),
                as_of,
                &Exclusions {
                    customers: skip.into_iter().map(CustomerId).collect(),
                    ..Default::default()
                },
                fingerprint.as_deref(),
                &base.display().to_string(),
            )?;
            super::commit(tx, &session::ctx())?;
            let Some(run) = run else {
                say!("nothing to do as of {as_of}: every overdue invoice already had its level applied");
                return Ok(());
            };
            // The documents first: a closed output ends the command after them, not before.
            let files = letters::write_run(&run, &base, |_, _| {}).map_err(|e| {
                format!("{e}\nThe run is booked; write its documents with `riskdesk dunning reprint {}`", run.id)
            })?;
            let suspended = run
                .changes
                .iter()
                .filter(|c| c.action == riskdesk_core::subscription::SubscriptionAction::Suspend)
                .count();
            say!(
                "dunning run {} as of {as_of}: {} for {}, {}, {} suspended, {} reactivated",
                run.id,
                riskdesk_core::english::count(run.steps, "step", "steps"),
                riskdesk_core::english::count(run.customers.len(), "customer", "customers"),
                riskdesk_core::english::count(
                    run.charge_invoices.len(),
                    "charge invoice",
                    "charge invoices"
                ),
                riskdesk_core::english::count(suspended, "subscription", "subscriptions"),
                run.changes.len() - suspended
            );
            for f in files {
                say!("  {}", f.display());
            }
            Ok(())
        }
        DunningCommand::Runs { json } => {
            let conn = session::connect(db)?;
            let runs = collections::runs(&conn)?;
            let mut out = std::io::stdout().lock();
            if json {
                super::write_json(&mut out, &runs)?;
                return Ok(());
            }
            for r in &runs {
                let charges: Vec<String> = r.charges.iter().map(|m| m.format()).collect();
                let files = if !r.reprintable {
                    "not reprintable (older RiskDesk)".to_string()
                } else {
                    let rec = collections::run_record(&conn, r.id)?;
                    let missing = letters::missing_files(Path::new(&r.output_dir), &rec);
                    if missing.is_empty() {
                        format!(
                            "files in {}",
                            Path::new(&r.output_dir).join(&r.folder_name).display()
                        )
                    } else {
                        format!(
                            "{} missing: reprint with `riskdesk dunning reprint {}`",
                            riskdesk_core::english::count(missing.len(), "file", "files"),
                            r.id
                        )
                    }
                };
                writeln!(
                    out,
                    "run {:>4}  as of {}  executed {}  {}, {}, charges {}, {}; {}",
                    r.id,
                    r.as_of,
                    r.executed_at,
                    riskdesk_core::english::count(r.customers, "customer", "customers"),
                    riskdesk_core::english::count(r.letters, "letter", "letters"),
                    if charges.is_empty() {
                        "none".to_string()
                    } else {
                        charges.join(" + ")
                    },
                    riskdesk_core::english::count(r.suspensions, "suspension", "suspensions"),
                    files
                )?;
            }
            Ok(())
        }
        DunningCommand::Reprint { run, out } => {
            let conn = session::connect(db)?;
            let rec = collections::run_record(&conn, RunId(run))?;
            let base = out
                .map(|o| std::path::absolute(&o).unwrap_or(o))
                .unwrap_or_else(|| PathBuf::from(&rec.output_dir));
            let files = letters::write_run(&rec, &base, |_, _| {})?;
            say!("dunning run {run} reprinted:");
            for f in files {
                say!("  {}", f.display());
            }
            Ok(())
        }
        DunningCommand::Send {
            run,
            drafts: None,
            again,
        } => send(db, run, again),
        DunningCommand::Send {
            run,
            drafts: Some(drafts),
            ..
        } => {
            let (mut conn, ctx) = super::open_book(db)?;
            let rec = collections::run_record(&conn, RunId(run))?;
            let dir = std::path::absolute(&drafts).unwrap_or(drafts);
            let written = crate::drafts::write(&rec, &dir, ctx.now)?;
            let tx = super::begin(&mut conn)?;
            crate::drafts::log(&tx, &ctx, run, &written)?;
            super::commit(tx, &ctx)?;
            say!(
                "dunning run {run}: {} e-mail drafts written into {}",
                written.written.len(),
                dir.display()
            );
            for w in &written.written {
                say!("  {}  to {}  {}", w.path, w.to, w.subject);
            }
            for name in &written.no_address {
                say!("  no e-mail address for {name}: set its billing e-mail");
            }
            Ok(())
        }
    }
}

/// Sends a run's letters over SMTP, each one logged as the server answers; the failures are
/// listed with the server's answer, and the command fails when any message was not sent.
fn send(db: &Path, run: i64, again: bool) -> CliResult {
    use crate::mail_out::{self, ConnBook, Status};
    let mut conn = session::connect(db)?;
    let rec = collections::run_record(&conn, RunId(run))?;
    let settings = mail_out::settings(&conn)?;
    let mailer = mail_out::mailer(&settings, riskdesk_core::mail::smtp::Retry::default())?;
    let (items, no_address) = mail_out::run_items(&rec)?;
    let now = session::ctx().now;
    let mut book = ConnBook {
        conn: &mut conn,
        clock: session::ctx,
    };
    let outcomes = mail_out::send_all(
        &items,
        &mailer,
        again,
        now,
        &mut book,
        &mut |done, total| {
            eprint!("\rsending {done}/{total}");
        },
    )?;
    if !items.is_empty() {
        eprintln!();
    }
    let count = |s: Status| outcomes.iter().filter(|o| o.status == s).count();
    say!(
        "dunning run {run}: {} sent, {} already sent before, {} failed, {} not attempted",
        count(Status::Sent),
        count(Status::AlreadySent),
        count(Status::Failed),
        count(Status::NotAttempted)
    );
    for o in &outcomes {
        let status = match o.status {
            Status::Sent => "sent",
            Status::Failed => "FAILED",
            Status::AlreadySent => "already sent",
            Status::NotAttempted => "not attempted",
        };
        say!(
            "  {status:<13}  {}  to {}  {}  {}",
            o.legal_name,
            o.to,
            o.subject,
            o.reply
        );
    }
    for name in &no_address {
        say!("  no e-mail address for {name}: set its billing e-mail");
    }
    let unsent = count(Status::Failed) + count(Status::NotAttempted);
    if unsent > 0 {
        return Err(format!(
            "{} not sent: run `riskdesk dunning send {run}` again to retry them",
            riskdesk_core::english::count(unsent, "letter", "letters")
        )
        .into());
    }
    Ok(())
}
