//! `cargo xtask`: RiskDesk's set-up, run, test and packaging commands, one program for
//! Debian/Ubuntu, Windows and macOS (the README's quick start and the CI workflows use it).
//!
//! ```text
//! cargo xtask app [--demo]      install what is missing, build, open the window
//! cargo xtask test              every test; the window tests where a WebDriver exists
//! cargo xtask package [BUNDLES] the installers of this OS (the Tauri CLI's bundler)
//! cargo xtask install-test DEB  install a .deb into a clean Debian root and run it
//! ```
//!
//! Only the standard library, so it builds in seconds on a machine that has nothing else.

mod linux;
mod package;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("app") => app(args.iter().any(|a| a == "--demo")),
        Some("test") => test(),
        Some("setup") => setup(),
        Some("package") => package::package(args.get(1).map(String::as_str)),
        Some("install-test") => match args.get(1) {
            Some(deb) => linux::install_test(Path::new(deb)),
            None => Err("usage: cargo xtask install-test PATH/TO/riskdesk.deb".into()),
        },
        _ => Err(
            "usage: cargo xtask app [--demo] | test | setup | package [BUNDLES] | install-test DEB"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository's root (this crate lives in src-tauri/xtask).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("src-tauri/xtask has two parents")
        .to_path_buf()
}

fn step(what: &str) {
    println!("== {what}");
}

/// Runs a command in the repository's root, failing with its name when it fails.
fn run(cmd: &mut Command) -> Result {
    cmd.current_dir(root());
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed ({status})"))
    }
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Whether `name` is a program on the PATH (with the OS's executable suffix).
fn on_path(name: &str) -> bool {
    find_on_path(name).is_some()
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(&file))
            .find(|p| p.is_file())
    })
}

/// The folder `cargo install` puts programs in, put first on the PATH of what we start.
fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

fn home() -> Option<PathBuf> {
    std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" }).map(PathBuf::from)
}

fn prepend_path(dir: &Path) {
    let mut paths = vec![dir.to_path_buf()];
    if let Some(p) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&p));
    }
    if let Ok(joined) = std::env::join_paths(paths) {
        // xtask has one thread: changing its environment races with nothing.
        std::env::set_var("PATH", joined);
    }
}

/// What each OS needs before RiskDesk builds: installed here on Debian/Ubuntu, named with
/// the command that installs it elsewhere (README, "Set-up per OS").
fn setup() -> Result {
    if cfg!(target_os = "linux") {
        linux::install_packages()
    } else if cfg!(target_os = "macos") {
        let ok = Command::new("xcode-select")
            .arg("-p")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if ok {
            Ok(())
        } else {
            Err("the Xcode command line tools are missing: run `xcode-select --install`".into())
        }
    } else {
        // OpenSSL is compiled from source for SQLCipher on Windows: it needs a native Perl
        // (not the one of Git for Windows) and NASM.
        let mut missing = Vec::new();
        if !on_path("perl") {
            missing.push("Strawberry Perl (winget install StrawberryPerl.StrawberryPerl)");
        }
        if !on_path("nasm") {
            missing
                .push("NASM (winget install NASM.NASM, then add C:\\Program Files\\NASM to PATH)");
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("missing: {}", missing.join("; ")))
        }
    }
}

fn app(demo: bool) -> Result {
    setup()?;
    step("cargo build --release");
    run(cargo().args(["build", "--release", "--package", "riskdesk"]))?;
    let exe = root()
        .join("target/release")
        .join(format!("riskdesk{}", std::env::consts::EXE_SUFFIX));
    if !demo {
        return linux::with_keychain(&exe, &[], false);
    }
    let dir = std::env::temp_dir().join("riskdesk-demo");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let db = dir.join("demo.db");
    let db_arg = db.to_string_lossy().into_owned();
    if db.exists() {
        return linux::with_keychain(&exe, &["--db".into(), db_arg], false);
    }
    step(&format!("a demo company in {}", db.display()));
    if cfg!(windows) {
        run(Command::new(&exe).args(["--db", &db_arg, "demo"]))?;
        return run(Command::new(&exe).args(["--db", &db_arg]));
    }
    // The demo and the window in one keychain session: the key the demo files must be
    // there when the window opens.
    let script = "\"$0\" --db \"$1\" demo && exec \"$0\" --db \"$1\"";
    let args = [
        "-c".to_string(),
        script.to_string(),
        exe.to_string_lossy().into_owned(),
        db_arg,
    ];
    linux::with_keychain(Path::new("sh"), &args, false)
}

fn test() -> Result {
    setup()?;
    if !on_path("pdftotext") {
        return Err(format!(
            "pdftotext is missing; the document tests read PDFs back with it: {}",
            if cfg!(target_os = "macos") {
                "brew install poppler"
            } else {
                "install Poppler (conda install -c conda-forge poppler, or the zip of \
                 github.com/oschwartz10612/poppler-windows) and put its bin folder on PATH"
            }
        ));
    }
    let window_tests = !cfg!(target_os = "macos");
    if window_tests {
        install_drivers()?;
    }
    // The tests and the program; the benchmarks are built by `cargo bench` (and checked
    // by clippy), not here.
    step("cargo build --workspace --tests --bins");
    run(cargo().args(["build", "--workspace", "--tests", "--bins"]))?;
    step("cargo test --workspace");
    if !window_tests {
        println!(
            "   The window tests (tests/e2e.rs) are skipped on macOS: there is no WebDriver for \
             its WKWebView, so tauri-driver runs only on Linux and Windows. Core, documents, \
             CLI and shell tests run."
        );
    }
    let cargo_path = PathBuf::from(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    let args: Vec<String> = ["test", "--workspace", "--", "--test-threads=2"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    linux::with_keychain(&cargo_path, &args, true)?;
    if window_tests {
        println!(
            "== screenshots of the window: {}",
            root().join("target/screenshots").display()
        );
    }
    Ok(())
}

/// tauri-driver, and on Windows the Edge driver matching the installed WebView2.
fn install_drivers() -> Result {
    prepend_path(&cargo_bin());
    if !on_path("tauri-driver") {
        step("cargo install tauri-driver --locked");
        run(cargo().args(["install", "tauri-driver", "--locked"]))?;
    }
    if cfg!(windows) && !on_path("msedgedriver") {
        let dir = root().join("target").join("edgedriver");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if !on_path("msedgedriver-tool") {
            step("cargo install msedgedriver-tool (fetches the Edge driver matching WebView2)");
            run(cargo().args([
                "install",
                "--git",
                "https://github.com/chippers/msedgedriver-tool",
            ]))?;
        }
        step("msedgedriver-tool");
        let tool = find_on_path("msedgedriver-tool").ok_or("msedgedriver-tool is not on PATH")?;
        let status = Command::new(tool)
            .current_dir(&dir)
            .status()
            .map_err(|e| format!("msedgedriver-tool: {e}"))?;
        if !status.success() {
            return Err(format!("msedgedriver-tool failed ({status})"));
        }
        prepend_path(&dir);
    }
    Ok(())
}
