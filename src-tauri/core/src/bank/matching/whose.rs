//! Whose a bank line is, by what it says of the payer: the virtual account it arrived on,
//! the payer's name (a customer's legal or payer name, as a bank prints it), or the
//! customer's contact person.

use super::super::numbers::digit_runs;
use super::super::BankLine;
use super::{run_together, Book, Cust};
use crate::identity::company;

impl Book {
    pub(super) fn by_virtual_account(&self, line: &BankLine) -> Option<&Cust> {
        let mut runs = digit_runs(&line.entry.to_account);
        runs.extend(digit_runs(&line.entry.text));
        runs.extend(digit_runs(&line.entry.reference));
        // Written as stored anywhere in the line; or, in the account column, with or without
        // the leading zeros a spreadsheet drops (0998800120003 kept as 998800120003).
        runs.iter()
            .find_map(|r| self.by_account.get(r))
            .or_else(|| {
                digit_runs(&line.entry.to_account).iter().find_map(|r| {
                    match self.by_account_value.get(r.trim_start_matches('0')) {
                        Some(one) if one.len() == 1 => one.first(),
                        _ => None,
                    }
                })
            })
            .map(|i| &self.customers[*i])
    }

    /// The customers the payer's name is, as written or, of a name in two scripts
    /// (`雲雀數位股份有限公司 SKYLARK DIGITAL CO`), by its Chinese or its English name.
    pub(super) fn by_payer(&self, payer: &str) -> Vec<&Cust> {
        let found = self.by_payer_name(payer);
        if !found.is_empty() {
            return found;
        }
        let Some((chinese, latin)) = crate::identity::bilingual(payer) else {
            return found;
        };
        let mut either = self.by_payer_name(&chinese);
        either.extend(self.by_payer_name(&latin));
        either.sort_by_key(|c| c.id);
        either.dedup_by_key(|c| c.id);
        either
    }

    fn by_payer_name(&self, payer: &str) -> Vec<&Cust> {
        // A company's name the bank printed with characters hidden (`雲＊科技股份有限公司`):
        // the one customer whose name it fits, or no one.
        if let Some(pattern) = crate::identity::masked_company(payer) {
            let fits: Vec<&Cust> = self
                .customers
                .iter()
                .filter(|c| {
                    c.written
                        .iter()
                        .any(|w| crate::identity::masked_company_fits(&pattern, w))
                })
                .collect();
            return match fits.as_slice() {
                [one] => vec![*one],
                _ => vec![],
            };
        }
        let p = company(payer);
        if p.is_empty() {
            return vec![];
        }
        let mut exact: Vec<&Cust> = self
            .by_name
            .get(&p)
            .map(|ids| ids.iter().map(|i| &self.customers[*i]).collect())
            .unwrap_or_default();
        exact.dedup_by_key(|c| c.id);
        if !exact.is_empty() {
            return exact;
        }
        // Banks cut long names short, in the legal form too (`雲橋科技股份有`): a payer that
        // begins exactly one customer's name.
        let run = run_together(payer);
        if p.chars().count() >= 4 {
            let cut: Vec<&Cust> = self
                .customers
                .iter()
                .filter(|c| {
                    c.names.iter().any(|n| n.starts_with(&p))
                        || c.written.iter().any(|n| n.starts_with(&run))
                })
                .collect();
            if cut.len() == 1 {
                return cut;
            }
        }
        vec![]
    }

    /// The one customer whose contact person the payer is: two names in Chinese by their
    /// characters, a name in English by how it reads (surname first or last), so
    /// `WANG HSIAO MING` is `王小明`, and is no one when `王曉明` is another customer's
    /// contact.
    pub(super) fn by_contact(&self, payer: &str) -> Option<&Cust> {
        // A private payer's name the bank printed with part of it hidden (`林*芬`): the one
        // customer whose contact has the shown characters where they stand.
        if let Some(pattern) = crate::identity::masked_person(payer) {
            let mut found = self
                .customers
                .iter()
                .filter(|c| crate::identity::masked_matches(&pattern, &c.contact));
            return match (found.next(), found.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            };
        }
        let keys = crate::identity::person(payer);
        let chinese = keys.first().is_some_and(|k| !k.is_ascii());
        let mut found: Vec<usize> = keys
            .iter()
            .enumerate()
            .filter_map(|(n, k)| Some((n, self.by_person.get(k)?)))
            .flat_map(|(n, at)| {
                // A payer in Chinese spelled in English is only a contact written in English.
                at.iter()
                    .filter(move |(_, english)| !chinese || n == 0 || *english)
                    .map(|(i, _)| *i)
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        match found.as_slice() {
            [one] => Some(&self.customers[*one]),
            _ => None,
        }
    }
}
