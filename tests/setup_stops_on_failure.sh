#!/usr/bin/env bash
# Setup stops at its first failing step, from every entry point: it names the step and the
# command, exits non-zero, and nothing after it runs (no later step, no build, no test, no
# server). The failure is simulated with a cargo-leptos version that does not exist, installed
# into an empty tools directory, so nothing real is touched. Takes a few seconds a case.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export PHONE_VERIFY_TOOLS=$scratch/tools
export PHONE_VERIFY_CARGO_LEPTOS_VERSION=0.0.0-does-not-exist

failures=0
# What must never appear after setup has failed: a later setup step, or the entry point's work.
after_failure='==> (wasm-bindgen-cli|wasm-opt|Playwright|ready|Rust unit|end-to-end|building and serving)'

# expect NAME MESSAGE COMMAND...: COMMAND fails, printing MESSAGE and nothing of what follows.
expect() {
  local name=$1 message=$2 status=0
  shift 2
  "$@" >"$scratch/out" 2>&1 || status=$?
  local why=""
  if [ "$status" = 0 ]; then why="exited 0"
  elif ! grep -qF -- "$message" "$scratch/out"; then why="did not say: $message"
  elif grep -qE -- "$after_failure" "$scratch/out"; then why="went on: $(grep -E -- "$after_failure" "$scratch/out" | head -1)"
  fi
  if [ -n "$why" ]; then
    failures=$((failures + 1))
    printf 'FAIL %s: %s\n--- its output ---\n%s\n---\n' "$name" "$why" "$(tail -n 30 "$scratch/out")"
  else
    printf 'ok   %s (exit status %s)\n' "$name" "$status"
  fi
}

step_failed='setup failed at step: cargo-leptos 0.0.0-does-not-exist'
expect "bash scripts/setup.sh" "$step_failed" bash scripts/setup.sh
expect "bash scripts/setup.sh names the command" "command: env" bash scripts/setup.sh
expect "./scripts/test.sh" "$step_failed" ./scripts/test.sh
expect "./scripts/run.sh" "$step_failed" ./scripts/run.sh
expect "bash .ci/run" "$step_failed" bash .ci/run
# Sourced in an interactive-style shell: `source` returns 1, the shell lives on, and setup's
# own `set -e` does not leak into it.
expect "source scripts/setup.sh in a shell" "sourced: status 1, shell alive, errexit off" bash -c '
  source scripts/setup.sh
  status=$?
  case $- in *e*) errexit=on ;; *) errexit=off ;; esac
  echo "sourced: status $status, shell alive, errexit $errexit"
  exit 1'
# A check of setup's own, not a failing command, stops it the same way.
expect "a bad knob" "PHONE_VERIFY_TOOLCHAIN=neither: use auto, rustup or debian" \
  env PHONE_VERIFY_TOOLCHAIN=neither bash scripts/setup.sh

if [ "$failures" != 0 ]; then
  echo "$failures setup failure case(s) failed"
  exit 1
fi
echo "setup stops at its first failure from every entry point"
