/* HTML and XML parsing for the source kinds (libxml2): safe parser options (no network, no
 * entity expansion), errors silenced, and XPath results as strings. */
#ifndef REPORTD_PIPELINE_FETCH_SOURCES_MARKUP_H
#define REPORTD_PIPELINE_FETCH_SOURCES_MARKUP_H

#include <libxml/tree.h>
#include <stddef.h>

#include "common/buf.h"
#include "pipeline/fetch/crawl.h"

/* Parses an HTML page; `content_type` may name the charset (else <meta> or UTF-8). The
 * caller frees the document with xmlFreeDoc. NULL when nothing could be parsed. */
xmlDocPtr rpt_html_parse(const unsigned char *body, size_t len, const char *url,
                        const char *content_type);
/* Parses an XML document (feeds, sitemaps). NULL when it is not well-formed XML, or when it
 * declares a DTD internal subset (entities: refused, logged and counted); *why (may be
 * NULL) then says which, as a static string. */
xmlDocPtr rpt_xml_parse(const unsigned char *body, size_t len, const char *url, const char **why);

/* The XML document of a fetched feed or sitemap page (caller frees with xmlFreeDoc), or NULL:
 * when the fetch failed or the page was not modified (nothing to do), or when the body is
 * not acceptable XML (rpt_xml_parse), which records the page as failed ("<what>: why"). */
xmlDocPtr rpt_xml_page(rpt_crawl *c, const rpt_http_result *r, const char *what);

/* Calls fn for each node selected by `expr` (evaluated relative to `ctx`, or the document
 * when ctx is NULL) with its value: an attribute's value, an element's href attribute when
 * it has one, else its text. Returns the number of nodes, or -1 for an invalid expression. */
typedef void (*rpt_xpath_fn)(const char *value, xmlNodePtr node, void *arg);
/* At most this many nodes of one expression are visited (links of a listing page, sitemap
 * entries, feed items, attachments of an article); past it the rest are ignored, logged
 * and counted (reportd_fetch_page_limited_total{limit="links"}). */
#define RPT_MARKUP_MAX_NODES 10000
int rpt_xpath_each(xmlDocPtr doc, xmlNodePtr ctx, const char *expr, rpt_xpath_fn fn, void *arg);
/* Text value of the first node selected relative to ctx, or NULL. Caller frees. */
char *rpt_xpath_first(xmlDocPtr doc, xmlNodePtr ctx, const char *expr);
/* Checks that `expr` compiles. Returns 0 or -1 with a reason in err. */
int rpt_xpath_check(const char *expr, rpt_buf *err);

#endif
