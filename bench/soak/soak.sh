#!/usr/bin/env bash
# Soak: `reportd run` with every role for a long time while a dev-portal keeps publishing
# reports, sampling the daemon's resident memory (VmRSS) and what it loaded. Memory must
# stay flat: no growth per document processed.
#
#   bench/soak/soak.sh [DURATION_S [SAMPLE_S [RATE]]]      defaults: 1800 30 2
#
# RATE reports are published per second (copies of the sample reports under new names, so
# each is a new document with real extraction work). With REPORTD_SOAK_DISTINCT=N the
# publisher instead rewrites N report files in turn (a revision line appended each time), so
# every report is a changed version of one of N documents: the state the daemon legitimately
# keeps per document (fetch state) stays constant and any growth is per document processed. Runs under tests/harness/with-services
# (a throw-away PostgreSQL and dev-broker). Needs a built reportd: REPORTD_BUILD_DIR
# (default ./build). Prints one line per sample and a summary:
#   t_s  rss_kib  published  loaded  indicators
# The summary compares RSS after warm-up (first quarter) with the end, and gives the growth
# per 1000 document versions loaded.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${REPORTD_BUILD_DIR:-$root/build}
duration=${1:-1800}
sample=${2:-30}
rate=${3:-2}
distinct=${REPORTD_SOAK_DISTINCT:-0}

if [ -z "${REPORTD_TEST_PG:-}" ]; then
    exec "$root/tests/harness/with-services" "$build/reportd" bash "$0" "$duration" "$sample" "$rate"
fi

bin=$build/reportd
tmp=$REPORTD_TEST_TMP
mkdir -p "$tmp/portal"
run_pid="" portal_pid="" pub_pid=""
cleanup() {
    for p in $pub_pid $run_pid $portal_pid; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

"$(dirname "$bin")/reportd-dev" portal --dir "$tmp/portal" --port 0 --per-page 50 >"$tmp/portal.out" 2>"$tmp/portal.log" &
portal_pid=$!
for _ in $(seq 1 100); do [ -s "$tmp/portal.out" ] && break; sleep 0.1; done
portal=$(head -n 1 "$tmp/portal.out")
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$tmp/reportd.conf" <<EOF
{
  "kafka": { "bootstrap.servers": "$REPORTD_TEST_BROKER", "session.timeout.ms": 6000 },
  "postgres": { "conninfo": "$REPORTD_TEST_PG" },
  "fetch": { "allow_private_networks": true, "per_host_delay_ms": 0, "max_pages": 2 },
  "http": { "listen": "127.0.0.1:$http_port" },
  "log": { "level": "warn" },
  "runtime": { "state_dir": "$tmp" },
  "sources": [
    { "name": "portal", "kind": "html_index", "url": "$portal/jyj/index.html",
      "links": "//ul[@class='list']//a/@href", "next": "//a[.='下一页']/@href", "interval_s": 1 }
  ]
}
EOF
"$bin" migrate --config "$tmp/reportd.conf" >/dev/null 2>&1
"$bin" run --config "$tmp/reportd.conf" 2>"$tmp/run.log" &
run_pid=$!

# Publisher: RATE new reports per second, cycling through the samples.
(
    seeds=("$root"/tests/fixtures/seeds/*.txt)
    i=0
    while :; do
        for _ in $(seq 1 "$rate"); do
            seed=${seeds[$((i % ${#seeds[@]}))]}
            if [ "$distinct" -gt 0 ]; then
                f=$tmp/portal/soak-$((i % distinct)).txt
                { cat "$seed"; printf '\n（第%d次修订）\n' "$i"; } >"$f.tmp" && mv "$f.tmp" "$f"
            else
                cp "$seed" "$tmp/portal/soak-$i.txt"
            fi
            i=$((i + 1))
        done
        echo "$i" >"$tmp/published"
        sleep 1
    done
) &
pub_pid=$!

q() { psql -X -q -tA "$REPORTD_TEST_PG" -c "$1" 2>/dev/null || echo "?"; }
printf 't_s\trss_kib\tpublished\tloaded\tindicators\n'
start=$SECONDS
samples=()
while [ $((SECONDS - start)) -le "$duration" ]; do
    kill -0 "$run_pid" 2>/dev/null || { echo "reportd run exited" >&2; tail -n 20 "$tmp/run.log" >&2; exit 1; }
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$run_pid/status")
    published=$(cat "$tmp/published" 2>/dev/null || echo 0)
    # document versions written by the loader (each rewrite of a report counts)
    loaded=$(curl -s "http://127.0.0.1:$http_port/metrics" |
             awk '/^reportd_load_documents_total\{result="updated"\}/ {print $2}')
    loaded=${loaded:-0}
    indicators=$(q "SELECT count(*) FROM reports.indicators")
    t=$((SECONDS - start))
    printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$rss" "$published" "$loaded" "$indicators"
    samples+=("$t $rss $loaded")
    sleep "$sample"
done
kill -TERM "$pub_pid"; wait "$pub_pid" 2>/dev/null || true; pub_pid=""
kill -TERM "$run_pid"
rc=0; wait "$run_pid" || rc=$?; run_pid=""

# Summary: RSS after warm-up (first quarter), at half time and at the end, and the growth
# over the second half per 1000 documents loaded (flat memory: close to 0).
n=${#samples[@]}
w=$((n / 4)); h=$((n / 2))
read -r tw rw lw <<<"${samples[$w]}"
read -r th rh lh <<<"${samples[$h]}"
read -r te re le <<<"${samples[$((n - 1))]}"
max=0; for s in "${samples[@]:$w}"; do r=${s#* }; r=${r%% *}; [ "$r" -gt "$max" ] && max=$r; done
docs=$((le - lh))
per_k="n/a"; [ $docs -gt 0 ] && per_k=$(( (re - rh) * 1000 / docs ))
echo "summary: duration ${duration}s, rate ${rate}/s, ${le} documents loaded, exit code after SIGTERM ${rc}"
echo "summary: rss after warm-up (t=${tw}s) ${rw} KiB, half time (t=${th}s) ${rh} KiB, end (t=${te}s) ${re} KiB, max after warm-up ${max} KiB"
echo "summary: second half: ${docs} documents, rss change ${per_k} KiB per 1000 documents"
[ $rc = 0 ]
