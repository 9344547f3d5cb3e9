# Sourced by the scripts that look at a running product (size-report.sh, screenshots.sh): builds
# the release, starts it in development mode on 127.0.0.1:$port with a database of its own, stops
# it (and deletes that database) when the script exits, and waits until it answers.
# Usage: port=3099; source scripts/release-server.sh   (then: $base is its address)
source scripts/setup.sh >/dev/null
echo "==> release build"
cargo leptos build --release 2>&1 | tail -1
db=$(mktemp -d)
export LEPTOS_ENV=DEV DATABASE_URL="sqlite://$db/release-server.db"
LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn "${CARGO_TARGET_DIR:-target}/release/phone-verify" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$db"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/verify" -o /dev/null && break; sleep 0.1; done
