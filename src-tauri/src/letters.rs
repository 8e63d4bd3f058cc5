//! Writing the letters of a dunning run and the other documents to files: shared by the
//! window and the CLI. The letterhead and paper size come from the settings.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use riskdesk_core::collections::Executed;
use riskdesk_core::customer::{self, Customer};
use riskdesk_core::store::settings;
use riskdesk_core::{Error, Result};
use riskdesk_docs::{Letterhead, Paper};
use rusqlite::Connection;

pub const LETTERHEAD_KEYS: &[&str] = &[
    "letterhead.name",
    "letterhead.address",
    "letterhead.tax_id",
    "letterhead.phone",
    "letterhead.email",
    "letterhead.payment_instructions",
    "letterhead.logo",
    "paper",
];

/// The logo, stored in the settings as base64 of the PNG or JPEG file.
pub const LOGO_KEY: &str = "letterhead.logo";

pub fn decode_logo_base64(text: &str) -> std::result::Result<riskdesk_docs::RawImage, String> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| "the logo is not valid base64".to_string())?;
    Letterhead::decode_logo(&bytes)
}

/// Checks an image file's bytes and returns what the settings store.
pub fn logo_setting(bytes: &[u8]) -> std::result::Result<String, String> {
    use base64::Engine;
    if bytes.len() > 1_000_000 {
        return Err("the logo file is larger than 1 MB".into());
    }
    Letterhead::decode_logo(bytes)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

pub fn letterhead(conn: &Connection) -> Result<(Letterhead, Paper)> {
    let get = |k: &str| -> Result<String> { Ok(settings::get(conn, k)?.unwrap_or_default()) };
    let mut lh = Letterhead {
        name: get("letterhead.name")?,
        address: get("letterhead.address")?,
        tax_id: get("letterhead.tax_id")?,
        phone: get("letterhead.phone")?,
        email: get("letterhead.email")?,
        payment_instructions: get("letterhead.payment_instructions")?,
        logo: None,
    };
    let logo = get(LOGO_KEY)?;
    if !logo.is_empty() {
        // A logo that no longer decodes is left out rather than stopping every letter.
        lh.logo = decode_logo_base64(&logo).ok();
    }
    if lh.name.is_empty() {
        lh.name = "(your company name: set it in Settings)".into();
    }
    let paper = Paper::parse(&get("paper")?).unwrap_or(Paper::A4);
    Ok((lh, paper))
}

fn file_safe(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    s.chars().take(40).collect()
}

/// Writes one PDF per customer, one file with all of them for printing, and the list of
/// subscriptions to suspend in Partner Center. `progress(done, total)`.
pub fn write_run(
    conn: &Connection,
    run: &Executed,
    as_of: NaiveDate,
    dir: &Path,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let (lh, paper) = letterhead(conn)?;
    let letters: Vec<(Customer, riskdesk_core::collections::PlanCustomer)> = run
        .customers
        .iter()
        .filter(|c| c.actions.iter().any(|a| a.writes_letter()))
        .map(|c| Ok((customer::get(conn, c.customer_id)?, c.clone())))
        .collect::<Result<_>>()?;
    let total = letters.len();
    let mut written = Vec::new();
    // Two workers: letter rendering is CPU-bound (font subsetting per file).
    let chunks: Vec<&[(Customer, riskdesk_core::collections::PlanCustomer)]> =
        letters.chunks(total.div_ceil(2).max(1)).collect();
    let results: Vec<Vec<(PathBuf, Vec<u8>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                let lh = &lh;
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(c, p)| {
                            let name = format!(
                                "{as_of}-L{}-{:05}-{}.pdf",
                                p.level.seq,
                                c.id,
                                file_safe(&c.fields.legal_name)
                            );
                            (
                                dir.join(name),
                                riskdesk_docs::dunning_letter(paper, lh, c, p, as_of),
                            )
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (path, bytes) in results.into_iter().flatten() {
        std::fs::write(&path, bytes)?;
        written.push(path);
        progress(written.len(), total);
    }
    if !letters.is_empty() {
        let all = dir.join(format!("{as_of}-all-letters.pdf"));
        std::fs::write(
            &all,
            riskdesk_docs::dunning_letters_combined(paper, &lh, &letters, as_of),
        )?;
        written.push(all);
    }
    if !run.suspended.is_empty() {
        let path = dir.join(format!("{as_of}-suspend-in-partner-center.csv"));
        let mut w = csv::Writer::from_path(&path).map_err(|e| Error::Invalid(e.to_string()))?;
        let csv_err = |e: csv::Error| Error::Invalid(e.to_string());
        w.write_record(["customer", "offer", "partner_center_subscription_id"])
            .map_err(csv_err)?;
        for (name, s) in &run.suspended {
            w.write_record([name, &s.offer, &s.pc_subscription_id])
                .map_err(csv_err)?;
        }
        w.flush()?;
        written.push(path);
    }
    Ok(written)
}
