/* libFuzzer target: the decoders of the messages the consuming stages read from Kafka —
 * reports.parsed (the load stage), reports.dlq (the load stage's rejects) and reports.raw
 * (the transform stage: key, headers and value). The first byte picks the decoder (odd: dlq,
 * 0 mod 4: parsed, 2 mod 4: raw); the rest is the message value, for raw preceded by its
 * headers and key (see raw_record). A decoder must accept or refuse with a reason, never
 * crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/messages/dlq.h"
#include "pipeline/messages/parsed.h"
#include "pipeline/messages/raw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A reports.raw record from the bytes: a header count (0..15), each header as a name length
 * byte, name, value length byte and value, then a key length byte and key; the rest is the
 * value. Returns the decoder's rc, or 1 when the bytes run out first. */
static int raw_record(const uint8_t *p, size_t n)
{
    rd_kafka_headers_t *h = rd_kafka_headers_new(8);
    size_t i = 0;
    int rc = 1, count = n ? p[i++] & 15 : 0;
    for (int k = 0; k < count; k++) {
        if (i >= n || i + 1 + p[i] >= n) goto out;
        size_t nlen = p[i++];
        const char *name = (const char *)p + i;
        i += nlen;
        size_t vlen = p[i++];
        if (i + vlen > n) goto out;
        /* header names are strings; a name with a NUL is cut there, as a client would */
        char nbuf[256];
        memcpy(nbuf, name, nlen);
        nbuf[nlen] = '\0';
        rd_kafka_header_add(h, nbuf, -1, p + i, (ssize_t)vlen);
        i += vlen;
    }
    if (i >= n || i + 1 + p[i] > n) goto out;
    size_t klen = p[i++];
    /* copies, so that a read past either end is caught */
    char *key = klen ? malloc(klen) : NULL;
    if (key) memcpy(key, p + i, klen);
    i += klen;
    size_t vlen = n - i;
    char *value = malloc(vlen ? vlen : 1);
    if (!value || (klen && !key)) {
        free(key);
        free(value);
        goto out;
    }
    memcpy(value, p + i, vlen);
    rpt_raw_message m;
    rpt_buf err = RPT_BUF_INIT;
    rc = rpt_raw_message_decode(key, klen, value, vlen, count ? h : NULL, &m, &err);
    if (rc == 0) rpt_raw_message_clear(&m);
    rpt_buf_clear(&err);
    free(key);
    free(value);
out:
    rd_kafka_headers_destroy(h);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    if ((data[0] & 3) == 2) {
        raw_record(data + 1, size - 1);
        return 0;
    }
    /* the decoders take a value as consumed: bytes that need not be NUL-terminated */
    size_t len = size - 1;
    char *value = malloc(len ? len : 1);
    if (!value) return 0;
    memcpy(value, data + 1, len);
    rpt_buf err = RPT_BUF_INIT;
    if (data[0] & 1) {
        rpt_dlq_record rec;
        if (rpt_dlq_decode(value, len, &rec, &err) == 0) rpt_dlq_record_clear(&rec);
    } else {
        rpt_parsed_message msg;
        if (rpt_parsed_message_decode(value, len, &msg, &err) == 0) rpt_parsed_message_clear(&msg);
    }
    rpt_buf_clear(&err);
    free(value);
    return 0;
}
