//! `riskdesk mail`: the SMTP server letters go through, a test message, and the mail log.

use std::io::{BufRead, IsTerminal, Write as _};
use std::path::Path;

use riskdesk_core::mail::smtp::{Retry, SmtpInput};

use super::{begin, commit, say, CliResult, MailCommand};
use crate::{mail_out, session};

pub(super) fn mail_cmd(db: &Path, command: MailCommand) -> CliResult {
    match command {
        MailCommand::Log {
            json,
            run,
            customer,
        } => mail_log(db, json, run, customer),
        MailCommand::Set {
            host,
            port,
            security,
            user,
            from,
            ca_file,
        } => {
            let input = SmtpInput {
                host,
                port,
                security,
                user,
                from,
                ca_file,
            };
            let settings = input.parse()?;
            // The password first: a settings change is not saved when the keychain fails.
            if !settings.user.is_empty() {
                if std::io::stdin().is_terminal() {
                    eprint!("SMTP password for {}: ", settings.user);
                }
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                let password = line.trim_end_matches(['\r', '\n']);
                if password.is_empty() {
                    return Err("no password on standard input: give it as one line (e.g. printf '%s\\n' \"$PASSWORD\" | riskdesk mail set ...)".into());
                }
                mail_out::save_password(&settings, password)?;
            }
            let (mut conn, ctx) = super::open_book(db)?;
            let tx = begin(&mut conn)?;
            settings.save(&tx, &ctx)?;
            commit(tx, &ctx)?;
            say!(
                "mail: {}:{} ({}){}, from {}",
                settings.host,
                settings.port,
                settings.security.as_str(),
                if settings.user.is_empty() {
                    String::new()
                } else {
                    format!(", user {} (password in the keychain)", settings.user)
                },
                settings.from
            );
            Ok(())
        }
        MailCommand::Test { to } => {
            let conn = session::connect(db)?;
            let settings = mail_out::settings(&conn)?;
            drop(conn);
            let mailer = mail_out::mailer(&settings, Retry::default())?;
            let reply = mail_out::send_test(&settings, &mailer, &to, session::ctx().now)?;
            say!("test message to {to} sent: {reply}");
            Ok(())
        }
    }
}

fn mail_log(db: &Path, json: bool, run: Option<i64>, customer: Option<i64>) -> CliResult {
    let conn = session::connect(db)?;
    let rows = riskdesk_core::mail::log(&conn, run, customer.map(riskdesk_core::ids::CustomerId))?;
    let mut out = std::io::stdout().lock();
    if json {
        super::write_json(&mut out, &rows)?;
        return Ok(());
    }
    for r in &rows {
        writeln!(
            out,
            "{}  {:<6}  run {}  to {}  {}  [{} sha256 {}]{}",
            r.at,
            r.kind,
            r.run_id
                .map(|i| i.to_string())
                .unwrap_or_else(|| "-".into()),
            r.recipient,
            r.subject,
            r.attachment,
            &r.attachment_sha256[..16.min(r.attachment_sha256.len())],
            if r.reply.is_empty() {
                String::new()
            } else {
                format!("  {}", r.reply)
            }
        )?;
    }
    Ok(())
}
