#!/usr/bin/env bash
# The simulators alone, in the foreground, until interrupted.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/processes.sh"
url=${RECONMESH_SANDBOX_URL:-http://127.0.0.1:5080}
start_process sandbox ReconMesh.Sandbox "$url"
wait_ready sandbox "$url"
realm=${Sandbox__QuickBooks__RealmId:-9130357766900000}
echo "quickbooks-online $url/v3/company/$realm"
echo "connectwise-psa $url/v4_6_release/apis/3.0"
echo "autotask-psa $url/ATServicesRest/V1.0 (zone look-up $url/atservicesrest/v1.0/zoneInformation?user=${Sandbox__Autotask__UserName:-sandbox-api@reconmesh.test})"
echo "payment-platform $url/platform"
echo "[run] bearer token for QuickBooks: ${Sandbox__QuickBooks__AccessToken:-sandbox-qbo-token}; Ctrl-C stops" >&2
wait "${started_pids[0]}"
