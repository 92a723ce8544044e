/* feed: an RSS 2.0 or Atom feed; each item's link is a document, its date the change hint. */
#include <libxml/tree.h>
#include <stdlib.h>

#include "connectors/sources/crawl.h"
#include "connectors/sources/markup.h"
#include "connectors/url.h"

typedef struct feed_settings {
    rd_source_common common;
} feed_settings;

static const rd_opt feed_opts[] = {RD_OPT_END};

typedef struct item_ctx {
    rd_crawl *c;
    xmlDocPtr doc;
    const char *base;
} item_ctx;

static void on_item(const char *value, xmlNodePtr node, void *arg)
{
    (void)value;
    item_ctx *it = arg;
    if (!node) return;
    char *link = rd_xpath_first(it->doc, node,
                                "*[local-name()='link'][not(@rel) or "
                                "@rel='alternate']");
    char *date = rd_xpath_first(it->doc, node,
                                "*[local-name()='pubDate' or "
                                "local-name()='updated' or "
                                "local-name()='published'][1]");
    char *url = link ? rd_url_resolve(it->base, link) : NULL;
    if (url) rd_crawl_add_document(it->c, url, NULL, date);
    free(url);
    free(link);
    free(date);
}

static void on_feed(rd_crawl *c, const rd_http_result *r, void *arg)
{
    (void)arg;
    if (r->error != RD_FETCH_OK || r->status == 304) return;
    xmlDocPtr doc = rd_xml_parse((const unsigned char *)r->body->data, r->body->len, r->final_url);
    if (!doc) {
        rd_crawl_fail(c, r->url, "feed is not well-formed XML");
        return;
    }
    item_ctx it = {.c = c, .doc = doc, .base = r->final_url};
    int n =
        rd_xpath_each(doc, NULL, "//*[local-name()='item' or local-name()='entry']", on_item, &it);
    if (n <= 0 && !xmlDocGetRootElement(doc)) rd_crawl_fail(c, r->url, "feed has no items");
    xmlFreeDoc(doc);
}

static int start(rd_crawl *c)
{
    return rd_crawl_fetch_page(c, rd_source_common_of(rd_crawl_source(c))->url, on_feed, NULL) < 0
               ? -1
               : 0;
}

const rd_source_kind rd_source_feed = {
    .name = "feed",
    .doc = "an RSS 2.0 or Atom feed",
    .opts = feed_opts,
    .settings_size = sizeof(feed_settings),
    .needs_url = 1,
    .start = start,
};
