#include "common/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rpt_buf_reserve(rpt_buf *b, size_t extra)
{
    if (extra > (size_t)-1 / 2 - b->len) return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int rpt_buf_append(rpt_buf *b, const void *data, size_t len)
{
    if (rpt_buf_reserve(b, len) != 0) return -1;
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int rpt_buf_puts(rpt_buf *b, const char *s)
{
    return rpt_buf_append(b, s, strlen(s));
}

int rpt_buf_putc(rpt_buf *b, char c)
{
    return rpt_buf_append(b, &c, 1);
}

int rpt_buf_vprintf(rpt_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || rpt_buf_reserve(b, (size_t)n) != 0) return -1;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int rpt_buf_printf(rpt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = rpt_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void rpt_buf_reset(rpt_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

char *rpt_buf_steal(rpt_buf *b)
{
    char *p = b->data;
    if (!p) p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void rpt_buf_clear(rpt_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *rpt_memdup_str(const void *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s) return NULL;
    if (n) memcpy(s, p, n);
    s[n] = '\0';
    return s;
}
