/* libFuzzer target: the decoders of the messages the consuming stages read from Kafka —
 * reports.parsed (the load stage) and reports.dlq (the load stage's rejects). The first byte
 * picks the decoder; the rest is the message value. A decoder must accept or refuse with a
 * reason, never crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/messages/dlq.h"
#include "pipeline/messages/parsed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
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
    rpt_buf_free(&err);
    free(value);
    return 0;
}
