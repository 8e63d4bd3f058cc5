//! Subscriptions of a customer and their history of suspensions and reactivations.

use crate::error::Code;
use crate::ids::CustomerId;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::customer;

mod changes;
use crate::money::{Currency, Money};
use crate::text_enum::text_enum;
use crate::{audit, Ctx, Error, FieldError, Result};
pub use changes::*;

text_enum!(
    SubscriptionStatus {
        Active = "active",
        Suspended = "suspended",
        Cancelled = "cancelled",
    }
);

text_enum!(
    /// Why a subscription was suspended, reactivated or cancelled.
    Reason {
        NonPayment = "non_payment",
        SuspectedFraud = "suspected_fraud",
        AcceptableUseViolation = "acceptable_use_violation",
        CustomerRequest = "customer_request",
        Other = "other",
    }
);

text_enum!(
    /// How long the customer is committed (new-commerce terms).
    Term {
        Monthly = "monthly",
        Annual = "annual",
        Triennial = "triennial",
    }
);

text_enum!(
    /// How often the term is billed: every month, every year, or all of it up front.
    Billing {
        Monthly = "monthly",
        Annual = "annual",
        Upfront = "upfront",
    }
);

impl Term {
    pub fn months(self) -> u32 {
        match self {
            Term::Monthly => 1,
            Term::Annual => 12,
            Term::Triennial => 36,
        }
    }
}

impl Billing {
    /// Months billed at once, for a term of `term_months`.
    pub fn period_months(self, term_months: u32) -> u32 {
        match self {
            Billing::Monthly => 1,
            Billing::Annual => 12.min(term_months),
            Billing::Upfront => term_months,
        }
    }
}

text_enum!(
    SubscriptionAction {
        Suspend = "suspend",
        Reactivate = "reactivate",
        Cancel = "cancel",
    }
);

/// Offers a reseller sells most; any other text is allowed too.
pub const COMMON_OFFERS: &[&str] = &[
    "Azure plan",
    "Microsoft 365 Business Basic",
    "Microsoft 365 Business Standard",
    "Microsoft 365 Business Premium",
    "Microsoft 365 E3",
    "Microsoft 365 E5",
    "Office 365 E1",
    "Exchange Online (Plan 1)",
    "Microsoft Teams Essentials",
    "Dynamics 365 Business Central Essentials",
    "Windows 365 Business",
];

/// Subscription fields as typed into a form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SubscriptionInput {
    pub offer: String,
    pub pc_subscription_id: String,
    pub quantity: String,
    pub monthly_price: String,
    pub start_on: String,
    /// `monthly` (the default), `annual` or `triennial`.
    pub term: String,
    /// `monthly` (the default), `annual` or `upfront`.
    pub billing: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Subscription {
    pub id: i64,
    pub customer_id: CustomerId,
    pub offer: String,
    pub pc_subscription_id: String,
    pub quantity: i64,
    pub monthly_price: Money,
    pub start_on: NaiveDate,
    pub status: SubscriptionStatus,
    pub created_at: String,
    pub updated_at: String,
    pub term: Term,
    pub billing: Billing,
    /// The purchase or the latest renewal: the current term starts here.
    pub term_start_on: NaiveDate,
}

/// Seats added to a subscription after its purchase: each has a cancellation window of its own.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SeatAddition {
    pub id: i64,
    pub subscription_id: i64,
    pub added_on: NaiveDate,
    pub quantity: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SubscriptionEvent {
    pub id: i64,
    pub subscription_id: i64,
    pub action: SubscriptionAction,
    pub reason: Reason,
    pub happened_on: NaiveDate,
    pub note: String,
    pub recorded_at: String,
}

/// A typed date, bounded like every date of RiskDesk (see [`crate::dates`]).
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    crate::dates::parse_field(field, text)
}

struct Valid {
    offer: String,
    pc_subscription_id: String,
    quantity: i64,
    monthly_price_minor: i64,
    start_on: NaiveDate,
    term: Term,
    billing: Billing,
}

fn validate(input: &SubscriptionInput, currency: Currency) -> Result<Valid> {
    let mut errs = Vec::new();
    let offer = input.offer.trim().to_string();
    if offer.is_empty() {
        errs.push(FieldError::new(
            "offer",
            Code::Required,
            "the offer is required",
        ));
    } else if offer.chars().count() > 200 {
        errs.push(FieldError::too_long("offer", 200));
    }
    let pc = input.pc_subscription_id.trim().to_ascii_lowercase();
    if !pc.is_empty()
        && (pc.len() != 36
            || !pc.split('-').map(str::len).eq([8usize, 4, 4, 4, 12])
            || !pc.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
    {
        errs.push(FieldError::new(
            "pc_subscription_id",
            Code::InvalidGuid,
            "a Partner Center subscription id is a GUID",
        ));
    }
    let quantity = match input.quantity.trim().parse::<i64>() {
        Ok(q) if (1..=1_000_000).contains(&q) => q,
        _ => {
            errs.push(FieldError::new(
                "quantity",
                Code::InvalidQuantity,
                "a whole number from 1",
            ));
            0
        }
    };
    let monthly_price_minor = match Money::written(&input.monthly_price, currency) {
        Ok(m) if m.minor >= 0 => m.minor,
        Ok(_) => {
            errs.push(FieldError::new(
                "monthly_price",
                Code::Negative,
                "must not be negative",
            ));
            0
        }
        Err(e) => {
            errs.push(FieldError::new(
                "monthly_price",
                Code::InvalidAmount,
                e.to_string(),
            ));
            0
        }
    };
    let start_on = match parse_date("start_on", &input.start_on) {
        Ok(d) => Some(d),
        Err(Error::Validation(mut e)) => {
            errs.append(&mut e);
            None
        }
        Err(e) => return Err(e),
    };
    let term = choice(
        &mut errs,
        "term",
        &input.term,
        Term::Monthly,
        Term::parse,
        Term::choices,
    );
    let billing = choice(
        &mut errs,
        "billing",
        &input.billing,
        Billing::Monthly,
        Billing::parse,
        Billing::choices,
    );
    if term == Term::Monthly && billing != Billing::Monthly {
        errs.push(FieldError::new(
            "billing",
            Code::Invalid,
            "a monthly term is billed monthly",
        ));
    }
    match (errs.is_empty(), start_on) {
        (true, Some(start_on)) => Ok(Valid {
            offer,
            pc_subscription_id: pc,
            quantity,
            monthly_price_minor,
            start_on,
            term,
            billing,
        }),
        _ => Err(Error::Validation(errs)),
    }
}

/// One of a set of words, `default` when left empty; an unknown word is a field error.
fn choice<T>(
    errs: &mut Vec<FieldError>,
    field: &str,
    text: &str,
    default: T,
    parse: fn(&str) -> Option<T>,
    choices: fn() -> String,
) -> T {
    match text.trim() {
        "" => default,
        t => parse(t).unwrap_or_else(|| {
            errs.push(FieldError::new(
                field,
                Code::Invalid,
                format!("one of {}", choices()),
            ));
            default
        }),
    }
}

const COLUMNS: &str = "id, customer_id, offer, pc_subscription_id, quantity, monthly_price_minor, \
                       currency, start_on, status, created_at, updated_at, term, billing, term_start_on";

fn from_row(r: &Row) -> rusqlite::Result<Subscription> {
    Ok(Subscription {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        offer: r.get(2)?,
        pc_subscription_id: r.get(3)?,
        quantity: r.get(4)?,
        monthly_price: Money::new(r.get(5)?, r.get(6)?),
        start_on: r.get(7)?,
        status: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
        term: r.get(11)?,
        billing: r.get(12)?,
        term_start_on: r.get(13)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Subscription> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM subscriptions WHERE id = ?1"),
        params![id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("subscription {id}")))
}

pub fn list_for_customer(conn: &Connection, customer_id: CustomerId) -> Result<Vec<Subscription>> {
    crate::store::rows(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM subscriptions WHERE customer_id = ?1 ORDER BY start_on, id"
        ),
        params![customer_id],
        from_row,
    )
}

/// Every active subscription (what Microsoft bills the partner for), by customer.
pub fn list_active(conn: &Connection) -> Result<Vec<Subscription>> {
    crate::store::rows(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM subscriptions WHERE status = 'active' ORDER BY customer_id, start_on, id"
        ),
        [],
        from_row,
    )
}

/// Adds an active subscription to a customer, priced in the customer's currency.
pub fn add(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: CustomerId,
    input: &SubscriptionInput,
) -> Result<Subscription> {
    let customer = customer::get(tx, customer_id)?;
    let v = validate(input, customer.fields.currency)?;
    let now = ctx.now_text();
    tx.execute(
        "INSERT INTO subscriptions (customer_id, offer, pc_subscription_id, quantity,
            monthly_price_minor, currency, start_on, status, created_at, updated_at,
            term, billing, term_start_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'active', ?8, ?8, ?9, ?10, ?7)",
        params![
            customer_id,
            v.offer,
            v.pc_subscription_id,
            v.quantity,
            v.monthly_price_minor,
            customer.fields.currency.code(),
            v.start_on.format("%Y-%m-%d").to_string(),
            now,
            v.term.as_str(),
            v.billing.as_str()
        ],
    )?;
    let s = get(tx, tx.last_insert_rowid())?;
    audit::record(tx, ctx, "subscription", s.id, "create", None, Some(&s))?;
    Ok(s)
}

/// Suspends, reactivates or cancels a subscription with a reason, a date and a note; the
/// event goes into the subscription's history and the audit trail.
pub fn change(
    tx: &Transaction,
    ctx: &Ctx,
    id: i64,
    action: SubscriptionAction,
    reason: Reason,
    on: NaiveDate,
    note: &str,
) -> Result<Subscription> {
    let before = get(tx, id)?;
    let note = note.trim();
    crate::error::at_most("note", note, 2000)?;
    // The history stays in order: a change is never dated before the one it follows (the
    // last change decides what a dunning run may lift or suspend).
    let last: Option<NaiveDate> = tx.query_row(
        "SELECT MAX(happened_on) FROM subscription_events WHERE subscription_id = ?1",
        params![id],
        |r| r.get(0),
    )?;
    if let Some(last) = last.filter(|last| on < *last) {
        return Err(Error::fields(
            FieldError::new(
                "on",
                Code::TooEarly,
                format!(
                    "the subscription last changed on {last}: a change cannot be dated before it"
                ),
            )
            .with("min", last.to_string()),
        ));
    }
    let new_status = match (action, before.status) {
        (_, SubscriptionStatus::Cancelled) => {
            return Err(Error::Conflict {
                field: "status".into(),
                message: "the subscription is cancelled".into(),
            })
        }
        (SubscriptionAction::Suspend, SubscriptionStatus::Active) => SubscriptionStatus::Suspended,
        (SubscriptionAction::Reactivate, SubscriptionStatus::Suspended) => {
            SubscriptionStatus::Active
        }
        (SubscriptionAction::Cancel, _) => SubscriptionStatus::Cancelled,
        (a, s) => {
            return Err(Error::Conflict {
                field: "status".into(),
                message: format!("cannot {a} a subscription that is {s}"),
            })
        }
    };
    tx.execute(
        "UPDATE subscriptions SET status = ?1, updated_at = ?2 WHERE id = ?3",
        params![new_status.as_str(), ctx.now_text(), id],
    )?;
    tx.execute(
        "INSERT INTO subscription_events (subscription_id, action, reason, happened_on, note, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            action.as_str(),
            reason.as_str(),
            on.format("%Y-%m-%d").to_string(),
            note,
            ctx.now_text()
        ],
    )?;
    let after = get(tx, id)?;
    #[derive(Serialize)]
    struct WithReason<'a> {
        #[serde(flatten)]
        s: &'a Subscription,
        reason: Option<Reason>,
        on: Option<NaiveDate>,
        note: &'a str,
    }
    audit::record(
        tx,
        ctx,
        "subscription",
        id,
        action.as_str(),
        Some(&WithReason {
            s: &before,
            reason: None,
            on: None,
            note: "",
        }),
        Some(&WithReason {
            s: &after,
            reason: Some(reason),
            on: Some(on),
            note,
        }),
    )?;
    Ok(after)
}

/// The day of every subscription's last change (a suspension, reactivation or
/// cancellation), by subscription id; those never changed are not listed.
pub fn last_changes(conn: &Connection) -> Result<std::collections::HashMap<i64, NaiveDate>> {
    let rows: Vec<(i64, NaiveDate)> = crate::store::rows(
        conn,
        "SELECT subscription_id, MAX(happened_on) FROM subscription_events GROUP BY subscription_id",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows.into_iter().collect())
}

pub fn events(conn: &Connection, subscription_id: i64) -> Result<Vec<SubscriptionEvent>> {
    crate::store::rows(
        conn,
        "SELECT id, subscription_id, action, reason, happened_on, note, recorded_at
         FROM subscription_events WHERE subscription_id = ?1 ORDER BY happened_on, id",
        params![subscription_id],
        |r| {
            Ok(SubscriptionEvent {
                id: r.get(0)?,
                subscription_id: r.get(1)?,
                action: r.get(2)?,
                reason: r.get(3)?,
                happened_on: r.get(4)?,
                note: r.get(5)?,
                recorded_at: r.get(6)?,
            })
        },
    )
}
