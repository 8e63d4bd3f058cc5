//! Document commands: a customer's collections policy or statement as PDF (saved where the
//! user chooses, see `files`), and the letterhead they are printed with. Plain functions
//! over a [`Host`], the letterhead's reading over a connection; [`ipc`] holds the Tauri
//! commands.

use riskdesk_core::collections;
use riskdesk_core::customer;
use riskdesk_core::error::Code;
use riskdesk_core::receivables;
use riskdesk_core::store::settings;
use serde::Deserialize;

use crate::error::ApiError;
use crate::host::{date_arg, id_arg, Host};
use crate::letters::{self, LETTERHEAD_KEYS};

#[derive(Deserialize, Clone, Default)]
pub struct DocumentRequest {
    /// `policy`, `statement`, `risk` (a customer's risk report) or `portfolio` (the
    /// portfolio risk report; no customer).
    pub kind: String,
    #[serde(default)]
    pub customer_id: i64,
    pub as_of: String,
    /// For the risk reports: `en` or `zh-TW` (the window's language). Customer documents
    /// are in the customer's language.
    #[serde(default)]
    pub lang: String,
    /// For `plan`: the payment plan whose agreement is printed.
    #[serde(default)]
    pub plan_id: i64,
}

const KINDS: &str = "policy, statement, plan, risk or portfolio";

/// What a document request asks for: the one place its `kind` text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Policy,
    Statement,
    Plan,
    /// A customer's risk report.
    Risk,
    /// The portfolio risk report (no customer).
    Portfolio,
}

impl DocumentKind {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "policy" => Some(DocumentKind::Policy),
            "statement" => Some(DocumentKind::Statement),
            "plan" => Some(DocumentKind::Plan),
            "risk" => Some(DocumentKind::Risk),
            "portfolio" => Some(DocumentKind::Portfolio),
            _ => None,
        }
    }
}

/// The refusal of a kind that is none of [`DocumentKind`]'s.
pub fn unknown_kind() -> ApiError {
    ApiError::validation("kind", Code::InvalidChoice, KINDS)
}

impl DocumentRequest {
    /// The kind asked for; None when the text is none of them.
    pub fn kind(&self) -> Option<DocumentKind> {
        DocumentKind::parse(&self.kind)
    }

    pub fn is_risk_report(&self) -> bool {
        matches!(
            self.kind(),
            Some(DocumentKind::Risk | DocumentKind::Portfolio)
        )
    }
}

/// Renders a collections policy, a statement of account or a risk report as PDF.
#[cfg(test)]
pub fn render(h: &mut Host, request: &DocumentRequest) -> Result<Vec<u8>, ApiError> {
    Ok(records(h.conn, &h.ctx, request)?.render())
}

/// What the requested document says, read from the records: the window renders it once
/// the database is free again.
pub fn records(
    conn: &rusqlite::Connection,
    ctx: &riskdesk_core::Ctx,
    request: &DocumentRequest,
) -> Result<letters::Document, ApiError> {
    let as_of = date_arg("as_of", &request.as_of)?;
    if request.is_risk_report() {
        // Risk is scored on today's records: a report as of another day would not be.
        if as_of != ctx.today {
            return Err(ApiError::validation(
                "as_of",
                Code::NotToday,
                format!("a risk report is as of today ({})", ctx.today),
            ));
        }
        let lang = customer::Language::field("lang", &request.lang)?;
        let customer = match request.kind() {
            Some(DocumentKind::Risk) => Some(id_arg("customer_id", request.customer_id)?),
            _ => None,
        };
        return Ok(letters::risk_report_records(conn, ctx, customer, lang)?);
    }
    let c = customer::get(conn, id_arg("customer_id", request.customer_id)?)?;
    let (lh, paper) = letters::letterhead(conn)?;
    match request.kind() {
        Some(DocumentKind::Policy) => Ok(letters::Document::Policy {
            policy: Box::new(collections::policy(
                conn,
                collections::policy_for(conn, c.id)?,
            )?),
            customer: Box::new(c),
            on: as_of,
            lh,
            paper,
        }),
        Some(DocumentKind::Statement) => Ok(letters::Document::Statement {
            statement: Box::new(receivables::statement(conn, c.id, as_of)?),
            customer: Box::new(c),
            lh,
            paper,
        }),
        Some(DocumentKind::Plan) => {
            let plan =
                riskdesk_core::plans::view(conn, id_arg("plan_id", request.plan_id)?, as_of)?;
            if plan.customer_id != c.id {
                return Err(ApiError::validation(
                    "plan_id",
                    Code::OtherCustomer,
                    "the plan belongs to another customer",
                ));
            }
            Ok(letters::Document::PaymentPlan {
                plan: Box::new(plan),
                customer: Box::new(c),
                lh,
                paper,
            })
        }
        Some(DocumentKind::Risk | DocumentKind::Portfolio) | None => Err(unknown_kind()),
    }
}

pub fn letterhead(conn: &rusqlite::Connection) -> Result<Vec<(String, String)>, ApiError> {
    LETTERHEAD_KEYS
        .iter()
        .map(|k| Ok((k.to_string(), settings::get(conn, k)?.unwrap_or_default())))
        .collect()
}

pub fn save_letterhead(h: &mut Host, values: Vec<(String, String)>) -> Result<(), ApiError> {
    for (k, v) in &values {
        if !LETTERHEAD_KEYS.contains(&k.as_str()) {
            return Err(ApiError::validation(
                "key",
                Code::Unknown,
                format!("unknown setting {k}"),
            ));
        }
        letters::check_paper(k, v)?;
        riskdesk_core::collections::check_letterhead(k, v)?;
        if k == letters::LOGO_KEY && !v.is_empty() {
            letters::decode_logo_base64(v)
                .map_err(|e| ApiError::validation(k, Code::InvalidImage, e))?;
        }
    }
    h.tx(|tx, ctx| {
        for (k, v) in &values {
            settings::set(tx, ctx, k, v.trim())?;
        }
        Ok(())
    })
}

/// The window's commands: one line each over the functions above.
pub mod ipc {
    use super::*;

    crate::commands::read_commands! {
        get_letterhead() -> Vec<(String, String)> = |conn, _| letterhead(conn);
    }

    crate::commands::host_commands! {
        save_letterhead(values: Vec<(String, String)>) -> ()
            = |h| super::save_letterhead(h, values);
    }
}
