#include "common/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* sanitizers reserve terabytes of address space for their shadow memory: no RLIMIT_AS */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#ifndef UNDER_SANITIZER
#define UNDER_SANITIZER 0
#endif

#define DEFAULT_MAX_OUTPUT (256u << 20)
#define CHILD_FD 3 /* the result pipe's write end, the only descriptor above stderr the child keeps */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The child: limits, then the task, then its result as one status byte ('0' output, '1'
 * error) and the bytes. Never returns. */
static void child_main(const rpt_sandbox_limits *lim, int wfd, rpt_sandbox_task task, void *arg)
{
    /* only the pipe survives: another thread's concurrent child must not hold our pipe
     * open, and the child must not touch the parent's sockets */
    if (wfd != CHILD_FD) {
        if (dup2(wfd, CHILD_FD) < 0) _exit(120);
        close(wfd);
    }
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) { /* stdout may be the parent's result stream: libraries must not print there */
        dup2(devnull, STDIN_FILENO);
        dup2(devnull, STDOUT_FILENO);
        if (devnull > CHILD_FD) close(devnull);
    }
#ifdef SYS_close_range
    syscall(SYS_close_range, CHILD_FD + 1, ~0u, 0);
#else
    for (int fd = CHILD_FD + 1; fd < 1024; fd++)
        close(fd);
#endif
    /* default dispositions: a crash ends the child with its signal, which the parent
     * reports (a handler installed by the parent, or a sanitizer's, would turn it into an
     * exit status that says less) */
    static const int sigs[] = {SIGPIPE, SIGTERM, SIGINT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        signal(sigs[i], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    if (lim->cpu_s > 0) {
        rlim_t s = (rlim_t)ceil(lim->cpu_s);
        struct rlimit rl = {.rlim_cur = s, .rlim_max = s + 1};
        setrlimit(RLIMIT_CPU, &rl);
    }
    if (lim->memory_bytes > 0 && !UNDER_SANITIZER) {
        struct rlimit rl = {.rlim_cur = lim->memory_bytes, .rlim_max = lim->memory_bytes};
        setrlimit(RLIMIT_AS, &rl);
    }
    rpt_buf out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    int rc = task(arg, &out, &err);
    char status = rc == 0 ? '0' : '1';
    rpt_buf *res = rc == 0 ? &out : &err;
    if (write_all(CHILD_FD, &status, 1) || write_all(CHILD_FD, res->data ? res->data : "", res->len))
        _exit(121);
    _exit(0);
}

/* Appends the reason a child that did not deliver a result ended. */
static void explain_status(const rpt_sandbox_limits *lim, int status, int timed_out,
                           int cancelled, rpt_buf *err)
{
    if (cancelled) {
        rpt_buf_puts(err, "decoder cancelled");
        return;
    }
    if (timed_out) {
        rpt_buf_printf(err, "decoder timed out after %g s", lim->wall_s);
        return;
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGXCPU || (sig == SIGKILL && lim->cpu_s > 0))
            rpt_buf_printf(err, "decoder exceeded its CPU time limit of %g s", lim->cpu_s);
        else if (sig == SIGABRT && lim->memory_bytes && !UNDER_SANITIZER)
            rpt_buf_printf(err, "decoder aborted (signal %d; likely out of memory, limit %zu MiB)",
                           sig, lim->memory_bytes >> 20);
        else
            rpt_buf_printf(err, "decoder crashed (signal %d, %s)", sig, strsignal(sig));
        return;
    }
    if (WIFEXITED(status))
        rpt_buf_printf(err, "decoder exited with status %d without a result", WEXITSTATUS(status));
    else
        rpt_buf_puts(err, "decoder ended without a result");
}

int rpt_sandbox_run(const rpt_sandbox_limits *lim, rpt_sandbox_task task, void *arg, rpt_buf *out,
                    rpt_buf *err)
{
    static const rpt_sandbox_limits none = {0};
    if (!lim) lim = &none;
    size_t max_output = lim->max_output ? lim->max_output : DEFAULT_MAX_OUTPUT;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        rpt_buf_printf(err, "cannot create a pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL); /* nothing buffered is written twice (the child never flushes, but be safe) */
    pid_t pid = fork();
    if (pid < 0) {
        rpt_buf_printf(err, "cannot fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(lim, fds[1], task, arg);
    }
    close(fds[1]);
    rpt_buf res = RPT_BUF_INIT;
    double deadline = lim->wall_s > 0 ? now_s() + lim->wall_s : 0;
    int timed_out = 0, too_big = 0, oom = 0, cancelled = 0, status = 0;
    char chunk[65536];
    for (;;) {
        if (lim->cancel && atomic_load(lim->cancel)) {
            cancelled = 1;
            break;
        }
        int wait_ms = lim->cancel ? 200 : lim->tick ? 1000 : -1;
        if (deadline) {
            double left = deadline - now_s();
            if (left <= 0) {
                timed_out = 1;
                break;
            }
            if (wait_ms < 0 || left * 1000 < wait_ms) wait_ms = (int)(left * 1000) + 1;
        }
        if (lim->tick) lim->tick(lim->tick_ctx);
        struct pollfd p = {.fd = fds[0], .events = POLLIN};
        int n = poll(&p, 1, wait_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        if (n == 0) continue; /* the deadline check above ends the loop */
        ssize_t got = read(fds[0], chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        if (res.len + (size_t)got > max_output + 1) {
            too_big = 1;
            break;
        }
        if (rpt_buf_append(&res, chunk, (size_t)got)) {
            oom = 1;
            break;
        }
    }
    close(fds[0]);
    if (timed_out || too_big || oom || cancelled) kill(pid, SIGKILL);
    /* the child closed its pipe: it is exiting; still bound the wait by the deadline */
    for (;;) {
        pid_t w = waitpid(pid, &status, deadline ? WNOHANG : 0);
        if (w == pid) break;
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
            status = 0;
            break;
        }
        if (deadline && now_s() > deadline) {
            timed_out = !cancelled;
            kill(pid, SIGKILL);
            deadline = 0; /* now wait blocking for the killed child */
            continue;
        }
        struct timespec ts = {0, 2 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    int rc = -1;
    if (oom)
        rpt_buf_puts(err, "out of memory reading the decoder's result");
    else if (too_big)
        rpt_buf_printf(err, "decoder result larger than %zu bytes", max_output);
    else if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0 && res.len >= 1) {
        if (res.data[0] == '0') {
            if (rpt_buf_append(out, res.data + 1, res.len - 1) == 0)
                rc = 0;
            else
                rpt_buf_puts(err, "out of memory");
        } else {
            if (res.len > 1)
                rpt_buf_append(err, res.data + 1, res.len - 1);
            else
                rpt_buf_puts(err, "decoder failed without a reason");
        }
    } else {
        explain_status(lim, status, timed_out, cancelled, err);
    }
    rpt_buf_clear(&res);
    return rc;
}

int rpt_sandbox_isolate(void *ctx, rpt_sandbox_task task, void *arg, rpt_buf *out, rpt_buf *err)
{
    return rpt_sandbox_run((const rpt_sandbox_limits *)ctx, task, arg, out, err);
}
