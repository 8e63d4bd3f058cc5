//! Reading and writing customer records; every change audited in its transaction.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::*;
use crate::error::Code;
use crate::money::{Currency, Money};
use crate::{audit, Ctx, Error, FieldError, Result};

pub(super) const COLUMNS: &str = "id, legal_name, tenant_id, primary_domain, country, address, contact_name, phone, \
     email, tax_id, currency, language, payment_terms_days, credit_limit_minor, payment_instrument, \
     card_present, admin_access, status, notes, created_at, updated_at, virtual_account, payer_names, billing_email";

pub(super) fn from_row(r: &Row) -> rusqlite::Result<Customer> {
    let currency: String = r.get(10)?;
    let currency = Currency::parse(&currency).ok_or_else(|| bad_column(10, "currency"))?;
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    Ok(Customer {
        id: r.get(0)?,
        fields: CustomerFields {
            legal_name: text(1)?,
            tenant_id: r.get(2)?,
            primary_domain: text(3)?,
            country: text(4)?,
            address: text(5)?,
            contact_name: text(6)?,
            phone: text(7)?,
            email: text(8)?,
            tax_id: text(9)?,
            currency,
            language: Language::parse(&text(11)?).ok_or_else(|| bad_column(11, "language"))?,
            payment_terms_days: r.get(12)?,
            credit_limit: Money::new(r.get(13)?, currency),
            payment_instrument: PaymentInstrument::parse(&text(14)?)
                .ok_or_else(|| bad_column(14, "payment instrument"))?,
            card_present: r.get::<_, i64>(15)? != 0,
            admin_access: AdminAccess::parse(&text(16)?)
                .ok_or_else(|| bad_column(16, "admin access"))?,
            status: Status::parse(&text(17)?).ok_or_else(|| bad_column(17, "status"))?,
            notes: text(18)?,
            virtual_account: text(21)?,
            payer_names: split_names(&text(22)?),
            billing_email: text(23)?,
        },
        created_at: text(19)?,
        updated_at: text(20)?,
    })
}

/// The stored `;`-separated payer names.
fn split_names(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn get(conn: &Connection, id: CustomerId) -> Result<Customer> {
    // Cached: a dunning plan reads thousands of customers one by one.
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"))?
        .query_row(params![id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("customer {id}")))
}

pub fn find_by_tenant(conn: &Connection, tenant_id: &str) -> Result<Option<Customer>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM customers WHERE tenant_id = ?1"),
            params![tenant_id],
            from_row,
        )
        .optional()?)
}

/// Every customer of this exact legal name (for imports).
pub fn find_by_name(conn: &Connection, legal_name: &str) -> Result<Vec<Customer>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM customers WHERE legal_name = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![legal_name], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn check_tenant_unique(
    conn: &Connection,
    f: &CustomerFields,
    own_id: Option<CustomerId>,
) -> Result<()> {
    if let Some(tenant) = &f.tenant_id {
        if let Some(other) = find_by_tenant(conn, tenant)? {
            if Some(other.id) != own_id {
                return Err(Error::Validation(vec![FieldError::new(
                    "tenant_id",
                    Code::DuplicateTenant,
                    format!(
                        "tenant id {tenant} already belongs to customer {} ({})",
                        other.id, other.fields.legal_name
                    ),
                )]));
            }
        }
    }
    if !f.virtual_account.is_empty() {
        let other: Option<(CustomerId, String)> = conn
            .query_row(
                "SELECT id, legal_name FROM customers WHERE virtual_account = ?1",
                params![f.virtual_account],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((other, name)) = other.filter(|(other, _)| Some(*other) != own_id) {
            return Err(Error::Validation(vec![FieldError::new(
                "virtual_account",
                Code::Duplicate,
                format!(
                    "virtual account {} already belongs to customer {other} ({name})",
                    f.virtual_account
                ),
            )
            .with("value", &f.virtual_account)]));
        }
    }
    Ok(())
}

/// Inserts a validated customer and audits it.
pub fn insert(tx: &Transaction, ctx: &Ctx, f: &CustomerFields) -> Result<Customer> {
    check_tenant_unique(tx, f, None)?;
    let now = ctx.now_text();
    tx.execute(
        "INSERT INTO customers (legal_name, tenant_id, primary_domain, country, address, contact_name,
            phone, email, tax_id, currency, language, payment_terms_days, credit_limit_minor,
            payment_instrument, card_present, admin_access, status, notes, created_at, updated_at,
            virtual_account, payer_names, billing_email)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19, ?20, ?21, ?22)",
        params![
            f.legal_name,
            f.tenant_id,
            f.primary_domain,
            f.country,
            f.address,
            f.contact_name,
            f.phone,
            f.email,
            f.tax_id,
            f.currency.code(),
            f.language.as_str(),
            f.payment_terms_days,
            f.credit_limit.minor,
            f.payment_instrument.as_str(),
            f.card_present as i64,
            f.admin_access.as_str(),
            f.status.as_str(),
            f.notes,
            now,
            f.virtual_account,
            f.payer_names.join("; "),
            f.billing_email,
        ],
    )?;
    let created = get(tx, CustomerId(tx.last_insert_rowid()))?;
    audit::record(
        tx,
        ctx,
        "customer",
        created.id,
        "create",
        None,
        Some(&created),
    )?;
    Ok(created)
}

/// Validates and inserts.
pub fn create(tx: &Transaction, ctx: &Ctx, input: &CustomerInput) -> Result<Customer> {
    insert(tx, ctx, &input.validate()?)
}

/// Replaces a customer's fields; returns the record and whether anything changed. An
/// unchanged save writes nothing, not even an audit row.
pub fn update(
    tx: &Transaction,
    ctx: &Ctx,
    id: CustomerId,
    f: &CustomerFields,
) -> Result<(Customer, bool)> {
    let before = get(tx, id)?;
    if before.fields == *f {
        return Ok((before, false));
    }
    if before.fields.currency != f.currency {
        let booked: i64 = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM invoices WHERE customer_id = ?1)
                 OR EXISTS (SELECT 1 FROM payments WHERE customer_id = ?1)
                 OR EXISTS (SELECT 1 FROM prepayment_requests WHERE customer_id = ?1)",
            params![id],
            |r| r.get(0),
        )?;
        if booked != 0 {
            return Err(Error::field(
                "currency",
                Code::CurrencyLocked,
                format!(
                    "the customer has invoices or payments in {}; the currency cannot change once money is booked",
                    before.fields.currency
                ),
            ));
        }
    }
    check_tenant_unique(tx, f, Some(id))?;
    tx.execute(
        "UPDATE customers SET legal_name = ?1, tenant_id = ?2, primary_domain = ?3, country = ?4,
            address = ?5, contact_name = ?6, phone = ?7, email = ?8, tax_id = ?9, currency = ?10,
            language = ?11, payment_terms_days = ?12, credit_limit_minor = ?13,
            payment_instrument = ?14, card_present = ?15, admin_access = ?16, status = ?17,
            notes = ?18, updated_at = ?19, virtual_account = ?21, payer_names = ?22, billing_email = ?23
         WHERE id = ?20",
        params![
            f.legal_name,
            f.tenant_id,
            f.primary_domain,
            f.country,
            f.address,
            f.contact_name,
            f.phone,
            f.email,
            f.tax_id,
            f.currency.code(),
            f.language.as_str(),
            f.payment_terms_days,
            f.credit_limit.minor,
            f.payment_instrument.as_str(),
            f.card_present as i64,
            f.admin_access.as_str(),
            f.status.as_str(),
            f.notes,
            ctx.now_text(),
            id,
            f.virtual_account,
            f.payer_names.join("; "),
            f.billing_email,
        ],
    )?;
    let after = get(tx, id)?;
    audit::record(
        tx,
        ctx,
        "customer",
        id,
        "update",
        Some(&before),
        Some(&after),
    )?;
    Ok((after, true))
}

/// Suspends, reactivates, holds or closes a customer, with a reason, and audits it under
/// the action's own name.
pub fn change_status(
    tx: &Transaction,
    ctx: &Ctx,
    id: CustomerId,
    action: StatusAction,
    reason: &str,
    note: &str,
) -> Result<Customer> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::field(
            "reason",
            Code::Required,
            "a reason is required",
        ));
    }
    if reason.chars().count() > 500 || note.chars().count() > 2000 {
        return Err(Error::field(
            "note",
            Code::TooLong,
            "the reason or note is too long",
        ));
    }
    let before = get(tx, id)?;
    let new_status = match action {
        StatusAction::Suspend => Status::Suspended,
        StatusAction::Reactivate => Status::Active,
        StatusAction::Hold => Status::OnHold,
        StatusAction::Close => Status::Closed,
    };
    if before.fields.status == new_status {
        return Err(Error::Conflict {
            field: "status".into(),
            message: format!("the customer is already {new_status}"),
        });
    }
    tx.execute(
        "UPDATE customers SET status = ?1, updated_at = ?2 WHERE id = ?3",
        params![new_status.as_str(), ctx.now_text(), id],
    )?;
    let after = get(tx, id)?;
    #[derive(Serialize)]
    struct Change<'a> {
        #[serde(flatten)]
        customer: &'a Customer,
        reason: &'a str,
        note: &'a str,
    }
    audit::record(
        tx,
        ctx,
        "customer",
        id,
        action.as_str(),
        Some(&Change {
            customer: &before,
            reason: "",
            note: "",
        }),
        Some(&Change {
            customer: &after,
            reason,
            note: note.trim(),
        }),
    )?;
    Ok(after)
}
