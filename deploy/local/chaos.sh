#!/usr/bin/env bash
# ./run chaos: payments flow to six tenants (QuickBooks; ConnectWise; ConnectWise paired with QuickBooks; Xero; Autotask
# paired with QuickBooks; those but ConnectWise alone paid out every 15 s with returns after payout; QuickBooks at its
# real limits while another application spends part of its budget),
# through the platform's three doors (bus, signed webhook, plain JSON; returns, refunds and chargebacks through their
# payment's door), to two replicas of each service, while the replicas are SIGKILLed and restarted,
# one is frozen (SIGSTOP) for 30 s, RabbitMQ nodes are SIGKILLed and the cluster restarted, PostgreSQL stays away for
# 60 s, several of these at once, and the simulated integrations fail, time out after committing and throttle; then the
# books are compared with what the platform processed (docs/reliability.md). Exit 0 only if nothing was lost,
# duplicated, booked for a wrong amount, left stuck or put in the exceptions queue. Figures: artifacts/chaos/summary.json.
#
# Its own three-node RabbitMQ cluster and PostgreSQL cluster (chaos-servers.sh), never the shared ones: it breaks them on
# purpose.
#   --seed N       what every random choice derives from (default: the driver's fixed seed)
#   --payments N   how many payments: a tenth to the tenant at real limits, the rest evenly to the others (default 3000)
#   --replicas N   processes of each service (default 2); --kills-each N   SIGKILLs of each replica (default 3)
#   --postgres-outage-seconds N, --pause-seconds N   how long PostgreSQL stays away (60) and a service frozen (30)
# Knobs: RECONMESH_CHAOS_PORT (the sandbox's port, 5180; the services take the next 5 per replica, then the webhooks'
# and the driver's WritebackService load balancers one each: 5181-5192 with two replicas), RECONMESH_CHAOS_AMQP_PORT
# (5673, 5674 and 5675 for the three nodes), RECONMESH_CHAOS_PG_PORT (5433).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/processes.sh"

options=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seed|--payments|--replicas|--kills-each|--settle-seconds|--postgres-outage-seconds|--pause-seconds)
      [ $# -ge 2 ] || { echo "[chaos] $1 needs a value" >&2; exit 2; }
      options+=("$1" "$2"); shift 2 ;;
    *) echo "[chaos] unknown option: $1 (known: --seed N, --payments N, --replicas N, --kills-each N, --settle-seconds N, --postgres-outage-seconds N, --pause-seconds N)" >&2; exit 2 ;;
  esac
done

out="$root/artifacts/chaos"
logs="$out/logs"
rm -rf "$logs" "$out/summary.json"
mkdir -p "$logs"
servers="$root/deploy/local/chaos-servers.sh"
port=${RECONMESH_CHAOS_PORT:-5180}
sandbox=http://127.0.0.1:$port
demo="$root/tools/ReconMesh.Demo/bin/Release/net10.0/ReconMesh.Demo.dll"

cleanup() {
  # The services the driver started (it keeps their current pids there), should the driver itself have died.
  local pid
  for pid in $(cat "$out/service-pids" 2>/dev/null); do
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$out/service-pids"
  stop_all
  "$servers" stop || true
}
trap cleanup EXIT

# Not eval "$(...)" directly: a start that fails (another chaos run holds the ports) must stop this run here, before it
# starts a sandbox and services against servers that are not its own.
servers_env=$("$servers" start) || { echo "[chaos] the servers did not start; nothing else was started" >&2; exit 1; }
eval "$servers_env"
start_process chaos-sandbox ReconMesh.Sandbox "$sandbox"
wait_ready chaos-sandbox "$sandbox"

set +e
dotnet "$demo" chaos --sandbox "$sandbox" --port $((port + 1)) --root "$root" "${options[@]}"
status=$?
set -e
exit $status
