/* Growable byte buffer. Always NUL-terminated; `len` excludes the terminator. */
#ifndef REPORTD_COMMON_BUF_H
#define REPORTD_COMMON_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct rpt_buf {
    char *data;
    size_t len;
    size_t cap;
} rpt_buf;

#define RPT_BUF_INIT {NULL, 0, 0}

/* Ensures room for `extra` more bytes plus a terminator. Returns 0 or -1 (ENOMEM). */
int rpt_buf_reserve(rpt_buf *b, size_t extra);
int rpt_buf_append(rpt_buf *b, const void *data, size_t len);
int rpt_buf_puts(rpt_buf *b, const char *s);
int rpt_buf_putc(rpt_buf *b, char c);
int rpt_buf_printf(rpt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int rpt_buf_vprintf(rpt_buf *b, const char *fmt, va_list ap);
void rpt_buf_reset(rpt_buf *b);
/* Hands the data to the caller (who frees it) and leaves the buffer empty. */
char *rpt_buf_steal(rpt_buf *b);
void rpt_buf_clear(rpt_buf *b);

/* A NUL-terminated copy of the n bytes at p (caller frees), NULL on ENOMEM. Unlike strndup
 * it never reads past p[n-1]: for bytes that are not a C string (Kafka keys, parser
 * callbacks pointing into a larger buffer). */
char *rpt_memdup_str(const void *p, size_t n);

#endif
