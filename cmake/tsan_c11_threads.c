/* ThreadSanitizer builds only (REPORTD_TSAN): C11 threads on top of POSIX threads.
 *
 * librdkafka creates its threads and locks its queues with the C11 API (thrd_create,
 * mtx_lock, cnd_wait), which glibc implements without going through the pthread symbols
 * that ThreadSanitizer intercepts, and GCC 12's libtsan has no interceptors for them: a
 * librdkafka thread is unknown to TSan (its first malloc crashes the TSan runtime) and its
 * locks are invisible (every hand-over through a librdkafka queue would be reported as a
 * race). Defined in each executable of such a build, these versions are the ones
 * librdkafka binds to; they call the intercepted pthread functions, so TSan sees the
 * threads and the happens-before edges as they are. glibc's C11 types are its pthread
 * types (thrd_t is pthread_t; mtx_t and cnd_t have the size and alignment of
 * pthread_mutex_t and pthread_cond_t), which the static assertions check. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

_Static_assert(sizeof(thrd_t) == sizeof(pthread_t), "thrd_t is pthread_t");
_Static_assert(sizeof(mtx_t) >= sizeof(pthread_mutex_t), "mtx_t holds a pthread mutex");
_Static_assert(sizeof(cnd_t) >= sizeof(pthread_cond_t), "cnd_t holds a pthread condition");
_Static_assert(sizeof(once_flag) >= sizeof(pthread_once_t), "once_flag holds a pthread once");

/* Maps a pthread error to the C11 result. */
static int c11_result(int rc)
{
    return rc == 0 ? thrd_success : rc == ETIMEDOUT ? thrd_timedout
                                  : rc == EBUSY     ? thrd_busy
                                  : rc == ENOMEM    ? thrd_nomem
                                                    : thrd_error;
}

typedef struct c11_start {
    thrd_start_t fn;
    void *arg;
} c11_start;

/* Runs a C11 thread function on a pthread; its int result becomes the thread's value. */
static void *c11_trampoline(void *p)
{
    c11_start s = *(c11_start *)p;
    free(p);
    return (void *)(intptr_t)s.fn(s.arg);
}

int thrd_create(thrd_t *thr, thrd_start_t fn, void *arg)
{
    c11_start *s = malloc(sizeof *s);
    if (!s) return thrd_nomem;
    s->fn = fn;
    s->arg = arg;
    int rc = pthread_create((pthread_t *)thr, NULL, c11_trampoline, s);
    if (rc) free(s);
    return rc == EAGAIN ? thrd_nomem : c11_result(rc);
}

int thrd_join(thrd_t thr, int *res)
{
    void *value = NULL;
    int rc = pthread_join((pthread_t)thr, &value);
    if (rc == 0 && res) *res = (int)(intptr_t)value;
    return c11_result(rc);
}

int thrd_detach(thrd_t thr)
{
    return c11_result(pthread_detach((pthread_t)thr));
}

thrd_t thrd_current(void)
{
    return (thrd_t)pthread_self();
}

int mtx_init(mtx_t *m, int type)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    if (type & mtx_recursive) pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    int rc = pthread_mutex_init((pthread_mutex_t *)(void *)m, &a);
    pthread_mutexattr_destroy(&a);
    return c11_result(rc);
}

int mtx_lock(mtx_t *m)
{
    return c11_result(pthread_mutex_lock((pthread_mutex_t *)(void *)m));
}

int mtx_trylock(mtx_t *m)
{
    return c11_result(pthread_mutex_trylock((pthread_mutex_t *)(void *)m));
}

int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict ts)
{
    return c11_result(pthread_mutex_timedlock((pthread_mutex_t *)(void *)m, ts));
}

int mtx_unlock(mtx_t *m)
{
    return c11_result(pthread_mutex_unlock((pthread_mutex_t *)(void *)m));
}

void mtx_destroy(mtx_t *m)
{
    pthread_mutex_destroy((pthread_mutex_t *)(void *)m);
}

int cnd_init(cnd_t *c)
{
    return c11_result(pthread_cond_init((pthread_cond_t *)(void *)c, NULL));
}

int cnd_signal(cnd_t *c)
{
    return c11_result(pthread_cond_signal((pthread_cond_t *)(void *)c));
}

int cnd_broadcast(cnd_t *c)
{
    return c11_result(pthread_cond_broadcast((pthread_cond_t *)(void *)c));
}

int cnd_wait(cnd_t *c, mtx_t *m)
{
    return c11_result(
        pthread_cond_wait((pthread_cond_t *)(void *)c, (pthread_mutex_t *)(void *)m));
}

int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m, const struct timespec *restrict ts)
{
    return c11_result(
        pthread_cond_timedwait((pthread_cond_t *)(void *)c, (pthread_mutex_t *)(void *)m, ts));
}

void cnd_destroy(cnd_t *c)
{
    pthread_cond_destroy((pthread_cond_t *)(void *)c);
}

void call_once(once_flag *flag, void (*fn)(void))
{
    pthread_once((pthread_once_t *)(void *)flag, fn);
}
