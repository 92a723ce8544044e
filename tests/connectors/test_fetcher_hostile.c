/* A short fault-injection run: the fetcher, then the decoders, against the dev-portal's
 * hostile routes (/bad/: endless redirects, slow drip, gzip bomb, 1 MB and 30 MB pages,
 * invalid UTF-8 headers, a huge Retry-After, billion-laughs XML, wrong Content-Type,
 * truncated body) and a pathological robots.txt. Every request ends with a clear outcome
 * within bounded time and memory; nothing crashes. Prints the outcomes and the peak RSS. */
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "connectors/http/fetcher.h"
#include "pipeline/fetch/sources/markup.h"
#include "support/fetch_settings.h"
#include "support/portal.h"
#include "test.h"
#include "transforms/decode.h"
#include "transforms/extract.h"

static t_portal g_portal;

typedef struct got {
    rpt_fetch_error error;
    int status;
    char reason[512], etag[64];
    rpt_buf body;
    double seconds;
} got;

static void on_done(const rpt_http_result *r, void *arg)
{
    got *g = arg;
    g->error = r->error;
    g->status = r->status;
    snprintf(g->reason, sizeof g->reason, "%s", r->reason ? r->reason : "");
    snprintf(g->etag, sizeof g->etag, "%s", r->etag ? r->etag : "");
    if (r->body->data) rpt_buf_append(&g->body, r->body->data, r->body->len);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static got fetch(const char *path, int robots)
{
    got g;
    memset(&g, 0, sizeof g);
    g.error = RPT_FETCH_ERR_OTHER;
    rpt_fetch_settings s = t_fetch_settings();
    s.max_retries = 1;
    s.timeout_s = 10;
    s.low_speed_time_s = 3;
    s.low_speed_bytes = 1000;
    char url[512];
    snprintf(url, sizeof url, "%s%s", g_portal.base, path);
    rpt_buf err = RPT_BUF_INIT;
    rpt_fetcher *f = rpt_fetcher_new(&s, &err);
    rpt_buf_clear(&err);
    if (!f) return g;
    double t0 = now_s();
    rpt_http_request req = {
        .url = url, .allow_private = 1, .respect_robots = robots, .done = on_done, .arg = &g};
    rpt_fetcher_submit(f, &req);
    while (rpt_fetcher_step(f, 200) > 0) {
    }
    rpt_fetcher_free(f);
    g.seconds = now_s() - t0;
    fprintf(stderr, "  %-32s %-10s status=%d %.2fs %s\n", path, rpt_fetch_error_name(g.error),
            g.status, g.seconds, g.reason);
    return g;
}

/* Runs a fetched body through the decoders (as the transform stage would): a document or
 * a reason, never a crash. */
static int decode_body(const got *g, const char *name, const char *ctype)
{
    rpt_extract_input in = {.source = name,
                           .data = (const unsigned char *)g->body.data,
                           .len = g->body.len,
                           .content_type = ctype};
    rpt_document doc;
    memset(&doc, 0, sizeof doc);
    rpt_buf err = RPT_BUF_INIT;
    int rc = rpt_decode(&in, &doc, &err);
    if (rc == 0) rpt_document_clear(&doc);
    rpt_buf_clear(&err);
    return rc;
}

static void test_hostile_routes(void)
{
    got a = fetch("/bad/redirect-loop/0", 0);
    CHECK_INT(a.error, RPT_FETCH_ERR_REDIRECTS);
    got b = fetch("/bad/gzip-bomb/64", 0); /* 64 MiB of zeros in a few hundred KB */
    CHECK_INT(b.error, RPT_FETCH_ERR_TOO_BIG);
    CHECK(b.seconds < 10);
    got c = fetch("/bad/big/1048576", 0);
    CHECK_INT(c.error, RPT_FETCH_OK);
    CHECK_INT((long long)c.body.len, 1048576);
    CHECK(decode_body(&c, "big.html", "text/html") <= 0);
    got d = fetch("/bad/big/31457280", 0); /* 30 MB > fetch.max_body_bytes (20 MiB) */
    CHECK_INT(d.error, RPT_FETCH_ERR_TOO_BIG);
    got e = fetch("/bad/bad-headers", 0);
    CHECK_INT(e.error, RPT_FETCH_OK);
    CHECK(e.etag[0] == '"');
    CHECK(decode_body(&e, "bad-headers.html", "text/html; charset=utf-8") == 0);
    got f = fetch("/bad/retry-after/99999999999999999999", 0);
    CHECK_INT(f.error, RPT_FETCH_ERR_HTTP);
    CHECK(strstr(f.reason, "Retry-After") != NULL);
    CHECK(f.seconds < 5);
    got g = fetch("/bad/laughs.xml", 0);
    CHECK_INT(g.error, RPT_FETCH_OK);
    const char *why = NULL;
    CHECK(rpt_xml_parse((const unsigned char *)g.body.data, g.body.len, "laughs.xml", &why) ==
          NULL);
    CHECK(why && strstr(why, "internal subset") != NULL);
    got h = fetch("/bad/wrong-type", 0);
    CHECK_INT(h.error, RPT_FETCH_OK);
    CHECK(decode_body(&h, "wrong-type.html", "text/html; charset=utf-8") <= 0);
    got i = fetch("/bad/truncated/x", 0);
    CHECK_INT(i.error, RPT_FETCH_ERR_RESET);
    got j = fetch("/bad/slow/400/drip", 0); /* 16 bytes every 400 ms: below the minimum speed */
    CHECK_INT(j.error, RPT_FETCH_ERR_TIMEOUT);
    CHECK(j.seconds < 20);
    /* robots.txt of the portal: 18-star pattern and a line of a million '*' */
    char path[128] = "/";
    memset(path + 1, 'a', 60);
    got k = fetch(path, 1);
    CHECK_INT(k.error, RPT_FETCH_ERR_ROBOTS); /* the million-star Disallow matches all */
    CHECK(k.seconds < 5);
    rpt_buf_clear(&a.body), rpt_buf_clear(&b.body), rpt_buf_clear(&c.body), rpt_buf_clear(&d.body);
    rpt_buf_clear(&e.body), rpt_buf_clear(&f.body), rpt_buf_clear(&g.body), rpt_buf_clear(&h.body);
    rpt_buf_clear(&i.body), rpt_buf_clear(&j.body), rpt_buf_clear(&k.body);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "  peak RSS %ld KiB\n", ru.ru_maxrss);
    CHECK(ru.ru_maxrss < 512 * 1024);
}

static char g_dir[256];

static int setup(void)
{
    t_env_or_skip("REPORTD_DEV_BIN");
    snprintf(g_dir, sizeof g_dir, "%s/reportd-hostile-%d",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    mkdir(g_dir, 0755);
    rpt_buf robots = RPT_BUF_INIT;
    rpt_buf_puts(&robots, "User-agent: *\nDisallow: /");
    for (int i = 0; i < 18; i++)
        rpt_buf_puts(&robots, "*a");
    rpt_buf_puts(&robots, "*b\nDisallow: ");
    for (int i = 0; i < 1000000; i++)
        rpt_buf_putc(&robots, '*');
    rpt_buf_puts(&robots, "\n");
    t_write_file(g_dir, "robots.txt", robots.data);
    rpt_buf_clear(&robots);
    t_write_file(g_dir, "r1.txt", "某县教育局2024年工作总结\n\n一、主要工作\n全年新增学位1200个。\n");
    if (t_portal_start(&g_portal, g_dir, NULL, 20)) {
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

TEST_MAIN_WITH(setup, teardown, T(test_hostile_routes))
