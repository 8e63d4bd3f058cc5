//! Money in the window is written from Rust's currency table, as letters write it: the
//! digits of IDR or BHD are ISO 4217's, not what the web view's `Intl` believes (it gives
//! the rupiah no decimals, so Rp1,234.50 showed as IDR 123,450, and a fee typed in dinars
//! came back ten times larger). A policy's fees are typed per currency and parsed in Rust.

use super::common::{assert_ok, book_from_csv, cli_os as cli, Driver, Session};
use super::{fill, open_customers, Book};

#[test]
fn rupiah_and_dinars_are_shown_and_edited_with_their_own_digits() {
    let (_book, db) = Book::new("money.db");
    book_from_csv(
        cli,
        &db,
        "legal_name,tenant_id,country,currency,payment_terms_days,status,language\n\
         PT Nusantara Awan,22222222-2222-4222-8222-222222222222,ID,IDR,30,active,en\n\
         Manama Data W.L.L.,33333333-3333-4333-8333-333333333333,BH,BHD,30,active,en\n",
        "number,customer,issued_on,currency,description,quantity,unit_price\n\
         INV-ID-1,PT Nusantara Awan,2026-08-01,IDR,Azure plan,1,1234.50\n\
         INV-BH-1,Manama Data W.L.L.,2026-08-01,BHD,Azure plan,1,12.345\n",
    );

    let driver = Driver::start();
    let s = driver.launch(&db);
    open_customers(&s);
    s.find("#nav-receivables").click();
    s.wait_text("#aging-rows", |t| {
        t.contains("Rp1,234.50") && t.contains("BHD 12.345")
    });
    let rows = s.find("#aging-rows").text();
    assert!(
        !rows.contains("123,450") && !rows.contains("12,345"),
        "{rows}"
    );
    // Sorted by what is overdue, amounts compare within their currency: dinars (BHD) come
    // before rupiah (IDR) by code, though Rp1,234.50 is more minor units than BHD 12.345.
    let first = s.find("#aging-rows tr:first-child").text();
    assert!(first.contains("Manama Data"), "{first}");
    s.screenshot("receivables-idr-bhd-en.png");

    // A fee in dinars, typed with one decimal, comes back with the dinar's three.
    open_policies(&s);
    s.find("#level-fees-0 + button").click();
    s.find("#level-fees-0 .amount-currency option[value='BHD']")
        .click();
    s.find("#level-fees-0 .amount-value").type_text("1.5");
    s.find("#save-policy").click();
    assert_eq!(first_fee_after_leaving(&s), "1.500");
    s.quit();

    // Rust booked what the window showed: 1,234.50 rupiah and 1.5 dinars, in minor units.
    let aging: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["aging", "--json"]).stdout).unwrap();
    let totals = aging["totals"].as_array().unwrap();
    let idr = totals.iter().find(|t| t["currency"] == "IDR").unwrap();
    assert_eq!(idr["total_minor"], 123_450);
    let bhd = totals.iter().find(|t| t["currency"] == "BHD").unwrap();
    assert_eq!(bhd["total_minor"], 12_345);
}

#[test]
fn a_policy_fee_is_typed_per_currency_and_parsed_in_rust() {
    let (_book, db) = Book::empty("policy.db");
    let driver = Driver::start();
    let s = driver.launch(&db);
    open_customers(&s);
    open_policies(&s);
    // A fee for level 1 in New Taiwan dollars; a rate with three decimals is refused by Rust.
    s.find("#level-fees-0 + button").click();
    s.find("#level-fees-0 .amount-value").type_text("150.5");
    s.find("#policy-levels .level-card:nth-child(2) .level-rate")
        .clear()
        .type_text("12.345");
    s.find("#save-policy").click();
    let err = s.wait_text("#policy-error", |t| !t.is_empty());
    assert!(err.contains("two decimals"), "{err}");
    s.find("#policy-levels .level-card:nth-child(2) .level-rate")
        .clear()
        .type_text("12.5");
    s.find("#save-policy").click();
    assert_eq!(first_fee_after_leaving(&s), "150.50");
    let cur = s.find("#level-fees-0 .amount-currency").property("value");
    // The first currency the window offers: the reference data lists TWD first.
    assert_eq!(cur, "TWD");
    let rate = s
        .find("#policy-levels .level-card:nth-child(2) .level-rate")
        .property("value");
    assert_eq!(rate, "12.50");
    s.screenshot("policies-en.png");
    s.quit();
}

/// The collection policies, their five levels shown.
fn open_policies(s: &Session) {
    s.find("#nav-policies").click();
    s.wait_text("#policy-levels", |t| t.contains("Level 5"));
}

/// Leaves the policies and comes back (the policy read again from Rust): the first level's
/// first fee as its field shows it.
fn first_fee_after_leaving(s: &Session) -> serde_json::Value {
    s.find("#nav-customers").click();
    open_customers(s);
    open_policies(s);
    s.find("#level-fees-0 .amount-value").property("value")
}

/// A run charged interest on two overdue invoices; the transfer that paid them arrived that
/// day and is entered in the window afterwards. The window says what was given back, the
/// statement lists the credit note, and nothing is owed.
#[test]
fn a_payment_entered_after_the_run_gives_back_its_charges_in_the_window() {
    let (book, db) = Book::new("late.db");
    super::contoso_owing(&db);
    assert_ok(&cli(
        &db,
        &["settings", "set", "letterhead.name", "Reseller Ltd"],
    ));
    let out = book.dir.path().join("runs");
    assert_ok(&cli(
        &db,
        &["dunning", "run", "--out", out.to_str().unwrap()],
    ));

    let driver = Driver::start();
    let s = driver.launch(&db);
    open_customers(&s);
    s.find("#nav-receivables").click();
    s.wait_text("#aging-rows", |t| t.contains("Contoso Taiwan Ltd"));
    s.find("#aging-rows .customer-link").click();
    s.find_still("#statement a.button").click();
    s.find("#customer-collections");
    // NT$70,000 and the run's interest.
    s.wait_text("#customer-balance", |t| {
        t.starts_with("NT$7") && t != "NT$70,000"
    });
    s.find("#record-payment").click();
    fill(&s, "#d-amount", "70,000");
    fill(&s, "#d-reference", "E.SUN-LATE-01");
    s.find("#dialog-ok").click();
    let said = s.wait_text("#toast", |t| t.contains("credited back"));
    assert!(said.contains("FEE-1-1-CR1"), "{said}");
    s.wait_text("#customer-balance", |t| t == "NT$0");
    s.screenshot("charges-credited-back-en.png");
    s.quit();
    let statement: String =
        String::from_utf8(cli(&db, &["payments", "list", "--customer", "1"]).stdout).unwrap();
    assert!(statement.contains("FEE-1-1-CR1"), "{statement}");
}

/// Nothing is dunned under NT$50,000 overdue. Contoso owed NT$70,000 and the run of today
/// suspended its subscription; a transfer of NT$40,000 that arrived today is entered after
/// the run. The window gives the charges back, and the next plan proposes reactivating the
/// subscription, saying which run should have sent nothing, though NT$30,000 is still owed.
/// Then a new invoice of NT$25,000 falls due: over the minimum again, a plan two months on
/// takes again the level the transfer gave back on INV-9002, and says why.
#[test]
fn a_suspension_a_late_payment_shows_was_never_due_is_offered_for_reactivation() {
    let (book, db) = Book::new("spared.db");
    super::contoso_owing(&db);
    assert_ok(&cli(
        &db,
        &["settings", "set", "letterhead.name", "Reseller Ltd"],
    ));
    let driver = Driver::start();
    let s = driver.launch(&db);
    open_customers(&s);
    s.find("a.customer-name").click();
    s.find("#add-subscription").click();
    fill(&s, "#d-offer", "Azure plan");
    fill(
        &s,
        "#d-pc_subscription_id",
        "aaaaaaaa-bbbb-4ccc-8ddd-000000000001",
    );
    fill(&s, "#d-monthly_price", "100");
    s.find("#dialog-ok").click();
    s.wait_text("#customer-detail", |t| {
        t.contains("aaaaaaaa-bbbb-4ccc-8ddd-000000000001")
    });
    open_policies(&s);
    s.find("#policy-min + button").click();
    s.find("#policy-min .amount-currency option[value='TWD']")
        .click();
    s.find("#policy-min .amount-value").type_text("50,000");
    s.find("#save-policy").click();
    s.wait_text("#toast", |t| !t.is_empty());
    s.quit();

    let out = book.dir.path().join("runs");
    let run = cli(&db, &["dunning", "run", "--out", out.to_str().unwrap()]);
    assert_ok(&run);
    let said = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(said.contains("suspend"), "{said}");

    let s = driver.launch(&db);
    open_customers(&s);
    s.find("a.customer-name").click();
    s.find("#record-payment").click();
    fill(&s, "#d-amount", "40,000");
    fill(&s, "#d-reference", "E.SUN-0001");
    s.find("#dialog-ok").click();
    let toast = s.wait_text("#toast", |t| t.contains("credited back"));
    assert!(toast.contains("FEE-1-1-CR1"), "{toast}");
    s.find("#nav-dunning").click();
    s.find("#build-plan").click();
    let offered = s.wait_text("#plan-reactivate", |t| t.contains("run 1"));
    assert!(
        offered.contains("Contoso Taiwan Ltd") && offered.contains("should have sent nothing"),
        "{offered}"
    );
    s.screenshot("dunning-reactivate-never-due-en.png");
    s.quit();

    let today = chrono::Local::now().date_naive();
    let days = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let invoices = super::common::write(
        book.dir.path(),
        "later.csv",
        &format!(
            "number,customer,issued_on,currency,description,quantity,unit_price\n\
             INV-9003,Contoso Taiwan Ltd,{},TWD,Azure plan,1,25000\n",
            days(-10)
        ),
    );
    assert_ok(&cli(&db, &["invoices", "import", &invoices]));
    let s = driver.launch(&db);
    s.open_view("dunning");
    s.script(
        "document.querySelector('#dunning-as-of').value = arguments[0]",
        serde_json::json!([days(60)]),
    );
    s.find("#build-plan").click();
    let plan = s.wait_text("#dunning-plan", |t| t.contains("taken again"));
    assert!(
        plan.contains("run 1's letter on INV-9002 was never due"),
        "{plan}"
    );
    s.screenshot("dunning-level-taken-again-en.png");
    s.quit();
}
