/* The core behind the crawl API: conditional fetches, change detection, production to
 * reports.raw and per-source accounting. */
#include "pipeline/fetch/crawl_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/hash.h"
#include "common/log.h"
#include "connectors/http/url.h"
#include "common/metrics.h"

struct rpt_crawl {
    rpt_crawl_env env;
    rpt_source src;
    rpt_state_map docs;  /* stored state + seen marks of documents */
    rpt_state_map pages; /* discovery pages seen this pass */
    long outstanding;
    long pages_queued; /* discovery pages requested this pass (bounded by max_pages) */
    rpt_crawl_counts counts;
    char *label; /* source="name" */
};

typedef struct page_ctx {
    rpt_crawl *c;
    rpt_page_fn fn;
    void *arg;
    int missing_ok;
} page_ctx;

typedef struct doc_ctx {
    rpt_crawl *c;
    char *url, *parent_url, *lastmod;
} doc_ctx;

/* A produced document waiting for its delivery report. */
typedef struct emit_ctx {
    rpt_crawl *c;
    char *url, *parent_url, *etag, *last_modified, *lastmod, *sha256;
    char doc_id[17];
    int status;
} emit_ctx;

const rpt_source *rpt_crawl_source(const rpt_crawl *c)
{
    return &c->src;
}

const rpt_fetch_settings *rpt_crawl_fetch_settings(const rpt_crawl *c)
{
    return c->env.fetch;
}

long long rpt_crawl_max_pages(const rpt_crawl *c)
{
    return rpt_source_max_pages(&c->src, c->env.fetch);
}

const char *rpt_crawl_name(const rpt_crawl *c)
{
    return rpt_source_common_of(&c->src)->name;
}

int rpt_crawl_finished(const rpt_crawl *c)
{
    return c->outstanding == 0;
}

const rpt_crawl_counts *rpt_crawl_counts_of(const rpt_crawl *c)
{
    return &c->counts;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void count_metric(rpt_crawl *c, const char *name, const char *extra)
{
    char labels[512];
    if (extra)
        snprintf(labels, sizeof labels, "%s,%s", c->label, extra);
    else
        snprintf(labels, sizeof labels, "%s", c->label);
    rpt_metrics_inc(name, labels);
}

/* Per-source response metrics of every finished request: HTTP status class, body bytes,
 * and the time of the last successful response. */
static void observe_response(rpt_crawl *c, const rpt_http_result *r)
{
    char cls[32];
    if (r->status >= 100 && r->status < 600)
        snprintf(cls, sizeof cls, "class=\"%dxx\"", r->status / 100);
    else
        snprintf(cls, sizeof cls, "class=\"none\"");
    count_metric(c, "reportd_fetch_responses_total", cls);
    if (r->body && r->body->len) rpt_metrics_add("reportd_fetch_bytes_total", c->label, (double)r->body->len);
    if (r->error == RPT_FETCH_OK)
        rpt_metrics_set("reportd_fetch_last_success_timestamp_seconds", c->label, (double)time(NULL));
}

static void record(rpt_crawl *c, const rpt_state_update *u)
{
    if (rpt_fetch_state_record(c->env.state, u))
        rpt_log_error("fetch", "cannot buffer fetch state", "source=%s url=%s", rpt_crawl_name(c),
                     u->url);
}

void rpt_crawl_fail(rpt_crawl *c, const char *url, const char *reason)
{
    c->counts.failed++;
    rpt_log_warn("fetch", "fetch failed", "source=%s url=%s reason=\"%s\"", rpt_crawl_name(c), url,
                reason);
}

/* Counts and logs a failed request and records it in fetch_state. */
static void fail_request(rpt_crawl *c, const char *url, const char *parent, const rpt_http_result *r)
{
    rpt_crawl_fail(c, url, r->reason ? r->reason : rpt_fetch_error_name(r->error));
    char reason[64];
    snprintf(reason, sizeof reason, "reason=\"%s\"", rpt_fetch_error_name(r->error));
    count_metric(c, "reportd_fetch_failures_total", reason);
    char doc_id[17];
    rpt_doc_id(url, doc_id);
    rpt_state_update u = {.url = url,
                         .doc_id = doc_id,
                         .source = rpt_crawl_name(c),
                         .parent_url = parent,
                         .status = r->status,
                         .error = r->reason ? r->reason : rpt_fetch_error_name(r->error)};
    record(c, &u);
}

void rpt_crawl_count_page(rpt_crawl *c)
{
    c->counts.pages++;
    count_metric(c, "reportd_fetch_pages_total", NULL);
}

static void submit(rpt_crawl *c, const char *url, const char *etag, const char *lm,
                   rpt_http_done_fn fn, void *arg)
{
    const rpt_source_common *sc = rpt_source_common_of(&c->src);
    rpt_http_request req = {.url = url,
                           .etag = etag,
                           .last_modified = lm,
                           .allow_private = rpt_source_allow_private(&c->src, c->env.fetch),
                           .allowlist = &sc->allowlist,
                           .respect_robots = rpt_source_respect_robots(&c->src, c->env.fetch),
                           .done = fn,
                           .arg = arg};
    c->outstanding++;
    if (rpt_fetcher_submit(c->env.fetcher, &req)) {
        c->outstanding--;
        rpt_http_result r = {.url = url,
                            .final_url = url,
                            .error = RPT_FETCH_ERR_OTHER,
                            .reason = "out of memory queueing the request"};
        c->outstanding++; /* fn decrements */
        fn(&r, arg);
    }
}

static void on_page(const rpt_http_result *r, void *arg)
{
    page_ctx *p = arg;
    rpt_crawl *c = p->c;
    c->outstanding--;
    observe_response(c, r);
    int missing = r->error == RPT_FETCH_ERR_HTTP && (r->status == 404 || r->status == 410);
    if (!(missing && p->missing_ok)) rpt_crawl_count_page(c);
    /* a request the stopping fetcher cancelled says nothing about the page: not recorded */
    if (r->error != RPT_FETCH_OK && r->error != RPT_FETCH_ERR_CANCELLED &&
        !(missing && p->missing_ok))
        fail_request(c, r->url, NULL, r);
    p->fn(c, r, p->arg);
    free(p);
}

static int fetch_page(rpt_crawl *c, const char *url, int missing_ok, rpt_page_fn fn, void *arg)
{
    rpt_url_state *seen = rpt_state_map_put(&c->pages, url);
    if (!seen) return -1;
    if (seen->seen) return 1;
    if (c->pages_queued >= rpt_crawl_max_pages(c)) {
        rpt_log_info("fetch", "page limit reached", "source=%s url=%s max_pages=%lld",
                    rpt_crawl_name(c), url, rpt_crawl_max_pages(c));
        return 1;
    }
    seen->seen = 1;
    c->pages_queued++;
    page_ctx *p = malloc(sizeof *p);
    if (!p) return -1;
    p->c = c;
    p->fn = fn;
    p->arg = arg;
    p->missing_ok = missing_ok;
    submit(c, url, NULL, NULL, on_page, p);
    return 0;
}

int rpt_crawl_fetch_page(rpt_crawl *c, const char *url, rpt_page_fn fn, void *arg)
{
    return fetch_page(c, url, 0, fn, arg);
}

int rpt_crawl_probe_page(rpt_crawl *c, const char *url, rpt_page_fn fn, void *arg)
{
    return fetch_page(c, url, 1, fn, arg);
}

static void doc_ctx_free(doc_ctx *d)
{
    free(d->url);
    free(d->parent_url);
    free(d->lastmod);
    free(d);
}

static void emit_ctx_free(emit_ctx *e)
{
    free(e->url);
    free(e->parent_url);
    free(e->etag);
    free(e->last_modified);
    free(e->lastmod);
    free(e->sha256);
    free(e);
}

static void replace(char **dst, const char *src)
{
    free(*dst);
    *dst = dup_or_null(src);
}

/* Records the version of e in fetch_state and in the pass's map: delivered (emitted), or
 * rejected for good with `error`. Either way the same bytes are not produced again. */
static void record_version(rpt_crawl *c, emit_ctx *e, int emitted, const char *error)
{
    rpt_state_update u = {.url = e->url,
                         .doc_id = e->doc_id,
                         .source = rpt_crawl_name(c),
                         .parent_url = e->parent_url,
                         .etag = e->etag,
                         .last_modified = e->last_modified,
                         .lastmod = e->lastmod,
                         .sha256 = e->sha256,
                         .status = e->status,
                         .error = error,
                         .emitted = emitted};
    record(c, &u);
    rpt_url_state *st = rpt_state_map_get(&c->docs, e->url);
    if (st) {
        replace(&st->sha256, e->sha256);
        replace(&st->etag, e->etag);
        replace(&st->last_modified, e->last_modified);
        replace(&st->lastmod, e->lastmod);
    }
}

/* A document version that can never be produced (larger than the producer or the topic
 * accepts): counted, logged, sent to the DLQ with the reason (the loader stores it in
 * reports.rejects) and recorded with its hash, so that it is not downloaded and refused
 * again on every pass, only when it changes. */
static void reject_version(rpt_crawl *c, emit_ctx *e, const char *reason)
{
    rpt_crawl_fail(c, e->url, reason);
    count_metric(c, "reportd_fetch_failures_total", "reason=\"too_large\"");
    rpt_raw_message m = {.doc_id = e->doc_id, .url = e->url};
    rpt_emitter_reject(c->env.emitter, &m, reason);
    record_version(c, e, 0, reason);
}

/* Delivery report of a produced document: only now is its version recorded. */
static void on_delivered(void *arg, rpt_emit_result result, const char *reason)
{
    emit_ctx *e = arg;
    rpt_crawl *c = e->c;
    c->outstanding--;
    if (result == RPT_EMIT_TOO_LARGE) {
        char why[256];
        snprintf(why, sizeof why, "kafka delivery: %s", reason ? reason : "message too large");
        reject_version(c, e, why);
    } else if (result != RPT_EMIT_OK) {
        char why[256];
        snprintf(why, sizeof why, "kafka delivery: %s", reason ? reason : "failed");
        rpt_crawl_fail(c, e->url, why);
        count_metric(c, "reportd_fetch_failures_total", "reason=\"kafka\"");
        rpt_state_update u = {.url = e->url,
                             .doc_id = e->doc_id,
                             .source = rpt_crawl_name(c),
                             .parent_url = e->parent_url,
                             .status = e->status,
                             .error = why};
        record(c, &u);
    } else {
        record_version(c, e, 1, NULL);
    }
    emit_ctx_free(e);
}

static void now_rfc3339(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* charset parameter of a Content-Type value, or NULL. Caller frees. */
static char *charset_of(const char *ctype)
{
    if (!ctype) return NULL;
    const char *p = strcasestr(ctype, "charset=");
    if (!p) return NULL;
    p += 8;
    if (*p == '"' || *p == '\'') p++;
    size_t n = strcspn(p, "\"'; \t");
    if (!n) return NULL;
    return strndup(p, n);
}

/* Produces one new or changed document version. */
static void produce(rpt_crawl *c, const char *url, const char *final_url, const char *parent,
                    const char *lastmod, int status, const char *ctype, const char *etag,
                    const char *lm, const unsigned char *body, size_t len, const char *sha,
                    int is_new)
{
    emit_ctx *e = calloc(1, sizeof *e);
    if (!e) return;
    e->c = c;
    e->url = strdup(url);
    e->parent_url = dup_or_null(parent);
    e->etag = dup_or_null(etag);
    e->last_modified = dup_or_null(lm);
    e->lastmod = dup_or_null(lastmod);
    e->sha256 = strdup(sha);
    e->status = status;
    rpt_doc_id(url, e->doc_id);
    char fetched_at[32];
    now_rfc3339(fetched_at);
    char *charset = charset_of(ctype);
    const rpt_source_common *sc = rpt_source_common_of(&c->src);
    rpt_raw_message m = {.schema = RPT_RAW_SCHEMA,
                        .doc_id = e->doc_id,
                        .source = sc->name,
                        .url = e->url,
                        .final_url = (char *)(final_url ? final_url : url),
                        .parent_url = e->parent_url,
                        .fetched_at = fetched_at,
                        .http_status = status,
                        .content_type = (char *)ctype,
                        .charset = charset,
                        .etag = e->etag,
                        .last_modified = e->last_modified,
                        .sha256 = e->sha256,
                        .region = sc->region,
                        .body = (unsigned char *)body,
                        .body_len = len};
    rpt_buf err = RPT_BUF_INIT;
    c->outstanding++;
    int rc = rpt_emitter_produce(c->env.emitter, &m, on_delivered, e, &err);
    if (rc == -RPT_EMIT_TOO_LARGE) {
        c->outstanding--;
        reject_version(c, e, err.data);
        emit_ctx_free(e);
    } else if (rc) {
        c->outstanding--;
        rpt_crawl_fail(c, url, err.data ? err.data : "kafka produce failed");
        count_metric(c, "reportd_fetch_failures_total", "reason=\"kafka\"");
        emit_ctx_free(e);
    } else if (is_new) {
        c->counts.new_docs++;
        count_metric(c, "reportd_fetch_documents_total", "outcome=\"new\"");
    } else {
        c->counts.changed++;
        count_metric(c, "reportd_fetch_documents_total", "outcome=\"changed\"");
    }
    free(charset);
    rpt_buf_clear(&err);
}

static void count_unchanged(rpt_crawl *c)
{
    c->counts.unchanged++;
    count_metric(c, "reportd_fetch_documents_total", "outcome=\"unchanged\"");
}

static void on_document(const rpt_http_result *r, void *arg)
{
    doc_ctx *d = arg;
    rpt_crawl *c = d->c;
    c->outstanding--;
    observe_response(c, r);
    if (r->error != RPT_FETCH_OK) {
        if (r->error != RPT_FETCH_ERR_CANCELLED) fail_request(c, d->url, d->parent_url, r);
        doc_ctx_free(d);
        return;
    }
    char doc_id[17];
    rpt_doc_id(d->url, doc_id);
    rpt_url_state *st = rpt_state_map_get(&c->docs, d->url);
    rpt_state_update u = {.url = d->url,
                         .doc_id = doc_id,
                         .source = rpt_crawl_name(c),
                         .parent_url = d->parent_url,
                         .status = r->status};
    if (r->status == 304) {
        count_unchanged(c);
        record(c, &u);
        /* the page is as it was: check the attachments it linked to last time */
        for (rpt_url_state *a = st ? st->first_child : NULL; a; a = a->next_sibling)
            rpt_crawl_add_document(c, a->url, d->url, NULL);
        doc_ctx_free(d);
        return;
    }
    const unsigned char *body = (const unsigned char *)(r->body->data ? r->body->data : "");
    char sha[65];
    rpt_sha256_hex(body, r->body->len, sha);
    if (st && st->sha256 && !strcmp(st->sha256, sha)) {
        /* Same bytes as the version produced: refresh validators only. */
        u.sha256 = sha;
        u.etag = r->etag;
        u.last_modified = r->last_modified;
        u.lastmod = d->lastmod;
        count_unchanged(c);
        record(c, &u);
    } else {
        produce(c, d->url, r->final_url, d->parent_url, d->lastmod, r->status, r->content_type,
                r->etag, r->last_modified, body, r->body->len, sha, !(st && st->sha256));
    }
    if (c->src.kind->on_document)
        c->src.kind->on_document(c, d->url, r->content_type, body, r->body->len);
    doc_ctx_free(d);
}

int rpt_crawl_add_document(rpt_crawl *c, const char *url, const char *parent_url, const char *lastmod)
{
    char *canon = rpt_url_canonical(url);
    if (!canon) {
        rpt_log_debug("fetch", "skipping link", "source=%s url=%s reason=\"not http(s)\"",
                     rpt_crawl_name(c), url);
        return 1;
    }
    int rc = 1;
    if (!parent_url && !rpt_source_wants_url(&c->src, canon)) goto out;
    rpt_url_state *st = rpt_state_map_put(&c->docs, canon);
    if (!st) {
        rc = -1;
        goto out;
    }
    if (st->seen) goto out;
    st->seen = 1;
    if (lastmod && st->lastmod && st->sha256 && !strcmp(lastmod, st->lastmod)) {
        count_unchanged(c); /* the index says it has not changed since we produced it */
        goto out;
    }
    doc_ctx *d = calloc(1, sizeof *d);
    if (!d) {
        rc = -1;
        goto out;
    }
    d->c = c;
    d->url = canon;
    canon = NULL;
    d->parent_url = dup_or_null(parent_url);
    d->lastmod = dup_or_null(lastmod);
    /* Validators only when this version was produced: otherwise a 304 would hide it. */
    submit(c, d->url, st->sha256 ? st->etag : NULL, st->sha256 ? st->last_modified : NULL,
           on_document, d);
    rc = 0;
out:
    free(canon);
    return rc;
}

int rpt_crawl_add_file(rpt_crawl *c, const char *id, const char *content_type,
                      const unsigned char *data, size_t len)
{
    rpt_url_state *st = rpt_state_map_put(&c->docs, id);
    if (!st) return -1;
    if (st->seen) return 1;
    st->seen = 1;
    char sha[65];
    rpt_sha256_hex(data, len, sha);
    if (st->sha256 && !strcmp(st->sha256, sha)) {
        count_unchanged(c);
        return 1;
    }
    produce(c, id, id, NULL, NULL, 0, content_type, NULL, NULL, data, len, sha, !st->sha256);
    return 0;
}

rpt_crawl *rpt_crawl_start(const rpt_crawl_env *env, rpt_source *src, rpt_buf *err)
{
    rpt_crawl *c = calloc(1, sizeof *c);
    if (!c) {
        rpt_source_clear(src);
        rpt_buf_puts(err, "out of memory");
        return NULL;
    }
    c->env = *env;
    c->src = *src;
    memset(src, 0, sizeof *src);
    rpt_buf label = RPT_BUF_INIT;
    rpt_buf_puts(&label, "source=\"");
    rpt_metrics_label_escape(&label, rpt_crawl_name(c));
    rpt_buf_putc(&label, '"');
    c->label = rpt_buf_steal(&label);
    rpt_metrics_declare("reportd_fetch_pages_total", RPT_METRIC_COUNTER,
                       "discovery pages (listings, feeds, sitemaps, API pages) fetched");
    rpt_metrics_declare("reportd_fetch_documents_total", RPT_METRIC_COUNTER,
                       "documents checked, by outcome (new, changed, unchanged)");
    rpt_metrics_declare("reportd_fetch_failures_total", RPT_METRIC_COUNTER,
                       "failed fetches and deliveries, by reason");
    rpt_metrics_declare("reportd_fetch_responses_total", RPT_METRIC_COUNTER,
                       "finished requests by HTTP status class (none: no response)");
    rpt_metrics_declare("reportd_fetch_bytes_total", RPT_METRIC_COUNTER,
                       "response body bytes received");
    rpt_metrics_declare("reportd_fetch_last_success_timestamp_seconds", RPT_METRIC_GAUGE,
                       "Unix time of the last successful response of the source");
    if (rpt_fetch_state_load(c->env.state, rpt_crawl_name(c), &c->docs, err)) goto fail;
    c->outstanding++; /* held while the kind queues its requests */
    int rc = c->src.kind->start(c);
    c->outstanding--;
    if (rc) {
        rpt_buf_printf(err, "source %s: cannot start a pass", rpt_crawl_name(c));
        if (c->outstanding) return c; /* what was queued completes normally */
        goto fail;
    }
    return c;
fail:
    rpt_crawl_free(c);
    return NULL;
}

void rpt_crawl_free(rpt_crawl *c)
{
    if (!c) return;
    rpt_state_map_clear(&c->docs);
    rpt_state_map_clear(&c->pages);
    rpt_source_clear(&c->src);
    free(c->label);
    free(c);
}
