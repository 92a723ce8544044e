#!/usr/bin/env bash
# The command line around the commands: `reportd --version` names the transform and schema
# versions this build writes and expects; the bash completion offers every command of
# `reportd --help` and every option of each command's --help, and the values of --role
# and --topic. A PDF goes through the decoder program, and a missing one is named.
set -u
src=${REPORTD_SOURCE_DIR:?}
bin=${REPORTD_BIN:?}
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

ver=$("$bin" --version)
echo "$ver"
newest=$(ls "$src/deploy/sql" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | tail -n 1)
tv=$(sed -n 's/^#define RPT_TRANSFORM_VERSION \([0-9]*\).*/\1/p' "$src/transforms/extract.h")
check "--version: reportd and its version first" '[ "$(echo "$ver" | head -n 1)" = "reportd $(sed -n "s/^project(reportd VERSION \([0-9.]*\).*/\1/p" "$src/CMakeLists.txt")" ]'
check "--version: the transform version ($tv)" 'echo "$ver" | grep -qx "transform version $tv"'
check "--version: the schema version expected ($newest)" 'echo "$ver" | grep -q "^schema version $newest "'
check "--version: library versions" 'echo "$ver" | grep -q "^librdkafka " && echo "$ver" | grep -q "^libpq "'
ver_nosql=$(REPORTD_SQL_DIR=/nonexistent "$bin" --version)
check "--version without migrations says so" 'echo "$ver_nosql" | grep -q "^schema version unknown"'

# Completion, through bash-completion's own helpers when installed (as on an operator's
# machine), else through the fallback in the script.
comp=$src/deploy/completion/reportd.bash
complete_words() { # complete_words WORD... : the candidates for the last word
    bash -c '
        [ -r /usr/share/bash-completion/bash_completion ] && . /usr/share/bash-completion/bash_completion
        . "$0"
        COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _reportd reportd "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' "$comp" "$@"
}
check "the completion script loads and registers" \
    'bash -c ". \"$comp\"; complete -p reportd" | grep -q "_reportd reportd"'
commands=$("$bin" --help | sed -n '/^commands:/,/^$/p' | awk 'NF>1 && $1!="commands:" {print $1}')
got=$(complete_words reportd "")
for c in $commands; do
    check "completes command $c" 'echo "$got" | grep -qx "$c"'
    opts=$(complete_words reportd "$c" --)
    for o in $("$bin" "$c" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        check "completes $c $o" 'echo "$opts" | grep -qx -- "$o"'
    done
done
check "completes a command prefix" '[ "$(complete_words reportd ch)" = check-config ]'
check "completes --role values" '[ "$(complete_words reportd run --role tr)" = transform ]'
check "completes a further role after a comma" \
    '[ "$(complete_words reportd run --role fetch, | sort | tr "\n" " ")" = "fetch,load fetch,transform " ]'
check "completes --topic values" \
    '[ "$(complete_words reportd replay --topic reports. | sort | tr "\n" " ")" = "reports.parsed reports.raw " ]'
check "completes files after --config" \
    '(cd "$src/deploy" && complete_words reportd run --config reportd.conf.ex) | grep -qx reportd.conf.example'

# The decoder program: a PDF goes through it (reportd-decoder beside reportd), and a
# transform role whose decoder cannot be executed says so when it starts, not at the first PDF.
tmpd=$(mktemp -d)
printf '%%PDF-1.4\n%%%%EOF\n' >"$tmpd/broken.pdf"
pdf_out=$("$bin" extract "$tmpd/broken.pdf" 2>/dev/null)
check "a PDF is decoded by reportd-decoder (a broken one is a reason, not a crash)" \
    'echo "$pdf_out" | grep -q "\"error\":\"malformed PDF"'
printf '{"transform": {"decoder": "%s/none"}, "http": {"listen": ""}}\n' "$tmpd" >"$tmpd/c.json"
REPORTD_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 timeout 3 "$bin" run --role transform --config "$tmpd/c.json" \
    >"$tmpd/run.log" 2>&1
check "a missing decoder is named when the transform role starts" \
    'grep -q "decoder program not executable.*decoder=$tmpd/none" "$tmpd/run.log"'
pdf_out=$(REPORTD_TRANSFORM_DECODER=$tmpd/none "$bin" extract "$tmpd/broken.pdf" 2>/dev/null)
check "... and a PDF then gets that reason" \
    'echo "$pdf_out" | grep -q "cannot execute the decoder $tmpd/none: No such file or directory"'
rm -rf "$tmpd"
exit $fail
