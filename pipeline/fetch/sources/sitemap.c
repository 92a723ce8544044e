/* sitemap: sitemap.xml and sitemap indexes; <lastmod> tells which documents changed. */
#include <libxml/tree.h>
#include <stdlib.h>

#include "pipeline/fetch/crawl.h"
#include "pipeline/fetch/sources/markup.h"
#include "connectors/http/url.h"

typedef struct sitemap_settings {
    rpt_source_common common;
} sitemap_settings;

static const rpt_opt sitemap_opts[] = {RPT_OPT_END};

typedef struct loc_ctx {
    rpt_crawl *c;
    xmlDocPtr doc;
    const char *base;
    int index;
} loc_ctx;

static void on_sitemap(rpt_crawl *c, const rpt_http_result *r, void *arg);

static void on_entry(const char *value, xmlNodePtr node, void *arg)
{
    (void)value;
    loc_ctx *l = arg;
    if (!node) return;
    char *loc = rpt_xpath_first(l->doc, node, "*[local-name()='loc']");
    char *lastmod = rpt_xpath_first(l->doc, node, "*[local-name()='lastmod']");
    char *url = loc ? rpt_url_resolve(l->base, loc) : NULL;
    if (url && l->index) {
        rpt_crawl_fetch_page(l->c, url, on_sitemap, NULL);
    } else if (url) {
        rpt_crawl_add_document(l->c, url, NULL, lastmod);
    }
    free(url);
    free(loc);
    free(lastmod);
}

static void on_sitemap(rpt_crawl *c, const rpt_http_result *r, void *arg)
{
    (void)arg;
    xmlDocPtr doc = rpt_xml_page(c, r, "sitemap");
    if (!doc) return;
    loc_ctx l = {.c = c, .doc = doc, .base = r->final_url, .index = 1};
    rpt_xpath_each(doc, NULL, "/*[local-name()='sitemapindex']/*[local-name()='sitemap']", on_entry,
                  &l);
    l.index = 0;
    rpt_xpath_each(doc, NULL, "/*[local-name()='urlset']/*[local-name()='url']", on_entry, &l);
    xmlFreeDoc(doc);
}

static int start(rpt_crawl *c)
{
    const char *url = rpt_source_common_of(rpt_crawl_source(c))->url;
    return rpt_crawl_fetch_page(c, url, on_sitemap, NULL) < 0 ? -1 : 0;
}

const rpt_source_kind rpt_source_sitemap = {
    .name = "sitemap",
    .doc = "a sitemap.xml or sitemap index",
    .opts = sitemap_opts,
    .settings_size = sizeof(sitemap_settings),
    .needs_url = 1,
    .start = start,
};
