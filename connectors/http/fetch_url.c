/* rpt_fetch_url: one URL through a fetcher of its own (for `reportd extract URL`). */
#include <stdlib.h>
#include <string.h>

#include "connectors/http/fetcher.h"

typedef struct one_result {
    int done, ok;
    rpt_buf *body;
    char **final_url, **content_type;
    rpt_buf *err;
} one_result;

static void on_done(const rpt_http_result *r, void *arg)
{
    one_result *o = arg;
    o->done = 1;
    if (r->error != RPT_FETCH_OK || r->status == 304) {
        rpt_buf_printf(o->err, "%s: %s", r->url, r->reason ? r->reason : "not fetched");
        return;
    }
    o->ok = 1;
    size_t len = r->body->len;
    char *data = rpt_buf_steal(r->body);
    o->body->data = data ? data : strdup("");
    o->body->len = data ? len : 0;
    o->body->cap = o->body->len + 1;
    if (o->final_url) *o->final_url = strdup(r->final_url);
    if (o->content_type) *o->content_type = r->content_type ? strdup(r->content_type) : NULL;
}

int rpt_fetch_url(const rpt_fetch_settings *s, const char *url, rpt_buf *body, char **final_url,
                 char **content_type, rpt_buf *err)
{
    if (final_url) *final_url = NULL;
    if (content_type) *content_type = NULL;
    rpt_fetcher *f = rpt_fetcher_new(s, err);
    if (!f) return -1;
    one_result o = {.body = body, .final_url = final_url, .content_type = content_type, .err = err};
    rpt_http_request req = {.url = url,
                           .allow_private = s->allow_private_networks,
                           .respect_robots = s->respect_robots,
                           .done = on_done,
                           .arg = &o};
    if (rpt_fetcher_submit(f, &req)) {
        rpt_buf_puts(err, "out of memory");
        rpt_fetcher_free(f);
        return -1;
    }
    while (!o.done && rpt_fetcher_step(f, 1000) > 0) {
    }
    rpt_fetcher_free(f);
    return o.ok ? 0 : -1;
}
