/* Sources: where documents are discovered. Each kind (html_index, feed, sitemap, json_api,
 * dir) registers one rd_source_kind with its settings table; the core loads the configured
 * sources through this registry and runs them through the crawl API (crawl.h) without
 * knowing any kind's internals. */
#ifndef REPORTD_CONNECTORS_SOURCES_SOURCE_H
#define REPORTD_CONNECTORS_SOURCES_SOURCE_H

#include <stddef.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/opts.h"
#include "daemon/config.h"

/* Keys every source has. A kind's settings struct begins with this struct. */
typedef struct rd_source_common {
    char *name;
    char *kind;
    char *url;
    char *region;
    long long interval_s;
    long long max_pages;        /* -1: fetch.max_pages */
    int respect_robots;         /* -1: fetch.respect_robots */
    int allow_private_networks; /* -1: fetch.allow_private_networks */
    rd_kvlist allowlist;        /* addresses / CIDR blocks opened despite the SSRF guard */
    rd_kvlist include;          /* URL patterns a document must match (any) */
    rd_kvlist exclude;          /* URL patterns a document must not match */
} rd_source_common;

typedef struct rd_crawl rd_crawl;

typedef struct rd_source_kind {
    const char *name;
    const char *doc;
    const rd_opt *opts;   /* kind-specific keys; offsets into the kind's settings struct */
    size_t settings_size; /* sizeof the kind's settings struct (rd_source_common first) */
    int needs_url;        /* 1: "url" is required and must be http(s) */
    /* Checks values beyond the table; on error sets *key and writes the reason. */
    int (*validate)(const void *settings, const char **key, rd_buf *reason);
    /* Begins one pass: queues the discovery requests through the crawl API. */
    int (*start)(rd_crawl *c);
    /* Optional: a fetched document's body, to discover more documents (attachments). */
    void (*on_document)(rd_crawl *c, const char *url, const char *content_type,
                        const unsigned char *body, size_t len);
} rd_source_kind;

/* One configured source: its kind and its settings (owned). */
typedef struct rd_source {
    const rd_source_kind *kind;
    void *settings; /* begins with rd_source_common */
    rd_opt *table;  /* merged settings table (common + kind) */
    int index;      /* position in the sources array */
} rd_source;

/* NULL-terminated registry of source kinds. */
extern const rd_source_kind *const rd_source_kinds[];
const rd_source_kind *rd_source_kind_find(const char *name);

static inline const rd_source_common *rd_source_common_of(const rd_source *s)
{
    return (const rd_source_common *)s->settings;
}

/* Loads and validates every entry of cfg->sources into *out (caller frees with
 * rd_sources_free). Errors are "FILE:LINE: sources[i].key: reason". Returns 0 or -1. */
int rd_sources_load(const rd_config *cfg, rd_source **out, size_t *n, rd_buf *err);
/* Loads entry i only (same checks). Returns 0 or -1. */
int rd_source_load_one(const rd_config *cfg, size_t i, rd_source *out, rd_buf *err);
void rd_source_clear(rd_source *s);
void rd_sources_free(rd_source *s, size_t n);

/* Effective values after inheriting from [fetch]. */
int rd_source_respect_robots(const rd_source *s, const rd_fetch_settings *fs);
int rd_source_allow_private(const rd_source *s, const rd_fetch_settings *fs);
long long rd_source_max_pages(const rd_source *s, const rd_fetch_settings *fs);

/* Stable hash of a source name (FNV-1a) used to split sources across fetchers. */
unsigned rd_source_hash(const char *name);

/* True when a document URL passes the source's include/exclude patterns. */
int rd_source_wants_url(const rd_source *s, const char *url);

#endif
