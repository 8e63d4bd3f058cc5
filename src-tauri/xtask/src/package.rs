//! The installers of the OS it runs on, made by the Tauri CLI's bundler from
//! tauri.conf.json: a `.deb` and an AppImage on Linux, the NSIS installer on Windows, the
//! `.dmg` on macOS. They land in target/release/bundle/.

use std::path::PathBuf;
use std::process::Command;

use crate::{cargo, on_path, root, run, step, Result};

/// The Tauri CLI of the same minor version as the `tauri` crate in Cargo.lock.
const TAURI_CLI: &str = "2.12.5";

pub fn package(bundles: Option<&str>) -> Result {
    crate::setup()?;
    let bundles = bundles.unwrap_or(if cfg!(target_os = "linux") {
        "deb,appimage"
    } else if cfg!(windows) {
        "nsis"
    } else {
        "dmg"
    });
    let mut tauri = tauri_cli()?;
    step(&format!("tauri build --bundles {bundles}"));
    run(tauri.args(["build", "--bundles", bundles]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let out = target.join("release/bundle");
    println!("== installers in {}", out.display());
    Ok(())
}

/// `cargo tauri` when it is installed; otherwise the CLI's prebuilt binary from npm
/// (@tauri-apps/cli, into target/tauri-cli: seconds instead of compiling it); otherwise
/// `cargo install tauri-cli`.
fn tauri_cli() -> Result<Command> {
    let has_cargo_tauri = cargo()
        .args(["tauri", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if has_cargo_tauri {
        let mut c = cargo();
        c.arg("tauri");
        return Ok(c);
    }
    if on_path("npm") {
        let prefix = root().join("target/tauri-cli");
        let bin: PathBuf = prefix.join("node_modules/.bin").join(if cfg!(windows) {
            "tauri.cmd"
        } else {
            "tauri"
        });
        if !bin.exists() {
            step(&format!("npm install @tauri-apps/cli@{TAURI_CLI}"));
            let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
            run(Command::new(npm)
                .args([
                    "install",
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                ])
                .arg(&prefix)
                .arg(format!("@tauri-apps/cli@{TAURI_CLI}")))?;
        }
        return Ok(Command::new(bin));
    }
    step(&format!("cargo install tauri-cli@{TAURI_CLI}"));
    run(cargo().args(["install", "tauri-cli", "--version", TAURI_CLI, "--locked"]))?;
    let mut c = cargo();
    c.arg("tauri");
    Ok(c)
}
