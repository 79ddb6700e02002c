#!/usr/bin/env bash
# Settle in its production shape on this machine, without Docker:
#   bash scripts/cluster.sh up       PostgreSQL, Temporal server on it, Temporal UI, mail catcher,
#                                    Settle's API and two workers, in the background; prints addresses
#   bash scripts/cluster.sh status   what runs, with pids, logs and addresses (exit 0 all up, 3 none)
#   bash scripts/cluster.sh down     stops all of it (PostgreSQL too when `up` started it)
#   bash scripts/cluster.sh wipe     drops the cluster's databases (after `down`)
# The first `up` builds the Temporal server, its schema tool and the UI (scripts/setup.sh --cluster).
# Ports: Temporal's defaults (7233, …), UI 8080, API $PORT or 3000, mail 1025/8025, each or the
# next free one. Logs and state: var/cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --import tsx scripts/cluster/main.ts "$@"
