/* Sources: where documents are discovered. Each kind (html_index, feed, sitemap, json_api,
 * dir) registers one rpt_source_kind with its settings table; the core loads the configured
 * sources through this registry and runs them through the crawl API (crawl.h) without
 * knowing any kind's internals. */
#ifndef REPORTD_PIPELINE_FETCH_SOURCES_SOURCE_H
#define REPORTD_PIPELINE_FETCH_SOURCES_SOURCE_H

#include <stddef.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/opts.h"
#include "pipeline/config.h"

/* Keys every source has. A kind's settings struct begins with this struct. */
typedef struct rpt_source_common {
    char *name;
    char *kind;
    char *url;
    char *region;
    long long interval_s;
    long long max_pages;        /* -1: fetch.max_pages */
    int respect_robots;         /* -1: fetch.respect_robots */
    int allow_private_networks; /* -1: fetch.allow_private_networks */
    rpt_kvlist allowlist;        /* addresses / CIDR blocks opened despite the SSRF guard */
    rpt_kvlist include;          /* URL patterns a document must match (any) */
    rpt_kvlist exclude;          /* URL patterns a document must not match */
} rpt_source_common;

typedef struct rpt_crawl rpt_crawl;

typedef struct rpt_source_kind {
    const char *name;
    const char *doc;
    const rpt_opt *opts;   /* kind-specific keys; offsets into the kind's settings struct */
    size_t settings_size; /* sizeof the kind's settings struct (rpt_source_common first) */
    int needs_url;        /* 1: "url" is required and must be http(s) */
    /* Checks values beyond the table; on error sets *key and writes the reason. */
    int (*validate)(const void *settings, const char **key, rpt_buf *reason);
    /* Begins one pass: queues the discovery requests through the crawl API. */
    int (*start)(rpt_crawl *c);
    /* Optional: a fetched document's body, to discover more documents (attachments). */
    void (*on_document)(rpt_crawl *c, const char *url, const char *content_type,
                        const unsigned char *body, size_t len);
} rpt_source_kind;

/* One configured source: its kind and its settings (owned). */
typedef struct rpt_source {
    const rpt_source_kind *kind;
    void *settings; /* begins with rpt_source_common */
    rpt_opt *table;  /* merged settings table (common + kind) */
    int index;      /* position in the sources array */
} rpt_source;

/* NULL-terminated registry of source kinds. */
extern const rpt_source_kind *const rpt_source_kinds[];
const rpt_source_kind *rpt_source_kind_find(const char *name);
/* The keys every source has (before its kind's keys); terminated by RPT_OPT_END. */
extern const rpt_opt *const rpt_source_common_table;

static inline const rpt_source_common *rpt_source_common_of(const rpt_source *s)
{
    return (const rpt_source_common *)s->settings;
}

/* Loads and validates every entry of cfg->sources into *out (caller frees with
 * rpt_sources_free). Errors are "FILE:LINE: sources[i].key: reason". Returns 0 or -1. */
int rpt_sources_load(const rpt_config *cfg, rpt_source **out, size_t *n, rpt_buf *err);
/* Loads entry i only (same checks). Returns 0 or -1. */
int rpt_source_load_one(const rpt_config *cfg, size_t i, rpt_source *out, rpt_buf *err);
void rpt_source_clear(rpt_source *s);
void rpt_sources_free(rpt_source *s, size_t n);

/* Effective values after inheriting from [fetch]. */
int rpt_source_respect_robots(const rpt_source *s, const rpt_fetch_settings *fs);
int rpt_source_allow_private(const rpt_source *s, const rpt_fetch_settings *fs);
long long rpt_source_max_pages(const rpt_source *s, const rpt_fetch_settings *fs);

/* Stable hash of a source name (FNV-1a) used to split sources across fetchers. */
unsigned rpt_source_hash(const char *name);

/* True when a document URL passes the source's include/exclude patterns. */
int rpt_source_wants_url(const rpt_source *s, const char *url);

#endif
