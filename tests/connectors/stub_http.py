#!/usr/bin/env python3
"""A tiny HTTP server on 127.0.0.1 for fetcher tests of what the dev-portal cannot send.

Prints its base URL on the first line of stdout, then serves:
  /gzip/TEXT        TEXT repeated 200 times, sent with Content-Encoding: gzip
  /deflate/TEXT     the same with Content-Encoding: deflate (zlib stream)
  /retry-after/N/ID 429 with Retry-After: N for the first request of ID, then 200
"""
import gzip
import http.server
import sys
import urllib.parse
import zlib

seen = set()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = self.path.split("/")
        if len(parts) == 3 and parts[1] in ("gzip", "deflate"):
            text = (urllib.parse.unquote(parts[2]) * 200).encode()
            if parts[1] == "gzip":
                body = gzip.compress(text)
            else:
                body = zlib.compress(text)
            self.send(200, body, [("Content-Type", "text/plain; charset=utf-8"),
                                  ("Content-Encoding", parts[1])])
        elif len(parts) == 4 and parts[1] == "retry-after":
            if parts[3] not in seen:
                seen.add(parts[3])
                self.send(429, b"slow down\n", [("Retry-After", parts[2])])
            else:
                self.send(200, b"served after waiting\n", [("Content-Type", "text/plain")])
        else:
            self.send(404, b"not found\n")


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print("http://127.0.0.1:%d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
