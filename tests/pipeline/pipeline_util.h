/* Helpers shared by the pipeline tests: configs pointing at the harness's services,
 * synthetic documents, producing to the dev-broker, running a stage on a thread, and
 * checksums of the warehouse tables. */
#ifndef REPORTD_TESTS_PIPELINE_UTIL_H
#define REPORTD_TESTS_PIPELINE_UTIL_H

#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>

#include "common/buf.h"
#include "pipeline/messages/raw.h"
#include "pipeline/stage.h"

/* Writes a config for the harness's broker and `conninfo` into a scratch file; returns its
 * path (caller frees). extra_load: e.g. "\"batch_size\": 50" (may be NULL). */
char *tp_write_config(const char *name, const char *conninfo, const char *extra_load);
/* The same with members of the "transform" section, e.g. "\"heavy_workers\": 1". */
char *tp_write_config_with(const char *name, const char *conninfo, const char *extra_load,
                           const char *extra_transform);

/* Applies the migrations of the source tree to conninfo. Returns 0 or -1. */
int tp_migrate(const char *conninfo);

/* The parsed message of synthetic document `i` (doc_id "doc-<i>") at transform `version`;
 * `variant` changes the title and indicator values so that versions can be told apart. */
void tp_parsed_doc(int i, int version, int variant, rpt_buf *out);

/* A raw message of body (taken over: freed by rpt_raw_message_clear) fetched from url, as the
 * fetch role would produce it for the synthetic source "nanyue-edu". */
void tp_raw_message(const char *url, char *body, size_t len, const char *content_type,
                    rpt_raw_message *out);

/* The raw message of synthetic document `i`: a text report built from a seed file. The
 * caller clears it with rpt_raw_message_clear; produce it with raw_produce
 * (support/raw_topic.h). */
void tp_raw_doc(int i, int variant, rpt_raw_message *out);

/* Produces value under key to topic and waits for the acknowledgement. */
rd_kafka_t *tp_producer(void);
int tp_produce(rd_kafka_t *p, const char *topic, const char *key, const void *value, size_t len);
int tp_flush(rd_kafka_t *p);

/* Sum of high watermarks of topic. */
long long tp_topic_end(const char *topic);

/* A stage running on a thread with its own config holder. */
typedef struct tp_stage {
    pthread_t thread;
    rpt_role_ctl ctl;
    int (*fn)(rpt_role_ctl *);
    int rc;
    int running;
} tp_stage;

int tp_stage_start(tp_stage *s, const char *config_path, int (*fn)(rpt_role_ctl *));
int tp_stage_stop(tp_stage *s); /* sets stop, joins, returns the role's rc */

/* Waits until sum(next_offset) of group over topic reaches `want` (or timeout_s). */
int tp_wait_offsets(PGconn *c, const char *group, const char *topic, long long want, int timeout_s);

/* One-row query result as text (caller frees), or NULL. */
char *tp_query1(PGconn *c, const char *sql);
long long tp_query_ll(PGconn *c, const char *sql);

/* Counts and md5 of every loaded column (loaded_at excepted) of documents, sections and
 * indicators (caller frees). */
char *tp_tables_checksum(PGconn *c);

void tp_sleep_ms(long ms);

#endif
