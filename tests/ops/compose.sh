#!/usr/bin/env bash
# deploy/compose.yaml is a valid compose file for Debian's docker-compose (`config` needs no
# engine), its topics are the ones reportd uses by default, and the broker and every topic
# accept the largest raw message reportd can produce: fetch.max_body_bytes plus 64 KiB of
# headers.
set -u
src=${REPORTD_SOURCE_DIR:?}
bin=${REPORTD_BIN:?}
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
command -v docker-compose >/dev/null || { echo "skip: docker-compose is not installed"; exit 77; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
out=$(cd "$src/deploy" && docker-compose -f compose.yaml config 2>"$tmp/err")
rc=$?
check "docker-compose config accepts deploy/compose.yaml" '[ $rc -eq 0 ] && [ ! -s "$tmp/err" ]'
[ -s "$tmp/err" ] && cat "$tmp/err"
echo "$out" >"$tmp/resolved.yaml"
"$bin" check-config 2>/dev/null >"$tmp/effective.json"

python3 - "$tmp/resolved.yaml" "$tmp/effective.json" <<'PY'
import json, re, sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
eff = json.load(open(sys.argv[2]))["effective"]
ok = True
def need(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and cond
svc = c["services"]
need({"kafka", "topics", "postgres", "migrate", "reportd"} <= set(svc), "services kafka, topics, postgres, migrate, reportd")
body = eff["fetch"]["max_body_bytes"]
# a raw message: the fetched body as the value, its metadata in headers (64 KiB at most)
needed = body + 65536
env = svc["kafka"]["environment"]
broker = int(env.get("KAFKA_MESSAGE_MAX_BYTES", 1048588))
need(broker >= needed, f"broker message.max.bytes {broker} >= {needed} (fetch.max_body_bytes {body} + headers)")
need(int(env.get("KAFKA_REPLICA_FETCH_MAX_BYTES", 1048576)) >= broker, "replica.fetch.max.bytes >= message.max.bytes")
cmd = " ".join(svc["topics"]["command"]) if isinstance(svc["topics"]["command"], list) else svc["topics"]["command"]
tenv = svc["topics"].get("environment", {})
m = re.search(r"max\.message\.bytes=\$\$?(\w+)", cmd)
topic_limit = int(tenv.get(m.group(1), 0)) if m else 0
need(topic_limit >= needed, f"topics are created with max.message.bytes {topic_limit} >= {needed}")
for key in ("topic.raw", "topic.parsed", "topic.dlq"):
    need(eff["kafka"][key] in cmd, f"topic {eff['kafka'][key]} ({key}) is created")
need(svc["reportd"]["depends_on"]["topics"]["condition"] == "service_completed_successfully",
     "reportd starts after the topics exist")
need(all(svc[s]["environment"].get("REPORTD_POSTGRES_PASSWORD_FILE") for s in ("migrate", "reportd")),
     "the password comes from a secret file")
sys.exit(0 if ok else 1)
PY
[ $? -eq 0 ] || fail=1
exit $fail
