//! A Microsoft notice typed in the window: its customer found with the picker's search (a book
//! may hold thousands), saved, listed with its customer, and still there after a restart.

use super::common::Driver;
use super::{fill, Book};

#[test]
fn a_notice_is_recorded_for_a_customer_found_by_search() {
    let (_book, db) = Book::demo("notice.db");
    let driver = Driver::start();
    let s = driver.launch(&db);
    s.open_view("usage");
    s.find("#add-notice").click();
    s.find("#n-customer");
    // The search narrows the list; the one customer found is chosen.
    s.find("#n-customer-search").type_text("花蓮");
    let offered = s.wait_text("#n-customer", |t| !t.contains("Taipei Digital"));
    assert!(offered.contains("花蓮觀光旅行社"), "{offered}");
    s.script(
        "const sel = document.querySelector('#n-customer');\
         sel.value = [...sel.options].find((o) => o.text === '花蓮觀光旅行社').value;",
        serde_json::json!([]),
    );
    s.script(
        "document.querySelector('#n-kind').value = 'acceptable_use';",
        serde_json::json!([]),
    );
    fill(&s, "#n-title", "Outbound spam from a tenant VM");
    fill(&s, "#n-received", "2026-12-04T08:30:00Z");
    s.find("#dialog-ok").click();
    let rows = s.wait_text("#notice-rows", |t| {
        t.contains("Outbound spam from a tenant VM")
    });
    let row = rows
        .lines()
        .find(|l| l.contains("Outbound spam"))
        .unwrap_or_default()
        .to_string();
    assert!(row.contains("花蓮觀光旅行社"), "{rows}");
    s.quit();

    let s = driver.launch(&db);
    s.open_view("usage");
    s.wait_text("#notice-rows", |t| {
        t.contains("Outbound spam from a tenant VM") && t.contains("花蓮觀光旅行社")
    });
    s.quit();
}
