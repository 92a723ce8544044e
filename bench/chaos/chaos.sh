#!/usr/bin/env bash
# Fault injection: the three roles as separate `reportd run --role X` processes under a
# supervisor (restart after each exit, as systemd would), fed by a dev-portal of good
# reports, a second portal with a pathological robots.txt, and links to every hostile
# /bad/ route, while the script kills roles with SIGKILL, restarts PostgreSQL and freezes the
# broker. Then the tables are compared with a clean run of the same inputs.
#
#   bench/chaos/chaos.sh [FAULT_PHASE_S [KILLS]]      defaults: 720 60
#   CHAOS_SHORT=1 bench/chaos/chaos.sh                  ~90 s: 6 kills, 1 restart, 5 s stop
#
# Environment (defaults of the long run; the short run's in brackets):
#   CHAOS_DOCS=150 [40]         good reports in the portal at the start (sample reports and
#                               copies of them under new names)
#   CHAOS_LATE=220 [10]         good reports published while the faults are injected (over
#                               the first 70 % of the phase)
#   CHAOS_PG_RESTARTS=4 [1]     PostgreSQL restarts (alternately -m immediate and -m fast)
#   CHAOS_BROKER_STOP_S=30 [5]  the broker is frozen (SIGSTOP ... SIGCONT) this long, once
#   CHAOS_RSS_BOUND_MB=200      bound on the peak RSS of each role process
#   CHAOS_SEED=1                seed of the fault schedule (bash RANDOM)
#   CHAOS_KEEP=DIR              copy logs, fault log and table dumps there at the end
#   REPORTD_BUILD_DIR=./build   where reportd and reportd-dev are (or REPORTD_BIN)
#
# Runs under tests/harness/with-services (a throw-away PostgreSQL 15 and dev-broker). Exits
# 0 when every check holds, 1 when one fails, 77 when a tool it needs is missing.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -n "${REPORTD_BIN:-}" ]; then
    build=$(dirname "$REPORTD_BIN")
else
    build=${REPORTD_BUILD_DIR:-$root/build}
fi

for tool in psql awk sort comm zip; do
    command -v "$tool" >/dev/null 2>&1 || { echo "skip: $tool not found" >&2; exit 77; }
done
[ -x "$build/reportd" ] && [ -x "$build/reportd-decoder" ] && [ -x "$build/reportd-dev" ] ||
    { echo "skip: no reportd / reportd-dev in $build" >&2; exit 77; }
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { echo "skip: no PostgreSQL server" >&2; exit 77; }

if [ -z "${REPORTD_TEST_PG:-}" ]; then
    exec "$root/tests/harness/with-services" "$build/reportd" bash "$0" "$@"
fi

if [ -n "${CHAOS_SHORT:-}" ]; then
    phase=${1:-60} kills=${2:-6}
    docs=${CHAOS_DOCS:-40} late=${CHAOS_LATE:-10}
    pg_restarts=${CHAOS_PG_RESTARTS:-1} broker_stop=${CHAOS_BROKER_STOP_S:-5}
    stable_s=8 drain_max=240 hostile_interval=8
else
    phase=${1:-720} kills=${2:-60}
    docs=${CHAOS_DOCS:-150} late=${CHAOS_LATE:-220}
    pg_restarts=${CHAOS_PG_RESTARTS:-4} broker_stop=${CHAOS_BROKER_STOP_S:-30}
    stable_s=20 drain_max=900 hostile_interval=15
fi
rss_bound_mb=${CHAOS_RSS_BOUND_MB:-200}
RANDOM=${CHAOS_SEED:-1}
roles="fetch transform load"

tmp=$REPORTD_TEST_TMP
mkdir -p "$tmp/bin" "$tmp/portal" "$tmp/portal-robots" "$tmp/late" "$tmp/state"
# the binaries are copied so that a rebuild during a long run does not change them
cp "$build/reportd" "$build/reportd-decoder" "$build/reportd-dev" "$tmp/bin/"
bin=$tmp/bin/reportd
faults=$tmp/faults.log
: >"$faults"
failures=()
t0=$(date +%s)

ts() { date -u +%H:%M:%S.%3N; }
say() { echo "chaos $(ts) $*" >&2; }
fault() { echo "$(ts) t=$(( $(date +%s) - t0 ))s $*" >>"$faults"; say "fault: $*"; }
fail() { failures+=("$*"); say "FAIL: $*"; }
pg_clean=${REPORTD_TEST_PG/dbname=reports/dbname=clean}
q() { psql -X -q -tA -F '|' "$1" -c "$2" 2>/dev/null; }

pids_to_stop=()
cleanup() {
    set +e
    touch "$tmp/stop"
    [ -f "$tmp/broker.stopped" ] && kill -CONT "$REPORTD_TEST_BROKER_PID" 2>/dev/null
    for r in $roles; do [ -f "$tmp/pid.$r" ] && kill -TERM "$(cat "$tmp/pid.$r")" 2>/dev/null; done
    for p in "${pids_to_stop[@]}"; do kill -TERM "$p" 2>/dev/null; done
    wait 2>/dev/null
    for p in "${pids_to_stop[@]}"; do # the portals are not children of this shell
        for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    done
    if [ -n "${CHAOS_KEEP:-}" ]; then
        mkdir -p "$CHAOS_KEEP"
        cp "$tmp"/*.log "$tmp"/*.txt "$CHAOS_KEEP/" 2>/dev/null
    fi
}
trap cleanup EXIT

# ---- the portals ------------------------------------------------------------------------
# Good reports: the sample reports (tests/fixtures/seeds) and copies under new names, with
# fixed modification times so that both runs see the same pages (dates come from them).
seeds=("$root"/tests/fixtures/seeds/*.txt)
base_time=$(date -u -d '2024-03-01 08:00' +%s)
for i in $(seq 0 $((docs + late - 1))); do
    seed=${seeds[$((i % ${#seeds[@]}))]}
    if [ "$i" -lt "${#seeds[@]}" ]; then name=$(basename "$seed"); else name=report-$i.txt; fi
    dest=$tmp/portal/$name
    cp "$seed" "$dest"
    touch -d "@$((base_time + i * 60))" "$dest"
done
# Two hostile .docx attachments of the first copies: a zip bomb (64 MiB of spaces in
# word/document.xml, a 1000:1 ratio) and billion laughs in document.xml.
mkdir -p "$tmp/docx/bomb/word" "$tmp/docx/laughs/word"
head -c $((64 << 20)) /dev/zero | tr '\0' ' ' >"$tmp/docx/bomb/word/document.xml"
(cd "$tmp/docx/bomb" && zip -q -9 ../bomb.docx word/document.xml)
rm -f "$tmp/docx/bomb/word/document.xml"
{
    echo '<?xml version="1.0"?>'
    echo '<!DOCTYPE w:document [ <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    echo ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    echo ' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    echo ' <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    echo ' <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
    echo ' <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"> ]>'
    echo '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    echo '<w:body><w:p><w:r><w:t>某县教育局工作总结&f;</w:t></w:r></w:p></w:body></w:document>'
} >"$tmp/docx/laughs/word/document.xml"
(cd "$tmp/docx/laughs" && zip -q -9 ../laughs.docx word/document.xml)
cp "$tmp/docx/bomb.docx" "$tmp/portal/report-${#seeds[@]}.docx"
cp "$tmp/docx/laughs.docx" "$tmp/portal/report-$((${#seeds[@]} + 1)).docx"
touch -d "@$base_time" "$tmp"/portal/*.docx
# Two PDF attachments when the PDF tools are there (python3-reportlab, python3-pil,
# fonts-wqy-zenhei): a text PDF and a two-page scan, which the transform OCRs on its pool
# beside the other documents, so that kills of the transform also hit a decoding document.
pdfs=0
if /usr/bin/python3 -c 'import reportlab, PIL' 2>/dev/null &&
    [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then
    mk="/usr/bin/python3 $root/tests/transforms/pdf/make_pdf.py"
    $mk text "${seeds[1]}" "$tmp/portal/report-$((${#seeds[@]} + 2)).pdf" >/dev/null &&
        $mk scan "${seeds[0]}" "$tmp/portal/report-$((${#seeds[@]} + 3)).pdf" --pages 2 --dpi 150 \
            >/dev/null && pdfs=2
    rm -f "$tmp"/portal/*.pdf.txt # the scan's source text, not an article
    touch -d "@$base_time" "$tmp"/portal/*.pdf 2>/dev/null
fi

# The second portal: a few reports under a robots.txt with an 18-star pattern (exponential
# for a backtracking matcher on a path of a's) and a Disallow line of a million '*'.
for i in 0 1 2 3 4; do
    cp "${seeds[$i]}" "$tmp/portal-robots/county-$i.txt"
    touch -d "@$((base_time + i * 60))" "$tmp/portal-robots/county-$i.txt"
done
{
    printf 'User-agent: *\nDisallow: /'
    for _ in $(seq 1 17); do printf '*a'; done
    printf '*b\nDisallow: /private/'
    head -c 1000000 /dev/zero | tr '\0' '*'
    printf '\n'
} >"$tmp/portal-robots/robots.txt"

# (called in $(...), a subshell: the portal's pid goes to OUTFILE.pid for the cleanup)
start_portal() { # DIR OUTFILE
    "$tmp/bin/reportd-dev" portal --dir "$1" --port 0 --per-page 50 >"$2" 2>>"$tmp/portal.log" &
    echo $! >"$2.pid"
    for _ in $(seq 1 100); do [ -s "$2" ] && break; sleep 0.1; done
    head -n 1 "$2"
}
portal=$(start_portal "$tmp/portal" "$tmp/portal.out")
portal_robots=$(start_portal "$tmp/portal-robots" "$tmp/portal-robots.out")
pids_to_stop+=("$(cat "$tmp/portal.out.pid")" "$(cat "$tmp/portal-robots.out.pid")")
[ -n "$portal" ] && [ -n "$portal_robots" ] || { say "cannot start the portals"; exit 1; }

# Every hostile route, linked from one listing page (/bad/list?l=...).
bad_routes=(/bad/redirect-loop/0 /bad/slow/400/drip /bad/gzip-bomb/64 /bad/big/1048576
    /bad/big/31457280 /bad/bad-headers /bad/retry-after/99999999999999999999 /bad/laughs.xml
    /bad/wrong-type /bad/truncated/x /bad/status/404)
hostile_list=$portal/bad/list?
for r in "${bad_routes[@]}"; do hostile_list+="l=$r&"; done
aaa=/$(head -c 60 /dev/zero | tr '\0' a)
robots_list="$portal_robots/bad/list?l=$aaa&l=/private/report.html"

write_config() { # FILE CONNINFO TOPIC_PREFIX GROUP_PREFIX
    cat >"$1" <<EOF
{
  "kafka": { "bootstrap.servers": "$REPORTD_TEST_BROKER", "session.timeout.ms": 6000,
             "topic.raw": "$3.raw", "topic.parsed": "$3.parsed", "topic.dlq": "$3.dlq",
             "group.transform": "$4-transform", "group.load": "$4-load" },
  "postgres": { "conninfo": "$2" },
  "fetch": { "allow_private_networks": true, "per_host_delay_ms": 0, "max_pages": 50,
             "timeout_s": 10, "low_speed_time_s": 3, "low_speed_bytes": 1000,
             "max_retries": 1, "retry_base_ms": 200 },
  "load": { "batch_size": 50, "batch_latency_ms": 200 },
  "http": { "listen": "" },
  "log": { "level": "info" },
  "runtime": { "state_dir": "$tmp/state", "probe_interval_s": 1, "shutdown_grace_s": 20 },
  "sources": [
    { "name": "county", "kind": "html_index", "url": "$portal/jyj/index.html",
      "links": "//ul[@class='list']//a/@href", "next": "//a[.='下一页']/@href", "interval_s": 2 },
    { "name": "hostile", "kind": "html_index", "url": "$hostile_list",
      "links": "//ul[@class='list']//a/@href", "interval_s": $hostile_interval },
    { "name": "laughs", "kind": "sitemap", "url": "$portal/bad/laughs.xml", "interval_s": $hostile_interval },
    { "name": "robots", "kind": "html_index", "url": "$portal_robots/jyj/index.html",
      "links": "//ul[@class='list']//a/@href", "interval_s": 3 },
    { "name": "robots-hostile", "kind": "html_index", "url": "$robots_list",
      "links": "//ul[@class='list']//a/@href", "interval_s": $hostile_interval }
  ]
}
EOF
}

# One snapshot of what a run has written: documents, distinct rejects, fetch states, stored
# offsets. The pipeline has drained when it stops changing.
snapshot() {
    q "$1" "SELECT (SELECT count(*) FROM reports.documents) || '/' ||
               (SELECT count(DISTINCT (doc_id, stage)) FROM reports.rejects) || '/' ||
               (SELECT count(*) FROM reports.fetch_state) || '/' ||
               (SELECT coalesce(sum(next_offset), 0) FROM reports.kafka_offsets)"
}
ndocs() { q "$1" "SELECT count(*) FROM reports.documents"; }

npdf() { q "$1" "SELECT count(*) FROM reports.documents WHERE format = 'pdf'"; }

# Waits until at least $2 documents are loaded, the PDF attachments among them (a scan's OCR
# can take longer than stable_s, during which nothing else changes), and the snapshot holds
# still for stable_s, at most $3 seconds. Returns 1 on time-out.
wait_drained() { # CONNINFO MIN_DOCS MAX_S
    local last="" since=$SECONDS end=$((SECONDS + $3)) s n p
    while [ $SECONDS -lt $end ]; do
        s=$(snapshot "$1"); n=${s%%/*}; p=$(npdf "$1")
        if [ "$s" != "$last" ]; then last=$s; since=$SECONDS; fi
        if [ -n "$n" ] && [ "$n" -ge "$2" ] && [ "${p:-0}" -ge "$pdfs" ] &&
            [ $((SECONDS - since)) -ge $stable_s ]; then
            say "drained: $s (documents/rejects/fetch states/offsets)"
            return 0
        fi
        sleep 1
    done
    say "not drained after $3 s: $last"
    return 1
}

good_expected=$((docs + late + 5 + pdfs))

# ---- 1. the clean run: same inputs, no faults, its own database and topics ----------------
psql -X -q "$REPORTD_TEST_PG" -c "CREATE DATABASE clean" >/dev/null || { say "cannot create database clean"; exit 1; }
write_config "$tmp/clean.conf" "$pg_clean" clean clean
"$bin" migrate --config "$tmp/clean.conf" >/dev/null 2>"$tmp/clean-migrate.log" || { say "migrate failed"; exit 1; }
say "clean run: $((docs + late)) + 5 good reports, ${#bad_routes[@]} hostile routes, 2 hostile .docx, $pdfs PDF attachments, robots host"
clean_t0=$SECONDS
"$bin" run --config "$tmp/clean.conf" >"$tmp/clean-run.log" 2>&1 &
clean_pid=$!
wait_drained "$pg_clean" "$good_expected" "$drain_max" || fail "the clean run did not drain"
kill -TERM "$clean_pid"; wait "$clean_pid"; rc=$?
[ $rc = 0 ] || fail "clean run exited with $rc"
clean_s=$((SECONDS - clean_t0))
say "clean run: $(ndocs "$pg_clean") documents in ${clean_s}s"

# ---- 2. the faulty run -------------------------------------------------------------------
# The late reports leave the portal and come back during the fault phase (mv keeps their
# modification times, so their pages are the clean run's).
late_files=()
for i in $(seq "$docs" $((docs + late - 1))); do
    f=report-$i.txt
    [ "$i" -lt "${#seeds[@]}" ] && continue
    mv "$tmp/portal/$f" "$tmp/late/$f"
    late_files+=("$f")
done
write_config "$tmp/chaos.conf" "$REPORTD_TEST_PG" reports reportd
"$bin" migrate --config "$tmp/chaos.conf" >/dev/null 2>"$tmp/chaos-migrate.log" || { say "migrate failed"; exit 1; }

# Supervisor of one role: restarts it after every exit (0.5 s later) until stop; records
# each exit with its status (128 + signal when killed by one).
supervise() {
    local role=$1 pid rc n=0
    while [ ! -e "$tmp/stop" ]; do
        REPORTD_RUNTIME_STATE_DIR=$tmp/state/$role "$bin" run --config "$tmp/chaos.conf" --role "$role" \
            >>"$tmp/role-$role.log" 2>&1 &
        pid=$!
        mkdir -p "$tmp/state/$role"
        echo "$pid" >"$tmp/pid.$role"
        n=$((n + 1))
        wait "$pid"; rc=$?
        rm -f "$tmp/pid.$role"
        echo "$(ts) $role $pid $rc" >>"$tmp/exits.txt"
        [ -e "$tmp/stop" ] && break
        sleep 0.5
    done
}
: >"$tmp/exits.txt"
for r in $roles; do
    supervise "$r" 2>>"$tmp/supervisor.log" &   # (bash's "Killed" notices go there)
    pids_to_stop+=($!)
done

# RSS sampler: VmHWM (the kernel's peak RSS of the process, so nothing between samples is
# missed) and VmRSS of each role process, every second; the max per role is kept.
(
    declare -A peak=()
    while [ ! -e "$tmp/stop" ]; do
        for r in $roles; do
            p=$(cat "$tmp/pid.$r" 2>/dev/null) || continue
            hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null)
            [ -n "$hwm" ] || continue
            [ "$hwm" -gt "${peak[$r]:-0}" ] && peak[$r]=$hwm
        done
        for r in $roles; do echo "$r ${peak[$r]:-0}"; done >"$tmp/rss.tmp" && mv "$tmp/rss.tmp" "$tmp/rss.txt"
        sleep 1
    done
) &
pids_to_stop+=($!)

# The fault schedule: kills spread over the phase with jitter, PostgreSQL restarts and the
# broker outage at fixed fractions, late reports published over the first 70 %.
{
    for i in $(seq 0 $((kills - 1))); do
        echo "$(( 3 + (i * (phase - 6) + RANDOM % (phase - 6)) / kills )) kill"
    done
    for j in $(seq 0 $((pg_restarts - 1))); do
        mode=immediate; [ $((j % 2)) = 1 ] && mode=fast
        echo "$(( (2 * j + 1) * phase / (2 * pg_restarts) + 2 )) pg $mode"
    done
    echo "$(( phase * 2 / 5 )) broker $broker_stop"
    for j in "${!late_files[@]}"; do
        echo "$(( 1 + j * phase * 7 / 10 / ${#late_files[@]} )) publish ${late_files[$j]}"
    done
} | sort -n -k1,1 >"$tmp/schedule.txt"

say "fault phase: ${phase}s, $kills kills, $pg_restarts PostgreSQL restarts, broker stopped ${broker_stop}s, ${#late_files[@]} reports published"
n_kill=0 n_pg=0 n_broker=0 n_pub=0
declare -A kills_by_role=()
phase_t0=$SECONDS
while read -r at kind arg; do
    while [ $((SECONDS - phase_t0)) -lt "$at" ]; do sleep 0.2; done
    case $kind in
    kill)
        # a random role; when it is being restarted, the next one (or a moment later)
        k=$((RANDOM % 3)) done_kill=0
        for try in $(seq 0 29); do
            r=$(echo $roles | tr ' ' '\n' | sed -n "$(( (k + try) % 3 + 1 ))p")
            p=$(cat "$tmp/pid.$r" 2>/dev/null)
            if [ -n "$p" ] && kill -KILL "$p" 2>/dev/null; then
                n_kill=$((n_kill + 1)); kills_by_role[$r]=$(( ${kills_by_role[$r]:-0} + 1 ))
                fault "kill -9 $r pid=$p"
                done_kill=1; break
            fi
            [ $((try % 3)) = 2 ] && sleep 0.2
        done
        [ $done_kill = 1 ] || say "kill: no role running for 2 s, skipped" ;;
    pg)
        fault "pg_ctl restart -m $arg (start)"
        if "$REPORTD_TEST_PGCTL" restart -m "$arg" >>"$tmp/pgctl.log" 2>&1; then
            n_pg=$((n_pg + 1)); fault "pg_ctl restart -m $arg (up again)"
        else
            fail "pg_ctl restart -m $arg failed"
        fi ;;
    broker)
        # A frozen broker is a network outage from the clients' side (connections open,
        # nothing answers); a killed dev-broker would lose its topics, which a real
        # cluster does not.
        touch "$tmp/broker.stopped"
        kill -STOP "$REPORTD_TEST_BROKER_PID"; fault "broker SIGSTOP for ${arg}s"
        # kills go on during the outage: the schedule is not held up by it
        ( sleep "$arg"; kill -CONT "$REPORTD_TEST_BROKER_PID"; rm -f "$tmp/broker.stopped"
          fault "broker SIGCONT" ) &
        n_broker=$((n_broker + 1)) ;;
    publish)
        mv "$tmp/late/$arg" "$tmp/portal/$arg"; n_pub=$((n_pub + 1)) ;;
    esac
done <"$tmp/schedule.txt"
while [ -f "$tmp/broker.stopped" ]; do sleep 0.5; done
say "fault phase over after $((SECONDS - phase_t0))s; draining"

# ---- 3. drain, stop, check ---------------------------------------------------------------
clean_docs=$(ndocs "$pg_clean")
drain_t0=$SECONDS
wait_drained "$REPORTD_TEST_PG" "$clean_docs" "$drain_max" || fail "the faulty run did not drain within ${drain_max}s"
drain_s=$((SECONDS - drain_t0))
touch "$tmp/stop"
for r in $roles; do [ -f "$tmp/pid.$r" ] && kill -TERM "$(cat "$tmp/pid.$r")" 2>/dev/null; done
for _ in $(seq 1 300); do
    [ "$(awk 'END {print NR}' "$tmp/exits.txt")" -ge $((n_kill + 3)) ] && break
    sleep 0.1
done
sleep 1.2
cp "$faults" "$tmp/faults.txt"

# Exits: SIGKILL (137) only as many times as the script killed, 0 at the final SIGTERM,
# nothing else (a SIGSEGV is 139, SIGABRT 134, a runtime failure 1).
killed=$(awk '$4 == 137' "$tmp/exits.txt" | wc -l)
clean_exits=$(awk '$4 == 0' "$tmp/exits.txt" | wc -l)
others=$(awk '$4 != 137 && $4 != 0' "$tmp/exits.txt")
[ "$killed" = "$n_kill" ] || fail "$killed exits by SIGKILL for $n_kill kills"
[ -z "$others" ] || fail "unexpected exits (time role pid status): $(echo "$others" | tr '\n' ';')"
[ "$clean_exits" -ge 3 ] || fail "only $clean_exits roles stopped cleanly on SIGTERM"

# Rows: every column that is content (not the time it was fetched or loaded, nor the Kafka
# coordinates, which differ between runs), sorted, compared as text.
doc_cols=$(q "$pg_clean" "SELECT string_agg(column_name, ', ' ORDER BY column_name)
    FROM information_schema.columns WHERE table_schema = 'reports' AND table_name = 'documents'
    AND column_name NOT IN ('fetched_at', 'loaded_at', 'kafka_topic', 'kafka_partition',
                            'kafka_offset', 'raw_topic', 'raw_partition', 'raw_offset')")
dump() { # CONNINFO OUT
    {
        psql -X -q -tA -F '|' "$1" -c "SELECT 'D', $doc_cols FROM reports.documents ORDER BY doc_id"
        psql -X -q -tA -F '|' "$1" -c "SELECT 'S', * FROM reports.sections ORDER BY doc_id, ord"
        psql -X -q -tA -F '|' "$1" -c "SELECT 'I', * FROM reports.indicators ORDER BY doc_id, ord"
    } | LC_ALL=C sort >"$2"
}
dump "$pg_clean" "$tmp/rows-clean.txt"
dump "$REPORTD_TEST_PG" "$tmp/rows-chaos.txt"
rows=$(wc -l <"$tmp/rows-clean.txt")
LC_ALL=C comm -3 "$tmp/rows-clean.txt" "$tmp/rows-chaos.txt" >"$tmp/rows-diff.txt"
ndiff=$(wc -l <"$tmp/rows-diff.txt")
[ "$rows" -gt 0 ] || fail "the clean run loaded nothing"
[ "$ndiff" = 0 ] || fail "$ndiff rows differ from the clean run (rows-diff.txt): $(head -c 300 "$tmp/rows-diff.txt")"
dup=$(q "$REPORTD_TEST_PG" "SELECT count(*) - count(DISTINCT url) FROM reports.documents")
# reports.parsed messages the loader consumed (a document produced again after a kill is
# one more message; the loader must absorb it)
consumed() { q "$1" "SELECT coalesce(sum(next_offset), 0) FROM reports.kafka_offsets WHERE topic LIKE '%.parsed'"; }
[ "$dup" = 0 ] || fail "$dup documents loaded twice under one URL"

# Outcome of every URL the fetcher met: loaded, rejected (stage: reason) or a fetch failure.
# Both runs must give each the same kind of outcome; every hostile URL must have one.
outcomes() { # CONNINFO
    q "$1" "SELECT f.url, CASE
              WHEN d.doc_id IS NOT NULL THEN 'loaded'
              WHEN r.stages IS NOT NULL THEN 'rejected ' || r.stages
              WHEN f.last_error IS NOT NULL THEN 'fetch ' || split_part(f.last_error, ' ', 1)
              ELSE 'none' END
            FROM reports.fetch_state f
            LEFT JOIN reports.documents d ON d.doc_id = f.doc_id
            LEFT JOIN (SELECT doc_id, string_agg(DISTINCT stage, ',') AS stages
                       FROM reports.rejects GROUP BY doc_id) r ON r.doc_id = f.doc_id
            ORDER BY 1" | LC_ALL=C sort
}
outcomes "$pg_clean" >"$tmp/outcomes-clean.txt"
outcomes "$REPORTD_TEST_PG" >"$tmp/outcomes-chaos.txt"
LC_ALL=C comm -3 "$tmp/outcomes-clean.txt" "$tmp/outcomes-chaos.txt" >"$tmp/outcomes-diff.txt"
[ -s "$tmp/outcomes-diff.txt" ] && fail "outcomes differ from the clean run: $(head -c 400 "$tmp/outcomes-diff.txt" | tr '\n' ';')"
hostile_urls=("${bad_routes[@]/#/$portal}" "$portal/jyj/att/report-${#seeds[@]}.docx"
              "$portal/jyj/att/report-$((${#seeds[@]} + 1)).docx" "$portal_robots$aaa"
              "$portal_robots/private/report.html")
unaccounted=()
for u in "${hostile_urls[@]}"; do
    o=$(awk -F '|' -v u="$u" '$1 == u {print $2}' "$tmp/outcomes-chaos.txt")
    case $o in ""|none) unaccounted+=("$u") ;; esac
done
[ ${#unaccounted[@]} = 0 ] || fail "hostile URLs without an outcome: ${unaccounted[*]}"
# the laughs sitemap is a discovery page, not a document: its refusal is in the fetch log
laughs_refused=$(grep -c 'XML with a DTD internal subset refused' "$tmp/role-fetch.log")
[ "$laughs_refused" -gt 0 ] || fail "the billion-laughs sitemap was not refused"
spurious=$(q "$REPORTD_TEST_PG" "SELECT count(*) FROM reports.rejects r
    WHERE EXISTS (SELECT 1 FROM reports.documents d WHERE d.doc_id = r.doc_id)")
[ "$spurious" = 0 ] || fail "$spurious reject rows for documents that were loaded"

# Peak RSS per role.
rss_line=""
for r in $roles; do
    kib=$(awk -v r="$r" '$1 == r {print $2}' "$tmp/rss.txt" 2>/dev/null)
    kib=${kib:-0}
    rss_line+="$r $((kib / 1024)) MiB, "
    [ "$kib" -gt 0 ] || fail "no RSS sample of $r"
    [ "$kib" -le $((rss_bound_mb * 1024)) ] || fail "peak RSS of $r $((kib / 1024)) MiB > ${rss_bound_mb} MiB"
done

# ---- summary -----------------------------------------------------------------------------
echo
echo "== chaos summary ($( [ -n "${CHAOS_SHORT:-}" ] && echo short || echo long ) run, seed ${CHAOS_SEED:-1})"
echo "duration: clean run ${clean_s}s; fault phase ${phase}s; drain ${drain_s}s; total $(( $(date +%s) - t0 ))s"
echo "faults: $n_kill kill -9 (fetch ${kills_by_role[fetch]:-0}, transform ${kills_by_role[transform]:-0}, load ${kills_by_role[load]:-0}), $n_pg PostgreSQL restarts, $n_broker broker stop of ${broker_stop}s; $n_pub reports published during the phase"
echo "exits: $killed by SIGKILL, $clean_exits clean on SIGTERM, other: ${others:-none}"
echo "documents: clean $(ndocs "$pg_clean"), faulty run $(ndocs "$REPORTD_TEST_PG"); rows compared (documents + sections + indicators): $rows, differing: $ndiff"
echo "reports.parsed messages loaded: clean $(consumed "$pg_clean"), faulty run $(consumed "$REPORTD_TEST_PG") (the difference: documents produced again after a kill or an outage, absorbed by the loader)"
echo "reject rows: $(q "$REPORTD_TEST_PG" "SELECT count(*) FROM reports.rejects") (distinct documents $(q "$REPORTD_TEST_PG" "SELECT count(DISTINCT doc_id) FROM reports.rejects")), by stage and reason:"
q "$REPORTD_TEST_PG" "SELECT stage, left(reason, 100), count(*), count(DISTINCT doc_id) FROM reports.rejects
                      GROUP BY 1, 2 ORDER BY 1, 2" | sed 's/^/  /'
echo "fetch failures (reports.fetch_state.last_error), by reason:"
q "$REPORTD_TEST_PG" "SELECT split_part(last_error, ' ', 1), count(*) FROM reports.fetch_state
                      WHERE last_error IS NOT NULL GROUP BY 1 ORDER BY 1" | sed 's/^/  /'
echo "hostile URLs and their outcome:"
for u in "${hostile_urls[@]}"; do
    o=$(awk -F '|' -v u="$u" '$1 == u {print $2}' "$tmp/outcomes-chaos.txt")
    r=$(q "$REPORTD_TEST_PG" "SELECT coalesce((SELECT left(r.reason, 90) FROM reports.rejects r
          JOIN reports.fetch_state f ON f.doc_id = r.doc_id WHERE f.url = '$u' LIMIT 1),
          (SELECT left(last_error, 90) FROM reports.fetch_state WHERE url = '$u'), '')")
    echo "  ${u#http://127.0.0.1:*/} -> ${o:-none} ${r:+($r)}"
done
echo "  sitemap $portal/bad/laughs.xml -> refused $laughs_refused times (DTD internal subset)"
echo "peak RSS (VmHWM) per role: ${rss_line%, } (bound ${rss_bound_mb} MiB)"
if [ ${#failures[@]} = 0 ]; then
    echo "chaos: all checks passed"
    exit 0
fi
echo "chaos: ${#failures[@]} checks FAILED:"
printf '  %s\n' "${failures[@]}"
exit 1
