#!/usr/bin/env bash
# Runs a built image without Docker and checks that the service in it answers /health/live and /health/ready.
#
#   deploy/local/image-smoke.sh [service]      # default payment-events; needs artifacts/images/<service>.tar.gz, root
#
# The tarball's layers are applied in order (whiteouts honoured) to a fresh root filesystem; the image's entrypoint then
# runs in it as a container runtime would: in its own mount and PID namespaces, chrooted, in the image's WorkingDir, as
# the image's User (1654) with no supplementary groups and no_new_privs, with only the image's Env plus the settings, on
# a read-only root with a tmpfs on /tmp (as deploy/k8s runs it), /proc, a minimal /dev, and the host's /etc/hosts and
# /etc/resolv.conf. It shares the host's network, so it reaches RabbitMQ and PostgreSQL on 127.0.0.1
# (deploy/local/infra.sh ensure) in a vhost and a database of its own, deleted afterwards.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
service=${1:-payment-events}
tarball="$root/artifacts/images/$service.tar.gz"
log() { printf '[image-smoke] %s\n' "$*" >&2; }
die() { printf '[image-smoke] error: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (namespaces, chroot)"
[ -f "$tarball" ] || die "no $tarball (deploy/local/images.sh $service)"

eval "$("$here/infra.sh" ensure 2>/dev/null)"
: "${RECONMESH_POSTGRES:?}" "${RECONMESH_RABBITMQ_URL:?}" "${RECONMESH_RABBITMQ_MANAGEMENT_URL:?}"

work=$(mktemp -d /tmp/reconmesh-image-smoke.XXXXXX)
rootfs="$work/rootfs"
suffix="smoke_${service//-/_}_$$"
ns_pid=""
cleanup() {
  local rc=$?
  if [ -n "$ns_pid" ] && kill -0 "$ns_pid" 2>/dev/null; then
    # SIGTERM to the service (PID 1 of its namespace) as a runtime stops a container; its exit ends the namespace.
    local service_pid; service_pid=$(pgrep -P "$ns_pid" || true)
    [ -n "$service_pid" ] && kill -TERM "$service_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$ns_pid" 2>/dev/null || break; sleep 0.2; done
    [ -n "$service_pid" ] && kill -KILL "$service_pid" 2>/dev/null || true
    kill -KILL "$ns_pid" 2>/dev/null || true
    wait "$ns_pid" 2>/dev/null || true
  fi
  curl -s -o /dev/null -X DELETE "${mgmt%/}/api/vhosts/reconmesh-$suffix" || true
  [ -n "${pg_admin:-}" ] && psql "$pg_admin" -qtA -c "DROP DATABASE IF EXISTS reconmesh_$suffix WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT INT TERM

# A vhost and a database of its own: the service must not consume the shared queues or migrate shared schemas.
mgmt=$RECONMESH_RABBITMQ_MANAGEMENT_URL
rabbit_user=$(python3 -c 'import sys, urllib.parse as u; print(u.unquote(u.urlsplit(sys.argv[1]).username or "guest"))' "$RECONMESH_RABBITMQ_URL")
curl -sf -o /dev/null -X PUT "${mgmt%/}/api/vhosts/reconmesh-$suffix" || die "cannot create a RabbitMQ vhost at $mgmt"
curl -sf -o /dev/null -X PUT -H 'content-type: application/json' -d '{"configure":".*","write":".*","read":".*"}' \
  "${mgmt%/}/api/permissions/reconmesh-$suffix/$rabbit_user" || die "cannot grant $rabbit_user the vhost"
rabbit="${RECONMESH_RABBITMQ_URL%/}/reconmesh-$suffix"
# The Npgsql connection string, as libpq keywords for psql, and with another database for the service.
read -r pg_admin postgres < <(python3 - "$RECONMESH_POSTGRES" "reconmesh_$suffix" <<'PY'
import sys
parts = dict(p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)
keys = {k.lower(): v for k, v in parts.items()}
libpq = {"host": keys.get("host"), "port": keys.get("port", "5432"), "dbname": keys.get("database"),
         "user": keys.get("username") or keys.get("user id"), "password": keys.get("password")}
admin = " ".join(f"{k}={v}" for k, v in libpq.items() if v)
service = ";".join(f"{k}={v}" for k, v in parts.items() if k.lower() != "database") + f";Database={sys.argv[2]}"
print(admin.replace(" ", "\x01"), service.replace(" ", "\x01"))
PY
)
pg_admin=${pg_admin//$'\x01'/ } postgres=${postgres//$'\x01'/ }
psql "$pg_admin" -qtA -c "CREATE DATABASE reconmesh_$suffix" >/dev/null || die "cannot create a database"

start=$(date +%s)
log "extracting $tarball"
python3 "$here/oci.py" extract "$tarball" "$rootfs" >&2
python3 "$here/oci.py" config "$tarball" > "$work/config.json"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
webhook_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# argv (Entrypoint + Cmd), user, working directory, and the environment: the image's, then the run's settings.
python3 - "$work/config.json" "$work" <<PY
import json, sys
c = json.load(open(sys.argv[1]))["config"]
out = sys.argv[2]
argv = (c.get("Entrypoint") or []) + (c.get("Cmd") or [])
env = dict(e.split("=", 1) for e in c.get("Env") or [])
env.update({"HOME": "/home/app", "ASPNETCORE_HTTP_PORTS": "$port", "ReconMesh__Postgres": """$postgres""",
            # The webhook listener (the image says 8081) on a free port too; a service without webhooks ignores it.
            "ReconMesh__Webhooks__Urls": "http://127.0.0.1:$webhook_port",
            "ReconMesh__RabbitMq": "$rabbit", "Logging__Console__FormatterName": "simple",
            # As deploy/k8s/config.yaml: an OpenID Connect provider, read on the first token; the probes need none.
            "ReconMesh__Auth__Authority": "https://login.example.com/realms/reconmesh",
            "ReconMesh__Auth__Issuer": "https://login.example.com/realms/reconmesh", "ReconMesh__Auth__Audience": "reconmesh"})
open(out + "/argv", "w").write("\0".join(argv) + "\0")
open(out + "/env", "w").write("\0".join(f"{k}={v}" for k, v in env.items()) + "\0")
user = c.get("User") or "0"
open(out + "/user", "w").write((user if ":" in user else f"{user}:{user}") + "\n")
open(out + "/workdir", "w").write(c.get("WorkingDir") or "/")
PY
IFS=: read -r uid gid < "$work/user"
mapfile -d '' argv < "$work/argv"
mapfile -d '' envs < "$work/env"
workdir=$(cat "$work/workdir")
log "running ${argv[*]} as $uid:$gid in $workdir, port $port"

# Mount points the runtime would provide; then the root is made read-only.
mkdir -p "$rootfs/proc" "$rootfs/dev" "$rootfs/tmp" "$rootfs/etc"
touch "$rootfs/etc/hosts" "$rootfs/etc/resolv.conf"
unshare --mount --pid --fork --kill-child=SIGKILL --propagation private bash -c '
  set -e
  r=$1; shift
  mount --bind "$r" "$r"
  mount -t proc proc "$r/proc"
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$r/tmp"
  mount -t tmpfs -o mode=755,nosuid tmpfs "$r/dev"
  for d in null zero random urandom; do touch "$r/dev/$d"; mount --bind "/dev/$d" "$r/dev/$d"; done
  mount --bind /etc/hosts "$r/etc/hosts"
  mount --bind /etc/resolv.conf "$r/etc/resolv.conf"
  mount -o remount,bind,ro "$r"
  exec "$@"
' smoke "$rootfs" env -i "${envs[@]}" setpriv --no-new-privs \
    unshare --root="$rootfs" --wd="$workdir" --setgid="$gid" --setuid="$uid" -- "${argv[@]}" \
    > "$work/service.log" 2>&1 &
ns_pid=$!

status() { curl -s -o "$work/body" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port$1" 2>/dev/null || true; }
wait_for() { # wait_for <path> <seconds>
  local deadline=$(( $(date +%s) + $2 )) code
  while :; do
    code=$(status "$1")
    if [ "$code" = 200 ]; then printf 'GET %s -> %s %s\n' "$1" "$code" "$(head -c 300 "$work/body")"; return 0; fi
    if ! kill -0 "$ns_pid" 2>/dev/null; then log "the service exited; its log:"; tail -n 40 "$work/service.log" >&2; return 1; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "GET $1 -> ${code:-no answer} after $2 s; the service's log:"; tail -n 40 "$work/service.log" >&2; return 1
    fi
    sleep 0.5
  done
}
wait_for /health/live 90
wait_for /health/ready 90
# The process really runs as the image's user, in the image's root.
for pid in $(pgrep -f "${argv[-1]}" || true); do
  [ "$(readlink "/proc/$pid/root")" = "$rootfs" ] || continue
  printf 'process %s: uid %s, gid %s, root %s, cwd %s, NoNewPrivs %s\n' "$pid" \
    "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" "$(awk '/^Gid:/ {print $2}' "/proc/$pid/status")" \
    "$(readlink "/proc/$pid/root")" "$(readlink "/proc/$pid/cwd")" "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$pid/status")"
done
log "$service: image runs, healthy in $(( $(date +%s) - start )) s"
