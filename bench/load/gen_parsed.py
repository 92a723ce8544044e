#!/usr/bin/env python3
"""Writes reports.parsed messages ("doc_id<TAB>json" lines, the kcat -K input) whose
indicators are taken from the seed reports: every number with a unit in a seed becomes an
indicator with its sentence, cycled until each document holds --per-doc of them.

usage: gen_parsed.py --rows N [--per-doc K] [--version V] [--prefix P] SEED_DIR > out.tsv
"""
import argparse
import json
import os
import re
import sys

UNIT_RE = re.compile(r"(\d+(?:\.\d+)?)(万元|亿元|元|万|个|名|人|所|%|平方米|间|次|项|件|台)")
CATEGORY = {"元": "funding", "个": "enrollment_capacity", "名": "teachers", "人": "students",
            "所": "schools", "%": "exams", "平方米": "enrollment_capacity", "次": "other",
            "项": "other", "件": "discipline", "台": "other", "间": "schools"}
REGIONS = [("南岳区", "430412"), ("衡山县", "430423"), ("祁东县", "430426"), ("耒阳市", "430481"),
           ("常宁市", "430482"), ("衡东县", "430424")]


def seed_indicators(text):
    out = []
    for m in UNIT_RE.finditer(text):
        value = float(m.group(1))
        unit = m.group(2)
        if unit in ("万元", "万"):
            value *= 10000
            unit = "元" if unit == "万元" else "个"
        elif unit == "亿元":
            value *= 100000000
            unit = "元"
        start = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        end = text.find("。", m.end())
        sentence = text[start:end + 1 if end >= 0 else len(text)][:80]
        out.append({"start": m.start(), "end": m.end(), "raw": m.group(0), "value": value,
                    "unit": unit, "sentence": sentence})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--per-doc", type=int, default=100)
    ap.add_argument("--version", type=int, default=1)
    ap.add_argument("--prefix", default="bench")
    ap.add_argument("seed_dir")
    a = ap.parse_args()
    seeds = []
    for name in sorted(os.listdir(a.seed_dir)):
        if name.endswith(".txt"):
            with open(os.path.join(a.seed_dir, name), encoding="utf-8") as f:
                text = f.read()
            seeds.append((name, text, seed_indicators(text)))
    docs = (a.rows + a.per_doc - 1) // a.per_doc
    out = sys.stdout
    for i in range(docs):
        name, text, found = seeds[i % len(seeds)]
        region, code = REGIONS[i % len(REGIONS)]
        year = 2019 + i % 6
        n = min(a.per_doc, a.rows - i * a.per_doc)
        indicators = []
        for k in range(n):
            x = dict(found[k % len(found)])
            x["value"] = x["value"] + (k // len(found))
            x.update({"value_high": None, "qualifier": None, "metric": x["sentence"][:12],
                      "kind": "target" if k % 4 == 3 else "actual",
                      "category": CATEGORY.get(x["unit"], "other"), "section": k % 3})
            indicators.append(x)
        doc_id = "%s-%d" % (a.prefix, i)
        msg = {"source": name, "doc_id": doc_id, "url": "http://portal.test/%s.html" % doc_id,
               "title": text.split("\n", 3)[2][:60] if text.count("\n") > 2 else name,
               "published_at": "%d-05-30T12:00:00+08:00" % year, "issuer": "教育局",
               "index_no": None, "doc_no": None, "region": region, "region_code": code,
               "province": "湖南省", "city": "衡阳市", "year": year, "format": "text",
               "charset": "UTF-8", "text_chars": len(text), "replaced_chars": 0,
               "sections": [{"ord": s, "start": s * 1000, "end": s * 1000 + 999, "marker": m,
                             "depth": 1, "title": t, "part": p, "path": m + t, "parent": None}
                            for s, (m, t, p) in enumerate([("一、", "工作回顾", "review"),
                                                           ("二、", "存在问题", "problems"),
                                                           ("三、", "工作计划", "plan")])],
               "indicators": indicators, "schema": 1, "transform_version": a.version,
               "source_name": "bench", "fetched_at": "2025-06-01T00:00:00Z",
               "sha256": "%064x" % i, "raw_topic": "reports.raw", "raw_partition": 0,
               "raw_offset": i}
        out.write(doc_id + "\t" + json.dumps(msg, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
