//! The window's state around the commands: the database held only for the database, not
//! while documents render.

use riskdesk_core::collections::Exclusions;
use riskdesk_core::demo;
use riskdesk_core::store::{self, DbKey};

use super::dunning;

/// The window books a run with the database held, then renders its letters with the
/// database free: a customer list can answer while the letters are written. (Under the
/// old way every progress report found the database held.)
#[test]
fn a_run_renders_its_letters_with_the_database_free() {
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("free.db");
    let key = DbKey::generate().unwrap();
    let mut conn = store::create(&path, &key).unwrap();
    let now = crate::session::ctx();
    let tx = conn.transaction().unwrap();
    demo::load(&tx, &now, now.today).unwrap();
    tx.commit().unwrap();
    let state = crate::state::AppState::new(path, dir.path().join("documents"));
    *state.open.lock().unwrap() = Some(crate::state::Open { conn, key });
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
