//! The usage import's own tests: spilling and the page cache.

use super::*;
use chrono::{TimeZone, Utc};

/// What is stored for the days, in a comparable form.
/// (tenant, day, digest of the lines, total, line count) per stored day.
fn stored(conn: &rusqlite::Connection) -> Vec<(String, String, String, String, i64)> {
    let mut stmt = conn
        .prepare(
            "SELECT d.tenant_id, d.usage_date, d.digest, d.total, count(l.meter_id)
             FROM usage_days d JOIN usage_lines l ON l.day_id = d.id
             GROUP BY d.id ORDER BY d.tenant_id, d.subscription, d.usage_date",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn a_spilled_import_stores_exactly_what_an_in_memory_one_does() {
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/samples/daily_rated_usage_billed_2024-12.csv"
    );
    let bytes = std::fs::read(sample).unwrap();
    let ctx = Ctx::new("t", Utc.with_ymd_and_hms(2025, 2, 1, 0, 0, 0).unwrap());
    let mut results = Vec::new();
    for spill_at in [None, Some(7)] {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::store::create(
            &dir.path().join("s.db"),
            &crate::store::DbKey::generate().unwrap(),
        )
        .unwrap();
        let tx = conn.transaction().unwrap();
        let s =
            import_with_spill(&tx, &ctx, "f.csv", &bytes[..], None, |_, _| {}, spill_at).unwrap();
        tx.commit().unwrap();
        assert_eq!(s.days_added, 8 * 31);
        let left: i64 = conn
            .query_row("SELECT count(*) FROM usage_spill", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0, "the scratch table is emptied");
        // Imported again (spilled again): nothing changes.
        let tx = conn.transaction().unwrap();
        let again =
            import_with_spill(&tx, &ctx, "f.csv", &bytes[..], None, |_, _| {}, spill_at).unwrap();
        tx.commit().unwrap();
        assert_eq!(again.days_unchanged, 8 * 31);
        results.push(stored(&conn));
    }
    assert_eq!(results[0].len(), results[1].len());
    for (a, b) in results[0].iter().zip(&results[1]) {
        assert_eq!(a, b);
    }
}

/// An import works with a small page cache and gives the book its own back.
#[test]
fn an_import_gives_the_page_cache_back() {
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/samples/daily_rated_usage_billed_2024-12.csv"
    );
    let bytes = std::fs::read(sample).unwrap();
    let ctx = Ctx::new("t", Utc.with_ymd_and_hms(2025, 2, 1, 0, 0, 0).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let key = crate::store::DbKey::generate().unwrap();
    let mut conn = crate::store::create(&dir.path().join("c.db"), &key).unwrap();
    let cache = |c: &rusqlite::Connection| -> i64 {
        c.query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap()
    };
    let before = cache(&conn);
    assert_ne!(before, IMPORT_CACHE_KIB);
    let tx = conn.transaction().unwrap();
    import_usage(&tx, &ctx, "f.csv", &bytes[..], None, |_, _| {}).unwrap();
    tx.commit().unwrap();
    assert_eq!(cache(&conn), before);
    // A refused file gives it back too.
    let tx = conn.transaction().unwrap();
    assert!(import_usage(&tx, &ctx, "bad.csv", &b"a,b\n1,2\n"[..], None, |_, _| {}).is_err());
    drop(tx);
    assert_eq!(cache(&conn), before);
}
