#!/usr/bin/env bash
# The layering rule, kept true: a file includes only from its own layer or a layer below it
#   common <- transforms <- connectors <- pipeline <- daemon <- devtools
#                        <- decoders (the decoder program's PDF/OCR code: no other layer
#                                     includes it, and reportd links none of its libraries)
# transforms/ stays pure (no metrics registry, no config, no sockets or Kafka/PostgreSQL
# clients), and the production binary exports no symbol of its own or of libc (dev-only
# interposers such as the dev-broker's bind() live in reportd-dev).
# usage: check-layers.sh [REPORTD_BIN]
set -u
cd "${REPORTD_SOURCE_DIR:-$(dirname "$0")/../..}" || exit 2
layers=(common transforms decoders connectors pipeline daemon devtools)
fail=0
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }

for dir in "${layers[@]}"; do
    own=$(rank "$dir")
    while IFS= read -r line; do
        file=${line%%:*}
        inc=$(sed -E 's/.*#include "([^/"]+)\/.*/\1/' <<<"$line")
        r=$(rank "$inc")
        [ "$r" -lt 0 ] && continue
        if [ "$r" -gt "$own" ]; then
            echo "layering: $file includes from $inc/, a layer above $dir/: ${line#*:}"
            fail=1
        fi
    done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"[^"]+/' "$dir" --include='*.[ch]' 2>/dev/null | sed -E 's/^([^:]+):[0-9]+:/\1:/')
done

# decoders/ is a side branch: only the decoder program includes it (tests and fuzzers may).
side=$(grep -rlE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"decoders/' common transforms connectors pipeline daemon devtools --include='*.[ch]' 2>/dev/null)
if [ -n "$side" ]; then
    echo "layering: only decoders/ may include decoders/, but these do: $side"
    fail=1
fi

# transforms/ is pure: these headers mean I/O, process state or a transport.
pure=$(grep -rlE '#include "common/metrics\.h"|#include <(librdkafka/|libpq-fe\.h|curl/|sys/socket\.h|microhttpd\.h)' transforms --include='*.[ch]' 2>/dev/null)
if [ -n "$pure" ]; then
    echo "layering: transforms/ must stay pure, but these use metrics or transports: $pure"
    fail=1
fi

bin=${1:-${REPORTD_BIN:-}}
if [ -n "$bin" ]; then
    exported=$(nm -D --defined-only "$bin" 2>&1 | grep -vE '^\s*$' || true)
    if [ -n "$exported" ]; then
        echo "layering: $bin exports symbols (an interposer or a copy relocation):"
        echo "$exported"
        fail=1
    fi
    heavy=$(ldd "$bin" 2>/dev/null | grep -oE 'lib(poppler|tesseract|cairo|lept)[^ ]*' | sort -u | tr '\n' ' ')
    if [ -n "$heavy" ]; then
        echo "layering: $bin links PDF/OCR libraries, which belong to reportd-decoder: $heavy"
        fail=1
    fi
    if "$bin" --help 2>&1 | grep -qE '^\s+dev-(broker|portal)\b'; then
        echo "layering: $bin still lists developer commands"
        fail=1
    fi
fi
[ $fail -eq 0 ] && echo "layering: every include points down; transforms/ is pure; ${bin:-(no binary given)} exports nothing and links no PDF/OCR library"
exit $fail
