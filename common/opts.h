/* Declared settings: each component describes its keys in one table (type, default, bounds,
 * doc string, offset into its settings struct) and rd_opts_apply() fills the struct from a
 * JSON object, rejecting unknown keys and bad values with file, line and key. */
#ifndef REPORTD_COMMON_OPTS_H
#define REPORTD_COMMON_OPTS_H

#include <stddef.h>
#include <yajl/yajl_gen.h>

#include "common/buf.h"
#include "common/json.h"

typedef enum {
    RD_OPT_STRING, /* char *, malloc'd */
    RD_OPT_INT,    /* long long, within [min, max] */
    RD_OPT_DOUBLE, /* double, within [min, max] */
    RD_OPT_BOOL,   /* int 0/1 */
    RD_OPT_KV,     /* rd_kvlist: an object of string (or scalar) values passed through */
    RD_OPT_STRLIST /* rd_kvlist with keys NULL: an array of strings */
} rd_opt_type;

enum {
    RD_OPT_SECRET = 1 << 0,   /* masked in dumps and logs */
    RD_OPT_REQUIRED = 1 << 1, /* must be present (no default) */
};

typedef struct rd_kvlist {
    char **keys;
    char **vals;
    size_t n;
} rd_kvlist;

typedef struct rd_opt {
    const char *key;
    rd_opt_type type;
    const char *def; /* default as text; NULL for none */
    double min, max; /* bounds for numbers (ignored when min == max == 0) */
    size_t offset;   /* offsetof(settings struct, field) */
    unsigned flags;
    const char *doc;
} rd_opt;

#define RD_OPT_END {NULL, 0, NULL, 0, 0, 0, 0, NULL}

/* Sets every field of `target` to its default. Returns 0, or -1 with a message in err. */
int rd_opts_defaults(const rd_opt *table, void *target, rd_buf *err);

/* Applies members of JSON object `obj` to `target`. `where` names the object for messages
 * (e.g. "fetch" or "sources[2]"); `file` is the config path. Unknown keys, wrong types and
 * out-of-range values are errors "FILE:LINE: WHERE.KEY: reason". Returns 0 or -1. */
int rd_opts_apply(const rd_opt *table, void *target, const rd_jnode *obj, const char *file,
                  const char *where, rd_buf *err);

/* Applies environment overrides PREFIX_KEY (key upper-cased, '.' and '-' as '_'), e.g.
 * prefix "REPORTD_KAFKA" and key "bootstrap.servers" -> REPORTD_KAFKA_BOOTSTRAP_SERVERS. */
int rd_opts_apply_env(const rd_opt *table, void *target, const char *prefix, rd_buf *err);

/* Sets one key from text (used by env overrides and command-line flags). */
int rd_opts_set(const rd_opt *table, void *target, const char *key, const char *text,
                const char *where, rd_buf *err);

/* Writes the settings as a JSON object (secrets as "***"). */
void rd_opts_dump(const rd_opt *table, const void *target, yajl_gen g);
/* Frees strings and lists held in `target` (not target itself). */
void rd_opts_free(const rd_opt *table, void *target);

void rd_kvlist_free(rd_kvlist *kv);
int rd_kvlist_add(rd_kvlist *kv, const char *key, const char *val);

#endif
