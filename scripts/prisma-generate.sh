#!/usr/bin/env bash
# Generates the Prisma clients for SQLite and PostgreSQL (run by npm install's postinstall).
set -euo pipefail
cd "$(dirname "$0")/.."
# The CLI must not look for (or download) native engines: Settle uses the JS engine with driver adapters.
export PRISMA_SCHEMA_ENGINE_BINARY=/dev/null PRISMA_QUERY_ENGINE_LIBRARY=/dev/null PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
npx --no-install prisma generate --schema prisma/schema.prisma >/dev/null
npx --no-install prisma generate --schema prisma/postgresql/schema.prisma >/dev/null
echo "[prisma] clients generated for SQLite and PostgreSQL"
