//! What the dunning plan says of a customer beside its invoices: why it is paused, or what
//! the reviewer should know. The window translates each kind; `english` is for the CLI.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::InvoiceId;
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
    /// A payment entered after run `run_id` shows it would have sent nothing on these
    /// invoices (the customer was under the minimum, or a payment plan kept then held them):
    /// its level was never reached, and this run takes it again.
    TakenAgain {
        run_id: i64,
        invoices: Vec<String>,
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
            Note::TakenAgain { run_id, invoices } => format!(
                "run {run_id}'s letter on {} was never due (a payment entered since shows it): its level is taken again",
                invoices.join(", ")
            ),
            Note::NoFeeInCurrency { currency } => {
                format!("no late fee: the policy has no fee in {currency}")
            }
        }
    }
}

/// A note for each run whose levels on the invoices this plan takes a level on were given
/// back (see [`Note::TakenAgain`]).
pub(super) fn taken_again(
    given_back: &HashMap<InvoiceId, BTreeSet<i64>>,
    invoices: &[super::PlanInvoice],
) -> Vec<Note> {
    let mut by_run: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for inv in invoices.iter().filter(|i| i.new_level.is_some()) {
        for run in given_back.get(&inv.invoice_id).into_iter().flatten() {
            by_run.entry(*run).or_default().push(inv.number.clone());
        }
    }
    by_run
        .into_iter()
        .map(|(run_id, invoices)| Note::TakenAgain { run_id, invoices })
        .collect()
}
