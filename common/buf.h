/* Growable byte buffer. Always NUL-terminated; `len` excludes the terminator. */
#ifndef REPORTD_COMMON_BUF_H
#define REPORTD_COMMON_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct rd_buf {
    char *data;
    size_t len;
    size_t cap;
} rd_buf;

#define RD_BUF_INIT {NULL, 0, 0}

/* Ensures room for `extra` more bytes plus a terminator. Returns 0 or -1 (ENOMEM). */
int rd_buf_reserve(rd_buf *b, size_t extra);
int rd_buf_append(rd_buf *b, const void *data, size_t len);
int rd_buf_puts(rd_buf *b, const char *s);
int rd_buf_putc(rd_buf *b, char c);
int rd_buf_printf(rd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int rd_buf_vprintf(rd_buf *b, const char *fmt, va_list ap);
void rd_buf_reset(rd_buf *b);
/* Hands the data to the caller (who frees it) and leaves the buffer empty. */
char *rd_buf_steal(rd_buf *b);
void rd_buf_free(rd_buf *b);

#endif
