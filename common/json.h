/* JSON in (a small DOM with line numbers, parsed by yajl) and JSON out helpers over yajl_gen. */
#ifndef REPORTD_COMMON_JSON_H
#define REPORTD_COMMON_JSON_H

#include <stddef.h>
#include <yajl/yajl_gen.h>

#include "common/buf.h"

typedef enum {
    RPT_JNULL,
    RPT_JBOOL,
    RPT_JNUMBER,
    RPT_JSTRING,
    RPT_JOBJECT,
    RPT_JARRAY
} rpt_jtype;

typedef struct rpt_jnode {
    rpt_jtype type;
    int line;            /* 1-based line of the value in the source text */
    char *key;           /* member name when the parent is an object */
    char *str;           /* string value, or the number's text */
    double num;          /* number value */
    int boolean;         /* bool value */
    struct rpt_jnode **items; /* object members or array elements */
    size_t n;
} rpt_jnode;

/* Parses `len` bytes of JSON (comments allowed). Returns a tree the caller frees with
 * rpt_json_free(), or NULL with a message "line N: ..." in `err`. */
rpt_jnode *rpt_json_parse(const char *text, size_t len, rpt_buf *err);
void rpt_json_free(rpt_jnode *n);
/* Parses a message that must be one JSON object. NULL on failure, with "WHAT is not JSON:
 * reason" or "WHAT is not a JSON object" in err. The caller frees the tree. */
rpt_jnode *rpt_json_parse_object(const char *text, size_t len, const char *what, rpt_buf *err);
/* A copy of member `key`'s string value (caller frees), or NULL when absent or not a string. */
char *rpt_json_strdup(const rpt_jnode *obj, const char *key);
/* Member `key` of an object node, or NULL. */
const rpt_jnode *rpt_json_get(const rpt_jnode *obj, const char *key);
/* Follows a dotted path ("data.list") through objects; NULL when any step is missing. */
const rpt_jnode *rpt_json_path(const rpt_jnode *obj, const char *path);
/* String value of member `key`, or NULL when absent or not a string. */
const char *rpt_json_str(const rpt_jnode *obj, const char *key);
const char *rpt_jtype_name(rpt_jtype t);

/* Output helpers: each writes "key": value into an open map (NULL string -> null). */
void rpt_jg_key(yajl_gen g, const char *key);
void rpt_jg_str(yajl_gen g, const char *key, const char *val);
void rpt_jg_strn(yajl_gen g, const char *key, const char *val, size_t len);
void rpt_jg_int(yajl_gen g, const char *key, long long val);
/* Writes the shortest decimal that reads back as `val`; NaN and inf become null. */
void rpt_jg_double(yajl_gen g, const char *key, double val);
void rpt_jg_bool(yajl_gen g, const char *key, int val);
void rpt_jg_null(yajl_gen g, const char *key);
void rpt_jg_number(yajl_gen g, double val);
/* A new generator that emits compact UTF-8 (no escaping of non-ASCII). */
yajl_gen rpt_jg_new(void);

#endif
