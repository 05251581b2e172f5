#!/usr/bin/env bash
# Install whatever is missing, then serve the app at http://127.0.0.1:8080
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
echo
echo "Serving the app at http://127.0.0.1:8080 (Ctrl+C to stop)"
exec trunk serve --release
