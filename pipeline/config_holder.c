#include "pipeline/stage.h"

#include <pthread.h>
#include <stdlib.h>

/* One config generation with a reference count. */
typedef struct generation {
    rpt_config cfg;
    int refs;
    struct generation *next; /* retired generations still referenced */
} generation;

struct rpt_config_holder {
    pthread_mutex_t lock;
    generation *current;
    generation *retired;
};

rpt_config_holder *rpt_config_holder_new(rpt_config *cfg)
{
    rpt_config_holder *h = calloc(1, sizeof *h);
    generation *g = calloc(1, sizeof *g);
    if (!h || !g) {
        free(h);
        free(g);
        return NULL;
    }
    pthread_mutex_init(&h->lock, NULL);
    g->cfg = *cfg;
    g->refs = 1; /* the holder's own reference */
    h->current = g;
    return h;
}

static void unref_locked(rpt_config_holder *h, generation *g)
{
    if (--g->refs > 0) return;
    for (generation **pp = &h->retired; *pp; pp = &(*pp)->next) {
        if (*pp == g) {
            *pp = g->next;
            break;
        }
    }
    rpt_config_clear(&g->cfg);
    free(g);
}

void rpt_config_holder_swap(rpt_config_holder *h, rpt_config *cfg)
{
    generation *g = calloc(1, sizeof *g);
    if (!g) {
        rpt_config_clear(cfg);
        return;
    }
    g->cfg = *cfg;
    g->refs = 1;
    pthread_mutex_lock(&h->lock);
    generation *old = h->current;
    h->current = g;
    old->next = h->retired;
    h->retired = old;
    unref_locked(h, old);
    pthread_mutex_unlock(&h->lock);
}

void rpt_config_holder_free(rpt_config_holder *h)
{
    if (!h) return;
    pthread_mutex_lock(&h->lock);
    unref_locked(h, h->current);
    while (h->retired) { /* roles have stopped: drop whatever they did not release */
        generation *g = h->retired;
        h->retired = g->next;
        rpt_config_clear(&g->cfg);
        free(g);
    }
    pthread_mutex_unlock(&h->lock);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

const rpt_config *rpt_role_config_acquire(rpt_role_ctl *ctl)
{
    rpt_config_holder *h = ctl->config;
    pthread_mutex_lock(&h->lock);
    generation *g = h->current;
    g->refs++;
    pthread_mutex_unlock(&h->lock);
    return &g->cfg;
}

void rpt_role_config_release(rpt_role_ctl *ctl, const rpt_config *cfg)
{
    rpt_config_holder *h = ctl->config;
    pthread_mutex_lock(&h->lock);
    generation *g = h->current;
    if (&g->cfg != cfg) {
        for (g = h->retired; g && &g->cfg != cfg; g = g->next) {
        }
    }
    if (g) unref_locked(h, g);
    pthread_mutex_unlock(&h->lock);
}
