#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests, then Playwright end to end in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
started=$(date +%s)
# The tests run the server in development mode (the outbox, the development password).
export LEPTOS_ENV=DEV

echo
echo "==> setup stops at its first failure, from every entry point"
tests/setup_stops_on_failure.sh

echo
echo "==> Rust unit and integration tests (release profile: shares its build with the server's)"
cargo test --release --no-default-features --features ssr

echo
echo "==> end-to-end tests: release build of the server and the wasm, Playwright in Chromium"
# A database of this run's own, so that the abuse guard's counts start at zero; the server
# believes the client address each test names (end2end/tests/support.ts), as it would a
# reverse proxy's on loopback.
rm -f target/end2end/phone-verify.db*
DATABASE_URL=sqlite://target/end2end/phone-verify.db \
PHONE_VERIFY_CLIENT_IP_HEADER=x-forwarded-for \
PHONE_VERIFY_TRUSTED_PROXIES=127.0.0.1/32 \
  cargo leptos end-to-end --release

echo
echo "==> all tests passed in $(( $(date +%s) - started ))s (after setup)"
