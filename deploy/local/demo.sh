#!/usr/bin/env bash
# The main job on one machine: the sandbox and the three services as separate processes, six tenants (one on
# QuickBooks Online; one whose ConnectWise PSA is paired with QuickBooks; one on Xero; one whose ConnectWise PSA is
# paired with Xero; one whose Autotask PSA is paired with QuickBooks, one whose Autotask PSA is paired with Xero): their
# invoices sync in from the sandbox, the platform simulator runs a month of payments and
# payouts for each, a progress line per tenant every two seconds goes
# to stderr, and the demo proves the books. The last line is "books: OK" or "books: MISMATCH <n>"; so is the exit status.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/processes.sh"

# Optional human interference, to see how the mesh reports it (both on the QuickBooks tenant):
#   --void-one-by-hand            a person voids an invoice in QuickBooks while it is being paid (-> an exception)
#   --delete-one-payment-by-hand  a person deletes a booked payment behind the mesh's back (-> books: MISMATCH 1)
extra=()
for arg in "$@"; do
  case "$arg" in
    --void-one-by-hand|--delete-one-payment-by-hand) extra+=("$arg" true) ;;
    *) echo "[run] unknown demo option: $arg" >&2; exit 2 ;;
  esac
done

invoices=${RECONMESH_DEMO_INVOICES:-1500}   # open invoices per tenant
sandbox=http://127.0.0.1:${RECONMESH_SANDBOX_PORT:-5080}
ingest=http://127.0.0.1:5081
writeback=http://127.0.0.1:5083
run_id=$(date +%s)-$RANDOM
demo="$root/tools/ReconMesh.Demo/bin/Release/net10.0/ReconMesh.Demo.dll"
options=(--sandbox "$sandbox" --ingest "$ingest" --writeback "$writeback" --run-id "$run_id" --invoices "$invoices")

start_process sandbox ReconMesh.Sandbox "$sandbox"
wait_ready sandbox "$sandbox"
# seed prints the services' connection settings (ReconMesh__Connections__N__*=value), one a line.
mapfile -t connection_env < <(dotnet "$demo" seed "${options[@]}")
[ "${#connection_env[@]}" -gt 0 ] || { echo "[run] seeding the sandbox failed" >&2; exit 1; }

# Subscribers first: on a fresh broker a queue receives only what is published after it is bound.
start_process payment-events ReconMesh.PaymentEvents http://127.0.0.1:5082 ReconMesh__Webhooks__Urls="$(webhook_url 5085)"
wait_ready payment-events http://127.0.0.1:5082
start_process writeback-service ReconMesh.WritebackService "$writeback" "${connection_env[@]}"
wait_ready writeback-service "$writeback"
start_process invoice-ingest ReconMesh.InvoiceIngest "$ingest" "${connection_env[@]}" ReconMesh__Webhooks__Urls="$(webhook_url 5084)"
wait_ready invoice-ingest "$ingest"
# The operator console, to watch the month from a browser while it runs (it stops with the demo): a sign-in link that
# reads the six tenants (docs/console.md).
start_process operator-console ReconMesh.Console http://127.0.0.1:5086 \
  ReconMesh__Console__InvoiceIngest="$ingest" ReconMesh__Console__WritebackService="$writeback"
wait_ready operator-console http://127.0.0.1:5086
tenant_args=()
for tenant in $(printf '%s\n' "${connection_env[@]}" | sed -n 's/^ReconMesh__Connections__[0-9]*__TenantId=//p' | sort -u); do
  tenant_args+=(--tenant "$tenant")
done
echo "[demo] watch it in the operator console (read-only, these tenants, 8 h): http://127.0.0.1:5086/signin#token=$(mint_token "${tenant_args[@]}" --role read --subject demo)" >&2

set +e
dotnet "$demo" run "${options[@]}" "${extra[@]}"
status=$?
set -e
exit $status
