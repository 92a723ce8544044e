#!/usr/bin/env bash
# The eight 海拉尔区 government work reports of ../shared/corpus (2012-2019) go through every
# role of `reportd run` (a folder source) into PostgreSQL; reports.target_outcomes must then
# hold the pairs listed in README.md, among them econ.gdp_growth 2014: target 11 (2014
# report), outcome 9.1 (2015 report), met false. Also checks reports.metrics against the
# catalog and that metric_series has one row per (region, key, year, kind).
# Runs under tests/harness/with-services; skips (77) without ../shared.
set -euo pipefail
bin=${REPORTD_BIN:?}
tmp=${REPORTD_TEST_TMP:?}
corpus=${REPORTD_SHARED_DIR:-}/corpus/gov-work-reports
if [ ! -e "$corpus/hailar_district_gwr_2014.txt" ]; then
    echo "skip: ../shared/corpus/gov-work-reports absent" >&2
    exit 77
fi
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/run.log" ] && tail -n 30 "$tmp/run.log" >&2; exit 1; }
psqlq() { psql -X -q -tA -F '|' -v ON_ERROR_STOP=1 "$REPORTD_TEST_PG" -c "$1"; }
run_pid=""
cleanup() { [ -n "$run_pid" ] && kill -KILL "$run_pid" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

mkdir -p "$tmp/inbox"
cp "$corpus"/hailar_district_gwr_20*.txt "$tmp/inbox/"
cat >"$tmp/reportd.conf" <<JSON
{
  "kafka": { "bootstrap.servers": "$REPORTD_TEST_BROKER", "session.timeout.ms": 6000 },
  "postgres": { "conninfo": "$REPORTD_TEST_PG" },
  "load": { "batch_size": 4, "batch_latency_ms": 100 },
  "http": { "listen": "127.0.0.1:0" },
  "runtime": { "state_dir": "$tmp", "probe_interval_s": 1, "shutdown_grace_s": 30 },
  "sources": [ { "name": "hailar", "kind": "dir", "path": "$tmp/inbox", "interval_s": 1 } ]
}
JSON
"$bin" migrate --config "$tmp/reportd.conf" >/dev/null 2>"$tmp/migrate.log" || fail "migrate: $(cat "$tmp/migrate.log")"
"$bin" run --config "$tmp/reportd.conf" >>"$tmp/run.log" 2>&1 &
run_pid=$!
end=$((SECONDS + 180))
until [ "$(psqlq "SELECT count(*) FROM reports.documents" 2>/dev/null || echo 0)" = 8 ]; do
    [ $SECONDS -lt $end ] || fail "the 8 reports were not loaded in 180 s"
    kill -0 "$run_pid" 2>/dev/null || fail "reportd run exited"
    sleep 0.5
done
kill -TERM "$run_pid"; wait "$run_pid" || true; run_pid=""

# placement of the loaded documents
got=$(psqlq "SELECT count(*) FROM reports.documents WHERE region_code = '150702' AND level = 'county'
             AND doc_type = 'government_work_report' AND plan_year = year + 1")
[ "$got" = 8 ] || fail "placement: $got of 8 documents are 150702/county/government_work_report"
# the catalog table is the extractor's (the migration's rows are checked against the C table
# by extract_metric_catalog); spot-check the two ceilings
[ "$(psqlq "SELECT count(*) FROM reports.metrics WHERE direction = 'lower_is_better'")" = 2 ] ||
    fail "reports.metrics: expected two lower-is-better keys"
# metric_series: one row per region, key, year and kind
dups=$(psqlq "SELECT count(*) FROM (SELECT 1 FROM reports.metric_series
              GROUP BY region_code, metric_key, period_year, kind HAVING count(*) > 1) x")
[ "$dups" = 0 ] || fail "metric_series has $dups duplicated keys"

psqlq "SELECT metric_key, year, target_value, coalesce(target_qualifier, ''), outcome_value, met
       FROM reports.target_outcomes WHERE region_code = '150702'
       ORDER BY metric_key, year" >"$tmp/pairs.txt"
echo "reports.target_outcomes (150702):"
cat "$tmp/pairs.txt"
# the pairs checked by hand against the texts (README.md); the list may grow, these stay
missing=0
while IFS= read -r want; do
    [ -z "$want" ] && continue
    grep -qxF "$want" "$tmp/pairs.txt" || { echo "missing: $want" >&2; missing=$((missing + 1)); }
done <<'PAIRS'
econ.gdp_growth|2012|21||18.5|f
econ.gdp_growth|2013|20||10.1|f
econ.gdp_growth|2014|11||9.1|f
econ.gdp_growth|2015|8||8.9|t
econ.gdp_growth|2018|6|about|6|t
fiscal.total_revenue_growth|2013|20||20.3|t
fiscal.total_revenue_growth|2014|16||0.4|f
fiscal.budget_revenue_growth|2015|7||10.3|t
consumption.retail_sales_growth|2014|14||11.6|f
income.urban_per_capita_growth|2014|12||10.4|f
income.rural_per_capita_growth|2014|14||13.6|f
jobs.unemployment_rate|2014|4|under|3.79|t
jobs.urban_new|2015|5700|at_least|5650|f
tourism.visitors|2014|5000000||5256000|t
PAIRS
[ "$missing" = 0 ] || fail "$missing expected target/outcome pairs missing"
echo "target_outcomes ok: $(wc -l <"$tmp/pairs.txt") pairs for 150702"
