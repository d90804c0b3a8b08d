#!/usr/bin/env bash
# The test command (`npm test`): build, static checks, unit and integration
# tests, the timing-sensitive scale tests on their own, then end-to-end tests in Chromium against browser mode. Tests that
# need an OS keychain run inside a private D-Bus session with a throw-away,
# unlocked gnome-keyring, so nothing touches the user's own keychain.
# Prints one closing line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

reports=.reports
rm -rf "$reports" && mkdir -p "$reports"
status=0

step() {
  local name=$1
  echo "== $name"
  shift
  if ! "$@"; then
    echo "FAILED: $*"
    echo "$name" >>"$reports/failed-steps.txt"
    status=1
  fi
}

step "build" npm run --silent build
step "typecheck" npm run --silent typecheck
step "lint" npm run --silent lint

step "unit and integration tests" e2e/support/with-keyring.sh \
  npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json"

# Timing-sensitive renewal tests at full size, alone: beside the other test
# files they would compete for the two cores and measure the machine's load.
step "scale tests (renewal timing)" e2e/support/with-keyring.sh \
  npx vitest run --mode scale --project main \
  --reporter=default --reporter=json --outputFile.json="$reports/vitest-scale.json"

step "end-to-end tests (Chromium, browser mode)" e2e/support/with-keyring.sh \
  npx playwright test --config e2e/playwright.config.ts

node .ci/summarize.mjs "$reports" || status=1
exit $status
