#!/usr/bin/env bash
# Installs the tools Settle runs with, into .tools/ (git-ignored), from package registries only:
#   - the official Temporal CLI (dev server + web UI), built from its Go module at a pinned version;
#   - with --cluster, the Temporal server and its SQL schema tool (go.temporal.io/server) and the
#     Temporal UI server (github.com/temporalio/ui-server, whose module carries the built web app),
#     for scripts/cluster.sh and the cluster tests — built on the CLI's go.mod and go.sum, the
#     dependency versions of the server and UI the CLI embeds, so they reuse its compiled packages;
#   - with --test-server, Temporal's Java time-skipping test server from Maven Central.
# Each step is skipped when its pinned version is already installed. Go builds show how many
# packages are compiled so far out of how many; Go's caches (~/go, ~/.cache/go-build) make
# later builds of the same modules fast.
set -euo pipefail

TEMPORAL_CLI_VERSION=v1.5.1 # the newest tag whose go.mod has no replace directive (go install refuses those)
# The server CLI v1.5.1 embeds (its dev server is what npm start and most tests run), so a dispute
# behaves the same on both; also the image docker-compose.yml runs. Built in the CLI's module graph
# (below), it compiles only its commands on top of the CLI's build.
TEMPORAL_SERVER_VERSION=v1.29.1
# The UI CLI v1.5.1 embeds; the image docker-compose.yml runs is the same release.
TEMPORAL_UI_VERSION=v2.42.1

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin"

say() { printf '[setup] %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

# Concurrent runs (npm start beside npm test) would build into the same folders.
exec 8>>"$tools/.setup.lock"
flock -w 3600 8 || die "timed out waiting for $tools/.setup.lock"

elapsed() {
  local s=$((SECONDS - $1))
  printf '%dm%02ds' $((s / 60)) $((s % 60))
}

# go_build LABEL GOBIN PACKAGE@VERSION…: go install with a progress line. A dry run (-n) first
# downloads the modules and counts the packages not yet in Go's build cache; the build then
# prints each package it compiles (-v), which is counted against that total.
go_build() {
  local label=$1 gobin=$2
  shift 2
  command -v go >/dev/null || die "Go is required to build $label (https://go.dev/dl/, or apt-get install golang)"
  local log="$tools/build-${label// /-}.log" started=$SECONDS total
  : >"$log"
  say "$label: downloading modules and planning the build…"
  if ! GOBIN="$gobin" go install -n "$@" >>"$log" 2>&1; then
    say "$label: go install failed; retrying without the checksum database (GOSUMDB=off)"
    export GOSUMDB=off
    GOBIN="$gobin" go install -n "$@" >>"$log" 2>&1 || {
      tail -n 20 "$log" >&2
      die "$label: go install failed (log: $log)"
    }
  fi
  total=$(grep -c '^mkdir -p \$WORK/b[0-9]*/$' "$log" || true)
  if ((total <= $#)); then
    say "$label: everything is in Go's build cache; linking"
  else
    say "$label: compiling $total packages ($( ((total > 100)) && printf 'several minutes on 2 cores; ')nice'd)"
  fi
  local count=0 shown=0 line tty=0
  [[ -t 2 ]] && tty=1
  set +e
  nice -n 10 env GOBIN="$gobin" go install -v "$@" 2>&1 >/dev/null | while IFS= read -r line; do
    printf '%s\n' "$line" >>"$log"
    # Package paths have no spaces; compiler messages and "go: …" notes do.
    [[ $line == *' '* || $line == '#'* ]] && continue
    count=$((count + 1))
    ((count > total)) && total=$count
    if ((tty)); then
      printf '\r\033[2K[setup] %s: %d/%d packages (%s)' "$label" "$count" "$total" "$(elapsed "$started")" >&2
    elif ((count * 10 / total > shown)); then
      shown=$((count * 10 / total))
      say "$label: $count/$total packages ($(elapsed "$started"))"
    fi
  done
  local status=${PIPESTATUS[0]}
  set -e
  ((tty)) && printf '\r\033[2K' >&2
  if ((status != 0)); then
    tail -n 30 "$log" >&2
    die "$label: go install failed (log: $log)"
  fi
  say "$label: built in $(elapsed "$started")"
}

install_temporal_cli() {
  local stamp="$tools/bin/.temporal-$TEMPORAL_CLI_VERSION"
  if [[ -x "$tools/bin/temporal" && -f "$stamp" ]]; then
    say "Temporal CLI $TEMPORAL_CLI_VERSION already installed"
    return
  fi
  go_build "Temporal CLI $TEMPORAL_CLI_VERSION" "$tools/bin" \
    "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
  rm -f "$tools/bin"/.temporal-v*
  touch "$stamp"
  say "Temporal CLI ready: $("$tools/bin/temporal" --version)"
}

# A module of ours with the CLI release's go.mod and go.sum, in which the server and the UI server
# are built: `go install pkg@version` would resolve each on its own go.mod, whose older SDK, gRPC
# and OpenTelemetry versions make Go compile the whole server again (~640 packages, 5–6 minutes on
# 2 cores with an empty cache); here they compile against the very packages the CLI's build
# compiled (a dozen packages of their own). Prints the module's folder.
cli_module_graph() {
  local graph="$tools/.build-graph" cli_dir
  cli_dir=$(cd "$tools" && go mod download -json "github.com/temporalio/cli@$TEMPORAL_CLI_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [[ -f $cli_dir/go.mod && -f $cli_dir/go.sum ]] ||
    die "no go.mod and go.sum for Temporal CLI $TEMPORAL_CLI_VERSION in Go's module cache"
  rm -rf "$graph"
  mkdir -p "$graph"
  sed '1s|^module .*|module settle.local/temporal-tools|' "$cli_dir/go.mod" >"$graph/go.mod"
  cp "$cli_dir/go.sum" "$graph/go.sum"
  chmod u+w "$graph/go.sum"
  printf '%s\n' "$graph"
}

# The version of MODULE in the CLI's module graph must be the one pinned here.
require_graph_version() {
  local graph=$1 module=$2 pinned=$3 found
  found=$(cd "$graph" && go list -mod=mod -m -f '{{.Version}}' "$module") ||
    die "cannot resolve $module in Temporal CLI $TEMPORAL_CLI_VERSION's go.mod"
  [[ $found == "$pinned" ]] ||
    die "Temporal CLI $TEMPORAL_CLI_VERSION's go.mod has $module $found, not $pinned: move the pins together"
}

# go_build in the CLI's module graph; -mod=mod adds the go.sum lines of the few modules the
# commands need and the CLI does not (verified against Go's checksum database like any download).
graph_build() {
  local graph=$1
  shift
  (cd "$graph" && export GOFLAGS="$(go env GOFLAGS) -mod=mod" && go_build "$@")
}

# Both commands build to a binary named after their folder (server, sql): build into a folder of
# their own, then install under the names Temporal's images use.
install_temporal_server() {
  local stamp="$tools/bin/.temporal-server-$TEMPORAL_SERVER_VERSION-cli-$TEMPORAL_CLI_VERSION"
  if [[ -x "$tools/bin/temporal-server" && -x "$tools/bin/temporal-sql-tool" && -f "$stamp" ]]; then
    say "Temporal server $TEMPORAL_SERVER_VERSION already installed"
    return
  fi
  local staging="$tools/.build-server" graph
  graph=$(cli_module_graph)
  require_graph_version "$graph" go.temporal.io/server "$TEMPORAL_SERVER_VERSION"
  rm -rf "$staging"
  graph_build "$graph" "Temporal server $TEMPORAL_SERVER_VERSION" "$staging" \
    go.temporal.io/server/cmd/server go.temporal.io/server/cmd/tools/sql
  mv -f "$staging/server" "$tools/bin/temporal-server"
  mv -f "$staging/sql" "$tools/bin/temporal-sql-tool"
  rm -rf "$staging" "$graph" "$tools/bin"/.temporal-server-*
  touch "$stamp"
  say "Temporal server ready: $("$tools/bin/temporal-server" --version)"
}

# The UI server reads config/<env>.yaml under --root; its module ships the docker.yaml template
# (environment variables TEMPORAL_ADDRESS, TEMPORAL_UI_PORT, …) that its Docker image uses.
install_temporal_ui() {
  local stamp="$tools/bin/.temporal-ui-$TEMPORAL_UI_VERSION-cli-$TEMPORAL_CLI_VERSION"
  local config="$tools/temporal-ui/config"
  if [[ -x "$tools/bin/temporal-ui-server" && -f "$config/docker.yaml" && -f "$stamp" ]]; then
    say "Temporal UI $TEMPORAL_UI_VERSION already installed"
    return
  fi
  local staging="$tools/.build-ui" module="github.com/temporalio/ui-server/v2" graph
  graph=$(cli_module_graph)
  require_graph_version "$graph" "$module" "$TEMPORAL_UI_VERSION"
  rm -rf "$staging"
  graph_build "$graph" "Temporal UI $TEMPORAL_UI_VERSION" "$staging" "$module/cmd/server"
  local source
  source="$(go env GOMODCACHE)/$module@$TEMPORAL_UI_VERSION/config"
  [[ -f $source/docker.yaml ]] || die "no config/docker.yaml in $source"
  rm -rf "$config"
  mkdir -p "$config"
  cp "$source/base.yaml" "$source/docker.yaml" "$config/"
  chmod u+w "$config"/*.yaml
  mv -f "$staging/server" "$tools/bin/temporal-ui-server"
  rm -rf "$staging" "$graph" "$tools/bin"/.temporal-ui-*
  touch "$stamp"
  say "Temporal UI ready: $TEMPORAL_UI_VERSION"
}

cluster=0
test_server=0
for arg in "$@"; do
  case $arg in
    --cluster) cluster=1 ;;
    --test-server) test_server=1 ;;
    *) die "unknown option $arg (known: --cluster, --test-server)" ;;
  esac
done

install_temporal_cli
if ((cluster)); then
  install_temporal_server
  install_temporal_ui
fi
if ((test_server)); then
  bash "$root/scripts/install-test-server.sh"
fi
