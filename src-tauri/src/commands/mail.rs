//! E-mail over SMTP from the window: the server's settings (the password into the keychain),
//! a test message, a run's letters and a customer's documents sent one message each, with
//! progress, logged as each one is answered, the database held only for each step.

use riskdesk_core::error::Code;
use riskdesk_core::mail::smtp::{Retry, SmtpInput, SmtpSettings};
use riskdesk_core::mail::{Document, MailLogRow};
use serde::Serialize;

use super::documents::{self, DocumentRequest};
use crate::error::ApiError;
use crate::host::{text_arg, Host};
use crate::mail_out::{self, Outgoing};

/// The saved settings (none until set) and whether the keychain has their password.
#[derive(Debug, Serialize)]
pub struct MailSettings {
    pub settings: Option<SmtpSettings>,
    pub has_password: bool,
}

pub fn get_settings(conn: &rusqlite::Connection) -> Result<MailSettings, ApiError> {
    let settings = SmtpSettings::load(conn)?;
    let has_password = match &settings {
        Some(s) if !s.user.is_empty() => mail_out::has_password(s)?,
        _ => false,
    };
    Ok(MailSettings {
        settings,
        has_password,
    })
}

/// Saves the settings; a password given goes to the keychain (an empty one keeps the
/// one filed). A login without any password filed is refused, named.
pub fn save_settings(
    h: &mut Host,
    input: &SmtpInput,
    password: &str,
) -> Result<MailSettings, ApiError> {
    for (field, value) in [
        ("mail.host", &input.host),
        ("mail.port", &input.port),
        ("mail.security", &input.security),
        ("mail.user", &input.user),
        ("mail.from", &input.from),
        ("mail.ca_file", &input.ca_file),
    ] {
        text_arg(field, value, 1000)?;
    }
    let settings = input.parse()?;
    if !password.is_empty() {
        mail_out::save_password(&settings, password)?;
    } else if !settings.user.is_empty() && !mail_out::has_password(&settings)? {
        return Err(ApiError::validation(
            "password",
            Code::Required,
            "the server's password (kept in the keychain)",
        ));
    }
    h.tx(|tx, ctx| settings.save(tx, ctx))?;
    get_settings(h.conn)
}

/// A customer document as a message to send: to its billing e-mail, in its language.
pub fn document_item(h: &mut Host, request: &DocumentRequest) -> Result<Outgoing, ApiError> {
    if request.is_risk_report() {
        return Err(ApiError::validation(
            "kind",
            Code::InvalidChoice,
            "policy, statement or plan: a document for a customer",
        ));
    }
    let doc = documents::records(h.conn, &h.ctx, request)?;
    let name = super::files::suggested_name(h, request)?;
    let draft = crate::drafts::customer_draft(&doc, &name)?;
    let customer = crate::host::id_arg("customer_id", request.customer_id)?;
    let legal_name = draft.to_name.clone();
    Ok(Outgoing {
        run_id: None,
        customer_id: customer,
        legal_name,
        document: Document::customer_document(&request.kind, customer, &draft.attachment),
        draft,
    })
}

/// The log kept by the window's shared connection, taken for each step.
struct StateBook {
    app: tauri::AppHandle,
}

impl mail_out::Book for StateBook {
    fn sent_before(
        &mut self,
        document: &Document,
        to: &str,
    ) -> Result<Option<MailLogRow>, ApiError> {
        use tauri::Manager;
        let (document, to) = (document.clone(), to.to_string());
        let state = self.app.state::<crate::state::AppState>();
        tauri::async_runtime::block_on(
            state
                .with_host(move |h| Ok(riskdesk_core::mail::already_sent(h.conn, &document, &to)?)),
        )
    }
    fn record(
        &mut self,
        item: &Outgoing,
        result: &Result<String, riskdesk_core::mail::smtp::Failure>,
    ) -> Result<(), ApiError> {
        use tauri::Manager;
        let item = Outgoing {
            run_id: item.run_id,
            customer_id: item.customer_id,
            legal_name: item.legal_name.clone(),
            document: item.document.clone(),
            draft: item.draft.clone(),
        };
        let result = result.clone();
        let state = self.app.state::<crate::state::AppState>();
        tauri::async_runtime::block_on(state.with_db(move |o| {
            mail_out::record(&mut o.conn, &crate::session::ctx(), &item, &result)
        }))
    }
}

#[derive(Serialize, Clone)]
struct Progress {
    done: usize,
    total: usize,
}

/// Sends `items` off the window's thread with the mailer of the saved settings.
async fn send_outside(
    app: tauri::AppHandle,
    state: &crate::state::AppState,
    load: impl FnOnce(&mut Host) -> Result<(Vec<Outgoing>, Vec<String>), ApiError> + Send + 'static,
    again: bool,
) -> Result<mail_out::Report, ApiError> {
    use tauri::Emitter;
    let (settings, items, no_address) = state
        .with_host(move |h| {
            let settings = mail_out::settings(h.conn)?;
            let (items, no_address) = load(h)?;
            Ok((settings, items, no_address))
        })
        .await?;
    let now = crate::session::ctx().now;
    crate::state::without_db(move || {
        let mailer = mail_out::mailer(&settings, Retry::default())?;
        let mut book = StateBook { app: app.clone() };
        let outcomes = mail_out::send_all(
            &items,
            &mailer,
            again,
            now,
            &mut book,
            &mut |done, total| {
                let _ = app.emit("mail-progress", Progress { done, total });
            },
        )?;
        Ok(mail_out::Report {
            outcomes,
            no_address,
        })
    })
    .await
}

/// A run's mail log, newest first.
pub fn run_log(conn: &rusqlite::Connection, run_id: i64) -> Result<Vec<MailLogRow>, ApiError> {
    let id: riskdesk_core::ids::RunId = crate::host::id_arg("run_id", run_id)?;
    Ok(riskdesk_core::mail::log(conn, Some(id.0), None)?)
}

pub mod ipc {
    use tauri::{AppHandle, State};

    use super::*;
    use crate::state::AppState;

    crate::commands::read_commands! {
        get_mail_settings() -> MailSettings = |conn, _| get_settings(conn);
        list_run_mail(run_id: i64) -> Vec<MailLogRow> = |conn, _| run_log(conn, run_id);
    }

    crate::commands::host_commands! {
        save_mail_settings(input: SmtpInput, password: String) -> MailSettings
            = |h| save_settings(h, &input, &password);
    }

    /// A test message through the saved server; the server's answer.
    #[tauri::command]
    pub async fn send_test_mail(
        state: State<'_, AppState>,
        to: String,
    ) -> Result<String, ApiError> {
        text_arg("to", &to, 320)?;
        let settings = state.with_read(|conn, _| mail_out::settings(conn)).await?;
        let now = crate::session::ctx().now;
        crate::state::without_db(move || {
            let mailer = mail_out::mailer(&settings, Retry::default())?;
            mail_out::send_test(&settings, &mailer, &to, now)
        })
        .await
    }

    /// A run's letters, one message per customer (`again`: those sent before too).
    #[tauri::command]
    pub async fn send_run_mail(
        app: AppHandle,
        state: State<'_, AppState>,
        run_id: i64,
        again: bool,
    ) -> Result<mail_out::Report, ApiError> {
        let id = riskdesk_core::ids::RunId(crate::host::id_arg("run_id", run_id)?);
        send_outside(
            app,
            &state,
            move |h| {
                let run = riskdesk_core::collections::run_record(h.conn, id)?;
                mail_out::run_items(&run)
            },
            again,
        )
        .await
    }

    /// A customer's statement, policy or plan agreement, to its billing e-mail.
    #[tauri::command]
    pub async fn send_document_mail(
        app: AppHandle,
        state: State<'_, AppState>,
        request: DocumentRequest,
        again: bool,
    ) -> Result<mail_out::Report, ApiError> {
        send_outside(
            app,
            &state,
            move |h| Ok((vec![document_item(h, &request)?], Vec::new())),
            again,
        )
        .await
    }
}
