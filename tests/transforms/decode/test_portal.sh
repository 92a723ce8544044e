#!/usr/bin/env bash
# `reportd extract --with-text` on the portal fixtures (an HTML page per seed layout, in UTF-8
# and GBK, and a .docx) and on the seeds themselves: body text without chrome, metadata.
set -euo pipefail
exec python3 "$(dirname "$0")/test_portal.py"
