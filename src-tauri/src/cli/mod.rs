//! The headless command line: the same core functions the window uses, no window.

mod bank;
mod customers;
mod documents;
mod dunning;
mod inputs;
mod mail;
mod microsoft;
mod notices;
mod plans;
mod receivables;
mod store;
mod usage;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand};

use crate::session;
use inputs::{ledger_inputs, not_a_book_file, open_input, read_inputs};

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
    /// Create the demo company (45 customers) in a new or empty database.
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
    /// Payments and credit notes received, and payments taken back.
    Payments {
        #[command(subcommand)]
        command: receivables::PaymentsCommand,
    },
    /// Your credit line with Microsoft: its limit and terms, and Microsoft's invoices to you.
    Microsoft {
        #[command(subcommand)]
        command: microsoft::MicrosoftCommand,
    },
    /// What is left of your credit line with Microsoft, and each customer's cash gap (the
    /// customers whose unpaid money Microsoft has already been paid for first).
    Headroom {
        #[arg(long)]
        json: bool,
    },
    /// Bank statements: import them, review what each line pays, book or set lines aside.
    Bank {
        #[command(subcommand)]
        command: bank::BankCommand,
    },
    /// The log of e-mail drafts written (part of the audit trail).
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Payment plans: open invoices spread over instalments.
    Plans {
        #[command(subcommand)]
        command: plans::PlansCommand,
    },
    /// Aging of receivables: current, 1-30, 31-60, 61-90, over 90 days, and the credit each
    /// customer holds.
    Aging {
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
        /// Upper edges of the overdue buckets in days.
        #[arg(long, value_name = "D1,D2,D3", default_value = "30,60,90")]
        edges: String,
        /// Also write every open invoice of the day to FILE as CSV (for the accountant's
        /// spreadsheet; an existing file is not replaced).
        #[arg(long, value_name = "FILE")]
        open_items: Option<PathBuf>,
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
    /// The letterhead and paper size printed documents use, and the detector thresholds.
    Settings {
        #[command(subcommand)]
        command: SettingsCommand,
    },
    /// Usage files from Partner Center or Azure cost exports, and their tenants.
    Usage {
        #[command(subcommand)]
        command: usage::UsageCommand,
    },
    /// Exchange rates you keep, for usage in another currency than the customer's.
    Rates {
        #[command(subcommand)]
        command: usage::RatesCommand,
    },
    /// Monthly spending budgets.
    Budgets {
        #[command(subcommand)]
        command: usage::BudgetsCommand,
    },
    /// The alerts inbox: budgets and misuse detectors.
    Alerts {
        #[command(subcommand)]
        command: usage::AlertsCommand,
    },
    /// Microsoft's notices: fraud and security alerts, acceptable-use and suspension notices.
    Notices {
        #[command(subcommand)]
        command: notices::NoticesCommand,
    },
    /// The Partner Center activity log (audit records), kept as long as you want.
    Activity {
        #[command(subcommand)]
        command: notices::ActivityCommand,
    },
    /// Abuse incidents and the actions taken.
    Incidents {
        #[command(subcommand)]
        command: notices::IncidentsCommand,
    },
    /// Each customer's risk score (0-100), level, factors and exposure, highest first;
    /// records the score's history.
    Risk {
        #[arg(long)]
        customer: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Printed reports.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// The portfolio risk report, or one customer's with --customer, as PDF.
    Risk {
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[arg(long)]
        customer: Option<i64>,
        /// en (the default) or zh-TW.
        #[arg(long, default_value = "en")]
        lang: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import from CSV (all or nothing; re-importing changes nothing). Several files (or a
    /// ZIP archive of several) are imported together, all or nothing.
    Import {
        #[arg(required = true, num_args = 1..)]
        file: Vec<PathBuf>,
    },
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
    /// Send a run's letters by e-mail, one message per customer with its letter attached,
    /// to its billing e-mail, over the SMTP server set with `riskdesk mail set`; or, with
    /// --drafts DIR, write them as .eml drafts into DIR for your mail program. Each message
    /// is logged (`riskdesk mail log`). A letter already sent to an address is not sent
    /// again unless --again is given.
    Send {
        run: i64,
        #[arg(long, value_name = "DIR")]
        drafts: Option<PathBuf>,
        /// Send again the letters already sent.
        #[arg(long, conflicts_with = "drafts")]
        again: bool,
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
pub enum MailCommand {
    /// Every message drafted, sent or failed: when, to whom, the subject, the attachment and
    /// its SHA-256, the server's answer.
    Log {
        #[arg(long)]
        json: bool,
        /// Only the messages of this dunning run.
        #[arg(long)]
        run: Option<i64>,
        /// Only the messages to this customer (its id).
        #[arg(long)]
        customer: Option<i64>,
    },
    /// Set the SMTP server letters are sent through. With --user, the password is read
    /// from standard input (one line) and kept in the OS keychain, never in a file.
    Set {
        #[arg(long)]
        host: String,
        #[arg(long)]
        port: String,
        /// tls (port 465), starttls (587), or none (only for a server on 127.0.0.1).
        #[arg(long)]
        security: String,
        #[arg(long, default_value = "")]
        user: String,
        /// The address messages are sent from (the envelope sender).
        #[arg(long, value_name = "ADDR")]
        from: String,
        /// A certificate authority (PEM) to trust for this server besides the system's.
        #[arg(long, value_name = "PEM", default_value = "")]
        ca_file: String,
    },
    /// Send a test message through the SMTP server.
    Test {
        #[arg(long, value_name = "ADDR")]
        to: String,
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
    /// A payment plan's agreement, for both parties to sign, in the customer's language.
    Plan {
        #[arg(long)]
        plan: i64,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    /// Set letterhead.name, letterhead.address, letterhead.tax_id, letterhead.phone,
    /// letterhead.email, letterhead.payment_instructions, letterhead.logo (a PNG or JPEG
    /// file), paper (a4, letter), or a detector threshold (usage.*, see `settings list`).
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
    /// Import customers from CSV (all or nothing; re-importing changes nothing). The
    /// onboarding rules hold (a prepaid card, or an active customer or full admin access
    /// without the required checks, is refused on its line) unless --existing-book says why
    /// an existing book is brought in as it is: each exception is then recorded.
    /// Several files (or a ZIP archive of several) are imported together.
    Import {
        #[arg(required = true, num_args = 1..)]
        file: Vec<PathBuf>,
        #[arg(long, value_name = "REASON")]
        existing_book: Option<String>,
    },
    /// Export every customer to CSV in the import layout.
    Export { file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check that no audit row was changed, removed or added afterwards.
    Verify,
}

type CliResult = Result<(), Box<dyn std::error::Error>>;

/// Prints a line to standard output. A closed output (piped into `head` or `true`) is an
/// error the command then ends on quietly (see [`run`]), never a panic; commands print
/// only once their work is done and their documents are written.
macro_rules! say {
    () => {{
        use std::io::Write as _;
        writeln!(std::io::stdout())?;
    }};
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($t)*)?;
    }};
}
pub(crate) use say;

/// Runs a subcommand; returns the process exit code.
pub fn run(db: &Path, command: Command) -> i32 {
    crate::book_files::guard(db);
    let result = dispatch(db, command);
    derive_after_commit(db);
    match result {
        Ok(()) => 0,
        // Output piped into `head` and the like: stop quietly.
        // (JSON written straight to the output fails the same way, inside serde_json's error.)
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                || e.downcast_ref::<serde_json::Error>()
                    .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe)) =>
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
    use store::StoreCommand as S;
    match command {
        Command::Init => store::run(db, S::Init),
        Command::Demo => store::run(db, S::Demo),
        Command::Audit { command } => store::run(db, S::Audit { command }),
        Command::Backup { file } => store::run(db, S::Backup { file }),
        Command::Restore { file, recovery_key } => {
            store::run(db, S::Restore { file, recovery_key })
        }
        Command::RecoveryKey => store::run(db, S::RecoveryKey),
        Command::Customers { command } => customers::customers(db, command),
        Command::Invoices {
            command: ImportCommand::Import { file },
        } => receivables::ledger_import(db, &file, true),
        Command::Payments { command } => receivables::payments_cmd(db, command),
        Command::Bank { command } => bank::bank_cmd(db, command),
        Command::Microsoft { command } => microsoft::microsoft_cmd(db, command),
        Command::Headroom { json } => microsoft::headroom_cmd(db, json),
        Command::Plans { command } => plans::plans_cmd(db, command),
        Command::Mail { command } => mail::mail_cmd(db, command),
        Command::Aging {
            as_of,
            json,
            edges,
            open_items,
        } => receivables::aging(db, as_of, json, edges, open_items),
        Command::Statement {
            customer,
            as_of,
            out,
        } => receivables::statement(db, customer, as_of, out),
        Command::Dunning { command } => dunning::run(db, command),
        Command::Letter { command } => documents::letter(db, command),
        Command::Settings { command } => documents::settings(db, command),
        Command::Usage { command } => usage::usage(db, command),
        Command::Budgets { command } => usage::budgets_cmd(db, command),
        Command::Rates { command } => usage::rates_cmd(db, command),
        Command::Alerts { command } => usage::alerts_cmd(db, command),
        Command::Notices { command } => notices::notices_cmd(db, command),
        Command::Activity { command } => notices::activity_cmd(db, command),
        Command::Incidents { command } => notices::incidents_cmd(db, command),
        Command::Risk { customer, json } => notices::risk_cmd(db, customer, json),
        Command::Report {
            command:
                ReportCommand::Risk {
                    out,
                    customer,
                    lang,
                },
        } => notices::risk_report_cmd(db, out, customer, &lang),
    }
}

/// Begins a write: immediately, so a window writing at the same time makes this wait for
/// its turn (up to the busy timeout) instead of failing at commit.
/// Opens the book for a command that writes: the connection and the context its changes
/// are recorded under (the person at the keyboard, now, today).
pub(super) fn open_book(
    db: &Path,
) -> Result<(rusqlite::Connection, riskdesk_core::Ctx), session::OpenError> {
    Ok((session::connect(db)?, session::ctx()))
}

pub(super) fn begin(
    conn: &mut rusqlite::Connection,
) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

/// Set once a command has committed a change: the derived data follows before the process
/// ends ([`derive_after_commit`]).
static COMMITTED: AtomicBool = AtomicBool::new(false);

/// Commits a change made from the command line: its records and audit rows. The risk
/// scores follow in a step of their own, so a scoring failure never undoes the change.
pub(super) fn commit(tx: rusqlite::Transaction, _ctx: &riskdesk_core::Ctx) -> CliResult {
    tx.commit()?;
    COMMITTED.store(true, Ordering::SeqCst);
    Ok(())
}

/// After a command that committed a change: the scores (a history row for each that moved)
/// and tenant links, as the window does after each write. A failure is a warning: the
/// change itself is saved.
fn derive_after_commit(db: &Path) {
    if !COMMITTED.swap(false, Ordering::SeqCst) {
        return;
    }
    let result = session::connect(db)
        .map_err(|e| e.to_string())
        .and_then(|mut conn| {
            riskdesk_core::derive::after_write(&mut conn, &session::ctx())
                .map_err(|e| e.to_string())
        });
    if let Err(e) = result {
        eprintln!(
            "riskdesk: warning: the change is saved, but the risk scores could not be brought up to date: {e}"
        );
    }
}

/// A listing's `--json` form: the value as indented JSON and a newline.
fn write_json(out: &mut impl std::io::Write, value: &impl serde::Serialize) -> CliResult {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

fn parse_as_of(text: Option<String>) -> Result<chrono::NaiveDate, Box<dyn std::error::Error>> {
    match text {
        None => Ok(session::today()),
        Some(t) => {
            riskdesk_core::dates::parse(&t).map_err(|e| format!("--as-of {t:?}: {e}").into())
        }
    }
}

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
