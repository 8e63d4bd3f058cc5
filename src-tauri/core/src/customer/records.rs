//! Reading and writing customer records; every change audited in its transaction.

use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::ToSql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::*;
use crate::error::Code;
use crate::money::{Currency, Money};
use crate::{audit, Ctx, Error, FieldError, Result};

pub(super) const COLUMNS: &str = "id, legal_name, tenant_id, primary_domain, country, address, contact_name, phone, \
     email, tax_id, currency, language, payment_terms_days, credit_limit_minor, payment_instrument, \
     card_present, admin_access, status, notes, created_at, updated_at, virtual_account, payer_names, billing_email";

/// The columns a customer's fields are written to, in the order of [`field_values`].
const FIELD_COLUMNS: &str =
    "legal_name, tenant_id, primary_domain, country, address, contact_name, \
     phone, email, tax_id, currency, language, payment_terms_days, credit_limit_minor, \
     payment_instrument, card_present, admin_access, status, notes, virtual_account, payer_names, \
     billing_email";
const FIELD_COUNT: usize = 21;

/// The values of a customer's fields as stored, in the order of [`FIELD_COLUMNS`]
/// (insert and update write the same columns the same way).
fn field_values(f: &CustomerFields) -> Vec<Value> {
    let v = |x: &dyn ToSql| match x.to_sql() {
        Ok(ToSqlOutput::Owned(v)) => v,
        Ok(ToSqlOutput::Borrowed(r)) => r.into(),
        // Text, numbers and options of them always convert.
        _ => Value::Null,
    };
    vec![
        v(&f.legal_name),
        v(&f.tenant_id),
        v(&f.primary_domain),
        v(&f.country),
        v(&f.address),
        v(&f.contact_name),
        v(&f.phone),
        v(&f.email),
        v(&f.tax_id),
        v(&f.currency.code()),
        v(&f.language.as_str()),
        v(&f.payment_terms_days),
        v(&f.credit_limit.minor),
        v(&f.payment_instrument.as_str()),
        v(&f.card_present),
        v(&f.admin_access.as_str()),
        v(&f.status.as_str()),
        v(&f.notes),
        v(&f.virtual_account),
        v(&f.payer_names.join("; ")),
        v(&f.billing_email),
    ]
}

/// `?1, ?2, … ?n`.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn from_row(r: &Row) -> rusqlite::Result<Customer> {
    let currency: Currency = r.get(10)?;
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
            language: r.get(11)?,
            payment_terms_days: r.get(12)?,
            credit_limit: Money::new(r.get(13)?, currency),
            payment_instrument: r.get(14)?,
            card_present: r.get::<_, i64>(15)? != 0,
            admin_access: r.get(16)?,
            status: r.get(17)?,
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

/// The customers by legal name in the form imports match names in
/// ([`crate::identity::legal_name`]: case, width, spaces and punctuation aside), read once
/// for a whole file and kept up to date as the import creates and renames customers.
#[derive(Debug, Default)]
pub struct NameIndex {
    names: std::collections::HashMap<String, Vec<CustomerId>>,
    /// The Chinese name and the English one of a name written in both scripts
    /// ([`crate::identity::bilingual`]), each alone.
    parts: std::collections::HashMap<String, Vec<CustomerId>>,
}

impl NameIndex {
    pub fn load(conn: &Connection) -> Result<Self> {
        let mut index = Self::default();
        let mut stmt = conn.prepare("SELECT id, legal_name FROM customers ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            index.add(r.get(0)?, &r.get::<_, String>(1)?);
        }
        Ok(index)
    }

    /// Every customer of this name, oldest first.
    pub fn get(&self, legal_name: &str) -> &[CustomerId] {
        self.names
            .get(&crate::identity::legal_name(legal_name))
            .map_or(&[], Vec::as_slice)
    }

    /// Every customer `text` names, oldest first: those of that name, those whose name in
    /// two scripts has it as its Chinese or English name, and those named by the Chinese or
    /// English name of `text` written in two scripts (`Suyun Information Co., Ltd.` is
    /// `速雲資訊股份有限公司 (Suyun Information Co., Ltd.)`).
    pub fn find(&self, text: &str) -> Vec<CustomerId> {
        let mut asked = vec![text.to_string()];
        if let Some((chinese, latin)) = crate::identity::bilingual(text) {
            asked.extend([chinese, latin]);
        }
        let keys: Vec<String> = asked
            .iter()
            .map(|n| crate::identity::legal_name(n))
            .collect();
        distinct(
            keys.iter()
                .flat_map(|k| [self.names.get(k), self.parts.get(k)])
                .flatten()
                .flatten(),
        )
    }

    fn keys(legal_name: &str) -> (String, Vec<String>) {
        let parts = crate::identity::bilingual(legal_name)
            .map(|(chinese, latin)| {
                vec![
                    crate::identity::legal_name(&chinese),
                    crate::identity::legal_name(&latin),
                ]
            })
            .unwrap_or_default();
        (crate::identity::legal_name(legal_name), parts)
    }

    pub fn add(&mut self, id: CustomerId, legal_name: &str) {
        let (name, parts) = Self::keys(legal_name);
        self.names.entry(name).or_default().push(id);
        for p in parts {
            self.parts.entry(p).or_default().push(id);
        }
    }

    /// A customer's name changed from `old` to `new`.
    pub fn rename(&mut self, id: CustomerId, old: &str, new: &str) {
        self.each_entry(old, |ids| ids.retain(|i| *i != id));
        self.add(id, new);
        self.each_entry(new, |ids| {
            ids.sort();
            ids.dedup();
        });
    }

    /// Calls `f` on the customers of each key of `legal_name`.
    fn each_entry(&mut self, legal_name: &str, f: impl Fn(&mut Vec<CustomerId>)) {
        let (name, parts) = Self::keys(legal_name);
        if let Some(ids) = self.names.get_mut(&name) {
            f(ids);
        }
        for p in parts {
            if let Some(ids) = self.parts.get_mut(&p) {
                f(ids);
            }
        }
    }
}

/// The customers by tax id, each in the form it is compared in with its customer's country
/// ([`crate::identity::tax_key`]: separators, a label, the country's own VAT prefix and the
/// zeros a spreadsheet drops aside), so that an invoices or payments file can name its
/// customer by the tax id (統一編號) Taiwanese accounting exports carry. Read once for a file.
#[derive(Debug, Default)]
pub struct TaxIndex {
    /// By country, then by compared tax id.
    by_country:
        std::collections::HashMap<String, std::collections::HashMap<String, Vec<CustomerId>>>,
}

impl TaxIndex {
    pub fn load(conn: &Connection) -> Result<Self> {
        let mut index = Self::default();
        let mut stmt = conn
            .prepare("SELECT id, tax_id, country FROM customers WHERE tax_id <> '' ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let country: String = r.get(2)?;
            let key = crate::identity::tax_key(&r.get::<_, String>(1)?, &country);
            if key.len() >= 5 {
                let ids = index.by_country.entry(country).or_default();
                ids.entry(key).or_default().push(r.get(0)?);
            }
        }
        Ok(index)
    }

    /// Every customer whose tax id `text` is, read with each customer's country.
    pub fn get(&self, text: &str) -> Vec<CustomerId> {
        distinct(
            self.by_country
                .iter()
                .filter_map(|(country, keys)| keys.get(&crate::identity::tax_key(text, country)))
                .flatten(),
        )
    }
}

/// The customers found, each once, oldest first.
fn distinct<'a>(found: impl Iterator<Item = &'a CustomerId>) -> Vec<CustomerId> {
    let mut ids: Vec<CustomerId> = found.copied().collect();
    ids.sort();
    ids.dedup();
    ids
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
    let mut values = field_values(f);
    values.push(Value::Text(now));
    tx.execute(
        &format!(
            "INSERT INTO customers ({FIELD_COLUMNS}, created_at, updated_at)
             VALUES ({}, ?{n}, ?{n})",
            placeholders(FIELD_COUNT),
            n = FIELD_COUNT + 1
        ),
        params_from_iter(values),
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
    // Purchases a usage file billed the tenant before the customer was made are alerted.
    crate::usage::purchases::alert_for_tenant_id(
        tx,
        ctx,
        created.id,
        created.fields.tenant_id.as_deref(),
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
    let mut values = field_values(f);
    values.push(Value::Text(ctx.now_text()));
    values.push(Value::Integer(id.0));
    tx.execute(
        &format!(
            "UPDATE customers SET ({FIELD_COLUMNS}) = ({}), updated_at = ?{} WHERE id = ?{}",
            placeholders(FIELD_COUNT),
            FIELD_COUNT + 1,
            FIELD_COUNT + 2
        ),
        params_from_iter(values),
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
    if after.fields.tenant_id != before.fields.tenant_id {
        crate::usage::purchases::alert_for_tenant_id(
            tx,
            ctx,
            id,
            after.fields.tenant_id.as_deref(),
        )?;
    }
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
    crate::error::at_most("reason", reason, 500)?;
    crate::error::at_most("note", note, 2000)?;
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
