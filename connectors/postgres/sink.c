#include "connectors/postgres/sink.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/utf8.h"

#define COPY_CHUNK (1u << 20)
#define MAX_PAYLOAD_BYTES (1u << 20) /* larger rejected payloads are stored as NULL */

struct rpt_pg_sink {
    char *conninfo;
    char *group;
    const rpt_migration_list *known;
    PGconn *conn;
};

/* ---- batch ---- */

int rpt_load_batch_add(rpt_load_batch *b, const char *topic, int partition, long long offset,
                      const void *key, size_t key_len, const void *value, size_t value_len,
                      int is_dlq)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        rpt_load_item *items = realloc(b->items, cap * sizeof *items);
        if (!items) return -1;
        b->items = items;
        b->cap = cap;
    }
    rpt_load_item *it = &b->items[b->n];
    memset(it, 0, sizeof *it);
    it->topic = strdup(topic);
    it->partition = partition;
    it->offset = offset;
    it->is_dlq = is_dlq;
    it->value = malloc(value_len + 1);
    /* a key is any bytes: stored escaped so that its reject row is valid text */
    if (key && key_len) it->doc_id = rpt_utf8_escape(key, key_len);
    if (!it->topic || !it->value) {
        free(it->topic);
        free(it->value);
        free(it->doc_id);
        return -1;
    }
    if (value_len) memcpy(it->value, value, value_len);
    it->value[value_len] = '\0';
    it->value_len = value_len;
    b->value_bytes += value_len;
    b->n++;
    return 0;
}

static void item_clear(rpt_load_item *it)
{
    free(it->topic);
    free(it->value);
    rpt_parsed_message_clear(&it->msg);
    free(it->stage);
    free(it->reason);
    free(it->doc_id);
    free(it->reject_topic);
    memset(it, 0, sizeof *it);
}

void rpt_load_batch_reset(rpt_load_batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        item_clear(&b->items[i]);
    b->n = 0;
    b->value_bytes = 0;
}

void rpt_load_batch_clear(rpt_load_batch *b)
{
    rpt_load_batch_reset(b);
    free(b->items);
    memset(b, 0, sizeof *b);
}

/* ---- connection ---- */

rpt_pg_sink *rpt_pg_sink_new(const char *conninfo, const char *group, const rpt_migration_list *known)
{
    rpt_pg_sink *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->conninfo = strdup(conninfo ? conninfo : "");
    s->group = strdup(group);
    s->known = known;
    if (!s->conninfo || !s->group) {
        rpt_pg_sink_free(s);
        return NULL;
    }
    return s;
}

void rpt_pg_sink_free(rpt_pg_sink *s)
{
    if (!s) return;
    if (s->conn) PQfinish(s->conn);
    free(s->conninfo);
    free(s->group);
    free(s);
}

static void drop_conn(rpt_pg_sink *s)
{
    if (s->conn) PQfinish(s->conn);
    s->conn = NULL;
}

int rpt_pg_sink_connect(rpt_pg_sink *s, rpt_buf *err)
{
    if (s->conn && PQstatus(s->conn) == CONNECTION_OK) {
        if (PQtransactionStatus(s->conn) == PQTRANS_IDLE) return RPT_SINK_OK;
        PGresult *r = PQexec(s->conn, "ROLLBACK");
        int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (ok && PQtransactionStatus(s->conn) == PQTRANS_IDLE) return RPT_SINK_OK;
    }
    drop_conn(s);
    s->conn = PQconnectdb(s->conninfo);
    if (PQstatus(s->conn) != CONNECTION_OK) {
        rpt_buf_printf(err, "cannot connect to PostgreSQL: %s", PQerrorMessage(s->conn));
        drop_conn(s);
        return RPT_SINK_RETRY;
    }
    rpt_buf serr = RPT_BUF_INIT;
    if (rpt_pg_schema_check(s->conn, s->known, &serr)) {
        int lost = PQstatus(s->conn) != CONNECTION_OK;
        rpt_buf_puts(err, serr.data ? serr.data : "schema check failed");
        rpt_buf_clear(&serr);
        drop_conn(s);
        return lost ? RPT_SINK_RETRY : RPT_SINK_FATAL;
    }
    PQclear(PQexec(s->conn, "SET client_min_messages = warning"));
    return RPT_SINK_OK;
}

/* ---- errors ---- */

/* SQLSTATE classes that are about the data of a message (bad value, constraint, too big),
 * as opposed to the database being unavailable. */
static int is_data_error(const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (!state) return 0;
    return strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0 ||
           strcmp(state, "54000") == 0;
}

typedef enum { Q_OK = 0, Q_DATA = 1, Q_DB = 2 } q_status;

static q_status classify(PGconn *c, PGresult *r, const char *what, rpt_buf *err)
{
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Q_OK;
    rpt_buf_reset(err);
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg || !*msg) msg = PQerrorMessage(c);
    rpt_buf_printf(err, "%s: %s", what, msg);
    while (err->len && (err->data[err->len - 1] == '\n'))
        err->data[--err->len] = '\0';
    return is_data_error(r) && PQstatus(c) == CONNECTION_OK ? Q_DATA : Q_DB;
}

static q_status exec_q(PGconn *c, const char *sql, rpt_buf *err)
{
    PGresult *r = PQexec(c, sql);
    q_status q = classify(c, r, sql, err);
    PQclear(r);
    return q;
}

static q_status exec_params(PGconn *c, const char *sql, int n, const char *const *params,
                            rpt_buf *err)
{
    PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
    q_status q = classify(c, r, sql, err);
    PQclear(r);
    return q;
}

/* ---- COPY text format ---- */

static void copy_text(rpt_buf *b, const char *s)
{
    if (!s) {
        rpt_buf_puts(b, "\\N");
        return;
    }
    /* runs without special characters are appended whole */
    for (;;) {
        size_t run = strcspn(s, "\\\n\r\t");
        if (run) rpt_buf_append(b, s, run);
        s += run;
        if (!*s) return;
        const char *esc = *s == '\\' ? "\\\\" : *s == '\n' ? "\\n" : *s == '\r' ? "\\r" : "\\t";
        rpt_buf_append(b, esc, 2);
        s++;
    }
}

static void copy_sep(rpt_buf *b)
{
    rpt_buf_putc(b, '\t');
}

static void copy_int(rpt_buf *b, long long v, int is_null)
{
    if (is_null)
        rpt_buf_puts(b, "\\N");
    else
        rpt_buf_printf(b, "%lld", v);
}

static void copy_double(rpt_buf *b, double v)
{
    rpt_buf_printf(b, "%.17g", v);
}

static void document_row(rpt_buf *b, const rpt_load_item *it)
{
    const rpt_parsed_message *m = &it->msg;
    const char *strs[] = {m->doc_id,      m->source_name, m->url,    m->title,
                          m->issuer,      m->index_no,    m->doc_no, m->region,
                          m->region_code, m->province,    m->city};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        if (i) copy_sep(b);
        copy_text(b, strs[i]);
    }
    copy_sep(b);
    copy_int(b, m->year, m->year <= 0);
    const char *more[] = {m->published_at, m->fetched_at, m->sha256, m->format, m->charset};
    for (size_t i = 0; i < sizeof more / sizeof *more; i++) {
        copy_sep(b);
        copy_text(b, more[i] && *more[i] ? more[i] : NULL);
    }
    copy_sep(b);
    copy_int(b, m->text_chars, m->text_chars < 0);
    copy_sep(b);
    copy_int(b, (long long)m->n_sections, 0);
    copy_sep(b);
    copy_int(b, (long long)m->n_indicators, 0);
    copy_sep(b);
    copy_int(b, m->transform_version, 0);
    copy_sep(b);
    copy_text(b, it->topic);
    copy_sep(b);
    copy_int(b, it->partition, 0);
    copy_sep(b);
    copy_int(b, it->offset, 0);
    copy_sep(b);
    copy_text(b, m->raw_topic);
    copy_sep(b);
    copy_int(b, m->raw_partition, !m->raw_topic);
    copy_sep(b);
    copy_int(b, m->raw_offset, m->raw_offset < 0);
    copy_sep(b);
    rpt_buf_puts(b, m->ocr ? "t" : "f");
    copy_sep(b);
    if (m->has_ocr_confidence)
        copy_double(b, m->ocr_confidence);
    else
        rpt_buf_puts(b, "\\N");
    copy_sep(b);
    copy_text(b, m->level);
    copy_sep(b);
    copy_int(b, m->plan_year, m->plan_year <= 0);
    copy_sep(b);
    copy_text(b, m->doc_type);
    rpt_buf_putc(b, '\n');
}

static void section_rows(rpt_buf *b, const rpt_parsed_message *m)
{
    for (size_t i = 0; i < m->n_sections; i++) {
        const rpt_parsed_section *s = &m->sections[i];
        copy_text(b, m->doc_id);
        copy_sep(b);
        copy_int(b, s->ord, 0);
        copy_sep(b);
        copy_int(b, s->start, 0);
        copy_sep(b);
        copy_int(b, s->end, s->end < 0);
        copy_sep(b);
        copy_text(b, s->marker);
        copy_sep(b);
        copy_int(b, s->depth, 0);
        copy_sep(b);
        copy_text(b, s->title);
        copy_sep(b);
        copy_text(b, s->part);
        copy_sep(b);
        copy_text(b, s->path);
        copy_sep(b);
        copy_int(b, s->parent, s->parent < 0);
        rpt_buf_putc(b, '\n');
    }
}

static void indicator_rows(rpt_buf *b, const rpt_parsed_message *m)
{
    for (size_t i = 0; i < m->n_indicators; i++) {
        const rpt_parsed_indicator *x = &m->indicators[i];
        copy_text(b, m->doc_id);
        copy_sep(b);
        copy_int(b, (long long)i, 0);
        copy_sep(b);
        copy_int(b, x->start, 0);
        copy_sep(b);
        copy_int(b, x->end, 0);
        copy_sep(b);
        copy_text(b, x->raw);
        copy_sep(b);
        copy_double(b, x->value);
        copy_sep(b);
        if (x->has_value_high)
            copy_double(b, x->value_high);
        else
            rpt_buf_puts(b, "\\N");
        copy_sep(b);
        copy_text(b, x->unit ? x->unit : "");
        copy_sep(b);
        copy_text(b, x->qualifier);
        copy_sep(b);
        copy_text(b, x->metric);
        copy_sep(b);
        copy_text(b, x->kind);
        copy_sep(b);
        copy_text(b, x->category);
        copy_sep(b);
        copy_int(b, x->section, x->section < 0);
        copy_sep(b);
        copy_text(b, x->sentence);
        copy_sep(b);
        copy_text(b, x->metric_key);
        copy_sep(b);
        copy_int(b, x->period_year, x->period_year <= 0);
        rpt_buf_putc(b, '\n');
    }
}

/* COPY of text rows produced by `fill` for the items listed in idx. */
typedef void (*row_fn)(rpt_buf *b, const rpt_load_item *it);

static void row_sections(rpt_buf *b, const rpt_load_item *it)
{
    section_rows(b, &it->msg);
}

static void row_indicators(rpt_buf *b, const rpt_load_item *it)
{
    indicator_rows(b, &it->msg);
}

static q_status copy_rows(PGconn *c, const char *sql, const char *table, rpt_load_batch *bt,
                          const size_t *idx, size_t n, row_fn fn, rpt_buf *err)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        q_status q = classify(c, r, table, err);
        PQclear(r);
        return q == Q_OK ? Q_DB : q;
    }
    PQclear(r);
    rpt_buf b = RPT_BUF_INIT;
    int failed = 0;
    for (size_t i = 0; i < n && !failed; i++) {
        fn(&b, &bt->items[idx[i]]);
        if (b.len >= COPY_CHUNK || i + 1 == n) {
            if (PQputCopyData(c, b.data, (int)b.len) != 1) failed = 1;
            rpt_buf_reset(&b);
        }
    }
    rpt_buf_clear(&b);
    if (PQputCopyEnd(c, failed ? "client failed to send rows" : NULL) != 1) failed = 1;
    q_status q = Q_OK;
    while ((r = PQgetResult(c))) {
        q_status one = classify(c, r, table, err);
        if (one != Q_OK && q == Q_OK) q = one;
        PQclear(r);
    }
    if (failed && q == Q_OK) {
        rpt_buf_printf(err, "%s: %s", table, PQerrorMessage(c));
        q = Q_DB;
    }
    return q;
}

/* ---- array parameters ---- */

static void array_elem(rpt_buf *b, const char *s)
{
    if (b->len > 1) rpt_buf_putc(b, ',');
    rpt_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') rpt_buf_putc(b, '\\');
        rpt_buf_putc(b, *s);
    }
    rpt_buf_putc(b, '"');
}

static void doc_id_array(rpt_buf *b, rpt_load_batch *bt, const size_t *idx, size_t n)
{
    rpt_buf_reset(b);
    rpt_buf_putc(b, '{');
    for (size_t i = 0; i < n; i++)
        array_elem(b, bt->items[idx[i]].msg.doc_id);
    rpt_buf_putc(b, '}');
}

/* ---- decode and decide ---- */

void rpt_load_item_reject(rpt_load_item *it, const char *stage, const char *reason)
{
    it->outcome = RPT_LOAD_REJECTED;
    free(it->stage);
    free(it->reason);
    if (!reason) reason = "unknown error";
    /* reasons quote input (decoder and PostgreSQL messages): escaped to valid text */
    it->stage = rpt_utf8_escape(stage, strlen(stage));
    it->reason = rpt_utf8_escape(reason, strlen(reason));
    if (!it->reject_topic) {
        it->reject_topic = strdup(it->topic);
        it->reject_partition = it->partition;
        it->reject_offset = it->offset;
    }
}

/* Seconds since the epoch of an RFC 3339 time ("2025-06-01T08:00:00Z", "...+08:00",
 * fractions allowed), or NAN when s is NULL or not one. */
static double rfc3339_epoch(const char *s)
{
    int y, mo, d, h, mi, sec, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
        n == 0)
        return NAN;
    const char *p = s + n;
    double frac = 0;
    if (*p == '.') {
        char *end;
        frac = strtod(p, &end);
        p = end;
    }
    long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om, m = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &m) != 2 || m != 5) return NAN;
        off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return NAN;
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return NAN;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi, .tm_sec = sec};
    return (double)timegm(&tm) - (double)off + frac;
}

/* Where a version of a document comes from, for ordering versions: the transform version,
 * the reports.raw message (the fetch), the fetch time, and the reports.parsed message. */
typedef struct version_key {
    int transform_version;
    const char *raw_topic; /* NULL when unknown */
    int raw_partition;
    long long raw_offset; /* -1 when unknown */
    double fetched;       /* NAN when unknown */
    const char *topic;
    int partition;
    long long offset;
} version_key;

static version_key key_of(const rpt_load_item *it)
{
    return (version_key){.transform_version = it->msg.transform_version,
                         .raw_topic = it->msg.raw_topic,
                         .raw_partition = it->msg.raw_partition,
                         .raw_offset = it->msg.raw_offset,
                         .fetched = rfc3339_epoch(it->msg.fetched_at),
                         .topic = it->topic,
                         .partition = it->partition,
                         .offset = it->offset};
}

/* True when version a of a document is newer than b. Within one transform version the
 * order is the fetch's: the later reports.raw message of the same raw partition, else the
 * later fetch time; only when those cannot tell (the same raw message transformed again,
 * or no fetch coordinates) does the reports.parsed position decide. So a replay of old raw
 * messages, which lands at new reports.parsed offsets, never rolls a document back. */
static int newer_key(const version_key *a, const version_key *b)
{
    if (a->transform_version != b->transform_version)
        return a->transform_version > b->transform_version;
    if (a->raw_topic && b->raw_topic && a->raw_offset >= 0 && b->raw_offset >= 0 &&
        a->raw_partition == b->raw_partition && strcmp(a->raw_topic, b->raw_topic) == 0 &&
        a->raw_offset != b->raw_offset)
        return a->raw_offset > b->raw_offset;
    /* (times below a millisecond apart are the same time, read back from PostgreSQL) */
    if (!isnan(a->fetched) && !isnan(b->fetched) && fabs(a->fetched - b->fetched) >= 1e-3)
        return a->fetched > b->fetched;
    if (strcmp(a->topic, b->topic) || a->partition != b->partition) return 1;
    return a->offset > b->offset;
}

/* True when item a is newer than b (both for the same doc_id). */
static int newer(const rpt_load_item *a, const rpt_load_item *b)
{
    version_key ka = key_of(a), kb = key_of(b);
    return newer_key(&ka, &kb);
}

static int cmp_by_doc(const void *x, const void *y, void *ctx)
{
    const rpt_load_batch *bt = ctx;
    const rpt_load_item *a = &bt->items[*(const size_t *)x];
    const rpt_load_item *b = &bt->items[*(const size_t *)y];
    return strcmp(a->msg.doc_id, b->msg.doc_id);
}

/* Candidates: for each doc_id, the newest decoded item of the batch; older ones of the
 * same doc_id are unchanged. Fills idx (sorted by doc_id) and returns its length. */
static size_t pick_candidates(rpt_load_batch *bt, size_t *idx)
{
    size_t n = 0;
    for (size_t i = 0; i < bt->n; i++)
        if (bt->items[i].outcome == RPT_LOAD_PENDING) idx[n++] = i;
    qsort_r(idx, n, sizeof *idx, cmp_by_doc, bt);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        rpt_load_item *it = &bt->items[idx[i]];
        if (out && strcmp(bt->items[idx[out - 1]].msg.doc_id, it->msg.doc_id) == 0) {
            rpt_load_item *prev = &bt->items[idx[out - 1]];
            if (newer(it, prev)) {
                prev->outcome = RPT_LOAD_UNCHANGED;
                idx[out - 1] = idx[i];
            } else {
                it->outcome = RPT_LOAD_UNCHANGED;
            }
            continue;
        }
        idx[out++] = idx[i];
    }
    return out;
}

static int find_doc(rpt_load_batch *bt, const size_t *idx, size_t n, const char *doc_id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(bt->items[idx[mid]].msg.doc_id, doc_id);
        if (c == 0) return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Locks the candidates' existing rows and drops candidates that are not newer than what
 * the table holds. Compacts idx; returns the new count via *n. */
static q_status filter_existing(PGconn *c, rpt_load_batch *bt, size_t *idx, size_t *n, rpt_buf *err)
{
    if (*n == 0) return Q_OK;
    rpt_buf arr = RPT_BUF_INIT;
    doc_id_array(&arr, bt, idx, *n);
    const char *params[] = {arr.data};
    PGresult *r = PQexecParams(c,
                               "SELECT doc_id, transform_version, kafka_topic, kafka_partition, "
                               "kafka_offset, raw_topic, raw_partition, raw_offset, "
                               "extract(epoch FROM fetched_at) FROM reports.documents "
                               "WHERE doc_id = ANY($1::text[]) ORDER BY doc_id FOR UPDATE",
                               1, NULL, params, NULL, NULL, 0);
    rpt_buf_clear(&arr);
    q_status q = classify(c, r, "locking documents", err);
    if (q != Q_OK) {
        PQclear(r);
        return q;
    }
    for (int row = 0; row < PQntuples(r); row++) {
        int k = find_doc(bt, idx, *n, PQgetvalue(r, row, 0));
        if (k < 0) continue;
        int raw_known = !PQgetisnull(r, row, 5) && !PQgetisnull(r, row, 6) &&
                        !PQgetisnull(r, row, 7);
        version_key held = {.transform_version = atoi(PQgetvalue(r, row, 1)),
                            .topic = PQgetvalue(r, row, 2),
                            .partition = atoi(PQgetvalue(r, row, 3)),
                            .offset = atoll(PQgetvalue(r, row, 4)),
                            .raw_topic = raw_known ? PQgetvalue(r, row, 5) : NULL,
                            .raw_partition = atoi(PQgetvalue(r, row, 6)),
                            .raw_offset = raw_known ? atoll(PQgetvalue(r, row, 7)) : -1,
                            .fetched = PQgetisnull(r, row, 8) ? NAN
                                                              : strtod(PQgetvalue(r, row, 8), NULL)};
        rpt_load_item *it = &bt->items[idx[k]];
        version_key mine = key_of(it);
        if (!newer_key(&mine, &held)) it->outcome = RPT_LOAD_UNCHANGED;
    }
    PQclear(r);
    size_t out = 0;
    for (size_t i = 0; i < *n; i++)
        if (bt->items[idx[i]].outcome == RPT_LOAD_PENDING) idx[out++] = idx[i];
    *n = out;
    return Q_OK;
}

static void row_document(rpt_buf *b, const rpt_load_item *it)
{
    document_row(b, it);
}

#define DOC_COPY                                                                                   \
    "COPY reports.documents (doc_id, source, url, title, issuer, index_no, doc_no, region, "       \
    "region_code, province, city, year, published_at, fetched_at, sha256, format, charset, "       \
    "text_chars, n_sections, n_indicators, transform_version, kafka_topic, kafka_partition, "      \
    "kafka_offset, raw_topic, raw_partition, raw_offset, ocr, ocr_confidence, level, plan_year, "  \
    "doc_type) FROM STDIN"
#define SEC_COPY                                                                                   \
    "COPY reports.sections (doc_id, ord, start_pos, end_pos, marker, depth, title, part, path, "   \
    "parent) FROM STDIN"
#define IND_COPY                                                                                   \
    "COPY reports.indicators (doc_id, ord, start_pos, end_pos, raw, value, value_high, unit, "     \
    "qualifier, metric, kind, category, section, sentence, metric_key, period_year) FROM STDIN"

/* Replaces the documents idx[0..n): delete (cascading to sections and indicators), then
 * COPY the three tables. */
static q_status replace_documents(PGconn *c, rpt_load_batch *bt, const size_t *idx, size_t n,
                                  rpt_buf *err)
{
    if (n == 0) return Q_OK;
    rpt_buf arr = RPT_BUF_INIT;
    doc_id_array(&arr, bt, idx, n);
    const char *params[] = {arr.data};
    q_status q = exec_params(c, "DELETE FROM reports.documents WHERE doc_id = ANY($1::text[])", 1,
                             params, err);
    rpt_buf_clear(&arr);
    if (q != Q_OK) return q;
    if ((q = copy_rows(c, DOC_COPY, "documents", bt, idx, n, row_document, err)) != Q_OK) return q;
    if ((q = copy_rows(c, SEC_COPY, "sections", bt, idx, n, row_sections, err)) != Q_OK) return q;
    return copy_rows(c, IND_COPY, "indicators", bt, idx, n, row_indicators, err);
}

static q_status upsert_sources(PGconn *c, rpt_load_batch *bt, const size_t *idx, size_t n,
                               rpt_buf *err);

/* Same, one document per savepoint (with its source): a document whose rows Postgres
 * refuses becomes a reject and the others still go in. */
static q_status replace_documents_one_by_one(PGconn *c, rpt_load_batch *bt, const size_t *idx,
                                             size_t n, rpt_buf *err)
{
    for (size_t i = 0; i < n; i++) {
        q_status q = exec_q(c, "SAVEPOINT doc", err);
        if (q != Q_OK) return Q_DB;
        q = replace_documents(c, bt, &idx[i], 1, err);
        if (q == Q_OK) q = upsert_sources(c, bt, &idx[i], 1, err);
        if (q == Q_DB) return Q_DB;
        if (q == Q_DATA) {
            rpt_load_item_reject(&bt->items[idx[i]], "load", err->data);
            if (exec_q(c, "ROLLBACK TO SAVEPOINT doc", err) != Q_OK) return Q_DB;
        }
        if (exec_q(c, "RELEASE SAVEPOINT doc", err) != Q_OK) return Q_DB;
    }
    return Q_OK;
}

static q_status upsert_sources(PGconn *c, rpt_load_batch *bt, const size_t *idx, size_t n,
                               rpt_buf *err)
{
    rpt_buf arr = RPT_BUF_INIT;
    rpt_buf_putc(&arr, '{');
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        const rpt_load_item *it = &bt->items[idx[i]];
        if (it->outcome != RPT_LOAD_PENDING || !it->msg.source_name) continue;
        array_elem(&arr, it->msg.source_name);
        any = 1;
    }
    rpt_buf_putc(&arr, '}');
    q_status q = Q_OK;
    if (any) {
        const char *params[] = {arr.data};
        q = exec_params(c,
                        "INSERT INTO reports.sources (name) SELECT DISTINCT unnest($1::text[]) "
                        "ON CONFLICT (name) DO UPDATE SET last_seen_at = now()",
                        1, params, err);
    }
    rpt_buf_clear(&arr);
    return q;
}

#define REJECT_INSERT                                                                              \
    "INSERT INTO reports.rejects (stage, reason, doc_id, kafka_topic, kafka_partition, "           \
    "kafka_offset, payload) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING"

/* The reject row of one item: every text escaped to valid UTF-8, the payload only when it
 * is text and small enough. */
static q_status insert_reject(PGconn *c, const rpt_load_item *it, rpt_buf *err)
{
    char part[16], off[24];
    snprintf(part, sizeof part, "%d", it->reject_partition);
    snprintf(off, sizeof off, "%lld", it->reject_offset);
    int payload_ok = it->value_len <= MAX_PAYLOAD_BYTES && rpt_utf8_text_ok(it->value, it->value_len);
    const char *topic = it->reject_topic ? it->reject_topic : it->topic;
    char *t = rpt_utf8_escape(topic, strlen(topic));
    const char *params[] = {it->stage ? it->stage : "load",
                            it->reason ? it->reason : "unknown error",
                            it->doc_id,
                            t,
                            part,
                            off,
                            payload_ok ? it->value : NULL};
    q_status q = t ? exec_params(c, REJECT_INSERT, 7, params, err) : Q_DB;
    free(t);
    return q;
}

/* The rejects of the batch. In careful mode each goes in its own savepoint and a row
 * PostgreSQL still refuses (a constraint added by an operator, a trigger) is stored once
 * more without its payload, with the refusal appended to the reason. */
static q_status insert_rejects(PGconn *c, rpt_load_batch *bt, int careful, rpt_buf *err)
{
    for (size_t i = 0; i < bt->n; i++) {
        rpt_load_item *it = &bt->items[i];
        if (it->outcome != RPT_LOAD_REJECTED) continue;
        if (!careful) {
            q_status q = insert_reject(c, it, err);
            if (q != Q_OK) return q;
            continue;
        }
        if (exec_q(c, "SAVEPOINT rej", err) != Q_OK) return Q_DB;
        q_status q = insert_reject(c, it, err);
        if (q == Q_DATA) {
            if (exec_q(c, "ROLLBACK TO SAVEPOINT rej", err) != Q_OK) return Q_DB;
            rpt_buf why = RPT_BUF_INIT;
            rpt_buf_printf(&why, "%s (reject row refused: %s; payload not stored)",
                          it->reason ? it->reason : "", err->data ? err->data : "");
            char *reason = rpt_utf8_escape(why.data ? why.data : "", why.len);
            rpt_buf_clear(&why);
            if (!reason) return Q_DB;
            free(it->reason);
            it->reason = reason;
            size_t keep = it->value_len;
            it->value_len = MAX_PAYLOAD_BYTES + 1; /* no payload */
            q = insert_reject(c, it, err);
            it->value_len = keep;
        }
        if (q != Q_OK) return q;
        if (exec_q(c, "RELEASE SAVEPOINT rej", err) != Q_OK) return Q_DB;
    }
    return Q_OK;
}

/* Stores max(offset)+1 per (topic, partition) of the batch for the sink's group. */
static q_status store_offsets(rpt_pg_sink *s, rpt_load_batch *bt, rpt_buf *err)
{
    for (size_t i = 0; i < bt->n; i++) {
        const rpt_load_item *it = &bt->items[i];
        int first = 1;
        long long next = it->offset + 1;
        for (size_t j = 0; j < bt->n; j++) {
            const rpt_load_item *o = &bt->items[j];
            if (o->partition != it->partition || strcmp(o->topic, it->topic)) continue;
            if (j < i) first = 0;
            if (o->offset + 1 > next) next = o->offset + 1;
        }
        if (!first) continue;
        char part[16], off[24];
        snprintf(part, sizeof part, "%d", it->partition);
        snprintf(off, sizeof off, "%lld", next);
        const char *params[] = {s->group, it->topic, part, off};
        q_status q = exec_params(s->conn,
                                 "INSERT INTO reports.kafka_offsets (consumer_group, topic, "
                                 "partition, next_offset) VALUES ($1, $2, $3, $4) "
                                 "ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET "
                                 "next_offset = GREATEST(reports.kafka_offsets.next_offset, "
                                 "EXCLUDED.next_offset), updated_at = now()",
                                 4, params, err);
        if (q != Q_OK) return Q_DB;
    }
    return Q_OK;
}

/* One attempt at the whole batch; with careful set, documents go one savepoint each. */
static q_status attempt(rpt_pg_sink *s, rpt_load_batch *bt, size_t *idx, int careful, rpt_buf *err)
{
    PGconn *c = s->conn;
    for (size_t i = 0; i < bt->n; i++)
        if (bt->items[i].outcome == RPT_LOAD_UNCHANGED) bt->items[i].outcome = RPT_LOAD_PENDING;
    size_t n = pick_candidates(bt, idx);
    q_status q = exec_q(c, "BEGIN", err);
    if (q != Q_OK) return Q_DB;
    if ((q = filter_existing(c, bt, idx, &n, err)) != Q_OK) goto fail;
    q = careful ? replace_documents_one_by_one(c, bt, idx, n, err)
                : replace_documents(c, bt, idx, n, err);
    if (q != Q_OK) goto fail;
    if (!careful && (q = upsert_sources(c, bt, idx, n, err)) != Q_OK) goto fail;
    if ((q = insert_rejects(c, bt, careful, err)) != Q_OK) goto fail;
    if ((q = store_offsets(s, bt, err)) != Q_OK) goto fail;
    /* a deferred constraint refuses at COMMIT: about the data too (the caller isolates) */
    if ((q = exec_q(c, "COMMIT", err)) != Q_OK) return q;
    for (size_t i = 0; i < n; i++)
        if (bt->items[idx[i]].outcome == RPT_LOAD_PENDING)
            bt->items[idx[i]].outcome = RPT_LOAD_UPDATED;
    return Q_OK;
fail:
    if (PQstatus(c) == CONNECTION_OK) PQclear(PQexec(c, "ROLLBACK"));
    return q;
}

int rpt_pg_sink_write(rpt_pg_sink *s, rpt_load_batch *bt, rpt_load_stats *st, rpt_buf *err)
{
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        rpt_buf_puts(err, "not connected to PostgreSQL");
        return RPT_SINK_RETRY;
    }
    size_t *idx = malloc((bt->n ? bt->n : 1) * sizeof *idx);
    if (!idx) {
        rpt_buf_puts(err, "out of memory");
        return RPT_SINK_RETRY;
    }
    q_status q = attempt(s, bt, idx, 0, err);
    if (q == Q_DATA) {
        rpt_log_warn("load", "batch refused by PostgreSQL, retrying one document at a time",
                    "error=\"%s\"", err->data);
        q = attempt(s, bt, idx, 1, err);
    }
    free(idx);
    if (q != Q_OK) {
        for (size_t i = 0; i < bt->n; i++) /* decisions are redone on retry */
            if (bt->items[i].outcome != RPT_LOAD_REJECTED) bt->items[i].outcome = RPT_LOAD_PENDING;
        return q == Q_DATA ? RPT_SINK_DATA : RPT_SINK_RETRY;
    }
    if (st) {
        for (size_t i = 0; i < bt->n; i++) {
            const rpt_load_item *it = &bt->items[i];
            if (it->outcome == RPT_LOAD_UPDATED) {
                st->updated++;
                st->section_rows += (long long)it->msg.n_sections;
                st->indicator_rows += (long long)it->msg.n_indicators;
            } else if (it->outcome == RPT_LOAD_UNCHANGED) {
                st->unchanged++;
            } else if (it->outcome == RPT_LOAD_REJECTED) {
                st->rejected++;
            }
        }
    }
    return RPT_SINK_OK;
}

int rpt_pg_sink_offsets(rpt_pg_sink *s, const char *topic, const int *partitions, long long *offsets,
                       size_t n, rpt_buf *err)
{
    for (size_t i = 0; i < n; i++)
        offsets[i] = -1;
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        rpt_buf_puts(err, "not connected to PostgreSQL");
        return RPT_SINK_RETRY;
    }
    const char *params[] = {s->group, topic};
    PGresult *r = PQexecParams(s->conn,
                               "SELECT partition, next_offset FROM reports.kafka_offsets "
                               "WHERE consumer_group = $1 AND topic = $2",
                               2, NULL, params, NULL, NULL, 0);
    if (classify(s->conn, r, "reading stored offsets", err) != Q_OK) {
        PQclear(r);
        return RPT_SINK_RETRY;
    }
    for (int row = 0; row < PQntuples(r); row++) {
        int p = atoi(PQgetvalue(r, row, 0));
        for (size_t i = 0; i < n; i++)
            if (partitions[i] == p) offsets[i] = atoll(PQgetvalue(r, row, 1));
    }
    PQclear(r);
    return RPT_SINK_OK;
}
