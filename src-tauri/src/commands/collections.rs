use std::path::PathBuf;

use chrono::NaiveDate;
use riskdesk_core::receivables::{self, Aging, BucketEdges, Statement};
use riskdesk_core::collections::{
    self, fill_letter, Exclusions, Plan, PlanCustomer, Policy, PolicyInput, RunRecord,
};
use riskdesk_core::customer;
use riskdesk_core::money::Money;
use riskdesk_core::store::settings;
use riskdesk_core::Error;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, State};

use super::in_tx;
use crate::error::ApiError;
use crate::letters::{self, LETTERHEAD_KEYS};
use crate::session::ctx;
use crate::state::AppState;

/// A date typed into `field`, checked (YYYY-MM-DD, 2000-01-01 to 2100-12-31).
fn date_arg(field: &str, text: &str) -> Result<NaiveDate, ApiError> {
    Ok(riskdesk_core::dates::parse_field(field, text)?)
}

fn day(text: &str) -> Result<NaiveDate, ApiError> {
    date_arg("as_of", text)
}

#[tauri::command]
pub async fn aging_report(
    state: State<'_, AppState>,
    as_of: String,
    edges: [i64; 3],
) -> Result<Aging, ApiError> {
    let as_of = day(&as_of)?;
    state
        .with_db(move |o| Ok(receivables::aging(&o.conn, as_of, BucketEdges(edges))?))
        .await
}

#[tauri::command]
pub async fn customer_statement(
    state: State<'_, AppState>,
    customer_id: i64,
    as_of: String,
) -> Result<Statement, ApiError> {
    let as_of = day(&as_of)?;
    state
        .with_db(move |o| Ok(receivables::statement(&o.conn, customer_id, as_of)?))
        .await
}

#[tauri::command]
pub async fn plan_dunning_run(state: State<'_, AppState>, as_of: String) -> Result<Plan, ApiError> {
    let as_of = day(&as_of)?;
    state
        .with_db(move |o| Ok(collections::plan(&o.conn, as_of)?))
        .await
}

#[derive(Serialize)]
pub struct LetterPreview {
    letterhead_name: String,
    letterhead_address: String,
    customer_name: String,
    customer_address: String,
    title: String,
    body: String,
    plan: PlanCustomer,
    total: Money,
}

/// The text of a customer's letter in this plan, for reviewing it before the run.
#[tauri::command]
pub async fn preview_letter(
    state: State<'_, AppState>,
    as_of: String,
    customer_id: i64,
) -> Result<LetterPreview, ApiError> {
    let as_of = day(&as_of)?;
    state
        .with_db(move |o| {
            let plan = collections::plan(&o.conn, as_of)?;
            let pc = plan
                .customers
                .into_iter()
                .find(|c| c.customer_id == customer_id)
                .ok_or_else(|| ApiError::new("not_found", "this customer is not in the plan"))?;
            let c = customer::get(&o.conn, customer_id)?;
            let (lh, _) = letters::letterhead(&o.conn)?;
            let total = pc.total();
            let deadline = riskdesk_docs::letters::date_text(pc.language, pc.deadline);
            Ok(LetterPreview {
                body: fill_letter(
                    pc.letter_text(),
                    &c.fields.legal_name,
                    &total.format(),
                    &deadline,
                    &lh.name,
                ),
                title: pc.level.name(pc.language).to_string(),
                letterhead_name: lh.name,
                letterhead_address: lh.address,
                customer_name: c.fields.legal_name,
                customer_address: c.fields.address,
                plan: pc,
                total,
            })
        })
        .await
}

#[derive(Serialize, Clone)]
struct Progress {
    done: usize,
    total: usize,
}

#[derive(Serialize)]
pub struct RunResult {
    run_id: i64,
    steps: usize,
    customers: usize,
    charge_invoices: Vec<String>,
    changes: Vec<collections::PartnerCenterChange>,
    folder: String,
    files: Vec<String>,
}

fn run_result(
    app: &AppHandle,
    run: &RunRecord,
    base: &std::path::Path,
) -> Result<RunResult, ApiError> {
    let files = letters::write_run(run, base, |done, total| {
        let _ = app.emit("dunning-progress", Progress { done, total });
    })?;
    Ok(RunResult {
        run_id: run.id,
        steps: run.steps,
        customers: run.customers.len(),
        charge_invoices: run.charge_invoices.clone(),
        changes: run.changes.clone(),
        folder: letters::run_folder(base, run).display().to_string(),
        files: files
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect(),
    })
}

/// Executes the reviewed plan: one transaction that books it and stores the run record,
/// then the documents rendered from that record, with progress events. Refused when the
/// plan is no longer the one whose fingerprint the window reviewed.
#[tauri::command]
pub async fn execute_dunning_run(
    app: AppHandle,
    state: State<'_, AppState>,
    as_of: String,
    exclusions: Exclusions,
    fingerprint: String,
) -> Result<Option<RunResult>, ApiError> {
    let as_of = day(&as_of)?;
    if fingerprint.len() != 64 || !fingerprint.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::validation("fingerprint", "review the plan first"));
    }
    let base = state.documents.clone();
    state
        .with_db(move |o| {
            let tx = o.conn.transaction().map_err(Error::from)?;
            let run = collections::execute(
                &tx,
                &ctx(),
                as_of,
                &exclusions,
                Some(&fingerprint),
                &base.display().to_string(),
            )?;
            tx.commit().map_err(Error::from)?;
            let Some(run) = run else { return Ok(None) };
            Ok(Some(run_result(&app, &run, &base)?))
        })
        .await
}

#[derive(Serialize)]
pub struct RunRow {
    #[serde(flatten)]
    summary: collections::RunSummary,
    folder: String,
    missing: Vec<String>,
}

/// The run history, with the files each run is missing.
#[tauri::command]
pub async fn dunning_runs(state: State<'_, AppState>) -> Result<Vec<RunRow>, ApiError> {
    state
        .with_db(|o| {
            let mut out = Vec::new();
            for r in collections::runs(&o.conn)? {
                let base = PathBuf::from(&r.output_dir);
                let missing = if r.reprintable {
                    letters::missing_files(&base, &collections::run_record(&o.conn, r.id)?)
                } else {
                    Vec::new()
                };
                out.push(RunRow {
                    folder: base.join(&r.folder_name).display().to_string(),
                    summary: r,
                    missing,
                });
            }
            Ok(out)
        })
        .await
}

/// Writes a run's documents again from its stored record, where the run wrote them.
#[tauri::command]
pub async fn reprint_dunning_run(
    app: AppHandle,
    state: State<'_, AppState>,
    run_id: i64,
) -> Result<RunResult, ApiError> {
    state
        .with_db(move |o| {
            let run = collections::run_record(&o.conn, run_id)?;
            let base = PathBuf::from(&run.output_dir);
            run_result(&app, &run, &base)
        })
        .await
}

#[tauri::command]
pub async fn list_policies(state: State<'_, AppState>) -> Result<Vec<Policy>, ApiError> {
    state.with_db(|o| Ok(collections::policies(&o.conn)?)).await
}

#[tauri::command]
pub async fn save_policy(
    state: State<'_, AppState>,
    policy: PolicyInput,
) -> Result<Policy, ApiError> {
    let policy = policy.parse()?;
    state
        .with_db(move |o| {
            let tx = o.conn.transaction().map_err(Error::from)?;
            let p = collections::save_policy(&tx, &ctx(), &policy)?;
            tx.commit().map_err(Error::from)?;
            Ok(p)
        })
        .await
}

#[tauri::command]
pub async fn assign_policy(
    state: State<'_, AppState>,
    customer_id: i64,
    policy_id: Option<i64>,
) -> Result<(), ApiError> {
    state
        .with_db(move |o| {
            let tx = o.conn.transaction().map_err(Error::from)?;
            collections::assign_policy(&tx, &ctx(), customer_id, policy_id)?;
            tx.commit().map_err(Error::from)?;
            Ok(())
        })
        .await
}

#[derive(Serialize)]
pub struct CustomerCollections {
    policy_id: i64,
    own_policy: bool,
    statement: Statement,
    prepayments: Vec<receivables::PrepaymentRequest>,
    promise: Option<(receivables::Promise, receivables::PromiseState)>,
    credit: Money,
}

#[tauri::command]
pub async fn customer_collections(
    state: State<'_, AppState>,
    customer_id: i64,
    as_of: String,
) -> Result<CustomerCollections, ApiError> {
    let as_of = day(&as_of)?;
    state
        .with_db(move |o| {
            let own: Option<i64> = o
                .conn
                .query_row(
                    "SELECT policy_id FROM customers WHERE id = ?1",
                    [customer_id],
                    |r| r.get(0),
                )
                .map_err(Error::from)?;
            let statement = receivables::statement(&o.conn, customer_id, as_of)?;
            Ok(CustomerCollections {
                policy_id: collections::policy_for(&o.conn, customer_id)?,
                own_policy: own.is_some(),
                credit: Money::new(
                    receivables::customer_credit(&o.conn, customer_id)?,
                    statement.currency,
                ),
                statement,
                prepayments: receivables::prepayments(&o.conn, Some(customer_id))?,
                promise: receivables::promise_state(&o.conn, customer_id, as_of)?,
            })
        })
        .await
}

#[derive(Deserialize)]
pub struct DocumentRequest {
    kind: String,
    customer_id: i64,
    as_of: String,
}

/// Writes a collections policy or a statement of account as PDF into the documents folder.
#[tauri::command]
pub async fn write_document(
    state: State<'_, AppState>,
    request: DocumentRequest,
) -> Result<String, ApiError> {
    let as_of = day(&request.as_of)?;
    let folder: PathBuf = state.documents.clone();
    state
        .with_db(move |o| {
            let c = customer::get(&o.conn, request.customer_id)?;
            let (lh, paper) = letters::letterhead(&o.conn)?;
            let (name, bytes) = match request.kind.as_str() {
                "policy" => {
                    let policy =
                        collections::policy(&o.conn, collections::policy_for(&o.conn, c.id)?)?;
                    (
                        "collections-policy",
                        riskdesk_docs::policy_document(paper, &lh, &c, &policy, as_of),
                    )
                }
                "statement" => {
                    let st = receivables::statement(&o.conn, c.id, as_of)?;
                    (
                        "statement",
                        riskdesk_docs::statement_document(paper, &lh, &c, &st),
                    )
                }
                _ => return Err(ApiError::validation("kind", "policy or statement")),
            };
            std::fs::create_dir_all(&folder).map_err(Error::from)?;
            let path = folder.join(format!("{as_of}-{name}-{:05}.pdf", c.id));
            std::fs::write(&path, bytes).map_err(Error::from)?;
            Ok(path.display().to_string())
        })
        .await
}

#[tauri::command]
pub async fn get_letterhead(state: State<'_, AppState>) -> Result<Vec<(String, String)>, ApiError> {
    state
        .with_db(|o| {
            LETTERHEAD_KEYS
                .iter()
                .map(|k| {
                    Ok((
                        k.to_string(),
                        settings::get(&o.conn, k)?.unwrap_or_default(),
                    ))
                })
                .collect()
        })
        .await
}

#[tauri::command]
pub async fn save_letterhead(
    state: State<'_, AppState>,
    values: Vec<(String, String)>,
) -> Result<(), ApiError> {
    for (k, v) in &values {
        if !LETTERHEAD_KEYS.contains(&k.as_str()) {
            return Err(ApiError::validation("key", format!("unknown setting {k}")));
        }
        if k == "paper" && riskdesk_docs::Paper::parse(v).is_none() {
            return Err(ApiError::validation("paper", "a4 or letter"));
        }
    }
    state
        .with_db(move |o| {
            let tx = o.conn.transaction().map_err(Error::from)?;
            for (k, v) in &values {
                settings::set(&tx, &ctx(), k, v.trim())?;
            }
            tx.commit().map_err(Error::from)?;
            Ok(())
        })
        .await
}

fn amount_for(
    conn: &rusqlite::Connection,
    customer_id: i64,
    text: &str,
) -> Result<Money, ApiError> {
    let c = customer::get(conn, customer_id)?;
    Money::parse(text, c.fields.currency).map_err(|e| ApiError::validation("amount", e.to_string()))
}

#[derive(Deserialize)]
pub struct PaymentInput {
    kind: String,
    amount: String,
    received_on: String,
    method: String,
    reference: String,
    invoice_number: String,
}

#[tauri::command]
pub async fn record_payment(
    state: State<'_, AppState>,
    customer_id: i64,
    input: PaymentInput,
) -> Result<(), ApiError> {
    let kind = receivables::PaymentKind::parse(&input.kind)
        .ok_or_else(|| ApiError::validation("kind", "payment or credit_note"))?;
    let on = date_arg("received_on", &input.received_on)?;
    state
        .with_db(move |o| {
            let amount = amount_for(&o.conn, customer_id, &input.amount)?;
            in_tx(&mut o.conn, |tx| {
                receivables::record_payment(
                    tx,
                    &ctx(),
                    &receivables::NewPayment {
                        customer_id,
                        kind,
                        received_on: on,
                        amount,
                        method: input.method,
                        reference: input.reference,
                        invoice_number: Some(input.invoice_number).filter(|s| !s.trim().is_empty()),
                    },
                )
                .map(|_| ())
            })
        })
        .await
}

#[tauri::command]
pub async fn set_dispute(
    state: State<'_, AppState>,
    invoice_id: i64,
    disputed: bool,
    note: String,
) -> Result<(), ApiError> {
    if note.chars().count() > 2000 {
        return Err(ApiError::validation("note", "too long"));
    }
    state
        .with_db(move |o| {
            in_tx(&mut o.conn, |tx| {
                receivables::set_dispute(tx, &ctx(), invoice_id, disputed, &note).map(|_| ())
            })
        })
        .await
}

#[tauri::command]
pub async fn write_off_invoice(
    state: State<'_, AppState>,
    invoice_id: i64,
    on: String,
    reason: String,
) -> Result<(), ApiError> {
    let on = date_arg("on", &on)?;
    state
        .with_db(move |o| {
            in_tx(&mut o.conn, |tx| {
                receivables::write_off(tx, &ctx(), invoice_id, on, &reason).map(|_| ())
            })
        })
        .await
}

#[derive(Deserialize)]
pub struct PromiseInput {
    pay_by: String,
    amount: String,
    note: String,
}

#[tauri::command]
pub async fn add_promise(
    state: State<'_, AppState>,
    customer_id: i64,
    input: PromiseInput,
) -> Result<(), ApiError> {
    let pay_by = date_arg("pay_by", &input.pay_by)?;
    let today = crate::session::today();
    state
        .with_db(move |o| {
            let amount = amount_for(&o.conn, customer_id, &input.amount)?;
            in_tx(&mut o.conn, |tx| {
                receivables::add_promise(
                    tx,
                    &ctx(),
                    customer_id,
                    today,
                    pay_by,
                    amount.minor,
                    &input.note,
                )
                .map(|_| ())
            })
        })
        .await
}

#[derive(Deserialize)]
pub struct PrepaymentInput {
    amount: String,
    due_on: String,
    note: String,
}

#[tauri::command]
pub async fn request_prepayment(
    state: State<'_, AppState>,
    customer_id: i64,
    input: PrepaymentInput,
) -> Result<(), ApiError> {
    let due_on = date_arg("due_on", &input.due_on)?;
    state
        .with_db(move |o| {
            let amount = amount_for(&o.conn, customer_id, &input.amount)?;
            in_tx(&mut o.conn, |tx| {
                receivables::request_prepayment(tx, &ctx(), customer_id, amount, due_on, &input.note)
                    .map(|_| ())
            })
        })
        .await
}

#[tauri::command]
pub async fn mark_prepayment_received(
    state: State<'_, AppState>,
    id: i64,
    on: String,
) -> Result<(), ApiError> {
    let on = date_arg("on", &on)?;
    state
        .with_db(move |o| {
            in_tx(&mut o.conn, |tx| {
                receivables::mark_prepayment_received(tx, &ctx(), id, on).map(|_| ())
            })
        })
        .await
}

#[tauri::command]
pub async fn list_prepayments(
    state: State<'_, AppState>,
) -> Result<Vec<(String, receivables::PrepaymentRequest)>, ApiError> {
    state
        .with_db(|o| {
            let mut out = Vec::new();
            for p in receivables::prepayments(&o.conn, None)? {
                out.push((customer::get(&o.conn, p.customer_id)?.fields.legal_name, p));
            }
            Ok(out)
        })
        .await
}

/// Imports a CSV file the window read (customers, invoices or payments): all or nothing,
/// off the UI thread, with progress events.
#[tauri::command]
pub async fn import_file(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: String,
    name: String,
    text: String,
) -> Result<riskdesk_core::import::ImportSummary, ApiError> {
    if name.chars().count() > 260 {
        return Err(ApiError::validation("name", "file name too long"));
    }
    if text.len() > 200 * 1024 * 1024 {
        return Err(ApiError::validation(
            "file",
            "the file is larger than 200 MB",
        ));
    }
    let label = std::path::Path::new(&name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    state
        .with_db(move |o| {
            in_tx(&mut o.conn, |tx| {
                let progress = |done: usize, total: usize| {
                    let _ = app.emit("import-progress", Progress { done, total });
                };
                let reader = text.as_bytes();
                match kind.as_str() {
                    "customers" => riskdesk_core::import::import_customers(
                        tx,
                        &ctx(),
                        &label,
                        reader,
                        progress,
                    ),
                    "invoices" => riskdesk_core::ledger_import::import_invoices(
                        tx,
                        &ctx(),
                        &label,
                        reader,
                        progress,
                    ),
                    "payments" => riskdesk_core::ledger_import::import_payments(
                        tx,
                        &ctx(),
                        &label,
                        reader,
                        progress,
                    ),
                    _ => Err(Error::Invalid(
                        "import customers, invoices or payments".into(),
                    )),
                }
            })
        })
        .await
}
