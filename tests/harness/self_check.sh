#!/usr/bin/env bash
# Checks the harness: it passes the services to the command, propagates failures, fails when
# a service cannot start, and leaves no server or temp directory behind.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${REPORTD_BIN:?}
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

out=$("$here/with-services" "$bin" bash -c 'echo "$REPORTD_TEST_TMP|$PGPORT|$REPORTD_TEST_BROKER_PID"; psql -X -tA -c "select 41+1"')
rc=$?
check "command sees services and its exit code passes through" '[ $rc -eq 0 ] && echo "$out" | grep -qx 42'
tmp=$(echo "$out" | head -1 | cut -d'|' -f1); port=$(echo "$out" | head -1 | cut -d'|' -f2)
bpid=$(echo "$out" | head -1 | cut -d'|' -f3)
check "temp directory removed" '[ -n "$tmp" ] && [ ! -e "$(dirname "$tmp")" ]'
check "postgres stopped" '! psql -X -h 127.0.0.1 -p "$port" -U postgres -c "select 1" >/dev/null 2>&1'
check "broker stopped" '! kill -0 "$bpid" 2>/dev/null'

"$here/with-services" "$bin" bash -c 'exit 3' 2>/dev/null
rc=$?
check "a failing command fails the harness" '[ $rc -eq 3 ]'

iso=$(mktemp -d); chmod 755 "$iso"
out=$(TMPDIR=$iso "$here/with-services" /bin/false true 2>&1)
rc=$?
check "a broker that cannot start fails the harness" '[ $rc -ne 0 ] && echo "$out" | grep -q "cannot start reportd-dev broker"'
check "no postgres left from the failed start" '! pgrep -f "$iso" >/dev/null'
check "no temp directory left from the failed start" '[ -z "$(ls -A "$iso")" ]'
rmdir "$iso"

# As root from a folder the postgres user cannot enter, with TMPDIR inside it (a clone
# under /root, mode 0700): the server still starts, and nothing is left behind.
if [ "$(id -u)" = 0 ]; then
    closed=$(mktemp -d); chmod 700 "$closed"; mkdir "$closed/tmp"
    out=$(cd "$closed" && TMPDIR=$closed/tmp "$here/with-services" "$bin" bash -c 'psql -X -tA -c "select 6*7"; echo "$REPORTD_TEST_PGDATA"' 2>&1)
    rc=$?
    pgd=$(echo "$out" | tail -n 1)
    check "a TMPDIR closed to the postgres user works" '[ $rc -eq 0 ] && echo "$out" | grep -qx 42'
    check "its server folder is removed" '[ -n "$pgd" ] && [ ! -e "$pgd" ] && [ -z "$(ls -A "$closed/tmp")" ]'
    rm -rf "$closed"
fi

if [ $fail -eq 0 ]; then echo "1 passed, 0 failed"; exit 0; else echo "0 passed, 1 failed"; exit 1; fi
