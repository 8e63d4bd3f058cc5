//! What the dunning planner reads of each customer: all at once for the whole book (the
//! plan), or one by one (the reference the plan is checked against, in tests).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::Connection;

use super::policies::{policy_for, LevelId, PolicyId};
use crate::customer::{self, Language, Status};
use crate::ids::{CustomerId, InvoiceId};
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

/// Per invoice, of the steps not given back: the levels applied so far, the latest day among
/// them, and the interest watermark (the last day interest was charged or waived up to); and
/// the runs whose level on it a payment entered since gave back, not yet taken again.
pub(super) struct Applied {
    pub ids: HashSet<(InvoiceId, LevelId)>,
    pub latest_day: HashMap<InvoiceId, i64>,
    /// The level (by id) applied last to each invoice.
    pub latest_level: HashMap<InvoiceId, (i64, LevelId)>,
    pub watermark: HashMap<InvoiceId, NaiveDate>,
    pub given_back: HashMap<InvoiceId, BTreeSet<i64>>,
}

/// What the steps say, in one pass over them.
pub(super) fn applied(conn: &Connection) -> Result<Applied> {
    let mut stmt = conn.prepare(
        "SELECT invoice_id, level_id, days_after_due, interest_to, given_back, run_id,
                superseded_by IS NOT NULL
         FROM dunning_steps",
    )?;
    let mut out = Applied {
        ids: HashSet::new(),
        latest_day: HashMap::new(),
        latest_level: HashMap::new(),
        watermark: HashMap::new(),
        given_back: HashMap::new(),
    };
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (inv, level, day): (InvoiceId, LevelId, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if r.get::<_, bool>(4)? {
            if !r.get::<_, bool>(6)? {
                out.given_back.entry(inv).or_default().insert(r.get(5)?);
            }
            continue;
        }
        out.ids.insert((inv, level));
        let e = out.latest_day.entry(inv).or_insert(day);
        *e = (*e).max(day);
        let l = out.latest_level.entry(inv).or_insert((day, level));
        if day >= l.0 {
            *l = (day, level);
        }
        if let Some(to) = r.get::<_, Option<String>>(3)? {
            let to = crate::store::parse_day(&to)?;
            let w = out.watermark.entry(inv).or_insert(to);
            *w = (*w).max(to);
        }
    }
    Ok(out)
}
