//! `riskdesk dunning send RUN --drafts DIR` and `riskdesk mail log` through the real binary: a
//! draft per customer with a letter, to its e-mail, its letter attached byte for byte (read
//! back by Python's `email` package), in the customer's language, and every draft logged.

use crate::common::{cli, stderr, stdout};

#[test]
fn a_run_s_letters_become_e_mail_drafts_with_the_letter_attached_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mail.db");
    assert!(cli(&db, &["demo"]).status.success());
    let letters = dir.path().join("letters");
    let out = cli(&db, &["dunning", "run", "--out", letters.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let drafts = dir.path().join("drafts");
    let out = cli(
        &db,
        &["dunning", "send", "1", "--drafts", drafts.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
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
        use sha2::Digest;
        let sha: String = sha2::Sha256::digest(&pdf)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(v["sha"], sha.as_str(), "{}", eml.display());
        assert!(v["to"].as_str().unwrap().contains('@'));
        if v["body"].as_str().unwrap().contains("您好") {
            chinese += 1;
            assert!(v["subject"].as_str().unwrap().contains("逾期款項"), "{v}");
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
    // Without --drafts there is nothing to do yet (SMTP is not built): refused, named.
    let out = cli(&db, &["dunning", "send", "1"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--drafts"), "{}", stderr(&out));
}
