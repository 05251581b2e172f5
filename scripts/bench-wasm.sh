#!/usr/bin/env bash
# Bench-only: build the document layer (examples/bench_wasm.rs) for
# wasm32 with the app's release profile, and bind it with the wasm-bindgen
# CLI into target/bench-wasm/ for scripts/bench-keystroke.mjs. Offline.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo build --offline --release --example bench_wasm --target wasm32-unknown-unknown
wasm-bindgen --target web --out-dir target/bench-wasm --out-name csp_bench \
  target/wasm32-unknown-unknown/release/examples/bench_wasm.wasm
# Optimised as the app's module is (Trunk's data-wasm-opt="z").
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue target/bench-wasm/csp_bench_bg.wasm -o target/bench-wasm/csp_bench_bg.wasm
