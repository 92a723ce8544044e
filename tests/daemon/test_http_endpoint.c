/* The observability endpoint: /healthz, /readyz following the readiness callback, /metrics
 * in a format that a strict checker (and promtool, when installed) accepts, and clear
 * answers to anything else. */
#include <stdatomic.h>
#include <unistd.h>

#include "daemon/http_endpoint.h"
#include "common/metrics.h"
#include "http_get.h"
#include "prom_check.h"
#include "test.h"

static atomic_int g_ready;

static int fake_ready(void *arg, rpt_buf *why)
{
    (void)arg;
    if (atomic_load(&g_ready)) return 1;
    rpt_buf_puts(why, "postgres unreachable: connection refused");
    return 0;
}

static void test_health_and_readiness(void)
{
    rpt_buf err = RPT_BUF_INIT, body = RPT_BUF_INIT;
    rpt_http_endpoint *ep = rpt_http_endpoint_start("127.0.0.1:0", fake_ready, NULL, &err);
    REQUIRE(ep);
    int port = rpt_http_endpoint_port(ep);
    CHECK(port > 0);
    CHECK_INT(t_http("GET", port, "/healthz", &body), 200);
    CHECK_STR(body.data, "ok\n");
    atomic_store(&g_ready, 0);
    CHECK_INT(t_http("GET", port, "/readyz", &body), 503);
    CHECK(body.data && strstr(body.data, "postgres unreachable"));
    atomic_store(&g_ready, 1);
    CHECK_INT(t_http("GET", port, "/readyz", &body), 200);
    CHECK_STR(body.data, "ready\n");
    CHECK_INT(t_http("GET", port, "/nope", &body), 404);
    CHECK_INT(t_http("POST", port, "/metrics", &body), 405);
    CHECK_INT(t_http("HEAD", port, "/healthz", &body), 200);
    rpt_http_endpoint_stop(ep);
    /* the port is released: nothing answers any more */
    CHECK_INT(t_http("GET", port, "/healthz", &body), 0);
    rpt_buf_clear(&err);
    rpt_buf_clear(&body);
}

static void test_bad_listen_addresses(void)
{
    const char *bad[] = {"127.0.0.1", "127.0.0.1:99999", "::1:80", "not a host:80", "1.2.3.4:x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rpt_buf err = RPT_BUF_INIT;
        rpt_http_endpoint *ep = rpt_http_endpoint_start(bad[i], NULL, NULL, &err);
        CHECK(ep == NULL);
        CHECK(err.data && strstr(err.data, "http.listen"));
        rpt_http_endpoint_stop(ep);
        rpt_buf_clear(&err);
    }
    /* a port already taken is an error, not a crash */
    rpt_buf err = RPT_BUF_INIT;
    rpt_http_endpoint *a = rpt_http_endpoint_start("127.0.0.1:0", NULL, NULL, &err);
    REQUIRE(a);
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", rpt_http_endpoint_port(a));
    rpt_http_endpoint *b = rpt_http_endpoint_start(listen, NULL, NULL, &err);
    CHECK(b == NULL);
    rpt_http_endpoint_stop(b);
    rpt_http_endpoint_stop(a);
    rpt_buf_clear(&err);
}

static void test_listen_parsing(void)
{
    char *host = NULL;
    int port = 0;
    CHECK(rpt_http_parse_listen("[::1]:9464", &host, &port) == 0);
    CHECK_STR(host, "::1");
    CHECK_INT(port, 9464);
    free(host);
    CHECK(rpt_http_parse_listen(":9464", &host, &port) == 0);
    CHECK_STR(host, "0.0.0.0");
    free(host);
    CHECK(rpt_http_parse_listen("*:1", &host, &port) == 0);
    CHECK_STR(host, "0.0.0.0");
    free(host);
}

/* Runs `promtool check metrics` on text when promtool is installed; 1 ok, 0 failed, -1 absent. */
static int promtool_accepts(const rpt_buf *text)
{
    if (system("command -v promtool >/dev/null 2>&1") != 0) return -1;
    char path[] = "/tmp/reportd-metrics-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    ssize_t w = write(fd, text->data, text->len);
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "promtool check metrics < %s", path);
    int rc = w == (ssize_t)text->len ? system(cmd) : -1;
    unlink(path);
    return rc == 0;
}

static void test_metrics_format(void)
{
    rpt_metrics_reset();
    rpt_metrics_declare("reportd_documents_fetched_total", RPT_METRIC_COUNTER,
                       "Documents fetched, by source.");
    rpt_metrics_declare("reportd_batch_seconds", RPT_METRIC_HISTOGRAM,
                       "Loader batch latency in seconds.");
    rpt_metrics_declare("reportd_consumer_lag", RPT_METRIC_GAUGE, "Messages behind, by topic.");
    rpt_buf label = RPT_BUF_INIT;
    rpt_buf_puts(&label, "source=\"");
    rpt_metrics_label_escape(&label, "南岳 \"edu\"\\\nportal");
    rpt_buf_puts(&label, "\"");
    rpt_metrics_add("reportd_documents_fetched_total", label.data, 3);
    rpt_metrics_inc("reportd_documents_fetched_total", "source=\"nanyue\"");
    rpt_metrics_observe("reportd_batch_seconds", NULL, 0.003);
    rpt_metrics_observe("reportd_batch_seconds", NULL, 0.7);
    rpt_metrics_observe("reportd_batch_seconds", NULL, 99);
    rpt_metrics_observe("reportd_batch_seconds", "role=\"load\"", 0.02);
    rpt_metrics_set("reportd_consumer_lag", "topic=\"reports.raw\"", 12);
    rpt_metrics_set("reportd_consumer_lag", "topic=\"reports.parsed\"", 0.5);

    rpt_buf err = RPT_BUF_INIT, body = RPT_BUF_INIT;
    rpt_http_endpoint *ep = rpt_http_endpoint_start("127.0.0.1:0", NULL, NULL, &err);
    REQUIRE(ep);
    CHECK_INT(t_http("GET", rpt_http_endpoint_port(ep), "/metrics", &body), 200);
    rpt_http_endpoint_stop(ep);
    REQUIRE(body.data);
    rpt_buf perr = RPT_BUF_INIT;
    int samples = prom_check(body.data, body.len, &perr);
    if (samples < 0) fprintf(stderr, "%s\n---\n%s", perr.data, body.data);
    /* 2 counter series + 2 histograms x (13 buckets + sum + count) + 2 gauges + RSS */
    CHECK_INT(samples, 2 + 2 * 15 + 2 + 1);
    CHECK(strstr(body.data, "reportd_batch_seconds_bucket{le=\"+Inf\"} 3\n") != NULL);
    CHECK(strstr(body.data, "reportd_batch_seconds_bucket{le=\"1\"} 2\n") != NULL);
    CHECK(strstr(body.data, "source=\"南岳 \\\"edu\\\"\\\\\\nportal\"} 3\n") != NULL);
    CHECK(strstr(body.data, "process_resident_memory_bytes ") != NULL);
    int promtool = promtool_accepts(&body);
    if (promtool < 0)
        fprintf(stderr, "note: promtool not installed, strict checker only\n");
    else
        CHECK(promtool == 1);
    rpt_buf_clear(&perr);
    rpt_buf_clear(&err);
    rpt_buf_clear(&body);
    rpt_buf_clear(&label);
    rpt_metrics_reset();
}

/* The checker itself must reject what Prometheus rejects, or the test above proves nothing. */
static void test_checker_rejects_bad_exposition(void)
{
    const char *bad[] = {
        "1metric 1\n",
        "m{a=\"x} 1\n",
        "m{a=\"\\q\"} 1\n",
        "m 1x\n",
        "m{a=\"1\"} 1\nm{a=\"1\"} 2\n",
        "# TYPE c counter\nc -1\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket 1\n",
        "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"1\"} 2\n",
        "# TYPE a gauge\n# TYPE a counter\na 1\n",
        "# TYPE a wobble\na 1\n",
        "m 1",
        "m\t1\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rpt_buf err = RPT_BUF_INIT;
        int rc = prom_check(bad[i], strlen(bad[i]), &err);
        if (rc >= 0) fprintf(stderr, "accepted bad exposition #%zu\n", i);
        CHECK(rc == -1);
        rpt_buf_clear(&err);
    }
    const char *good = "# HELP a An \\\\ escaped\\n help.\n# TYPE a gauge\na{x=\"1\"} 1.5e3\n"
                       "a{x=\"2\"} NaN 1700000000000\n# a comment\nuntyped_one -Inf\n";
    rpt_buf err = RPT_BUF_INIT;
    CHECK_INT(prom_check(good, strlen(good), &err), 3);
    rpt_buf_clear(&err);
}

TEST_MAIN(T(test_health_and_readiness), T(test_bad_listen_addresses), T(test_listen_parsing),
          T(test_metrics_format), T(test_checker_rejects_bad_exposition))
