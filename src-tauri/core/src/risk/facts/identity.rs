//! A customer's identity keys (the look-alikes' forms of its e-mail, phone, address,
//! contact person and tax id), read from the record as written and kept by that text.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use super::Facts;
use crate::ids::CustomerId;

/// A customer's identity as written in the record: what its look-alike keys are read from.
#[derive(PartialEq, Eq, Hash)]
pub(super) struct Written {
    pub(super) email: String,
    pub(super) billing_email: String,
    pub(super) phone: String,
    pub(super) address: String,
    pub(super) contact: String,
    pub(super) tax_id: String,
    pub(super) country: String,
}

/// The keys [`Written`] gives, for [`Facts`].
#[derive(Clone, Debug, PartialEq)]
pub(super) struct IdentityKeys {
    email_domain: String,
    mailboxes: Vec<String>,
    phone: String,
    address: String,
    places: Vec<String>,
    contact: (String, Vec<String>),
    tax_id: String,
}

impl Written {
    fn keys(&self) -> IdentityKeys {
        let address = crate::identity::address(&self.address);
        IdentityKeys {
            email_domain: crate::identity::email_domain(&self.email),
            mailboxes: public_mailboxes(
                &std::iter::once(self.email.as_str())
                    .chain(crate::mail::recipients(&self.billing_email))
                    .collect::<Vec<_>>(),
            ),
            phone: crate::identity::phone(&self.phone, &self.country),
            places: crate::identity::place_of(&address, &self.address),
            address,
            contact: (
                self.contact.trim().to_string(),
                crate::identity::person(&self.contact),
            ),
            tax_id: crate::identity::tax_key(&self.tax_id, &self.country),
        }
    }
}

impl IdentityKeys {
    pub(super) fn fill(self, f: &mut Facts) {
        f.email_domain = self.email_domain;
        f.mailboxes = self.mailboxes;
        f.phone = self.phone;
        f.address = self.address;
        f.places = self.places;
        f.contact = self.contact;
        f.tax_id = self.tax_id;
    }
}

/// The identity keys derived so far, by the text they were derived from. Deriving them (the
/// address, the contact person, the phone...) is most of reading every customer's facts,
/// and a record's keys change only when its text does: scoring again after a write derives
/// only the records it changed. Emptied when it would hold more than [`KEYS_KEPT`] (each
/// entry is the record's text and its keys, about a kilobyte): a larger book derives the
/// rest each time, as it did before anything was kept.
static KEYS: LazyLock<Mutex<HashMap<Written, IdentityKeys>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
/// (Small in the crate's own tests, so that going past it is quick to test.)
const KEYS_KEPT: usize = if cfg!(test) { 500 } else { 20_000 };

/// The identity keys of `written`, derived (on all cores) only where not kept already.
pub(super) fn identity_keys(
    written: Vec<(CustomerId, Written)>,
) -> Vec<(CustomerId, IdentityKeys)> {
    // A poisoned lock holds whole entries (each is inserted at once): still good to read.
    let lock = || KEYS.lock().unwrap_or_else(|e| e.into_inner());
    let mut out = Vec::with_capacity(written.len());
    let mut missing = Vec::new();
    {
        let kept = lock();
        for (id, w) in written {
            match kept.get(&w) {
                Some(k) => out.push((id, k.clone())),
                None => missing.push((id, w)),
            }
        }
    }
    let derived = crate::parallel::map(&missing, |(id, w)| (*id, w.keys()));
    let mut kept = lock();
    if kept.len() + missing.len() > KEYS_KEPT {
        kept.clear();
    }
    for ((_, w), (_, k)) in missing.into_iter().zip(&derived) {
        if kept.len() < KEYS_KEPT {
            kept.insert(w, k.clone());
        }
    }
    out.extend(derived);
    out
}

/// The mailboxes among `addresses` at free-mail providers, each in one form, once.
fn public_mailboxes(addresses: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = addresses
        .iter()
        .filter(|a| crate::identity::is_public_mail(&crate::identity::email_domain(a)))
        .map(|a| crate::identity::mailbox(a))
        .filter(|m| !m.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More records than are kept, twice over: each comes back with the keys its own text
    /// gives (kept or derived again), and no more than the bound is kept.
    #[test]
    fn identity_keys_beyond_the_bound_are_each_the_records_own() {
        let written = |n: usize| -> Vec<(CustomerId, Written)> {
            (0..n)
                .map(|i| {
                    let w = Written {
                        email: format!("ap{i}@bound{}.example", i % 7),
                        billing_email: String::new(),
                        phone: format!("02-2711-{:04}", i % 10_000),
                        address: format!("{} Keep Road, Taipei", i % 97),
                        contact: format!("Bound Person {i}"),
                        tax_id: format!("{:08}", i),
                        country: "TW".into(),
                    };
                    (CustomerId(i as i64), w)
                })
                .collect()
        };
        let n = KEYS_KEPT + 10;
        for _ in 0..3 {
            // (Kept ones come first: the order is not the records'.)
            let mut got = identity_keys(written(n));
            got.sort_by_key(|(id, _)| id.0);
            assert_eq!(got.len(), n);
            for ((id, keys), (wid, w)) in got.iter().zip(written(n)) {
                assert_eq!(*id, wid);
                assert_eq!(*keys, w.keys());
            }
            assert!(KEYS.lock().unwrap_or_else(|e| e.into_inner()).len() <= KEYS_KEPT);
        }
    }
}
