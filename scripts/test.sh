#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests, then Playwright end to end in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
started=$(date +%s)

echo
echo "==> setup stops at its first failure, from every entry point"
tests/setup_stops_on_failure.sh

echo
echo "==> Rust unit and integration tests (release profile: shares its build with the server's)"
cargo test --release --no-default-features --features ssr

echo
echo "==> end-to-end tests: release build of the server and the wasm, Playwright in Chromium"
cargo leptos end-to-end --release

echo
echo "==> all tests passed in $(( $(date +%s) - started ))s (after setup)"
