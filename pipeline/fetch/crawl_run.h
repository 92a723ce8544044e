/* Running passes: the side of the crawl API the fetch role uses. A pass (rpt_crawl) of one
 * source is started, driven by stepping the shared fetcher and polling the emitter, and is
 * finished when nothing it queued is outstanding. */
#ifndef REPORTD_PIPELINE_FETCH_CRAWL_RUN_H
#define REPORTD_PIPELINE_FETCH_CRAWL_RUN_H

#include "connectors/postgres/fetch_state.h"
#include "connectors/http/fetcher.h"
#include "pipeline/fetch/crawl.h"
#include "pipeline/fetch/emit.h"

/* The shared machinery passes run on (not owned by the passes). */
typedef struct rpt_crawl_env {
    rpt_fetcher *fetcher;
    rpt_emitter *emitter;
    rpt_fetch_state *state;
    const rpt_fetch_settings *fetch; /* must outlive the passes using it */
} rpt_crawl_env;

/* What one pass did: the `reportd fetch --once` summary. */
typedef struct rpt_crawl_counts {
    long pages, new_docs, changed, unchanged, failed;
} rpt_crawl_counts;

/* Starts a pass of `src` (moved in: the pass owns it). Loads the source's fetch state and
 * lets the kind queue its discovery requests. NULL with a reason in err (src cleared). */
rpt_crawl *rpt_crawl_start(const rpt_crawl_env *env, rpt_source *src, rpt_buf *err);
/* True when nothing the pass queued is outstanding (fetches and deliveries). */
int rpt_crawl_finished(const rpt_crawl *c);
const rpt_crawl_counts *rpt_crawl_counts_of(const rpt_crawl *c);
const char *rpt_crawl_name(const rpt_crawl *c);
/* Frees a finished pass. Freeing an unfinished one is a bug: stop the fetcher and emitter
 * first (their callbacks complete what is outstanding). */
void rpt_crawl_free(rpt_crawl *c);

#endif
