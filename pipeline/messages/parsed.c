#include "pipeline/messages/parsed.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "transforms/json_writer.h"

/* Writes the document object with the fast writer (transforms/json_writer.c, the same
 * bytes as rpt_document_to_json), then splices the envelope members in before its closing
 * brace so that the value stays one flat object (the extract contract plus envelope). On
 * failure out is left as it was. */
int rpt_parsed_message_encode(const rpt_document *doc, const rpt_parsed_origin *o, rpt_buf *out)
{
    size_t start = out->len;
    if (rpt_document_write_json(doc, 0, out)) goto fail;
    if (out->len - start < 2 || out->data[out->len - 1] != '}') goto fail;
    out->len--; /* the document's closing brace: the envelope goes before it */
    rpt_jw w;
    rpt_jw_init(&w, out);
    w.first = out->len - start == 1; /* "{}": no comma before the first envelope member */
    rpt_jw_int(&w, "schema", RPT_PARSED_SCHEMA);
    rpt_jw_int(&w, "transform_version", o->transform_version);
    rpt_jw_str(&w, "source_name", o->source_name);
    rpt_jw_str(&w, "fetched_at", o->fetched_at);
    rpt_jw_str(&w, "sha256", o->sha256);
    rpt_jw_str(&w, "raw_topic", o->raw_topic);
    if (o->raw_topic)
        rpt_jw_int(&w, "raw_partition", o->raw_partition);
    else
        rpt_jw_null(&w, "raw_partition");
    if (o->raw_offset >= 0)
        rpt_jw_int(&w, "raw_offset", o->raw_offset);
    else
        rpt_jw_null(&w, "raw_offset");
    rpt_jw_map_close(&w);
    if (w.oom) goto fail;
    return 0;
fail:
    out->len = start;
    if (out->data) out->data[start] = '\0';
    return -1;
}

/* ---- decoding: yajl callbacks straight into the message structs ----
 * Strings are copied into one arena (offsets while parsing, pointers at the end). Fields
 * are declared in tables: name, type, bounds, required, and the allowed values. */

typedef enum { F_STR, F_INT, F_NUM, F_BOOL } ftype;

typedef struct field {
    const char *name;
    ftype type;
    int required;
    long long min, max;         /* F_INT */
    const char *const *allowed; /* F_STR: NULL for any */
    size_t offset;              /* into the temporary struct */
} field;

#define NOT_SET ((size_t)0)
#define MAX_POS 2147483647LL

/* Temporary structs: strings as arena offsets + 1 (0: null). */
typedef struct tsec {
    long long ord, start, end, depth, parent;
    size_t marker, title, part, path;
} tsec;

typedef struct tind {
    long long start, end, section, period_year;
    double value, value_high;
    size_t raw, unit, qualifier, metric, kind, category, sentence, metric_key;
} tind;

typedef struct ttop {
    long long schema, transform_version, year, plan_year, text_chars, raw_partition, raw_offset,
        ocr;
    double ocr_confidence; /* NAN when absent */
    size_t doc_id, source_name, url, title, issuer, index_no, doc_no, region, region_code, province,
        city, published_at, fetched_at, sha256, format, charset, raw_topic, level, doc_type;
} ttop;

static const char *const parts[] = {"review", "problems", "plan", NULL};
static const char *const kinds[] = {"actual", "target", NULL};
static const char *const quals[] = {"over", "under", "about", "at_least", NULL};
static const char *const levels[] = {"national", "province", "city", "county", NULL};

#define S(n, req, allowed, st)                                                                     \
    {                                                                                              \
#n, F_STR, req, 0, 0, allowed, offsetof(st, n)                                             \
    }
#define I(n, req, lo, hi, st)                                                                      \
    {                                                                                              \
#n, F_INT, req, lo, hi, NULL, offsetof(st, n)                                              \
    }
#define B(n, st)                                                                                   \
    {                                                                                              \
#n, F_BOOL, 0, 0, 0, NULL, offsetof(st, n)                                                 \
    }
#define N(n, req, st)                                                                              \
    {                                                                                              \
#n, F_NUM, req, 0, 0, NULL, offsetof(st, n)                                                \
    }

static const field top_fields[] = {I(schema, 1, 1, RPT_PARSED_SCHEMA, ttop),
                                   I(transform_version, 1, 1, 1000000, ttop),
                                   S(doc_id, 1, NULL, ttop),
                                   S(source_name, 0, NULL, ttop),
                                   S(url, 0, NULL, ttop),
                                   S(title, 0, NULL, ttop),
                                   S(issuer, 0, NULL, ttop),
                                   S(index_no, 0, NULL, ttop),
                                   S(doc_no, 0, NULL, ttop),
                                   S(region, 0, NULL, ttop),
                                   S(region_code, 0, NULL, ttop),
                                   S(province, 0, NULL, ttop),
                                   S(city, 0, NULL, ttop),
                                   S(level, 0, levels, ttop),
                                   S(doc_type, 0, NULL, ttop),
                                   S(published_at, 0, NULL, ttop),
                                   S(fetched_at, 0, NULL, ttop),
                                   S(sha256, 0, NULL, ttop),
                                   S(format, 0, NULL, ttop),
                                   S(charset, 0, NULL, ttop),
                                   S(raw_topic, 0, NULL, ttop),
                                   I(year, 0, 0, 9999, ttop),
                                   I(plan_year, 0, 0, 9999, ttop),
                                   I(text_chars, 0, 0, MAX_POS, ttop),
                                   I(raw_partition, 0, 0, MAX_POS, ttop),
                                   I(raw_offset, 0, 0, 9007199254740992LL, ttop),
                                   B(ocr, ttop),
                                   N(ocr_confidence, 0, ttop),
                                   {NULL, 0, 0, 0, 0, NULL, 0}};

static const field section_fields[] = {
    I(ord, 1, 0, MAX_POS, tsec), I(start, 1, 0, MAX_POS, tsec),   I(end, 0, 0, MAX_POS, tsec),
    I(depth, 1, 1, 64, tsec),    I(parent, 0, -1, MAX_POS, tsec), S(marker, 0, NULL, tsec),
    S(title, 0, NULL, tsec),     S(part, 1, parts, tsec),         S(path, 0, NULL, tsec),
    {NULL, 0, 0, 0, 0, NULL, 0}};

static const field indicator_fields[] = {
    I(start, 1, 0, MAX_POS, tind),    I(end, 1, 0, MAX_POS, tind),
    I(section, 0, -1, MAX_POS, tind), N(value, 1, tind),
    N(value_high, 0, tind),           S(raw, 1, NULL, tind),
    S(unit, 0, NULL, tind),           S(qualifier, 0, quals, tind),
    S(metric, 0, NULL, tind),         S(kind, 1, kinds, tind),
    S(category, 1, NULL, tind),       S(sentence, 0, NULL, tind),
    S(metric_key, 0, NULL, tind),     I(period_year, 0, 0, 9999, tind),
    {NULL, 0, 0, 0, 0, NULL, 0}};

typedef enum { C_TOP, C_SECTIONS, C_SECTION, C_INDICATORS, C_INDICATOR, C_DONE } ctx_t;

typedef struct parser {
    rpt_buf arena;
    rpt_buf *err;
    int failed;
    int started;
    int skip; /* > 0: inside a value that is ignored */
    ctx_t ctx;
    const field *key; /* field of the current key, NULL when unknown */
    int key_is_sections, key_is_indicators, have_sections, have_indicators;
    unsigned long long seen; /* fields seen in the current object (bit per table index) */
    ttop top;
    tsec *secs;
    size_t nsec, capsec;
    tind *inds;
    size_t nind, capind;
} parser;

static int fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(parser *p, const char *fmt, ...)
{
    if (!p->failed) {
        va_list ap;
        va_start(ap, fmt);
        if (p->ctx == C_SECTION)
            rpt_buf_printf(p->err, "sections[%zu].", p->nsec - 1);
        else if (p->ctx == C_INDICATOR)
            rpt_buf_printf(p->err, "indicators[%zu].", p->nind - 1);
        rpt_buf_vprintf(p->err, fmt, ap);
        va_end(ap);
        p->failed = 1;
    }
    return 0;
}

static const field *fields_of(const parser *p, void **target)
{
    switch (p->ctx) {
    case C_TOP:
        *target = (void *)&p->top;
        return top_fields;
    case C_SECTION:
        *target = &p->secs[p->nsec - 1];
        return section_fields;
    case C_INDICATOR:
        *target = &p->inds[p->nind - 1];
        return indicator_fields;
    default:
        *target = NULL;
        return NULL;
    }
}

/* Stores one scalar for the current key: type is the JSON type (0 null, 1 string, 2 number). */
static int put_scalar(parser *p, int jtype, const char *text, size_t len)
{
    if (p->skip) return 1;
    if (p->ctx == C_SECTIONS || p->ctx == C_INDICATORS)
        return fail(p, "%s[%zu]: expected an object",
                    p->ctx == C_SECTIONS ? "sections" : "indicators",
                    p->ctx == C_SECTIONS ? p->nsec : p->nind);
    if (!p->started) return fail(p, "parsed message is not a JSON object");
    if (p->key_is_sections || p->key_is_indicators)
        return fail(p, "%s: expected an array", p->key_is_sections ? "sections" : "indicators");
    const field *f = p->key;
    if (!f) return 1; /* unknown member: ignored */
    void *target;
    const field *table = fields_of(p, &target);
    p->seen |= 1ull << (f - table);
    char *at = (char *)target + f->offset;
    if (jtype == 0) { /* null: the field keeps its preset (absent) value */
        if (f->type == F_NUM && f->required)
            return fail(p, "%s: expected a finite number", f->name);
        p->seen &= ~(1ull << (f - table));
        return 1;
    }
    if (jtype == 3) {
        if (f->type != F_BOOL) return fail(p, "%s: unexpected boolean", f->name);
        *(long long *)at = text[0] == '1';
        return 1;
    }
    if (f->type == F_BOOL) return fail(p, "%s: expected a boolean", f->name);
    if (f->type == F_STR) {
        if (jtype != 1) return fail(p, "%s: expected a string, got a number", f->name);
        if (f->allowed) {
            const char *const *a = f->allowed;
            while (*a && (strlen(*a) != len || memcmp(*a, text, len) != 0))
                a++;
            if (!*a) {
                rpt_buf msg = RPT_BUF_INIT;
                for (a = f->allowed; *a; a++)
                    rpt_buf_printf(&msg, "%s%s", a == f->allowed ? "" : a[1] ? ", " : " or ", *a);
                fail(p, "%s: expected %s", f->name, msg.data);
                rpt_buf_clear(&msg);
                return 0;
            }
        }
        if (memchr(text, '\0', len)) return fail(p, "%s: contains a NUL character", f->name);
        *(size_t *)at = p->arena.len + 1;
        if (rpt_buf_append(&p->arena, text, len) || rpt_buf_putc(&p->arena, '\0'))
            return fail(p, "out of memory");
        return 1;
    }
    if (jtype != 2)
        return fail(p, "%s: expected %s", f->name,
                    f->type == F_INT ? "an integer" : "a finite number");
    char num[64];
    if (len >= sizeof num) return fail(p, "%s: number too long", f->name);
    memcpy(num, text, len);
    num[len] = '\0';
    char *end;
    double v = strtod(num, &end);
    if (*end || !isfinite(v)) return fail(p, "%s: expected a finite number", f->name);
    if (f->type == F_NUM) {
        *(double *)at = v;
        return 1;
    }
    if (v != floor(v) || v < (double)f->min || v > (double)f->max)
        return fail(p, "%s: expected an integer in [%lld, %lld]", f->name, f->min, f->max);
    *(long long *)at = (long long)v;
    return 1;
}

static int cb_null(void *ctx)
{
    return put_scalar(ctx, 0, NULL, 0);
}

static int cb_bool(void *ctx, int v)
{
    return put_scalar(ctx, 3, v ? "1" : "0", 1);
}

static int cb_number(void *ctx, const char *s, size_t len)
{
    return put_scalar(ctx, 2, s, len);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    return put_scalar(ctx, 1, (const char *)s, len);
}

static int cb_key(void *ctx, const unsigned char *s, size_t len)
{
    parser *p = ctx;
    if (p->skip) return 1;
    void *target;
    const field *f = fields_of(p, &target);
    p->key = NULL;
    p->key_is_sections = p->ctx == C_TOP && len == 8 && memcmp(s, "sections", 8) == 0;
    p->key_is_indicators = p->ctx == C_TOP && len == 10 && memcmp(s, "indicators", 10) == 0;
    for (; f && f->name; f++) {
        if (strlen(f->name) == len && memcmp(f->name, s, len) == 0) {
            p->key = f;
            break;
        }
    }
    return 1;
}

/* Checks the required fields of the object that just ended. */
static int check_required(parser *p)
{
    void *target;
    const field *table = fields_of(p, &target);
    for (const field *f = table; f->name; f++)
        if (f->required && !(p->seen & (1ull << (f - table))))
            return fail(p, "%s is missing", f->name);
    return 1;
}

static int cb_start_map(void *ctx)
{
    parser *p = ctx;
    if (p->skip) {
        p->skip++;
        return 1;
    }
    if (!p->started) {
        p->started = 1;
        p->ctx = C_TOP;
        return 1;
    }
    if (p->ctx == C_SECTIONS) {
        if (p->nsec == p->capsec) {
            size_t cap = p->capsec ? p->capsec * 2 : 16;
            tsec *n = realloc(p->secs, cap * sizeof *n);
            if (!n) return fail(p, "out of memory");
            p->secs = n;
            p->capsec = cap;
        }
        tsec *t = &p->secs[p->nsec++];
        memset(t, 0, sizeof *t);
        t->end = t->parent = -1;
        p->ctx = C_SECTION;
        p->seen = 0;
        p->key = NULL;
        return 1;
    }
    if (p->ctx == C_INDICATORS) {
        if (p->nind == p->capind) {
            size_t cap = p->capind ? p->capind * 2 : 64;
            tind *n = realloc(p->inds, cap * sizeof *n);
            if (!n) return fail(p, "out of memory");
            p->inds = n;
            p->capind = cap;
        }
        tind *t = &p->inds[p->nind++];
        memset(t, 0, sizeof *t);
        t->section = -1;
        t->value_high = NAN; /* stays NaN when absent or null */
        p->ctx = C_INDICATOR;
        p->seen = 0;
        p->key = NULL;
        return 1;
    }
    if (p->key_is_sections || p->key_is_indicators)
        return fail(p, "%s: expected an array", p->key_is_sections ? "sections" : "indicators");
    if (p->key) return fail(p, "%s: unexpected object", p->key->name);
    p->skip = 1;
    return 1;
}

static int cb_start_array(void *ctx)
{
    parser *p = ctx;
    if (p->skip) {
        p->skip++;
        return 1;
    }
    if (!p->started) return fail(p, "parsed message is not a JSON object");
    if (p->ctx == C_TOP && p->key_is_sections) {
        p->ctx = C_SECTIONS;
        p->have_sections = 1;
        return 1;
    }
    if (p->ctx == C_TOP && p->key_is_indicators) {
        p->ctx = C_INDICATORS;
        p->have_indicators = 1;
        return 1;
    }
    if (p->ctx == C_SECTIONS || p->ctx == C_INDICATORS)
        return fail(p, "%s[%zu]: expected an object",
                    p->ctx == C_SECTIONS ? "sections" : "indicators",
                    p->ctx == C_SECTIONS ? p->nsec : p->nind);
    if (p->key) return fail(p, "%s: unexpected array", p->key->name);
    p->skip = 1;
    return 1;
}

static int cb_end(void *ctx)
{
    parser *p = ctx;
    if (p->skip) {
        p->skip--;
        return 1;
    }
    switch (p->ctx) {
    case C_SECTION:
        if (!check_required(p)) return 0;
        p->ctx = C_SECTIONS;
        break;
    case C_INDICATOR:
        if (!check_required(p)) return 0;
        p->ctx = C_INDICATORS;
        break;
    case C_SECTIONS:
    case C_INDICATORS:
        p->ctx = C_TOP;
        break;
    case C_TOP:
        p->ctx = C_DONE;
        break;
    default:
        break;
    }
    p->key = NULL;
    p->key_is_sections = p->key_is_indicators = 0;
    return 1;
}

static const yajl_callbacks parse_callbacks = {
    .yajl_null = cb_null,
    .yajl_boolean = cb_bool,
    .yajl_number = cb_number,
    .yajl_string = cb_string,
    .yajl_start_map = cb_start_map,
    .yajl_map_key = cb_key,
    .yajl_end_map = cb_end,
    .yajl_start_array = cb_start_array,
    .yajl_end_array = cb_end,
};

static int valid_doc_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 128) return 0;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == ':'))
            return 0;
    }
    return 1;
}

static const char *str_at(const char *arena, size_t off)
{
    return off ? arena + off - 1 : NULL;
}

int rpt_parsed_message_decode(const char *json, size_t len, rpt_parsed_message *m, rpt_buf *err)
{
    memset(m, 0, sizeof *m);
    parser p = {.err = err};
    p.top.year = 0;
    p.top.text_chars = p.top.raw_offset = -1;
    p.top.ocr_confidence = NAN;
    yajl_handle h = yajl_alloc(&parse_callbacks, NULL, &p);
    if (!h) {
        rpt_buf_puts(err, "out of memory");
        return -1;
    }
    yajl_status st = yajl_parse(h, (const unsigned char *)json, len);
    if (st == yajl_status_ok) st = yajl_complete_parse(h);
    if (st != yajl_status_ok && !p.failed) {
        unsigned char *msg = yajl_get_error(h, 0, NULL, 0);
        rpt_buf_printf(err, "parsed message is not JSON: %s",
                      msg ? (const char *)msg : "parse error");
        if (msg) yajl_free_error(h, msg);
        p.failed = 1;
    }
    yajl_free(h);
    if (p.failed) goto fail;
    if (!p.started || p.ctx != C_DONE) {
        rpt_buf_puts(err, "parsed message is not a JSON object");
        goto fail;
    }
    if (!p.have_sections || !p.have_indicators) {
        rpt_buf_printf(err, "%s: expected an array", p.have_sections ? "indicators" : "sections");
        goto fail;
    }
    if (p.top.schema < 1) {
        rpt_buf_puts(err, "schema is missing");
        goto fail;
    }
    if (p.top.transform_version < 1) {
        rpt_buf_puts(err, "transform_version is missing");
        goto fail;
    }
    char *a = rpt_buf_steal(&p.arena);
    m->arena = a;
    if (!a) {
        a = m->arena = strdup("");
        if (!a) goto fail;
    }
    m->doc_id = str_at(a, p.top.doc_id);
    if (!m->doc_id || !valid_doc_id(m->doc_id)) {
        rpt_buf_puts(err, "doc_id: expected 1..128 characters of [A-Za-z0-9_.:-]");
        goto fail;
    }
    m->schema = (int)p.top.schema;
    m->transform_version = (int)p.top.transform_version;
    m->source_name = str_at(a, p.top.source_name);
    m->url = str_at(a, p.top.url);
    m->title = str_at(a, p.top.title);
    m->issuer = str_at(a, p.top.issuer);
    m->index_no = str_at(a, p.top.index_no);
    m->doc_no = str_at(a, p.top.doc_no);
    m->region = str_at(a, p.top.region);
    m->region_code = str_at(a, p.top.region_code);
    m->province = str_at(a, p.top.province);
    m->city = str_at(a, p.top.city);
    m->published_at = str_at(a, p.top.published_at);
    m->fetched_at = str_at(a, p.top.fetched_at);
    m->sha256 = str_at(a, p.top.sha256);
    m->format = str_at(a, p.top.format);
    m->charset = str_at(a, p.top.charset);
    m->raw_topic = str_at(a, p.top.raw_topic);
    m->year = p.top.year > 0 ? (int)p.top.year : 0;
    m->plan_year = p.top.plan_year > 0 ? (int)p.top.plan_year : 0;
    m->level = str_at(a, p.top.level);
    m->doc_type = str_at(a, p.top.doc_type);
    m->text_chars = p.top.text_chars;
    m->raw_partition = p.top.raw_partition > 0 ? (int)p.top.raw_partition : 0;
    m->raw_offset = p.top.raw_offset;
    m->ocr = p.top.ocr != 0;
    m->has_ocr_confidence = !isnan(p.top.ocr_confidence);
    m->ocr_confidence = m->has_ocr_confidence ? p.top.ocr_confidence : 0;
    m->sections = calloc(p.nsec ? p.nsec : 1, sizeof *m->sections);
    m->indicators = calloc(p.nind ? p.nind : 1, sizeof *m->indicators);
    if (!m->sections || !m->indicators) {
        rpt_buf_puts(err, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < p.nsec; i++) {
        const tsec *t = &p.secs[i];
        m->sections[i] = (rpt_parsed_section){.ord = t->ord,
                                             .start = t->start,
                                             .end = t->end,
                                             .depth = t->depth,
                                             .parent = t->parent,
                                             .marker = str_at(a, t->marker),
                                             .title = str_at(a, t->title),
                                             .part = str_at(a, t->part),
                                             .path = str_at(a, t->path)};
    }
    for (size_t i = 0; i < p.nind; i++) {
        const tind *t = &p.inds[i];
        m->indicators[i] =
            (rpt_parsed_indicator){.start = t->start,
                                  .end = t->end,
                                  .section = t->section,
                                  .value = t->value,
                                  .value_high = isnan(t->value_high) ? 0 : t->value_high,
                                  .has_value_high = !isnan(t->value_high),
                                  .raw = str_at(a, t->raw),
                                  .unit = str_at(a, t->unit),
                                  .qualifier = str_at(a, t->qualifier),
                                  .metric = str_at(a, t->metric),
                                  .kind = str_at(a, t->kind),
                                  .category = str_at(a, t->category),
                                  .sentence = str_at(a, t->sentence),
                                  .metric_key = str_at(a, t->metric_key),
                                  .period_year = t->period_year > 0 ? (int)t->period_year : 0};
    }
    m->n_sections = p.nsec;
    m->n_indicators = p.nind;
    free(p.secs);
    free(p.inds);
    return 0;
fail:
    rpt_buf_clear(&p.arena);
    free(p.secs);
    free(p.inds);
    rpt_parsed_message_clear(m);
    return -1;
}
