//! The tenants usage files name, and the customer each belongs to. A tenant is matched to
//! a customer by tenant id, then by primary domain; one that matches nobody is listed so
//! the user links it to a customer (or creates one from it), and the link is remembered.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::error::{Code, ImportProblem};
use crate::ids::CustomerId;
use crate::{Ctx, Error, Result};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tenant {
    pub tenant_id: String,
    pub name: String,
    pub domain: String,
    pub customer_id: Option<CustomerId>,
    pub customer_name: Option<String>,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub days: i64,
}

/// Every tenant seen in a usage file, unlinked ones first.
pub fn list(conn: &Connection) -> Result<Vec<Tenant>> {
    crate::store::rows(
        conn,
        "SELECT t.tenant_id, t.name, t.domain, t.customer_id, c.legal_name,
                min(d.usage_date), max(d.usage_date), count(d.usage_date)
         FROM usage_tenants t
         LEFT JOIN customers c ON c.id = t.customer_id
         LEFT JOIN usage_days d ON d.tenant_id = t.tenant_id
         GROUP BY t.tenant_id
         ORDER BY t.customer_id IS NOT NULL, t.name, t.tenant_id",
        [],
        |r| {
            Ok(Tenant {
                tenant_id: r.get(0)?,
                name: r.get(1)?,
                // As written in the file, or in its script where it was written in Punycode.
                domain: crate::customer::shown_domain(&r.get::<_, String>(2)?),
                customer_id: r.get(3)?,
                customer_name: r.get(4)?,
                first_day: r.get(5)?,
                last_day: r.get(6)?,
                days: r.get(7)?,
            })
        },
    )
}

/// Links tenants that have no customer yet to a customer created since with their tenant
/// id (a customer made from an unknown tenant); returns how many. Derived from the
/// customer record (which is audited), so not audited again.
pub fn relink(conn: &Connection) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE usage_tenants SET customer_id =
            (SELECT id FROM customers WHERE lower(customers.tenant_id) = usage_tenants.tenant_id)
         WHERE customer_id IS NULL
           AND EXISTS (SELECT 1 FROM customers WHERE lower(customers.tenant_id) = usage_tenants.tenant_id)",
        [],
    )?)
}

/// Whether the usage kept knows `tenant` (lower case), and the customer it is linked to.
pub(crate) fn linked(conn: &Connection, tenant: &str) -> Result<Option<Option<i64>>> {
    Ok(conn
        .query_row(
            "SELECT customer_id FROM usage_tenants WHERE tenant_id = ?1",
            [tenant],
            |r| r.get(0),
        )
        .optional()?)
}

/// Links `tenant` to `customer` (or unlinks it with None), audited.
pub fn link(tx: &Transaction, ctx: &Ctx, tenant: &str, customer: Option<CustomerId>) -> Result<()> {
    let tenant = tenant.trim().to_ascii_lowercase();
    let before = linked(tx, &tenant)?;
    let Some(before) = before else {
        return Err(Error::NotFound(format!("tenant {tenant}")));
    };
    if let Some(c) = customer {
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)",
            [c.0],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(Error::NotFound(format!("customer {}", c.0)));
        }
    }
    let after = customer.map(|c| c.0);
    if before == after {
        return Ok(());
    }
    tx.execute(
        "UPDATE usage_tenants SET customer_id = ?2 WHERE tenant_id = ?1",
        params![tenant, after],
    )?;
    let rowid: i64 = tx.query_row(
        "SELECT rowid FROM usage_tenants WHERE tenant_id = ?1",
        [&tenant],
        |r| r.get(0),
    )?;
    crate::audit::record(
        tx,
        ctx,
        "usage_tenant",
        rowid,
        "link",
        Some(&serde_json::json!({"tenant_id": tenant, "customer_id": before})),
        Some(&serde_json::json!({"tenant_id": tenant, "customer_id": after})),
    )?;
    // The purchases imported before the tenant was the customer's are alerted now, as an
    // import would have alerted them.
    if let Some(c) = customer {
        super::purchases::alert_kept(tx, ctx, &tenant, c)?;
    }
    Ok(())
}

/// The Microsoft tenant (lower case) and legal name of the customer a file was chosen for.
pub(crate) fn of_customer(
    tx: &Transaction,
    file: &str,
    id: CustomerId,
) -> Result<(String, String)> {
    let refuse = |code: Code, message: String| Error::Import {
        file: file.to_string(),
        problems: vec![ImportProblem::new(1, "customer", code, message)],
    };
    let (tenant, name): (String, String) = tx
        .query_row(
            "SELECT coalesce(lower(trim(tenant_id)), ''), legal_name FROM customers WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| refuse(Code::NotFound, format!("customer {} does not exist", id.0)))?;
    if !crate::identity::is_guid(&tenant) {
        return Err(refuse(
            Code::NoTenantId,
            format!("{name} has no Microsoft tenant id: enter it on the customer's page, then import the file again"),
        ));
    }
    if let Some(Some(other)) = linked(tx, &tenant)?.filter(|l| *l != Some(id.0)) {
        return Err(refuse(
            Code::TenantLinkedElsewhere,
            format!("the tenant {tenant} of {name} is linked to customer {other} in the usage kept: link it to {name} first"),
        ));
    }
    Ok((tenant, name))
}
