#!/usr/bin/env bash
# deploy/reportd.service: `systemd-analyze verify` passes (with ExecStart pointed at the built
# binary, since verify checks that the command exists) and `systemd-analyze security` rates
# it OK or better (exposure below 5.0). Skips (77) without systemd-analyze.
set -euo pipefail
src=${REPORTD_SOURCE_DIR:?}/deploy/reportd.service
bin=${REPORTD_BIN:?}
if ! command -v systemd-analyze >/dev/null; then
    echo "skip: systemd-analyze not installed" >&2
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unit=$tmp/reportd.service
sed "s#/usr/bin/reportd#$bin#g" "$src" >"$unit"
grep -q '^Type=notify$' "$unit"
grep -q "^ExecStart=$bin run " "$unit"

out=$(systemd-analyze verify "$unit" 2>&1) || { echo "verify failed:"; echo "$out"; exit 1; }
if [ -n "$out" ]; then
    echo "verify printed warnings:"; echo "$out"; exit 1
fi

report=$(systemd-analyze security --offline=yes --threshold=49 "$unit" 2>&1) || {
    echo "security: exposure above OK"; echo "$report" | tail -n 30; exit 1
}
echo "$report" | tail -n 1
level=$(echo "$report" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) \([A-Z]*\).*/\2/p')
case "$level" in
    OK|SAFE|PERFECT) ;;
    *) echo "security: unexpected rating '$level'"; exit 1 ;;
esac

# The checker above must be able to fail: a unit without hardening is rated worse than OK.
grep -v -E '^(Protect|Private|Restrict|SystemCall|Capability|NoNewPrivileges|DynamicUser|LockPersonality|MemoryDeny|RemoveIPC|DevicePolicy|KeyringMode|UMask|ProcSubset)' \
    "$unit" >"$tmp/weak.service"
if systemd-analyze security --offline=yes --threshold=49 "$tmp/weak.service" >/dev/null 2>&1; then
    echo "security check accepted an unhardened unit"; exit 1
fi
echo "unit file ok: $level"
