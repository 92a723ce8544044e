#include "pipeline/fetch/sources/markup.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "common/metrics.h"

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void quiet_errors(void)
{
    xmlSetGenericErrorFunc(NULL, silent);
}

/* libxml2's name of a charset from a Content-Type value, or NULL. */
static char *charset_of(const char *ctype)
{
    if (!ctype) return NULL;
    const char *p = strcasestr(ctype, "charset=");
    if (!p) return NULL;
    p += 8;
    if (*p == '"' || *p == '\'') p++;
    size_t n = strcspn(p, "\"'; \t");
    return n ? strndup(p, n) : NULL;
}

xmlDocPtr rpt_html_parse(const unsigned char *body, size_t len, const char *url,
                        const char *content_type)
{
    quiet_errors();
    if (len > 0x7fffffff) return NULL;
    char *enc = charset_of(content_type);
    xmlDocPtr d = htmlReadMemory((const char *)body, (int)len, url, enc,
                                 HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                     HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
    if (!d && enc) /* an unknown charset name: let the parser detect it */
        d = htmlReadMemory((const char *)body, (int)len, url, NULL,
                           HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                               HTML_PARSE_NONET);
    free(enc);
    return d;
}

/* True when the prolog of body has a DOCTYPE with an internal subset ("[...]"), found
 * without parsing (quoted system/public ids skipped). */
static int has_internal_subset(const unsigned char *body, size_t len)
{
    const unsigned char *p = memmem(body, len, "<!DOCTYPE", 9);
    if (!p) return 0;
    const unsigned char *end = body + len;
    unsigned char quote = 0;
    for (p += 9; p < end; p++) {
        if (quote) {
            if (*p == quote) quote = 0;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (*p == '[') {
            return 1;
        } else if (*p == '>') {
            return 0;
        }
    }
    return 0;
}

/* Counts, logs and explains a refused internal subset. */
static xmlDocPtr refuse_subset(const char *url, const char **why)
{
    rpt_metrics_inc("reportd_fetch_xml_refused_total", "reason=\"internal_dtd\"");
    rpt_log_warn("fetch", "XML with a DTD internal subset refused", "url=%s", url ? url : "");
    if (why) *why = "XML declares a DTD internal subset (entity expansion refused)";
    return NULL;
}

xmlDocPtr rpt_xml_parse(const unsigned char *body, size_t len, const char *url, const char **why)
{
    static const char *const not_xml = "not well-formed XML";
    quiet_errors();
    if (why) *why = not_xml;
    if (len > 0x7fffffff) return NULL;
    if (has_internal_subset(body, len)) return refuse_subset(url, why);
    xmlDocPtr d = xmlReadMemory((const char *)body, (int)len, url, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                    XML_PARSE_NOCDATA);
    /* Entities declared in an internal subset are expanded on every content read
     * (xmlNodeGetContent): nested ones over a large leaf are a billion-laughs bomb. No feed
     * or sitemap needs them: such a document is refused whole. */
    if (d && d->intSubset && d->intSubset->children) { /* e.g. behind an encoding */
        xmlFreeDoc(d);
        return refuse_subset(url, why);
    }
    return d;
}

static char *node_value(xmlNodePtr n)
{
    if (n->type == XML_ELEMENT_NODE) {
        xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
        if (href) {
            char *s = strdup((const char *)href);
            xmlFree(href);
            return s;
        }
    }
    xmlChar *t = xmlNodeGetContent(n);
    if (!t) return NULL;
    char *s = strdup((const char *)t);
    xmlFree(t);
    return s;
}

int rpt_xpath_each(xmlDocPtr doc, xmlNodePtr ctx, const char *expr, rpt_xpath_fn fn, void *arg)
{
    quiet_errors();
    xmlXPathContextPtr x = xmlXPathNewContext(doc);
    if (!x) return -1;
    if (ctx) x->node = ctx;
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, x);
    int n = -1;
    if (o) {
        n = 0;
        if (o->type == XPATH_NODESET && o->nodesetval) {
            int nr = o->nodesetval->nodeNr;
            if (nr > RPT_MARKUP_MAX_NODES) {
                rpt_metrics_inc("reportd_fetch_page_limited_total", "limit=\"links\"");
                rpt_log_warn("fetch", "page over the link limit: the rest ignored",
                             "url=%s nodes=%d limit=%d expr=\"%s\"",
                             doc && doc->URL ? (const char *)doc->URL : "", nr,
                             RPT_MARKUP_MAX_NODES, expr);
                nr = RPT_MARKUP_MAX_NODES;
            }
            for (int i = 0; i < nr; i++) {
                xmlNodePtr node = o->nodesetval->nodeTab[i];
                char *v = node_value(node);
                if (v) {
                    fn(v, node, arg);
                    n++;
                }
                free(v);
            }
        } else if (o->type == XPATH_STRING && o->stringval) {
            fn((const char *)o->stringval, NULL, arg);
            n = 1;
        }
        xmlXPathFreeObject(o);
    }
    xmlXPathFreeContext(x);
    return n;
}

static void take_first(const char *value, xmlNodePtr node, void *arg)
{
    (void)node;
    char **out = arg;
    if (!*out) *out = strdup(value);
}

char *rpt_xpath_first(xmlDocPtr doc, xmlNodePtr ctx, const char *expr)
{
    char *out = NULL;
    rpt_xpath_each(doc, ctx, expr, take_first, &out);
    return out;
}

int rpt_xpath_check(const char *expr, rpt_buf *err)
{
    quiet_errors();
    xmlXPathCompExprPtr c = xmlXPathCompile((const xmlChar *)expr);
    if (!c) {
        rpt_buf_printf(err, "invalid XPath expression \"%s\"", expr);
        return -1;
    }
    xmlXPathFreeCompExpr(c);
    return 0;
}

xmlDocPtr rpt_xml_page(rpt_crawl *c, const rpt_http_result *r, const char *what)
{
    if (r->error != RPT_FETCH_OK || r->status == 304) return NULL;
    const char *why = NULL;
    xmlDocPtr doc =
        rpt_xml_parse((const unsigned char *)r->body->data, r->body->len, r->final_url, &why);
    if (!doc) {
        char reason[160];
        snprintf(reason, sizeof reason, "%s: %s", what, why ? why : "not XML");
        rpt_crawl_fail(c, r->url, reason);
    }
    return doc;
}
