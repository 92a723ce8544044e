#!/usr/bin/env bash
# Quick start: the whole pipeline on this machine, on the sample reports.
#
#   scripts/quickstart.sh          install dependencies, build, start the services, load the
#                                  sample reports and show what landed (idempotent)
#   scripts/quickstart.sh status   what is running
#   scripts/quickstart.sh stop     stop every service this script started
#   scripts/quickstart.sh purge    stop, then delete .run/ and the PostgreSQL data
#
# It starts, all on 127.0.0.1 and all kept in ./.run/:
#   PostgreSQL          (initdb + pg_ctl; as the postgres user when run as root, its data
#                        directory and server log then in a folder that user owns,
#                        /var/lib/postgresql/reportd-quickstart-<hash of this folder>/, so
#                        the checkout may live anywhere, /root included)
#   reportd-dev broker  (embedded Kafka)
#   reportd-dev portal  (a county portal serving ./.run/portal: the sample reports of
#                        tests/fixtures/seeds and the two demo reports of tests/fixtures/demo;
#                        drop more reports there and they get loaded)
#   reportd run         (fetch, transform and load roles; /metrics on 127.0.0.1:19464)
# then waits until every sample report is in reports.indicator_facts, prints a summary and
# the connection string for BI tools, and leaves the services running.
# Ports can be changed with REPORTD_QS_PGPORT, REPORTD_QS_BROKER_PORT,
# REPORTD_QS_PORTAL_PORT and REPORTD_QS_HTTP_PORT; the build folder with REPORTD_BUILD_DIR.
# REPORTD_QS_PREBUILT=1 uses the binaries already in the build folder (no cmake run).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
run=$root/.run
build=${REPORTD_BUILD_DIR:-$root/build}
pgport=${REPORTD_QS_PGPORT:-54329}
broker_port=${REPORTD_QS_BROKER_PORT:-19092}
portal_port=${REPORTD_QS_PORTAL_PORT:-18080}
http_port=${REPORTD_QS_HTTP_PORT:-19464}
reportd=$build/reportd

log() { echo "quickstart: $*" >&2; }
die() { log "$*"; exit 1; }

# Runs a command as the postgres user when we are root, from a folder that user can enter
# (the checkout may be one it cannot: /root is 0700).
as_pg() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_bin() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    return 1
}

# Everything the PostgreSQL server reads or writes (data directory, server log, socket) lives
# in one folder the user running the server owns: as root, a folder of the postgres user in
# its home, named after this checkout; otherwise .run/pg. Checkouts under /root (mode 0700)
# work because the postgres user never needs to enter the checkout.
pg_home() {
    if [ "$(id -u)" = 0 ]; then
        echo "/var/lib/postgresql/reportd-quickstart-$(echo "$root" | md5sum | cut -c1-8)"
    else
        echo "$run/pg"
    fi
}
# (a data directory made by an earlier version of this script sits in pg_home itself)
pg_data_dir() {
    if [ -f "$(pg_home)/PG_VERSION" ]; then echo "$(pg_home)"; else echo "$(pg_home)/data"; fi
}
pg_log() { echo "$(pg_home)/server.log"; }

# Creates the folder of pg_home, owned by the server's user, mode 0700.
pg_home_create() {
    local home
    home=$(pg_home)
    local data
    data=$(pg_data_dir)
    mkdir -p "$data"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "user postgres does not exist (apt-get install postgresql)"
        chown -R postgres: "$home"
    fi
    chmod 700 "$home" "$data"
    as_pg test -w "$data" || die "the postgres user cannot write $data"
}

# True when something accepts connections on 127.0.0.1:$1.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid of a service we started, if it still runs (and is still that program).
alive() {
    local f=$run/$1.pid pid
    [ -f "$f" ] || return 1
    pid=$(cat "$f")
    kill -0 "$pid" 2>/dev/null || return 1
    grep -q reportd "/proc/$pid/cmdline" 2>/dev/null || return 1
    echo "$pid"
}

stop_service() {
    local name=$1 pid
    if pid=$(alive "$name"); then
        kill -TERM "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name did not stop within 20 s; killing it"; kill -KILL "$pid" 2>/dev/null || true
        fi
        log "stopped $name"
    fi
    rm -f "$run/$name.pid"
}

stop_all() {
    stop_service run
    stop_service portal
    stop_service broker
    local pgbin pgdata
    pgdata=$(pg_data_dir)
    if pgbin=$(pg_bin) && [ -f "$pgdata/postmaster.pid" ]; then
        as_pg "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null && log "stopped PostgreSQL"
    fi
}

status() {
    local s
    for s in broker portal run; do
        if pid=$(alive $s); then echo "$s: running (pid $pid)"; else echo "$s: stopped"; fi
    done
    local pgbin
    if pgbin=$(pg_bin) && as_pg "$pgbin/pg_ctl" -D "$(pg_data_dir)" status >/dev/null 2>&1; then
        echo "postgres: running (port $pgport, data $(pg_data_dir))"
    else
        echo "postgres: stopped"
    fi
}

case "${1:-start}" in
    stop) stop_all; exit 0 ;;
    purge) stop_all; rm -rf "$(pg_home)" "$run"; log "removed .run/ and $(pg_home)"; exit 0 ;;
    status) status; exit 0 ;;
    start) ;;
    *) echo "usage: scripts/quickstart.sh [start|status|stop|purge]" >&2; exit 2 ;;
esac

# 1. Dependencies and build.
scripts/install-deps.sh
if [ "${REPORTD_QS_PREBUILT:-0}" = 1 ]; then
    [ -x "$reportd" ] && [ -x "$build/reportd-decoder" ] && [ -x "$build/reportd-dev" ] || die "REPORTD_QS_PREBUILT=1 but no reportd in $build"
else
    log "building in $build"
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target reportd reportd-decoder reportd-dev >/dev/null
fi
mkdir -p "$run/portal" "$run/state"

# 2. PostgreSQL.
pgbin=$(pg_bin) || die "no PostgreSQL server under /usr/lib/postgresql"
pgdata=$(pg_data_dir)
pglog=$(pg_log)
pg_home_create
ln -sfn "$pglog" "$run/pg.log"
if [ ! -f "$pgdata/PG_VERSION" ]; then
    log "initdb $pgdata"
    as_pg "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$run/initdb.log" 2>&1 \
        || { tail -n 20 "$run/initdb.log" >&2; die "initdb $pgdata failed (output above, in .run/initdb.log)"; }
fi
if ! as_pg "$pgbin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    if port_busy "$pgport"; then
        die "port $pgport on 127.0.0.1 is already in use by another program; choose another with REPORTD_QS_PGPORT"
    fi
    if ! as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$pglog" -w -t 60 \
            -o "-p $pgport -c listen_addresses=127.0.0.1 -k $pgdata" start >"$run/pg_ctl.log" 2>&1; then
        cat "$run/pg_ctl.log" >&2
        if [ -s "$pglog" ]; then
            log "server log $pglog (last lines):"; tail -n 20 "$pglog" >&2
        fi
        die "PostgreSQL did not start (data $pgdata, log $pglog)"
    fi
    log "PostgreSQL running on 127.0.0.1:$pgport (data $pgdata)"
fi
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pgport" -U postgres "$@"; }
if [ "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'reports'")" != 1 ]; then
    psql_admin -d postgres -c "CREATE DATABASE reports"
fi

# 3. Embedded Kafka. A new broker starts empty: offsets stored by an earlier run mean
# nothing to it, so they are cleared (documents already loaded stay loaded).
fresh_broker=0
if ! alive broker >/dev/null; then
    setsid "$(dirname "$reportd")/reportd-dev" broker --port "$broker_port" --partitions 4 \
        >"$run/broker.out" 2>"$run/broker.log" </dev/null &
    echo $! >"$run/broker.pid"
    for _ in $(seq 1 100); do [ -s "$run/broker.out" ] && break; sleep 0.1; done
    [ -s "$run/broker.out" ] || { tail -n 20 "$run/broker.log" >&2; die "dev-broker did not start"; }
    fresh_broker=1
    log "dev-broker on $(head -n 1 "$run/broker.out")"
fi

# 4. The portal, serving copies of the sample reports.
cp -n tests/fixtures/seeds/* tests/fixtures/demo/*.txt "$run/portal/"
if ! alive portal >/dev/null; then
    setsid "$(dirname "$reportd")/reportd-dev" portal --dir "$run/portal" --port "$portal_port" \
        >"$run/portal.out" 2>"$run/portal.log" </dev/null &
    echo $! >"$run/portal.pid"
    for _ in $(seq 1 100); do [ -s "$run/portal.out" ] && break; sleep 0.1; done
    [ -s "$run/portal.out" ] || { tail -n 20 "$run/portal.log" >&2; die "dev-portal did not start"; }
    log "dev-portal on $(head -n 1 "$run/portal.out")/jyj/index.html"
fi
portal_url=$(head -n 1 "$run/portal.out")

# 5. Config and schema.
cat >"$run/reportd.conf" <<EOF
// Written by scripts/quickstart.sh; see deploy/reportd.conf.example for every key.
{
  "kafka": { "bootstrap.servers": "127.0.0.1:$broker_port", "session.timeout.ms": 6000 },
  "postgres": { "conninfo": "host=127.0.0.1 port=$pgport user=postgres dbname=reports" },
  // the portal is on 127.0.0.1: the SSRF guard must let it through
  "fetch": { "allow_private_networks": true, "per_host_delay_ms": 100 },
  "http": { "listen": "127.0.0.1:$http_port" },
  "runtime": { "state_dir": "$run/state", "probe_interval_s": 2 },
  "sources": [
    { "name": "dev-portal", "kind": "html_index", "url": "$portal_url/jyj/index.html",
      "links": "//ul[@class='list']//a/@href", "next": "//a[.='下一页']/@href",
      "interval_s": 30 }
  ]
}
EOF
"$reportd" check-config --quiet "$run/reportd.conf"
"$reportd" migrate --config "$run/reportd.conf" 2>>"$run/migrate.log" >/dev/null \
    || { tail -n 20 "$run/migrate.log" >&2; die "migrations failed"; }
[ $fresh_broker = 1 ] && psql_admin -d reports -c "DELETE FROM reports.kafka_offsets"

# 6. The daemon (restarted so that it runs this build and config).
stop_service run
setsid "$reportd" run --config "$run/reportd.conf" >>"$run/run.log" 2>&1 </dev/null &
echo $! >"$run/run.pid"
log "reportd run started (log: .run/run.log, metrics: http://127.0.0.1:$http_port/metrics)"

expected=$(find "$run/portal" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.html' -o -name '*.docx' \) | wc -l)
log "waiting until the $expected sample reports are loaded"
loaded=0
for i in $(seq 1 600); do
    alive run >/dev/null || { tail -n 30 "$run/run.log" >&2; die "reportd run exited"; }
    loaded=$(psql_admin -d reports -tAc "SELECT count(DISTINCT doc_id) FROM reports.documents" 2>/dev/null || echo 0)
    [ "${loaded:-0}" -ge "$expected" ] && break
    [ $((i % 10)) = 0 ] && log "$loaded/$expected loaded"
    sleep 1
done
[ "${loaded:-0}" -ge "$expected" ] || { tail -n 30 "$run/run.log" >&2; die "only $loaded of $expected reports loaded after 10 minutes"; }

# 7. What landed, read as the BI role.
reader="host=127.0.0.1 port=$pgport dbname=reports user=reports_reader"
q() { psql -X -P pager=off -P footer=off "$reader" -c "$1"; }
echo
echo "== documents per region and year (reports.indicator_facts)"
q "SELECT COALESCE(region, '(unresolved)') AS region, year,
          count(DISTINCT doc_id) AS documents, count(*) AS indicators
     FROM reports.indicator_facts GROUP BY 1, 2 ORDER BY 1, 2"
echo "== a few indicators"
q "SELECT COALESCE(region, '(unresolved)') AS region, year, metric, value, unit, kind
     FROM (SELECT *, row_number() OVER (PARTITION BY doc_id ORDER BY value DESC NULLS LAST) AS r
             FROM reports.indicator_facts WHERE unit IS NOT NULL AND metric IS NOT NULL) t
    WHERE r <= 2 ORDER BY region, value DESC LIMIT 10"
if [ "$(psql -X -tA "$reader" -c "SELECT count(*) FROM reports.target_outcomes")" -gt 0 ]; then
    echo "== targets vs outcomes (reports.target_outcomes)"
    q "SELECT region, metric_name, year, target_value AS target, COALESCE(target_qualifier, '') AS q,
              outcome_value AS outcome, met
         FROM reports.target_outcomes ORDER BY region, metric_key, year"
fi
cat <<EOF
== connect a BI tool (Metabase, Superset, Grafana, psql...) to PostgreSQL:
   $reader
   (read-only role; tables: reports.indicator_facts, reports.region_year_summary;
    local trust authentication, so no password on this machine)

The services keep running (status: scripts/quickstart.sh status):
   metrics   http://127.0.0.1:$http_port/metrics   readiness http://127.0.0.1:$http_port/readyz
   portal    $portal_url/jyj/index.html   (add a report to .run/portal/ and it is loaded)
   logs      .run/run.log .run/broker.log .run/portal.log .run/pg.log (-> $pglog)
Stop everything with: scripts/quickstart.sh stop
EOF
