#!/usr/bin/env bash
# Runs the product on its embedded defaults at http://127.0.0.1:3000 (release build).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo
echo "==> building and serving on http://127.0.0.1:3000 (Ctrl-C stops it)"
# Development mode, said out loud: only it accepts the outbox and the development password.
export LEPTOS_ENV=DEV
exec cargo leptos serve --release
