#include "common/opts.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(target, opt, type) ((type *)((char *)(target) + (opt)->offset))

static const rd_opt *find_opt(const rd_opt *table, const char *key)
{
    for (const rd_opt *o = table; o->key; o++)
        if (strcmp(o->key, key) == 0) return o;
    return NULL;
}

void rd_kvlist_free(rd_kvlist *kv)
{
    for (size_t i = 0; i < kv->n; i++) {
        if (kv->keys) free(kv->keys[i]);
        free(kv->vals[i]);
    }
    free(kv->keys);
    free(kv->vals);
    memset(kv, 0, sizeof *kv);
}

int rd_kvlist_add(rd_kvlist *kv, const char *key, const char *val)
{
    char **keys = realloc(kv->keys, (kv->n + 1) * sizeof *keys);
    if (!keys) return -1;
    kv->keys = keys;
    char **vals = realloc(kv->vals, (kv->n + 1) * sizeof *vals);
    if (!vals) return -1;
    kv->vals = vals;
    kv->keys[kv->n] = key ? strdup(key) : NULL;
    kv->vals[kv->n] = strdup(val);
    kv->n++;
    return 0;
}

static int in_bounds(const rd_opt *o, double v)
{
    if (o->min == 0 && o->max == 0) return 1;
    return v >= o->min && v <= o->max;
}

/* Parses `text` for option `o` into `target`. Returns 0 or -1 with a reason in err. */
static int set_text(const rd_opt *o, void *target, const char *text, rd_buf *err)
{
    switch (o->type) {
    case RD_OPT_STRING: {
        char *s = strdup(text);
        if (!s) return -1;
        free(*FIELD(target, o, char *));
        *FIELD(target, o, char *) = s;
        return 0;
    }
    case RD_OPT_INT: {
        char *end;
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (errno || end == text || *end) {
            rd_buf_printf(err, "expected an integer, got \"%s\"", text);
            return -1;
        }
        if (!in_bounds(o, (double)v)) {
            rd_buf_printf(err, "%lld is out of range [%.0f, %.0f]", v, o->min, o->max);
            return -1;
        }
        *FIELD(target, o, long long) = v;
        return 0;
    }
    case RD_OPT_DOUBLE: {
        char *end;
        errno = 0;
        double v = strtod(text, &end);
        if (errno || end == text || *end || !isfinite(v)) {
            rd_buf_printf(err, "expected a number, got \"%s\"", text);
            return -1;
        }
        if (!in_bounds(o, v)) {
            rd_buf_printf(err, "%g is out of range [%g, %g]", v, o->min, o->max);
            return -1;
        }
        *FIELD(target, o, double) = v;
        return 0;
    }
    case RD_OPT_BOOL:
        if (!strcmp(text, "true") || !strcmp(text, "1") || !strcmp(text, "yes")) {
            *FIELD(target, o, int) = 1;
        } else if (!strcmp(text, "false") || !strcmp(text, "0") || !strcmp(text, "no")) {
            *FIELD(target, o, int) = 0;
        } else {
            rd_buf_printf(err, "expected true or false, got \"%s\"", text);
            return -1;
        }
        return 0;
    case RD_OPT_STRLIST: {
        /* Text form: comma-separated list. */
        rd_kvlist *kv = FIELD(target, o, rd_kvlist);
        rd_kvlist_free(kv);
        char *copy = strdup(text), *save = NULL;
        if (!copy) return -1;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
            if (*t) rd_kvlist_add(kv, NULL, t);
        free(copy);
        return 0;
    }
    case RD_OPT_KV:
        rd_buf_puts(err, "cannot be set from text");
        return -1;
    }
    return -1;
}

int rd_opts_defaults(const rd_opt *table, void *target, rd_buf *err)
{
    for (const rd_opt *o = table; o->key; o++) {
        if (o->type == RD_OPT_KV || o->type == RD_OPT_STRLIST) {
            memset(FIELD(target, o, rd_kvlist), 0, sizeof(rd_kvlist));
            if (o->type == RD_OPT_STRLIST && o->def && set_text(o, target, o->def, err)) return -1;
            continue;
        }
        if (o->type == RD_OPT_STRING) *FIELD(target, o, char *) = NULL;
        if (!o->def) continue;
        if (set_text(o, target, o->def, err) != 0) {
            rd_buf_printf(err, " (default of %s)", o->key);
            return -1;
        }
    }
    return 0;
}

int rd_opts_set(const rd_opt *table, void *target, const char *key, const char *text,
                const char *where, rd_buf *err)
{
    const rd_opt *o = find_opt(table, key);
    if (!o) {
        rd_buf_printf(err, "%s: unknown key \"%s\"", where, key);
        return -1;
    }
    rd_buf reason = RD_BUF_INIT;
    int rc = set_text(o, target, text, &reason);
    if (rc) rd_buf_printf(err, "%s.%s: %s", where, key, reason.data ? reason.data : "invalid");
    rd_buf_free(&reason);
    return rc;
}

/* Text of a scalar JSON node, or NULL when it is not a scalar. */
static const char *scalar_text(const rd_jnode *n)
{
    switch (n->type) {
    case RD_JSTRING:
    case RD_JNUMBER:
        return n->str;
    case RD_JBOOL:
        return n->boolean ? "true" : "false";
    default:
        return NULL;
    }
}

static int apply_one(const rd_opt *o, void *target, const rd_jnode *v, rd_buf *reason)
{
    switch (o->type) {
    case RD_OPT_STRING:
        if (v->type != RD_JSTRING) goto wrong_type;
        return set_text(o, target, v->str, reason);
    case RD_OPT_INT:
    case RD_OPT_DOUBLE:
        if (v->type != RD_JNUMBER) goto wrong_type;
        return set_text(o, target, v->str, reason);
    case RD_OPT_BOOL:
        if (v->type != RD_JBOOL) goto wrong_type;
        *FIELD(target, o, int) = v->boolean;
        return 0;
    case RD_OPT_KV: {
        if (v->type != RD_JOBJECT) goto wrong_type;
        rd_kvlist *kv = FIELD(target, o, rd_kvlist);
        rd_kvlist_free(kv);
        for (size_t i = 0; i < v->n; i++) {
            const char *t = scalar_text(v->items[i]);
            if (!t) {
                rd_buf_printf(reason, "value of \"%s\" must be a string, number or boolean",
                              v->items[i]->key);
                return -1;
            }
            if (rd_kvlist_add(kv, v->items[i]->key, t)) return -1;
        }
        return 0;
    }
    case RD_OPT_STRLIST: {
        rd_kvlist *kv = FIELD(target, o, rd_kvlist);
        rd_kvlist_free(kv);
        if (v->type == RD_JSTRING) return rd_kvlist_add(kv, NULL, v->str);
        if (v->type != RD_JARRAY) goto wrong_type;
        for (size_t i = 0; i < v->n; i++) {
            if (v->items[i]->type != RD_JSTRING) {
                rd_buf_puts(reason, "expected an array of strings");
                return -1;
            }
            if (rd_kvlist_add(kv, NULL, v->items[i]->str)) return -1;
        }
        return 0;
    }
    }
wrong_type:
    rd_buf_printf(reason, "expected %s, got %s",
                  o->type == RD_OPT_STRING    ? "a string"
                  : o->type == RD_OPT_BOOL    ? "true or false"
                  : o->type == RD_OPT_KV      ? "an object"
                  : o->type == RD_OPT_STRLIST ? "an array of strings"
                                              : "a number",
                  rd_jtype_name(v->type));
    return -1;
}

int rd_opts_apply(const rd_opt *table, void *target, const rd_jnode *obj, const char *file,
                  const char *where, rd_buf *err)
{
    if (!obj) goto check_required;
    if (obj->type != RD_JOBJECT) {
        rd_buf_printf(err, "%s:%d: %s: expected an object, got %s", file, obj->line, where,
                      rd_jtype_name(obj->type));
        return -1;
    }
    for (size_t i = 0; i < obj->n; i++) {
        const rd_jnode *v = obj->items[i];
        const rd_opt *o = find_opt(table, v->key);
        if (!o) {
            rd_buf_printf(err, "%s:%d: %s: unknown key \"%s\"", file, v->line, where, v->key);
            return -1;
        }
        rd_buf reason = RD_BUF_INIT;
        if (apply_one(o, target, v, &reason) != 0) {
            rd_buf_printf(err, "%s:%d: %s.%s: %s", file, v->line, where, o->key,
                          reason.data ? reason.data : "invalid value");
            rd_buf_free(&reason);
            return -1;
        }
        rd_buf_free(&reason);
    }
check_required:
    for (const rd_opt *o = table; o->key; o++) {
        if (!(o->flags & RD_OPT_REQUIRED)) continue;
        if (!rd_json_get(obj, o->key)) {
            rd_buf_printf(err, "%s:%d: %s: missing required key \"%s\"", file, obj ? obj->line : 0,
                          where, o->key);
            return -1;
        }
    }
    return 0;
}

int rd_opts_apply_env(const rd_opt *table, void *target, const char *prefix, rd_buf *err)
{
    for (const rd_opt *o = table; o->key; o++) {
        if (o->type == RD_OPT_KV) continue;
        char name[256];
        int n = snprintf(name, sizeof name, "%s_%s", prefix, o->key);
        if (n < 0 || (size_t)n >= sizeof name) continue;
        for (char *p = name; *p; p++) *p = (*p == '.' || *p == '-') ? '_' : (char)toupper((unsigned char)*p);
        const char *v = getenv(name);
        if (!v) continue;
        rd_buf reason = RD_BUF_INIT;
        if (set_text(o, target, v, &reason) != 0) {
            rd_buf_printf(err, "environment %s: %s", name, reason.data ? reason.data : "invalid");
            rd_buf_free(&reason);
            return -1;
        }
        rd_buf_free(&reason);
    }
    return 0;
}

void rd_opts_dump(const rd_opt *table, const void *target, yajl_gen g)
{
    yajl_gen_map_open(g);
    for (const rd_opt *o = table; o->key; o++) {
        rd_jg_key(g, o->key);
        switch (o->type) {
        case RD_OPT_STRING: {
            const char *s = *FIELD(target, o, char *const);
            rd_jg_str(g, NULL, s && (o->flags & RD_OPT_SECRET) ? "***" : s);
            break;
        }
        case RD_OPT_INT:
            yajl_gen_integer(g, *FIELD(target, o, const long long));
            break;
        case RD_OPT_DOUBLE:
            rd_jg_number(g, *FIELD(target, o, const double));
            break;
        case RD_OPT_BOOL:
            yajl_gen_bool(g, *FIELD(target, o, const int));
            break;
        case RD_OPT_KV: {
            const rd_kvlist *kv = FIELD(target, o, const rd_kvlist);
            yajl_gen_map_open(g);
            for (size_t i = 0; i < kv->n; i++) {
                int secret = strstr(kv->keys[i], "password") || strstr(kv->keys[i], "secret") ||
                             strstr(kv->keys[i], "sasl.");
                rd_jg_str(g, kv->keys[i], secret ? "***" : kv->vals[i]);
            }
            yajl_gen_map_close(g);
            break;
        }
        case RD_OPT_STRLIST: {
            const rd_kvlist *kv = FIELD(target, o, const rd_kvlist);
            yajl_gen_array_open(g);
            for (size_t i = 0; i < kv->n; i++) rd_jg_str(g, NULL, kv->vals[i]);
            yajl_gen_array_close(g);
            break;
        }
        }
    }
    yajl_gen_map_close(g);
}

void rd_opts_free(const rd_opt *table, void *target)
{
    for (const rd_opt *o = table; o->key; o++) {
        if (o->type == RD_OPT_STRING) {
            free(*FIELD(target, o, char *));
            *FIELD(target, o, char *) = NULL;
        } else if (o->type == RD_OPT_KV || o->type == RD_OPT_STRLIST) {
            rd_kvlist_free(FIELD(target, o, rd_kvlist));
        }
    }
}
