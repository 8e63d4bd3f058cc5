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

/// One letter of a run as a message: for whom, and the message.
pub struct RunMessage {
    pub customer_id: CustomerId,
    pub legal_name: String,
    /// The letter's file name in the run's folder.
    pub file_name: String,
    pub draft: Draft,
}

/// The run's letters as messages (the same PDF bytes as the run's files), and the customers
/// with no e-mail address; refused when the letterhead has no e-mail to send from.
pub fn run_messages(run: &RunRecord) -> Result<(Vec<RunMessage>, Vec<String>)> {
    let (lh, paper) = letterhead_from(|k| run.setting(k).to_string());
    if lh.email.trim().is_empty() {
        return Err(Error::field(
            "letterhead.email",
            riskdesk_core::error::Code::Required,
            "set the letterhead's e-mail first: drafts are sent from it",
        ));
    }
    let mut messages = Vec::new();
    let mut no_address = Vec::new();
    for (c, name) in run.letters().zip(run_file_names(run)) {
        let fields = &c.customer.fields;
        let to = fields.letters_to().trim().to_string();
        if to.is_empty() {
            no_address.push(fields.legal_name.clone());
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
        messages.push(RunMessage {
            customer_id: c.customer.id,
            legal_name: fields.legal_name.clone(),
            file_name: name.clone(),
            draft: Draft {
                from_name: lh.name.clone(),
                from: lh.email.trim().to_string(),
                to_name: fields.legal_name.clone(),
                to,
                subject,
                body,
                attachment_name: name,
                attachment: pdf,
            },
        });
    }
    Ok((messages, no_address))
}

/// Writes the drafts of `run`'s letters into `dir`, next to nothing else: `<letter>.eml`.
pub fn write(run: &RunRecord, dir: &Path, now: DateTime<Utc>) -> Result<Drafts> {
    let (messages, no_address) = run_messages(run)?;
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Invalid(format!("cannot create {}: {e}", dir.display())))?;
    let mut out = Drafts {
        written: Vec::new(),
        no_address,
    };
    for m in messages {
        let id = format!("run-{}-{}-{}", run.id, m.customer_id, now.timestamp());
        let path: PathBuf = dir.join(m.file_name.replace(".pdf", ".eml"));
        write_atomic(&path, &mail::eml(&m.draft, now, &id))?;
        out.written.push(Written {
            customer_id: m.customer_id,
            legal_name: m.legal_name,
            to: m.draft.to.clone(),
            subject: m.draft.subject.clone(),
            path: path.display().to_string(),
            draft: m.draft,
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

/// A customer document (the collections policy, a statement, a payment plan agreement) as an
/// e-mail draft to the customer, in its language; None for a document with no customer.
pub fn document_draft(doc: &crate::letters::Document, attachment_name: &str) -> Option<Draft> {
    use crate::letters::Document as D;
    use riskdesk_core::customer::Language;
    let (lh, customer, subject_body): (_, _, (String, String)) = match doc {
        D::Policy { lh, customer, .. } => {
            let texts = match customer.fields.language {
                Language::En => ("Our collections policy — {reseller}".to_string(), "Dear {customer},\n\nPlease find attached our collections policy: how and when we collect payment for the Microsoft cloud services we provide to you. Please read it, sign it and send it back to us.\n\n{reseller}".to_string()),
                Language::ZhTw => ("收款政策－{reseller}".to_string(), "{customer} 您好：\n\n附件為我們的收款政策，說明我們為貴公司提供 Microsoft 雲端服務時的付款與催收方式。請詳閱、簽署後寄回。\n\n{reseller}".to_string()),
            };
            (lh, customer, texts)
        }
        D::Statement {
            lh,
            customer,
            statement,
            ..
        } => {
            let lang = customer.fields.language;
            let day = riskdesk_docs::letters::date_text(lang, statement.as_of);
            let texts = match lang {
                Language::En => (format!("Statement of account as of {day} — {{reseller}}"), format!("Dear {{customer}},\n\nPlease find attached your statement of account as of {day}.\n\n{{reseller}}")),
                Language::ZhTw => (format!("{day} 對帳單－{{reseller}}"), format!("{{customer}} 您好：\n\n附件為貴公司截至 {day} 的對帳單。\n\n{{reseller}}")),
            };
            (lh, customer, texts)
        }
        D::PaymentPlan {
            lh, customer, plan, ..
        } => {
            let lang = customer.fields.language;
            let first = plan
                .instalments
                .first()
                .map(|i| riskdesk_docs::letters::date_text(lang, i.due_on))
                .unwrap_or_default();
            let n = plan.id;
            let texts = match lang {
                Language::En => (format!("Payment plan agreement {n} — {{reseller}}"), format!("Dear {{customer}},\n\nPlease find attached the payment plan agreement we discussed. Please sign it and send it back to us; the first instalment is due on {first}.\n\n{{reseller}}")),
                Language::ZhTw => (format!("分期付款協議 {n}－{{reseller}}"), format!("{{customer}} 您好：\n\n附件為我們討論的分期付款協議，請簽署後寄回；第一期款項於 {first} 到期。\n\n{{reseller}}")),
            };
            (lh, customer, texts)
        }
        D::CustomerRisk { .. } | D::PortfolioRisk { .. } => return None,
    };
    let fill = |t: &str| {
        t.replace("{customer}", &customer.fields.legal_name)
            .replace("{reseller}", &lh.name)
    };
    Some(Draft {
        from_name: lh.name.clone(),
        from: lh.email.trim().to_string(),
        to_name: customer.fields.legal_name.clone(),
        to: customer.fields.letters_to().trim().to_string(),
        subject: fill(&subject_body.0),
        body: fill(&subject_body.1),
        attachment_name: attachment_name.to_string(),
        attachment: doc.render(),
    })
}

/// [`document_draft`], refused (named) when the document has no customer, the customer no
/// e-mail address, or the letterhead no address to send from.
pub fn customer_draft(
    doc: &crate::letters::Document,
    attachment_name: &str,
) -> Result<Draft, crate::error::ApiError> {
    use crate::error::ApiError;
    use riskdesk_core::error::Code;
    let draft = document_draft(doc, attachment_name).ok_or_else(|| {
        ApiError::validation("kind", Code::InvalidChoice, "a document for a customer")
    })?;
    if draft.to.is_empty() {
        return Err(ApiError::validation(
            "billing_email",
            Code::Required,
            "the customer has no e-mail address: set its billing e-mail",
        ));
    }
    if draft.from.is_empty() {
        return Err(ApiError::validation(
            "letterhead.email",
            Code::Required,
            "set the letterhead's e-mail first: messages are sent from it",
        ));
    }
    Ok(draft)
}
