#!/usr/bin/env bash
# The chaos run's own RabbitMQ node and PostgreSQL cluster: on other ports than the shared servers that
# `infra.sh ensure` starts (other runs and tests use those, and the chaos run restarts its servers on purpose),
# with their data under artifacts/chaos/servers, fresh every run.
#
#   chaos-servers.sh start              fresh data dirs, both servers started; prints `export` lines on stdout
#   chaos-servers.sh restart-rabbitmq [SECONDS]   stops the node, leaves it down SECONDS (0), starts it on the same data
#   chaos-servers.sh restart-postgres [SECONDS]   stops the cluster at once (-m immediate: crash recovery from WAL),
#                                                 leaves it down SECONDS (0) and starts it
#   chaos-servers.sh stop               stops both (idempotent)
#
# Ports: RECONMESH_CHAOS_AMQP_PORT (5673; Erlang distribution on 20000 + it), RECONMESH_CHAOS_PG_PORT (5433).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The helpers of infra.sh (log, die, as_root, apt_install, port_open, wait_for, explain_missing).
source "$here/infra.sh"
log() { printf '[chaos-servers] %s\n' "$*" >&2; }

dir="$root/artifacts/chaos/servers"
amqp_port=${RECONMESH_CHAOS_AMQP_PORT:-5673}
pg_port=${RECONMESH_CHAOS_PG_PORT:-5433}
node="reconmesh-chaos@localhost"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

# --- RabbitMQ: a second node on this machine, run as root straight from the package's scripts --------------------
rabbit_env() {
  env RABBITMQ_NODENAME="$node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$amqp_port" \
    RABBITMQ_DIST_PORT=$((20000 + amqp_port)) RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq/rabbitmq-env.conf" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/rabbitmq/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$dir/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$dir/rabbitmq/log" RABBITMQ_PID_FILE="$dir/rabbitmq/pid" \
    "$@"
}

rabbit_up() {
  rabbit_env /usr/lib/rabbitmq/bin/rabbitmq-server -detached >&2
  wait_for "RabbitMQ node $node" 240 rabbit_env /usr/lib/rabbitmq/bin/rabbitmqctl -n "$node" await_startup
}

rabbit_down() {
  [ -f "$dir/rabbitmq/pid" ] || return 0
  rabbit_env /usr/lib/rabbitmq/bin/rabbitmqctl -n "$node" stop "$dir/rabbitmq/pid" >&2 2>/dev/null || true
  rm -f "$dir/rabbitmq/pid"
}

start_rabbitmq() {
  if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    apt_install rabbitmq-server || explain_missing rabbitmq-server
  fi
  port_open "$amqp_port" && die "port $amqp_port is taken: is another chaos run going? (set RECONMESH_CHAOS_AMQP_PORT)"
  mkdir -p "$dir/rabbitmq/mnesia" "$dir/rabbitmq/log"
  : > "$dir/rabbitmq/rabbitmq-env.conf"
  echo "[]." > "$dir/rabbitmq/enabled_plugins"
  cat > "$dir/rabbitmq/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$amqp_port
loopback_users.guest = true
CONF
  log "starting RabbitMQ node $node on 127.0.0.1:$amqp_port (data $dir/rabbitmq)"
  rabbit_up
}

# --- PostgreSQL: a throwaway cluster, run as the postgres user (initdb refuses root) -------------------------------
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_up() {
  as_postgres "$pg_bin/pg_ctl" -D "$dir/postgres/data" -l "$dir/postgres/postgres.log" -w -t 120 start >&2
  wait_for "PostgreSQL on port $pg_port" 240 "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"
}

pg_down() { # mode: fast or immediate
  [ -f "$dir/postgres/data/postmaster.pid" ] || return 0
  as_postgres "$pg_bin/pg_ctl" -D "$dir/postgres/data" -m "$1" -w -t 120 stop >&2 || true
}

start_postgres() {
  if [ -z "$pg_bin" ]; then
    apt_install postgresql || explain_missing postgresql
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  port_open "$pg_port" && die "port $pg_port is taken: is another chaos run going? (set RECONMESH_CHAOS_PG_PORT)"
  mkdir -p "$dir/postgres"
  # A password generated for this run's cluster only, never a default one.
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$dir/postgres/password"
  chmod 600 "$dir/postgres/password"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$dir/postgres"; fi
  as_postgres "$pg_bin/initdb" -D "$dir/postgres/data" -U reconmesh --pwfile="$dir/postgres/password" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --no-instructions >/dev/null
  cat >> "$dir/postgres/data/postgresql.conf" <<CONF
port = $pg_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/postgres'
max_connections = 300
CONF
  log "starting PostgreSQL on 127.0.0.1:$pg_port (data $dir/postgres/data)"
  pg_up
  PGPASSWORD=$(cat "$dir/postgres/password") "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U reconmesh -d postgres \
    -c "CREATE DATABASE reconmesh" >&2
}

exports() {
  local pw; pw=$(cat "$dir/postgres/password")
  echo "export ReconMesh__RabbitMq=amqp://guest:guest@127.0.0.1:$amqp_port/"
  echo "export ReconMesh__Postgres='Host=127.0.0.1;Port=$pg_port;Database=reconmesh;Username=reconmesh;Password=$pw'"
}

stop_all_servers() {
  rabbit_down
  pg_down fast
}

case "${1:-}" in
  start)
    stop_all_servers
    rm -rf "$dir"
    mkdir -p "$dir"
    start_rabbitmq
    start_postgres
    exports
    ;;
  restart-rabbitmq)
    log "restarting RabbitMQ node $node"
    rabbit_down
    sleep "${2:-0}"  # the outage itself: how long clients find no broker
    rabbit_up
    ;;
  restart-postgres)
    log "restarting PostgreSQL on port $pg_port (immediate stop: no checkpoint, recovery from WAL)"
    pg_down immediate
    sleep "${2:-0}"  # the outage itself: how long clients find no database
    pg_up
    ;;
  stop) stop_all_servers ;;
  *) echo "usage: $0 start|restart-rabbitmq [SECONDS]|restart-postgres [SECONDS]|stop" >&2; exit 2 ;;
esac
