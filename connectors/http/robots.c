#include "connectors/http/robots.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct rule {
    char *pattern;
    int allow;
} rule;

struct rpt_robots {
    rule *rules;
    size_t n, cap;
    unsigned limits; /* RPT_ROBOTS_LIMIT_* hit while parsing */
};

/* Finds `needle` (n bytes) in s[from, len) and returns its offset, or -1. memmem is
 * linear in glibc (two-way), so the whole match below stays linear. */
static long find(const char *s, size_t len, size_t from, const char *needle, size_t n)
{
    if (n == 0) return (long)from;
    if (from > len || len - from < n) return -1;
    const char *hit = memmem(s + from, len - from, needle, n);
    return hit ? (long)(hit - s) : -1;
}

/* Matches a robots pattern against the start of path ('*' any run, a trailing '$' anchors
 * the end) in time linear in both lengths, without recursion: the pattern is a list of
 * literal segments separated by '*'; the first must be a prefix of the path, each following
 * one is matched at its leftmost occurrence after the previous (leftmost is always safe
 * because '*' absorbs any gap), and with '$' the last one must end the path. */
static int pattern_match(const char *p, const char *s)
{
    size_t plen = strlen(p), slen = strlen(s);
    int anchored = plen > 0 && p[plen - 1] == '$';
    if (anchored) plen--;
    const char *star = memchr(p, '*', plen);
    size_t seg = star ? (size_t)(star - p) : plen;
    if (seg > slen || memcmp(p, s, seg) != 0) return 0;
    if (!star) return anchored ? seg == slen : 1;
    size_t pos = seg;    /* first unmatched byte of s */
    size_t at = seg + 1; /* first byte of the next segment of p */
    for (;;) {
        star = memchr(p + at, '*', plen - at);
        seg = star ? (size_t)(star - (p + at)) : plen - at;
        if (!star) { /* the last segment */
            if (!anchored) return find(s, slen, pos, p + at, seg) >= 0;
            return slen - pos >= seg && memcmp(s + slen - seg, p + at, seg) == 0;
        }
        long hit = find(s, slen, pos, p + at, seg);
        if (hit < 0) return 0;
        pos = (size_t)hit + seg;
        at += seg + 1;
    }
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Adds one rule, with runs of '*' collapsed to one (same meaning, bounded work). A pattern
 * longer than RPT_ROBOTS_MAX_PATTERN is cut to that length when it disallows (a prefix of a
 * Disallow matches more paths: stricter) and dropped when it allows (less permissive); past
 * RPT_ROBOTS_MAX_RULES rules the rest are dropped. Both are noted in r->limits. */
static int add_rule(rpt_robots *r, const char *pattern, int allow)
{
    if (r->n >= RPT_ROBOTS_MAX_RULES) {
        r->limits |= RPT_ROBOTS_LIMIT_RULES;
        return 0;
    }
    char *p = malloc(RPT_ROBOTS_MAX_PATTERN + 1);
    if (!p) return -1;
    size_t n = 0;
    for (const char *c = pattern; *c; c++) {
        if (*c == '*' && n > 0 && p[n - 1] == '*') continue;
        if (n == RPT_ROBOTS_MAX_PATTERN) {
            r->limits |= RPT_ROBOTS_LIMIT_PATTERN;
            if (allow) {
                free(p);
                return 0;
            }
            if (n > 0 && p[n - 1] == '$') n--; /* a cut pattern no longer ends the path */
            break;
        }
        p[n++] = *c;
    }
    p[n] = '\0';
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        rule *nr = realloc(r->rules, cap * sizeof *nr);
        if (!nr) {
            free(p);
            return -1;
        }
        r->rules = nr;
        r->cap = cap;
    }
    r->rules[r->n].pattern = p;
    r->rules[r->n++].allow = allow;
    return 0;
}

/* Collects the rules of the groups naming `agent` (or "*" when none does). */
rpt_robots *rpt_robots_parse(const char *text, size_t len, const char *agent)
{
    rpt_robots *own = calloc(1, sizeof *own), *any = calloc(1, sizeof *any);
    unsigned limits = 0;
    if (len > RPT_ROBOTS_MAX_BYTES) {
        len = RPT_ROBOTS_MAX_BYTES; /* the rest is ignored, as RFC 9309 allows */
        limits |= RPT_ROBOTS_LIMIT_BYTES;
    }
    char *copy = malloc(len + 1);
    if (!own || !any || !copy) goto fail;
    memcpy(copy, text, len);
    copy[len] = '\0';
    int in_agents = 0, for_own = 0, for_any = 0, own_seen = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        char *colon = strchr(line, ':');
        if (!colon) continue;
        *colon = '\0';
        char *key = trim(line), *val = trim(colon + 1);
        if (!strcasecmp(key, "user-agent")) {
            if (!in_agents) for_own = for_any = 0;
            in_agents = 1;
            if (!strcmp(val, "*"))
                for_any = 1;
            else if (*val && strncasecmp(val, agent, strlen(val)) == 0)
                for_own = own_seen = 1;
        } else if (!strcasecmp(key, "allow") || !strcasecmp(key, "disallow")) {
            in_agents = 0;
            int allow = !strcasecmp(key, "allow");
            if (!*val) continue; /* "Disallow:" with no path allows everything */
            if (for_own && add_rule(own, val, allow)) goto fail;
            if (for_any && add_rule(any, val, allow)) goto fail;
        } else {
            in_agents = 0;
        }
    }
    free(copy);
    /* An agent's own group replaces the "*" group when it exists. */
    rpt_robots *keep = own_seen ? own : any;
    rpt_robots_free(own_seen ? any : own);
    keep->limits |= limits;
    return keep;
fail:
    free(copy);
    rpt_robots_free(own);
    rpt_robots_free(any);
    return NULL;
}

int rpt_robots_allowed(const rpt_robots *r, const char *path)
{
    if (!r) return 1;
    size_t best = 0;
    int allowed = 1, found = 0;
    for (size_t i = 0; i < r->n; i++) {
        const rule *ru = &r->rules[i];
        if (!pattern_match(ru->pattern, path)) continue;
        size_t l = strlen(ru->pattern);
        if (!found || l > best || (l == best && ru->allow)) {
            best = l;
            allowed = ru->allow;
            found = 1;
        }
    }
    return allowed;
}

unsigned rpt_robots_limits(const rpt_robots *r)
{
    return r ? r->limits : 0;
}

void rpt_robots_free(rpt_robots *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++)
        free(r->rules[i].pattern);
    free(r->rules);
    free(r);
}
