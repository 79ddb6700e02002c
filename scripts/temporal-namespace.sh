#!/bin/sh
# Waits until the Temporal frontend serves, then registers the namespace Settle uses unless it
# exists. POSIX sh, so the same script runs in Temporal's admin-tools image (docker-compose.yml), in
# scripts/cluster.sh and in the cluster tests.
#
# Environment (names as in docker-compose.yml):
#   TEMPORAL_ADDRESS                 frontend host:port, default 127.0.0.1:7233
#   DEFAULT_NAMESPACE                default `default`
#   DEFAULT_NAMESPACE_RETENTION      how long closed workflows stay readable, default 8760h (a year)
#   TEMPORAL_CLI                     the Temporal CLI, default temporal on PATH
#   TEMPORAL_WAIT_SECONDS            how long to wait for the frontend, default 120
set -eu

cli=${TEMPORAL_CLI:-temporal}
address=${TEMPORAL_ADDRESS:-127.0.0.1:7233}
namespace=${DEFAULT_NAMESPACE:-default}
retention=${DEFAULT_NAMESPACE_RETENTION:-8760h}
wait_seconds=${TEMPORAL_WAIT_SECONDS:-120}

waited=0
until "$cli" operator cluster health --address "$address" >/dev/null 2>&1; do
  if [ "$waited" -ge "$wait_seconds" ]; then
    echo "temporal-namespace: $address did not serve within ${wait_seconds}s" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done

if "$cli" operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
  echo "temporal-namespace: $namespace exists"
elif output=$("$cli" operator namespace create --address "$address" --namespace "$namespace" \
  --retention "$retention" 2>&1); then
  echo "temporal-namespace: $namespace registered (retention $retention)"
else
  # Another run registered it between the two calls.
  case $output in
    *"already"*) echo "temporal-namespace: $namespace exists" ;;
    *) printf '%s\n' "$output" >&2 && exit 1 ;;
  esac
fi
