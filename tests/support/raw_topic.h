/* reports.raw as the tests see it: a consumer and the number of messages produced. */
#ifndef REPORTD_TESTS_CONNECTORS_RAW_TOPIC_H
#define REPORTD_TESTS_CONNECTORS_RAW_TOPIC_H

#include <librdkafka/rdkafka.h>

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

#endif
