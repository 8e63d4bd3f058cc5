//! A dunning run's letters and a customer's documents sent over SMTP to a real server on
//! 127.0.0.1 (aiosmtpd, STARTTLS, a login), on the demo company: each letter arrives once
//! with the run's own PDF and the subject in the customer's language; a refused recipient is
//! listed and the rest go; a dropped connection is retried without a second copy; sending
//! again sends nothing unless asked; the log says it all.

use std::time::Duration;

use base64::Engine;
use riskdesk_core::collections;
use riskdesk_core::ids::RunId;
use riskdesk_core::mail::smtp::{Mailer, Retry, Security, SmtpSettings};
use riskdesk_core::mail::MailKind;
use riskdesk_core::test_support::smtp::{parse, Options, Server};

use super::documents::DocumentRequest;
use super::tests::{ctx, fixture, host, run_as_planned};
use super::{dunning, mail};
use crate::mail_out::{self, ConnBook, Status};

/// The test server's settings: STARTTLS with a login, its own certificate authority.
fn settings(server: &Server) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port: server.port,
        security: Security::StartTls,
        user: "reseller".into(),
        from: "billing@cloudbridge.example".into(),
        ca_file: server.ca_file.display().to_string(),
    }
}

fn server(o: Options) -> (Server, Mailer) {
    let server = Server::start(Options {
        security: "starttls",
        user: "reseller".into(),
        password: "pw".into(),
        ..o
    });
    let retry = Retry {
        attempts: 3,
        pause: Duration::from_millis(50),
    };
    let mailer = Mailer::new(&settings(&server), Some("pw"), retry).unwrap();
    (server, mailer)
}

/// Sends `items` through `mailer`, logging in `conn`.
fn send(
    conn: &mut rusqlite::Connection,
    items: &[mail_out::Outgoing],
    mailer: &Mailer,
    again: bool,
) -> Vec<mail_out::Outcome> {
    let mut book = ConnBook { conn, clock: ctx };
    mail_out::send_all(items, mailer, again, ctx().now, &mut book, &mut |_, _| {}).unwrap()
}

fn attachment(m: &serde_json::Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(m["attachments"][0]["base64"].as_str().unwrap())
        .unwrap()
}

#[test]
fn a_run_s_letters_reach_the_server_once_each_and_the_log_proves_it() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let result = run_as_planned(&mut h, "2026-11-25");
    let run = collections::run_record(h.conn, RunId(1)).unwrap();
    let (items, _) = mail_out::run_items(&run).unwrap();
    assert!(items.len() >= 3, "the demo run has letters to send");
    let refused = items[0].draft.to.clone();
    let dropped = items[1].draft.to.clone();
    let (server, mailer) = server(Options {
        refuse: vec![refused.clone()],
        drop_once: vec![dropped.clone()],
        ..Options::default()
    });
    let mut seen = Vec::new();
    let outcomes = mail_out::send_all(
        &items,
        &mailer,
        false,
        ctx().now,
        &mut ConnBook {
            conn: h.conn,
            clock: ctx,
        },
        &mut |done, total| seen.push((done, total)),
    )
    .unwrap();
    assert_eq!(seen.last(), Some(&(items.len(), items.len())));
    assert_eq!(outcomes[0].status, Status::Failed);
    assert!(outcomes[0].reply.contains("550"), "{}", outcomes[0].reply);
    assert!(
        outcomes[1..].iter().all(|o| o.status == Status::Sent),
        "{outcomes:?}"
    );

    // Each letter sent arrived once, with the run's own file byte for byte.
    let got = server.received();
    assert_eq!(got.len(), items.len() - 1);
    let to: Vec<&str> = got.iter().map(|g| g.to[0].as_str()).collect();
    assert_eq!(
        to.iter().filter(|t| **t == dropped).count(),
        1,
        "the dropped one once"
    );
    for (g, item) in got.iter().zip(&items[1..]) {
        assert!(g.tls);
        let m = parse(&g.bytes);
        assert_eq!(m["subject"], item.draft.subject);
        assert!(result.files.contains(&item.draft.attachment_name));
        let file = std::path::Path::new(&result.folder).join(&item.draft.attachment_name);
        assert_eq!(
            attachment(&m),
            std::fs::read(&file).unwrap(),
            "{}",
            file.display()
        );
        let zh = run
            .letters()
            .find(|c| c.customer.id == item.customer_id)
            .unwrap()
            .customer
            .fields
            .language
            == riskdesk_core::customer::Language::ZhTw;
        let subject = m["subject"].as_str().unwrap();
        // The Chinese texts use the full-width colon, the English ones the ASCII one.
        assert_eq!(subject.contains('：'), zh, "{subject}");
        assert_eq!(subject.contains(": "), !zh, "{subject}");
    }

    // The log: one failure, one sent row per letter with the server's queue id.
    let log = riskdesk_core::mail::log(h.conn, Some(1), None).unwrap();
    let sent: Vec<_> = log.iter().filter(|r| r.kind == MailKind::Sent).collect();
    assert_eq!(sent.len(), items.len() - 1);
    assert!(sent.iter().all(|r| r.reply.contains("queued as RD")));
    assert_eq!(log.iter().filter(|r| r.kind == MailKind::Failed).count(), 1);
    let status = riskdesk_core::mail::run_status(h.conn, 1).unwrap();
    assert_eq!((status.sent, status.failed), (items.len() as i64 - 1, 1));
    let rows = dunning::runs(h.conn).unwrap();
    assert_eq!(rows[0].mail, status);

    // Again: what was sent is not sent twice; the failed one is tried (refused again).
    let outcomes = send(h.conn, &items, &mailer, false);
    assert_eq!(outcomes[0].status, Status::Failed);
    assert!(outcomes[1..]
        .iter()
        .all(|o| o.status == Status::AlreadySent));
    assert_eq!(
        server.received().len(),
        items.len() - 1,
        "nothing new arrived"
    );

    // When the owner asks, again it is.
    send(h.conn, &items[1..2], &mailer, true);
    assert_eq!(server.received().len(), items.len());

    // The log is append-only.
    assert!(h.conn.execute("DELETE FROM mail_log", []).is_err());
    assert!(h
        .conn
        .execute("UPDATE mail_log SET reply = ''", [])
        .is_err());
}

/// The server failing (a wrong password) stops the run: the first letter fails, the rest
/// are listed as not attempted and logged as nothing.
#[test]
fn a_server_failure_stops_the_run_and_leaves_the_rest_to_retry() {
    let mut f = fixture();
    let mut h = host(&mut f);
    run_as_planned(&mut h, "2026-11-25");
    let run = collections::run_record(h.conn, RunId(1)).unwrap();
    let (items, _) = mail_out::run_items(&run).unwrap();
    let (server, _) = server(Options::default());
    let wrong = Mailer::new(
        &settings(&server),
        Some("wrong"),
        Retry {
            attempts: 1,
            pause: Duration::ZERO,
        },
    )
    .unwrap();
    let outcomes = send(h.conn, &items, &wrong, false);
    assert_eq!(outcomes[0].status, Status::Failed);
    assert!(outcomes[0].reply.contains("535"));
    assert!(outcomes[1..]
        .iter()
        .all(|o| o.status == Status::NotAttempted));
    assert_eq!(
        riskdesk_core::mail::log(h.conn, Some(1), None)
            .unwrap()
            .len(),
        1
    );
    assert!(server.received().is_empty());
}

/// A statement by e-mail: to the billing e-mail, in the customer's language, the PDF
/// attached; the same statement is not sent twice unless asked.
#[test]
fn a_statement_is_sent_once_to_the_customer() {
    let mut f = fixture();
    let customer: i64 = f
        .conn
        .query_row(
            "SELECT id FROM customers WHERE email <> '' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut h = host(&mut f);
    let request = DocumentRequest {
        kind: "statement".into(),
        customer_id: customer,
        as_of: ctx().today.to_string(),
        lang: String::new(),
        plan_id: 0,
    };
    let (server, mailer) = server(Options::default());
    let statuses: Vec<Status> = [false, false, true]
        .into_iter()
        .map(|again| {
            let item = mail::document_item(&mut h, &request).unwrap();
            send(h.conn, std::slice::from_ref(&item), &mailer, again)[0].status
        })
        .collect();
    assert_eq!(statuses, [Status::Sent, Status::AlreadySent, Status::Sent]);
    let got = server.received();
    assert_eq!(got.len(), 2, "sent, not sent twice, sent when asked");
    let item = mail::document_item(&mut h, &request).unwrap();
    let m = parse(&got[0].bytes);
    assert_eq!(m["subject"], item.draft.subject);
    assert_eq!(attachment(&m), item.draft.attachment);
    let risk = DocumentRequest {
        kind: "portfolio".into(),
        ..request
    };
    assert!(mail::document_item(&mut h, &risk).is_err());
}
