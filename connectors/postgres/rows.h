/* The rows of one document as the sink writes them: the document, its sections and its
 * indicators. The load stage fills them by decoding a reports.parsed message
 * (pipeline/messages/parsed.h); the sink only reads them. */
#ifndef REPORTD_CONNECTORS_POSTGRES_ROWS_H
#define REPORTD_CONNECTORS_POSTGRES_ROWS_H

#include <stddef.h>

/* One section of a decoded message; strings point into the message's arena. */
typedef struct rpt_parsed_section {
    long long ord, start, end, depth, parent; /* end, parent: -1 when null */
    const char *marker, *title, *part, *path;
} rpt_parsed_section;

/* One indicator of a decoded message; strings point into the message's arena. */
typedef struct rpt_parsed_indicator {
    long long start, end, section; /* section: -1 when null */
    double value, value_high;
    int has_value_high;
    const char *raw, *unit, *qualifier, *metric, *kind, *category, *sentence;
    const char *metric_key; /* NULL when the number has no catalog key */
    int period_year;        /* 0 when unknown */
} rpt_parsed_indicator;

/* A decoded and validated message. Strings point into `arena`, which the struct owns. */
typedef struct rpt_parsed_message {
    char *arena;
    int schema;
    int transform_version;
    const char *doc_id;
    const char *source_name, *url, *title, *issuer, *index_no, *doc_no;
    const char *region, *region_code, *province, *city;
    const char *published_at, *fetched_at, *sha256, *format, *charset;
    int year;             /* the reviewed year, 0 when unknown */
    int plan_year;        /* 0 when the report has no plan part */
    const char *level, *doc_type;
    long long text_chars; /* -1 when unknown */
    rpt_parsed_section *sections;
    size_t n_sections;
    rpt_parsed_indicator *indicators;
    size_t n_indicators;
    const char *raw_topic;
    int raw_partition;
    long long raw_offset; /* -1 when unknown */
    int ocr;                /* text recognised from page images (scanned PDF) */
    int has_ocr_confidence; /* ocr_confidence was given */
    double ocr_confidence;  /* mean OCR confidence, 0-100 */
} rpt_parsed_message;

/* Frees the arena and arrays of m and zeroes it. */
void rpt_parsed_message_clear(rpt_parsed_message *msg);

#endif
