#!/usr/bin/env bash
# Makes sure a RabbitMQ broker and a PostgreSQL server are reachable for ReconMesh on this machine,
# installing and starting them on loopback when they are missing, and reusing running ones.
# Prints the connection settings as shell `export` lines on stdout (everything else goes to stderr),
# so callers can `eval "$(deploy/local/infra.sh ensure)"`.
#
# Existing servers: set RECONMESH_RABBITMQ_URL (amqp://user:pass@host:5672/vhost) and
# RECONMESH_POSTGRES (an Npgsql connection string) and nothing is installed or started.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
state="$root/.local"
mkdir -p "$state"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"; fi
}

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ "$apt_updated" -eq 0 ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    apt_updated=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

explain_missing() {
  cat >&2 <<MSG
[infra] $1 is not installed and this machine has no apt-get.
[infra] Either install it yourself, or point ReconMesh at existing servers:
[infra]   export RECONMESH_RABBITMQ_URL=amqp://user:password@host:5672/
[infra]   export RECONMESH_POSTGRES='Host=host;Port=5432;Database=reconmesh;Username=user;Password=...'
[infra] or, with a Docker engine: docker compose -f deploy/compose.yaml up -d rabbitmq postgres
MSG
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # description, attempts, command...
  local what=$1 tries=$2; shift 2
  for _ in $(seq 1 "$tries"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$what did not become ready"
}

ensure_rabbitmq() {
  if [ -n "${RECONMESH_RABBITMQ_URL:-}" ]; then
    log "using RabbitMQ from RECONMESH_RABBITMQ_URL"; return
  fi
  if port_open 5672 && port_open 15672; then
    log "RabbitMQ already running on 127.0.0.1:5672"
  else
    if ! command -v rabbitmq-server >/dev/null && [ ! -x /usr/sbin/rabbitmq-server ]; then
      apt_install rabbitmq-server || explain_missing rabbitmq-server
    fi
    as_root mkdir -p /etc/rabbitmq
    # A fixed node name keeps the broker independent of the host name; loopback only.
    as_root sh -c 'grep -q "^NODENAME=" /etc/rabbitmq/rabbitmq-env.conf 2>/dev/null || echo "NODENAME=rabbit@localhost" >> /etc/rabbitmq/rabbitmq-env.conf'
    as_root sh -c 'cat > /etc/rabbitmq/rabbitmq.conf' <<CONF
listeners.tcp.1 = 127.0.0.1:5672
management.tcp.ip = 127.0.0.1
management.tcp.port = 15672
loopback_users.guest = true
CONF
    as_root rabbitmq-plugins enable --offline rabbitmq_management >&2
    if ! port_open 5672; then
      log "starting RabbitMQ"
      as_root rabbitmq-server -detached >&2 || true
    fi
    wait_for "RabbitMQ" 240 as_root rabbitmqctl -n rabbit@localhost await_startup
    wait_for "RabbitMQ management" 120 port_open 15672
    log "RabbitMQ ready on 127.0.0.1:5672 (management http://127.0.0.1:15672)"
  fi
  echo "export RECONMESH_RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672/"
  echo "export RECONMESH_RABBITMQ_MANAGEMENT_URL=http://guest:guest@127.0.0.1:15672/"
}

ensure_postgres() {
  if [ -n "${RECONMESH_POSTGRES:-}" ]; then
    log "using PostgreSQL from RECONMESH_POSTGRES"; return
  fi
  if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt_install postgresql || explain_missing postgresql
  fi
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $2}' | grep -qx main; then
    as_root pg_createcluster "$version" main >&2
  fi
  if ! pg_isready -q -h 127.0.0.1; then
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster "$version" main start >&2 || true
    wait_for "PostgreSQL" 120 pg_isready -q -h 127.0.0.1
  fi
  # Each service keeps connection pools (event store, rate limiter, daemon); the demo and the benchmarks run four
  # services plus test hosts against one local server, more than PostgreSQL's default of 100 connections.
  # pg_stat_statements is loaded so that `./run bench` can say which statements a payment costs (docs/benchmarks.md).
  local max_connections preload restart=
  max_connections=$(as_root su postgres -c "psql -qtA -c 'show max_connections'")
  if [ "${max_connections:-0}" -lt 250 ]; then
    log "raising PostgreSQL max_connections to 250 (was $max_connections)"
    as_root su postgres -c "psql -qtA -c 'alter system set max_connections = 250'" >&2
    restart=1
  fi
  preload=$(as_root su postgres -c "psql -qtA -c 'show shared_preload_libraries'")
  if [[ "$preload" != *pg_stat_statements* ]] && [ -f "/usr/lib/postgresql/$version/lib/pg_stat_statements.so" ]; then
    log "loading pg_stat_statements in PostgreSQL"
    as_root su postgres -c "psql -qtA -c \"alter system set shared_preload_libraries = 'pg_stat_statements'\"" >&2
    restart=1
  fi
  if [ -n "$restart" ]; then
    as_root pg_ctlcluster "$version" main restart >&2
    wait_for "PostgreSQL" 120 pg_isready -q -h 127.0.0.1
  fi

  # A generated password, never a default one. It belongs to this machine's local server, not to one checkout:
  # several checkouts (a CI clone beside a working tree) share the role and must not change its password under
  # each other's feet.
  local machine_state="${RECONMESH_STATE_DIR:-${HOME:-/root}/.local/share/reconmesh}"
  mkdir -p "$machine_state"
  chmod 700 "$machine_state"
  local pwfile="$machine_state/postgres-password"
  [ -s "$pwfile" ] || head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$pwfile"
  local pw; pw=$(cat "$pwfile")
  psql_admin() { as_root su postgres -c "psql -v ON_ERROR_STOP=1 -qtA -c \"$1\"" ; }
  if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='reconmesh'")" != "1" ]; then
    psql_admin "CREATE ROLE reconmesh LOGIN CREATEDB PASSWORD '$pw'" >&2
  else
    psql_admin "ALTER ROLE reconmesh LOGIN CREATEDB PASSWORD '$pw'" >&2
  fi
  if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname='reconmesh'")" != "1" ]; then
    psql_admin "CREATE DATABASE reconmesh OWNER reconmesh" >&2
  fi
  if [ "$(psql_admin "SELECT 1 FROM pg_available_extensions WHERE name='pg_stat_statements'")" = "1" ] \
     && [[ "$(psql_admin "show shared_preload_libraries")" == *pg_stat_statements* ]]; then
    as_root su postgres -c "PGOPTIONS='--client-min-messages=warning' psql -d reconmesh -v ON_ERROR_STOP=1 -qtA -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'" >&2
  fi
  log "PostgreSQL ready on 127.0.0.1:5432 (database reconmesh)"
  echo "export RECONMESH_POSTGRES='Host=127.0.0.1;Port=5432;Database=reconmesh;Username=reconmesh;Password=$pw'"
}

# Opt-in: the bus's users per role (deploy/local/rabbitmq-users.sh) on the local broker's virtual host /, with passwords
# generated once per machine beside the PostgreSQL one. Prints one AMQP URI per role as RECONMESH_RABBITMQ_URL_<ROLE>.
# The demo, bench, chaos and tests keep using guest (loopback only) unless a service is given its role's URI.
ensure_bus_users() {
  ensure_rabbitmq >/dev/null
  local machine_state="${RECONMESH_STATE_DIR:-${HOME:-/root}/.local/share/reconmesh}"
  local dir="$machine_state/rabbitmq-users"
  mkdir -p "$dir"
  chmod 700 "$dir"
  RECONMESH_RABBITMQ_MANAGEMENT_URL="${RECONMESH_RABBITMQ_MANAGEMENT_URL:-http://guest:guest@127.0.0.1:15672/}" \
    RECONMESH_BUS_VHOST=/ RECONMESH_BUS_PASSWORDS_DIR="$dir" RECONMESH_BUS_GENERATE_PASSWORDS=1 "$here/rabbitmq-users.sh" apply
  local role
  for role in invoice-ingest payment-events writeback-service platform connector; do
    echo "export RECONMESH_RABBITMQ_URL_$(echo "$role" | tr 'a-z-' 'A-Z_')=amqp://reconmesh-$role:$(cat "$dir/$role")@127.0.0.1:5672/"
  done
}

# The command-line tools the scripts and the README's try-it commands use (the tests run those commands as written).
ensure_tools() {
  local tool missing=()
  for tool in curl jq openssl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}" || die "install ${missing[*]}: the scripts and the README's commands need them"
}

# Sourced (by chaos-servers.sh) for its helpers only; run, it ensures the servers.
[[ "${BASH_SOURCE[0]}" == "$0" ]] || return 0

case "${1:-ensure}" in
  ensure) ensure_tools; ensure_rabbitmq; ensure_postgres ;;
  rabbitmq) ensure_rabbitmq ;;
  postgres) ensure_postgres ;;
  bus-users) ensure_bus_users ;;
  *) echo "usage: $0 [ensure|rabbitmq|postgres|bus-users]" >&2; exit 2 ;;
esac
