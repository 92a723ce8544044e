/* Declared settings: each component describes its keys in one table (type, default, bounds,
 * doc string, offset into its settings struct) and rpt_opts_apply() fills the struct from a
 * JSON object, rejecting unknown keys and bad values with file, line and key. */
#ifndef REPORTD_COMMON_OPTS_H
#define REPORTD_COMMON_OPTS_H

#include <stddef.h>
#include <yajl/yajl_gen.h>

#include "common/buf.h"
#include "common/json.h"

typedef enum {
    RPT_OPT_STRING, /* char *, malloc'd */
    RPT_OPT_INT,    /* long long, within [min, max] */
    RPT_OPT_DOUBLE, /* double, within [min, max] */
    RPT_OPT_BOOL,   /* int 0/1 */
    RPT_OPT_KV,     /* rpt_kvlist: an object of string (or scalar) values passed through */
    RPT_OPT_STRLIST /* rpt_kvlist with keys NULL: an array of strings */
} rpt_opt_type;

enum {
    RPT_OPT_SECRET = 1 << 0,   /* masked in dumps and logs */
    RPT_OPT_REQUIRED = 1 << 1, /* must be present (no default) */
};

typedef struct rpt_kvlist {
    char **keys;
    char **vals;
    size_t n;
} rpt_kvlist;

typedef struct rpt_opt {
    const char *key;
    rpt_opt_type type;
    const char *def; /* default as text; NULL for none */
    double min, max; /* bounds for numbers (ignored when min == max == 0) */
    size_t offset;   /* offsetof(settings struct, field) */
    unsigned flags;
    const char *doc;
} rpt_opt;

#define RPT_OPT_END {NULL, 0, NULL, 0, 0, 0, 0, NULL}

/* Sets every field of `target` to its default. Returns 0, or -1 with a message in err. */
int rpt_opts_defaults(const rpt_opt *table, void *target, rpt_buf *err);

/* Applies members of JSON object `obj` to `target`. `where` names the object for messages
 * (e.g. "fetch" or "sources[2]"); `file` is the config path. Unknown keys, wrong types and
 * out-of-range values are errors "FILE:LINE: WHERE.KEY: reason". Returns 0 or -1. */
int rpt_opts_apply(const rpt_opt *table, void *target, const rpt_jnode *obj, const char *file,
                  const char *where, rpt_buf *err);

/* Applies environment overrides PREFIX_KEY (key upper-cased, '.' and '-' as '_'), e.g.
 * prefix "REPORTD_KAFKA" and key "bootstrap.servers" -> REPORTD_KAFKA_BOOTSTRAP_SERVERS. */
int rpt_opts_apply_env(const rpt_opt *table, void *target, const char *prefix, rpt_buf *err);

/* Sets one key from text (used by env overrides and command-line flags). */
int rpt_opts_set(const rpt_opt *table, void *target, const char *key, const char *text,
                const char *where, rpt_buf *err);

/* Writes the settings as a JSON object (secrets as "***"). */
void rpt_opts_dump(const rpt_opt *table, const void *target, yajl_gen g);
/* Frees strings and lists held in `target` (not target itself). */
void rpt_opts_clear(const rpt_opt *table, void *target);

void rpt_kvlist_clear(rpt_kvlist *kv);
int rpt_kvlist_add(rpt_kvlist *kv, const char *key, const char *val);

#endif
