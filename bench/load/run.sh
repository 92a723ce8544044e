#!/usr/bin/env bash
# Loader benchmark: 1,000,000 indicator rows generated from the seed reports go through
# reports.parsed into PostgreSQL with the load stage (`reportd replay --topic
# reports.parsed`, the same loop and sink as the load role), then the same rows are loaded
# again with psql \copy into the same (emptied) tables; prints rows/s of both and the
# ratio. Then measures fetch -> queryable latency of single new documents through
# `reportd run --role transform,load`.
#
# usage: bench/load/run.sh [BUILD_DIR]   (default: build)   env: ROWS, LATENCY_DOCS
# Runs under tests/harness/with-services (throw-away PostgreSQL and dev-broker).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
reportd=$(cd "$build" && pwd)/reportd
[ -x "$reportd" ] || { echo "run.sh: no reportd in $build (build first)" >&2; exit 2; }
# the dev-broker keeps ~5 MB per partition: spread the ~390 MB of messages thinly
export REPORTD_TEST_PARTITIONS=${REPORTD_TEST_PARTITIONS:-256}
export ROWS=${ROWS:-1000000} LATENCY_DOCS=${LATENCY_DOCS:-50}
exec "$root/tests/harness/with-services" "$reportd" \
    env REPORTD_BIN="$reportd" BENCH_DIR="$here" SEEDS="$root/tests/fixtures/seeds" \
    bash "$here/bench.sh"
