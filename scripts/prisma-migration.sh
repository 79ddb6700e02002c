#!/usr/bin/env bash
# Writes a new migration for both providers from the (uncommitted) change in prisma/schema.prisma:
#   bash scripts/prisma-migration.sh NAME [BASE]
# The SQL is Prisma's diff from the schema at BASE (default HEAD, which the existing migrations
# produce) to the working tree's, per provider: no database and no engine download is needed
# (Prisma's adapter config refuses --from-url and shadow databases). The PostgreSQL diff still
# opens a connection through the adapter, to the project's cluster (scripts/postgres.sh).
set -euo pipefail
name="${1:?usage: prisma-migration.sh NAME [BASE]}"
base="${2:-HEAD}"
cd "$(dirname "$0")/.."
export PRISMA_SCHEMA_ENGINE_BINARY=/dev/null PRISMA_QUERY_ENGINE_LIBRARY=/dev/null PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
npx --no-install tsx scripts/prisma-schemas.ts
stamp="$(date -u +%Y%m%d%H%M%S)_${name}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

diff_for() { # kind schema migrations-dir database-url
  local kind="$1" schema="$2" dir="$3" url="$4"
  git show "$base:$schema" >"$scratch/$kind.prisma"
  mkdir -p "$dir/$stamp"
  DATABASE_URL="$url" npx --no-install prisma migrate diff --from-schema-datamodel "$scratch/$kind.prisma" \
    --to-schema-datamodel "$schema" --script >"$scratch/$kind.sql"
  grep -v '^Loaded Prisma config' "$scratch/$kind.sql" >"$dir/$stamp/migration.sql" || true
  if ! grep -q '[A-Z]' "$dir/$stamp/migration.sql" || grep -q 'empty migration' "$dir/$stamp/migration.sql"; then
    rm -r "${dir:?}/$stamp"; echo "[$kind] no changes"
  else
    echo "[$kind] wrote $dir/$stamp/migration.sql"
  fi
}

diff_for sqlite prisma/schema.prisma prisma/migrations "file:$scratch/unused.db"
diff_for postgresql prisma/postgresql/schema.prisma prisma/postgresql/migrations \
  "$(bash scripts/postgres.sh ensure | tail -n 1)"
bash scripts/prisma-generate.sh
