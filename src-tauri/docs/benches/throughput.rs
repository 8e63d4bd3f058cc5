//! Throughput benchmark (not a test): prints how long the heavy paths take.
//!   cargo bench -p riskdesk-docs --bench throughput
//! Goals: aging over 100,000 invoices under 50 ms; a dunning plan over 10,000 customers in
//! 200 ms; 1,000 bilingual letters, one file each, at least twice as fast as reportlab on
//! one thread (measured in the same run) and 20 KiB each on average.

use std::time::Instant;

mod bank_lines;
mod yardstick;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use riskdesk_core::collections;
use riskdesk_core::customer;
use riskdesk_core::receivables::{self, BucketEdges};

use riskdesk_core::Ctx;
use riskdesk_docs::{dunning_letter, dunning_letters_combined, Letterhead, Paper};
use rusqlite::params;

const CUSTOMERS: i64 = 10_000;
const INVOICES_PER_CUSTOMER: i64 = 10;

fn main() {
    let (_dir, mut conn) = riskdesk_core::test_support::book();
    let ctx = Ctx::new(
        "bench",
        Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap(),
    );
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();

    let t = Instant::now();
    let tx = conn.transaction().unwrap();
    for i in 0..CUSTOMERS {
        let f = riskdesk_core::test_support::numbered_customer(i)
            .validate()
            .unwrap();
        customer::insert(&tx, &ctx, &f).unwrap();
    }
    // Invoices and payments straight into the tables (the import path is measured by
    // the tests; here we want a big book quickly).
    {
        let mut inv = tx
            .prepare("INSERT INTO invoices (number, customer_id, kind, issued_on, due_on, currency, total_minor, created_at) VALUES (?1, ?2, 'invoice', ?3, ?4, 'TWD', ?5, '2026-11-25T00:00:00Z')")
            .unwrap();
        let mut pay = tx
            .prepare("INSERT INTO payments (customer_id, kind, received_on, amount_minor, currency, reference, created_at) VALUES (?1, 'payment', ?2, ?3, 'TWD', ?4, '2026-11-25T00:00:00Z')")
            .unwrap();
        let mut settle = tx
            .prepare("UPDATE invoices SET settled_on = ?1 WHERE id = ?2")
            .unwrap();
        let mut alloc = tx.prepare("INSERT INTO allocations (payment_id, invoice_id, amount_minor) VALUES (?1, ?2, ?3)").unwrap();
        for c in 1..=CUSTOMERS {
            for k in 0..INVOICES_PER_CUSTOMER {
                let due = today - Duration::days(30 * k + (c % 40) - 10);
                let issued = due - Duration::days(30);
                let total = 100_000 + (c * 37 + k * 101) % 900_000;
                inv.execute(params![
                    format!("B-{c}-{k}"),
                    c,
                    issued.to_string(),
                    due.to_string(),
                    total
                ])
                .unwrap();
                let invoice_id = tx.last_insert_rowid();
                // Older invoices are paid; the newest three of some customers are not.
                if k >= 3 || c % 5 == 0 {
                    pay.execute(params![
                        c,
                        (due - Duration::days(2)).to_string(),
                        total,
                        format!("P-{c}-{k}")
                    ])
                    .unwrap();
                    alloc
                        .execute(params![tx.last_insert_rowid(), invoice_id, total])
                        .unwrap();
                    settle
                        .execute(params![(due - Duration::days(2)).to_string(), invoice_id])
                        .unwrap();
                }
            }
        }
    }
    tx.commit().unwrap();
    println!(
        "setup: {CUSTOMERS} customers, {} invoices in {:.1} s",
        CUSTOMERS * INVOICES_PER_CUSTOMER,
        t.elapsed().as_secs_f64()
    );

    // Aging over 100,000 invoices.
    let _ = receivables::aging(&conn, today, BucketEdges::default()).unwrap();
    let runs = 10;
    let t = Instant::now();
    let mut rows = 0;
    for _ in 0..runs {
        rows = receivables::aging(&conn, today, BucketEdges::default())
            .unwrap()
            .rows
            .len();
    }
    let ms = t.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    println!(
        "aging over {} invoices: {ms:.1} ms ({rows} customers owing; goal < 50 ms)",
        CUSTOMERS * INVOICES_PER_CUSTOMER
    );

    // A dunning plan over 10,000 customers: the median of five (this machine's timings
    // wander by a third from one call to the next), and the range.
    let mut times = Vec::new();
    let mut plan = None;
    for _ in 0..5 {
        let t = Instant::now();
        plan = Some(collections::plan(&conn, today).unwrap());
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let plan = plan.unwrap();
    times.sort_by(f64::total_cmp);
    println!(
        "dunning plan over {CUSTOMERS} customers: {:.0} ms (median of 5, {:.0}-{:.0} ms; {} customers in the plan; goal <= 200 ms)",
        times[2],
        times[0],
        times[4],
        plan.customers.len()
    );

    // 1,000 bilingual letters.
    let lh = Letterhead {
        name: "雲橋科技有限公司 CloudBridge Ltd.".into(),
        address: "台北市大安區復興南路一段 1 號\nNo. 1, Sec. 1, Fuxing S. Rd., Taipei".into(),
        tax_id: "53212539".into(),
        phone: "+886 2 2700 1234".into(),
        email: "billing@cloudbridge.example".into(),
        payment_instructions: "玉山銀行 (808) 0123-456-789012".into(),
        logo: None,
    };
    let letters: Vec<_> = plan
        .customers
        .iter()
        .take(1000)
        .map(|p| (customer::get(&conn, p.customer_id).unwrap(), p.clone()))
        .collect();
    let zh = letters
        .iter()
        .filter(|(c, _)| c.fields.language == customer::Language::ZhTw)
        .count();
    let _ = dunning_letter(Paper::A4, &lh, &letters[0].0, &letters[0].1, today); // font parsing, once

    let t = Instant::now();
    let sizes: Vec<usize> = letters
        .iter()
        .map(|(c, p)| dunning_letter(Paper::A4, &lh, c, p, today).len())
        .collect();
    let s = t.elapsed().as_secs_f64();
    let bytes: usize = sizes.iter().sum();
    println!(
        "{} letters ({zh} Chinese, {} English), one file each, 1 thread: {s:.2} s, {:.0} letters/s, {:.2} KiB per letter ({} to {} bytes; goal <= 20 KiB)",
        letters.len(),
        letters.len() - zh,
        letters.len() as f64 / s,
        bytes as f64 / letters.len() as f64 / 1024.0,
        sizes.iter().min().unwrap_or(&0),
        sizes.iter().max().unwrap_or(&0),
    );
    yardstick::reportlab(&lh, &letters, today, s);

    let t = Instant::now();
    let half = letters.len().div_ceil(2);
    let _bytes: usize = std::thread::scope(|sc| {
        let hs: Vec<_> = letters
            .chunks(half)
            .map(|chunk| {
                sc.spawn(|| {
                    chunk
                        .iter()
                        .map(|(c, p)| dunning_letter(Paper::A4, &lh, c, p, today).len())
                        .sum::<usize>()
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).sum()
    });
    let s = t.elapsed().as_secs_f64();
    println!("{} letters, one file each, 2 threads: {s:.2} s, {:.0} letters/s (the way `dunning run` writes them)", letters.len(), letters.len() as f64 / s);

    let t = Instant::now();
    let combined = dunning_letters_combined(Paper::A4, &lh, &letters, today);
    let s = t.elapsed().as_secs_f64();
    println!(
        "{} letters in one file for printing: {s:.2} s, {:.1} MB",
        letters.len(),
        combined.len() as f64 / 1e6
    );

    bank_lines::run(&mut conn, &ctx);
}
