#!/usr/bin/env bash
# Crawl benchmark: `reportd fetch --once` over a loopback dev-portal serving N article pages
# (default 20000) through one html_index source with politeness off (no per-host delay,
# concurrency 64, robots.txt not fetched), producing every page to a dev-broker and its
# state to PostgreSQL (both started by tests/harness/with-services). Prints pages/s and the
# fetcher's peak RSS for a first pass (every page new) and a second pass (conditional GET:
# every page answers 304).
#
#   bench/crawl/run.sh [BUILD_DIR] [PAGES]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
pages=${2:-20000}
reportd=$build/reportd
[ -x "$reportd" ] || { echo "build reportd first ($reportd)" >&2; exit 1; }

if [ -z "${REPORTD_TEST_PG:-}" ]; then
    exec "$root/tests/harness/with-services" "$reportd" bash "$0" "$build" "$pages"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/reportd-bench.XXXXXX")
portal_pid=""
cleanup() {
    [ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null && wait "$portal_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# N articles of about 1.5 KB each, cut from the first seed report.
mkdir -p "$work/site"
python3 - "$work/site" "$pages" "$root/tests/fixtures/seeds/000_aa89ab494b992dd0.txt" <<'PY'
import sys, os
d, n = sys.argv[1], int(sys.argv[2])
seed = open(sys.argv[3], encoding="utf-8").read()[:500]
for i in range(n):
    with open(os.path.join(d, "r%05d.txt" % i), "w") as f:
        f.write("某县教育局%d年工作总结（第%d号）\n\n%s\n" % (2000 + i % 25, i, seed))
PY

"$(dirname "$reportd")/reportd-dev" portal --dir "$work/site" --per-page 200 >"$work/portal.out" 2>"$work/portal.err" &
portal_pid=$!
for _ in $(seq 1 100); do [ -s "$work/portal.out" ] && break; sleep 0.1; done
base=$(head -n 1 "$work/portal.out")

cat >"$work/bench.json" <<JSON
{"kafka": {"bootstrap.servers": "$REPORTD_TEST_BROKER"},
 "postgres": {"conninfo": "$REPORTD_TEST_PG"},
 "log": {"level": "warn"},
 "fetch": {"concurrency": 64, "per_host_concurrency": 64, "per_host_delay_ms": 0,
           "respect_robots": false, "allow_private_networks": true, "max_pages": 1000},
 "sources": [{"name": "bench", "kind": "html_index", "url": "$base/jyj/index.html",
              "links": "//ul[@class='list']//a/@href", "next": "//a[@class='next']/@href"}]}
JSON
"$reportd" migrate --config "$work/bench.json" >/dev/null

run() {
    local label=$1
    /usr/bin/time -f "%e %M" -o "$work/time" "$reportd" fetch --config "$work/bench.json" --once \
        >"$work/summary" 2>"$work/fetch.err"
    read -r secs rss_kb <"$work/time"
    local docs
    docs=$(grep -o 'new=[0-9]*\|unchanged=[0-9]*' "$work/summary" | cut -d= -f2 | paste -sd+ | bc)
    printf '%-28s %s\n' "$label" "$(cat "$work/summary")"
    awk -v d="$docs" -v s="$secs" -v r="$rss_kb" -v l="$label" \
        'BEGIN { printf "%-28s %d pages in %.2f s = %.0f pages/s, peak RSS %.1f MB\n", l, d, s, d / s, r / 1024 }'
}
run "first pass (all new)"
run "second pass (all 304)"
