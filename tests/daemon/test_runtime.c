/* The service runtime with stand-in roles and a stand-in dependency probe: systemd
 * notifications on a real NOTIFY_SOCKET (READY=1 only once dependencies are reachable,
 * WATCHDOG=1, STATUS=, RELOADING=1, STOPPING=1), /readyz following reachability, SIGHUP
 * reloads (valid ones reach the roles, invalid ones are refused), SIGTERM drains, a failing
 * role stops the process, and the grace period bounds a drain that never ends. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "common/metrics.h"
#include "daemon/runtime.h"
#include "http_get.h"
#include "test.h"

static atomic_int g_deps_up, g_drained, g_sources_seen, g_roles_started, g_instance_seen;
static atomic_int g_stall;  /* stalling_role withholds its heartbeat while set */
static atomic_int g_beating; /* stalling_role has stored a heartbeat */
static int g_stall_s;      /* load.stall_s written by write_config (0: default) */
static char g_dir[64];
static char g_config[300];
static int g_notify_fd = -1;

/* Messages received on the notify socket so far, in order, separated by "|". */
static rpt_buf g_msgs;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads every pending datagram into g_msgs, waiting up to wait_ms for the first. */
static void drain_notify(int wait_ms)
{
    struct pollfd p = {.fd = g_notify_fd, .events = POLLIN};
    while (poll(&p, 1, wait_ms) > 0) {
        char buf[1024];
        ssize_t n = recv(g_notify_fd, buf, sizeof buf - 1, 0);
        if (n <= 0) break;
        buf[n] = '\0';
        rpt_buf_puts(&g_msgs, buf);
        rpt_buf_putc(&g_msgs, '|');
        wait_ms = 0;
    }
}

/* Waits (bounded, so a bug fails instead of hanging) until `needle` was notified. */
static int wait_notified(const char *needle, double limit_s)
{
    double until = now_s() + limit_s;
    while (now_s() < until) {
        drain_notify(100);
        if (g_msgs.data && strstr(g_msgs.data, needle)) return 1;
    }
    return 0;
}

static int wait_flag(atomic_int *flag, int value, double limit_s)
{
    double until = now_s() + limit_s;
    while (now_s() < until) {
        if (atomic_load(flag) == value) return 1;
        usleep(10000);
    }
    return 0;
}

static int wait_http(int port, const char *path, long want, double limit_s)
{
    rpt_buf body = RPT_BUF_INIT;
    double until = now_s() + limit_s;
    int ok = 0;
    while (!ok && now_s() < until) {
        ok = t_http("GET", port, path, &body) == want;
        if (!ok) usleep(50000);
    }
    rpt_buf_clear(&body);
    return ok;
}

static int fake_probe(void *arg, const rpt_config *cfg, int needs_postgres, rpt_buf *why)
{
    (void)arg;
    (void)cfg;
    if (atomic_load(&g_deps_up)) return 1;
    rpt_buf_puts(why, needs_postgres ? "postgres unreachable: test" : "kafka unreachable: test");
    return 0;
}

/* A role that re-reads the config every loop (as real roles do per pass) and, asked to stop,
 * "commits its in-flight batch" before returning. */
static int good_role(rpt_role_ctl *ctl)
{
    atomic_fetch_add(&g_roles_started, 1);
    atomic_store(&g_instance_seen, ctl->instance * 100 + ctl->instances);
    while (!atomic_load(&ctl->stop)) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        atomic_store(&ctl->heartbeat, (long)ts.tv_sec);
        const rpt_config *cfg = rpt_role_config_acquire(ctl);
        atomic_store(&g_sources_seen, cfg->sources ? (int)cfg->sources->n : 0);
        rpt_role_config_release(ctl, cfg);
        usleep(5000);
    }
    usleep(100000); /* the in-flight batch */
    atomic_fetch_add(&g_drained, 1);
    return 0;
}

static int failing_role(rpt_role_ctl *ctl)
{
    (void)ctl;
    usleep(50000);
    return -1;
}

/* Ignores the stop flag for a long time: only the grace period ends the wait. */
static int stubborn_role(rpt_role_ctl *ctl)
{
    (void)ctl;
    sleep(30);
    return 0;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* Writes the test config: `n_sources` dir sources, the endpoint on `port` (0: off). */
static void write_config(int n_sources, int port, long grace_s, int broken)
{
    FILE *f = fopen(g_config, "w");
    if (!f) return;
    fprintf(f, "{\n  // written by test_runtime\n");
    if (port)
        fprintf(f, "  \"http\": {\"listen\": \"127.0.0.1:%d\"},\n", port);
    else
        fprintf(f, "  \"http\": {\"listen\": \"\"},\n");
    fprintf(f, "  \"runtime\": {\"shutdown_grace_s\": %ld, \"probe_interval_s\": 1},\n", grace_s);
    if (broken) fprintf(f, "  \"fetch\": {\"concurrency\": -1},\n");
    if (g_stall_s) fprintf(f, "  \"load\": {\"stall_s\": %d},\n", g_stall_s);
    fprintf(f, "  \"sources\": [");
    for (int i = 0; i < n_sources; i++)
        fprintf(f, "%s{\"name\": \"s%d\", \"kind\": \"dir\", \"path\": \"%s\"}", i ? ", " : "", i,
                g_dir);
    fprintf(f, "]\n}\n");
    fclose(f);
}

static int load_config(rpt_config *cfg)
{
    rpt_buf err = RPT_BUF_INIT;
    int rc = rpt_config_load(cfg, g_config, &err);
    if (rc) fprintf(stderr, "config: %s\n", err.data);
    rpt_buf_clear(&err);
    return rc;
}

typedef struct script {
    int port;
    int ok; /* every step passed */
    char failed_step[128];
} script;

#define STEP(cond, name)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            snprintf(s->failed_step, sizeof s->failed_step, "%s", name);                           \
            kill(getpid(), SIGTERM);                                                               \
            return NULL;                                                                           \
        }                                                                                          \
    } while (0)

/* Drives the running service from outside, as systemd and an operator would. */
static void *operator_main(void *arg)
{
    script *s = arg;
    /* Dependencies down: the roles run but READY=1 must not be sent. */
    STEP(wait_flag(&g_roles_started, 2, 10), "roles start");
    STEP(wait_notified("STATUS=waiting: postgres unreachable", 10), "waiting status");
    STEP(!strstr(g_msgs.data, "READY=1"), "no READY before dependencies");
    STEP(wait_http(s->port, "/readyz", 503, 10), "readyz 503 while down");
    atomic_store(&g_deps_up, 1);
    STEP(wait_notified("READY=1", 10), "READY=1 once up");
    STEP(wait_http(s->port, "/readyz", 200, 10), "readyz 200 once up");
    STEP(wait_notified("WATCHDOG=1", 10), "watchdog pings");
    /* Postgres goes away and comes back: /readyz follows. */
    atomic_store(&g_deps_up, 0);
    STEP(wait_http(s->port, "/readyz", 503, 10), "readyz 503 when down again");
    atomic_store(&g_deps_up, 1);
    STEP(wait_http(s->port, "/readyz", 200, 10), "readyz 200 when back");
    /* SIGHUP with one more source: the roles see it without a restart. */
    STEP(wait_flag(&g_sources_seen, 1, 10), "one source at start");
    write_config(2, s->port, 30, 0);
    kill(getpid(), SIGHUP);
    STEP(wait_flag(&g_sources_seen, 2, 10), "second source after SIGHUP");
    STEP(wait_notified("RELOADING=1", 10), "RELOADING=1 on reload");
    /* SIGHUP with an invalid file: refused, the running config stays. */
    write_config(5, s->port, 30, 1);
    kill(getpid(), SIGHUP);
    double until = now_s() + 10;
    while (rpt_metrics_get("reportd_config_reloads_total", "result=\"error\"") < 1 &&
           now_s() < until)
        usleep(10000);
    STEP(rpt_metrics_get("reportd_config_reloads_total", "result=\"error\"") == 1, "reload refused");
    usleep(100000);
    STEP(atomic_load(&g_sources_seen) == 2, "old config kept");
    rpt_buf body = RPT_BUF_INIT;
    long st = t_http("GET", s->port, "/metrics", &body);
    int has = body.data && strstr(body.data, "reportd_role_running{role=\"load\"} 1");
    rpt_buf_clear(&body);
    STEP(st == 200 && has, "metrics show running roles");
    s->ok = 1;
    kill(getpid(), SIGTERM); /* drain */
    return NULL;
}

static void setup_notify(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/reportd-runtime-XXXXXX");
    if (!mkdtemp(g_dir)) return;
    snprintf(g_config, sizeof g_config, "%s/reportd.conf", g_dir);
    g_notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s/notify", g_dir);
    if (bind(g_notify_fd, (struct sockaddr *)&a, sizeof a) != 0) perror("bind notify");
    setenv("NOTIFY_SOCKET", a.sun_path, 1);
}

static void test_service_lifecycle(void)
{
    REQUIRE(g_notify_fd >= 0);
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    setenv("WATCHDOG_PID", pid, 1);
    setenv("WATCHDOG_USEC", "600000", 1);
    int port = free_port();
    REQUIRE(port > 0);
    write_config(1, port, 30, 0);
    rpt_config cfg;
    REQUIRE(load_config(&cfg) == 0);
    rpt_role_def roles[] = {{.name = "transform", .run = good_role},
                           {.name = "load", .run = good_role, .needs_postgres = 1}};
    rpt_runtime_opts opts = {
        .roles = roles, .n_roles = 2, .instance = 1, .instances = 3, .probe = fake_probe};
    /* Stop signals must only ever be taken by the runtime's sigtimedwait. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    script s = {.port = port};
    pthread_t op;
    REQUIRE(pthread_create(&op, NULL, operator_main, &s) == 0);
    int rc = rpt_runtime_run(&opts, &cfg);
    pthread_join(op, NULL);
    if (!s.ok) fprintf(stderr, "failed step: %s\nnotified: %s\n", s.failed_step, g_msgs.data);
    CHECK(s.ok);
    CHECK_INT(rc, 0);
    CHECK_INT(atomic_load(&g_drained), 2); /* both roles finished their in-flight batch */
    CHECK_INT(atomic_load(&g_instance_seen), 103);
    drain_notify(0);
    REQUIRE(g_msgs.data);
    const char *stopping = strstr(g_msgs.data, "STOPPING=1");
    CHECK(stopping != NULL);
    CHECK(strstr(g_msgs.data, "READY=1") < stopping);
    /* the endpoint is gone after the drain */
    rpt_buf body = RPT_BUF_INIT;
    CHECK_INT(t_http("GET", port, "/healthz", &body), 0);
    rpt_buf_clear(&body);
    unsetenv("WATCHDOG_PID");
    unsetenv("WATCHDOG_USEC");
}

/* A role returning on its own ends the service with exit code 1 after the others drained. */
static void test_failing_role_stops_service(void)
{
    atomic_store(&g_drained, 0);
    atomic_store(&g_deps_up, 1);
    write_config(1, 0, 30, 0);
    rpt_config cfg;
    REQUIRE(load_config(&cfg) == 0);
    rpt_role_def roles[] = {{.name = "fetch", .run = failing_role},
                           {.name = "load", .run = good_role}};
    rpt_runtime_opts opts = {.roles = roles, .n_roles = 2, .instances = 1, .probe = fake_probe};
    CHECK_INT(rpt_runtime_run(&opts, &cfg), 1);
    CHECK_INT(atomic_load(&g_drained), 1);
}

/* In a child process (abandoned threads must not outlive the test): a role that ignores the
 * stop flag is given up on after the grace period; a second SIGTERM gives up at once. */
static void test_grace_period_bounds_drain(void)
{
    for (int second_signal = 0; second_signal <= 1; second_signal++) {
        write_config(0, 0, second_signal ? 3600 : 1, 0);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            unsetenv("NOTIFY_SOCKET");
            rpt_config cfg;
            if (load_config(&cfg)) _exit(3);
            rpt_role_def roles[] = {{.name = "fetch", .run = stubborn_role}};
            rpt_runtime_opts opts = {
                .roles = roles, .n_roles = 1, .instances = 1, .probe = fake_probe};
            _exit(rpt_runtime_run(&opts, &cfg) == 1 ? 0 : 4);
        }
        usleep(300000);
        kill(pid, SIGTERM);
        if (second_signal) {
            usleep(300000);
            kill(pid, SIGTERM);
        }
        int status = 0;
        double until = now_s() + 20;
        pid_t w = 0;
        while ((w = waitpid(pid, &status, WNOHANG)) == 0 && now_s() < until)
            usleep(20000);
        if (w == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
        CHECK(w == pid);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
}

static void test_role_selection(void)
{
    rpt_role_def all[] = {{.name = "fetch", .run = good_role},
                         {.name = "transform", .run = good_role},
                         {.name = "load", .run = NULL}};
    rpt_role_def out[3];
    size_t n = 0;
    rpt_buf err = RPT_BUF_INIT;
    CHECK(rpt_runtime_select_roles("fetch,transform", all, 3, out, &n, &err) == 0);
    CHECK_INT(n, 2);
    CHECK_STR(out[1].name, "transform");
    CHECK(rpt_runtime_select_roles("transform", all, 3, out, &n, &err) == 0);
    CHECK_INT(n, 1);
    rpt_buf_reset(&err);
    CHECK(rpt_runtime_select_roles(NULL, all, 3, out, &n, &err) == -1);
    CHECK(err.data && strstr(err.data, "load is not built"));
    rpt_buf_reset(&err);
    CHECK(rpt_runtime_select_roles("fetch,fetch", all, 3, out, &n, &err) == -1);
    CHECK(err.data && strstr(err.data, "twice"));
    rpt_buf_reset(&err);
    CHECK(rpt_runtime_select_roles("fetch,parse", all, 3, out, &n, &err) == -1);
    CHECK(err.data && strstr(err.data, "unknown role \"parse\""));
    CHECK(rpt_runtime_select_roles(",", all, 3, out, &n, &err) == -1);
    int i = -1, N = -1;
    CHECK(rpt_runtime_parse_instance("2/4", &i, &N, &err) == 0);
    CHECK_INT(i, 2);
    CHECK_INT(N, 4);
    const char *bad[] = {"4/4", "-1/2", "1", "1/0", "a/b", "1/2x", "/2"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        CHECK(rpt_runtime_parse_instance(bad[k], &i, &N, &err) == -1);
    rpt_buf_clear(&err);
}

/* A role that heart-beats except while g_stall is set (as the loader does when a batch
 * keeps failing). */
static int stalling_role(rpt_role_ctl *ctl)
{
    while (!atomic_load(&ctl->stop)) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        if (!atomic_load(&g_stall)) {
            atomic_store(&ctl->heartbeat, (long)ts.tv_sec);
            atomic_store(&g_beating, 1);
        }
        usleep(5000);
    }
    return 0;
}

static void *stall_operator(void *arg)
{
    script *s = arg;
    STEP(wait_http(s->port, "/readyz", 200, 10), "readyz 200 while heart-beating");
    /* a role that has never stored a heartbeat is one that does not report them: stall it
     * only once it has (readyz can answer 200 before the role thread ran at all) */
    STEP(wait_flag(&g_beating, 1, 10), "the role heart-beats");
    atomic_store(&g_stall, 1);
    STEP(wait_http(s->port, "/readyz", 503, 30), "readyz 503 once the heartbeat stops");
    rpt_buf body = RPT_BUF_INIT;
    t_http("GET", s->port, "/readyz", &body);
    int says = body.data && strstr(body.data, "not made progress");
    rpt_buf_clear(&body);
    STEP(says, "readyz says why");
    atomic_store(&g_stall, 0);
    STEP(wait_http(s->port, "/readyz", 200, 30), "readyz 200 once it beats again");
    s->ok = 1;
    kill(getpid(), SIGTERM);
    return NULL;
}

/* /readyz turns 503 when a role stops heart-beating for twice load.stall_s, and back. */
static void test_stalled_role_not_ready(void)
{
    atomic_store(&g_deps_up, 1);
    atomic_store(&g_stall, 0);
    atomic_store(&g_beating, 0);
    int port = free_port();
    REQUIRE(port > 0);
    g_stall_s = 1;
    write_config(0, port, 30, 0);
    g_stall_s = 0;
    rpt_config cfg;
    REQUIRE(load_config(&cfg) == 0);
    rpt_role_def roles[] = {{.name = "load", .run = stalling_role}};
    rpt_runtime_opts opts = {.roles = roles, .n_roles = 1, .instances = 1, .probe = fake_probe};
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    script s = {.port = port};
    pthread_t op;
    REQUIRE(pthread_create(&op, NULL, stall_operator, &s) == 0);
    int rc = rpt_runtime_run(&opts, &cfg);
    pthread_join(op, NULL);
    if (!s.ok) fprintf(stderr, "failed step: %s\n", s.failed_step);
    CHECK(s.ok);
    CHECK_INT(rc, 0);
}

static void teardown(void)
{
    if (g_notify_fd >= 0) close(g_notify_fd);
    if (g_dir[0]) t_remove_dir(g_dir);
    rpt_buf_clear(&g_msgs);
    rpt_metrics_reset();
}

static int setup(void)
{
    setup_notify();
    return g_notify_fd >= 0 ? 0 : 1;
}

TEST_MAIN_WITH(setup, teardown, T(test_role_selection), T(test_service_lifecycle),
               T(test_failing_role_stops_service), T(test_grace_period_bounds_drain),
               T(test_stalled_role_not_ready))
