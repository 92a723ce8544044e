/* feed: an RSS 2.0 or Atom feed; each item's link is a document, its date the change hint. */
#include <libxml/tree.h>
#include <stdlib.h>

#include "pipeline/fetch/crawl.h"
#include "pipeline/fetch/sources/markup.h"
#include "connectors/http/url.h"

typedef struct feed_settings {
    rpt_source_common common;
} feed_settings;

static const rpt_opt feed_opts[] = {RPT_OPT_END};

typedef struct item_ctx {
    rpt_crawl *c;
    xmlDocPtr doc;
    const char *base;
} item_ctx;

static void on_item(const char *value, xmlNodePtr node, void *arg)
{
    (void)value;
    item_ctx *it = arg;
    if (!node) return;
    char *link = rpt_xpath_first(it->doc, node,
                                "*[local-name()='link'][not(@rel) or "
                                "@rel='alternate']");
    char *date = rpt_xpath_first(it->doc, node,
                                "*[local-name()='pubDate' or "
                                "local-name()='updated' or "
                                "local-name()='published'][1]");
    char *url = link ? rpt_url_resolve(it->base, link) : NULL;
    if (url) rpt_crawl_add_document(it->c, url, NULL, date);
    free(url);
    free(link);
    free(date);
}

static void on_feed(rpt_crawl *c, const rpt_http_result *r, void *arg)
{
    (void)arg;
    xmlDocPtr doc = rpt_xml_page(c, r, "feed");
    if (!doc) return;
    item_ctx it = {.c = c, .doc = doc, .base = r->final_url};
    int n =
        rpt_xpath_each(doc, NULL, "//*[local-name()='item' or local-name()='entry']", on_item, &it);
    if (n <= 0 && !xmlDocGetRootElement(doc)) rpt_crawl_fail(c, r->url, "feed has no items");
    xmlFreeDoc(doc);
}

static int start(rpt_crawl *c)
{
    return rpt_crawl_fetch_page(c, rpt_source_common_of(rpt_crawl_source(c))->url, on_feed, NULL) < 0
               ? -1
               : 0;
}

const rpt_source_kind rpt_source_feed = {
    .name = "feed",
    .doc = "an RSS 2.0 or Atom feed",
    .opts = feed_opts,
    .settings_size = sizeof(feed_settings),
    .needs_url = 1,
    .start = start,
};
