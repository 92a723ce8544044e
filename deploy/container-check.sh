#!/usr/bin/env bash
# Builds the reportd image without a Docker engine and checks it: buildah and podman with
# --storage-driver vfs --isolation chroot (no overlayfs, no user namespaces needed), the
# debian:bookworm-slim base image made locally with debootstrap (no registry access), then
# runs `reportd --version` and `reportd extract` on a sample report inside the image, whose
# runtime stage installs the Debian package built in the build stage.
#
#   deploy/container-check.sh [--skip-tests]    (as root on Debian 12)
#
# --skip-tests passes REPORTD_SKIP_TESTS=1 to the build stage (the suite then runs only in
# the normal CI job). State lives in ${REPORTD_CONTAINER_DIR:-/var/tmp/reportd-container}:
# the base image is built once and reused.
#
# Measured on a 2-core Debian 12 VM (buildah 1.28, podman 4.3): debootstrap and import of
# the base image under 30 s (once); image build with the whole test suite in the build
# stage 2 min 30 s (33 tests passed), without it about 45 s; image 171 MB (base 110 MB).
# Since the runtime stage installs the Debian package (2026-12-04, --skip-tests, at nice 19
# on a busy shared VM): build 547 s, image 170 MB, reportd from the package, running as its
# reportd user, gazetteer found under /usr/share/reportd.
# That fits a CI job; it is not part of scripts/test.sh because it needs root and the
# Debian mirror, and its tests are the suite scripts/test.sh already runs.
set -euo pipefail
cd "$(dirname "$0")/.."

skip_tests=0
[ "${1:-}" = "--skip-tests" ] && skip_tests=1

log() { echo "container-check: $*" >&2; }

if [ "$(id -u)" != 0 ]; then
    log "run as root (debootstrap and vfs storage need it)"; exit 2
fi
need=()
for tool in buildah podman debootstrap; do
    command -v "$tool" >/dev/null || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

state=${REPORTD_CONTAINER_DIR:-/var/tmp/reportd-container}
mkdir -p "$state"
store=(--storage-driver vfs --root "$state/storage" --runroot "$state/run")
base=docker.io/library/debian:bookworm-slim
image=localhost/reportd:check
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# 1. The base image, from debootstrap (what debian:bookworm-slim is: a minbase bookworm).
if ! buildah "${store[@]}" inspect --type image "$base" >/dev/null 2>&1; then
    rootfs=$state/rootfs
    rm -rf "$rootfs"
    log "debootstrap bookworm (minbase) from $mirror"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$state/debootstrap.log" 2>&1 || {
        tail -n 20 "$state/debootstrap.log" >&2; exit 1; }
    # as in the official slim image: no docs, no apt caches
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
           "$rootfs"/var/cache/apt/archives/*.deb \
           "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
    tar -C "$rootfs" --numeric-owner -c . | podman "${store[@]}" import - "$base" >/dev/null
    rm -rf "$rootfs"
    log "base image $base imported"
fi

# 2. The image, from the repository's Dockerfile, never pulling.
log "building $image (tests in the build stage: $([ $skip_tests = 1 ] && echo no || echo yes))"
start=$(date +%s)
buildah "${store[@]}" bud --isolation chroot --pull=never --layers=false \
    --build-arg REPORTD_SKIP_TESTS=$skip_tests -f Dockerfile -t "$image" . \
    >"$state/build.log" 2>&1 || { tail -n 40 "$state/build.log" >&2; log "build failed (log: $state/build.log)"; exit 1; }
log "built in $(( $(date +%s) - start )) s"

# 3. Inside the image: the binary runs as the non-root user and extracts a sample report.
ctr=$(buildah "${store[@]}" from --pull=never "$image")
trap 'buildah "${store[@]}" rm "$ctr" >/dev/null 2>&1 || true' EXIT
seed=$(ls tests/fixtures/seeds/*.txt | head -n 1)
buildah "${store[@]}" copy --chown reportd:reportd "$ctr" "$seed" /tmp/seed.txt >/dev/null
run() { buildah "${store[@]}" run --isolation chroot --user reportd "$ctr" -- "$@"; }
version=$(run reportd --version)
echo "$version" | head -n 1
echo "$version" | grep -q '^reportd ' || { log "reportd --version failed"; exit 1; }
out=$(run reportd extract /tmp/seed.txt)
echo "$out" | python3 -c '
import json, sys
doc = json.loads(sys.stdin.readline())
assert doc["sections"] and doc["indicators"], "no sections or indicators"
print("extract: %d sections, %d indicators, region=%s year=%s" % (
    len(doc["sections"]), len(doc["indicators"]), doc.get("region"), doc.get("year")))
'
pkg=$(run dpkg-query -W -f '${Package} ${Version} ${Status}' reportd)
echo "$pkg"
echo "$pkg" | grep -q "install ok installed" || { log "the reportd package is not installed in the image"; exit 1; }
user=$(run id -un)
[ "$user" = reportd ] || { log "image runs as $user"; exit 1; }
size=$(buildah "${store[@]}" images --format '{{.Size}}' "$image" 2>/dev/null | head -n 1)
log "ok: $image (${size:-size unknown})"
