/* Compact JSON written straight into an rpt_buf, for output paths that write a lot of it
 * (`reportd extract` writes one object per document). The bytes are exactly those of
 * yajl_gen with its defaults (no beautify, no solidus escaping) driven by the rpt_jg_*
 * helpers of common/json.h, so both writers can produce the same contract. */
#ifndef REPORTD_TRANSFORMS_JSON_WRITER_H
#define REPORTD_TRANSFORMS_JSON_WRITER_H

#include <stddef.h>
#include <string.h>

#include "common/buf.h"

typedef struct rpt_jw {
    rpt_buf *out; /* borrowed; output is appended */
    int first;   /* no separator before the next value (start of a container, after a key) */
    int oom;     /* set once an append failed; the output is then incomplete */
} rpt_jw;

/* Starts writing one JSON value at the end of out. */
void rpt_jw_init(rpt_jw *w, rpt_buf *out);

void rpt_jw_map_open(rpt_jw *w);
void rpt_jw_map_close(rpt_jw *w);
void rpt_jw_array_open(rpt_jw *w);
void rpt_jw_array_close(rpt_jw *w);
/* A member key (NUL-terminated). */
void rpt_jw_key(rpt_jw *w, const char *key);
/* A constant member key that needs no escaping, given already quoted and followed by ':'
 * ("\"start\":"); RPT_JW_KEY(w, "start") spells it. */
void rpt_jw_raw_key_slow(rpt_jw *w, const char *lit, size_t len);
static inline void rpt_jw_raw_key(rpt_jw *w, const char *lit, size_t len)
{
    rpt_buf *b = w->out;
    if (b->cap - b->len > len + 1) { /* inline: the key's length is a constant here */
        char *o = b->data + b->len;
        if (!w->first) *o++ = ',';
        memcpy(o, lit, len);
        o += len;
        *o = '\0';
        b->len = (size_t)(o - b->data);
        w->first = 1;
        return;
    }
    rpt_jw_raw_key_slow(w, lit, len);
}
#define RPT_JW_KEY(w, k) rpt_jw_raw_key((w), "\"" k "\":", sizeof("\"" k "\":") - 1)
/* Values; a NULL string writes null. With a non-NULL key the key is written first. */
void rpt_jw_str(rpt_jw *w, const char *key, const char *val);
void rpt_jw_strn(rpt_jw *w, const char *key, const char *val, size_t len);
void rpt_jw_int(rpt_jw *w, const char *key, long long val);
/* A double as rpt_jg_double writes it: the shortest of %.15g/%.16g/%.17g that reads back as
 * the same value, null when not finite. */
void rpt_jw_double(rpt_jw *w, const char *key, double val);
void rpt_jw_null(rpt_jw *w, const char *key);
void rpt_jw_bool(rpt_jw *w, const char *key, int val);

/* Formats val as rpt_jw_double does into out (at least 40 bytes, NUL-terminated); returns
 * the length, 0 when val is not finite. */
size_t rpt_jw_format_double(double val, char *out);

#endif
