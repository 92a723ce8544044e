#!/usr/bin/env bash
# Bad input through `reportd extract`: each gets a clear error or a best-effort text, the
# command goes on with the next input, and nothing crashes, hangs or grows without bound.
set -euo pipefail
exec python3 "$(dirname "$0")/test_bad_input.py"
