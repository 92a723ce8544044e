/* The work queue of common/workq.h: jobs run on the pool's threads and come back to the
 * caller, a full queue refuses more, a slow job does not hold back the ones behind it, and
 * freeing the pool hands every job not taken back to the discard function. */
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "common/workq.h"
#include "test.h"

typedef struct job {
    int id;
    int sleep_ms;
    int ran;
} job;

static atomic_int discarded;
static atomic_int release_slow; /* the slow job waits for this */

static void run(void *p, void *ctx)
{
    (void)ctx;
    job *j = p;
    if (j->sleep_ms < 0) {
        while (!atomic_load(&release_slow)) {
            struct timespec ts = {0, 5 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    } else if (j->sleep_ms) {
        struct timespec ts = {0, (long)j->sleep_ms * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    j->ran = 1;
}

static void discard(void *p)
{
    (void)p;
    atomic_fetch_add(&discarded, 1);
}

static void test_jobs_come_back(void)
{
    job jobs[8] = {{0}};
    rpt_workq *q = rpt_workq_new(2, 8, run, NULL);
    CHECK(q != NULL);
    if (!q) return;
    for (int i = 0; i < 8; i++) {
        jobs[i].id = i;
        CHECK_INT(rpt_workq_submit(q, &jobs[i]), 0);
    }
    job extra = {0};
    CHECK_INT(rpt_workq_submit(q, &extra), -1); /* 8 outstanding: full */
    CHECK_INT((int)rpt_workq_outstanding(q), 8);
    int seen = 0, mask = 0;
    for (int tries = 0; seen < 8 && tries < 100; tries++) {
        job *j = rpt_workq_take(q, 100);
        if (!j) continue;
        CHECK(j->ran);
        mask |= 1 << j->id;
        seen++;
    }
    CHECK_INT(seen, 8);
    CHECK_INT(mask, 0xff);
    CHECK_INT((int)rpt_workq_outstanding(q), 0);
    CHECK(rpt_workq_take(q, 0) == NULL);
    CHECK(rpt_workq_take(q, 50) == NULL); /* nothing outstanding: returns at once */
    rpt_workq_free(q, discard);
    CHECK_INT(atomic_load(&discarded), 0);
}

/* With two threads, a job that never ends on its own does not keep the later ones from
 * finishing; freeing the pool discards what was not taken back. */
static void test_slow_job_does_not_block(void)
{
    atomic_store(&discarded, 0);
    atomic_store(&release_slow, 0);
    job slow = {.id = 0, .sleep_ms = -1}, fast[3] = {{1, 0, 0}, {2, 0, 0}, {3, 0, 0}};
    rpt_workq *q = rpt_workq_new(2, 4, run, NULL);
    CHECK(q != NULL);
    if (!q) return;
    CHECK_INT(rpt_workq_submit(q, &slow), 0);
    for (int i = 0; i < 3; i++)
        CHECK_INT(rpt_workq_submit(q, &fast[i]), 0);
    int got = 0;
    for (int tries = 0; got < 3 && tries < 100; tries++) {
        job *j = rpt_workq_take(q, 100);
        if (!j) continue;
        CHECK(j != &slow);
        got++;
    }
    CHECK_INT(got, 3);
    CHECK(!slow.ran);
    CHECK_INT((int)rpt_workq_outstanding(q), 1);
    atomic_store(&release_slow, 1); /* the running job must end for the pool to stop */
    rpt_workq_free(q, discard);
    CHECK(slow.ran);
    CHECK_INT(atomic_load(&discarded), 1);
}

static void test_bad_arguments(void)
{
    CHECK(rpt_workq_new(0, 4, run, NULL) == NULL);
    CHECK(rpt_workq_new(2, 0, run, NULL) == NULL);
    CHECK(rpt_workq_new(2, 4, NULL, NULL) == NULL);
    rpt_workq_free(NULL, discard);
}

TEST_MAIN(T(test_jobs_come_back), T(test_slow_job_does_not_block), T(test_bad_arguments))
