#!/usr/bin/env bash
# The relay at council scale, on this machine: a throwaway PostgreSQL,
# N shards (default 2) each with an active relay and a standby, and HAProxy
# routing ws://127.0.0.1:<port>/s/<k> to shard k. Free ports; everything
# stops and the data is removed on Ctrl+C. VERBOSE=1 shows every log line.
# Installs what is missing first (Debian's postgresql and haproxy, the
# relay's npm packages). Deployment: docs/relay-at-scale.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --relay-only
exec node relay/cluster.mjs "${1:-2}"
