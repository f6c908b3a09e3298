# Sourced by the local entry points: start ReconMesh processes as separate OS processes, wait until they are
# ready, and stop every one of them on exit (including Ctrl-C).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
logs="$root/artifacts/logs"
mkdir -p "$logs"
started_pids=()

stop_all() {
  local pid
  for pid in "${started_pids[@]:-}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${started_pids[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  started_pids=()
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# The services take bearer tokens only (docs/security.md). Locally they trust this machine's signing key, made once in
# the state directory (~/.local/share/reconmesh, or RECONMESH_STATE_DIR) by the token tool, which also mints tokens:
# mint_token --tenant T --role read|write|admin|metrics. Exported, so every process started here (and the chaos
# driver's own) gets ReconMesh__Auth__Issuer, __Audience and __JwksFile.
token_tool="$root/tools/ReconMesh.Token/bin/Release/net10.0/ReconMesh.Token.dll"
[ -f "$token_tool" ] || { echo "[run] $token_tool is missing: build first" >&2; exit 1; }
mint_token() { dotnet "$token_tool" "$@"; }
while IFS= read -r setting; do export "${setting?}"; done < <(mint_token --settings)
[ -n "${ReconMesh__Auth__JwksFile:-}" ] || { echo "[run] the token tool gave no settings" >&2; exit 1; }

# The sandbox simulates QuickBooks Online, ConnectWise PSA, Xero and Autotask PSA on 127.0.0.1. The services reach integrations only at
# their kinds' real hosts, on public addresses (docs/security.md, "Server-side request forgery"); every local run (up,
# demo, bench, chaos, sandbox) allows the loopback sandbox here, explicitly. Deployments do not.
export ReconMesh__Integrations__AllowedHosts__QuickBooksOnline=127.0.0.1
export ReconMesh__Integrations__AllowedHosts__ConnectWisePsa=127.0.0.1
export ReconMesh__Integrations__AllowedHosts__Xero=127.0.0.1
export ReconMesh__Integrations__AllowedHosts__AutotaskPsa=127.0.0.1
export ReconMesh__Integrations__AllowedPrivateNetworks=127.0.0.1/32

# stop_process PID: stops one process started here (TERM, then waits for it) and forgets it.
stop_process() {
  local pid=$1 kept=() p
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${started_pids[@]:-}"; do
    [ -n "$p" ] && [ "$p" != "$pid" ] && kept+=("$p")
  done
  started_pids=("${kept[@]}")
}

# start_process NAME PROJECT URL [ENV=VALUE ...]: URL is the operator API's address. InvoiceIngest and PaymentEvents
# also need the address of their signed webhooks' own listener: ReconMesh__Webhooks__Urls=http://127.0.0.1:PORT
# (docs/security.md, "Separate doors"); webhook_url PORT prints it.
start_process() {
  local name=$1 project=$2 url=$3; shift 3
  local home=services; [ -d "$root/services/$project" ] || home=sandbox
  local dll="$root/$home/$project/bin/Release/net10.0/$project.dll"
  [ -f "$dll" ] || { echo "[run] $dll is missing: build first" >&2; exit 1; }
  env "$@" ASPNETCORE_URLS="$url" DOTNET_ENVIRONMENT=Production \
    dotnet "$dll" >"$logs/$name.log" 2>&1 &
  started_pids+=($!)
  echo "[run] started $name (pid $!) on $url, log ${logs#"$root"/}/$name.log" >&2
}

webhook_url() { printf 'http://127.0.0.1:%s' "$1"; }

# wait_ready NAME URL: until its readiness endpoint answers 200, or its process has died.
wait_ready() {
  local name=$1 url=$2 pid=${started_pids[-1]}
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null "$url/health/ready" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "[run] $name exited during start; last lines of its log:" >&2
      tail -n 20 "$logs/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "[run] $name did not become ready at $url" >&2
  exit 1
}
