//! The customer list: search, status filter, sorting and paging done in SQL.

use crate::ids::CustomerId;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::records::{from_row, COLUMNS};
use super::*;
use crate::money::Money;
use crate::text_enum::text_enum;
use crate::Result;

text_enum!(
    /// Columns the customer list can be sorted by.
    SortKey {
        Name = "name",
        Status = "status",
        Country = "country",
        CreditLimit = "credit_limit",
        Created = "created",
    }
);

/// A page request for the customer list.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub search: String,
    pub status: Option<Status>,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            search: String::new(),
            status: None,
            sort: SortKey::Name,
            descending: false,
            offset: 0,
            limit: 50,
        }
    }
}

/// One line of the customer list.
#[derive(Debug, Clone, Serialize)]
pub struct ListRow {
    pub id: CustomerId,
    pub legal_name: String,
    pub primary_domain: String,
    pub country: String,
    pub status: Status,
    pub credit_limit: Money,
    pub payment_instrument: PaymentInstrument,
    pub checks_done: i64,
    pub checks_total: i64,
    pub active_subscriptions: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListPage {
    pub total: i64,
    pub offset: i64,
    pub rows: Vec<ListRow>,
}

pub(super) fn like_pattern(search: &str) -> String {
    let mut p = String::from("%");
    for c in search.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// A page of customers, searched (name, domain, tenant id, e-mail, tax id, contact, the
/// country by its name),
/// filtered by status and sorted. Paging happens in SQL, so the list stays fast at any size.
/// A search typed in full-width letters finds the name in plain ones; one with Chinese
/// finds the name and contact in either script (`速云` finds `速雲科技`), through the
/// database's `compared` function ([`crate::store::compared`]).
pub fn list(conn: &Connection, q: &ListQuery) -> Result<ListPage> {
    crate::error::at_most("search", &q.search, 200)?;
    let limit = q.limit.clamp(1, 500);
    let offset = q.offset.max(0);
    let typed = crate::identity::half_width(&q.search);
    let pattern = like_pattern(&typed);
    // Only a search with Chinese reads every name through `compared`.
    let folded = (!typed.is_ascii()).then(|| like_pattern(&crate::store::compared(&typed)));
    // A domain typed in another script (`範例.台灣`, or one label of it) is searched for as
    // it is kept, in Punycode.
    let puny = (!typed.is_ascii())
        .then(|| idna::domain_to_ascii(typed.trim()).ok())
        .flatten()
        .filter(|a| a.contains("xn--"))
        .map(|a| like_pattern(&a));
    let status = q.status.map(|s| s.as_str());
    // A country's name (`Nigeria`, `日本`; not a code like `ng` or `USA`, which finds names
    // with those letters) finds its customers too.
    let code_like =
        typed.trim().len() <= 3 && typed.trim().chars().all(|c| c.is_ascii_alphabetic());
    let country = (!code_like)
        .then(|| crate::countries::code_of_any(&typed))
        .flatten();
    let filter =
        "(?1 = '%%' OR c.legal_name LIKE ?1 ESCAPE '\\' OR c.primary_domain LIKE ?1 ESCAPE '\\'
            OR c.tenant_id LIKE ?1 ESCAPE '\\' OR c.email LIKE ?1 ESCAPE '\\'
            OR c.tax_id LIKE ?1 ESCAPE '\\' OR c.contact_name LIKE ?1 ESCAPE '\\'
            OR c.country = ?5
            OR (?3 IS NOT NULL AND (compared(c.legal_name) LIKE ?3 ESCAPE '\\'
                OR compared(c.contact_name) LIKE ?3 ESCAPE '\\'))
            OR (?4 IS NOT NULL AND (c.primary_domain LIKE ?4 ESCAPE '\\'
                OR c.email LIKE ?4 ESCAPE '\\')))
          AND (?2 IS NULL OR c.status = ?2)";
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM customers c WHERE {filter}"),
        params![pattern, status, folded, puny, country],
        |r| r.get(0),
    )?;
    // The ORDER BY comes from a closed set of choices, never from user text.
    let column = match q.sort {
        SortKey::Name => "c.legal_name COLLATE NOCASE",
        SortKey::Status => "c.status",
        SortKey::Country => "c.country",
        // Amounts compare only within a currency (¥500,000 is 500,000 minor units, $12,000
        // is 1,200,000): by currency, then by the limit.
        SortKey::CreditLimit => "c.currency, c.credit_limit_minor",
        SortKey::Created => "c.created_at",
    };
    let dir = if q.descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT c.id, c.legal_name, c.primary_domain, c.country, c.status, c.credit_limit_minor,
                c.currency, c.payment_instrument,
                (SELECT count(*) FROM onboarding_checks o WHERE o.customer_id = c.id),
                (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id AND s.status = 'active')
         FROM customers c WHERE {filter}
         ORDER BY {column} {dir}, c.id {dir} LIMIT ?6 OFFSET ?7"
    );
    let params = params![pattern, status, folded, puny, country, limit, offset];
    let rows = crate::store::rows(conn, &sql, params, |r| {
        Ok(ListRow {
            id: r.get(0)?,
            legal_name: r.get(1)?,
            primary_domain: super::shown_domain(&r.get::<_, String>(2)?),
            country: r.get(3)?,
            status: r.get(4)?,
            credit_limit: Money::new(r.get(5)?, r.get(6)?),
            payment_instrument: r.get(7)?,
            checks_done: r.get(8)?,
            checks_total: OnboardingItem::ALL.len() as i64,
            active_subscriptions: r.get(9)?,
        })
    })?;
    Ok(ListPage {
        total,
        offset,
        rows,
    })
}

/// Every customer in id order (for export).
pub fn all(conn: &Connection) -> Result<Vec<Customer>> {
    crate::store::rows(
        conn,
        &format!("SELECT {COLUMNS} FROM customers ORDER BY id"),
        [],
        from_row,
    )
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{book, ctx, customer_input};

    /// Sorted by credit limit, each currency's customers stand together, largest first
    /// within it: a yen limit of 500,000 minor units is not placed between two dollar ones.
    #[test]
    fn credit_limits_sort_within_their_currency() {
        let (_dir, mut conn) = book();
        let tx = conn.transaction().unwrap();
        for (name, currency, limit) in [
            ("Dollar Small", "USD", "2500"),
            ("Yen", "JPY", "500000"),
            ("Dollar Large", "USD", "12000"),
            ("Taiwan", "TWD", "100000"),
        ] {
            let mut input = customer_input(name, currency, "TW");
            input.credit_limit = limit.into();
            crate::customer::create(&tx, &ctx(), &input).unwrap();
        }
        tx.commit().unwrap();
        let q = ListQuery {
            sort: SortKey::CreditLimit,
            descending: true,
            ..Default::default()
        };
        let page = list(&conn, &q).unwrap();
        let names: Vec<&str> = page.rows.iter().map(|r| r.legal_name.as_str()).collect();
        assert_eq!(names, ["Yen", "Taiwan", "Dollar Large", "Dollar Small"]);
    }

    /// A country's name, in English or Chinese, finds the customers there; its two-letter
    /// code only finds names with those letters, as any search does.
    #[test]
    fn a_country_s_name_finds_its_customers() {
        let (_dir, mut conn) = book();
        let tx = conn.transaction().unwrap();
        for (name, country) in [
            ("Lagos Cloud Ltd", "NG"),
            ("Abuja Hosting", "NG"),
            ("Kyoto Soft KK", "JP"),
            ("Nigeria Taiwan Traders", "TW"),
        ] {
            crate::customer::create(&tx, &ctx(), &customer_input(name, "TWD", country)).unwrap();
        }
        tx.commit().unwrap();
        let found = |search: &str| {
            let q = ListQuery {
                search: search.into(),
                ..Default::default()
            };
            let mut names: Vec<String> = list(&conn, &q)
                .unwrap()
                .rows
                .into_iter()
                .map(|r| r.legal_name)
                .collect();
            names.sort();
            names
        };
        // The name in the legal name, and the country's customers.
        assert_eq!(
            found("Nigeria"),
            ["Abuja Hosting", "Lagos Cloud Ltd", "Nigeria Taiwan Traders"]
        );
        assert_eq!(found("奈及利亞"), ["Abuja Hosting", "Lagos Cloud Ltd"]);
        assert_eq!(found("日本"), ["Kyoto Soft KK"]);
        // "ng" is letters in a name ("Hosting"), not Nigeria's customers.
        assert_eq!(found("ng"), ["Abuja Hosting"]);
        assert_eq!(found("Abuja").len(), 1);
    }
}
