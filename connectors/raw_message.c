#include "connectors/raw_message.h"

#include <stdlib.h>
#include <string.h>

#include "common/base64.h"
#include "common/json.h"

int rd_raw_message_encode(const rd_raw_message *m, rd_buf *out)
{
    yajl_gen g = rd_jg_new();
    if (!g) return -1;
    rd_buf body = RD_BUF_INIT;
    int rc = -1;
    if (rd_base64_encode(&body, m->body, m->body_len)) goto out;
    yajl_gen_map_open(g);
    rd_jg_int(g, "schema", RD_RAW_SCHEMA);
    rd_jg_str(g, "doc_id", m->doc_id);
    rd_jg_str(g, "source", m->source);
    rd_jg_str(g, "url", m->url);
    rd_jg_str(g, "final_url", m->final_url);
    rd_jg_str(g, "parent_url", m->parent_url);
    rd_jg_str(g, "fetched_at", m->fetched_at);
    rd_jg_int(g, "http_status", m->http_status);
    rd_jg_str(g, "content_type", m->content_type);
    rd_jg_str(g, "charset", m->charset);
    rd_jg_str(g, "etag", m->etag);
    rd_jg_str(g, "last_modified", m->last_modified);
    rd_jg_str(g, "sha256", m->sha256);
    rd_jg_str(g, "region", m->region);
    rd_jg_strn(g, "body_base64", body.data ? body.data : "", body.len);
    yajl_gen_map_close(g);
    const unsigned char *buf;
    size_t len;
    if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok) goto out;
    rc = rd_buf_append(out, buf, len);
out:
    rd_buf_free(&body);
    yajl_gen_free(g);
    return rc;
}

int rd_raw_message_decode(const char *json, size_t len, rd_raw_message *m, rd_buf *err)
{
    memset(m, 0, sizeof *m);
    rd_jnode *root = rd_json_parse_object(json, len, "raw message", err);
    if (!root) return -1;
    const rd_jnode *schema = rd_json_get(root, "schema");
    if (!schema || schema->type != RD_JNUMBER) {
        rd_buf_puts(err, "raw message has no schema version");
        goto fail;
    }
    m->schema = (int)schema->num;
    if (m->schema < 1 || m->schema > RD_RAW_SCHEMA) {
        rd_buf_printf(err, "raw message schema %d is not supported (this build reads 1..%d)",
                      m->schema, RD_RAW_SCHEMA);
        goto fail;
    }
    m->doc_id = rd_json_strdup(root, "doc_id");
    m->source = rd_json_strdup(root, "source");
    m->url = rd_json_strdup(root, "url");
    m->final_url = rd_json_strdup(root, "final_url");
    m->parent_url = rd_json_strdup(root, "parent_url");
    m->fetched_at = rd_json_strdup(root, "fetched_at");
    m->content_type = rd_json_strdup(root, "content_type");
    m->charset = rd_json_strdup(root, "charset");
    m->etag = rd_json_strdup(root, "etag");
    m->last_modified = rd_json_strdup(root, "last_modified");
    m->sha256 = rd_json_strdup(root, "sha256");
    m->region = rd_json_strdup(root, "region");
    const rd_jnode *st = rd_json_get(root, "http_status");
    if (st && st->type == RD_JNUMBER) m->http_status = (int)st->num;
    if (!m->doc_id || !m->url) {
        rd_buf_puts(err, "raw message lacks doc_id or url");
        goto fail;
    }
    const rd_jnode *body = rd_json_get(root, "body_base64");
    if (!body || body->type != RD_JSTRING) {
        rd_buf_puts(err, "raw message has no body_base64");
        goto fail;
    }
    rd_buf b = RD_BUF_INIT;
    if (rd_base64_decode(&b, body->str, strlen(body->str))) {
        rd_buf_free(&b);
        rd_buf_puts(err, "raw message body_base64 is not valid base64");
        goto fail;
    }
    m->body_len = b.len;
    m->body = (unsigned char *)rd_buf_steal(&b);
    rd_json_free(root);
    return 0;
fail:
    rd_json_free(root);
    rd_raw_message_clear(m);
    return -1;
}

void rd_raw_message_clear(rd_raw_message *m)
{
    char **strs[] = {&m->doc_id, &m->source, &m->url, &m->final_url, &m->parent_url,
                     &m->fetched_at, &m->content_type, &m->charset, &m->etag,
                     &m->last_modified, &m->sha256, &m->region};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) free(*strs[i]);
    free(m->body);
    memset(m, 0, sizeof *m);
}
