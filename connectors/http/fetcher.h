/* The HTTP fetcher: one libcurl multi handle driven by one event loop (no thread per
 * request). It enforces the politeness and safety rules of the [fetch] settings:
 *   - global and per-host concurrency, a minimum delay between requests to a host;
 *   - retries with exponential backoff and jitter on timeouts, resets, DNS failures, 5xx,
 *     408 and 429 (Retry-After honoured, also for the whole host, up to 10 x timeout_s,
 *     waiting in the queue without a connection slot), none on other 4xx;
 *   - connect and total timeouts, a minimum transfer speed, a body cap enforced while
 *     streaming, at most 5 redirects, gzip/deflate, verified TLS, a reportd User-Agent;
 *   - robots.txt per host (for requests that ask for it);
 *   - the SSRF guard on every resolved address, redirects and reused connections included.
 * Requests complete through their callback, always exactly once (also when the fetcher is
 * freed with requests still queued: they complete with RPT_FETCH_ERR_CANCELLED). */
#ifndef REPORTD_CONNECTORS_HTTP_FETCHER_H
#define REPORTD_CONNECTORS_HTTP_FETCHER_H

#include <stddef.h>

#include "common/buf.h"
#include "common/opts.h"
#include "connectors/http/settings.h"

typedef enum {
    RPT_FETCH_OK = 0,        /* a response arrived (2xx or 304) */
    RPT_FETCH_ERR_HTTP,      /* a status >= 300 that is not 304, after any retries */
    RPT_FETCH_ERR_DNS,       /* host name did not resolve, after retries */
    RPT_FETCH_ERR_CONNECT,   /* connection refused or unreachable, after retries */
    RPT_FETCH_ERR_TLS,       /* handshake or certificate verification failed */
    RPT_FETCH_ERR_TIMEOUT,   /* connect/total timeout or below the minimum speed, after retries */
    RPT_FETCH_ERR_RESET,     /* connection reset, empty reply or truncated body, after retries */
    RPT_FETCH_ERR_TOO_BIG,   /* body over max_body_bytes */
    RPT_FETCH_ERR_REDIRECTS, /* more than 5 redirects */
    RPT_FETCH_ERR_BLOCKED,   /* SSRF guard refused the address */
    RPT_FETCH_ERR_ROBOTS,    /* robots.txt disallows the URL */
    RPT_FETCH_ERR_URL,       /* not a valid http(s) URL */
    RPT_FETCH_ERR_CANCELLED, /* fetcher stopped before the request ran */
    RPT_FETCH_ERR_OTHER
} rpt_fetch_error;

/* Short stable name of an error ("timeout", "http", "blocked"...) for metrics labels. */
const char *rpt_fetch_error_name(rpt_fetch_error e);

typedef struct rpt_http_result {
    const char *url;       /* as submitted */
    const char *final_url; /* after redirects (== url when none) */
    int status;            /* last HTTP status, 0 when no response */
    rpt_fetch_error error;
    const char *reason; /* human-readable: "http 404", "blocked address 127.0.0.1"... */
    const char *content_type, *etag, *last_modified; /* NULL when absent */
    rpt_buf *body;                                    /* the callback may steal it (rpt_buf_steal) */
    int attempts;
} rpt_http_result;

typedef void (*rpt_http_done_fn)(const rpt_http_result *res, void *arg);

typedef struct rpt_http_request {
    const char *url;
    const char *etag, *last_modified; /* conditional GET validators, or NULL */
    int allow_private;                /* SSRF guard off for this request */
    const rpt_kvlist *allowlist;       /* addresses/CIDRs opened despite the guard (copied) */
    int respect_robots;
    rpt_http_done_fn done;
    void *arg;
} rpt_http_request;

typedef struct rpt_fetcher rpt_fetcher;

/* A fetcher with the limits of `s` (copied). NULL with a reason in err. */
rpt_fetcher *rpt_fetcher_new(const rpt_fetch_settings *s, rpt_buf *err);
/* Queues a request (strings copied). Returns 0, or -1 on ENOMEM; a malformed URL is not
 * an error here: it completes through the callback with RPT_FETCH_ERR_URL. */
int rpt_fetcher_submit(rpt_fetcher *f, const rpt_http_request *req);
/* Starts what the limits allow, waits up to max_wait_ms for activity, and runs the
 * callbacks of finished requests. Returns the number of requests not yet completed. */
size_t rpt_fetcher_step(rpt_fetcher *f, int max_wait_ms);
/* Requests not yet completed (queued, waiting for a retry or in flight). */
size_t rpt_fetcher_outstanding(const rpt_fetcher *f);
/* Completes every outstanding request with RPT_FETCH_ERR_CANCELLED and frees f. */
void rpt_fetcher_free(rpt_fetcher *f);

/* Milliseconds to wait for a Retry-After header value (delta seconds or HTTP date) at
 * `now` (seconds since the epoch): clamped to ten years, never overflowing; -1 when the
 * value is not valid. */
long long rpt_retry_after_ms(const char *value, long long now);

/* Fetches one URL synchronously with a fresh fetcher (same limits and guards): for
 * `reportd extract URL`. On success returns 0 with the body in *body (caller frees with
 * rpt_buf_clear) and the final URL / content type in *final_url / *content_type (caller
 * frees; either pointer may be NULL). On failure returns -1 with the reason in err. */
int rpt_fetch_url(const rpt_fetch_settings *s, const char *url, rpt_buf *body, char **final_url,
                 char **content_type, rpt_buf *err);

#endif
