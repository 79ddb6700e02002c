#!/usr/bin/env bash
# Project-owned PostgreSQL for tests and development, under var/postgres/.
#
#   scripts/postgres.sh ensure          start (installing Debian's postgresql if missing); last stdout line: URL
#   scripts/postgres.sh status          exit 0 and print the URL when running, exit 3 when not
#   scripts/postgres.sh stop            stop the cluster this script started (pg_ctl stop -m fast)
#   scripts/postgres.sh createdb NAME   ensure, create database NAME; last stdout line: its URL
#   scripts/postgres.sh dropdb NAME     drop database NAME if it exists (disconnecting its sessions)
#   scripts/postgres.sh purge           stop the cluster and delete it, data and password included
#
# URL: postgresql://settle:<password>@127.0.0.1:<port>/settle; swap the last path segment for
# another database. User `settle` is the cluster's superuser; its password is generated once and
# kept beside the data. Port: $PGPORT_SETTLE, else the first free one from 54329. Progress goes to stderr.
# The cluster runs with fsync off (disposable test data); it never touches a system-wide cluster.
# Run as root, the server runs as `postgres`, which may not be able to enter the checkout (a mode-700
# home or mktemp -d folder): then the cluster lives in /var/lib/settle-postgres/<checkout>-<hash>.
# SETTLE_PG_HOME puts a separate cluster in another folder (tests that stop their own server); that
# folder is used as given, so the postgres user must be able to enter it.
set -euo pipefail

root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The lock (and apt's log) always stay in the checkout (or SETTLE_PG_HOME), which the invoking user can write.
lock_dir=${SETTLE_PG_HOME:-$root_dir/var/postgres}
requested_port=${PGPORT_SETTLE:-54329}

# Sets pg_home and the paths under it: var/postgres, unless a new cluster would run as `postgres`
# and that user cannot reach var/postgres. An existing cluster stays where it is.
locate_home() {
  pg_home=$lock_dir
  local nearest=$lock_dir
  while [[ ! -e $nearest ]]; do nearest=$(dirname "$nearest"); done
  if [[ -z ${SETTLE_PG_HOME:-} ]] && ((EUID == 0)) && [[ ! -f $lock_dir/data/PG_VERSION ]] &&
    getent passwd postgres >/dev/null &&
    ! runuser -u postgres -- test -x "$nearest"; then
    local name
    name=$(basename "$root_dir" | tr -c 'A-Za-z0-9_.\n-' _ | cut -c1-24)
    pg_home=/var/lib/settle-postgres/$name-$(printf '%s' "$root_dir" | sha256sum | cut -c1-12)
  fi
  data_dir=$pg_home/data
  socket_dir=$pg_home/run
  password_file=$pg_home/password
  server_log=$pg_home/postgres.log
}
locate_home
db_user=settle

# Libpq and server environment variables would silently redirect the commands below.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGDATA PGSSLMODE

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
# A path as the user knows it: relative to the checkout when inside it.
where() { printf '%s' "${1#"$root_dir"/}"; }
die() {
  log "error: $*"
  exit 1
}

if ! [[ $requested_port =~ ^[0-9]{1,5}$ ]] || ((requested_port == 0 || requested_port > 65535)); then
  die "PGPORT_SETTLE must be a TCP port number, got '$requested_port'"
fi

# Serialise concurrent invocations (parallel test workers all calling `ensure`).
take_lock() {
  mkdir -p "$lock_dir"
  [[ -w $lock_dir && -x $lock_dir ]] ||
    die "$(where "$lock_dir") belongs to '$(stat -c %U "$lock_dir")'; run this script as that user or as root"
  exec 9>>"$lock_dir/.lock"
  flock -w 600 9 || die "timed out waiting for $lock_dir/.lock"
}

is_initialised() { [[ -f $data_dir/PG_VERSION ]]; }

# The OS user owning the cluster: whoever made it; for a new one, `postgres` when root (initdb refuses root).
cluster_owner() {
  if is_initialised; then
    stat -c %U "$data_dir"
  elif ((EUID == 0)); then
    echo postgres
  else
    id -un
  fi
}

as_owner() {
  local owner
  owner=$(cluster_owner)
  if [[ $owner == "$(id -un)" ]]; then
    (cd "$pg_home" && "$@")
  elif ((EUID == 0)); then
    (cd "$pg_home" && runuser -u "$owner" -- "$@")
  else
    die "the cluster in $data_dir belongs to '$owner'; run this script as that user or as root"
  fi
}

# Newest installed server, e.g. /usr/lib/postgresql/15/bin; empty when none.
newest_bin_dir() {
  local initdbs=(/usr/lib/postgresql/*/bin/initdb)
  [[ -x ${initdbs[0]} ]] || return 0
  printf '%s\n' "${initdbs[@]%/initdb}" | sort -V | tail -n 1
}

install_postgres() {
  ((EUID == 0)) || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; install them (sudo apt-get install postgresql) or rerun as root"
  command -v apt-get >/dev/null || die "PostgreSQL is not installed and apt-get is unavailable; install PostgreSQL server binaries under /usr/lib/postgresql/<major>/bin"
  local apt_log=$lock_dir/apt.log
  : >"$apt_log"
  log "PostgreSQL not installed: apt-get update (log: $(where "$apt_log"))"
  apt-get -q update >>"$apt_log" 2>&1 || { tail -n 20 "$apt_log" >&2; die "apt-get update failed"; }
  log "apt-get install postgresql"
  DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends postgresql >>"$apt_log" 2>&1 ||
    { tail -n 20 "$apt_log" >&2; die "apt-get install postgresql failed"; }
  log "installed $(newest_bin_dir)"
}

# Binaries matching the cluster's major version, or the newest installed for a new cluster.
find_bin_dir() {
  local dir
  if is_initialised; then
    local major
    major=$(<"$data_dir/PG_VERSION")
    dir=/usr/lib/postgresql/$major/bin
    [[ -x $dir/postgres ]] ||
      die "$(where "$data_dir") was initialised by PostgreSQL $major, whose binaries are missing; install postgresql-$major or run 'purge'"
  else
    dir=$(newest_bin_dir)
    if [[ -z $dir ]]; then
      install_postgres
      dir=$(newest_bin_dir)
      [[ -n $dir ]] || die "apt-get installed postgresql but no initdb appeared under /usr/lib/postgresql/*/bin"
    fi
  fi
  echo "$dir"
}

init_cluster() {
  local bin=$1
  log "initialising a new cluster in $(where "$data_dir") ($("$bin/postgres" --version))"
  [[ $pg_home == "$lock_dir" ]] ||
    log "(the postgres user cannot enter $root_dir, so the cluster lives outside the checkout)"
  mkdir -p "$data_dir" "$socket_dir"
  (umask 077 && od -An -tx1 -N18 /dev/urandom | tr -d ' \n' >"$password_file")
  chmod 700 "$pg_home"
  if ((EUID == 0)); then
    getent passwd postgres >/dev/null || die "OS user 'postgres' missing (normally created by Debian's postgresql package)"
    chown -R postgres:postgres "$pg_home"
  fi
  as_owner "$bin/initdb" --pgdata="$data_dir" --username="$db_user" --pwfile="$password_file" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C >"$pg_home/initdb.log" ||
    die "initdb failed (see $(where "$pg_home/initdb.log"))"
  cat >>"$data_dir/postgresql.conf" <<EOF

# scripts/postgres.sh: loopback only, socket beside the data, disposable data.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$socket_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
}

# Port from postmaster.pid (line 4) of the running server.
running_port() { sed -n 4p "$data_dir/postmaster.pid"; }

is_running() { is_initialised && as_owner "$1/pg_ctl" status --pgdata="$data_dir" >/dev/null 2>&1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The requested port, or (unless PGPORT_SETTLE pins it) the next free one: another checkout's
# cluster may hold the default.
pick_port() {
  local port=$requested_port
  if [[ -z ${PGPORT_SETTLE:-} ]]; then
    while port_in_use "$port"; do
      ((port < requested_port + 50)) || die "no free port in $requested_port-$((requested_port + 50))"
      port=$((port + 1))
    done
  fi
  echo "$port"
}

start_cluster() {
  local bin=$1 port
  port=$(pick_port)
  local socket=$socket_dir/.s.PGSQL.$port
  ((${#socket} < 100)) || die "socket path $socket is too long for a unix socket; use a shorter checkout path"
  log "starting PostgreSQL on 127.0.0.1:$port (log: $(where "$server_log"))"
  # 9>&-: the server must not inherit the lock, or it would hold it for its whole life.
  as_owner "$bin/pg_ctl" start --pgdata="$data_dir" --log="$server_log" --wait --timeout=60 --silent \
    -o "-p $port" 9>&- || { tail -n 15 "$server_log" >&2; die "PostgreSQL failed to start"; }
}

# Runs a client program as `settle` over the unix socket.
client() {
  local bin=$1 program=$2
  shift 2
  PGPASSWORD=$(<"$password_file") "$bin/$program" --host="$socket_dir" --port="$(running_port)" \
    --username="$db_user" "$@"
}

# url [DATABASE]: how to reach DATABASE (default: settle) over loopback TCP.
url() {
  printf 'postgresql://%s:%s@127.0.0.1:%s/%s\n' "$db_user" "$(<"$password_file")" "$(running_port)" "${1:-$db_user}"
}

ensure() {
  local bin
  bin=$(find_bin_dir)
  # Installing PostgreSQL just created the postgres user, whose reach decides where the cluster lives.
  locate_home
  is_initialised || init_cluster "$bin"
  [[ -s $password_file ]] || die "$(where "$password_file") is missing; run 'purge' to start over"
  if is_running "$bin"; then
    local port
    port=$(running_port)
    [[ -z ${PGPORT_SETTLE:-} || $port == "$requested_port" ]] ||
      log "warning: already running on port $port, not $requested_port; run 'stop' first to change it"
  else
    start_cluster "$bin"
  fi
  [[ $(client "$bin" psql --dbname=postgres -tAXqc "SELECT 1 FROM pg_database WHERE datname = '$db_user'") == 1 ]] ||
    client "$bin" createdb "$db_user"
  echo "$bin"
}

check_db_name() {
  [[ ${1:-} =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "database name must match [a-z_][a-z0-9_]{0,62}, got '${1:-}'"
}

command=${1:-}
case $command in
  ensure)
    take_lock
    ensure >/dev/null
    url
    ;;
  status)
    if is_initialised && is_running "$(find_bin_dir)"; then
      url
    else
      log "not running"
      exit 3
    fi
    ;;
  stop)
    take_lock
    if is_initialised && is_running "$(find_bin_dir)"; then
      as_owner "$(find_bin_dir)/pg_ctl" stop --pgdata="$data_dir" -m fast --wait --silent
      log "stopped"
    else
      log "not running"
    fi
    ;;
  createdb)
    check_db_name "${2:-}"
    take_lock
    bin=$(ensure)
    client "$bin" createdb "$2"
    url "$2"
    ;;
  dropdb)
    check_db_name "${2:-}"
    take_lock
    if is_initialised && is_running "$(find_bin_dir)"; then
      client "$(find_bin_dir)" dropdb --if-exists --force "$2"
    fi
    ;;
  purge)
    take_lock
    if is_initialised && is_running "$(find_bin_dir)"; then
      as_owner "$(find_bin_dir)/pg_ctl" stop --pgdata="$data_dir" -m fast --wait --silent
    fi
    [[ $pg_home == "$lock_dir" ]] || rm -rf "$pg_home"
    find "$lock_dir" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
    log "deleted the cluster"
    ;;
  *)
    sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    [[ -z $command || $command == help || $command == -h || $command == --help ]] || exit 2
    ;;
esac
