#!/usr/bin/env bash
# Builds the libFuzzer targets in their own CMake configuration (clang) and runs each for a
# short time on a seed corpus made of the portal fixtures and the seed reports.
#   run-fuzz.sh BUILD_DIR [SECONDS_PER_TARGET]
# Skips (77) when clang or its libFuzzer runtime is missing. Crashes leave their input in
# BUILD_DIR/artifacts/ and fail the test.
set -euo pipefail
build=${1:?usage: run-fuzz.sh BUILD_DIR [SECONDS]}
seconds=${2:-${REPORTD_FUZZ_SECONDS:-15}}
src=${REPORTD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

if ! command -v clang >/dev/null; then
    echo "skip: clang not installed" >&2
    exit 77
fi
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' |
    clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
    echo "skip: clang cannot link libFuzzer (install libclang-rt-14-dev)" >&2
    exit 77
fi

cmake -S "$src/tests/fuzz/project" -B "$build" -DCMAKE_C_COMPILER=clang \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 >/dev/null

mkdir -p "$build/artifacts"
status=0
# target and its seed folders; REPORTD_FUZZ_TARGETS narrows the list (e.g. "fuzz_config")
targets=${REPORTD_FUZZ_TARGETS:-"fuzz_html fuzz_docx fuzz_pdf fuzz_doc fuzz_messages fuzz_config fuzz_robots"}
for target in $targets; do
    corpus=$(mktemp -d "${TMPDIR:-/tmp}/reportd-$target.XXXXXX")
    case $target in
        fuzz_html) seeds="$src/tests/fixtures/portal $src/tests/fixtures/seeds" ;;
        fuzz_docx) seeds="$src/tests/fixtures/portal" ;;
        fuzz_messages) seeds="$src/tests/fuzz/seeds/messages" ;;
        fuzz_config) seeds="$src/tests/fuzz/seeds/config" ;;
        fuzz_robots) seeds="$src/tests/fuzz/seeds/robots" ;;
        *) seeds="" ;;
    esac
    # the example config documents every key: a good start (copied: a file argument would
    # make libFuzzer run it once instead of fuzzing)
    [ "$target" = fuzz_config ] && cp "$src/deploy/reportd.conf.example" "$corpus/"
    if [ "$target" = fuzz_pdf ] || [ "$target" = fuzz_doc ]; then
        # small files of the format, made here (the first byte of a PDF seed picks the
        # isolated or the in-process path of the target)
        head -8 "$src/tests/fixtures/seeds/000_aa89ab494b992dd0.txt" >"$corpus/src.txt"
        if [ "$target" = fuzz_doc ]; then
            python3 "$src/tests/transforms/pdf/make_doc.py" "$corpus/src.txt" "$corpus/seed.doc"
        elif /usr/bin/python3 -c 'import reportlab' 2>/dev/null; then
            /usr/bin/python3 "$src/tests/transforms/pdf/make_pdf.py" text "$corpus/src.txt" \
                "$corpus/p.pdf" --columns 2 --page-numbers cn
            for b in 0 1; do { printf "\\x0$b"; cat "$corpus/p.pdf"; } >"$corpus/seed$b"; done
            rm -f "$corpus/p.pdf"
        fi
        rm -f "$corpus/src.txt"
    fi
    if [ "$target" = fuzz_docx ]; then
        # an odd first byte makes the target wrap the rest as word/document.xml
        python3 - "$src/tests/fixtures/portal/004-guzhang.docx" "$corpus/document-xml" <<'PY'
import sys, zipfile
xml = zipfile.ZipFile(sys.argv[1]).read("word/document.xml")
open(sys.argv[2], "wb").write(b"\x01" + xml)
PY
    fi
    echo "== $target for ${seconds}s" >&2
    # shellcheck disable=SC2086
    if ! ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        "$build/$target" -max_total_time="$seconds" -max_len=262144 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/" \
        "$corpus" $seeds 2>"$build/$target.log" </dev/null; then
        echo "FAIL: $target found a crash; input in $build/artifacts/, log:" >&2
        tail -60 "$build/$target.log" >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/$target.log" >&2 || true
    fi
    rm -rf "$corpus"
done
exit $status
