#include "pipeline/fetch/sources/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/http/ssrf.h"
#include "connectors/http/url.h"

extern const rpt_source_kind rpt_source_html_index;
extern const rpt_source_kind rpt_source_feed;
extern const rpt_source_kind rpt_source_sitemap;
extern const rpt_source_kind rpt_source_json_api;
extern const rpt_source_kind rpt_source_dir;

const rpt_source_kind *const rpt_source_kinds[] = {&rpt_source_html_index, &rpt_source_feed,
                                                 &rpt_source_sitemap,    &rpt_source_json_api,
                                                 &rpt_source_dir,        NULL};

static const rpt_opt common_opts[] = {
    {"name", RPT_OPT_STRING, NULL, 0, 0, offsetof(rpt_source_common, name), RPT_OPT_REQUIRED,
     "unique name of the source (metrics label, raw message \"source\")"},
    {"kind", RPT_OPT_STRING, NULL, 0, 0, offsetof(rpt_source_common, kind), RPT_OPT_REQUIRED,
     "html_index | feed | sitemap | json_api | dir"},
    {"url", RPT_OPT_STRING, NULL, 0, 0, offsetof(rpt_source_common, url), 0,
     "entry URL (listing page, feed, sitemap, API URL with {page})"},
    {"region", RPT_OPT_STRING, NULL, 0, 0, offsetof(rpt_source_common, region), 0,
     "region the documents belong to (raw message \"region\")"},
    {"interval_s", RPT_OPT_INT, "3600", 1, 31536000, offsetof(rpt_source_common, interval_s), 0,
     "seconds between passes (with jitter)"},
    {"max_pages", RPT_OPT_INT, "-1", -1, 100000, offsetof(rpt_source_common, max_pages), 0,
     "discovery pages per pass (-1: fetch.max_pages)"},
    {"respect_robots", RPT_OPT_BOOL, NULL, 0, 0, offsetof(rpt_source_common, respect_robots), 0,
     "obey robots.txt (default: fetch.respect_robots)"},
    {"allow_private_networks", RPT_OPT_BOOL, NULL, 0, 0,
     offsetof(rpt_source_common, allow_private_networks), 0,
     "allow private and loopback addresses (default: fetch.allow_private_networks)"},
    {"allowlist", RPT_OPT_STRLIST, NULL, 0, 0, offsetof(rpt_source_common, allowlist), 0,
     "addresses or CIDR blocks allowed despite the SSRF guard"},
    {"include", RPT_OPT_STRLIST, NULL, 0, 0, offsetof(rpt_source_common, include), 0,
     "document URL patterns to keep ('*' wildcard; substring otherwise)"},
    {"exclude", RPT_OPT_STRLIST, NULL, 0, 0, offsetof(rpt_source_common, exclude), 0,
     "document URL patterns to drop"},
    RPT_OPT_END};

const rpt_source_kind *rpt_source_kind_find(const char *name)
{
    for (size_t i = 0; rpt_source_kinds[i]; i++)
        if (!strcmp(rpt_source_kinds[i]->name, name)) return rpt_source_kinds[i];
    return NULL;
}

static size_t table_len(const rpt_opt *t)
{
    size_t n = 0;
    while (t && t[n].key)
        n++;
    return n;
}

/* Common keys followed by the kind's keys, terminated. Caller frees. */
static rpt_opt *merged_table(const rpt_source_kind *k)
{
    size_t a = table_len(common_opts), b = table_len(k->opts);
    rpt_opt *t = calloc(a + b + 1, sizeof *t);
    if (!t) return NULL;
    memcpy(t, common_opts, a * sizeof *t);
    if (b) memcpy(t + a, k->opts, b * sizeof *t);
    return t;
}

static void kind_list(rpt_buf *b)
{
    for (size_t i = 0; rpt_source_kinds[i]; i++)
        rpt_buf_printf(b, "%s%s", i ? ", " : "", rpt_source_kinds[i]->name);
}

int rpt_source_load_one(const rpt_config *cfg, size_t i, rpt_source *out, rpt_buf *err)
{
    const char *file = cfg->path ? cfg->path : "(config)";
    memset(out, 0, sizeof *out);
    out->index = (int)i;
    const rpt_jnode *node = cfg->sources ? cfg->sources->items[i] : NULL;
    char where[32];
    snprintf(where, sizeof where, "sources[%zu]", i);
    if (!node || node->type != RPT_JOBJECT) {
        rpt_buf_printf(err, "%s:%d: %s: expected an object", file, node ? node->line : 0, where);
        return -1;
    }
    const rpt_jnode *kind = rpt_json_get(node, "kind");
    if (!kind || kind->type != RPT_JSTRING) {
        rpt_buf_printf(err, "%s:%d: %s.kind: %s (one of ", file, kind ? kind->line : node->line,
                      where, kind ? "expected a string" : "missing");
        kind_list(err);
        rpt_buf_puts(err, ")");
        return -1;
    }
    out->kind = rpt_source_kind_find(kind->str);
    if (!out->kind) {
        rpt_buf_printf(err, "%s:%d: %s.kind: unknown kind \"%s\" (expected one of ", file,
                      kind->line, where, kind->str);
        kind_list(err);
        rpt_buf_puts(err, ")");
        return -1;
    }
    out->table = merged_table(out->kind);
    out->settings = calloc(1, out->kind->settings_size);
    if (!out->table || !out->settings) {
        rpt_buf_puts(err, "out of memory loading sources");
        goto fail;
    }
    /* Unknown keys named the way every other error is: sources[i].key. */
    for (size_t m = 0; m < node->n; m++) {
        const rpt_opt *o = out->table;
        while (o->key && strcmp(o->key, node->items[m]->key))
            o++;
        if (!o->key) {
            rpt_buf_printf(err, "%s:%d: %s.%s: unknown key for kind %s", file, node->items[m]->line,
                          where, node->items[m]->key, out->kind->name);
            goto fail;
        }
    }
    if (rpt_opts_defaults(out->table, out->settings, err)) goto fail;
    rpt_source_common *c = out->settings;
    c->respect_robots = -1;
    c->allow_private_networks = -1;
    if (rpt_opts_apply(out->table, out->settings, node, file, where, err)) goto fail;

    const char *bad_key = NULL;
    rpt_buf reason = RPT_BUF_INIT;
    if (!*c->name) {
        bad_key = "name";
        rpt_buf_puts(&reason, "must not be empty");
    } else if (out->kind->needs_url && !c->url) {
        bad_key = "url";
        rpt_buf_printf(&reason, "required for kind %s", out->kind->name);
    } else if (out->kind->needs_url && strncmp(c->url, "http://", 7) &&
               strncmp(c->url, "https://", 8)) {
        bad_key = "url";
        rpt_buf_printf(&reason, "expected an http:// or https:// URL, got \"%s\"", c->url);
    }
    for (size_t a = 0; !bad_key && a < c->allowlist.n; a++)
        if (rpt_cidr_check(c->allowlist.vals[a], &reason)) bad_key = "allowlist";
    if (!bad_key && out->kind->validate) out->kind->validate(out->settings, &bad_key, &reason);
    if (bad_key) {
        const rpt_jnode *v = rpt_json_get(node, bad_key);
        rpt_buf_printf(err, "%s:%d: %s.%s: %s", file, v ? v->line : node->line, where, bad_key,
                      reason.data ? reason.data : "invalid value");
        rpt_buf_clear(&reason);
        goto fail;
    }
    rpt_buf_clear(&reason);
    return 0;
fail:
    rpt_source_clear(out);
    return -1;
}

void rpt_source_clear(rpt_source *s)
{
    if (s->settings && s->table) rpt_opts_clear(s->table, s->settings);
    free(s->settings);
    free(s->table);
    memset(s, 0, sizeof *s);
}

void rpt_sources_free(rpt_source *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        rpt_source_clear(&s[i]);
    free(s);
}

int rpt_sources_load(const rpt_config *cfg, rpt_source **out, size_t *n, rpt_buf *err)
{
    *out = NULL;
    *n = 0;
    size_t count = cfg->sources ? cfg->sources->n : 0;
    if (!count) return 0;
    rpt_source *list = calloc(count, sizeof *list);
    if (!list) {
        rpt_buf_puts(err, "out of memory loading sources");
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        if (rpt_source_load_one(cfg, i, &list[i], err)) goto fail;
        const char *name = rpt_source_common_of(&list[i])->name;
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(rpt_source_common_of(&list[j])->name, name)) {
                const rpt_jnode *v = rpt_json_get(cfg->sources->items[i], "name");
                rpt_buf_printf(err,
                              "%s:%d: sources[%zu].name: \"%s\" is already used by "
                              "sources[%zu]",
                              cfg->path ? cfg->path : "(config)", v ? v->line : 0, i, name, j);
                goto fail;
            }
        }
    }
    *out = list;
    *n = count;
    return 0;
fail:
    rpt_sources_free(list, count);
    return -1;
}

int rpt_source_respect_robots(const rpt_source *s, const rpt_fetch_settings *fs)
{
    int v = rpt_source_common_of(s)->respect_robots;
    return v < 0 ? fs->respect_robots : v;
}

int rpt_source_allow_private(const rpt_source *s, const rpt_fetch_settings *fs)
{
    int v = rpt_source_common_of(s)->allow_private_networks;
    return v < 0 ? fs->allow_private_networks : v;
}

long long rpt_source_max_pages(const rpt_source *s, const rpt_fetch_settings *fs)
{
    long long v = rpt_source_common_of(s)->max_pages;
    return v < 0 ? fs->max_pages : v;
}

unsigned rpt_source_hash(const char *name)
{
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return h;
}

int rpt_source_wants_url(const rpt_source *s, const char *url)
{
    const rpt_source_common *c = rpt_source_common_of(s);
    if (c->include.n) {
        int ok = 0;
        for (size_t i = 0; i < c->include.n && !ok; i++)
            ok = rpt_url_match(c->include.vals[i], url);
        if (!ok) return 0;
    }
    for (size_t i = 0; i < c->exclude.n; i++)
        if (rpt_url_match(c->exclude.vals[i], url)) return 0;
    return 1;
}

/* The keys every source has, for documentation (reportd.conf(5)). */
const rpt_opt *const rpt_source_common_table = common_opts;
