#!/usr/bin/env bash
# Runs the README's test command as a machine that has never seen the project would: in a fresh
# clone of this checkout's HEAD, with an empty tools directory, an empty build directory and an
# empty cargo home (so every crate is downloaded again), then once more in the same clone (warm).
# Prints the times as a row for the README's "Measured" table.
#
# Usage: scripts/check-fresh-setup.sh [--rust TOOLCHAIN] [--keep]
#   --rust TOOLCHAIN  build with this rustup toolchain (RUSTUP_TOOLCHAIN), e.g. 1.95.0, the
#                     oldest the project is tested on; default: the machine's default
#   --keep            keep the scratch directory (clone, tools, logs) for a look afterwards
#
# Debian packages and rustup's wasm32 target are installed for the whole machine and stay
# installed: only a new machine shows their time (about 20 s and a few seconds). Takes 40 minutes
# or more on 2 cores: run it after a change to setup, not in CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rust) export RUSTUP_TOOLCHAIN=${2:?--rust needs a toolchain name}; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--rust TOOLCHAIN] [--keep]" >&2; exit 2 ;;
  esac
done

scratch=$(mktemp -d /var/tmp/phone-verify-fresh.XXXXXX)
[ "$keep" = 1 ] || trap 'rm -rf "$scratch"' EXIT
echo "==> scratch directory $scratch"
git clone --quiet "$root" "$scratch/clone"
echo "    clone of $(git -C "$scratch/clone" log -1 --format='%h %s')"
[ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] \
  || echo "    note: uncommitted changes in $root are not in the clone"

export PHONE_VERIFY_TOOLS=$scratch/tools
export CARGO_HOME=$scratch/cargo-home
# rustup's toolchains and proxies stay where they are (RUSTUP_HOME); crates go to the scratch.
unset CARGO_TARGET_DIR

# run_timed LABEL LOG: runs the README's test command in the clone; sets `seconds`.
run_timed() {
  local started=$(date +%s) status=0
  echo
  echo "==> $1 (log: $2)"
  (cd "$scratch/clone" && ./scripts/test.sh) 2>&1 | tee "$2" || status=$?
  seconds=$(( $(date +%s) - started ))
  if [ "$status" != 0 ]; then
    echo "==> $1 FAILED after ${seconds}s (exit status $status)" >&2
    exit "$status"
  fi
}
minutes() { awk "BEGIN { printf \"%d min %02d s\", $1 / 60, $1 % 60 }"; }

run_timed "cold: tools, build and every test" "$scratch/cold.log"
cold=$seconds
# How much of the cold run was setup: the sum of its steps' "done in" lines.
setup=$(grep -E '^    done in [0-9]+s$' "$scratch/cold.log" | awk '{ s += $3 } END { print s + 0 }')
run_timed "warm: the same command again in the same clone" "$scratch/warm.log"
warm=$seconds

rustc=$(cd "$scratch/clone" && source "$PHONE_VERIFY_TOOLS/env.sh" && rustc --version | awk '{print $2}')
toolchain=$(cd "$scratch/clone" && source "$PHONE_VERIFY_TOOLS/env.sh" && echo "$PHONE_VERIFY_TOOLCHAIN_IN_USE")
echo
echo "==> fresh-machine check passed"
printf '| %s | %s | rustc %s (%s) | %s (setup %s) | %s |\n' \
  "$(date -u +%F)" "$(git -C "$scratch/clone" log -1 --format=%h)" "$rustc" "$toolchain" \
  "$(minutes "$cold")" "$(minutes "$setup")" "$(minutes "$warm")"
