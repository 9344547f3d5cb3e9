#!/usr/bin/env bash
# Installs everything the project needs to build, run and test, then exports the environment.
#
# Source it (`source scripts/setup.sh`, as scripts/run.sh and scripts/test.sh do) or run it
# (`bash scripts/setup.sh`). It is idempotent: what is installed already is skipped, so a second
# run takes seconds. It prints each step and how long it took.
#
# Installs (Debian bookworm or newer, as root or with sudo):
#   * a Rust toolchain that can build wasm32: rustup's stable with `rustup target add
#     wasm32-unknown-unknown` and `rust-src` where rustup can download them, otherwise Debian's
#     rustc-web 1.96 + rust-web-src + lld-22 (std for wasm32 is rebuilt from source either way:
#     see lib-cargo-args in Cargo.toml);
#   * cargo-leptos (built with `no_downloads`, so it never fetches tools itself) and
#     wasm-bindgen-cli at exactly the version in Cargo.lock, into $PHONE_VERIFY_TOOLS/bin;
#   * wasm-opt from the npm package `binaryen` (Debian's binaryen is too old for this rustc);
#   * Debian's chromium and the Playwright npm packages of end2end/ (no browser download).
#
# Knobs:
#   PHONE_VERIFY_TOOLS      where tools go (default ~/.cache/phone-verify/tools); kept across
#                           clones, so CI and every checkout on a machine build them once
#   PHONE_VERIFY_TOOLCHAIN  auto (default) | rustup | debian
#   CARGO_TARGET_DIR        build directory (default: target/ in the checkout; not shared between
#                           checkouts, whose binaries would overwrite each other's)

_pv_setup() {
  set -euo pipefail
  local root tools cargo_leptos_version binaryen_version
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  tools=${PHONE_VERIFY_TOOLS:-$HOME/.cache/phone-verify/tools}
  cargo_leptos_version=0.3.11
  binaryen_version=132.0.0
  local min_rustc=1.88 # leptos 0.8

  local step_started
  step() { step_started=$(date +%s); printf '\n==> %s\n' "$*"; }
  done_step() { printf '    done in %ss\n' "$(( $(date +%s) - step_started ))"; }
  die() { printf '\nERROR: %s\n' "$*" >&2; return 1; }

  # ------------------------------------------------------------------ the machine
  if ! command -v apt-get >/dev/null 2>&1 || [ ! -f /etc/debian_version ]; then
    cat >&2 <<EOF
This setup script installs packages with apt-get on Debian (bookworm or newer).
On another system install these yourself, then run the project's commands again:
  * Rust >= $min_rustc with the wasm32-unknown-unknown target and the rust-src component
    (rustup target add wasm32-unknown-unknown && rustup component add rust-src)
  * cargo install --locked --features no_downloads cargo-leptos@$cargo_leptos_version
  * cargo install --locked wasm-bindgen-cli@<the wasm-bindgen version in Cargo.lock>
  * wasm-opt from binaryen >= 117 (npm: binaryen@$binaryen_version), on PATH
  * Node.js >= 18 with npm, and Chromium (set CHROMIUM_PATH to its executable)
EOF
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "run as root, or install sudo"
    sudo=sudo
  fi
  mkdir -p "$tools/bin" "$tools/node"

  local apt_updated=0
  apt_install() {
    local missing=() p
    for p in "$@"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if ((${#missing[@]} == 0)); then echo "    already installed: $*"; return 0; fi
    echo "    installing: ${missing[*]}"
    if [ "$apt_updated" = 0 ]; then $sudo apt-get update -qq; apt_updated=1; fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  }

  step "system packages (chromium, Node.js, build tools)"
  local node_pkgs=()
  command -v node >/dev/null 2>&1 || node_pkgs+=(nodejs)
  command -v npm >/dev/null 2>&1 || node_pkgs+=(npm)
  apt_install chromium ca-certificates gcc libc6-dev pkg-config curl "${node_pkgs[@]}"
  done_step

  # ------------------------------------------------------------------ Rust for wasm32
  step "Rust toolchain that builds wasm32"
  local toolchain=${PHONE_VERIFY_TOOLCHAIN:-auto} cargo_bin
  if [ "$toolchain" != debian ] && command -v rustup >/dev/null 2>&1; then
    if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
       && [ -d "$(rustc --print sysroot 2>/dev/null)/lib/rustlib/src/rust/library" ]; then
      echo "    rustup: wasm32-unknown-unknown and rust-src already installed"
      toolchain=rustup
    elif timeout 120 rustup target add wasm32-unknown-unknown \
         && timeout 120 rustup component add rust-src; then
      toolchain=rustup
    elif [ "$toolchain" = rustup ]; then
      die "rustup could not add wasm32-unknown-unknown and rust-src"
    else
      echo "    rustup cannot download the wasm32 target here: using Debian's Rust instead"
      toolchain=debian
    fi
  else
    toolchain=debian
  fi
  if [ "$toolchain" = debian ]; then
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
    [ -f /usr/lib/rustlib/src/rust/library/Cargo.lock ] || die "rust-web-src did not install std's source"
    /usr/bin/rust-lld -flavor wasm --version >/dev/null 2>&1 || die "/usr/bin/rust-lld does not run (is lld-22 installed?)"
    cargo_bin=/usr/bin/cargo
  else
    cargo_bin=$(command -v cargo)
  fi
  echo "    using the $toolchain toolchain: $($cargo_bin --version)"
  done_step

  # ------------------------------------------------------------------ environment
  # Debian's cargo must come before rustup's proxies when it is the chosen one.
  local path_prefix="$tools/bin:$tools/node/node_modules/.bin"
  [ "$toolchain" = debian ] && path_prefix="$path_prefix:/usr/bin"
  cat > "$tools/env.sh" <<EOF
# Written by scripts/setup.sh: the environment for building, running and testing.
export PATH="$path_prefix:\$PATH"
# -Zbuild-std (lib-cargo-args in Cargo.toml) is an unstable cargo flag.
export RUSTC_BOOTSTRAP=1
# cargo-leptos sets this while building; plain cargo must agree, or leptos is rebuilt each time.
export LEPTOS_OUTPUT_NAME=phone_verify
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROMIUM_PATH="\${CHROMIUM_PATH:-/usr/bin/chromium}"
export PHONE_VERIFY_TOOLCHAIN_IN_USE=$toolchain
EOF
  # shellcheck disable=SC1091
  source "$tools/env.sh"
  [ "$(command -v cargo)" = "$cargo_bin" ] || die "cargo on PATH is $(command -v cargo), expected $cargo_bin"
  local rustc_version
  rustc_version=$(rustc --version | awk '{print $2}')
  [ "$(printf '%s\n%s\n' "$min_rustc" "$rustc_version" | sort -V | head -1)" = "$min_rustc" ] \
    || die "rustc $rustc_version is older than $min_rustc"

  # ------------------------------------------------------------------ cargo tools
  step "cargo-leptos $cargo_leptos_version (takes about 35 minutes once per machine on 2 cores)"
  if [ "$("$tools/bin/cargo-leptos" --version 2>/dev/null || true)" = "cargo-leptos $cargo_leptos_version" ]; then
    echo "    already installed"
  else
    cargo install --locked --features no_downloads "cargo-leptos@$cargo_leptos_version" --root "$tools"
  fi
  done_step

  local wb_version
  wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
  [ -n "$wb_version" ] || die "no wasm-bindgen in Cargo.lock"
  step "wasm-bindgen-cli $wb_version (the wasm-bindgen version in Cargo.lock)"
  if [ "$("$tools/bin/wasm-bindgen" --version 2>/dev/null || true)" = "wasm-bindgen $wb_version" ]; then
    echo "    already installed"
  else
    cargo install --locked --force "wasm-bindgen-cli@$wb_version" --root "$tools"
  fi
  done_step

  # ------------------------------------------------------------------ npm tools
  step "wasm-opt (npm binaryen@$binaryen_version)"
  if "$tools/node/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${binaryen_version%%.*}"; then
    echo "    already installed"
  else
    printf '{ "private": true, "devDependencies": { "binaryen": "%s" } }\n' "$binaryen_version" > "$tools/node/package.json"
    (cd "$tools/node" && npm install --no-audit --no-fund --loglevel=error)
  fi
  [ "$(command -v wasm-opt)" = "$tools/node/node_modules/.bin/wasm-opt" ] \
    || die "wasm-opt on PATH is $(command -v wasm-opt), expected the npm one"
  done_step

  step "Playwright packages for end2end/ (Debian's chromium, no browser download)"
  local stamp="$root/end2end/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$root/end2end/package-lock.json" ]; then
    echo "    already installed"
  else
    (cd "$root/end2end" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  done_step

  printf '\n==> ready: %s, %s, %s, %s, chromium %s\n' \
    "$(rustc --version | awk '{print "rustc " $2}')" "$(cargo-leptos --version)" \
    "$(wasm-bindgen --version)" "$(wasm-opt --version | awk '{print "wasm-opt " $3}')" \
    "$("$CHROMIUM_PATH" --version 2>/dev/null | awk '{print $2}')"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  _pv_setup
else
  _pv_setup || return 1
fi
