//! Debian/Ubuntu: the system packages, a private keychain and display for the tests, and
//! the test of the `.deb` in a clean root. On other systems `with_keychain` just runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{root, run, step, Result};

/// WebKitGTK and the rest Tauri builds against; Xvfb, WebKitWebDriver and a Secret Service
/// keychain for the tests; fonts and poppler for looking at documents; Python's venv and
/// openssl for the e-mail tests' SMTP server.
const APT_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "libdbus-1-dev",
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "perl",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    // The window tests answer the system's own file dialogs by typing into them.
    "xdotool",
    "gnome-keyring",
    "libsecret-tools",
    "dbus-x11",
    "dbus",
    "fonts-noto-cjk",
    "poppler-utils",
    "sqlite3",
    // The e-mail tests: a real SMTP server (aiosmtpd in a virtual environment) with a
    // certificate the test makes.
    "python3-venv",
    "openssl",
];

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn sudo() -> Command {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if is_root {
        Command::new("env")
    } else {
        Command::new("sudo")
    }
}

fn apt_install(packages: &[&str]) -> Result {
    run(sudo().args(["apt-get", "update", "-q"]))?;
    run(sudo()
        .args([
            "DEBIAN_FRONTEND=noninteractive",
            "apt-get",
            "install",
            "-y",
            "-q",
        ])
        .args(packages))
}

pub fn install_packages() -> Result {
    if !crate::on_path("apt-get") {
        println!(
            "   not a Debian or Ubuntu system: install the equivalents of {} yourself",
            APT_PACKAGES.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| !installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!("apt-get install {}", missing.join(" ")));
    apt_install(&missing)
}

/// Runs `program args` in the repository's root. On Linux without a desktop session (or
/// always for the tests) it gets a private, unlocked GNOME Keyring on a private D-Bus
/// session whose files live in a temporary folder; the tests also get Xvfb when there is
/// no display. Elsewhere, and on a Linux desktop, it runs as it is.
pub fn with_keychain(program: &Path, args: &[String], tests: bool) -> Result {
    let private = tests || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none();
    if !cfg!(target_os = "linux") || !private {
        return run(Command::new(program).args(args));
    }
    // The tests get a keyring of their own, removed afterwards; the app one that is kept,
    // so the database it opens is still unlocked the next time.
    let keyring_home = if tests {
        std::env::temp_dir().join(format!("riskdesk-keyring-{}", std::process::id()))
    } else {
        std::env::temp_dir().join("riskdesk-demo").join("keyring")
    };
    std::fs::create_dir_all(&keyring_home)
        .map_err(|e| format!("{}: {e}", keyring_home.display()))?;
    let mut cmd = Command::new("dbus-run-session");
    cmd.arg(format!(
        "--config-file={}",
        root().join("src-tauri/xtask/dbus-session.conf").display()
    ))
    .args(["--", "bash", "-c"])
    .arg(
        "echo riskdesk | XDG_DATA_HOME=\"$KEYRING_HOME\" gnome-keyring-daemon --unlock --replace \
         --components=secrets >/dev/null 2>&1; sleep 1; exec \"$@\"",
    )
    .arg("riskdesk");
    if tests && std::env::var_os("DISPLAY").is_none() {
        cmd.args(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24"]);
    }
    cmd.arg(program)
        .args(args)
        .env("KEYRING_HOME", &keyring_home)
        .env("NO_AT_BRIDGE", "1");
    let result = run(&mut cmd);
    if tests {
        let _ = std::fs::remove_dir_all(&keyring_home);
    }
    result
}

/// Installs `deb` into a clean Debian root (debootstrap, the host's release), then checks
/// what a user gets: `riskdesk --version`, a demo database made and listed with a real
/// keychain, the desktop entry and the icon. Needs root (or sudo) and Debian's mirror.
pub fn install_test(deb: &Path) -> Result {
    let deb = deb
        .canonicalize()
        .map_err(|e| format!("{}: {e}", deb.display()))?;
    if !crate::on_path("debootstrap") {
        apt_install(&["debootstrap"])?;
    }
    let (suite, mirror) = release()?;
    let chroot = root().join("target/deb-root");
    if chroot.exists() {
        unmount(&chroot);
        run(sudo().args(["rm", "-rf"]).arg(&chroot))?;
    }
    step(&format!(
        "debootstrap --variant=minbase {suite} (a clean root)"
    ));
    run(sudo()
        .args(["debootstrap", "--variant=minbase", &suite])
        .arg(&chroot)
        .arg(mirror))?;
    let result = install_and_check(&chroot, &deb);
    unmount(&chroot);
    result
}

fn install_and_check(chroot: &Path, deb: &Path) -> Result {
    run(sudo()
        .args(["mount", "-t", "proc", "proc"])
        .arg(chroot.join("proc")))?;
    run(sudo()
        .args(["mount", "--bind", "/dev"])
        .arg(chroot.join("dev")))?;
    run(sudo()
        .arg("cp")
        .arg(deb)
        .arg(chroot.join("tmp/riskdesk.deb")))?;
    step("apt-get install ./riskdesk.deb (its dependencies from Debian's mirror)");
    let in_root = |script: &str| -> Result {
        run(sudo().arg("chroot").arg(chroot).args([
            "/usr/bin/env",
            "DEBIAN_FRONTEND=noninteractive",
            "sh",
            "-ec",
            script,
        ]))
    };
    in_root("apt-get update -q && apt-get install -y -q /tmp/riskdesk.deb dbus gnome-keyring")?;
    step("riskdesk --version");
    in_root("riskdesk --version | grep -q '^riskdesk ' && riskdesk --version")?;
    step("riskdesk --db X demo, with a keychain on a D-Bus session");
    in_root(
        "dbus-run-session -- sh -ec 'echo pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
         riskdesk --db /tmp/check.db demo; riskdesk --db /tmp/check.db customers list | tail -n 1'",
    )?;
    step("the desktop entry and the icon");
    let entries = files_under(&chroot.join("usr/share/applications"), ".desktop");
    let entry = entries
        .iter()
        .find(|p| {
            std::fs::read_to_string(p)
                .map(|t| t.lines().any(|l| l.starts_with("Exec=riskdesk")))
                .unwrap_or(false)
        })
        .ok_or("no desktop entry with Exec=riskdesk in /usr/share/applications")?;
    println!("   {}", entry.display());
    let icons = files_under(&chroot.join("usr/share/icons/hicolor"), "riskdesk.png");
    if icons.is_empty() {
        return Err("no riskdesk.png under /usr/share/icons/hicolor".into());
    }
    for icon in icons {
        println!("   {}", icon.display());
    }
    println!("== the .deb installs into a clean root and runs");
    Ok(())
}

fn unmount(chroot: &Path) {
    for dir in ["proc", "dev"] {
        let _ = sudo()
            .args(["umount", "--lazy"])
            .arg(chroot.join(dir))
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// The host's release codename and its distribution's mirror.
fn release() -> Result<(String, &'static str)> {
    let text =
        std::fs::read_to_string("/etc/os-release").map_err(|e| format!("/etc/os-release: {e}"))?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim_matches('"').to_string())
            .unwrap_or_default()
    };
    let codename = field("VERSION_CODENAME=");
    if codename.is_empty() {
        return Err("/etc/os-release names no VERSION_CODENAME".into());
    }
    let mirror = if field("ID=") == "ubuntu" {
        "http://archive.ubuntu.com/ubuntu"
    } else {
        "http://deb.debian.org/debian"
    };
    Ok((codename, mirror))
}

fn files_under(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(suffix) {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}
