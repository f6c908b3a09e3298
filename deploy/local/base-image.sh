#!/usr/bin/env bash
# Assembles a small distroless, non-root ASP.NET Core runtime image for the services, for machines that cannot reach
# mcr.microsoft.com (see deploy/README.md, "Container images"). Prints the path of its OCI image layout on stdout.
#
#   deploy/local/base-image.sh                 # -> artifacts/base-image/<key>/layout (reused when nothing changed)
#
# What is in it, and where it comes from:
#   - the .NET host (dotnet, host/fxr) and the shared frameworks Microsoft.NETCore.App and Microsoft.AspNetCore.App of
#     the runtime version this SDK builds for (its BundledNETCoreAppPackageVersion), copied from the SDK installation
#     (/usr/share/dotnet, or DOTNET_ROOT): the runtime Microsoft ships, the same files as in its aspnet image;
#   - from Debian packages (apt-get download + dpkg-deb -x, never the host's /lib): only the files the runtime loads:
#     glibc's loader and libraries (libc6), libgcc_s (libgcc-s1), libstdc++ (libstdc++6), libssl/libcrypto (libssl3);
#     the CA bundle built from ca-certificates' Mozilla certificates; time zones (tzdata, without right/), since the
#     sandbox resolves its companies' zones by id; each package's copyright file and a dpkg status file per package in
#     /var/lib/dpkg/status.d/ (as Google's distroless images do, so scanners see the versions);
#   - /etc/passwd and /etc/group with root and app (uid/gid 1654, as in Microsoft's images), /home/app, /tmp (1777).
# No ICU: every project sets InvariantGlobalization (Directory.Build.props), so the services never load culture data,
# and the image sets DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true like Microsoft's chiseled images. No zlib: .NET 9+
# links zlib-ng into System.IO.Compression.Native. No shell, no package manager.
#
# Environment: RECONMESH_BASE_IMAGE_PACKAGES (default below), SOURCE_DATE_EPOCH (file times and "created"; default
# 0, so the same inputs give the same digests).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
log() { printf '[base-image] %s\n' "$*" >&2; }
die() { printf '[base-image] error: %s\n' "$*" >&2; exit 1; }

packages=(${RECONMESH_BASE_IMAGE_PACKAGES:-libc6 libgcc-s1 gcc-12-base libstdc++6 libssl3 ca-certificates tzdata})
epoch=${SOURCE_DATE_EPOCH:-0}
work="$root/artifacts/base-image"
mkdir -p "$work/debs"

# The runtime the SDK builds for: framework-dependent apps roll forward to it, and it is the one in its dotnet root.
dotnet_root=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
sdk_version=$(dotnet --version)
props="$dotnet_root/sdk/$sdk_version/Microsoft.NETCoreSdk.BundledVersions.props"
[ -f "$props" ] || die "no $props"
runtime=$(sed -n 's:.*<BundledNETCoreAppPackageVersion>\(.*\)</BundledNETCoreAppPackageVersion>.*:\1:p' "$props")
for dir in "host/fxr/$runtime" "shared/Microsoft.NETCore.App/$runtime" "shared/Microsoft.AspNetCore.App/$runtime"; do
  [ -d "$dotnet_root/$dir" ] || die "the SDK builds for runtime $runtime but $dotnet_root/$dir is missing"
done
runtime_commit=$(sed -n 1p "$dotnet_root/shared/Microsoft.NETCore.App/$runtime/.version" 2>/dev/null || true)

# The packages, at the versions this machine's apt sources offer now (recorded in the image).
download() {
  (cd "$work/debs" && apt-get download -o APT::Sandbox::User=root "${packages[@]}" >/dev/null 2>&1)
}
versions() {
  apt-cache policy "${packages[@]}" | awk '/^[^ ]/ { p = $1 } /Candidate:/ { print substr(p, 1, length(p) - 1) "=" $2 }'
}
pins=$(versions)
debs=()
for pin in $pins; do
  name=${pin%%=*} version=${pin#*=}
  file=$(ls "$work/debs/${name}_${version//:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
  if [ -z "$file" ]; then
    log "apt-get download ${packages[*]}"
    download || { log "apt-get update"; apt-get update -qq >&2; pins=$(versions); download; } \
      || die "apt-get download ${packages[*]} failed"
    file=$(ls "$work/debs/${name}_${version//:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
  fi
  [ -n "$file" ] || die "no .deb for $pin"
  debs+=("$file")
done

# Same packages, runtime, script and epoch: same image; reuse it.
key=$( { printf '%s\n' $pins "$runtime $runtime_commit" "$epoch"; cat "${BASH_SOURCE[0]}" "$here/oci.py"; } | sha256sum | cut -c1-16)
out="$work/$key"
if [ -f "$out/layout/index.json" ]; then
  log "reusing $out/layout (runtime $runtime; $(echo $pins | tr '\n' ' '))"
  echo "$out/layout"
  exit 0
fi

rm -rf "$out"
mkdir -p "$out/debs"
rootfs="$out/rootfs"
mkdir -p "$rootfs"
log "assembling runtime $runtime from $dotnet_root and $(echo $pins | tr '\n' ' ')"

# Unpack every package on its own, then copy only what the runtime needs (like a chisel "slice").
for deb in "${debs[@]}"; do
  name=$(dpkg-deb -f "$deb" Package)
  dpkg-deb -x "$deb" "$out/debs/$name"
  mkdir -p "$rootfs/var/lib/dpkg/status.d"
  { dpkg-deb -f "$deb" Package Version Architecture Source Maintainer Installed-Size Homepage; echo "SHA256: $(sha256sum "$deb" | cut -d' ' -f1)"; } \
    > "$rootfs/var/lib/dpkg/status.d/$name"
done
take() { # take <package> <path glob>...: copy those paths of the package's files into the image, links as links
  local pkg=$1; shift
  (cd "$out/debs/$pkg" && for glob in "$@"; do
    for path in $glob; do [ -e "$path" ] || [ -L "$path" ] || die "$pkg has no $glob"; cp -a --parents "$path" "$rootfs/"; done
  done)
}
multiarch=x86_64-linux-gnu
take libc6 lib64/ld-linux-x86-64.so.2 "lib/$multiarch/ld-linux-x86-64.so.2" \
  lib/$multiarch/{libc.so.6,libm.so.6,libdl.so.2,libpthread.so.0,librt.so.1,libresolv.so.2,libnss_files.so.2,libnss_dns.so.2} \
  usr/share/doc/libc6/copyright
take libgcc-s1 "lib/$multiarch/libgcc_s.so.1" usr/share/doc/libgcc-s1
take gcc-12-base usr/share/doc/gcc-12-base/copyright
take libstdc++6 "usr/lib/$multiarch/libstdc++.so.6*" "usr/share/doc/libstdc++6"
take libssl3 "usr/lib/$multiarch/libssl.so.3" "usr/lib/$multiarch/libcrypto.so.3" usr/share/doc/libssl3/copyright
take ca-certificates usr/share/doc/ca-certificates/copyright
take tzdata usr/share/zoneinfo usr/share/doc/tzdata/copyright
rm -rf "$rootfs/usr/share/zoneinfo/right"
# What update-ca-certificates makes of the package with its default configuration: every Mozilla certificate, one file.
mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/usr/lib/ssl"
for crt in $(cd "$out/debs/ca-certificates/usr/share/ca-certificates" && ls mozilla/*.crt | LC_ALL=C sort); do
  sed -e '$a\\' "$out/debs/ca-certificates/usr/share/ca-certificates/$crt"
done > "$rootfs/etc/ssl/certs/ca-certificates.crt"
# OpenSSL's default locations on Debian (links the openssl package would make).
ln -s /etc/ssl/certs "$rootfs/usr/lib/ssl/certs"
ln -s /etc/ssl/certs/ca-certificates.crt "$rootfs/usr/lib/ssl/cert.pem"

# The .NET runtime.
dn="$rootfs/usr/share/dotnet"
mkdir -p "$dn/host/fxr" "$dn/shared/Microsoft.NETCore.App" "$dn/shared/Microsoft.AspNetCore.App" "$rootfs/usr/bin"
cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$dn/"
cp -a "$dotnet_root/host/fxr/$runtime" "$dn/host/fxr/"
cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" "$dn/shared/Microsoft.NETCore.App/"
cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$runtime" "$dn/shared/Microsoft.AspNetCore.App/"
ln -s ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"

# Users, /tmp, /app.
mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/home/app" "$rootfs/app"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:1654:1654::/home/app:/usr/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\napp:x:1654:\n' > "$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"
chown 1654:1654 "$rootfs/home/app"
chmod -R u+rwX,go+rX,go-w "$rootfs/usr" "$rootfs/lib" "$rootfs/lib64" "$rootfs/etc" "$rootfs/var"

pkg_label=$(echo $pins)
manifest_digest=$(python3 "$here/oci.py" pack "$rootfs" "$out/layout" --created "$epoch" --tag 10.0 \
  --user 1654 --workdir /app \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env APP_UID=1654 \
  --env ASPNETCORE_HTTP_PORTS=8080 \
  --env DOTNET_RUNNING_IN_CONTAINER=true \
  --env DOTNET_ROOT=/usr/share/dotnet \
  --env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true \
  --env DOTNET_VERSION="$runtime" \
  --env ASPNET_VERSION="$runtime" \
  --label org.reconmesh.base.assembled-by=deploy/local/base-image.sh \
  --label org.reconmesh.base.debian-packages="$pkg_label" \
  --label org.reconmesh.base.dotnet-runtime="$runtime${runtime_commit:+ ($runtime_commit)} from the .NET SDK $sdk_version")
log "image $manifest_digest"
rm -rf "$out/debs"
echo "$out/layout"
