//! The window in Traditional Chinese: its labels, remembered after a restart, and its
//! errors, which cross from Rust as codes and read in the window's language.

use super::common::Driver;
use super::risk::wizard_step;
use super::{fill, open_customers, Book};

#[test]
fn switching_to_traditional_chinese_changes_the_labels_and_is_remembered() {
    let (_book, db) = Book::demo("demo.db");
    let driver = Driver::start();

    let s = driver.launch(&db);
    // The first view: customers by risk level and the top risks.
    s.wait_text("#top-risks", |t| !t.is_empty());
    s.screenshot("dashboard-en.png");
    open_customers(&s);
    s.wait_text("#customer-rows", |t| t.contains("台北雲端科技股份有限公司"));
    assert_eq!(s.find("#nav-customers").text(), "Customers");
    s.screenshot("customers-en.png");

    s.find("#language option[value='zh-TW']").click();
    s.wait_text("#nav-customers", |t| t == "客戶");
    s.wait_text("#customer-table thead", |t| t.contains("信用額度"));
    s.wait_text("#customer-count", |t| t.contains("共 45 筆"));
    s.screenshot("customers-zh-TW.png");
    // The country column keeps the code, its name on hover.
    let first = s.find("#customer-rows td[title]");
    assert_eq!(first.text(), "NL");
    assert_eq!(first.property("title"), serde_json::json!("荷蘭（NL）"));

    // Open a customer: the checklist and subscriptions are in Chinese too, and the country
    // is named beside its code.
    s.find("a.customer-name").click();
    s.wait_text("#customer-detail", |t| {
        t.contains("開戶查核清單") && t.contains("訂閱") && t.contains("荷蘭（NL）")
    });
    s.screenshot("customer-zh-TW.png");
    s.quit();

    let s = driver.launch(&db);
    s.wait_text("#nav-customers", |t| t == "客戶");
    // The dashboard in Chinese: levels, today's list and the reasons.
    s.wait_text("#dashboard-today", |t| {
        t.contains("今日待處理") && t.contains("取消期限將至")
    });
    s.wait_text("#top-risks", |t| t.contains("未付款的訂閱仍在可取消期間內"));
    // Deadlines and days read in the language and the owner's time: "2026年12月6日 上午8:00",
    // no "2026-12-06 00:00 UTC" (a window's close) or bare ISO day beside Chinese text.
    let todo = s.find("#todo").text();
    let iso_days = riskdesk_core::test_support::iso_days(&todo);
    assert!(iso_days.is_empty() && !todo.contains("UTC"), "{todo}");
    let window = s.find("#todo li[data-kind='window']").text();
    assert!(window.contains('年') && window.contains('日'), "{window}");
    // A customer and what is due read as Chinese writes a label: "某公司：Azure plan × 1".
    assert!(window.contains('：') && !window.contains(": "), "{window}");
    s.screenshot("dashboard-zh-TW.png");

    // Errors cross from Rust as codes and read in the window's language: a rate typed with a
    // decimal comma, and a customer with a bad e-mail address.
    s.find("#nav-settings").click();
    // The backup and the audit trail's check read in Chinese too.
    s.find("#verify-audit").click();
    let audit = s.wait_text("#audit-result", |t| t.contains("稽核軌跡完整"));
    assert_no_english(&audit);
    s.screenshot("settings-storage-zh-TW.png");
    fill(&s, "#rate-from", "USD");
    fill(&s, "#rate-to", "JPY");
    fill(&s, "#rate-value", "150,25");
    s.find("#add-rate").click();
    let error = s.wait_text("#rates-error", |t| !t.is_empty());
    assert!(
        error.contains("150,25") && error.contains("小數點"),
        "{error}"
    );
    assert_no_english(&error);
    s.script(
        "document.getElementById('rates-error').scrollIntoView({ block: 'center' })",
        serde_json::json!([]),
    );
    s.screenshot("settings-rate-error-zh-TW.png");

    // How a payment arrived reads in Chinese: the demo's transfers were recorded as
    // "bank transfer", in English.
    open_customers(&s);
    fill(&s, "#customer-search", "嘉義木業");
    s.wait_text("#customer-rows", |t| {
        t.trim().starts_with("嘉義木業有限公司")
    });
    s.find("a.customer-name").click();
    s.wait_text("h1", |t| t.contains("嘉義木業有限公司"));
    s.find("#customer-payments summary").click();
    let payments = s.wait_text("#customer-payments", |t| {
        t.contains("PREPAY-Q") && t.contains("銀行轉帳")
    });
    assert_no_english(&payments.replace("PREPAY-Q", ""));

    open_customers(&s);
    s.find("#new-customer").click();
    fill(&s, "#f-legal_name", "錯誤測試有限公司");
    fill(&s, "#f-tenant_id", "1f0e0d0c-0b0a-4909-8807-060504030201");
    wizard_step(&s, 1);
    fill(&s, "#f-email", "not-an-email");
    // A limit is said with its number, in characters (201 Chinese ones are 603 bytes).
    fill(&s, "#f-contact_name", &"陳".repeat(201));
    wizard_step(&s, 5);
    s.find("#save-customer").click();
    let error = s.wait_text("#e-email", |t| !t.is_empty());
    assert!(error.contains("電子郵件"), "{error}");
    assert_no_english(&error);
    let error = s.wait_text("#e-contact_name", |t| !t.is_empty());
    assert!(error.contains("最多 200 個字元"), "{error}");
    assert_no_english(&error);
    s.screenshot("customer-error-zh-TW.png");
    s.quit();
}

/// Fails on an English word in a Chinese window's text; what a user typed (quoted), codes
/// and examples with digits or an `@` in them are not words.
fn assert_no_english(text: &str) {
    let unquoted: String = text
        .split('“')
        .map(|p| p.split_once('”').map_or(p, |(_, rest)| rest))
        .collect();
    for word in unquoted
        .split(|c: char| !(c.is_ascii_alphanumeric() || "_-.@".contains(c)))
        .filter(|w| w.len() > 1 && !w.chars().any(|c| c.is_ascii_digit() || c == '@'))
    {
        assert!(
            ["RiskDesk", "GUID", "ISO", "YYYY-MM-DD", "NT"].contains(&word),
            "English {word:?} in {text:?}"
        );
    }
}
