#include "common/workq.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* A ring of job pointers; never holds more than the pool's max_jobs. */
typedef struct ring {
    void **items;
    size_t head, len, cap;
} ring;

struct rpt_workq {
    pthread_mutex_t mu;
    pthread_cond_t work; /* a job was queued, or stopping */
    pthread_cond_t done; /* a job finished */
    ring queued, finished;
    size_t outstanding, max_jobs;
    int stopping;
    rpt_workq_fn fn;
    void *ctx;
    pthread_t *threads;
    int n_threads;
};

static void ring_push(ring *r, void *item)
{
    r->items[(r->head + r->len) % r->cap] = item;
    r->len++;
}

static void *ring_pop(ring *r)
{
    if (r->len == 0) return NULL;
    void *item = r->items[r->head];
    r->head = (r->head + 1) % r->cap;
    r->len--;
    return item;
}

static void *worker(void *arg)
{
    rpt_workq *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->stopping && q->queued.len == 0)
            pthread_cond_wait(&q->work, &q->mu);
        if (q->stopping) break;
        void *job = ring_pop(&q->queued);
        pthread_mutex_unlock(&q->mu);
        q->fn(job, q->ctx);
        pthread_mutex_lock(&q->mu);
        ring_push(&q->finished, job);
        pthread_cond_broadcast(&q->done);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

rpt_workq *rpt_workq_new(int threads, size_t max_jobs, rpt_workq_fn fn, void *ctx)
{
    if (threads < 1 || threads > 64 || max_jobs < 1 || !fn) {
        errno = EINVAL;
        return NULL;
    }
    rpt_workq *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->queued.items = calloc(max_jobs, sizeof(void *));
    q->finished.items = calloc(max_jobs, sizeof(void *));
    q->threads = calloc((size_t)threads, sizeof *q->threads);
    if (!q->queued.items || !q->finished.items || !q->threads) goto fail;
    q->queued.cap = q->finished.cap = q->max_jobs = max_jobs;
    q->fn = fn;
    q->ctx = ctx;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->work, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&q->done, &ca);
    pthread_condattr_destroy(&ca);
    for (; q->n_threads < threads; q->n_threads++) {
        int e = pthread_create(&q->threads[q->n_threads], NULL, worker, q);
        if (e) {
            rpt_workq_free(q, NULL);
            errno = e;
            return NULL;
        }
    }
    return q;
fail:
    free(q->queued.items);
    free(q->finished.items);
    free(q->threads);
    free(q);
    errno = ENOMEM;
    return NULL;
}

int rpt_workq_submit(rpt_workq *q, void *job)
{
    int rc = -1;
    pthread_mutex_lock(&q->mu);
    if (!q->stopping && q->outstanding < q->max_jobs) {
        ring_push(&q->queued, job);
        q->outstanding++;
        pthread_cond_signal(&q->work);
        rc = 0;
    }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

void *rpt_workq_take(rpt_workq *q, int timeout_ms)
{
    pthread_mutex_lock(&q->mu);
    if (q->finished.len == 0 && timeout_ms > 0 && q->outstanding > 0) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += timeout_ms / 1000;
        until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (q->finished.len == 0 &&
               pthread_cond_timedwait(&q->done, &q->mu, &until) != ETIMEDOUT) {
        }
    }
    void *job = ring_pop(&q->finished);
    if (job) q->outstanding--;
    pthread_mutex_unlock(&q->mu);
    return job;
}

size_t rpt_workq_outstanding(rpt_workq *q)
{
    pthread_mutex_lock(&q->mu);
    size_t n = q->outstanding;
    pthread_mutex_unlock(&q->mu);
    return n;
}

void rpt_workq_free(rpt_workq *q, void (*discard)(void *job))
{
    if (!q) return;
    pthread_mutex_lock(&q->mu);
    q->stopping = 1;
    pthread_cond_broadcast(&q->work);
    pthread_mutex_unlock(&q->mu);
    for (int i = 0; i < q->n_threads; i++)
        pthread_join(q->threads[i], NULL);
    /* the threads are gone: what is left is queued (never started) or finished */
    void *job;
    while ((job = ring_pop(&q->queued)) != NULL)
        if (discard) discard(job);
    while ((job = ring_pop(&q->finished)) != NULL)
        if (discard) discard(job);
    pthread_cond_destroy(&q->work);
    pthread_cond_destroy(&q->done);
    pthread_mutex_destroy(&q->mu);
    free(q->queued.items);
    free(q->finished.items);
    free(q->threads);
    free(q);
}
