#!/usr/bin/env bash
# Benchmarks, separate from the tests: installs what is missing, builds the
# release app, measures natively and in headless Chromium, prints a table and
# rewrites the results part of BENCHMARKS.md. Nothing here passes or fails.
#
#   bash scripts/bench.sh                    every part (and BENCHMARKS.md rewritten)
#   bash scripts/bench.sh keystroke live …   only the parts named, printed only
#
# Parts: native, size, browser, keystroke, like, live, backup, js (see
# scripts/bench.mjs), lighthouse (scripts/lighthouse.mjs), first-tap
# (scripts/bench-first-tap.mjs, printed only), returning
# (scripts/bench-returning.mjs: a returning key worker's caseload of 1,000
# listed before and by the app; printed only), lock (scripts/bench-lock.mjs:
# how long the page is blocked while a lock's key is made; printed only),
# reads (scripts/bench-reads.mjs: the page's longest task while a long plan's
# history, "what changed", "Download my data", and a signed plan's sign-off
# status, distance travelled and signed version are read; printed only),
# choice (scripts/bench-choice.mjs: a rating picked on the long plan, the
# page's work and the time to paint; printed only), signoff
# (scripts/bench-signoff.mjs: a key worker signing the long plan off, the
# page's longest task and work; printed only) and
# relay-cpu (scripts/bench-relay-cpu.mjs: the relay's CPU time per change
# delivered, one relay with simulated devices, fresh plans and plans with a
# long history; printed only, needs no app build).
set -euo pipefail
cd "$(dirname "$0")/.."
parts=("$@")
for p in "${parts[@]}"; do
  case "$p" in
    native|size|browser|keystroke|like|live|backup|js|lighthouse|first-tap|returning|lock|reads|choice|signoff|relay-cpu) ;;
    *) echo "unknown part: $p (the parts: native size browser keystroke like live backup js lighthouse first-tap returning lock reads choice signoff relay-cpu)" >&2; exit 2 ;;
  esac
done
want() { [ ${#parts[@]} -eq 0 ] || [[ " ${parts[*]} " == *" $1 "* ]]; }
others=()
for p in "${parts[@]}"; do [ "$p" = lighthouse ] || [ "$p" = first-tap ] || [ "$p" = returning ] || [ "$p" = lock ] || [ "$p" = reads ] || [ "$p" = choice ] || [ "$p" = signoff ] || [ "$p" = relay-cpu ] || others+=("$p"); done
# The relay's CPU per change (BENCHMARKS.md, "Relay CPU per change (#23,
# item 4)"): 200 plans fresh, 50 plans with 500 and with 2,000 bundles each
# (bundles at the root as the app puts them, and on shelves as tried), 500
# plans fresh;
# printed only.
relay_cpu() {
  node scripts/bench-relay-cpu.mjs --plans 200 --history 0 --seconds 30
  for history in 500 2000; do
    for layout in root shelves; do
      node scripts/bench-relay-cpu.mjs --plans 50 --history "$history" --seconds 30 --layout "$layout"
    done
  done
  node scripts/bench-relay-cpu.mjs --plans 500 --history 0 --seconds 30
}
if [ "${parts[*]}" = relay-cpu ]; then
  bash scripts/setup.sh --relay-only
  relay_cpu
  exit 0
fi
bash scripts/setup.sh --browser
source scripts/env.sh
# The live-sync figures need the relay named at build time, as a deployment
# does (docs/sync.md, "How a council deploys the relay"): a free loopback
# port, where bench-live.mjs starts the relay.
RELAY_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
RELAY_URL="ws://127.0.0.1:$RELAY_PORT" bash scripts/trunk-release.sh build
# The document layer as WebAssembly, for the like-for-like figures.
if want like; then bash scripts/bench-wasm.sh; fi
if [ ${#parts[@]} -eq 0 ] || [ ${#others[@]} -gt 0 ]; then node scripts/bench.mjs "${others[@]}"; fi
# Lighthouse's mobile profile on the same build, served with gzip and brotli
# (named alone, it prints without touching BENCHMARKS.md).
if want lighthouse; then
  if [ ${#parts[@]} -eq 0 ]; then node scripts/lighthouse.mjs; else node scripts/lighthouse.mjs --no-write; fi
fi
# The first visit on slow 4G and 4× CPU: when the first question answers a
# tap (BENCHMARKS.md, "The first question in the HTML"); printed only.
if want first-tap; then node scripts/bench-first-tap.mjs; fi
# A returning key worker with 1,000 plans, slow 4G and 4× CPU: when the
# caseload's first page is on screen, painted from IndexedDB's list entries
# before the module runs (BENCHMARKS.md, "A returning person's list before
# the app"); printed only.
if want returning; then node scripts/bench-returning.mjs; fi
# The page while a passphrase lock's key is made, 4× CPU (BENCHMARKS.md,
# "Keys made beside the page"); printed only.
if want lock; then node scripts/bench-lock.mjs; fi
# A long plan's history, what changed and "Download my data", 4× CPU: the
# page's longest task while each is read (BENCHMARKS.md, "A plan's history
# read beside the page"); printed only.
if want reads; then node scripts/bench-reads.mjs; fi
# A choice made beside the page, 4× CPU (BENCHMARKS.md, "A choice made
# beside the page, and the plan opened there (#21)"); printed only.
if want choice; then node scripts/bench-choice.mjs; fi
# A sign-off made beside the page, 4× CPU (the same section); printed only.
if want signoff; then node scripts/bench-signoff.mjs "" 8; fi
if want relay-cpu; then relay_cpu; fi
# Each module's bytes, the first visit's and the engine's; the run fails when
# the page module is over its budget (issue #21: 450 KB gzip, 340 KB brotli),
# or links a function of Automerge, autosurgeon or a crypto crate
# (scripts/page-links.mjs, from the release build's names), after every
# figure above is recorded.
if want size; then
  status=0
  node scripts/size.mjs dist || status=$?
  node scripts/page-links.mjs || status=$?
  exit "$status"
fi
