#!/usr/bin/env bash
# The benchmarks (docs/benchmarks.md): the ceilings of the shared RabbitMQ and PostgreSQL, then the mesh (the sandbox
# and the three services as separate processes, exactly as the demo starts them) driven end to end. Figures go to
# artifacts/bench/summary.json and a table on stdout. Bounded to ~10 minutes on 2 cores, plus ~7 for the
# Xero initial sync at its 60 calls a minute and ~5 for Autotask's in its 20% share; traffic stays on 127.0.0.1.
#
# `./run bench ingest` runs only the initial-sync part: 20,000 open invoices (and 1,000 closed) from QuickBooks, then
# from ConnectWise, each with the sandbox's and the connection's default limits, then from Xero at Xero's real limits
# (60 calls a minute, 5 at once, 5,000 a day, in the simulator and on the connection: about 7 minutes), InvoiceIngest
# serving only that connection (figures in artifacts/bench/sync.json), then from Autotask at its real limits (10,000 calls
# an hour per database, 3 at once) within the 20% share ReconMesh claims (2,000 an hour: about 4 minutes). `./run bench`
# runs it first, then everything else. `./run bench ingest-autotask` runs only the Autotask sync.
#
# `./run bench mesh` skips the initial-sync part and the ceilings: the mesh parts alone, for iterating on the payment
# path (its summary has no ceilings or sync figures).
#
# `./run bench sync-a` runs only an initial sync on freshly started services (company A's, B and C syncing at the same
# time), timed as the full run times its ingest_fresh figure, with the CPU of each process, the commits, the bus's
# messages and the statements per invoice (artifacts/bench/sync-a.json, sync-a-statements.txt), then W's (A's size) on
# the services warm from the syncs: for iterating on the ingest path.
#
# Knobs: RECONMESH_BENCH_INVOICES (12000), RECONMESH_BENCH_BUDGET_S (max-throughput run, 150),
#        RECONMESH_BENCH_PORT (first of six ports, 5090), RECONMESH_BENCH_SYNC_INVOICES (open invoices per
#        integration in the initial-sync part, 20000), RECONMESH_BENCH_DATABASE (the bench's own PostgreSQL database,
#        dropped and re-created, reconmesh_bench: give a bench run beside another its own).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/processes.sh"
mode=${1:-all}
case "$mode" in all|ingest|ingest-autotask|mesh|sync-a) ;; *) echo "usage: bench.sh [all|ingest|ingest-autotask|mesh|sync-a]" >&2; exit 2 ;; esac

bench="$root/tools/ReconMesh.Bench/bin/Release/net10.0/ReconMesh.Bench.dll"
out="$root/artifacts/bench"
mkdir -p "$out"
invoices_a=${RECONMESH_BENCH_INVOICES:-12000}
invoices_c=6000   # a warm-up of 3,000, then 100 payments/s for 30 s
invoices_b=400    # enough for a backlog over ~80 s at QuickBooks' limits
port=${RECONMESH_BENCH_PORT:-5090}
sandbox=http://127.0.0.1:$port
run_id=$(date +%s)-$RANDOM
tag=$(printf '%05d' $((RANDOM % 100000)))
vhost="reconmesh-bench-$run_id"

# A virtual host and a database of the bench's own, fresh per run (see Isolation.cs); removed again on exit.
eval "$(dotnet "$bench" prepare --vhost "$vhost")"
cleanup() { stop_all; dotnet "$bench" cleanup --vhost "$vhost" >/dev/null 2>&1 || true; }
trap cleanup EXIT

if [ "$mode" = all ]; then
  echo "[bench] (a) ceilings of RabbitMQ and PostgreSQL" >&2
  dotnet "$bench" ceilings --out "$out/ceilings.json"
fi

declare -A realm token tenant connection
env_args=()
i=0
for key in a w c b; do
  realm[$key]="9130$(printf '%012d' $((RANDOM * 32768 + RANDOM)))"
  token[$key]="bench-token-$key-$run_id"
  tenant[$key]="bench-tenant-$key-$run_id"
  connection[$key]=$(python3 -c 'import uuid; print(uuid.uuid4())')
  if [ "$key" = a ] || [ "$key" = w ]; then
    # A and W (A's size) are added through the API, each sync timed from that request (MeshBench.SyncAddedCompanyAsync):
    # the full run adds W once B and C have synced and A after the warm-up, sync-a the other way round. Their tokens
    # are given to the services by reference, as a deployment gives a connection's secret.
    env_args+=(ReconMesh__Secrets__bench-${key}__AccessToken="${token[$key]}" ReconMesh__Secrets__bench-${key}__TenantId="${tenant[$key]}")
    continue
  fi
  env_args+=(
    ReconMesh__Connections__${i}__Id="${connection[$key]}"
    ReconMesh__Connections__${i}__TenantId="${tenant[$key]}"
    ReconMesh__Connections__${i}__Kind=QuickBooksOnline
    ReconMesh__Connections__${i}__BaseUrl="$sandbox"
    ReconMesh__Connections__${i}__RealmId="${realm[$key]}"
    ReconMesh__Connections__${i}__AccessToken="${token[$key]}"
  )
  if [ "$key" != b ]; then
    # QuickBooks' limits off for A and C (the company too); B keeps the defaults (500/min, 10 concurrent).
    env_args+=(ReconMesh__Connections__${i}__RequestsPerMinute=0 ReconMesh__Connections__${i}__MaxConcurrent=0)
  fi
  i=$((i + 1))
done
# No subscriber of the older contract here: invoices travel only combined (InvoicesSynced; docs/benchmarks.md).
env_args+=(ReconMesh__Contracts__PublishInvoiceSyncedAlone=false)
companies=(--realm-a "${realm[a]}" --token-a "${token[a]}" --tenant-a "${tenant[a]}" --invoices-a "$invoices_a" --connection-a "${connection[a]}"
           --realm-w "${realm[w]}" --token-w "${token[w]}" --tenant-w "${tenant[w]}" --invoices-w "$invoices_a" --connection-w "${connection[w]}"
           --realm-c "${realm[c]}" --token-c "${token[c]}" --tenant-c "${tenant[c]}" --invoices-c "$invoices_c"
           --realm-b "${realm[b]}" --token-b "${token[b]}" --tenant-b "${tenant[b]}" --invoices-b "$invoices_b")

start_process bench-sandbox ReconMesh.Sandbox "$sandbox"
wait_ready bench-sandbox "$sandbox"

initial_sync() {
  # The initial sync of each integration in turn, InvoiceIngest serving that one connection only.
  sync_invoices=${RECONMESH_BENCH_SYNC_INVOICES:-20000}
  sync_realm="9131$(printf '%012d' $((RANDOM * 32768 + RANDOM)))"
  sync_token="bench-token-sync-$run_id"
  sync_site="benchsync$tag"
  sync_public="bench-public-$tag"
  sync_private="bench-private-$run_id"
  sync_client=$(python3 -c 'import uuid; print(uuid.uuid4())')
  sync_xero=$(python3 -c 'import uuid; print(uuid.uuid4())')
  sync_xero_token="bench-xero-token-$run_id"
  sync_autotask="benchsync-$tag" sync_autotask_user="bench-api-$tag@benchsync.test" sync_autotask_secret="bench-secret-$run_id"
  sync_autotask_code="BENCHSYNC$tag"
  rm -f "$out/sync.json"
  sync_kinds="qbo cw xero autotask"
  if [ "$mode" = ingest-autotask ]; then
    sync_kinds=autotask
  else
    echo "[bench] (e) initial sync of $sync_invoices open invoices: QuickBooks, then ConnectWise, then Xero at 60 calls/min" >&2
    dotnet "$bench" sync-setup --sandbox "$sandbox" --invoices "$sync_invoices" --closed 1000 --realm "$sync_realm" --token "$sync_token" \
      --cw-site "$sync_site" --cw-public "$sync_public" --cw-private "$sync_private" --cw-client "$sync_client" \
      --xero-tenant "$sync_xero" --xero-token "$sync_xero_token"
  fi
  echo "[bench] (e) initial sync of $sync_invoices open Autotask invoices in ReconMesh's 20% of 10,000 calls an hour" >&2
  dotnet "$bench" sync-setup-autotask --sandbox "$sandbox" --invoices "$sync_invoices" --closed 1000 --autotask-db "$sync_autotask" \
    --autotask-user "$sync_autotask_user" --autotask-secret "$sync_autotask_secret" --autotask-code "$sync_autotask_code"
  for kind in $sync_kinds; do
    sync_tenant="bench-tenant-sync-$kind-$run_id"
    sync_env=(
      ReconMesh__Connections__0__Id="$(python3 -c 'import uuid; print(uuid.uuid4())')"
      ReconMesh__Connections__0__TenantId="$sync_tenant"
      ReconMesh__Connections__0__BaseUrl="$sandbox"
      ReconMesh__Connections__0__PollInterval=00:00:30
    )
    if [ "$kind" = qbo ]; then
      sync_env+=(ReconMesh__Connections__0__Kind=QuickBooksOnline ReconMesh__Connections__0__RealmId="$sync_realm"
                 ReconMesh__Connections__0__AccessToken="$sync_token")
    elif [ "$kind" = xero ]; then
      # Xero's limits on the connection too (its defaults are the same; said here so the figure is plainly at them).
      sync_env+=(ReconMesh__Connections__0__Kind=Xero ReconMesh__Connections__0__XeroTenantId="$sync_xero"
                 ReconMesh__Connections__0__AccessToken="$sync_xero_token" ReconMesh__Connections__0__PaymentsAccountId=092
                 ReconMesh__Connections__0__RequestsPerMinute=60 ReconMesh__Connections__0__MaxConcurrent=5)
    elif [ "$kind" = autotask ]; then
      # The zone looked up by user at the sandbox; no limits on the connection: its default share (20%) paces it.
      sync_env+=(ReconMesh__Connections__0__Kind=AutotaskPsa ReconMesh__Connections__0__UserName="$sync_autotask_user"
                 ReconMesh__Connections__0__Secret="$sync_autotask_secret" ReconMesh__Connections__0__IntegrationCode="$sync_autotask_code")
    else
      sync_env+=(ReconMesh__Connections__0__Kind=ConnectWisePsa ReconMesh__Connections__0__CompanyId="$sync_site"
                 ReconMesh__Connections__0__PublicKey="$sync_public" ReconMesh__Connections__0__PrivateKey="$sync_private"
                 ReconMesh__Connections__0__ClientId="$sync_client")
    fi
    sync_started_ms=$(date +%s%3N)
    start_process "bench-invoice-ingest-sync-$kind" ReconMesh.InvoiceIngest "http://127.0.0.1:$((port + 1))" "${sync_env[@]}" \
      ReconMesh__Webhooks__Urls="$(webhook_url $((port + 4)))"
    wait_ready "bench-invoice-ingest-sync-$kind" "http://127.0.0.1:$((port + 1))"
    dotnet "$bench" sync --kind "$kind" --sandbox "$sandbox" --ingest "http://127.0.0.1:$((port + 1))" --tenant "$sync_tenant" \
      --invoices "$sync_invoices" --realm "$sync_realm" --cw-site "$sync_site" --xero-tenant "$sync_xero" --autotask-db "$sync_autotask" --timeout-s 1200 \
      --started-ms "$sync_started_ms" --out "$out/sync.json" \
      || echo "[bench] $kind: the initial sync check failed (see above)" >&2
    stop_process "${started_pids[-1]}"
  done
}

[ "$mode" = mesh ] || [ "$mode" = sync-a ] || initial_sync
if [ "$mode" = ingest ] || [ "$mode" = ingest-autotask ]; then
  dotnet "$bench" table --in "$out/sync.json"
  echo "[bench] figures written to artifacts/bench/sync.json" >&2
  exit 0
fi

dotnet "$bench" setup --sandbox "$sandbox" "${companies[@]}"

# Subscribers first, as in demo.sh.
start_process bench-payment-events ReconMesh.PaymentEvents "http://127.0.0.1:$((port + 2))" ReconMesh__Webhooks__Urls="$(webhook_url $((port + 5)))"
wait_ready bench-payment-events "http://127.0.0.1:$((port + 2))"
start_process bench-writeback-service ReconMesh.WritebackService "http://127.0.0.1:$((port + 3))" "${env_args[@]}"
wait_ready bench-writeback-service "http://127.0.0.1:$((port + 3))"
if [ "$mode" = sync-a ]; then
  dotnet "$bench" snapshot --pids "sandbox=${started_pids[0]},payment-events=${started_pids[1]},writeback-service=${started_pids[2]}" \
    --vhost "$vhost" --out "$out/sync-a-before.json"
fi
ingest_started_ms=$(date +%s%3N)
start_process bench-invoice-ingest ReconMesh.InvoiceIngest "http://127.0.0.1:$((port + 1))" "${env_args[@]}" \
  ReconMesh__Webhooks__Urls="$(webhook_url $((port + 4)))"
wait_ready bench-invoice-ingest "http://127.0.0.1:$((port + 1))"
ingest_ready_ms=$(date +%s%3N)
pids="sandbox=${started_pids[0]},payment-events=${started_pids[1]},writeback-service=${started_pids[2]},invoice-ingest=${started_pids[3]}"
if [ "$mode" = sync-a ]; then
  dotnet "$bench" sync-a --sandbox "$sandbox" --ingest "http://127.0.0.1:$((port + 1))" "${companies[@]}" --pids "$pids" --vhost "$vhost" \
    --ingest-started-ms "$ingest_started_ms" --ingest-ready-ms "$ingest_ready_ms" --before "$out/sync-a-before.json" --out "$out/sync-a.json"
  echo "[bench] figures written to artifacts/bench/sync-a.json" >&2
  exit 0
fi

dotnet "$bench" mesh --sandbox "$sandbox" --ingest "http://127.0.0.1:$((port + 1))" --payment-events "http://127.0.0.1:$((port + 2))" \
  --writeback "http://127.0.0.1:$((port + 3))" "${companies[@]}" --tag "$tag" --pids "$pids" --vhost "$vhost" \
  --ingest-started-ms "$ingest_started_ms" --e2e-budget-s "${RECONMESH_BENCH_BUDGET_S:-150}" \
  --ceilings "$([ "$mode" = mesh ] && echo "$out/none" || echo "$out/ceilings.json")" \
  --sync "$([ "$mode" = mesh ] && echo "$out/none" || echo "$out/sync.json")" --out "$out/summary.json"
echo "[bench] figures written to artifacts/bench/summary.json" >&2
