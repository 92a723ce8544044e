/* The reports.raw message: one fetched document version, Kafka-native (schema 2).
 *   key      doc_id
 *   value    the fetched bytes as they came (no encoding, no envelope)
 *   headers  schema ("2"), source, url, final_url, parent_url, fetched_at (RFC 3339 UTC),
 *            http_status, content_type, charset, etag, last_modified, sha256 (hex of the
 *            value), region; a header is absent when its field is unknown.
 * Readable with `kcat -C -t reports.raw -f '%k %h\n'`, and consumable by other tools.
 *
 * The previous format (schema 1: a JSON value with the body in base64, no headers) is still
 * decoded, so a topic written by an older version replays. Produced by the fetch role,
 * consumed by the transform role and by replay. */
#ifndef REPORTD_PIPELINE_MESSAGES_RAW_H
#define REPORTD_PIPELINE_MESSAGES_RAW_H

#include <librdkafka/rdkafka.h>
#include <stddef.h>

#include "common/buf.h"

#define RPT_RAW_SCHEMA 2      /* what this build produces */
#define RPT_RAW_SCHEMA_JSON 1 /* the JSON value of earlier versions, still decoded */
#define RPT_RAW_HEADER_SCHEMA "schema"

typedef struct rpt_raw_message {
    int schema;
    char *doc_id;
    char *source;     /* name of the configured source */
    char *url;        /* canonical URL the document was discovered at */
    char *final_url;  /* after redirects */
    char *parent_url; /* article page an attachment was linked from, or NULL */
    char *fetched_at; /* RFC 3339, UTC */
    int http_status;  /* 0 for local files */
    char *content_type;
    char *charset;    /* charset from the Content-Type header, or NULL */
    char *etag;
    char *last_modified;
    char *sha256;     /* hex SHA-256 of body */
    char *region;     /* region declared by the source config, or NULL */
    unsigned char *body;
    size_t body_len;
} rpt_raw_message;

/* The headers of msg (schema RPT_RAW_SCHEMA); the value is msg->body and the key
 * msg->doc_id. Header values are the fields' bytes as they are (a validator with a non-UTF-8
 * byte is carried, not refused). Returns a list the caller owns (rd_kafka_producev's
 * RD_KAFKA_V_HEADERS takes it over on success), or NULL on ENOMEM. */
rd_kafka_headers_t *rpt_raw_message_headers(const rpt_raw_message *msg);

/* Bytes msg takes on the topic before compression: key, value and headers (with their
 * names), as the record format counts them give or take a few bytes of varints. */
size_t rpt_raw_message_size(const rpt_raw_message *msg);

/* Decodes one reports.raw record: schema 2 when the headers carry a schema header, else the
 * JSON value of schema 1. Header strings are made valid UTF-8 (invalid bytes become U+FFFD,
 * NUL bytes are dropped), so no header byte can make a message undecodable or reach
 * PostgreSQL as invalid text. doc_id comes from the key (schema 2). Returns 0 and fills msg
 * (the caller clears it with rpt_raw_message_clear), or -1 with the reason in err (msg
 * cleared): no key or url, a schema newer than RPT_RAW_SCHEMA, a schema 1 value that is not
 * valid JSON or base64. headers may be NULL. */
int rpt_raw_message_decode(const void *key, size_t key_len, const void *value, size_t len,
                           const rd_kafka_headers_t *headers, rpt_raw_message *msg, rpt_buf *err);

/* The schema 1 value of msg (JSON, body in base64), appended to out: what earlier versions
 * produced. Kept for replay-compatibility tests and the before/after benchmark. Returns 0
 * or -1. */
int rpt_raw_message_encode_json(const rpt_raw_message *msg, rpt_buf *out);

void rpt_raw_message_clear(rpt_raw_message *msg);

#endif
