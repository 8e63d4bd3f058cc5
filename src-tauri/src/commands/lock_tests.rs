//! The window's state around the commands: the database held only for the database, not
//! while documents render.

use riskdesk_core::collections::Exclusions;
use riskdesk_core::demo;
use riskdesk_core::store::{self, DbKey};

use super::dunning;

/// The window's state over the demo book, open, in `dir`.
fn demo_state(dir: &std::path::Path) -> (crate::state::AppState, riskdesk_core::Ctx) {
    let path = dir.join("demo.db");
    let key = DbKey::generate().unwrap();
    let mut conn = store::create(&path, &key).unwrap();
    let now = crate::session::ctx();
    let tx = conn.transaction().unwrap();
    demo::load(&tx, &now, now.today).unwrap();
    tx.commit().unwrap();
    let state = crate::state::AppState::new(path, dir.join("documents"));
    *state.open.lock().unwrap() = Some(crate::state::Open { conn, key });
    (state, now)
}

/// The window books a run with the database held, then renders its letters with the
/// database free: a customer list can answer while the letters are written. (Under the
/// old way every progress report found the database held.)
#[test]
fn a_run_renders_its_letters_with_the_database_free() {
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let (state, now) = demo_state(dir.path());
    let today = now.today.to_string();
    let plan = {
        let today = today.clone();
        tauri::async_runtime::block_on(state.with_host(move |h| dunning::plan(h, &today))).unwrap()
    };
    let open = Arc::clone(&state.open);
    let derived = Arc::clone(&state.derived);
    let free = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&free);
    let run = tauri::async_runtime::block_on(dunning::execute_in_steps(
        &state,
        today,
        Exclusions::default(),
        plan.fingerprint,
        move |_, _| {
            // The scores after the booking take the database for a moment (they can only
            // when rendering does not hold it); then it is free.
            let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
            while derived.status().finished_at.is_none() && std::time::Instant::now() < until {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            seen.lock().unwrap().push(open.try_lock().is_ok());
        },
    ))
    .unwrap()
    .expect("the demo book has letters to send");
    let free = free.lock().unwrap().clone();
    assert!(
        free.iter().any(|f| *f),
        "the database was held throughout: {free:?}"
    );
    assert!(run
        .files
        .iter()
        .all(|f| std::path::Path::new(&run.folder).join(f).exists()));
    // A reprint renders outside the lock too, the same files.
    std::fs::remove_dir_all(&run.folder).unwrap();
    let again =
        tauri::async_runtime::block_on(dunning::reprint_in_steps(&state, run.run_id.0, |_, _| {}))
            .unwrap();
    assert_eq!(again.files, run.files);
}

/// The window's customer export: offered as `customers-<today>.csv`, written where the Save
/// dialog says (".csv" added to a name without it, never over a file the dialog did not ask
/// about), recorded so Open and Show in folder work on it, its folder remembered; the file
/// is what the import reads, the byte order mark first so Excel shows the Chinese names.
#[test]
fn the_customers_are_exported_where_the_user_chose() {
    let dir = tempfile::tempdir().unwrap();
    let (state, now) = demo_state(dir.path());
    let name =
        tauri::async_runtime::block_on(state.with_host(|h| Ok(super::files::export_name(h))))
            .unwrap();
    assert_eq!(name, format!("customers-{}.csv", now.today));

    let folder = dir.path().join("for the accountant");
    std::fs::create_dir(&folder).unwrap();
    let written = tauri::async_runtime::block_on(super::files::export_customers_in_steps(
        &state,
        folder.join("客戶"),
    ))
    .unwrap();
    assert!(written.ends_with("客戶.csv"), "{written}");
    let bytes = std::fs::read(&written).unwrap();
    assert!(bytes.starts_with("\u{feff}legal_name,tenant_id,".as_bytes()));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("基隆海產貿易行"), "{text}");
    let customers: i64 = tauri::async_runtime::block_on(
        state.with_host(|h| Ok(riskdesk_core::customer::count(h.conn)?)),
    )
    .unwrap();
    assert_eq!(text.lines().count() as i64, customers + 1);
    let opened = tauri::async_runtime::block_on(state.with_host(move |h| {
        super::files::may_open(h, std::path::Path::new(&written))?;
        super::files::start_folder(h)
    }))
    .unwrap();
    assert_eq!(opened, folder);

    // "客戶" was chosen again: 客戶.csv exists and the dialog asked about 客戶 alone.
    let e = tauri::async_runtime::block_on(super::files::export_customers_in_steps(
        &state,
        folder.join("客戶"),
    ))
    .unwrap_err();
    assert!(e.message.contains("already exists"), "{e:?}");
    // A folder that is not there: the error names the path, nothing is left behind.
    let e = tauri::async_runtime::block_on(super::files::export_customers_in_steps(
        &state,
        dir.path().join("gone").join("c.csv"),
    ))
    .unwrap_err();
    assert!(e.message.contains("c.csv"), "{e:?}");
    assert!(!dir.path().join("gone").exists());
}
