//! A customer's admin relationships (GDAP) as granted in Partner Center: a name, the roles,
//! whether Global Administrator is among them, and the dates. Microsoft limits a
//! relationship to two years; an ended one stays on record.

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::Code;
use crate::ids::CustomerId;
use crate::store::parse_day;
use crate::{audit, dates, Ctx, Error, FieldError, Result};

/// The longest a GDAP relationship can run (Microsoft: two years).
pub const MAX_DAYS: i64 = 730;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AdminRelationship {
    pub id: i64,
    pub customer_id: CustomerId,
    pub name: String,
    pub roles: String,
    pub global_admin: bool,
    pub starts_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

impl AdminRelationship {
    /// In force on `day`: started, not expired, not ended.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && day < self.expires_on && self.ended_on.is_none_or(|e| day < e)
    }
}

/// A relationship as typed into the form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AdminRelationshipInput {
    pub name: String,
    pub roles: String,
    pub global_admin: bool,
    pub starts_on: String,
    pub expires_on: String,
}

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<AdminRelationship> {
    let ended: Option<String> = r.get(7)?;
    Ok(AdminRelationship {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        name: r.get(2)?,
        roles: r.get(3)?,
        global_admin: r.get::<_, i64>(4)? == 1,
        starts_on: parse_day(&r.get::<_, String>(5)?)?,
        expires_on: parse_day(&r.get::<_, String>(6)?)?,
        ended_on: ended.map(|d| parse_day(&d)).transpose()?,
    })
}

const COLUMNS: &str = "id, customer_id, name, roles, global_admin, starts_on, expires_on, ended_on";

/// The relationships of one customer (or all), newest first.
pub fn admin_relationships(
    conn: &Connection,
    customer: Option<CustomerId>,
) -> Result<Vec<AdminRelationship>> {
    crate::store::rows(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM admin_relationships WHERE ?1 IS NULL OR customer_id = ?1
             ORDER BY starts_on DESC, id DESC"
        ),
        params![customer],
        from_row,
    )
}

fn get(conn: &Connection, id: i64) -> Result<AdminRelationship> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM admin_relationships WHERE id = ?1"),
        params![id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("admin relationship {id}")))
}

/// Records a relationship (checked: a name, dates in order and at most two years apart).
pub fn add_admin_relationship(
    tx: &Transaction,
    ctx: &Ctx,
    customer: CustomerId,
    input: &AdminRelationshipInput,
) -> Result<AdminRelationship> {
    super::get(tx, customer)?;
    let mut errs = Vec::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errs.push(FieldError::new(
            "name",
            Code::Required,
            "a name of 1 to 200 characters",
        ));
    }
    let roles = input.roles.trim();
    if roles.chars().count() > 2000 {
        errs.push(FieldError::too_long("roles", 2000));
    }
    let mut day = |field: &str, text: &str| match dates::parse_field(field, text) {
        Ok(d) => Some(d),
        Err(Error::Validation(mut e)) => {
            errs.append(&mut e);
            None
        }
        Err(_) => None,
    };
    let starts = day("starts_on", &input.starts_on);
    let expires = day("expires_on", &input.expires_on);
    if let (Some(s), Some(e)) = (starts, expires) {
        if e <= s || e > s + Duration::days(MAX_DAYS) {
            errs.push(FieldError::new(
                "expires_on",
                Code::Invalid,
                "after the start, at most two years later (Microsoft's limit for GDAP)",
            ));
        }
    }
    let (Some(starts), Some(expires), true) = (starts, expires, errs.is_empty()) else {
        return Err(Error::Validation(errs));
    };
    tx.execute(
        "INSERT INTO admin_relationships (customer_id, name, roles, global_admin, starts_on, expires_on, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            customer,
            name,
            roles,
            i64::from(input.global_admin),
            starts.to_string(),
            expires.to_string(),
            ctx.now_text()
        ],
    )?;
    let r = get(tx, tx.last_insert_rowid())?;
    audit::record(
        tx,
        ctx,
        "admin_relationship",
        r.id,
        "create",
        None,
        Some(&r),
    )?;
    Ok(r)
}

/// Records that a relationship ended on `on` (terminated in Partner Center).
pub fn end_admin_relationship(
    tx: &Transaction,
    ctx: &Ctx,
    id: i64,
    on: NaiveDate,
) -> Result<AdminRelationship> {
    let before = get(tx, id)?;
    dates::check_field("on", on)?;
    if before.ended_on.is_some() {
        return Err(Error::Conflict {
            field: "ended_on".into(),
            message: "this relationship has already ended".into(),
        });
    }
    if on < before.starts_on {
        return Err(Error::field(
            "on",
            Code::TooEarly,
            "before the relationship started",
        ));
    }
    tx.execute(
        "UPDATE admin_relationships SET ended_on = ?1 WHERE id = ?2",
        params![on.to_string(), id],
    )?;
    let after = get(tx, id)?;
    audit::record(
        tx,
        ctx,
        "admin_relationship",
        id,
        "end",
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}
