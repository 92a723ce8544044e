#!/usr/bin/env bash
# Scores `reportd extract` on the public gold seeds 000-002 and fails when any figure drops
# below the bar set for the extractor (see tests/transforms/extract/README.md). Skips (77) without the
# shared material or python3.
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
trap 'rm -f "$out"' EXIT
"$bin" extract "${seeds[@]}" >"$out"
python3 "$shared/tools/score-extract" "$shared/gold" "$out" --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
bars = {"f1": 0.997, "kind_acc": 0.9999, "qualifier_acc": 0.9999, "headings_f1": 0.9999,
        "metric_char_f1": 0.79, "category_acc": 0.91}
bad = False
for k, bar in bars.items():
    ok = r[k] > bar if bar < 0.999 else r[k] >= bar
    verdict = "ok" if ok else "BELOW"
    print(f"{k:16} {r[k]:.4f}  bar {bar}  {verdict}")
    bad |= not ok
if r["docs"] != 3:
    print("expected 3 scored documents, got", r["docs"]); bad = True
sys.exit(1 if bad else 0)
'
