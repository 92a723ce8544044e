#!/usr/bin/env bash
# Legacy Word .doc through `reportd extract`: files written by make_doc.py (UTF-16 and
# compressed 8-bit pieces, the table stream in the mini stream, a field whose instruction
# must go, a table row, a footnote past the main text) and, when LibreOffice is installed,
# seed 000 saved by LibreOffice as "MS Word 97": its indicators (value and unit) must match
# the gold as well as the text version's. Encrypted, Word 95, truncated and garbage files
# are each a clear reject while the process goes on to the next input.
set -euo pipefail
src=${REPORTD_SOURCE_DIR:?}
bin=${REPORTD_BIN:?}
shared=${REPORTD_SHARED_DIR:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seed="$src/tests/fixtures/seeds/000_aa89ab494b992dd0.txt"
mk="python3 $src/tests/transforms/pdf/make_doc.py"
fail=0
head -12 "$seed" >"$tmp/part.txt"
printf 'GDP grew 5.2 percent in 2024\n' >>"$tmp/part.txt"
$mk "$tmp/part.txt" "$tmp/part.doc"
$mk "$tmp/part.txt" "$tmp/bad-encrypted.doc" --encrypted
$mk "$tmp/part.txt" "$tmp/bad-word95.doc" --word95
head -c 3000 "$tmp/part.doc" >"$tmp/bad-truncated.doc"
{ printf '\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1'; head -c 4000 /dev/urandom; } >"$tmp/bad-garbage.doc"
set +e
"$bin" extract --with-text "$tmp/part.doc" "$tmp"/bad-{encrypted,word95,truncated,garbage}.doc \
    "$tmp/part.doc" >"$tmp/out.json"
set -e
python3 - "$tmp/out.json" "$tmp/part.txt" <<'PY' || fail=1
import json, re, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
paras = [l.strip() for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
bad = []
d = rows[0]
if "error" in d:
    print("part.doc rejected:", d["error"]); sys.exit(1)
lines = d["text"].split("\n")
if d["format"] != "doc": bad.append("format " + d["format"])
missing = [p[:20] for p in paras if p not in lines]
if missing: bad.append(f"paragraphs missing: {missing}")
if "第1页" not in lines: bad.append("field result missing")
if "PAGE" in d["text"] or "MERGEFORMAT" in d["text"]: bad.append("field instruction kept")
if "地区生产总值\t增长5.2%" not in lines: bad.append("table row not one tab-separated line")
if "脚注" in d["text"]: bad.append("text past the main document read")
if not any(x["raw"].startswith("5.2") for x in d["indicators"]): bad.append("5.2% not found")
for x in d["indicators"]:
    if d["text"][x["start"]:x["end"]] != x["raw"]: bad.append("offsets"); break
expect = {"encrypted": "encrypted .doc", "word95": "Word 6/95", "truncated": "malformed .doc",
          "garbage": "malformed .doc|not a Word .doc"}
for r in rows[1:5]:
    kind = re.search(r"bad-(\w+)\.doc", r["source"]).group(1)
    print(f"  {kind:10} -> {r.get('error') or 'NOT REJECTED'}")
    if not re.search(expect[kind], r.get("error") or ""): bad.append(f"{kind}: {r.get('error')}")
if len(rows) != 6 or "error" in rows[5]: bad.append("the .doc after the bad ones failed")
print(f"make_doc.py .doc: {len(paras)} paragraphs, {len(d['indicators'])} indicators:",
      "ok" if not bad else "FAIL: " + "; ".join(bad))
sys.exit(1 if bad else 0)
PY

if command -v soffice >/dev/null; then
    cp "$seed" "$tmp/seed000.txt"
    soffice -env:UserInstallation="file://$tmp/lo-profile" --headless \
        --convert-to 'doc:MS Word 97' --outdir "$tmp" "$tmp/seed000.txt" >/dev/null 2>&1
    "$bin" extract "$seed" >"$tmp/text.json"
    "$bin" extract "$tmp/seed000.doc" >"$tmp/lo.json"
    if [ -n "$shared" ] && [ -f "$shared/gold/000.jsonl" ]; then
        python3 "$src/tests/transforms/pdf/compare_gold.py" "$shared/gold/000.jsonl" \
            "$tmp/text.json" "$tmp/lo.json" "libreoffice.doc" || fail=1
    else
        python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(1 if "error" in d or not d["indicators"] else 0)' \
            "$tmp/lo.json" || fail=1
    fi
else
    echo "(LibreOffice not installed: the .doc it writes is not checked)"
fi
exit $fail
