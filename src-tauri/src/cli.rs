//! The headless command line: the same core functions the window uses, no window.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use riskdesk_core::collections::{self, Exclusions};
use riskdesk_core::customer::{self, Language, ListQuery, Status};
use riskdesk_core::ledger_import;
use riskdesk_core::money::Money;
use riskdesk_core::receivables::{self, BucketEdges};
use riskdesk_core::store::settings;
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::{audit, demo, import};

use crate::keystore;
use crate::letters;
use crate::session;

#[derive(Parser, Debug)]
#[command(
    name = "riskdesk",
    version,
    about = "RiskDesk: the risk desk of a Microsoft CSP reseller.\nWithout a command it opens the window."
)]
pub struct Args {
    /// The database file (default: the per-user data folder, or $RISKDESK_DB).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Where the window writes letters and statements (default: Documents/RiskDesk).
    #[arg(long, global = true, value_name = "DIR")]
    pub documents: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a new, empty encrypted database and print its recovery key.
    Init,
    /// Create the demo company (about 40 customers) in a new or empty database.
    Demo,
    /// Customer records.
    Customers {
        #[command(subcommand)]
        command: CustomersCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write an encrypted copy of the database to FILE (SQLite online backup).
    Backup { file: PathBuf },
    /// Replace the database with the backup FILE after checking that it opens. The
    /// database it replaces is kept beside it (`.before-restore`).
    Restore {
        file: PathBuf,
        /// Ask for the backup's recovery key (made on another computer): it is read from
        /// a prompt or standard input, never from the command line.
        #[arg(long)]
        recovery_key: bool,
    },
    /// Show the recovery key of the database again.
    RecoveryKey,
    /// Invoices the reseller issued.
    Invoices {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Payments and credit notes received.
    Payments {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Aging of receivables: current, 1-30, 31-60, 61-90, over 90 days.
    Aging {
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
        /// Upper edges of the overdue buckets in days.
        #[arg(long, value_name = "D1,D2,D3", default_value = "30,60,90")]
        edges: String,
    },
    /// The dunning run: plan it, then run it.
    Dunning {
        #[command(subcommand)]
        command: DunningCommand,
    },
    /// Printable documents.
    Letter {
        #[command(subcommand)]
        command: LetterCommand,
    },
    /// A customer's statement of account as PDF.
    Statement {
        #[arg(long)]
        customer: i64,
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// The letterhead and paper size printed documents use.
    Settings {
        #[command(subcommand)]
        command: SettingsCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import from CSV (all or nothing; re-importing changes nothing).
    Import { file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum DunningCommand {
    /// Show what a run would do; writes nothing.
    Plan {
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Execute the run: book charges, suspend subscriptions, write the letters into a
    /// folder of the run's own inside DIR.
    Run {
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Leave this customer out (repeatable).
        #[arg(long, value_name = "CUSTOMER_ID")]
        skip: Vec<i64>,
        /// Execute only if the plan still has this fingerprint (from `dunning plan`).
        #[arg(long, value_name = "SHA256")]
        fingerprint: Option<String>,
    },
    /// The runs executed so far, newest first.
    Runs {
        #[arg(long)]
        json: bool,
    },
    /// Write a run's documents again from its stored record.
    Reprint {
        run: i64,
        /// Where to write (default: where the run wrote them).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum LetterCommand {
    /// The customer-facing collections policy, for signing at onboarding.
    Policy {
        #[arg(long)]
        customer: i64,
        /// en or zh-TW (default: the customer's language).
        #[arg(long)]
        lang: Option<String>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    /// Set letterhead.name, letterhead.address, letterhead.tax_id, letterhead.phone,
    /// letterhead.email, letterhead.payment_instructions, letterhead.logo (a PNG or JPEG
    /// file) or paper (a4, letter).
    Set { key: String, value: String },
    /// Show the settings.
    List,
}

#[derive(Subcommand, Debug)]
pub enum CustomersCommand {
    /// List customers.
    List {
        #[arg(long)]
        json: bool,
        /// Only customers whose name, domain, tenant id, e-mail or tax id contains this.
        #[arg(long)]
        search: Option<String>,
        /// prospect, active, on_hold, suspended or closed.
        #[arg(long)]
        status: Option<String>,
    },
    /// Import customers from CSV (all or nothing; re-importing changes nothing).
    Import { file: PathBuf },
    /// Export every customer to CSV in the import layout.
    Export { file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check that no audit row was changed, removed or added afterwards.
    Verify,
}

type CliResult = Result<(), Box<dyn std::error::Error>>;

/// Runs a subcommand; returns the process exit code.
pub fn run(db: &Path, command: Command) -> i32 {
    match dispatch(db, command) {
        Ok(()) => 0,
        // Output piped into `head` and the like: stop quietly.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            0
        }
        Err(e) => {
            eprintln!("riskdesk: {e}");
            1
        }
    }
}

fn dispatch(db: &Path, command: Command) -> CliResult {
    match command {
        Command::Init => {
            let (_conn, key) = session::create(db)?;
            print_new_key(db, &key);
            Ok(())
        }
        Command::Demo => {
            let (mut conn, created) = if db.exists() {
                (session::open(db)?.0, None)
            } else {
                let (c, k) = session::create(db)?;
                (c, Some(k))
            };
            let ctx = session::ctx();
            let tx = conn.transaction()?;
            let n = demo::load(&tx, &ctx, session::today())?;
            tx.commit()?;
            if let Some(key) = created {
                print_new_key(db, &key);
            }
            println!(
                "Created the demo company: {n} customers in {}",
                db.display()
            );
            Ok(())
        }
        Command::Customers { command } => customers(db, command),
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let (conn, _) = session::open(db)?;
            let v = audit::verify(&conn)?;
            match v.problem {
                None => {
                    println!("audit trail intact: {} rows", v.rows);
                    Ok(())
                }
                Some(p) => Err(format!("audit trail damaged: {p}").into()),
            }
        }
        Command::Backup { file } => {
            let (conn, key) = session::open(db)?;
            store::backup(&conn, &key, &file)?;
            println!(
                "backup written to {} (encrypted with the same key)",
                file.display()
            );
            Ok(())
        }
        Command::Restore { file, recovery_key } => {
            let key = if recovery_key {
                DbKey::parse(&read_secret("Recovery key of the backup: ")?)?
            } else {
                keystore::load(db)?
                    .ok_or_else(|| session::OpenError::KeyMissing(db.to_path_buf()))?
            };
            let previous = store::restore(&file, &key, db)?;
            keystore::save(db, &key)?;
            println!("restored {} from {}", db.display(), file.display());
            if let Some(p) = previous {
                println!("the database it replaced is kept as {}", p.display());
            }
            Ok(())
        }
        Command::Invoices {
            command: ImportCommand::Import { file },
        } => ledger_import(db, &file, true),
        Command::Payments {
            command: ImportCommand::Import { file },
        } => ledger_import(db, &file, false),
        Command::Aging { as_of, json, edges } => {
            let (conn, _) = session::open(db)?;
            let as_of = parse_as_of(as_of)?;
            let e: Vec<i64> = edges
                .split(',')
                .map(|x| x.trim().parse::<i64>())
                .collect::<Result<_, _>>()
                .map_err(|_| "--edges: three numbers of days, e.g. 30,60,90")?;
            let e: [i64; 3] = e
                .try_into()
                .map_err(|_| "--edges: three numbers of days, e.g. 30,60,90")?;
            let a = receivables::aging(&conn, as_of, BucketEdges(e))?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &a)?;
                writeln!(out)?;
                return Ok(());
            }
            let [e1, e2, e3] = a.edges.0;
            let heads = [
                "current".to_string(),
                format!("1-{e1}"),
                format!("{}-{e2}", e1 + 1),
                format!("{}-{e3}", e2 + 1),
                format!("over {e3}"),
            ];
            writeln!(out, "Aging as of {}", a.as_of)?;
            writeln!(
                out,
                "{}  {:>14} {:>14} {:>14} {:>14} {:>14} {:>15}",
                pad("customer", 36),
                heads[0],
                heads[1],
                heads[2],
                heads[3],
                heads[4],
                "total"
            )?;
            for r in &a.rows {
                let m = |v: i64| Money::new(v, r.currency).format();
                writeln!(
                    out,
                    "{}  {:>14} {:>14} {:>14} {:>14} {:>14} {:>15}",
                    pad(&r.legal_name, 36),
                    m(r.buckets[0]),
                    m(r.buckets[1]),
                    m(r.buckets[2]),
                    m(r.buckets[3]),
                    m(r.buckets[4]),
                    m(r.total_minor)
                )?;
            }
            for t in &a.totals {
                let m = |v: i64| Money::new(v, t.currency).format();
                let dso = t
                    .dso_tenths
                    .map(|d| format!("  DSO {}.{} days", d / 10, d % 10))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}  {:>14} {:>14} {:>14} {:>14} {:>14} {:>15}{dso}",
                    pad(&format!("TOTAL {}", t.currency), 36),
                    m(t.buckets[0]),
                    m(t.buckets[1]),
                    m(t.buckets[2]),
                    m(t.buckets[3]),
                    m(t.buckets[4]),
                    m(t.total_minor)
                )?;
            }
            Ok(())
        }
        Command::Dunning {
            command: DunningCommand::Plan { as_of, json },
        } => {
            let (conn, _) = session::open(db)?;
            let plan = collections::plan(&conn, parse_as_of(as_of)?)?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &plan)?;
                writeln!(out)?;
                return Ok(());
            }
            writeln!(
                out,
                "Dunning plan as of {}: {} customers (fingerprint {})",
                plan.as_of,
                plan.customers.len(),
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
                        "       {} due {} ({} days) {}",
                        i.number,
                        i.due_on,
                        i.days_overdue,
                        i.due.format()
                    )?;
                    if let Some(a) = &i.interest {
                        writeln!(
                            out,
                            "         interest {} a year on {} for {} days ({} to {}): {}",
                            collections::rate_text(a.rate_bp),
                            riskdesk_core::money::Money::new(a.on_minor, c.currency).format(),
                            a.days,
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
            }
            Ok(())
        }
        Command::Dunning {
            command:
                DunningCommand::Run {
                    as_of,
                    out,
                    skip,
                    fingerprint,
                },
        } => {
            let (mut conn, _) = session::open(db)?;
            let as_of = parse_as_of(as_of)?;
            let base = std::path::absolute(&out).unwrap_or(out);
            let tx = conn.transaction()?;
            let run = collections::execute(
                &tx,
                &session::ctx(),
                as_of,
                &Exclusions {
                    customers: skip,
                    ..Default::default()
                },
                fingerprint.as_deref(),
                &base.display().to_string(),
            )?;
            tx.commit()?;
            let Some(run) = run else {
                println!("nothing to do as of {as_of}: every overdue invoice already had its level applied");
                return Ok(());
            };
            let suspended = run
                .changes
                .iter()
                .filter(|c| c.action == riskdesk_core::subscription::SubscriptionAction::Suspend)
                .count();
            println!("dunning run {} as of {as_of}: {} steps for {} customers, {} charge invoices, {} subscriptions suspended, {} reactivated", run.id, run.steps, run.customers.len(), run.charge_invoices.len(), suspended, run.changes.len() - suspended);
            let files = letters::write_run(&run, &base, |_, _| {}).map_err(|e| {
                format!("{e}\nThe run is booked; write its documents with `riskdesk dunning reprint {}`", run.id)
            })?;
            for f in files {
                println!("  {}", f.display());
            }
            Ok(())
        }
        Command::Dunning {
            command: DunningCommand::Runs { json },
        } => {
            let (conn, _) = session::open(db)?;
            let runs = collections::runs(&conn)?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &runs)?;
                writeln!(out)?;
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
                            "{} file(s) missing: reprint with `riskdesk dunning reprint {}`",
                            missing.len(),
                            r.id
                        )
                    }
                };
                writeln!(
                    out,
                    "run {:>4}  as of {}  executed {}  {} customers, {} letters, charges {}, {} suspensions; {}",
                    r.id,
                    r.as_of,
                    r.executed_at,
                    r.customers,
                    r.letters,
                    if charges.is_empty() { "none".to_string() } else { charges.join(" + ") },
                    r.suspensions,
                    files
                )?;
            }
            Ok(())
        }
        Command::Dunning {
            command: DunningCommand::Reprint { run, out },
        } => {
            let (conn, _) = session::open(db)?;
            let rec = collections::run_record(&conn, run)?;
            let base = out
                .map(|o| std::path::absolute(&o).unwrap_or(o))
                .unwrap_or_else(|| PathBuf::from(&rec.output_dir));
            let files = letters::write_run(&rec, &base, |_, _| {})?;
            println!("dunning run {run} reprinted:");
            for f in files {
                println!("  {}", f.display());
            }
            Ok(())
        }
        Command::Letter {
            command:
                LetterCommand::Policy {
                    customer: id,
                    lang,
                    out,
                },
        } => {
            let (conn, _) = session::open(db)?;
            let mut c = customer::get(&conn, id)?;
            if let Some(l) = lang {
                c.fields.language = Language::parse(&l)
                    .ok_or_else(|| format!("--lang: use {}", Language::choices()))?;
            }
            let policy = collections::policy(&conn, collections::policy_for(&conn, id)?)?;
            let (lh, paper) = letters::letterhead(&conn)?;
            std::fs::write(
                &out,
                riskdesk_docs::policy_document(paper, &lh, &c, &policy, session::today()),
            )?;
            println!(
                "collections policy for {} written to {}",
                c.fields.legal_name,
                out.display()
            );
            Ok(())
        }
        Command::Statement {
            customer: id,
            as_of,
            out,
        } => {
            let (conn, _) = session::open(db)?;
            let c = customer::get(&conn, id)?;
            let st = receivables::statement(&conn, id, parse_as_of(as_of)?)?;
            let (lh, paper) = letters::letterhead(&conn)?;
            std::fs::write(&out, riskdesk_docs::statement_document(paper, &lh, &c, &st))?;
            println!(
                "statement of {} written to {}",
                c.fields.legal_name,
                out.display()
            );
            Ok(())
        }
        Command::Settings { command } => {
            let (mut conn, _) = session::open(db)?;
            match command {
                SettingsCommand::Set { key, value } => {
                    if !letters::LETTERHEAD_KEYS.contains(&key.as_str()) {
                        return Err(format!(
                            "unknown setting {key:?}; the settings are {}",
                            letters::LETTERHEAD_KEYS.join(", ")
                        )
                        .into());
                    }
                    if key == "paper" && riskdesk_docs::Paper::parse(&value).is_none() {
                        return Err("paper: use a4 or letter".into());
                    }
                    let value = if key == letters::LOGO_KEY {
                        // The value is the image file; the setting keeps the image itself.
                        let bytes = std::fs::read(&value).map_err(|e| format!("{value}: {e}"))?;
                        letters::logo_setting(&bytes).map_err(|e| format!("{value}: {e}"))?
                    } else {
                        value.replace("\\n", "\n")
                    };
                    let tx = conn.transaction()?;
                    settings::set(&tx, &session::ctx(), &key, &value)?;
                    tx.commit()?;
                }
                SettingsCommand::List => {
                    for k in letters::LETTERHEAD_KEYS {
                        let v = settings::get(&conn, k)?.unwrap_or_default();
                        let mut out = std::io::stdout().lock();
                        if *k == letters::LOGO_KEY {
                            writeln!(
                                out,
                                "{k} = {}",
                                if v.is_empty() {
                                    "(none)".to_string()
                                } else {
                                    format!("(an image, {} bytes as base64)", v.len())
                                }
                            )?;
                        } else {
                            writeln!(out, "{k} = {v}")?;
                        }
                    }
                }
            }
            Ok(())
        }
        Command::RecoveryKey => {
            let (_conn, key) = session::open(db)?;
            println!("{}", key.to_recovery());
            Ok(())
        }
    }
}

fn parse_as_of(text: Option<String>) -> Result<chrono::NaiveDate, Box<dyn std::error::Error>> {
    match text {
        None => Ok(session::today()),
        Some(t) => {
            riskdesk_core::dates::parse(&t).map_err(|e| format!("--as-of {t:?}: {e}").into())
        }
    }
}

/// Reads a secret from standard input (after a prompt on standard error when it is a
/// terminal), so it never appears in the process list or the shell history.
fn read_secret(prompt: &str) -> Result<String, Box<dyn std::error::Error>> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let line = line.trim().to_string();
    if line.is_empty() {
        return Err("no recovery key was given on standard input".into());
    }
    Ok(line)
}

fn ledger_import(db: &Path, file: &Path, invoices: bool) -> CliResult {
    let (mut conn, _) = session::open(db)?;
    let reader = BufReader::new(File::open(file).map_err(|e| format!("{}: {e}", file.display()))?);
    let tx = conn.transaction()?;
    let label = file.display().to_string();
    let s = if invoices {
        ledger_import::import_invoices(&tx, &session::ctx(), &label, reader, |_, _| {})?
    } else {
        ledger_import::import_payments(&tx, &session::ctx(), &label, reader, |_, _| {})?
    };
    tx.commit()?;
    let what = if invoices { "invoices" } else { "payments" };
    println!(
        "{label}: {} rows: {} {what} created, {} unchanged",
        s.rows, s.created, s.unchanged
    );
    Ok(())
}

fn print_new_key(db: &Path, key: &DbKey) {
    println!("Created the encrypted database {}", db.display());
    println!(
        "Its key is in this computer's keychain. Write this recovery key down and keep it safe:"
    );
    println!("it opens the database or a backup of it on another computer.");
    println!();
    println!("    {}", key.to_recovery());
    println!();
}

fn customers(db: &Path, command: CustomersCommand) -> CliResult {
    match command {
        CustomersCommand::List {
            json,
            search,
            status,
        } => {
            let (conn, _) = session::open(db)?;
            let status = match status {
                Some(s) => Some(Status::parse(&s).ok_or_else(|| {
                    format!("unknown status {s:?}; use one of {}", Status::choices())
                })?),
                None => None,
            };
            let mut rows = Vec::new();
            let mut q = ListQuery {
                search: search.unwrap_or_default(),
                status,
                limit: 500,
                ..Default::default()
            };
            loop {
                let page = customer::list(&conn, &q)?;
                let n = page.rows.len() as i64;
                rows.extend(page.rows);
                if n < q.limit {
                    break;
                }
                q.offset += n;
            }
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{:>5}  {:<44}  {:<9}  {:<2}  {:>16}  {:>6}  {:>4}",
                    "id", "name", "status", "cc", "credit limit", "checks", "subs"
                )?;
                for r in &rows {
                    writeln!(
                        out,
                        "{:>5}  {}  {:<9}  {:<2}  {:>16}  {:>6}  {:>4}",
                        r.id,
                        pad(&r.legal_name, 44),
                        r.status.as_str(),
                        r.country,
                        r.credit_limit.format(),
                        format!("{}/{}", r.checks_done, r.checks_total),
                        r.active_subscriptions
                    )?;
                }
                writeln!(out, "{} customers", rows.len())?;
            }
            Ok(())
        }
        CustomersCommand::Import { file } => {
            let (mut conn, _) = session::open(db)?;
            let reader =
                BufReader::new(File::open(&file).map_err(|e| format!("{}: {e}", file.display()))?);
            let tx = conn.transaction()?;
            let label = file.display().to_string();
            let s = import::import_customers(&tx, &session::ctx(), &label, reader, |_, _| {})?;
            tx.commit()?;
            println!(
                "{label}: {} rows: {} created, {} updated, {} unchanged",
                s.rows, s.created, s.updated, s.unchanged
            );
            Ok(())
        }
        CustomersCommand::Export { file } => {
            let (conn, _) = session::open(db)?;
            let out = File::create(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let n = import::export_customers(&conn, out)?;
            println!("{n} customers written to {}", file.display());
            Ok(())
        }
    }
}

/// Pads or cuts text to a display width, counting CJK characters as two columns.
fn pad(text: &str, width: usize) -> String {
    let w = |c: char| if (c as u32) >= 0x1100 { 2 } else { 1 };
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + w(c) > width {
            break;
        }
        used += w(c);
        out.push(c);
    }
    out.extend(std::iter::repeat_n(' ', width - used));
    out
}
