//! `riskdesk microsoft` (the credit line with Microsoft and Microsoft's invoices) and
//! `riskdesk headroom` (what is left of the line, and each customer's cash gap).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use riskdesk_core::microsoft::headroom;
use riskdesk_core::microsoft::invoices::{self, MsInvoiceInput};
use riskdesk_core::microsoft::{CreditLine, CreditLineInput};

use super::{begin, commit, pad, say, CliResult};
use crate::session;

#[derive(Subcommand, Debug)]
pub enum MicrosoftCommand {
    /// Set the credit limit Microsoft gives you, its payment terms and the alert thresholds.
    Set {
        /// The limit's amount (e.g. 3,000,000).
        #[arg(long)]
        limit: String,
        /// The limit's currency (ISO 4217, e.g. TWD).
        #[arg(long)]
        currency: String,
        /// Days Microsoft gives you to pay its invoices.
        #[arg(long, default_value = "60")]
        terms: String,
        /// Percentages of the limit used at which an alert is raised, rising.
        #[arg(long, default_value = "80,100")]
        thresholds: String,
    },
    /// Microsoft's invoices to you, newest first.
    Invoices {
        #[arg(long)]
        json: bool,
    },
    /// Record one of Microsoft's invoices.
    AddInvoice {
        #[arg(long)]
        number: String,
        /// The invoice date (YYYY-MM-DD).
        #[arg(long)]
        date: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        currency: String,
        /// Default: the invoice date plus the payment terms.
        #[arg(long, default_value = "")]
        due: String,
        #[arg(long, default_value = "")]
        paid: String,
    },
    /// Record the day one of Microsoft's invoices was paid (without --on: not paid).
    Paid {
        number: String,
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// Import Microsoft's invoices from a CSV: number, invoice_date, amount, currency,
    /// due_date, paid_date. All or nothing; the same file twice changes nothing.
    /// Several files (or a ZIP archive of several) are imported together.
    Import {
        #[arg(required = true, num_args = 1..)]
        file: Vec<PathBuf>,
    },
}

pub(super) fn microsoft_cmd(db: &Path, command: MicrosoftCommand) -> CliResult {
    let (mut conn, ctx) = super::open_book(db)?;
    match command {
        MicrosoftCommand::Set {
            limit,
            currency,
            terms,
            thresholds,
        } => {
            let line = CreditLineInput {
                limit,
                currency,
                terms_days: terms,
                thresholds,
            }
            .parse()?;
            let tx = begin(&mut conn)?;
            line.save(&tx, &ctx)?;
            commit(tx, &ctx)?;
            say!(
                "credit line with Microsoft: {}, payment terms {}, alerts at {}%",
                line.limit
                    .map(|m| m.format())
                    .unwrap_or_else(|| "no limit".into()),
                riskdesk_core::english::count(line.terms_days, "day", "days"),
                line.thresholds
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join("%, ")
            );
        }
        MicrosoftCommand::Invoices { json } => {
            let all = invoices::list(&conn)?;
            let mut out = std::io::stdout().lock();
            if json {
                super::write_json(&mut out, &all)?;
                return Ok(());
            }
            for i in &all {
                let status = match (i.amount.minor.signum(), i.paid_on) {
                    (-1, Some(p)) => format!("credit note, applied {p}"),
                    (-1, None) => "credit note, not applied".into(),
                    (0, _) => "nothing to pay".into(),
                    (_, Some(p)) => format!("due {}  paid {p}", i.due_on),
                    (_, None) => format!("due {}  unpaid", i.due_on),
                };
                writeln!(
                    out,
                    "{}  {}  {:>18}  {status}",
                    pad(&i.number, 20),
                    i.invoice_date,
                    i.amount.format(),
                )?;
            }
        }
        MicrosoftCommand::AddInvoice {
            number,
            date,
            amount,
            currency,
            due,
            paid,
        } => {
            let terms = CreditLine::load(&conn)?.terms_days;
            let tx = begin(&mut conn)?;
            let inv = invoices::add(
                &tx,
                &ctx,
                &MsInvoiceInput {
                    number,
                    invoice_date: date,
                    amount,
                    currency,
                    due_on: due,
                    paid_on: paid,
                },
                terms,
            )?;
            commit(tx, &ctx)?;
            if inv.is_credit() {
                say!(
                    "Microsoft credit note {} of {}: {}",
                    inv.number,
                    inv.invoice_date,
                    inv.amount.format()
                );
            } else {
                say!(
                    "Microsoft invoice {} of {}: {}, due {}",
                    inv.number,
                    inv.invoice_date,
                    inv.amount.format(),
                    inv.due_on
                );
            }
        }
        MicrosoftCommand::Paid { number, on } => {
            let day = on
                .map(|d| riskdesk_core::dates::parse(&d).map_err(|e| format!("--on {d:?}: {e}")))
                .transpose()?;
            let tx = begin(&mut conn)?;
            let inv = invoices::set_paid(&tx, &ctx, &number, day)?;
            commit(tx, &ctx)?;
            match (inv.is_credit(), inv.paid_on) {
                (true, Some(p)) => say!("Microsoft credit note {} applied on {p}", inv.number),
                (true, None) => say!("Microsoft credit note {} not applied", inv.number),
                (false, Some(p)) => say!("Microsoft invoice {} paid on {p}", inv.number),
                (false, None) => say!("Microsoft invoice {} unpaid", inv.number),
            }
        }
        MicrosoftCommand::Import { file } => {
            let terms = CreditLine::load(&conn)?.terms_days;
            let file_name = |f: &Path| {
                f.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            let (name, read) = super::ledger_inputs(&file, file_name)?;
            let tx = begin(&mut conn)?;
            let s = riskdesk_core::import::import_each(read, |name, data| {
                invoices::import(&tx, &ctx, name, data, terms)
            })?;
            commit(tx, &ctx)?;
            say!(
                "{name}: {}, {} added, {} paid dates recorded, {} unchanged",
                riskdesk_core::english::count(s.rows, "row", "rows"),
                s.created,
                s.updated,
                s.unchanged
            );
        }
    }
    Ok(())
}

/// `riskdesk headroom [--json]`: the line today and the customers' cash gap, those with
/// money Microsoft has already been paid for first.
pub(super) fn headroom_cmd(db: &Path, json: bool) -> CliResult {
    let conn = session::connect(db)?;
    let h = headroom::headroom(&conn, session::ctx().today)?;
    let mut out = std::io::stdout().lock();
    if json {
        super::write_json(&mut out, &h)?;
        return Ok(());
    }
    match (h.line.limit, h.headroom, h.used_basis_points) {
        (Some(limit), Some(room), Some(bp)) => writeln!(
            out,
            "Credit line with Microsoft on {}: limit {}, used {} ({}.{:02}%), headroom {}",
            h.as_of,
            limit.format(),
            h.used.format(),
            bp / 100,
            bp % 100,
            room.format()
        )?,
        _ => writeln!(
            out,
            "Credit line with Microsoft on {}: no limit set (riskdesk microsoft set); used {}",
            h.as_of,
            h.used.format()
        )?,
    }
    writeln!(
        out,
        "  Microsoft's invoices unpaid  {:>18}",
        h.unpaid_invoices.format()
    )?;
    if !h.credits.is_empty() {
        writeln!(
            out,
            "  credit notes not applied     {:>18}",
            h.open_credits.format()
        )?;
    }
    writeln!(
        out,
        "  usage and purchases not billed since {}  {:>18}",
        h.unbilled_since,
        h.unbilled_usage.format()
    )?;
    writeln!(
        out,
        "  seats billed this month      {:>18}",
        h.seats_this_month.format()
    )?;
    for m in &h.unconverted {
        writeln!(out, "  not converted (no rate): {}", m.format())?;
    }
    if h.customers.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}  {:>16}  {:>16}  {:>16}  {:>12}  {:<12}  not converted (no rate)",
        pad("customer", 30),
        "paid out",
        "owed",
        "not billed",
        "Microsoft due",
        "customer due"
    )?;
    for g in &h.customers {
        let ms_due = g
            .paid_out_since
            .or(g.upcoming_due)
            .unwrap_or(g.unbilled_due);
        let unconverted: Vec<String> = g.unconverted.iter().map(|m| m.format()).collect();
        let line = format!(
            "{}  {:>16}  {:>16}  {:>16}  {:>12}  {:<12}  {}",
            pad(&g.legal_name, 30),
            g.paid_out.format(),
            g.upcoming.format(),
            g.unbilled.format(),
            ms_due,
            g.customer_due.map(|d| d.to_string()).unwrap_or_default(),
            unconverted.join(", ")
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
