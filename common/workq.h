/* A small pool of threads working through a bounded queue of jobs, with the finished jobs
 * handed back to the thread that submitted them. The transform stage decodes slow documents
 * (PDF with OCR, legacy Word) on such a pool so that the documents behind them go on.
 *
 * A job is the caller's pointer: the pool runs fn(job, ctx) on one of its threads and then
 * queues the job as finished; the caller takes it back with rpt_workq_take(). The caller
 * owns every job at all times except while fn runs on it. */
#ifndef REPORTD_COMMON_WORKQ_H
#define REPORTD_COMMON_WORKQ_H

#include <stddef.h>

typedef struct rpt_workq rpt_workq;
typedef void (*rpt_workq_fn)(void *job, void *ctx);

/* A pool of `threads` threads (1..64) accepting at most `max_jobs` outstanding jobs
 * (submitted and not yet taken back). NULL when threads cannot be started (errno set). */
rpt_workq *rpt_workq_new(int threads, size_t max_jobs, rpt_workq_fn fn, void *ctx);

/* Queues job. Returns 0, or -1 when max_jobs are outstanding (nothing queued). */
int rpt_workq_submit(rpt_workq *q, void *job);

/* A finished job, waiting up to timeout_ms for one (0: do not wait); NULL when none. Jobs
 * come back in the order they finished. */
void *rpt_workq_take(rpt_workq *q, int timeout_ms);

/* Jobs submitted and not yet taken back (queued, running or finished). */
size_t rpt_workq_outstanding(rpt_workq *q);

/* Stops the pool: jobs not yet started are not run; running ones finish first (make them
 * short, e.g. with a cancel flag their fn watches). Every job not taken back is passed to
 * discard (may be NULL), then the threads are joined and the pool freed. NULL is a no-op. */
void rpt_workq_free(rpt_workq *q, void (*discard)(void *job));

#endif
