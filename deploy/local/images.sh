#!/usr/bin/env bash
# Builds the container images of the four services with the .NET SDK's built-in container support (no Docker needed)
# as OCI tarballs in artifacts/images/<service>.tar.gz, and prints how long each took.
#
#   deploy/local/images.sh [service ...]       # default: invoice-ingest payment-events writeback-service sandbox;
#                                              # also: operator-console (not yet deployed by deploy/k8s or the chart)
#
# The base image is mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled (the projects' ContainerFamily). Where that
# registry cannot be reached (no route, as on this project's build machines and CI), the base image is assembled here
# from Debian packages and the SDK's own ASP.NET Core runtime (deploy/local/base-image.sh) and served to the SDK from a
# read-only registry on 127.0.0.1 (deploy/local/oci.py serve) for the length of the build. Then, as root, one built
# image is started without Docker and must answer its health checks (deploy/local/image-smoke.sh).
#
# Environment:
#   RECONMESH_CONTAINER_BASE_IMAGE  base image to build on instead of mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled,
#                                   e.g. a mirror: registry.internal/dotnet/aspnet:10.0-noble-chiseled; "local": the
#                                   locally assembled one even where mcr.microsoft.com answers. A named image that cannot
#                                   be reached is an error (exit 3), never replaced by the local one.
#   RECONMESH_IMAGE_TAG             image tag (default: the projects' ContainerImageTag, 1.0.0, as deploy/k8s expects)
#   RECONMESH_IMAGE_SMOKE           service whose image is started and health-checked after the build (default:
#                                   payment-events if built, else the first built); "none" to skip
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
  [operator-console]=ReconMesh.Console
)
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(invoice-ingest payment-events writeback-service sandbox)

# Wall-clock seconds with a fraction (bash 5's EPOCHREALTIME; whole seconds elsewhere).
now() { if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/,/.}"; else date +%s; fi; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

default_base=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
local_base=""
if [ "${RECONMESH_CONTAINER_BASE_IMAGE:-}" = local ]; then
  local_base="asked for (RECONMESH_CONTAINER_BASE_IMAGE=local)"
elif [ -z "${RECONMESH_CONTAINER_BASE_IMAGE:-}" ] && ! curl -sS -o /dev/null --max-time 15 "https://mcr.microsoft.com/v2/" 2>/dev/null; then
  local_base="mcr.microsoft.com cannot be reached"
fi

registry_pid=""
stop_registry() { [ -z "$registry_pid" ] || { kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; }; }
trap stop_registry EXIT
base_seconds=""
if [ -n "$local_base" ]; then
  echo "[images] $local_base: assembling the base image locally (deploy/local/base-image.sh)" >&2
  start=$(now)
  layout=$(deploy/local/base-image.sh)
  port_file=$(mktemp)
  rm -f "$port_file"
  python3 deploy/local/oci.py serve "$layout" --name reconmesh/aspnet-runtime --port-file "$port_file" &
  registry_pid=$!
  for _ in $(seq 1 50); do [ -s "$port_file" ] && break; sleep 0.1; done
  [ -s "$port_file" ] || { echo "[images] the local registry did not start" >&2; exit 1; }
  port=$(cat "$port_file"); rm -f "$port_file"
  base_seconds=$(since "$start")
  RECONMESH_CONTAINER_BASE_IMAGE=127.0.0.1:$port/reconmesh/aspnet-runtime:10.0
  # Plain HTTP to this one registry (the SDK otherwise insists on HTTPS).
  export DOTNET_CONTAINER_INSECURE_REGISTRIES=127.0.0.1:$port${DOTNET_CONTAINER_INSECURE_REGISTRIES:+,$DOTNET_CONTAINER_INSECURE_REGISTRIES}
  echo "[images] base image $RECONMESH_CONTAINER_BASE_IMAGE (from $layout) in $base_seconds s" >&2
fi

base_image=${RECONMESH_CONTAINER_BASE_IMAGE:-$default_base}
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
[images]     (passed to the SDK as -p:ContainerBaseImage=...; any aspnet 10.0 image with a non-root user 1654 fits), or
[images]   - build on the base image assembled here from Debian packages: RECONMESH_CONTAINER_BASE_IMAGE=local
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

declare -A seconds=()
for service in "${services[@]}"; do
  project=${projects[$service]:-}
  [ -n "$project" ] || { echo "[images] unknown service '$service' (known: ${!projects[*]})" >&2; exit 2; }
  tarball="$out/$service.tar.gz"
  log="$logs/image-$service.log"
  home=services; [ -d "services/$project" ] || home=sandbox
  rm -f "$tarball"
  echo "[images] $service: publishing $home/$project on $base_image (log $log)" >&2
  start=$(now)
  if ! dotnet publish "$home/$project/$project.csproj" -c Release -nologo /t:PublishContainer \
      "-p:ContainerArchiveOutputPath=$tarball" "${extra[@]}" >"$log" 2>&1; then
    if grep -qE "Name or service not known|No such host|Connection refused|timed out|Resource temporarily unavailable|network is unreachable" "$log"; then
      grep -m1 -oE "HttpRequestException: [^[]*" "$log" >&2 || true
      unreachable "the SDK could not download the base image"
    fi
    echo "[images] $service: publish failed; last lines of $log:" >&2
    grep -E "error" "$log" | grep -v "^\s*at " | tail -n 10 >&2
    exit 1
  fi
  seconds[$service]=$(since "$start")
  # What deploy/k8s relies on: user 1654 (runAsUser), port 8080 (probes, Services), the service's entrypoint.
  python3 deploy/local/oci.py config "$tarball" | python3 -c '
import json, sys
c = json.load(sys.stdin)["config"]
env = dict(e.split("=", 1) for e in c.get("Env", []))
problems = [p for p, ok in [
    ("User is not 1654", c.get("User") == "1654"),
    ("8080/tcp is not exposed", "8080/tcp" in c.get("ExposedPorts", {})),
    ("ASPNETCORE_HTTP_PORTS is not 8080", env.get("ASPNETCORE_HTTP_PORTS") == "8080"),
    ("the entrypoint does not run /app/" + sys.argv[1] + ".dll", (c.get("Entrypoint") or [""])[-1] == "/app/" + sys.argv[1] + ".dll"),
] if not ok]
sys.exit("; ".join(problems) or None)' "$project" || { echo "[images] $service: the image config is not what deploy/k8s expects" >&2; exit 1; }
  size=$(du -h "$tarball" | cut -f1)
  printf '[images] %-18s %6.1f s  %s  %s\n' "$service" "${seconds[$service]}" "$size" "${tarball#"$root"/}"
done

stop_registry
registry_pid=""

smoke=${RECONMESH_IMAGE_SMOKE:-}
if [ -z "$smoke" ]; then
  smoke=${services[0]}
  for service in "${services[@]}"; do [ "$service" = payment-events ] && smoke=payment-events; done
fi
smoke_seconds=""
if [ "$smoke" != none ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "[images] not root: the image is not started (deploy/local/image-smoke.sh $smoke needs namespaces and chroot)" >&2
  else
    echo "[images] $smoke: starting the image without Docker (deploy/local/image-smoke.sh)" >&2
    start=$(now)
    deploy/local/image-smoke.sh "$smoke"
    smoke_seconds=$(since "$start")
  fi
fi

echo
printf '%-22s %8s %9s\n' image seconds size
[ -z "$base_seconds" ] || printf '%-22s %8.1f %9s\n' "(base, local)" "$base_seconds" ""
for service in "${services[@]}"; do
  printf '%-22s %8.1f %9s\n' "$service" "${seconds[$service]}" "$(du -h "$out/$service.tar.gz" | cut -f1)"
done
[ -z "$smoke_seconds" ] || printf '%-22s %8.1f %9s\n' "(run $smoke)" "$smoke_seconds" "healthy"
