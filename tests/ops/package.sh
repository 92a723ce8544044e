#!/usr/bin/env bash
# The Debian package, built by cpack from this build: its name, Depends (from
# dpkg-shlibdeps), conffile and maintainer scripts; lintian reports no error; unpacked into
# an empty root (dpkg -x: a chroot would need a Debian base system) the binary runs, finds
# its migrations and gazetteer under its own prefix before the source tree compiled into
# it, migrates the test PostgreSQL, and the installed unit passes `systemd-analyze verify`.
# Runs under tests/harness/with-services.
set -u
bin=${REPORTD_BIN:?}
build=$(dirname "$bin")
tmp=${REPORTD_TEST_TMP:?}
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
for t in cpack dpkg-deb dpkg-shlibdeps; do
    command -v $t >/dev/null || { echo "skip: $t is not installed"; exit 77; }
done

version=$("$bin" --version | head -n 1 | cut -d' ' -f2)
arch=$(dpkg --print-architecture)
(cd "$build" && cpack -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1)
rc=$?
deb=$tmp/pkg/reportd_${version}_${arch}.deb
check "cpack builds reportd_${version}_${arch}.deb" '[ $rc -eq 0 ] && [ -s "$deb" ]'
[ -s "$deb" ] || { tail -n 20 "$tmp/cpack.log"; exit 1; }

info=$(dpkg-deb -f "$deb")
check "Depends computed from the shared libraries" \
    'echo "$info" | grep -E "^Depends:" | grep -q "libpq5" && echo "$info" | grep -E "^Depends:" | grep -q "librdkafka1"'
check "the config is a conffile" \
    '[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles)" = /etc/reportd/reportd.conf ]'
list=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/reportd ./usr/libexec/reportd/reportd-decoder ./usr/share/reportd/sql/001_init.sql ./usr/share/reportd/data/gazetteer.tsv \
         ./usr/share/man/man1/reportd.1.gz ./usr/share/man/man5/reportd.conf.5.gz \
         ./lib/systemd/system/reportd.service ./etc/reportd/reportd.conf \
         ./usr/share/bash-completion/completions/reportd ./usr/share/doc/reportd/copyright; do
    check "the package holds $f" 'echo "$list" | grep -qxF "$f"'
done

if command -v lintian >/dev/null; then
    lint=$(lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v "running with root privileges")
    check "lintian reports no error" '! echo "$lint" | grep -q "^E:"'
    [ -n "$lint" ] && echo "$lint"
else
    echo "FAIL lintian is not installed (scripts/install-deps.sh installs it)"; fail=1
fi

# The maintainer scripts, run against stand-ins of the commands they call: postinst makes
# the system user and the state folder, tells systemd, and neither enables nor starts.
ctl=$tmp/ctl; stubs=$tmp/stubs
mkdir -p "$ctl" "$stubs"
dpkg-deb -e "$deb" "$ctl"
for c in getent addgroup adduser install chown chmod systemctl dpkg-statoverride deluser; do
    printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n[ %s = getent ] && exit 2\n[ %s = dpkg-statoverride ] && exit 1\nexit 0\n' \
        "$c" "$tmp" "$c" "$c" >"$stubs/$c"
    chmod +x "$stubs/$c"
done
: >"$tmp/calls"
PATH=$stubs:$PATH sh "$ctl/postinst" configure >/dev/null 2>&1
rc=$?
calls=$(cat "$tmp/calls")
check "postinst succeeds" '[ $rc -eq 0 ]'
check "postinst creates the system group and user reportd" \
    'echo "$calls" | grep -q "^addgroup --system .*reportd" && echo "$calls" | grep -q "^adduser --system .*reportd"'
check "postinst creates /var/lib/reportd for it" 'echo "$calls" | grep -q "^install -d -o reportd -g reportd .*/var/lib/reportd"'
check "postinst creates the credential file the unit loads" 'echo "$calls" | grep -q "^install -m 0600 /dev/null /etc/reportd/pgpassword"'
check "postinst neither enables nor starts the service" '! echo "$calls" | grep -qE "systemctl .*(enable|start)"'

# Unpacked into an empty root.
root=$tmp/root
dpkg-deb -x "$deb" "$root"
rbin=$root/usr/bin/reportd
check "the installed reportd --version runs" '"$rbin" --version | head -n 1 | grep -qx "reportd $version"'
# Markers only the installed copies have: a migration 900 and a changed region code.
cat >"$root/usr/share/reportd/sql/900_package_marker.sql" <<'SQL'
CREATE TABLE reports.package_marker (x int);
SQL
sed -i 's/^430412\t南岳区/439999\t南岳区/' "$root/usr/share/reportd/data/gazetteer.tsv"
out=$(REPORTD_POSTGRES_CONNINFO="$REPORTD_TEST_PG" "$rbin" migrate 2>&1)
rc=$?
echo "$out"
check "reportd migrate applies the installed migrations" \
    '[ $rc -eq 0 ] && echo "$out" | grep -q "schema version 900"'
check "the migrations are in the test database" \
    '[ "$(psql -X -tAc "SELECT count(*) FROM reports.package_marker" 2>/dev/null)" = 0 ]'
seed=${REPORTD_SOURCE_DIR:?}/tests/fixtures/seeds/000_aa89ab494b992dd0.txt
check "the installed gazetteer comes before the source tree's" \
    '"$rbin" extract "$seed" | grep -q "\"region_code\":\"439999\""'
# A PDF goes to the installed decoder beside the installed reportd (a minimal PDF, written
# here with its cross-reference table).
python3 - "$tmp/min.pdf" <<'PY'
import sys
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>", None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
text = b"BT /F1 14 Tf 72 760 Td (Package check: 2024 budget 15 schools) Tj ET"
objs[3] = b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream"
out, offs = bytearray(b"%PDF-1.4\n"), []
for i, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
out += b"".join(b"%010d 00000 n \n" % o for o in offs)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(sys.argv[1], "wb").write(out)
PY
pdf_out=$("$rbin" extract --with-text "$tmp/min.pdf" 2>&1)
check "the installed reportd decodes a PDF with the installed reportd-decoder" \
    'echo "$pdf_out" | grep -q "\"format\":\"pdf\"" && echo "$pdf_out" | grep -q "Package check"'
check "the man pages render" 'man -l "$root/usr/share/man/man5/reportd.conf.5.gz" 2>/dev/null | grep -q "bootstrap.servers"'

# `cmake --install` under another prefix: the same tree, /etc and the unit under the prefix,
# and that binary reads the migrations next to it.
local_root=$tmp/local
cmake --install "$build" --prefix "$local_root" >"$tmp/install.log" 2>&1
rc=$?
check "cmake --install --prefix succeeds" '[ $rc -eq 0 ]'
for f in bin/reportd libexec/reportd/reportd-decoder share/reportd/sql/001_init.sql share/reportd/data/gazetteer.tsv \
         share/man/man1/reportd.1.gz share/man/man5/reportd.conf.5.gz \
         share/bash-completion/completions/reportd lib/systemd/system/reportd.service \
         etc/reportd/reportd.conf share/doc/reportd/examples/grafana/reportd.json \
         share/doc/reportd/examples/prometheus/reportd.rules.yml; do
    check "cmake --install lays out $f" '[ -e "$local_root/$f" ]'
done
check "the binary installed under the prefix reads its own migrations" \
    '"$local_root/bin/reportd" --version | grep -q "migrations $(realpath "$local_root")/share/reportd/sql"'

if command -v systemd-analyze >/dev/null; then
    # the root holds only the package: verify also wants the targets the unit is ordered
    # after and the ExecReload= command, which a Debian system has (taken from this one)
    cp -rn /lib/systemd/system/. "$root/lib/systemd/system/"
    install -D /bin/kill "$root/bin/kill"
    out=$(systemd-analyze verify --root="$root" /lib/systemd/system/reportd.service 2>&1)
    rc=$?
    check "systemd-analyze verify passes on the installed unit" '[ $rc -eq 0 ] && [ -z "$out" ]'
    [ -n "$out" ] && echo "$out"
else
    echo "FAIL systemd-analyze is not installed"; fail=1
fi
exit $fail
