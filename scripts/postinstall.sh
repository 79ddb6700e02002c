#!/usr/bin/env bash
# `npm install`'s postinstall: the Prisma clients, then the agent console (console/dist). The
# image's dependency stage sets SETTLE_SKIP_CONSOLE_BUILD=1: it has the packages but not the sources,
# and a later stage builds the console.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prisma-generate.sh
if [[ "${SETTLE_SKIP_CONSOLE_BUILD:-}" == 1 ]]; then
  echo "[console] build skipped (SETTLE_SKIP_CONSOLE_BUILD=1)"
else
  npx --no-install tsx scripts/build-console.ts
fi
