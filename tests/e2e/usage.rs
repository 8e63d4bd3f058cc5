//! FOCUS purchases in the window: a reservation a customer bought, imported from the command
//! line (the window's import goes through the OS file dialog, which WebDriver cannot reach),
//! is on the dashboard's agenda, in the alerts inbox and in the customer's exposure, in
//! English and in Chinese.

use super::common::{assert_ok, cli_os as cli, Driver};
use super::{fill, Book};

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

/// Budgets from the usage page: one for every subscription of a customer and one for a
/// single subscription, chosen in the dialog, each shown in its row; one removed after a
/// confirmation. What is left survives a restart and is what the command line lists.
#[test]
fn a_budget_is_set_for_one_subscription_or_all_and_removed_from_the_usage_page() {
    let (book, db) = Book::empty("budgets.db");
    let tenant = "7b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
    let customers = book.dir.path().join("customers.csv");
    std::fs::write(
        &customers,
        format!("legal_name,country,currency,tenant_id\nTwo Subscriptions Ltd,TW,TWD,{tenant}\n"),
    )
    .unwrap();
    assert_ok(&cli(
        &db,
        &["customers", "import", customers.to_str().unwrap()],
    ));
    let (small, large) = (
        "aaaaaaaa-0000-4000-8000-000000000001",
        "bbbbbbbb-0000-4000-8000-000000000002",
    );
    let today = chrono::Local::now().date_naive();
    let mut text = String::from("CustomerId,CustomerName,CustomerDomainName,InvoiceNumber,EntitlementId,UsageDate,MeterCategory,MeterSubCategory,MeterName,ResourceLocation,UnitType,Quantity,BillingPreTaxTotal,BillingCurrency,PricingCurrency,PCToBCExchangeRate,CreditPercentage\n");
    for ago in 1..=3 {
        let day = today - chrono::Duration::days(ago);
        for (sub, cost) in [(small, 100), (large, 1000)] {
            text.push_str(&format!("{tenant},Two,two.onmicrosoft.com,,{sub},{day},Storage,Tiered Block Blob,Hot LRS Data Stored,EASTASIA,1 GB/Month,1,{cost},TWD,TWD,1,0\n"));
        }
    }
    // Yesterday's machines, paid by Microsoft's Azure credit: beside the spend, not in it.
    let yesterday = today - chrono::Duration::days(1);
    text.push_str(&format!("{tenant},Two,two.onmicrosoft.com,,{large},{yesterday},Virtual Machines,Dsv5 Series,D4s v5,EASTASIA,1 Hour,24,3000,TWD,TWD,1,100\n"));
    let file = book.dir.path().join("usage.csv");
    std::fs::write(&file, text).unwrap();
    assert_ok(&cli(&db, &["usage", "import", file.to_str().unwrap()]));

    let driver = Driver::start();
    let s = driver.launch(&db);
    s.open_view("usage");
    s.wait_text("#portfolio-rows", |t| t.contains("Two Subscriptions Ltd"));
    assert_eq!(
        s.find("#portfolio-rows [data-credited]").text(),
        "+ NT$3,000 paid by Microsoft credits"
    );
    // The month as a reader writes it: "Spend in December 2026".
    let month = (today - chrono::Duration::days(1))
        .format("%B %Y")
        .to_string();
    assert_eq!(
        s.find("#usage-portfolio h2").text(),
        format!("Spend in {month}")
    );
    // The small subscription's own budget: chosen in the dialog.
    s.find("#portfolio-rows button[data-budget]").click();
    s.script(
        &format!("const p = document.getElementById('budget-subscription'); p.value = '{small}'; p.dispatchEvent(new Event('change'));"),
        serde_json::json!([]),
    );
    fill(&s, "#budget-amount", "2000");
    s.find("#dialog-ok").click();
    let row = format!("#portfolio-rows tr.sub-budget[data-subscription='{small}']");
    let shown = s.wait_text(&row, |t| t.contains("NT$2,000"));
    assert!(shown.contains(small), "{shown}");
    // Every subscription's budget, on the customer's own row.
    s.find("#portfolio-rows tr:not(.sub-budget) button[data-budget]")
        .click();
    assert_eq!(
        s.find("#budget-subscription").property("value"),
        serde_json::json!("")
    );
    fill(&s, "#budget-amount", "50000");
    s.find("#dialog-ok").click();
    s.wait_text("#portfolio-rows tr:not(.sub-budget)", |t| {
        t.contains("NT$50,000")
    });
    // Editing the subscription's budget shows its own figures.
    s.find(&format!("{row} button[data-budget]")).click();
    assert_eq!(
        s.find("#budget-amount").property("value"),
        serde_json::json!("2000")
    );
    s.find("#dialog-cancel").click();
    s.screenshot("usage-budgets-en.png");
    // Removed, once confirmed.
    s.find(&format!("{row} button[data-remove-budget]")).click();
    s.find("#dialog-ok").click();
    s.wait_text("#portfolio-rows", |t| !t.contains(small));
    s.quit();

    let s = driver.launch(&db);
    s.open_view("usage");
    s.wait_text("#portfolio-rows tr:not(.sub-budget)", |t| {
        t.contains("NT$50,000")
    });
    assert!(s.try_find("#portfolio-rows tr.sub-budget").is_none());
    // The customer's risk: what the credit paid beside the exposure, not in it (the
    // usage not invoiced is the 3,300 billed).
    s.find("#portfolio-rows tr:not(.sub-budget) td a").click();
    let exposure = s.wait_text("#risk-exposure", |t| t.contains("Exposure"));
    assert!(
        exposure.contains("usage not yet invoiced NT$3,300"),
        "{exposure}"
    );
    assert_eq!(
        s.find("#risk-usage-credited").text(),
        "Usage paid by Microsoft credits, not counted above: NT$3,000."
    );
    s.script(
        "document.getElementById('risk-usage-credited').scrollIntoView({ block: 'center' });",
        serde_json::json!([]),
    );
    s.screenshot("customer-credited-en.png");
    s.quit();
    let list = cli(&db, &["budgets", "list"]);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(
        listed.contains("NT$50,000") && listed.contains("all subscriptions"),
        "{listed}"
    );
}
