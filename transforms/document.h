/* The parsed document: what the transform stage derives from one fetched document's bytes.
 * Decoding (transforms/decode*) fills the text and metadata; segmentation fills sections;
 * indicator extraction fills indicators. rpt_document_to_json() writes the contract of
 * DESIGN.md ("reportd extract" output, and the body of reports.parsed messages). */
#ifndef REPORTD_TRANSFORMS_DOCUMENT_H
#define REPORTD_TRANSFORMS_DOCUMENT_H

#include <stddef.h>
#include <yajl/yajl_gen.h>

typedef enum { RPT_PART_REVIEW = 0, RPT_PART_PROBLEMS, RPT_PART_PLAN } rpt_part;

typedef struct rpt_section {
    int ord;          /* 0-based order in the document */
    size_t start;     /* code-point offset of the marker */
    size_t end;       /* code-point offset where the section's body ends (next heading) */
    size_t title_end; /* code-point offset just past the title */
    char *marker;     /* as written: "一、", "（一）", "1." */
    int depth;        /* 1-based */
    char *title;
    rpt_part part;
    char *path;   /* ancestors' markers+titles joined with " > " */
    int parent;   /* ord of the parent section, -1 at depth 1 */
} rpt_section;

typedef enum {
    RPT_QUAL_NONE = 0,
    RPT_QUAL_OVER,
    RPT_QUAL_UNDER,
    RPT_QUAL_ABOUT,
    RPT_QUAL_AT_LEAST
} rpt_qualifier;

typedef enum { RPT_KIND_ACTUAL = 0, RPT_KIND_TARGET } rpt_kind;

typedef struct rpt_indicator {
    size_t start, end; /* code-point offsets; raw = text[start:end] */
    char *raw;
    double value;
    int has_value_high;
    double value_high;
    char *unit;
    rpt_qualifier qualifier;
    char *metric;
    rpt_kind kind;
    const char *category; /* static string from the category list */
    const char *metric_key; /* static key of the metric catalog (rules/metric_keys.h), or NULL */
    int period_year;        /* the year the number refers to, 0 when unknown */
    int section;          /* ord of the enclosing section, -1 when before the first heading */
    char *sentence;       /* the sentence the number stands in */
    /* byte lengths of raw, unit, metric and sentence when the extractor set them; 0 means
     * "use strlen" (which gives the same for an empty string) */
    size_t raw_len, unit_len, metric_len, sentence_len;
    /* 1 + the byte offset of raw in sentence where the extractor found the number; 0 when
     * unknown (the metric key pass then looks for raw in the sentence) */
    size_t raw_at;
    /* 1 + the byte offsets in the document's text of sentence (a window of at most some
     * characters each side of the number) and of the start of the whole sentence it is cut
     * from, when the extractor took it from there; 0 when unknown */
    size_t sentence_at, sentence_from;
} rpt_indicator;

typedef struct rpt_document {
    /* identity */
    char *source; /* path or URL as given */
    char *doc_id;
    char *url;    /* canonical URL when known */
    /* metadata */
    char *title;
    char *published_at; /* ISO 8601 with offset */
    char *issuer;
    char *index_no;
    char *doc_no;
    char *region;
    char *region_code;
    char *province;
    char *city;
    int year; /* the year the report reviews, 0 when unknown */
    int plan_year;        /* the year its plan part is for, 0 when it has none */
    const char *level;    /* static: "national" | "province" | "city" | "county", or NULL */
    const char *doc_type; /* static: "work_summary", "government_work_report", ..., or NULL */
    char *charset;
    char *format; /* "html" | "docx" | "text" | "pdf" | "doc" */
    int ocr;               /* some of the text was recognised from page images */
    double ocr_confidence; /* mean Tesseract confidence (0-100) of the OCR'd pages, when ocr */
    /* text, UTF-8, normalised */
    char *text;
    size_t text_len;   /* bytes */
    size_t text_chars; /* code points */
    long replaced_chars;
    /* derived */
    rpt_section *sections;
    size_t n_sections;
    rpt_indicator *indicators;
    size_t n_indicators;
    /* internal: the code point index of text, built by segmentation and reused by indicator
     * extraction; released with index_free by rpt_document_clear() */
    void *index;
    void (*index_free)(void *index);
    /* when set: one block holding every indicator's raw, metric and sentence (their
     * pointers point into it, unit points to a static name), freed as a whole by
     * rpt_document_clear(); when NULL each of those strings is its own allocation */
    char *indicator_strings;
} rpt_document;

const char *rpt_part_name(rpt_part p);
const char *rpt_qualifier_name(rpt_qualifier q); /* NULL for RPT_QUAL_NONE */
const char *rpt_kind_name(rpt_kind k);

/* Frees everything the document holds (not the struct itself) and zeroes it. */
void rpt_document_clear(rpt_document *doc);

/* Writes the document as one JSON object (keys of the DESIGN.md contract plus metadata).
 * With with_text the normalised text is included as "text". */
void rpt_document_to_json(const rpt_document *doc, int with_text, yajl_gen g);

/* The same JSON object, byte for byte, appended to out without yajl (faster; for output
 * paths that write many documents). Returns 0, or -1 when out of memory. */
struct rpt_buf;
int rpt_document_write_json(const rpt_document *doc, int with_text, struct rpt_buf *out);

#endif
