//! `riskdesk aging`, `statement`, and the invoice and payment imports.

use super::say;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use riskdesk_core::customer;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::import;
use riskdesk_core::money::Money;
use riskdesk_core::receivables::{self, BucketEdges};

use super::{pad, parse_as_of, CliResult};
use crate::letters;
use crate::session;

pub(super) fn aging(db: &Path, as_of: Option<String>, json: bool, edges: String) -> CliResult {
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

pub(super) fn statement(db: &Path, id: i64, as_of: Option<String>, out: PathBuf) -> CliResult {
    let (conn, _) = session::open(db)?;
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

pub(super) fn ledger_import(db: &Path, file: &Path, invoices: bool) -> CliResult {
    let (mut conn, _) = session::open(db)?;
    let reader = BufReader::new(super::open_input(file)?);
    let tx = super::begin(&mut conn)?;
    let label = file.display().to_string();
    let s = if invoices {
        import::import_invoices(&tx, &session::ctx(), &label, reader, |_, _| {})?
    } else {
        import::import_payments(&tx, &session::ctx(), &label, reader, |_, _| {})?
    };
    super::commit(tx, &session::ctx())?;
    let what = if invoices { "invoices" } else { "payments" };
    say!(
        "{label}: {} rows: {} {what} created, {} unchanged",
        s.rows,
        s.created,
        s.unchanged
    );
    Ok(())
}
