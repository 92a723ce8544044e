#include "pipeline/messages/dlq.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base64.h"
#include "common/json.h"
#include "common/utf8.h"


int rpt_dlq_encode(const rpt_dlq_item *it, rpt_buf *out)
{
    yajl_gen g = rpt_jg_new();
    if (!g) return -1;
    int rc = -1;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    yajl_gen_map_open(g);
    rpt_jg_int(g, "schema", RPT_DLQ_SCHEMA);
    rpt_jg_str(g, "stage", it->stage);
    rpt_jg_str(g, "reason", it->reason);
    rpt_jg_str(g, "doc_id", it->doc_id);
    rpt_jg_str(g, "topic", it->topic);
    rpt_jg_int(g, "partition", it->partition);
    rpt_jg_int(g, "offset", it->offset);
    rpt_jg_str(g, "failed_at", now);
    if (it->value && rpt_utf8_text_ok(it->value, it->value_len)) {
        rpt_jg_strn(g, "value", it->value, it->value_len);
    } else if (it->value) {
        rpt_buf b64 = RPT_BUF_INIT;
        if (rpt_base64_encode(&b64, it->value, it->value_len)) {
            rpt_buf_clear(&b64);
            goto out;
        }
        rpt_jg_strn(g, "value_base64", b64.data ? b64.data : "", b64.len);
        rpt_buf_clear(&b64);
    } else {
        rpt_jg_null(g, "value");
    }
    yajl_gen_map_close(g);
    const unsigned char *buf;
    size_t len;
    if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok) goto out;
    rc = rpt_buf_append(out, buf, len);
out:
    yajl_gen_free(g);
    return rc;
}

int rpt_dlq_decode(const char *json, size_t len, rpt_dlq_record *rec, rpt_buf *err)
{
    memset(rec, 0, sizeof *rec);
    rpt_jnode *root = rpt_json_parse_object(json, len, "DLQ message", err);
    if (!root) return -1;
    const rpt_jnode *p = rpt_json_get(root, "partition"), *o = rpt_json_get(root, "offset");
    if (!rpt_json_str(root, "stage") || !rpt_json_str(root, "reason") ||
        !rpt_json_str(root, "topic") || !p || p->type != RPT_JNUMBER || !o || o->type != RPT_JNUMBER) {
        rpt_buf_puts(err, "DLQ message lacks stage, reason, topic, partition or offset");
        rpt_json_free(root);
        return -1;
    }
    rec->stage = rpt_json_strdup(root, "stage");
    rec->reason = rpt_json_strdup(root, "reason");
    rec->doc_id = rpt_json_strdup(root, "doc_id");
    rec->topic = rpt_json_strdup(root, "topic");
    rec->partition = (int)p->num;
    rec->offset = (long long)o->num;
    rpt_json_free(root);
    return 0;
}

void rpt_dlq_record_clear(rpt_dlq_record *rec)
{
    free(rec->stage);
    free(rec->reason);
    free(rec->doc_id);
    free(rec->topic);
    memset(rec, 0, sizeof *rec);
}
