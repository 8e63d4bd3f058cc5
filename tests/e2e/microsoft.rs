//! The credit line with Microsoft in the window, on the demo: the dashboard's card, the
//! Microsoft page (an invoice typed, a credit note giving headroom back until marked applied,
//! the limit lowered until the line is past 80 % and the alert is on the dashboard), kept
//! after a restart, and in Chinese.

use super::common::Driver;
use super::{fill, Book};

#[test]
fn the_headroom_with_microsoft_is_on_the_dashboard_and_its_page() {
    let (_book, db) = Book::demo("ms.db");

    let driver = Driver::start();
    let s = driver.launch(&db);
    s.wait_text("#dashboard-headroom-figure", |t| {
        t.contains("left of NT$8,000,000")
    });
    s.find("#dashboard-headroom-paid-out li");
    s.script(
        "document.querySelector('#dashboard-headroom').scrollIntoView();",
        serde_json::json!([]),
    );
    s.screenshot("headroom-dashboard-en.png");

    s.find("#dashboard-headroom-more").click();
    s.find("#gap-rows tr[data-paid-out='yes']");
    let before = s.find("#headroom-figure").text();
    // An invoice typed in the dialog.
    s.find("#ms-invoice-add").click();
    fill(&s, "#d-number", "G-TEST-1");
    fill(&s, "#d-amount", "100,000");
    s.find("#dialog-ok").click();
    s.wait_text("#ms-invoice-rows", |t| t.contains("G-TEST-1"));
    s.wait_text("#headroom-figure", |t| *t != before);
    // A credit note from Microsoft (a negative amount) gives headroom back until it is
    // applied; it is not an unpaid invoice and has no due date.
    let invoiced = s.find("#headroom-figure").text();
    s.find("#ms-invoice-add").click();
    fill(&s, "#d-number", "CN-TEST-1");
    fill(&s, "#d-amount", "-50,000");
    s.find("#dialog-ok").click();
    s.wait_text("#ms-invoice-rows tr[data-number='CN-TEST-1']", |t| {
        t.contains("-NT$50,000") && t.contains("Credit note, not applied") && t.contains('—')
    });
    s.wait_text("#headroom-credits", |t| {
        t.contains("credit notes not applied (1)") && t.contains("-NT$50,000")
    });
    s.wait_text("#headroom-figure", |t| *t != invoiced);
    s.script(
        "document.querySelector('#ms-invoices').scrollIntoView();",
        serde_json::json!([]),
    );
    s.screenshot("headroom-credit-note-en.png");
    s.find("#ms-invoice-rows button[data-paid='CN-TEST-1']")
        .click();
    s.wait_text("#dialog-ok", |t| t == "Mark applied");
    s.find("#dialog-ok").click();
    s.wait_text("#ms-invoice-rows tr[data-number='CN-TEST-1']", |t| {
        t.contains("Credit note, applied")
    });
    s.wait_text("#headroom-figure", |t| *t == invoiced);
    assert!(s.try_find("#headroom-credits").is_none());
    // The line lowered to 4,000,000: past 80 %.
    fill(&s, "#line-limit", "4,000,000");
    s.find("#save-line").click();
    s.wait_text("#headroom-figure", |t| t.contains("left of NT$4,000,000"));
    s.screenshot("headroom-page-en.png");

    // The alert is on the dashboard's list for today, leading to this page.
    s.find("#nav-dashboard").click();
    s.wait_text("#todo", |t| {
        t.contains("Credit line with Microsoft 80% used")
    });
    s.find("#todo li[data-kind='headroom'] a").click();
    s.find("#cash-gap");
    s.quit();

    // After a restart, in Chinese.
    let s = driver.launch(&db);
    s.wait_text("#dashboard-headroom-figure", |t| t.contains("NT$4,000,000"));
    s.find("#language option[value='zh-TW']").click();
    s.wait_text("#nav-microsoft", |t| t == "Microsoft");
    s.find("#nav-microsoft").click();
    s.wait_text("#cash-gap", |t| t.contains("各客戶的資金缺口"));
    s.wait_text("#ms-invoice-rows tr[data-number='CN-TEST-1']", |t| {
        t.contains("折讓單，") && t.contains("已抵用")
    });
    s.screenshot("headroom-page-zh-TW.png");
    s.quit();
}
