//! Letters out by e-mail through the window: the SMTP server set in Settings (STARTTLS under
//! the test's own certificate authority), a test message, then a run's letters sent from the
//! run history to a real server on 127.0.0.1, and the history saying so after a restart.

use riskdesk_core::test_support::smtp::{Options, Server};

use super::common::{assert_ok, cli_os as cli, Driver};
use super::{fill, Book};

#[test]
fn a_run_s_letters_are_sent_by_e_mail_from_the_run_history() {
    let server = Server::start(Options {
        security: "starttls",
        ..Options::default()
    });
    let (book, db) = Book::demo("mail.db");
    let letters = book.dir.path().join("letters");
    assert_ok(&cli(
        &db,
        &["dunning", "run", "--out", letters.to_str().unwrap()],
    ));

    let driver = Driver::start();
    let s = driver.launch(&db);
    s.open_view("settings");
    fill(&s, "#mail-host", "127.0.0.1");
    fill(&s, "#mail-port", &server.port.to_string());
    s.find("#mail-security option[value='starttls']").click();
    fill(&s, "#mail-from", "billing@cloudbridge.example");
    fill(&s, "#mail-ca_file", &server.ca_file.display().to_string());
    s.find("#save-mail").click();
    s.wait_text("#toast", |t| t.contains("Saved"));
    fill(&s, "#mail-test-to", "owner@cloudbridge.example");
    s.find("#mail-test").click();
    s.wait_text("#mail-test-result", |t| t.contains("queued as RD0001"));
    s.script(
        "document.querySelector('#mail-settings').scrollIntoView();",
        serde_json::json!([]),
    );
    s.screenshot("mail-settings-en.png");

    s.find("#nav-dunning").click();
    s.find("#history-rows tr[data-id='1'] button.send-mail")
        .click();
    s.find("#dialog-ok").click();
    let summary = s.wait_text("#mail-summary", |t| t.contains("sent,"));
    let rows = s.find_all("#mail-rows tr[data-status='sent']").len();
    assert!(rows >= 3, "{summary}");
    assert!(
        summary.starts_with(&format!("{rows} sent, 0 sent before")),
        "{summary}"
    );
    assert_eq!(
        server.received().len(),
        rows + 1,
        "the test message and one per letter"
    );
    s.wait_text("#history-rows tr[data-id='1']", |t| {
        t.contains(&format!("{rows} e-mailed"))
    });
    s.screenshot("mail-sent-en.png");
    // The run's mail log: each letter sent, with the server's answer.
    s.find("#history-rows tr[data-id='1'] button.mail-log")
        .click();
    s.wait_text("#run-mail-rows", |t| t.contains("queued as RD0002"));
    assert_eq!(
        s.find_all("#run-mail-rows tr[data-kind='sent']").len(),
        rows
    );
    s.quit();

    // After a restart the history still says so; sending again sends nothing new.
    let s = driver.launch(&db);
    s.open_view("dunning");
    s.wait_text("#history-rows tr[data-id='1']", |t| {
        t.contains(&format!("{rows} e-mailed"))
    });
    s.find("#history-rows tr[data-id='1'] button.send-mail")
        .click();
    s.find("#dialog-ok").click();
    s.wait_text("#mail-summary", |t| {
        t.starts_with(&format!("0 sent, {rows} sent before"))
    });
    assert_eq!(server.received().len(), rows + 1);
    s.quit();
}
