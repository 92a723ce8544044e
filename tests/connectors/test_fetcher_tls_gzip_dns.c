/* The fetcher's TLS verification against a local `openssl s_server` with a CA and
 * certificates made by this test; gzip/deflate bodies decoded; DNS failures retried and
 * reported as dns; a Retry-After longer than timeout_s waited out (up to its bound) without
 * holding a connection slot. The HTTP cases use tests/connectors/stub_http.py. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connectors/http/fetcher.h"
#include "support/fetch_settings.h"
#include "test.h"

static char g_dir[512];
static char g_stub_base[128];

typedef struct got {
    int done, order;
    rpt_fetch_error error;
    int status, attempts;
    char reason[512];
    rpt_buf body;
} got;

static int g_completed;

static void on_done(const rpt_http_result *r, void *arg)
{
    got *g = arg;
    g->done++;
    g->order = ++g_completed;
    g->error = r->error;
    g->status = r->status;
    g->attempts = r->attempts;
    snprintf(g->reason, sizeof g->reason, "%s", r->reason ? r->reason : "");
    if (r->body->data) rpt_buf_append(&g->body, r->body->data, r->body->len);
}

static rpt_fetch_settings settings(void)
{
    rpt_fetch_settings s = t_fetch_settings();
    s.connect_timeout_s = 5;
    return s;
}

/* Fetches url with s and waits for the result; the caller frees g.body. */
static got fetch_one(const rpt_fetch_settings *s, const char *url)
{
    got g;
    memset(&g, 0, sizeof g);
    rpt_buf err = RPT_BUF_INIT;
    rpt_fetcher *f = rpt_fetcher_new(s, &err);
    rpt_buf_clear(&err);
    if (!f) return g;
    rpt_http_request req = {.url = url, .allow_private = 1, .done = on_done, .arg = &g};
    rpt_fetcher_submit(f, &req);
    while (rpt_fetcher_step(f, 500) > 0) {
    }
    rpt_fetcher_free(f);
    return g;
}

/* A child process and the read end of its stdout, kept open so its output never fails. */
typedef struct child {
    pid_t pid;
    FILE *out;
} child;

/* Starts argv as a child with stdout on a pipe and reads lines until one starts with
 * `ready`; that line (without newline) goes to line. Returns the child (pid -1 on failure). */
static child spawn_until(char *const argv[], const char *ready, char *line, size_t cap)
{
    child c = {-1, NULL};
    int fds[2];
    if (pipe(fds)) return c;
    pid_t pid = fork();
    if (pid < 0) return c;
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    int ok = 0;
    while (f && fgets(line, (int)cap, f)) {
        if (!strncmp(line, ready, strlen(ready))) {
            ok = 1;
            break;
        }
    }
    if (!ok) {
        if (f) fclose(f);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return c;
    }
    line[strcspn(line, "\r\n")] = '\0';
    c.pid = pid;
    c.out = f;
    return c;
}

static void stop(child *c)
{
    if (c->pid > 0) {
        kill(c->pid, SIGTERM);
        waitpid(c->pid, NULL, 0);
        c->pid = -1;
    }
    if (c->out) fclose(c->out);
    c->out = NULL;
}

/* A TCP port free on 127.0.0.1 right now, or -1. */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = -1;
    if (!bind(fd, (struct sockaddr *)&a, sizeof a) && !getsockname(fd, (struct sockaddr *)&a, &len))
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* Makes a test CA and a server certificate for IP 127.0.0.1 (no DNS names) in g_dir. */
static int make_certs(void)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && "
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
             "-keyout ca.key -out ca.pem -days 2 -subj '/CN=reportd test CA' "
             "-addext basicConstraints=critical,CA:TRUE "
             "-addext keyUsage=critical,keyCertSign,cRLSign && "
             "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
             "-keyout srv.key -out srv.csr -subj '/CN=127.0.0.1' && "
             "printf 'subjectAltName=IP:127.0.0.1\\n' > srv.ext && "
             "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
             "-out srv.pem -days 2 -extfile srv.ext",
             g_dir);
    char full[4200];
    snprintf(full, sizeof full, "( %s ) >/dev/null 2>&1", cmd);
    return system(full) == 0 ? 0 : -1;
}

static void test_tls(void)
{
    REQUIRE(make_certs() == 0);
    int port = -1;
    child srv = {-1, NULL};
    char accept[64], cert[600], key[600], ca[600], line[256];
    snprintf(cert, sizeof cert, "%s/srv.pem", g_dir);
    snprintf(key, sizeof key, "%s/srv.key", g_dir);
    snprintf(ca, sizeof ca, "%s/ca.pem", g_dir);
    for (int i = 0; i < 5 && srv.pid < 0; i++) { /* the port may be taken between probe and use */
        port = free_port();
        snprintf(accept, sizeof accept, "127.0.0.1:%d", port);
        char *argv[] = {"openssl", "s_server", "-accept", accept, "-cert",
                        cert,      "-key",     key,       "-www", NULL};
        srv = spawn_until(argv, "ACCEPT", line, sizeof line);
    }
    REQUIRE(srv.pid > 0);
    char url[128], wrong_host[128];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", port);
    snprintf(wrong_host, sizeof wrong_host, "https://localhost:%d/", port);
    rpt_fetch_settings s = settings();

    /* the system CAs do not know the test CA: a TLS failure, not retried */
    got a = fetch_one(&s, url);
    CHECK_INT(a.done, 1);
    CHECK_INT(a.error, RPT_FETCH_ERR_TLS);
    CHECK(!strncmp(a.reason, "tls", 3));
    CHECK_INT(a.attempts, 1);
    if (a.error != RPT_FETCH_ERR_TLS) fprintf(stderr, "  reason: %s\n", a.reason);

    /* with fetch.ca_file it verifies and the page arrives */
    s.ca_file = ca;
    got b = fetch_one(&s, url);
    CHECK_INT(b.error, RPT_FETCH_OK);
    CHECK_INT(b.status, 200);
    CHECK(b.body.data && strstr(b.body.data, "<HTML>") != NULL);
    if (b.error != RPT_FETCH_OK) fprintf(stderr, "  reason: %s\n", b.reason);

    /* a valid chain, but the certificate names 127.0.0.1 and not localhost */
    got c = fetch_one(&s, wrong_host);
    CHECK_INT(c.error, RPT_FETCH_ERR_TLS);
    CHECK(!strncmp(c.reason, "tls", 3));
    if (c.error != RPT_FETCH_ERR_TLS) fprintf(stderr, "  reason: %s\n", c.reason);

    /* a CA file that cannot be read is a TLS error too, never an unverified fetch */
    char missing[600];
    snprintf(missing, sizeof missing, "%s/no-such-ca.pem", g_dir);
    s.ca_file = missing;
    got d = fetch_one(&s, url);
    CHECK_INT(d.error, RPT_FETCH_ERR_TLS);

    stop(&srv);
    rpt_buf_clear(&a.body);
    rpt_buf_clear(&b.body);
    rpt_buf_clear(&c.body);
    rpt_buf_clear(&d.body);
}

static void test_content_encoding(void)
{
    rpt_fetch_settings s = settings();
    const char *kinds[] = {"gzip", "deflate"};
    char want[601];
    for (int i = 0; i < 200; i++)
        memcpy(want + 3 * i, "abc", 3);
    want[600] = '\0';
    for (int k = 0; k < 2; k++) {
        char url[256];
        snprintf(url, sizeof url, "%s/%s/abc", g_stub_base, kinds[k]);
        got g = fetch_one(&s, url);
        CHECK_INT(g.error, RPT_FETCH_OK);
        CHECK_INT(g.body.len, 600); /* the compressed body is far shorter */
        CHECK(g.body.data && g.body.len == 600 && !memcmp(g.body.data, want, 600));
        rpt_buf_clear(&g.body);
    }
}

static void test_dns_retried(void)
{
    rpt_fetch_settings s = settings();
    got g = fetch_one(&s, "http://nonexistent.invalid/report.html");
    CHECK_INT(g.error, RPT_FETCH_ERR_DNS);
    CHECK_INT(g.attempts, 3); /* 1 + max_retries */
    CHECK(!strncmp(g.reason, "dns", 3));
    CHECK(!strcmp(rpt_fetch_error_name(g.error), "dns"));
    s.max_retries = 0;
    got h = fetch_one(&s, "http://nonexistent.invalid/report.html");
    CHECK_INT(h.error, RPT_FETCH_ERR_DNS);
    CHECK_INT(h.attempts, 1);
    rpt_buf_clear(&g.body);
    rpt_buf_clear(&h.body);
}

static void test_long_retry_after(void)
{
    rpt_fetch_settings s = settings();
    s.timeout_s = 1;
    char url[256];
    /* Retry-After 2 s > timeout_s 1 s: waited out, then served */
    snprintf(url, sizeof url, "%s/retry-after/2/a", g_stub_base);
    got a = fetch_one(&s, url);
    CHECK_INT(a.error, RPT_FETCH_OK);
    CHECK_INT(a.status, 200);
    CHECK_INT(a.attempts, 2);
    /* beyond 10 x timeout_s: a failure right away, with the reason */
    snprintf(url, sizeof url, "%s/retry-after/11/b", g_stub_base);
    got b = fetch_one(&s, url);
    CHECK_INT(b.error, RPT_FETCH_ERR_HTTP);
    CHECK_INT(b.status, 429);
    CHECK_INT(b.attempts, 1);
    CHECK(strstr(b.reason, "Retry-After 11s") != NULL);
    rpt_buf_clear(&a.body);
    rpt_buf_clear(&b.body);

    /* With one connection slot in all, a request to another origin completes while the
     * first waits out its Retry-After: the wait holds no slot. */
    s.concurrency = 1;
    s.per_host_concurrency = 1;
    rpt_buf err = RPT_BUF_INIT;
    rpt_fetcher *f = rpt_fetcher_new(&s, &err);
    REQUIRE(f);
    got w, o;
    memset(&w, 0, sizeof w);
    memset(&o, 0, sizeof o);
    g_completed = 0;
    snprintf(url, sizeof url, "%s/retry-after/3/c", g_stub_base);
    rpt_http_request rw = {.url = url, .allow_private = 1, .done = on_done, .arg = &w};
    rpt_fetcher_submit(f, &rw);
    for (int i = 0; i < 3; i++)
        rpt_fetcher_step(f, 100);
    char other[256];
    const char *port = strrchr(g_stub_base, ':');
    snprintf(other, sizeof other, "http://localhost%s/gzip/x", port ? port : ":0");
    rpt_http_request ro = {.url = other, .allow_private = 1, .done = on_done, .arg = &o};
    rpt_fetcher_submit(f, &ro);
    while (rpt_fetcher_step(f, 500) > 0) {
    }
    rpt_fetcher_free(f);
    CHECK_INT(w.error, RPT_FETCH_OK);
    CHECK_INT(w.attempts, 2);
    CHECK_INT(o.error, RPT_FETCH_OK);
    CHECK_INT(o.order, 1);
    CHECK_INT(w.order, 2);
    rpt_buf_clear(&w.body);
    rpt_buf_clear(&o.body);
    rpt_buf_clear(&err);
}

static child g_stub_srv;

static int setup(void)
{
    const char *src = t_env_or_skip("REPORTD_SOURCE_DIR");
    if (system("openssl version >/dev/null 2>&1") || system("python3 -V >/dev/null 2>&1")) {
        fprintf(stderr, "skip: needs the openssl and python3 commands\n");
        return 77;
    }
    const char *tmp = getenv("REPORTD_TEST_TMP");
    if (!tmp || !*tmp) tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/reportd-tls-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_dir)) {
        fprintf(stderr, "cannot create a temporary folder\n");
        return 1;
    }
    char stub[1024];
    snprintf(stub, sizeof stub, "%s/tests/connectors/stub_http.py", src);
    char *argv[] = {"python3", stub, NULL};
    g_stub_srv = spawn_until(argv, "http://", g_stub_base, sizeof g_stub_base);
    if (g_stub_srv.pid < 0) {
        fprintf(stderr, "cannot start %s\n", stub);
        return 1;
    }
    return 0;
}

static void teardown(void)
{
    stop(&g_stub_srv);
    t_remove_dir(g_dir);
}

TEST_MAIN_WITH(setup, teardown, T(test_tls), T(test_content_encoding), T(test_dns_retried),
               T(test_long_retry_after))
