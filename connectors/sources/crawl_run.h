/* Running passes: the side of the crawl API the fetch role uses. A pass (rd_crawl) of one
 * source is started, driven by stepping the shared fetcher and polling the emitter, and is
 * finished when nothing it queued is outstanding. */
#ifndef REPORTD_CONNECTORS_SOURCES_CRAWL_RUN_H
#define REPORTD_CONNECTORS_SOURCES_CRAWL_RUN_H

#include "connectors/fetch_state.h"
#include "connectors/http/fetcher.h"
#include "connectors/sources/crawl.h"
#include "connectors/sources/emit.h"

/* The shared machinery passes run on (not owned by the passes). */
typedef struct rd_crawl_env {
    rd_fetcher *fetcher;
    rd_emitter *emitter;
    rd_fetch_state *state;
    const rd_fetch_settings *fetch; /* must outlive the passes using it */
} rd_crawl_env;

/* What one pass did: the `reportd fetch --once` summary. */
typedef struct rd_crawl_counts {
    long pages, new_docs, changed, unchanged, failed;
} rd_crawl_counts;

/* Starts a pass of `src` (moved in: the pass owns it). Loads the source's fetch state and
 * lets the kind queue its discovery requests. NULL with a reason in err (src cleared). */
rd_crawl *rd_crawl_start(const rd_crawl_env *env, rd_source *src, rd_buf *err);
/* True when nothing the pass queued is outstanding (fetches and deliveries). */
int rd_crawl_finished(const rd_crawl *c);
const rd_crawl_counts *rd_crawl_counts_of(const rd_crawl *c);
const char *rd_crawl_name(const rd_crawl *c);
/* Frees a finished pass. Freeing an unfinished one is a bug: stop the fetcher and emitter
 * first (their callbacks complete what is outstanding). */
void rd_crawl_free(rd_crawl *c);

#endif
