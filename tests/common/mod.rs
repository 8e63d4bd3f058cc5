//! Helpers for the app's integration tests: temporary databases, the CLI binary, and a
//! small W3C WebDriver client that drives the real window through tauri-driver.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const BIN: &str = env!("CARGO_BIN_EXE_riskdesk");

/// Fails (never skips) when the test machine lacks what the test needs, naming it.
pub fn require_keychain() {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() && cfg!(target_os = "linux") {
        panic!(
            "these tests need an OS keychain (Secret Service on a D-Bus session bus) and none is running; \
             run them through `cargo xtask test`, which starts one"
        );
    }
}

/// The private test keychain of the CLI tests: a folder beside the test's database (debug
/// builds of RiskDesk keep keys there when `RISKDESK_TEST_KEYCHAIN` names it), so these
/// tests never file keys in the keychain of the person running them.
pub fn test_keychain(db: &Path) -> PathBuf {
    db.parent()
        .unwrap_or_else(|| Path::new("."))
        .join("test-keychain")
}

fn command(db: &Path, args: &[&str], keychain: Keychain) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--db").arg(db).args(args);
    match keychain {
        Keychain::Test => c.env("RISKDESK_TEST_KEYCHAIN", test_keychain(db)),
        Keychain::Os => c.env_remove("RISKDESK_TEST_KEYCHAIN"),
    };
    c
}

#[derive(Clone, Copy)]
enum Keychain {
    Test,
    Os,
}

/// Writes `text` into `dir/name`; the path as text, for a command line.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// `customers import FILE --existing-book WHY` through `run` ([`cli`] or [`cli_os`]).
pub fn import_existing(
    run: fn(&Path, &[&str]) -> Output,
    db: &Path,
    file: &str,
    why: &str,
) -> Output {
    run(db, &["customers", "import", file, "--existing-book", why])
}

/// The columns of E.SUN Bank's CSV statement (Minguo dates), as `--map` takes them.
pub const ESUN_MAP: &str =
    "date=交易日期,credit=存入金額,debit=支出金額,text=備註,payer=匯款人,account=虛擬帳號,date-format=roc";

/// `bank import FILE --account E.SUN --map ESUN_MAP` through `run` ([`cli`] or [`cli_os`]).
pub fn import_esun(run: fn(&Path, &[&str]) -> Output, db: &Path, statement: &str) -> Output {
    let args = [
        "bank",
        "import",
        statement,
        "--account",
        "E.SUN",
        "--map",
        ESUN_MAP,
    ];
    run(db, &args)
}

/// A new book brought in through the CLI as an accountant's export would: the customers (an
/// existing book, so its onboarding gaps are recorded, not refused) and their invoices, from
/// CSV text. `run` is [`cli`] or [`cli_os`].
pub fn book_from_csv(
    run: fn(&Path, &[&str]) -> Output,
    db: &Path,
    customers: &str,
    invoices: &str,
) {
    let dir = db.parent().unwrap();
    assert!(run(db, &["init"]).status.success());
    let c = write(dir, "customers.csv", customers);
    let out = run(
        db,
        &["customers", "import", &c, "--existing-book", "opening book"],
    );
    assert_ok(&out);
    let i = write(dir, "invoices.csv", invoices);
    let out = run(db, &["invoices", "import", &i]);
    assert_ok(&out);
}

/// The CLI on `db`, its key in the private test keychain.
pub fn cli(db: &Path, args: &[&str]) -> Output {
    command(db, args, Keychain::Test)
        .output()
        .expect("run the riskdesk binary")
}

/// [`cli`] that must succeed: fails the test, showing what the command wrote, when not.
#[track_caller]
pub fn cli_ok(db: &Path, args: &[&str]) -> Output {
    let out = cli(db, args);
    assert_ok(&out);
    out
}

/// [`cli`] that must end within `seconds`: killed and failed if it does not (a command that
/// could hang must not hang the test run).
pub fn cli_within(seconds: u64, db: &Path, args: &[&str]) -> Output {
    let mut child = command(db, args, Keychain::Test)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the riskdesk binary");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while child.try_wait().expect("wait for riskdesk").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("riskdesk {args:?} still running after {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("riskdesk's output")
}

/// A new demo book (`riskdesk demo`) named `name`, in a folder of its own that is removed
/// when the first value drops.
#[allow(dead_code)] // not every test crate uses it
pub fn demo_book(name: &str) -> (tempfile::TempDir, PathBuf) {
    book_by(name, "demo")
}

/// A new book named `name` in a folder of its own, brought in through the CLI from
/// customers' and invoices' CSV text ([`book_from_csv`] with the test keychain).
pub fn csv_book(name: &str, customers: &str, invoices: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(name);
    book_from_csv(cli, &db, customers, invoices);
    (dir, db)
}

/// A sample file of the core's tests (`src-tauri/core/tests/samples/NAME`).
#[allow(dead_code)] // not every test crate uses it
pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src-tauri/core/tests/samples")
        .join(name)
}

/// The text of the PDF at `path`, as pdftotext gives it.
pub fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler) is a test prerequisite; `cargo xtask test` names how to install it");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A new, empty book (`riskdesk init`) in a folder of its own.
#[allow(dead_code)] // not every test crate uses it
pub fn new_book(name: &str) -> (tempfile::TempDir, PathBuf) {
    book_by(name, "init")
}

fn book_by(name: &str, command: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(name);
    let out = cli(&db, &[command]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, db)
}

/// The CLI on `db`, its key in the OS keychain as the window keeps it (the end-to-end
/// tests, which remove their entries with [`ForgetKey`]).
pub fn cli_os(db: &Path, args: &[&str]) -> Output {
    require_keychain();
    command(db, args, Keychain::Os)
        .output()
        .expect("run the riskdesk binary")
}

/// Runs the CLI with its standard output closed before it prints (as `riskdesk ... | true`);
/// returns its exit status and what it wrote on standard error.
pub fn cli_closed_stdout(db: &Path, args: &[&str]) -> (std::process::ExitStatus, String) {
    use std::io::Read;
    let mut child = command(db, args, Keychain::Test)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run the riskdesk binary");
    drop(child.stdout.take());
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut err).ok();
    }
    (child.wait().expect("wait for riskdesk"), err)
}

/// Runs the CLI with `input` on its standard input.
pub fn cli_stdin(db: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = command(db, args, Keychain::Test)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run the riskdesk binary");
    let mut stdin = child.stdin.take().expect("stdin");
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    child.wait_with_output().expect("wait for riskdesk")
}

/// Removes the OS keychain entry RiskDesk filed for a database when dropped, so the
/// end-to-end tests leave nothing in the keychain they used. Declare it after the
/// temporary folder, so it runs while the folder still exists.
pub struct ForgetKey(pub PathBuf);

impl Drop for ForgetKey {
    fn drop(&mut self) {
        // The account RiskDesk files the key under: the canonical folder and the name.
        let account = match (self.0.parent(), self.0.file_name()) {
            (Some(dir), Some(name)) => dir
                .canonicalize()
                .map(|d| d.join(name))
                .unwrap_or_else(|_| self.0.clone()),
            _ => self.0.clone(),
        };
        if let Ok(entry) = keyring::Entry::new("tw.riskdesk.app", &account.to_string_lossy()) {
            let _ = entry.delete_credential();
        }
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the command succeeded, showing all it wrote when not.
#[track_caller]
pub fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "failed ({}), saying:\n{}{}",
        o.status,
        stdout(o),
        stderr(o)
    );
}

/// Asserts the command printed `text` on its standard output (all of which is shown when not).
#[allow(dead_code)] // not every test crate uses it
#[track_caller]
pub fn assert_says(o: &Output, text: &str) {
    let out = stdout(o);
    assert!(out.contains(text), "{text:?} is not in:\n{out}");
}

/// Asserts the command failed and wrote `text` on its standard error (all of which is
/// shown when not).
#[allow(dead_code)] // not every test crate uses it
#[track_caller]
pub fn assert_refused(o: &Output, text: &str) {
    let err = stderr(o);
    assert!(
        !o.status.success(),
        "succeeded, saying:\n{}{err}",
        stdout(o)
    );
    assert!(err.contains(text), "{text:?} is not in:\n{err}");
}

pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

fn find_tool(name: &str) -> PathBuf {
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    let home = std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" });
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home.map(|h| PathBuf::from(h).join(".cargo")))
        .map(|c| c.join("bin"));
    let path = std::env::var_os("PATH");
    let dirs = path.iter().flat_map(std::env::split_paths).chain(cargo_bin);
    for dir in dirs {
        let p = dir.join(&file);
        if p.is_file() {
            return p;
        }
    }
    panic!("{name} is not installed; `cargo xtask test` installs it (cargo install tauri-driver --locked; on Debian apt-get install webkit2gtk-driver; on Windows msedgedriver-tool)");
}

/// tauri-driver on free ports; killed when dropped.
pub struct Driver {
    child: Child,
    base: String,
}

impl Driver {
    pub fn start() -> Driver {
        require_keychain();
        if cfg!(target_os = "linux") && std::env::var_os("DISPLAY").is_none() {
            panic!("the end-to-end tests need a display; run them under Xvfb (`cargo xtask test` does)");
        }
        if cfg!(target_os = "linux") {
            find_tool("WebKitWebDriver");
        }
        let driver = find_tool("tauri-driver");
        // A port picked free can be taken again before tauri-driver binds it (the previous
        // test's WebKitWebDriver closing down): try again on new ports rather than fail.
        let mut last = String::new();
        for _ in 0..3 {
            let port = free_port();
            // Two ports picked one after the other can be the same one (the first was
            // released before the second was picked): tauri-driver then cannot bind both.
            let mut native = free_port();
            while native == port {
                native = free_port();
            }
            let mut child = Command::new(&driver)
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native.to_string(),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start tauri-driver");
            let base = format!("http://127.0.0.1:{port}");
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if ureq::get(&format!("{base}/status")).call().is_ok() {
                    return Driver { child, base };
                }
                let exited = child.try_wait().ok().flatten().is_some();
                if exited || Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    last = base;
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        panic!("tauri-driver did not answer on {last} (three tries)");
    }

    /// Launches the app with `--db db` in a new WebDriver session.
    pub fn launch(&self, db: &Path) -> Session {
        let docs = db.with_extension("documents");
        self.launch_with(&[
            "--db",
            db.to_str().expect("utf-8 path"),
            "--documents",
            docs.to_str().expect("utf-8 path"),
        ])
    }

    pub fn launch_with(&self, args: &[&str]) -> Session {
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {
            "application": BIN,
            "args": args,
        }}}});
        let v = request("POST", &format!("{}/session", self.base), Some(caps));
        let id = v["value"]["sessionId"]
            .as_str()
            .or_else(|| v["sessionId"].as_str())
            .unwrap_or_else(|| panic!("no session id in {v}"))
            .to_string();
        let s = Session {
            url: format!("{}/session/{id}", self.base),
        };
        s.set_timeouts();
        s
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn request(method: &str, url: &str, body: Option<Value>) -> Value {
    let req = ureq::request(method, url).timeout(Duration::from_secs(60));
    let res = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    match res {
        Ok(r) => r.into_json().expect("a JSON answer"),
        Err(ureq::Error::Status(code, r)) => {
            let text = r.into_string().unwrap_or_default();
            panic!("WebDriver {method} {url} failed with {code}: {text}");
        }
        Err(e) => panic!("WebDriver {method} {url}: {e}"),
    }
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Session {
    url: String,
}

#[derive(Clone)]
pub struct Element {
    session: String,
    id: String,
}

impl Session {
    fn set_timeouts(&self) {
        request(
            "POST",
            &format!("{}/timeouts", self.url),
            Some(json!({"implicit": 0, "script": 20000})),
        );
    }

    /// Waits up to 15 s for `css` to match a displayed element.
    pub fn find(&self, css: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(e) = self.try_find(css) {
                return e;
            }
            if Instant::now() > deadline {
                let body = self.script(
                    "return document.body ? document.body.innerText : ''",
                    json!([]),
                );
                panic!("no element matches {css:?}; the page says:\n{body}");
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// [`Session::find`], once the element has stopped moving: a view that scrolls to it
    /// smoothly moves it under the pointer, and a click while it moves lands beside it.
    pub fn find_still(&self, css: &str) -> Element {
        self.find(css);
        let top = || {
            self.script(
                "const e = document.querySelector(arguments[0]); return e ? e.getBoundingClientRect().top : null",
                json!([css]),
            )
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut last = top();
        let mut same = 0;
        while same < 3 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
            let now = top();
            same = if now == last { same + 1 } else { 0 };
            last = now;
        }
        self.find(css)
    }

    pub fn try_find(&self, css: &str) -> Option<Element> {
        let res = ureq::post(&format!("{}/element", self.url))
            .timeout(Duration::from_secs(30))
            .send_json(json!({"using": "css selector", "value": css}));
        match res {
            Ok(r) => {
                let v: Value = r.into_json().ok()?;
                let id = v["value"][ELEMENT].as_str()?.to_string();
                Some(Element {
                    session: self.url.clone(),
                    id,
                })
            }
            Err(_) => None,
        }
    }

    /// Opens a view from the navigation (`customers`, `bank`, ...) once the navigation shows
    /// (it does when the database is open: hidden elements have no text).
    pub fn open_view(&self, view: &str) {
        let nav = format!("#nav-{view}");
        self.wait_text(&nav, |t| !t.is_empty());
        self.find(&nav).click();
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let v = request(
            "POST",
            &format!("{}/elements", self.url),
            Some(json!({"using": "css selector", "value": css})),
        );
        v["value"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT].as_str())
                    .map(|id| Element {
                        session: self.url.clone(),
                        id: id.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits until the text of `css` satisfies `pred`; returns it.
    pub fn wait_text(&self, css: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut last = String::new();
        while Instant::now() < deadline {
            // The page may re-render between finding and reading: try again then.
            if let Some(text) = self.try_find(css).and_then(|e| e.try_text()) {
                last = text;
                if pred(&last) {
                    return last;
                }
            }
            std::thread::sleep(Duration::from_millis(150));
        }
        let seen = self.failure_context(css);
        panic!("{css:?} never showed the expected text; last seen: {last:?}; {seen}");
    }

    /// What a failed wait leaves to read: a screenshot named after the selector, and the
    /// text of an open dialog and of the messages shown, where a refused save says why.
    fn failure_context(&self, css: &str) -> String {
        let name: String = css
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let shot = self.screenshot(&format!("failed-{name}.png"));
        let shown = self.script(
            "return [...document.querySelectorAll('dialog[open], #toast, [role=alert]')]\
               .map((e) => e.textContent.trim()).filter(Boolean).join(' | ');",
            json!([]),
        );
        format!(
            "dialogs and messages shown: {:?}; screenshot {}",
            shown.as_str().unwrap_or_default(),
            shot.display()
        )
    }

    pub fn script(&self, script: &str, args: Value) -> Value {
        request(
            "POST",
            &format!("{}/execute/sync", self.url),
            Some(json!({"script": script, "args": args})),
        )["value"]
            .clone()
    }

    pub fn screenshot(&self, name: &str) -> PathBuf {
        use base64::Engine;
        // What a script has just drawn is in the DOM before it is painted: two frames later
        // it is on the screen the picture is taken of.
        request(
            "POST",
            &format!("{}/execute/async", self.url),
            Some(json!({
                "script": "const done = arguments[arguments.length - 1]; \
                           requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                "args": []
            })),
        );
        let v = request("GET", &format!("{}/screenshot", self.url), None);
        let data = base64::engine::general_purpose::STANDARD
            .decode(v["value"].as_str().expect("base64 PNG"))
            .expect("decode screenshot");
        let path = screenshot_dir().join(name);
        std::fs::write(&path, data).expect("write screenshot");
        path
    }

    pub fn quit(self) {
        request("DELETE", &self.url, None);
    }
}

impl Element {
    pub fn click(&self) -> &Self {
        request(
            "POST",
            &format!("{}/element/{}/click", self.session, self.id),
            Some(json!({})),
        );
        self
    }

    pub fn clear(&self) -> &Self {
        request(
            "POST",
            &format!("{}/element/{}/clear", self.session, self.id),
            Some(json!({})),
        );
        self
    }

    pub fn type_text(&self, text: &str) -> &Self {
        request(
            "POST",
            &format!("{}/element/{}/value", self.session, self.id),
            Some(json!({"text": text})),
        );
        self
    }

    pub fn text(&self) -> String {
        request(
            "GET",
            &format!("{}/element/{}/text", self.session, self.id),
            None,
        )["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn try_text(&self) -> Option<String> {
        let r = ureq::get(&format!("{}/element/{}/text", self.session, self.id))
            .timeout(Duration::from_secs(30))
            .call()
            .ok()?;
        let v: Value = r.into_json().ok()?;
        v["value"].as_str().map(str::to_string)
    }

    pub fn property(&self, name: &str) -> Value {
        request(
            "GET",
            &format!("{}/element/{}/property/{name}", self.session, self.id),
            None,
        )["value"]
            .clone()
    }
}
