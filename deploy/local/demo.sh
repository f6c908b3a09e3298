#!/usr/bin/env bash
# The main job on one machine: the sandbox and the three services as separate processes; invoices created in the
# sandbox's QuickBooks company sync in, the platform simulator pays them, and the demo proves the books.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/processes.sh"

# Optional human interference, to see how the mesh reports it:
#   --void-one-by-hand            a person voids an invoice in QuickBooks while it is being paid (-> an exception)
#   --delete-one-payment-by-hand  a person deletes a booked payment behind the mesh's back (-> books: MISMATCH)
extra=()
for arg in "$@"; do
  case "$arg" in
    --void-one-by-hand|--delete-one-payment-by-hand) extra+=("$arg" true) ;;
    *) echo "[run] unknown demo option: $arg" >&2; exit 2 ;;
  esac
done

invoices=${RECONMESH_DEMO_INVOICES:-200}
sandbox=http://127.0.0.1:${RECONMESH_SANDBOX_PORT:-5080}
run_id=$(date +%s)-$RANDOM
tenant="demo-tenant-$run_id"
realm="9130$(printf '%012d' $((RANDOM * 32768 + RANDOM)))"
token="demo-token-$run_id"
connection=$(python3 -c 'import uuid; print(uuid.uuid4())')
demo="$root/deploy/local/ReconMesh.Demo/bin/Release/net10.0/ReconMesh.Demo.dll"

start_process sandbox ReconMesh.Sandbox "$sandbox"
wait_ready sandbox "$sandbox"
dotnet "$demo" seed --sandbox "$sandbox" --realm "$realm" --token "$token" --invoices "$invoices"

connection_env=(
  ReconMesh__Connections__0__Id="$connection"
  ReconMesh__Connections__0__TenantId="$tenant"
  ReconMesh__Connections__0__Kind=QuickBooksOnline
  ReconMesh__Connections__0__BaseUrl="$sandbox"
  ReconMesh__Connections__0__RealmId="$realm"
  ReconMesh__Connections__0__AccessToken="$token"
  ReconMesh__Connections__0__PollInterval=00:00:01
  ReconMesh__Connections__0__DepositAccountId=35
)
# Subscribers first: on a fresh broker a queue receives only what is published after it is bound.
start_process payment-events ReconMesh.PaymentEvents http://127.0.0.1:5082
wait_ready payment-events http://127.0.0.1:5082
start_process writeback-service ReconMesh.WritebackService http://127.0.0.1:5083 "${connection_env[@]}"
wait_ready writeback-service http://127.0.0.1:5083
start_process invoice-ingest ReconMesh.InvoiceIngest http://127.0.0.1:5081 "${connection_env[@]}"
wait_ready invoice-ingest http://127.0.0.1:5081

set +e
dotnet "$demo" run --sandbox "$sandbox" --realm "$realm" --token "$token" --tenant "$tenant" --invoices "$invoices" "${extra[@]}"
status=$?
set -e
exit $status
