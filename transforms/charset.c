/* Charset decision and decoding to UTF-8. Decision order: HTTP Content-Type charset, BOM,
 * HTML <meta charset>/http-equiv, detection (valid UTF-8, else GB18030). UTF-8 input takes
 * the one-pass path of normalize.c; anything else goes through iconv, with invalid
 * sequences replaced by U+FFFD and counted. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "transforms/decode.h"

#define META_SCAN_BYTES 4096
#define DETECT_BYTES (4u << 20) /* detection looks at the first 4 MiB */

static const struct {
    const char *label;
    const char *canonical;
} charset_names[] = {
    {"utf-8", "UTF-8"},
    {"utf8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8"},
    {"gb2312", "GB2312"},
    {"gbk", "GBK"},
    {"gb18030", "GB18030"},
    {"x-gbk", "GBK"},
    {"cp936", "GBK"},
    {"windows-936", "GBK"},
    {"euc-cn", "GB2312"},
    {"csgb2312", "GB2312"},
    {"chinese", "GB2312"},
    {"gb_2312-80", "GB2312"},
    {"big5", "BIG5"},
    {"big5-hkscs", "BIG5-HKSCS"},
    {"utf-16le", "UTF-16LE"},
    {"utf-16be", "UTF-16BE"},
    {"utf-16", "UTF-16"},
    {"iso-8859-1", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"},
    {"us-ascii", "UTF-8"},
    {"ascii", "UTF-8"},
    {"windows-1252", "WINDOWS-1252"},
};

const char *rpt_charset_canonical(const char *label, size_t len)
{
    while (len && (*label == ' ' || *label == '"' || *label == '\''))
        label++, len--;
    while (len && (label[len - 1] == ' ' || label[len - 1] == '"' || label[len - 1] == '\''))
        len--;
    for (size_t i = 0; i < sizeof charset_names / sizeof *charset_names; i++)
        if (strlen(charset_names[i].label) == len &&
            strncasecmp(charset_names[i].label, label, len) == 0)
            return charset_names[i].canonical;
    return NULL;
}

/* The charset parameter of a Content-Type value ("text/html; charset=GBK"), or NULL. */
static const char *charset_param(const char *s, size_t len)
{
    for (size_t i = 0; i + 8 <= len; i++) {
        if (strncasecmp(s + i, "charset", 7) != 0) continue;
        size_t j = i + 7;
        while (j < len && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j >= len || s[j] != '=') continue;
        j++;
        while (j < len && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
            j++;
        size_t k = j;
        while (k < len &&
               (s[k] == '-' || s[k] == '_' || s[k] == '.' || s[k] == ':' ||
                (s[k] >= '0' && s[k] <= '9') || ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z')))
            k++;
        return rpt_charset_canonical(s + j, k - j);
    }
    return NULL;
}

/* Charset named by a <meta> tag in the first bytes of an HTML page, or NULL. */
static const char *meta_charset(const unsigned char *data, size_t len)
{
    const char *s = (const char *)data;
    size_t n = len < META_SCAN_BYTES ? len : META_SCAN_BYTES;
    for (size_t i = 0; i + 5 < n; i++) {
        if (s[i] != '<' || strncasecmp(s + i + 1, "meta", 4) != 0) continue;
        size_t end = i + 5;
        while (end < n && s[end] != '>')
            end++;
        const char *cs = charset_param(s + i, end - i);
        if (cs) return cs;
        i = end;
    }
    return NULL;
}

/* Whether data is UTF-8: valid, or mostly valid with a few stray bytes (a page mixing
 * encodings). Pure ASCII counts as UTF-8. */
static int looks_utf8(const unsigned char *data, size_t len)
{
    size_t valid_mb = 0, invalid = 0;
    if (len > DETECT_BYTES) len = DETECT_BYTES;
    for (size_t i = 0; i < len;) {
        if (data[i] < 0x80) {
            uint64_t w;
            while (i + 8 <= len && (memcpy(&w, data + i, 8), (w & 0x8080808080808080ull) == 0))
                i += 8;
            while (i < len && data[i] < 0x80)
                i++;
            continue;
        }
        unsigned c = data[i];
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        size_t k = 1;
        if (need && i + need <= len) {
            while (k < need && (data[i + k] & 0xC0) == 0x80)
                k++;
        }
        if (need && k == need && !(c == 0xE0 && data[i + 1] < 0xA0) &&
            !(c == 0xED && data[i + 1] > 0x9F) && !(c == 0xF0 && data[i + 1] < 0x90) &&
            !(c >= 0xF4 && (c > 0xF4 || data[i + 1] > 0x8F))) {
            valid_mb++;
            i += need;
        } else {
            invalid++;
            i++;
        }
    }
    return invalid == 0 || valid_mb >= 4 * invalid;
}

/* Whether data is valid UTF-8 holding at least one multi-byte character. */
static int strict_utf8_with_text(const unsigned char *data, size_t len)
{
    int multibyte = 0;
    for (size_t i = 0; i < len; i++)
        if (data[i] >= 0x80) {
            multibyte = 1;
            break;
        }
    if (!multibyte) return 0;
    rpt_buf scratch = RPT_BUF_INIT;
    long bad = 0;
    size_t n = len < 65536 ? len : 65536;
    /* a cut at the sample end may split a character: allow one replacement there */
    int ok = rpt_utf8_sanitize(data, n, 0, &scratch, &bad, NULL) == 0 && bad <= (n < len ? 1 : 0);
    rpt_buf_clear(&scratch);
    return ok;
}

/* The declared charset (HTTP header, BOM, <meta>) into out; 0 when nothing usable is
 * declared and detection must decide. */
static int charset_declared(const unsigned char *data, size_t len, const char *content_type,
                            int is_html, rpt_charset_choice *out)
{
    const char *cs = NULL;
    memset(out, 0, sizeof *out);
    if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        out->bom_len = 3, cs = "UTF-8";
    else if (len >= 4 && data[0] == 0x84 && data[1] == 0x31 && data[2] == 0x95 && data[3] == 0x33)
        out->bom_len = 4, cs = "GB18030";
    else if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
        out->bom_len = 2, cs = "UTF-16LE";
    else if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
        out->bom_len = 2, cs = "UTF-16BE";
    const char *http = content_type ? charset_param(content_type, strlen(content_type)) : NULL;
    if (http) {
        out->by = "http";
        /* a BOM of the same encoding family is still skipped */
        if (!(cs && strncmp(cs, http, 3) == 0)) out->bom_len = 0;
        cs = http;
    } else if (cs) {
        out->by = "bom";
    } else if (is_html && (cs = meta_charset(data, len)) != NULL) {
        out->by = "meta";
        /* a page that says UTF-16 in ASCII bytes is not UTF-16 */
        if (strncmp(cs, "UTF-16", 6) == 0) cs = NULL;
    }
    /* a declared UTF-8 that the bytes are not, or a declared GB charset over bytes that are
     * strictly valid UTF-8 with non-ASCII text (servers and templates mislabel pages):
     * the bytes win, since decoding by the label would garble the text */
    if (cs && (!strcmp(out->by, "http") || !strcmp(out->by, "meta"))) {
        if (!strcmp(cs, "UTF-8") && !looks_utf8(data, len))
            cs = NULL;
        else if (!strncmp(cs, "GB", 2) && strict_utf8_with_text(data, len))
            cs = NULL;
    }
    if (!cs) return 0;
    snprintf(out->name, sizeof out->name, "%s", cs);
    return 1;
}

void rpt_charset_decide(const unsigned char *data, size_t len, const char *content_type, int is_html,
                       rpt_charset_choice *out)
{
    if (charset_declared(data, len, content_type, is_html, out)) return;
    out->by = "detect";
    snprintf(out->name, sizeof out->name, "%s", looks_utf8(data, len) ? "UTF-8" : "GB18030");
}

int rpt_charset_decode_input(const unsigned char *data, size_t len, const char *content_type,
                            int is_html, unsigned flags, rpt_charset_choice *cs, rpt_buf *out,
                            long *replaced, size_t *chars, rpt_buf *err)
{
    if (charset_declared(data, len, content_type, is_html, cs))
        return rpt_charset_decode(data + cs->bom_len, len - cs->bom_len, cs->name, flags, out,
                                 replaced, chars, err);
    /* detection merged with decoding: valid UTF-8 (the common case) needs one pass */
    cs->by = "detect";
    snprintf(cs->name, sizeof cs->name, "UTF-8");
    long bad = 0;
    size_t n = 0, start = out->len;
    int rc = rpt_utf8_sanitize(data, len, flags | RPT_NORM_GIVE_UP, out, &bad, &n);
    if (rc < 0) {
        rpt_buf_puts(err, "out of memory while decoding");
        return -1;
    }
    if (rc == 0 && (bad == 0 || looks_utf8(data, len))) {
        *replaced += bad;
        *chars += n;
        return 0;
    }
    out->len = start;
    if (out->data) out->data[start] = '\0';
    if (rc == 1 && looks_utf8(data, len)) /* gave up early on a page mixing encodings */
        return rpt_charset_decode(data, len, cs->name, flags, out, replaced, chars, err);
    snprintf(cs->name, sizeof cs->name, "GB18030");
    return rpt_charset_decode(data, len, cs->name, flags, out, replaced, chars, err);
}

/* iconv's name for a canonical charset: the GB family decodes as GB18030 (a superset). */
static const char *iconv_name(const char *charset)
{
    if (!strcmp(charset, "GB2312") || !strcmp(charset, "GBK")) return "GB18030";
    return charset;
}

/* Decodes through iconv, replacing each invalid or truncated sequence by U+FFFD. */
static int iconv_decode(const unsigned char *data, size_t len, const char *charset, rpt_buf *out,
                        long *replaced, rpt_buf *err)
{
    iconv_t cd = iconv_open("UTF-8", iconv_name(charset));
    if (cd == (iconv_t)-1) {
        rpt_buf_printf(err, "charset %s is not supported by iconv", charset);
        return -1;
    }
    char *in = (char *)data;
    size_t in_left = len;
    int rc = -1;
    if (rpt_buf_reserve(out, len + len / 2 + 16)) goto fail;
    while (in_left > 0) {
        size_t room = out->cap - out->len - 1;
        if (room < 16) {
            if (rpt_buf_reserve(out, out->cap)) goto fail;
            room = out->cap - out->len - 1;
        }
        char *o = out->data + out->len;
        size_t o_left = room;
        size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        out->len += room - o_left;
        if (r != (size_t)-1) break;
        if (errno == E2BIG) continue;
        if (errno == EILSEQ || errno == EINVAL) {
            /* EILSEQ: skip one byte and go on; EINVAL: truncated sequence at the end */
            if (rpt_buf_append(out, "\xEF\xBF\xBD", 3)) goto fail;
            (*replaced)++;
            if (errno == EINVAL) {
                in_left = 0;
            } else {
                in++;
                in_left--;
            }
            iconv(cd, NULL, NULL, NULL, NULL);
            continue;
        }
        rpt_buf_printf(err, "decoding %s failed: %s", charset, strerror(errno));
        goto fail;
    }
    out->data[out->len] = '\0';
    rc = 0;
fail:
    if (rc && !err->len) rpt_buf_puts(err, "out of memory while decoding");
    iconv_close(cd);
    return rc;
}

int rpt_charset_decode(const unsigned char *data, size_t len, const char *charset, unsigned flags,
                      rpt_buf *out, long *replaced, size_t *chars, rpt_buf *err)
{
    if (!strcmp(charset, "UTF-8")) {
        if (rpt_utf8_sanitize(data, len, flags, out, replaced, chars)) {
            rpt_buf_puts(err, "out of memory while decoding");
            return -1;
        }
        return 0;
    }
    rpt_buf tmp = RPT_BUF_INIT;
    long bad = 0;
    if (iconv_decode(data, len, charset, &tmp, &bad, err)) {
        rpt_buf_clear(&tmp);
        return -1;
    }
    /* iconv output is valid UTF-8; the pass folds full-width forms and NUL/CR as for UTF-8 */
    int rc =
        rpt_utf8_sanitize((const unsigned char *)tmp.data, tmp.len, flags, out, replaced, chars);
    *replaced += bad;
    rpt_buf_clear(&tmp);
    if (rc) rpt_buf_puts(err, "out of memory while decoding");
    return rc;
}
