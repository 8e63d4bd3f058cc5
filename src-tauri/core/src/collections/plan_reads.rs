//! What the dunning planner reads of each customer: all at once for the whole book (the
//! plan), or one by one (the reference the plan is checked against, in tests).

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::policies::{policy_for, PolicyId};
use crate::customer::{self, Language, Status};
use crate::ids::CustomerId;
use crate::money::Currency;
use crate::receivables::{self, PromiseState};
use crate::Result;

/// What the planner needs of a customer's record: whom a letter goes to, in which language
/// and currency, and whether the account is closed.
#[derive(Debug, Clone)]
pub(super) struct Addressee {
    pub legal_name: String,
    pub language: Language,
    pub currency: Currency,
    pub closed: bool,
}

impl From<customer::Customer> for Addressee {
    fn from(c: customer::Customer) -> Self {
        Addressee {
            legal_name: c.fields.legal_name,
            language: c.fields.language,
            currency: c.fields.currency,
            closed: c.fields.status == Status::Closed,
        }
    }
}

/// What the planner reads of each customer it looks at.
pub(super) trait Reads {
    fn customer(&self, conn: &Connection, id: CustomerId) -> Result<Cow<'_, Addressee>>;
    fn policy_for(&self, conn: &Connection, id: CustomerId) -> Result<PolicyId>;
    fn promise(
        &self,
        conn: &Connection,
        id: CustomerId,
        as_of: NaiveDate,
    ) -> Result<Option<(receivables::Promise, PromiseState)>>;
}

/// Each customer read when it is needed, one query at a time: the reference the planner
/// is checked against.
#[cfg(test)]
pub(super) struct OneByOne;

#[cfg(test)]
impl Reads for OneByOne {
    fn customer(&self, conn: &Connection, id: CustomerId) -> Result<Cow<'_, Addressee>> {
        customer::get(conn, id).map(|c| Cow::Owned(c.into()))
    }

    fn policy_for(&self, conn: &Connection, id: CustomerId) -> Result<PolicyId> {
        policy_for(conn, id)
    }

    fn promise(
        &self,
        conn: &Connection,
        id: CustomerId,
        as_of: NaiveDate,
    ) -> Result<Option<(receivables::Promise, PromiseState)>> {
        receivables::promise_state(conn, id, as_of)
    }
}

/// Every customer, its policy and its latest promise read at once (three queries for the
/// whole book, not three per customer); of each customer only what a plan shows.
pub(super) struct AllAtOnce {
    customers: HashMap<CustomerId, (Addressee, Option<PolicyId>)>,
    default_policy: Option<PolicyId>,
    promises: HashMap<CustomerId, (receivables::Promise, i64)>,
}

impl AllAtOnce {
    pub(super) fn load(conn: &Connection, as_of: NaiveDate) -> Result<Self> {
        let customers = crate::store::rows(
            conn,
            "SELECT id, legal_name, language, currency, status, policy_id FROM customers",
            [],
            |r| {
                let who = Addressee {
                    legal_name: r.get(1)?,
                    language: r.get(2)?,
                    currency: r.get(3)?,
                    closed: r.get::<_, Status>(4)? == Status::Closed,
                };
                Ok((r.get(0)?, (who, r.get(5)?)))
            },
        )?;
        Ok(AllAtOnce {
            customers,
            default_policy: super::policies::default_policy_id(conn).ok(),
            promises: receivables::latest_promises(conn, as_of)?,
        })
    }
}

impl Reads for AllAtOnce {
    fn customer(&self, conn: &Connection, id: CustomerId) -> Result<Cow<'_, Addressee>> {
        match self.customers.get(&id) {
            Some((who, _)) => Ok(Cow::Borrowed(who)),
            None => customer::get(conn, id).map(|c| Cow::Owned(c.into())),
        }
    }

    fn policy_for(&self, conn: &Connection, id: CustomerId) -> Result<PolicyId> {
        match (self.customers.get(&id).map(|(_, p)| p), self.default_policy) {
            (Some(Some(p)), _) => Ok(*p),
            (Some(None), Some(d)) => Ok(d),
            _ => policy_for(conn, id),
        }
    }

    fn promise(
        &self,
        conn: &Connection,
        id: CustomerId,
        as_of: NaiveDate,
    ) -> Result<Option<(receivables::Promise, PromiseState)>> {
        match self.promises.get(&id) {
            Some((p, last)) => Ok(Some((
                p.clone(),
                receivables::state_of(conn, p, *last, as_of)?,
            ))),
            None => Ok(None),
        }
    }
}
