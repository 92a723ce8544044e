/* sitemap: sitemap.xml and sitemap indexes; <lastmod> tells which documents changed. */
#include <libxml/tree.h>
#include <stdlib.h>

#include "connectors/sources/crawl.h"
#include "connectors/sources/markup.h"
#include "connectors/url.h"

typedef struct sitemap_settings {
    rd_source_common common;
} sitemap_settings;

static const rd_opt sitemap_opts[] = {RD_OPT_END};

typedef struct loc_ctx {
    rd_crawl *c;
    xmlDocPtr doc;
    const char *base;
    int index;
} loc_ctx;

static void on_sitemap(rd_crawl *c, const rd_http_result *r, void *arg);

static void on_entry(const char *value, xmlNodePtr node, void *arg)
{
    (void)value;
    loc_ctx *l = arg;
    if (!node) return;
    char *loc = rd_xpath_first(l->doc, node, "*[local-name()='loc']");
    char *lastmod = rd_xpath_first(l->doc, node, "*[local-name()='lastmod']");
    char *url = loc ? rd_url_resolve(l->base, loc) : NULL;
    if (url && l->index) {
        rd_crawl_fetch_page(l->c, url, on_sitemap, NULL);
    } else if (url) {
        rd_crawl_add_document(l->c, url, NULL, lastmod);
    }
    free(url);
    free(loc);
    free(lastmod);
}

static void on_sitemap(rd_crawl *c, const rd_http_result *r, void *arg)
{
    (void)arg;
    if (r->error != RD_FETCH_OK || r->status == 304) return;
    xmlDocPtr doc = rd_xml_parse((const unsigned char *)r->body->data, r->body->len, r->final_url);
    if (!doc) {
        rd_crawl_fail(c, r->url, "sitemap is not well-formed XML");
        return;
    }
    loc_ctx l = {.c = c, .doc = doc, .base = r->final_url, .index = 1};
    rd_xpath_each(doc, NULL, "/*[local-name()='sitemapindex']/*[local-name()='sitemap']", on_entry,
                  &l);
    l.index = 0;
    rd_xpath_each(doc, NULL, "/*[local-name()='urlset']/*[local-name()='url']", on_entry, &l);
    xmlFreeDoc(doc);
}

static int start(rd_crawl *c)
{
    const char *url = rd_source_common_of(rd_crawl_source(c))->url;
    return rd_crawl_fetch_page(c, url, on_sitemap, NULL) < 0 ? -1 : 0;
}

const rd_source_kind rd_source_sitemap = {
    .name = "sitemap",
    .doc = "a sitemap.xml or sitemap index",
    .opts = sitemap_opts,
    .settings_size = sizeof(sitemap_settings),
    .needs_url = 1,
    .start = start,
};
