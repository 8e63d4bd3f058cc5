//! The spill's own tests: round trips, damaged blocks, the scratch file's life.

use super::*;
use std::str::FromStr;

#[test]
fn a_run_reads_back_line_for_line_across_blocks() {
    let (_dir, conn) = crate::test_support::book();
    let scratch = Scratch::beside(&conn).unwrap();
    let lines: Vec<Spilled> = (0..5_000u32)
        .map(|i| Spilled {
            tenant: i / 100,
            subscription: format!("訂閱-{i:08}-{}", "x".repeat((i % 50) as usize)),
            raw: i64::from(i) * 7 - 1_000,
            meter: i % 13,
            currency: if i % 2 == 0 {
                Currency::parse("TWD").unwrap()
            } else {
                Currency::parse("USD").unwrap()
            },
            billed: i % 3 == 0,
            sums: Sums {
                quantity: Decimal::from_str("0.000001").unwrap() * Decimal::from(i),
                cost: Decimal::from_str("-79228162514264337593543950335").unwrap()
                    / Decimal::from(i + 1),
                // Every third line credited in part (a flag and a third figure).
                credited: match i % 3 {
                    0 => Decimal::new(i64::from(i), 4),
                    _ => Decimal::ZERO,
                },
            },
        })
        .collect();
    let rows = write_run(&scratch, &lines).expect("written");
    assert!(rows.1 > rows.0, "more than one block: {rows:?}");
    assert_eq!(read_run(&scratch, rows), lines);
    assert_eq!(
        RunWriter::new(&scratch).finish().unwrap(),
        None,
        "an empty run writes nothing"
    );
}

/// Writes `lines` as one run; its rows (None: no lines).
fn write_run(scratch: &Scratch, lines: &[Spilled]) -> Option<(i64, i64)> {
    let mut w = RunWriter::new(scratch);
    for l in lines {
        w.push(
            l.tenant,
            &l.subscription,
            l.raw,
            l.meter,
            l.currency,
            l.billed,
            &l.sums,
        )
        .unwrap();
    }
    w.finish().unwrap()
}

fn read_run(scratch: &Scratch, rows: (i64, i64)) -> Vec<Spilled> {
    let mut r = RunReader::new(rows);
    std::iter::from_fn(|| r.next(scratch).unwrap()).collect()
}

/// Writes `lines` as one run and reads them back.
fn round_trip(lines: &[Spilled]) -> Vec<Spilled> {
    let scratch = Scratch::beside(&Connection::open_in_memory().unwrap()).unwrap();
    write_run(&scratch, lines).map_or_else(Vec::new, |rows| read_run(&scratch, rows))
}

/// Every decimal comes back exactly: the sign of a zero, trailing zeros, the extremes.
#[test]
fn decimals_come_back_to_the_last_digit_and_sign() {
    let mut minus_zero = Decimal::new(0, 3);
    minus_zero.set_sign_negative(true);
    let values = [
        minus_zero,
        Decimal::new(150, 2),
        Decimal::new(-1, 28),
        Decimal::MAX,
        Decimal::MIN,
        Decimal::ZERO,
        Decimal::from_str("0.0000000000000000000000000001").unwrap(),
    ];
    let lines: Vec<Spilled> = values
        .iter()
        .enumerate()
        .map(|(i, v)| Spilled {
            tenant: u32::MAX,
            subscription: String::new(),
            raw: if i % 2 == 0 { i64::MIN } else { i64::MAX },
            meter: i as u32,
            currency: Currency::parse("JPY").unwrap(),
            billed: false,
            sums: Sums {
                quantity: *v,
                cost: -*v,
                credited: *v,
            },
        })
        .collect();
    let back = round_trip(&lines);
    assert_eq!(back, lines);
    for (a, b) in back.iter().zip(&lines) {
        assert_eq!(a.sums.quantity.to_string(), b.sums.quantity.to_string());
        assert_eq!(a.sums.quantity.serialize(), b.sums.quantity.serialize());
        assert_eq!(a.sums.cost.serialize(), b.sums.cost.serialize());
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

    /// Any lines in key order come back as they went in, whether or not they share a
    /// tenant and subscription with the line before them.
    #[test]
    fn any_run_comes_back_as_written(
        raw in proptest::collection::vec(
            (0u32..3, 0usize..3, proptest::prelude::any::<i64>(), proptest::prelude::any::<u32>(),
             proptest::prelude::any::<bool>(), proptest::prelude::any::<i64>(), 0u32..=28,
             proptest::prelude::any::<(u64, u32)>()),
            0..400,
        )
    ) {
        let subs = ["", "a1b2c3d4-0000-4000-8000-000000000001", "訂閱-é"];
        let mut lines: Vec<Spilled> = raw
            .into_iter()
            .map(|(t, s, r, m, billed, q, scale, (hi, lo))| Spilled {
                tenant: t,
                subscription: subs[s].to_string(),
                raw: r,
                meter: m,
                currency: Currency::parse(if billed { "TWD" } else { "USD" }).unwrap(),
                billed,
                sums: Sums {
                    quantity: Decimal::new(q, scale),
                    cost: Decimal::from_i128_with_scale(
                        (i128::from(hi) << 32 | i128::from(lo)) >> 32,
                        scale,
                    ),
                    credited: Decimal::new(q / 2, scale),
                },
            })
            .collect();
        lines.sort_by(|a, b| a.key().cmp(&b.key()));
        proptest::prop_assert_eq!(round_trip(&lines), lines);
    }

    /// Any bytes read as a block give lines or an error, never a panic.
    #[test]
    fn any_bytes_read_as_a_block_never_panic(
        data in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..300)
    ) {
        let scratch = Scratch::beside(&Connection::open_in_memory().unwrap()).unwrap();
        scratch.conn.execute("INSERT INTO spill (data) VALUES (?1)", [&data]).unwrap();
        let id = scratch.conn.last_insert_rowid();
        let mut r = RunReader::new((id, id));
        for _ in 0..400 {
            match r.next(&scratch) {
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
    }
}

#[test]
fn a_damaged_block_is_an_error_not_a_panic() {
    let scratch = Scratch::beside(&Connection::open_in_memory().unwrap()).unwrap();
    for data in [&b"\x01\x02"[..], &[0xff; 40][..]] {
        scratch
            .conn
            .execute("INSERT INTO spill (data) VALUES (?1)", [data])
            .unwrap();
        let id = scratch.conn.last_insert_rowid();
        assert!(RunReader::new((id, id)).next(&scratch).is_err());
    }
}

#[test]
fn a_leftover_scratch_file_an_hour_old_is_removed_and_a_live_one_is_not() {
    let (dir, conn) = crate::test_support::book();
    let book = dir.path().join("r.db");
    let name = |rest: &str| dir.path().join(format!("r.db{SCRATCH}{rest}"));
    let (old, live, other) = (name("1-0"), name("2-0"), dir.path().join("notes.txt"));
    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
    for f in [&old, &live, &other] {
        std::fs::write(f, b"x").unwrap();
    }
    for f in [&old, &other] {
        std::fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
    }
    let scratch = Scratch::beside(&conn).unwrap();
    assert!(!old.exists(), "an import's leftover goes");
    assert!(live.exists(), "a scratch file in use stays");
    assert!(other.exists(), "only scratch files are touched");
    assert!(book.exists());
    drop(scratch);
    remove_leftovers(&book, Duration::ZERO);
    assert!(!live.exists());
    assert!(other.exists() && book.exists());
}

#[test]
fn the_scratch_file_is_encrypted_beside_the_book_and_gone_when_done() {
    let (dir, conn) = crate::test_support::book();
    let listed = || scratch_files_in(dir.path());
    let scratch = Scratch::beside(&conn).unwrap();
    let second = Scratch::beside(&conn).unwrap();
    let mut w = RunWriter::new(&scratch);
    let secret = "a3f1c0de-5ec2-4e7a-9b1e-0123456789ab";
    // Each line a subscription of its own, so that each carries the id.
    for i in 0..3_000 {
        let sums = Sums {
            quantity: Decimal::from(i),
            cost: Decimal::from(i),
            credited: Decimal::ZERO,
        };
        w.push(
            7,
            &format!("{secret}-{i:05}"),
            1,
            2,
            Currency::parse("TWD").unwrap(),
            true,
            &sums,
        )
        .unwrap();
    }
    w.finish().unwrap().expect("written");
    let files = listed();
    assert_eq!(files.len(), 2, "one file per import: {files:?}");
    let on_disk: Vec<u8> = files
        .iter()
        .flat_map(|f| std::fs::read(f).unwrap())
        .collect();
    assert!(on_disk.len() > 100_000, "the run is on disk, not in memory");
    assert!(
        !on_disk
            .windows(secret.len())
            .any(|w| w == secret.as_bytes()),
        "no line readable in the file"
    );
    assert!(!on_disk.starts_with(b"SQLite format 3"));
    drop(scratch);
    assert_eq!(listed().len(), 1, "the first import's file is gone");
    drop(second);
    assert!(listed().is_empty());
}
