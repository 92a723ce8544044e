#!/usr/bin/env bash
# reportd extract URL: the page is fetched through the fetcher (SSRF guard included) and
# extracted like a file; a GBK page decodes.
set -euo pipefail
bin=${REPORTD_BIN:?}
src=${REPORTD_SOURCE_DIR:?}
work=$(mktemp -d "${TMPDIR:-/tmp}/reportd-extract-url.XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
cp "$src/tests/fixtures/seeds/001_0d3905432a1c49d2.txt" "$work/"
"$(dirname "$bin")/reportd-dev" portal --dir "$work" >"$work/portal.out" 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do [ -s "$work/portal.out" ] && break; sleep 0.1; done
base=$(head -n 1 "$work/portal.out")
url="$base/jyj/art/001_0d3905432a1c49d2.gbk.html"
fail=0

# the guard refuses loopback by default
if out=$(env -u REPORTD_CONFIG "$bin" extract "$url"); then fail=1; fi
grep -q '"error":".*refused address 127.0.0.1' <<<"$out" || { echo "guard: $out"; fail=1; }

out=$(REPORTD_FETCH_ALLOW_PRIVATE_NETWORKS=true "$bin" extract "$url")
grep -q '"title":"芙蓉区教育局2017年工作总结与2018年工作计划"' <<<"$out" || { echo "title: $out" | head -c 500; fail=1; }
grep -q "\"url\":\"$url\"" <<<"$out" || { echo "url missing"; fail=1; }

if out=$(REPORTD_FETCH_ALLOW_PRIVATE_NETWORKS=true "$bin" extract "$base/bad/status/404"); then fail=1; fi
grep -q 'http 404' <<<"$out" || { echo "404: $out"; fail=1; }
exit $fail
