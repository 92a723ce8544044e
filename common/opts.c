#include "common/opts.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(target, opt, type) ((type *)((char *)(target) + (opt)->offset))

static const rpt_opt *find_opt(const rpt_opt *table, const char *key)
{
    for (const rpt_opt *o = table; o->key; o++)
        if (strcmp(o->key, key) == 0) return o;
    return NULL;
}

void rpt_kvlist_clear(rpt_kvlist *kv)
{
    for (size_t i = 0; i < kv->n; i++) {
        if (kv->keys) free(kv->keys[i]);
        free(kv->vals[i]);
    }
    free(kv->keys);
    free(kv->vals);
    memset(kv, 0, sizeof *kv);
}

int rpt_kvlist_add(rpt_kvlist *kv, const char *key, const char *val)
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

static int in_bounds(const rpt_opt *o, double v)
{
    if (o->min == 0 && o->max == 0) return 1;
    return v >= o->min && v <= o->max;
}

/* Parses `text` for option `o` into `target`. Returns 0 or -1 with a reason in err. */
static int set_text(const rpt_opt *o, void *target, const char *text, rpt_buf *err)
{
    switch (o->type) {
    case RPT_OPT_STRING: {
        char *s = strdup(text);
        if (!s) return -1;
        free(*FIELD(target, o, char *));
        *FIELD(target, o, char *) = s;
        return 0;
    }
    case RPT_OPT_INT: {
        char *end;
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (errno || end == text || *end) {
            rpt_buf_printf(err, "expected an integer, got \"%s\"", text);
            return -1;
        }
        if (!in_bounds(o, (double)v)) {
            rpt_buf_printf(err, "%lld is out of range [%.0f, %.0f]", v, o->min, o->max);
            return -1;
        }
        *FIELD(target, o, long long) = v;
        return 0;
    }
    case RPT_OPT_DOUBLE: {
        char *end;
        errno = 0;
        double v = strtod(text, &end);
        if (errno || end == text || *end || !isfinite(v)) {
            rpt_buf_printf(err, "expected a number, got \"%s\"", text);
            return -1;
        }
        if (!in_bounds(o, v)) {
            rpt_buf_printf(err, "%g is out of range [%g, %g]", v, o->min, o->max);
            return -1;
        }
        *FIELD(target, o, double) = v;
        return 0;
    }
    case RPT_OPT_BOOL:
        if (!strcmp(text, "true") || !strcmp(text, "1") || !strcmp(text, "yes")) {
            *FIELD(target, o, int) = 1;
        } else if (!strcmp(text, "false") || !strcmp(text, "0") || !strcmp(text, "no")) {
            *FIELD(target, o, int) = 0;
        } else {
            rpt_buf_printf(err, "expected true or false, got \"%s\"", text);
            return -1;
        }
        return 0;
    case RPT_OPT_STRLIST: {
        /* Text form: comma-separated list. */
        rpt_kvlist *kv = FIELD(target, o, rpt_kvlist);
        rpt_kvlist_clear(kv);
        char *copy = strdup(text), *save = NULL;
        if (!copy) return -1;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
            if (*t) rpt_kvlist_add(kv, NULL, t);
        free(copy);
        return 0;
    }
    case RPT_OPT_KV:
        rpt_buf_puts(err, "cannot be set from text");
        return -1;
    }
    return -1;
}

int rpt_opts_defaults(const rpt_opt *table, void *target, rpt_buf *err)
{
    for (const rpt_opt *o = table; o->key; o++) {
        if (o->type == RPT_OPT_KV || o->type == RPT_OPT_STRLIST) {
            memset(FIELD(target, o, rpt_kvlist), 0, sizeof(rpt_kvlist));
            if (o->type == RPT_OPT_STRLIST && o->def && set_text(o, target, o->def, err)) return -1;
            continue;
        }
        if (o->type == RPT_OPT_STRING) *FIELD(target, o, char *) = NULL;
        if (!o->def) continue;
        if (set_text(o, target, o->def, err) != 0) {
            rpt_buf_printf(err, " (default of %s)", o->key);
            return -1;
        }
    }
    return 0;
}

int rpt_opts_set(const rpt_opt *table, void *target, const char *key, const char *text,
                const char *where, rpt_buf *err)
{
    const rpt_opt *o = find_opt(table, key);
    if (!o) {
        rpt_buf_printf(err, "%s: unknown key \"%s\"", where, key);
        return -1;
    }
    rpt_buf reason = RPT_BUF_INIT;
    int rc = set_text(o, target, text, &reason);
    if (rc) rpt_buf_printf(err, "%s.%s: %s", where, key, reason.data ? reason.data : "invalid");
    rpt_buf_clear(&reason);
    return rc;
}

/* Text of a scalar JSON node, or NULL when it is not a scalar. */
static const char *scalar_text(const rpt_jnode *n)
{
    switch (n->type) {
    case RPT_JSTRING:
    case RPT_JNUMBER:
        return n->str;
    case RPT_JBOOL:
        return n->boolean ? "true" : "false";
    default:
        return NULL;
    }
}

static int apply_one(const rpt_opt *o, void *target, const rpt_jnode *v, rpt_buf *reason)
{
    switch (o->type) {
    case RPT_OPT_STRING:
        if (v->type != RPT_JSTRING) goto wrong_type;
        return set_text(o, target, v->str, reason);
    case RPT_OPT_INT:
    case RPT_OPT_DOUBLE:
        if (v->type != RPT_JNUMBER) goto wrong_type;
        return set_text(o, target, v->str, reason);
    case RPT_OPT_BOOL:
        if (v->type != RPT_JBOOL) goto wrong_type;
        *FIELD(target, o, int) = v->boolean;
        return 0;
    case RPT_OPT_KV: {
        if (v->type != RPT_JOBJECT) goto wrong_type;
        rpt_kvlist *kv = FIELD(target, o, rpt_kvlist);
        rpt_kvlist_clear(kv);
        for (size_t i = 0; i < v->n; i++) {
            const char *t = scalar_text(v->items[i]);
            if (!t) {
                rpt_buf_printf(reason, "value of \"%s\" must be a string, number or boolean",
                              v->items[i]->key);
                return -1;
            }
            if (rpt_kvlist_add(kv, v->items[i]->key, t)) return -1;
        }
        return 0;
    }
    case RPT_OPT_STRLIST: {
        rpt_kvlist *kv = FIELD(target, o, rpt_kvlist);
        rpt_kvlist_clear(kv);
        if (v->type == RPT_JSTRING) return rpt_kvlist_add(kv, NULL, v->str);
        if (v->type != RPT_JARRAY) goto wrong_type;
        for (size_t i = 0; i < v->n; i++) {
            if (v->items[i]->type != RPT_JSTRING) {
                rpt_buf_puts(reason, "expected an array of strings");
                return -1;
            }
            if (rpt_kvlist_add(kv, NULL, v->items[i]->str)) return -1;
        }
        return 0;
    }
    }
wrong_type:
    rpt_buf_printf(reason, "expected %s, got %s",
                  o->type == RPT_OPT_STRING    ? "a string"
                  : o->type == RPT_OPT_BOOL    ? "true or false"
                  : o->type == RPT_OPT_KV      ? "an object"
                  : o->type == RPT_OPT_STRLIST ? "an array of strings"
                                              : "a number",
                  rpt_jtype_name(v->type));
    return -1;
}

int rpt_opts_apply(const rpt_opt *table, void *target, const rpt_jnode *obj, const char *file,
                  const char *where, rpt_buf *err)
{
    if (!obj) goto check_required;
    if (obj->type != RPT_JOBJECT) {
        rpt_buf_printf(err, "%s:%d: %s: expected an object, got %s", file, obj->line, where,
                      rpt_jtype_name(obj->type));
        return -1;
    }
    for (size_t i = 0; i < obj->n; i++) {
        const rpt_jnode *v = obj->items[i];
        const rpt_opt *o = find_opt(table, v->key);
        if (!o) {
            rpt_buf_printf(err, "%s:%d: %s: unknown key \"%s\"", file, v->line, where, v->key);
            return -1;
        }
        rpt_buf reason = RPT_BUF_INIT;
        if (apply_one(o, target, v, &reason) != 0) {
            rpt_buf_printf(err, "%s:%d: %s.%s: %s", file, v->line, where, o->key,
                          reason.data ? reason.data : "invalid value");
            rpt_buf_clear(&reason);
            return -1;
        }
        rpt_buf_clear(&reason);
    }
check_required:
    for (const rpt_opt *o = table; o->key; o++) {
        if (!(o->flags & RPT_OPT_REQUIRED)) continue;
        if (!rpt_json_get(obj, o->key)) {
            rpt_buf_printf(err, "%s:%d: %s: missing required key \"%s\"", file, obj ? obj->line : 0,
                          where, o->key);
            return -1;
        }
    }
    return 0;
}

int rpt_opts_apply_env(const rpt_opt *table, void *target, const char *prefix, rpt_buf *err)
{
    for (const rpt_opt *o = table; o->key; o++) {
        if (o->type == RPT_OPT_KV) continue;
        char name[256];
        int n = snprintf(name, sizeof name, "%s_%s", prefix, o->key);
        if (n < 0 || (size_t)n >= sizeof name) continue;
        for (char *p = name; *p; p++) *p = (*p == '.' || *p == '-') ? '_' : (char)toupper((unsigned char)*p);
        const char *v = getenv(name);
        if (!v) continue;
        rpt_buf reason = RPT_BUF_INIT;
        if (set_text(o, target, v, &reason) != 0) {
            rpt_buf_printf(err, "environment %s: %s", name, reason.data ? reason.data : "invalid");
            rpt_buf_clear(&reason);
            return -1;
        }
        rpt_buf_clear(&reason);
    }
    return 0;
}

void rpt_opts_dump(const rpt_opt *table, const void *target, yajl_gen g)
{
    yajl_gen_map_open(g);
    for (const rpt_opt *o = table; o->key; o++) {
        rpt_jg_key(g, o->key);
        switch (o->type) {
        case RPT_OPT_STRING: {
            const char *s = *FIELD(target, o, char *const);
            rpt_jg_str(g, NULL, s && (o->flags & RPT_OPT_SECRET) ? "***" : s);
            break;
        }
        case RPT_OPT_INT:
            yajl_gen_integer(g, *FIELD(target, o, const long long));
            break;
        case RPT_OPT_DOUBLE:
            rpt_jg_number(g, *FIELD(target, o, const double));
            break;
        case RPT_OPT_BOOL:
            yajl_gen_bool(g, *FIELD(target, o, const int));
            break;
        case RPT_OPT_KV: {
            const rpt_kvlist *kv = FIELD(target, o, const rpt_kvlist);
            yajl_gen_map_open(g);
            for (size_t i = 0; i < kv->n; i++) {
                int secret = strstr(kv->keys[i], "password") || strstr(kv->keys[i], "secret") ||
                             strstr(kv->keys[i], "sasl.");
                rpt_jg_str(g, kv->keys[i], secret ? "***" : kv->vals[i]);
            }
            yajl_gen_map_close(g);
            break;
        }
        case RPT_OPT_STRLIST: {
            const rpt_kvlist *kv = FIELD(target, o, const rpt_kvlist);
            yajl_gen_array_open(g);
            for (size_t i = 0; i < kv->n; i++) rpt_jg_str(g, NULL, kv->vals[i]);
            yajl_gen_array_close(g);
            break;
        }
        }
    }
    yajl_gen_map_close(g);
}

void rpt_opts_clear(const rpt_opt *table, void *target)
{
    for (const rpt_opt *o = table; o->key; o++) {
        if (o->type == RPT_OPT_STRING) {
            free(*FIELD(target, o, char *));
            *FIELD(target, o, char *) = NULL;
        } else if (o->type == RPT_OPT_KV || o->type == RPT_OPT_STRLIST) {
            rpt_kvlist_clear(FIELD(target, o, rpt_kvlist));
        }
    }
}
