//! Writing an import's days, one at a time: a day whose lines are exactly as stored is left
//! alone; a new one is added; a stored one is replaced, unless it was billed and the file's
//! day is not. The import's record is made at the first change, so an import that changes
//! nothing writes nothing. Tenants are remembered (with the customer they match) before
//! their first day is written.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::days::{Day, DayKey, Interner, SEP};
use super::import::{TenantSeen, UsageImport};
use super::read::Format;
use crate::ids::CustomerId;
use crate::{Ctx, Result};

/// The exact decimal as stored: no trailing zeros.
pub(crate) fn text(d: Decimal) -> String {
    if d.is_zero() {
        // Most of a day's watched figures (GPU, messages...) are nothing.
        return "0".to_string();
    }
    // What `d.normalize().to_string()` writes, from the integer and the scale: a million
    // lines write two each, and rust_decimal's general formatting was a quarter of the
    // time spent storing a line.
    let d = d.normalize();
    let scale = d.scale() as usize;
    let m = d.mantissa();
    let digits = m.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + scale + 3);
    if m < 0 {
        out.push('-');
    }
    if scale == 0 {
        out.push_str(&digits);
    } else if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        out.push_str(whole);
        out.push('.');
        out.push_str(fraction);
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - digits.len()));
        out.push_str(&digits);
    }
    out
}

/// The most lines one INSERT stores (four values each, well under SQLite's 32,766).
const LINES_AT_ONCE: usize = 16;

/// `INSERT INTO usage_lines ... VALUES (?, ?, ?, ?)` for `n` lines (1 to LINES_AT_ONCE),
/// built once per count.
fn lines_insert(n: usize) -> &'static str {
    static TEXTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    &TEXTS.get_or_init(|| {
        (0..=LINES_AT_ONCE)
            .map(|n| {
                let rows = vec!["(?, ?, ?, ?)"; n].join(", ");
                format!("INSERT INTO usage_lines (day_id, meter_id, quantity, cost) VALUES {rows}")
            })
            .collect()
    })[n]
}

use super::classify::MeterClass;
use super::watched::Watched;
use crate::money::Currency;

/// A stored meter: its row, class, region and unit of measure.
type MeterRow = (i64, MeterClass, String, String);

pub(crate) struct Writer<'a> {
    tx: &'a Transaction<'a>,
    ctx: &'a Ctx,
    file: &'a str,
    sha256: String,
    summary: UsageImport,
    meters: HashMap<u32, MeterRow>,
    rates: BTreeMap<(NaiveDate, Currency, Currency), Decimal>,
    /// The first day of each tenant's lines on each meter (its region is the meter's).
    regions: HashMap<(u32, u32), NaiveDate>,
    first_days: BTreeMap<u32, NaiveDate>,
    tenants_written: BTreeSet<u32>,
    /// Whether each tenant met so far had days stored before this import: one without
    /// any needs no look-up of each of its days (the import writes each day once).
    tenants_stored: HashMap<u32, bool>,
}

impl<'a> Writer<'a> {
    pub fn new(
        tx: &'a Transaction<'a>,
        ctx: &'a Ctx,
        file: &'a str,
        sha256: String,
        format: Format,
        rows: u64,
    ) -> Self {
        Writer {
            tx,
            ctx,
            file,
            sha256,
            summary: UsageImport {
                format,
                rows,
                first_day: None,
                last_day: None,
                days_added: 0,
                days_replaced: 0,
                days_unchanged: 0,
                days_kept_billed: 0,
                earlier_charges: 0,
                no_customer: 0,
                purchases: Vec::new(),
                purchase_days_changed: 0,
                purchase_alerts: 0,
                taxes: 0,
                credited_rows: 0,
                tenants: Vec::new(),
                import_id: None,
            },
            meters: HashMap::new(),
            rates: BTreeMap::new(),
            regions: HashMap::new(),
            first_days: BTreeMap::new(),
            tenants_written: BTreeSet::new(),
            tenants_stored: HashMap::new(),
        }
    }

    /// An exchange rate the file carries (pricing → billing currency on a usage day).
    pub fn rate(&mut self, day: NaiveDate, pricing: Currency, billing: Currency, rate: Decimal) {
        self.rates.insert((day, pricing, billing), rate);
    }

    /// Compares one day with what is stored and writes it when it changed.
    pub fn day(
        &mut self,
        strings: &Interner,
        tenants: &BTreeMap<u32, (String, String)>,
        (t, s, d): DayKey,
        day: Day,
    ) -> Result<()> {
        let sm = &mut self.summary;
        sm.first_day = Some(sm.first_day.map_or(d, |f| f.min(d)));
        sm.last_day = Some(sm.last_day.map_or(d, |l| l.max(d)));
        let digest = day_digest(&day, strings);
        let stored = match self.tenants_stored.get(&t) {
            Some(stored) => *stored,
            None => {
                let stored = self
                    .tx
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM usage_days WHERE tenant_id = ?1)",
                    )?
                    .query_row([strings.name(t)], |r| r.get(0))?;
                self.tenants_stored.insert(t, stored);
                stored
            }
        };
        let existing: Option<(i64, bool, String)> = match stored {
            false => None,
            true => self
                .tx
                .prepare_cached("SELECT id, billed, digest FROM usage_days WHERE tenant_id = ?1 AND subscription = ?2 AND usage_date = ?3")?
                .query_row(params![strings.name(t), s, d.to_string()], |r| {
                    Ok((r.get(0)?, r.get::<_, i64>(1)? == 1, r.get(2)?))
                })
                .optional()?,
        };
        let existing = match existing {
            Some((_, _, old)) if old == digest => {
                self.summary.days_unchanged += 1;
                return Ok(());
            }
            Some((_, true, _)) if !day.billed => {
                self.summary.days_kept_billed += 1;
                return Ok(());
            }
            Some((id, _, _)) => {
                self.summary.days_replaced += 1;
                Some(id)
            }
            None => {
                self.summary.days_added += 1;
                None
            }
        };
        let import_id = self.import_id()?;
        if self.tenants_written.insert(t) {
            let (name, domain) = tenants.get(&t).cloned().unwrap_or_default();
            link_tenant(self.tx, self.ctx, strings.name(t), &name, &domain, true)?;
        }
        let first = self.first_days.entry(t).or_insert(d);
        *first = (*first).min(d);
        let mut total = Decimal::ZERO;
        let mut credited = Decimal::ZERO;
        let mut watched = Watched::default();
        let mut ids = Vec::with_capacity(day.lines.len());
        for (m, sums) in &day.lines {
            self.meter(*m, strings.name(*m))?;
            let (id, class, _, unit) = &self.meters[m];
            total += sums.cost;
            credited += sums.credited;
            watched.add(*class, unit, sums.quantity, sums.cost);
            let first = self.regions.entry((t, *m)).or_insert(d);
            *first = (*first).min(d);
            ids.push((*id, sums));
        }
        let tx = self.tx;
        let values = (
            day.currency.code(),
            day.billed as i64,
            text(total),
            text(watched.gpu_cost),
            text(watched.large_vm_cost),
            text(watched.egress_gb),
            text(watched.messages),
            text(watched.gpu_hours),
            text(watched.large_vm_hours),
            text(credited),
        );
        let day_id = match existing {
            Some(id) => {
                tx.prepare_cached("DELETE FROM usage_lines WHERE day_id = ?1")?
                    .execute([id])?;
                tx.prepare_cached(
                    "UPDATE usage_days SET currency = ?2, billed = ?3, total = ?4, gpu_cost = ?5, large_vm_cost = ?6,
                       egress_qty = ?7, messaging_qty = ?8, digest = ?9, import_id = ?10,
                       gpu_hours = ?11, large_vm_hours = ?12, credited = ?13 WHERE id = ?1",
                )?
                .execute(params![id, values.0, values.1, values.2, values.3, values.4, values.5, values.6, digest, import_id, values.7, values.8, values.9])?;
                id
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO usage_days (tenant_id, subscription, usage_date, currency, billed, total, gpu_cost, large_vm_cost, egress_qty, messaging_qty, digest, import_id, gpu_hours, large_vm_hours, credited)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                )?
                .execute(params![
                    strings.name(t),
                    s,
                    d.to_string(),
                    values.0,
                    values.1,
                    values.2,
                    values.3,
                    values.4,
                    values.5,
                    values.6,
                    digest,
                    import_id,
                    values.7,
                    values.8,
                    values.9
                ])?;
                tx.last_insert_rowid()
            }
        };
        // Up to LINES_AT_ONCE lines a statement (a day has a few to a few hundred lines):
        // fewer statements to run, about a twentieth off the worst-case import.
        for chunk in ids.chunks(LINES_AT_ONCE) {
            let mut put = tx.prepare_cached(lines_insert(chunk.len()))?;
            let texts: Vec<(String, String)> = chunk
                .iter()
                .map(|(_, sums)| (text(sums.quantity), text(sums.cost)))
                .collect();
            let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 4);
            for ((meter_id, _), (quantity, cost)) in chunk.iter().zip(&texts) {
                values.extend([&day_id as &dyn rusqlite::ToSql, meter_id, quantity, cost]);
            }
            put.execute(values.as_slice())?;
        }
        Ok(())
    }

    /// The import's record, made at the first change.
    fn import_id(&mut self) -> Result<i64> {
        if let Some(id) = self.summary.import_id {
            return Ok(id);
        }
        self.tx.execute(
            "INSERT INTO usage_imports (file_name, sha256, format, imported_at, actor, rows, days_added, days_replaced, days_kept)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0, 0)",
            params![self.file, self.sha256, self.summary.format.as_str(), self.ctx.now_text(), self.ctx.actor, self.summary.rows as i64],
        )?;
        let id = self.tx.last_insert_rowid();
        self.summary.import_id = Some(id);
        Ok(id)
    }

    /// Finds or makes, once per import, the usage_meters row of a meter key.
    fn meter(&mut self, key: u32, text: &str) -> Result<()> {
        if let std::collections::hash_map::Entry::Vacant(e) = self.meters.entry(key) {
            let p: Vec<&str> = text.split(SEP).collect();
            let class = super::classify::classify(p[0], p[1], p[2]);
            self.tx.execute(
                "INSERT INTO usage_meters (category, subcategory, meter, region, unit, class) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (category, subcategory, meter, region, unit) DO NOTHING",
                params![p[0], p[1], p[2], p[3], p[4], class.as_str()],
            )?;
            let id: i64 = self.tx.query_row(
                "SELECT id FROM usage_meters WHERE category = ?1 AND subcategory = ?2 AND meter = ?3 AND region = ?4 AND unit = ?5",
                params![p[0], p[1], p[2], p[3], p[4]],
                |r| r.get(0),
            )?;
            // A meter stored by an earlier import keeps the class the current rules give
            // (reclassify runs when the rules change).
            e.insert((id, class, p[3].to_string(), p[4].to_string()));
        }
        Ok(())
    }

    /// Regions and first days of the tenants written, the tenants' customers, the audit row.
    pub fn finish(
        mut self,
        strings: &Interner,
        tenants: &BTreeMap<u32, (String, String)>,
    ) -> Result<UsageImport> {
        let tx = self.tx;
        for (t, (name, domain)) in tenants {
            let customer = link_tenant(tx, self.ctx, strings.name(*t), name, domain, false)?;
            self.summary.tenants.push(TenantSeen {
                tenant_id: strings.name(*t).to_string(),
                name: name.clone(),
                domain: domain.clone(),
                customer_id: customer,
            });
        }
        // The file's exchange rates are kept whether or not its days changed (a rate is a
        // fact of the day, the same in every download).
        for ((d, pricing, billing), rate) in &self.rates {
            tx.execute(
                "INSERT INTO usage_rates (usage_date, pricing_currency, billing_currency, rate) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (usage_date, pricing_currency, billing_currency) DO UPDATE SET rate = excluded.rate",
                params![d.to_string(), pricing.code(), billing.code(), text(*rate)],
            )?;
        }
        let Some(import_id) = self.summary.import_id else {
            return Ok(self.summary);
        };
        for (t, d) in &self.first_days {
            tx.execute(
                "UPDATE usage_tenants SET first_day = min(coalesce(first_day, ?2), ?2) WHERE tenant_id = ?1",
                params![strings.name(*t), d.to_string()],
            )?;
        }
        let mut regions: BTreeMap<(u32, &str), NaiveDate> = BTreeMap::new();
        for ((t, m), first) in &self.regions {
            let region = self.meters[m].2.as_str();
            if !region.is_empty() {
                let d = regions.entry((*t, region)).or_insert(*first);
                *d = (*d).min(*first);
            }
        }
        for ((t, region), first) in &regions {
            tx.execute(
                "INSERT INTO usage_regions (tenant_id, region, first_day) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant_id, region) DO UPDATE SET first_day = min(first_day, excluded.first_day)",
                params![strings.name(*t), region, first.to_string()],
            )?;
        }
        let s = &self.summary;
        tx.execute(
            "UPDATE usage_imports SET days_added = ?2, days_replaced = ?3, days_kept = ?4 WHERE id = ?1",
            params![import_id, s.days_added as i64, s.days_replaced as i64, s.days_kept_billed as i64],
        )?;
        crate::audit::record(
            tx,
            self.ctx,
            "usage_import",
            import_id,
            "import",
            None,
            Some(&self.summary),
        )?;
        Ok(self.summary)
    }
}

fn day_digest(day: &Day, strings: &Interner) -> String {
    let mut h = Sha256::new();
    h.update(day.currency.code());
    h.update([day.billed as u8]);
    for (m, sums) in &day.lines {
        h.update(strings.name(*m).as_bytes());
        // The exact values in a fixed binary form (normalised: 1.50 and 1.5 are equal).
        h.update(sums.quantity.normalize().serialize());
        h.update(sums.cost.normalize().serialize());
        // Only a credit is hashed: a day without one keeps the digest it had before credits
        // were read, so a file imported again changes nothing.
        if !sums.credited.is_zero() {
            h.update(b"credited");
            h.update(sums.credited.normalize().serialize());
        }
    }
    crate::hex::lower(&h.finalize())
}

/// The customer a tenant belongs to: a link remembered earlier, else the customer with
/// this tenant id, else the one with this primary domain. A tenant new to RiskDesk is
/// remembered when `writing` (its days are about to be written).
pub(super) fn link_tenant(
    tx: &Transaction,
    ctx: &Ctx,
    tenant: &str,
    tenant_name: &str,
    domain: &str,
    writing: bool,
) -> Result<Option<CustomerId>> {
    let known = super::tenants::linked(tx, tenant)?;
    if let Some(Some(id)) = known {
        return Ok(Some(CustomerId(id)));
    }
    let by_tenant: Option<i64> = tx
        .query_row(
            "SELECT id FROM customers WHERE lower(tenant_id) = ?1",
            [tenant],
            |r| r.get(0),
        )
        .optional()?;
    // Compared as customers' domains are kept: ASCII, a name in another script as Punycode.
    let ascii = crate::customer::ascii_domain(domain.trim());
    let domain = ascii.as_deref().unwrap_or(domain);
    let found = match by_tenant {
        Some(id) => Some(id),
        None if !domain.is_empty() => tx
            .query_row(
                "SELECT id FROM customers WHERE lower(primary_domain) = ?1 AND (SELECT count(*) FROM customers WHERE lower(primary_domain) = ?1) = 1",
                [domain],
                |r| r.get(0),
            )
            .optional()?,
        None => None,
    };
    if writing || (known.is_some() && found.is_some()) {
        tx.execute(
            "INSERT INTO usage_tenants (tenant_id, name, domain, customer_id, first_seen) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (tenant_id) DO UPDATE SET customer_id = COALESCE(usage_tenants.customer_id, excluded.customer_id)",
            params![tenant, tenant_name, domain, found, ctx.now_text()],
        )?;
    }
    Ok(found.map(CustomerId))
}

#[cfg(test)]
mod text_tests {
    use super::text;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    #[test]
    fn a_decimal_is_written_plain_and_without_trailing_zeros() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        for (value, written) in [
            ("0", "0"),
            ("0.000", "0"),
            ("-0.0", "0"),
            ("1", "1"),
            ("1.500", "1.5"),
            ("-1.500", "-1.5"),
            (
                "0.0000000000000000000000000001",
                "0.0000000000000000000000000001",
            ),
            ("-0.05", "-0.05"),
            ("120.00", "120"),
            (
                "79228162514264337593543950335",
                "79228162514264337593543950335",
            ),
            (
                "-7922816251426433759354395.0335",
                "-7922816251426433759354395.0335",
            ),
        ] {
            assert_eq!(text(d(value)), written, "{value}");
        }
    }

    proptest! {
        /// The same text as rust_decimal's own, for every size and scale a Decimal has.
        #[test]
        fn the_same_as_rust_decimal(lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
                                    negative in any::<bool>(), scale in 0u32..=28) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            let expected = if d.is_zero() { "0".to_string() } else { d.normalize().to_string() };
            prop_assert_eq!(text(d), expected);
        }

        /// The same for the figures usage files hold: an integer of up to 19 digits.
        #[test]
        fn the_same_for_everyday_figures(m in any::<i64>(), scale in 0u32..=28) {
            let d = Decimal::new(m, scale);
            let expected = if d.is_zero() { "0".to_string() } else { d.normalize().to_string() };
            prop_assert_eq!(text(d), expected);
        }
    }
}
