/* A decoder run as a separate program under limits: CPU time, address space and wall-clock
 * time. For decoders of formats whose libraries have a history of crashing or running away on
 * hostile files (PDF, OCR, legacy Word): a crash, a limit or a timeout of the child becomes an
 * error with the reason, and the calling process goes on.
 *
 * The child is forked and at once executes a program (the decoder program, whose main()
 * serves one task: see rpt_sandbox_serve_if_asked()). Nothing but
 * async-signal-safe calls run between fork and exec, so a multi-threaded caller (Kafka
 * client threads, a pool of decoder threads) hands the child no lock held by another thread,
 * and the child sees none of the caller's memory (no credentials, no other documents).
 *
 * The task's input reaches the child on its standard input after a one-line header of the
 * sandbox's own (the memory budget, which the child applies once loaded); its result comes back on
 * descriptor 3 as one status byte ('0' result, '1' error) and the bytes, whose format the
 * task decides. */
#ifndef REPORTD_COMMON_SANDBOX_H
#define REPORTD_COMMON_SANDBOX_H

#include <stdatomic.h>
#include <stddef.h>

#include "common/buf.h"

/* The descriptor on which the child writes its result. */
#define RPT_SANDBOX_RESULT_FD 3

typedef struct rpt_sandbox_limits {
    double cpu_s;        /* CPU seconds (RLIMIT_CPU, rounded up); 0 = no limit */
    /* address space (RLIMIT_AS) beyond what the program has mapped once loaded; 0 = no limit
     * (always none under ASan/TSan: shadow memory) */
    size_t memory_bytes;
    double wall_s;       /* wall-clock seconds before the child is killed; 0 = no limit */
    size_t max_output;   /* largest result accepted from the child; 0 = 256 MiB */
    /* called about once a second while the child runs (e.g. a role's heartbeat, so that a
     * long OCR does not look like a stalled process); NULL for none */
    void (*tick)(void *tick_ctx);
    void *tick_ctx;
    /* when it becomes non-zero, the child is killed within about 200 ms and the call fails
     * with "decoder cancelled" (e.g. the stage is stopping); NULL for none */
    const atomic_int *cancel;
    /* what rpt_sandbox_isolate() executes: program (a path) with the arguments
     * RPT_SANDBOX_COMMAND and the task's name */
    const char *program;
} rpt_sandbox_limits;

/* The first argument of a program executed by rpt_sandbox_isolate(). */
#define RPT_SANDBOX_COMMAND "decode-task"

/* Executes argv[0] (a path) with argv (NULL-terminated) under lim, input (len bytes) on its
 * standard input, standard output on /dev/null, standard error shared with the caller.
 * Returns 0 with the child's result appended to out; -1 with a one-line reason appended to
 * err: the task's own error, or what happened to the child ("decoder crashed (signal 11,
 * Segmentation fault)", "decoder exceeded its CPU time limit of 10 s", "decoder timed out
 * after 30 s", "decoder cancelled", "cannot execute the decoder /x: No such file or
 * directory", "cannot fork: ..."). The child is always reaped before the call returns, and
 * it is killed when the calling thread ends before it (PR_SET_PDEATHSIG). */
int rpt_sandbox_exec(const rpt_sandbox_limits *lim, char *const argv[], const void *input,
                     size_t len, rpt_buf *out, rpt_buf *err);

/* The isolation hook of rpt_extract_input (transforms/extract.h), ctx being a const
 * rpt_sandbox_limits *: rpt_sandbox_exec() of {program, RPT_SANDBOX_COMMAND, task}. */
int rpt_sandbox_isolate(void *ctx, const char *task, const unsigned char *input, size_t len,
                        rpt_buf *out, rpt_buf *err);

/* What a served task does: decodes input, fills out and returns 0, or returns -1 with a
 * reason in err. */
typedef int (*rpt_sandbox_task)(const char *task, const unsigned char *input, size_t len,
                                rpt_buf *out, rpt_buf *err);

/* The child's side, for the command a program runs as the decoder: reads its standard input
 * to the end, runs fn(task, ...), writes the status byte and the result on
 * RPT_SANDBOX_RESULT_FD and ends the process with _exit() (0 when the result was written,
 * else 121). Never returns. */
_Noreturn void rpt_sandbox_serve(const char *task, rpt_sandbox_task fn);

/* For main(): when argv is {program, RPT_SANDBOX_COMMAND, task}, rpt_sandbox_serve(task, fn)
 * (never returns); otherwise returns at once. */
void rpt_sandbox_serve_if_asked(int argc, char **argv, rpt_sandbox_task fn);

#endif
