#include "connectors/http/url.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Appends `s` with percent-encoding normalised: %XX of an unreserved character decoded,
 * other escapes upper-cased, bytes that may not appear raw (controls, space, non-ASCII,
 * quotes, angle brackets, a lone '%') encoded. */
static int normalise_escapes(rpt_buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            unsigned char c = (unsigned char)(hexval(p[1]) * 16 + hexval(p[2]));
            if (is_unreserved(c)) {
                if (rpt_buf_putc(out, (char)c)) return -1;
            } else {
                char e[3] = {'%', hex[c >> 4], hex[c & 15]};
                if (rpt_buf_append(out, e, 3)) return -1;
            }
            p += 2;
        } else if (*p <= 0x20 || *p >= 0x7f || *p == '%' || *p == '"' || *p == '<' || *p == '>' ||
                   *p == '\\' || *p == '^' || *p == '`' || *p == '{' || *p == '|' || *p == '}') {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            if (rpt_buf_append(out, e, 3)) return -1;
        } else if (rpt_buf_putc(out, (char)*p)) {
            return -1;
        }
    }
    return 0;
}

/* Encodes what curl's parser refuses (spaces, raw non-ASCII) before parsing; trims
 * surrounding whitespace as browsers do for href values. Caller frees. */
static char *pre_encode(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    rpt_buf b = RPT_BUF_INIT;
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n' || c == '\t') continue;
        if (c <= 0x20 || c >= 0x7f) {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            rpt_buf_append(&b, e, 3);
        } else {
            rpt_buf_putc(&b, (char)c);
        }
    }
    if (!b.data) rpt_buf_puts(&b, "");
    return rpt_buf_steal(&b);
}

/* Builds the canonical text from a parsed handle. */
static char *canonical_from(CURLU *h)
{
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL;
    char *result = NULL;
    rpt_buf b = RPT_BUF_INIT;
    if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) || curl_url_get(h, CURLUPART_HOST, &host, 0))
        goto out;
    if (strcmp(scheme, "http") && strcmp(scheme, "https")) goto out;
    curl_url_get(h, CURLUPART_PORT, &port, 0);
    curl_url_get(h, CURLUPART_PATH, &path, 0);
    curl_url_get(h, CURLUPART_QUERY, &query, 0);
    for (char *p = host; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
    rpt_buf_printf(&b, "%s://%s", scheme, host);
    if (port && !((!strcmp(scheme, "http") && !strcmp(port, "80")) ||
                  (!strcmp(scheme, "https") && !strcmp(port, "443"))))
        rpt_buf_printf(&b, ":%s", port);
    if (!path || !*path)
        rpt_buf_putc(&b, '/');
    else if (normalise_escapes(&b, path))
        goto out;
    if (query && *query) {
        rpt_buf_putc(&b, '?');
        if (normalise_escapes(&b, query)) goto out;
    }
    result = rpt_buf_steal(&b);
out:
    rpt_buf_clear(&b);
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(query);
    return result;
}

char *rpt_url_canonical(const char *url)
{
    return rpt_url_resolve(NULL, url);
}

char *rpt_url_resolve(const char *base, const char *ref)
{
    if (!ref) return NULL;
    char *r = pre_encode(ref), *b = base ? pre_encode(base) : NULL, *out = NULL;
    CURLU *h = curl_url();
    if (!h || !r) goto done;
    if (b && curl_url_set(h, CURLUPART_URL, b, 0)) goto done;
    if (curl_url_set(h, CURLUPART_URL, r, 0)) goto done;
    curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0);
    out = canonical_from(h);
done:
    curl_url_cleanup(h);
    free(r);
    free(b);
    return out;
}

int rpt_url_origin(const char *url, char *out, size_t cap)
{
    CURLU *h = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    int rc = -1;
    if (!h || curl_url_set(h, CURLUPART_URL, url, 0)) goto done;
    if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) ||
        curl_url_get(h, CURLUPART_HOST, &host, 0) ||
        curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT))
        goto done;
    int n = snprintf(out, cap, "%s://%s:%s", scheme, host, port);
    if (n > 0 && (size_t)n < cap) rc = 0;
    for (char *p = out; rc == 0 && *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
done:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(h);
    return rc;
}

char *rpt_url_path_query(const char *url)
{
    CURLU *h = curl_url();
    char *path = NULL, *query = NULL, *out = NULL;
    if (!h || curl_url_set(h, CURLUPART_URL, url, 0)) goto done;
    curl_url_get(h, CURLUPART_PATH, &path, 0);
    curl_url_get(h, CURLUPART_QUERY, &query, 0);
    rpt_buf b = RPT_BUF_INIT;
    rpt_buf_puts(&b, path && *path ? path : "/");
    if (query && *query) rpt_buf_printf(&b, "?%s", query);
    out = rpt_buf_steal(&b);
done:
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(h);
    return out;
}

/* Glob match where '*' matches any run; anchored at both ends. */
static int glob(const char *p, const char *s)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*p == '*') {
            star = p++;
            resume = s;
        } else if (*p == *s) {
            p++;
            s++;
        } else if (star) {
            p = star + 1;
            s = ++resume;
        } else {
            return 0;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

int rpt_url_match(const char *pattern, const char *url)
{
    if (!strchr(pattern, '*')) return strstr(url, pattern) != NULL;
    size_t n = strlen(pattern);
    char *p = malloc(n + 3);
    if (!p) return 0;
    p[0] = '*';
    memcpy(p + 1, pattern, n);
    p[n + 1] = '*';
    p[n + 2] = '\0';
    int hit = glob(p, url); /* like a substring: the pattern may match anywhere */
    free(p);
    return hit;
}
