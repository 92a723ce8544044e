#include "common/utf8.h"

#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when s starts an invalid one or NUL. */
static size_t seq_len(const unsigned char *s, const unsigned char *end)
{
    unsigned char c = *s;
    size_t n;
    unsigned int cp;
    if (c == 0) return 0;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0)
        n = 1, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
        n = 2, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
        n = 3, cp = c & 0x07;
    else
        return 0;
    if ((size_t)(end - s) <= n) return 0;
    for (size_t i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n + 1;
}

char *rpt_utf8_escape(const void *data, size_t len)
{
    const unsigned char *s = data, *end = s + len;
    size_t bad = 0;
    for (const unsigned char *p = s; p < end;) {
        size_t n = seq_len(p, end);
        bad += n == 0;
        p += n ? n : 1;
    }
    char *out = malloc(len + 3 * bad + 1), *o = out;
    if (!out) return NULL;
    static const char hex[] = "0123456789ABCDEF";
    while (s < end) {
        size_t n = seq_len(s, end);
        if (n) {
            memcpy(o, s, n);
            o += n;
            s += n;
            continue;
        }
        *o++ = '\\';
        *o++ = 'x';
        *o++ = hex[*s >> 4];
        *o++ = hex[*s & 15];
        s++;
    }
    *o = '\0';
    return out;
}

int rpt_utf8_text_ok(const void *data, size_t len)
{
    const unsigned char *s = data, *end = s + len;
    while (s < end) {
        size_t n = seq_len(s, end);
        if (!n) return 0;
        s += n;
    }
    return 1;
}
