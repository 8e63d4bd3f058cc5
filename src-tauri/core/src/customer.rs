//! Customers: the record, its validation, the onboarding checklist, and storage.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::money::{Currency, Money};
use crate::store::bad_column;
use crate::text_enum::text_enum;
use crate::{audit, Ctx, Error, FieldError, Result};

text_enum!(
    /// Where the customer is in its life with the reseller.
    Status {
        Prospect = "prospect",
        Active = "active",
        OnHold = "on_hold",
        Suspended = "suspended",
        Closed = "closed",
    }
);

text_enum!(
    /// How the customer pays. Card types matter for theft-of-service risk.
    PaymentInstrument {
        BankTransfer = "bank_transfer",
        DirectDebit = "direct_debit",
        CreditCard = "credit_card",
        DebitCard = "debit_card",
        PrepaidCard = "prepaid_card",
        StoredValueCard = "stored_value_card",
    }
);

text_enum!(
    /// Admin access the customer granted the reseller in its tenant.
    AdminAccess {
        None = "none",
        Limited = "limited",
        Full = "full",
    }
);

text_enum!(
    /// The language of the customer's letters.
    Language {
        En = "en",
        ZhTw = "zh-TW",
    }
);

text_enum!(
    /// The onboarding checks from Microsoft's Partner Center fraud guidance.
    OnboardingItem {
        PhoneContact = "phone_contact",
        CreditCheck = "credit_check",
        Mfa = "mfa",
        IdentityVerified = "identity_verified",
        CardFraudCheck = "card_fraud_check",
        PolicyAcknowledged = "policy_acknowledged",
    }
);

text_enum!(
    /// Status changes a user makes on purpose, each with a reason.
    StatusAction {
        Suspend = "suspend",
        Reactivate = "reactivate",
        Hold = "hold",
        Close = "close",
    }
);

/// Customer fields as typed into a form or read from a CSV row: all text, validated by
/// [`CustomerInput::validate`].
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CustomerInput {
    pub legal_name: String,
    pub tenant_id: String,
    pub primary_domain: String,
    pub country: String,
    pub address: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub tax_id: String,
    pub currency: String,
    pub language: String,
    pub payment_terms_days: String,
    pub credit_limit: String,
    pub payment_instrument: String,
    pub card_present: bool,
    pub admin_access: String,
    pub status: String,
    pub notes: String,
}

/// Validated customer fields.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CustomerFields {
    pub legal_name: String,
    pub tenant_id: Option<String>,
    pub primary_domain: String,
    pub country: String,
    pub address: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub tax_id: String,
    pub currency: Currency,
    pub language: Language,
    pub payment_terms_days: i64,
    pub credit_limit: Money,
    pub payment_instrument: PaymentInstrument,
    pub card_present: bool,
    pub admin_access: AdminAccess,
    pub status: Status,
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Customer {
    pub id: i64,
    #[serde(flatten)]
    pub fields: CustomerFields,
    pub created_at: String,
    pub updated_at: String,
}

/// One done onboarding check.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OnboardingCheck {
    pub item: OnboardingItem,
    pub done_on: NaiveDate,
    pub done_by: String,
    pub reference: String,
    pub note: String,
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    parts.len() == 5
        && parts
            .iter()
            .zip(lens)
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_domain(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    s.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()) && tld.len() >= 2)
}

fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && !local.contains(char::is_whitespace)
                && !domain.contains('@')
                && is_domain(domain)
        }
        None => false,
    }
}

fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    (6..=15).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-()#.".contains(c) || c == 'x')
        && s.chars().filter(|c| *c == '+').count() <= 1
        && (!s.contains('+') || s.trim_start().starts_with('+'))
}

impl CustomerInput {
    /// Checks every field and returns all problems at once, so a form can mark each.
    pub fn validate(&self) -> Result<CustomerFields> {
        let mut errs = Vec::new();
        let t = |s: &str| s.trim().to_string();
        let too_long = |field: &str, value: &str, max: usize, errs: &mut Vec<FieldError>| {
            if value.chars().count() > max {
                errs.push(FieldError::new(
                    field,
                    "too_long",
                    format!("at most {max} characters"),
                ));
            }
        };

        let legal_name = t(&self.legal_name);
        if legal_name.is_empty() {
            errs.push(FieldError::new(
                "legal_name",
                "required",
                "the legal name is required",
            ));
        }
        too_long("legal_name", &legal_name, 200, &mut errs);

        let tenant = t(&self.tenant_id).to_ascii_lowercase();
        let tenant_id = if tenant.is_empty() {
            None
        } else if is_guid(&tenant) {
            Some(tenant)
        } else {
            errs.push(FieldError::new(
                "tenant_id",
                "invalid_guid",
                "a Microsoft tenant id is a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47",
            ));
            None
        };

        let primary_domain = t(&self.primary_domain).to_ascii_lowercase();
        if !primary_domain.is_empty() && !is_domain(&primary_domain) {
            errs.push(FieldError::new(
                "primary_domain",
                "invalid_domain",
                "not a domain name (e.g. contoso.onmicrosoft.com)",
            ));
        }

        let country = t(&self.country).to_ascii_uppercase();
        if country.is_empty() {
            errs.push(FieldError::new(
                "country",
                "required",
                "the country/region is required",
            ));
        } else if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            errs.push(FieldError::new(
                "country",
                "invalid_country",
                "use the two-letter ISO 3166 code (TW, US, JP, ...)",
            ));
        }

        let address = t(&self.address);
        too_long("address", &address, 500, &mut errs);
        let contact_name = t(&self.contact_name);
        too_long("contact_name", &contact_name, 200, &mut errs);

        let phone = t(&self.phone);
        if !phone.is_empty() && !is_phone(&phone) {
            errs.push(FieldError::new(
                "phone",
                "invalid_phone",
                "a phone number has 6 to 15 digits, optionally starting with + (e.g. +886 2 2345 6789)",
            ));
        }

        let email = t(&self.email);
        if !email.is_empty() && !is_email(&email) {
            errs.push(FieldError::new(
                "email",
                "invalid_email",
                "not an e-mail address (e.g. billing@contoso.com)",
            ));
        }

        let tax_id = t(&self.tax_id);
        too_long("tax_id", &tax_id, 50, &mut errs);

        let currency = Currency::parse(&self.currency);
        if currency.is_none() {
            errs.push(FieldError::new(
                "currency",
                "invalid_currency",
                format!(
                    "not a currency RiskDesk knows; use one of {}",
                    Currency::all()
                        .iter()
                        .map(|c| c.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }

        let language = Language::parse(self.language.trim());
        if language.is_none() {
            errs.push(FieldError::new(
                "language",
                "invalid_choice",
                format!("use one of {}", Language::choices()),
            ));
        }

        let terms_text = t(&self.payment_terms_days);
        let payment_terms_days = match terms_text.parse::<i64>() {
            Ok(d) if (0..=365).contains(&d) => d,
            _ => {
                errs.push(FieldError::new(
                    "payment_terms_days",
                    "invalid_days",
                    "payment terms are a number of days from 0 to 365",
                ));
                0
            }
        };

        let credit_limit = match currency {
            Some(c) => {
                let text = t(&self.credit_limit);
                if text.is_empty() {
                    Money::zero(c)
                } else {
                    match Money::parse(&text, c) {
                        Ok(m) if m.minor < 0 => {
                            errs.push(FieldError::new(
                                "credit_limit",
                                "negative",
                                "the credit limit must not be negative",
                            ));
                            m
                        }
                        Ok(m) => m,
                        Err(e) => {
                            errs.push(FieldError::new(
                                "credit_limit",
                                "invalid_amount",
                                e.to_string(),
                            ));
                            Money::zero(c)
                        }
                    }
                }
            }
            None => Money::zero(Currency::parse("USD").expect("USD is known")),
        };

        let payment_instrument = PaymentInstrument::parse(self.payment_instrument.trim());
        if payment_instrument.is_none() {
            errs.push(FieldError::new(
                "payment_instrument",
                "invalid_choice",
                format!("use one of {}", PaymentInstrument::choices()),
            ));
        }
        let admin_access = AdminAccess::parse(self.admin_access.trim());
        if admin_access.is_none() {
            errs.push(FieldError::new(
                "admin_access",
                "invalid_choice",
                format!("use one of {}", AdminAccess::choices()),
            ));
        }
        let status = Status::parse(self.status.trim());
        if status.is_none() {
            errs.push(FieldError::new(
                "status",
                "invalid_choice",
                format!("use one of {}", Status::choices()),
            ));
        }
        let notes = self.notes.trim().to_string();
        too_long("notes", &notes, 5000, &mut errs);

        if !errs.is_empty() {
            return Err(Error::Validation(errs));
        }
        let (
            Some(currency),
            Some(language),
            Some(payment_instrument),
            Some(admin_access),
            Some(status),
        ) = (currency, language, payment_instrument, admin_access, status)
        else {
            return Err(Error::Invalid("validation inconsistency".into()));
        };
        Ok(CustomerFields {
            legal_name,
            tenant_id,
            primary_domain,
            country,
            address,
            contact_name,
            phone,
            email,
            tax_id,
            currency,
            language,
            payment_terms_days,
            credit_limit,
            payment_instrument,
            card_present: self.card_present,
            admin_access,
            status,
            notes,
        })
    }
}

impl CustomerFields {
    /// Back to the text form (for edit forms and CSV export).
    pub fn to_input(&self) -> CustomerInput {
        CustomerInput {
            legal_name: self.legal_name.clone(),
            tenant_id: self.tenant_id.clone().unwrap_or_default(),
            primary_domain: self.primary_domain.clone(),
            country: self.country.clone(),
            address: self.address.clone(),
            contact_name: self.contact_name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            tax_id: self.tax_id.clone(),
            currency: self.currency.code().to_string(),
            language: self.language.as_str().to_string(),
            payment_terms_days: self.payment_terms_days.to_string(),
            credit_limit: self.credit_limit.to_plain(),
            payment_instrument: self.payment_instrument.as_str().to_string(),
            card_present: self.card_present,
            admin_access: self.admin_access.as_str().to_string(),
            status: self.status.as_str().to_string(),
            notes: self.notes.clone(),
        }
    }
}

const COLUMNS: &str = "id, legal_name, tenant_id, primary_domain, country, address, contact_name, phone, \
     email, tax_id, currency, language, payment_terms_days, credit_limit_minor, payment_instrument, \
     card_present, admin_access, status, notes, created_at, updated_at";

fn from_row(r: &Row) -> rusqlite::Result<Customer> {
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
        },
        created_at: text(19)?,
        updated_at: text(20)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Customer> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"),
        params![id],
        from_row,
    )
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

/// Customers without a tenant id matched by their exact legal name (for imports).
pub fn find_by_name_without_tenant(
    conn: &Connection,
    legal_name: &str,
) -> Result<Option<Customer>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM customers WHERE tenant_id IS NULL AND legal_name = ?1 ORDER BY id LIMIT 1"
            ),
            params![legal_name],
            from_row,
        )
        .optional()?)
}

fn check_tenant_unique(conn: &Connection, f: &CustomerFields, own_id: Option<i64>) -> Result<()> {
    if let Some(tenant) = &f.tenant_id {
        if let Some(other) = find_by_tenant(conn, tenant)? {
            if Some(other.id) != own_id {
                return Err(Error::Validation(vec![FieldError::new(
                    "tenant_id",
                    "duplicate_tenant",
                    format!(
                        "tenant id {tenant} already belongs to customer {} ({})",
                        other.id, other.fields.legal_name
                    ),
                )]));
            }
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
            payment_instrument, card_present, admin_access, status, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)",
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
        ],
    )?;
    let created = get(tx, tx.last_insert_rowid())?;
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
    id: i64,
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
                "currency_locked",
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
            notes = ?18, updated_at = ?19
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
    id: i64,
    action: StatusAction,
    reason: &str,
    note: &str,
) -> Result<Customer> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::field("reason", "required", "a reason is required"));
    }
    if reason.chars().count() > 500 || note.chars().count() > 2000 {
        return Err(Error::field(
            "note",
            "too_long",
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

/// Records (or replaces) one onboarding check.
pub fn record_check(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: i64,
    check: &OnboardingCheck,
) -> Result<()> {
    get(tx, customer_id)?;
    let done_by = check.done_by.trim();
    if done_by.is_empty() {
        return Err(Error::field(
            "done_by",
            "required",
            "say who made the check",
        ));
    }
    if done_by.chars().count() > 200
        || check.reference.chars().count() > 200
        || check.note.chars().count() > 2000
    {
        return Err(Error::field("note", "too_long", "the text is too long"));
    }
    if check.item == OnboardingItem::CreditCheck && check.reference.trim().is_empty() {
        return Err(Error::field(
            "reference",
            "required",
            "give the credit bureau's or agency's report reference",
        ));
    }
    let before = checks(tx, customer_id)?
        .into_iter()
        .find(|c| c.item == check.item);
    let clean = OnboardingCheck {
        item: check.item,
        done_on: check.done_on,
        done_by: done_by.to_string(),
        reference: check.reference.trim().to_string(),
        note: check.note.trim().to_string(),
    };
    if before.as_ref() == Some(&clean) {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO onboarding_checks (customer_id, item, done_on, done_by, reference, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(customer_id, item) DO UPDATE SET done_on = excluded.done_on,
            done_by = excluded.done_by, reference = excluded.reference, note = excluded.note",
        params![
            customer_id,
            clean.item.as_str(),
            clean.done_on.format("%Y-%m-%d").to_string(),
            clean.done_by,
            clean.reference,
            clean.note
        ],
    )?;
    let action = if before.is_some() {
        "update_check"
    } else {
        "record_check"
    };
    audit::record(
        tx,
        ctx,
        "customer",
        customer_id,
        action,
        before.as_ref(),
        Some(&clean),
    )?;
    Ok(())
}

/// Takes back a check recorded by mistake (audited).
pub fn clear_check(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: i64,
    item: OnboardingItem,
) -> Result<()> {
    let before = checks(tx, customer_id)?
        .into_iter()
        .find(|c| c.item == item);
    let Some(before) = before else {
        return Err(Error::NotFound(format!("onboarding check {item}")));
    };
    tx.execute(
        "DELETE FROM onboarding_checks WHERE customer_id = ?1 AND item = ?2",
        params![customer_id, item.as_str()],
    )?;
    audit::record::<OnboardingCheck>(
        tx,
        ctx,
        "customer",
        customer_id,
        "clear_check",
        Some(&before),
        None,
    )?;
    Ok(())
}

pub fn checks(conn: &Connection, customer_id: i64) -> Result<Vec<OnboardingCheck>> {
    let mut stmt = conn.prepare(
        "SELECT item, done_on, done_by, reference, note FROM onboarding_checks
         WHERE customer_id = ?1",
    )?;
    let mut out = stmt
        .query_map(params![customer_id], |r| {
            let item: String = r.get(0)?;
            let on: String = r.get(1)?;
            Ok(OnboardingCheck {
                item: OnboardingItem::parse(&item)
                    .ok_or_else(|| bad_column(0, "onboarding item"))?,
                done_on: NaiveDate::parse_from_str(&on, "%Y-%m-%d")
                    .map_err(|_| bad_column(1, "date"))?,
                done_by: r.get(2)?,
                reference: r.get(3)?,
                note: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    out.sort_by_key(|c| OnboardingItem::ALL.iter().position(|i| *i == c.item));
    Ok(out)
}

text_enum!(
    /// Columns the customer list can be sorted by.
    SortKey {
        Name = "name",
        Status = "status",
        Country = "country",
        CreditLimit = "credit_limit",
        Created = "created",
    }
);

/// A page request for the customer list.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub search: String,
    pub status: Option<Status>,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            search: String::new(),
            status: None,
            sort: SortKey::Name,
            descending: false,
            offset: 0,
            limit: 50,
        }
    }
}

/// One line of the customer list.
#[derive(Debug, Clone, Serialize)]
pub struct ListRow {
    pub id: i64,
    pub legal_name: String,
    pub primary_domain: String,
    pub country: String,
    pub status: Status,
    pub credit_limit: Money,
    pub payment_instrument: PaymentInstrument,
    pub checks_done: i64,
    pub checks_total: i64,
    pub active_subscriptions: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListPage {
    pub total: i64,
    pub offset: i64,
    pub rows: Vec<ListRow>,
}

fn like_pattern(search: &str) -> String {
    let mut p = String::from("%");
    for c in search.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// A page of customers, searched (name, domain, tenant id, e-mail, tax id, contact),
/// filtered by status and sorted. Paging happens in SQL, so the list stays fast at any size.
pub fn list(conn: &Connection, q: &ListQuery) -> Result<ListPage> {
    if q.search.chars().count() > 200 {
        return Err(Error::field(
            "search",
            "too_long",
            "the search text is too long",
        ));
    }
    let limit = q.limit.clamp(1, 500);
    let offset = q.offset.max(0);
    let pattern = like_pattern(&q.search);
    let status = q.status.map(|s| s.as_str());
    let filter =
        "(?1 = '%%' OR c.legal_name LIKE ?1 ESCAPE '\\' OR c.primary_domain LIKE ?1 ESCAPE '\\'
            OR c.tenant_id LIKE ?1 ESCAPE '\\' OR c.email LIKE ?1 ESCAPE '\\'
            OR c.tax_id LIKE ?1 ESCAPE '\\' OR c.contact_name LIKE ?1 ESCAPE '\\')
          AND (?2 IS NULL OR c.status = ?2)";
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM customers c WHERE {filter}"),
        params![pattern, status],
        |r| r.get(0),
    )?;
    // The ORDER BY comes from a closed set of choices, never from user text.
    let column = match q.sort {
        SortKey::Name => "c.legal_name COLLATE NOCASE",
        SortKey::Status => "c.status",
        SortKey::Country => "c.country",
        SortKey::CreditLimit => "c.credit_limit_minor",
        SortKey::Created => "c.created_at",
    };
    let dir = if q.descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT c.id, c.legal_name, c.primary_domain, c.country, c.status, c.credit_limit_minor,
                c.currency, c.payment_instrument,
                (SELECT count(*) FROM onboarding_checks o WHERE o.customer_id = c.id),
                (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id AND s.status = 'active')
         FROM customers c WHERE {filter}
         ORDER BY {column} {dir}, c.id {dir} LIMIT ?3 OFFSET ?4"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params![pattern, status, limit, offset], |r| {
            let currency: String = r.get(6)?;
            let currency = Currency::parse(&currency).ok_or_else(|| bad_column(6, "currency"))?;
            let st: String = r.get(4)?;
            let pi: String = r.get(7)?;
            Ok(ListRow {
                id: r.get(0)?,
                legal_name: r.get(1)?,
                primary_domain: r.get(2)?,
                country: r.get(3)?,
                status: Status::parse(&st).ok_or_else(|| bad_column(4, "status"))?,
                credit_limit: Money::new(r.get(5)?, currency),
                payment_instrument: PaymentInstrument::parse(&pi)
                    .ok_or_else(|| bad_column(7, "payment instrument"))?,
                checks_done: r.get(8)?,
                checks_total: OnboardingItem::ALL.len() as i64,
                active_subscriptions: r.get(9)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ListPage {
        total,
        offset,
        rows,
    })
}

/// Every customer in id order (for export).
pub fn all(conn: &Connection) -> Result<Vec<Customer>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM customers ORDER BY id"))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> CustomerInput {
        CustomerInput {
            legal_name: "Contoso Taiwan Ltd.".into(),
            tenant_id: "72F988BF-86F1-41AF-91AB-2D7CD011DB47".into(),
            primary_domain: "contoso.onmicrosoft.com".into(),
            country: "tw".into(),
            address: "No. 7, Xinyi Rd., Taipei".into(),
            contact_name: "Lin Mei".into(),
            phone: "+886 2 2345 6789".into(),
            email: "billing@contoso.com.tw".into(),
            tax_id: "12345675".into(),
            currency: "TWD".into(),
            language: "zh-TW".into(),
            payment_terms_days: "30".into(),
            credit_limit: "150,000".into(),
            payment_instrument: "bank_transfer".into(),
            card_present: false,
            admin_access: "limited".into(),
            status: "active".into(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_complete_customer_validates_and_normalises() {
        let f = sample().validate().unwrap();
        assert_eq!(
            f.tenant_id.as_deref(),
            Some("72f988bf-86f1-41af-91ab-2d7cd011db47")
        );
        assert_eq!(f.country, "TW");
        assert_eq!(f.credit_limit.minor, 15_000_000);
        assert_eq!(f.language, Language::ZhTw);
    }

    #[test]
    fn every_bad_field_is_reported_with_its_name() {
        let mut i = sample();
        i.legal_name = "  ".into();
        i.tenant_id = "not-a-guid".into();
        i.email = "billing@".into();
        i.phone = "12".into();
        i.currency = "XXX".into();
        i.primary_domain = "contoso".into();
        i.payment_terms_days = "400".into();
        let Err(Error::Validation(errs)) = i.validate() else {
            panic!("expected validation errors")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "legal_name",
            "tenant_id",
            "email",
            "phone",
            "currency",
            "primary_domain",
            "payment_terms_days",
        ] {
            assert!(fields.contains(&f), "{f} not reported in {fields:?}");
        }
    }

    #[test]
    fn email_phone_and_domain_checks_accept_real_values() {
        assert!(is_email("a.b+c@sub.example.co.uk"));
        assert!(!is_email("a b@example.com"));
        assert!(!is_email("a@b@example.com"));
        assert!(is_phone("(02) 2345-6789"));
        assert!(is_phone("+1 425 555 0100"));
        assert!(!is_phone("555-abc-0100"));
        assert!(!is_phone("12+34567890"));
        assert!(is_domain("contoso.onmicrosoft.com"));
        assert!(!is_domain("-bad.com"));
        assert!(!is_domain("localhost"));
        assert!(is_guid("72f988bf-86f1-41af-91ab-2d7cd011db47"));
        assert!(!is_guid("72f988bf86f141af91ab2d7cd011db47"));
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("50%_off"), "%50\\%\\_off%");
    }
}
