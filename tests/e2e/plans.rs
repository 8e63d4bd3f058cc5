//! A payment plan offered on the customer's page: the schedule shown before it is made, the
//! plan kept after a restart, and the dunning run's review saying why the customer is paused.

use super::common::{book_from_csv, cli_os as cli, Driver};
use super::{fill, Book};

#[test]
fn a_payment_plan_is_offered_on_the_customer_page_and_pauses_dunning() {
    let (_book, db) = Book::new("plans.db");
    book_from_csv(
        cli,
        &db,
        "legal_name,country,currency,status,language\nHarbour Logistics Ltd,TW,TWD,active,en\n",
        "number,customer,issued_on,currency,description,quantity,unit_price\n\
         HL-1,Harbour Logistics Ltd,2026-06-01,TWD,Azure plan,1,60000\n\
         HL-2,Harbour Logistics Ltd,2026-07-01,TWD,Azure plan,1,40000.01\n",
    );

    let driver = Driver::start();
    let s = driver.launch(&db);
    s.open_view("customers");
    s.find("a.customer-name").click();
    s.wait_text("#customer-plans", |t| t.contains("No payment plan"));
    s.find("#plan-offer").click();
    fill(&s, "#d-instalments", "4");
    fill(&s, "#d-rate", "12");
    s.find("#plan-show-schedule").click();
    s.wait_text("#plan-totals", |t| {
        t.starts_with("Owed NT$100,000.01 + interest")
    });
    assert_eq!(s.find_all("#plan-preview tbody tr").len(), 4);
    s.screenshot("plan-offer-en.png");
    s.find("#dialog-ok").click();
    s.wait_text("#customer-plans", |t| {
        t.contains("Plan 1") && t.contains("Kept") && t.contains("HL-1")
    });
    s.quit();

    let s = driver.launch(&db);
    s.open_view("dunning");
    s.find("#build-plan").click();
    s.wait_text("#plan-paused", |t| {
        t.contains("Harbour Logistics Ltd: in payment plan 1: HL-1, HL-2")
    });
    s.find("#nav-customers").click();
    s.find("a.customer-name").click();
    s.wait_text("#customer-plans", |t| {
        t.contains("Plan 1") && t.contains("Kept")
    });
    s.script(
        "document.querySelector('#customer-plans').scrollIntoView();",
        serde_json::json!([]),
    );
    s.screenshot("plan-card-en.png");
    s.quit();
    let list: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["plans", "list", "--json"]).stdout).unwrap();
    assert_eq!(list[0]["rate_bp"], 1200);
}
