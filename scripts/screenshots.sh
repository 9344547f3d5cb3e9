#!/usr/bin/env bash
# Pictures every step of the widget (light and dark, left to right and right to left, 320 and
# 480 CSS px wide) into docs/screenshots/, for the README. Usage: ./scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >/dev/null
echo "==> release build"
cargo leptos build --release 2>&1 | tail -1
port=3098
db=$(mktemp -d)
export LEPTOS_ENV=DEV DATABASE_URL="sqlite://$db/screenshots.db"
# Each picture's visitor has an address of its own (support.ts), as in scripts/test.sh: the abuse
# guard would otherwise count every code as one client's.
export PHONE_VERIFY_CLIENT_IP_HEADER=x-forwarded-for PHONE_VERIFY_TRUSTED_PROXIES=127.0.0.1/32
LEPTOS_SITE_ADDR=127.0.0.1:$port RUST_LOG=warn "${CARGO_TARGET_DIR:-target}/release/phone-verify" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$db"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/verify" -o /dev/null && break; sleep 0.1; done
echo "==> pictures into docs/screenshots/"
mkdir -p docs/screenshots
(cd end2end && BASE_URL="http://127.0.0.1:$port" npx playwright test --config screenshots.config.ts)
ls docs/screenshots | wc -l | xargs printf '==> %s pictures\n'
