//! Responsiveness benchmark (not a test): while a dunning run renders 1,000 letters, how
//! long does the customer list take to answer? The window holds the database lock only to
//! book the run, then renders from the stored record with the database free; the old way
//! rendered holding it. And the list now reads through a second, read-only connection, which
//! answers during the booking too. All three are measured in the same run, on one book:
//!   cargo bench -p riskdesk-docs --bench responsive
//! Goal from the responsiveness issue: the list answers in under 100 ms while letters render.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use riskdesk_core::collections::{self, Exclusions};
use riskdesk_core::customer::{self, ListQuery};
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::Ctx;
use riskdesk_docs::{dunning_letter, Letterhead, Paper};
use rusqlite::{params, Connection};

const CUSTOMERS: i64 = 1_000;

fn book(dir: &std::path::Path, ctx: &Ctx, key: &DbKey) -> Connection {
    let mut conn = store::create(&dir.join("r.db"), key).unwrap();
    let tx = conn.transaction().unwrap();
    riskdesk_core::store::settings::set(&tx, ctx, "letterhead.name", "CloudBridge Ltd.").unwrap();
    for i in 0..CUSTOMERS {
        let f = riskdesk_core::test_support::numbered_customer(i)
            .validate()
            .unwrap();
        let c = customer::insert(&tx, ctx, &f).unwrap();
        tx.execute(
            "INSERT INTO invoices (number, customer_id, kind, issued_on, due_on, currency, total_minor, created_at) VALUES (?1, ?2, 'invoice', '2026-09-01', '2026-10-01', 'TWD', 1234500, '2026-11-25T00:00:00Z')",
            params![format!("INV-{i:05}"), c.id.0],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    conn
}

/// Where the window's list reads: the writing connection, behind its lock, or a reading
/// connection of its own.
enum Via {
    Writer(Arc<Mutex<Connection>>),
    Reader(Connection),
}

/// Lists customers every 20 ms while `busy` is set; when each list was asked for and how
/// long it took, the wait for the lock included.
fn window(via: Via, busy: Arc<AtomicBool>) -> Vec<(Instant, Duration)> {
    let mut took = Vec::new();
    while busy.load(Ordering::SeqCst) {
        let t = Instant::now();
        match &via {
            Via::Writer(db) => {
                let conn = db.lock().unwrap();
                customer::list(&conn, &ListQuery::default()).unwrap();
            }
            Via::Reader(conn) => {
                customer::list(conn, &ListQuery::default()).unwrap();
            }
        }
        took.push((t, t.elapsed()));
        std::thread::sleep(Duration::from_millis(20));
    }
    took
}

fn measure(
    label: &str,
    hold_while_rendering: bool,
    reader: bool,
    ctx: &Ctx,
    as_of: NaiveDate,
    lh: &Letterhead,
) {
    let dir = tempfile::tempdir().unwrap();
    let key = DbKey::generate().unwrap();
    let db = Arc::new(Mutex::new(book(dir.path(), ctx, &key)));
    let busy = Arc::new(AtomicBool::new(true));
    let via = if reader {
        Via::Reader(store::open_reader(&dir.path().join("r.db"), &key).unwrap())
    } else {
        Via::Writer(Arc::clone(&db))
    };
    let lister = {
        let busy = Arc::clone(&busy);
        std::thread::spawn(move || window(via, busy))
    };
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    let mut guard = db.lock().unwrap();
    let tx = guard.transaction().unwrap();
    let run = collections::execute(&tx, ctx, as_of, &Exclusions::default(), None, "/tmp")
        .unwrap()
        .expect("letters to write");
    tx.commit().unwrap();
    let booked = t.elapsed();
    let booked_at = Instant::now();
    let render = |run: &collections::RunRecord| -> usize {
        run.letters()
            .map(|c| dunning_letter(Paper::A4, lh, &c.customer, &c.plan, as_of).len())
            .sum()
    };
    let letters = run.letters().count();
    if hold_while_rendering {
        render(&run);
        drop(guard);
    } else {
        drop(guard);
        render(&run);
    }
    let secs = t.elapsed().as_secs_f64();
    busy.store(false, Ordering::SeqCst);
    let asked = lister.join().unwrap();
    // The lists asked for while the letters rendered (the booking before holds the
    // database: its time is printed apart).
    let mut took: Vec<Duration> = asked
        .iter()
        .filter(|(at, _)| *at >= booked_at)
        .map(|(_, d)| *d)
        .collect();
    took.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| {
        took.get(((took.len().max(1) - 1) as f64 * q) as usize)
            .copied()
            .unwrap_or_default()
    };
    let slowest_of_all = asked.iter().map(|(_, d)| *d).max().unwrap_or_default();
    println!(
        "{label}: {letters} letters booked in {:.0} ms, then rendered, {secs:.2} s in all; the slowest customer list of the run took {:.0} ms; while the letters rendered it answered {} times, median {:.1} ms, 95th percentile {:.1} ms, slowest {:.1} ms (goal: under 100 ms)",
        ms(booked),
        ms(slowest_of_all),
        took.len(),
        ms(at(0.5)),
        ms(at(0.95)),
        ms(took.last().copied().unwrap_or_default())
    );
}

fn main() {
    let ctx = Ctx::new(
        "bench",
        Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap(),
    );
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let lh = Letterhead {
        name: "雲橋科技有限公司 CloudBridge Ltd.".into(),
        address: "台北市大安區復興南路一段 1 號".into(),
        tax_id: "53212539".into(),
        phone: "+886 2 2700 1234".into(),
        email: "billing@cloudbridge.example".into(),
        payment_instructions: "玉山銀行 (808) 0123-456-789012".into(),
        logo: None,
    };
    measure(
        "the list through the reading connection (RiskDesk now)",
        false,
        true,
        &ctx,
        as_of,
        &lh,
    );
    measure(
        "the list behind the database lock, held only to book",
        false,
        false,
        &ctx,
        as_of,
        &lh,
    );
    measure(
        "the list behind the database lock, held while rendering (before)",
        true,
        false,
        &ctx,
        as_of,
        &lh,
    );
}
