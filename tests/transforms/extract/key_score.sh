#!/usr/bin/env bash
# Scores the canonical metric keys of `reportd extract` on the public gold seeds 000-002
# (metric_key_precision/recall/f1 of ../shared/tools/score-extract) and fails below the bar;
# also checks that keys are assigned on the government work reports of the corpus, which
# have no gold: every key is one of the catalog, and the headline keys are found in each
# report. Skips (77) without the shared material or python3.
set -euo pipefail
shared=${REPORTD_SHARED_DIR:-}
bin=${REPORTD_BIN:?REPORTD_BIN is not set}
if [ -z "$shared" ] || [ ! -d "$shared/gold" ] || [ ! -x "$(command -v python3 || true)" ]; then
    echo "skip: shared gold material or python3 absent" >&2
    exit 77
fi
seeds=("$shared"/fixtures/seeds/00[0-2]_*.txt)
[ -e "${seeds[0]}" ] || { echo "skip: no seeds" >&2; exit 77; }
out=$(mktemp)
corpus=$(mktemp)
trap 'rm -f "$out" "$corpus"' EXIT
"$bin" extract "${seeds[@]}" >"$out"
python3 "$shared/tools/score-extract" "$shared/gold" "$out" --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
bars = {"metric_key_precision": 0.97, "metric_key_recall": 0.9, "metric_key_f1": 0.95,
        "category_acc": 0.935}
bad = False
for k, bar in bars.items():
    ok = r[k] >= bar
    verdict = "ok" if ok else "BELOW"
    print(f"{k:22} {r[k]:.4f}  bar {bar}  {verdict}")
    bad |= not ok
sys.exit(1 if bad else 0)
'
reports=("$shared"/corpus/gov-work-reports/*.txt)
[ -e "${reports[0]}" ] || exit 0
"$bin" extract "${reports[@]}" >"$corpus"
python3 - "$corpus" "$shared/metrics/CATALOG.md" <<'PY'
import json, re, sys
catalog = set(re.findall(r"^\| `([a-z_.]+)` \|", open(sys.argv[2], encoding="utf-8").read(), re.M))
bad = 0
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    keys = [i["metric_key"] for i in d["indicators"] if i["metric_key"]]
    unknown = set(keys) - catalog
    name = d["source"].rsplit("/", 1)[-1]
    if unknown:
        print(f"FAIL {name}: keys not in the catalog: {sorted(unknown)}"); bad += 1
    # every report sets a GDP growth target; all but 海拉尔 2018 (GDP "稳中有升", no
    # figure) also state the result
    kinds = {i["kind"] for i in d["indicators"] if i["metric_key"] == "econ.gdp_growth"}
    expect = {"target"} if name == "hailar_district_gwr_2018.txt" else {"actual", "target"}
    if kinds != expect:
        print(f"FAIL {name}: econ.gdp_growth kinds {sorted(kinds)}"); bad += 1
    for i in d["indicators"]:
        if i["metric_key"] and i["period_year"] not in (d["year"], d["plan_year"]) and \
                not (d["year"] - 10 <= (i["period_year"] or 0) <= d["plan_year"] + 5):
            print(f"FAIL {name}: period_year {i['period_year']} of {i['raw']}"); bad += 1
    print(f"{name}: {len(keys)} keyed of {len(d['indicators'])}")
sys.exit(1 if bad else 0)
PY
