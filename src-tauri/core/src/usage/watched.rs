//! What the detectors watch on a day, summed from its meter lines: spend and hours of GPU/HPC
//! and of large VMs, gigabytes of outbound data transfer, messages sent. One function for
//! the import and for classifying stored days again when the rules change.

use rusqlite::{params, Transaction};
use rust_decimal::Decimal;

use super::classify::{self, MeterClass};
use super::write::text;
use crate::Result;

#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Watched {
    pub gpu_cost: Decimal,
    pub gpu_hours: Decimal,
    pub large_vm_cost: Decimal,
    pub large_vm_hours: Decimal,
    pub egress_gb: Decimal,
    pub messages: Decimal,
}

impl Watched {
    /// Adds one meter line of `class`, measured in `unit`.
    pub fn add(&mut self, class: MeterClass, unit: &str, quantity: Decimal, cost: Decimal) {
        let q = classify::normalised(class, unit, quantity).unwrap_or(Decimal::ZERO);
        // Sums that would overflow stay at the largest value rather than panic.
        let add = |a: &mut Decimal, b: Decimal| *a = a.checked_add(b).unwrap_or(Decimal::MAX);
        match class {
            MeterClass::Gpu => {
                add(&mut self.gpu_cost, cost);
                add(&mut self.gpu_hours, q);
            }
            MeterClass::LargeVm => {
                add(&mut self.large_vm_cost, cost);
                add(&mut self.large_vm_hours, q);
            }
            MeterClass::Egress => add(&mut self.egress_gb, q),
            MeterClass::Messaging => add(&mut self.messages, q),
            MeterClass::Vm | MeterClass::Transfer | MeterClass::Other => {}
        }
    }
}

/// The settings key that records which rules the stored classes follow.
const RULES_KEY: &str = "usage.classifier_rules";

/// Classifies every stored meter with the current rules and recomputes the watched measures
/// of every stored day, when the stored classes follow older rules. Returns the days
/// recomputed. Only derived columns change; the lines as imported stay as they are.
pub fn reclassify(tx: &Transaction) -> Result<u64> {
    let stored = crate::store::settings::get(tx, RULES_KEY)?;
    if stored.as_deref() == Some(classify::RULES_VERSION) {
        return Ok(0);
    }
    let meters: Vec<(i64, String, String, String)> = crate::store::rows(
        tx,
        "SELECT id, category, subcategory, meter FROM usage_meters",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let mut update = tx.prepare("UPDATE usage_meters SET class = ?2 WHERE id = ?1")?;
    for (id, category, subcategory, meter) in &meters {
        let class = classify::classify(category, subcategory, meter);
        update.execute(params![id, class.as_str()])?;
    }
    let mut days = 0u64;
    {
        let mut stmt = tx.prepare(
            "SELECT l.day_id, m.class, m.unit, l.quantity, l.cost
             FROM usage_lines l JOIN usage_meters m ON m.id = l.meter_id
             ORDER BY l.day_id",
        )?;
        let mut put = tx.prepare(
            "UPDATE usage_days SET gpu_cost = ?2, gpu_hours = ?3, large_vm_cost = ?4,
               large_vm_hours = ?5, egress_qty = ?6, messaging_qty = ?7 WHERE id = ?1",
        )?;
        let mut write = |id: i64, w: &Watched| -> Result<()> {
            put.execute(params![
                id,
                text(w.gpu_cost),
                text(w.gpu_hours),
                text(w.large_vm_cost),
                text(w.large_vm_hours),
                text(w.egress_gb),
                text(w.messages)
            ])?;
            Ok(())
        };
        let mut rows = stmt.query([])?;
        let mut current: Option<(i64, Watched)> = None;
        while let Some(r) = rows.next()? {
            let day: i64 = r.get(0)?;
            if current.as_ref().is_none_or(|(d, _)| *d != day) {
                if let Some((d, w)) = current.take() {
                    write(d, &w)?;
                    days += 1;
                }
                current = Some((day, Watched::default()));
            }
            let class =
                MeterClass::parse(super::series::col_str(r, 1)?).unwrap_or(MeterClass::Other);
            let dec = |i: usize| -> Result<Decimal> {
                let t = super::series::col_str(r, i)?;
                t.parse().map_err(|_| {
                    crate::Error::Invalid(format!("usage_lines: {t:?} is not a decimal"))
                })
            };
            let (q, c) = (dec(3)?, dec(4)?);
            if let Some((_, w)) = current.as_mut() {
                w.add(class, super::series::col_str(r, 2)?, q, c);
            }
        }
        if let Some((d, w)) = current.take() {
            write(d, &w)?;
            days += 1;
        }
    }
    // Derived state, not a user setting: kept without an audit row.
    tx.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, '')
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![RULES_KEY, classify::RULES_VERSION],
    )?;
    Ok(days)
}
