#include "pipeline/messages/raw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base64.h"
#include "common/json.h"
#include "common/utf8.h"

/* The string fields and their header names, in header order. */
#define RAW_FIELDS(X)                                                                              \
    X(source) X(url) X(final_url) X(parent_url) X(fetched_at) X(content_type) X(charset)           \
    X(etag) X(last_modified) X(sha256) X(region)

/* Length of the valid UTF-8 sequence at s[0..n) (1..4), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (!len || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    if (c == 0xe0 && s[1] < 0xa0) return 0; /* overlong */
    if (c == 0xed && s[1] > 0x9f) return 0; /* surrogate */
    if (c == 0xf0 && s[1] < 0x90) return 0; /* overlong */
    if (c == 0xf4 && s[1] > 0x8f) return 0; /* above U+10FFFF */
    return len;
}

/* A NUL-terminated copy of data[0..len) that is valid UTF-8: each byte that does not start a
 * valid sequence becomes U+FFFD, NUL bytes are dropped (when keep_nul is 0). Caller frees;
 * NULL on ENOMEM. */
static char *utf8_copy(const void *data, size_t len, int keep_nul)
{
    const unsigned char *s = data;
    rpt_buf b = RPT_BUF_INIT;
    if (rpt_buf_reserve(&b, len + 1)) return NULL;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq(s + i, len - i);
        if (n == 0) {
            rpt_buf_append(&b, "\xef\xbf\xbd", 3);
            i++;
        } else {
            if (keep_nul || s[i]) rpt_buf_append(&b, s + i, n);
            i += n;
        }
    }
    /* terminates the string even when nothing was appended (only NUL bytes) */
    if (rpt_buf_append(&b, "", 0)) {
        rpt_buf_clear(&b);
        return NULL;
    }
    return rpt_buf_steal(&b);
}

static int add_header(rd_kafka_headers_t *h, const char *name, const char *value)
{
    if (!value) return 0;
    return rd_kafka_header_add(h, name, -1, value, (ssize_t)strlen(value)) ? -1 : 0;
}

rd_kafka_headers_t *rpt_raw_message_headers(const rpt_raw_message *m)
{
    rd_kafka_headers_t *h = rd_kafka_headers_new(14);
    if (!h) return NULL;
    char schema[12], status[12];
    snprintf(schema, sizeof schema, "%d", RPT_RAW_SCHEMA);
    snprintf(status, sizeof status, "%d", m->http_status);
    int rc = add_header(h, RPT_RAW_HEADER_SCHEMA, schema);
#define ADD(f) rc |= add_header(h, #f, m->f);
    RAW_FIELDS(ADD)
#undef ADD
    rc |= add_header(h, "http_status", status);
    if (rc) {
        rd_kafka_headers_destroy(h);
        return NULL;
    }
    return h;
}

size_t rpt_raw_message_size(const rpt_raw_message *m)
{
    size_t n = (m->doc_id ? strlen(m->doc_id) : 0) + m->body_len;
    n += strlen(RPT_RAW_HEADER_SCHEMA) + 1 + strlen("http_status") + 3;
#define SIZE(f) if (m->f) n += strlen(#f) + strlen(m->f);
    RAW_FIELDS(SIZE)
#undef SIZE
    return n;
}

/* The value of header `name` as a valid UTF-8 string (caller frees), or NULL when absent.
 * *oom is set when a copy could not be made. */
static char *header_str(const rd_kafka_headers_t *h, const char *name, int *oom)
{
    const void *v = NULL;
    size_t len = 0;
    if (rd_kafka_header_get_last(h, name, &v, &len) != RD_KAFKA_RESP_ERR_NO_ERROR) return NULL;
    char *s = utf8_copy(v ? v : "", v ? len : 0, 0);
    if (!s) *oom = 1;
    return s;
}

static int decode_native(const void *key, size_t key_len, const void *value, size_t len,
                         const rd_kafka_headers_t *h, rpt_raw_message *m, rpt_buf *err)
{
    int oom = 0;
    char *schema = header_str(h, RPT_RAW_HEADER_SCHEMA, &oom);
    char *end = NULL;
    long v = schema ? strtol(schema, &end, 10) : 0;
    if (!schema || end == schema || *end || v < 1 || v > 1000000) {
        rpt_buf_printf(err, "raw message schema header \"%s\" is not a version number",
                       schema ? schema : "");
        free(schema);
        return -1;
    }
    free(schema);
    m->schema = (int)v;
    if (m->schema > RPT_RAW_SCHEMA) {
        rpt_buf_printf(err, "raw message schema %d is not supported (this build reads 1..%d)",
                       m->schema, RPT_RAW_SCHEMA);
        return -1;
    }
    if (!key || !key_len) {
        rpt_buf_puts(err, "raw message has no key (doc_id)");
        return -1;
    }
    m->doc_id = utf8_copy(key, key_len, 0);
#define GET(f) m->f = header_str(h, #f, &oom);
    RAW_FIELDS(GET)
#undef GET
    char *status = header_str(h, "http_status", &oom);
    long code = status ? strtol(status, NULL, 10) : 0;
    if (code > 0 && code < 1000) m->http_status = (int)code;
    free(status);
    m->body = malloc(len ? len : 1);
    if (m->body && len) memcpy(m->body, value, len);
    m->body_len = len;
    if (oom || !m->doc_id || !m->body) {
        rpt_buf_puts(err, "out of memory decoding a raw message");
        return -1;
    }
    if (!m->url) {
        rpt_buf_puts(err, "raw message has no url header");
        return -1;
    }
    return 0;
}

/* Schema 1: the JSON value. Earlier encoders copied header bytes into JSON strings
 * unchecked, so a value that is not valid UTF-8 is repaired before parsing rather than
 * refused. */
static int decode_json(const char *json, size_t len, rpt_raw_message *m, rpt_buf *err)
{
    char *repaired = NULL;
    if (!rpt_utf8_text_ok(json, len)) {
        repaired = utf8_copy(json, len, 0);
        if (!repaired) {
            rpt_buf_puts(err, "out of memory decoding a raw message");
            return -1;
        }
        json = repaired;
        len = strlen(repaired);
    }
    rpt_jnode *root = rpt_json_parse_object(json, len, "raw message", err);
    free(repaired);
    if (!root) return -1;
    int rc = -1;
    const rpt_jnode *schema = rpt_json_get(root, "schema");
    if (!schema || schema->type != RPT_JNUMBER) {
        rpt_buf_puts(err, "raw message has no schema version");
        goto out;
    }
    if (schema->num != RPT_RAW_SCHEMA_JSON) { /* compared as a number: any value is safe */
        rpt_buf_printf(err, "raw message schema %g is not supported in a JSON value "
                            "(this build reads JSON schema %d and header schema %d)",
                       schema->num, RPT_RAW_SCHEMA_JSON, RPT_RAW_SCHEMA);
        goto out;
    }
    m->schema = RPT_RAW_SCHEMA_JSON;
    m->doc_id = rpt_json_strdup(root, "doc_id");
#define GET(f) m->f = rpt_json_strdup(root, #f);
    RAW_FIELDS(GET)
#undef GET
    const rpt_jnode *st = rpt_json_get(root, "http_status");
    if (st && st->type == RPT_JNUMBER && st->num >= 0 && st->num < 1000)
        m->http_status = (int)st->num;
    if (!m->doc_id || !m->url) {
        rpt_buf_puts(err, "raw message lacks doc_id or url");
        goto out;
    }
    const rpt_jnode *body = rpt_json_get(root, "body_base64");
    if (!body || body->type != RPT_JSTRING) {
        rpt_buf_puts(err, "raw message has no body_base64");
        goto out;
    }
    rpt_buf b = RPT_BUF_INIT;
    if (rpt_base64_decode(&b, body->str, strlen(body->str))) {
        rpt_buf_clear(&b);
        rpt_buf_puts(err, "raw message body_base64 is not valid base64");
        goto out;
    }
    m->body_len = b.len;
    m->body = (unsigned char *)rpt_buf_steal(&b);
    if (!m->body) m->body = calloc(1, 1);
    rc = m->body ? 0 : -1;
out:
    rpt_json_free(root);
    return rc;
}

int rpt_raw_message_decode(const void *key, size_t key_len, const void *value, size_t len,
                           const rd_kafka_headers_t *headers, rpt_raw_message *m, rpt_buf *err)
{
    memset(m, 0, sizeof *m);
    const void *v;
    size_t vlen;
    int native = headers && rd_kafka_header_get_last(headers, RPT_RAW_HEADER_SCHEMA, &v, &vlen) ==
                                RD_KAFKA_RESP_ERR_NO_ERROR;
    int rc = native ? decode_native(key, key_len, value, len, headers, m, err)
                    : decode_json(value ? value : "", value ? len : 0, m, err);
    if (rc) rpt_raw_message_clear(m);
    return rc;
}

int rpt_raw_message_encode_json(const rpt_raw_message *m, rpt_buf *out)
{
    yajl_gen g = rpt_jg_new();
    if (!g) return -1;
    rpt_buf body = RPT_BUF_INIT;
    int rc = -1;
    if (rpt_base64_encode(&body, m->body, m->body_len)) goto out;
    yajl_gen_map_open(g);
    rpt_jg_int(g, "schema", RPT_RAW_SCHEMA_JSON);
    rpt_jg_str(g, "doc_id", m->doc_id);
    rpt_jg_str(g, "source", m->source);
    rpt_jg_str(g, "url", m->url);
    rpt_jg_str(g, "final_url", m->final_url);
    rpt_jg_str(g, "parent_url", m->parent_url);
    rpt_jg_str(g, "fetched_at", m->fetched_at);
    rpt_jg_int(g, "http_status", m->http_status);
    rpt_jg_str(g, "content_type", m->content_type);
    rpt_jg_str(g, "charset", m->charset);
    rpt_jg_str(g, "etag", m->etag);
    rpt_jg_str(g, "last_modified", m->last_modified);
    rpt_jg_str(g, "sha256", m->sha256);
    rpt_jg_str(g, "region", m->region);
    rpt_jg_strn(g, "body_base64", body.data ? body.data : "", body.len);
    yajl_gen_map_close(g);
    const unsigned char *buf;
    size_t len;
    if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok) goto out;
    rc = rpt_buf_append(out, buf, len);
out:
    rpt_buf_clear(&body);
    yajl_gen_free(g);
    return rc;
}

void rpt_raw_message_clear(rpt_raw_message *m)
{
    char **strs[] = {&m->doc_id, &m->source, &m->url, &m->final_url, &m->parent_url,
                     &m->fetched_at, &m->content_type, &m->charset, &m->etag,
                     &m->last_modified, &m->sha256, &m->region};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) free(*strs[i]);
    free(m->body);
    memset(m, 0, sizeof *m);
}
