#!/usr/bin/env bash
# The browser the operator console's tests drive: Debian's Chromium at /usr/bin/chromium (Playwright's own browser
# download cannot be reached here, so the tests point Playwright at this one). `ensure` installs it when missing and says
# nothing when it is there; `path` prints where it is. RECONMESH_CHROMIUM names another executable and skips the install.
set -euo pipefail

log() { printf '[browser] %s\n' "$*" >&2; }
die() { printf '[browser] error: %s\n' "$*" >&2; exit 1; }

chromium=${RECONMESH_CHROMIUM:-/usr/bin/chromium}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to install Chromium; or set RECONMESH_CHROMIUM to a Chromium executable"; fi
}

ensure() {
  [ -x "$chromium" ] && return 0
  [ -n "${RECONMESH_CHROMIUM:-}" ] && die "RECONMESH_CHROMIUM names $chromium, which is not an executable"
  command -v apt-get >/dev/null || die "Chromium is not installed at $chromium and this machine has no apt-get: install Chromium, or set RECONMESH_CHROMIUM"
  log "installing Chromium (Debian's package) for the console's browser tests"
  local output; output=$(mktemp)
  if ! { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >"$output" 2>&1; then
    cat "$output" >&2; rm -f "$output"; die "apt-get could not install chromium"
  fi
  rm -f "$output"
  [ -x "$chromium" ] || die "apt-get installed chromium, but $chromium is not there"
}

case "${1:-}" in
  ensure) ensure ;;
  path) ensure; echo "$chromium" ;;
  *) echo "usage: deploy/local/browser.sh ensure|path" >&2; exit 2 ;;
esac
