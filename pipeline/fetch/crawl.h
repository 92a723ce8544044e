/* The crawl API: what a source kind uses during one pass of its source. The core behind
 * it fetches pages through the shared fetcher, decides which documents are new or changed
 * (fetch_state + conditional GET + SHA-256), produces them to reports.raw and counts
 * everything per source. A pass ends when nothing it queued is outstanding. */
#ifndef REPORTD_PIPELINE_FETCH_CRAWL_H
#define REPORTD_PIPELINE_FETCH_CRAWL_H

#include <stddef.h>

#include "connectors/http/fetcher.h"
#include "pipeline/fetch/sources/source.h"

typedef void (*rpt_page_fn)(rpt_crawl *c, const rpt_http_result *res, void *arg);

/* The source this pass runs, and the [fetch] settings in effect. */
const rpt_source *rpt_crawl_source(const rpt_crawl *c);
const rpt_fetch_settings *rpt_crawl_fetch_settings(const rpt_crawl *c);
long long rpt_crawl_max_pages(const rpt_crawl *c);

/* Fetches a discovery page (listing, feed, sitemap, API page). `fn` runs exactly once with
 * the result; a failed page is counted and logged by the core before `fn` sees it. Each
 * URL is fetched at most once per pass, and at most max_pages pages are fetched per pass
 * (a repeated URL or one past the limit returns 1 and fn never runs).
 * Returns 0, 1, or -1 on ENOMEM. */
int rpt_crawl_fetch_page(rpt_crawl *c, const char *url, rpt_page_fn fn, void *arg);
/* Same, for a page that may not exist (the page after the last of a pattern): a 404 or
 * 410 is not counted as a failure. */
int rpt_crawl_probe_page(rpt_crawl *c, const char *url, rpt_page_fn fn, void *arg);

/* Offers a document URL (absolute). It is canonicalised, checked against include/exclude
 * (unless parent_url is set: attachments follow their article), de-duplicated within the
 * pass, then fetched conditionally and produced when new or changed. `lastmod` (sitemap,
 * API date) lets an unchanged document be skipped without a request. Returns 0, 1 when
 * skipped (filtered or duplicate), -1 on error. */
int rpt_crawl_add_document(rpt_crawl *c, const char *url, const char *parent_url,
                          const char *lastmod);

/* Offers a local file (dir sources): `id` is its file:// URL. The body is hashed and
 * produced when new or changed. Returns 0, 1 when unchanged, -1 on error. */
int rpt_crawl_add_file(rpt_crawl *c, const char *id, const char *content_type,
                      const unsigned char *data, size_t len);

/* Records a failure found by the kind itself (unreadable file, bad API page...). */
void rpt_crawl_fail(rpt_crawl *c, const char *url, const char *reason);
/* Counts a discovery page read without the fetcher (dir listing). */
void rpt_crawl_count_page(rpt_crawl *c);

#endif
