//! Letters out over SMTP: each message sent on its own, logged as soon as the server has
//! answered (so the log says what went even if the program stops half-way), never sent
//! twice to the same address unless the owner asks, and a run that stops at the first
//! failure of the server itself (the rest are listed as not attempted, to retry).

use chrono::{DateTime, Utc};
use riskdesk_core::error::Code;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::mail::smtp::{Failure, Mailer, Retry, SmtpSettings};
use riskdesk_core::mail::{self, Document, Draft, MailLogRow};
use riskdesk_core::Ctx;
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use crate::error::{ApiError, Kind};
use crate::keystore;

/// A message to send: to whom, for which document.
pub struct Outgoing {
    pub run_id: Option<i64>,
    pub customer_id: CustomerId,
    pub legal_name: String,
    pub document: Document,
    pub draft: Draft,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The server took it (its answer in `reply`).
    Sent,
    /// Not sent: the server's answer or the error in `reply`.
    Failed,
    /// Sent before to this address (when, and the answer, in `reply`); not sent again.
    AlreadySent,
    /// Not tried: the server failed on an earlier message.
    NotAttempted,
}

/// What happened to one message.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub customer_id: CustomerId,
    pub legal_name: String,
    pub to: String,
    pub subject: String,
    pub status: Status,
    pub reply: String,
}

/// What a sending came to, and the customers with no address to send to.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    pub no_address: Vec<String>,
}

/// Where the log is read and written: a connection of our own (the command line, tests) or
/// the window's shared one, taken for each step only.
pub trait Book {
    fn sent_before(
        &mut self,
        document: &Document,
        to: &str,
    ) -> Result<Option<MailLogRow>, ApiError>;
    fn record(&mut self, item: &Outgoing, result: &Result<String, Failure>)
        -> Result<(), ApiError>;
}

/// Logs one message's result in a transaction of its own (the mail log and the audit trail).
pub fn record(
    conn: &mut Connection,
    ctx: &Ctx,
    item: &Outgoing,
    result: &Result<String, Failure>,
) -> Result<(), ApiError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(riskdesk_core::Error::from)?;
    mail::log_sending(
        &tx,
        ctx,
        item.run_id,
        item.customer_id,
        &item.document,
        &item.draft,
        result.as_deref().map_err(|f| f.message.as_str()),
    )?;
    tx.commit().map_err(riskdesk_core::Error::from)?;
    Ok(())
}

/// A connection of our own; `clock` says who acts and when, at each message (the log's
/// time is when the server answered).
pub struct ConnBook<'a> {
    pub conn: &'a mut Connection,
    pub clock: fn() -> Ctx,
}

impl Book for ConnBook<'_> {
    fn sent_before(
        &mut self,
        document: &Document,
        to: &str,
    ) -> Result<Option<MailLogRow>, ApiError> {
        Ok(mail::already_sent(self.conn, document, to)?)
    }
    fn record(
        &mut self,
        item: &Outgoing,
        result: &Result<String, Failure>,
    ) -> Result<(), ApiError> {
        record(self.conn, &(self.clock)(), item, result)
    }
}

/// Sends each message in turn, reporting progress.
pub fn send_all(
    items: &[Outgoing],
    mailer: &Mailer,
    again: bool,
    now: DateTime<Utc>,
    book: &mut dyn Book,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Outcome>, ApiError> {
    let mut out = Vec::with_capacity(items.len());
    let mut stopped: Option<String> = None;
    for (i, item) in items.iter().enumerate() {
        let outcome = |status, reply: String| Outcome {
            customer_id: item.customer_id,
            legal_name: item.legal_name.clone(),
            to: item.draft.to.clone(),
            subject: item.draft.subject.clone(),
            status,
            reply,
        };
        let before = if again || stopped.is_some() {
            None
        } else {
            book.sent_before(&item.document, &item.draft.to)?
        };
        let done = if let Some(why) = &stopped {
            outcome(Status::NotAttempted, why.clone())
        } else if let Some(prev) = before {
            outcome(Status::AlreadySent, format!("{} {}", prev.at, prev.reply))
        } else {
            let id = format!(
                "{}-{}-{}",
                item.document.0.replace(':', "-"),
                now.timestamp_micros(),
                i
            );
            let result = mailer.send(&item.draft.to, &mail::wire(&item.draft, now, &id));
            book.record(item, &result)?;
            match result {
                Ok(reply) => outcome(Status::Sent, reply),
                Err(f) => {
                    if !f.this_message_only {
                        stopped = Some(format!(
                            "not tried: the server failed before ({})",
                            f.message
                        ));
                    }
                    outcome(Status::Failed, f.message)
                }
            }
        };
        out.push(done);
        progress(i + 1, items.len());
    }
    Ok(out)
}

fn keychain(e: keystore::KeychainError) -> ApiError {
    ApiError::new(Kind::Keychain, e.to_string())
}

/// The saved server settings, refused when none are set.
pub fn settings(conn: &Connection) -> Result<SmtpSettings, ApiError> {
    SmtpSettings::load(conn)?.ok_or_else(|| {
        ApiError::validation(
            "mail.host",
            Code::Required,
            "set the SMTP server first (Settings, E-mail; or riskdesk mail set)",
        )
    })
}

/// A mailer for the saved settings, with the password from the keychain.
pub fn mailer(s: &SmtpSettings, retry: Retry) -> Result<Mailer, ApiError> {
    let password = if s.user.is_empty() {
        None
    } else {
        keystore::load_secret(&s.password_account()).map_err(keychain)?
    };
    Ok(Mailer::new(s, password.as_deref(), retry)?)
}

/// Files the server's password in the keychain.
pub fn save_password(s: &SmtpSettings, password: &str) -> Result<(), ApiError> {
    if password.len() > 1000 || password.chars().any(char::is_control) {
        return Err(ApiError::validation(
            "password",
            Code::Invalid,
            "a password of up to 1000 characters on one line",
        ));
    }
    keystore::save_secret(&s.password_account(), password).map_err(keychain)
}

/// Whether the keychain holds a password for the settings' server and user.
pub fn has_password(s: &SmtpSettings) -> Result<bool, ApiError> {
    Ok(keystore::load_secret(&s.password_account())
        .map_err(keychain)?
        .is_some())
}

/// A short message that proves the settings work: sent to `to`, the server's answer back.
pub fn send_test(
    s: &SmtpSettings,
    mailer: &Mailer,
    to: &str,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let Some(to) = riskdesk_core::customer::email_address(to.trim()) else {
        return Err(ApiError::validation(
            "to",
            Code::InvalidEmail,
            "not an e-mail address (e.g. me@example.com)",
        ));
    };
    let draft = Draft {
        from_name: "RiskDesk".into(),
        from: s.from.clone(),
        to_name: String::new(),
        to: to.clone(),
        subject: "RiskDesk test message / RiskDesk 測試郵件".into(),
        body: format!(
            "RiskDesk can send letters through {}:{}.\nRiskDesk 可以透過 {}:{} 寄送信函。\n",
            s.host, s.port, s.host, s.port
        ),
        attachment_name: String::new(),
        attachment: Vec::new(),
    };
    let id = format!("test-{}", now.timestamp_micros());
    mailer
        .send(&to, &mail::wire(&draft, now, &id))
        .map_err(|f| ApiError::new(Kind::Failed, f.message))
}

/// A run's letters as messages to send, and the customers with no address.
pub fn run_items(
    run: &riskdesk_core::collections::RunRecord,
) -> Result<(Vec<Outgoing>, Vec<String>), ApiError> {
    let (messages, no_address) = crate::drafts::run_messages(run)?;
    let items = messages
        .into_iter()
        .map(|m| Outgoing {
            run_id: Some(run.id.0),
            customer_id: m.customer_id,
            legal_name: m.legal_name,
            document: Document::run_letter(run.id.0, m.customer_id),
            draft: m.draft,
        })
        .collect();
    Ok((items, no_address))
}
