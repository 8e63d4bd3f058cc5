// RiskDesk: the window (no arguments) or the headless CLI (a subcommand).

mod cli;
mod commands;
mod error;
mod keystore;
mod letters;
mod session;
mod state;

use clap::Parser;

fn main() {
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

fn run_window(db: std::path::PathBuf, documents: std::path::PathBuf) {
    use commands::{collections as c, customers, session as s};
    let result = tauri::Builder::default()
        .manage(state::AppState::new(db, documents))
        .invoke_handler(tauri::generate_handler![
            s::app_status,
            s::create_database,
            s::unlock_database,
            s::show_recovery_key,
            s::set_language,
            s::reference_data,
            customers::list_customers,
            customers::get_customer,
            customers::create_customer,
            customers::update_customer,
            customers::change_customer_status,
            customers::record_onboarding_check,
            customers::clear_onboarding_check,
            customers::add_subscription,
            customers::change_subscription,
            c::aging_report,
            c::customer_statement,
            c::plan_dunning_run,
            c::preview_letter,
            c::execute_dunning_run,
            c::dunning_runs,
            c::reprint_dunning_run,
            c::list_policies,
            c::save_policy,
            c::assign_policy,
            c::customer_collections,
            c::write_document,
            c::get_letterhead,
            c::save_letterhead,
            c::record_payment,
            c::set_dispute,
            c::write_off_invoice,
            c::add_promise,
            c::request_prepayment,
            c::mark_prepayment_received,
            c::list_prepayments,
            c::import_file,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("riskdesk: the window could not start: {e}");
        std::process::exit(1);
    }
}
