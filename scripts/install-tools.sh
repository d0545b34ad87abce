#!/usr/bin/env bash
# Installs what building (and, with --browser, testing) hookscope needs, skipping
# whatever is already present at the right version. Safe to run again and again.
#   scripts/install-tools.sh            wasm target, Trunk, wasm-bindgen CLI, wasm-split-cli, wasm-opt
#   scripts/install-tools.sh --browser  the same, plus Chromium, chromedriver, nginx, Caddy and axe-core
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
# The wasm-bindgen CLI must match the library in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
WASM_SPLIT_VERSION=0.2.4
LEPTOSFMT_VERSION=0.1.33
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[install]\033[0m %s\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing Trunk $TRUNK_VERSION (about 11 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
  # Not --locked: one of its locked dependencies is missing from the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-split-cli cuts the release module into chunks (cargo xtask release, src/platform/split.rs); the
# same version as the runtime half (wasm_split_helpers) in Cargo.lock understands.
# (It has no --version: cargo's own list of installed packages says which one it is.)
if ! command -v wasm-split-cli >/dev/null ||
  ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli (wasm_split_cli_support $WASM_SPLIT_VERSION, about 1 minute)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --force
fi

# wasm-opt from npm's binaryen build; Debian's (version 108) breaks the module in the browser.
if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
  npm install -g "binaryen@$BINARYEN_VERSION" >/dev/null
fi

# terser minifies the release build's JavaScript (cargo xtask release); pinned in
# scripts/minify/package-lock.json.
if [ ! -x scripts/minify/node_modules/.bin/terser ]; then
  say "installing terser (npm, scripts/minify) for the release build"
  npm ci --prefix scripts/minify --no-audit --no-fund >/dev/null
fi

if [ "${1:-}" = "--browser" ]; then
  # Chromium and chromedriver drive the browser tests; nginx and Caddy serve the deployment
  # tests (deploy/nginx, deploy/caddy).
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || [ ! -x /usr/sbin/nginx ] ||
    [ ! -x /usr/bin/caddy ]; then
    say "installing Chromium, chromedriver, nginx and Caddy (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium chromium-driver nginx caddy >/dev/null
  fi
  # nginx's brotli_static (deploy/nginx: serves the release build's .br copies) is a module
  # of its own in Debian.
  if ! dpkg-query -W -f '${Status}' libnginx-mod-http-brotli-static 2>/dev/null | grep -q 'ok installed'; then
    say "installing nginx's brotli_static module (Debian's libnginx-mod-http-brotli-static)"
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq libnginx-mod-http-brotli-static >/dev/null
  fi
fi
# leptosfmt lays out the view! macros (leptosfmt.toml); the tests' lint step checks it.
if [ "${1:-}" = "--browser" ] && [ "$(leptosfmt --version 2>/dev/null || true)" != "leptosfmt $LEPTOSFMT_VERSION" ]; then
  say "installing leptosfmt $LEPTOSFMT_VERSION (about 3 minutes)"
  cargo install leptosfmt --version "$LEPTOSFMT_VERSION" --force
fi
if [ "${1:-}" = "--browser" ] && [ ! -f crates/e2e/axe/node_modules/axe-core/axe.min.js ]; then
  say "installing axe-core (npm, crates/e2e/axe) for the accessibility test"
  npm ci --prefix crates/e2e/axe --no-audit --no-fund >/dev/null
fi
say "tools ready: $(trunk --version), $(wasm-bindgen --version), wasm-split-cli $WASM_SPLIT_VERSION, $(wasm-opt --version | head -1)"
