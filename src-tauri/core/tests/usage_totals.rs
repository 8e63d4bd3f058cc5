//! Usage totals never depend on how a download reaches the book: the same file twice, its
//! rows in another order, or its days in two files imported either way round give each
//! tenant's day the exact sum of the file's lines for it, to the last decimal the file
//! wrote, and a file imported again changes nothing.

mod usage_common;

use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;
use usage_common::*;

const TENANTS: [&str; 3] = [
    "90fea696-4074-5090-b371-10b325a2143d",
    "0b5c1d2e-3f40-4a51-8b62-7c83d94ea5f6",
    "c0ffee00-1111-4222-8333-444455556666",
];

/// What the lines of one tenant's day may charge for: meters of several classes.
const METERS: [(&str, &str, &str, &str); 5] = [
    ("Virtual Machines", "Dsv5 Series", "D4s v5", "1 Hour"),
    ("Virtual Machines", "NCSv3 Series", "NC6s v3", "1 Hour"),
    (
        "Bandwidth",
        "Rtn Preference: MGN",
        "Standard Data Transfer Out",
        "1 GB",
    ),
    ("Bandwidth", "", "Data Transfer In", "1 GB"),
    (
        "Storage",
        "Premium SSD Managed Disks",
        "P10 LRS Disk",
        "1/Month",
    ),
];

/// One line of a download.
#[derive(Debug, Clone)]
struct Line {
    tenant: usize,
    day: u32,
    meter: usize,
    quantity: Decimal,
    cost: Decimal,
}

fn line() -> impl Strategy<Value = Line> {
    (
        0..TENANTS.len(),
        1u32..=28,
        0..METERS.len(),
        (0i64..10_000_000, 0u32..=4),
        // From a credit to a large charge, with as many decimals as Partner Center writes.
        (-5_000_000_000i64..100_000_000_000, 0u32..=10),
    )
        .prop_map(|(tenant, day, meter, (q, qs), (c, cs))| Line {
            tenant,
            day,
            meter,
            quantity: Decimal::new(q, qs),
            cost: Decimal::new(c, cs),
        })
}

/// The lines as a Partner Center daily rated usage file, dates written `M/D/YYYY` or
/// ISO 8601, amounts as Partner Center writes them (a point, no thousands separator).
fn file(lines: &[Line], iso: bool) -> Vec<u8> {
    let date = |d: u32| {
        if iso {
            format!("2025-01-{d:02}")
        } else {
            format!("1/{d}/2025")
        }
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADER.split(',')).unwrap();
    for l in lines {
        let (category, sub, meter, unit) = METERS[l.meter];
        out.write_record([
            TENANTS[l.tenant],
            &format!("Tenant {}", l.tenant),
            "contoso.onmicrosoft.com",
            "",
            "edef061b-0a9c-535c-bacc-1fd9276bf821",
            &date(1),
            &date(31),
            &date(l.day),
            category,
            sub,
            meter,
            "EASTASIA",
            unit,
            &l.quantity.to_string(),
            &l.cost.to_string(),
            "TWD",
        ])
        .unwrap();
    }
    out.into_inner().unwrap()
}

/// Each tenant's day: the exact sum of its lines' costs.
fn sums(lines: &[Line]) -> BTreeMap<(usize, u32), Decimal> {
    let mut out = BTreeMap::new();
    for l in lines {
        *out.entry((l.tenant, l.day)).or_insert(Decimal::ZERO) += l.cost;
    }
    out
}

/// Each tenant's day as the book holds it.
fn stored(conn: &rusqlite::Connection, days: impl Iterator<Item = (usize, u32)>) -> Vec<Decimal> {
    days.map(|(t, d)| {
        let day = format!("2025-01-{d:02}");
        total(conn, TENANTS[t], &day, &day)
    })
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_day_s_total_is_the_sum_of_its_lines_however_the_file_arrives(
        lines in prop::collection::vec(line(), 1..40),
        iso in any::<bool>(),
        split in 1u32..=28,
        order in any::<prop::sample::Index>(),
    ) {
        let expected = sums(&lines);
        let want: Vec<Decimal> = expected.values().copied().collect();

        // The whole file, then the same file again and its rows in another order.
        let (_d, mut whole) = db();
        let first = import_bytes(&mut whole, "u.csv", &file(&lines, iso)).unwrap();
        prop_assert_eq!(first.rows, lines.len() as u64);
        prop_assert_eq!(stored(&whole, expected.keys().copied()), want.clone());
        let before = counts(&whole);
        let again = import_bytes(&mut whole, "u.csv", &file(&lines, !iso)).unwrap();
        prop_assert!(!again.changed(), "{:?}", again);
        let mut shuffled = lines.clone();
        shuffled.rotate_left(order.index(lines.len()));
        shuffled.reverse();
        let moved = import_bytes(&mut whole, "v.csv", &file(&shuffled, iso)).unwrap();
        prop_assert!(!moved.changed(), "{:?}", moved);
        prop_assert_eq!(counts(&whole), before);

        // Its days in two downloads, imported either way round, then the whole file.
        let (early, late): (Vec<Line>, Vec<Line>) =
            lines.iter().cloned().partition(|l| l.day < split);
        for parts in [[&early, &late], [&late, &early]] {
            let (_d, mut conn) = db();
            for part in parts.iter().filter(|p| !p.is_empty()) {
                import_bytes(&mut conn, "part.csv", &file(part, iso)).unwrap();
            }
            prop_assert_eq!(stored(&conn, expected.keys().copied()), want.clone());
            let again = import_bytes(&mut conn, "u.csv", &file(&lines, iso)).unwrap();
            prop_assert!(!again.changed(), "{:?}", again);
        }
    }
}
