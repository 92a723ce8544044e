#!/usr/bin/env bash
# Text PDFs through `reportd extract`, on fixtures made here from seed 000 with reportlab:
# one column with a running header and "- N -" page numbers, two columns with
# "第N页 共M页", and the Adobe-GB1 font STSong-Light (not embedded, no ToUnicode map).
# Each must give back the seed's paragraphs as whole lines (wrapped lines joined, headers and
# page numbers gone) and the gold indicators (value and unit) as well as the text version.
# Then the PDF's Title and CreationDate as fallback metadata, and bad PDFs (malformed,
# truncated, encrypted, oversized page, many pages, inflation bomb): each a clear reject
# while the same process goes on to the next input.
set -euo pipefail
src=${REPORTD_SOURCE_DIR:?}
bin=${REPORTD_BIN:?}
py=/usr/bin/python3
shared=${REPORTD_SHARED_DIR:-}
if ! "$py" -c 'import reportlab, PIL' 2>/dev/null || [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then
    echo "skip: python3-reportlab, python3-pil or fonts-wqy-zenhei not installed" >&2
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seed="$src/tests/fixtures/seeds/000_aa89ab494b992dd0.txt"
mk="$py $src/tests/transforms/pdf/make_pdf.py"
$mk text "$seed" "$tmp/one.pdf" --header "南岳区教育局文件" --page-numbers dash
$mk text "$seed" "$tmp/two.pdf" --columns 2 --page-numbers cn
$mk text "$seed" "$tmp/cid.pdf" --font cid --page-numbers cn --header "南岳区教育局"
"$bin" extract "$seed" >"$tmp/text.json"
fail=0
for name in one two cid; do
    "$bin" extract --with-text "$tmp/$name.pdf" >"$tmp/$name.json"
    python3 - "$seed" "$tmp/$name.json" "$name" <<'PY' || fail=1
import json, re, sys
seed, out, name = sys.argv[1:]
doc = json.load(open(out, encoding="utf-8"))
if "error" in doc:
    print(f"{name}: rejected: {doc['error']}"); sys.exit(1)
bad = []
if doc["format"] != "pdf": bad.append(f"format {doc['format']}")
text = doc["text"]
lines = {re.sub(r"\s+", "", l) for l in text.split("\n")}
paras = [re.sub(r"\s+", "", l) for l in open(seed, encoding="utf-8") if l.strip()]
whole = sum(p in lines for p in paras)
if whole < len(paras):
    missing = [p[:30] for p in paras if p not in lines]
    bad.append(f"{len(paras) - whole} of {len(paras)} paragraphs not found as whole lines: {missing[:3]}")
for junk in ("南岳区教育局文件", "- 1 -", "- 2 -", "第1页", "共5页"):
    if junk in text: bad.append(f"running text left: {junk!r}")
if doc["text_chars"] != len(text): bad.append("text_chars does not count the text")
for x in doc["indicators"]:  # offsets point into the extracted text
    if text[x["start"]:x["end"]] != x["raw"]:
        bad.append(f"offsets of {x['raw']!r} point at {text[x['start']:x['end']]!r}"); break
if doc.get("ocr") is not False or doc.get("ocr_confidence") is not None: bad.append("ocr set")
print(f"{name}: {whole}/{len(paras)} paragraphs whole, {len(doc['indicators'])} indicators, "
      f"{len(doc['sections'])} sections" + ("" if not bad else "; FAIL: " + "; ".join(bad)))
sys.exit(1 if bad else 0)
PY
    if [ -n "$shared" ] && [ -f "$shared/gold/000.jsonl" ]; then
        python3 "$src/tests/transforms/pdf/compare_gold.py" "$shared/gold/000.jsonl" \
            "$tmp/text.json" "$tmp/$name.json" "$name.pdf" || fail=1
    else
        echo "(no shared gold: indicators compared with the text version only)"
        python3 - "$tmp/text.json" "$tmp/$name.json" <<'PY' || fail=1
import json, sys, collections
a, b = (json.load(open(p)) for p in sys.argv[1:])
pa = collections.Counter((x["value"], x["unit"]) for x in a["indicators"])
pb = collections.Counter((x["value"], x["unit"]) for x in b["indicators"])
sys.exit(0 if pa == pb else 1)
PY
    fi
done

# The file's Title and CreationDate when the body has neither a title line nor a date.
grep -E '^[(（][一二三][)）]' "$seed" | head -3 >"$tmp/body.txt"
$mk text "$tmp/body.txt" "$tmp/meta.pdf" --title "Microsoft Word - 南岳区教育局2024年工作总结.doc" --date 20250301093000+08\'00\'
"$bin" extract "$tmp/meta.pdf" >"$tmp/meta.json"
python3 - "$tmp/meta.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
ok = d.get("title") == "南岳区教育局2024年工作总结" and (d.get("published_at") or "").startswith("2025-03-01T09:30:00")
print(f"metadata: title={d.get('title')!r} published_at={d.get('published_at')!r}", "ok" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY

# Bad PDFs: each a clear reject, the process goes on (the good PDF last is extracted).
for kind in malformed truncated encrypted oversized pages bomb; do
    $mk bad "$kind" "$tmp/bad-$kind.pdf"
done
cat >"$tmp/limits.json" <<'JSON'
{ "transform": { "isolate_cpu_s": 10, "isolate_wall_s": 40, "isolate_memory_mb": 1024, "ocr_max_seconds": 10 } }
JSON
set +e
REPORTD_CONFIG="$tmp/limits.json" "$bin" extract "$tmp"/bad-{malformed,truncated,encrypted,oversized,pages,bomb}.pdf \
    "$tmp/one.pdf" >"$tmp/bad.json" 2>"$tmp/bad.err"
rc=$?
set -e
python3 - "$tmp/bad.json" "$rc" <<'PY' || fail=1
import json, re, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
expect = {"malformed": r"malformed PDF|no text found", "truncated": r"malformed PDF|no text found",
          "encrypted": r"encrypted PDF", "oversized": r"too large to OCR",
          "pages": r"larger than the limit of \d+ pages", "bomb": r"no text found|limit|timed out"}
bad = []
if len(rows) != 7: bad.append(f"{len(rows)} results for 7 inputs")
for r in rows[:6]:
    kind = re.search(r"bad-(\w+)\.pdf", r["source"]).group(1)
    err = r.get("error") or ""
    print(f"  {kind:10} -> {err or 'NOT REJECTED'}")
    if not re.search(expect[kind], err): bad.append(f"{kind}: {err!r}")
if len(rows) == 7 and "error" in rows[6]: bad.append("the good PDF after them failed: " + rows[6]["error"])
if sys.argv[2] != "1": bad.append(f"exit status {sys.argv[2]}, expected 1")
print("bad PDFs:", "ok" if not bad else "FAIL: " + "; ".join(bad))
sys.exit(1 if bad else 0)
PY
exit $fail
