//! FOCUS purchases in the window: a reservation a customer bought, imported from the command
//! line (the window's import goes through the OS file dialog, which WebDriver cannot reach),
//! is on the dashboard's agenda, in the alerts inbox and in the customer's exposure, in
//! English and in Chinese.

use super::common::{assert_ok, cli_os as cli, Driver};
use super::Book;

#[test]
fn a_reservation_bought_is_on_the_agenda_in_the_alerts_and_in_the_exposure() {
    let (book, db) = Book::empty("purchase.db");
    let tenant = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    let customers = book.dir.path().join("customers.csv");
    std::fs::write(
        &customers,
        format!("legal_name,country,currency,tenant_id,credit_limit\nHarbor Cloud,TW,TWD,{tenant},500000\n"),
    )
    .unwrap();
    assert_ok(&cli(
        &db,
        &["customers", "import", customers.to_str().unwrap()],
    ));
    let rate = [
        "rates",
        "set",
        "--on",
        "2020-01-01",
        "--from",
        "USD",
        "--to",
        "TWD",
        "--rate",
        "32",
    ];
    assert_ok(&cli(&db, &rate));
    // Three days ago: inside the days exposure looks back over.
    let day = chrono::Local::now().date_naive() - chrono::Duration::days(3);
    let file = book.dir.path().join("focus.csv");
    std::fs::write(
        &file,
        format!("x_CustomerId,x_CustomerName,SubAccountId,ChargeCategory,ChargePeriodStart,ServiceName,x_SkuMeterName,ConsumedQuantity,BilledCost,BillingCurrency\n{tenant},Harbor Cloud,,Purchase,{day}T00:00:00Z,Virtual Machines,Reserved VM Instance,1,20000,USD\n"),
    )
    .unwrap();
    assert_ok(&cli(&db, &["usage", "import", file.to_str().unwrap()]));

    let driver = Driver::start();
    let s = driver.launch(&db);
    // The customer's first purchase is high: on the agenda.
    s.wait_text("#todo", |t| {
        t.contains("First purchase billed: US$20,000.00")
    });
    s.find("#nav-usage").click();
    s.wait_text("#alert-rows tr[data-kind='purchase']", |t| {
        t.contains("Harbor Cloud") && t.contains("First purchase billed")
    });
    // The customer's exposure counts it at the owner's rate (US$20,000 × 32), over the limit.
    s.find("#alert-rows tr[data-kind='purchase'] td a").click();
    let exposure = s.wait_text("#risk-exposure", |t| {
        t.contains("purchases not yet invoiced")
    });
    assert!(
        exposure.contains("purchases not yet invoiced (reservations, Marketplace) NT$640,000")
            && exposure.contains("Exposure NT$640,000"),
        "{exposure}"
    );
    s.find("#risk-factors li[data-factor='over_credit_limit']");
    s.find("#risk-factors li[data-factor='before_first_payment']");

    // In Traditional Chinese.
    s.script(
        "const l = document.getElementById('language'); l.value = 'zh-TW'; l.dispatchEvent(new Event('change'));",
        serde_json::json!([]),
    );
    s.wait_text("#risk-exposure", |t| {
        t.contains("尚未開票購買項目（保留執行個體、Marketplace）NT$640,000")
    });
    s.script(
        "document.getElementById('risk-exposure').scrollIntoView({ block: 'center' });",
        serde_json::json!([]),
    );
    s.screenshot("customer-purchase-zh-TW.png");
    s.quit();
}
