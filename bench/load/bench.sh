#!/usr/bin/env bash
# Body of the loader benchmark; run by run.sh under with-services.
set -euo pipefail
tmp=$REPORTD_TEST_TMP
now() { date +%s.%N; }
cfg=$tmp/bench.json
cat >"$cfg" <<J
{"kafka": {"bootstrap.servers": "$REPORTD_TEST_BROKER", "session.timeout.ms": 3000},
 "postgres": {"conninfo": "$REPORTD_TEST_PG"},
 "load": {"batch_size": ${BATCH_SIZE:-500}, "batch_latency_ms": ${BATCH_LATENCY_MS:-200}},
 "http": {"listen": ""}, "log": {"level": "warn"}}
J
"$REPORTD_BIN" migrate --config "$cfg" >/dev/null

echo "generating $ROWS indicator rows from the seeds" >&2
python3 "$BENCH_DIR/gen_parsed.py" --rows "$ROWS" "$SEEDS" >"$tmp/parsed.tsv"
echo "producing $(wc -l <"$tmp/parsed.tsv") documents ($(du -m "$tmp/parsed.tsv" | cut -f1) MB) to reports.parsed" >&2
kcat -P -b "$REPORTD_TEST_BROKER" -t reports.parsed -K $'\t' -z lz4 -X linger.ms=20 -l "$tmp/parsed.tsv"

echo "loading with reportd replay --topic reports.parsed" >&2
t0=$(now)
"$REPORTD_BIN" replay --config "$cfg" --topic reports.parsed --from earliest --group bench 2>"$tmp/replay.err" >"$tmp/replay.out"
t1=$(now)
cat "$tmp/replay.out" >&2
rows=$(psql -XAtc "SELECT count(*) FROM reports.indicators")
docs=$(psql -XAtc "SELECT count(*) FROM reports.documents")
loader_s=$(awk "BEGIN{print $t1 - $t0}")

echo "exporting the loaded rows and loading them again with psql \\copy" >&2
for t in documents sections indicators; do
    psql -Xqc "\\copy reports.$t TO '$tmp/$t.copy'"
done
psql -Xqc "TRUNCATE reports.documents CASCADE"
t0=$(now)
psql -Xq -v ON_ERROR_STOP=1 \
    -c "\\copy reports.documents FROM '$tmp/documents.copy'" \
    -c "\\copy reports.sections FROM '$tmp/sections.copy'" \
    -c "\\copy reports.indicators FROM '$tmp/indicators.copy'"
t1=$(now)
copy_s=$(awk "BEGIN{print $t1 - $t0}")
copied=$(psql -XAtc "SELECT count(*) FROM reports.indicators")

loader_rate=$(awk "BEGIN{print $rows / $loader_s}")
copy_rate=$(awk "BEGIN{print $copied / $copy_s}")
printf 'loader (reportd replay):  %d indicator rows (%d documents) in %.2f s = %.0f rows/s\n' "$rows" "$docs" "$loader_s" "$loader_rate"
printf 'psql \\copy (same rows):   %d indicator rows in %.2f s = %.0f rows/s\n' "$copied" "$copy_s" "$copy_rate"
printf 'ratio loader / \\copy:     %.2f\n' "$(awk "BEGIN{print $loader_rate / $copy_rate}")"

echo "fetch -> queryable latency: one new document at a time through transform and load" >&2
"$REPORTD_BIN" run --role transform,load --config "$cfg" 2>"$tmp/run.err" &
run_pid=$!
trap 'kill $run_pid 2>/dev/null; wait $run_pid 2>/dev/null || true' EXIT
python3 "$BENCH_DIR/latency.py" --docs "$LATENCY_DOCS" --seed "$SEEDS/000_aa89ab494b992dd0.txt"
