#include "pipeline/messages/raw.h"

#include <stdlib.h>
#include <string.h>

#include "common/base64.h"
#include "common/json.h"

int rpt_raw_message_encode(const rpt_raw_message *m, rpt_buf *out)
{
    yajl_gen g = rpt_jg_new();
    if (!g) return -1;
    rpt_buf body = RPT_BUF_INIT;
    int rc = -1;
    if (rpt_base64_encode(&body, m->body, m->body_len)) goto out;
    yajl_gen_map_open(g);
    rpt_jg_int(g, "schema", RPT_RAW_SCHEMA);
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
    rpt_buf_free(&body);
    yajl_gen_free(g);
    return rc;
}

int rpt_raw_message_decode(const char *json, size_t len, rpt_raw_message *m, rpt_buf *err)
{
    memset(m, 0, sizeof *m);
    rpt_jnode *root = rpt_json_parse_object(json, len, "raw message", err);
    if (!root) return -1;
    const rpt_jnode *schema = rpt_json_get(root, "schema");
    if (!schema || schema->type != RPT_JNUMBER) {
        rpt_buf_puts(err, "raw message has no schema version");
        goto fail;
    }
    m->schema = (int)schema->num;
    if (m->schema < 1 || m->schema > RPT_RAW_SCHEMA) {
        rpt_buf_printf(err, "raw message schema %d is not supported (this build reads 1..%d)",
                      m->schema, RPT_RAW_SCHEMA);
        goto fail;
    }
    m->doc_id = rpt_json_strdup(root, "doc_id");
    m->source = rpt_json_strdup(root, "source");
    m->url = rpt_json_strdup(root, "url");
    m->final_url = rpt_json_strdup(root, "final_url");
    m->parent_url = rpt_json_strdup(root, "parent_url");
    m->fetched_at = rpt_json_strdup(root, "fetched_at");
    m->content_type = rpt_json_strdup(root, "content_type");
    m->charset = rpt_json_strdup(root, "charset");
    m->etag = rpt_json_strdup(root, "etag");
    m->last_modified = rpt_json_strdup(root, "last_modified");
    m->sha256 = rpt_json_strdup(root, "sha256");
    m->region = rpt_json_strdup(root, "region");
    const rpt_jnode *st = rpt_json_get(root, "http_status");
    if (st && st->type == RPT_JNUMBER) m->http_status = (int)st->num;
    if (!m->doc_id || !m->url) {
        rpt_buf_puts(err, "raw message lacks doc_id or url");
        goto fail;
    }
    const rpt_jnode *body = rpt_json_get(root, "body_base64");
    if (!body || body->type != RPT_JSTRING) {
        rpt_buf_puts(err, "raw message has no body_base64");
        goto fail;
    }
    rpt_buf b = RPT_BUF_INIT;
    if (rpt_base64_decode(&b, body->str, strlen(body->str))) {
        rpt_buf_free(&b);
        rpt_buf_puts(err, "raw message body_base64 is not valid base64");
        goto fail;
    }
    m->body_len = b.len;
    m->body = (unsigned char *)rpt_buf_steal(&b);
    rpt_json_free(root);
    return 0;
fail:
    rpt_json_free(root);
    rpt_raw_message_clear(m);
    return -1;
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
