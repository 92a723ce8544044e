#include "transforms/document.h"

#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "transforms/json_writer.h"

const char *rd_part_name(rd_part p)
{
    switch (p) {
    case RD_PART_PROBLEMS:
        return "problems";
    case RD_PART_PLAN:
        return "plan";
    default:
        return "review";
    }
}

const char *rd_qualifier_name(rd_qualifier q)
{
    switch (q) {
    case RD_QUAL_OVER:
        return "over";
    case RD_QUAL_UNDER:
        return "under";
    case RD_QUAL_ABOUT:
        return "about";
    case RD_QUAL_AT_LEAST:
        return "at_least";
    default:
        return NULL;
    }
}

const char *rd_kind_name(rd_kind k)
{
    return k == RD_KIND_TARGET ? "target" : "actual";
}

void rd_document_clear(rd_document *doc)
{
    for (size_t i = 0; i < doc->n_sections; i++) {
        rd_section *s = &doc->sections[i];
        free(s->marker);
        free(s->title);
        free(s->path);
    }
    free(doc->sections);
    for (size_t i = 0; i < doc->n_indicators; i++) {
        rd_indicator *x = &doc->indicators[i];
        free(x->raw);
        free(x->unit);
        free(x->metric);
        free(x->sentence);
    }
    free(doc->indicators);
    if (doc->index && doc->index_free) doc->index_free(doc->index);
    char **strs[] = {&doc->source,       &doc->doc_id,      &doc->url,      &doc->title,
                     &doc->published_at, &doc->issuer,      &doc->index_no, &doc->doc_no,
                     &doc->region,       &doc->region_code, &doc->province, &doc->city,
                     &doc->charset,      &doc->format,      &doc->text};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        free(*strs[i]);
    memset(doc, 0, sizeof *doc);
}

static void section_to_json(const rd_section *s, yajl_gen g)
{
    yajl_gen_map_open(g);
    rd_jg_int(g, "ord", s->ord);
    rd_jg_int(g, "start", (long long)s->start);
    rd_jg_int(g, "end", (long long)s->end);
    rd_jg_str(g, "marker", s->marker);
    rd_jg_int(g, "depth", s->depth);
    rd_jg_str(g, "title", s->title);
    rd_jg_str(g, "part", rd_part_name(s->part));
    rd_jg_str(g, "path", s->path);
    if (s->parent >= 0)
        rd_jg_int(g, "parent", s->parent);
    else
        rd_jg_null(g, "parent");
    yajl_gen_map_close(g);
}

static void indicator_to_json(const rd_indicator *x, yajl_gen g)
{
    yajl_gen_map_open(g);
    rd_jg_int(g, "start", (long long)x->start);
    rd_jg_int(g, "end", (long long)x->end);
    rd_jg_str(g, "raw", x->raw);
    rd_jg_double(g, "value", x->value);
    if (x->has_value_high)
        rd_jg_double(g, "value_high", x->value_high);
    else
        rd_jg_null(g, "value_high");
    rd_jg_str(g, "unit", x->unit ? x->unit : "");
    rd_jg_str(g, "qualifier", rd_qualifier_name(x->qualifier));
    rd_jg_str(g, "metric", x->metric);
    rd_jg_str(g, "kind", rd_kind_name(x->kind));
    rd_jg_str(g, "category", x->category ? x->category : "other");
    if (x->section >= 0)
        rd_jg_int(g, "section", x->section);
    else
        rd_jg_null(g, "section");
    rd_jg_str(g, "sentence", x->sentence);
    yajl_gen_map_close(g);
}

void rd_document_to_json(const rd_document *doc, int with_text, yajl_gen g)
{
    yajl_gen_map_open(g);
    rd_jg_str(g, "source", doc->source);
    rd_jg_str(g, "doc_id", doc->doc_id);
    rd_jg_str(g, "url", doc->url);
    rd_jg_str(g, "title", doc->title);
    rd_jg_str(g, "published_at", doc->published_at);
    rd_jg_str(g, "issuer", doc->issuer);
    rd_jg_str(g, "index_no", doc->index_no);
    rd_jg_str(g, "doc_no", doc->doc_no);
    rd_jg_str(g, "region", doc->region);
    rd_jg_str(g, "region_code", doc->region_code);
    rd_jg_str(g, "province", doc->province);
    rd_jg_str(g, "city", doc->city);
    if (doc->year > 0)
        rd_jg_int(g, "year", doc->year);
    else
        rd_jg_null(g, "year");
    rd_jg_str(g, "format", doc->format);
    rd_jg_str(g, "charset", doc->charset);
    rd_jg_int(g, "text_chars", (long long)doc->text_chars);
    rd_jg_int(g, "replaced_chars", doc->replaced_chars);
    rd_jg_key(g, "sections");
    yajl_gen_array_open(g);
    for (size_t i = 0; i < doc->n_sections; i++)
        section_to_json(&doc->sections[i], g);
    yajl_gen_array_close(g);
    rd_jg_key(g, "indicators");
    yajl_gen_array_open(g);
    for (size_t i = 0; i < doc->n_indicators; i++)
        indicator_to_json(&doc->indicators[i], g);
    yajl_gen_array_close(g);
    if (with_text) rd_jg_strn(g, "text", doc->text, doc->text_len);
    yajl_gen_map_close(g);
}

static void section_write(const rd_section *s, rd_jw *w)
{
    rd_jw_map_open(w);
    rd_jw_int(w, "ord", s->ord);
    rd_jw_int(w, "start", (long long)s->start);
    rd_jw_int(w, "end", (long long)s->end);
    rd_jw_str(w, "marker", s->marker);
    rd_jw_int(w, "depth", s->depth);
    rd_jw_str(w, "title", s->title);
    rd_jw_str(w, "part", rd_part_name(s->part));
    rd_jw_str(w, "path", s->path);
    if (s->parent >= 0)
        rd_jw_int(w, "parent", s->parent);
    else
        rd_jw_null(w, "parent");
    rd_jw_map_close(w);
}

static void indicator_write(const rd_indicator *x, rd_jw *w)
{
    rd_jw_map_open(w);
    rd_jw_int(w, "start", (long long)x->start);
    rd_jw_int(w, "end", (long long)x->end);
    rd_jw_str(w, "raw", x->raw);
    rd_jw_double(w, "value", x->value);
    if (x->has_value_high)
        rd_jw_double(w, "value_high", x->value_high);
    else
        rd_jw_null(w, "value_high");
    rd_jw_str(w, "unit", x->unit ? x->unit : "");
    rd_jw_str(w, "qualifier", rd_qualifier_name(x->qualifier));
    rd_jw_str(w, "metric", x->metric);
    rd_jw_str(w, "kind", rd_kind_name(x->kind));
    rd_jw_str(w, "category", x->category ? x->category : "other");
    if (x->section >= 0)
        rd_jw_int(w, "section", x->section);
    else
        rd_jw_null(w, "section");
    rd_jw_str(w, "sentence", x->sentence);
    rd_jw_map_close(w);
}

int rd_document_write_json(const rd_document *doc, int with_text, rd_buf *out)
{
    rd_jw w;
    rd_jw_init(&w, out);
    rd_jw_map_open(&w);
    rd_jw_str(&w, "source", doc->source);
    rd_jw_str(&w, "doc_id", doc->doc_id);
    rd_jw_str(&w, "url", doc->url);
    rd_jw_str(&w, "title", doc->title);
    rd_jw_str(&w, "published_at", doc->published_at);
    rd_jw_str(&w, "issuer", doc->issuer);
    rd_jw_str(&w, "index_no", doc->index_no);
    rd_jw_str(&w, "doc_no", doc->doc_no);
    rd_jw_str(&w, "region", doc->region);
    rd_jw_str(&w, "region_code", doc->region_code);
    rd_jw_str(&w, "province", doc->province);
    rd_jw_str(&w, "city", doc->city);
    if (doc->year > 0)
        rd_jw_int(&w, "year", doc->year);
    else
        rd_jw_null(&w, "year");
    rd_jw_str(&w, "format", doc->format);
    rd_jw_str(&w, "charset", doc->charset);
    rd_jw_int(&w, "text_chars", (long long)doc->text_chars);
    rd_jw_int(&w, "replaced_chars", doc->replaced_chars);
    rd_jw_key(&w, "sections");
    rd_jw_array_open(&w);
    for (size_t i = 0; i < doc->n_sections; i++)
        section_write(&doc->sections[i], &w);
    rd_jw_array_close(&w);
    rd_jw_key(&w, "indicators");
    rd_jw_array_open(&w);
    for (size_t i = 0; i < doc->n_indicators; i++)
        indicator_write(&doc->indicators[i], &w);
    rd_jw_array_close(&w);
    if (with_text) rd_jw_strn(&w, "text", doc->text, doc->text_len);
    rd_jw_map_close(&w);
    return w.oom ? -1 : 0;
}
