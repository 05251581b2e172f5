#!/usr/bin/env bash
# Benchmarks, separate from the tests: installs what is missing, builds the
# release app, measures natively and in headless Chromium, prints a table and
# rewrites the results part of BENCHMARKS.md. Nothing here passes or fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
source scripts/env.sh
trunk build --release
bash scripts/bench-wasm.sh
node scripts/bench.mjs
# Lighthouse's mobile profile on the same build, served with gzip and brotli.
node scripts/lighthouse.mjs
