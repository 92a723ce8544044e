#include "connectors/kafka_dlq.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base64.h"
#include "common/json.h"

int rd_utf8_text_ok(const void *data, size_t len)
{
    const unsigned char *s = data, *end = s + len;
    while (s < end) {
        unsigned char c = *s;
        size_t n;
        unsigned int cp;
        if (c == 0) return 0;
        if (c < 0x80) {
            s++;
            continue;
        }
        if ((c & 0xE0) == 0xC0)
            n = 1, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            n = 2, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
            n = 3, cp = c & 0x07;
        else
            return 0;
        if ((size_t)(end - s) <= n) return 0;
        for (size_t i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i] & 0x3F);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        s += n + 1;
    }
    return 1;
}

int rd_dlq_encode(const rd_dlq_item *it, rd_buf *out)
{
    yajl_gen g = rd_jg_new();
    if (!g) return -1;
    int rc = -1;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    yajl_gen_map_open(g);
    rd_jg_int(g, "schema", RD_DLQ_SCHEMA);
    rd_jg_str(g, "stage", it->stage);
    rd_jg_str(g, "reason", it->reason);
    rd_jg_str(g, "doc_id", it->doc_id);
    rd_jg_str(g, "topic", it->topic);
    rd_jg_int(g, "partition", it->partition);
    rd_jg_int(g, "offset", it->offset);
    rd_jg_str(g, "failed_at", now);
    if (it->value && rd_utf8_text_ok(it->value, it->value_len)) {
        rd_jg_strn(g, "value", it->value, it->value_len);
    } else if (it->value) {
        rd_buf b64 = RD_BUF_INIT;
        if (rd_base64_encode(&b64, it->value, it->value_len)) {
            rd_buf_free(&b64);
            goto out;
        }
        rd_jg_strn(g, "value_base64", b64.data ? b64.data : "", b64.len);
        rd_buf_free(&b64);
    } else {
        rd_jg_null(g, "value");
    }
    yajl_gen_map_close(g);
    const unsigned char *buf;
    size_t len;
    if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok) goto out;
    rc = rd_buf_append(out, buf, len);
out:
    yajl_gen_free(g);
    return rc;
}

int rd_dlq_decode(const char *json, size_t len, rd_dlq_record *rec, rd_buf *err)
{
    memset(rec, 0, sizeof *rec);
    rd_jnode *root = rd_json_parse_object(json, len, "DLQ message", err);
    if (!root) return -1;
    const rd_jnode *p = rd_json_get(root, "partition"), *o = rd_json_get(root, "offset");
    if (!rd_json_str(root, "stage") || !rd_json_str(root, "reason") ||
        !rd_json_str(root, "topic") || !p || p->type != RD_JNUMBER || !o || o->type != RD_JNUMBER) {
        rd_buf_puts(err, "DLQ message lacks stage, reason, topic, partition or offset");
        rd_json_free(root);
        return -1;
    }
    rec->stage = rd_json_strdup(root, "stage");
    rec->reason = rd_json_strdup(root, "reason");
    rec->doc_id = rd_json_strdup(root, "doc_id");
    rec->topic = rd_json_strdup(root, "topic");
    rec->partition = (int)p->num;
    rec->offset = (long long)o->num;
    rd_json_free(root);
    return 0;
}

void rd_dlq_record_clear(rd_dlq_record *rec)
{
    free(rec->stage);
    free(rec->reason);
    free(rec->doc_id);
    free(rec->topic);
    memset(rec, 0, sizeof *rec);
}
