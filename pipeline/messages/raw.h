/* The reports.raw message: one fetched document version. Key: doc_id. Value: JSON
 *   {"schema":1,"doc_id","source","url","final_url","parent_url","fetched_at",
 *    "http_status","content_type","charset","etag","last_modified","sha256",
 *    "region","body_base64"}
 * Produced by the fetch role, consumed by the transform role and by replay. */
#ifndef REPORTD_PIPELINE_MESSAGES_RAW_H
#define REPORTD_PIPELINE_MESSAGES_RAW_H

#include <stddef.h>

#include "common/buf.h"

#define RPT_RAW_SCHEMA 1

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

/* Serialises msg as the JSON value above into out. Returns 0 or -1. */
int rpt_raw_message_encode(const rpt_raw_message *msg, rpt_buf *out);
/* Parses a message value. Returns 0 and fills msg (caller frees with rpt_raw_message_clear),
 * or -1 with the reason in err (msg cleared). Unknown fields are ignored; a missing doc_id,
 * url, body or a schema newer than RPT_RAW_SCHEMA is an error. */
int rpt_raw_message_decode(const char *json, size_t len, rpt_raw_message *msg, rpt_buf *err);
void rpt_raw_message_clear(rpt_raw_message *msg);

#endif
