#!/usr/bin/env bash
# reportd-dev broker speaks the real Kafka protocol: kcat (a librdkafka client of its own)
# lists its metadata, produces, consumes and joins a consumer group; --port is honoured, a
# taken port is a clear error, and SIGTERM stops it cleanly.
set -u
bin=${REPORTD_BIN:?}
broker=${REPORTD_TEST_BROKER:?}
tmp=${REPORTD_TEST_TMP:?}
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

meta=$(kcat -b "$broker" -L -m 10 2>&1)
check "kcat -L lists the three topics" 'echo "$meta" | grep -q "topic \"reports.raw\"" && echo "$meta" | grep -q "topic \"reports.parsed\"" && echo "$meta" | grep -q "topic \"reports.dlq\""'

for i in 1 2 3 4 5 6; do echo "doc-$i:{\"schema\":1,\"n\":$i}"; done |
    kcat -b "$broker" -P -t reports.dlq -K: -m 10
check "kcat -P produced" '[ $? -eq 0 ]'

got=$(kcat -b "$broker" -C -t reports.dlq -o beginning -e -q -f '%k=%s\n' -m 20 | sort)
check "kcat -C reads back every message" '[ "$(echo "$got" | wc -l)" -eq 6 ] && echo "$got" | grep -qx "doc-3={\"schema\":1,\"n\":3}"'

grp=$(timeout 60 kcat -b "$broker" -G t-kcat-group reports.dlq -o beginning -e -q -f '%k\n' \
      -X session.timeout.ms=6000 2>/dev/null | sort)
check "a kcat consumer group receives every message" '[ "$(echo "$grp" | wc -l)" -eq 6 ]'

# A fixed --port: it listens there; a second broker on the same port fails clearly.
port=$(( 30000 + RANDOM % 20000 ))
"$(dirname "$bin")/reportd-dev" broker --port "$port" >"$tmp/b1.out" 2>"$tmp/b1.err" &
b1=$!
for _ in $(seq 1 50); do [ -s "$tmp/b1.out" ] && break; sleep 0.1; done
check "--port is honoured" '[ "$(head -1 "$tmp/b1.out")" = "127.0.0.1:$port" ]'
check "kcat reaches the fixed port" 'kcat -b "127.0.0.1:$port" -L -m 10 2>/dev/null | grep -q "broker 1 at 127.0.0.1:$port"'
"$(dirname "$bin")/reportd-dev" broker --port "$port" >/dev/null 2>"$tmp/b2.err"
rc=$?
check "a taken port is a runtime error with a reason" '[ $rc -eq 1 ] && [ -s "$tmp/b2.err" ]'
"$(dirname "$bin")/reportd-dev" broker --port 70000 >/dev/null 2>&1
check "a bad --port is a usage error" '[ $? -eq 2 ]'
kill -TERM "$b1"
wait "$b1"
rc=$?
check "SIGTERM stops it cleanly" '[ $rc -eq 0 ] && grep -q "stopping" "$tmp/b1.err"'

if [ $fail -eq 0 ]; then echo "1 passed, 0 failed"; exit 0; else echo "0 passed, 1 failed"; exit 1; fi
