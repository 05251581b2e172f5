#!/usr/bin/env bash
# Install what is missing, then run the live-sync relay (automerge-repo's
# sync server, unmodified) in the foreground and print its address.
#   HOST (default 127.0.0.1), PORT (default 3030), DATA_DIR (default relay/.amrg)
# A council runs this behind its TLS proxy: see docs/deploy.md, "How a
# council deploys the relay"; at council scale, docs/relay-at-scale.md
# (scripts/relay-cluster.sh tries it).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d relay/node_modules/automerge-repo-storage-postgres ]; then
  # `npm install` with the lock file rather than `npm ci`: npm 11's ci
  # refuses this lock because cbor-x's optional native helper (cbor-extract)
  # names platform packages that are never installed here; install still
  # takes exactly the locked versions.
  (cd relay && npm install --no-audit --no-fund --omit=dev)
fi
export DATA_DIR="${DATA_DIR:-$PWD/relay/.amrg}"
exec node relay/server.mjs
