/* The dev-portal's pages, rendered as a TRS-style county portal renders them: listing
 * pages index.html, index_1.html... (newest first), article pages, RSS 2.0, sitemap.xml
 * and a JSON list API. `base` is "http://127.0.0.1:PORT". */
#ifndef REPORTD_DEVTOOLS_DEV_PORTAL_PAGES_H
#define REPORTD_DEVTOOLS_DEV_PORTAL_PAGES_H

#include "common/buf.h"
#include "devtools/dev_portal/catalog.h"

/* Listing page `page` (0 = index.html). Returns 0, or -1 when the page does not exist. */
int rpt_portal_listing(const rpt_portal_catalog *cat, size_t page, size_t per_page, rpt_buf *out);
/* Article page of a .txt article (UTF-8 HTML; the server converts GBK pages). */
int rpt_portal_article_page(const rpt_portal_article *a, const char *text, size_t len, int gbk,
                           rpt_buf *out);
void rpt_portal_rss(const rpt_portal_catalog *cat, const char *base, rpt_buf *out);
void rpt_portal_sitemap(const rpt_portal_catalog *cat, const char *base, rpt_buf *out);
void rpt_portal_sitemap_index(const char *base, rpt_buf *out);
/* {"code":0,"data":{"total":N,"page":P,"list":[{"url","title","date"}]}}; pages from 1. */
void rpt_portal_api_list(const rpt_portal_catalog *cat, size_t page, size_t per_page, rpt_buf *out);
/* URL path of an article page. */
void rpt_portal_article_href(const rpt_portal_article *a, rpt_buf *out);

#endif
