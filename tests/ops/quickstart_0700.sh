#!/usr/bin/env bash
# The quick start from a checkout the postgres user cannot enter (a copy in a mode 0700
# folder, like a clone under /root), run as root: it must load every sample report, `stop`
# must stop everything, and when the PostgreSQL port is taken the message must say so
# instead of failing somewhere else. Uses the binaries of this build (REPORTD_QS_PREBUILT).
set -u
src=${REPORTD_SOURCE_DIR:?}
bin=${REPORTD_BIN:?}
if [ "$(id -u)" != 0 ]; then
    echo "skip: needs root (the quick start then runs PostgreSQL as the postgres user)"; exit 77
fi
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

tmp=$(mktemp -d /tmp/reportd-qs.XXXXXX)   # mode 0700, owned by root
proj=$tmp/project
mkdir -p "$proj/tests/fixtures" "$proj/build"
cp -a "$src/scripts" "$src/deploy" "$src/data" "$proj/"
cp -a "$src/tests/fixtures/seeds" "$src/tests/fixtures/demo" "$proj/tests/fixtures/"
ln -s "$bin" "$proj/build/reportd"
ln -s "$(dirname "$bin")/reportd-dev" "$proj/build/reportd-dev"
ln -s "$(dirname "$bin")/reportd-decoder" "$proj/build/reportd-decoder"
# free ports, away from the defaults a developer's own quick start uses
busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in 1 2 3 4 5 6 7 8 9 10; do
    base=$(( 21000 + RANDOM % 20000 ))
    busy $base || busy $((base + 1)) || busy $((base + 2)) || busy $((base + 3)) || break
done
export REPORTD_QS_PGPORT=$base REPORTD_QS_BROKER_PORT=$((base + 1)) \
       REPORTD_QS_PORTAL_PORT=$((base + 2)) REPORTD_QS_HTTP_PORT=$((base + 3)) REPORTD_QS_PREBUILT=1
pghome=/var/lib/postgresql/reportd-quickstart-$(echo "$proj" | md5sum | cut -c1-8)
cleanup() {
    "$proj/scripts/quickstart.sh" purge >/dev/null 2>&1
    [ -n "${holder:-}" ] && kill "$holder" 2>/dev/null
    rm -rf "$tmp" "$pghome"
}
trap cleanup EXIT

check "the copy is in a folder the postgres user cannot enter" \
    '[ "$(stat -c %a "$tmp")" = 700 ] && ! runuser -u postgres -- test -x "$proj"'

out=$(cd "$tmp" && "$proj/scripts/quickstart.sh" 2>&1)
rc=$?
echo "$out" | tail -n 25
check "quick start succeeds" '[ $rc -eq 0 ]'
check "every sample report is loaded" 'echo "$out" | grep -q "documents per region and year"'
check "no permission error" '! echo "$out" | grep -qi "permission denied"'
check "the server data and log live in a folder of the postgres user" \
    '[ "$(stat -c %U "$pghome/data")" = postgres ] && [ -s "$pghome/server.log" ]'
check "status shows the services" \
    '"$proj/scripts/quickstart.sh" status | grep -q "postgres: running"'

"$proj/scripts/quickstart.sh" stop >/dev/null 2>&1
check "stop stops every service" \
    '"$proj/scripts/quickstart.sh" status | grep -c stopped | grep -qx 4'
check "nothing listens on the ports any more" \
    '! (exec 3<>/dev/tcp/127.0.0.1/$REPORTD_QS_PGPORT) 2>/dev/null && ! (exec 3<>/dev/tcp/127.0.0.1/$REPORTD_QS_BROKER_PORT) 2>/dev/null'

# Another program on the PostgreSQL port: the message names the port, not something else.
python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5); time.sleep(120)' "$REPORTD_QS_PGPORT" &
holder=$!
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$REPORTD_QS_PGPORT) 2>/dev/null && break; sleep 0.1; done
out=$("$proj/scripts/quickstart.sh" 2>&1)
rc=$?
check "a taken port fails with a message that names it" \
    '[ $rc -ne 0 ] && echo "$out" | grep -q "port $REPORTD_QS_PGPORT on 127.0.0.1 is already in use"'
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; holder=""

# A server that cannot start for another reason: the tail of its own log is shown.
echo "this_is_not_a_setting = 1" >>"$pghome/data/postgresql.conf"
out=$("$proj/scripts/quickstart.sh" 2>&1)
rc=$?
check "a server that does not start shows the tail of its log" \
    '[ $rc -ne 0 ] && echo "$out" | grep -q "this_is_not_a_setting" && echo "$out" | grep -q "server log"'
exit $fail
