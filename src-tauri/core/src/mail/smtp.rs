//! Sending over SMTP (the `lettre` crate): the server's settings, kept in the database but
//! for the password (the caller takes it from the OS keychain), and a mailer that sends one
//! message at a time, retrying what a dropped connection interrupted.
//!
//! A message counts as sent only when the server has answered its data with 2xx; when the
//! connection drops before that answer the server has not taken it, so sending it again on a
//! new connection sends it once. (Were the connection to drop after the server took the
//! message but before its answer arrived, no SMTP client could know; the server's own log
//! would then show it twice.)

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{SmtpTransport, Transport};
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Code, FieldError};
use crate::store::settings;
use crate::{Ctx, Error, Result};

crate::text_enum::text_enum! {
    /// How the connection is protected: TLS from the first byte (port 465), STARTTLS on a
    /// plain connection (port 587), or nothing, which only a server on this computer may use.
    Security {
        Tls = "tls",
        StartTls = "starttls",
        None = "none",
    }
}

pub const HOST: &str = "mail.host";
pub const PORT: &str = "mail.port";
pub const SECURITY: &str = "mail.security";
pub const USER: &str = "mail.user";
pub const FROM: &str = "mail.from";
pub const CA_FILE: &str = "mail.ca_file";

/// The SMTP server RiskDesk sends through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Empty when the server takes mail without a login.
    pub user: String,
    /// The envelope's sender (the letters' From is the letterhead's e-mail).
    pub from: String,
    /// A certificate authority to trust besides the system's (a company's own server), PEM.
    pub ca_file: String,
}

/// The settings as the window and the command line give them: text, checked here.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SmtpInput {
    pub host: String,
    pub port: String,
    pub security: String,
    pub user: String,
    pub from: String,
    #[serde(default)]
    pub ca_file: String,
}

fn is_local(host: &str) -> bool {
    matches!(
        host.trim_matches(['[', ']']),
        "127.0.0.1" | "::1" | "localhost"
    )
}

impl SmtpInput {
    /// The settings, or every field's problem.
    pub fn parse(&self) -> Result<SmtpSettings> {
        let mut errs = Vec::new();
        let host = self.host.trim().to_string();
        if host.is_empty() {
            errs.push(FieldError::new(
                HOST,
                Code::Required,
                "the SMTP server's name",
            ));
        } else if host.len() > 253 || !host.chars().all(|c| c.is_ascii_graphic()) {
            errs.push(
                FieldError::new(
                    HOST,
                    Code::Invalid,
                    "a server name such as smtp.example.com, without spaces",
                )
                .with("value", &host),
            );
        }
        let port = match self.port.trim().parse::<u16>() {
            Ok(p) if p > 0 => p,
            _ => {
                errs.push(
                    FieldError::new(PORT, Code::InvalidNumber, "a port from 1 to 65535")
                        .with("value", self.port.trim()),
                );
                0
            }
        };
        let security = match Security::parse(self.security.trim()) {
            Some(s) => s,
            None => {
                errs.push(FieldError::new(
                    SECURITY,
                    Code::InvalidChoice,
                    "tls, starttls or none",
                ));
                Security::Tls
            }
        };
        if security == Security::None && !host.is_empty() && !is_local(&host) {
            errs.push(FieldError::new(
                SECURITY,
                Code::Invalid,
                "without TLS only a server on this computer (127.0.0.1): letters and the password would cross the network readable",
            ));
        }
        let user = self.user.trim().to_string();
        if user.len() > 200 || user.chars().any(char::is_control) {
            errs.push(FieldError::new(
                USER,
                Code::Invalid,
                "a user name of up to 200 characters on one line",
            ));
        }
        let typed_from = self.from.trim();
        // Sent as mail servers read it: a domain in another script as its Punycode.
        let from =
            crate::customer::email_address(typed_from).unwrap_or_else(|| typed_from.to_string());
        if from.is_empty() {
            errs.push(FieldError::new(
                FROM,
                Code::Required,
                "the address messages are sent from",
            ));
        } else if Address::from_str(&from).is_err() || !crate::customer::is_email(&from) {
            errs.push(FieldError::new(
                FROM,
                Code::InvalidEmail,
                "not an e-mail address (e.g. billing@contoso.com)",
            ));
        }
        let ca_file = self.ca_file.trim().to_string();
        if !ca_file.is_empty() {
            if let Err(e) = read_ca(Path::new(&ca_file)) {
                errs.push(
                    FieldError::new(CA_FILE, Code::Unreadable, format!("{ca_file}: {e}"))
                        .with("value", &ca_file),
                );
            }
        }
        if !errs.is_empty() {
            return Err(Error::Validation(errs));
        }
        Ok(SmtpSettings {
            host,
            port,
            security,
            user,
            from,
            ca_file,
        })
    }
}

fn read_ca(path: &Path) -> std::result::Result<Certificate, String> {
    let pem = std::fs::read(path).map_err(|e| e.to_string())?;
    if pem.len() > 1_000_000 || !pem.starts_with(b"-----BEGIN CERTIFICATE-----") {
        return Err("not a PEM certificate (-----BEGIN CERTIFICATE-----)".into());
    }
    Certificate::from_pem(&pem).map_err(|e| e.to_string())
}

impl SmtpSettings {
    /// The saved settings; None until a server is set.
    pub fn load(conn: &Connection) -> Result<Option<SmtpSettings>> {
        let get = |k: &str| -> Result<String> { Ok(settings::get(conn, k)?.unwrap_or_default()) };
        let host = get(HOST)?;
        if host.is_empty() {
            return Ok(None);
        }
        let input = SmtpInput {
            host,
            port: get(PORT)?,
            security: get(SECURITY)?,
            user: get(USER)?,
            from: get(FROM)?,
            ca_file: get(CA_FILE)?,
        };
        input.parse().map(Some)
    }

    /// Saves the settings (each one audited).
    pub fn save(&self, tx: &Transaction, ctx: &Ctx) -> Result<()> {
        settings::set(tx, ctx, HOST, &self.host)?;
        settings::set(tx, ctx, PORT, &self.port.to_string())?;
        settings::set(tx, ctx, SECURITY, self.security.as_str())?;
        settings::set(tx, ctx, USER, &self.user)?;
        settings::set(tx, ctx, FROM, &self.from)?;
        settings::set(tx, ctx, CA_FILE, &self.ca_file)?;
        Ok(())
    }

    /// The keychain account the password is filed under: one per server and user.
    pub fn password_account(&self) -> String {
        format!("smtp:{}@{}:{}", self.user, self.host, self.port)
    }
}

/// Why a message was not sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The server refused this message (a recipient it does not take, a message too
    /// large): the next one may go. Otherwise the server could not be reached, would not
    /// let us in, or broke off: the next one would fare the same.
    pub this_message_only: bool,
    pub message: String,
}

/// How often a message is tried when the connection fails, and the pause between tries.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub attempts: u32,
    pub pause: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 3,
            pause: Duration::from_secs(2),
        }
    }
}

/// A connection to the server (kept open between messages) and who sends.
pub struct Mailer {
    transport: SmtpTransport,
    from: Address,
    retry: Retry,
}

impl Mailer {
    pub fn new(s: &SmtpSettings, password: Option<&str>, retry: Retry) -> Result<Mailer> {
        let tls = || -> Result<TlsParameters> {
            let mut b = TlsParameters::builder(s.host.trim_matches(['[', ']']).to_string());
            if !s.ca_file.is_empty() {
                let ca = read_ca(Path::new(&s.ca_file))
                    .map_err(|e| Error::field(CA_FILE, Code::Unreadable, e))?;
                b = b.add_root_certificate(ca);
            }
            b.build()
                .map_err(|e| Error::Invalid(format!("TLS for {}: {e}", s.host)))
        };
        let mut b = SmtpTransport::builder_dangerous(s.host.clone())
            .port(s.port)
            .timeout(Some(Duration::from_secs(30)))
            .pool_config(PoolConfig::new().max_size(1));
        b = match s.security {
            Security::Tls => b.tls(Tls::Wrapper(tls()?)),
            Security::StartTls => b.tls(Tls::Required(tls()?)),
            Security::None => b.tls(Tls::None),
        };
        if !s.user.is_empty() {
            let password = password.ok_or_else(|| {
                Error::field(
                    "password",
                    Code::Required,
                    format!(
                        "no password in the keychain for {} on {}: set it with the mail settings",
                        s.user, s.host
                    ),
                )
            })?;
            b = b.credentials(Credentials::new(s.user.clone(), password.to_string()));
        }
        let from = Address::from_str(&s.from)
            .map_err(|e| Error::field(FROM, Code::InvalidEmail, e.to_string()))?;
        Ok(Mailer {
            transport: b.build(),
            from,
            retry,
        })
    }

    /// Sends `message` (the bytes of [`super::wire`]) to `to` (one address, or several
    /// separated by `;`); the server's answer. Tries again on a new connection while the
    /// failure is not the server's refusal.
    pub fn send(&self, to: &str, message: &[u8]) -> std::result::Result<String, Failure> {
        let to = super::recipients(to)
            .into_iter()
            .map(|a| {
                Address::from_str(a).map_err(|e| Failure {
                    this_message_only: true,
                    message: format!("{a}: not an e-mail address ({e})"),
                })
            })
            .collect::<std::result::Result<Vec<Address>, Failure>>()?;
        let envelope = Envelope::new(Some(self.from.clone()), to).map_err(|e| Failure {
            this_message_only: true,
            message: e.to_string(),
        })?;
        let mut attempt = 1;
        loop {
            match self.transport.send_raw(&envelope, message) {
                Ok(reply) => {
                    let text: Vec<&str> = reply.message().collect();
                    return Ok(format!("{} {}", reply.code(), text.join(" ")));
                }
                Err(e) => {
                    let failure = classify(&e);
                    let again = !e.is_permanent() && !e.is_tls() && attempt < self.retry.attempts;
                    if !again {
                        return Err(failure);
                    }
                    attempt += 1;
                    std::thread::sleep(self.retry.pause);
                }
            }
        }
    }
}

/// Refusals of this message (a response to its recipient or data) against failures of the
/// connection or the login.
fn classify(e: &lettre::transport::smtp::Error) -> Failure {
    // 421: the server is closing the connection; 530, 534, 535, 538: the login failed or
    // is required.
    let login_or_close = e
        .status()
        .map(|c| matches!(u16::from(c), 421 | 530 | 534 | 535 | 538))
        .unwrap_or(true);
    Failure {
        this_message_only: (e.is_permanent() || e.is_transient()) && !login_or_close,
        message: e.to_string(),
    }
}
