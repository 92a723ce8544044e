#include "connectors/postgres/fetch_state.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/utf8.h"

#define NFIELDS 11

static size_t hash_url(const char *s)
{
    size_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

/* url without the credentials of its userinfo (see rpt_mask_url_credentials), in *tmp when
 * it had any (caller frees *tmp): fetch_state rows and map keys never hold a password. */
static const char *key_of(const char *url, char **tmp)
{
    *tmp = NULL;
    if (!url || !strchr(url, '@')) return url;
    rpt_buf b = RPT_BUF_INIT;
    rpt_mask_url_credentials(&b, url);
    *tmp = rpt_buf_steal(&b);
    return *tmp ? *tmp : url;
}

static rpt_url_state *map_find(const rpt_state_map *m, const char *url)
{
    if (!m->nbuckets) return NULL;
    for (rpt_url_state *e = m->buckets[hash_url(url) % m->nbuckets]; e; e = e->next)
        if (!strcmp(e->url, url)) return e;
    return NULL;
}

rpt_url_state *rpt_state_map_get(const rpt_state_map *m, const char *url)
{
    char *tmp;
    rpt_url_state *e = map_find(m, key_of(url, &tmp));
    free(tmp);
    return e;
}

static int grow(rpt_state_map *m)
{
    size_t nb = m->nbuckets ? m->nbuckets * 2 : 256;
    rpt_url_state **b = calloc(nb, sizeof *b);
    if (!b) return -1;
    for (size_t i = 0; i < m->nbuckets; i++) {
        rpt_url_state *e = m->buckets[i];
        while (e) {
            rpt_url_state *next = e->next;
            size_t k = hash_url(e->url) % nb;
            e->next = b[k];
            b[k] = e;
            e = next;
        }
    }
    free(m->buckets);
    m->buckets = b;
    m->nbuckets = nb;
    return 0;
}

rpt_url_state *rpt_state_map_put(rpt_state_map *m, const char *url_in)
{
    char *tmp;
    const char *url = key_of(url_in, &tmp);
    rpt_url_state *e = map_find(m, url);
    if (e || (m->n >= m->nbuckets && grow(m))) {
        free(tmp);
        return e;
    }
    e = calloc(1, sizeof *e);
    if (!e || !(e->url = strdup(url))) {
        free(e);
        free(tmp);
        return NULL;
    }
    free(tmp);
    size_t k = hash_url(e->url) % m->nbuckets;
    e->next = m->buckets[k];
    m->buckets[k] = e;
    m->n++;
    return e;
}

void rpt_state_map_clear(rpt_state_map *m)
{
    for (size_t i = 0; i < m->nbuckets; i++) {
        rpt_url_state *e = m->buckets[i];
        while (e) {
            rpt_url_state *next = e->next;
            free(e->url);
            free(e->etag);
            free(e->last_modified);
            free(e->lastmod);
            free(e->sha256);
            free(e);
            e = next;
        }
    }
    free(m->buckets);
    memset(m, 0, sizeof *m);
}

struct rpt_fetch_state {
    PGconn *conn;
    rpt_buf cols[NFIELDS]; /* array literals being built, one per column */
    size_t pending;
};

rpt_fetch_state *rpt_fetch_state_open(const char *conninfo, rpt_buf *err)
{
    rpt_fetch_state *st = calloc(1, sizeof *st);
    if (!st) {
        rpt_buf_puts(err, "out of memory");
        return NULL;
    }
    st->conn = PQconnectdb(conninfo);
    if (PQstatus(st->conn) != CONNECTION_OK) {
        rpt_buf_printf(err, "postgres: %s", PQerrorMessage(st->conn));
        if (err->len && err->data[err->len - 1] == '\n') err->data[--err->len] = '\0';
        rpt_fetch_state_close(st);
        return NULL;
    }
    return st;
}

static char *dup_val(PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col)) return NULL;
    return strdup(PQgetvalue(r, row, col));
}

static int ensure_connected(rpt_fetch_state *st, rpt_buf *err)
{
    if (PQstatus(st->conn) == CONNECTION_OK) return 0;
    PQreset(st->conn);
    if (PQstatus(st->conn) == CONNECTION_OK) return 0;
    rpt_buf_printf(err, "postgres: %s", PQerrorMessage(st->conn));
    return -1;
}

int rpt_fetch_state_load(rpt_fetch_state *st, const char *source, rpt_state_map *map, rpt_buf *err)
{
    if (ensure_connected(st, err)) return -1;
    const char *params[1] = {source};
    PGresult *r = PQexecParams(st->conn,
                               "SELECT url, etag, last_modified, lastmod, sha256, parent_url "
                               "FROM reports.fetch_state WHERE source = $1",
                               1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rpt_buf_printf(err, "loading reports.fetch_state: %s", PQresultErrorMessage(r));
        PQclear(r);
        return -1;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        rpt_url_state *e = rpt_state_map_put(map, PQgetvalue(r, i, 0));
        if (!e) {
            PQclear(r);
            rpt_buf_puts(err, "out of memory");
            return -1;
        }
        free(e->etag);
        free(e->last_modified);
        free(e->lastmod);
        free(e->sha256);
        e->etag = dup_val(r, i, 1);
        e->last_modified = dup_val(r, i, 2);
        e->lastmod = dup_val(r, i, 3);
        e->sha256 = dup_val(r, i, 4);
        if (!PQgetisnull(r, i, 5)) {
            rpt_url_state *parent = rpt_state_map_put(map, PQgetvalue(r, i, 5));
            if (parent && parent != e) {
                e->next_sibling = parent->first_child;
                parent->first_child = e;
            }
        }
    }
    PQclear(r);
    return 0;
}

/* Appends one element to a PostgreSQL array literal ("{...}" without the braces). */
static int array_add(rpt_buf *b, const char *v)
{
    if (b->len && rpt_buf_putc(b, ',')) return -1;
    if (!v) return rpt_buf_puts(b, "NULL");
    if (rpt_buf_putc(b, '"')) return -1;
    for (const char *p = v; *p; p++) {
        if ((*p == '"' || *p == '\\') && rpt_buf_putc(b, '\\')) return -1;
        if (rpt_buf_putc(b, *p)) return -1;
    }
    return rpt_buf_putc(b, '"');
}

/* A validator as the server sent it, or NULL when PostgreSQL could not store it as text
 * (invalid UTF-8, NUL): an escaped copy sent back in If-None-Match would not match anyway,
 * so that URL goes without conditional GET and the body hash decides. */
static const char *storable_validator(const char *v, const char *what, const char *url)
{
    if (!v || rpt_utf8_text_ok(v, strlen(v))) return v;
    rpt_log_warn("fetch", "validator is not UTF-8 text, not stored", "header=%s url=%s", what, url);
    return NULL;
}

int rpt_fetch_state_record(rpt_fetch_state *st, const rpt_state_update *u)
{
    char status[16];
    snprintf(status, sizeof status, "%d", u->status);
    char *url_tmp, *parent_tmp;
    const char *url = key_of(u->url ? u->url : "", &url_tmp);
    const char *parent = key_of(u->parent_url, &parent_tmp);
    rpt_buf error = RPT_BUF_INIT;
    if (u->error) rpt_mask_url_credentials(&error, u->error);
    const char *vals[NFIELDS] = {url,
                                 u->doc_id,
                                 u->source,
                                 parent,
                                 storable_validator(u->etag, "ETag", url),
                                 storable_validator(u->last_modified, "Last-Modified", url),
                                 u->lastmod,
                                 u->sha256,
                                 status,
                                 u->error ? (error.data ? error.data : "") : NULL,
                                 u->emitted ? "t" : "f"};
    /* One row PostgreSQL refuses would fail the whole batch (every other URL's state lost
     * and re-fetched on every pass): every text is made valid UTF-8 first (\xHH). */
    int rc = 0;
    for (int i = 0; i < NFIELDS && !rc; i++) {
        char *safe = vals[i] ? rpt_utf8_escape(vals[i], strlen(vals[i])) : NULL;
        rc = (vals[i] && !safe) || array_add(&st->cols[i], safe) ? -1 : 0;
        free(safe);
    }
    free(url_tmp);
    free(parent_tmp);
    rpt_buf_clear(&error);
    if (rc) return -1;
    st->pending++;
    return 0;
}

size_t rpt_fetch_state_pending(const rpt_fetch_state *st)
{
    return st->pending;
}

/* The last record of a (source, URL) in a batch wins (DISTINCT ON by position). */
static const char upsert_sql[] =
    "INSERT INTO reports.fetch_state AS s (url, doc_id, source, parent_url, etag, "
    "  last_modified, lastmod, sha256, last_status, last_error, failures, total_failures, "
    "  last_emitted) "
    "SELECT DISTINCT ON (u.source, u.url) u.url, u.doc_id, u.source, u.parent_url, u.etag, u.lm, "
    "  u.lastmod, u.sha, u.status, u.error, (u.error IS NOT NULL)::int, "
    "  (u.error IS NOT NULL)::int, CASE WHEN u.emitted THEN now() END "
    "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], "
    "  $7::text[], $8::text[], $9::int[], $10::text[], $11::bool[]) WITH ORDINALITY "
    "  AS u(url, doc_id, source, parent_url, etag, lm, lastmod, sha, status, error, emitted, ord) "
    "ORDER BY u.source, u.url, u.ord DESC "
    "ON CONFLICT (source, url) DO UPDATE SET "
    "  parent_url = COALESCE(EXCLUDED.parent_url, s.parent_url), "
    "  etag = CASE WHEN EXCLUDED.sha256 IS NOT NULL THEN EXCLUDED.etag ELSE s.etag END, "
    "  last_modified = CASE WHEN EXCLUDED.sha256 IS NOT NULL THEN EXCLUDED.last_modified "
    "    ELSE s.last_modified END, "
    "  lastmod = CASE WHEN EXCLUDED.sha256 IS NOT NULL THEN EXCLUDED.lastmod ELSE s.lastmod END, "
    "  sha256 = COALESCE(EXCLUDED.sha256, s.sha256), "
    "  last_seen = now(), "
    "  last_emitted = COALESCE(EXCLUDED.last_emitted, s.last_emitted), "
    "  last_status = EXCLUDED.last_status, "
    "  last_error = EXCLUDED.last_error, "
    "  failures = CASE WHEN EXCLUDED.last_error IS NULL THEN 0 ELSE s.failures + 1 END, "
    "  total_failures = s.total_failures + EXCLUDED.total_failures";

int rpt_fetch_state_flush(rpt_fetch_state *st, rpt_buf *err)
{
    if (!st->pending) return 0;
    if (ensure_connected(st, err)) return -1;
    rpt_buf lit[NFIELDS];
    const char *params[NFIELDS];
    int rc = -1;
    memset(lit, 0, sizeof lit);
    for (int i = 0; i < NFIELDS; i++) {
        rpt_buf_putc(&lit[i], '{');
        if (st->cols[i].len) rpt_buf_append(&lit[i], st->cols[i].data, st->cols[i].len);
        if (rpt_buf_putc(&lit[i], '}')) goto out;
        params[i] = lit[i].data;
    }
    PGresult *r = PQexecParams(st->conn, upsert_sql, NFIELDS, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        rpt_buf_printf(err, "writing reports.fetch_state: %s", PQresultErrorMessage(r));
        PQclear(r);
        goto out;
    }
    PQclear(r);
    for (int i = 0; i < NFIELDS; i++)
        rpt_buf_reset(&st->cols[i]);
    st->pending = 0;
    rc = 0;
out:
    for (int i = 0; i < NFIELDS; i++)
        rpt_buf_clear(&lit[i]);
    return rc;
}

void rpt_fetch_state_close(rpt_fetch_state *st)
{
    if (!st) return;
    if (st->conn) PQfinish(st->conn);
    for (int i = 0; i < NFIELDS; i++)
        rpt_buf_clear(&st->cols[i]);
    free(st);
}
