//! The planner checked against reading the book one customer at a time: on the demo book
//! as of random days, and on random books.

use super::*;
use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

/// The SHA-256 of the plan's JSON, its fingerprint cleared: what the fingerprint always was.
fn json_digest(plan: &Plan) -> String {
    let mut copy = plan.clone();
    copy.fingerprint.clear();
    crate::hex::lower(&Sha256::digest(serde_json::to_vec(&copy).unwrap()))
}

/// The planner that reads the whole book at once plans exactly what reading customer by
/// customer plans (the same plan, the same fingerprint), on the demo book (promises
/// pending, kept and broken, disputes, suspensions, customers with a policy of their
/// own, three currencies) after a run has applied its levels, as of any day from more
/// than a year before to half a year after.
#[test]
fn reading_the_book_at_once_plans_what_reading_one_by_one_plans() {
    let dir = tempfile::tempdir().unwrap();
    let key = crate::store::DbKey::generate().unwrap();
    let mut conn = crate::store::create(&dir.path().join("p.db"), &key).unwrap();
    let ctx = crate::Ctx::new("t", Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap());
    let tx = conn.transaction().unwrap();
    crate::demo::load(&tx, &ctx, ctx.today).unwrap();
    let earlier = ctx.today - Duration::days(20);
    super::super::execute(&tx, &ctx, earlier, &Default::default(), None, "/tmp").unwrap();
    tx.commit().unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(48));
    runner
        .run(&(-400i64..200), |offset| {
            let as_of = ctx.today + Duration::days(offset);
            let at_once = plan(&conn, as_of).unwrap();
            let one_by_one = plan_with(&conn, as_of, &OneByOne).unwrap();
            prop_assert_eq!(&at_once.fingerprint, &one_by_one.fingerprint);
            // The fingerprint is the one it always was: the plan's JSON, its own
            // fingerprint cleared.
            prop_assert_eq!(&json_digest(&at_once), &at_once.fingerprint);
            // Read back from its JSON (each customer's level a copy of its own, no longer
            // shared), the plan has the same fingerprint.
            let back: Plan =
                serde_json::from_slice(&serde_json::to_vec(&at_once).unwrap()).unwrap();
            prop_assert_eq!(fingerprint(&back), at_once.fingerprint.clone());
            prop_assert_eq!(at_once, one_by_one);
            Ok(())
        })
        .unwrap();
    // And the demo's plan of today is not empty: the comparison compared something.
    assert!(!plan(&conn, ctx.today).unwrap().customers.is_empty());
}

/// An invoice drawn at random: due this many days after 2026-06-01, its amount, whether it
/// is disputed, and how much of it was paid three days after it fell due.
type RandomInvoice = (i64, i64, bool, i64);
/// A promise drawn at random: made this many days after 2026-06-01, to pay this many days
/// later, this amount.
type RandomPromise = (i64, i64, i64);
/// A customer drawn at random: its currency (TWD, USD, JPY), its invoices and its promise.
type RandomCustomer = (u8, Vec<RandomInvoice>, Option<RandomPromise>);

/// A book drawn at random: customers in three currencies, each with invoices due on
/// random days (some disputed, some paid in part), and some with promises to pay.
fn random_book(customers: &[RandomCustomer]) -> (tempfile::TempDir, rusqlite::Connection) {
    use crate::test_support::{self as support, ctx, d};
    let (dir, mut conn) = support::ledger_db();
    for (n, (cur, invoices, promise)) in customers.iter().enumerate() {
        let currency = ["TWD", "USD", "JPY"][usize::from(*cur) % 3];
        let c = support::customer(&mut conn, &format!("Random {n}"), currency, "TW");
        for (k, (due_offset, minor, disputed, paid)) in invoices.iter().enumerate() {
            let due = d(2026, 6, 1) + Duration::days(*due_offset);
            let inv = support::invoice(
                &mut conn,
                c,
                &format!("R{n}-{k}"),
                (due - Duration::days(30), due),
                *minor,
                currency,
            );
            let tx = conn.transaction().unwrap();
            if *disputed {
                crate::receivables::set_dispute(&tx, &ctx(), inv, true, "").unwrap();
            }
            tx.commit().unwrap();
            if *paid > 0 {
                support::pay(
                    &mut conn,
                    c,
                    &format!("P{n}-{k}"),
                    due + Duration::days(3),
                    Money::new((*paid).min(*minor), support::cur(currency)),
                );
            }
        }
        if let Some((made, pay_by, amount)) = promise {
            let tx = conn.transaction().unwrap();
            let made_on = d(2026, 6, 1) + Duration::days(*made);
            crate::receivables::add_promise(
                &tx,
                &ctx(),
                c,
                made_on,
                made_on + Duration::days(*pay_by),
                *amount,
                "",
            )
            .unwrap();
            tx.commit().unwrap();
        }
    }
    (dir, conn)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// On random books, as of random days: reading at once plans what reading one by
    /// one plans.
    #[test]
    fn on_random_books_the_plan_is_the_same_read_at_once_or_one_by_one(
        customers in proptest::collection::vec(
            (
                0u8..3,
                proptest::collection::vec((0i64..120, 1i64..50_000_000, any::<bool>(), 0i64..60_000_000), 0..4),
                proptest::option::of((0i64..150, 0i64..30, 1i64..10_000_000)),
            ),
            1..6,
        ),
        as_of in 0i64..200,
    ) {
        let (_dir, conn) = random_book(&customers);
        let as_of = crate::test_support::d(2026, 6, 1) + Duration::days(as_of);
        let at_once = plan(&conn, as_of).unwrap();
        let one_by_one = plan_with(&conn, as_of, &OneByOne).unwrap();
        prop_assert_eq!(&at_once.fingerprint, &one_by_one.fingerprint);
        // The fingerprint written straight into the hash, each level's JSON made once, is
        // the digest of the plan's JSON.
        prop_assert_eq!(&json_digest(&at_once), &at_once.fingerprint);
        prop_assert_eq!(at_once, one_by_one);
    }
}
