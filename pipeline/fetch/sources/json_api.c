/* json_api: a paginated JSON list endpoint. The URL holds {page}; `items` is the dotted
 * path to the array of items, `item_url` (and optionally item_title / item_date) dotted
 * paths inside each item. Pages are read in order until one has no items or max_pages. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/log.h"
#include "common/metrics.h"
#include "pipeline/fetch/sources/markup.h"
#include "pipeline/fetch/crawl.h"
#include "connectors/http/url.h"

typedef struct json_api_settings {
    rpt_source_common common;
    char *items;
    char *item_url;
    char *item_title;
    char *item_date;
    long long first_page;
} json_api_settings;

static const rpt_opt json_api_opts[] = {
    {"items", RPT_OPT_STRING, NULL, 0, 0, offsetof(json_api_settings, items), RPT_OPT_REQUIRED,
     "dotted path to the array of items (data.list)"},
    {"item_url", RPT_OPT_STRING, NULL, 0, 0, offsetof(json_api_settings, item_url), RPT_OPT_REQUIRED,
     "dotted path of the document URL inside an item"},
    {"item_title", RPT_OPT_STRING, NULL, 0, 0, offsetof(json_api_settings, item_title), 0,
     "dotted path of the title inside an item (logged)"},
    {"item_date", RPT_OPT_STRING, NULL, 0, 0, offsetof(json_api_settings, item_date), 0,
     "dotted path of the publish/update date (an unchanged date skips the document)"},
    {"first_page", RPT_OPT_INT, "1", 0, 1000000, offsetof(json_api_settings, first_page), 0,
     "number of the first page"},
    RPT_OPT_END};

static int validate(const void *settings, const char **key, rpt_buf *reason)
{
    const json_api_settings *s = settings;
    if (!*s->items) {
        *key = "items";
        rpt_buf_puts(reason, "must not be empty");
        return -1;
    }
    if (!*s->item_url) {
        *key = "item_url";
        rpt_buf_puts(reason, "must not be empty");
        return -1;
    }
    return 0;
}

/* The API URL for page n ({page} replaced everywhere). Caller frees. */
static char *page_url(const char *tmpl, long long n)
{
    rpt_buf b = RPT_BUF_INIT;
    for (const char *p = tmpl; *p;) {
        if (!strncmp(p, "{page}", 6)) {
            rpt_buf_printf(&b, "%lld", n);
            p += 6;
        } else {
            rpt_buf_putc(&b, *p++);
        }
    }
    return rpt_buf_steal(&b);
}

static const char *scalar(const rpt_jnode *n)
{
    return n && (n->type == RPT_JSTRING || n->type == RPT_JNUMBER) ? n->str : NULL;
}

/* A JSON page is parsed into a tree several times its size: larger pages are refused. */
#define MAX_PAGE_BYTES (8u << 20)

static void on_api_page(rpt_crawl *c, const rpt_http_result *r, void *arg)
{
    long long page = (long long)(intptr_t)arg;
    const json_api_settings *s = rpt_crawl_source(c)->settings;
    if (r->error != RPT_FETCH_OK || r->status == 304) return;
    if (r->body->len > MAX_PAGE_BYTES) {
        char why[160];
        snprintf(why, sizeof why, "API page of %zu bytes is over the %u-byte limit", r->body->len,
                 MAX_PAGE_BYTES);
        rpt_metrics_inc("reportd_fetch_page_limited_total", "limit=\"json_bytes\"");
        rpt_crawl_fail(c, r->url, why);
        return;
    }
    rpt_buf err = RPT_BUF_INIT;
    rpt_jnode *root = rpt_json_parse(r->body->data ? r->body->data : "", r->body->len, &err);
    if (!root) {
        rpt_buf why = RPT_BUF_INIT;
        rpt_buf_printf(&why, "API page is not JSON: %s", err.data ? err.data : "");
        rpt_crawl_fail(c, r->url, why.data);
        rpt_buf_clear(&why);
        rpt_buf_clear(&err);
        return;
    }
    const rpt_jnode *items = rpt_json_path(root, s->items);
    if (!items || items->type != RPT_JARRAY) {
        if (items || page == s->first_page) {
            char why[256];
            snprintf(why, sizeof why, "API page has no array at \"%s\"", s->items);
            rpt_crawl_fail(c, r->url, why);
        }
        goto out;
    }
    size_t n_items = items->n;
    if (n_items > RPT_MARKUP_MAX_NODES) {
        rpt_metrics_inc("reportd_fetch_page_limited_total", "limit=\"links\"");
        rpt_log_warn("fetch", "API page over the item limit: the rest ignored",
                     "url=%s items=%zu limit=%d", r->url, n_items, RPT_MARKUP_MAX_NODES);
        n_items = RPT_MARKUP_MAX_NODES;
    }
    for (size_t i = 0; i < n_items; i++) {
        const char *href = scalar(rpt_json_path(items->items[i], s->item_url));
        if (!href) continue;
        const char *date =
            s->item_date ? scalar(rpt_json_path(items->items[i], s->item_date)) : NULL;
        char *url = rpt_url_resolve(r->final_url, href);
        if (url) rpt_crawl_add_document(c, url, NULL, date);
        free(url);
    }
    long long pages_read = page - s->first_page + 1;
    if (items->n && pages_read < rpt_crawl_max_pages(c) && strstr(s->common.url, "{page}")) {
        char *next = page_url(s->common.url, page + 1);
        if (next) rpt_crawl_probe_page(c, next, on_api_page, (void *)(intptr_t)(page + 1));
        free(next);
    }
out:
    rpt_json_free(root);
    rpt_buf_clear(&err);
}

static int start(rpt_crawl *c)
{
    const json_api_settings *s = rpt_crawl_source(c)->settings;
    char *url = page_url(s->common.url, s->first_page);
    if (!url) return -1;
    int rc = rpt_crawl_fetch_page(c, url, on_api_page, (void *)(intptr_t)s->first_page);
    free(url);
    return rc < 0 ? -1 : 0;
}

const rpt_source_kind rpt_source_json_api = {
    .name = "json_api",
    .doc = "a paginated JSON list API",
    .opts = json_api_opts,
    .settings_size = sizeof(json_api_settings),
    .needs_url = 1,
    .validate = validate,
    .start = start,
};
