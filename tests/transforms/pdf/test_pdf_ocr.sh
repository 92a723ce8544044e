#!/usr/bin/env bash
# Scanned PDFs: a three-page image-only PDF drawn here from seed 000 with Zen Hei (no text
# layer) is OCR'd by `reportd extract`: ocr is true with a confidence, and the text holds at
# least 95 % of the source's characters in order (difflib's matching blocks over the texts
# without whitespace, divided by the source's length). Then the [transform] bounds: OCR off
# or a one-page bound each give what they promise, and a memory limit too small for the
# decoding child is a reject with the reason while the next input is extracted.
set -euo pipefail
src=${REPORTD_SOURCE_DIR:?}
bin=${REPORTD_BIN:?}
py=/usr/bin/python3
if ! "$py" -c 'import reportlab, PIL' 2>/dev/null || [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then
    echo "skip: python3-reportlab, python3-pil or fonts-wqy-zenhei not installed" >&2
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seed="$src/tests/fixtures/seeds/000_aa89ab494b992dd0.txt"
mk="$py $src/tests/transforms/pdf/make_pdf.py"
$mk scan "$seed" "$tmp/scan.pdf" --pages 3 --dpi 200
$mk text "$seed" "$tmp/text.pdf"
fail=0
start=$(date +%s.%N)
"$bin" extract --with-text "$tmp/scan.pdf" >"$tmp/scan.json"
end=$(date +%s.%N)
python3 - "$tmp/scan.json" "$tmp/scan.pdf.txt" "$start" "$end" <<'PY' || fail=1
import difflib, json, re, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
if "error" in doc:
    print("scan rejected:", doc["error"]); sys.exit(1)
src = re.sub(r"\s+", "", open(sys.argv[2], encoding="utf-8").read())
got = re.sub(r"\s+", "", doc["text"])
sm = difflib.SequenceMatcher(None, src, got, autojunk=False)
same = sum(b.size for b in sm.get_matching_blocks())
agree = same / len(src)
secs = float(sys.argv[4]) - float(sys.argv[3])
print(f"OCR of 3 pages: {len(src)} source characters, {len(got)} read, {same} the same in order: "
      f"{agree:.2%} agreement; ocr={doc['ocr']} confidence={doc['ocr_confidence']}; "
      f"{secs:.1f} s ({3 / secs:.3f} pages/s); {len(doc['indicators'])} indicators")
bad = []
if agree < 0.95: bad.append("agreement below 95 %")
if doc["ocr"] is not True or not (doc["ocr_confidence"] or 0) > 50: bad.append("ocr/ocr_confidence")
if doc["format"] != "pdf": bad.append("format")
if not doc["indicators"]: bad.append("no indicators")
sys.exit(1 if bad else 0)
PY

# OCR off: a scan is rejected with the reason; a text PDF is not affected.
printf '{ "transform": { "ocr": false } }\n' >"$tmp/off.json"
set +e
REPORTD_CONFIG="$tmp/off.json" "$bin" extract "$tmp/scan.pdf" "$tmp/text.pdf" >"$tmp/off.out"
# one page at most: the first page only
printf '{ "transform": { "ocr_max_pages": 1 } }\n' >"$tmp/one.json"
REPORTD_CONFIG="$tmp/one.json" "$bin" extract --with-text "$tmp/scan.pdf" >"$tmp/one.out"
# a child without room for Tesseract: a reject with the reason, then the next input
printf '{ "transform": { "isolate_memory_mb": 64 } }\n' >"$tmp/small.json"
REPORTD_CONFIG="$tmp/small.json" "$bin" extract "$tmp/scan.pdf" "$tmp/text.pdf" >"$tmp/small.out"
set -e
python3 - "$tmp/off.out" "$tmp/one.out" "$tmp/small.out" "$tmp/scan.json" <<'PY' || fail=1
import json, sys
off, one, small = ([json.loads(l) for l in open(p, encoding="utf-8")] for p in sys.argv[1:4])
full = json.load(open(sys.argv[4], encoding="utf-8"))
bad = []
if "OCR is off" not in off[0].get("error", ""): bad.append(f"ocr off: {off[0]}")
if "error" in off[1]: bad.append("text PDF failed with OCR off")
if "error" in one[0] or not one[0]["ocr"] or not (0 < one[0]["text_chars"] < full["text_chars"] * 0.5):
    bad.append(f"ocr_max_pages=1: {one[0].get('error') or one[0]['text_chars']} chars")
print("ocr off:", off[0].get("error"))
print("ocr_max_pages=1:", one[0].get("text_chars"), "of", full["text_chars"], "characters")
print("64 MiB child:", small[0].get("error"), "| next input:", "ok" if "error" not in small[1] else small[1]["error"])
import os
if os.environ.get("ASAN_OPTIONS") is None:  # no address-space limit under AddressSanitizer
    if "error" not in small[0]: bad.append("64 MiB child was not rejected")
if "error" in small[1]: bad.append("the input after the rejected one failed")
print("bounds:", "ok" if not bad else "FAIL: " + "; ".join(bad))
sys.exit(1 if bad else 0)
PY
exit $fail
