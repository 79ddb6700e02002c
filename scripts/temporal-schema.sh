#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the version the
# temporal-sql-tool at hand embeds: create, setup-schema -v 0.0, update-schema. Safe to rerun: an
# existing database or version table is kept and only missing schema versions are applied.
# POSIX sh, so the same script runs in Temporal's admin-tools image (docker-compose.yml), in
# scripts/cluster.sh and in the cluster tests.
#
# Environment (names as in docker-compose.yml's temporal service):
#   POSTGRES_SEEDS, DB_PORT, POSTGRES_USER, POSTGRES_PWD   the PostgreSQL server (port default 5432)
#   DBNAME, VISIBILITY_DBNAME        default temporal and temporal_visibility
#   TEMPORAL_SQL_TOOL                the tool, default temporal-sql-tool on PATH
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
# The tool reads the password from SQL_PASSWORD, which keeps it off the command line.
SQL_PASSWORD=${POSTGRES_PWD:-}
export SQL_PASSWORD

sql() {
  database=$1
  shift
  "$tool" --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" \
    --db "$database" "$@"
}

# Runs a step that fails when what it makes is already there; that failure means done.
unless_exists() {
  if output=$("$@" 2>&1); then
    return 0
  fi
  case $output in
    *"already exists"*) return 0 ;;
  esac
  printf '%s\n' "$output" >&2
  return 1
}

schema() {
  database=$1
  name=$2
  echo "temporal-schema: $database ($name)"
  unless_exists sql "$database" create-database
  unless_exists sql "$database" setup-schema -v 0.0
  sql "$database" update-schema --schema-name "$name" >/dev/null 2>&1 ||
    sql "$database" update-schema --schema-name "$name"
}

schema "${DBNAME:-temporal}" postgresql/v12/temporal
schema "${VISIBILITY_DBNAME:-temporal_visibility}" postgresql/v12/visibility
echo "temporal-schema: done"
