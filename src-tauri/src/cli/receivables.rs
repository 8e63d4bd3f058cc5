//! `riskdesk aging`, `statement`, the invoice and payment imports, and payments taken back.

use super::say;
use std::io::Write;
use std::path::{Path, PathBuf};

use riskdesk_core::customer;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::import;
use riskdesk_core::money::Money;
use riskdesk_core::receivables::{self, BucketEdges};

use super::{pad, parse_as_of, CliResult};
use crate::letters;
use crate::session;

pub(super) fn aging(
    db: &Path,
    as_of: Option<String>,
    json: bool,
    edges: String,
    open_items: Option<std::path::PathBuf>,
) -> CliResult {
    let conn = session::connect(db)?;
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
    if let Some(file) = open_items {
        super::not_a_book_file(&file)?;
        let out = std::fs::File::create_new(&file).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!(
                    "{} already exists: choose another file name",
                    file.display()
                )
            }
            _ => format!("{}: {e}", file.display()),
        })?;
        let n = receivables::export_open_items(&conn, as_of, BucketEdges(e), out)?;
        eprintln!(
            "{} written to {}",
            riskdesk_core::english::count(n, "open invoice", "open invoices"),
            file.display()
        );
    }
    let mut out = std::io::stdout().lock();
    if json {
        super::write_json(&mut out, &a)?;
        return Ok(());
    }
    let heads = a.edges.labels();
    writeln!(out, "Aging as of {}", a.as_of)?;
    // One line: the name, the five buckets, the total and the credit held (blank when none).
    let line = |out: &mut std::io::StdoutLock, name: &str, cells: [String; 7], tail: &str| {
        let [b0, b1, b2, b3, b4, total, credit] = cells;
        writeln!(
            out,
            "{}  {b0:>14} {b1:>14} {b2:>14} {b3:>14} {b4:>14} {total:>15} {credit:>14}{tail}",
            pad(name, 36)
        )
    };
    let [h0, h1, h2, h3, h4] = heads;
    let head = [h0, h1, h2, h3, h4, "total".into(), "credit held".into()];
    line(&mut out, "customer", head, "")?;
    let cells = |buckets: &[i64; 5], total: i64, credit: i64, currency| {
        let m = |v: i64| Money::new(v, currency).format();
        let credit = if credit == 0 {
            String::new()
        } else {
            m(credit)
        };
        let [b0, b1, b2, b3, b4] = buckets.map(m);
        [b0, b1, b2, b3, b4, m(total), credit]
    };
    for r in &a.rows {
        let row = cells(&r.buckets, r.total_minor, r.credit_minor, r.currency);
        line(&mut out, &r.legal_name, row, "")?;
    }
    for t in &a.totals {
        let dso = t
            .dso_tenths
            .map(|d| format!("  DSO {}.{} days", d / 10, d % 10))
            .unwrap_or_default();
        let row = cells(&t.buckets, t.total_minor, t.credit_minor, t.currency);
        line(&mut out, &format!("TOTAL {}", t.currency), row, &dso)?;
    }
    Ok(())
}

pub(super) fn statement(db: &Path, id: i64, as_of: Option<String>, out: PathBuf) -> CliResult {
    let conn = session::connect(db)?;
    let id = CustomerId(id);
    let c = customer::get(&conn, id)?;
    let st = receivables::statement(&conn, id, parse_as_of(as_of)?)?;
    let (lh, paper) = letters::letterhead(&conn)?;
    letters::write_atomic(
        &out,
        &riskdesk_docs::statement_document(paper, &lh, &c, &st),
    )?;
    say!(
        "statement of {} written to {}",
        c.fields.legal_name,
        out.display()
    );
    Ok(())
}

#[derive(clap::Subcommand, Debug)]
pub enum PaymentsCommand {
    /// Import from CSV (all or nothing; re-importing changes nothing). Several files (or a
    /// ZIP archive of several) are imported together, all or nothing.
    Import {
        #[arg(required = true, num_args = 1..)]
        file: Vec<PathBuf>,
    },
    /// A customer's payments and credit notes, newest first, with any return.
    List {
        #[arg(long)]
        customer: i64,
        #[arg(long)]
        json: bool,
    },
    /// Record that a payment was taken back: the invoices it paid are owed again.
    Return {
        /// The payment's id (see `payments list`).
        id: i64,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: String,
        /// chargeback (the card issuer took it back), returned (the bank sent it back) or
        /// recalled (the payer's bank recalled it).
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        note: String,
    },
}

pub(super) fn payments_cmd(db: &Path, command: PaymentsCommand) -> CliResult {
    match command {
        PaymentsCommand::Import { file } => ledger_import(db, &file, false),
        PaymentsCommand::List { customer, json } => {
            let conn = session::connect(db)?;
            let rows = receivables::payments_of(&conn, CustomerId(customer), 10_000)?;
            let mut out = std::io::stdout().lock();
            if json {
                super::write_json(&mut out, &rows)?;
                return Ok(());
            }
            for r in &rows {
                let p = &r.payment;
                let back = match (r.returned_on, r.return_reason) {
                    (Some(on), Some(reason)) => format!("  {reason} on {on}"),
                    _ => String::new(),
                };
                writeln!(
                    out,
                    "{:>6}  {}  {:<11}  {}  {:>15}{back}",
                    p.id,
                    p.received_on,
                    p.kind.as_str(),
                    pad(&p.reference, 24),
                    p.amount.format()
                )?;
            }
            Ok(())
        }
        PaymentsCommand::Return {
            id,
            on,
            reason,
            note,
        } => {
            let returned_on =
                riskdesk_core::dates::parse(&on).map_err(|e| format!("--on {on:?}: {e}"))?;
            let reason = receivables::ReturnReason::parse(reason.trim())
                .ok_or("--reason: chargeback, returned or recalled")?;
            let (mut conn, ctx) = super::open_book(db)?;
            let tx = super::begin(&mut conn)?;
            let r = receivables::return_payment(
                &tx,
                &ctx,
                &receivables::NewReturn {
                    payment_id: id,
                    returned_on,
                    reason,
                    note,
                },
            )?;
            let again = riskdesk_core::collections::charged_again_by(&tx, id)?;
            super::commit(tx, &ctx)?;
            say!(
                "payment {} of {} recorded as {reason} on {returned_on}: what it paid is owed again",
                r.payment.reference,
                r.payment.amount.format()
            );
            for c in again {
                say!(
                    "{}: {} of dunning charges credited back on {} charged again",
                    c.document,
                    riskdesk_core::money::Money::new(-c.amount.minor, c.amount.currency).format(),
                    c.charge_invoice
                );
            }
            Ok(())
        }
    }
}

pub(super) fn ledger_import(db: &Path, files: &[PathBuf], invoices: bool) -> CliResult {
    let mut conn = session::connect(db)?;
    let (label, read) = super::ledger_inputs(files, |f| f.display().to_string())?;
    let tx = super::begin(&mut conn)?;
    let ctx = session::ctx();
    let s = import::import_each(read, |name, data| match invoices {
        true => import::import_invoices(&tx, &ctx, name, data, |_, _| {}),
        false => import::import_payments(&tx, &ctx, name, data, |_, _| {}),
    })?;
    super::commit(tx, &session::ctx())?;
    let what = if invoices { "invoices" } else { "payments" };
    say!(
        "{label}: {}: {} {what} created, {} unchanged",
        riskdesk_core::english::count(s.rows, "row", "rows"),
        s.created,
        s.unchanged
    );
    if s.corrections > 0 {
        say!(
            "{} on money received by the run's day given back by credit note (`payments list` shows them)",
            riskdesk_core::english::count(s.corrections, "dunning run charge", "dunning run charges")
        );
    }
    Ok(())
}
