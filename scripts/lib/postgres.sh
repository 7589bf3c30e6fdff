# shellcheck shell=bash disable=SC2016  # single-quoted sh -c scripts are intentional
#
# Throw-away local PostgreSQL clusters for scripts/run and scripts/test.
# Source this file from bash (works with `set -euo pipefail`), then:
#
#   pg_bootstrap NAME DEFAULT_PORT   find/install PostgreSQL, initdb once, start
#                                    the cluster (no-op when it already runs)
#   pg_create_db DBNAME              create a database unless it exists
#   pg_psql [psql args...]           psql as role postgres over 127.0.0.1
#   pg_admin_url                     print postgres://postgres@127.0.0.1:PORT/postgres
#
# After pg_bootstrap these are exported:
#   PG_HOST=127.0.0.1  PG_PORT  PG_ADMIN_URL  PG_BIN (bin dir)  PG_VERSION
#   PG_CLUSTER_DIR (cluster folder)  PG_DATA (data dir)  PG_LOG (server log)
#   PG_RUNAS (command prefix that runs a command as the postgres OS user)
#
# Layout of a cluster folder (owned by postgres, mode 700):
#   data/        the data directory (initdb)
#   server.log   server log (pg_ctl -l)
#   initdb.log   output of initdb
#   port         port remembered from an earlier run
#   .s.PGSQL.*   unix socket (unix_socket_directories points here)
#
# Environment: CHANGEREADY_PG_PORT forces the port.

_PG_LIB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
_PG_MIN_FREE_MB=200

_pg_say() { printf '==> %s\n' "$*"; }
_pg_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------- privileges

# _PG_PRIV: prefix for root-only actions (apt-get, creating postgres-owned dirs).
# _PG_RUNAS: prefix that runs a command as the postgres OS user.
_pg_init_privs() {
  if [[ $EUID -eq 0 ]]; then
    _PG_PRIV=()
  elif command -v sudo >/dev/null 2>&1; then
    _PG_PRIV=(sudo)
  else
    _PG_PRIV=(_pg_no_priv)
  fi
}

_pg_no_priv() {
  _pg_die "'$*' needs root, but this is not root and sudo is not installed; run as root or install sudo"
}

_pg_init_runas() {
  id postgres >/dev/null 2>&1 ||
    _pg_die "the 'postgres' OS user does not exist; reinstall the server: apt-get install --reinstall postgresql-common"
  if [[ $EUID -eq 0 ]]; then
    command -v runuser >/dev/null 2>&1 || _pg_die "runuser (util-linux) is missing; it is needed to run PostgreSQL as the postgres user"
    _PG_RUNAS=(runuser -u postgres --)
  elif [[ $(id -un) == postgres ]]; then
    _PG_RUNAS=()
  elif command -v sudo >/dev/null 2>&1; then
    _PG_RUNAS=(sudo -u postgres --)
  else
    _pg_die "PostgreSQL must run as the postgres OS user, which needs root or sudo; run as root or install sudo"
  fi
}

# Run a command as the postgres OS user, from / (so an unreachable cwd is harmless).
_pg_as() { (cd / && "${_PG_RUNAS[@]}" "$@"); }

# File helpers for paths inside the (postgres-only) cluster folder.
_pg_exists() {
  if [[ $EUID -eq 0 ]]; then [[ -e $1 ]]; else _pg_as test -e "$1"; fi
}
_pg_cat() {
  if [[ -r $1 ]]; then cat -- "$1"; else _pg_as cat -- "$1"; fi
}
_pg_write() { _pg_as sh -c 'cat > "$1"' sh "$1"; }   # stdin -> file, as postgres

# ---------------------------------------------------------------- binaries

_pg_find_bin() {
  local d found=()
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x $d/postgres && -x $d/initdb && -x $d/pg_ctl ]] && found+=("$d")
  done
  ((${#found[@]})) || return 1
  printf '%s\n' "${found[@]}" | sort -V | tail -n 1
}

_pg_install() {
  command -v apt-get >/dev/null 2>&1 ||
    _pg_die "PostgreSQL server is not installed (no /usr/lib/postgresql/*/bin/postgres) and apt-get is not available; install PostgreSQL 15 or newer"
  if [[ $EUID -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
    _pg_die "PostgreSQL server is not installed and installing it needs root; run 'apt-get install -y postgresql' as root (sudo is not installed)"
  fi
  _pg_say "installing PostgreSQL server: apt-get update && apt-get install -y postgresql (takes a minute)"
  local log
  log="$(mktemp "${TMPDIR:-/tmp}/pg-install.XXXXXX.log")"
  if ! { "${_PG_PRIV[@]}" apt-get update -q &&
    "${_PG_PRIV[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    _pg_die "installing PostgreSQL with apt-get failed (full output: $log)"
  fi
  rm -f "$log"
}

# ---------------------------------------------------------------- ports

# True when something listens on 127.0.0.1:PORT (or on all addresses).
_pg_port_taken() {
  local port=$1
  if command -v ss >/dev/null 2>&1 && [[ -n $(ss -Hltn "sport = :$port" 2>/dev/null) ]]; then
    return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

_pg_valid_port() { [[ $1 =~ ^[0-9]{1,5}$ ]] && ((10#$1 >= 1 && 10#$1 <= 65535)); }

# ---------------------------------------------------------------- cluster state

# Prints "PID PORT" and succeeds when the postmaster of DATA is alive.
# A postmaster.pid whose pid is dead or belongs to a non-postgres process
# (pid reuse after a crash or container restart) counts as not running.
_pg_running() {
  local data=$1 pidfile pid port comm state
  _pg_exists "$data/postmaster.pid" || return 1
  pidfile="$(_pg_cat "$data/postmaster.pid" 2>/dev/null)" || return 1
  pid="$(sed -n 1p <<<"$pidfile")"
  port="$(sed -n 4p <<<"$pidfile")"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
  [[ $comm == postgres || $comm == postmaster ]] || return 1
  read -r _ _ state _ <"/proc/$pid/stat" 2>/dev/null || return 1
  [[ $state != [ZX] ]] || return 1   # killed, waiting to be reaped
  printf '%s %s\n' "$pid" "$port"
}

# Remove leftovers of a crashed server (only call when it is not running).
_pg_clear_stale() {
  local cluster=$1 data=$2
  if _pg_exists "$data/postmaster.pid"; then
    _pg_say "removing stale postmaster.pid (server was not shut down cleanly)"
  fi
  _pg_as sh -c 'rm -f "$1/postmaster.pid" "$2"/.s.PGSQL.*' sh "$data" "$cluster"
}

_pg_show_log() {
  local log=$1
  if _pg_exists "$log"; then
    printf -- '--- last lines of %s ---\n' "$log" >&2
    _pg_as tail -n 20 "$log" >&2 || true
    printf -- '---\n' >&2
  fi
}

# Prints the first directory on PATH (from / down) that the postgres user
# cannot enter, and fails; succeeds silently when the whole path is reachable.
_pg_blocking_dir() {
  _pg_as sh -c '
    set -f
    test -x / || { echo /; exit 1; }
    p=
    IFS=/
    for c in $1; do
      [ -n "$c" ] || continue
      p="$p/$c"
      test -x "$p" || { echo "$p"; exit 1; }
    done' sh "$1"
}

# Sets _PG_CLUSTER to the cluster folder: ROOT/var/pg-NAME when the postgres
# user can reach it, else /var/tmp/<checkout>-<hash>/pg-NAME.
_pg_choose_cluster_dir() {
  local root=$1 name=$2 blocked base hash fallback
  if [[ -d $root/var ]] || mkdir -m 755 "$root/var" 2>/dev/null; then
    # (pg_bootstrap creates or chowns pg-NAME itself, so only the path matters)
    if blocked="$(_pg_blocking_dir "$root/var")"; then
      _PG_CLUSTER=$root/var/pg-$name
      return 0
    fi
    blocked="no access to $blocked"
  else
    blocked="cannot create $root/var"
  fi
  base="$(basename "$root")"
  hash="$(printf '%s' "$root" | sha256sum | cut -c1-8)"
  fallback="/var/tmp/$base-$hash"
  _pg_say "checkout not reachable by the postgres user ($blocked); using $fallback"
  if [[ ! -d $fallback ]]; then
    mkdir -p "$fallback" && chmod 755 "$fallback"
  fi
  _PG_CLUSTER=$fallback/pg-$name
}

_pg_write_settings() {
  local name=$1 data=$2 cluster=$3 port=$4 sockdir
  sockdir=$cluster
  # sun_path holds 107 bytes; "/.s.PGSQL.NNNNN.lock" needs 20 of them.
  if ((${#cluster} > 85)); then
    sockdir=""
  fi
  {
    echo "# Written by scripts/lib/postgres.sh on every start; edit there."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$sockdir'"
    if [[ $name == test ]]; then
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
      echo "max_connections = 200"
    else
      echo "fsync = on"
    fi
  } | _pg_write "$data/changeready.conf"
  if ! _pg_as grep -q "^include_if_exists = 'changeready.conf'" "$data/postgresql.conf"; then
    printf "\n# changeready: settings managed by scripts/lib/postgres.sh\ninclude_if_exists = 'changeready.conf'\n" |
      _pg_as sh -c 'cat >> "$1"' sh "$data/postgresql.conf"
  fi
}

# ---------------------------------------------------------------- public API

pg_bootstrap() {
  local name=${1:?usage: pg_bootstrap NAME DEFAULT_PORT} default_port=${2:?usage: pg_bootstrap NAME DEFAULT_PORT}
  local root=${ROOT:-$_PG_LIB_ROOT}
  local bin cluster data log portfile display state="" ver running="" port="" p avail loc out stale envport=""

  _pg_init_privs
  bin="$(_pg_find_bin)" || {
    _pg_install
    bin="$(_pg_find_bin)" || _pg_die "apt-get install postgresql finished but no server was found under /usr/lib/postgresql/*/bin"
  }
  _pg_init_runas

  _pg_choose_cluster_dir "$root" "$name"
  cluster=$_PG_CLUSTER
  data=$cluster/data
  log=$cluster/server.log
  portfile=$cluster/port
  display=${cluster#"$root"/}

  # Cluster folder: owned by postgres, mode 700.
  if ! _pg_exists "$cluster"; then
    "${_PG_PRIV[@]}" install -d -m 700 -o postgres -g "$(id -gn postgres)" "$cluster" ||
      _pg_die "cannot create $cluster"
  elif [[ $(stat -c %U "$cluster") != postgres ]]; then
    "${_PG_PRIV[@]}" chown -R postgres:"$(id -gn postgres)" "$cluster" || _pg_die "cannot chown $cluster to postgres"
    "${_PG_PRIV[@]}" chmod 700 "$cluster"
  fi

  # An existing cluster pins the major version it was created with.
  if _pg_exists "$data/PG_VERSION"; then
    ver="$(_pg_cat "$data/PG_VERSION")"
    if [[ $bin != "/usr/lib/postgresql/$ver/bin" ]]; then
      [[ -x /usr/lib/postgresql/$ver/bin/postgres ]] ||
        _pg_die "cluster $display was created by PostgreSQL $ver, which is not installed; install postgresql-$ver or delete $cluster (its data is lost)"
      bin=/usr/lib/postgresql/$ver/bin
    fi
  else
    ver="$(basename "$(dirname "$bin")")"
    # Never initialized (or initdb died half-way): start from scratch.
    _pg_exists "$data" && _pg_as rm -rf "$data"
    avail="$(df -Pm "$cluster" | awk 'NR == 2 { print $4 }')"
    if ((avail < _PG_MIN_FREE_MB)); then
      _pg_die "disk full: only ${avail} MB free for $cluster, PostgreSQL needs at least ${_PG_MIN_FREE_MB} MB"
    fi
    loc=C
    if grep -qiE '^c\.utf-?8$' <<<"$(locale -a 2>/dev/null)"; then loc=C.UTF-8; fi
    _pg_say "initdb $display/data (PostgreSQL $ver, UTF8, locale $loc)"
    if ! out="$(_pg_as "$bin/initdb" -D "$data" -A trust -U postgres --encoding=UTF8 --locale="$loc" 2>&1)"; then
      printf '%s\n' "$out" | tail -n 15 >&2
      if printf '%s\n' "$out" | _pg_write "$cluster/initdb.log" 2>/dev/null; then
        _pg_die "initdb failed for $data (output above, full log in $cluster/initdb.log)"
      fi
      _pg_die "initdb failed for $data (output above)"
    fi
    printf '%s\n' "$out" | _pg_write "$cluster/initdb.log"
    state="initialized, "
  fi

  if [[ -n ${CHANGEREADY_PG_PORT:-} ]]; then
    _pg_valid_port "$CHANGEREADY_PG_PORT" || _pg_die "CHANGEREADY_PG_PORT=$CHANGEREADY_PG_PORT is not a valid port number"
    envport=$((10#$CHANGEREADY_PG_PORT))
  fi

  # Already running?
  if running="$(_pg_running "$data")"; then
    port=${running#* }
    if [[ -n $envport && $envport != "$port" ]]; then
      if _pg_port_taken "$envport"; then
        _pg_die "port $envport is in use; set CHANGEREADY_PG_PORT to a free port"
      fi
      _pg_say "restarting $display: it runs on port $port but CHANGEREADY_PG_PORT=$envport"
      _pg_as "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null ||
        _pg_die "could not stop the cluster in $data"
      running=""
      port=""
    fi
  fi

  if [[ -z $running ]]; then
    # Pick the port.
    if [[ -n $envport ]]; then
      port=$envport
      if _pg_port_taken "$port"; then
        _pg_die "port $port is in use; set CHANGEREADY_PG_PORT to a free port"
      fi
    else
      p=""
      if _pg_exists "$portfile"; then p="$(_pg_cat "$portfile" | tr -dc 0-9)"; fi
      _pg_valid_port "${p:-x}" || p=$default_port
      for ((port = p; port <= p + 50 && port <= 65535; port++)); do
        _pg_port_taken "$port" || break
      done
      if ((port > p + 50 || port > 65535)); then
        _pg_die "ports $p-$((p + 50)) are all in use; set CHANGEREADY_PG_PORT to a free port"
      fi
      if ((port != p)); then
        _pg_say "port $p is in use, using $port"
      fi
      echo "$port" | _pg_write "$portfile"
    fi

    _pg_write_settings "$name" "$data" "$cluster" "$port"
    stale=0
    if _pg_exists "$data/postmaster.pid"; then stale=1; fi
    _pg_clear_stale "$cluster" "$data"

    # Keep the server log from growing without bound.
    if _pg_as test -s "$log" && (($(_pg_as stat -c %s "$log") > 10 * 1024 * 1024)); then
      _pg_as mv -f "$log" "$log.1"
    fi

    if out="$(_pg_as "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start 2>&1)"; then
      state+="started"
    elif ((stale)) && ! _pg_running "$data" >/dev/null && sleep 3 &&
      out="$(_pg_as "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start 2>&1)"; then
      state+="started"   # after a crash, old backends may need a moment to exit
    elif running="$(_pg_running "$data")" && [[ ${running#* } == "$port" ]] &&
      "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 60; then
      state+="started concurrently"   # another script won the race
    else
      printf '%s\n' "$out" | tail -n 5 >&2
      _pg_show_log "$log"
      _pg_die "PostgreSQL $ver failed to start (cluster $cluster, port $port); see the server log above"
    fi
  else
    if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 60; then
      _pg_show_log "$log"
      _pg_die "PostgreSQL in $cluster runs (pid ${running%% *}) but does not accept connections on 127.0.0.1:$port"
    fi
    state="already running"
  fi

  PG_HOST=127.0.0.1
  PG_PORT=$port
  PG_BIN=$bin
  PG_VERSION=$ver
  PG_CLUSTER_DIR=$cluster
  PG_DATA=$data
  PG_LOG=$log
  PG_ADMIN_URL="postgres://postgres@$PG_HOST:$PG_PORT/postgres"
  PG_RUNAS="${_PG_RUNAS[*]}"
  export PG_HOST PG_PORT PG_BIN PG_VERSION PG_CLUSTER_DIR PG_DATA PG_LOG PG_ADMIN_URL PG_RUNAS

  _pg_say "PostgreSQL $ver cluster $display on $PG_HOST:$PG_PORT ($state)"
}

pg_admin_url() {
  printf 'postgres://postgres@%s:%s/postgres\n' "${PG_HOST:?run pg_bootstrap first}" "${PG_PORT:?run pg_bootstrap first}"
}

# psql as role postgres over TCP (trust auth); default database "postgres".
pg_psql() {
  PGDATABASE=postgres PGCONNECT_TIMEOUT=10 \
    "${PG_BIN:?run pg_bootstrap first}/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$PG_HOST" -p "$PG_PORT" -U postgres "$@"
}

pg_create_db() {
  local db=${1:?usage: pg_create_db DBNAME} n
  n="$(pg_psql -tA -v db="$db" <<<"SELECT count(*) FROM pg_database WHERE datname = :'db';")"
  if [[ $n == 0 ]]; then
    pg_psql -v db="$db" <<<"SELECT format('CREATE DATABASE %I', :'db') \\gexec"
    _pg_say "created database $db"
  fi
}
