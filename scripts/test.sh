#!/usr/bin/env bash
# The whole test suite, from a clean clone on Debian 12: installs dependencies, configures,
# builds and runs every ctest test, then does it again with AddressSanitizer and
# UndefinedBehaviorSanitizer, then runs the threaded tests (ctest -L threads) under
# ThreadSanitizer. Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)

echo "== build (RelWithDebInfo)" >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
echo "== tests" >&2
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 900

echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer)" >&2
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DREPORTD_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
echo "== tests under sanitizers" >&2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 900 -LE no_sanitize

echo "== build (ThreadSanitizer)" >&2
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREPORTD_TSAN=ON >/dev/null
cmake --build build-tsan -j "$jobs"
echo "== threaded tests under ThreadSanitizer" >&2
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp
# the dev-broker is test infrastructure: the uninstrumented one of the first build
export REPORTD_TEST_BROKER_BIN=$PWD/build/reportd-dev
ctest --test-dir build-tsan --output-on-failure -j "$jobs" --timeout 900 -L threads
