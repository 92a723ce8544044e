/* Per-URL fetch state in PostgreSQL (reports.fetch_state, deploy/sql/002_fetch_state.sql):
 * the validators and hash of the last version produced, and the outcome of the last fetch.
 * A pass loads its source's rows into a map, then records outcomes; records are buffered
 * and written in batches (one statement per batch). A document's hash and validators are
 * only recorded once Kafka has confirmed its delivery. */
#ifndef REPORTD_CONNECTORS_POSTGRES_FETCH_STATE_H
#define REPORTD_CONNECTORS_POSTGRES_FETCH_STATE_H

#include <stddef.h>

#include "common/buf.h"

/* What is known about one URL; also marks URLs seen during a pass. */
typedef struct rpt_url_state {
    struct rpt_url_state *next;
    char *url;
    char *etag, *last_modified, *lastmod, *sha256;   /* of the last produced version */
    int seen;                                        /* offered during the current pass */
    struct rpt_url_state *first_child, *next_sibling; /* attachments known from this page */
} rpt_url_state;

typedef struct rpt_state_map {
    rpt_url_state **buckets;
    size_t nbuckets, n;
} rpt_state_map;

/* Entry for url, or NULL. */
rpt_url_state *rpt_state_map_get(const rpt_state_map *m, const char *url);
/* Entry for url, created (all fields NULL) when absent. NULL on ENOMEM. */
rpt_url_state *rpt_state_map_put(rpt_state_map *m, const char *url);
void rpt_state_map_clear(rpt_state_map *m);

/* One outcome to record. NULL fields keep the stored value (except error, which is
 * cleared by a success). sha256 set means "this version is now the produced one". */
typedef struct rpt_state_update {
    const char *url, *doc_id, *source, *parent_url;
    const char *etag, *last_modified, *lastmod, *sha256;
    int status;
    const char *error; /* NULL for success */
    int emitted;       /* delivery confirmed now */
} rpt_state_update;

typedef struct rpt_fetch_state rpt_fetch_state;

/* Connects to PostgreSQL. NULL with a reason in err. */
rpt_fetch_state *rpt_fetch_state_open(const char *conninfo, rpt_buf *err);
/* Adds the stored rows of `source` to map, linking attachments to their article page
 * (first_child / next_sibling). Returns 0 or -1 with a reason in err. */
int rpt_fetch_state_load(rpt_fetch_state *st, const char *source, rpt_state_map *map, rpt_buf *err);
/* Buffers one outcome (copied). Returns 0 or -1 on ENOMEM. */
int rpt_fetch_state_record(rpt_fetch_state *st, const rpt_state_update *u);
/* Outcomes buffered and not yet written. */
size_t rpt_fetch_state_pending(const rpt_fetch_state *st);
/* Writes every buffered outcome in one statement; on failure they stay buffered (retried
 * by the next flush, reconnecting if needed). Returns 0 or -1 with a reason in err. */
int rpt_fetch_state_flush(rpt_fetch_state *st, rpt_buf *err);
void rpt_fetch_state_close(rpt_fetch_state *st);

#endif
