#!/usr/bin/env bash
# Quick start on the embedded defaults: installs dependencies, builds, and runs the
# extractor over the sample reports. (The full pipeline quick start replaces this.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)"
build/reportd extract tests/fixtures/seeds/*.txt
