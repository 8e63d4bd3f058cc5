//! `riskdesk dunning send RUN --drafts DIR` and `riskdesk mail log` through the real binary: a
//! draft per customer with a letter, to its e-mail, its letter attached byte for byte (read
//! back by Python's `email` package), in the customer's language, and every draft logged.

use crate::common::{
    assert_ok, assert_refused, assert_says, cli, cli_ok, cli_stdin, demo_book, stdout,
};

#[test]
fn a_run_s_letters_become_e_mail_drafts_with_the_letter_attached_and_logged() {
    let (dir, db) = demo_book("mail.db");
    let letters = dir.path().join("letters");
    cli_ok(&db, &["dunning", "run", "--out", letters.to_str().unwrap()]);
    let drafts = dir.path().join("drafts");
    let out = cli_ok(
        &db,
        &["dunning", "send", "1", "--drafts", drafts.to_str().unwrap()],
    );
    let emls: Vec<std::path::PathBuf> = std::fs::read_dir(&drafts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    assert!(emls.len() >= 3, "{}", stdout(&out));
    let run_folder = std::fs::read_dir(&letters)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let script = r#"
import email, email.policy, sys, hashlib, json
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
a = list(m.iter_attachments())[0]
print(json.dumps({'subject': str(m['subject']), 'to': str(m['to']), 'name': a.get_filename(),
  'sha': hashlib.sha256(a.get_content()).hexdigest(),
  'body': m.get_body(preferencelist=('plain',)).get_content()}, ensure_ascii=False))
"#;
    let mut chinese = 0;
    for eml in &emls {
        let out = std::process::Command::new("python3")
            .args(["-c", script, eml.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // The attachment is the run's own letter, byte for byte.
        let pdf = std::fs::read(run_folder.join(v["name"].as_str().unwrap())).unwrap();
        let sha = riskdesk_core::mail::sha256_hex(&pdf);
        assert_eq!(v["sha"], sha.as_str(), "{}", eml.display());
        assert!(v["to"].as_str().unwrap().contains('@'));
        if v["body"].as_str().unwrap().contains("您好") {
            chinese += 1;
            assert!(v["subject"].as_str().unwrap().contains("逾期款項"), "{v}");
            // The letter is named once, as a letter: "寄出的信函「停權通知」", never
            // "「停權通知」通知".
            let body = v["body"].as_str().unwrap();
            assert!(
                body.contains("逾期發票寄出的信函「") && !body.contains("」通知"),
                "{v}"
            );
        }
    }
    assert!(
        chinese > 0,
        "the Taiwanese customers' drafts are in Chinese"
    );
    let log: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["mail", "log", "--json"]).stdout).unwrap();
    assert_eq!(log.as_array().unwrap().len(), emls.len());
    assert_eq!(log[0]["kind"], "draft");
    assert_eq!(log[0]["attachment_sha256"].as_str().unwrap().len(), 64);
    // Without --drafts it goes over SMTP: with no server set, refused, saying what to set.
    let out = cli(&db, &["dunning", "send", "1"]);
    assert_refused(&out, "mail set");
}

/// `riskdesk mail set` (the password from standard input, into the keychain), `mail test`,
/// then `dunning send RUN` over STARTTLS with a login to a real server: every letter arrives
/// once, logged with the server's queue id; sent again, nothing new arrives.
#[test]
fn a_run_s_letters_go_over_smtp_once() {
    use riskdesk_core::test_support::smtp::{Options, Server};
    let server = Server::start(Options {
        security: "starttls",
        user: "reseller".into(),
        password: "p@ss wörd".into(),
        ..Options::default()
    });
    let (dir, db) = demo_book("smtp.db");
    let port = server.port.to_string();
    let ca = server.ca_file.display().to_string();
    let set = [
        "mail",
        "set",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--security",
        "starttls",
        "--user",
        "reseller",
        "--from",
        "billing@cloudbridge.example",
        "--ca-file",
        &ca,
    ];
    // No password on standard input: refused, nothing saved.
    let out = cli_stdin(&db, &set, "");
    assert_refused(&out, "password");
    let out = cli_stdin(&db, &set, "p@ss wörd\n");
    assert_ok(&out);
    assert!(
        !stdout(&out).contains("wörd"),
        "the password is never printed"
    );
    // The password is in the (test) keychain, not in the book.
    let secrets: Vec<String> = std::fs::read_dir(crate::common::test_keychain(&db))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
        .collect();
    assert!(secrets.iter().any(|s| s == "p@ss wörd"), "{secrets:?}");
    // Plain text to another computer: refused, named.
    let mut plain = set;
    plain[3] = "smtp.example.com";
    plain[7] = "none";
    let out = cli_stdin(&db, &plain, "x\n");
    assert_refused(&out, "mail.security");

    let out = cli_ok(&db, &["mail", "test", "--to", "owner@cloudbridge.example"]);
    assert_says(&out, "queued as RD0001");

    let letters = dir.path().join("letters");
    cli_ok(&db, &["dunning", "run", "--out", letters.to_str().unwrap()]);
    let out = cli_ok(&db, &["dunning", "send", "1"]);
    let received = server.received();
    let letters_sent = received.len() - 1;
    assert!(letters_sent >= 3, "{}", stdout(&out));
    assert_says(
        &out,
        &format!("{letters_sent} sent, 0 already sent before, 0 failed"),
    );
    let log: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["mail", "log", "--json"]).stdout).unwrap();
    let sent: Vec<&serde_json::Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "sent")
        .collect();
    assert_eq!(sent.len(), letters_sent);
    assert!(sent
        .iter()
        .all(|r| r["reply"].as_str().unwrap().contains("queued as RD")));
    let of_run: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["mail", "log", "--run", "1", "--json"]).stdout).unwrap();
    assert_eq!(
        of_run.as_array().unwrap().len(),
        letters_sent,
        "the test message is no run's"
    );
    let text = stdout(&cli(&db, &["mail", "log"]));
    assert!(
        text.contains("sent") && text.contains("queued as"),
        "{text}"
    );

    // Sent again: nothing new arrives; with --again, every letter once more.
    let out = cli_ok(&db, &["dunning", "send", "1"]);
    assert_says(&out, &format!("0 sent, {letters_sent} already sent before"));
    assert_eq!(server.received().len(), letters_sent + 1);
    cli_ok(&db, &["dunning", "send", "1", "--again"]);
    assert_eq!(server.received().len(), 2 * letters_sent + 1);
}
