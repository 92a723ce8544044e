/* URLs as the fetcher sees them: relative links resolved against a page's base, and a
 * canonical form (the input of doc_id) so that the same document always gets the same id. */
#ifndef REPORTD_CONNECTORS_HTTP_URL_H
#define REPORTD_CONNECTORS_HTTP_URL_H

#include <stddef.h>

/* Resolves `ref` (as found in an href) against the absolute URL `base` and returns the
 * canonical absolute URL, or NULL when either is not a valid http(s) URL. Caller frees. */
char *rpt_url_resolve(const char *base, const char *ref);

/* Canonical form of an absolute http(s) URL: scheme and host lower-cased, default port
 * dropped, dot segments removed, empty path as "/", fragment dropped, percent-encoding
 * normalised (unreserved characters decoded, other escapes upper-cased, raw non-ASCII
 * bytes and spaces encoded). NULL when the URL is not valid http(s). Caller frees. */
char *rpt_url_canonical(const char *url);

/* Writes "scheme://host:port" of an absolute URL into out (the per-host politeness key).
 * Returns 0, or -1 when the URL cannot be parsed or out is too small. */
int rpt_url_origin(const char *url, char *out, size_t cap);

/* Path (with query) of an absolute URL, as robots.txt rules match it. Caller frees. */
char *rpt_url_path_query(const char *url);

/* True when `url` contains a match of `pattern`, where '*' matches any run of characters
 * (include/exclude patterns of a source): "/art/t*.html" matches
 * "http://h/jyj/art/t1.html". A pattern without '*' is a plain substring. */
int rpt_url_match(const char *pattern, const char *url);

#endif
