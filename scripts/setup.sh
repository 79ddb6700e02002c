#!/usr/bin/env bash
# Installs the tools Settle runs with, into .tools/ (git-ignored), from package registries only:
#   - the official Temporal CLI (dev server + web UI), built from its Go module at a pinned version;
#   - with --test-server, Temporal's Java time-skipping test server from Maven Central.
# Each step is skipped when its pinned version is already installed.
set -euo pipefail

TEMPORAL_CLI_VERSION=v1.5.1 # the newest tag whose go.mod has no replace directive (go install refuses those)
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin"

say() { printf '[setup] %s\n' "$*" >&2; }

install_temporal_cli() {
  local stamp="$tools/bin/.temporal-$TEMPORAL_CLI_VERSION"
  if [[ -x "$tools/bin/temporal" && -f "$stamp" ]]; then
    say "Temporal CLI $TEMPORAL_CLI_VERSION already installed"
    return
  fi
  command -v go >/dev/null || { say "Go is required to build the Temporal CLI"; exit 1; }
  say "building Temporal CLI $TEMPORAL_CLI_VERSION with go install (first time: a few minutes)…"
  # Go's module and build caches stay in their default places under \$HOME, so later runs are fast.
  if ! GOBIN="$tools/bin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"; then
    say "go install failed; retrying without the checksum database (GOSUMDB=off)"
    GOBIN="$tools/bin" GOSUMDB=off go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
  fi
  rm -f "$tools/bin"/.temporal-*
  touch "$stamp"
  say "Temporal CLI ready: $("$tools/bin/temporal" --version)"
}

install_temporal_cli
if [[ "${1:-}" == "--test-server" ]]; then
  bash "$root/scripts/install-test-server.sh"
fi
