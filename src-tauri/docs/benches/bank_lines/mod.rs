//! A bank statement of 2,000 lines against the 10,000-customer book: half name an open
//! invoice, half come from a customer's name; imported, reviewed and the sure ones booked.

use std::time::Instant;

use riskdesk_core::bank::{self, Confidence, CsvMap, StatementFile};
use riskdesk_core::Ctx;
use rusqlite::Connection;

pub fn run(conn: &mut Connection, ctx: &Ctx) {
    let open: Vec<(String, String, i64)> = {
        let mut stmt = conn
            .prepare(
                "SELECT i.number, c.legal_name, i.total_minor FROM invoices i JOIN customers c ON c.id = i.customer_id
                 WHERE i.settled_on = '9999-12-31' ORDER BY i.id LIMIT 2000",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        rows
    };
    let mut csv = String::from("date,text,payer,amount\n");
    for (n, (number, name, minor)) in open.iter().enumerate() {
        let (text, payer) = if n % 2 == 0 {
            (format!("Payment {number}"), String::new())
        } else {
            ("transfer".to_string(), name.replace(',', " "))
        };
        csv.push_str(&format!(
            "{},{text},{payer},{}.{:02}\n",
            ctx.today,
            minor / 100,
            minor % 100
        ));
    }
    let map = CsvMap::parse_spec("date=date,text=text,payer=payer,amount=amount").unwrap();
    let t = Instant::now();
    let tx = conn.transaction().unwrap();
    let s = bank::import_statement(
        &tx,
        ctx,
        &StatementFile {
            file: "bench.csv",
            bytes: csv.as_bytes(),
            format: None,
            account: "Bench",
            map: Some(map),
        },
    )
    .unwrap();
    tx.commit().unwrap();
    let import_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let reviews = bank::review(conn, true).unwrap();
    let review_ms = t.elapsed().as_secs_f64() * 1000.0;
    let sure = reviews
        .iter()
        .filter(|r| {
            r.proposal
                .as_ref()
                .is_some_and(|p| p.confidence == Confidence::Sure)
        })
        .count();
    let likely = reviews
        .iter()
        .filter(|r| {
            r.proposal
                .as_ref()
                .is_some_and(|p| p.confidence == Confidence::Likely)
        })
        .count();
    let t = Instant::now();
    let tx = conn.transaction().unwrap();
    let booked = bank::accept_all_sure(&tx, ctx).unwrap();
    tx.commit().unwrap();
    let book_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "bank statement of {} lines: imported in {import_ms:.0} ms, reviewed in {review_ms:.0} ms ({sure} sure, {likely} likely); {} sure lines booked in {book_ms:.0} ms",
        s.lines,
        booked.len()
    );
}
