//! A debit that reverses a credit: the bank sending a customer's payment back (a returned
//! transfer, a recall). It is matched to the payment it undoes (by the bank's reference,
//! else the account that paid, else the only payment of that amount in the 90 days
//! before), never surely; recording it takes that payment back, so what it paid is owed
//! again (`receivables::return_payment`).

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, Transaction};

use super::numbers::squeeze;
use super::proposal::{nobody, why};
use super::{line, BankLine, Booked, Confidence, Direction, LineStatus, Proposal, Reason};
use crate::ids::CustomerId;
use crate::money::Money;
use crate::receivables::{self, NewReturn, ReturnReason};
use crate::{audit, Ctx, Error, Result};

/// How far back a payment sent back is looked for.
const LOOK_BACK_DAYS: i64 = 90;

/// A line waiting for review that sends a payment back.
pub(super) fn sends_back(l: &BankLine) -> bool {
    l.entry.direction == Direction::Debit && l.entry.reversal && l.status == LineStatus::Open
}

struct Candidate {
    payment_id: i64,
    reference: String,
    customer_id: CustomerId,
    customer_name: String,
    bank_reference: String,
    payer_account: String,
}

fn candidates(conn: &Connection, l: &BankLine) -> Result<Vec<Candidate>> {
    let since: NaiveDate = l.entry.booked_on - Duration::days(LOOK_BACK_DAYS);
    crate::store::rows(
        conn,
        "SELECT p.id, p.reference, c.id, c.legal_name, COALESCE(b.reference, ''), COALESCE(b.payer_account, '')
         FROM payments p JOIN customers c ON c.id = p.customer_id
         LEFT JOIN bank_lines b ON b.payment_id = p.id AND b.direction = 'credit'
         WHERE p.kind = 'payment' AND p.amount_minor = ?1 AND p.currency = ?2
           AND p.received_on <= ?3 AND p.received_on >= ?4
           AND NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id)
         ORDER BY p.received_on DESC, p.id DESC",
        params![
            l.entry.amount.minor,
            l.entry.amount.currency,
            l.entry.booked_on.to_string(),
            since.to_string()
        ],
        |r| {
            Ok(Candidate {
                payment_id: r.get(0)?,
                reference: r.get(1)?,
                customer_id: r.get(2)?,
                customer_name: r.get(3)?,
                bank_reference: r.get(4)?,
                payer_account: r.get(5)?,
            })
        },
    )
}

/// What the line most likely sends back, and the payment (None: the owner decides).
pub(super) fn proposal(conn: &Connection, l: &BankLine) -> Result<(Proposal, Option<i64>)> {
    let found = candidates(conn, l)?;
    let words = squeeze(&format!("{} {}", l.entry.reference, l.entry.text));
    let names = |c: &Candidate| {
        [&c.bank_reference, &c.reference]
            .iter()
            .map(|r| squeeze(r))
            .any(|r| r.chars().count() >= 4 && words.contains(&r))
    };
    let account = squeeze(&l.entry.payer_account);
    let same_account = |c: &Candidate| !account.is_empty() && squeeze(&c.payer_account) == account;
    let pick = |keep: &dyn Fn(&Candidate) -> bool| {
        let hits: Vec<&Candidate> = found.iter().filter(|c| keep(c)).collect();
        (hits.len() == 1).then(|| hits[0])
    };
    let (chosen, how, confidence) = if let Some(c) = pick(&names) {
        (c, Reason::SameReference, Confidence::Likely)
    } else if let Some(c) = pick(&same_account) {
        (c, Reason::SameAccount, Confidence::Likely)
    } else if found.len() == 1 {
        (&found[0], Reason::OnlyPayment, Confidence::Unsure)
    } else {
        let reason = if found.is_empty() {
            Reason::NoPaymentFound
        } else {
            Reason::SeveralPayments
        };
        return Ok((nobody(vec![why(reason, &[])]), None));
    };
    let proposal = Proposal {
        confidence,
        customer_id: Some(chosen.customer_id),
        customer_name: chosen.customer_name.clone(),
        allocations: vec![],
        fee: None,
        credit: None,
        reasons: vec![
            why(
                Reason::SendsBack,
                &[("reference", chosen.reference.clone())],
            ),
            why(how, &[]),
        ],
    };
    Ok((proposal, Some(chosen.payment_id)))
}

/// Records the payment the line sends back as returned on the line's day, and the line as
/// booked to it (audited).
pub(super) fn record(tx: &Transaction, ctx: &Ctx, l: &BankLine) -> Result<Booked> {
    let (p, payment_id) = proposal(tx, l)?;
    let (Some(payment_id), Some(customer_id)) = (payment_id, p.customer_id) else {
        return Err(Error::Conflict {
            field: "line".into(),
            message: format!(
                "bank line {} sends a payment back but none can be named: set it aside and record the return on the customer's page",
                l.id
            ),
        });
    };
    receivables::return_payment(
        tx,
        ctx,
        &NewReturn {
            payment_id,
            returned_on: l.entry.booked_on,
            reason: ReturnReason::Returned,
            note: format!("bank line {} of {}", l.id, l.account),
        },
    )?;
    tx.execute(
        "UPDATE bank_lines SET status = 'booked', payment_id = ?1, decided_at = ?2, decided_by = ?3 WHERE id = ?4",
        params![payment_id, ctx.now_text(), ctx.actor, l.id],
    )?;
    let after = line(tx, l.id)?;
    audit::record(
        tx,
        ctx,
        "bank_line",
        l.id,
        "sent_back",
        Some(l),
        Some(&after),
    )?;
    Ok(Booked {
        line_id: l.id,
        payment_id,
        customer_id,
        received: Money::new(0, l.entry.amount.currency),
        allocated: Money::new(0, l.entry.amount.currency),
        fee_written_off: None,
        sent_back: true,
        corrections: crate::collections::charged_again_by(tx, payment_id)?,
    })
}
