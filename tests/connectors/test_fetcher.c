/* The fetcher against a real dev-portal: retries and their limits, timeouts, size caps,
 * redirects, the SSRF guard (also after a redirect), robots.txt, conditional GET, and the
 * politeness limits checked from the portal's own request log. */
#include <stdint.h>
#include <sys/stat.h>

#include "connectors/http/fetcher.h"
#include "support/portal.h"
#include "support/fetch_settings.h"
#include "test.h"

static t_portal g_portal;
static char g_dir[256], g_log[300];

typedef struct got {
    int done;
    rpt_fetch_error error;
    int status, attempts;
    char reason[512], final_url[512], etag[128];
    size_t body_len;
} got;

static void on_done(const rpt_http_result *r, void *arg)
{
    got *g = arg;
    g->done++;
    g->error = r->error;
    g->status = r->status;
    g->attempts = r->attempts;
    snprintf(g->reason, sizeof g->reason, "%s", r->reason ? r->reason : "");
    snprintf(g->final_url, sizeof g->final_url, "%s", r->final_url ? r->final_url : "");
    snprintf(g->etag, sizeof g->etag, "%s", r->etag ? r->etag : "");
    g->body_len = r->body->len;
}

static rpt_fetch_settings settings(void)
{
    rpt_fetch_settings s = t_fetch_settings();
    s.per_host_concurrency = 4;
    return s;
}

static void url_of(char *out, size_t cap, const char *path)
{
    snprintf(out, cap, "%s%s", g_portal.base, path);
}

/* Fetches one path with settings s and request options; waits for the result. */
static got fetch_one(const rpt_fetch_settings *s, const char *path, const char *etag,
                     const rpt_kvlist *allowlist, int allow_private, int robots)
{
    got g;
    memset(&g, 0, sizeof g);
    char url[512];
    if (path[0] != '/')
        snprintf(url, sizeof url, "%s", path); /* a full URL */
    else
        url_of(url, sizeof url, path);
    rpt_buf err = RPT_BUF_INIT;
    rpt_fetcher *f = rpt_fetcher_new(s, &err);
    rpt_buf_clear(&err);
    if (!f) return g;
    rpt_http_request req = {.url = url,
                           .etag = etag,
                           .allowlist = allowlist,
                           .allow_private = allow_private,
                           .respect_robots = robots,
                           .done = on_done,
                           .arg = &g};
    rpt_fetcher_submit(f, &req);
    while (rpt_fetcher_step(f, 500) > 0) {
    }
    rpt_fetcher_free(f);
    return g;
}

static void test_ok_and_conditional_get(void)
{
    rpt_fetch_settings s = settings();
    got a = fetch_one(&s, "/jyj/art/r1.html", NULL, NULL, 1, 0);
    CHECK_INT(a.done, 1);
    CHECK_INT(a.error, RPT_FETCH_OK);
    CHECK_INT(a.status, 200);
    CHECK(a.body_len > 100);
    CHECK(a.etag[0] == '"');
    got b = fetch_one(&s, "/jyj/art/r1.html", a.etag, NULL, 1, 0);
    CHECK_INT(b.error, RPT_FETCH_OK);
    CHECK_INT(b.status, 304);
    CHECK_INT(b.body_len, 0);
    got c = fetch_one(&s, "/jyj/art/r1.html", "\"stale\"", NULL, 1, 0);
    CHECK_INT(c.status, 200);
}

/* Body of a fetch, for checks on what the server saw. */
static void on_body(const rpt_http_result *r, void *arg)
{
    rpt_buf *out = arg;
    if (r->body->data) rpt_buf_append(out, r->body->data, r->body->len);
}

static void test_user_agent_and_encoding(void)
{
    rpt_fetch_settings s = settings();
    rpt_buf err = RPT_BUF_INIT, body = RPT_BUF_INIT;
    rpt_fetcher *f = rpt_fetcher_new(&s, &err);
    REQUIRE(f);
    char url[256];
    url_of(url, sizeof url, "/bad/headers");
    rpt_http_request req = {.url = url, .allow_private = 1, .done = on_body, .arg = &body};
    rpt_fetcher_submit(f, &req);
    while (rpt_fetcher_step(f, 500) > 0) {
    }
    rpt_fetcher_free(f);
    CHECK(body.data && strstr(body.data, "User-Agent: reportd/" REPORTD_VERSION "\n"));
    CHECK(body.data && strstr(body.data, "gzip") && strstr(body.data, "deflate"));
    rpt_buf_clear(&body);
    rpt_buf_clear(&err);
}

static void test_retries(void)
{
    rpt_fetch_settings s = settings();
    got a = fetch_one(&s, "/bad/flaky/500/2/a", NULL, NULL, 1, 0);
    CHECK_INT(a.error, RPT_FETCH_OK);
    CHECK_INT(a.status, 200);
    CHECK_INT(a.attempts, 3);
    got b = fetch_one(&s, "/bad/flaky/429/1/b", NULL, NULL, 1, 0); /* Retry-After: 1 */
    CHECK_INT(b.error, RPT_FETCH_OK);
    CHECK_INT(b.attempts, 2);
    got c = fetch_one(&s, "/bad/status/502", NULL, NULL, 1, 0);
    CHECK_INT(c.error, RPT_FETCH_ERR_HTTP);
    CHECK_INT(c.status, 502);
    CHECK_INT(c.attempts, 3); /* 1 + max_retries, then it gives up */
    CHECK(strstr(c.reason, "502") != NULL);
    got d = fetch_one(&s, "/bad/status/404", NULL, NULL, 1, 0);
    CHECK_INT(d.error, RPT_FETCH_ERR_HTTP);
    CHECK_INT(d.attempts, 1); /* no retry on 4xx */
    got e = fetch_one(&s, "/bad/status/403", NULL, NULL, 1, 0);
    CHECK_INT(e.attempts, 1);
    got f = fetch_one(&s, "/bad/flaky/408/1/f", NULL, NULL, 1, 0);
    CHECK_INT(f.error, RPT_FETCH_OK);
    CHECK_INT(f.attempts, 2);
    s.max_retries = 0;
    got g = fetch_one(&s, "/bad/flaky/500/1/g", NULL, NULL, 1, 0);
    CHECK_INT(g.error, RPT_FETCH_ERR_HTTP);
    CHECK_INT(g.attempts, 1);
}

static void test_slow_truncated_big(void)
{
    rpt_fetch_settings s = settings();
    s.max_retries = 1;
    s.low_speed_bytes = 1000;
    s.low_speed_time_s = 1;
    got a = fetch_one(&s, "/bad/slow/400/a", NULL, NULL, 1, 0); /* 40 bytes/s */
    CHECK_INT(a.error, RPT_FETCH_ERR_TIMEOUT);
    CHECK_INT(a.attempts, 2);
    got b = fetch_one(&s, "/bad/truncated/b", NULL, NULL, 1, 0);
    CHECK_INT(b.error, RPT_FETCH_ERR_RESET);
    CHECK_INT(b.attempts, 2);
    s.max_body_bytes = 4096;
    got c = fetch_one(&s, "/bad/big/100000", NULL, NULL, 1, 0);
    CHECK_INT(c.error, RPT_FETCH_ERR_TOO_BIG);
    CHECK_INT(c.attempts, 1);
    got d = fetch_one(&s, "/bad/big/4000", NULL, NULL, 1, 0);
    CHECK_INT(d.error, RPT_FETCH_OK);
    CHECK_INT(d.body_len, 4000);
}

static void test_redirects(void)
{
    rpt_fetch_settings s = settings();
    got a = fetch_one(&s, "/bad/redirect/5/a", NULL, NULL, 1, 0);
    CHECK_INT(a.error, RPT_FETCH_OK);
    CHECK(strstr(a.final_url, "/bad/redirect/0/a") != NULL);
    got b = fetch_one(&s, "/bad/redirect/6/b", NULL, NULL, 1, 0);
    CHECK_INT(b.error, RPT_FETCH_ERR_REDIRECTS);
    got c = fetch_one(&s, "/bad/redirect-loop/0", NULL, NULL, 1, 0);
    CHECK_INT(c.error, RPT_FETCH_ERR_REDIRECTS);
    CHECK_INT(c.attempts, 1);
    got d = fetch_one(&s, "/bad/redirect-to?url=file:///etc/passwd", NULL, NULL, 1, 0);
    CHECK(d.error != RPT_FETCH_OK);
    got e = fetch_one(&s, "ftp://127.0.0.1/x", NULL, NULL, 1, 0);
    CHECK_INT(e.error, RPT_FETCH_ERR_URL);
}

static void test_ssrf_guard(void)
{
    rpt_fetch_settings s = settings();
    got a = fetch_one(&s, "/jyj/index.html", NULL, NULL, 0, 0);
    CHECK_INT(a.error, RPT_FETCH_ERR_BLOCKED);
    CHECK(strstr(a.reason, "127.0.0.1") != NULL);
    CHECK_INT(a.attempts, 1);
    rpt_kvlist allow = {0};
    rpt_kvlist_add(&allow, NULL, "127.0.0.1");
    got b = fetch_one(&s, "/jyj/index.html", NULL, &allow, 0, 0);
    CHECK_INT(b.error, RPT_FETCH_OK);
    /* allowed host redirecting to another loopback address: refused after the redirect */
    const char *port = strrchr(g_portal.base, ':') + 1;
    char path[256];
    snprintf(path, sizeof path, "/bad/redirect-to?url=http://127.0.0.2:%s/jyj/index.html", port);
    got c = fetch_one(&s, path, NULL, &allow, 0, 0);
    CHECK_INT(c.error, RPT_FETCH_ERR_BLOCKED);
    CHECK(strstr(c.reason, "127.0.0.2") != NULL);
    if (c.error != RPT_FETCH_ERR_BLOCKED) fprintf(stderr, "  reason: %s\n", c.reason);
    snprintf(path, sizeof path, "http://localhost:%s/jyj/index.html", port);
    got d = fetch_one(&s, path, NULL, NULL, 0, 0); /* a name resolving to loopback */
    CHECK_INT(d.error, RPT_FETCH_ERR_BLOCKED);
    rpt_kvlist_clear(&allow);
}

static void test_robots(void)
{
    rpt_fetch_settings s = settings();
    got a = fetch_one(&s, "/private/x.html", NULL, NULL, 1, 1);
    CHECK_INT(a.error, RPT_FETCH_ERR_ROBOTS);
    got b = fetch_one(&s, "/private/x.html", NULL, NULL, 1, 0);
    CHECK_INT(b.error, RPT_FETCH_OK);
    got c = fetch_one(&s, "/jyj/index.html", NULL, NULL, 1, 1);
    CHECK_INT(c.error, RPT_FETCH_OK);
}

static void test_cancel_on_free(void)
{
    rpt_fetch_settings s = settings();
    rpt_buf err = RPT_BUF_INIT;
    rpt_fetcher *f = rpt_fetcher_new(&s, &err);
    REQUIRE(f);
    got g[3];
    memset(g, 0, sizeof g);
    char url[256];
    url_of(url, sizeof url, "/bad/slow/50/c");
    for (int i = 0; i < 3; i++) {
        rpt_http_request req = {.url = url, .allow_private = 1, .done = on_done, .arg = &g[i]};
        rpt_fetcher_submit(f, &req);
    }
    rpt_fetcher_step(f, 50);
    rpt_fetcher_free(f);
    for (int i = 0; i < 3; i++) {
        CHECK_INT(g[i].done, 1);
        CHECK_INT(g[i].error, RPT_FETCH_ERR_CANCELLED);
    }
    rpt_buf_clear(&err);
}

/* Request log lines of paths starting with prefix: times of starts and ends. */
typedef struct ev {
    long long t;
    int delta;
} ev;

static size_t read_log(const char *prefix, ev *evs, size_t cap, long long *starts, size_t *nstarts)
{
    FILE *f = fopen(g_log, "r");
    size_t n = 0;
    *nstarts = 0;
    if (!f) return 0;
    char what[16], path[512];
    long long t;
    while (fscanf(f, "%15s %lld %511s", what, &t, path) == 3) {
        if (strncmp(path, prefix, strlen(prefix)) || n >= cap) continue;
        int start = !strcmp(what, "start");
        evs[n].t = t;
        evs[n++].delta = start ? 1 : -1;
        if (start) starts[(*nstarts)++] = t;
    }
    fclose(f);
    return n;
}

static int ev_cmp(const void *a, const void *b)
{
    const ev *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return x->delta - y->delta; /* ends before starts at the same instant */
}

static int max_overlap(ev *evs, size_t n)
{
    qsort(evs, n, sizeof *evs, ev_cmp);
    int cur = 0, max = 0;
    for (size_t i = 0; i < n; i++) {
        cur += evs[i].delta;
        if (cur > max) max = cur;
    }
    return max;
}

/* Runs n requests of path template (with %d) through one fetcher. */
static void run_batch(const rpt_fetch_settings *s, const char *tmpl, int n)
{
    rpt_buf err = RPT_BUF_INIT;
    rpt_fetcher *f = rpt_fetcher_new(s, &err);
    rpt_buf_clear(&err);
    if (!f) return;
    got g[32];
    memset(g, 0, sizeof g);
    for (int i = 0; i < n && i < 32; i++) {
        char path[256], url[512];
        snprintf(path, sizeof path, tmpl, i);
        url_of(url, sizeof url, path);
        rpt_http_request req = {.url = url, .allow_private = 1, .done = on_done, .arg = &g[i]};
        rpt_fetcher_submit(f, &req);
    }
    while (rpt_fetcher_step(f, 500) > 0) {
    }
    rpt_fetcher_free(f);
    for (int i = 0; i < n && i < 32; i++)
        CHECK_INT(g[i].error, RPT_FETCH_OK);
}

static void test_politeness(void)
{
    ev evs[128];
    long long starts[64];
    size_t ns = 0;
    rpt_fetch_settings s = settings();
    /* one at a time, at least 150 ms apart */
    s.per_host_concurrency = 1;
    s.per_host_delay_ms = 150;
    run_batch(&s, "/bad/counter/delay-%d", 6);
    size_t n = read_log("/bad/counter/delay-", evs, 128, starts, &ns);
    CHECK_INT(ns, 6);
    for (size_t i = 1; i < ns; i++) {
        CHECK(starts[i] - starts[i - 1] >= 130); /* 20 ms for scheduling on the server side */
        if (starts[i] - starts[i - 1] < 130)
            fprintf(stderr, "  gap %zu: %lld ms\n", i, starts[i] - starts[i - 1]);
    }
    CHECK(max_overlap(evs, n) <= 1);
    /* at most 2 in flight to the host */
    s.per_host_concurrency = 2;
    s.per_host_delay_ms = 0;
    run_batch(&s, "/bad/slow/3/host-%d", 8);
    n = read_log("/bad/slow/3/host-", evs, 128, starts, &ns);
    CHECK_INT(ns, 8);
    CHECK(max_overlap(evs, n) <= 2);
    /* global limit below the per-host one */
    s.per_host_concurrency = 10;
    s.concurrency = 3;
    run_batch(&s, "/bad/slow/3/global-%d", 10);
    n = read_log("/bad/slow/3/global-", evs, 128, starts, &ns);
    CHECK_INT(ns, 10);
    CHECK(max_overlap(evs, n) <= 3);
}

static int setup(void)
{
    t_env_or_skip("REPORTD_BIN");
    snprintf(g_dir, sizeof g_dir, "%s/reportd-fetcher-%d",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    mkdir(g_dir, 0755);
    snprintf(g_log, sizeof g_log, "%s/requests.log", g_dir);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/site", g_dir);
    mkdir(sub, 0755);
    t_write_file(sub, "r1.txt", "某县教育局2024年工作总结\n\n一、主要工作\n全年新增学位1200个。\n");
    if (t_portal_start(&g_portal, sub, g_log, 20)) {
        fprintf(stderr, "cannot start dev-portal\n");
        return 1;
    }
    return 0;
}

static void teardown(void)
{
    t_portal_stop(&g_portal);
    t_remove_dir(g_dir);
}

TEST_MAIN_WITH(setup, teardown, T(test_ok_and_conditional_get), T(test_user_agent_and_encoding),
               T(test_retries), T(test_slow_truncated_big), T(test_redirects), T(test_ssrf_guard),
               T(test_robots), T(test_cancel_on_free), T(test_politeness))
