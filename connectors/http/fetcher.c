#include "connectors/http/fetcher.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "connectors/http/robots.h"
#include "connectors/http/ssrf.h"
#include "connectors/http/url.h"
#include "common/metrics.h"

#define MAX_REDIRECTS 5
#define MAX_BACKOFF_MS 60000LL
/* A Retry-After is waited out up to this many times timeout_s; longer ones fail. */
#define RETRY_AFTER_TIMEOUTS 10

typedef struct host host;

/* One request from submission to completion. */
typedef struct req {
    struct req *next;
    struct req *aprev, *anext; /* list of transfers in flight */
    rpt_fetcher *f;
    host *h;
    char *url, *etag, *last_modified, *path;
    int allow_private, respect_robots, is_robots;
    rpt_kvlist allowlist;
    rpt_http_done_fn done;
    void *arg;
    int attempts;
    long long not_before;
    rpt_fetch_error preset; /* error decided before any transfer (bad URL) */
    CURL *easy;
    struct curl_slist *headers;
    rpt_buf body;
    int too_big, blocked;
    char blocked_addr[64];
    char errbuf[CURL_ERROR_SIZE];
} req;

/* Politeness state of one origin (scheme://host:port). */
struct host {
    host *next;
    char *origin;
    int inflight;
    long long next_ms;
    req *head, *tail;
    int robots_state; /* 0 unknown, 1 fetching, 2 known */
    rpt_robots *robots;
};

struct rpt_fetcher {
    long long concurrency, per_host_concurrency, per_host_delay_ms, connect_timeout_s, timeout_s,
        low_speed_bytes, low_speed_time_s, max_body_bytes, max_retries, retry_base_ms;
    char *ca_file, *user_agent, *proxy;
    CURLM *multi;
    host *hosts;
    req *active;
    req *failed_head, *failed_tail; /* completed before starting; reported by the next step */
    long long inflight;
    size_t outstanding;
    unsigned rng;
};

static const char *const error_names[] = {
    [RPT_FETCH_OK] = "ok",
    [RPT_FETCH_ERR_HTTP] = "http",
    [RPT_FETCH_ERR_DNS] = "dns",
    [RPT_FETCH_ERR_CONNECT] = "connect",
    [RPT_FETCH_ERR_TLS] = "tls",
    [RPT_FETCH_ERR_TIMEOUT] = "timeout",
    [RPT_FETCH_ERR_RESET] = "reset",
    [RPT_FETCH_ERR_TOO_BIG] = "too_big",
    [RPT_FETCH_ERR_REDIRECTS] = "redirects",
    [RPT_FETCH_ERR_BLOCKED] = "blocked",
    [RPT_FETCH_ERR_ROBOTS] = "robots",
    [RPT_FETCH_ERR_URL] = "url",
    [RPT_FETCH_ERR_CANCELLED] = "cancelled",
    [RPT_FETCH_ERR_OTHER] = "other",
};

const char *rpt_fetch_error_name(rpt_fetch_error e)
{
    if ((size_t)e >= sizeof error_names / sizeof *error_names) return "other";
    return error_names[e];
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned next_rand(rpt_fetcher *f)
{
    f->rng = f->rng * 1103515245u + 12345u;
    return f->rng >> 8;
}

static void req_free(req *r)
{
    if (!r) return;
    if (r->easy) curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->headers);
    free(r->url);
    free(r->etag);
    free(r->last_modified);
    free(r->path);
    rpt_kvlist_clear(&r->allowlist);
    rpt_buf_clear(&r->body);
    free(r);
}

static void queue_push(host *h, req *r)
{
    r->next = NULL;
    if (h->tail)
        h->tail->next = r;
    else
        h->head = r;
    h->tail = r;
}

static void queue_push_front(host *h, req *r)
{
    r->next = h->head;
    h->head = r;
    if (!h->tail) h->tail = r;
}

static req *queue_pop(host *h)
{
    req *r = h->head;
    if (!r) return NULL;
    h->head = r->next;
    if (!h->head) h->tail = NULL;
    r->next = NULL;
    return r;
}

static host *host_get(rpt_fetcher *f, const char *origin)
{
    for (host *h = f->hosts; h; h = h->next)
        if (!strcmp(h->origin, origin)) return h;
    host *h = calloc(1, sizeof *h);
    if (!h || !(h->origin = strdup(origin))) {
        free(h);
        return NULL;
    }
    h->next = f->hosts;
    f->hosts = h;
    return h;
}

/* Reports a finished request to its owner and frees it. */
static void complete(rpt_fetcher *f, req *r, rpt_fetch_error error, int status, const char *reason)
{
    char *final_url = NULL, *ctype = NULL;
    struct curl_header *hh;
    const char *etag = NULL, *lm = NULL;
    if (r->easy) {
        curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &final_url);
        curl_easy_getinfo(r->easy, CURLINFO_CONTENT_TYPE, &ctype);
        if (curl_easy_header(r->easy, "ETag", 0, CURLH_HEADER, -1, &hh) == CURLHE_OK)
            etag = hh->value;
        if (curl_easy_header(r->easy, "Last-Modified", 0, CURLH_HEADER, -1, &hh) == CURLHE_OK)
            lm = hh->value;
    }
    rpt_http_result res = {.url = r->url,
                          .final_url = final_url ? final_url : r->url,
                          .status = status,
                          .error = error,
                          .reason = reason,
                          .content_type = ctype,
                          .etag = etag,
                          .last_modified = lm,
                          .body = &r->body,
                          .attempts = r->attempts};
    f->outstanding--;
    if (r->done) r->done(&res, r->arg);
    req_free(r);
}

/* With a proxy, curl connects to the proxy only and the proxy resolves the target: the
 * guard resolves the target's host itself and refuses the request when any of its
 * addresses is refused (the proxy may resolve the name again: a name whose records change
 * between the two lookups is the residual risk; without a proxy there is none, the guard
 * judges the very socket). Returns 1 when allowed; on refusal fills r->blocked_addr. */
static int target_allowed(req *r, const char *url)
{
    CURLU *u = curl_url();
    char *hostname = NULL;
    int ok = 0;
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &hostname, 0) != CURLUE_OK) {
        snprintf(r->blocked_addr, sizeof r->blocked_addr, "(no host)");
        goto out;
    }
    char *h = hostname;
    size_t hl = strlen(h);
    if (hl > 2 && h[0] == '[' && h[hl - 1] == ']') { /* IPv6 literal */
        h[hl - 1] = '\0';
        h++;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(h, NULL, &hints, &res) != 0 || !res) {
        snprintf(r->blocked_addr, sizeof r->blocked_addr, "%.40s (does not resolve)", h);
        goto out;
    }
    ok = 1;
    for (struct addrinfo *a = res; a && ok; a = a->ai_next) {
        if (rpt_addr_allowed(a->ai_addr, r->allow_private, &r->allowlist)) continue;
        rpt_addr_text(a->ai_addr, r->blocked_addr, sizeof r->blocked_addr);
        ok = 0;
    }
    freeaddrinfo(res);
out:
    curl_free(hostname);
    curl_url_cleanup(u);
    return ok;
}

/* curl opensocket callback: the SSRF guard on each resolved address curl connects to
 * (with a proxy, that is the proxy the operator configured: the target is checked by
 * target_allowed instead). */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    req *r = clientp;
    (void)purpose;
    if (!r->f->proxy && !rpt_addr_allowed(&a->addr, r->allow_private, &r->allowlist)) {
        r->blocked = 1;
        rpt_addr_text(&a->addr, r->blocked_addr, sizeof r->blocked_addr);
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

/* curl prerequest callback: the same check on the connection actually used, which covers
 * a connection reused from an earlier request. */
static int pre_request(void *clientp, char *primary_ip, char *local_ip, int primary_port,
                       int local_port)
{
    req *r = clientp;
    (void)local_ip;
    (void)primary_port;
    (void)local_port;
    if (r->f->proxy) { /* a redirect through the proxy: check its target before sending */
        char *url = NULL;
        curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &url);
        if (!url || !target_allowed(r, url)) {
            r->blocked = 1;
            return CURL_PREREQFUNC_ABORT;
        }
        return CURL_PREREQFUNC_OK;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, primary_ip, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
    } else if (inet_pton(AF_INET6, primary_ip, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
    } else {
        return CURL_PREREQFUNC_OK; /* not an address (unix socket, proxy): opensocket judged */
    }
    if (!rpt_addr_allowed((struct sockaddr *)&ss, r->allow_private, &r->allowlist)) {
        r->blocked = 1;
        snprintf(r->blocked_addr, sizeof r->blocked_addr, "%s", primary_ip);
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}

/* curl write callback: appends to the body, aborting the transfer past the cap. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    req *r = userp;
    size_t n = size * nmemb;
    if ((long long)(r->body.len + n) > r->f->max_body_bytes) {
        r->too_big = 1;
        return 0;
    }
    if (rpt_buf_append(&r->body, data, n)) return 0;
    return n;
}

/* Creates the easy handle of r and adds it to the multi handle. */
static int start(rpt_fetcher *f, req *r)
{
    CURL *e = curl_easy_init();
    if (!e) return -1;
    r->easy = e;
    r->attempts++;
    r->too_big = r->blocked = 0;
    r->errbuf[0] = '\0';
    rpt_buf_reset(&r->body);
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long)f->connect_timeout_s);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)f->timeout_s);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, (long)f->low_speed_bytes);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)f->low_speed_time_s);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->max_body_bytes);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (f->ca_file) curl_easy_setopt(e, CURLOPT_CAINFO, f->ca_file);
    /* Proxies come from the config only: "" disables curl's http_proxy/https_proxy/
     * ALL_PROXY lookup, and an explicit NOPROXY overrides NO_PROXY. */
    curl_easy_setopt(e, CURLOPT_PROXY, f->proxy ? f->proxy : "");
    curl_easy_setopt(e, CURLOPT_NOPROXY, "");
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, r);
    curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, pre_request);
    curl_easy_setopt(e, CURLOPT_PREREQDATA, r);
    if (!r->headers) {
        char line[512];
        if (r->etag) {
            snprintf(line, sizeof line, "If-None-Match: %s", r->etag);
            r->headers = curl_slist_append(r->headers, line);
        }
        if (r->last_modified) {
            snprintf(line, sizeof line, "If-Modified-Since: %s", r->last_modified);
            r->headers = curl_slist_append(r->headers, line);
        }
    }
    if (r->headers) curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
    if (curl_multi_add_handle(f->multi, e) != CURLM_OK) {
        curl_easy_cleanup(e);
        r->easy = NULL;
        return -1;
    }
    r->h->inflight++;
    f->inflight++;
    r->aprev = NULL;
    r->anext = f->active;
    if (f->active) f->active->aprev = r;
    f->active = r;
    return 0;
}

/* A Retry-After beyond this is clamped (it is refused anyway: see RETRY_AFTER_TIMEOUTS). */
#define RETRY_AFTER_MAX_S (10LL * 365 * 24 * 3600)

/* Milliseconds of a Retry-After value (delta seconds or HTTP date) at time `now`, or -1
 * when invalid. Any number of digits is accepted and clamped to RETRY_AFTER_MAX_S, so
 * "99999999999999999999" neither overflows nor wraps to a short wait. */
long long rpt_retry_after_ms(const char *value, long long now)
{
    if (!value) return -1;
    const char *p = value;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p >= '0' && *p <= '9') {
        long long v = 0;
        for (; *p >= '0' && *p <= '9'; p++)
            if (v <= RETRY_AFTER_MAX_S) v = v * 10 + (*p - '0');
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p) return -1;
        return (v > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : v) * 1000;
    }
    time_t t = curl_getdate(value, NULL);
    if (t < 0) return -1;
    long long d = (long long)t - now;
    if (d > RETRY_AFTER_MAX_S) d = RETRY_AFTER_MAX_S;
    return d < 0 ? 0 : d * 1000;
}

/* The Retry-After of a response in milliseconds, or -1 when absent or invalid. */
static long long retry_after_ms(CURL *e)
{
    struct curl_header *hh;
    if (curl_easy_header(e, "Retry-After", 0, CURLH_HEADER, -1, &hh) != CURLHE_OK) return -1;
    return rpt_retry_after_ms(hh->value, (long long)time(NULL));
}

/* The rules of a finished robots.txt request (NULL allows all), logging and counting the
 * limits a hostile or oversized file ran into. Caller frees. */
static rpt_robots *robots_from(const req *r, int status)
{
    if (status != 200 || !r->body.data) return NULL; /* missing or failing: allow all */
    rpt_robots *rb = rpt_robots_parse(r->body.data, r->body.len, "reportd");
    unsigned lim = rpt_robots_limits(rb);
    static const struct {
        unsigned bit;
        const char *label;
    } names[] = {{RPT_ROBOTS_LIMIT_BYTES, "limit=\"bytes\""},
                 {RPT_ROBOTS_LIMIT_PATTERN, "limit=\"pattern\""},
                 {RPT_ROBOTS_LIMIT_RULES, "limit=\"rules\""}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (!(lim & names[i].bit)) continue;
        rpt_metrics_inc("reportd_robots_limited_total", names[i].label);
        rpt_log_warn("fetch", "robots.txt over a limit", "url=%s %s bytes=%zu", r->url,
                     names[i].label, r->body.len);
    }
    return rb;
}

/* How a transfer ended: the error to report, whether it may be retried, and after how
 * long the server asked to wait (-1: not said). */
typedef struct outcome {
    rpt_fetch_error err;
    int retryable;
    long long wait_ms;
    char reason[400];
} outcome;

/* Takes a finished transfer out of the multi handle, the active list and the counters. */
static void detach(rpt_fetcher *f, req *r)
{
    r->h->inflight--;
    f->inflight--;
    curl_multi_remove_handle(f->multi, r->easy);
    if (r->aprev)
        r->aprev->anext = r->anext;
    else
        f->active = r->anext;
    if (r->anext) r->anext->aprev = r->aprev;
    r->aprev = r->anext = NULL;
}

/* A response arrived: 2xx and 304 are fine; 5xx, 408 and 429 are retried (429 and 503
 * after their Retry-After); any other status is final. */
static void classify_status(req *r, long status, outcome *o)
{
    if ((status >= 200 && status < 300) || status == 304) return;
    o->err = RPT_FETCH_ERR_HTTP;
    snprintf(o->reason, sizeof o->reason, "http %ld", status);
    if (status >= 500 || status == 408 || status == 429) {
        o->retryable = 1;
        if (status == 429 || status == 503) o->wait_ms = retry_after_ms(r->easy);
    }
}

/* No response: the guard, the body cap, or a transport error curl reports. */
static void classify_transport(rpt_fetcher *f, req *r, CURLcode rc, outcome *o)
{
    if (r->blocked) {
        o->err = RPT_FETCH_ERR_BLOCKED;
        snprintf(o->reason, sizeof o->reason,
                 "refused address %s (private network; see allow_private_networks / allowlist)",
                 r->blocked_addr);
        return;
    }
    if (r->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        o->err = RPT_FETCH_ERR_TOO_BIG;
        snprintf(o->reason, sizeof o->reason, "body larger than %lld bytes", f->max_body_bytes);
        return;
    }
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        o->err = RPT_FETCH_ERR_DNS; /* often a resolver hiccup: retried like a reset */
        o->retryable = 1;
        break;
    case CURLE_COULDNT_CONNECT:
        o->err = RPT_FETCH_ERR_CONNECT;
        o->retryable = 1;
        break;
    case CURLE_OPERATION_TIMEDOUT:
        o->err = RPT_FETCH_ERR_TIMEOUT;
        o->retryable = 1;
        break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        o->err = RPT_FETCH_ERR_RESET;
        o->retryable = 1;
        break;
    case CURLE_TOO_MANY_REDIRECTS:
        o->err = RPT_FETCH_ERR_REDIRECTS;
        break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        o->err = RPT_FETCH_ERR_URL;
        break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
        o->err = RPT_FETCH_ERR_TLS;
        break;
    default:
        o->err = RPT_FETCH_ERR_OTHER;
        break;
    }
    const char *what = r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc);
    snprintf(o->reason, sizeof o->reason, "%s: %.200s", rpt_fetch_error_name(o->err), what);
}

/* Queues a retryable failure again after its backoff (exponential with jitter, or the
 * server's Retry-After up to RETRY_AFTER_TIMEOUTS x timeout_s, which also pauses the whole
 * host). Returns 1 when queued, 0 when the request is to complete now (retries used up, or
 * a Retry-After too long: said in o->reason). */
static int schedule_retry(rpt_fetcher *f, req *r, outcome *o)
{
    if (!o->retryable || r->attempts > f->max_retries) return 0;
    long long base = f->retry_base_ms << (r->attempts - 1 > 16 ? 16 : r->attempts - 1);
    if (base > MAX_BACKOFF_MS) base = MAX_BACKOFF_MS;
    long long delay = base / 2 + (long long)(next_rand(f) % (unsigned)(base / 2 + 1));
    if (o->wait_ms >= 0) {
        /* The request waits in its host queue, not in a transfer: no connection slot is
         * held, so a wait longer than timeout_s is fine up to a bound. */
        long long max_wait = f->timeout_s * 1000 * RETRY_AFTER_TIMEOUTS;
        if (o->wait_ms > max_wait) {
            size_t n = strlen(o->reason);
            snprintf(o->reason + n, sizeof o->reason - n,
                     " (Retry-After %llds is beyond %d x timeout_s)", o->wait_ms / 1000,
                     RETRY_AFTER_TIMEOUTS);
            return 0;
        }
        delay = o->wait_ms;
        long long until = now_ms() + o->wait_ms;
        if (r->h->next_ms < until) r->h->next_ms = until; /* the whole host asked for a pause */
    }
    rpt_log_info("fetch", "retrying", "url=%s attempt=%d delay_ms=%lld reason=\"%s\"", r->url,
                 r->attempts, delay, o->reason);
    rpt_metrics_inc("reportd_fetch_retries_total", NULL);
    curl_easy_cleanup(r->easy);
    r->easy = NULL;
    r->not_before = now_ms() + delay;
    queue_push(r->h, r);
    return 1;
}

/* Handles a transfer that curl reports as done: classify how it ended, retry it, or
 * complete it (a robots.txt request completes into its host's rules). */
static void finish(rpt_fetcher *f, req *r, CURLcode rc)
{
    long status = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    detach(f, r);
    outcome o = {.err = RPT_FETCH_OK, .wait_ms = -1};
    if (rc == CURLE_OK)
        classify_status(r, status, &o);
    else
        classify_transport(f, r, rc, &o);
    if (schedule_retry(f, r, &o)) return;
    if (r->is_robots) {
        host *h = r->h;
        h->robots = robots_from(r, o.err == RPT_FETCH_OK ? (int)status : 0);
        h->robots_state = 2;
        f->outstanding--;
        req_free(r);
        return;
    }
    complete(f, r, o.err, (int)status, o.err == RPT_FETCH_OK ? NULL : o.reason);
}

/* Queues the robots.txt request of host h in front of its queue. */
static int queue_robots(rpt_fetcher *f, host *h, const req *like)
{
    req *r = calloc(1, sizeof *r);
    if (!r) return -1;
    r->f = f;
    r->h = h;
    r->is_robots = 1;
    r->allow_private = like->allow_private;
    for (size_t i = 0; i < like->allowlist.n; i++)
        rpt_kvlist_add(&r->allowlist, NULL, like->allowlist.vals[i]);
    size_t n = strlen(h->origin) + 16;
    r->url = malloc(n);
    if (!r->url) {
        req_free(r);
        return -1;
    }
    snprintf(r->url, n, "%s/robots.txt", h->origin);
    queue_push_front(h, r);
    h->robots_state = 1;
    f->outstanding++;
    return 0;
}

/* Starts every queued request the limits allow; *wake gets the earliest time a waiting
 * request could start (or is left alone). */
static void dispatch(rpt_fetcher *f, long long *wake)
{
    long long now = now_ms();
    for (host *h = f->hosts; h; h = h->next) {
        while (h->head && f->inflight < f->concurrency && h->inflight < f->per_host_concurrency) {
            req *r = h->head;
            if (r->respect_robots && !r->is_robots && h->robots_state != 2) {
                if (h->robots_state == 0 && queue_robots(f, h, r)) break;
                if (h->head == r) break;
                continue;
            }
            if (r->respect_robots && !r->is_robots && !rpt_robots_allowed(h->robots, r->path)) {
                queue_pop(h);
                complete(f, r, RPT_FETCH_ERR_ROBOTS, 0, "disallowed by robots.txt");
                continue;
            }
            long long at = h->next_ms > r->not_before ? h->next_ms : r->not_before;
            if (now < at) {
                if (*wake < 0 || at < *wake) *wake = at;
                break;
            }
            queue_pop(h);
            if (f->proxy && !target_allowed(r, r->url)) { /* before anything is sent */
                char reason[160];
                snprintf(reason, sizeof reason,
                         "refused address %s (private network; see allow_private_networks / "
                         "allowlist)",
                         r->blocked_addr);
                if (r->is_robots) { /* a host whose robots.txt is refused: its pages are too */
                    h->robots_state = 2;
                    f->outstanding--;
                    req_free(r);
                    continue;
                }
                complete(f, r, RPT_FETCH_ERR_BLOCKED, 0, reason);
                continue;
            }
            if (start(f, r)) {
                complete(f, r, RPT_FETCH_ERR_OTHER, 0, "cannot start transfer (out of memory)");
                continue;
            }
            h->next_ms = now + f->per_host_delay_ms;
        }
    }
}

rpt_fetcher *rpt_fetcher_new(const rpt_fetch_settings *s, rpt_buf *err)
{
    static int global_init;
    if (!global_init) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            rpt_buf_puts(err, "curl_global_init failed");
            return NULL;
        }
        global_init = 1;
    }
    rpt_fetcher *f = calloc(1, sizeof *f);
    if (!f) goto nomem;
    f->concurrency = s->concurrency;
    f->per_host_concurrency = s->per_host_concurrency;
    f->per_host_delay_ms = s->per_host_delay_ms;
    f->connect_timeout_s = s->connect_timeout_s;
    f->timeout_s = s->timeout_s;
    f->low_speed_bytes = s->low_speed_bytes;
    f->low_speed_time_s = s->low_speed_time_s;
    f->max_body_bytes = s->max_body_bytes;
    f->max_retries = s->max_retries;
    f->retry_base_ms = s->retry_base_ms;
    f->rng = (unsigned)time(NULL) ^ (unsigned)getpid();
    if (s->ca_file && !(f->ca_file = strdup(s->ca_file))) goto nomem;
    if (s->proxy && *s->proxy && !(f->proxy = strdup(s->proxy))) goto nomem;
    f->user_agent =
        strdup(s->user_agent && *s->user_agent ? s->user_agent : "reportd/" REPORTD_VERSION);
    if (!f->user_agent) goto nomem;
    f->multi = curl_multi_init();
    if (!f->multi) goto nomem;
    curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->concurrency);
    curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, (long)f->concurrency);
    return f;
nomem:
    rpt_buf_puts(err, "out of memory creating the fetcher");
    rpt_fetcher_free(f);
    return NULL;
}

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

int rpt_fetcher_submit(rpt_fetcher *f, const rpt_http_request *in)
{
    req *r = calloc(1, sizeof *r);
    if (!r) return -1;
    r->f = f;
    r->url = strdup(in->url ? in->url : "");
    r->etag = dup_or_null(in->etag);
    r->last_modified = dup_or_null(in->last_modified);
    r->allow_private = in->allow_private;
    r->respect_robots = in->respect_robots;
    r->done = in->done;
    r->arg = in->arg;
    if (!r->url) goto nomem;
    if (in->allowlist)
        for (size_t i = 0; i < in->allowlist->n; i++)
            if (rpt_kvlist_add(&r->allowlist, NULL, in->allowlist->vals[i])) goto nomem;
    f->outstanding++;
    char origin[512];
    r->path = rpt_url_path_query(r->url);
    if (rpt_url_origin(r->url, origin, sizeof origin) || !r->path ||
        (strncmp(r->url, "http://", 7) && strncmp(r->url, "https://", 8))) {
        r->preset = RPT_FETCH_ERR_URL;
        if (f->failed_tail)
            f->failed_tail->next = r;
        else
            f->failed_head = r;
        f->failed_tail = r;
        return 0;
    }
    r->h = host_get(f, origin);
    if (!r->h) {
        f->outstanding--;
        goto nomem;
    }
    queue_push(r->h, r);
    return 0;
nomem:
    req_free(r);
    return -1;
}

size_t rpt_fetcher_outstanding(const rpt_fetcher *f)
{
    return f->outstanding;
}

size_t rpt_fetcher_step(rpt_fetcher *f, int max_wait_ms)
{
    while (f->failed_head) {
        req *r = f->failed_head;
        f->failed_head = r->next;
        if (!f->failed_head) f->failed_tail = NULL;
        complete(f, r, r->preset, 0, "not a valid http(s) URL");
    }
    long long wake = -1;
    dispatch(f, &wake);
    long long wait = max_wait_ms;
    if (wake >= 0) {
        long long d = wake - now_ms();
        if (d < wait) wait = d < 0 ? 0 : d;
    }
    if (f->outstanding == 0) return 0;
    int running = 0;
    curl_multi_poll(f->multi, NULL, 0, (int)wait, NULL);
    curl_multi_perform(f->multi, &running);
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(f->multi, &left))) {
        if (m->msg != CURLMSG_DONE) continue;
        req *r = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        CURLcode rc = m->data.result;
        finish(f, r, rc);
    }
    wake = -1;
    dispatch(f, &wake);
    return f->outstanding;
}

void rpt_fetcher_free(rpt_fetcher *f)
{
    if (!f) return;
    while (f->failed_head) {
        req *r = f->failed_head;
        f->failed_head = r->next;
        complete(f, r, RPT_FETCH_ERR_CANCELLED, 0, "fetcher stopped");
    }
    for (host *h = f->hosts; h; h = h->next) {
        req *r;
        while ((r = queue_pop(h))) {
            if (r->is_robots) {
                f->outstanding--;
                req_free(r);
            } else {
                complete(f, r, RPT_FETCH_ERR_CANCELLED, 0, "fetcher stopped");
            }
        }
    }
    if (f->multi) {
        while (f->active) {
            req *r = f->active;
            f->active = r->anext;
            curl_multi_remove_handle(f->multi, r->easy);
            if (r->is_robots) {
                f->outstanding--;
                req_free(r);
            } else {
                complete(f, r, RPT_FETCH_ERR_CANCELLED, 0, "fetcher stopped");
            }
        }
        curl_multi_cleanup(f->multi);
    }
    while (f->hosts) {
        host *h = f->hosts;
        f->hosts = h->next;
        rpt_robots_free(h->robots);
        free(h->origin);
        free(h);
    }
    free(f->ca_file);
    free(f->user_agent);
    free(f->proxy);
    free(f);
}
