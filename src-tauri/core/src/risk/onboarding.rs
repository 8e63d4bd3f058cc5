//! Onboarding that enforces the guidance, for the changes a user makes in the window or
//! the CLI (imports bring an existing book in as it is; the risk score shows what it
//! lacks):
//!
//! * a prepaid or stored-value card is refused, with the reason; the user may override it
//!   with a reason of their own (audited);
//! * full administrator access is refused while required checks are missing (grant
//!   limited, least-privilege access instead); no override;
//! * a customer does not become active while required checks are missing, unless the user
//!   overrides with a reason (audited).
//!
//! Required checks are the setting `onboarding.required` (default: all six; the card fraud
//! check only for customers paying by card).

use rusqlite::{Connection, Transaction};

use crate::customer::{
    self, AdminAccess, CustomerFields, OnboardingItem, PaymentInstrument, Status,
};
use crate::error::Code;
use crate::ids::CustomerId;
use crate::{Ctx, Error, FieldError, Result};

pub const REQUIRED_SETTING: &str = "onboarding.required";
/// When a new customer is asked for a prepayment: `never` (the default), `always` or
/// `high_risk` (when the new customer's score is high or critical). The request is for the
/// customer's credit limit, due the day the customer is created.
pub const PREPAYMENT_SETTING: &str = "onboarding.prepayment";

crate::text_enum::text_enum! {
    PrepaymentMode {
        Never = "never",
        Always = "always",
        HighRisk = "high_risk",
    }
}

pub fn parse_prepayment(v: &str) -> Result<PrepaymentMode> {
    PrepaymentMode::parse(v.trim()).ok_or_else(|| {
        Error::field(
            PREPAYMENT_SETTING,
            Code::Invalid,
            format!("{v:?}: one of {}", PrepaymentMode::choices()),
        )
    })
}

pub fn prepayment_mode(conn: &Connection) -> Result<PrepaymentMode> {
    match crate::store::settings::get(conn, PREPAYMENT_SETTING)? {
        None => Ok(PrepaymentMode::Never),
        Some(v) => parse_prepayment(&v),
    }
}

/// After a new customer is written (same transaction): the prepayment request the setting
/// asks for, if any. Refused (nothing written) when the customer has no credit limit to
/// ask for.
pub fn request_prepayment_if_asked(
    tx: &Transaction,
    ctx: &Ctx,
    id: CustomerId,
) -> Result<Option<crate::receivables::PrepaymentRequest>> {
    let ask = match prepayment_mode(tx)? {
        PrepaymentMode::Never => return Ok(None),
        PrepaymentMode::Always => true,
        PrepaymentMode::HighRisk => super::scores(tx, ctx.today, ctx.now, Some(id))?
            .first()
            .is_some_and(|s| matches!(s.level, super::Level::High | super::Level::Critical)),
    };
    if !ask {
        return Ok(None);
    }
    let c = customer::get(tx, id)?;
    if c.fields.credit_limit.minor <= 0 {
        return Err(Error::field(
            "credit_limit",
            Code::RequiredForPrepayment,
            "the onboarding setting asks this customer for a prepayment of the credit limit: enter a credit limit",
        ));
    }
    let amount = c.fields.credit_limit;
    crate::receivables::request_prepayment(
        tx,
        ctx,
        id,
        amount,
        ctx.today,
        "asked at onboarding (setting onboarding.prepayment)",
    )
    .map(Some)
}

/// The checks required before a customer is active.
pub fn required(conn: &Connection) -> Result<Vec<OnboardingItem>> {
    match crate::store::settings::get(conn, REQUIRED_SETTING)? {
        None => Ok(OnboardingItem::ALL.to_vec()),
        Some(v) => parse_required(&v),
    }
}

pub fn parse_required(v: &str) -> Result<Vec<OnboardingItem>> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            OnboardingItem::parse(s).ok_or_else(|| {
                Error::field(
                    REQUIRED_SETTING,
                    Code::Invalid,
                    format!("{s:?}: the checks are {}", OnboardingItem::choices()),
                )
            })
        })
        .collect()
}

fn is_card(i: PaymentInstrument) -> bool {
    matches!(
        i,
        PaymentInstrument::CreditCard
            | PaymentInstrument::DebitCard
            | PaymentInstrument::PrepaidCard
            | PaymentInstrument::StoredValueCard
    )
}

/// The required checks `f` lacks (for an existing customer, its recorded checks count).
pub fn missing(
    conn: &Connection,
    id: Option<CustomerId>,
    f: &CustomerFields,
) -> Result<Vec<OnboardingItem>> {
    let done: Vec<OnboardingItem> = match id {
        Some(id) => customer::checks(conn, id)?
            .into_iter()
            .map(|c| c.item)
            .collect(),
        None => Vec::new(),
    };
    Ok(required(conn)?
        .into_iter()
        .filter(|i| *i != OnboardingItem::CardFraudCheck || is_card(f.payment_instrument))
        .filter(|i| !done.contains(i))
        .collect())
}

/// A rule of the onboarding guidance that a change breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The rule's name in the audit trail (`prepaid_card`, `full_admin`, `checks_missing`).
    pub rule: &'static str,
    pub field: &'static str,
    pub code: Code,
    pub message: String,
    /// Whether the window and the CLI may override it with a reason (full admin access
    /// while checks are missing never is; an existing book's import records it instead).
    pub overridable: bool,
    /// The required checks not yet done, as their codes (`id_verification,card_fraud_check`),
    /// for the window to name in its own language.
    pub checks: String,
}

impl Violation {
    /// The refusal as a field's problem: the rule's code, the missing checks, and whether a
    /// reason may override it.
    pub fn error(&self) -> FieldError {
        let e = FieldError::new(self.field, self.code, self.message.clone())
            .with("checks", &self.checks);
        if self.overridable {
            e.with("overridable", "yes")
        } else {
            e
        }
    }
}

/// Every onboarding rule a change from `before` (None: a new customer) to `after` breaks:
/// a prepaid or stored-value card, full admin access while required checks are missing,
/// activation while required checks are missing. The one place these rules live; the
/// window, the CLI and every import call it.
pub fn violations(
    conn: &Connection,
    id: Option<CustomerId>,
    before: Option<&CustomerFields>,
    after: &CustomerFields,
) -> Result<Vec<Violation>> {
    let missing = missing(conn, id, after)?;
    let names: Vec<String> = missing
        .iter()
        .map(|m| m.as_str().replace('_', " "))
        .collect();
    let checks = missing
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let mut out = Vec::new();
    let prepaid = matches!(
        after.payment_instrument,
        PaymentInstrument::PrepaidCard | PaymentInstrument::StoredValueCard
    );
    if prepaid && before.is_none_or(|b| b.payment_instrument != after.payment_instrument) {
        out.push(Violation {
            rule: "prepaid_card",
            field: "payment_instrument",
            code: Code::PrepaidCard,
            message: "prepaid and stored-value cards are refused: they are a common way to run up services that are never paid (Microsoft's fraud guidance). Ask for a bank transfer or a card in the company's name, or override with a reason.".into(),
            overridable: true,
            checks: checks.clone(),
        });
    }
    if after.admin_access == AdminAccess::Full
        && !missing.is_empty()
        && before.is_none_or(|b| b.admin_access != AdminAccess::Full)
    {
        out.push(Violation {
            rule: "full_admin",
            field: "admin_access",
            code: Code::FullAdminRefused,
            message: format!(
                "full administrator access is refused while required checks are missing ({}); grant limited, least-privilege (GDAP) access until they are done",
                names.join(", ")
            ),
            overridable: false,
            checks: checks.clone(),
        });
    }
    if after.status == Status::Active
        && !missing.is_empty()
        && before.is_none_or(|b| b.status != Status::Active)
    {
        out.push(Violation {
            rule: "checks_missing",
            field: "status",
            code: Code::ChecksMissing,
            message: format!(
                "the customer cannot become active while required checks are missing ({}); complete them, or override with a reason",
                names.join(", ")
            ),
            overridable: true,
            checks: checks.clone(),
        });
    }
    Ok(out)
}

/// Checks a change from `before` (None: a new customer) to `after`. An overridable refusal
/// passes when `override_reason` is given; each override is written to the audit trail
/// once the customer's id is known (`record_overrides`). Returns the rules overridden.
pub fn check(
    conn: &Connection,
    id: Option<CustomerId>,
    before: Option<&CustomerFields>,
    after: &CustomerFields,
    override_reason: Option<&str>,
) -> Result<Vec<&'static str>> {
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    crate::error::at_most("override_reason", reason.unwrap_or_default(), 500)?;
    let mut overridden = Vec::new();
    for v in violations(conn, id, before, after)? {
        if !v.overridable || reason.is_none() {
            return Err(Error::fields(v.error()));
        }
        overridden.push(v.rule);
    }
    Ok(overridden)
}

/// Writes each override to the audit trail, with the user's reason.
pub fn record_overrides(
    tx: &Transaction,
    ctx: &Ctx,
    id: CustomerId,
    rules: &[&str],
    reason: Option<&str>,
) -> Result<()> {
    for rule in rules {
        crate::audit::record(
            tx,
            ctx,
            "customer",
            id,
            "onboarding_override",
            None,
            Some(&serde_json::json!({"rule": rule, "reason": reason.unwrap_or("").trim()})),
        )?;
    }
    Ok(())
}
