#!/usr/bin/env bash
# Builds the container images of the four services with the .NET SDK's built-in container support (no Docker needed)
# as OCI tarballs in artifacts/images/<service>.tar.gz, and prints how long each took.
#
#   deploy/local/images.sh [service ...]       # default: invoice-ingest payment-events writeback-service sandbox
#
# Environment:
#   RECONMESH_CONTAINER_BASE_IMAGE  base image to build on instead of mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled,
#                                   e.g. a mirror: registry.internal/dotnet/aspnet:10.0-noble-chiseled
#   RECONMESH_IMAGE_TAG             image tag (default: the projects' ContainerImageTag, 1.0.0, as deploy/k8s expects)
#
# Load a tarball with: docker load -i artifacts/images/payment-events.tar.gz   (or podman load, skopeo copy, crane push)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
out="$root/artifacts/images"
logs="$root/artifacts/logs"
mkdir -p "$out" "$logs"

declare -A projects=(
  [invoice-ingest]=ReconMesh.InvoiceIngest
  [payment-events]=ReconMesh.PaymentEvents
  [writeback-service]=ReconMesh.WritebackService
  [sandbox]=ReconMesh.Sandbox
)
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(invoice-ingest payment-events writeback-service sandbox)

base_image=${RECONMESH_CONTAINER_BASE_IMAGE:-mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled}
# The registry is the first path segment when it looks like a host (has a dot or a port, or is localhost).
first=${base_image%%/*}
if [[ "$base_image" == */* && ( "$first" == *.* || "$first" == *:* || "$first" == localhost ) ]]; then
  registry=$first
else
  registry=registry-1.docker.io
fi

unreachable() {
  cat >&2 <<MSG
[images] The base image registry $registry cannot be reached from this machine ($1).
[images] Building an image needs the base image $base_image. Either:
[images]   - run this where $registry is reachable (a laptop or CI with internet access), or
[images]   - point the build at a mirror you can reach:
[images]       RECONMESH_CONTAINER_BASE_IMAGE=<mirror>/dotnet/aspnet:10.0-noble-chiseled deploy/local/images.sh
[images]     (passed to the SDK as -p:ContainerBaseImage=...; any aspnet 10.0 image with a non-root user 1654 fits)
MSG
  exit 3
}

# Fail fast, with a clear reason, before spending a Release build on it.
if ! getent hosts "${registry%%:*}" >/dev/null 2>&1; then
  unreachable "its name does not resolve"
fi
# Any HTTP answer counts (a registry answers /v2/ with 200 or 401); plain HTTP for an insecure local mirror.
if ! curl -sS -o /dev/null --max-time 15 "https://$registry/v2/" 2>/dev/null \
    && ! curl -sS -o /dev/null --max-time 15 "http://$registry/v2/" 2>/dev/null; then
  unreachable "no answer from https://$registry/v2/"
fi

extra=()
[ -n "${RECONMESH_CONTAINER_BASE_IMAGE:-}" ] && extra+=("-p:ContainerBaseImage=$RECONMESH_CONTAINER_BASE_IMAGE")
[ -n "${RECONMESH_IMAGE_TAG:-}" ] && extra+=("-p:ContainerImageTag=$RECONMESH_IMAGE_TAG")

# Wall-clock seconds with a fraction (bash 5's EPOCHREALTIME; whole seconds elsewhere).
now() { if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/,/.}"; else date +%s; fi; }

declare -A seconds=()
for service in "${services[@]}"; do
  project=${projects[$service]:-}
  [ -n "$project" ] || { echo "[images] unknown service '$service' (known: ${!projects[*]})" >&2; exit 2; }
  tarball="$out/$service.tar.gz"
  log="$logs/image-$service.log"
  rm -f "$tarball"
  echo "[images] $service: publishing services/$project on $base_image (log $log)" >&2
  start=$(now)
  if ! dotnet publish "services/$project/$project.csproj" -c Release -nologo /t:PublishContainer \
      "-p:ContainerArchiveOutputPath=$tarball" "${extra[@]}" >"$log" 2>&1; then
    if grep -qE "Name or service not known|No such host|Connection refused|timed out|Resource temporarily unavailable|network is unreachable" "$log"; then
      grep -m1 -oE "HttpRequestException: [^[]*" "$log" >&2 || true
      unreachable "the SDK could not download the base image"
    fi
    echo "[images] $service: publish failed; last lines of $log:" >&2
    grep -E "error" "$log" | grep -v "^\s*at " | tail -n 10 >&2
    exit 1
  fi
  seconds[$service]=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
  size=$(du -h "$tarball" | cut -f1)
  printf '[images] %-18s %6.1f s  %s  %s\n' "$service" "${seconds[$service]}" "$size" "${tarball#"$root"/}"
done

echo
printf '%-18s %8s\n' image seconds
for service in "${services[@]}"; do
  printf '%-18s %8.1f\n' "$service" "${seconds[$service]}"
done
