#!/usr/bin/env bash
# The bus's users and what each may do, applied to one RabbitMQ virtual host through the management HTTP API.
# Idempotent: re-running updates passwords and permissions to what is written here. The one place these permissions
# are defined: deploy/local/infra.sh (bus-users), the Kubernetes Job example in deploy/rabbitmq/ and the integration
# tests (tests/ReconMesh.IntegrationTests/Security/When_publishers_reach_for_the_bus.cs) all run this script. It needs
# bash and curl only.
#
#   rabbitmq-users.sh apply     create or update the users and their permissions on the virtual host
#   rabbitmq-users.sh delete    remove the users (their permissions go with them)
#   rabbitmq-users.sh print     print each user's configure/write/read expressions (no broker needed)
#
# Settings (environment):
#   RECONMESH_RABBITMQ_MANAGEMENT_URL  http://admin:password@host:15672/ (an administrator of the broker); required
#                                      for apply and delete
#   RECONMESH_BUS_VHOST                the virtual host (default /)
#   RECONMESH_BUS_USER_PREFIX          prefix of the user names (default reconmesh-)
#   RECONMESH_BUS_PASSWORDS_DIR        a directory with one file per user role (invoice-ingest, payment-events,
#                                      writeback-service, platform, connector) holding its password; e.g. a
#                                      Kubernetes Secret mounted as a volume. Required for apply.
#   RECONMESH_BUS_GENERATE_PASSWORDS   1: write a random password into the directory for a role that has none (local
#                                      use). Otherwise a missing password is an error: no default passwords.
#   RECONMESH_BUS_CONNECTOR_PREFIX     the queue-name prefix of the connector team's queues (default connector.)
#
# RabbitMQ checks three regular expressions per user and virtual host: configure (declare or delete a queue or an
# exchange), write (publish to an exchange, bind a queue or exchange as destination) and read (consume from a queue,
# bind from an exchange as source). Every expression below is anchored: a name matches whole or not at all.
set -euo pipefail

roles=(invoice-ingest payment-events writeback-service platform connector)
prefix=${RECONMESH_BUS_USER_PREFIX-reconmesh-}
vhost=${RECONMESH_BUS_VHOST:-/}
connector_prefix=${RECONMESH_BUS_CONNECTOR_PREFIX:-connector.}

die() { printf '[bus-users] error: %s\n' "$*" >&2; exit 1; }
log() { printf '[bus-users] %s\n' "$*" >&2; }

[[ "$connector_prefix" =~ ^[a-z0-9][a-z0-9.-]*$ ]] || die "RECONMESH_BUS_CONNECTOR_PREFIX must be lower-case letters, digits, dots and dashes"
[[ "$prefix" =~ ^[A-Za-z0-9._-]*$ ]] || die "RECONMESH_BUS_USER_PREFIX must be letters, digits, dots, dashes and underscores"

# --- the names, as MassTransit and the contracts make them ---------------------------------------------------------
# What the payment platform sends in: its four payment events, its payouts, and the plain-JSON door.
platform_in='reconmesh\.payments\.payment-(processed|failed|refunded|charged-back)|reconmesh\.payouts\.payout-paid|reconmesh\.platform\.json'
# The published contracts anyone entitled may read (docs/contracts.md), connections excepted: those name secrets and URLs.
public_contracts='reconmesh\.(invoices|payments|payouts)\.[a-z-]+'
# MassTransit's bus endpoint ({host}_{process}_bus_{id}): a temporary queue and exchange each process may create.
bus_endpoint='[A-Za-z0-9_.-]*_bus_[a-z0-9]+'
# Faults a service publishes: Fault<T> for a message of its own namespace or of the contracts that it gave up on, and
# ReceiveFault for one refused before any consumer saw it (bound from its exchange to MassTransit:Fault, so read too).
# Only WritebackService consumes faults (of its own commands).
faults_of() { printf 'MassTransit:(ReceiveFault|Fault)|MassTransit:Fault--(ReconMesh\\.(Contracts|%s)(\\.[A-Za-z]+)*:[A-Za-z]+|reconmesh\\.[a-z.-]+)--' "$1"; }
esc() { printf '%s' "$1" | sed 's/[.]/\\./g'; }

# The alternatives joined into one anchored expression, each once.
anchored() { printf '^(%s)$' "$(printf '%s\n' "$@" | awk 'NF && !seen[$0]++' | paste -sd '|')"; }

# permissions ROLE -> "configure<TAB>write<TAB>read"
permissions() {
  local own publishes consumes faults also_reads=''
  case "$1" in
    payment-events)
      own='payment-events\..*'
      publishes='reconmesh\.payments\.payment-(accepted|failure-accepted)|reconmesh\.payouts\.payout-accepted'
      consumes="$platform_in"
      faults=$(faults_of PaymentEvents) ;;
    writeback-service)
      own='writeback\..*'
      local internal='ReconMesh\.WritebackService(\.[A-Za-z]+)*:[A-Za-z]+'
      publishes="reconmesh\\.payments\\.(payment-status-written-back|payment-status-reverted|writeback-failed)|reconmesh\\.payouts\\.payout-(deposited|needs-attention)|reconmesh\\.invoices\\.invoices-awaited|$internal"
      faults=$(faults_of WritebackService)
      # The saga hears its own outcomes; the fault consumer hears the faults of the write and reversal commands.
      consumes="reconmesh\\.payments\\.(payment-accepted|payment-failure-accepted|payment-status-written-back|payment-status-reverted|writeback-failed)|reconmesh\\.payouts\\.payout-accepted|reconmesh\\.invoices\\.invoices-synced|reconmesh\\.connections\\.connection-(added|removed)"
      also_reads="$internal|$faults" ;;
    invoice-ingest)
      own='invoice-ingest\..*'
      # And answers WritebackService's InvoicesAwaited on the exchange of its queue for answers (declare, publish; no read).
      publishes='reconmesh\.invoices\.(invoices?-synced|billing-contact-synced|invoice-archived)|reconmesh\.connections\.connection-(added|removed)|writeback\.invoices-answered'
      consumes='reconmesh\.payments\.payment-status-written-back|reconmesh\.invoices\.invoices-awaited'
      faults=$(faults_of InvoiceIngest) ;;
    platform)
      # Publishes its own messages only; may keep queues of its own (platform.*) bound to the published contracts,
      # binding without declaring the mesh's exchanges.
      printf '%s\t%s\t%s\n' "$(anchored "$platform_in" 'platform\..*' "$bus_endpoint")" \
        "$(anchored "$platform_in" 'platform\..*' "$bus_endpoint")" "$(anchored 'platform\..*' "$public_contracts" "$bus_endpoint")"
      return ;;
    connector)
      # Reads only: declares and binds queues of its prefix (binding needs write on the queue), consumes from them.
      local mine; mine="$(esc "$connector_prefix").*"
      printf '%s\t%s\t%s\n' "$(anchored "$mine")" "$(anchored "$mine")" "$(anchored "$mine" "$public_contracts")"
      return ;;
    *) die "unknown role $1" ;;
  esac
  printf '%s\t%s\t%s\n' "$(anchored "$own" "$publishes" "$consumes" "$faults" "$bus_endpoint")" \
    "$(anchored "$own" "$publishes" "$faults" "$bus_endpoint")" "$(anchored "$own" "$consumes" "$also_reads" "$faults" "$bus_endpoint")"
}

json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

management() { # METHOD PATH [JSON]
  local url=${RECONMESH_RABBITMQ_MANAGEMENT_URL:?set RECONMESH_RABBITMQ_MANAGEMENT_URL to http://admin:password@host:15672/}
  local args=(-sS -o /dev/null -w '%{http_code}' -X "$1" -H 'content-type: application/json')
  [ $# -ge 3 ] && args+=(--data-binary "$3")
  local code; code=$(curl "${args[@]}" "${url%/}$2") || die "cannot reach the management API at ${url#*@}"
  case "$code" in 2??) ;; 404) [ "$1" = DELETE ] || die "$1 $2 answered 404" ;; *) die "$1 $2 answered $code" ;; esac
}

urlencode() { # RFC 3986 percent-encoding of an ASCII name (bash and curl are all the script needs)
  local s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in [A-Za-z0-9._~-]) out+=$c ;; *) printf -v c '%%%02X' "'$c"; out+=$c ;; esac
  done
  printf '%s' "$out"
}

password_for() {
  local dir=${RECONMESH_BUS_PASSWORDS_DIR:?set RECONMESH_BUS_PASSWORDS_DIR to a directory holding one password file per role}
  local file="$dir/$1"
  if [ ! -s "$file" ]; then
    [ "${RECONMESH_BUS_GENERATE_PASSWORDS:-0}" = 1 ] || die "no password for $1 in $dir (no default passwords)"
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$file")
  fi
  tr -d '\n' < "$file"
}

apply() {
  local v; v=$(urlencode "$vhost")
  management PUT "/api/vhosts/$v"
  for role in "${roles[@]}"; do
    local user="$prefix$role" u configure write read password
    u=$(urlencode "$user")
    password=$(password_for "$role")
    IFS=$'\t' read -r configure write read < <(permissions "$role")
    management PUT "/api/users/$u" "{\"password\":$(json_string "$password"),\"tags\":\"\"}"
    management PUT "/api/permissions/$v/$u" \
      "{\"configure\":$(json_string "$configure"),\"write\":$(json_string "$write"),\"read\":$(json_string "$read")}"
    log "user $user on virtual host $vhost"
  done
}

case "${1:-}" in
  apply) apply ;;
  delete) for role in "${roles[@]}"; do management DELETE "/api/users/$(urlencode "$prefix$role")"; done ;;
  print) for role in "${roles[@]}"; do printf '%s\t%s\n' "$prefix$role" "$(permissions "$role")"; done ;;
  *) echo "usage: $0 apply|delete|print" >&2; exit 2 ;;
esac
