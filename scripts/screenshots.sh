#!/usr/bin/env bash
# Pictures every step of the widget (light and dark, left to right and right to left, 320 and
# 480 CSS px wide) into docs/screenshots/, for the README. Usage: ./scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# Each picture's visitor has an address of its own (support.ts), as in scripts/test.sh: the abuse
# guard would otherwise count every code as one client's.
export PHONE_VERIFY_CLIENT_IP_HEADER=x-forwarded-for PHONE_VERIFY_TRUSTED_PROXIES=127.0.0.1/32
port=3098
source scripts/release-server.sh
echo "==> pictures into docs/screenshots/"
mkdir -p docs/screenshots
(cd end2end && BASE_URL="$base" npx playwright test --config screenshots.config.ts)
ls docs/screenshots | wc -l | xargs printf '==> %s pictures\n'
