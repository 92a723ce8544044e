/* The sandbox of common/sandbox.h: a task's result or error comes back; a crash, the CPU
 * limit, the memory limit and the wall clock each become an error with the reason; the
 * caller goes on and leaves no child behind; a cancel flag kills the child at once. */
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/sandbox.h"
#include "test.h"

static int task_echo(void *arg, rpt_buf *out, rpt_buf *err)
{
    (void)err;
    return rpt_buf_puts(out, (const char *)arg);
}

static int task_fail(void *arg, rpt_buf *out, rpt_buf *err)
{
    (void)arg;
    (void)out;
    rpt_buf_puts(err, "not a PDF");
    return -1;
}

static int task_crash(void *arg, rpt_buf *out, rpt_buf *err)
{
    (void)arg;
    (void)out;
    (void)err;
    raise(SIGSEGV);
    return 0;
}

static int task_spin(void *arg, rpt_buf *out, rpt_buf *err)
{
    (void)arg;
    (void)out;
    (void)err;
    volatile unsigned long x = 0;
    for (;;)
        x++;
    return 0;
}

static int task_sleep(void *arg, rpt_buf *out, rpt_buf *err)
{
    (void)arg;
    (void)out;
    (void)err;
    for (;;)
        pause();
    return 0;
}

#if !defined(__SANITIZE_ADDRESS__) /* no address-space limit under AddressSanitizer */
static int task_hog(void *arg, rpt_buf *out, rpt_buf *err)
{
    (void)arg;
    (void)out;
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
#endif

static int task_big(void *arg, rpt_buf *out, rpt_buf *err)
{
    (void)arg;
    (void)err;
    for (int i = 0; i < 300000; i++)
        if (rpt_buf_puts(out, "0123456789")) return -1;
    return 0;
}

static void no_children_left(void)
{
    CHECK(waitpid(-1, NULL, WNOHANG) < 0); /* ECHILD: every child was reaped */
}

static void test_result_and_error(void)
{
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 10};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(rpt_sandbox_run(&lim, task_echo, "第3页", &out, &err), 0);
    CHECK(out.len == strlen("第3页") && !memcmp(out.data, "第3页", out.len));
    rpt_buf_reset(&out);
    CHECK_INT(rpt_sandbox_run(&lim, task_fail, NULL, &out, &err), -1);
    CHECK_STR(err.data, "not a PDF");
    rpt_buf_reset(&err);
    CHECK_INT(rpt_sandbox_run(&lim, task_big, NULL, &out, &err), 0); /* 3 MB through the pipe */
    CHECK_INT(out.len, 3000000);
    rpt_buf_reset(&out);
    lim.max_output = 1000;
    CHECK_INT(rpt_sandbox_run(&lim, task_big, NULL, &out, &err), -1);
    CHECK(err.data && strstr(err.data, "larger than 1000 bytes"));
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

static void test_crash_is_a_reason(void)
{
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 10};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(rpt_sandbox_run(&lim, task_crash, NULL, &out, &err), -1);
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
    CHECK_INT(rpt_sandbox_run(&lim, task_spin, NULL, &out, &err), -1);
    CHECK(err.data && strstr(err.data, "CPU time limit of 1 s"));
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

static void test_wall_clock(void)
{
    rpt_sandbox_limits lim = {.cpu_s = 5, .wall_s = 0.3};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(rpt_sandbox_run(&lim, task_sleep, NULL, &out, &err), -1);
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
    CHECK_INT(rpt_sandbox_run(&lim, task_sleep, NULL, &out, &err), -1);
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
    CHECK_INT(rpt_sandbox_run(&lim, task_sleep, NULL, &out, &err), -1);
    CHECK(time(NULL) - t0 < 10);
    CHECK_STR(err.data, "decoder cancelled");
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
}

static void test_memory_limit(void)
{
#if defined(__SANITIZE_ADDRESS__)
    /* AddressSanitizer reserves terabytes of address space: the limit is not applied, and a
     * child given one must still run */
    rpt_sandbox_limits lim = {.cpu_s = 20, .wall_s = 30, .memory_bytes = 256u << 20};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(rpt_sandbox_run(&lim, task_echo, "ok", &out, &err), 0);
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
#else
    rpt_sandbox_limits lim = {.cpu_s = 20, .wall_s = 30, .memory_bytes = 256u << 20};
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    CHECK_INT(rpt_sandbox_run(&lim, task_hog, NULL, &out, &err), -1);
    CHECK_STR(err.data, "out of memory");
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    no_children_left();
#endif
}

TEST_MAIN(T(test_result_and_error), T(test_crash_is_a_reason), T(test_cpu_limit),
          T(test_wall_clock), T(test_tick_while_waiting), T(test_cancel), T(test_memory_limit))
