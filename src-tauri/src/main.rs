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
    run_window(db);
}

fn run_window(db: std::path::PathBuf) {
    use commands::{customers, session as s};
    let result = tauri::Builder::default()
        .manage(state::AppState::new(db))
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
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("riskdesk: the window could not start: {e}");
        std::process::exit(1);
    }
}
