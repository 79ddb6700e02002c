#!/usr/bin/env bash
# `npm test`: static checks, then every test against real components — the Temporal dev server,
# the Java time-skipping test server and the Temporal server on PostgreSQL, SQLite and PostgreSQL,
# SMTP on loopback, Chromium for the console and the customer page. Installs what is missing
# (Temporal CLI, server and UI, test server, PostgreSQL, Chromium) and stops only what it started.
# Ends with the count of tests of every vitest pass together (scripts/test-tally.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
# Into a log file (CI) the output is plain text: no colour codes from this script, nor from
# vitest, which colours whenever CI is set.
if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; export NO_COLOR=1; fi
step() { printf '\n%s== %s%s (%ss)\n' "$bold" "$*" "$plain" "$(($(date +%s) - started))"; }
# Each vitest pass also writes a JSON report here; the last step adds them up.
results=var/test-results
rm -rf "$results"
vitest_pass() {
  local name=$1
  shift
  npx --no-install vitest run --reporter=default --reporter=json \
    --outputFile.json="$results/$name.json" "$@"
}

step "Prisma schemas in sync"
npx --no-install tsx scripts/prisma-schemas.ts --check
step "agent console build (typed client from the API's OpenAPI document)"
npx --no-install tsx scripts/build-console.ts
step "typecheck"
npx --no-install tsc --noEmit
npx --no-install tsc --noEmit -p console
step "lint"
npx --no-install eslint --max-warnings 0 .

step "tools: Temporal CLI, server and UI, time-skipping test server"
bash scripts/setup.sh --cluster --test-server

step "schemathesis (the contract test's OpenAPI fuzzer, pinned, from PyPI)"
bash scripts/install-schemathesis.sh

step "Chromium (Debian's package, for the browser tests)"
bash scripts/install-chromium.sh
# playwright-core drives Debian's Chromium; nothing may try to download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

step "PostgreSQL"
pg_was_running=yes
bash scripts/postgres.sh status >/dev/null 2>&1 || pg_was_running=no
SETTLE_TEST_PG_URL="$(bash scripts/postgres.sh ensure | tail -n 1)"
export SETTLE_TEST_PG_URL
if [[ $pg_was_running == no ]]; then
  trap 'bash scripts/postgres.sh stop' EXIT
fi

if (($# > 0)); then
  step "tests: $*"
  vitest_pass tests "$@"
else
  # test/workflow-fast runs here: fake activities finish at once, so its files, each with its own
  # time-skipping server, run beside the others.
  step "tests: unit, integration, replay, workflows with fake activities"
  vitest_pass 1-main --exclude 'test/workflow/**' --exclude 'test/cluster/**' \
    --exclude 'test/contract/**'
  # Thousands of requests through the whole stack; alone, so its minutes and its SQLite are its own.
  step "contract test: schemathesis against the running stack"
  vitest_pass 2-contract test/contract/
  # Each file runs a Temporal server on PostgreSQL, the API and two workers, and kills some of them.
  step "cluster tests (Temporal server on PostgreSQL), one file at a time"
  vitest_pass 3-cluster --no-file-parallelism test/cluster/
  # Time-skipping tests jump the server clock by days; alone on the machine, no activity of theirs
  # is still running (and timed out in skipped time) when the clock jumps.
  # The trailing slash matters: vitest filters by substring, and test/workflow-fast ran above.
  step "workflow tests (time skipping), one file at a time"
  vitest_pass 4-time-skipping --no-file-parallelism test/workflow/
fi
step "done"
npx --no-install tsx scripts/test-tally.ts "$results"/*.json
