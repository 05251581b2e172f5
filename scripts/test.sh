#!/usr/bin/env bash
# Install whatever is missing, then run every test: native, in-browser
# (wasm-bindgen-test in headless Chromium) and end to end (Playwright driving
# the release build in Chromium). Fails if any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
source scripts/env.sh

step() { printf '\n== %s\n' "$*"; }

step "Lint: formatting, and clippy with no warning (native and WebAssembly)"
cargo fmt --all --check
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --lib --bins -- -D warnings

step "Native tests (domain, document, merge, storage bookkeeping, keeping in step)"
PROPTEST_CASES=1000 cargo test --locked

step "Browser API tests (wasm-bindgen-test in headless Chromium)"
cargo test --locked --target wasm32-unknown-unknown --test browser_storage --test caret_browser --test engine_browser --test engine_open --test engine_live --test engine_typing --test engine_viewing

step "Release build, trimmed (scripts/trunk-release.sh; its relay.json and CSP name a loopback relay the live-sync test starts)"
# A free loopback port for the relay, fixed at build time as a deployment's
# relay address is (docs/deploy.md, "How a council deploys the relay").
RELAY_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
RELAY_URL="ws://127.0.0.1:$RELAY_PORT" bash scripts/trunk-release.sh build

step "Relay cluster (PostgreSQL + sharded relays with standbys + HAProxy, started and stopped by the tests)"
# automerge-repo's own storage adapter acceptance tests against the
# PostgreSQL adapter, then failover, PostgreSQL restart and shards end to
# end (tests/cluster/, about two minutes; caseload_browser.test.mjs
# drives the release build just made, from a copy of dist/ whose relay.json
# names the cluster as 2 shards). Free loopback ports; nothing is left behind.
(cd relay && ./node_modules/.bin/vitest run)
node --test --test-concurrency=1 tests/cluster/

step "End-to-end tests (Playwright + Chromium, release build)"
node --test --test-concurrency=1 tests/e2e/

step "Fuzzing: 30 seconds each on share-file import, document load and what a relay sends"
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets this stable toolchain
# accept them (no other toolchain can be fetched here). New inputs go to a
# temporary folder; the committed seeds in fuzz/corpus/ are read only. Each
# target has a dictionary (fuzz/<target>.dict: header keys, bundle and chunk
# framing) so mutations reach past the first line.
for target in share_import doc_load sync_frame; do
  found=$(mktemp -d)
  if ! RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz "$target" "$found" "fuzz/corpus/$target" -- \
      -max_total_time=30 -rss_limit_mb=2048 -timeout=60 "-dict=fuzz/$target.dict" > "$found.log" 2>&1; then
    tail -40 "$found.log"
    echo "fuzzing $target found a crash: the input is in fuzz/artifacts/$target/"
    exit 1
  fi
  grep -E '^Done [0-9]+ runs' "$found.log"
  rm -rf "$found" "$found.log"
done
