#!/usr/bin/env bash
# Writes a new migration for both providers from the change in prisma/schema.prisma:
#   bash scripts/prisma-migration.sh NAME
# SQLite's SQL comes from a diff against a scratch database migrated to the current head;
# PostgreSQL's likewise, against the test cluster of scripts/postgres.sh.
set -euo pipefail
name="${1:?usage: prisma-migration.sh NAME}"
cd "$(dirname "$0")/.."
export PRISMA_SCHEMA_ENGINE_BINARY=/dev/null PRISMA_QUERY_ENGINE_LIBRARY=/dev/null PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
npx --no-install tsx scripts/prisma-schemas.ts
stamp="$(date -u +%Y%m%d%H%M%S)_${name}"
scratch="var/migration-scratch"
rm -rf "$scratch" && mkdir -p "$scratch"

diff_for() { # kind url schema dir
  local kind="$1" url="$2" schema="$3" dir="$4"
  DATABASE_URL="$url" npx --no-install prisma migrate deploy >/dev/null
  mkdir -p "$dir/$stamp"
  DATABASE_URL="$url" npx --no-install prisma migrate diff --from-url "$url" \
    --to-schema-datamodel "$schema" --script >"$dir/$stamp/migration.sql"
  if ! grep -q '[A-Z]' "$dir/$stamp/migration.sql" || grep -q 'empty migration' "$dir/$stamp/migration.sql"; then
    rm -r "${dir:?}/$stamp"; echo "[$kind] no changes"
  else
    echo "[$kind] wrote $dir/$stamp/migration.sql"
  fi
}

diff_for sqlite "file:./$scratch/scratch.db" prisma/schema.prisma prisma/migrations
pg_base="$(bash scripts/postgres.sh ensure | tail -n 1)"
db="settle_migration_$$"
bash scripts/postgres.sh createdb "$db" >/dev/null
diff_for postgresql "${pg_base%/*}/$db" prisma/postgresql/schema.prisma prisma/postgresql/migrations
bash scripts/prisma-generate.sh
