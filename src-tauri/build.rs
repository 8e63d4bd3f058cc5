// Declares the app's commands so that the capability file decides, command by command,
// what the window may call (without this list every registered command is callable).
const COMMANDS: &[&str] = &[
    "app_status",
    "create_database",
    "unlock_database",
    "show_recovery_key",
    "set_language",
    "reference_data",
    "list_customers",
    "get_customer",
    "create_customer",
    "update_customer",
    "change_customer_status",
    "record_onboarding_check",
    "clear_onboarding_check",
    "add_subscription",
    "change_subscription",
    "aging_report",
    "customer_statement",
    "plan_dunning_run",
    "preview_letter",
    "execute_dunning_run",
    "dunning_runs",
    "dunning_folder",
    "choose_dunning_folder",
    "reprint_dunning_run",
    "list_policies",
    "save_policy",
    "assign_policy",
    "customer_collections",
    "save_document_as",
    "open_document",
    "show_in_folder",
    "get_letterhead",
    "save_letterhead",
    "record_payment",
    "set_dispute",
    "write_off_invoice",
    "add_promise",
    "request_prepayment",
    "mark_prepayment_received",
    "list_prepayments",
    "import_with_dialog",
    "import_usage_with_dialog",
    "usage_overview",
    "link_usage_tenant",
    "set_usage_budget",
    "remove_usage_budget",
    "list_usage_alerts",
    "set_usage_alert",
    "customer_usage_view",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=ui");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
