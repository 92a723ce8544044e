#!/usr/bin/env bash
# Document placement on every report of ../shared: region, region_code, province, city, level,
# the reviewed year, the plan year and doc_type of the 16 government work reports of
# corpus/gov-work-reports and the 5 seeds, and the title of the 16 reports, each checked
# against what its text says.
# Skips (77) when the shared material or python3 is absent.
set -euo pipefail
shared=${REPORTD_SHARED_DIR:-}
bin=${REPORTD_BIN:?REPORTD_BIN is not set}
if [ -z "$shared" ] || [ ! -d "$shared/corpus/gov-work-reports" ] || [ ! -d "$shared/fixtures/seeds" ] ||
    [ ! -x "$(command -v python3 || true)" ]; then
    echo "skip: shared corpus or python3 absent" >&2
    exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin" extract "$shared"/corpus/gov-work-reports/*.txt "$shared"/fixtures/seeds/*.txt >"$out"
exec python3 - "$out" <<'PY'
import json, os, sys

H = ("海拉尔区", "150702", "内蒙古自治区", "呼伦贝尔市", "county")
GWR = "government_work_report"
# file -> region, code, province, city, level, year (reviewed), plan_year, doc_type
want = {
    **{f"hailar_district_gwr_{y}.txt": H + (y - 1, y, GWR) for y in range(2012, 2020)},
    "national_gwr_2024.txt": ("全国", "100000", None, None, "national", 2023, 2024, GWR),
    "national_gwr_2025.txt": ("全国", "100000", None, None, "national", 2024, 2025, GWR),
    "province_gansu_gwr_2026.txt": ("甘肃省", "620000", "甘肃省", None, "province", 2025, 2026, GWR),
    "province_hebei_gwr_2026.txt": ("河北省", "130000", "河北省", None, "province", 2025, 2026, GWR),
    "province_henan_gwr_2026.txt": ("河南省", "410000", "河南省", None, "province", 2025, 2026, GWR),
    "province_jilin_gwr_2026.txt": ("吉林省", "220000", "吉林省", None, "province", 2025, 2026, GWR),
    "province_qinghai_gwr_2026.txt": ("青海省", "630000", "青海省", None, "province", 2025, 2026, GWR),
    "province_xizang_gwr_2026.txt": ("西藏自治区", "540000", "西藏自治区", None, "province", 2025, 2026, GWR),
    "000": ("南岳区", "430412", "湖南省", "衡阳市", "county", 2024, 2025, "summary_and_plan"),
    "001": ("芙蓉区", "430102", "湖南省", "长沙市", "county", 2017, 2018, "summary_and_plan"),
    # a half-year summary whose plan part is for the rest of the same year
    "002": ("芷江侗族自治县", "431228", "湖南省", "怀化市", "county", 2023, 2023, "half_year_summary"),
    # the title names only "区教育局"; the body names 临平区 (and 临平 alone) throughout
    "003": ("临平区", "330113", "浙江省", "杭州市", "county", 2024, 2025, "summary_and_plan"),
    "004": ("古丈县", "433126", "湖南省", "湘西土家族苗族自治州", "county", 2024, 2025, "summary_and_plan"),
}
# the title each report's first lines give: the 海拉尔区 reports set theirs with blanks between
# the characters ("政 府 工 作 报 告"); those of 2017 and national 2025 start without one
GWR_T = "政府工作报告"
titles = {
    **{f"hailar_district_gwr_{y}.txt": GWR_T for y in range(2012, 2020) if y != 2017},
    "hailar_district_gwr_2017.txt": None,
    "national_gwr_2024.txt": GWR_T,
    "national_gwr_2025.txt": None,
    "province_qinghai_gwr_2026.txt": GWR_T,
    **{f"province_{p}_gwr_2026.txt": f"2026年{n}政府工作报告"
       for p, n in (("gansu", "甘肃省"), ("hebei", "河北省"), ("henan", "河南省"),
                    ("jilin", "吉林省"), ("xizang", "西藏自治区"))},
}
fields = ("region", "region_code", "province", "city", "level", "year", "plan_year", "doc_type")
seen, bad = set(), 0
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    name = os.path.basename(d["source"])
    key = name if name in want else name[:3]
    if key not in want:
        continue
    seen.add(key)
    got = tuple(d.get(f) for f in fields)
    for f, g, w in zip(fields, got, want[key]):
        if g != w:
            print(f"FAIL {name}: {f} = {g!r}, expected {w!r}")
            bad += 1
    if name in titles and d.get("title") != titles[name]:
        print(f"FAIL {name}: title = {d.get('title')!r}, expected {titles[name]!r}")
        bad += 1
missing = set(want) - seen
for m in sorted(missing):
    print(f"FAIL {m}: not extracted")
total = len(seen) * len(fields) + len(seen & set(titles))
print(f"{len(seen)} documents, {total - bad} of {total} fields right")
sys.exit(1 if bad or missing else 0)
PY
