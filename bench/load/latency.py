#!/usr/bin/env python3
"""Fetch -> queryable latency: produces one new reports.raw message at a time (as the fetch
role would) and waits until its document row is visible in PostgreSQL; prints p50/p90/p99.
Uses kcat and psql; the broker and database come from REPORTD_TEST_BROKER and PG* env."""
import argparse
import hashlib
import subprocess
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("--docs", type=int, default=50)
ap.add_argument("--seed", required=True)
a = ap.parse_args()
import os
broker = os.environ["REPORTD_TEST_BROKER"]
body = open(a.seed, "rb").read()
psql = subprocess.Popen(["psql", "-XAtq"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)


def visible(doc_id):
    psql.stdin.write("SELECT count(*) FROM reports.documents WHERE doc_id = '%s';\n" % doc_id)
    return psql.stdout.readline().strip() == "1"


# warm-up: the first message also waits for the consumer groups to form
lat = []
for i in range(a.docs + 1):
    url = "http://portal.test/latency/%d-%d.txt" % (os.getpid(), i)
    doc_id = hashlib.sha256(url.encode()).hexdigest()[:16]
    data = body + ("\n%d\n" % i).encode()
    # reports.raw as the fetch role writes it: the body as the value, metadata in headers
    headers = {"schema": "2", "source": "bench", "url": url, "final_url": url,
               "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "http_status": "200", "content_type": "text/plain; charset=utf-8",
               "sha256": hashlib.sha256(data).hexdigest(), "region": "南岳区"}
    cmd = ["kcat", "-P", "-b", broker, "-t", "reports.raw", "-k", doc_id]
    for k, v in headers.items():
        cmd += ["-H", "%s=%s" % (k, v)]
    # a file argument is one message (stdin would be split at newlines)
    with tempfile.NamedTemporaryFile(suffix=".txt") as f:
        f.write(data)
        f.flush()
        t0 = time.monotonic()
        subprocess.run(cmd + [f.name], check=True)
    deadline = t0 + (120 if i == 0 else 30)
    while not visible(doc_id):
        if time.monotonic() > deadline:
            raise SystemExit("document %s not loaded within the deadline" % doc_id)
        time.sleep(0.005)
    if i > 0:
        lat.append(time.monotonic() - t0)
slow = [(round(x * 1000), j) for j, x in enumerate(lat) if x > 0.5]
if slow:
    print("slow documents (ms, index):", slow)
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print("fetch->queryable latency over %d documents: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms"
      % (len(lat), q(0.50) * 1000, q(0.90) * 1000, q(0.99) * 1000, lat[-1] * 1000))
