/* A task run in a child process under limits: CPU time, address space and wall-clock time.
 * For decoders of formats whose libraries have a history of crashing or running away on
 * hostile files (PDF, OCR, legacy Word): a crash, a limit or a timeout in the child becomes
 * an error with the reason, and the calling process goes on.
 *
 * The task's result travels back through a pipe as bytes; the task decides their format.
 * The child is forked (no exec), so the task sees the caller's memory as it was at the call;
 * it leaves with _exit() and never returns into the caller's code. */
#ifndef REPORTD_COMMON_SANDBOX_H
#define REPORTD_COMMON_SANDBOX_H

#include <stdatomic.h>
#include <stddef.h>

#include "common/buf.h"

typedef struct rpt_sandbox_limits {
    double cpu_s;        /* CPU seconds (RLIMIT_CPU, rounded up); 0 = no limit */
    size_t memory_bytes; /* address space (RLIMIT_AS); 0 = no limit (always none under ASan/TSan: shadow memory) */
    double wall_s;       /* wall-clock seconds before the child is killed; 0 = no limit */
    size_t max_output;   /* largest result accepted from the child; 0 = 256 MiB */
    /* called about once a second while the child runs (e.g. a role's heartbeat, so that a
     * long OCR does not look like a stalled process); NULL for none */
    void (*tick)(void *tick_ctx);
    void *tick_ctx;
    /* when it becomes non-zero, the child is killed within about 200 ms and the call fails
     * with "decoder cancelled" (e.g. the stage is stopping); NULL for none */
    const atomic_int *cancel;
} rpt_sandbox_limits;

/* What the child runs: fills out and returns 0, or returns -1 with a reason in err. */
typedef int (*rpt_sandbox_task)(void *arg, rpt_buf *out, rpt_buf *err);

/* Runs task(arg) in a forked child under lim. Returns 0 with the task's output appended to
 * out; -1 with a one-line reason appended to err: the task's own error, or what happened to
 * the child ("decoder crashed (signal 11, Segmentation fault)", "decoder exceeded its CPU
 * time limit of 10 s", "decoder timed out after 30 s", "decoder cancelled", "decoder ran out of memory (limit 1024
 * MiB)", "cannot fork: ..."). The child is always reaped before the call returns. */
int rpt_sandbox_run(const rpt_sandbox_limits *lim, rpt_sandbox_task task, void *arg, rpt_buf *out,
                    rpt_buf *err);

/* rpt_sandbox_run() with the limits as an opaque context: the signature of the isolation
 * hook of rpt_extract_input (transforms/extract.h), ctx being a const rpt_sandbox_limits *. */
int rpt_sandbox_isolate(void *ctx, rpt_sandbox_task task, void *arg, rpt_buf *out, rpt_buf *err);

#endif
