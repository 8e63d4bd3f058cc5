//! The headless command line: the same core functions the window uses, no window.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use riskdesk_core::customer::{self, ListQuery, Status};
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::{audit, demo, import};

use crate::keystore;
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
    /// Replace the database with the backup FILE after checking that it opens.
    Restore {
        file: PathBuf,
        /// The backup's recovery key, when it was made on another computer.
        #[arg(long, value_name = "KEY")]
        recovery_key: Option<String>,
    },
    /// Show the recovery key of the database again.
    RecoveryKey,
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
            let key = match recovery_key {
                Some(k) => DbKey::parse(&k)?,
                None => keystore::load(db)?
                    .ok_or_else(|| session::OpenError::KeyMissing(db.to_path_buf()))?,
            };
            store::restore(&file, &key, db)?;
            keystore::save(db, &key)?;
            println!("restored {} from {}", db.display(), file.display());
            Ok(())
        }
        Command::RecoveryKey => {
            let (_conn, key) = session::open(db)?;
            println!("{}", key.to_recovery());
            Ok(())
        }
    }
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
