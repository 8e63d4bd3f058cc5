//! A dunning plan's fingerprint: the SHA-256 of its JSON with the fingerprint cleared, which
//! the run checks so that it executes exactly the plan that was reviewed.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::plan::{Note, Paused, Plan, PlanInvoice, PlanSubscription, Reactivation};
use super::policies::{Action, Level, PolicyId};
use crate::customer::Language;
use crate::ids::CustomerId;
use crate::money::{Currency, Money};

/// SHA-256 (hex) of the plan's content, its own fingerprint field left empty: the digest of
/// the plan's JSON with the fingerprint cleared, written straight into the hash. A level is
/// the longest part of a customer's entry and shared by every customer at it, so each
/// level's JSON is made once and written as it is (the same bytes, see the tests).
pub fn fingerprint(p: &Plan) -> String {
    use serde_json::value::RawValue;

    /// A customer's entry: [`PlanCustomer`]'s fields in its order, its levels as their JSON.
    #[derive(Serialize)]
    struct Customer<'a> {
        customer_id: CustomerId,
        legal_name: &'a str,
        language: Language,
        currency: Currency,
        policy_id: PolicyId,
        level: &'a RawValue,
        next_level: Option<&'a RawValue>,
        actions: &'a [Action],
        invoices: &'a [PlanInvoice],
        overdue: Money,
        charges: Money,
        suspend: &'a [PlanSubscription],
        #[serde(serialize_with = "crate::dates::serialize_day")]
        deadline: NaiveDate,
        notes: &'a [Note],
        suspension_left_out: bool,
    }
    #[derive(Serialize)]
    struct Content<'a> {
        as_of: NaiveDate,
        customers: Vec<Customer<'a>>,
        paused: &'a [Paused],
        reactivations: &'a [Reactivation],
        fingerprint: &'a str,
    }
    /// Bytes written go into the hash.
    struct Hashing(Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The level's place among those seen, its JSON made the first time it is met. Known
    /// by where it is kept: a level shared by many customers is written once; one kept twice
    /// (a plan read back from JSON) is written twice, to the same bytes.
    fn find(
        l: &Arc<Level>,
        uniq: &mut Vec<Box<RawValue>>,
        seen: &mut HashMap<*const Level, usize>,
    ) -> Option<usize> {
        if let Some(i) = seen.get(&Arc::as_ptr(l)) {
            return Some(*i);
        }
        uniq.push(serde_json::value::to_raw_value(&**l).ok()?);
        seen.insert(Arc::as_ptr(l), uniq.len() - 1);
        Some(uniq.len() - 1)
    }

    let mut uniq: Vec<Box<RawValue>> = Vec::new();
    let mut seen: HashMap<*const Level, usize> = HashMap::new();
    let mut slots: Vec<(usize, Option<usize>)> = Vec::with_capacity(p.customers.len());
    for c in &p.customers {
        let Some(level) = find(&c.level, &mut uniq, &mut seen) else {
            return String::new();
        };
        let next = match &c.next_level {
            Some(l) => match find(l, &mut uniq, &mut seen) {
                Some(i) => Some(i),
                None => return String::new(),
            },
            None => None,
        };
        slots.push((level, next));
    }
    let customers: Vec<Customer> = p
        .customers
        .iter()
        .zip(&slots)
        .map(|(c, (level, next))| Customer {
            customer_id: c.customer_id,
            legal_name: &c.legal_name,
            language: c.language,
            currency: c.currency,
            policy_id: c.policy_id,
            level: &uniq[*level],
            next_level: next.map(|i| &*uniq[i]),
            actions: &c.actions,
            invoices: &c.invoices,
            overdue: c.overdue,
            charges: c.charges,
            suspend: &c.suspend,
            deadline: c.deadline,
            notes: &c.notes,
            suspension_left_out: c.suspension_left_out,
        })
        .collect();
    let content = Content {
        as_of: p.as_of,
        customers,
        paused: &p.paused,
        reactivations: &p.reactivations,
        fingerprint: "",
    };
    // The JSON comes in many small pieces: hashed 64 KiB at a time.
    let mut h = std::io::BufWriter::with_capacity(1 << 16, Hashing(Sha256::new()));
    let _ = serde_json::to_writer(&mut h, &content);
    let Ok(h) = h.into_inner() else {
        return String::new();
    };
    crate::hex::lower(&h.0.finalize())
}
