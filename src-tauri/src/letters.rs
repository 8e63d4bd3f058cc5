//! Writing the letters of a dunning run and the other documents to files: shared by the
//! window and the CLI. The letterhead and paper size come from the settings.

use std::path::{Path, PathBuf};

use riskdesk_core::collections::{PlanCustomer, RunRecord};
use riskdesk_core::customer::Customer;
use riskdesk_core::error::Code;
use riskdesk_core::store::settings;
use riskdesk_core::{Error, Result};
use riskdesk_docs::{Letterhead, Paper};
use rusqlite::Connection;

pub use riskdesk_core::collections::LETTERHEAD_KEYS;

/// The paper letters are printed on (`a4` or `letter`).
pub const PAPER_KEY: &str = "paper";

/// Checks a paper setting (any other setting passes): the window and the command line.
pub fn check_paper(key: &str, value: &str) -> Result<()> {
    if key == PAPER_KEY && Paper::parse(value).is_none() {
        return Err(Error::field(
            PAPER_KEY,
            Code::InvalidChoice,
            "use a4 or letter",
        ));
    }
    Ok(())
}

/// The logo, stored in the settings as base64 of the PNG or JPEG file.
pub const LOGO_KEY: &str = "letterhead.logo";

pub fn decode_logo_base64(text: &str) -> std::result::Result<riskdesk_docs::RawImage, String> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| "the logo is not valid base64".to_string())?;
    Letterhead::decode_logo(&bytes)
}

/// The largest logo file kept in the settings.
pub const MAX_LOGO_BYTES: u64 = 1_000_000;

/// Checks an image file's bytes and returns what the settings store.
pub fn logo_setting(bytes: &[u8]) -> std::result::Result<String, String> {
    use base64::Engine;
    if bytes.len() as u64 > MAX_LOGO_BYTES {
        return Err("the logo file is larger than 1 MB".into());
    }
    Letterhead::decode_logo(bytes)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// The letterhead and paper from a map of the letterhead settings.
pub fn letterhead_from(get: impl Fn(&str) -> String) -> (Letterhead, Paper) {
    let mut lh = Letterhead {
        name: get("letterhead.name"),
        address: get("letterhead.address"),
        tax_id: get("letterhead.tax_id"),
        phone: get("letterhead.phone"),
        email: get("letterhead.email"),
        payment_instructions: get("letterhead.payment_instructions"),
        logo: None,
    };
    let logo = get(LOGO_KEY);
    if !logo.is_empty() {
        // A logo that no longer decodes is left out rather than stopping every letter.
        lh.logo = decode_logo_base64(&logo).ok();
    }
    let paper = Paper::parse(&get(PAPER_KEY)).unwrap_or(Paper::A4);
    (lh, paper)
}

/// The letterhead for documents printed now. A document without a company name is
/// refused: customers would receive a letter signed by nobody.
pub fn letterhead(conn: &Connection) -> Result<(Letterhead, Paper)> {
    let mut values = std::collections::BTreeMap::new();
    for k in LETTERHEAD_KEYS {
        values.insert(*k, settings::get(conn, k)?.unwrap_or_default());
    }
    let (lh, paper) = letterhead_from(|k| values.get(k).cloned().unwrap_or_default());
    if lh.name.trim().is_empty() {
        return Err(Error::field(
            "letterhead.name",
            Code::Required,
            "set your company name in Settings > Letterhead (or `riskdesk settings set letterhead.name NAME`) first: every document is signed with it",
        ));
    }
    Ok((lh, paper))
}

/// A name fit for a file: letters and digits of any script, runs of anything else as one
/// dash, at most 40 characters.
pub fn file_safe(text: &str) -> String {
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

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so
/// a crash or a full disk never leaves a half-written document under the real name; never
/// over a file of a book this process works on ([`crate::book_files`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(db) = crate::book_files::book_of(path) {
        return Err(Error::Validation(vec![riskdesk_core::FieldError::new(
            "file",
            riskdesk_core::error::Code::IsTheDatabase,
            format!(
                "{} is a file of the book {} (the database, its log, or a file kept beside it): write the document to another file",
                path.display(),
                db.display()
            ),
        )]));
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = PathBuf::from(tmp);
    let result = (|| -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::Io(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", path.display()),
        )));
    }
    Ok(())
}

/// The names of the files a run's documents are written to, in its folder.
pub fn run_file_names(run: &RunRecord) -> Vec<String> {
    let mut names: Vec<String> = run
        .letters()
        .map(|c| {
            format!(
                "{}-L{}-{:05}-{}.pdf",
                run.as_of,
                c.plan.level.seq,
                c.customer.id,
                file_safe(&c.customer.fields.legal_name)
            )
        })
        .collect();
    if run.letters().next().is_some() {
        names.push(format!("{}-all-letters.pdf", run.as_of));
    }
    if !run.changes.is_empty() {
        names.push(format!("{}-partner-center-changes.csv", run.as_of));
    }
    names
}

/// The run's folder inside `base`.
pub fn run_folder(base: &Path, run: &RunRecord) -> PathBuf {
    base.join(run.folder_name())
}

/// Which of the run's files are missing from its folder.
pub fn missing_files(base: &Path, run: &RunRecord) -> Vec<String> {
    let dir = run_folder(base, run);
    run_file_names(run)
        .into_iter()
        .filter(|n| !dir.join(n).is_file())
        .collect()
}

/// Writes a run's documents from its stored record into `run_folder(base)`: one PDF per
/// letter, one file with every letter for printing, and the list of subscriptions to
/// suspend or reactivate in Partner Center. Writing again gives the same documents.
/// `progress(done, total)`.
pub fn write_run(
    run: &RunRecord,
    base: &Path,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<PathBuf>> {
    let dir = run_folder(base, run);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::Invalid(format!("cannot create {}: {e}", dir.display())))?;
    let (lh, paper) = letterhead_from(|k| run.setting(k).to_string());
    let names = run_file_names(run);
    let letters: Vec<(Customer, PlanCustomer)> = run
        .letters()
        .map(|c| (c.customer.clone(), c.plan.clone()))
        .collect();
    let as_of = run.as_of;
    let total = letters.len();
    // Two workers: letter rendering is CPU-bound (font subsetting per file).
    let chunks: Vec<&[(Customer, PlanCustomer)]> =
        letters.chunks(total.div_ceil(2).max(1)).collect();
    let rendered: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                let lh = &lh;
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(c, p)| riskdesk_docs::dunning_letter(paper, lh, c, p, as_of))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    if rendered.len() != total {
        return Err(Error::Invalid("a letter could not be rendered".into()));
    }
    let mut written = Vec::new();
    for (name, bytes) in names.iter().zip(rendered) {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
        progress(written.len(), total);
    }
    let mut rest = names.iter().skip(total);
    if !letters.is_empty() {
        if let Some(name) = rest.next() {
            let path = dir.join(name);
            write_atomic(
                &path,
                &riskdesk_docs::dunning_letters_combined(paper, &lh, &letters, as_of),
            )?;
            written.push(path);
        }
    }
    if !run.changes.is_empty() {
        if let Some(name) = rest.next() {
            let path = dir.join(name);
            let rows: Vec<Vec<String>> = run
                .changes
                .iter()
                .map(|c| {
                    vec![
                        c.action.as_str().to_string(),
                        c.legal_name.clone(),
                        c.subscription.offer.clone(),
                        c.subscription.pc_subscription_id.clone(),
                    ]
                })
                .collect();
            let bytes = riskdesk_core::csv_out::write(
                &[
                    "action",
                    "customer",
                    "offer",
                    "partner_center_subscription_id",
                ],
                &rows,
            )?;
            write_atomic(&path, &bytes)?;
            written.push(path);
        }
    }
    Ok(written)
}

/// A risk report as PDF: one customer's (`customer`) or the portfolio's, in `lang`. The
/// caller records a portfolio report as written (`risk::report::portfolio_written`, so the
/// next one counts the moves since) once the file is on disk.
pub fn risk_report(
    conn: &Connection,
    ctx: &riskdesk_core::Ctx,
    customer: Option<riskdesk_core::ids::CustomerId>,
    lang: riskdesk_core::customer::Language,
) -> Result<Vec<u8>> {
    Ok(risk_report_records(conn, ctx, customer, lang)?.render())
}

/// What a risk report says, read from the records; rendering it needs no database.
pub fn risk_report_records(
    conn: &Connection,
    ctx: &riskdesk_core::Ctx,
    customer: Option<riskdesk_core::ids::CustomerId>,
    lang: riskdesk_core::customer::Language,
) -> Result<Document> {
    use riskdesk_core::risk::{report, RiskSettings};
    let (lh, paper) = letterhead(conn)?;
    Ok(match customer {
        Some(id) => Document::CustomerRisk {
            report: Box::new(report::customer_report(conn, ctx.today, ctx.now, id)?),
            edges: RiskSettings::load(conn)?.edges,
            lang,
            lh,
            paper,
        },
        None => Document::PortfolioRisk {
            report: Box::new(report::portfolio_report(conn, ctx.today, ctx.now)?),
            lang,
            lh,
            paper,
        },
    })
}

/// A document's records, read while the database is held; [`Document::render`] lays them
/// out afterwards, with the database free for the window.
pub enum Document {
    Policy {
        paper: Paper,
        lh: Letterhead,
        customer: Box<Customer>,
        policy: Box<riskdesk_core::collections::Policy>,
        on: chrono::NaiveDate,
    },
    Statement {
        paper: Paper,
        lh: Letterhead,
        customer: Box<Customer>,
        statement: Box<riskdesk_core::receivables::Statement>,
    },
    PaymentPlan {
        paper: Paper,
        lh: Letterhead,
        customer: Box<Customer>,
        plan: Box<riskdesk_core::plans::PlanView>,
    },
    CustomerRisk {
        paper: Paper,
        lh: Letterhead,
        lang: riskdesk_core::customer::Language,
        report: Box<riskdesk_core::risk::report::CustomerReport>,
        edges: [u32; 3],
    },
    PortfolioRisk {
        paper: Paper,
        lh: Letterhead,
        lang: riskdesk_core::customer::Language,
        report: Box<riskdesk_core::risk::report::PortfolioReport>,
    },
}

impl Document {
    /// The PDF.
    pub fn render(&self) -> Vec<u8> {
        match self {
            Document::Policy {
                paper,
                lh,
                customer,
                policy,
                on,
            } => riskdesk_docs::policy_document(*paper, lh, customer, policy, *on),
            Document::Statement {
                paper,
                lh,
                customer,
                statement,
            } => riskdesk_docs::statement_document(*paper, lh, customer, statement),
            Document::PaymentPlan {
                paper,
                lh,
                customer,
                plan,
            } => riskdesk_docs::plan_agreement(*paper, lh, customer, plan),
            Document::CustomerRisk {
                paper,
                lh,
                lang,
                report,
                edges,
            } => riskdesk_docs::customer_risk_report(*paper, lh, *lang, report, *edges),
            Document::PortfolioRisk {
                paper,
                lh,
                lang,
                report,
            } => riskdesk_docs::portfolio_risk_report(*paper, lh, *lang, report),
        }
    }
}
