/* json_api: a paginated JSON list endpoint. The URL holds {page}; `items` is the dotted
 * path to the array of items, `item_url` (and optionally item_title / item_date) dotted
 * paths inside each item. Pages are read in order until one has no items or max_pages. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/log.h"
#include "connectors/sources/crawl.h"
#include "connectors/url.h"

typedef struct json_api_settings {
    rd_source_common common;
    char *items;
    char *item_url;
    char *item_title;
    char *item_date;
    long long first_page;
} json_api_settings;

static const rd_opt json_api_opts[] = {
    {"items", RD_OPT_STRING, NULL, 0, 0, offsetof(json_api_settings, items), RD_OPT_REQUIRED,
     "dotted path to the array of items (data.list)"},
    {"item_url", RD_OPT_STRING, NULL, 0, 0, offsetof(json_api_settings, item_url), RD_OPT_REQUIRED,
     "dotted path of the document URL inside an item"},
    {"item_title", RD_OPT_STRING, NULL, 0, 0, offsetof(json_api_settings, item_title), 0,
     "dotted path of the title inside an item (logged)"},
    {"item_date", RD_OPT_STRING, NULL, 0, 0, offsetof(json_api_settings, item_date), 0,
     "dotted path of the publish/update date (an unchanged date skips the document)"},
    {"first_page", RD_OPT_INT, "1", 0, 1000000, offsetof(json_api_settings, first_page), 0,
     "number of the first page"},
    RD_OPT_END};

static int validate(const void *settings, const char **key, rd_buf *reason)
{
    const json_api_settings *s = settings;
    if (!*s->items) {
        *key = "items";
        rd_buf_puts(reason, "must not be empty");
        return -1;
    }
    if (!*s->item_url) {
        *key = "item_url";
        rd_buf_puts(reason, "must not be empty");
        return -1;
    }
    return 0;
}

/* The API URL for page n ({page} replaced everywhere). Caller frees. */
static char *page_url(const char *tmpl, long long n)
{
    rd_buf b = RD_BUF_INIT;
    for (const char *p = tmpl; *p;) {
        if (!strncmp(p, "{page}", 6)) {
            rd_buf_printf(&b, "%lld", n);
            p += 6;
        } else {
            rd_buf_putc(&b, *p++);
        }
    }
    return rd_buf_steal(&b);
}

static const char *scalar(const rd_jnode *n)
{
    return n && (n->type == RD_JSTRING || n->type == RD_JNUMBER) ? n->str : NULL;
}

static void on_api_page(rd_crawl *c, const rd_http_result *r, void *arg)
{
    long long page = (long long)(intptr_t)arg;
    const json_api_settings *s = rd_crawl_source(c)->settings;
    if (r->error != RD_FETCH_OK || r->status == 304) return;
    rd_buf err = RD_BUF_INIT;
    rd_jnode *root = rd_json_parse(r->body->data ? r->body->data : "", r->body->len, &err);
    if (!root) {
        rd_buf why = RD_BUF_INIT;
        rd_buf_printf(&why, "API page is not JSON: %s", err.data ? err.data : "");
        rd_crawl_fail(c, r->url, why.data);
        rd_buf_free(&why);
        rd_buf_free(&err);
        return;
    }
    const rd_jnode *items = rd_json_path(root, s->items);
    if (!items || items->type != RD_JARRAY) {
        if (items || page == s->first_page) {
            char why[256];
            snprintf(why, sizeof why, "API page has no array at \"%s\"", s->items);
            rd_crawl_fail(c, r->url, why);
        }
        goto out;
    }
    for (size_t i = 0; i < items->n; i++) {
        const char *href = scalar(rd_json_path(items->items[i], s->item_url));
        if (!href) continue;
        const char *date =
            s->item_date ? scalar(rd_json_path(items->items[i], s->item_date)) : NULL;
        char *url = rd_url_resolve(r->final_url, href);
        if (url) rd_crawl_add_document(c, url, NULL, date);
        free(url);
    }
    long long pages_read = page - s->first_page + 1;
    if (items->n && pages_read < rd_crawl_max_pages(c) && strstr(s->common.url, "{page}")) {
        char *next = page_url(s->common.url, page + 1);
        if (next) rd_crawl_probe_page(c, next, on_api_page, (void *)(intptr_t)(page + 1));
        free(next);
    }
out:
    rd_json_free(root);
    rd_buf_free(&err);
}

static int start(rd_crawl *c)
{
    const json_api_settings *s = rd_crawl_source(c)->settings;
    char *url = page_url(s->common.url, s->first_page);
    if (!url) return -1;
    int rc = rd_crawl_fetch_page(c, url, on_api_page, (void *)(intptr_t)s->first_page);
    free(url);
    return rc < 0 ? -1 : 0;
}

const rd_source_kind rd_source_json_api = {
    .name = "json_api",
    .doc = "a paginated JSON list API",
    .opts = json_api_opts,
    .settings_size = sizeof(json_api_settings),
    .needs_url = 1,
    .validate = validate,
    .start = start,
};
