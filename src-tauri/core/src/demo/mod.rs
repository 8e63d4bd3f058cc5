//! The demo company's book: forty customers in Taiwan, the US and elsewhere, with varied
//! onboarding states, payment instruments and subscriptions, and five planted risks
//! (`planted`). Deterministic: the same `today` gives the same records.

use crate::ids::CustomerId;
use chrono::{Duration, NaiveDate};
use rusqlite::{OptionalExtension, Transaction};

use crate::customer::{self, CustomerInput, OnboardingCheck, OnboardingItem};
use crate::money::Money;
use crate::receivables::{self, InvoiceKind, InvoiceLine, NewInvoice, NewPayment, PaymentKind};
use crate::store::settings;
use crate::subscription::{self, SubscriptionInput};
use crate::{Ctx, Error, Result};

mod planted;
mod specs;

use specs::{HISTORY, SPECS};

/// A deterministic GUID from a seed (not random: the demo must repeat).
fn guid(seed: u64) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    let mut next = || {
        x ^= x >> 33;
        x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        x ^= x >> 33;
        x
    };
    let a = next();
    let b = next();
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) as u16,
        (a & 0xfff) as u16,
        (b >> 52) as u16 & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

/// Planted: full administrator access granted while onboarding checks are missing.
pub(super) const FULL_ADMIN_PLANT: &str = "Taipei Digital Marketing Ltd.";
/// Honest customers still waiting for their credit report.
const ONE_CHECK_LEFT: &[OnboardingItem] = &[
    OnboardingItem::PhoneContact,
    OnboardingItem::Mfa,
    OnboardingItem::IdentityVerified,
    OnboardingItem::CardFraudCheck,
    OnboardingItem::PolicyAcknowledged,
];

/// Fills an empty database with the demo company's customers.
pub fn load(tx: &Transaction, ctx: &Ctx, today: NaiveDate) -> Result<usize> {
    if customer::count(tx)? > 0 {
        return Err(Error::Conflict {
            field: "database".into(),
            message: "the demo goes into an empty database; this one already has customers (use --db to choose another file)".into(),
        });
    }
    for (i, spec) in SPECS.iter().enumerate() {
        let n = i as u64;
        // Status mix: most active, some prospects, a few on hold, suspended or closed.
        let status = match i % 10 {
            3 => "prospect",
            7 if i > 10 => "on_hold",
            _ => "active",
        };
        let card = matches!(
            spec.instrument,
            "credit_card" | "debit_card" | "prepaid_card" | "stored_value_card"
        );
        let credit_limit = match spec.currency {
            "TWD" => ["100000", "300000", "50000", "800000"][i % 4],
            "JPY" => "500000",
            _ => ["5000", "12000", "2500", "30000"][i % 4],
        };
        let one_check_left = i % 4 == 3;
        let input = CustomerInput {
            legal_name: spec.name.into(),
            tenant_id: if status == "prospect" {
                String::new()
            } else {
                guid(n + 1)
            },
            primary_domain: spec.domain.into(),
            country: spec.country.into(),
            address: spec.address.into(),
            contact_name: spec.contact.into(),
            phone: spec.phone.into(),
            email: format!("billing@{}", spec.domain),
            tax_id: if spec.country == "TW" {
                // A unified business number whose check digit holds.
                let mut t = 24_000_000 + n * 1_379;
                while !crate::identity::tw_business_number_ok(&format!("{t:08}")) {
                    t += 1;
                }
                format!("{t:08}")
            } else {
                String::new()
            },
            currency: spec.currency.into(),
            language: spec.language.into(),
            payment_terms_days: ["30", "14", "45", "0", "60"][i % 5].into(),
            credit_limit: credit_limit.into(),
            payment_instrument: spec.instrument.into(),
            card_present: card && i % 3 == 0,
            admin_access: if spec.name == FULL_ADMIN_PLANT {
                "full"
            } else if one_check_left {
                ["limited", "none"][i % 2]
            } else {
                ["limited", "none", "full"][i % 3]
            }
            .into(),
            status: status.into(),
            notes: match spec.name {
                "QuickMine Compute LLC" => {
                    "Signed up online with a prepaid card; asked for 200 vCPU quota in week one."
                        .into()
                }
                "FastCloud Resale Ltd." => "PO box address; contact only answers e-mail.".into(),
                _ => String::new(),
            },
            // Taiwanese customers pay to a virtual account of their own.
            virtual_account: if spec.currency == "TWD" {
                format!("9988-{:04}-{:04}", 12, i + 1)
            } else {
                String::new()
            },
            payer_names: String::new(),
            billing_email: String::new(),
        };
        let c = customer::create(tx, ctx, &input)?;
        let start = today - Duration::days(30 * (3 + (i as i64 * 7) % 30));

        // Onboarding: honest accounts have everything or one check still to do; the
        // prepaid cards almost nothing; one has full admin access with checks missing.
        let done: &[OnboardingItem] = match (spec.instrument, spec.name) {
            ("prepaid_card", _) | ("stored_value_card", _) => &[OnboardingItem::Mfa],
            (_, FULL_ADMIN_PLANT) => &[OnboardingItem::PhoneContact, OnboardingItem::CreditCheck],
            _ if one_check_left => ONE_CHECK_LEFT,
            _ => OnboardingItem::ALL,
        };
        if status != "prospect" {
            for (k, item) in done.iter().enumerate() {
                if *item == OnboardingItem::CardFraudCheck && !card {
                    continue;
                }
                customer::record_check(
                    tx,
                    ctx,
                    c.id,
                    &OnboardingCheck {
                        item: *item,
                        done_on: start - Duration::days(10 - k as i64),
                        done_by: ctx.actor.clone(),
                        reference: if *item == OnboardingItem::CreditCheck {
                            format!("TCRI-{}-{:05}", start.format("%Y"), 10_000 + i * 37)
                        } else {
                            String::new()
                        },
                        note: String::new(),
                    },
                )?;
            }
        }
        if status == "prospect" {
            continue;
        }

        // Subscriptions: an Azure plan for most, seats of Microsoft 365 for many.
        let seat_price = match spec.currency {
            "TWD" => "660",
            "JPY" => "2750",
            "HKD" => "170",
            "SGD" => "30",
            "EUR" | "GBP" => "20.60",
            "MYR" => "95",
            "THB" => "750",
            "AUD" => "33.90",
            _ => "22.00",
        };
        let azure_price = match spec.currency {
            "TWD" => "45000",
            "JPY" => "200000",
            "HKD" => "9000",
            "SGD" => "1600",
            "MYR" => "5200",
            "THB" => "40000",
            _ => "1200.00",
        };
        let mut subs = Vec::new();
        if i % 5 != 4 {
            subs.push(subscription::add(
                tx,
                ctx,
                c.id,
                &SubscriptionInput {
                    offer: "Azure plan".into(),
                    pc_subscription_id: guid(1000 + n),
                    quantity: "1".into(),
                    monthly_price: azure_price.into(),
                    start_on: start.format("%Y-%m-%d").to_string(),
                    ..Default::default()
                },
            )?);
        }
        if i % 3 != 2 {
            let offer = [
                "Microsoft 365 Business Premium",
                "Microsoft 365 Business Standard",
                "Microsoft 365 E3",
            ][i % 3];
            subs.push(subscription::add(
                tx,
                ctx,
                c.id,
                &SubscriptionInput {
                    offer: offer.into(),
                    pc_subscription_id: guid(2000 + n),
                    quantity: (5 + (i * 13) % 120).to_string(),
                    monthly_price: seat_price.into(),
                    start_on: (start + Duration::days(14)).format("%Y-%m-%d").to_string(),
                    // New-commerce seats: an annual term billed monthly.
                    term: "annual".into(),
                    ..Default::default()
                },
            )?);
        }
        if i % 7 == 1 {
            subs.push(subscription::add(
                tx,
                ctx,
                c.id,
                &SubscriptionInput {
                    offer: "Exchange Online (Plan 1)".into(),
                    pc_subscription_id: guid(3000 + n),
                    quantity: "10".into(),
                    monthly_price: seat_price.into(),
                    start_on: (start + Duration::days(60)).format("%Y-%m-%d").to_string(),
                    ..Default::default()
                },
            )?);
        }

        // A history of suspensions: the crypto-miner, the reseller of stolen
        // subscriptions, late payers (one that paid), a customer who left.
        if let (Some((_, changes, status)), Some(sid)) = (
            HISTORY.iter().find(|h| h.0 == spec.name),
            subs.first().map(|s| s.id),
        ) {
            for (action, reason, days_ago, note) in *changes {
                let on = today - Duration::days(*days_ago);
                subscription::change(tx, ctx, sid, *action, *reason, on, note)?;
            }
            if let Some((action, reason)) = status {
                customer::change_status(tx, ctx, c.id, *action, reason, "")?;
            }
        }
    }
    load_letterhead(tx, ctx)?;
    load_receivables(tx, ctx, today)?;
    crate::usage::demo::load(tx, ctx, today)?;
    planted::load(tx, ctx, today)?;
    planted::admin_relationships(tx, ctx, today)?;
    demo_plan(tx, ctx, today)?;
    crate::bank::demo::load(tx, ctx, today)?;
    crate::microsoft::demo::load(tx, ctx, today)?;
    crate::risk::refresh(tx, ctx)?;
    Ok(SPECS.len() + planted::count())
}

/// A payment plan kept by one customer in arrears: the overdue invoices of the Taiwanese
/// customer who owes the most on them, over six months at 8 % a year.
fn demo_plan(tx: &Transaction, ctx: &Ctx, today: NaiveDate) -> Result<()> {
    let chosen: Option<i64> = tx
        .query_row(
            "SELECT i.customer_id FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE i.settled_on = '9999-12-31' AND i.disputed = 0 AND i.currency = 'TWD' AND i.due_on < ?1
               AND c.status = 'active'
             GROUP BY i.customer_id
             ORDER BY sum(i.total_minor) DESC, i.customer_id LIMIT 1",
            [today.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let Some(customer) = chosen else {
        return Ok(());
    };
    let invoices: Vec<crate::ids::InvoiceId> = crate::store::rows(
        tx,
        "SELECT id FROM invoices WHERE customer_id = ?1 AND settled_on = '9999-12-31' AND disputed = 0
           AND currency = 'TWD' AND due_on < ?2 ORDER BY due_on, id",
        rusqlite::params![customer, today.to_string()],
        |r| r.get(0),
    )?;
    crate::plans::create(
        tx,
        ctx,
        &crate::plans::NewPlan {
            customer_id: crate::ids::CustomerId(customer),
            invoices,
            schedule: crate::plans::Schedule::Equal {
                count: 6,
                first: today + Duration::days(14),
                every: crate::plans::Every::Month,
            },
            rate_bp: 800,
            note: "Agreed by phone with the owner; first instalment in two weeks.".into(),
        },
    )?;
    Ok(())
}

fn load_letterhead(tx: &Transaction, ctx: &Ctx) -> Result<()> {
    for (k, v) in [
        ("letterhead.name", "雲橋科技有限公司 CloudBridge Ltd."),
        ("letterhead.address", "台北市大安區復興南路一段 1 號 8 樓\nNo. 1, Sec. 1, Fuxing S. Rd., 8F, Taipei 106"),
        ("letterhead.tax_id", "53212539"),
        ("letterhead.phone", "+886 2 2700 1234"),
        ("letterhead.email", "billing@cloudbridge.example"),
        ("letterhead.payment_instructions", "玉山銀行 E.SUN Bank (808), account 0123-456-789012, 雲橋科技有限公司 CloudBridge Ltd. Please quote the invoice numbers. 請註明發票號碼。"),
        ("paper", "a4"),
    ] {
        settings::set(tx, ctx, k, v)?;
    }
    Ok(())
}

/// Invoices and payments so that every level of the default policy is reached by
/// someone, with a dispute, a pending promise, a broken promise, a partial payment, a
/// credit note and a customer who paid a quarter ahead among them.
fn load_receivables(tx: &Transaction, ctx: &Ctx, today: NaiveDate) -> Result<()> {
    // Days the oldest unpaid invoice is overdue, by customer index modulo 8.
    const PROFILE: [Option<i64>; 8] = [
        None,
        None,
        None,
        Some(10),
        Some(25),
        Some(35),
        Some(50),
        Some(100),
    ];
    for (i, c) in customer::all(tx)?.into_iter().enumerate() {
        if matches!(
            c.fields.status,
            customer::Status::Prospect | customer::Status::Closed
        ) {
            continue;
        }
        let cur = c.fields.currency;
        let subs = subscription::list_for_customer(tx, c.id)?;
        let mut lines: Vec<InvoiceLine> = subs
            .iter()
            .map(|s| InvoiceLine {
                description: format!("{} x {}", s.offer, s.quantity),
                quantity: s.quantity,
                unit_price_minor: s.monthly_price.minor,
                subscription_id: Some(s.id),
            })
            .collect();
        if lines.is_empty() {
            let fee = Money::parse(if cur.exponent() == 0 { "15000" } else { "3000" }, cur)
                .map(|m| m.minor)
                .unwrap_or(300_000);
            lines.push(InvoiceLine {
                description: "Managed services".into(),
                quantity: 1,
                unit_price_minor: fee,
                subscription_id: None,
            });
        }
        let target = PROFILE[i % 8];
        let terms = c.fields.payment_terms_days;
        // (days from today to the due date, paid?)
        let mut plan: Vec<(i64, bool)> = match target {
            Some(t) => vec![(-t - 60, true), (-t - 30, true), (-t, false)],
            None => vec![(-60, true), (-30, true)],
        };
        plan.push((10, false));
        let method = if c.fields.payment_instrument.as_str().ends_with("_card") {
            "card"
        } else {
            "bank transfer"
        };
        let mut last_paid = None;
        for (k, (due_in, paid)) in plan.into_iter().enumerate() {
            let due_on = today + Duration::days(due_in);
            let issued_on = due_on - Duration::days(terms);
            let number = format!(
                "INV-{}-{:03}{}",
                issued_on.format("%y%m"),
                c.id,
                (b'A' + k as u8) as char
            );
            let inv = receivables::insert_invoice(
                tx,
                ctx,
                &NewInvoice {
                    number: number.clone(),
                    customer_id: c.id,
                    kind: InvoiceKind::Invoice,
                    issued_on,
                    due_on: Some(due_on),
                    currency: cur,
                    lines: lines.clone(),
                    requires_prepayment: false,
                },
            )?;
            if paid {
                let on = (due_on - Duration::days(3)).max(issued_on);
                last_paid = Some(pay(
                    tx,
                    ctx,
                    c.id,
                    &format!("PAY-{number}"),
                    on,
                    inv.total,
                    PaymentKind::Payment,
                    method,
                )?);
            }
        }
        // The customer suspended for a card charge-back: its last card payment taken back.
        if c.fields.legal_name == "FastCloud Resale Ltd." {
            if let Some(p) = last_paid {
                receivables::return_payment(
                    tx,
                    ctx,
                    &receivables::NewReturn {
                        payment_id: p,
                        returned_on: today - Duration::days(5),
                        reason: receivables::ReturnReason::Chargeback,
                        note: "Card issuer: the cardholder did not authorise the charge.".into(),
                    },
                )?;
            }
        }
        // Special cases that exercise the pauses and partial payments.
        let open = receivables::open_items(tx, today, Some(c.id))?;
        let oldest = open
            .iter()
            .filter(|o| o.days_overdue > 0)
            .min_by_key(|o| o.due_on)
            .cloned();
        match (i, oldest) {
            (5, Some(o)) => {
                receivables::set_dispute(tx, ctx, o.invoice_id, true, "Customer says 20 Business Standard seats were cancelled; checking Partner Center.")?;
            }
            (12, Some(_)) => {
                receivables::add_promise(
                    tx,
                    ctx,
                    c.id,
                    today - Duration::days(2),
                    today + Duration::days(5),
                    open[0].due.minor,
                    "Accountant promised by phone.",
                )?;
            }
            (14, Some(o)) => {
                receivables::add_promise(
                    tx,
                    ctx,
                    c.id,
                    today - Duration::days(20),
                    today - Duration::days(6),
                    o.due.minor,
                    "Promised after the reminder; not kept.",
                )?;
            }
            (15, Some(o)) => {
                let part = Money::new(o.due.minor / 3, cur);
                pay(
                    tx,
                    ctx,
                    c.id,
                    "PART-1",
                    today - Duration::days(40),
                    part,
                    PaymentKind::Payment,
                    "bank transfer",
                )?;
            }
            (8, _) => {
                // Paid a quarter ahead: three months of its plan, which the book holds as
                // credit until invoices take it (the aging's "Credit held").
                let month = lines
                    .iter()
                    .map(|l| l.quantity.saturating_mul(l.unit_price_minor))
                    .fold(0i64, i64::saturating_add);
                pay(
                    tx,
                    ctx,
                    c.id,
                    "PREPAY-Q",
                    today - Duration::days(4),
                    Money::new(month.saturating_mul(3), cur),
                    PaymentKind::Payment,
                    "bank transfer",
                )?;
            }
            (1, _) => {
                let credit = Money::parse(if cur.exponent() == 0 { "1000" } else { "100" }, cur)
                    .unwrap_or(Money::zero(cur));
                pay(
                    tx,
                    ctx,
                    c.id,
                    "CN-2026-001",
                    today - Duration::days(15),
                    credit,
                    PaymentKind::CreditNote,
                    "",
                )?;
            }
            _ => {}
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn pay(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: CustomerId,
    reference: &str,
    on: NaiveDate,
    amount: Money,
    kind: PaymentKind,
    method: &str,
) -> Result<i64> {
    let p = receivables::record_payment(
        tx,
        ctx,
        &NewPayment {
            customer_id,
            kind,
            received_on: on,
            amount,
            method: method.into(),
            reference: reference.into(),
            invoice_number: None,
        },
    )?;
    Ok(p.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_guids_are_well_formed_and_distinct() {
        let a = guid(1);
        assert_eq!(a.len(), 36);
        assert_ne!(guid(1), guid(2));
        assert_eq!(guid(7), guid(7));
    }
}
