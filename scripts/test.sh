#!/usr/bin/env bash
# Install whatever is missing, then run every test: native, in-browser
# (wasm-bindgen-test in headless Chromium) and end to end (Playwright driving
# the release build in Chromium). Fails if any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
source scripts/env.sh

step() { printf '\n== %s\n' "$*"; }

step "Native tests (domain, document, merge, storage bookkeeping)"
PROPTEST_CASES=1000 cargo test --locked

step "Browser API tests (wasm-bindgen-test in headless Chromium)"
cargo test --locked --target wasm32-unknown-unknown --test browser_storage

step "Release build"
trunk build --release

step "End-to-end tests (Playwright + Chromium, release build)"
node --test --test-concurrency=1 tests/e2e/
