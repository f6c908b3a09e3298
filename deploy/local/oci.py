#!/usr/bin/env python3
"""Small OCI image tools for deploy/local (python3 standard library only, no Docker).

  oci.py pack <rootfs> <layout> --created EPOCH [--env K=V]... [--label K=V]... [--user U] [--workdir D] [--tag T]
      One reproducible layer (sorted entries, fixed mtimes, numeric owners, gzip without name or time) of <rootfs>,
      its config and an OCI image manifest, as an OCI image layout in <layout> (oci-layout, index.json, blobs/).
  oci.py serve <layout> --name NAME [--port-file FILE]
      A read-only registry on 127.0.0.1 (free port, written to FILE) serving the layout's images as NAME:<tag>:
      GET/HEAD /v2/, /v2/NAME/manifests/<tag|digest>, /v2/NAME/blobs/<digest>. Stops on SIGTERM/SIGINT.
  oci.py config <tarball>
      The image config (JSON) of an image tarball (docker-archive or OCI layout, as the .NET SDK writes them).
  oci.py extract <tarball> <rootfs>
      The image's layers applied in order into <rootfs>, honouring whiteouts (.wh.<name>, .wh..wh..opq).
"""
import argparse
import gzip
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import signal
import socketserver
import sys
import tarfile

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def write_blob(layout, data):
    digest = sha256(data)
    path = os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return digest


def layer_tar(rootfs, mtime):
    """An uncompressed tar of rootfs, byte-for-byte the same for the same files: sorted, fixed mtime, no names."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(rootfs):
            rel_dir = os.path.relpath(dirpath, rootfs)
            if rel_dir != ".":
                add(tar, rootfs, rel_dir, mtime)
            # os.walk does not descend into symlinked directories: they are entries (links) like files.
            links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
            dirnames[:] = sorted(d for d in dirnames if d not in links)
            for name in sorted(filenames + links):
                add(tar, rootfs, os.path.normpath(os.path.join(rel_dir, name)), mtime)
    return buf.getvalue()


def add(tar, rootfs, rel, mtime):
    path = os.path.join(rootfs, rel)
    info = tar.gettarinfo(path, arcname=rel)
    info.mtime = mtime
    info.uname = info.gname = ""
    if info.isreg():
        with open(path, "rb") as f:
            tar.addfile(info, f)
    else:
        tar.addfile(info)


def pack(args):
    env = [e for e in args.env]
    labels = dict(kv.split("=", 1) for kv in args.label)
    raw = layer_tar(args.rootfs, args.created)
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0, filename="", compresslevel=9) as g:
        g.write(raw)
    layer = gz.getvalue()
    os.makedirs(args.layout, exist_ok=True)
    layer_digest = write_blob(args.layout, layer)
    created = __import__("datetime").datetime.fromtimestamp(args.created, __import__("datetime").timezone.utc)
    created = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": created,
        "config": {"Env": env, "User": args.user, "WorkingDir": args.workdir, "Labels": labels},
        "rootfs": {"type": "layers", "diff_ids": [sha256(raw)]},
        "history": [{"created": created, "created_by": "deploy/local/base-image.sh"}],
    }
    config_bytes = canonical(config)
    config_digest = write_blob(args.layout, config_bytes)
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": len(config_bytes)},
        "layers": [{"mediaType": OCI_LAYER_GZIP, "digest": layer_digest, "size": len(layer)}],
    }
    manifest_bytes = canonical(manifest)
    manifest_digest = write_blob(args.layout, manifest_bytes)
    index = {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [{
            "mediaType": OCI_MANIFEST, "digest": manifest_digest, "size": len(manifest_bytes),
            "platform": {"architecture": "amd64", "os": "linux"},
            "annotations": {"org.opencontainers.image.ref.name": args.tag},
        }],
    }
    with open(os.path.join(args.layout, "index.json"), "wb") as f:
        f.write(canonical(index))
    with open(os.path.join(args.layout, "oci-layout"), "wb") as f:
        f.write(canonical({"imageLayoutVersion": "1.0.0"}))
    print(f"{manifest_digest} layer {len(layer)} bytes (uncompressed {len(raw)})")


def serve(args):
    layout = os.path.abspath(args.layout)
    with open(os.path.join(layout, "index.json"), "rb") as f:
        index = json.load(f)
    tags = {m["annotations"]["org.opencontainers.image.ref.name"]: m for m in index["manifests"]}
    blobs = os.path.join(layout, "blobs", "sha256")
    name = args.name
    route = re.compile(r"^/v2/(?P<name>.+)/(?P<kind>manifests|blobs)/(?P<ref>[^/]+)$")

    def media_type_of(digest):
        for m in index["manifests"]:
            if m["digest"] == digest:
                return m["mediaType"]
        with open(os.path.join(blobs, digest.split(":", 1)[1]), "rb") as f:
            return json.load(f).get("mediaType", OCI_MANIFEST)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "reconmesh-oci-registry"

        def log_message(self, fmt, *a):
            if args.verbose:
                sys.stderr.write("[registry] " + (fmt % a) + "\n")

        def answer(self, status, body=b"", content_type="application/json", digest=None):
            self.send_response(status)
            self.send_header("Docker-Distribution-API-Version", "registry/2.0")
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if digest:
                self.send_header("Docker-Content-Digest", digest)
                self.send_header("ETag", f'"{digest}"')
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def error(self, status, code, message):
            self.answer(status, canonical({"errors": [{"code": code, "message": message}]}))

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path in ("/v2", "/v2/"):
                return self.answer(200, b"{}")
            m = route.match(path)
            if not m:
                return self.error(404, "UNSUPPORTED", "not found")
            if m["name"] != name:
                return self.error(404, "NAME_UNKNOWN", f"repository {m['name']} not known")
            ref = m["ref"]
            if m["kind"] == "manifests":
                digest = tags[ref]["digest"] if ref in tags else ref
                kind, unknown = "manifest", "MANIFEST_UNKNOWN"
            else:
                digest, kind, unknown = ref, "blob", "BLOB_UNKNOWN"
            if not re.fullmatch(r"sha256:[0-9a-f]{64}", digest):
                return self.error(404, unknown, f"{kind} {ref} not known")
            file = os.path.join(blobs, digest.split(":", 1)[1])
            if not os.path.isfile(file):
                return self.error(404, unknown, f"{kind} {ref} not known")
            with open(file, "rb") as f:
                body = f.read()
            content_type = media_type_of(digest) if kind == "manifest" else "application/octet-stream"
            self.answer(200, body, content_type, digest)

        do_HEAD = do_GET

        def refuse(self):
            self.error(405, "UNSUPPORTED", "this registry is read-only")

        do_POST = do_PUT = do_PATCH = do_DELETE = refuse

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", args.port), Handler)
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


class Image:
    """An image tarball as the .NET SDK writes it: docker-archive (manifest.json) or an OCI layout (index.json)."""

    def __init__(self, path):
        self.tar = tarfile.open(path, "r:*")
        names = set(self.tar.getnames())
        if "manifest.json" in names:
            entry = json.loads(self.read("manifest.json"))[0]
            self.config = json.loads(self.read(entry["Config"]))
            self.layers = entry["Layers"]
        elif "index.json" in names:
            index = json.loads(self.read("index.json"))
            desc = index["manifests"][0]
            manifest = json.loads(self.read(self.blob(desc["digest"])))
            if manifest.get("mediaType") in (OCI_INDEX, DOCKER_LIST) or "manifests" in manifest:
                manifest = json.loads(self.read(self.blob(manifest["manifests"][0]["digest"])))
            self.config = json.loads(self.read(self.blob(manifest["config"]["digest"])))
            self.layers = [self.blob(layer["digest"]) for layer in manifest["layers"]]
        else:
            raise SystemExit("not an image tarball: neither manifest.json nor index.json")

    @staticmethod
    def blob(digest):
        return "blobs/" + digest.replace(":", "/", 1)

    def read(self, name):
        return self.tar.extractfile(name.lstrip("./") if name not in self.tar.getnames() else name).read()


def config(args):
    json.dump(Image(args.tarball).config, sys.stdout, indent=2)
    sys.stdout.write("\n")


def remove(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)


def extract(args):
    image = Image(args.tarball)
    root = os.path.abspath(args.rootfs)
    os.makedirs(root, exist_ok=True)
    for layer_name in image.layers:
        data = image.read(layer_name)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as layer:
            members = []
            for member in layer.getmembers():
                name = os.path.normpath(member.name.lstrip("/"))
                if name.startswith(".."):
                    raise SystemExit(f"layer entry outside the root: {member.name}")
                base, leaf = os.path.split(name)
                if leaf == ".wh..wh..opq":
                    target = os.path.join(root, base)
                    if os.path.isdir(target):
                        for child in os.listdir(target):
                            remove(os.path.join(target, child))
                    continue
                if leaf.startswith(".wh."):
                    remove(os.path.join(root, base, leaf[4:]))
                    continue
                existing = os.path.join(root, name)
                if (os.path.lexists(existing) and not member.isdir()) or (member.isdir() and os.path.islink(existing)):
                    remove(existing)
                member.name = name
                members.append(member)
            # numeric_owner: the image's uids (0, 1654), not this machine's names; filter: no absolute links out.
            layer.extractall(root, members=members, numeric_owner=True, filter="fully_trusted")
    print(f"{len(image.layers)} layer(s) into {root}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pack")
    p.add_argument("rootfs")
    p.add_argument("layout")
    p.add_argument("--created", type=int, required=True)
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--label", action="append", default=[])
    p.add_argument("--user", default="")
    p.add_argument("--workdir", default="/")
    p.add_argument("--tag", default="latest")
    p.set_defaults(run=pack)
    s = sub.add_parser("serve")
    s.add_argument("layout")
    s.add_argument("--name", required=True)
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--port-file")
    s.add_argument("--verbose", action="store_true")
    s.set_defaults(run=serve)
    c = sub.add_parser("config")
    c.add_argument("tarball")
    c.set_defaults(run=config)
    e = sub.add_parser("extract")
    e.add_argument("tarball")
    e.add_argument("rootfs")
    e.set_defaults(run=extract)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
