#!/usr/bin/env bash
# The benchmarks (docs/benchmarks.md): the ceilings of the shared RabbitMQ and PostgreSQL, then the mesh (the sandbox
# and the three services as separate processes, exactly as the demo starts them) driven end to end. Figures go to
# artifacts/bench/summary.json and a table on stdout. Bounded to ~10 minutes on 2 cores; traffic stays on 127.0.0.1.
#
# Knobs: RECONMESH_BENCH_INVOICES (12000), RECONMESH_BENCH_BUDGET_S (max-throughput run, 150),
#        RECONMESH_BENCH_PORT (first of four ports, 5090).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/processes.sh"

bench="$root/deploy/local/ReconMesh.Bench/bin/Release/net10.0/ReconMesh.Bench.dll"
out="$root/artifacts/bench"
mkdir -p "$out"
invoices_a=${RECONMESH_BENCH_INVOICES:-12000}
invoices_c=3000   # 100 payments/s for 30 s
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

echo "[bench] (a) ceilings of RabbitMQ and PostgreSQL" >&2
dotnet "$bench" ceilings --out "$out/ceilings.json"

declare -A realm token tenant connection
env_args=()
i=0
for key in a c b; do
  realm[$key]="9130$(printf '%012d' $((RANDOM * 32768 + RANDOM)))"
  token[$key]="bench-token-$key-$run_id"
  tenant[$key]="bench-tenant-$key-$run_id"
  connection[$key]=$(python3 -c 'import uuid; print(uuid.uuid4())')
  env_args+=(
    ReconMesh__Connections__${i}__Id="${connection[$key]}"
    ReconMesh__Connections__${i}__TenantId="${tenant[$key]}"
    ReconMesh__Connections__${i}__Kind=QuickBooksOnline
    ReconMesh__Connections__${i}__BaseUrl="$sandbox"
    ReconMesh__Connections__${i}__RealmId="${realm[$key]}"
    ReconMesh__Connections__${i}__AccessToken="${token[$key]}"
    ReconMesh__Connections__${i}__PollInterval=00:00:01
  )
  if [ "$key" != b ]; then
    # QuickBooks' limits off for A and C (the company too); B keeps the defaults (500/min, 10 concurrent).
    env_args+=(ReconMesh__Connections__${i}__RequestsPerMinute=0 ReconMesh__Connections__${i}__MaxConcurrent=0)
  fi
  i=$((i + 1))
done
companies=(--realm-a "${realm[a]}" --token-a "${token[a]}" --tenant-a "${tenant[a]}" --invoices-a "$invoices_a"
           --realm-c "${realm[c]}" --token-c "${token[c]}" --tenant-c "${tenant[c]}" --invoices-c "$invoices_c"
           --realm-b "${realm[b]}" --token-b "${token[b]}" --tenant-b "${tenant[b]}" --invoices-b "$invoices_b")

start_process bench-sandbox ReconMesh.Sandbox "$sandbox"
wait_ready bench-sandbox "$sandbox"
dotnet "$bench" setup --sandbox "$sandbox" "${companies[@]}"

# Subscribers first, as in demo.sh.
start_process bench-payment-events ReconMesh.PaymentEvents "http://127.0.0.1:$((port + 2))"
wait_ready bench-payment-events "http://127.0.0.1:$((port + 2))"
start_process bench-writeback-service ReconMesh.WritebackService "http://127.0.0.1:$((port + 3))" "${env_args[@]}"
wait_ready bench-writeback-service "http://127.0.0.1:$((port + 3))"
ingest_started_ms=$(date +%s%3N)
start_process bench-invoice-ingest ReconMesh.InvoiceIngest "http://127.0.0.1:$((port + 1))" "${env_args[@]}"
wait_ready bench-invoice-ingest "http://127.0.0.1:$((port + 1))"
pids="sandbox=${started_pids[0]},payment-events=${started_pids[1]},writeback-service=${started_pids[2]},invoice-ingest=${started_pids[3]}"

dotnet "$bench" mesh --sandbox "$sandbox" "${companies[@]}" --tag "$tag" --pids "$pids" \
  --ingest-started-ms "$ingest_started_ms" --e2e-budget-s "${RECONMESH_BENCH_BUDGET_S:-150}" \
  --ceilings "$out/ceilings.json" --out "$out/summary.json"
echo "[bench] figures written to artifacts/bench/summary.json" >&2
