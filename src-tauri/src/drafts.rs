//! A dunning run's letters as e-mail drafts: one `.eml` per customer, to its billing e-mail,
//! from the letterhead's, with the subject and text of the letter's level in the customer's
//! language and the letter's PDF (the same bytes as the run's file) attached. Written from
//! the run's stored record, without the database; the caller logs each one.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use riskdesk_core::collections::RunRecord;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::mail::{self, Draft};
use riskdesk_core::{Error, Result};
use serde::Serialize;

use crate::letters::{letterhead_from, run_file_names, write_atomic};

/// A draft written, for the log and the window.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    pub customer_id: CustomerId,
    pub legal_name: String,
    pub to: String,
    pub subject: String,
    pub path: String,
    #[serde(skip)]
    pub draft: Draft,
}

/// What a run's drafts came to: those written, and the customers with no e-mail address.
#[derive(Debug, Clone, Serialize)]
pub struct Drafts {
    pub written: Vec<Written>,
    pub no_address: Vec<String>,
}

/// Writes the drafts of `run`'s letters into `dir`, next to nothing else: `<letter>.eml`.
pub fn write(run: &RunRecord, dir: &Path, now: DateTime<Utc>) -> Result<Drafts> {
    let (lh, paper) = letterhead_from(|k| run.setting(k).to_string());
    if lh.email.trim().is_empty() {
        return Err(Error::field(
            "letterhead.email",
            riskdesk_core::error::Code::Required,
            "set the letterhead's e-mail first: drafts are sent from it",
        ));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Invalid(format!("cannot create {}: {e}", dir.display())))?;
    let mut out = Drafts {
        written: Vec::new(),
        no_address: Vec::new(),
    };
    for (c, name) in run.letters().zip(run_file_names(run)) {
        let fields = &c.customer.fields;
        let to = fields.letters_to().trim().to_string();
        if to.is_empty() {
            out.no_address.push(fields.legal_name.clone());
            continue;
        }
        let lang = fields.language;
        let pdf = riskdesk_docs::dunning_letter(paper, &lh, &c.customer, &c.plan, run.as_of);
        let (subject, body) = mail::level_email(
            &c.plan.level,
            lang,
            &fields.legal_name,
            &c.plan.total().format(),
            &riskdesk_docs::letters::date_text(lang, c.plan.deadline),
            &lh.name,
        );
        let draft = Draft {
            from_name: lh.name.clone(),
            from: lh.email.trim().to_string(),
            to_name: fields.legal_name.clone(),
            to: to.clone(),
            subject: subject.clone(),
            body,
            attachment_name: name.clone(),
            attachment: pdf,
        };
        let id = format!("run-{}-{}-{}", run.id, c.customer.id, now.timestamp());
        let path: PathBuf = dir.join(name.replace(".pdf", ".eml"));
        write_atomic(&path, &mail::eml(&draft, now, &id))?;
        out.written.push(Written {
            customer_id: c.customer.id,
            legal_name: fields.legal_name.clone(),
            to,
            subject,
            path: path.display().to_string(),
            draft,
        });
    }
    Ok(out)
}

/// Logs the drafts written (the mail log, the audit trail) and records their files as
/// documents RiskDesk wrote, which the window may open.
pub fn log(
    tx: &rusqlite::Transaction,
    ctx: &riskdesk_core::Ctx,
    run_id: i64,
    drafts: &Drafts,
) -> Result<()> {
    for w in &drafts.written {
        mail::log_draft(tx, ctx, Some(run_id), w.customer_id, &w.draft, &w.path)?;
        let real = Path::new(&w.path)
            .canonicalize()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| w.path.clone());
        riskdesk_core::store::written::record(tx, ctx, &real)?;
    }
    Ok(())
}
