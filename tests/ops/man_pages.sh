#!/usr/bin/env bash
# The man pages of the build (build/man): both render with `man -l` without a warning and
# have a NAME line whatis can read; reportd(1) names every command of `reportd --help` and
# every option of each command's --help; reportd.conf(5) is what the binary writes now (not
# stale) and lists every key `check-config` knows.
set -u
bin=${REPORTD_BIN:?}
man_dir=${REPORTD_MAN_DIR:-$(dirname "$bin")/man}
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
command -v man >/dev/null || { echo "skip: man (man-db) is not installed"; exit 77; }

page1=$man_dir/reportd.1 page5=$man_dir/reportd.conf.5
check "both pages were built" '[ -s "$page1" ] && [ -s "$page5" ]'
for p in "$page1" "$page5"; do
    err=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$p" 2>&1 >/dev/null)
    rc=$?
    check "man -l renders $(basename "$p") without warnings" '[ $rc -eq 0 ] && [ -z "$err" ]'
    [ -n "$err" ] && echo "$err" | head -n 5
    check "$(basename "$p") has a NAME line" 'lexgrog "$p" 2>/dev/null | grep -q "reportd"'
done

text1=$(MANWIDTH=200 man -l "$page1" 2>/dev/null)
commands=$("$bin" --help | sed -n '/^commands:/,/^$/p' | awk 'NF>1 && $1!="commands:" {print $1}')
check "reportd --help lists commands" '[ -n "$commands" ]'
for c in $commands; do
    check "reportd(1) documents command $c" 'grep -qE "^\.B $(echo "$c" | sed "s/-/\\\\\\\\-/g")\$" "$page1"'
    for o in $("$bin" "$c" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        check "reportd(1) documents $c $o" 'echo "$text1" | grep -qF -- "$o"'
    done
done
for s in "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
    check "reportd(1) has $s" 'echo "$text1" | grep -q "^$s"'
done
check "reportd(1) carries this build's version" \
    'grep -q "reportd $("$bin" --version | head -n 1 | cut -d" " -f2)" "$page1"'

check "reportd.conf(5) is current" 'cmp -s "$page5" <("$bin" check-config --man)'
text5=$(MANWIDTH=200 man -l "$page5" 2>/dev/null)
keys=$("$bin" check-config 2>/dev/null | python3 -c '
import json, sys
for s, kv in json.load(sys.stdin)["effective"].items():
    for k in kv: print(s + " " + k)')
check "check-config lists keys" '[ $(echo "$keys" | wc -l) -gt 20 ]'
while read -r s k; do
    check "reportd.conf(5) documents $s.$k" \
        'sed -n "/^\.SS $s /,/^\.S[SH] /p" "$page5" | grep -qxF ".B ${k//-/\\-}"'
done <<<"$keys"
check "reportd.conf(5) documents the source kinds" \
    'for k in html_index feed sitemap json_api dir; do echo "$text5" | grep -q "kind $k" || exit 1; done'
unset text5
exit $fail
