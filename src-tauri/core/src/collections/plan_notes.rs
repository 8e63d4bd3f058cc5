//! What the dunning plan says of a customer beside its invoices: why it is paused, or what
//! the reviewer should know. The window translates each kind; `english` is for the CLI.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::{Currency, Money};

/// Why a customer is paused, or what the reviewer should know; the window translates it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    PromisePending {
        amount: Money,
        pay_by: NaiveDate,
    },
    PromiseBroken {
        amount: Money,
        pay_by: NaiveDate,
    },
    Disputed {
        invoices: Vec<String>,
    },
    /// Invoices in a payment plan that is kept: not dunned while it is.
    PaymentPlan {
        plan_id: i64,
        invoices: Vec<String>,
    },
    /// A payment plan broke (or was cancelled) on this day: dunning resumes for its invoices.
    PlanEnded {
        plan_id: i64,
        on: NaiveDate,
    },
    /// The level has late fees, but none in the customer's currency: no fee is charged.
    NoFeeInCurrency {
        currency: Currency,
    },
}

impl Note {
    pub fn english(&self) -> String {
        match self {
            Note::PromisePending { amount, pay_by } => {
                format!("promise to pay {} by {pay_by}", amount.format())
            }
            Note::PromiseBroken { amount, pay_by } => {
                format!("broken promise: {} by {pay_by}", amount.format())
            }
            Note::Disputed { invoices } => format!("disputed: {}", invoices.join(", ")),
            Note::PaymentPlan { plan_id, invoices } => {
                format!("in payment plan {plan_id}: {}", invoices.join(", "))
            }
            Note::PlanEnded { plan_id, on } => format!("payment plan {plan_id} ended on {on}"),
            Note::NoFeeInCurrency { currency } => {
                format!("no late fee: the policy has no fee in {currency}")
            }
        }
    }
}
