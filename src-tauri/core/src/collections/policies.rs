//! Collection policies and their levels. Levels have stable ids: editing a policy keeps the
//! id of every level it keeps and retires the ones it drops, so the dunning steps applied
//! under a level keep pointing at it. Fees and minimum amounts are money, one amount per
//! currency; a customer billed in a currency the policy has no amount for pays no fee.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::customer::{self, Language};
use crate::error::Code;
use crate::money::{Currency, Money};
use crate::text_enum::text_enum;
use crate::{audit, Ctx, Error, Result};

text_enum!(
    /// What reaching a dunning level does.
    Action {
        ReminderLetter = "reminder_letter",
        FormalNotice = "formal_notice",
        PhoneCall = "phone_call",
        Suspend = "suspend",
        FinalNotice = "final_notice",
        Agency = "agency",
    }
);

impl Action {
    pub fn writes_letter(self) -> bool {
        matches!(
            self,
            Action::ReminderLetter | Action::FormalNotice | Action::FinalNotice
        )
    }
}

use crate::ids::CustomerId;
pub use crate::ids::{LevelId, PolicyId};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Level {
    /// Stable id; 0 for a level not saved yet.
    pub id: LevelId,
    /// Position in the policy, from 1.
    pub seq: i64,
    pub days_after_due: i64,
    pub name_en: String,
    pub name_zh: String,
    pub actions: Vec<Action>,
    pub letter_en: String,
    pub letter_zh: String,
    /// The late fee in each currency it is charged in.
    pub late_fees: Vec<Money>,
    /// Simple annual interest in basis points (1000 = 10 % a year).
    pub interest_bp: i64,
    /// The e-mail the letter is sent with: subject and body in both languages, with the
    /// letter's placeholders and `{level}`; empty for the built-in ones ([`Level::email`]).
    #[serde(default)]
    pub email_subject_en: String,
    #[serde(default)]
    pub email_subject_zh: String,
    #[serde(default)]
    pub email_body_en: String,
    #[serde(default)]
    pub email_body_zh: String,
}

/// The e-mail every level is sent with unless it has texts of its own.
pub const EMAIL_SUBJECT_EN: &str = "{level}: {amount} overdue — {reseller}";
pub const EMAIL_SUBJECT_ZH: &str = "{level}：逾期款項 {amount}－{reseller}";
pub const EMAIL_BODY_EN: &str = "Dear {customer},\n\nPlease find attached our letter \"{level}\" about the overdue invoices on your account: {amount} is due by {deadline}.\n\nIf you have already paid, thank you, and please ignore this message.\n\n{reseller}";
pub const EMAIL_BODY_ZH: &str = "{customer} 您好：\n\n附件為我們就貴公司逾期發票寄出的信函「{level}」：請於 {deadline} 前支付 {amount}。\n\n若您已付款，謝謝您，請忽略本信。\n\n{reseller}";

impl Level {
    /// The e-mail's subject and body in `lang`: the level's own, or the built-in ones.
    pub fn email(&self, lang: Language) -> (&str, &str) {
        let (subject, body, default_subject, default_body) = match lang {
            Language::En => (
                &self.email_subject_en,
                &self.email_body_en,
                EMAIL_SUBJECT_EN,
                EMAIL_BODY_EN,
            ),
            Language::ZhTw => (
                &self.email_subject_zh,
                &self.email_body_zh,
                EMAIL_SUBJECT_ZH,
                EMAIL_BODY_ZH,
            ),
        };
        (
            if subject.trim().is_empty() {
                default_subject
            } else {
                subject
            },
            if body.trim().is_empty() {
                default_body
            } else {
                body
            },
        )
    }

    pub fn name(&self, lang: Language) -> &str {
        match lang {
            Language::En => &self.name_en,
            Language::ZhTw => &self.name_zh,
        }
    }

    pub fn letter(&self, lang: Language) -> &str {
        match lang {
            Language::En => &self.letter_en,
            Language::ZhTw => &self.letter_zh,
        }
    }

    /// The late fee in `currency`, if the level has one.
    pub fn late_fee(&self, currency: Currency) -> Option<Money> {
        self.late_fees
            .iter()
            .find(|m| m.currency == currency)
            .copied()
    }

    /// "10.00%": the annual rate as people write it.
    pub fn rate_text(&self) -> String {
        rate_text(self.interest_bp)
    }
}

/// Basis points as a percentage with two decimals ("10.00%").
pub fn rate_text(bp: i64) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Policy {
    pub id: PolicyId,
    pub name: String,
    pub grace_days: i64,
    /// Below this overdue amount (per currency) nothing is sent; none means no minimum.
    pub min_overdue: Vec<Money>,
    pub is_default: bool,
    pub levels: Vec<Level>,
}

impl Policy {
    pub fn min_overdue(&self, currency: Currency) -> Money {
        self.min_overdue
            .iter()
            .find(|m| m.currency == currency)
            .copied()
            .unwrap_or(Money::zero(currency))
    }
}

const LEVEL_COLUMNS: &str =
    "id, seq, days_after_due, name_en, name_zh, actions, letter_en, letter_zh, interest_bp, \
     email_subject_en, email_subject_zh, email_body_en, email_body_zh";

fn level_from_row(r: &rusqlite::Row) -> rusqlite::Result<Level> {
    let actions: String = r.get(5)?;
    Ok(Level {
        id: r.get(0)?,
        seq: r.get(1)?,
        days_after_due: r.get(2)?,
        name_en: r.get(3)?,
        name_zh: r.get(4)?,
        actions: actions
            .split(',')
            .filter_map(|a| Action::parse(a.trim()))
            .collect(),
        letter_en: r.get(6)?,
        letter_zh: r.get(7)?,
        late_fees: Vec::new(),
        interest_bp: r.get(8)?,
        email_subject_en: r.get(9)?,
        email_subject_zh: r.get(10)?,
        email_body_en: r.get(11)?,
        email_body_zh: r.get(12)?,
    })
}

fn amounts(conn: &Connection, sql: &str, id: impl rusqlite::ToSql) -> Result<Vec<Money>> {
    crate::store::rows(conn, sql, params![id], |r| {
        Ok(Money::new(r.get(1)?, r.get(0)?))
    })
}

fn with_fees(conn: &Connection, mut l: Level) -> Result<Level> {
    l.late_fees = amounts(
        conn,
        "SELECT currency, amount_minor FROM level_fees WHERE level_id = ?1 ORDER BY currency",
        l.id,
    )?;
    Ok(l)
}

fn levels(conn: &Connection, policy_id: PolicyId) -> Result<Vec<Level>> {
    let rows: Vec<_> = crate::store::rows(
        conn,
        &format!(
            "SELECT {LEVEL_COLUMNS} FROM policy_levels WHERE policy_id = ?1 AND retired = 0 ORDER BY seq"
        ),
        params![policy_id],
        level_from_row,
    )?;
    rows.into_iter().map(|l| with_fees(conn, l)).collect()
}

/// A level by id, retired or not.
pub fn level(conn: &Connection, id: LevelId) -> Result<Level> {
    let l = conn
        .query_row(
            &format!("SELECT {LEVEL_COLUMNS} FROM policy_levels WHERE id = ?1"),
            params![id],
            level_from_row,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("dunning level {id}")))?;
    with_fees(conn, l)
}

pub fn policy(conn: &Connection, id: PolicyId) -> Result<Policy> {
    let (name, grace_days, is_default) = conn
        .query_row(
            "SELECT name, grace_days, is_default FROM collection_policies WHERE id = ?1",
            params![id],
            |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0)),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("collection policy {id}")))?;
    Ok(Policy {
        id,
        name,
        grace_days,
        min_overdue: amounts(
            conn,
            "SELECT currency, amount_minor FROM policy_minimums WHERE policy_id = ?1 ORDER BY currency",
            id,
        )?,
        is_default,
        levels: levels(conn, id)?,
    })
}

pub fn policies(conn: &Connection) -> Result<Vec<Policy>> {
    let ids: Vec<PolicyId> = crate::store::rows(
        conn,
        "SELECT id FROM collection_policies ORDER BY is_default DESC, name",
        [],
        |r| r.get(0),
    )?;
    ids.into_iter().map(|id| policy(conn, id)).collect()
}

pub fn default_policy_id(conn: &Connection) -> Result<PolicyId> {
    conn.prepare_cached(
        "SELECT id FROM collection_policies WHERE is_default = 1 ORDER BY id LIMIT 1",
    )?
    .query_row([], |r| r.get(0))
    .optional()?
    .ok_or_else(|| Error::NotFound("a default collection policy".into()))
}

/// The customer's own policy, if one was assigned (otherwise the default applies).
pub fn own_policy(conn: &Connection, customer_id: CustomerId) -> Result<Option<PolicyId>> {
    conn.prepare_cached("SELECT policy_id FROM customers WHERE id = ?1")?
        .query_row(params![customer_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("customer {customer_id}")))
}

/// The policy that applies to a customer: its own, or the default.
pub fn policy_for(conn: &Connection, customer_id: CustomerId) -> Result<PolicyId> {
    match own_policy(conn, customer_id)? {
        Some(id) => Ok(id),
        None => default_policy_id(conn),
    }
}

fn check_amounts(field: &str, list: &[Money]) -> Result<()> {
    for (i, m) in list.iter().enumerate() {
        if m.minor <= 0 {
            return Err(Error::field(
                field,
                Code::NotPositive,
                "amounts are more than zero (leave a currency out for none)",
            ));
        }
        if list[..i].iter().any(|o| o.currency == m.currency) {
            return Err(Error::field(
                field,
                Code::DuplicateCurrency,
                format!("{} is listed twice", m.currency),
            ));
        }
    }
    Ok(())
}

/// Checks a policy's fields and levels.
pub fn validate(p: &Policy) -> Result<()> {
    if p.name.trim().is_empty() || p.name.chars().count() > 100 {
        return Err(Error::field(
            "name",
            Code::Required,
            "a policy needs a name (up to 100 characters)",
        ));
    }
    if !(0..=365).contains(&p.grace_days) {
        return Err(Error::field(
            "grace_days",
            Code::InvalidDays,
            "the grace period is 0 to 365 days",
        ));
    }
    check_amounts("min_overdue", &p.min_overdue)?;
    if p.levels.is_empty() || p.levels.len() > 20 {
        return Err(Error::field(
            "levels",
            Code::Required,
            "a policy has 1 to 20 levels",
        ));
    }
    let mut last = -1;
    for (i, l) in p.levels.iter().enumerate() {
        let field = format!("levels.{i}");
        if !(0..=3650).contains(&l.days_after_due) || l.days_after_due <= last {
            return Err(Error::field(
                &format!("{field}.days_after_due"),
                Code::NotRising,
                "each level comes more days after the due date than the one before (up to 3650)",
            ));
        }
        last = l.days_after_due;
        if l.name_en.trim().is_empty() || l.name_zh.trim().is_empty() {
            return Err(Error::field(
                &format!("{field}.name"),
                Code::Required,
                "each level needs a name in both languages",
            ));
        }
        if l.name_en.chars().count() > 100
            || l.name_zh.chars().count() > 100
            || l.letter_en.chars().count() > 4000
            || l.letter_zh.chars().count() > 4000
            || l.email_subject_en.chars().count() > 200
            || l.email_subject_zh.chars().count() > 200
            || l.email_body_en.chars().count() > 4000
            || l.email_body_zh.chars().count() > 4000
            || [&l.email_subject_en, &l.email_subject_zh]
                .iter()
                .any(|t| crate::customer::has_control(t, false))
        {
            return Err(Error::field(
                &format!("{field}.letter"),
                Code::TooLong,
                "names up to 100 characters, letters up to 4000",
            ));
        }
        if l.actions.is_empty() {
            return Err(Error::field(
                &format!("{field}.actions"),
                Code::Required,
                "each level takes at least one action",
            ));
        }
        check_amounts(&format!("{field}.late_fees"), &l.late_fees)?;
        if !(0..=10_000).contains(&l.interest_bp) {
            return Err(Error::field(
                &format!("{field}.interest"),
                Code::InvalidPercent,
                "interest is 0 to 100 % a year",
            ));
        }
    }
    Ok(())
}

fn write_amounts(
    tx: &Transaction,
    table: &str,
    key: &str,
    id: impl rusqlite::ToSql,
    list: &[Money],
) -> Result<()> {
    tx.execute(
        &format!("DELETE FROM {table} WHERE {key} = ?1"),
        params![id],
    )?;
    for m in list {
        tx.execute(
            &format!("INSERT INTO {table} ({key}, currency, amount_minor) VALUES (?1, ?2, ?3)"),
            params![&id, m.currency.code(), m.minor],
        )?;
    }
    Ok(())
}

/// Saves a policy (new when `id` is 0) with its levels; audited. A level whose `id` is
/// one of this policy's keeps that id; levels left out are retired, not deleted.
pub fn save_policy(tx: &Transaction, ctx: &Ctx, p: &Policy) -> Result<Policy> {
    validate(p)?;
    let before = if !p.id.is_new() {
        Some(policy(tx, p.id)?)
    } else {
        None
    };
    let id = if let Some(b) = &before {
        tx.execute(
            "UPDATE collection_policies SET name = ?1, grace_days = ?2, updated_at = ?3 WHERE id = ?4",
            params![p.name.trim(), p.grace_days, ctx.now_text(), b.id],
        )
        .map_err(duplicate_name)?;
        b.id
    } else {
        tx.execute(
            "INSERT INTO collection_policies (name, grace_days, min_overdue_minor, is_default, created_at, updated_at)
             VALUES (?1, ?2, 0, 0, ?3, ?3)",
            params![p.name.trim(), p.grace_days, ctx.now_text()],
        )
        .map_err(duplicate_name)?;
        PolicyId(tx.last_insert_rowid())
    };
    write_amounts(tx, "policy_minimums", "policy_id", id, &p.min_overdue)?;
    let kept: Vec<LevelId> = p
        .levels
        .iter()
        .map(|l| l.id)
        .filter(|i| !i.is_new())
        .collect();
    let existing: Vec<LevelId> = before
        .as_ref()
        .map(|b| b.levels.iter().map(|l| l.id).collect())
        .unwrap_or_default();
    for k in &kept {
        if !existing.contains(k) {
            return Err(Error::field(
                "levels",
                Code::UnknownLevel,
                format!("level {k} is not a level of this policy"),
            ));
        }
    }
    // Positions are unique among live levels: park every live level first.
    tx.execute(
        "UPDATE policy_levels SET seq = 0, retired = 1 WHERE policy_id = ?1 AND retired = 0",
        params![id],
    )?;
    for (i, l) in p.levels.iter().enumerate() {
        let actions: Vec<&str> = l.actions.iter().map(|a| a.as_str()).collect();
        let seq = (i + 1) as i64;
        let level_id = if !l.id.is_new() {
            tx.execute(
                "UPDATE policy_levels SET seq = ?1, retired = 0, days_after_due = ?2, name_en = ?3, name_zh = ?4,
                    actions = ?5, letter_en = ?6, letter_zh = ?7, interest_bp = ?8,
                    email_subject_en = ?11, email_subject_zh = ?12, email_body_en = ?13, email_body_zh = ?14
                 WHERE id = ?9 AND policy_id = ?10",
                params![seq, l.days_after_due, l.name_en.trim(), l.name_zh.trim(), actions.join(","), l.letter_en.trim(), l.letter_zh.trim(), l.interest_bp, l.id, id,
                    l.email_subject_en.trim(), l.email_subject_zh.trim(), l.email_body_en.trim(), l.email_body_zh.trim()],
            )?;
            l.id
        } else {
            tx.execute(
                "INSERT INTO policy_levels (policy_id, seq, days_after_due, name_en, name_zh, actions, letter_en, letter_zh, interest_bp,
                    email_subject_en, email_subject_zh, email_body_en, email_body_zh)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![id, seq, l.days_after_due, l.name_en.trim(), l.name_zh.trim(), actions.join(","), l.letter_en.trim(), l.letter_zh.trim(), l.interest_bp,
                    l.email_subject_en.trim(), l.email_subject_zh.trim(), l.email_body_en.trim(), l.email_body_zh.trim()],
            )?;
            LevelId(tx.last_insert_rowid())
        };
        write_amounts(tx, "level_fees", "level_id", level_id, &l.late_fees)?;
    }
    let after = policy(tx, id)?;
    audit::record(
        tx,
        ctx,
        "policy",
        id.0,
        if before.is_some() { "update" } else { "create" },
        before.as_ref(),
        Some(&after),
    )?;
    Ok(after)
}

fn duplicate_name(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Error::field("name", Code::Duplicate, "another policy has this name")
        }
        e => e.into(),
    }
}

pub fn assign_policy(
    tx: &Transaction,
    ctx: &Ctx,
    customer_id: CustomerId,
    policy_id: Option<PolicyId>,
) -> Result<()> {
    customer::get(tx, customer_id)?;
    if let Some(id) = policy_id {
        policy(tx, id)?;
    }
    let before: Option<PolicyId> = tx.query_row(
        "SELECT policy_id FROM customers WHERE id = ?1",
        params![customer_id],
        |r| r.get(0),
    )?;
    if before == policy_id {
        return Ok(());
    }
    tx.execute(
        "UPDATE customers SET policy_id = ?1 WHERE id = ?2",
        params![policy_id, customer_id],
    )?;
    audit::record(
        tx,
        ctx,
        "customer",
        customer_id,
        "assign_policy",
        Some(&serde_json::json!({ "policy_id": before })),
        Some(&serde_json::json!({ "policy_id": policy_id })),
    )?;
    Ok(())
}
