#include "transforms/document.h"

#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "transforms/json_writer.h"

const char *rpt_part_name(rpt_part p)
{
    switch (p) {
    case RPT_PART_PROBLEMS:
        return "problems";
    case RPT_PART_PLAN:
        return "plan";
    default:
        return "review";
    }
}

const char *rpt_qualifier_name(rpt_qualifier q)
{
    switch (q) {
    case RPT_QUAL_OVER:
        return "over";
    case RPT_QUAL_UNDER:
        return "under";
    case RPT_QUAL_ABOUT:
        return "about";
    case RPT_QUAL_AT_LEAST:
        return "at_least";
    default:
        return NULL;
    }
}

const char *rpt_kind_name(rpt_kind k)
{
    return k == RPT_KIND_TARGET ? "target" : "actual";
}

void rpt_document_clear(rpt_document *doc)
{
    for (size_t i = 0; i < doc->n_sections; i++) {
        rpt_section *s = &doc->sections[i];
        free(s->marker);
        free(s->title);
        free(s->path);
    }
    free(doc->sections);
    for (size_t i = 0; !doc->indicator_strings && i < doc->n_indicators; i++) {
        rpt_indicator *x = &doc->indicators[i];
        free(x->raw);
        free(x->unit);
        free(x->metric);
        free(x->sentence);
    }
    free(doc->indicators);
    free(doc->indicator_strings);
    if (doc->index && doc->index_free) doc->index_free(doc->index);
    char **strs[] = {&doc->source,       &doc->doc_id,      &doc->url,      &doc->title,
                     &doc->published_at, &doc->issuer,      &doc->index_no, &doc->doc_no,
                     &doc->region,       &doc->region_code, &doc->province, &doc->city,
                     &doc->charset,      &doc->format,      &doc->text};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        free(*strs[i]);
    memset(doc, 0, sizeof *doc);
}

static void section_to_json(const rpt_section *s, yajl_gen g)
{
    yajl_gen_map_open(g);
    rpt_jg_int(g, "ord", s->ord);
    rpt_jg_int(g, "start", (long long)s->start);
    rpt_jg_int(g, "end", (long long)s->end);
    rpt_jg_str(g, "marker", s->marker);
    rpt_jg_int(g, "depth", s->depth);
    rpt_jg_str(g, "title", s->title);
    rpt_jg_str(g, "part", rpt_part_name(s->part));
    rpt_jg_str(g, "path", s->path);
    if (s->parent >= 0)
        rpt_jg_int(g, "parent", s->parent);
    else
        rpt_jg_null(g, "parent");
    yajl_gen_map_close(g);
}

static void indicator_to_json(const rpt_indicator *x, yajl_gen g)
{
    yajl_gen_map_open(g);
    rpt_jg_int(g, "start", (long long)x->start);
    rpt_jg_int(g, "end", (long long)x->end);
    rpt_jg_str(g, "raw", x->raw);
    rpt_jg_double(g, "value", x->value);
    if (x->has_value_high)
        rpt_jg_double(g, "value_high", x->value_high);
    else
        rpt_jg_null(g, "value_high");
    rpt_jg_str(g, "unit", x->unit ? x->unit : "");
    rpt_jg_str(g, "qualifier", rpt_qualifier_name(x->qualifier));
    rpt_jg_str(g, "metric", x->metric);
    rpt_jg_str(g, "metric_key", x->metric_key);
    if (x->period_year > 0)
        rpt_jg_int(g, "period_year", x->period_year);
    else
        rpt_jg_null(g, "period_year");
    rpt_jg_str(g, "kind", rpt_kind_name(x->kind));
    rpt_jg_str(g, "category", x->category ? x->category : "other");
    if (x->section >= 0)
        rpt_jg_int(g, "section", x->section);
    else
        rpt_jg_null(g, "section");
    rpt_jg_str(g, "sentence", x->sentence);
    yajl_gen_map_close(g);
}

void rpt_document_to_json(const rpt_document *doc, int with_text, yajl_gen g)
{
    yajl_gen_map_open(g);
    rpt_jg_str(g, "source", doc->source);
    rpt_jg_str(g, "doc_id", doc->doc_id);
    rpt_jg_str(g, "url", doc->url);
    rpt_jg_str(g, "title", doc->title);
    rpt_jg_str(g, "published_at", doc->published_at);
    rpt_jg_str(g, "issuer", doc->issuer);
    rpt_jg_str(g, "index_no", doc->index_no);
    rpt_jg_str(g, "doc_no", doc->doc_no);
    rpt_jg_str(g, "region", doc->region);
    rpt_jg_str(g, "region_code", doc->region_code);
    rpt_jg_str(g, "province", doc->province);
    rpt_jg_str(g, "city", doc->city);
    rpt_jg_str(g, "level", doc->level);
    if (doc->year > 0)
        rpt_jg_int(g, "year", doc->year);
    else
        rpt_jg_null(g, "year");
    if (doc->plan_year > 0)
        rpt_jg_int(g, "plan_year", doc->plan_year);
    else
        rpt_jg_null(g, "plan_year");
    rpt_jg_str(g, "doc_type", doc->doc_type);
    rpt_jg_str(g, "format", doc->format);
    rpt_jg_str(g, "charset", doc->charset);
    rpt_jg_int(g, "text_chars", (long long)doc->text_chars);
    rpt_jg_int(g, "replaced_chars", doc->replaced_chars);
    rpt_jg_key(g, "sections");
    yajl_gen_array_open(g);
    for (size_t i = 0; i < doc->n_sections; i++)
        section_to_json(&doc->sections[i], g);
    yajl_gen_array_close(g);
    rpt_jg_key(g, "indicators");
    yajl_gen_array_open(g);
    for (size_t i = 0; i < doc->n_indicators; i++)
        indicator_to_json(&doc->indicators[i], g);
    yajl_gen_array_close(g);
    if (with_text) rpt_jg_strn(g, "text", doc->text, doc->text_len);
    rpt_jg_bool(g, "ocr", doc->ocr);
    if (doc->ocr)
        rpt_jg_double(g, "ocr_confidence", doc->ocr_confidence);
    else
        rpt_jg_null(g, "ocr_confidence");
    yajl_gen_map_close(g);
}

static void section_write(const rpt_section *s, rpt_jw *w)
{
    rpt_jw_map_open(w);
    RPT_JW_KEY(w, "ord");
    rpt_jw_int(w, NULL, s->ord);
    RPT_JW_KEY(w, "start");
    rpt_jw_int(w, NULL, (long long)s->start);
    RPT_JW_KEY(w, "end");
    rpt_jw_int(w, NULL, (long long)s->end);
    RPT_JW_KEY(w, "marker");
    rpt_jw_str(w, NULL, s->marker);
    RPT_JW_KEY(w, "depth");
    rpt_jw_int(w, NULL, s->depth);
    RPT_JW_KEY(w, "title");
    rpt_jw_str(w, NULL, s->title);
    RPT_JW_KEY(w, "part");
    rpt_jw_str(w, NULL, rpt_part_name(s->part));
    RPT_JW_KEY(w, "path");
    rpt_jw_str(w, NULL, s->path);
    RPT_JW_KEY(w, "parent");
    if (s->parent >= 0)
        rpt_jw_int(w, NULL, s->parent);
    else
        rpt_jw_null(w, NULL);
    rpt_jw_map_close(w);
}

/* A string of an indicator with its length when the extractor recorded it (0: strlen). */
static void write_sized(rpt_jw *w, const char *s, size_t len)
{
    if (len)
        rpt_jw_strn(w, NULL, s, len);
    else
        rpt_jw_str(w, NULL, s);
}

static void indicator_write(const rpt_indicator *x, rpt_jw *w)
{
    rpt_jw_map_open(w);
    RPT_JW_KEY(w, "start");
    rpt_jw_int(w, NULL, (long long)x->start);
    RPT_JW_KEY(w, "end");
    rpt_jw_int(w, NULL, (long long)x->end);
    RPT_JW_KEY(w, "raw");
    write_sized(w, x->raw, x->raw_len);
    RPT_JW_KEY(w, "value");
    rpt_jw_double(w, NULL, x->value);
    RPT_JW_KEY(w, "value_high");
    if (x->has_value_high)
        rpt_jw_double(w, NULL, x->value_high);
    else
        rpt_jw_null(w, NULL);
    RPT_JW_KEY(w, "unit");
    if (x->unit)
        write_sized(w, x->unit, x->unit_len);
    else
        rpt_jw_str(w, NULL, "");
    RPT_JW_KEY(w, "qualifier");
    rpt_jw_str(w, NULL, rpt_qualifier_name(x->qualifier));
    RPT_JW_KEY(w, "metric");
    write_sized(w, x->metric, x->metric_len);
    RPT_JW_KEY(w, "metric_key");
    rpt_jw_str(w, NULL, x->metric_key);
    RPT_JW_KEY(w, "period_year");
    if (x->period_year > 0)
        rpt_jw_int(w, NULL, x->period_year);
    else
        rpt_jw_null(w, NULL);
    RPT_JW_KEY(w, "kind");
    rpt_jw_str(w, NULL, rpt_kind_name(x->kind));
    RPT_JW_KEY(w, "category");
    rpt_jw_str(w, NULL, x->category ? x->category : "other");
    RPT_JW_KEY(w, "section");
    if (x->section >= 0)
        rpt_jw_int(w, NULL, x->section);
    else
        rpt_jw_null(w, NULL);
    RPT_JW_KEY(w, "sentence");
    write_sized(w, x->sentence, x->sentence_len);
    rpt_jw_map_close(w);
}

int rpt_document_write_json(const rpt_document *doc, int with_text, rpt_buf *out)
{
    rpt_jw w;
    rpt_jw_init(&w, out);
    rpt_jw_map_open(&w);
    RPT_JW_KEY(&w, "source");
    rpt_jw_str(&w, NULL, doc->source);
    RPT_JW_KEY(&w, "doc_id");
    rpt_jw_str(&w, NULL, doc->doc_id);
    RPT_JW_KEY(&w, "url");
    rpt_jw_str(&w, NULL, doc->url);
    RPT_JW_KEY(&w, "title");
    rpt_jw_str(&w, NULL, doc->title);
    RPT_JW_KEY(&w, "published_at");
    rpt_jw_str(&w, NULL, doc->published_at);
    RPT_JW_KEY(&w, "issuer");
    rpt_jw_str(&w, NULL, doc->issuer);
    RPT_JW_KEY(&w, "index_no");
    rpt_jw_str(&w, NULL, doc->index_no);
    RPT_JW_KEY(&w, "doc_no");
    rpt_jw_str(&w, NULL, doc->doc_no);
    RPT_JW_KEY(&w, "region");
    rpt_jw_str(&w, NULL, doc->region);
    RPT_JW_KEY(&w, "region_code");
    rpt_jw_str(&w, NULL, doc->region_code);
    RPT_JW_KEY(&w, "province");
    rpt_jw_str(&w, NULL, doc->province);
    RPT_JW_KEY(&w, "city");
    rpt_jw_str(&w, NULL, doc->city);
    RPT_JW_KEY(&w, "level");
    rpt_jw_str(&w, NULL, doc->level);
    RPT_JW_KEY(&w, "year");
    if (doc->year > 0)
        rpt_jw_int(&w, NULL, doc->year);
    else
        rpt_jw_null(&w, NULL);
    RPT_JW_KEY(&w, "plan_year");
    if (doc->plan_year > 0)
        rpt_jw_int(&w, NULL, doc->plan_year);
    else
        rpt_jw_null(&w, NULL);
    RPT_JW_KEY(&w, "doc_type");
    rpt_jw_str(&w, NULL, doc->doc_type);
    RPT_JW_KEY(&w, "format");
    rpt_jw_str(&w, NULL, doc->format);
    RPT_JW_KEY(&w, "charset");
    rpt_jw_str(&w, NULL, doc->charset);
    RPT_JW_KEY(&w, "text_chars");
    rpt_jw_int(&w, NULL, (long long)doc->text_chars);
    RPT_JW_KEY(&w, "replaced_chars");
    rpt_jw_int(&w, NULL, doc->replaced_chars);
    RPT_JW_KEY(&w, "sections");
    rpt_jw_array_open(&w);
    for (size_t i = 0; i < doc->n_sections; i++)
        section_write(&doc->sections[i], &w);
    rpt_jw_array_close(&w);
    RPT_JW_KEY(&w, "indicators");
    rpt_jw_array_open(&w);
    for (size_t i = 0; i < doc->n_indicators; i++)
        indicator_write(&doc->indicators[i], &w);
    rpt_jw_array_close(&w);
    if (with_text) {
        RPT_JW_KEY(&w, "text");
        rpt_jw_strn(&w, NULL, doc->text, doc->text_len);
    }
    RPT_JW_KEY(&w, "ocr");
    rpt_jw_bool(&w, NULL, doc->ocr);
    RPT_JW_KEY(&w, "ocr_confidence");
    if (doc->ocr)
        rpt_jw_double(&w, NULL, doc->ocr_confidence);
    else
        rpt_jw_null(&w, NULL);
    rpt_jw_map_close(&w);
    return w.oom ? -1 : 0;
}
