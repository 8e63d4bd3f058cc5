#!/usr/bin/env bash
# RiskDesk quick start.
#   tests/quickstart.sh app [--demo]   build and open the window (--demo: on a demo database)
#   tests/quickstart.sh test           run every test, the real-window end-to-end tests included
# On Debian/Ubuntu it installs what is missing (WebKitGTK, Xvfb, WebKitWebDriver, a
# Secret Service keychain, tauri-driver) first.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libsoup-3.0-dev
  libjavascriptcoregtk-4.1-dev libdbus-1-dev build-essential pkg-config libssl-dev perl
  xvfb xauth webkit2gtk-driver gnome-keyring libsecret-tools dbus-x11 dbus
  fonts-noto-cjk imagemagick poppler-utils sqlite3)

need_apt() {
  command -v apt-get >/dev/null || return 1
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || return 0
  done
  return 1
}

install_deps() {
  if need_apt; then
    echo "== installing system packages (WebKitGTK, Xvfb, WebKitWebDriver, keychain)"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${APT_PACKAGES[@]}"
  fi
}

install_driver() {
  if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    echo "== installing tauri-driver"
    cargo install tauri-driver --locked
  fi
  export PATH="$HOME/.cargo/bin:$PATH"
}

# Runs "$@" with a Secret Service keychain: the desktop's own when there is one (and the
# caller did not ask for a private one), otherwise a private, unlocked GNOME Keyring on a
# private D-Bus session whose files live in a temporary folder.
with_keychain() {
  if [ "$(uname)" != Linux ] || { [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ "${RISKDESK_PRIVATE_KEYRING:-0}" != 1 ]; }; then
    "$@"
    return
  fi
  local home
  home=$(mktemp -d)
  KEYRING_HOME="$home" NO_AT_BRIDGE=1 dbus-run-session --config-file="$PWD/tests/dbus-session.conf" -- bash -c '
    echo riskdesk | XDG_DATA_HOME="$KEYRING_HOME" gnome-keyring-daemon --unlock --replace --components=secrets >/dev/null 2>&1
    sleep 1
    "$@"' riskdesk "$@"
  local rc=$?
  rm -rf "$home"
  return $rc
}

case "${1:-}" in
  app)
    install_deps
    cargo build --release
    if [ "${2:-}" = "--demo" ]; then
      db="${TMPDIR:-/tmp}/riskdesk-demo/demo.db"
      mkdir -p "$(dirname "$db")"
      with_keychain bash -c "[ -e '$db' ] || ./target/release/riskdesk --db '$db' demo; exec ./target/release/riskdesk --db '$db'"
    else
      with_keychain ./target/release/riskdesk
    fi
    ;;
  test)
    install_deps
    install_driver
    cargo build --workspace --all-targets
    export RISKDESK_PRIVATE_KEYRING=1
    with_keychain bash -c '
      if [ -z "${DISPLAY:-}" ]; then
        exec xvfb-run -a -s "-screen 0 1280x800x24" cargo test --workspace -- --test-threads=2
      else
        exec cargo test --workspace -- --test-threads=2
      fi'
    echo "== screenshots of the window: target/screenshots/"
    ;;
  *)
    echo "usage: tests/quickstart.sh app [--demo] | test" >&2
    exit 2
    ;;
esac
