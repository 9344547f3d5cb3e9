#!/usr/bin/env bash
# Measures what the widget's pages transfer, compressed as the server sends them to a browser
# (gzip, and brotli, which browsers prefer over HTTPS), from one release build. Usage: ./scripts/size-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
port=3099
source scripts/release-server.sh

encoded_size() { curl -sf -H "Accept-Encoding: $2" -o /dev/null -w '%{size_download}' "$base$1"; }
table() {
  local title=$1; shift
  printf '\n| %s | raw bytes | gzip bytes | brotli bytes |\n|---|---|---|---|\n' "$title"
  local total_raw=0 total_gz=0 total_br=0 r g b
  for path in "$@"; do
    r=$(encoded_size "$path" identity); g=$(encoded_size "$path" gzip); b=$(encoded_size "$path" br)
    total_raw=$((total_raw + r)); total_gz=$((total_gz + g)); total_br=$((total_br + b))
    printf '| %s | %d | %d | %d |\n' "${path%%\?*}" "$r" "$g" "$b"
  done
  printf '| **total** | %d | %d (%s KB) | %d (%s KB) |\n' "$total_raw" "$total_gz" \
    "$(awk "BEGIN { printf \"%.1f\", $total_gz / 1000 }")" "$total_br" \
    "$(awk "BEGIN { printf \"%.1f\", $total_br / 1000 }")"
}

# An embed session of the demo site, started from the demo host page's signed link.
embed_url=$(curl -sf -H "Host: localhost:$port" "$base/" | grep -o 'data-phone-verify="[^"]*"' | head -1 \
  | sed -e 's/^data-phone-verify="//' -e 's/"$//' -e 's/&amp;/\&/g' -e "s#^http://127.0.0.1:$port##")
session_page=$(curl -s -o /dev/null -w '%{redirect_url}' "$base$embed_url" | sed "s#^http://127.0.0.1:$port##")

# The build's files as the page names them (content-hashed names: hash-files).
mapfile -t assets < <(curl -sf "$base$session_page" | grep -o '/pkg/[^"]*' | sort -u)
[ "${#assets[@]}" = 3 ] || { echo "expected the page to name 3 /pkg files, found: ${assets[*]}" >&2; exit 1; }
table "/embed page (in the host's iframe)" "$session_page" "${assets[@]}" /embed-frame.js
table "/verify (phone check page)" /verify "${assets[@]}"
table "host page loader" /embed.js
