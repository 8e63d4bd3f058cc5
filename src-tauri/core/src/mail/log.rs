//! The mail log: every message RiskDesk drafted, sent, or failed to send, with the SHA-256 of
//! its attachment and the server's answer. Rows are only ever added (the table refuses
//! updates and deletes), and each one is written to the audit trail in the same transaction.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Draft;
use crate::ids::CustomerId;
use crate::{audit, Ctx, Result};

/// The SHA-256 of `bytes`, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::hex::lower(&Sha256::digest(bytes))
}

crate::text_enum::text_enum! {
    /// What the log says became of a message: an `.eml` draft written, a message the server
    /// took, or one it did not.
    MailKind {
        Draft = "draft",
        Sent = "sent",
        Failed = "failed",
    }
}

/// The document a message carries, as the log names it: what "the same document to the same
/// address" means before anything is sent twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document(pub String);

impl Document {
    /// A dunning run's letter to a customer (the same letter however often it is rendered).
    pub fn run_letter(run_id: i64, customer_id: CustomerId) -> Self {
        Document(format!("run:{run_id}:customer:{customer_id}"))
    }

    /// A customer's statement, policy or plan agreement: `kind` and the bytes it carries.
    pub fn customer_document(kind: &str, customer_id: CustomerId, attachment: &[u8]) -> Self {
        Document(format!(
            "{kind}:{customer_id}:{}",
            &sha256_hex(attachment)[..16]
        ))
    }
}

/// A message RiskDesk drafted or sent (or tried to), as the log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailLogRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub kind: MailKind,
    pub run_id: Option<i64>,
    pub customer_id: CustomerId,
    pub recipient: String,
    pub subject: String,
    pub attachment: String,
    pub attachment_sha256: String,
    /// The draft's file; empty for a message sent.
    pub path: String,
    pub document: String,
    /// The server's answer (its queue id) or the error.
    pub reply: String,
}

const COLUMNS: &str = "id, at, actor, kind, run_id, customer_id, recipient, subject, attachment, attachment_sha256, path, document, reply";

fn row(r: &Row) -> rusqlite::Result<MailLogRow> {
    Ok(MailLogRow {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        kind: r.get(3)?,
        run_id: r.get(4)?,
        customer_id: r.get(5)?,
        // As it is read: `ar@範例.台灣` for the `ar@xn--fsqy19h.xn--kpry57d` it was sent to.
        recipient: crate::customer::shown_emails(&r.get::<_, String>(6)?),
        subject: r.get(7)?,
        attachment: r.get(8)?,
        attachment_sha256: r.get(9)?,
        path: r.get(10)?,
        document: r.get(11)?,
        reply: r.get(12)?,
    })
}

#[allow(clippy::too_many_arguments)]
fn insert(
    tx: &Transaction,
    ctx: &Ctx,
    kind: MailKind,
    run_id: Option<i64>,
    customer_id: CustomerId,
    document: &Document,
    d: &Draft,
    path: &str,
    reply: &str,
) -> Result<MailLogRow> {
    let row = MailLogRow {
        id: 0,
        at: ctx.now_text(),
        actor: ctx.actor.clone(),
        kind,
        run_id,
        customer_id,
        recipient: d.to.clone(),
        subject: d.subject.clone(),
        attachment: d.attachment_name.clone(),
        attachment_sha256: sha256_hex(&d.attachment),
        path: path.to_string(),
        document: document.0.clone(),
        reply: reply.chars().take(2000).collect(),
    };
    tx.execute(
        "INSERT INTO mail_log (at, actor, kind, run_id, customer_id, recipient, subject, attachment, attachment_sha256, path, document, reply)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            row.at,
            row.actor,
            row.kind.as_str(),
            row.run_id,
            row.customer_id,
            row.recipient,
            row.subject,
            row.attachment,
            row.attachment_sha256,
            row.path,
            row.document,
            row.reply
        ],
    )?;
    let row = MailLogRow {
        id: tx.last_insert_rowid(),
        ..row
    };
    audit::record(tx, ctx, "mail", row.id, kind.as_str(), None, Some(&row))?;
    Ok(row)
}

/// Logs a draft written (and audits it): who it is for, what it says, what it carries.
pub fn log_draft(
    tx: &Transaction,
    ctx: &Ctx,
    run_id: Option<i64>,
    customer_id: CustomerId,
    d: &Draft,
    path: &str,
) -> Result<MailLogRow> {
    let document = match run_id {
        Some(run) => Document::run_letter(run, customer_id),
        None => Document::customer_document("draft", customer_id, &d.attachment),
    };
    insert(
        tx,
        ctx,
        MailKind::Draft,
        run_id,
        customer_id,
        &document,
        d,
        path,
        "",
    )
}

/// Logs what became of a message sent: `Ok(the server's answer)` when it took it (`sent`),
/// `Err(the error)` when not (`failed`).
pub fn log_sending(
    tx: &Transaction,
    ctx: &Ctx,
    run_id: Option<i64>,
    customer_id: CustomerId,
    document: &Document,
    d: &Draft,
    result: std::result::Result<&str, &str>,
) -> Result<MailLogRow> {
    let (kind, reply) = match result {
        Ok(reply) => (MailKind::Sent, reply),
        Err(error) => (MailKind::Failed, error),
    };
    insert(tx, ctx, kind, run_id, customer_id, document, d, "", reply)
}

/// When `document` was already sent to `recipient`: the first time.
pub fn already_sent(
    conn: &Connection,
    document: &Document,
    recipient: &str,
) -> Result<Option<MailLogRow>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM mail_log WHERE kind = 'sent' AND document = ?1 AND lower(recipient) = lower(?2) ORDER BY id LIMIT 1"
            ),
            params![document.0, recipient.trim()],
            row,
        )
        .optional()?)
}

/// The log, newest first (of one run, of one customer).
pub fn log(
    conn: &Connection,
    run_id: Option<i64>,
    customer_id: Option<CustomerId>,
) -> Result<Vec<MailLogRow>> {
    crate::store::rows(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM mail_log WHERE (?1 IS NULL OR run_id = ?1) AND (?2 IS NULL OR customer_id = ?2) ORDER BY id DESC"
        ),
        params![run_id, customer_id],
        row,
    )
}

/// A run's letters by e-mail: the customers whose letter was sent, those whose every try
/// failed, and those with a draft written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RunMailStatus {
    pub sent: i64,
    pub failed: i64,
    pub drafted: i64,
}

pub fn run_status(conn: &Connection, run_id: i64) -> Result<RunMailStatus> {
    Ok(conn.query_row(
        "SELECT
           (SELECT COUNT(DISTINCT customer_id) FROM mail_log WHERE run_id = ?1 AND kind = 'sent'),
           (SELECT COUNT(DISTINCT customer_id) FROM mail_log f WHERE f.run_id = ?1 AND f.kind = 'failed'
              AND NOT EXISTS (SELECT 1 FROM mail_log s WHERE s.run_id = ?1 AND s.kind = 'sent' AND s.customer_id = f.customer_id)),
           (SELECT COUNT(DISTINCT customer_id) FROM mail_log WHERE run_id = ?1 AND kind = 'draft')",
        params![run_id],
        |r| {
            Ok(RunMailStatus {
                sent: r.get(0)?,
                failed: r.get(1)?,
                drafted: r.get(2)?,
            })
        },
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{book, ctx, customer_input};

    /// A letter to an address at a domain in Chinese is logged (and audited) as it was sent,
    /// in Punycode, and read back as a person reads it.
    #[test]
    fn the_log_reads_an_address_in_its_script_and_keeps_it_as_sent() {
        let (_dir, mut conn) = book();
        let tx = conn.transaction().unwrap();
        let c =
            crate::customer::create(&tx, &ctx(), &customer_input("範例資訊", "TWD", "TW")).unwrap();
        let d = Draft {
            from_name: "CloudBridge".into(),
            from: "ar@cloudbridge.example".into(),
            to_name: "範例資訊".into(),
            to: "ar@xn--fsqy19h.xn--kpry57d; boss@contoso.com.tw".into(),
            subject: "Statement".into(),
            body: "Attached.".into(),
            attachment_name: "statement.pdf".into(),
            attachment: b"%PDF-1.7".to_vec(),
        };
        let written = log_draft(&tx, &ctx(), None, c.id, &d, "draft.eml").unwrap();
        assert_eq!(written.recipient, d.to, "as sent");
        let kept: String = tx
            .query_row("SELECT recipient FROM mail_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, d.to);
        let read = log(&tx, None, Some(c.id)).unwrap();
        assert_eq!(read[0].recipient, "ar@範例.台灣; boss@contoso.com.tw");
    }
}
