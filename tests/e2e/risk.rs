//! The window's risk desk: the new-customer wizard, the dashboard's agenda and the risk
//! settings with their preview.

use super::common::{cli_os as cli, Driver, Session};
use super::{fill, open_customers, Book};

/// Goes to step `n` of the new-customer wizard (0 company, 1 contact, 2 payment, 3 access,
/// 4 checks, 5 review) with its Next and Back buttons.
pub(crate) fn wizard_step(s: &Session, n: i64) {
    for _ in 0..12 {
        let at = s
            .script(
                "return [...document.querySelectorAll('.wizard-step')].findIndex(x => !x.hidden)",
                serde_json::json!([]),
            )
            .as_i64()
            .unwrap();
        if at == n {
            return;
        }
        s.find(if at < n {
            "#wizard-next"
        } else {
            "#wizard-back"
        })
        .click();
    }
    panic!("the wizard did not reach step {n}");
}

#[test]
fn the_wizard_walks_the_checklist_and_an_active_customer_needs_no_override() {
    let (_book, db) = Book::empty("wizard.db");
    let driver = Driver::start();
    let s = driver.launch(&db);
    open_customers(&s);
    s.find("#new-customer").click();
    fill(&s, "#f-legal_name", "Checked Trading Co.");
    // The country by its name: kept as its code.
    fill(&s, "#f-country", "Japan");
    wizard_step(&s, 3);
    s.script(
        "document.getElementById('f-status').value = 'active';",
        serde_json::json!([]),
    );
    wizard_step(&s, 5);
    // The review names what is still missing.
    let missing = s.wait_text("#wizard-missing", |t| !t.is_empty());
    assert!(missing.contains("Checks still missing"), "{missing}");
    wizard_step(&s, 4);
    fill(&s, "#w-done-by", "Owner");
    for item in [
        "phone_contact",
        "credit_check",
        "mfa",
        "identity_verified",
        "policy_acknowledged",
    ] {
        s.find(&format!("#w-check-{item}")).click();
    }
    fill(&s, "#w-ref-credit_check", "TCRI-2026-0042");
    wizard_step(&s, 5);
    s.wait_text("#wizard-missing", |t| {
        t.contains("Every required check is done")
    });
    s.screenshot("wizard-review-en.png");
    s.find("#save-customer").click();
    let title = s.wait_text("#customer-title", |t| t.contains("Checked Trading"));
    assert!(title.contains("Active"), "{title}");
    s.wait_text("#customer-detail", |t| t.contains("Japan (JP)"));
    s.wait_text("#checklist", |t| t.contains("TCRI-2026-0042"));
    // An admin relationship (GDAP) with the Global Administrator role, on record.
    s.find("#add-admin-relationship").click();
    fill(&s, "#d-name", "Onboarding access");
    s.find("#d-global_admin").click();
    s.find("#dialog-ok").click();
    let rows = s.wait_text("#admin-rows", |t| t.contains("Onboarding access"));
    assert!(
        rows.contains("Global Administrator") && rows.contains("In force"),
        "{rows}"
    );
    s.quit();
}

#[test]
fn the_dashboard_ranks_the_planted_risks_first_and_an_action_is_marked_done() {
    let (_book, db) = Book::demo("dash.db");
    let driver = Driver::start();
    let s = driver.launch(&db);
    s.wait_text("#top-risks", |t| t.contains("Apex Cloud"));
    // The planted risks fill the top; no honest customer is above medium.
    let levels = s.script(
        "return [...document.querySelectorAll('#top-risks tr')].map(r => r.dataset.level)",
        serde_json::json!([]),
    );
    let levels: Vec<&str> = levels
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let high = levels
        .iter()
        .take_while(|l| matches!(**l, "critical" | "high"))
        .count();
    assert!(high >= 10, "{levels:?}");
    assert!(levels[high..]
        .iter()
        .all(|l| matches!(*l, "medium" | "low")));
    // A window closing on an unpaid purchase is on today's list; marked done, it leaves it.
    let todo = s.wait_text("#todo", |t| t.contains("Window closing"));
    assert!(todo.contains("Nimbus Startup Studio"), "{todo}");
    s.screenshot("dashboard-en.png");
    let before = s.find_all("#todo li[data-kind]").len();
    s.find("#todo li[data-kind='window'] button").click();
    fill(&s, "#d-done-note", "Called: they pay by transfer today.");
    s.find("#dialog-ok").click();
    s.wait_text("#dashboard-today h2", |t| {
        t.contains(&(before - 1).to_string())
    });
    assert_eq!(s.find_all("#todo li[data-kind]").len(), before - 1);

    // The Risk card of the unpaid purchase: the window, the factors, the score's chart.
    s.script(
        "[...document.querySelectorAll('#top-risks a')].find(a => a.textContent.includes('Nimbus')).click()",
        serde_json::json!([]),
    );
    let card = s.wait_text("#customer-risk", |t| t.contains("hours left to cancel"));
    assert!(
        card.contains("rest of committed terms S$8,250.00"),
        "{card}"
    );
    // The window closes at a time written as the owner reads times ("Dec 7, 2026, 12:00 AM"
    // here in UTC), not an RFC 3339 stamp.
    let closes = card
        .split_once("Collect payment or cancel before ")
        .and_then(|(_, rest)| rest.split_once(".+"))
        .map(|(when, _)| when)
        .unwrap_or_else(|| panic!("no closing time in {card}"));
    assert!(
        closes.chars().any(|c| c.is_ascii_digit())
            && !closes.contains('-')
            && !closes.contains("UTC"),
        "{closes}"
    );
    s.find("#risk-history polyline");
    // Only the card, for the picture (the page scrolls inside its own container).
    let hidden = s.script(
        "const els = [...document.querySelectorAll('#customer-detail > :not(#customer-risk)')]; \
         els.forEach(e => e.style.display = 'none'); return els.length",
        serde_json::json!([]),
    );
    assert!(hidden.as_i64().unwrap() > 0);
    s.screenshot("customer-risk-card-en.png");

    // Settings: emptying the high-risk list previews one customer moving down, then saves.
    s.find("#nav-settings").click();
    s.wait_text("#risk-settings", |t| t.contains("Risk and onboarding"));
    // The list's codes are named beside it.
    s.wait_text("#s-countries-named", |t| t == "Nigeria (NG)");
    s.script(
        "const i = document.getElementById('s-risk-high_risk_countries'); \
         if (i.value !== 'NG') throw new Error(i.value); i.value = '';",
        serde_json::json!([]),
    );
    s.find("#preview-risk").click();
    let preview = s.wait_text("#risk-preview", |t| !t.is_empty());
    assert!(preview.contains("1 from High to Medium"), "{preview}");
    s.screenshot("settings-risk-preview-en.png");
    s.find("#save-risk").click();
    s.wait_text("#risk-preview", |t| t.is_empty());

    // Exchange rates: a rate typed with a comma is refused by Rust with its field named;
    // typed right, it is listed (and kept: the CLI sees it below).
    let card = s.wait_text("#rates-settings", |t| t.contains("Exchange rates"));
    assert!(card.contains("Reference currency"), "{card}");
    let reference = s.find("#s-usage-reference_currency").property("value");
    assert_eq!(reference, serde_json::json!("USD"));
    fill(&s, "#rate-from", "USD");
    fill(&s, "#rate-to", "JPY");
    fill(&s, "#rate-value", "150,25");
    s.find("#add-rate").click();
    let error = s.wait_text("#rates-error", |t| !t.is_empty());
    assert!(error.contains("150,25"), "{error}");
    fill(&s, "#rate-value", "150.25");
    fill(&s, "#rate-note", "<b>bank's rate</b>");
    s.find("#add-rate").click();
    let rows = s.wait_text("#rates-body", |t| t.contains("150.25"));
    assert!(rows.contains("<b>bank's rate</b>"), "{rows}");
    s.script(
        "document.getElementById('rates-body').scrollIntoView({ block: 'center' })",
        serde_json::json!([]),
    );
    s.screenshot("settings-rates-en.png");
    s.quit();
    let rates = cli(&db, &["rates", "list"]);
    assert!(
        String::from_utf8_lossy(&rates.stdout).contains("1 USD = 150.25 JPY"),
        "{}",
        String::from_utf8_lossy(&rates.stdout)
    );
    let out = cli(&db, &["settings", "list"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("risk.high_risk_countries = \n"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let audit = cli(&db, &["audit", "verify"]);
    assert!(audit.status.success());
}

#[test]
fn a_prepaid_card_is_refused_in_the_form_and_saved_only_with_a_reason() {
    let (_book, db) = Book::empty("onboarding.db");
    let driver = Driver::start();
    let s = driver.launch(&db);
    open_customers(&s);
    s.find("#new-customer").click();
    fill(&s, "#f-legal_name", "Prepaid Trading Co.");
    s.script(
        "const i = document.getElementById('f-payment_instrument'); i.value = 'prepaid_card';",
        serde_json::json!([]),
    );
    wizard_step(&s, 5);
    s.find("#save-customer").click();
    // The refusal, with its reason, and a way to override it.
    let refusal = s.wait_text("#override-refusal", |t| !t.is_empty());
    assert!(refusal.to_lowercase().contains("prepaid"), "{refusal}");
    s.find("#dialog-cancel").click();
    // The wizard goes back to the payment step, where the refusal is explained.
    s.wait_text("#e-payment_instrument", |t| t.contains("refused"));
    // Saved with a reason; the override is in the audit trail.
    wizard_step(&s, 5);
    s.find("#save-customer").click();
    fill(
        &s,
        "#override-reason",
        "Owner's own card, verified by a call-back.",
    );
    s.find("#dialog-ok").click();
    s.wait_text("#customer-title", |t| t.contains("Prepaid Trading"));
    s.screenshot("onboarding-override-en.png");
    s.quit();
    let audit = cli(&db, &["audit", "verify"]);
    assert!(audit.status.success());
}
