#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests on SQLite, the integration tests again with
# the widget reaching the Verigator API over HTTP and again on PostgreSQL, then Playwright end
# to end in Chromium.
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
echo "==> the HTTP-level suite again, the widget calling the embedded Verigator API over HTTP (as it calls a remote one)"
PHONE_VERIFY_TEST_VERIGATOR=http cargo test --release --no-default-features --features ssr --test api

echo
echo "==> the HTTP-level suite again, on PostgreSQL (a throwaway server, each test a database of its own)"
source scripts/postgres.sh
start_postgres
trap stop_postgres EXIT
cargo test --release --no-default-features --features ssr --test api
stop_postgres
trap - EXIT

echo
echo "==> end-to-end tests: release build of the server and the wasm, Playwright in Chromium"
# A database of this run's own, so that the abuse guard's counts start at zero; the server
# believes the client address each test names (end2end/tests/support.ts), as it would a
# reverse proxy's on loopback.
rm -f target/end2end/phone-verify.db*
# The tests talk to 127.0.0.1:3000 and serve host pages on 4000 to 4002: a server left running
# there would answer in place of this build's.
for port in 3000 4000 4001 4002; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "error: something already listens on 127.0.0.1:$port; stop it (e.g. ./scripts/run.sh) and run the tests again" >&2
    exit 1
  fi
done
e2e_log=target/end2end/playwright.log
mkdir -p target/end2end
# RUST_LIB_BACKTRACE=0: a failed test run is not a crash of cargo-leptos, so its error report
# needs no backtrace (panics keep theirs). The log is kept so that a failure can be shown again
# at the end, after the server's shutdown output.
if ! DATABASE_URL=sqlite://target/end2end/phone-verify.db \
  PHONE_VERIFY_CLIENT_IP_HEADER=x-forwarded-for \
  PHONE_VERIFY_TRUSTED_PROXIES=127.0.0.1/32 \
  RUST_LIB_BACKTRACE=0 \
  cargo leptos end-to-end --release 2>&1 | tee "$e2e_log"; then
  echo
  echo "==> end-to-end tests FAILED; Playwright's report, without the server's log lines:"
  # The report starts at the first numbered failure; the server's lines carry a timestamp.
  sed -n '/^  1) /,$p' "$e2e_log" | grep -v -E $'^(\e\\[[0-9;]*m)?[0-9]{4}-[0-9]{2}-[0-9]{2}T' | head -150
  echo "==> traces: end2end/test-results/ (npx playwright show-trace <file>)"
  exit 1
fi
# A test that failed once and passed on its retry is named, never hidden.
if grep -q -E '^  [0-9]+ flaky' "$e2e_log"; then
  echo "==> end-to-end tests that needed their retry:"
  sed -n '/^  [0-9]* flaky/,/^  [0-9]* passed/p' "$e2e_log" | grep -v -E $'^(\e\\[[0-9;]*m)?[0-9]{4}-'
fi

echo
echo "==> all tests passed in $(( $(date +%s) - started ))s (after setup)"
