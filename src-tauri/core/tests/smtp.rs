//! Sending over SMTP to a real server on 127.0.0.1 (aiosmtpd, installed by the test set-up)
//! with STARTTLS or TLS under a certificate the test makes, and a login.

use std::time::Duration;

use base64::Engine;
use chrono::{TimeZone, Utc};
use riskdesk_core::error::Code;
use riskdesk_core::mail::smtp::{Mailer, Retry, Security, SmtpInput, SmtpSettings};
use riskdesk_core::mail::{self, Draft};
use riskdesk_core::test_support::smtp::{parse, Options, Server};
use riskdesk_core::Error;

fn quick() -> Retry {
    Retry {
        attempts: 3,
        pause: Duration::from_millis(50),
    }
}

fn settings(server: &Server, security: Security, user: &str) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port: server.port,
        security,
        user: user.into(),
        from: "billing@cloudbridge.example".into(),
        ca_file: server.ca_file.display().to_string(),
    }
}

fn draft(to: &str, subject: &str, n: u8) -> Draft {
    // A "PDF" with every byte value, so a byte lost or changed in transit shows.
    let mut attachment = b"%PDF-1.7\n".to_vec();
    attachment.extend((0..=255u8).cycle().take(70_000).map(|b| b ^ n));
    Draft {
        from_name: "雲橋科技有限公司".into(),
        from: "billing@cloudbridge.example".into(),
        to_name: "港都物流股份有限公司".into(),
        to: to.into(),
        subject: subject.into(),
        body: "您好：\n\n附件為通知。\n.\n..leading dots survive\n".into(),
        attachment_name: format!("2026-11-25-L{n}-港都物流.pdf"),
        attachment,
    }
}

fn wire(d: &Draft, n: u8) -> Vec<u8> {
    mail::wire(
        d,
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
        &format!("test-{n}"),
    )
}

/// A mailer for the test server over STARTTLS, logging in as `reseller`.
fn starttls_mailer(server: &Server, password: &str) -> Mailer {
    Mailer::new(
        &settings(server, Security::StartTls, "reseller"),
        Some(password),
        quick(),
    )
    .unwrap()
}

fn starttls_server(o: Options) -> Server {
    Server::start(Options {
        security: "starttls",
        user: "reseller".into(),
        password: "s3cret pass 密碼".into(),
        ..o
    })
}

/// Every message arrives once, over STARTTLS after a login, with its attachment byte for
/// byte and its subject in its language.
#[test]
fn messages_arrive_over_starttls_with_their_attachments_intact() {
    let server = starttls_server(Options::default());
    let mailer = starttls_mailer(&server, "s3cret pass 密碼");
    let drafts = [
        draft("ar@harbour.example", "停權警告：逾期款項 NT$100,000.01", 1),
        draft("ap@contoso.example", "Payment reminder: NT$1.00 overdue", 2),
    ];
    for (i, d) in drafts.iter().enumerate() {
        let reply = mailer.send(&d.to, &wire(d, i as u8)).unwrap();
        assert_eq!(reply, format!("250 2.0.0 OK queued as RD{:04}", i + 1));
    }
    let got = server.received();
    assert_eq!(got.len(), 2);
    for (g, d) in got.iter().zip(&drafts) {
        assert_eq!(g.to, vec![d.to.clone()]);
        assert!(g.tls, "sent after STARTTLS");
        let m = parse(&g.bytes);
        assert_eq!(m["subject"], d.subject);
        assert_eq!(m["unsent"], serde_json::Value::Null, "no draft marker");
        assert_eq!(
            m["body"],
            "您好：\r\n\r\n附件為通知。\r\n.\r\n..leading dots survive\r\n"
        );
        let a = &m["attachments"][0];
        assert_eq!(a["name"], d.attachment_name);
        assert_eq!(a["type"], "application/pdf");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(a["base64"].as_str().unwrap())
            .unwrap();
        assert_eq!(bytes, d.attachment, "attachment byte for byte");
    }
}

/// A customer whose letters go to its accounts payable team and its owner: one message to
/// both (the envelope and the `To` header name each), the customer's name with the first.
#[test]
fn a_message_to_several_billing_addresses_reaches_each() {
    let server = starttls_server(Options::default());
    let mailer = starttls_mailer(&server, "s3cret pass 密碼");
    let d = draft("ar@harbour.example; boss@harbour.example", "reminder", 1);
    mailer.send(&d.to, &wire(&d, 1)).unwrap();
    let got = server.received();
    assert_eq!(got.len(), 1, "one message");
    assert_eq!(got[0].to, ["ar@harbour.example", "boss@harbour.example"]);
    let m = parse(&got[0].bytes);
    assert_eq!(
        m["to"],
        "港都物流股份有限公司 <ar@harbour.example>, boss@harbour.example"
    );
    // A list with a word that is no address is refused before anything is sent.
    let bad = draft("ar@harbour.example; not an address", "x", 2);
    let f = mailer.send(&bad.to, &wire(&bad, 2)).unwrap_err();
    assert!(
        f.this_message_only && f.message.contains("not an address"),
        "{f:?}"
    );
    assert_eq!(server.received().len(), 1);
}

/// A recipient the server refuses is that message's failure, with the server's answer; the
/// next message still goes.
#[test]
fn a_refused_recipient_fails_alone() {
    let server = starttls_server(Options {
        refuse: vec!["gone@harbour.example".into()],
        ..Options::default()
    });
    let mailer = starttls_mailer(&server, "s3cret pass 密碼");
    let bad = draft("gone@harbour.example", "x", 1);
    let f = mailer.send(&bad.to, &wire(&bad, 1)).unwrap_err();
    assert!(f.this_message_only, "{f:?}");
    assert!(
        f.message.contains("550") && f.message.contains("User unknown"),
        "{}",
        f.message
    );
    let good = draft("ap@contoso.example", "y", 2);
    mailer.send(&good.to, &wire(&good, 2)).unwrap();
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, vec!["ap@contoso.example".to_string()]);
}

/// The connection cut while a message's data is in flight: the message is sent again on a
/// new connection, and every message arrives exactly once.
#[test]
fn a_dropped_connection_is_retried_and_nothing_arrives_twice() {
    let server = starttls_server(Options {
        drop_once: vec!["b@example.com".into()],
        ..Options::default()
    });
    let mailer = starttls_mailer(&server, "s3cret pass 密碼");
    for (i, to) in ["a@example.com", "b@example.com", "c@example.com"]
        .iter()
        .enumerate()
    {
        let d = draft(to, "reminder", i as u8);
        mailer.send(to, &wire(&d, i as u8)).unwrap();
    }
    let to: Vec<String> = server.received().into_iter().flat_map(|r| r.to).collect();
    assert_eq!(to, ["a@example.com", "b@example.com", "c@example.com"]);
}

/// A wrong password, or a certificate nobody vouches for, is the server's failure (the next
/// message would fare the same), not the message's.
#[test]
fn a_wrong_password_or_an_unknown_certificate_stops_at_the_server() {
    let server = starttls_server(Options::default());
    let d = draft("a@example.com", "x", 1);
    let mailer = starttls_mailer(&server, "wrong");
    let f = mailer.send(&d.to, &wire(&d, 1)).unwrap_err();
    assert!(!f.this_message_only, "{f:?}");
    assert!(f.message.contains("535"), "{}", f.message);

    let mut s = settings(&server, Security::StartTls, "reseller");
    s.ca_file.clear();
    let mailer = Mailer::new(&s, Some("s3cret pass 密碼"), quick()).unwrap();
    let f = mailer.send(&d.to, &wire(&d, 1)).unwrap_err();
    assert!(!f.this_message_only, "{f:?}");
    assert!(server.received().is_empty());

    let mailer = Mailer::new(
        &settings(&server, Security::StartTls, "reseller"),
        None,
        quick(),
    );
    assert!(
        mailer.is_err(),
        "a login without a password is refused before connecting"
    );
}

/// TLS from the first byte (port 465's way).
#[test]
fn implicit_tls_works() {
    let server = Server::start(Options {
        security: "tls",
        ..Options::default()
    });
    let mailer = Mailer::new(&settings(&server, Security::Tls, ""), None, quick()).unwrap();
    let d = draft("a@example.com", "TLS", 3);
    mailer.send(&d.to, &wire(&d, 3)).unwrap();
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].tls);
}

fn codes(e: Error) -> Vec<(String, Code)> {
    match e {
        Error::Validation(errs) => errs.into_iter().map(|e| (e.field, e.code)).collect(),
        other => panic!("{other}"),
    }
}

#[test]
fn settings_are_checked_field_by_field() {
    let ok = SmtpInput {
        host: "smtp.example.com".into(),
        port: "587".into(),
        security: "starttls".into(),
        user: "me".into(),
        from: "billing@example.com".into(),
        ca_file: String::new(),
    };
    let s = ok.parse().unwrap();
    assert_eq!((s.port, s.security), (587, Security::StartTls));

    let bad = SmtpInput {
        host: "smtp example.com".into(),
        port: "70000".into(),
        security: "ssl".into(),
        user: "me\r\nRCPT TO:<x@y>".into(),
        from: "=HYPERLINK(\"x\")".into(),
        ca_file: "/nonexistent/ca.pem".into(),
    };
    assert_eq!(
        codes(bad.parse().unwrap_err()),
        [
            ("mail.host".to_string(), Code::Invalid),
            ("mail.port".to_string(), Code::InvalidNumber),
            ("mail.security".to_string(), Code::InvalidChoice),
            ("mail.user".to_string(), Code::Invalid),
            ("mail.from".to_string(), Code::InvalidEmail),
            ("mail.ca_file".to_string(), Code::Unreadable),
        ]
    );
    // Without TLS only on this computer.
    let plain = SmtpInput {
        security: "none".into(),
        ..ok.clone()
    };
    assert_eq!(
        codes(plain.parse().unwrap_err()),
        [("mail.security".to_string(), Code::Invalid)]
    );
    for host in ["127.0.0.1", "localhost", "[::1]"] {
        let local = SmtpInput {
            host: host.into(),
            security: "none".into(),
            ..ok.clone()
        };
        assert_eq!(local.parse().unwrap().security, Security::None);
    }
    let empty = SmtpInput::default();
    let fields: Vec<String> = codes(empty.parse().unwrap_err())
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        fields,
        ["mail.host", "mail.port", "mail.security", "mail.from"]
    );
}
