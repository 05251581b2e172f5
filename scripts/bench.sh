#!/usr/bin/env bash
# Benchmarks, separate from the tests: installs what is missing, builds the
# release app, measures natively and in headless Chromium, prints a table and
# rewrites the results part of BENCHMARKS.md. Nothing here passes or fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
source scripts/env.sh
# The live-sync figures need the relay named at build time, as a deployment
# does (README, "Live sync"): a free loopback port, where bench-live.mjs
# starts the relay.
RELAY_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
RELAY_URL="ws://127.0.0.1:$RELAY_PORT" bash scripts/trunk-release.sh build
bash scripts/bench-wasm.sh
node scripts/bench.mjs
# Lighthouse's mobile profile on the same build, served with gzip and brotli.
node scripts/lighthouse.mjs
