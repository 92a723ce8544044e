#!/usr/bin/env bash
# Pages per second of `reportd extract` on PDFs: text PDFs (the five seed reports, one and
# two columns, made with reportlab) through the decoder child with and without its limits, and a
# three-page scan (image-only, 200 dpi) read by OCR at the default 300 dpi.
#   bench/pdf/run.sh BUILD_DIR [RUNS]
# Prints wall-clock and CPU (this process and its children) pages/s for each, best of RUNS.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [RUNS]}
runs=${2:-3}
src=$(cd "$(dirname "$0")/../.." && pwd)
bin="$build/reportd"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mk="/usr/bin/python3 $src/tests/transforms/pdf/make_pdf.py"
for s in "$src"/tests/fixtures/seeds/*.txt ../shared/fixtures/seeds/*.txt; do
    [ -f "$s" ] || continue
    n=$(basename "$s" .txt)
    [ -f "$tmp/$n.pdf" ] && continue
    $mk text "$s" "$tmp/$n.pdf" --page-numbers dash --header "人民政府文件"
    $mk text "$s" "$tmp/$n-2col.pdf" --columns 2 --page-numbers cn
done
$mk scan "$src/tests/fixtures/seeds/000_aa89ab494b992dd0.txt" "$tmp/scan.pdf" --pages 3 --dpi 200
printf '{ "transform": { "isolate": false } }\n' >"$tmp/nolimits.json"
python3 - "$bin" "$tmp" "$runs" <<'PY'
import glob, os, re, resource, subprocess, sys, time
bin, tmp, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def pages(p):
    return len(re.findall(rb"/Type /Page\b", open(p, "rb").read()))
def bench(label, files, env=None):
    n = sum(pages(f) for f in files)
    best = None
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.monotonic()
        out = subprocess.run([bin, "extract", *files], capture_output=True, env=env).stdout
        t = time.monotonic() - t0; r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        errs = out.count(b'"error"')
        if best is None or t < best[0]: best = (t, cpu, errs)
    t, cpu, errs = best
    print(f"{label:44} {len(files):3} files {n:4} pages  {n / t:8.2f} pages/s wall  "
          f"{n / cpu:8.2f} pages/s CPU  ({t:.2f} s, {cpu:.2f} s CPU, {errs} rejected)")
text = sorted(f for f in glob.glob(tmp + "/*.pdf") if "scan" not in f)
bench("text PDFs, decoder child with limits (default)", text)
bench("text PDFs, decoder child, no limits (isolate=false)", text,
      dict(os.environ, REPORTD_CONFIG=tmp + "/nolimits.json"))
bench("scan, OCR chi_sim at 300 dpi", [tmp + "/scan.pdf"])
PY
