#!/usr/bin/env bash
# The chaos run's own RabbitMQ cluster and PostgreSQL cluster: on other ports than the shared servers that
# `infra.sh ensure` starts (other runs and tests use those, and the chaos run breaks its servers on purpose),
# with their data under artifacts/chaos/servers, fresh every run. RabbitMQ runs as production runs it: a cluster of
# three nodes on this machine, which the services declare quorum queues on and reach through all three addresses.
#
#   chaos-servers.sh start              fresh data dirs, the three nodes clustered, PostgreSQL started; prints `export`
#                                       lines on stdout
#   chaos-servers.sh restart-rabbitmq [SECONDS]   stops every node, leaves the cluster down SECONDS (0), starts all three
#                                                 on the same data
#   chaos-servers.sh kill-rabbitmq-node N [SECONDS]  SIGKILLs node N (1-3), leaves it down SECONDS (0), starts it again on
#                                                    the same data and waits until it has rejoined the cluster
#   chaos-servers.sh restart-postgres [SECONDS]   stops the cluster at once (-m immediate: crash recovery from WAL),
#                                                 leaves it down SECONDS (0) and starts it
#   chaos-servers.sh stop               stops all of them (idempotent)
#
# Ports: RECONMESH_CHAOS_AMQP_PORT (5673: node 1; nodes 2 and 3 on the next two ports; each node's Erlang distribution on
# 20000 + its port), RECONMESH_CHAOS_PG_PORT (5433). Node names carry the first port, so two checkouts' runs on other
# ports do not meet in epmd.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The helpers of infra.sh (log, die, as_root, apt_install, port_open, wait_for, explain_missing).
source "$here/infra.sh"
log() { printf '[chaos-servers] %s\n' "$*" >&2; }

dir="$root/artifacts/chaos/servers"
amqp_port=${RECONMESH_CHAOS_AMQP_PORT:-5673}
pg_port=${RECONMESH_CHAOS_PG_PORT:-5433}
nodes=(1 2 3)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

# --- RabbitMQ: three nodes on this machine, run as root straight from the package's scripts -----------------------
node_port() { echo $((amqp_port + $1 - 1)); }
node_name() { echo "reconmesh-chaos-$amqp_port-$1@localhost"; }
node_dir() { echo "$dir/rabbitmq/node-$1"; }

rabbit_env() { # node, command...
  local n=$1 d; shift
  d=$(node_dir "$n")
  env RABBITMQ_NODENAME="$(node_name "$n")" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$(node_port "$n")" \
    RABBITMQ_DIST_PORT=$((20000 + $(node_port "$n"))) RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" \
    RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" RABBITMQ_PID_FILE="$d/pid" \
    "$@"
}

rabbitmqctl_on() { local n=$1; shift; rabbit_env "$n" /usr/lib/rabbitmq/bin/rabbitmqctl -n "$(node_name "$n")" "$@"; }

rabbit_launch() { rabbit_env "$1" /usr/lib/rabbitmq/bin/rabbitmq-server -detached >&2; }

rabbit_await() { wait_for "RabbitMQ node $(node_name "$1")" 240 rabbitmqctl_on "$1" await_startup; }

# Every node of the cluster running and seeing the other two.
rabbit_clustered() {
  local n
  for n in "${nodes[@]}"; do
    [ "$(rabbitmqctl_on "$n" eval 'length(rabbit_nodes:all_running()).' 2>/dev/null)" = "${#nodes[@]}" ] || return 1
  done
}

rabbit_down() { # node
  local pid_file; pid_file="$(node_dir "$1")/pid"
  [ -f "$pid_file" ] || return 0
  rabbitmqctl_on "$1" stop "$pid_file" >&2 2>/dev/null || true
  rm -f "$pid_file"
}

rabbit_kill() { # node: SIGKILL, no shutdown at all
  local pid_file pid; pid_file="$(node_dir "$1")/pid"
  pid=$(cat "$pid_file" 2>/dev/null || true)
  [ -n "$pid" ] || die "node $1 has no pid file: is it running?"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$pid_file"
}

start_rabbitmq() {
  if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    apt_install rabbitmq-server || explain_missing rabbitmq-server
  fi
  local n d
  for n in "${nodes[@]}"; do
    port_open "$(node_port "$n")" && die "port $(node_port "$n") is taken: is another chaos run going? (set RECONMESH_CHAOS_AMQP_PORT)"
    d=$(node_dir "$n")
    mkdir -p "$d/mnesia" "$d/log"
    : > "$d/rabbitmq-env.conf"
    echo "[]." > "$d/enabled_plugins"
    # The three nodes find each other from this list (classic peer discovery): node 1 starts first and forms the
    # cluster, the others join it. A restarted node rejoins from its own data.
    cat > "$d/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$(node_port "$n")
loopback_users.guest = true
cluster_formation.peer_discovery_backend = rabbit_peer_discovery_classic_config
cluster_formation.classic_config.nodes.1 = $(node_name 1)
cluster_formation.classic_config.nodes.2 = $(node_name 2)
cluster_formation.classic_config.nodes.3 = $(node_name 3)
CONF
  done
  log "starting a RabbitMQ cluster of ${#nodes[@]} nodes on 127.0.0.1:$(node_port 1)-$(node_port "${nodes[-1]}") (data $dir/rabbitmq)"
  rabbit_launch 1
  rabbit_await 1
  for n in "${nodes[@]:1}"; do
    rabbit_launch "$n"
    rabbit_await "$n"
  done
  wait_for "the RabbitMQ cluster" 240 rabbit_clustered
}

restart_rabbitmq() { # seconds down
  local n
  log "restarting every RabbitMQ node"
  for n in "${nodes[@]}"; do rabbit_down "$n"; done
  sleep "$1"  # the outage itself: how long clients find no broker
  # All at once: each node waits for the others' tables as it boots (the last one stopped holds the newest).
  for n in "${nodes[@]}"; do rabbit_launch "$n"; done
  for n in "${nodes[@]}"; do rabbit_await "$n"; done
  wait_for "the RabbitMQ cluster" 240 rabbit_clustered
}

kill_rabbitmq_node() { # node, seconds down
  [[ " ${nodes[*]} " == *" $1 "* ]] || die "no RabbitMQ node $1 (nodes: ${nodes[*]})"
  log "SIGKILL of RabbitMQ node $(node_name "$1")"
  rabbit_kill "$1"
  sleep "$2"  # the outage itself: how long that node is away
  rabbit_launch "$1"
  rabbit_await "$1"
  wait_for "the RabbitMQ cluster" 240 rabbit_clustered
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
  local pw n others=()
  pw=$(cat "$dir/postgres/password")
  for n in "${nodes[@]}"; do others+=("127.0.0.1:$(node_port "$n")"); done
  echo "export ReconMesh__RabbitMq=amqp://guest:guest@127.0.0.1:$amqp_port/"
  # Every node of the cluster: a client whose node dies connects to another (ReconMesh:RabbitMqNodes).
  echo "export ReconMesh__RabbitMqNodes=$(IFS=,; echo "${others[*]}")"
  echo "export ReconMesh__QuorumQueues=true"
  echo "export ReconMesh__Postgres='Host=127.0.0.1;Port=$pg_port;Database=reconmesh;Username=reconmesh;Password=$pw'"
}

stop_all_servers() {
  local n
  for n in "${nodes[@]}"; do rabbit_down "$n"; done
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
  restart-rabbitmq) restart_rabbitmq "${2:-0}" ;;
  kill-rabbitmq-node) kill_rabbitmq_node "${2:?which node (1-3)}" "${3:-0}" ;;
  restart-postgres)
    log "restarting PostgreSQL on port $pg_port (immediate stop: no checkpoint, recovery from WAL)"
    pg_down immediate
    sleep "${2:-0}"  # the outage itself: how long clients find no database
    pg_up
    ;;
  stop) stop_all_servers ;;
  *) echo "usage: $0 start|restart-rabbitmq [SECONDS]|kill-rabbitmq-node N [SECONDS]|restart-postgres [SECONDS]|stop" >&2; exit 2 ;;
esac
