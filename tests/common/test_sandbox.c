/* The sandbox of common/sandbox.h, with this program executed again as the decoder: a task's
 * result or error comes back; a crash, the CPU limit, the memory limit and the wall clock each
 * become an error with the reason; the caller goes on and leaves no child behind; a cancel
 * flag kills the child at once; the child inherits no lock and no descriptor, and dies with
 * its caller. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/sandbox.h"
#include "test.h"

/* ---- the child's side: this program executed again as `test_sandbox decode-task TASK` ---- */

/* Held by a thread of the parent while it starts children (test_no_lock_inherited). */
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;

static int run_task(const char *task, const unsigned char *input, size_t len, rpt_buf *out,
                    rpt_buf *err)
{
    if (!strcmp(task, "echo")) return rpt_buf_append(out, input, len);
    if (!strcmp(task, "fail")) {
        rpt_buf_puts(err, "not a PDF");
        return -1;
    }
    if (!strcmp(task, "crash")) raise(SIGSEGV);
    if (!strcmp(task, "spin")) {
        volatile unsigned long x = 0;
        for (;;)
            x++;
    }
    if (!strcmp(task, "sleep"))
        for (;;)
            pause();
    if (!strcmp(task, "hog")) {
        for (size_t i = 0; i < 4096; i++) {
            char *p = malloc(1u << 20);
            if (!p) {
                rpt_buf_puts(err, "out of memory");
                return -1;
            }
            memset(p, 1, 1u << 20);
        }
        return rpt_buf_puts(out, "no limit");
    }
    if (!strcmp(task, "big")) {
        for (int i = 0; i < 300000; i++)
            if (rpt_buf_puts(out, "0123456789")) return -1;
        return 0;
    }
    if (!strcmp(task, "lock")) { /* a lock another thread of the caller holds */
        pthread_mutex_lock(&held);
        pthread_mutex_unlock(&held);
        return rpt_buf_puts(out, "locked");
    }
    if (!strcmp(task, "pidsleep")) { /* writes its pid to the file named by the input */
        char path[512];
        snprintf(path, sizeof path, "%.*s", (int)len, (const char *)input);
        FILE *f = fopen(path, "w");
        if (!f) return -1;
        fprintf(f, "%d\n", (int)getpid());
        fclose(f);
        for (;;)
            pause();
    }
    if (!strcmp(task, "fds")) { /* descriptors above the result pipe */
        int open_fds = 0;
        for (int fd = RPT_SANDBOX_RESULT_FD + 1; fd < 1024; fd++)
            if (fcntl(fd, F_GETFD) >= 0) open_fds++;
        return rpt_buf_printf(out, "%d", open_fds);
    }
    rpt_buf_printf(err, "no task %s", task);
    return -1;
}

static char self[4096];

/* Runs task in this program executed again, under lim. */
static int run(const rpt_sandbox_limits *lim, const char *task, const char *input, rpt_buf *out,
               rpt_buf *err)
{
    char *argv[] = {self, RPT_SANDBOX_COMMAND, (char *)task, NULL};
    return rpt_sandbox_exec(lim, argv, input, input ? strlen(input) : 0, out, err);
}

static void no_children_left(void)
{
    CHECK(waitpid(-1, NULL, WNOHANG) < 0); /* ECHILD: every child was reaped */
}

static void test_result_and_error(void)
{
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 10};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(run(&lim, "echo", "第3页", &out, &err), 0);
    CHECK(out.len == strlen("第3页") && !memcmp(out.data, "第3页", out.len));
    rpt_buf_reset(&out);
    CHECK_INT(run(&lim, "fail", NULL, &out, &err), -1);
    CHECK_STR(err.data, "not a PDF");
    rpt_buf_reset(&err);
    CHECK_INT(run(&lim, "big", NULL, &out, &err), 0); /* 3 MB through the pipe */
    CHECK_INT(out.len, 3000000);
    rpt_buf_reset(&out);
    lim.max_output = 1000;
    CHECK_INT(run(&lim, "big", NULL, &out, &err), -1);
    CHECK(err.data && strstr(err.data, "larger than 1000 bytes"));
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

static void test_crash_is_a_reason(void)
{
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 10};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(run(&lim, "crash", NULL, &out, &err), -1);
    CHECK(err.data && strstr(err.data, "crashed (signal 11"));
    CHECK_INT(out.len, 0);
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

static void test_cpu_limit(void)
{
    rpt_sandbox_limits lim = {.cpu_s = 1, .wall_s = 20};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(run(&lim, "spin", NULL, &out, &err), -1);
    CHECK(err.data && strstr(err.data, "CPU time limit of 1 s"));
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

static void test_wall_clock(void)
{
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 0.3};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(run(&lim, "sleep", NULL, &out, &err), -1);
    CHECK(err.data && strstr(err.data, "timed out after 0.3 s"));
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

static void count_tick(void *ctx)
{
    (*(int *)ctx)++;
}

static void test_tick_while_waiting(void)
{
    int ticks = 0;
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 2.5, .tick = count_tick, .tick_ctx = &ticks};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(run(&lim, "sleep", NULL, &out, &err), -1);
    CHECK(ticks >= 2 && ticks <= 5); /* about once a second */
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

/* Sets the cancel flag of the limits it is given from the tick, on the third call. */
static atomic_int cancel_flag;
static void cancel_on_third(void *ctx)
{
    if (++*(int *)ctx == 3) atomic_store(&cancel_flag, 1);
}

/* A stage that stops cancels its decoder: the child is killed at once, long before its wall
 * clock, and the reason says so. */
static void test_cancel(void)
{
    int ticks = 0;
    atomic_store(&cancel_flag, 0);
    rpt_sandbox_limits lim = {.cpu_s = 60, .wall_s = 60, .tick = cancel_on_third,
                              .tick_ctx = &ticks, .cancel = &cancel_flag};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    time_t t0 = time(NULL);
    CHECK_INT(run(&lim, "sleep", NULL, &out, &err), -1);
    CHECK(time(NULL) - t0 < 10);
    CHECK_STR(err.data, "decoder cancelled");
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

static void test_memory_limit(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    /* the sanitizers reserve terabytes of address space: the limit is not applied, and a
     * child given one must still run */
    rpt_sandbox_limits lim = {.cpu_s = 20, .wall_s = 30, .memory_bytes = 256u << 20};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(run(&lim, "echo", "ok", &out, &err), 0);
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
#else
    rpt_sandbox_limits lim = {.cpu_s = 20, .wall_s = 30, .memory_bytes = 256u << 20};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(run(&lim, "hog", NULL, &out, &err), -1);
    CHECK_STR(err.data, "out of memory");
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
#endif
}

/* The input travels whole (3 MB) and the hook form runs program + RPT_SANDBOX_COMMAND + task. */
static void test_input_and_isolate_hook(void)
{
    size_t n = 3000000;
    char *big = malloc(n + 1);
    CHECK(big != NULL);
    if (!big) return;
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    big[n] = '\0';
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 10, .program = self};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(rpt_sandbox_isolate(&lim, "echo", (const unsigned char *)big, n, &out, &err), 0);
    CHECK(out.len == n && !memcmp(out.data, big, n));
    rpt_buf_reset(&out);
    CHECK_INT(rpt_sandbox_isolate(&lim, "nonesuch", NULL, 0, &out, &err), -1);
    CHECK_STR(err.data, "no task nonesuch");
    rpt_buf_reset(&err);
    lim.program = NULL;
    CHECK_INT(rpt_sandbox_isolate(&lim, "echo", (const unsigned char *)"x", 1, &out, &err), -1);
    CHECK_STR(err.data, "no decoder program configured");
    free(big);
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

static void test_missing_program(void)
{
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 10};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    char *argv[] = {"/nonexistent/reportd", RPT_SANDBOX_COMMAND, "echo", NULL};
    CHECK_INT(rpt_sandbox_exec(&lim, argv, "x", 1, &out, &err), -1);
    CHECK_STR(err.data, "cannot execute the decoder /nonexistent/reportd: No such file or directory");
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

static atomic_int holding, release_lock;
static void *hold_lock(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&held);
    atomic_store(&holding, 1);
    while (!atomic_load(&release_lock)) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_unlock(&held);
    return NULL;
}

/* The child is a new program, not a copy of the caller: a lock another thread holds at the
 * time of the call is free in the child (a forked copy would wait for it until killed), and
 * the caller's descriptors (a database socket, say) are not inherited, close-on-exec or not. */
static void test_no_lock_or_descriptor_inherited(void)
{
    pthread_t th;
    atomic_store(&holding, 0);
    atomic_store(&release_lock, 0);
    CHECK_INT(pthread_create(&th, NULL, hold_lock, NULL), 0);
    while (!atomic_load(&holding)) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    int null_fd = open("/dev/null", O_RDONLY);
    int open_fd = fcntl(null_fd, F_DUPFD, 10); /* above the result pipe, without O_CLOEXEC */
    close(null_fd);
    CHECK(open_fd > RPT_SANDBOX_RESULT_FD);
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 5};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(run(&lim, "lock", NULL, &out, &err), 0);
    CHECK_STR(out.data, "locked");
    rpt_buf_reset(&out);
    CHECK_INT(run(&lim, "fds", NULL, &out, &err), 0);
    CHECK_STR(out.data, "0");
    atomic_store(&release_lock, 1);
    pthread_join(th, NULL);
    close(open_fd);
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

/* Whether process pid has ended (gone, or a zombie nobody reaped yet). */
static int process_ended(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *paren = strrchr(buf, ')');
    return paren && paren[1] == ' ' && paren[2] == 'Z';
}

/* The caller killed with SIGKILL (a role's kill -9): its decoder child dies too. */
static void test_child_dies_with_caller(void)
{
    char pidfile[] = "/tmp/reportd-sandbox-pid.XXXXXX";
    int fd = mkstemp(pidfile);
    CHECK(fd >= 0);
    if (fd < 0) return;
    close(fd);
    unlink(pidfile);
    pid_t caller = fork();
    if (caller == 0) {
        rpt_sandbox_limits lim = {.wall_s = 60};
        rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
        run(&lim, "pidsleep", pidfile, &out, &err);
        _exit(0);
    }
    pid_t decoder = 0;
    for (int i = 0; i < 500 && !decoder; i++) { /* 5 s */
        FILE *f = fopen(pidfile, "r");
        int v = 0;
        if (f && fscanf(f, "%d", &v) == 1) decoder = v;
        if (f) fclose(f);
        if (!decoder) {
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
    }
    CHECK(decoder > 0);
    kill(caller, SIGKILL);
    waitpid(caller, NULL, 0);
    int ended = 0;
    for (int i = 0; i < 500 && decoder > 0 && !(ended = process_ended(decoder)); i++) {
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    CHECK(ended);
    if (decoder > 0 && !ended) kill(decoder, SIGKILL);
    unlink(pidfile);
}

int main(int argc, char **argv)
{
    rpt_sandbox_serve_if_asked(argc, argv, run_task); /* executed again as the child */
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "cannot read /proc/self/exe\n");
        return 1;
    }
    self[n] = '\0';
    const t_case cases[] = {T(test_result_and_error), T(test_crash_is_a_reason),
                            T(test_cpu_limit), T(test_wall_clock), T(test_tick_while_waiting),
                            T(test_cancel), T(test_memory_limit), T(test_input_and_isolate_hook),
                            T(test_missing_program), T(test_no_lock_or_descriptor_inherited),
                            T(test_child_dies_with_caller)};
    return t_main(argc, argv, NULL, NULL, cases, sizeof cases / sizeof *cases);
}
