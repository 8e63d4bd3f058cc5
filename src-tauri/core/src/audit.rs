//! The append-only audit trail. Every mutation writes a row here in its own transaction;
//! each row carries the SHA-256 of the previous row, and the head of the chain is kept in
//! `meta`, so [`verify`] finds a row that was edited, removed or appended by hand.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Ctx, Result};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub os_user: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

fn row_hash(fields: [&str; 9]) -> String {
    let mut h = Sha256::new();
    for f in fields {
        h.update(f.as_bytes());
        h.update([0x1f]);
    }
    crate::hex::lower(&h.finalize())
}

/// Appends one audit row. `before`/`after` are the record's JSON (None for create/delete).
pub fn record<T: Serialize>(
    tx: &Transaction,
    ctx: &Ctx,
    entity: &str,
    entity_id: impl Into<i64>,
    action: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let to_text = |v: Option<&T>| -> Result<String> {
        match v {
            Some(v) => serde_json::to_string(v)
                .map_err(|e| crate::Error::Invalid(format!("audit serialisation: {e}"))),
            None => Ok(String::new()),
        }
    };
    let before = to_text(before)?;
    let after = to_text(after)?;
    let (last_seq, prev_hash): (i64, String) = tx
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_string()));
    let seq = last_seq + 1;
    let at = ctx.now_text();
    let id_text = entity_id.into().to_string();
    let seq_text = seq.to_string();
    let hash = row_hash([
        &seq_text, &at, &ctx.actor, entity, &id_text, action, &before, &after, &prev_hash,
    ]);
    tx.execute(
        "INSERT INTO audit (seq, at, os_user, entity, entity_id, action, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![seq, at, ctx.actor, entity, id_text, action, before, after, prev_hash, hash],
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![format!("{seq}:{hash}")],
    )?;
    Ok(())
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Verification {
    pub rows: i64,
    /// The first problem found, with the row it concerns; None when the chain is intact.
    pub problem: Option<String>,
    /// The same problem for the window to say in its language.
    pub broken: Option<Broken>,
}

/// What is wrong with the chain, and at which row.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Broken {
    /// `missing` (a row removed: `row` is the one expected, `next` the one found),
    /// `unlinked` (a row before `row` changed or removed), `changed` (`row` edited), or
    /// `end_moved` (rows removed from or added at the end: `row` is the last one, `next`
    /// the end recorded, 0 for none).
    pub kind: &'static str,
    pub row: i64,
    pub next: i64,
}

impl Verification {
    fn broken(rows: i64, kind: &'static str, row: i64, next: i64, problem: String) -> Self {
        Verification {
            rows,
            problem: Some(problem),
            broken: Some(Broken { kind, row, next }),
        }
    }
}

impl Verification {
    pub fn is_intact(&self) -> bool {
        self.problem.is_none()
    }
}

/// Recomputes every row's hash and checks the links and the recorded head.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, os_user, entity, entity_id, action, before, after, prev_hash, hash
         FROM audit ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    let mut count = 0i64;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let fields: Vec<String> = (1..10).map(|i| r.get(i)).collect::<Result<_, _>>()?;
        count += 1;
        if seq != expected_seq {
            return Ok(Verification::broken(
                count,
                "missing",
                expected_seq,
                seq,
                format!("audit row {expected_seq} is missing (the next row is {seq})"),
            ));
        }
        if fields[7] != expected_prev {
            return Ok(Verification::broken(
                count,
                "unlinked",
                seq,
                seq,
                format!(
                    "audit row {seq} does not follow row {}: a row before it was changed or removed",
                    seq - 1
                ),
            ));
        }
        let seq_text = seq.to_string();
        let computed = row_hash([
            &seq_text, &fields[0], &fields[1], &fields[2], &fields[3], &fields[4], &fields[5],
            &fields[6], &fields[7],
        ]);
        if computed != fields[8] {
            return Ok(Verification::broken(
                count,
                "changed",
                seq,
                seq,
                format!(
                    "audit row {seq} ({} {} {} at {}) was changed after it was written",
                    fields[4], fields[2], fields[3], fields[0]
                ),
            ));
        }
        expected_prev = fields[8].clone();
        expected_seq += 1;
    }
    let head: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'audit_head'", [], |r| {
            r.get(0)
        })
        .optional()?;
    let actual_head = if count == 0 {
        None
    } else {
        Some(format!("{}:{}", expected_seq - 1, expected_prev))
    };
    if head != actual_head {
        let recorded = head.as_deref().and_then(|h| h.split(':').next());
        return Ok(Verification::broken(
            count,
            "end_moved",
            expected_seq - 1,
            recorded.and_then(|r| r.parse().ok()).unwrap_or(0),
            format!(
                "the audit trail ends at row {} but the recorded end is {}: rows were removed or added by hand",
                expected_seq - 1,
                recorded.unwrap_or("none")
            ),
        ));
    }
    Ok(Verification {
        rows: count,
        problem: None,
        broken: None,
    })
}

fn parse_json(text: String) -> Option<serde_json::Value> {
    if text.is_empty() {
        None
    } else {
        serde_json::from_str(&text).ok()
    }
}

/// The history of one record, newest first.
pub fn for_entity(
    conn: &Connection,
    entity: &str,
    entity_id: impl Into<i64>,
) -> Result<Vec<AuditRow>> {
    crate::store::rows(
        conn,
        "SELECT seq, at, os_user, entity, entity_id, action, before, after
         FROM audit WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq DESC LIMIT 200",
        params![entity, entity_id.into().to_string()],
        |r| {
            Ok(AuditRow {
                seq: r.get(0)?,
                at: r.get(1)?,
                os_user: r.get(2)?,
                entity: r.get(3)?,
                entity_id: r.get(4)?,
                action: r.get(5)?,
                before: parse_json(r.get(6)?),
                after: parse_json(r.get(7)?),
            })
        },
    )
}

/// Number of audit rows (for tests and the CLI).
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?)
}
