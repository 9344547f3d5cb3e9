#!/usr/bin/env bash
# Measures what the hosted page transfers: HTML, JS, wasm and CSS as the server sends them
# gzip-compressed, one release build, printed as a table. Usage: ./scripts/size-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >/dev/null
echo "==> release build"
cargo leptos build --release 2>&1 | tail -1
port=3099
db=$(mktemp -d)
LEPTOS_SITE_ADDR=127.0.0.1:$port DATABASE_URL="sqlite://$db/size.db" RUST_LOG=warn \
  "$CARGO_TARGET_DIR/release/phone-verify" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$db"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/verify" -o /dev/null && break; sleep 0.1; done

size() { curl -sf -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port$1"; }
raw() { curl -sf -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port$1"; }
printf '\n| /verify transfers | raw bytes | gzip bytes |\n|---|---|---|\n'
total_raw=0; total_gz=0
for path in /verify /pkg/phone_verify.js /pkg/phone_verify.wasm /pkg/phone_verify.css; do
  r=$(raw "$path"); g=$(size "$path")
  total_raw=$((total_raw + r)); total_gz=$((total_gz + g))
  printf '| %s | %d | %d |\n' "$path" "$r" "$g"
done
printf '| **total** | %d | %d (%s KB) |\n' "$total_raw" "$total_gz" "$(awk "BEGIN { printf \"%.1f\", $total_gz / 1000 }")"
