#include "pipeline/fetch/sources/markup.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

xmlDocPtr rpt_xml_parse(const unsigned char *body, size_t len, const char *url)
{
    quiet_errors();
    if (len > 0x7fffffff) return NULL;
    return xmlReadMemory((const char *)body, (int)len, url, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                             XML_PARSE_NOCDATA);
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
            for (int i = 0; i < o->nodesetval->nodeNr; i++) {
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
