//! `riskdesk customers`: list, import (partial files update only their columns) and
//! export (formula-safe).

use super::say;
use std::fs::File;
use std::io::Write;
use std::path::Path;

use riskdesk_core::customer::{self, ListQuery, Status};
use riskdesk_core::import;

use super::{pad, CliResult, CustomersCommand};
use crate::session;

pub(super) fn customers(db: &Path, command: CustomersCommand) -> CliResult {
    match command {
        CustomersCommand::List {
            json,
            search,
            status,
        } => {
            let conn = session::connect(db)?;
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
                super::write_json(&mut out, &rows)?;
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
                writeln!(
                    out,
                    "{}",
                    riskdesk_core::english::count(rows.len(), "customer", "customers")
                )?;
            }
            Ok(())
        }
        CustomersCommand::Import {
            file,
            existing_book,
        } => {
            let mut conn = session::connect(db)?;
            let (label, read) = super::ledger_inputs(&file, |f| f.display().to_string())?;
            let tx = super::begin(&mut conn)?;
            let mode = match existing_book {
                Some(reason) => import::ImportMode::ExistingBook(reason),
                None => import::ImportMode::Enforce,
            };
            let ctx = session::ctx();
            let s = import::import_each(read, |name, data| {
                import::import_customers_with(&tx, &ctx, name, data, &mode, |_, _| {})
            })?;
            super::commit(tx, &session::ctx())?;
            say!(
                "{label}: {}: {} created, {} updated, {} unchanged{}",
                riskdesk_core::english::count(s.rows, "row", "rows"),
                s.created,
                s.updated,
                s.unchanged,
                if s.exceptions > 0 {
                    format!(
                        "; {} recorded",
                        riskdesk_core::english::count(
                            s.exceptions,
                            "onboarding exception",
                            "onboarding exceptions"
                        )
                    )
                } else {
                    String::new()
                }
            );
            Ok(())
        }
        CustomersCommand::Export { file } => {
            super::not_a_book_file(&file)?;
            let conn = session::connect(db)?;
            let out = File::create(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let n = import::export_customers(&conn, out)?;
            say!(
                "{} written to {}",
                riskdesk_core::english::count(n, "customer", "customers"),
                file.display()
            );
            Ok(())
        }
    }
}
