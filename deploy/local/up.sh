#!/usr/bin/env bash
# The mesh and the sandbox, left running until interrupted, with every URL printed. No connection is configured: the
# sandbox's default QuickBooks company is seeded with open invoices, and its token is in the settings directory as the
# secret "sandbox-books", so a tenant connects it with one POST (README, "Try it"). Secrets for real integrations go in
# the same directory (.local/secrets, one file per setting); the services re-read it while they run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/processes.sh"

sandbox=http://127.0.0.1:5080
realm=9130357766900000
token=sandbox-qbo-token
tenant=${RECONMESH_TENANT:-demo-tenant}
# Webhook secrets of this checkout, generated once and kept out of git (.local/, which ./run's infra also makes).
mkdir -p "$root/.local"
secret_file="$root/.local/platform-webhook-secret"
[ -s "$secret_file" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$secret_file"
verifier_file="$root/.local/quickbooks-webhook-verifier"
[ -s "$verifier_file" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$verifier_file"
xero_key_file="$root/.local/xero-webhook-key"
[ -s "$xero_key_file" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$xero_key_file"

start_process sandbox ReconMesh.Sandbox "$sandbox"
wait_ready sandbox "$sandbox"
curl -fsS -X POST "$sandbox/admin/qbo/companies/$realm/seed" -H 'content-type: application/json' \
  -d '{"customers":10,"invoices":40,"currency":"USD","seed":1}' >/dev/null

secrets="$root/.local/secrets"
mkdir -p "$secrets" && chmod 700 "$secrets"
printf '%s' "$token" > "$secrets/ReconMesh__Secrets__sandbox-books__AccessToken"
printf '%s' "$tenant" > "$secrets/ReconMesh__Secrets__sandbox-books__TenantId"   # a secret serves one tenant
connection_env=(ReconMesh__SettingsDirectory="$secrets")
# The signed webhooks answer on listeners of their own, apart from the operator APIs (docs/security.md, "Separate doors").
ingest_webhooks=$(webhook_url 5084)
payments_webhooks=$(webhook_url 5085)
start_process payment-events ReconMesh.PaymentEvents http://127.0.0.1:5082 ReconMesh__Webhooks__Urls="$payments_webhooks" \
  ReconMesh__Platform__WebhookSecret="$(cat "$secret_file")"
wait_ready payment-events http://127.0.0.1:5082
start_process writeback-service ReconMesh.WritebackService http://127.0.0.1:5083 "${connection_env[@]}"
wait_ready writeback-service http://127.0.0.1:5083
start_process invoice-ingest ReconMesh.InvoiceIngest http://127.0.0.1:5081 "${connection_env[@]}" ReconMesh__Webhooks__Urls="$ingest_webhooks" \
  ReconMesh__QuickBooks__WebhookVerifierToken="$(cat "$verifier_file")" ReconMesh__Xero__WebhookKey="$(cat "$xero_key_file")"
wait_ready invoice-ingest http://127.0.0.1:5081
# The operator console calls the two operator APIs with the signed-in person's token (docs/console.md).
start_process operator-console ReconMesh.Console http://127.0.0.1:5086 \
  ReconMesh__Console__InvoiceIngest=http://127.0.0.1:5081 ReconMesh__Console__WritebackService=http://127.0.0.1:5083
wait_ready operator-console http://127.0.0.1:5086
# The sandbox's Xero app webhook points at InvoiceIngest, with the same key: its intent to receive must pass.
xero_webhook=$(curl -sS -X PUT "$sandbox/admin/xero/webhook" -H 'content-type: application/json' \
  -d "{\"url\":\"$ingest_webhooks/webhooks/xero\",\"key\":\"$(cat "$xero_key_file")\"}" || true)
case "$xero_webhook" in *'"status":"OK"'*) ;; *) echo "[up] the sandbox's Xero webhook failed its intent to receive: $xero_webhook" >&2 ;; esac
# An operator's token for the try-it commands: reads and changes $tenant, for 8 hours (./run token mints others).
api_token=$(mint_token --tenant "$tenant" --role write --subject "$(id -un)")

cat <<INFO
ReconMesh is up (Ctrl-C stops everything it started; logs in artifacts/logs/).
  invoice-ingest     API      http://127.0.0.1:5081   invoices: /tenants/$tenant/invoices, connections: /tenants/$tenant/connections
                     webhooks $ingest_webhooks   /webhooks/quickbooks, /webhooks/connectwise/{connectionId}, /webhooks/xero
  payment-events     API      http://127.0.0.1:5082   /health/*, /metrics only
                     webhooks $payments_webhooks   signed platform webhook: /webhooks/platform
  writeback-service  API      http://127.0.0.1:5083   exceptions: /tenants/$tenant/exceptions, a payment: /tenants/$tenant/payments/{id}
  operator-console   http://127.0.0.1:5086   signed in as an operator of $tenant (read and write, 8 h) with this link:
                     http://127.0.0.1:5086/signin#token=$api_token
  sandbox            $sandbox
    quickbooks-online  $sandbox/v3/company/$realm   (bearer token: $token)
    connectwise-psa    $sandbox/v4_6_release/apis/3.0
    payment-platform   $sandbox/platform
  every API but /health/* and the signed webhooks takes a bearer token; one for tenant $tenant (read and write, 8 h):
    export TOKEN=$api_token
  connect tenant $tenant to the sandbox's QuickBooks company (secret "sandbox-books" holds its token):
    curl -s -X POST http://127.0.0.1:5081/tenants/$tenant/connections -H "authorization: Bearer \$TOKEN" -H 'content-type: application/json' \\
      -d '{"id":"6f1c2a4e-0000-4000-8000-000000000001","kind":"QuickBooksOnline","baseUrl":"$sandbox","realmId":"$realm","credentialsSecret":"sandbox-books","depositAccountId":"35","pollInterval":"00:00:05"}'
  secrets for real connections: .local/secrets/ReconMesh__Secrets__<name>__AccessToken (or __PrivateKey) and __TenantId
  platform webhook secret in .local/platform-webhook-secret
INFO
wait -n "${started_pids[@]}"
echo "[run] a process exited; stopping the rest" >&2
