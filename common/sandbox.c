#include "common/sandbox.h"
#include "common/bytes.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
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

/* Moves fd to a descriptor at or above 10 (keeping close-on-exec), so that the dup2() calls
 * of the child cannot overwrite one source with another. Async-signal-safe. */
static int lift_fd(int fd)
{
    return fcntl(fd, F_DUPFD_CLOEXEC, 10);
}

/* The forked child until exec: descriptors, signals and the CPU limit (cpu, or NULL for
 * none), then the program. Only async-signal-safe calls (the caller may have threads whose
 * locks the child inherits as held). On a failure it reports 'X' and the errno on the result
 * pipe. Never returns. */
static void child_exec(const struct rlimit *cpu, pid_t parent, int in_fd, int null_fd,
                       int res_fd, char *const argv[])
{
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* the caller killed (kill -9 of a role): so is its decoder */
    if (getppid() != parent) _exit(122); /* ... also when that happened before the line above */
    int in = lift_fd(in_fd), nul = lift_fd(null_fd), res = lift_fd(res_fd);
    int report_fd = res >= 0 ? res : res_fd; /* where a failure is told */
    if (in < 0 || nul < 0 || res < 0 || dup2(in, STDIN_FILENO) < 0 ||
        dup2(nul, STDOUT_FILENO) < 0 || dup2(res, RPT_SANDBOX_RESULT_FD) < 0)
        goto fail;
    report_fd = RPT_SANDBOX_RESULT_FD;
#ifdef SYS_close_range
    if (syscall(SYS_close_range, RPT_SANDBOX_RESULT_FD + 1, ~0u, 0) < 0)
#endif
        for (int fd = RPT_SANDBOX_RESULT_FD + 1; fd < 1024; fd++)
            close(fd);
    /* exec keeps ignored signals ignored and the signal mask: the decoder gets the defaults,
     * so that a crash ends it with its signal, which the caller reports */
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    for (int sig = 1; sig < NSIG; sig++) {
        struct sigaction old;
        if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &old) == 0 &&
            old.sa_handler == SIG_IGN)
            sigaction(sig, &dfl, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (cpu) setrlimit(RLIMIT_CPU, cpu);
    execv(argv[0], argv);
fail:;
    int e = errno;
    char msg[1 + sizeof e] = {'X'};
    memcpy(msg + 1, &e, sizeof e);
    (void)!write(report_fd, msg, sizeof msg);
    _exit(120);
}

/* What precedes the task's input on the child's standard input: the memory budget, which
 * the child applies itself once its program is loaded (rpt_sandbox_serve()). */
#define INPUT_HEADER_FMT "reportd-sandbox memory=%zu\n"

/* A descriptor positioned at the start of a file holding the header and input (a memfd,
 * else an unlinked temporary file), close-on-exec; -1 with the reason in err. */
static int input_fd(size_t memory_bytes, const void *input, size_t len, rpt_buf *err)
{
    int fd = memfd_create("reportd-decoder-input", MFD_CLOEXEC);
    if (fd < 0) {
        FILE *f = tmpfile();
        if (f) {
            fd = fcntl(fileno(f), F_DUPFD_CLOEXEC, 0);
            fclose(f);
        }
    }
    if (fd < 0) {
        rpt_buf_printf(err, "cannot create the decoder's input file: %s", strerror(errno));
        return -1;
    }
    char head[64];
    int n = snprintf(head, sizeof head, INPUT_HEADER_FMT, memory_bytes);
    if (write_all(fd, head, (size_t)n) || (len && write_all(fd, input, len)) ||
        lseek(fd, 0, SEEK_SET) < 0) {
        rpt_buf_printf(err, "cannot write the decoder's input: %s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
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

int rpt_sandbox_exec(const rpt_sandbox_limits *lim, char *const argv[], const void *input,
                     size_t len, rpt_buf *out, rpt_buf *err)
{
    static const rpt_sandbox_limits none = {0};
    if (!lim) lim = &none;
    size_t max_output = lim->max_output ? lim->max_output : DEFAULT_MAX_OUTPUT;
    /* everything the child needs is made here: between fork and exec it may not allocate */
    struct rlimit cpu = {0};
    if (lim->cpu_s > 0) {
        rlim_t s = (rlim_t)ceil(lim->cpu_s);
        cpu = (struct rlimit){.rlim_cur = s, .rlim_max = s + 1};
    }
    int fds[2], in_fd = input_fd(lim->memory_bytes, input, len, err), null_fd = -1;
    if (in_fd < 0) return -1;
    null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd < 0) {
        rpt_buf_printf(err, "cannot open /dev/null: %s", strerror(errno));
        close(in_fd);
        return -1;
    }
    if (pipe2(fds, O_CLOEXEC) < 0) {
        rpt_buf_printf(err, "cannot create a pipe: %s", strerror(errno));
        close(in_fd);
        close(null_fd);
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) child_exec(lim->cpu_s > 0 ? &cpu : NULL, parent, in_fd, null_fd, fds[1], argv);
    close(in_fd);
    close(null_fd);
    if (pid < 0) {
        rpt_buf_printf(err, "cannot fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
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
    else if (!timed_out && !cancelled && res.len == 1 + sizeof(int) && res.data[0] == 'X') {
        int e;
        memcpy(&e, res.data + 1, sizeof e);
        rpt_buf_printf(err, "cannot execute the decoder %s: %s", argv[0], strerror(e));
    } else if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0 && res.len >= 1) {
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

int rpt_sandbox_isolate(void *ctx, const char *task, const unsigned char *input, size_t len,
                        rpt_buf *out, rpt_buf *err)
{
    const rpt_sandbox_limits *lim = ctx;
    if (!lim || !lim->program) {
        rpt_buf_puts(err, "no decoder program configured");
        return -1;
    }
    char *argv[] = {(char *)lim->program, RPT_SANDBOX_COMMAND, (char *)task, NULL};
    return rpt_sandbox_exec(lim, argv, input, len, out, err);
}

/* Address space of this process now, in bytes (/proc/self/statm), or 0 when unknown. */
static size_t address_space_now(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (!f) return 0;
    if (fscanf(f, "%lu", &pages) != 1) pages = 0;
    fclose(f);
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* Reads the sandbox's header off the child's input (advancing *input and *len past it) and
 * applies its memory budget: the address space the program has once loaded, plus the budget
 * (a program linking PDF and OCR libraries maps some 100 MiB before it does anything). */
static int take_header(const unsigned char **input, size_t *len, rpt_buf *err)
{
    char head[65];
    size_t memory = 0;
    if (rpt_take_line(input, len, head, sizeof head) ||
        sscanf(head, INPUT_HEADER_FMT, &memory) != 1) {
        rpt_buf_puts(err, "decoder input without the sandbox header");
        return -1;
    }
    if (memory > 0 && !UNDER_SANITIZER) {
        rlim_t cap = (rlim_t)(address_space_now() + memory);
        struct rlimit rl = {.rlim_cur = cap, .rlim_max = cap};
        setrlimit(RLIMIT_AS, &rl);
    }
    return 0;
}

_Noreturn void rpt_sandbox_serve(const char *task, rpt_sandbox_task fn)
{
    /* default dispositions: a crash ends the decoder with its signal, which the caller
     * reports (a sanitizer's handler would turn it into an exit status that says less) */
    static const int crash_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof crash_sigs / sizeof *crash_sigs; i++)
        signal(crash_sigs[i], SIG_DFL);
    rpt_buf in = RPT_BUF_INIT, out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    char chunk[65536];
    int rc = 0;
    for (;;) {
        ssize_t got = read(STDIN_FILENO, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            rpt_buf_printf(&err, "decoder cannot read its input: %s", strerror(errno));
            rc = -1;
            break;
        }
        if (got == 0) break;
        if (rpt_buf_append(&in, chunk, (size_t)got)) {
            rpt_buf_puts(&err, "decoder out of memory reading its input");
            rc = -1;
            break;
        }
    }
    const unsigned char *input = (const unsigned char *)(in.data ? in.data : "");
    size_t len = in.len;
    if (rc == 0 && (rc = take_header(&input, &len, &err)) == 0) rc = fn(task, input, len, &out, &err);
    char status = rc == 0 ? '0' : '1';
    rpt_buf *res = rc == 0 ? &out : &err;
    int bad = write_all(RPT_SANDBOX_RESULT_FD, &status, 1) ||
              write_all(RPT_SANDBOX_RESULT_FD, res->data ? res->data : "", res->len);
    /* _exit: the result is out; the decoding libraries' global state is not worth tearing
     * down (nor, under LeakSanitizer, reporting) in a process that ends now */
    _exit(bad ? 121 : 0);
}

void rpt_sandbox_serve_if_asked(int argc, char **argv, rpt_sandbox_task fn)
{
    if (argc == 3 && strcmp(argv[1], RPT_SANDBOX_COMMAND) == 0) rpt_sandbox_serve(argv[2], fn);
}
