#!/usr/bin/env bash
# deploy/prometheus/reportd.rules.yml passes `promtool check rules` and its unit tests
# (tests/ops/prometheus/reportd.rules.test.yml); deploy/grafana/reportd.json is a dashboard
# Grafana imports as is (a data-source variable every panel uses, unique panel ids) showing
# what operators need; every metric either file names is one reportd declares.
set -u
src=${REPORTD_SOURCE_DIR:?}
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
command -v promtool >/dev/null || { echo "skip: promtool (Debian package prometheus) is not installed"; exit 77; }

rules=$src/deploy/prometheus/reportd.rules.yml
dash=$src/deploy/grafana/reportd.json
out=$(promtool check rules "$rules" 2>&1); rc=$?
check "promtool check rules" '[ $rc -eq 0 ]'; [ $rc -eq 0 ] || echo "$out"
out=$(cd "$src/tests/ops/prometheus" && promtool test rules reportd.rules.test.yml 2>&1); rc=$?
check "promtool test rules" '[ $rc -eq 0 ]'; [ $rc -eq 0 ] || echo "$out"
for a in ReportdSourceFailing ReportdNothingLoaded ReportdConsumerLagGrowing ReportdDeadLettersIncreasing \
         ReportdNotReady ReportdDown ReportdRestarting; do
    check "alert $a is defined and unit-tested" \
        'grep -q "alert: $a$" "$rules" && grep -q "alertname: $a$" "$src/tests/ops/prometheus/reportd.rules.test.yml"'
done

# The metric names reportd declares (rpt_metrics_declare("name", ...)), histogram series too.
declared=$(grep -rhoE 'rpt_metrics_declare\(\s*"[a-z_]+"' --include=*.c "$src/common" "$src/connectors" \
               "$src/pipeline" "$src/daemon" | sed -E 's/.*"([a-z_]+)"/\1/' | sort -u)
declared=$(printf '%s\n' $declared; for m in $declared; do printf '%s_bucket\n%s_sum\n%s_count\n' $m $m $m; done)
check "metric declarations found" '[ $(echo "$declared" | wc -l) -gt 20 ]'
for f in "$rules" "$dash"; do
    for m in $(grep -oE '\b(reportd|process)_[a-z_]+' "$f" | sort -u); do
        [ "$m" = reportd_build ] && continue
        check "$(basename "$f") uses declared metric $m" 'echo "$declared" | grep -qx "$m"'
    done
done

python3 - "$dash" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ok = True
def need(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and cond
vars_ = {v["name"]: v for v in d["templating"]["list"]}
need(vars_.get("datasource", {}).get("type") == "datasource" and vars_["datasource"]["query"] == "prometheus",
     "dashboard has a Prometheus data-source variable")
panels = [p for p in d["panels"] if p["type"] != "row"]
need(all(p["datasource"]["uid"] == "${datasource}" and all(t["datasource"]["uid"] == "${datasource}" for t in p["targets"])
         for p in panels), "every panel and query uses the data-source variable")
ids = [p["id"] for p in d["panels"]]
need(len(ids) == len(set(ids)), "panel ids are unique")
need(all({"x", "y", "w", "h"} <= set(p["gridPos"]) for p in d["panels"]), "every panel has a grid position")
need(d.get("uid") and d.get("title") and d.get("schemaVersion", 0) >= 30, "uid, title and a current schemaVersion")
exprs = " ".join(t["expr"] for p in panels for t in p["targets"])
for m, what in [("reportd_fetch_documents_total", "documents fetched"), ("reportd_fetch_failures_total", "fetch failures"),
                ("reportd_fetch_responses_total", "HTTP status classes"), ("reportd_kafka_consumer_lag", "consumer lag"),
                ("reportd_load_rows_total", "rows loaded"), ("reportd_load_batch_seconds_bucket", "batch latency"),
                ("reportd_dlq_messages_total", "DLQ"), ("process_resident_memory_bytes", "RSS"),
                ("reportd_newest_loaded_timestamp_seconds", "age of the newest loaded document"),
                ("reportd_newest_published_timestamp_seconds", "newest published_at")]:
    need(m in exprs, "dashboard shows " + what)
sys.exit(0 if ok else 1)
PY
[ $? -eq 0 ] || fail=1
exit $fail
