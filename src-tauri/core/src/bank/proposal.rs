//! What RiskDesk proposes a line pays: the confidence, the customer, the invoices and amounts,
//! a bank fee, the rest as credit, and the reasons, each translated in the window.

use serde::Serialize;

use super::BankLine;
use crate::error::Params;
use crate::ids::{CustomerId, InvoiceId};
use crate::money::Money;
use crate::text_enum::text_enum;

text_enum!(
    Confidence {
        Sure = "sure",
        Likely = "likely",
        Unsure = "unsure",
    }
);

text_enum!(
    /// Why a proposal says what it says (each translated in the window).
    Reason {
        NamesInvoice = "names_invoice",
        VirtualAccount = "virtual_account",
        PayerName = "payer_name",
        ContactPerson = "contact_person",
        AmountMatches = "amount_matches",
        BankFee = "bank_fee",
        AmountDiffers = "amount_differs",
        AmountOnly = "amount_only",
        SeveralCustomers = "several_customers",
        Conflict = "conflict",
        OtherCurrency = "other_currency",
        ConvertedEstimate = "converted_estimate",
        NothingFound = "nothing_found",
        Reversal = "reversal",
        SendsBack = "sends_back",
        SameReference = "same_reference",
        SameAccount = "same_account",
        OnlyPayment = "only_payment",
        SeveralPayments = "several_payments",
        NoPaymentFound = "no_payment_found",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Why {
    pub reason: Reason,
    pub params: Params,
}

pub(super) fn why(reason: Reason, params: &[(&'static str, String)]) -> Why {
    Why {
        reason,
        params: params.iter().cloned().collect(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allocation {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub amount: Money,
}

/// What a line most likely pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub confidence: Confidence,
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    pub allocations: Vec<Allocation>,
    /// The shortfall written off as a bank fee, within the tolerance.
    pub fee: Option<Money>,
    /// What is left of the line after the allocations (the customer's credit).
    pub credit: Option<Money>,
    pub reasons: Vec<Why>,
}

/// A line with its proposal (incoming lines waiting for review only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub line: BankLine,
    pub proposal: Option<Proposal>,
}

/// Lines (waiting for review only with `open_only`) with their proposals.
pub fn review(conn: &rusqlite::Connection, open_only: bool) -> crate::Result<Vec<Review>> {
    let book = super::Book::load(conn)?;
    let mut out = Vec::new();
    for line in super::lines(conn, open_only)? {
        let proposal = if super::returns::sends_back(&line) {
            Some(super::returns::proposal(conn, &line)?.0)
        } else {
            book.propose(&line)
        };
        out.push(Review { proposal, line });
    }
    Ok(out)
}

/// A proposal that names no customer: the owner decides.
pub(super) fn nobody(reasons: Vec<Why>) -> Proposal {
    Proposal {
        confidence: Confidence::Unsure,
        customer_id: None,
        customer_name: String::new(),
        allocations: vec![],
        fee: None,
        credit: None,
        reasons,
    }
}
