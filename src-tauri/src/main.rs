// RiskDesk: the window (no arguments) or the headless CLI (a subcommand).

// On Windows a release build is a GUI program, so starting RiskDesk from the Start menu
// opens no console window; the CLI attaches to the console of the terminal it was
// started from (see `attach_console`).
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

mod book_files;
mod cli;
mod commands;
mod drafts;
mod error;
mod host;
mod keystore;
mod letters;
mod mail_out;
mod session;
mod state;

use clap::Parser;

fn main() {
    attach_console();
    let args = cli::Args::parse();
    let db = args.db.clone().unwrap_or_else(session::default_db_path);
    if let Some(command) = args.command {
        std::process::exit(cli::run(&db, command));
    }
    let documents = args
        .documents
        .clone()
        .unwrap_or_else(session::default_documents_dir);
    run_window(db, documents);
}

/// Windows: a GUI-subsystem program has no console, so what the CLI prints would be lost
/// when it is started from a terminal. Attaching to the parent's console (when there is
/// one; started from Explorer there is none and this does nothing) gives it back. Output
/// redirected to a file or a pipe works without it.
#[cfg(windows)]
fn attach_console() {
    use windows_sys::Win32::System::Console::{AttachConsole, ATTACH_PARENT_PROCESS};
    // SAFETY: AttachConsole takes a process id constant and has no other preconditions;
    // it fails harmlessly when the process already has a console or the parent has none.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

#[cfg(not(windows))]
fn attach_console() {}

fn run_window(db: std::path::PathBuf, documents: std::path::PathBuf) {
    use commands::{
        backup, bank, customers, documents, dunning, exports, files, incidents, mail, microsoft,
        notices, plans, policies, rates, receivables, risk, session as s, usage,
    };
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state::AppState::new(db, documents))
        .setup(|app| {
            use tauri::{Emitter, Manager};
            // The window hears when the scores kept after a change are up to date (or not).
            let handle = app.handle().clone();
            app.state::<state::AppState>()
                .derived
                .on_change(move |status| {
                    let _ = handle.emit("derived-changed", status);
                });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            s::get_app_status,
            s::create_database,
            s::unlock_database,
            s::show_recovery_key,
            s::verify_audit_trail,
            s::set_language,
            s::get_reference_data,
            customers::ipc::list_customers,
            customers::ipc::get_customer,
            customers::ipc::create_customer,
            customers::ipc::update_customer,
            customers::ipc::change_customer_status,
            customers::ipc::record_onboarding_check,
            customers::ipc::clear_onboarding_check,
            customers::ipc::add_subscription,
            customers::ipc::change_subscription,
            receivables::ipc::get_aging_report,
            receivables::ipc::get_customer_statement,
            dunning::ipc::plan_dunning_run,
            dunning::ipc::preview_letter,
            dunning::ipc::execute_dunning_run,
            dunning::ipc::list_dunning_runs,
            dunning::ipc::get_dunning_folder,
            dunning::ipc::choose_dunning_folder,
            dunning::ipc::reprint_dunning_run,
            policies::ipc::list_policies,
            policies::ipc::save_policy,
            policies::ipc::assign_policy,
            receivables::ipc::get_customer_collections,
            files::ipc::save_document_as,
            exports::ipc::export_customers_with_dialog,
            exports::ipc::export_open_items_with_dialog,
            files::ipc::open_document,
            files::ipc::show_in_folder,
            documents::ipc::get_letterhead,
            documents::ipc::save_letterhead,
            receivables::ipc::record_payment,
            receivables::ipc::return_payment,
            receivables::ipc::set_dispute,
            receivables::ipc::write_off_invoice,
            receivables::ipc::add_promise,
            receivables::ipc::request_prepayment,
            receivables::ipc::mark_prepayment_received,
            receivables::ipc::list_prepayments,
            files::ipc::import_with_dialog,
            usage::ipc::import_usage_with_dialog,
            files::ipc::write_document_draft,
            dunning::ipc::write_email_drafts,
            mail::ipc::get_mail_settings,
            mail::ipc::save_mail_settings,
            mail::ipc::send_test_mail,
            mail::ipc::send_run_mail,
            mail::ipc::send_document_mail,
            mail::ipc::list_run_mail,
            microsoft::ipc::set_credit_line,
            microsoft::ipc::list_ms_invoices,
            microsoft::ipc::add_ms_invoice,
            microsoft::ipc::set_ms_invoice_paid,
            microsoft::ipc::get_microsoft_headroom,
            plans::ipc::list_customer_plans,
            plans::ipc::preview_payment_plan,
            plans::ipc::create_payment_plan,
            plans::ipc::cancel_payment_plan,
            backup::ipc::write_backup_with_dialog,
            backup::ipc::choose_backup,
            backup::ipc::restore_chosen_backup,
            backup::ipc::get_backup_status,
            backup::ipc::set_backup_reminder,
            bank::ipc::choose_bank_statement,
            bank::ipc::import_bank_statement,
            bank::ipc::list_bank_lines,
            bank::ipc::accept_bank_line,
            bank::ipc::accept_sure_bank_lines,
            bank::ipc::confirm_bank_line,
            bank::ipc::ignore_bank_line,
            bank::ipc::list_open_invoices,
            bank::ipc::get_bank_fee_tolerance,
            bank::ipc::set_bank_fee_tolerance,
            usage::ipc::get_usage_overview,
            usage::ipc::count_usage_alerts,
            usage::ipc::link_usage_tenant,
            usage::ipc::set_usage_budget,
            usage::ipc::remove_usage_budget,
            usage::ipc::list_usage_alerts,
            usage::ipc::set_usage_alert,
            usage::ipc::get_customer_usage,
            notices::ipc::import_notices_with_dialog,
            notices::ipc::list_notices,
            notices::ipc::add_notice,
            notices::ipc::set_notice_status,
            notices::ipc::record_notice_claim,
            notices::ipc::import_activity_with_dialog,
            notices::ipc::list_activity_log,
            incidents::ipc::list_incidents,
            incidents::ipc::open_incident,
            incidents::ipc::link_incident_evidence,
            incidents::ipc::record_incident_action,
            incidents::ipc::close_incident,
            risk::ipc::get_customer_risk,
            risk::ipc::list_risk_scores,
            risk::ipc::get_derived_status,
            risk::ipc::refresh_derived,
            risk::ipc::list_admin_relationships,
            risk::ipc::add_admin_relationship,
            risk::ipc::end_admin_relationship,
            risk::ipc::get_risk_agenda,
            risk::ipc::mark_action_done,
            risk::ipc::get_risk_settings,
            risk::ipc::preview_risk_settings,
            risk::ipc::save_risk_settings,
            rates::ipc::list_exchange_rates,
            rates::ipc::set_exchange_rate,
            rates::ipc::remove_exchange_rate,
            rates::ipc::save_usage_settings,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("riskdesk: the window could not start: {e}");
        std::process::exit(1);
    }
}
