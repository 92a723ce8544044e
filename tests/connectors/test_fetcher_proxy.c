/* Proxies and the SSRF guard. The environment's http_proxy/https_proxy/ALL_PROXY are never
 * used (they pointed every request at a listener the guard did not judge); a proxy comes
 * from fetch.proxy only, and then the guard judges each target (also after a redirect),
 * not the proxy's address. A tiny in-process proxy records what reaches it; as a plain
 * server it also answers a Retry-After that used to overflow. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "connectors/http/fetcher.h"
#include "support/fetch_settings.h"
#include "support/portal.h"
#include "test.h"

static int g_listen = -1, g_port;
static atomic_int g_conns, g_retry_hits;
static char g_last[512];
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

/* Answers every request: a 302 to the metadata address for /redirect, else 200 "ok". */
static void *proxy_main(void *arg)
{
    (void)arg;
    for (;;) {
        int c = accept(g_listen, NULL, NULL);
        if (c < 0) return NULL;
        atomic_fetch_add(&g_conns, 1);
        char buf[2048];
        ssize_t n = recv(c, buf, sizeof buf - 1, 0);
        if (n > 0) {
            buf[n] = '\0';
            char *eol = strstr(buf, "\r\n");
            if (eol) *eol = '\0';
            pthread_mutex_lock(&g_lock);
            snprintf(g_last, sizeof g_last, "%.500s", buf);
            pthread_mutex_unlock(&g_lock);
            if (strstr(buf, "/retry-after-huge")) atomic_fetch_add(&g_retry_hits, 1);
            const char *resp =
                strstr(buf, "/retry-after-huge")
                    ? "HTTP/1.1 503 Busy\r\nRetry-After: 99999999999999999999\r\n"
                      "Content-Length: 0\r\nConnection: close\r\n\r\n"
                : strstr(buf, "/redirect")
                    ? "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data/\r\n"
                      "Content-Length: 0\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
            if (send(c, resp, strlen(resp), MSG_NOSIGNAL) < 0) perror("send");
        }
        close(c);
    }
}

typedef struct got {
    rpt_fetch_error error;
    int status;
    char reason[512], body[64];
} got;

static void on_done(const rpt_http_result *r, void *arg)
{
    got *g = arg;
    g->error = r->error;
    g->status = r->status;
    snprintf(g->reason, sizeof g->reason, "%s", r->reason ? r->reason : "");
    snprintf(g->body, sizeof g->body, "%s", r->body->data ? r->body->data : "");
}

static got fetch(rpt_fetch_settings *s, const char *url, int allow_private)
{
    got g;
    memset(&g, 0, sizeof g);
    g.error = RPT_FETCH_ERR_OTHER;
    rpt_buf err = RPT_BUF_INIT;
    rpt_fetcher *f = rpt_fetcher_new(s, &err);
    rpt_buf_clear(&err);
    if (!f) return g;
    rpt_http_request req = {.url = url, .allow_private = allow_private, .done = on_done, .arg = &g};
    rpt_fetcher_submit(f, &req);
    while (rpt_fetcher_step(f, 200) > 0) {
    }
    rpt_fetcher_free(f);
    return g;
}

static t_portal g_portal;

static void test_environment_ignored(void)
{
    char proxy[64];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", g_port);
    const char *vars[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ALL_PROXY",
                          "all_proxy"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        setenv(vars[i], proxy, 1);
    unsetenv("NO_PROXY");
    unsetenv("no_proxy");
    rpt_fetch_settings s = t_fetch_settings();
    s.max_retries = 0;
    s.timeout_s = 5;
    char url[256];
    snprintf(url, sizeof url, "%s/jyj/index.html", g_portal.base);
    int before = atomic_load(&g_conns);
    got a = fetch(&s, url, 1); /* straight to the portal */
    CHECK_INT(a.error, RPT_FETCH_OK);
    CHECK_INT(a.status, 200);
    CHECK_INT(atomic_load(&g_conns) - before, 0);
    /* the guard still judges the real target: the loopback portal is refused */
    got b = fetch(&s, url, 0);
    CHECK_INT(b.error, RPT_FETCH_ERR_BLOCKED);
    CHECK_INT(atomic_load(&g_conns) - before, 0);
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        unsetenv(vars[i]);
}

static void test_config_proxy_guards_target(void)
{
    char proxy[64];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", g_port);
    rpt_fetch_settings s = t_fetch_settings();
    s.max_retries = 0;
    s.timeout_s = 5;
    s.proxy = proxy;
    /* a public target through the (loopback) proxy: the proxy's address is not judged */
    int before = atomic_load(&g_conns);
    got a = fetch(&s, "http://8.8.8.8/report.html", 0);
    CHECK_INT(a.error, RPT_FETCH_OK);
    CHECK_STR(a.body, "ok");
    CHECK_INT(atomic_load(&g_conns) - before, 1);
    pthread_mutex_lock(&g_lock);
    CHECK(strstr(g_last, "GET http://8.8.8.8/report.html") == g_last);
    pthread_mutex_unlock(&g_lock);
    /* a private target: refused before anything reaches the proxy */
    before = atomic_load(&g_conns);
    got b = fetch(&s, "http://169.254.169.254/latest/meta-data/", 0);
    CHECK_INT(b.error, RPT_FETCH_ERR_BLOCKED);
    CHECK(strstr(b.reason, "169.254.169.254") != NULL);
    got c = fetch(&s, "http://[::1]/x", 0);
    CHECK_INT(c.error, RPT_FETCH_ERR_BLOCKED);
    got d = fetch(&s, "http://localhost/x", 0);
    CHECK_INT(d.error, RPT_FETCH_ERR_BLOCKED);
    CHECK_INT(atomic_load(&g_conns) - before, 0);
    /* a public target redirecting to a private one: refused at the redirect */
    before = atomic_load(&g_conns);
    got e = fetch(&s, "http://8.8.8.8/redirect", 0);
    CHECK_INT(e.error, RPT_FETCH_ERR_BLOCKED);
    if (e.error != RPT_FETCH_ERR_BLOCKED) fprintf(stderr, "  reason: %s\n", e.reason);
    pthread_mutex_lock(&g_lock);
    CHECK(strstr(g_last, "169.254") == NULL); /* the redirect target was never requested */
    pthread_mutex_unlock(&g_lock);
}

/* Retry-After: 99999999999999999999 is a wait far beyond the bound: the request completes
 * at once with the reason, instead of overflowing into a short wait and retrying. */
static void test_retry_after_overflow(void)
{
    CHECK(rpt_retry_after_ms("99999999999999999999", 0) == 10LL * 365 * 24 * 3600 * 1000);
    CHECK(rpt_retry_after_ms("120", 0) == 120000);
    CHECK(rpt_retry_after_ms(" 7 ", 0) == 7000);
    CHECK(rpt_retry_after_ms("-5", 0) == -1);
    CHECK(rpt_retry_after_ms("12abc", 0) == -1);
    CHECK(rpt_retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480) == 0);
    CHECK(rpt_retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470) == 10000);
    rpt_fetch_settings s = t_fetch_settings();
    s.max_retries = 3;
    s.timeout_s = 5;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/retry-after-huge", g_port);
    got a = fetch(&s, url, 1);
    CHECK_INT(a.error, RPT_FETCH_ERR_HTTP);
    CHECK_INT(a.status, 503);
    CHECK(strstr(a.reason, "Retry-After") != NULL);
    CHECK_INT(atomic_load(&g_retry_hits), 1); /* not retried */
}

static pthread_t g_tid;
static char g_dir[256];

static int setup(void)
{
    t_env_or_skip("REPORTD_DEV_BIN");
    g_listen = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sin;
    if (g_listen < 0 || bind(g_listen, (struct sockaddr *)&sin, sizeof sin) ||
        listen(g_listen, 16) || getsockname(g_listen, (struct sockaddr *)&sin, &len))
        return 1;
    g_port = ntohs(sin.sin_port);
    if (pthread_create(&g_tid, NULL, proxy_main, NULL)) return 1;
    snprintf(g_dir, sizeof g_dir, "%s/reportd-proxy-%d",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    mkdir(g_dir, 0755);
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
    shutdown(g_listen, SHUT_RDWR);
    close(g_listen);
    pthread_join(g_tid, NULL);
}

TEST_MAIN_WITH(setup, teardown, T(test_environment_ignored), T(test_config_proxy_guards_target),
               T(test_retry_after_overflow))
