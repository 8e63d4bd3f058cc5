//! The usage import's spilled lines: each spill is a run of lines in key order, packed
//! into blocks of about 64 KiB, each block one row of the scratch table `usage_spill` (in
//! the encrypted database, inside the import's transaction). Writing a run appends a few
//! rows; reading it back decodes them in order. A line's bytes:
//! tenant u32 · raw date i64 · meter u32 · billed u8 · currency (3 ASCII letters) ·
//! quantity and cost (16 bytes each, `Decimal::serialize`) · subscription id (u16 length,
//! then its UTF-8), integers little-endian.

use rusqlite::{params, Transaction};
use rust_decimal::Decimal;

use super::days::Sums;
use crate::money::Currency;
use crate::{Error, Result};

/// How large a block grows before it is written.
const BLOCK: usize = 64 * 1024;

/// One spilled line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spilled {
    pub tenant: u32,
    pub subscription: String,
    pub raw: i64,
    pub meter: u32,
    pub currency: Currency,
    pub billed: bool,
    pub sums: Sums,
}

impl Spilled {
    /// The order of a run: tenant, subscription, day, meter.
    pub fn key(&self) -> (u32, &str, i64, u32) {
        (self.tenant, &self.subscription, self.raw, self.meter)
    }
}

/// Writes one run; `finish` gives its rows (first and last rowid).
pub(crate) struct RunWriter<'t> {
    tx: &'t Transaction<'t>,
    block: Vec<u8>,
    rows: Option<(i64, i64)>,
}

impl<'t> RunWriter<'t> {
    pub fn new(tx: &'t Transaction<'t>) -> Self {
        RunWriter {
            tx,
            block: Vec::with_capacity(BLOCK + 256),
            rows: None,
        }
    }

    /// Adds a line; lines must come in key order.
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        tenant: u32,
        subscription: &str,
        raw: i64,
        meter: u32,
        currency: Currency,
        billed: bool,
        sums: &Sums,
    ) -> Result<()> {
        let b = &mut self.block;
        b.extend(tenant.to_le_bytes());
        b.extend(raw.to_le_bytes());
        b.extend(meter.to_le_bytes());
        b.push(billed as u8);
        b.extend(currency.code().as_bytes());
        b.extend(sums.quantity.serialize());
        b.extend(sums.cost.serialize());
        let id = subscription.as_bytes();
        let len = u16::try_from(id.len())
            .map_err(|_| Error::Invalid("a subscription id longer than 65535 bytes".into()))?;
        b.extend(len.to_le_bytes());
        b.extend(id);
        if b.len() >= BLOCK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.block.is_empty() {
            return Ok(());
        }
        self.tx
            .prepare_cached("INSERT INTO usage_spill (data) VALUES (?1)")?
            .execute(params![&self.block[..]])?;
        let id = self.tx.last_insert_rowid();
        self.rows = Some((self.rows.map_or(id, |r| r.0), id));
        self.block.clear();
        Ok(())
    }

    /// Writes what is left; the run's rows (None: it had no lines).
    pub fn finish(mut self) -> Result<Option<(i64, i64)>> {
        self.flush()?;
        Ok(self.rows)
    }
}

/// Reads one run back, line by line.
pub(crate) struct RunReader {
    /// The run's rows not read yet.
    next_row: i64,
    last_row: i64,
    block: Vec<u8>,
    at: usize,
}

fn damaged() -> Error {
    Error::Invalid("usage_spill: a damaged block".into())
}

impl RunReader {
    pub fn new((first, last): (i64, i64)) -> Self {
        RunReader {
            next_row: first,
            last_row: last,
            block: Vec::new(),
            at: 0,
        }
    }

    /// The next line of the run (None at its end).
    pub fn next(&mut self, tx: &Transaction) -> Result<Option<Spilled>> {
        while self.at >= self.block.len() {
            if self.next_row > self.last_row {
                return Ok(None);
            }
            self.block = tx
                .prepare_cached("SELECT data FROM usage_spill WHERE rowid = ?1")?
                .query_row([self.next_row], |r| r.get(0))?;
            self.next_row += 1;
            self.at = 0;
        }
        let mut take = |n: usize| -> Result<&[u8]> {
            let bytes = self.block.get(self.at..self.at + n).ok_or_else(damaged)?;
            self.at += n;
            Ok(bytes)
        };
        let tenant = u32::from_le_bytes(take(4)?.try_into().map_err(|_| damaged())?);
        let raw = i64::from_le_bytes(take(8)?.try_into().map_err(|_| damaged())?);
        let meter = u32::from_le_bytes(take(4)?.try_into().map_err(|_| damaged())?);
        let billed = take(1)?[0] == 1;
        let currency = std::str::from_utf8(take(3)?)
            .ok()
            .and_then(Currency::parse)
            .ok_or_else(damaged)?;
        let decimal = |b: &[u8]| -> Result<Decimal> {
            Ok(Decimal::deserialize(b.try_into().map_err(|_| damaged())?))
        };
        let quantity = decimal(take(16)?)?;
        let cost = decimal(take(16)?)?;
        let len = u16::from_le_bytes(take(2)?.try_into().map_err(|_| damaged())?) as usize;
        let subscription = String::from_utf8(take(len)?.to_vec()).map_err(|_| damaged())?;
        Ok(Some(Spilled {
            tenant,
            subscription,
            raw,
            meter,
            currency,
            billed,
            sums: Sums { quantity, cost },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn a_run_reads_back_line_for_line_across_blocks() {
        let (_dir, mut conn) = crate::test_support::book();
        let tx = conn.transaction().unwrap();
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
                },
            })
            .collect();
        let mut w = RunWriter::new(&tx);
        for l in &lines {
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
        let rows = w.finish().unwrap().expect("written");
        assert!(rows.1 > rows.0, "more than one block: {rows:?}");
        let mut r = RunReader::new(rows);
        let mut back = Vec::new();
        while let Some(l) = r.next(&tx).unwrap() {
            back.push(l);
        }
        assert_eq!(back, lines);
        assert_eq!(
            RunWriter::new(&tx).finish().unwrap(),
            None,
            "an empty run writes nothing"
        );
    }

    #[test]
    fn a_damaged_block_is_an_error_not_a_panic() {
        let (_dir, mut conn) = crate::test_support::book();
        let tx = conn.transaction().unwrap();
        for data in [&b"\x01\x02"[..], &[0xff; 40][..]] {
            tx.execute("INSERT INTO usage_spill (data) VALUES (?1)", [data])
                .unwrap();
            let id = tx.last_insert_rowid();
            assert!(RunReader::new((id, id)).next(&tx).is_err());
        }
    }
}
