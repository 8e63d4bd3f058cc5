//! A real SMTP server for tests: Python's `aiosmtpd` in a virtual environment of its own
//! (made once per machine in the temporary folder), with STARTTLS or TLS under a
//! certificate made for the test, a login, recipients it refuses and recipients whose first
//! message it cuts off. Messages it takes are read back byte for byte.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

const AIOSMTPD: &str = "aiosmtpd==1.4.6";
const SCRIPT: &str = include_str!("smtp_server.py");

/// The Python of the virtual environment that has aiosmtpd, made on first use.
pub fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let dir = std::env::temp_dir().join("riskdesk-aiosmtpd-1.4.6");
            let py = if cfg!(windows) {
                dir.join("Scripts").join("python.exe")
            } else {
                dir.join("bin").join("python")
            };
            let ready = |py: &Path| {
                Command::new(py)
                    .args(["-c", "import aiosmtpd"])
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            };
            if !ready(&py) {
                let system = if cfg!(windows) { "python" } else { "python3" };
                let ok = Command::new(system)
                    .args(["-m", "venv"])
                    .arg(&dir)
                    .status()
                    .is_ok_and(|s| s.success());
                assert!(
                    ok,
                    "python3 -m venv {} failed (apt install python3-venv)",
                    dir.display()
                );
                let ok = Command::new(&py)
                    .args([
                        "-m",
                        "pip",
                        "install",
                        "-q",
                        "--disable-pip-version-check",
                        AIOSMTPD,
                    ])
                    .status()
                    .is_ok_and(|s| s.success());
                assert!(ok, "pip install {AIOSMTPD} failed");
            }
            py
        })
        .clone()
}

/// How the test server behaves.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `none`, `starttls` or `tls`.
    pub security: &'static str,
    /// The login it asks for (none when empty).
    pub user: String,
    pub password: String,
    /// Recipients refused with 550.
    pub refuse: Vec<String>,
    /// Recipients whose first message is cut off with the connection.
    pub drop_once: Vec<String>,
}

/// A message the server took.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub tls: bool,
    pub bytes: Vec<u8>,
}

pub struct Server {
    child: Child,
    pub port: u16,
    /// The certificate the server presents (its own authority), PEM.
    pub ca_file: PathBuf,
    dir: tempfile::TempDir,
}

impl Server {
    pub fn start(o: Options) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("messages");
        std::fs::create_dir(&out).unwrap();
        let script = dir.path().join("smtp_server.py");
        std::fs::write(&script, SCRIPT).unwrap();
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        if o.security != "none" {
            let ok = Command::new("openssl")
                .args([
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                ])
                .args(["-subj", "/CN=127.0.0.1"])
                .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
                .arg("-keyout")
                .arg(&key)
                .arg("-out")
                .arg(&cert)
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "openssl req (the test's certificate) failed");
        }
        let mut child = Command::new(python())
            .arg(&script)
            .arg(&out)
            .arg(o.security)
            .arg(&cert)
            .arg(&key)
            .arg(&o.user)
            .arg(&o.password)
            .arg(o.refuse.join(","))
            .arg(o.drop_once.join(","))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the test SMTP server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("READY ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the test SMTP server did not start: {line:?}"));
        Server {
            child,
            port,
            ca_file: cert,
            dir,
        }
    }

    /// The messages taken, in the order taken.
    pub fn received(&self) -> Vec<Received> {
        let out = self.dir.path().join("messages");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|p| {
                let meta: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(p.with_extension("json")).unwrap())
                        .unwrap();
                Received {
                    to: meta["to"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap().to_string())
                        .collect(),
                    tls: meta["tls"].as_bool().unwrap(),
                    bytes: std::fs::read(&p).unwrap(),
                }
            })
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A message's parts as Python's `email` package reads them: subject, recipient, body, and
/// each attachment's file name with its bytes.
pub fn parse(bytes: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.eml");
    std::fs::write(&path, bytes).unwrap();
    let script = r#"
import email, email.policy, sys, json, base64
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
body = m.get_body(preferencelist=('plain',)).get_content()
print(json.dumps({'subject': str(m['subject']), 'to': str(m['to']), 'from': str(m['from']),
  'unsent': m['x-unsent'], 'bcc': m['bcc'], 'body': body,
  'to_names': [a.display_name for a in m['to'].addresses],
  'to_addresses': [a.addr_spec for a in m['to'].addresses],
  'from_name': m['from'].addresses[0].display_name,
  'attachments': [{'name': p.get_filename(), 'type': p.get_content_type(),
                   'base64': base64.b64encode(p.get_content()).decode()} for p in m.iter_attachments()]},
  ensure_ascii=False))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
