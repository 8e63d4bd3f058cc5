//! The demo's planted risks, beside the honest customers: a batch of look-alike sign-ups
//! (one e-mail domain, phone and contact person written three ways, created together,
//! cards not present, checks missing), a
//! purchase inside its cancellation window for a customer who has never paid, and a
//! customer in a region on the demo's high-risk list with a prepayment not received. (The
//! prepaid cards, full admin access with checks missing and the misuse are planted among
//! the forty customers of the main table.)

use chrono::{Duration, NaiveDate};
use rusqlite::Transaction;

use crate::customer::{
    self, AdminRelationshipInput, CustomerInput, OnboardingCheck, OnboardingItem,
};
use crate::store::settings;
use crate::subscription::{self, SubscriptionInput};
use crate::{Ctx, Result};

/// The demo owner's high-risk list (an editable setting; empty by default).
const HIGH_RISK: &str = "NG";

struct Planted {
    name: &'static str,
    domain: &'static str,
    country: &'static str,
    currency: &'static str,
    instrument: &'static str,
    phone: &'static str,
    contact: &'static str,
    credit_limit: &'static str,
    checks: &'static [OnboardingItem],
    /// (offer, seats, monthly price, term, days ago)
    subscription: (&'static str, i64, &'static str, &'static str, i64),
}

const LOOKALIKE_CHECKS: &[OnboardingItem] = &[OnboardingItem::Mfa];

/// One of three look-alike sign-ups: one domain, one phone, one contact person written
/// another way each time, names a word apart, each signed up `days_ago` with an Azure plan
/// on a credit card.
const fn apex(name: &'static str, contact: &'static str, days_ago: i64) -> Planted {
    Planted {
        name,
        domain: "apex-cloud-group.biz",
        country: "GB",
        currency: "GBP",
        instrument: "credit_card",
        phone: "+44 20 7946 0321",
        contact,
        credit_limit: "3000",
        checks: LOOKALIKE_CHECKS,
        subscription: ("Azure plan", 1, "900", "monthly", days_ago),
    }
}

const PLANTED: &[Planted] = &[
    apex("Apex Cloud Trading Ltd", "Daniel Okafor", 3),
    apex("Apex Cloud Services Ltd", "OKAFOR, Daniel", 2),
    apex("Apex Cloud Solutions Ltd", "Mr. Daniel Okafor", 1),
    Planted {
        name: "Nimbus Startup Studio Pte. Ltd.",
        domain: "nimbus-studio.sg",
        country: "SG",
        currency: "SGD",
        instrument: "bank_transfer",
        phone: "+65 6123 4567",
        contact: "Accounts",
        credit_limit: "5000",
        checks: &[
            OnboardingItem::PhoneContact,
            OnboardingItem::Mfa,
            OnboardingItem::IdentityVerified,
            OnboardingItem::PolicyAcknowledged,
        ],
        subscription: ("Microsoft 365 Business Premium", 25, "30", "annual", 2),
    },
    Planted {
        name: "Lagos Cloud Ventures Ltd",
        domain: "lagoscloudventures.ng",
        country: "NG",
        currency: "USD",
        instrument: "bank_transfer",
        phone: "+234 1 234 5678",
        contact: "Accounts",
        credit_limit: "4000",
        checks: &[
            OnboardingItem::PhoneContact,
            OnboardingItem::Mfa,
            OnboardingItem::IdentityVerified,
        ],
        subscription: ("Azure plan", 1, "1500", "monthly", 10),
    },
];

pub(super) fn count() -> usize {
    PLANTED.len()
}

pub(super) fn load(tx: &Transaction, ctx: &Ctx, today: NaiveDate) -> Result<()> {
    settings::set(tx, ctx, "risk.high_risk_countries", HIGH_RISK)?;
    for (i, p) in PLANTED.iter().enumerate() {
        let c = customer::create(
            tx,
            ctx,
            &CustomerInput {
                legal_name: p.name.into(),
                tenant_id: super::guid(900 + i as u64),
                primary_domain: p.domain.into(),
                country: p.country.into(),
                contact_name: p.contact.into(),
                phone: p.phone.into(),
                email: format!("admin@{}", p.domain),
                currency: p.currency.into(),
                language: "en".into(),
                payment_terms_days: "14".into(),
                credit_limit: p.credit_limit.into(),
                payment_instrument: p.instrument.into(),
                card_present: false,
                admin_access: "limited".into(),
                status: "active".into(),
                ..Default::default()
            },
        )?;
        for item in p.checks {
            customer::record_check(
                tx,
                ctx,
                c.id,
                &OnboardingCheck {
                    item: *item,
                    done_on: today - Duration::days(p.subscription.4 + 1),
                    done_by: ctx.actor.clone(),
                    reference: String::new(),
                    note: String::new(),
                },
            )?;
        }
        let (offer, seats, price, term, ago) = p.subscription;
        subscription::add(
            tx,
            ctx,
            c.id,
            &SubscriptionInput {
                offer: offer.into(),
                pc_subscription_id: super::guid(950 + i as u64),
                quantity: seats.to_string(),
                monthly_price: price.into(),
                start_on: (today - Duration::days(ago)).to_string(),
                term: term.into(),
                ..Default::default()
            },
        )?;
        if p.country == HIGH_RISK {
            let amount = c.fields.credit_limit;
            crate::receivables::request_prepayment(
                tx,
                ctx,
                c.id,
                amount,
                today - Duration::days(3),
                "Prepayment before provisioning (customer in a high-risk region).",
            )?;
        }
    }
    Ok(())
}

/// Admin relationships (GDAP) for the active customers of the main table: least-privilege
/// roles for two years, one running out in ten days, and a Global Administrator role granted
/// to the customer with full access and checks missing.
pub(super) fn admin_relationships(tx: &Transaction, ctx: &Ctx, today: NaiveDate) -> Result<()> {
    let customers = customer::all(tx)?;
    for (i, c) in customers.iter().enumerate() {
        if c.fields.status != customer::Status::Active || c.fields.tenant_id.is_none() {
            continue;
        }
        let (name, roles, global_admin, starts) = match c.fields.legal_name.as_str() {
            super::FULL_ADMIN_PLANT => (
                "Onboarding - full access",
                "Global Administrator",
                true,
                today - Duration::days(40),
            ),
            "Formosa Semiconductor Tools Co., Ltd." => (
                "Support and billing",
                "Helpdesk Agent; License Administrator; Billing Administrator",
                false,
                today + Duration::days(10) - Duration::days(customer::MAX_DAYS),
            ),
            _ => (
                "Support and billing",
                "Helpdesk Agent; License Administrator; Billing Administrator",
                false,
                today - Duration::days(30 + (i as i64 * 37) % 600),
            ),
        };
        customer::add_admin_relationship(
            tx,
            ctx,
            c.id,
            &AdminRelationshipInput {
                name: name.into(),
                roles: roles.into(),
                global_admin,
                starts_on: starts.to_string(),
                expires_on: (starts + Duration::days(customer::MAX_DAYS)).to_string(),
            },
        )?;
    }
    Ok(())
}
