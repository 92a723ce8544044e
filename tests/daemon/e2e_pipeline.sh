#!/usr/bin/env bash
# End to end, every role in one `reportd run`, against the harness's PostgreSQL and
# dev-broker and a `reportd-dev portal`:
#   1. the portal's reports are fetched, transformed and loaded into reports.indicator_facts
#   2. a report published while the daemon runs appears in reports.indicator_facts
#   3. SIGHUP adds a source (a folder): its report is loaded without a restart, with exactly
#      the indicators `reportd extract` finds in the file
#   4. /readyz turns unready when Postgres (then Kafka) stops and ready again when it returns
#   5. /metrics parses (strict checker, and promtool when installed)
#   6. SIGTERM while reports are being loaded loses nothing: after a restart every report is
#      there once, with as many indicators as its identical twin
# usage (under tests/harness/with-services): e2e_pipeline.sh PROM_CHECK_CLI
set -euo pipefail
bin=${REPORTD_BIN:?}
prom_check=${1:?usage: e2e_pipeline.sh PROM_CHECK_CLI}
src=${REPORTD_SOURCE_DIR:?}
tmp=${REPORTD_TEST_TMP:?}
seeds=$src/tests/fixtures/seeds

if "$bin" run --role fetch --config /nonexistent 2>&1 | grep -q "not built"; then
    echo "skip: the fetch role is not built into reportd" >&2
    exit 77
fi

fail() { echo "FAIL: $*" >&2; [ -f "$tmp/run.log" ] && tail -n 40 "$tmp/run.log" >&2; exit 1; }
psqlq() { psql -X -q -tA -v ON_ERROR_STOP=1 "$REPORTD_TEST_PG" -c "$1"; }
# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND until it succeeds (bounded)
wait_for() {
    local what=$1 limit=$2; shift 2
    local end=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $end ] || fail "timed out waiting for: $what"
        sleep 0.3
    done
}
# Reports are matched by file name in their URL (the portal serves each under its stem).
in_facts() { [ "$(psqlq "SELECT count(*) FROM reports.indicator_facts WHERE document_url LIKE '%/$1%'")" -gt 0 ]; }
inbox_docs_at_least() { [ "$(psqlq "SELECT count(*) FROM reports.documents WHERE source = 'inbox'")" -ge "$1" ]; }
http_status() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port$1" || true; }
status_is() { [ "$(http_status "$1")" = "$2" ]; }

run_pid="" portal_pid=""
cleanup() {
    [ -n "$run_pid" ] && kill -KILL "$run_pid" 2>/dev/null || true
    [ -n "$portal_pid" ] && kill -TERM "$portal_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

mkdir -p "$tmp/portal" "$tmp/inbox"
cp "$seeds/000_"*.txt "$seeds/001_"*.txt "$seeds/002_"*.txt "$tmp/portal/"
cp "$seeds/003_"*.txt "$tmp/inbox/"

"$(dirname "$bin")/reportd-dev" portal --dir "$tmp/portal" --port 0 >"$tmp/portal.out" 2>"$tmp/portal.log" &
portal_pid=$!
wait_for "dev-portal" 10 test -s "$tmp/portal.out"
portal=$(head -n 1 "$tmp/portal.out")
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

write_config() { # $1: 1 to include the folder source
    local extra=""
    [ "$1" = 1 ] && extra=", { \"name\": \"inbox\", \"kind\": \"dir\", \"path\": \"$tmp/inbox\", \"interval_s\": 1 }"
    cat >"$tmp/reportd.conf" <<EOF
{
  "kafka": { "bootstrap.servers": "$REPORTD_TEST_BROKER", "session.timeout.ms": 6000 },
  "postgres": { "conninfo": "$REPORTD_TEST_PG" },
  "fetch": { "allow_private_networks": true, "per_host_delay_ms": 20 },
  "load": { "batch_size": 2, "batch_latency_ms": 100 },
  "http": { "listen": "127.0.0.1:$http_port" },
  "runtime": { "state_dir": "$tmp", "probe_interval_s": 1, "shutdown_grace_s": 30 },
  "sources": [
    { "name": "portal", "kind": "html_index", "url": "$portal/jyj/index.html",
      "links": "//ul[@class='list']//a/@href", "next": "//a[.='下一页']/@href", "interval_s": 1 }$extra
  ]
}
EOF
}
start_run() {
    "$bin" run --config "$tmp/reportd.conf" >>"$tmp/run.log" 2>&1 &
    run_pid=$!
    wait_for "/readyz 200 after start" 60 status_is /readyz 200
}
stop_run() { # SIGTERM, expects a clean drain (exit 0)
    kill -TERM "$run_pid"
    local rc=0
    wait "$run_pid" || rc=$?
    run_pid=""
    [ $rc = 0 ] || fail "reportd run exited with $rc after SIGTERM"
}

write_config 0
"$bin" migrate --config "$tmp/reportd.conf" >/dev/null 2>>"$tmp/migrate.log" || fail "migrate"
start_run
status_is /healthz 200 || fail "/healthz"

# 1. the portal's three reports
for n in 000 001 002; do wait_for "portal report $n in indicator_facts" 120 in_facts "${n}_"; done
in_facts 004_ && fail "report 004 loaded before it was published"
echo "ok 1: portal reports loaded"

# 2. a report published while running
cp "$seeds/004_"*.txt "$tmp/portal/"
wait_for "published report in indicator_facts" 120 in_facts 004_
echo "ok 2: published report loaded"

# 3. SIGHUP adds the folder source
write_config 1
kill -HUP "$run_pid"
inbox_file=$(ls "$tmp/inbox/"*.txt)
want=$("$bin" extract "$inbox_file" | python3 -c 'import json,sys; print(len(json.loads(sys.stdin.readline())["indicators"]))')
wait_for "report of the added source" 120 inbox_docs_at_least 1
wait_for "indicators of the added source" 60 in_facts "$(basename "$inbox_file")"
got=$(psqlq "SELECT count(*) FROM reports.indicator_facts f JOIN reports.documents d USING (doc_id)
              WHERE d.source = 'inbox'")
[ "$got" = "$want" ] || fail "inbox report: $got indicators loaded, extract finds $want"
grep -q 'msg="config reloaded"' "$tmp/run.log" || fail "no reload logged"
echo "ok 3: SIGHUP added a source ($got indicators, as extract)"

# 4. readiness follows Postgres
"$REPORTD_TEST_PGCTL" stop >/dev/null
wait_for "/readyz 503 with Postgres down" 30 status_is /readyz 503
curl -s "http://127.0.0.1:$http_port/readyz" | grep -q postgres || fail "/readyz reason does not name postgres"
status_is /healthz 200 || fail "/healthz while Postgres is down"
"$REPORTD_TEST_PGCTL" start >/dev/null
wait_for "/readyz 200 with Postgres back" 60 status_is /readyz 200
kill -USR1 "$REPORTD_TEST_BROKER_PID" # the dev-broker goes down
wait_for "/readyz 503 with Kafka down" 30 status_is /readyz 503
curl -s "http://127.0.0.1:$http_port/readyz" | grep -q kafka || fail "/readyz reason does not name kafka"
kill -USR2 "$REPORTD_TEST_BROKER_PID"
wait_for "/readyz 200 with Kafka back" 60 status_is /readyz 200
echo "ok 4: /readyz followed Postgres and Kafka down and up"

# 5. metrics
curl -fsS "http://127.0.0.1:$http_port/metrics" >"$tmp/metrics.txt"
"$prom_check" <"$tmp/metrics.txt" || fail "/metrics rejected by the strict checker"
if command -v promtool >/dev/null; then
    promtool check metrics <"$tmp/metrics.txt" || fail "/metrics rejected by promtool"
fi
grep -q '^reportd_ready 1$' "$tmp/metrics.txt" || fail "reportd_ready is not 1"
for family in 'reportd_fetch_documents_total{source="portal",outcome="new"}' \
              'reportd_kafka_messages_produced_total{' 'reportd_kafka_messages_consumed_total{' \
              'reportd_load_rows_total' 'reportd_load_batch_seconds_bucket{' \
              'reportd_kafka_consumer_lag{' 'reportd_role_running{role="fetch"} 1' \
              'reportd_fetch_responses_total{source="portal",class="2xx"}' \
              'reportd_fetch_bytes_total{source="portal"}' \
              'reportd_fetch_last_success_timestamp_seconds{source="portal"}' \
              'process_resident_memory_bytes'; do
    grep -qF "$family" "$tmp/metrics.txt" || fail "/metrics lacks $family"
done
# the per-source figures are real: bytes received and a recent last-success time
bytes=$(sed -n 's/^reportd_fetch_bytes_total{source="portal"} //p' "$tmp/metrics.txt")
last=$(sed -n 's/^reportd_fetch_last_success_timestamp_seconds{source="portal"} //p' "$tmp/metrics.txt")
[ "${bytes:-0}" -gt 1000 ] || fail "reportd_fetch_bytes_total is $bytes"
[ $(( $(date +%s) - ${last:-0} )) -lt 600 ] || fail "last success time $last is not recent"
echo "ok 5: /metrics parses"

# 6. SIGTERM while loading: the portal publishes twins of the seeds under new names (new
# URLs, new doc_ids); fetching is slowed by the per-host delay so the stop lands mid-way.
sed -i 's/"per_host_delay_ms": 20/"per_host_delay_ms": 300/' "$tmp/reportd.conf"
kill -HUP "$run_pid"
sleep 1
for k in 1 2 3; do
    for f in "$seeds/"*.txt; do cp "$f" "$tmp/portal/twin$k-$(basename "$f")"; done
done
twins_loaded() { psqlq "SELECT count(DISTINCT substring(url from 'twin[0-9]-[0-9]+')) FROM reports.documents WHERE url LIKE '%/twin%'"; }
twins_at_least() { [ "$(twins_loaded)" -ge "$1" ]; }
wait_for "first twin loaded" 120 twins_at_least 1
stop_run
mid=$(twins_loaded)
start_run
wait_for "all 15 twins after restart" 240 twins_at_least 15
sleep 2 # a late partial write would show now
# every document, twin or original, holds as many indicators as the first copy of its seed
bad=$(psqlq "WITH per_doc AS (
               SELECT d.doc_id, substring(d.url from '([0-9]{3})_[0-9a-f]+') AS seed,
                      d.n_indicators, (SELECT count(*) FROM reports.indicators i
                                        WHERE i.doc_id = d.doc_id) AS rows
                 FROM reports.documents d WHERE d.source = 'portal')
             SELECT count(*) FROM per_doc p
              WHERE p.rows <> p.n_indicators
                 OR p.rows <> (SELECT min(rows) FROM per_doc q WHERE q.seed = p.seed)
                 OR p.rows <> (SELECT max(rows) FROM per_doc q WHERE q.seed = p.seed)")
[ "$bad" = 0 ] || fail "$bad portal documents differ from their twins in indicators"
[ "$(psqlq "SELECT count(*) FROM reports.documents WHERE source = 'portal' AND n_indicators = 0")" = 0 ] \
    || fail "a portal document has no indicators"
echo "ok 6: SIGTERM with $mid/15 twins loaded lost nothing after restart"

stop_run
grep -q 'msg="stopped" exit_code=0' "$tmp/run.log" || fail "no clean stop logged"
echo "e2e ok"
