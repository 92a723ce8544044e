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
    for (size_t i = 0; !doc->indicator_strings && i < doc->n_indicators; i++) {
        rd_indicator *x = &doc->indicators[i];
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
    RD_JW_KEY(w, "ord");
    rd_jw_int(w, NULL, s->ord);
    RD_JW_KEY(w, "start");
    rd_jw_int(w, NULL, (long long)s->start);
    RD_JW_KEY(w, "end");
    rd_jw_int(w, NULL, (long long)s->end);
    RD_JW_KEY(w, "marker");
    rd_jw_str(w, NULL, s->marker);
    RD_JW_KEY(w, "depth");
    rd_jw_int(w, NULL, s->depth);
    RD_JW_KEY(w, "title");
    rd_jw_str(w, NULL, s->title);
    RD_JW_KEY(w, "part");
    rd_jw_str(w, NULL, rd_part_name(s->part));
    RD_JW_KEY(w, "path");
    rd_jw_str(w, NULL, s->path);
    RD_JW_KEY(w, "parent");
    if (s->parent >= 0)
        rd_jw_int(w, NULL, s->parent);
    else
        rd_jw_null(w, NULL);
    rd_jw_map_close(w);
}

/* A string of an indicator with its length when the extractor recorded it (0: strlen). */
static void write_sized(rd_jw *w, const char *s, size_t len)
{
    if (len)
        rd_jw_strn(w, NULL, s, len);
    else
        rd_jw_str(w, NULL, s);
}

static void indicator_write(const rd_indicator *x, rd_jw *w)
{
    rd_jw_map_open(w);
    RD_JW_KEY(w, "start");
    rd_jw_int(w, NULL, (long long)x->start);
    RD_JW_KEY(w, "end");
    rd_jw_int(w, NULL, (long long)x->end);
    RD_JW_KEY(w, "raw");
    write_sized(w, x->raw, x->raw_len);
    RD_JW_KEY(w, "value");
    rd_jw_double(w, NULL, x->value);
    RD_JW_KEY(w, "value_high");
    if (x->has_value_high)
        rd_jw_double(w, NULL, x->value_high);
    else
        rd_jw_null(w, NULL);
    RD_JW_KEY(w, "unit");
    if (x->unit)
        write_sized(w, x->unit, x->unit_len);
    else
        rd_jw_str(w, NULL, "");
    RD_JW_KEY(w, "qualifier");
    rd_jw_str(w, NULL, rd_qualifier_name(x->qualifier));
    RD_JW_KEY(w, "metric");
    write_sized(w, x->metric, x->metric_len);
    RD_JW_KEY(w, "kind");
    rd_jw_str(w, NULL, rd_kind_name(x->kind));
    RD_JW_KEY(w, "category");
    rd_jw_str(w, NULL, x->category ? x->category : "other");
    RD_JW_KEY(w, "section");
    if (x->section >= 0)
        rd_jw_int(w, NULL, x->section);
    else
        rd_jw_null(w, NULL);
    RD_JW_KEY(w, "sentence");
    write_sized(w, x->sentence, x->sentence_len);
    rd_jw_map_close(w);
}

int rd_document_write_json(const rd_document *doc, int with_text, rd_buf *out)
{
    rd_jw w;
    rd_jw_init(&w, out);
    rd_jw_map_open(&w);
    RD_JW_KEY(&w, "source");
    rd_jw_str(&w, NULL, doc->source);
    RD_JW_KEY(&w, "doc_id");
    rd_jw_str(&w, NULL, doc->doc_id);
    RD_JW_KEY(&w, "url");
    rd_jw_str(&w, NULL, doc->url);
    RD_JW_KEY(&w, "title");
    rd_jw_str(&w, NULL, doc->title);
    RD_JW_KEY(&w, "published_at");
    rd_jw_str(&w, NULL, doc->published_at);
    RD_JW_KEY(&w, "issuer");
    rd_jw_str(&w, NULL, doc->issuer);
    RD_JW_KEY(&w, "index_no");
    rd_jw_str(&w, NULL, doc->index_no);
    RD_JW_KEY(&w, "doc_no");
    rd_jw_str(&w, NULL, doc->doc_no);
    RD_JW_KEY(&w, "region");
    rd_jw_str(&w, NULL, doc->region);
    RD_JW_KEY(&w, "region_code");
    rd_jw_str(&w, NULL, doc->region_code);
    RD_JW_KEY(&w, "province");
    rd_jw_str(&w, NULL, doc->province);
    RD_JW_KEY(&w, "city");
    rd_jw_str(&w, NULL, doc->city);
    RD_JW_KEY(&w, "year");
    if (doc->year > 0)
        rd_jw_int(&w, NULL, doc->year);
    else
        rd_jw_null(&w, NULL);
    RD_JW_KEY(&w, "format");
    rd_jw_str(&w, NULL, doc->format);
    RD_JW_KEY(&w, "charset");
    rd_jw_str(&w, NULL, doc->charset);
    RD_JW_KEY(&w, "text_chars");
    rd_jw_int(&w, NULL, (long long)doc->text_chars);
    RD_JW_KEY(&w, "replaced_chars");
    rd_jw_int(&w, NULL, doc->replaced_chars);
    RD_JW_KEY(&w, "sections");
    rd_jw_array_open(&w);
    for (size_t i = 0; i < doc->n_sections; i++)
        section_write(&doc->sections[i], &w);
    rd_jw_array_close(&w);
    RD_JW_KEY(&w, "indicators");
    rd_jw_array_open(&w);
    for (size_t i = 0; i < doc->n_indicators; i++)
        indicator_write(&doc->indicators[i], &w);
    rd_jw_array_close(&w);
    if (with_text) {
        RD_JW_KEY(&w, "text");
        rd_jw_strn(&w, NULL, doc->text, doc->text_len);
    }
    rd_jw_map_close(&w);
    return w.oom ? -1 : 0;
}
