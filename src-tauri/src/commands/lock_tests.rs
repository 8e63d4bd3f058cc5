//! The window's state around the commands: the database held only for the database, not
//! while documents render.

use riskdesk_core::collections::Exclusions;
use riskdesk_core::demo;
use riskdesk_core::store::{self, DbKey};

use super::dunning;
use crate::error::ApiError;

/// The demo book made in `dir`, open with its key, and the window's state over its path
/// (the book not in it yet).
pub(super) fn demo_book(
    dir: &std::path::Path,
) -> (
    crate::state::AppState,
    crate::state::Open,
    riskdesk_core::Ctx,
) {
    let path = dir.join("demo.db");
    let key = DbKey::generate().unwrap();
    let mut conn = store::create(&path, &key).unwrap();
    let now = crate::session::ctx();
    let tx = conn.transaction().unwrap();
    demo::load(&tx, &now, now.today).unwrap();
    tx.commit().unwrap();
    let state = crate::state::AppState::new(path, dir.join("documents"));
    (state, crate::state::Open { conn, key }, now)
}

/// The window's state over the demo book, open, in `dir`.
fn demo_state(dir: &std::path::Path) -> (crate::state::AppState, riskdesk_core::Ctx) {
    let (state, book, now) = demo_book(dir);
    *state.open.lock().unwrap() = Some(book);
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
        tauri::async_runtime::block_on(state.with_read(move |c, _| dunning::plan(c, &today)))
            .unwrap()
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
        tauri::async_runtime::block_on(state.with_host(|h| Ok(super::exports::export_name(h))))
            .unwrap();
    assert_eq!(name, format!("customers-{}.csv", now.today));

    let folder = dir.path().join("for the accountant");
    std::fs::create_dir(&folder).unwrap();
    let written = tauri::async_runtime::block_on(super::exports::export_customers_in_steps(
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
    let e = tauri::async_runtime::block_on(super::exports::export_customers_in_steps(
        &state,
        folder.join("客戶"),
    ))
    .unwrap_err();
    assert!(e.message.contains("already exists"), "{e:?}");
    // A folder that is not there: the error names the path, nothing is left behind.
    let e = tauri::async_runtime::block_on(super::exports::export_customers_in_steps(
        &state,
        dir.path().join("gone").join("c.csv"),
    ))
    .unwrap_err();
    assert!(e.message.contains("c.csv"), "{e:?}");
    assert!(!dir.path().join("gone").exists());
}

/// The open items of the day shown, written where the user chose, as the aging shows them:
/// one row per open invoice, the same sum in each currency, and Open allowed on the file.
#[test]
fn the_open_items_are_exported_where_the_user_chose() {
    let dir = tempfile::tempdir().unwrap();
    let (state, now) = demo_state(dir.path());
    assert_eq!(
        super::exports::open_items_name(now.today),
        format!("open-items-{}.csv", now.today)
    );
    let written = tauri::async_runtime::block_on(super::exports::export_open_items_in_steps(
        &state,
        dir.path().join("未收項目"),
        now.today,
        [30, 60, 90],
    ))
    .unwrap();
    assert!(written.ends_with("未收項目.csv"), "{written}");
    let bytes = std::fs::read(&written).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut sums = std::collections::BTreeMap::<String, i64>::new();
    for row in reader.records() {
        let row = row.unwrap();
        let open: i64 = row[at("open")].replace('.', "").parse().unwrap();
        *sums.entry(row[at("currency")].to_string()).or_default() += open;
    }
    let today = now.today.to_string();
    let aging = tauri::async_runtime::block_on(
        state.with_read(move |c, _| super::receivables::aging(c, &today, [30, 60, 90])),
    )
    .unwrap();
    assert!(!aging.totals.is_empty());
    for total in &aging.totals {
        assert_eq!(
            sums.get(total.currency.code()).copied().unwrap_or(0),
            total.total_minor,
            "{}",
            total.currency.code()
        );
    }
    tauri::async_runtime::block_on(
        state.with_host(move |h| super::files::may_open(h, std::path::Path::new(&written))),
    )
    .unwrap();
}

/// A read of the core answered, as a command's result.
fn done<T>(r: Result<T, riskdesk_core::Error>) -> Result<(), ApiError> {
    Ok(r.map(drop)?)
}

/// Every page the window reads, read through `conn` as the window's read commands read it,
/// each named when it fails; how many of them answered.
fn every_read(conn: &rusqlite::Connection, ctx: &riskdesk_core::Ctx) -> Result<usize, ApiError> {
    use super::*;
    use riskdesk_core::customer::ListQuery;
    let mut n = 0;
    let mut ok = |what: &str, r: Result<(), ApiError>| -> Result<(), ApiError> {
        n += 1;
        r.map_err(|e| ApiError::new(e.code, format!("{what}: {}", e.message)))
    };
    let today = ctx.today.to_string();
    let list = customers::list(conn, &ListQuery::default())?;
    let id = list.rows[0].id.0;
    ok("customer", customers::detail(conn, ctx, id).map(drop))?;
    let scores = risk::all(conn, ctx)?;
    ok(
        "risk card",
        risk::customer(conn, ctx, scores[0].customer_id.0).map(drop),
    )?;
    ok("agenda", risk::agenda(conn, ctx).map(drop))?;
    ok(
        "admin relationships",
        risk::admin_relationships(conn, id).map(drop),
    )?;
    ok("risk settings", risk::settings(conn).map(drop))?;
    let weight = vec![("risk.weight.overdue".to_string(), "30".to_string())];
    ok(
        "settings preview",
        risk::preview(conn, ctx, &weight).map(drop),
    )?;
    ok("alerts badge", usage::alert_counts(conn).map(drop))?;
    ok("usage page", usage::overview(conn, ctx).map(drop))?;
    ok("alerts", usage::list_alerts(conn, true, None).map(drop))?;
    ok(
        "usage chart",
        usage::customer_usage(conn, ctx, id).map(drop),
    )?;
    ok(
        "aging",
        receivables::aging(conn, &today, [30, 60, 90]).map(drop),
    )?;
    ok(
        "statement",
        receivables::statement(conn, id, &today).map(drop),
    )?;
    ok(
        "collections",
        receivables::customer_collections(conn, id, &today).map(drop),
    )?;
    ok(
        "prepayments",
        receivables::outstanding_prepayments(conn).map(drop),
    )?;
    ok(
        "payment plans",
        plans::for_customer(conn, ctx, id).map(drop),
    )?;
    let owing = list
        .rows
        .iter()
        .find_map(|c| {
            let open = bank::open_invoices(conn, ctx, c.id.0).ok()?;
            open.first().map(|o| (c.id.0, o.invoice_id.0))
        })
        .expect("the demo has an open invoice");
    let plan = plans::PlanInput {
        customer_id: owing.0,
        invoices: vec![owing.1],
        instalments: "3".into(),
        first: today.clone(),
        every: "month".into(),
        rate: String::new(),
        note: String::new(),
        typed: String::new(),
    };
    ok("plan preview", plans::preview(conn, ctx, &plan).map(drop))?;
    ok("bank lines", done(riskdesk_core::bank::review(conn, false)))?;
    ok(
        "bank fee tolerance",
        done(riskdesk_core::bank::fee_tolerance_text(conn)),
    )?;
    ok("notices", notices::list(conn, ctx).map(drop))?;
    ok("activity log", notices::list_activity(conn, 100).map(drop))?;
    ok("incidents", incidents::list(conn).map(drop))?;
    ok("policies", policies::list(conn).map(drop))?;
    ok("Microsoft invoices", microsoft::list(conn).map(drop))?;
    ok("headroom", microsoft::get_headroom(conn, ctx).map(drop))?;
    ok("exchange rates", rates::exchange_rates(conn).map(drop))?;
    ok("mail settings", mail::get_settings(conn).map(drop))?;
    ok("run mail", mail::run_log(conn, 1).map(drop))?;
    let due = dunning::plan(conn, &today)?;
    let dunned = due
        .customers
        .first()
        .expect("the demo has customers to dun")
        .customer_id
        .0;
    ok(
        "letter preview",
        dunning::preview(conn, &today, dunned, false, false).map(drop),
    )?;
    ok("runs", dunning::runs(conn).map(drop))?;
    ok("letterhead", documents::letterhead(conn).map(drop))?;
    for (kind, customer_id) in [
        ("policy", id),
        ("statement", id),
        ("risk", id),
        ("portfolio", 0),
    ] {
        let request = documents::DocumentRequest {
            kind: kind.into(),
            customer_id,
            as_of: today.clone(),
            lang: "zh-TW".into(),
            plan_id: 0,
        };
        ok(kind, documents::records(conn, ctx, &request).map(drop))?;
    }
    let mut csv = Vec::new();
    let export = riskdesk_core::import::export_customers(conn, &mut csv);
    ok("customer export", done(export))?;
    Ok(n)
}

/// Every page the window reads (the customer list, a customer's page and risk card, the
/// dashboard, receivables, plans, usage, bank lines, notices, incidents, policies, the
/// credit line, rates, mail settings, the dunning plan and runs; the records of a document
/// or report to be saved, and the customer export) reads through the second connection:
/// they answer while a write holds the database (it lets go only once they have answered,
/// or after a minute: then the test fails), with what was last committed, and see a write
/// as soon as it is committed. With no database open they say so.
#[test]
fn every_page_that_reads_answers_while_the_database_is_held() {
    use riskdesk_core::customer::ListQuery;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let closed = crate::state::AppState::new(dir.path().join("none.db"), dir.path().into());
    let e = tauri::async_runtime::block_on(
        closed.with_read(|c, _| super::customers::list(c, &ListQuery::default())),
    )
    .unwrap_err();
    assert!(matches!(e.code, crate::error::Kind::Locked), "{e:?}");

    let (state, _) = demo_state(dir.path());
    let list = |state: &crate::state::AppState| {
        tauri::async_runtime::block_on(
            state.with_read(|c, _| super::customers::list(c, &ListQuery::default())),
        )
        .unwrap()
    };
    let before = list(&state);
    let first = before.rows[0].clone();

    let open = std::sync::Arc::clone(&state.open);
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (read_tx, read_rx) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let mut guard = open.lock().unwrap();
        let conn = &mut guard.as_mut().unwrap().conn;
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        tx.execute(
            "UPDATE customers SET notes = 'held' WHERE id = ?1",
            [first.id.0],
        )
        .unwrap();
        held_tx.send(()).unwrap();
        let answered = read_rx.recv_timeout(Duration::from_secs(60)).is_ok();
        tx.commit().unwrap();
        answered
    });
    held_rx.recv().unwrap();
    let during = list(&state);
    let id = first.id.0;
    let page = tauri::async_runtime::block_on(
        state.with_read(move |c, ctx| super::customers::detail(c, &ctx, id)),
    )
    .unwrap();
    let read =
        tauri::async_runtime::block_on(state.with_read(move |c, ctx| every_read(c, &ctx))).unwrap();
    assert_eq!(read, 35, "every read answered");
    let _ = read_tx.send(()); // the holder may have let go already (a minute passed)
    assert!(
        holder.join().unwrap(),
        "the reads waited for the write to let go"
    );
    assert_eq!(during.total, before.total);
    assert_eq!(page.customer.id, first.id);
    assert_ne!(
        page.customer.fields.notes, "held",
        "a write not yet committed"
    );
    let page = tauri::async_runtime::block_on(
        state.with_read(move |c, ctx| super::customers::detail(c, &ctx, id)),
    )
    .unwrap();
    assert_eq!(page.customer.fields.notes, "held", "the committed write");
    // The reading connection refuses a write.
    let e = tauri::async_runtime::block_on(state.with_read(|c, _| {
        c.execute("DELETE FROM settings", [])
            .map_err(riskdesk_core::Error::from)?;
        Ok(())
    }))
    .unwrap_err();
    assert!(
        e.message.contains("readonly") || e.message.contains("read"),
        "{e:?}"
    );
}

/// A book opened through the slot: the first read after it does not wait for the database
/// (held here, as the scores' update after opening holds it, until the read has answered or
/// a minute has passed), since the reading connection is made with the key the book was
/// opened with.
#[test]
fn the_first_read_after_opening_does_not_wait_for_the_database() {
    use riskdesk_core::customer::ListQuery;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let (state, book, _) = demo_book(dir.path());
    tauri::async_runtime::block_on(state.with_slot(move |slot, _| {
        *slot = Some(book);
        Ok(())
    }))
    .unwrap();
    let open = std::sync::Arc::clone(&state.open);
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (read_tx, read_rx) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let _guard = open.lock().unwrap();
        held_tx.send(()).unwrap();
        read_rx.recv_timeout(Duration::from_secs(60)).is_ok()
    });
    held_rx.recv().unwrap();
    let page = tauri::async_runtime::block_on(
        state.with_read(|c, _| super::customers::list(c, &ListQuery::default())),
    )
    .unwrap();
    let _ = read_tx.send(()); // the holder may have let go already (a minute passed)
    assert!(
        holder.join().unwrap(),
        "the first read waited for the database"
    );
    assert!(page.total > 0);
}
