//! E-mail drafts: an RFC 5322 message with the document attached (MIME), written as an `.eml`
//! file the owner's mail program opens (Outlook, Apple Mail, Thunderbird) and sends. Nothing
//! leaves the computer. Every draft written is logged, with the SHA-256 of its attachment,
//! in the mail log, which is part of the audit trail.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};

use crate::collections::policies::Level;
use crate::customer::Language;

mod log;
pub mod smtp;

pub use log::{
    already_sent, log, log_draft, log_sending, run_status, sha256_hex, Document, MailKind,
    MailLogRow, RunMailStatus,
};

/// One message: who sends it to whom, what it says, and the document it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub from_name: String,
    pub from: String,
    pub to_name: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attachment_name: String,
    pub attachment: Vec<u8>,
}

/// Text for a header: no line breaks (a header cannot be injected), as one line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Whether a header's text goes as it is: printable ASCII that a reader would not take
/// for an encoded word (`=?`).
fn plain_ascii(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b)) && !text.contains("=?")
}

/// Plain text folded before a space where a line would pass 78 characters with the
/// header's name (`Subject: `) in front (RFC 5322 2.2.3: unfolding gives the same text; a
/// word longer than a line stays whole).
fn folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut line = "Subject: ".len();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            if line + 1 + word.len() > 78 && line > 1 {
                out.push_str("\r\n");
                line = 0;
            }
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

/// A header value: plain ASCII as it is (folded), else RFC 2047 encoded words (UTF-8,
/// base64), each short enough for a 78-character line and never splitting a character.
fn header_text(text: &str) -> String {
    let text = one_line(text);
    if plain_ascii(&text) {
        return folded(&text);
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        // 39 bytes are 52 in base64, 64 with the word's frame: a line of 76 with the
        // header's name (`Subject: `) before it.
        if chunk.len() + c.len_utf8() > 39 {
            words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// The addresses a draft goes to: its `to` is one address or several separated by `;` or
/// `,` (a customer's billing e-mails).
pub fn recipients(to: &str) -> Vec<&str> {
    to.split([';', ','])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect()
}

/// The `To` header's value: the name with the first address, the others after it.
fn to_header(name: &str, to: &str) -> String {
    let all = recipients(to);
    let Some((first, rest)) = all.split_first() else {
        return mailbox(name, to);
    };
    let mut out = mailbox(name, first);
    for address in rest {
        out.push_str(",\r\n ");
        out.push_str(&mailbox("", address));
    }
    out
}

fn mailbox(name: &str, address: &str) -> String {
    let address = one_line(address);
    if name.trim().is_empty() {
        return format!("<{address}>");
    }
    // The name as a phrase (RFC 5322 3.2.5): its runs of plain words as quoted strings, their
    // quotes and backslashes escaped, so a name with a comma or a colon stays one name; its
    // runs with other characters as encoded words (RFC 2047 5.3). The space between a run
    // and the next is kept by every reader, where one between two encoded words is not.
    let name = one_line(name);
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut parts: Vec<String> = Vec::new();
    for run in words.chunk_by(|a, b| plain_ascii(a) == plain_ascii(b)) {
        let text = run.join(" ");
        parts.push(if plain_ascii(&text) {
            format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
        } else {
            header_text(&text)
        });
    }
    parts.push(format!("<{address}>"));
    // Folded before a part that would take a line past 78 characters with the header's name
    // (`From: `) in front.
    let mut out = String::new();
    let mut line = "From: ".len();
    for part in parts {
        if !out.is_empty() {
            let first = part.split("\r\n").next().unwrap_or(&part).len();
            if line + 1 + first > 78 {
                out.push_str("\r\n");
                line = 0;
            }
            out.push(' ');
            line += 1;
        }
        out.push_str(&part);
        line = match part.rsplit_once("\r\n") {
            Some((_, last)) => last.len(),
            None => line + part.len(),
        };
    }
    out
}

/// Base64 in lines of 76 characters, CRLF-ended.
fn base64_lines(bytes: &[u8]) -> String {
    let text = STANDARD.encode(bytes);
    let mut out = String::with_capacity(text.len() + text.len() / 38);
    for (i, c) in text.chars().enumerate() {
        if i > 0 && i % 76 == 0 {
            out.push_str("\r\n");
        }
        out.push(c);
    }
    out.push_str("\r\n");
    out
}

/// RFC 2231's `filename*`: UTF-8, percent-encoded.
fn filename_param(name: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in one_line(name).bytes() {
        if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The message as an `.eml` file: headers, the text, the attachment. `X-Unsent` makes
/// Outlook open it as a message to send.
pub fn eml(d: &Draft, date: DateTime<Utc>, id: &str) -> Vec<u8> {
    message(d, date, id, true)
}

/// The message as it goes to an SMTP server: the draft's bytes without `X-Unsent`, its
/// Message-ID in the sender's domain.
pub fn wire(d: &Draft, date: DateTime<Utc>, id: &str) -> Vec<u8> {
    message(d, date, id, false)
}

fn message(d: &Draft, date: DateTime<Utc>, id: &str, draft: bool) -> Vec<u8> {
    let boundary = format!("RiskDesk-{id}");
    let body = d.body.replace("\r\n", "\n").replace('\n', "\r\n");
    let mut m = String::new();
    m.push_str(&format!("From: {}\r\n", mailbox(&d.from_name, &d.from)));
    m.push_str(&format!("To: {}\r\n", to_header(&d.to_name, &d.to)));
    m.push_str(&format!("Subject: {}\r\n", header_text(&d.subject)));
    m.push_str(&format!(
        "Date: {}\r\n",
        date.format("%a, %d %b %Y %H:%M:%S +0000")
    ));
    let domain = match d.from.rsplit_once('@') {
        Some((_, domain)) if !draft && !domain.trim().is_empty() => one_line(domain),
        _ => "riskdesk.invalid".to_string(),
    };
    m.push_str(&format!("Message-ID: <{id}@{domain}>\r\n"));
    m.push_str("MIME-Version: 1.0\r\n");
    if draft {
        m.push_str("X-Unsent: 1\r\n");
    }
    if d.attachment_name.is_empty() {
        // A message without a document (the settings' test message): the text alone.
        m.push_str(
            "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
        );
        m.push_str(&base64_lines(body.as_bytes()));
        return m.into_bytes();
    }
    m.push_str(&format!(
        "Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
    ));
    m.push_str(&format!("--{boundary}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"));
    m.push_str(&base64_lines(body.as_bytes()));
    m.push_str(&format!(
        "--{boundary}\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*={}\r\nContent-Transfer-Encoding: base64\r\n\r\n",
        filename_param(&d.attachment_name)
    ));
    m.push_str(&base64_lines(&d.attachment));
    m.push_str(&format!("--{boundary}--\r\n"));
    m.into_bytes()
}

/// A level's e-mail in `lang` with the letter's placeholders filled: (subject, body).
pub fn level_email(
    level: &Level,
    lang: Language,
    customer: &str,
    amount: &str,
    deadline: &str,
    reseller: &str,
) -> (String, String) {
    let (subject, body) = level.email(lang);
    let fill = |t: &str| {
        crate::collections::fill_letter(t, customer, amount, deadline, reseller)
            .replace("{level}", level.name(lang))
    };
    (one_line(&fill(subject)), fill(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn draft() -> Draft {
        Draft {
            from_name: "雲橋科技有限公司 CloudBridge Ltd.".into(),
            from: "billing@cloudbridge.example".into(),
            to_name: "港都物流股份有限公司".into(),
            to: "ar@harbour.example".into(),
            subject:
                "停權警告：逾期款項 NT$100,000.01－雲橋科技有限公司\r\nBcc: everyone@example.com"
                    .into(),
            body: "港都物流 您好：\n\n附件為通知。\n".into(),
            attachment_name: "2026-11-25-L3-00001-港都物流.pdf".into(),
            attachment: b"%PDF-1.7\nnot really a pdf but bytes \x00\xff\x10".to_vec(),
        }
    }

    /// Python's `email` package reads the draft back: the headers decoded, the text and the
    /// attachment byte for byte.
    #[test]
    fn a_draft_parses_back_with_its_attachment_intact() {
        let d = draft();
        let bytes = eml(
            &d,
            Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
            "run-1-c-1",
        );
        // Python's `email` package reads it back (Python 3 is on every machine the tests
        // run on).
        let v = crate::test_support::smtp::parse(&bytes);
        assert_eq!(
            v["subject"],
            "停權警告：逾期款項 NT$100,000.01－雲橋科技有限公司  Bcc: everyone@example.com"
        );
        assert_eq!(v["bcc"], serde_json::Value::Null, "no header injected");
        assert_eq!(v["to"], "港都物流股份有限公司 <ar@harbour.example>");
        // The name has a full stop: Python quotes it when it prints the address.
        assert_eq!(
            v["from"],
            "\"雲橋科技有限公司 CloudBridge Ltd.\" <billing@cloudbridge.example>"
        );
        // Text travels in its canonical form, lines ended by CRLF (RFC 2045).
        assert_eq!(v["body"], "港都物流 您好：\r\n\r\n附件為通知。\r\n");
        let a = &v["attachments"][0];
        assert_eq!(a["name"], "2026-11-25-L3-00001-港都物流.pdf");
        assert_eq!(a["type"], "application/pdf");
        use base64::Engine as _;
        let bytes = STANDARD.decode(a["base64"].as_str().unwrap()).unwrap();
        assert_eq!(bytes, d.attachment, "the attachment byte for byte");
        assert_eq!(v["unsent"], "1", "a draft Outlook opens to send");
    }

    /// Names with a comma, quotes or a backslash stay one name; a long English subject is
    /// folded and one that writes `=?` is not read as an encoded word; no header line passes
    /// 78 characters.
    #[test]
    fn names_and_subjects_in_plain_english_come_back_as_written() {
        let subject = format!(
            "Final notice: NT$100,000.01 overdue for {} =?UTF-8?B?SGk=?= — CloudBridge",
            "Harbour Logistics International Holdings Limited, Kaohsiung Branch Office"
        );
        let d = Draft {
            from_name: r#"CloudBridge, "Billing" \ Ltd."#.into(),
            to_name: "Harbour, Ltd.: Accounts".into(),
            to: "ar@harbour.example; cfo@harbour.example".into(),
            subject: subject.clone(),
            ..draft()
        };
        let bytes = eml(
            &d,
            Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
            "x",
        );
        let v = crate::test_support::smtp::parse(&bytes);
        assert_eq!(v["subject"], subject.as_str());
        assert_eq!(v["from_name"], r#"CloudBridge, "Billing" \ Ltd."#);
        assert_eq!(
            v["to_names"],
            serde_json::json!(["Harbour, Ltd.: Accounts", ""])
        );
        assert_eq!(
            v["to_addresses"],
            serde_json::json!(["ar@harbour.example", "cfo@harbour.example"])
        );
        let text = String::from_utf8_lossy(&bytes);
        let headers = text.split("\r\n\r\n").next().unwrap();
        for line in headers.split("\r\n") {
            assert!(line.len() <= 78, "{line:?}");
        }
        // A long subject in plain English only: folded, and read back whole.
        let plain = format!(
            "Final notice: NT$100,000.01 overdue for {} - CloudBridge",
            "Harbour Logistics International Holdings Limited, Kaohsiung Branch Office"
        );
        let d = Draft {
            subject: plain.clone(),
            ..draft()
        };
        let bytes = eml(
            &d,
            Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
            "x",
        );
        assert_eq!(
            crate::test_support::smtp::parse(&bytes)["subject"],
            plain.as_str()
        );
        let text = String::from_utf8_lossy(&bytes);
        let headers = text.split("\r\n\r\n").next().unwrap();
        let folds = headers
            .split("\r\n")
            .skip_while(|l| !l.starts_with("Subject:"))
            .skip(1)
            .take_while(|l| l.starts_with(' '))
            .count();
        assert!(folds > 0, "folded: {headers}");
        for line in headers.split("\r\n") {
            assert!(line.len() <= 78, "{line:?}");
        }
    }
}

#[cfg(test)]
mod level_texts {
    use super::*;
    use crate::collections::{self, PolicyId};
    use crate::test_support::{ctx, ledger_db};

    /// A level's e-mail: the built-in one in each language, or the level's own once saved.
    #[test]
    fn a_level_s_e_mail_is_its_own_once_set_and_the_built_in_one_before() {
        let (_dir, mut conn) = ledger_db();
        let mut p = collections::policy(&conn, PolicyId(1)).unwrap();
        let (s, b) = level_email(
            &p.levels[0],
            Language::ZhTw,
            "港都物流",
            "NT$1,000",
            "2026年12月2日",
            "雲橋",
        );
        assert_eq!(s, "付款提醒：逾期款項 NT$1,000－雲橋");
        assert!(
            b.starts_with("港都物流 您好") && b.contains("2026年12月2日") && b.ends_with("雲橋"),
            "{b}"
        );
        let (s, _) = level_email(
            &p.levels[0],
            Language::En,
            "Harbour",
            "NT$1,000",
            "Dec 2, 2026",
            "CloudBridge",
        );
        assert_eq!(s, "Payment reminder: NT$1,000 overdue — CloudBridge");
        p.levels[0].email_subject_en = "Reminder for {customer}\r\nBcc: x@example.com".into();
        let tx = conn.transaction().unwrap();
        assert!(
            collections::save_policy(&tx, &ctx(), &p).is_err(),
            "a line break in a subject is refused"
        );
        p.levels[0].email_subject_en = "Reminder for {customer}: {level}".into();
        p.levels[0].email_body_zh = "{customer}：請付 {amount}".into();
        collections::save_policy(&tx, &ctx(), &p).unwrap();
        tx.commit().unwrap();
        let saved = collections::policy(&conn, PolicyId(1)).unwrap();
        let (s, _) = level_email(&saved.levels[0], Language::En, "Harbour", "NT$1", "x", "y");
        assert_eq!(s, "Reminder for Harbour: Payment reminder");
        let (_, b) = level_email(&saved.levels[0], Language::ZhTw, "港都", "NT$1", "x", "y");
        assert_eq!(b, "港都：請付 NT$1");
    }
}
