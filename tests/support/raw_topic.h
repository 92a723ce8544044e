/* reports.raw as the tests see it: a consumer, the number of messages produced, decoding a
 * consumed record, and producing a document in the current (headers) or the previous (JSON)
 * format. */
#ifndef REPORTD_TESTS_SUPPORT_RAW_TOPIC_H
#define REPORTD_TESTS_SUPPORT_RAW_TOPIC_H

#include <librdkafka/rdkafka.h>
#include <string.h>

#include "pipeline/messages/raw.h"
#include "test.h"

static inline rd_kafka_t *consumer(void)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", t_env("REPORTD_TEST_BROKER"), errstr,
                      sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", "t-fetch-pass", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof errstr);
    return rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
}

/* Messages in reports.raw (sum of high watermarks; the topic starts empty). */
static inline long raw_count(rd_kafka_t *rk)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *t = rd_kafka_topic_new(rk, "reports.raw", NULL);
    long total = -1;
    if (rd_kafka_metadata(rk, 0, t, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR &&
        md->topic_cnt == 1) {
        total = 0;
        for (int p = 0; p < md->topics[0].partition_cnt; p++) {
            int64_t lo = 0, hi = 0;
            if (rd_kafka_query_watermark_offsets(rk, "reports.raw", p, &lo, &hi, 10000)) {
                total = -1;
                break;
            }
            total += (long)hi;
        }
    }
    if (md) rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(t);
    return total;
}

/* Decodes a consumed reports.raw record (key, value and headers) as the transform does. */
static inline int raw_decode(const rd_kafka_message_t *m, rpt_raw_message *raw, rpt_buf *err)
{
    rd_kafka_headers_t *h = NULL;
    if (rd_kafka_message_headers(m, &h) != RD_KAFKA_RESP_ERR_NO_ERROR) h = NULL;
    return rpt_raw_message_decode(m->key, m->key_len, m->payload, m->len, h, raw, err);
}

/* Queues msg to reports.raw: as the fetch role produces it (value = body, metadata in
 * headers), or with json set as earlier versions did (schema 1 JSON value, no headers).
 * Returns 0 or -1; the caller flushes. */
static inline int raw_produce(rd_kafka_t *p, const rpt_raw_message *msg, int json)
{
    rd_kafka_resp_err_t e;
    for (;;) {
        if (json) {
            rpt_buf v = RPT_BUF_INIT;
            if (rpt_raw_message_encode_json(msg, &v)) return -1;
            e = rd_kafka_producev(p, RD_KAFKA_V_TOPIC("reports.raw"),
                                  RD_KAFKA_V_KEY(msg->doc_id, strlen(msg->doc_id)),
                                  RD_KAFKA_V_VALUE(v.data, v.len),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            rpt_buf_clear(&v);
        } else {
            rd_kafka_headers_t *h = rpt_raw_message_headers(msg);
            if (!h) return -1;
            e = rd_kafka_producev(p, RD_KAFKA_V_TOPIC("reports.raw"),
                                  RD_KAFKA_V_KEY(msg->doc_id, strlen(msg->doc_id)),
                                  RD_KAFKA_V_VALUE(msg->body, msg->body_len),
                                  RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                  RD_KAFKA_V_END);
            if (e) rd_kafka_headers_destroy(h);
        }
        if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) return e ? -1 : 0;
        rd_kafka_poll(p, 100);
    }
}

#endif
