#!/usr/bin/env bash
# Install whatever is missing to build (and, with --browser, to test) the app.
# Safe to run again: each step checks first. Nothing is downloaded from
# outside the package registries (crates.io, npm, Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=false
[ "${1:-}" = "--browser" ] && want_browser=true

TRUNK_VERSION=0.21.14
# wasm-bindgen's CLI must equal the library version in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3}' Cargo.lock)

say() { printf '\n== %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# The relay's npm packages (automerge-repo 2.5.6 and its websocket, file and
# PostgreSQL storage adapters; with --browser or --relay-only also vitest,
# which runs automerge-repo's storage adapter acceptance tests).
relay_packages() {
  local want_dev=$1
  if [ ! -d relay/node_modules/automerge-repo-storage-postgres ] || [ relay/package-lock.json -nt relay/node_modules/.package-lock.json ] \
      || { $want_dev && [ ! -d relay/node_modules/vitest ]; }; then
    say "Installing the live-sync relay's npm packages (automerge-repo 2.5.6, its websocket, file and PostgreSQL storage adapters)"
    # `npm install` with the lock file rather than `npm ci`: npm 11's ci
    # refuses this lock because cbor-x's optional native helper (cbor-extract)
    # names platform packages that are never installed here; install still
    # takes exactly the locked versions.
    if $want_dev; then
      (cd relay && npm install --no-audit --no-fund)
    else
      (cd relay && npm install --no-audit --no-fund --omit=dev)
    fi
  fi
}

# Debian's PostgreSQL and HAProxy for the relay cluster (scripts/relay-cluster.sh,
# tests/cluster/).
relay_cluster_packages() {
  local have_pg=false have_haproxy=false
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && have_pg=true
  { command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ]; } && have_haproxy=true
  if ! $have_pg || ! $have_haproxy; then
    say "Installing Debian's PostgreSQL and HAProxy (the relay cluster)"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql haproxy
  fi
}

if [ "${1:-}" = "--relay-only" ]; then
  relay_cluster_packages
  relay_packages true
  exit 0
fi

relay_packages "$want_browser"
if $want_browser; then relay_cluster_packages; fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown Rust target"
  rustup target add wasm32-unknown-unknown
fi

# The release build compiles the standard library for size from its source
# (scripts/trunk-release.sh).
if ! rustup component list --installed | grep -q '^rust-src'; then
  say "Adding the Rust standard library's source (rust-src)"
  rustup component add rust-src
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  # Not --locked: its lock file names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  say "Installing Trunk $TRUNK_VERSION (about 8 minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION" --force
fi

CARGO_FUZZ_VERSION=0.13.2
if $want_browser && ! cargo fuzz --version 2>/dev/null | grep -q "cargo-fuzz $CARGO_FUZZ_VERSION"; then
  say "Installing cargo-fuzz $CARGO_FUZZ_VERSION (about 2 minutes)"
  cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" --force
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm packages (binaryen's wasm-opt, playwright-core, axe-core, @automerge/automerge)"
  # Playwright must never fetch a browser of its own: Debian's Chromium is used.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

if $want_browser && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  say "Installing Debian's Chromium and ChromeDriver"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium chromium-driver
fi

say "Fetching Rust crates (Trunk builds offline)"
cargo fetch --locked -q
# The standard library's own dependencies, at the versions its lock file
# names: the release build compiles it too (-Zbuild-std), offline. Reading
# its manifest needs RUSTC_BOOTSTRAP (it uses unstable cargo features).
RUSTC_BOOTSTRAP=1 cargo fetch --locked -q \
  --manifest-path "$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
