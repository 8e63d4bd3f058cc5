//! `riskdesk plans`: payment plans made, listed and cancelled.

use std::io::Write;
use std::path::Path;

use clap::Subcommand;
use riskdesk_core::ids::{CustomerId, InvoiceId};
use riskdesk_core::plans::{self, Every, NewPlan, Schedule};
use riskdesk_core::receivables;

use super::{begin, commit, say, CliResult};

#[derive(Subcommand, Debug)]
pub enum PlansCommand {
    /// Spread open invoices of a customer over instalments; dunning pauses for them while
    /// the plan is kept.
    Add {
        #[arg(long)]
        customer: i64,
        /// The invoices by number, comma-separated.
        #[arg(long, value_name = "N,M")]
        invoices: String,
        /// How many instalments (equal shares, the odd minor units on the first).
        #[arg(long)]
        instalments: u32,
        /// The first instalment's due date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        first: String,
        /// month (the default) or 2weeks.
        #[arg(long, default_value = "month")]
        every: String,
        /// The plan's interest, in percent a year (0 by default).
        #[arg(long, value_name = "PCT", default_value = "0")]
        rate: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Every plan with where it stands today.
    List {
        #[arg(long)]
        json: bool,
    },
    /// End a plan by decision (dunning resumes for its invoices); a reason is required.
    Cancel {
        plan: i64,
        #[arg(long)]
        note: String,
    },
}

pub(super) fn plans_cmd(db: &Path, command: PlansCommand) -> CliResult {
    let (mut conn, ctx) = super::open_book(db)?;
    match command {
        PlansCommand::Add {
            customer,
            invoices,
            instalments,
            first,
            every,
            rate,
            note,
        } => {
            let mut ids: Vec<InvoiceId> = Vec::new();
            for number in invoices.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let inv = receivables::invoice_by_number(&conn, number)?
                    .ok_or_else(|| format!("--invoices: no invoice {number}"))?;
                ids.push(inv.id);
            }
            let every =
                Every::parse(&every).ok_or_else(|| format!("--every: use {}", Every::choices()))?;
            let first = riskdesk_core::dates::parse_field("first", &first)?;
            let p = NewPlan {
                customer_id: CustomerId(customer),
                invoices: ids,
                schedule: Schedule::Equal {
                    count: instalments,
                    first,
                    every,
                },
                rate_bp: plans::parse_rate(&rate)?,
                note,
            };
            let tx = begin(&mut conn)?;
            let v = plans::create(&tx, &ctx, &p)?;
            commit(tx, &ctx)?;
            say!(
                "payment plan {} for {}: {} owed + {} interest = {} in {}",
                v.id,
                v.customer_name,
                v.owed.format(),
                v.interest.format(),
                v.total.format(),
                riskdesk_core::english::count(v.instalments.len(), "instalment", "instalments")
            );
            for i in &v.instalments {
                say!("  {:>3}  {}  {:>16}", i.seq, i.due_on, i.amount.format());
            }
            Ok(())
        }
        PlansCommand::List { json } => {
            let all = plans::list(&conn, ctx.today)?;
            let mut out = std::io::stdout().lock();
            if json {
                super::write_json(&mut out, &all)?;
                return Ok(());
            }
            for v in &all {
                let next = v.instalments.iter().find(|i| i.paid.minor < i.amount.minor);
                writeln!(
                    out,
                    "{:>4}  {:<9}  {}  paid {} of {}{}",
                    v.id,
                    v.status.as_str(),
                    super::pad(&v.customer_name, 32),
                    v.paid.format(),
                    v.total.format(),
                    next.map(|i| format!("; next {} on {}", i.amount.format(), i.due_on))
                        .unwrap_or_default()
                )?;
            }
            Ok(())
        }
        PlansCommand::Cancel { plan, note } => {
            let tx = begin(&mut conn)?;
            let v = plans::cancel(&tx, &ctx, plan, &note)?;
            commit(tx, &ctx)?;
            say!(
                "payment plan {} cancelled: dunning resumes for its invoices",
                v.id
            );
            Ok(())
        }
    }
}
