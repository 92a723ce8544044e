#!/usr/bin/env bash
# reports.raw benchmark: producer compression codecs (bytes on the wire, CPU to produce and
# to consume) for the current and the previous record format, and the transform stage's
# throughput over each format. In-process mock cluster, no services needed.
#
# usage: bench/kafka/run.sh [BUILD_DIR] [ROUNDS]      (defaults: build, 20)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
rounds=${2:-20}
shared=${REPORTD_SHARED_DIR:-$root/../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deps="rdkafka libpq libcurl yajl libxml-2.0 libpcre2-8 libmicrohttpd libsystemd libzip libcrypto"
libs=""
for l in pipeline connectors transforms common; do libs="$libs $build/libreportd_$l.a"; done
cc -std=c11 -O2 -D_GNU_SOURCE -I"$root" $(pkg-config --cflags $deps) -o "$work/raw_topic" \
    "$here/raw_topic.c" $libs $(pkg-config --libs $deps) -lm -ldl -lpthread
# the bodies reports.raw carries: seed and corpus reports (text), portal pages (HTML, GBK and
# UTF-8) and a .docx
files=("$shared"/fixtures/seeds/* "$shared"/corpus/gov-work-reports/*.txt \
       "$root"/tests/fixtures/portal/*.html "$root"/tests/fixtures/portal/*.docx)
echo "documents: ${#files[@]} files x $rounds rounds, $(cat "${files[@]}" | wc -c) bytes per round"
taskset -c 0 "$work/raw_topic" codecs "$rounds" "${files[@]}"
for f in json headers; do
    REPORTD_DATA_DIR="$root/data" taskset -c 0 "$work/raw_topic" transform "$f" "$rounds" "${files[@]}"
done
