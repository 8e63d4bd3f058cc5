//! What the dunning planner reads of each customer: all at once for the whole book (the
//! plan), or one by one (the reference the plan is checked against, in tests).

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::policies::{policy_for, PolicyId};
use crate::customer;
use crate::ids::CustomerId;
use crate::receivables::{self, PromiseState};
use crate::Result;

/// What the planner reads of each customer it looks at.
pub(super) trait Reads {
    fn customer(&self, conn: &Connection, id: CustomerId) -> Result<Cow<'_, customer::Customer>>;
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
    fn customer(&self, conn: &Connection, id: CustomerId) -> Result<Cow<'_, customer::Customer>> {
        customer::get(conn, id).map(Cow::Owned)
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
/// whole book, not three per customer).
pub(super) struct AllAtOnce {
    customers: HashMap<CustomerId, customer::Customer>,
    own_policy: HashMap<CustomerId, Option<PolicyId>>,
    default_policy: Option<PolicyId>,
    promises: HashMap<CustomerId, (receivables::Promise, i64)>,
}

impl AllAtOnce {
    pub(super) fn load(conn: &Connection, as_of: NaiveDate) -> Result<Self> {
        let customers = customer::all(conn)?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let own_policy =
            crate::store::rows(conn, "SELECT id, policy_id FROM customers", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        Ok(AllAtOnce {
            customers,
            own_policy,
            default_policy: super::policies::default_policy_id(conn).ok(),
            promises: receivables::latest_promises(conn, as_of)?,
        })
    }
}

impl Reads for AllAtOnce {
    fn customer(&self, conn: &Connection, id: CustomerId) -> Result<Cow<'_, customer::Customer>> {
        match self.customers.get(&id) {
            Some(c) => Ok(Cow::Borrowed(c)),
            None => customer::get(conn, id).map(Cow::Owned),
        }
    }

    fn policy_for(&self, conn: &Connection, id: CustomerId) -> Result<PolicyId> {
        match (self.own_policy.get(&id), self.default_policy) {
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
