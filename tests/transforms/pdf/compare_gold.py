#!/usr/bin/env python3
"""Compares the indicators (value and unit) found in a PDF rendering of a seed with the gold
and with those found in the seed's text version.

  compare_gold.py GOLD.jsonl TEXT.json PDF.json [NAME]

Offsets differ between the two texts (the PDF text has no breadcrumb spacing, joined lines),
so indicators are compared as multisets of (value, unit): recall = gold pairs found,
precision = found pairs in the gold. Fails when the PDF's recall or precision is lower than
the text version's by more than 0.5 %."""
import collections, json, sys

def pairs(items):
    c = collections.Counter()
    for x in items:
        v = x.get("value")
        c[(None if v is None else round(float(v), 9), x.get("unit") or "")] += 1
    return c

gold = pairs(json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip())
name = sys.argv[4] if len(sys.argv) > 4 else "pdf"
res = {}
for label, path in (("text", sys.argv[2]), (name, sys.argv[3])):
    doc = json.load(open(path, encoding="utf-8"))
    if "error" in doc:
        print(f"{label}: error {doc['error']}"); sys.exit(1)
    got = pairs(doc["indicators"])
    hit = sum((got & gold).values())
    r, p = hit / max(1, sum(gold.values())), hit / max(1, sum(got.values()))
    res[label] = (r, p)
    print(f"{label:10} gold {sum(gold.values())}  found {sum(got.values())}  matched {hit}  "
          f"recall {r:.4f}  precision {p:.4f}")
(tr, tp), (pr, pp) = res["text"], res[name]
ok = pr >= tr - 0.005 and pp >= tp - 0.005
print(f"{name}: {'as well as the text version' if ok else 'WORSE than the text version'}")
sys.exit(0 if ok else 1)
