/* html_index: a portal's listing page (栏目页). Follows pagination (a "next" XPath or a
 * TRS-style page_pattern such as index_{n}.html) up to max_pages, selects article links
 * (a "links" XPath, include/exclude patterns, or link text that looks like a report), and
 * on each article page also queues the attachments it links to. */
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pipeline/fetch/crawl.h"
#include "pipeline/fetch/sources/markup.h"
#include "connectors/http/url.h"

typedef struct html_index_settings {
    rpt_source_common common;
    char *links;
    char *next;
    char *page_pattern;
    int attachments;
    rpt_kvlist keywords;
} html_index_settings;

static const rpt_opt html_index_opts[] = {
    {"links", RPT_OPT_STRING, NULL, 0, 0, offsetof(html_index_settings, links), 0,
     "XPath selecting article links (//ul[@class='list']//a/@href)"},
    {"next", RPT_OPT_STRING, NULL, 0, 0, offsetof(html_index_settings, next), 0,
     "XPath of the next listing page's link"},
    {"page_pattern", RPT_OPT_STRING, NULL, 0, 0, offsetof(html_index_settings, page_pattern), 0,
     "listing pages after the first, relative to url, {n} = 1, 2, ... (index_{n}.html)"},
    {"attachments", RPT_OPT_BOOL, "true", 0, 0, offsetof(html_index_settings, attachments), 0,
     "also fetch .docx/.doc/.pdf/.wps files linked from article pages"},
    {"keywords", RPT_OPT_STRLIST, "总结,计划,报告,要点", 0, 0,
     offsetof(html_index_settings, keywords), 0,
     "link texts that look like a report (used when neither links nor include is set)"},
    RPT_OPT_END};

static const char *const attachment_ext[] = {".docx", ".doc", ".pdf", ".wps", NULL};

static int validate(const void *settings, const char **key, rpt_buf *reason)
{
    const html_index_settings *s = settings;
    if (s->links && rpt_xpath_check(s->links, reason)) {
        *key = "links";
        return -1;
    }
    if (s->next && rpt_xpath_check(s->next, reason)) {
        *key = "next";
        return -1;
    }
    if (s->page_pattern && !strstr(s->page_pattern, "{n}")) {
        *key = "page_pattern";
        rpt_buf_puts(reason, "must contain {n}");
        return -1;
    }
    if (s->next && s->page_pattern) {
        *key = "page_pattern";
        rpt_buf_puts(reason, "use either next or page_pattern, not both");
        return -1;
    }
    return 0;
}

typedef struct link_ctx {
    rpt_crawl *c;
    const char *base;
    const html_index_settings *s;
    int by_text;
} link_ctx;

static int looks_like_report(const html_index_settings *s, xmlNodePtr a)
{
    xmlChar *text = xmlNodeGetContent(a);
    xmlChar *title = xmlGetProp(a, (const xmlChar *)"title");
    int hit = 0;
    for (size_t i = 0; i < s->keywords.n && !hit; i++)
        hit = (text && strstr((const char *)text, s->keywords.vals[i])) ||
              (title && strstr((const char *)title, s->keywords.vals[i]));
    xmlFree(text);
    xmlFree(title);
    return hit;
}

static void on_link(const char *value, xmlNodePtr node, void *arg)
{
    link_ctx *l = arg;
    if (l->by_text && node && !looks_like_report(l->s, node)) return;
    char *url = rpt_url_resolve(l->base, value);
    if (url) rpt_crawl_add_document(l->c, url, NULL, NULL);
    free(url);
}

/* Text of the pattern with {n} replaced. Caller frees. */
static char *expand(const char *pattern, long n)
{
    const char *p = strstr(pattern, "{n}");
    size_t len = strlen(pattern) + 24;
    char *out = malloc(len);
    if (out) snprintf(out, len, "%.*s%ld%s", (int)(p - pattern), pattern, n, p + 3);
    return out;
}

static void on_listing(rpt_crawl *c, const rpt_http_result *r, void *arg);

static void follow(rpt_crawl *c, const html_index_settings *s, xmlDocPtr doc, const char *base,
                   long page)
{
    if (page >= rpt_crawl_max_pages(c)) return;
    if (s->next && doc) {
        char *href = rpt_xpath_first(doc, NULL, s->next);
        char *url = href ? rpt_url_resolve(base, href) : NULL;
        if (url) rpt_crawl_fetch_page(c, url, on_listing, (void *)(intptr_t)(page + 1));
        free(url);
        free(href);
    } else if (s->page_pattern) {
        char *rel = expand(s->page_pattern, page);
        char *url = rel ? rpt_url_resolve(s->common.url, rel) : NULL;
        if (url) rpt_crawl_probe_page(c, url, on_listing, (void *)(intptr_t)(page + 1));
        free(url);
        free(rel);
    }
}

static void on_listing(rpt_crawl *c, const rpt_http_result *r, void *arg)
{
    long page = (long)(intptr_t)arg;
    const html_index_settings *s = rpt_crawl_source(c)->settings;
    if (r->error != RPT_FETCH_OK || r->status == 304) return;
    xmlDocPtr doc = rpt_html_parse((const unsigned char *)r->body->data, r->body->len, r->final_url,
                                  r->content_type);
    if (!doc) {
        rpt_crawl_fail(c, r->url, "listing page is not parseable HTML");
        return;
    }
    link_ctx l = {.c = c, .base = r->final_url, .s = s};
    int found;
    if (s->links) {
        found = rpt_xpath_each(doc, NULL, s->links, on_link, &l);
    } else {
        l.by_text = s->common.include.n == 0;
        found = rpt_xpath_each(doc, NULL, "//a[@href]", on_link, &l);
    }
    if (found > 0) follow(c, s, doc, r->final_url, page);
    xmlFreeDoc(doc);
}

static int start(rpt_crawl *c)
{
    const html_index_settings *s = rpt_crawl_source(c)->settings;
    return rpt_crawl_fetch_page(c, s->common.url, on_listing, (void *)(intptr_t)1) < 0 ? -1 : 0;
}

static int is_attachment(const char *url)
{
    size_t n = strcspn(url, "?#");
    for (size_t i = 0; attachment_ext[i]; i++) {
        size_t e = strlen(attachment_ext[i]);
        if (n > e && !strncasecmp(url + n - e, attachment_ext[i], e)) return 1;
    }
    return 0;
}

typedef struct attach_ctx {
    rpt_crawl *c;
    const char *page;
} attach_ctx;

static void on_attachment(const char *value, xmlNodePtr node, void *arg)
{
    (void)node;
    attach_ctx *a = arg;
    char *url = rpt_url_resolve(a->page, value);
    if (url && is_attachment(url)) rpt_crawl_add_document(a->c, url, a->page, NULL);
    free(url);
}

static void on_document(rpt_crawl *c, const char *url, const char *content_type,
                        const unsigned char *body, size_t len)
{
    const html_index_settings *s = rpt_crawl_source(c)->settings;
    if (!s->attachments || is_attachment(url)) return;
    if (content_type && !strcasestr(content_type, "html")) return;
    xmlDocPtr doc = rpt_html_parse(body, len, url, content_type);
    if (!doc) return;
    attach_ctx a = {.c = c, .page = url};
    rpt_xpath_each(doc, NULL, "//a/@href", on_attachment, &a);
    xmlFreeDoc(doc);
}

const rpt_source_kind rpt_source_html_index = {
    .name = "html_index",
    .doc = "a portal listing page with pagination, article links and attachments",
    .opts = html_index_opts,
    .settings_size = sizeof(html_index_settings),
    .needs_url = 1,
    .validate = validate,
    .start = start,
    .on_document = on_document,
};
