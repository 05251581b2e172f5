#!/usr/bin/env bash
# Install whatever is missing, then serve the app at http://127.0.0.1:8080,
# with a live-sync relay beside it on ws://127.0.0.1:3030 (data in
# relay/.amrg) so "Keep in step with my key worker" can be tried with two
# browser profiles. RELAY_URL= (empty) serves the app with no relay.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
export RELAY_URL="${RELAY_URL-ws://127.0.0.1:3030}"
if [ -n "$RELAY_URL" ]; then
  relay_port="${RELAY_URL##*:}"
  relay_port="${relay_port%%/*}"
  PORT="$relay_port" DATA_DIR="$PWD/relay/.amrg" node relay/server.mjs &
  relay_pid=$!
  trap 'kill $relay_pid 2>/dev/null || true' EXIT
fi
echo
echo "Serving the app at http://127.0.0.1:8080 (Ctrl+C to stop)"
bash scripts/trunk-release.sh serve
