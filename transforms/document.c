#include "transforms/document.h"

#include <stdlib.h>
#include <string.h>

#include "common/json.h"

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
    char **strs[] = {&doc->source,   &doc->doc_id,  &doc->url,         &doc->title,
                     &doc->published_at, &doc->issuer, &doc->index_no, &doc->doc_no,
                     &doc->region,   &doc->region_code, &doc->province, &doc->city,
                     &doc->charset,  &doc->format,  &doc->text};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) free(*strs[i]);
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
    if (s->parent >= 0) rd_jg_int(g, "parent", s->parent);
    else rd_jg_null(g, "parent");
    yajl_gen_map_close(g);
}

static void indicator_to_json(const rd_indicator *x, yajl_gen g)
{
    yajl_gen_map_open(g);
    rd_jg_int(g, "start", (long long)x->start);
    rd_jg_int(g, "end", (long long)x->end);
    rd_jg_str(g, "raw", x->raw);
    rd_jg_double(g, "value", x->value);
    if (x->has_value_high) rd_jg_double(g, "value_high", x->value_high);
    else rd_jg_null(g, "value_high");
    rd_jg_str(g, "unit", x->unit ? x->unit : "");
    rd_jg_str(g, "qualifier", rd_qualifier_name(x->qualifier));
    rd_jg_str(g, "metric", x->metric);
    rd_jg_str(g, "kind", rd_kind_name(x->kind));
    rd_jg_str(g, "category", x->category ? x->category : "other");
    if (x->section >= 0) rd_jg_int(g, "section", x->section);
    else rd_jg_null(g, "section");
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
    if (doc->year > 0) rd_jg_int(g, "year", doc->year);
    else rd_jg_null(g, "year");
    rd_jg_str(g, "format", doc->format);
    rd_jg_str(g, "charset", doc->charset);
    rd_jg_int(g, "text_chars", (long long)doc->text_chars);
    rd_jg_int(g, "replaced_chars", doc->replaced_chars);
    rd_jg_key(g, "sections");
    yajl_gen_array_open(g);
    for (size_t i = 0; i < doc->n_sections; i++) section_to_json(&doc->sections[i], g);
    yajl_gen_array_close(g);
    rd_jg_key(g, "indicators");
    yajl_gen_array_open(g);
    for (size_t i = 0; i < doc->n_indicators; i++) indicator_to_json(&doc->indicators[i], g);
    yajl_gen_array_close(g);
    if (with_text) rd_jg_strn(g, "text", doc->text, doc->text_len);
    yajl_gen_map_close(g);
}
