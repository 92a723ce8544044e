#include "connectors/parsed_message.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes the document object, then splices the envelope members in before its closing
 * brace so that the value stays one flat object (the extract contract plus envelope). */
int rd_parsed_message_encode(const rd_document *doc, const rd_parsed_origin *o, rd_buf *out)
{
    int rc = -1;
    yajl_gen gd = rd_jg_new(), ge = rd_jg_new();
    if (!gd || !ge) goto out;
    rd_document_to_json(doc, 0, gd);
    yajl_gen_map_open(ge);
    rd_jg_int(ge, "schema", RD_PARSED_SCHEMA);
    rd_jg_int(ge, "transform_version", o->transform_version);
    rd_jg_str(ge, "source_name", o->source_name);
    rd_jg_str(ge, "fetched_at", o->fetched_at);
    rd_jg_str(ge, "sha256", o->sha256);
    rd_jg_str(ge, "raw_topic", o->raw_topic);
    if (o->raw_topic) rd_jg_int(ge, "raw_partition", o->raw_partition);
    else rd_jg_null(ge, "raw_partition");
    if (o->raw_offset >= 0) rd_jg_int(ge, "raw_offset", o->raw_offset);
    else rd_jg_null(ge, "raw_offset");
    yajl_gen_map_close(ge);
    const unsigned char *d, *e;
    size_t dlen, elen;
    if (yajl_gen_get_buf(gd, &d, &dlen) != yajl_gen_status_ok || dlen < 2 || d[dlen - 1] != '}')
        goto out;
    if (yajl_gen_get_buf(ge, &e, &elen) != yajl_gen_status_ok || elen < 2) goto out;
    if (rd_buf_append(out, d, dlen - 1)) goto out;
    if (dlen > 2 && rd_buf_putc(out, ',')) goto out;
    if (rd_buf_append(out, e + 1, elen - 1)) goto out;
    rc = 0;
out:
    if (gd) yajl_gen_free(gd);
    if (ge) yajl_gen_free(ge);
    return rc;
}

/* String member or NULL (absent or JSON null). -1 when present with another type. */
static int opt_str(const rd_jnode *obj, const char *key, const char **out, rd_buf *err)
{
    const rd_jnode *n = rd_json_get(obj, key);
    *out = NULL;
    if (!n || n->type == RD_JNULL) return 0;
    if (n->type != RD_JSTRING) {
        rd_buf_printf(err, "%s: expected a string, got %s", key, rd_jtype_name(n->type));
        return -1;
    }
    *out = n->str;
    return 0;
}

/* Integer member within [min, max]; absent or null gives `dflt` unless required. */
static int get_int(const rd_jnode *obj, const char *key, int required, long long min,
                   long long max, long long dflt, long long *out, const char *where, rd_buf *err)
{
    const rd_jnode *n = rd_json_get(obj, key);
    *out = dflt;
    if (!n || n->type == RD_JNULL) {
        if (!required) return 0;
        rd_buf_printf(err, "%s%s is missing", where, key);
        return -1;
    }
    if (n->type != RD_JNUMBER || !isfinite(n->num) || n->num != floor(n->num) || n->num < (double)min ||
        n->num > (double)max) {
        rd_buf_printf(err, "%s%s: expected an integer in [%lld, %lld]", where, key, min, max);
        return -1;
    }
    *out = (long long)n->num;
    return 0;
}

static int one_of(const char *s, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(s, *allowed) == 0) return 1;
    return 0;
}

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

#define MAX_POS 2147483647LL

static int validate_section(const rd_jnode *s, size_t i, rd_buf *err)
{
    static const char *const parts[] = {"review", "problems", "plan", NULL};
    char where[48];
    snprintf(where, sizeof where, "sections[%zu].", i);
    long long v;
    const char *str;
    if (s->type != RD_JOBJECT) {
        rd_buf_printf(err, "sections[%zu]: expected an object", i);
        return -1;
    }
    if (get_int(s, "ord", 1, 0, MAX_POS, 0, &v, where, err) ||
        get_int(s, "start", 1, 0, MAX_POS, 0, &v, where, err) ||
        get_int(s, "end", 0, 0, MAX_POS, 0, &v, where, err) ||
        get_int(s, "depth", 1, 1, 64, 0, &v, where, err) ||
        get_int(s, "parent", 0, -1, MAX_POS, 0, &v, where, err))
        return -1;
    if (opt_str(s, "part", &str, err)) return -1;
    if (!str || !one_of(str, parts)) {
        rd_buf_printf(err, "%spart: expected review, problems or plan", where);
        return -1;
    }
    if (opt_str(s, "marker", &str, err) || opt_str(s, "title", &str, err) ||
        opt_str(s, "path", &str, err))
        return -1;
    return 0;
}

static int validate_indicator(const rd_jnode *x, size_t i, rd_buf *err)
{
    static const char *const kinds[] = {"actual", "target", NULL};
    static const char *const quals[] = {"over", "under", "about", "at_least", NULL};
    char where[48];
    snprintf(where, sizeof where, "indicators[%zu].", i);
    long long v;
    const char *str;
    if (x->type != RD_JOBJECT) {
        rd_buf_printf(err, "indicators[%zu]: expected an object", i);
        return -1;
    }
    if (get_int(x, "start", 1, 0, MAX_POS, 0, &v, where, err) ||
        get_int(x, "end", 1, 0, MAX_POS, 0, &v, where, err) ||
        get_int(x, "section", 0, -1, MAX_POS, -1, &v, where, err))
        return -1;
    const rd_jnode *val = rd_json_get(x, "value");
    if (!val || val->type != RD_JNUMBER || !isfinite(val->num)) {
        rd_buf_printf(err, "%svalue: expected a finite number", where);
        return -1;
    }
    const rd_jnode *hi = rd_json_get(x, "value_high");
    if (hi && hi->type != RD_JNULL && (hi->type != RD_JNUMBER || !isfinite(hi->num))) {
        rd_buf_printf(err, "%svalue_high: expected a finite number or null", where);
        return -1;
    }
    if (opt_str(x, "raw", &str, err)) return -1;
    if (!str) {
        rd_buf_printf(err, "%sraw is missing", where);
        return -1;
    }
    if (opt_str(x, "kind", &str, err)) return -1;
    if (!str || !one_of(str, kinds)) {
        rd_buf_printf(err, "%skind: expected actual or target", where);
        return -1;
    }
    if (opt_str(x, "qualifier", &str, err)) return -1;
    if (str && !one_of(str, quals)) {
        rd_buf_printf(err, "%squalifier: expected over, under, about, at_least or null", where);
        return -1;
    }
    if (opt_str(x, "category", &str, err)) return -1;
    if (!str || !*str) {
        rd_buf_printf(err, "%scategory is missing", where);
        return -1;
    }
    if (opt_str(x, "unit", &str, err) || opt_str(x, "metric", &str, err) ||
        opt_str(x, "sentence", &str, err))
        return -1;
    return 0;
}

static const rd_jnode *get_array(const rd_jnode *root, const char *key, rd_buf *err)
{
    const rd_jnode *a = rd_json_get(root, key);
    if (!a || a->type != RD_JARRAY) {
        rd_buf_printf(err, "%s: expected an array", key);
        return NULL;
    }
    return a;
}

int rd_parsed_message_decode(const char *json, size_t len, rd_parsed_message *m, rd_buf *err)
{
    memset(m, 0, sizeof *m);
    rd_buf perr = RD_BUF_INIT;
    m->root = rd_json_parse(json, len, &perr);
    if (!m->root) {
        rd_buf_printf(err, "parsed message is not JSON: %s", perr.data ? perr.data : "");
        rd_buf_free(&perr);
        return -1;
    }
    const rd_jnode *r = m->root;
    long long v;
    if (r->type != RD_JOBJECT) {
        rd_buf_puts(err, "parsed message is not a JSON object");
        goto fail;
    }
    if (get_int(r, "schema", 1, 1, RD_PARSED_SCHEMA, 0, &v, "", err)) goto fail;
    m->schema = (int)v;
    if (get_int(r, "transform_version", 1, 1, 1000000, 0, &v, "", err)) goto fail;
    m->transform_version = (int)v;
    if (opt_str(r, "doc_id", &m->doc_id, err)) goto fail;
    if (!m->doc_id || !valid_doc_id(m->doc_id)) {
        rd_buf_puts(err, "doc_id: expected 1..128 characters of [A-Za-z0-9_.:-]");
        goto fail;
    }
    struct {
        const char *key;
        const char **dst;
    } strs[] = {{"source_name", &m->source_name}, {"url", &m->url},
                {"title", &m->title},             {"issuer", &m->issuer},
                {"index_no", &m->index_no},       {"doc_no", &m->doc_no},
                {"region", &m->region},           {"region_code", &m->region_code},
                {"province", &m->province},       {"city", &m->city},
                {"published_at", &m->published_at}, {"fetched_at", &m->fetched_at},
                {"sha256", &m->sha256},           {"format", &m->format},
                {"charset", &m->charset},         {"raw_topic", &m->raw_topic}};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        if (opt_str(r, strs[i].key, strs[i].dst, err)) goto fail;
    if (get_int(r, "year", 0, 0, 9999, 0, &v, "", err)) goto fail;
    m->year = (int)v;
    if (get_int(r, "text_chars", 0, 0, MAX_POS, -1, &m->text_chars, "", err)) goto fail;
    if (get_int(r, "raw_partition", 0, 0, MAX_POS, 0, &v, "", err)) goto fail;
    m->raw_partition = (int)v;
    if (get_int(r, "raw_offset", 0, 0, 9007199254740992LL, -1, &m->raw_offset, "", err)) goto fail;
    if (!(m->sections = get_array(r, "sections", err))) goto fail;
    if (!(m->indicators = get_array(r, "indicators", err))) goto fail;
    for (size_t i = 0; i < m->sections->n; i++)
        if (validate_section(m->sections->items[i], i, err)) goto fail;
    for (size_t i = 0; i < m->indicators->n; i++)
        if (validate_indicator(m->indicators->items[i], i, err)) goto fail;
    return 0;
fail:
    rd_parsed_message_clear(m);
    return -1;
}

void rd_parsed_message_clear(rd_parsed_message *m)
{
    rd_json_free(m->root);
    memset(m, 0, sizeof *m);
}
