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
