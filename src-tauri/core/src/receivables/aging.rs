//! Aging of receivables as of a date, per customer and per currency, with DSO.

use crate::error::Code;
use crate::ids::CustomerId;
use chrono::{Duration, NaiveDate};
use foldhash::HashMap;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::*;
use crate::money::Currency;
use crate::store::{currency_of, parse_day};
use crate::{dates, Error, Result};

/// Upper edges (in days overdue) of the 1st, 2nd and 3rd overdue buckets; the usual
/// 30/60/90 gives current, 1-30, 31-60, 61-90 and over 90.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct BucketEdges(pub [i64; 3]);

impl Default for BucketEdges {
    fn default() -> Self {
        BucketEdges([30, 60, 90])
    }
}

impl BucketEdges {
    pub fn validate(self) -> Result<Self> {
        let [a, b, c] = self.0;
        if a >= 1 && a < b && b < c && c <= 3650 {
            Ok(self)
        } else {
            Err(Error::field(
                "edges",
                Code::InvalidEdges,
                "bucket edges must rise, e.g. 30, 60, 90",
            ))
        }
    }

    /// The buckets' names, as [`Self::bucket`] numbers them: `current`, each overdue bucket
    /// by its days (`1-30`, `31-60`, `61-90`), then `over 90`.
    pub fn labels(self) -> [String; 5] {
        let [a, b, c] = self.0;
        [
            "current".to_string(),
            format!("1-{a}"),
            format!("{}-{b}", a + 1),
            format!("{}-{c}", b + 1),
            format!("over {c}"),
        ]
    }

    /// 0 = current (not yet overdue), 1..=3 the overdue buckets, 4 beyond the last edge.
    pub fn bucket(self, days_overdue: i64) -> usize {
        if days_overdue <= 0 {
            0
        } else if days_overdue <= self.0[0] {
            1
        } else if days_overdue <= self.0[1] {
            2
        } else if days_overdue <= self.0[2] {
            3
        } else {
            4
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgingRow {
    pub customer_id: CustomerId,
    pub legal_name: String,
    pub currency: Currency,
    /// Minor units per bucket: current, edge1, edge2, edge3, beyond.
    pub buckets: [i64; 5],
    pub total_minor: i64,
    pub overdue_minor: i64,
    pub oldest_days_overdue: i64,
    /// Payments and credit notes received by the day and not applied to an invoice issued by
    /// then (nor taken back by then): what the customer has paid ahead, in this currency. It
    /// is not netted into the buckets; the statement's balance is `total_minor` less this.
    pub credit_minor: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgingTotal {
    pub currency: Currency,
    pub buckets: [i64; 5],
    pub total_minor: i64,
    pub overdue_minor: i64,
    /// The customers' credit held on the day (see [`AgingRow::credit_minor`]).
    pub credit_minor: i64,
    /// Days sales outstanding over the last 90 days, in tenths of a day (rounded half up).
    pub dso_tenths: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Aging {
    pub as_of: NaiveDate,
    pub edges: BucketEdges,
    pub rows: Vec<AgingRow>,
    pub totals: Vec<AgingTotal>,
}

/// Aging of receivables as of a date, per customer and per currency. The buckets are
/// summed by SQLite in one pass over the invoices, so it stays fast on a big book.
pub fn aging(conn: &Connection, as_of: NaiveDate, edges: BucketEdges) -> Result<Aging> {
    dates::check_field("as_of", as_of)?;
    let edges = edges.validate()?;
    let [e1, e2, e3] = edges.0;
    // Bucket edges as due dates: a day overdue is a due date before `as_of`, so plain
    // comparisons of YYYY-MM-DD text replace date arithmetic on every invoice.
    let day = date_text(as_of);
    let edge_dates: Vec<String> = [e1, e2, e3]
        .iter()
        .map(|d| date_text(as_of - Duration::days(*d)))
        .collect();
    let bucket_of = |due_on: &str| -> usize {
        if due_on >= day.as_str() {
            0
        } else if due_on >= edge_dates[0].as_str() {
            1
        } else if due_on >= edge_dates[1].as_str() {
            2
        } else if due_on >= edge_dates[2].as_str() {
            3
        } else {
            4
        }
    };
    // Only invoices not settled by `as_of` can be owed on it; the index holds every column
    // read here (migration 0028), so no invoice row is visited.
    let mut stmt = conn.prepare_cached(
        "SELECT i.customer_id, i.currency, i.due_on,
                i.total_minor
                - COALESCE((SELECT sum(a.amount_minor) FROM allocations a JOIN payments p ON p.id = a.payment_id
                            WHERE a.invoice_id = i.id AND p.received_on <= ?1
                              AND NOT EXISTS (SELECT 1 FROM payment_returns r WHERE r.payment_id = p.id AND r.returned_on <= ?1)), 0)
                - CASE WHEN i.written_off_on IS NOT NULL AND i.written_off_on <= ?1 THEN i.written_off_minor ELSE 0 END
         FROM invoices i INDEXED BY invoices_open
         WHERE i.settled_on > ?1 AND i.issued_on <= ?1",
    )?;
    #[derive(Default)]
    struct Acc {
        buckets: [i64; 5],
        oldest_due_on: Option<String>,
        credit: i64,
    }
    let mut by_customer: HashMap<(CustomerId, Currency), Acc> = HashMap::default();
    let mut q = stmt.query(params![day])?;
    while let Some(r) = q.next()? {
        let due: i64 = r.get(3)?;
        if due <= 0 {
            continue;
        }
        let customer_id: CustomerId = r.get(0)?;
        let due_on = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
        let b = bucket_of(due_on);
        let currency = currency_of(r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?)?;
        let key = (customer_id, currency);
        let acc = by_customer.entry(key).or_default();
        acc.buckets[b] = add(acc.buckets[b], due)?;
        if b > 0 {
            match &mut acc.oldest_due_on {
                Some(oldest) if due_on < oldest.as_str() => {
                    oldest.clear();
                    oldest.push_str(due_on);
                }
                Some(_) => {}
                None => acc.oldest_due_on = Some(due_on.to_owned()),
            }
        }
    }
    // Credit held on the day: what is owed (the buckets) less the balance of the account,
    // every invoice issued by then (less its write-off by then) less every payment and credit
    // note received by then and not taken back by then. Allocations are not dated, so this
    // is read from the two sides rather than from them: credit re-applied after a payment
    // went back would otherwise be counted on the days before. The balance is each account's
    // lifetime totals (kept by triggers, migration 0023) less what is dated after the day, so
    // a book of any age costs one row per account and the records after the day.
    let mut balances: HashMap<(CustomerId, Currency), i64> = HashMap::default();
    for (sql, sign) in [
        (
            "SELECT customer_id, currency, invoiced_minor - written_off_minor - paid_minor + returned_minor
             FROM account_totals",
            1,
        ),
        // Invoices issued after the day, and write-offs not made by it.
        (
            "SELECT customer_id, currency, sum(total_minor) FROM invoices INDEXED BY invoices_by_issue
             WHERE issued_on > ?1 GROUP BY customer_id, currency",
            -1,
        ),
        (
            "SELECT customer_id, currency, sum(written_off_minor) FROM invoices INDEXED BY invoices_written_off
             WHERE written_off_on IS NOT NULL AND (written_off_on > ?1 OR issued_on > ?1)
             GROUP BY customer_id, currency",
            1,
        ),
        // Payments received after the day, and returns not made by it (or of those payments).
        (
            "SELECT customer_id, currency, sum(amount_minor) FROM payments INDEXED BY payments_by_receipt
             WHERE received_on > ?1 GROUP BY customer_id, currency",
            1,
        ),
        // Returns are few: read from them (CROSS JOIN keeps that order; for the OR, SQLite
        // otherwise walks every payment).
        (
            "SELECT p.customer_id, p.currency, sum(p.amount_minor)
             FROM payment_returns r CROSS JOIN payments p ON p.id = r.payment_id
             WHERE p.received_on > ?1 OR r.returned_on > ?1 GROUP BY p.customer_id, p.currency",
            -1,
        ),
    ] {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut q = if sql.contains("?1") {
            stmt.query(params![day])?
        } else {
            stmt.query([])?
        };
        while let Some(r) = q.next()? {
            let currency = currency_of(r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?)?;
            let minor: i64 = r.get(2)?;
            let b = balances.entry((r.get(0)?, currency)).or_default();
            *b = add(*b, signed(sign, minor)?)?;
        }
    }
    for (key, balance) in balances {
        let owed = by_customer
            .get(&key)
            .map_or(Ok(0), |a| a.buckets.iter().try_fold(0, |s, b| add(s, *b)))?;
        let credit = add(owed, signed(-1, balance)?)?;
        if credit > 0 {
            by_customer.entry(key).or_default().credit = credit;
        }
    }
    // One pass over the customers for the names beats a lookup per customer.
    let names: HashMap<CustomerId, String> =
        crate::store::rows(conn, "SELECT id, legal_name FROM customers", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let mut rows = Vec::with_capacity(by_customer.len());
    for (
        (customer_id, currency),
        Acc {
            buckets,
            oldest_due_on,
            credit,
        },
    ) in by_customer
    {
        let oldest_days_overdue = match oldest_due_on {
            Some(d) => (as_of - parse_day(&d)?).num_days(),
            None => 0,
        };
        rows.push(AgingRow {
            customer_id,
            legal_name: names.get(&customer_id).cloned().unwrap_or_default(),
            currency,
            total_minor: buckets.iter().try_fold(0, |a, b| add(a, *b))?,
            overdue_minor: buckets[1..].iter().try_fold(0, |a, b| add(a, *b))?,
            buckets,
            oldest_days_overdue,
            credit_minor: credit,
        });
    }
    let mut totals: BTreeMap<&'static str, AgingTotal> = BTreeMap::new();
    for row in &rows {
        let t = totals
            .entry(row.currency.code())
            .or_insert_with(|| AgingTotal {
                currency: row.currency,
                buckets: [0; 5],
                total_minor: 0,
                overdue_minor: 0,
                credit_minor: 0,
                dso_tenths: None,
            });
        for i in 0..5 {
            t.buckets[i] = add(t.buckets[i], row.buckets[i])?;
        }
        t.total_minor = add(t.total_minor, row.total_minor)?;
        t.overdue_minor = add(t.overdue_minor, row.overdue_minor)?;
        t.credit_minor = add(t.credit_minor, row.credit_minor)?;
    }
    for t in totals.values_mut() {
        let sales: i64 = conn.query_row(
            "SELECT COALESCE(sum(total_minor), 0) FROM invoices
             WHERE currency = ?1 AND issued_on > ?2 AND issued_on <= ?3",
            params![
                t.currency.code(),
                date_text(as_of - Duration::days(90)),
                date_text(as_of)
            ],
            |r| r.get(0),
        )?;
        if sales > 0 {
            // receivables / sales x 90 days, in tenths, rounded half up (both positive).
            let num = t.total_minor as i128 * 900;
            t.dso_tenths = Some(((num * 2 + sales as i128) / (2 * sales as i128)) as i64);
        }
    }
    // The most overdue first within each currency (amounts in two currencies do not
    // compare: ¥500,000 is fewer minor units than $12,000.00).
    rows.sort_by(|a, b| {
        a.currency
            .cmp(&b.currency)
            .then(b.overdue_minor.cmp(&a.overdue_minor))
            .then(a.legal_name.cmp(&b.legal_name))
    });
    Ok(Aging {
        as_of,
        edges,
        rows,
        totals: totals.into_values().collect(),
    })
}

/// A sum of minor units, checked: an overflow is an error naming it, never a panic or a wrap.
fn add(a: i64, b: i64) -> Result<i64> {
    a.checked_add(b).ok_or_else(too_large)
}

/// `minor` with the sign `sign` (1 or -1), checked as [`add`] is.
fn signed(sign: i64, minor: i64) -> Result<i64> {
    minor.checked_mul(sign).ok_or_else(too_large)
}

fn too_large() -> crate::Error {
    crate::Error::field(
        "amount",
        crate::error::Code::SumTooLarge,
        "the amounts owed add up to more than RiskDesk can count (over 9.2 × 10^18 minor units); check for an amount typed with extra digits",
    )
}
