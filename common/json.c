#include "common/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

/* Parser state: a stack of open containers and the pending member key. */
typedef struct {
    rpt_jnode *root;
    rpt_jnode **stack;
    size_t depth, cap;
    char *pending_key;
    int line;
    int oom;
} parse_ctx;

#define MAX_DEPTH 256

static rpt_jnode *node_new(parse_ctx *c, rpt_jtype t)
{
    rpt_jnode *n = calloc(1, sizeof *n);
    if (!n) {
        c->oom = 1;
        return NULL;
    }
    n->type = t;
    n->line = c->line;
    return n;
}

/* Attaches `n` to the innermost open container (or makes it the root). */
static int attach(parse_ctx *c, rpt_jnode *n)
{
    if (!n) return 0;
    if (c->depth == 0) {
        if (c->root) {
            rpt_json_free(n);
            return 0;
        }
        c->root = n;
        return 1;
    }
    rpt_jnode *parent = c->stack[c->depth - 1];
    if (parent->type == RPT_JOBJECT) {
        n->key = c->pending_key;
        c->pending_key = NULL;
    }
    rpt_jnode **items = realloc(parent->items, (parent->n + 1) * sizeof *items);
    if (!items) {
        c->oom = 1;
        rpt_json_free(n);
        return 0;
    }
    parent->items = items;
    parent->items[parent->n++] = n;
    return 1;
}

static int push(parse_ctx *c, rpt_jnode *n)
{
    if (!attach(c, n)) return 0;
    if (c->depth >= MAX_DEPTH) return 0;
    if (c->depth == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        rpt_jnode **s = realloc(c->stack, cap * sizeof *s);
        if (!s) return 0;
        c->stack = s;
        c->cap = cap;
    }
    c->stack[c->depth++] = n;
    return 1;
}

static int cb_null(void *ctx)
{
    parse_ctx *c = ctx;
    return attach(c, node_new(c, RPT_JNULL));
}

static int cb_bool(void *ctx, int v)
{
    parse_ctx *c = ctx;
    rpt_jnode *n = node_new(c, RPT_JBOOL);
    if (n) n->boolean = v;
    return attach(c, n);
}

static int cb_number(void *ctx, const char *s, size_t len)
{
    parse_ctx *c = ctx;
    rpt_jnode *n = node_new(c, RPT_JNUMBER);
    if (!n) return 0;
    n->str = rpt_memdup_str(s, len);
    if (!n->str) {
        free(n);
        return 0;
    }
    n->num = strtod(n->str, NULL);
    return attach(c, n);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    parse_ctx *c = ctx;
    rpt_jnode *n = node_new(c, RPT_JSTRING);
    if (!n) return 0;
    n->str = rpt_memdup_str(s, len);
    if (!n->str) {
        free(n);
        return 0;
    }
    return attach(c, n);
}

static int cb_start_map(void *ctx)
{
    parse_ctx *c = ctx;
    return push(c, node_new(c, RPT_JOBJECT));
}

static int cb_map_key(void *ctx, const unsigned char *s, size_t len)
{
    parse_ctx *c = ctx;
    free(c->pending_key);
    c->pending_key = rpt_memdup_str(s, len);
    return c->pending_key != NULL;
}

static int cb_end(void *ctx)
{
    parse_ctx *c = ctx;
    if (c->depth) c->depth--;
    return 1;
}

static int cb_start_array(void *ctx)
{
    parse_ctx *c = ctx;
    return push(c, node_new(c, RPT_JARRAY));
}

static const yajl_callbacks callbacks = {
    .yajl_null = cb_null,
    .yajl_boolean = cb_bool,
    .yajl_number = cb_number,
    .yajl_string = cb_string,
    .yajl_start_map = cb_start_map,
    .yajl_map_key = cb_map_key,
    .yajl_end_map = cb_end,
    .yajl_start_array = cb_start_array,
    .yajl_end_array = cb_end,
};

/* Feeds the text one line at a time so that callbacks know the line they are on. */
rpt_jnode *rpt_json_parse(const char *text, size_t len, rpt_buf *err)
{
    parse_ctx c = {.line = 1};
    yajl_handle h = yajl_alloc(&callbacks, NULL, &c);
    if (!h) {
        rpt_buf_puts(err, "out of memory");
        return NULL;
    }
    yajl_config(h, yajl_allow_comments, 1);
    size_t pos = 0;
    yajl_status st = yajl_status_ok;
    while (pos < len && st == yajl_status_ok) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t chunk = nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
        st = yajl_parse(h, (const unsigned char *)text + pos, chunk);
        if (st == yajl_status_ok) {
            pos += chunk;
            if (nl) c.line++;
        }
    }
    if (st == yajl_status_ok) st = yajl_complete_parse(h);
    if (st != yajl_status_ok || c.oom || !c.root) {
        if (st != yajl_status_ok) {
            unsigned char *msg = yajl_get_error(h, 0, NULL, 0);
            rpt_buf_printf(err, "line %d: %s", c.line, msg ? (const char *)msg : "parse error");
            if (msg) yajl_free_error(h, msg);
        } else if (c.oom) {
            rpt_buf_puts(err, "out of memory");
        } else {
            rpt_buf_puts(err, "empty document");
        }
        rpt_json_free(c.root);
        c.root = NULL;
    }
    yajl_free(h);
    free(c.stack);
    free(c.pending_key);
    return c.root;
}

void rpt_json_free(rpt_jnode *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n; i++) rpt_json_free(n->items[i]);
    free(n->items);
    free(n->key);
    free(n->str);
    free(n);
}

rpt_jnode *rpt_json_parse_object(const char *text, size_t len, const char *what, rpt_buf *err)
{
    rpt_buf perr = RPT_BUF_INIT;
    rpt_jnode *root = rpt_json_parse(text, len, &perr);
    if (!root) {
        rpt_buf_printf(err, "%s is not JSON: %s", what, perr.data ? perr.data : "");
    } else if (root->type != RPT_JOBJECT) {
        rpt_buf_printf(err, "%s is not a JSON object", what);
        rpt_json_free(root);
        root = NULL;
    }
    rpt_buf_clear(&perr);
    return root;
}

char *rpt_json_strdup(const rpt_jnode *obj, const char *key)
{
    const char *s = rpt_json_str(obj, key);
    return s ? strdup(s) : NULL;
}

const rpt_jnode *rpt_json_get(const rpt_jnode *obj, const char *key)
{
    if (!obj || obj->type != RPT_JOBJECT) return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (obj->items[i]->key && strcmp(obj->items[i]->key, key) == 0) return obj->items[i];
    return NULL;
}

const rpt_jnode *rpt_json_path(const rpt_jnode *obj, const char *path)
{
    char part[256];
    const char *p = path;
    while (obj && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof part) return NULL;
        memcpy(part, p, n);
        part[n] = '\0';
        obj = rpt_json_get(obj, part);
        p += n + (dot ? 1 : 0);
    }
    return obj;
}

const char *rpt_json_str(const rpt_jnode *obj, const char *key)
{
    const rpt_jnode *n = rpt_json_get(obj, key);
    return n && n->type == RPT_JSTRING ? n->str : NULL;
}

const char *rpt_jtype_name(rpt_jtype t)
{
    static const char *const names[] = {"null", "boolean", "number", "string", "object", "array"};
    return (unsigned)t < sizeof names / sizeof *names ? names[t] : "?";
}

yajl_gen rpt_jg_new(void)
{
    yajl_gen g = yajl_gen_alloc(NULL);
    if (g) yajl_gen_config(g, yajl_gen_validate_utf8, 0);
    return g;
}

void rpt_jg_key(yajl_gen g, const char *key)
{
    yajl_gen_string(g, (const unsigned char *)key, strlen(key));
}

void rpt_jg_str(yajl_gen g, const char *key, const char *val)
{
    if (key) rpt_jg_key(g, key);
    if (val) yajl_gen_string(g, (const unsigned char *)val, strlen(val));
    else yajl_gen_null(g);
}

void rpt_jg_strn(yajl_gen g, const char *key, const char *val, size_t len)
{
    if (key) rpt_jg_key(g, key);
    if (val) yajl_gen_string(g, (const unsigned char *)val, len);
    else yajl_gen_null(g);
}

void rpt_jg_int(yajl_gen g, const char *key, long long val)
{
    if (key) rpt_jg_key(g, key);
    yajl_gen_integer(g, val);
}

void rpt_jg_number(yajl_gen g, double val)
{
    if (!isfinite(val)) {
        yajl_gen_null(g);
        return;
    }
    char s[40];
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(s, sizeof s, "%.*g", prec, val);
        if (strtod(s, NULL) == val) break;
    }
    yajl_gen_number(g, s, (size_t)n);
}

void rpt_jg_double(yajl_gen g, const char *key, double val)
{
    if (key) rpt_jg_key(g, key);
    rpt_jg_number(g, val);
}

void rpt_jg_bool(yajl_gen g, const char *key, int val)
{
    if (key) rpt_jg_key(g, key);
    yajl_gen_bool(g, val);
}

void rpt_jg_null(yajl_gen g, const char *key)
{
    if (key) rpt_jg_key(g, key);
    yajl_gen_null(g);
}
