//! What each incoming line most likely pays, why, and how sure RiskDesk is.
//!
//! * **sure**: the line's text names open invoices of one customer (case, spaces and dashes
//!   ignored: `INV 2026-0012`, `inv20260012`; a number of four digits or more alone also by
//!   its value, `4567` for `0004567`), or it arrived on a customer's virtual account,
//!   and the amount equals those invoices (or, with only the account, open invoices of the
//!   customer: one, the oldest ones together, or another combination);
//! * **likely**: the payer's name is the customer's legal name (or, of a legal name in two
//!   scripts, its Chinese or its English name) or one of its payer names
//!   (compared as the look-alike rules compare names: case, punctuation, full-width letters
//!   and legal suffixes aside), or else the name of the customer's contact person and of no
//!   other customer's (`WANG HSIAO MING` paying for a firm whose contact is `王小明`: a
//!   small firm's owner often pays from a personal account), and the amount equals open
//!   invoices of that customer;
//! * **unsure**: anything else; an amount that two customers owe with no reference names
//!   neither.
//!
//! A shortfall up to the currency's tolerance (a wire fee: NT$30 by default) still matches,
//! and the difference is proposed as a bank-fee write-off.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{params, Connection};

use super::numbers::{digits_value, number_runs, squeeze};
use super::proposal::{nobody, why};
use super::{
    fee_tolerances, Allocation, BankLine, Confidence, Direction, LineStatus, Proposal, Reason,
};
use crate::identity::company;
use crate::ids::{CustomerId, InvoiceId};
use crate::money::{Currency, Money};
use crate::Result;

mod estimate;
mod whose;

#[derive(Debug, Clone)]
struct Cust {
    id: CustomerId,
    name: String,
    currency: Currency,
    virtual_account: String,
    names: Vec<String>,
    /// The same names with their legal form, run together ([`run_together`]): what a
    /// payer cut short inside the legal form begins.
    written: Vec<String>,
    /// The contact person, as written.
    contact: String,
}

/// A name as a bank prints it cut short, compared: its legal-name form with no spaces
/// (`CONTOSO TAIWAN L` is `contosotaiwanl`, which begins `contosotaiwanltd`).
fn run_together(name: &str) -> String {
    crate::identity::legal_name(name).replace(' ', "")
}

/// An invoice with something still owed on it.
#[derive(Debug, Clone)]
pub(crate) struct Open {
    pub(crate) id: InvoiceId,
    pub(crate) number: String,
    key: String,
    pub(crate) customer: CustomerId,
    pub(crate) currency: Currency,
    pub(crate) owed: i64,
}

/// The customers and open invoices the proposals are made from, read once.
pub struct Book {
    customers: Vec<Cust>,
    open: Vec<Open>,
    tolerances: Vec<Money>,
    /// The usage files' and the owner's exchange rates: what a line in another currency than
    /// its customer's is about worth in the customer's (a hint; the bank's advice decides).
    rates: crate::usage::rates::Rates,
    /// Indexes over the two lists, so a statement of thousands of lines against a book of
    /// thousands of customers is matched line by line without scanning the book.
    customer_at: HashMap<CustomerId, usize>,
    by_account: HashMap<String, usize>,
    /// Virtual accounts without their leading zeros, as a spreadsheet keeps them (two
    /// customers' accounts of one value name neither).
    by_account_value: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    /// Contact people by each key of their names ([`crate::identity::person`]), and
    /// whether the name is written in English.
    by_person: HashMap<String, Vec<(usize, bool)>>,
    by_key: HashMap<String, Vec<usize>>,
    /// Invoice numbers made only of digits, by their value (leading zeros aside): a
    /// spreadsheet keeps `0004567` as `4567`, and a customer writes what the invoice says.
    by_value: HashMap<String, Vec<usize>>,
    /// The lengths (in characters) of the invoice numbers as compared.
    key_lengths: BTreeSet<usize>,
    open_of_customer: HashMap<CustomerId, Vec<usize>>,
    invoice_at: HashMap<InvoiceId, usize>,
}

impl Book {
    pub fn load(conn: &Connection) -> Result<Book> {
        let customers: Vec<_> = crate::store::rows(
            conn,
            "SELECT id, legal_name, currency, virtual_account, payer_names, contact_name FROM customers ORDER BY id",
            [],
            |r| {
                let payer_names: String = r.get(4)?;
                let legal: String = r.get(1)?;
                // A legal name in two scripts is paid under either.
                let mut names = vec![legal.clone()];
                if let Some((chinese, latin)) = crate::identity::bilingual(&legal) {
                    names.extend([chinese, latin]);
                }
                names.extend(payer_names.split(';').map(str::to_string));
                let mut compared: Vec<String> = names.iter().map(|n| company(n)).collect();
                compared.retain(|n| !n.is_empty());
                let mut written: Vec<String> = names.iter().map(|n| run_together(n)).collect();
                written.retain(|n| !n.is_empty());
                Ok(Cust {
                    id: r.get(0)?,
                    name: legal,
                    currency: r.get(2)?,
                    virtual_account: r.get(3)?,
                    names: compared,
                    written,
                    contact: r.get::<_, String>(5)?.trim().to_string(),
                })
            },
        )?;
        let open = open_invoices(conn, None)?;
        let mut book = Book {
            customers,
            open: Vec::new(),
            tolerances: fee_tolerances(conn)?,
            rates: crate::usage::rates::Rates::load(conn)?,
            customer_at: HashMap::new(),
            by_account: HashMap::new(),
            by_account_value: HashMap::new(),
            by_name: HashMap::new(),
            by_person: HashMap::new(),
            by_key: HashMap::new(),
            by_value: HashMap::new(),
            key_lengths: BTreeSet::new(),
            open_of_customer: HashMap::new(),
            invoice_at: HashMap::new(),
        };
        for (i, c) in book.customers.iter().enumerate() {
            book.customer_at.insert(c.id, i);
            if !c.virtual_account.is_empty() {
                book.by_account.insert(c.virtual_account.clone(), i);
                let value = c.virtual_account.trim_start_matches('0');
                if !value.is_empty() {
                    book.by_account_value
                        .entry(value.to_string())
                        .or_default()
                        .push(i);
                }
            }
            for n in &c.names {
                book.by_name.entry(n.clone()).or_default().push(i);
            }
            let keys = crate::identity::person(&c.contact);
            let english = keys.first().is_some_and(|k| k.is_ascii());
            for k in keys {
                book.by_person.entry(k).or_default().push((i, english));
            }
        }
        for o in open {
            book.add_open(o);
        }
        Ok(book)
    }

    fn add_open(&mut self, o: Open) {
        let i = self.open.len();
        let len = o.key.chars().count();
        // A number names an invoice when it has four characters or more and a digit.
        if len >= 4 && o.key.chars().any(|c| c.is_ascii_digit()) {
            self.by_key.entry(o.key.clone()).or_default().push(i);
            self.key_lengths.insert(len);
        }
        if let Some(value) = digits_value(&o.key) {
            self.by_value.entry(value.to_string()).or_default().push(i);
        }
        self.open_of_customer.entry(o.customer).or_default().push(i);
        self.invoice_at.insert(o.id, i);
        self.open.push(o);
    }

    /// Reads what a customer's invoices owe again (after a line of it was booked).
    pub(crate) fn refresh_customer(
        &mut self,
        conn: &Connection,
        customer: CustomerId,
    ) -> Result<()> {
        let fresh = open_invoices(conn, Some(customer))?;
        for i in self
            .open_of_customer
            .get(&customer)
            .cloned()
            .unwrap_or_default()
        {
            self.open[i].owed = 0;
        }
        for o in fresh {
            match self.invoice_at.get(&o.id) {
                Some(i) => self.open[*i].owed = o.owed,
                None => self.add_open(o),
            }
        }
        Ok(())
    }

    fn customer(&self, id: CustomerId) -> Option<&Cust> {
        self.customer_at.get(&id).map(|i| &self.customers[*i])
    }

    /// The shortfall a line in `currency` may have and still match.
    pub fn tolerance_of(&self, currency: Currency) -> i64 {
        self.tolerances
            .iter()
            .find(|m| m.currency == currency)
            .map_or(0, |m| m.minor)
    }

    /// Open invoices whose numbers the text names, a number never read inside a longer one.
    pub(crate) fn named(&self, text: &str) -> Vec<&Open> {
        let hay: Vec<char> = squeeze(text).chars().collect();
        let mut found: Vec<usize> = Vec::new();
        for start in 0..hay.len() {
            for len in &self.key_lengths {
                let Some(window) = hay.get(start..start + len) else {
                    break;
                };
                let key: String = window.iter().collect();
                let Some(hits) = self.by_key.get(&key) else {
                    continue;
                };
                let before = start.checked_sub(1).and_then(|i| hay.get(i));
                let after = hay.get(start + len);
                let starts_digit = window[0].is_ascii_digit();
                let ends_digit = window[len - 1].is_ascii_digit();
                let clear_before = !(starts_digit && before.is_some_and(|c| c.is_ascii_digit()));
                let clear_after = !(ends_digit && after.is_some_and(|c| c.is_ascii_digit()));
                if clear_before && clear_after {
                    for i in hits {
                        if self.open[*i].owed > 0 && !found.contains(i) {
                            found.push(*i);
                        }
                    }
                }
            }
        }
        let mut found: Vec<&Open> = found.into_iter().map(|i| &self.open[i]).collect();
        // A number found only as part of a longer number found too is not named.
        let keys: Vec<String> = found.iter().map(|o| o.key.clone()).collect();
        found.retain(|o| {
            !keys
                .iter()
                .any(|k| k.len() > o.key.len() && k.contains(&o.key))
        });
        // A number of digits alone names the invoices of the same value when no invoice is
        // written exactly so: `0004567` pays invoice 4567, and `4567` pays 0004567.
        for run in number_runs(&hay) {
            if self.by_key.contains_key(&run) {
                continue;
            }
            let Some(hits) = digits_value(&run).and_then(|v| self.by_value.get(v)) else {
                continue;
            };
            for o in hits.iter().map(|i| &self.open[*i]) {
                if o.owed > 0 && !found.iter().any(|f| f.id == o.id) {
                    found.push(o);
                }
            }
        }
        // In the book's order (oldest due first), as the allocation goes.
        found.sort_by_key(|o| self.invoice_at[&o.id]);
        found
    }

    /// The open invoices (oldest first) that `amount` pays exactly, or short by at most the
    /// tolerance: one invoice, the oldest ones together, or (up to 16 invoices) the fewest
    /// that add up. The shortfall comes back with them.
    fn fit<'a>(
        &self,
        invoices: &[&'a Open],
        amount: i64,
        tolerance: i64,
    ) -> Option<(Vec<&'a Open>, i64)> {
        for slack in [false, true] {
            let ok = |sum: i64| {
                if slack {
                    sum > amount && sum - amount <= tolerance
                } else {
                    sum == amount
                }
            };
            if let Some(one) = invoices.iter().find(|o| ok(o.owed)) {
                return Some((vec![*one], one.owed - amount));
            }
            let mut sum = 0i64;
            for (i, o) in invoices.iter().enumerate() {
                sum = sum.saturating_add(o.owed);
                if ok(sum) {
                    return Some((invoices[..=i].to_vec(), sum - amount));
                }
            }
            if invoices.len() <= 16 {
                let mut best: Option<u32> = None;
                for mask in 1u32..(1 << invoices.len()) {
                    let s: i64 = (0..invoices.len())
                        .filter(|i| mask & (1 << i) != 0)
                        .map(|i| invoices[i].owed)
                        .fold(0i64, i64::saturating_add);
                    if ok(s) && best.is_none_or(|b| mask.count_ones() < b.count_ones()) {
                        best = Some(mask);
                    }
                }
                if let Some(mask) = best {
                    let set: Vec<&Open> = (0..invoices.len())
                        .filter(|i| mask & (1 << i) != 0)
                        .map(|i| invoices[i])
                        .collect();
                    let s: i64 = set.iter().map(|o| o.owed).sum();
                    return Some((set, s - amount));
                }
            }
        }
        None
    }

    fn open_of(&self, customer: CustomerId, currency: Currency) -> Vec<&Open> {
        self.open_of_customer
            .get(&customer)
            .map(|ids| {
                ids.iter()
                    .map(|i| &self.open[*i])
                    .filter(|o| o.currency == currency && o.owed > 0)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The proposal for an incoming line waiting for review; `None` for any other line.
    pub fn propose(&self, line: &BankLine) -> Option<Proposal> {
        if line.entry.direction != Direction::Credit || line.status != LineStatus::Open {
            return None;
        }
        if line.entry.reversal {
            // Money paid out coming back (a refund of a fee, a transfer that bounced):
            // never a customer's payment unless the owner says so.
            return Some(nobody(vec![why(Reason::Reversal, &[])]));
        }
        let amount = line.entry.amount.minor;
        let currency = line.entry.amount.currency;
        let tolerance = self.tolerance_of(currency);
        let unsure = nobody;
        let named = self.named(&format!("{} {}", line.entry.text, line.entry.reference));
        let mut named_customers: Vec<CustomerId> = named.iter().map(|o| o.customer).collect();
        named_customers.dedup();
        named_customers.sort();
        named_customers.dedup();
        let by_account = self.by_virtual_account(line);
        let numbers = |set: &[&Open]| {
            set.iter()
                .map(|o| o.number.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if named_customers.len() > 1 {
            return Some(unsure(vec![why(
                Reason::Conflict,
                &[("numbers", numbers(&named))],
            )]));
        }
        let (customer, strong, mut reasons) = match (named_customers.first(), by_account) {
            (Some(n), Some(v)) if *n != v.id => {
                return Some(unsure(vec![
                    why(Reason::Conflict, &[("numbers", numbers(&named))]),
                    why(
                        Reason::VirtualAccount,
                        &[("account", v.virtual_account.clone())],
                    ),
                ]))
            }
            (Some(n), _) => (
                *n,
                true,
                vec![why(Reason::NamesInvoice, &[("numbers", numbers(&named))])],
            ),
            (None, Some(v)) => (
                v.id,
                true,
                vec![why(
                    Reason::VirtualAccount,
                    &[("account", v.virtual_account.clone())],
                )],
            ),
            (None, None) => {
                let payers = self.by_payer(&line.entry.payer);
                match payers.as_slice() {
                    [one] => (
                        one.id,
                        false,
                        vec![why(
                            Reason::PayerName,
                            &[("name", line.entry.payer.clone())],
                        )],
                    ),
                    [] => match self.by_contact(&line.entry.payer) {
                        Some(c) => (
                            c.id,
                            false,
                            vec![why(
                                Reason::ContactPerson,
                                &[
                                    ("name", line.entry.payer.clone()),
                                    ("contact", c.contact.clone()),
                                ],
                            )],
                        ),
                        None => return Some(self.by_amount_only(line, tolerance)),
                    },
                    _ => return Some(unsure(vec![why(Reason::SeveralCustomers, &[])])),
                }
            }
        };
        let c = self.customer(customer)?;
        let base = Proposal {
            confidence: Confidence::Unsure,
            customer_id: Some(c.id),
            customer_name: c.name.clone(),
            allocations: vec![],
            fee: None,
            credit: None,
            reasons: vec![],
        };
        if c.currency != currency {
            reasons.push(why(
                Reason::OtherCurrency,
                &[("currency", c.currency.code().to_string())],
            ));
            if let Some(why) = self.estimate(line, c.currency) {
                reasons.push(why);
            }
            return Some(Proposal { reasons, ..base });
        }
        let own_named: Vec<&Open> = named
            .iter()
            .copied()
            .filter(|o| o.customer == c.id)
            .collect();
        let candidates = if own_named.is_empty() {
            self.open_of(c.id, currency)
        } else {
            own_named.clone()
        };
        let fitted = if own_named.is_empty() {
            self.fit(&candidates, amount, tolerance)
        } else {
            let s: i64 = own_named.iter().map(|o| o.owed).sum();
            (s == amount || (s > amount && s - amount <= tolerance))
                .then(|| (own_named.clone(), s - amount))
        };
        match fitted {
            Some((set, shortfall)) => {
                reasons.push(why(Reason::AmountMatches, &[]));
                if shortfall > 0 {
                    reasons.push(why(
                        Reason::BankFee,
                        &[("fee", Money::new(shortfall, currency).format())],
                    ));
                }
                Some(Proposal {
                    confidence: if strong {
                        Confidence::Sure
                    } else {
                        Confidence::Likely
                    },
                    allocations: spread(&set, amount),
                    fee: (shortfall > 0).then(|| Money::new(shortfall, currency)),
                    reasons,
                    ..base
                })
            }
            None => {
                reasons.push(why(Reason::AmountDiffers, &[]));
                // Named invoices first, then the oldest; what is left is credit.
                let mut order = own_named.clone();
                order.extend(
                    self.open_of(c.id, currency)
                        .into_iter()
                        .filter(|o| !own_named.iter().any(|n| n.id == o.id)),
                );
                let allocations = spread(&order, amount);
                let used: i64 = allocations.iter().map(|a| a.amount.minor).sum();
                Some(Proposal {
                    allocations,
                    credit: (amount > used).then(|| Money::new(amount - used, currency)),
                    reasons,
                    ..base
                })
            }
        }
    }

    /// No reference, no account, no payer name RiskDesk knows: the amount alone.
    fn by_amount_only(&self, line: &BankLine, tolerance: i64) -> Proposal {
        let currency = line.entry.amount.currency;
        let mut fits: Vec<(&Cust, Vec<&Open>, i64)> = Vec::new();
        for c in self
            .customers
            .iter()
            .filter(|c| c.currency == currency && self.open_of_customer.contains_key(&c.id))
        {
            let open = self.open_of(c.id, currency);
            if open.is_empty() {
                continue;
            }
            if let Some((set, short)) = self.fit(&open, line.entry.amount.minor, tolerance) {
                fits.push((c, set, short));
            }
        }
        match fits.as_slice() {
            [(c, set, short)] => Proposal {
                confidence: Confidence::Unsure,
                customer_id: Some(c.id),
                customer_name: c.name.clone(),
                allocations: spread(set, line.entry.amount.minor),
                fee: (*short > 0).then(|| Money::new(*short, currency)),
                credit: None,
                reasons: vec![why(Reason::AmountOnly, &[])],
            },
            [] => nobody(vec![why(Reason::NothingFound, &[])]),
            _ => nobody(vec![why(
                Reason::SeveralCustomers,
                &[("count", fits.len().to_string())],
            )]),
        }
    }
}

/// Invoices with something owed on them (of one customer, or all), oldest due first.
fn open_invoices(conn: &Connection, customer: Option<CustomerId>) -> Result<Vec<Open>> {
    const OWED: &str = "SELECT i.id, i.number, i.customer_id, i.currency,
                i.total_minor - i.written_off_minor
                - COALESCE((SELECT sum(a.amount_minor) FROM kept_allocations a WHERE a.invoice_id = i.id), 0)
         FROM invoices i WHERE i.settled_on = '9999-12-31'";
    // One customer's through its index; the whole book's through the unsettled one.
    let sql = match customer {
        Some(_) => format!("{OWED} AND i.customer_id = ?1 ORDER BY i.due_on, i.id"),
        None => format!("{OWED} AND ?1 IS NULL ORDER BY i.due_on, i.id"),
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params![customer], |r| {
            let number: String = r.get(1)?;
            Ok(Open {
                id: r.get(0)?,
                key: squeeze(&number),
                number,
                customer: r.get(2)?,
                currency: r.get(3)?,
                owed: r.get(4)?,
            })
        })?
        .filter(|o| o.as_ref().map_or(true, |o| o.owed > 0))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// `amount` over the invoices in order, each up to what is owed on it.
fn spread(set: &[&Open], amount: i64) -> Vec<Allocation> {
    let mut left = amount;
    let mut out = Vec::new();
    for o in set {
        if left <= 0 {
            break;
        }
        let part = left.min(o.owed);
        out.push(Allocation {
            invoice_id: o.id,
            number: o.number.clone(),
            amount: Money::new(part, o.currency),
        });
        left -= part;
    }
    out
}
