//! What the risk tests share: a book whose edges are in UTC, a customer added with a
//! credit limit, and one customer's score.

use riskdesk_core::customer::{self, CustomerInput};
use riskdesk_core::ids::CustomerId;
use riskdesk_core::risk;
use riskdesk_core::test_support::{ctx, customer_input};
use rusqlite::Connection;

pub fn db() -> (tempfile::TempDir, Connection) {
    let (dir, mut conn) = riskdesk_core::test_support::book();
    // The edges in these tests are in UTC: the owner's offset is set, not the test machine's.
    let tx = conn.transaction().unwrap();
    risk::settings::save(&tx, &ctx(), &[("risk.utc_offset".into(), "+00:00".into())]).unwrap();
    tx.commit().unwrap();
    (dir, conn)
}

pub fn add(conn: &mut Connection, name: &str, f: impl FnOnce(&mut CustomerInput)) -> CustomerId {
    let mut input = CustomerInput {
        credit_limit: "100000".into(),
        ..customer_input(name, "TWD", "TW")
    };
    f(&mut input);
    let tx = conn.transaction().unwrap();
    let c = customer::create(&tx, &ctx(), &input).unwrap();
    tx.commit().unwrap();
    c.id
}

pub fn score_of(conn: &Connection, id: CustomerId) -> risk::RiskScore {
    risk::scores(conn, ctx().today, ctx().now, Some(id))
        .unwrap()
        .remove(0)
}
