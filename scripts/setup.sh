#!/usr/bin/env bash
# Installs everything the project needs to build, run and test, then exports the environment.
#
# Source it (`source scripts/setup.sh`, as scripts/run.sh and scripts/test.sh do) or run it
# (`bash scripts/setup.sh`). It is idempotent: what is installed already is skipped, so a second
# run takes seconds. It prints each step and how long it took, and it stops at the first step
# that fails, naming the step, the command and its exit status.
#
# Installs (Debian bookworm or newer, as root or with sudo):
#   * a Rust toolchain that can build wasm32: rustup's, with `rustup target add
#     wasm32-unknown-unknown` and `rust-src`, when it can download them and its rustc is at
#     least $min_rustc; otherwise Debian's rustc-web 1.96 + rust-web-src + lld-22 (std for wasm32
#     is rebuilt from source either way: see lib-cargo-args in Cargo.toml);
#   * cargo-leptos, from its crate with the lock file in scripts/tools/ (its own lock file needs
#     a newer rustc than 1.95), and wasm-bindgen-cli at exactly the version in Cargo.lock, built
#     together into $PHONE_VERIFY_TOOLS/bin;
#   * wasm-opt from the npm package `binaryen` (Debian's binaryen is too old for this rustc);
#   * Debian's chromium and the Playwright npm packages of end2end/ (no browser download).
#
# Knobs:
#   PHONE_VERIFY_TOOLS      where tools go (default ~/.cache/phone-verify/tools); kept across
#                           clones, so CI and every checkout on a machine build them once
#   PHONE_VERIFY_TOOLCHAIN  auto (default) | rustup | debian
#   RUSTUP_TOOLCHAIN        which of rustup's toolchains to use (rustup's own variable), for
#                           example 1.95.0 to build with the oldest Rust the project is tested on
#   PHONE_VERIFY_CARGO_LEPTOS_VERSION  another cargo-leptos than the tested one (installed from
#                           the registry with its own lock file)
#   CARGO_TARGET_DIR        build directory (default: target/ in the checkout; not shared between
#                           checkouts, whose binaries would overwrite each other's)

# ---------------------------------------------------------------------- sourced
# Sourced, it installs in a child process and then takes the environment that process wrote.
# The install cannot run as a function here: bash ignores `set -e` inside a function called on
# the left of `||`, so a failed step would carry on.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  bash "${BASH_SOURCE[0]}" || return 1
  # shellcheck disable=SC1091
  source "${PHONE_VERIFY_TOOLS:-$HOME/.cache/phone-verify/tools}/env.sh" || return 1
  return 0
fi

# ---------------------------------------------------------------------- run
set -Eeuo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=${PHONE_VERIFY_TOOLS:-$HOME/.cache/phone-verify/tools}
# The oldest rustc this project is built and tested with (rustup's stable on the build machine).
# An older rustup toolchain is passed over for Debian's rustc-web.
min_rustc=1.95
# cargo-leptos: the tested version, its crate's checksum, and the lock file it builds with.
tested_cargo_leptos=0.3.11
cargo_leptos_version=${PHONE_VERIFY_CARGO_LEPTOS_VERSION:-$tested_cargo_leptos}
cargo_leptos_sha256=2d8cab2c1d4397b3275fd234757d6467c3db7b2fde13377ef9d543a5e80b0be0
cargo_leptos_lock=$root/scripts/tools/cargo-leptos-$tested_cargo_leptos.Cargo.lock
binaryen_version=132.0.0

step_name="start"
step_started=$(date +%s)
last_command=""
# step NAME [NOTE]: a heading; NOTE (how long it takes, say) is printed beside it only.
step() { step_name=$1; last_command=""; step_started=$(date +%s); printf '\n==> %s%s\n' "$1" "${2:+ ($2)}"; }
done_step() { printf '    done in %ss\n' "$(( $(date +%s) - step_started ))"; }
# run COMMAND...: prints the command, then runs it; a failure reports it as typed here.
run() {
  last_command=$*
  printf '    $ %s\n' "$*"
  local status=0
  "$@" || status=$?
  [ "$status" != 0 ] || last_command=""
  return "$status"
}
fail() {
  printf '\nsetup failed at step: %s\n  %s\n' "$step_name" "$1" >&2
  printf 'Nothing after this step ran. Fix the cause above and run the command again.\n' >&2
  exit 1
}
on_error() {
  local status=$1 command=$2 line=$3
  # Command substitutions inherit the trap: only the script's own process reports.
  [ "$BASHPID" = "$$" ] || exit "$status"
  fail "command: ${last_command:-$command}
  exit status $status (scripts/setup.sh, line $line)"
}
trap 'on_error "$?" "$BASH_COMMAND" "$LINENO"' ERR

version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }

# ---------------------------------------------------------------------- the machine
if ! command -v apt-get >/dev/null 2>&1 || [ ! -f /etc/debian_version ]; then
  cat >&2 <<EOF
This setup script installs packages with apt-get on Debian (bookworm or newer).
On another system install these yourself, then run the project's commands again:
  * Rust >= $min_rustc with the wasm32-unknown-unknown target and the rust-src component
    (rustup target add wasm32-unknown-unknown && rustup component add rust-src)
  * cargo-leptos $tested_cargo_leptos, built with --features no_downloads from its crate and
    the lock file scripts/tools/cargo-leptos-$tested_cargo_leptos.Cargo.lock
    (cargo install --locked --features no_downloads --path <the unpacked crate>)
  * cargo install --locked wasm-bindgen-cli@<the wasm-bindgen version in Cargo.lock>
  * wasm-opt from binaryen >= 117 (npm: binaryen@$binaryen_version), on PATH
  * Node.js >= 18 with npm, and Chromium (set CHROMIUM_PATH to its executable)
EOF
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "run as root, or install sudo"
  sudo=sudo
fi
mkdir -p "$tools/bin" "$tools/node"

apt_updated=0
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then echo "    already installed: $*"; return 0; fi
  echo "    installing: ${missing[*]}"
  # dpkg's own lines go to a log, shown if the install fails.
  if [ "$apt_updated" = 0 ]; then run $sudo apt-get update -qq; apt_updated=1; fi
  if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       "${missing[@]}" >"$tools/apt.log" 2>&1; then
    tail -n 20 "$tools/apt.log" >&2
    fail "command: apt-get install ${missing[*]} (its log: $tools/apt.log)"
  fi
}

step "system packages" "chromium, Node.js, build tools, sqlite3, PostgreSQL for the tests"
node_pkgs=()
command -v node >/dev/null 2>&1 || node_pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || node_pkgs+=(npm)
apt_install chromium ca-certificates gcc libc6-dev pkg-config curl sqlite3 postgresql "${node_pkgs[@]}"
done_step

# ---------------------------------------------------------------------- Rust for wasm32
step "Rust toolchain that builds wasm32"
toolchain=${PHONE_VERIFY_TOOLCHAIN:-auto}
case "$toolchain" in auto | rustup | debian) ;; *) fail "PHONE_VERIFY_TOOLCHAIN=$toolchain: use auto, rustup or debian" ;; esac
rustup_rustc=""
if [ "$toolchain" != debian ] && command -v rustup >/dev/null 2>&1; then
  rustup_rustc=$(rustc --version 2>/dev/null | awk '{print $2}' || true)
fi
if [ "$toolchain" != debian ] && [ -z "$rustup_rustc" ]; then
  [ "$toolchain" = rustup ] && fail "PHONE_VERIFY_TOOLCHAIN=rustup, but rustup's rustc does not run"
  echo "    no rustup toolchain: using Debian's Rust"
  toolchain=debian
elif [ "$toolchain" != debian ] && ! version_at_least "${rustup_rustc%%-*}" "$min_rustc"; then
  [ "$toolchain" = rustup ] && fail "rustup's rustc $rustup_rustc is older than $min_rustc"
  echo "    rustup's rustc $rustup_rustc is older than $min_rustc: using Debian's Rust"
  toolchain=debian
fi
if [ "$toolchain" != debian ]; then
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
     && [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    echo "    rustup $rustup_rustc: wasm32-unknown-unknown and rust-src already installed"
    toolchain=rustup
  elif run timeout 120 rustup target add wasm32-unknown-unknown \
       && run timeout 120 rustup component add rust-src; then
    toolchain=rustup
  elif [ "$toolchain" = rustup ]; then
    fail "rustup could not add wasm32-unknown-unknown and rust-src"
  else
    echo "    rustup cannot download the wasm32 target here: using Debian's Rust"
    toolchain=debian
  fi
fi
if [ "$toolchain" = debian ]; then
  apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
  [ -f /usr/lib/rustlib/src/rust/library/Cargo.lock ] || fail "rust-web-src did not install std's source"
  /usr/bin/rust-lld -flavor wasm --version >/dev/null 2>&1 || fail "/usr/bin/rust-lld does not run (is lld-22 installed?)"
  cargo_bin=/usr/bin/cargo
else
  cargo_bin=$(command -v cargo)
fi
done_step

# ---------------------------------------------------------------------- environment
# Debian's cargo must come before rustup's proxies when it is the chosen one.
path_prefix="$tools/bin:$tools/node/node_modules/.bin"
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
[ "$(command -v cargo)" = "$cargo_bin" ] || fail "cargo on PATH is $(command -v cargo), expected $cargo_bin"
rustc_version=$(rustc --version | awk '{print $2}')
version_at_least "${rustc_version%%-*}" "$min_rustc" || fail "rustc $rustc_version is older than $min_rustc"
echo "    using the $toolchain toolchain: $(cargo --version)"

# ---------------------------------------------------------------------- cargo tools
# Both tools are built without optimisation: 4 minutes instead of 14 on 2 cores, and they run
# about as fast on this project's small files (README, "What setup installs"). They share one
# build directory, so the dependencies they have in common are compiled once.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
[ -n "$wb_version" ] || fail "no wasm-bindgen in Cargo.lock"
tools_build=$tools/build
tool_profile=(
  CARGO_TARGET_DIR="$tools_build"
  CARGO_PROFILE_RELEASE_LTO=false
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0
  CARGO_PROFILE_RELEASE_DEBUG=0
  CARGO_PROFILE_RELEASE_INCREMENTAL=false
)

step "cargo-leptos $cargo_leptos_version" "about 4 minutes, once per machine, on 2 cores"
if [ "$("$tools/bin/cargo-leptos" --version 2>/dev/null || true)" = "cargo-leptos $cargo_leptos_version" ]; then
  echo "    already installed"
elif [ "$cargo_leptos_version" = "$tested_cargo_leptos" ]; then
  # The crate from the registry, checked against its known checksum, built with our lock file.
  src=$tools/src/cargo-leptos-$cargo_leptos_version
  rm -rf "$src" && mkdir -p "$tools/src"
  run curl -fsSL --retry 3 -o "$src.crate" \
    "https://static.crates.io/crates/cargo-leptos/cargo-leptos-$cargo_leptos_version.crate"
  echo "$cargo_leptos_sha256  $src.crate" | sha256sum --check --quiet
  tar -xzf "$src.crate" -C "$tools/src"
  cp "$cargo_leptos_lock" "$src/Cargo.lock"
  run env "${tool_profile[@]}" cargo install --locked --features no_downloads --path "$src" --root "$tools"
  rm -rf "$src" "$src.crate"
else
  run env "${tool_profile[@]}" cargo install --locked --features no_downloads "cargo-leptos@$cargo_leptos_version" --root "$tools"
fi
[ "$(cargo-leptos --version)" = "cargo-leptos $cargo_leptos_version" ] \
  || fail "cargo-leptos --version answers '$(cargo-leptos --version)', expected $cargo_leptos_version"
done_step

step "wasm-bindgen-cli $wb_version" "the wasm-bindgen version in Cargo.lock"
if [ "$("$tools/bin/wasm-bindgen" --version 2>/dev/null || true)" = "wasm-bindgen $wb_version" ]; then
  echo "    already installed"
else
  run env "${tool_profile[@]}" cargo install --locked --force "wasm-bindgen-cli@$wb_version" --root "$tools"
fi
[ "$(wasm-bindgen --version)" = "wasm-bindgen $wb_version" ] \
  || fail "wasm-bindgen --version answers '$(wasm-bindgen --version)', expected $wb_version"
# The build directory is only worth keeping while both tools are being built.
rm -rf "$tools_build"
done_step

# ---------------------------------------------------------------------- npm tools
step "wasm-opt" "npm binaryen@$binaryen_version"
if "$tools/node/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${binaryen_version%%.*}"; then
  echo "    already installed"
else
  printf '{ "private": true, "devDependencies": { "binaryen": "%s" } }\n' "$binaryen_version" > "$tools/node/package.json"
  run npm install --prefix "$tools/node" --no-audit --no-fund --loglevel=error
fi
[ "$(command -v wasm-opt)" = "$tools/node/node_modules/.bin/wasm-opt" ] \
  || fail "wasm-opt on PATH is $(command -v wasm-opt), expected the npm one"
done_step

step "Playwright packages for end2end/" "Debian's chromium, no browser download"
stamp="$root/end2end/node_modules/.package-lock.json"
if [ -f "$stamp" ] && [ "$stamp" -nt "$root/end2end/package-lock.json" ]; then
  echo "    already installed"
else
  run npm ci --prefix "$root/end2end" --no-audit --no-fund --loglevel=error
fi
done_step

printf '\n==> ready: %s, %s, %s, %s, chromium %s\n' \
  "$(rustc --version | awk '{print "rustc " $2}')" "$(cargo-leptos --version)" \
  "$(wasm-bindgen --version)" "$(wasm-opt --version | awk '{print "wasm-opt " $3}')" \
  "$("$CHROMIUM_PATH" --version 2>/dev/null | awk '{print $2}')"
