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
};

/* Matches a robots pattern against the start of path ('*' any run, '$' end anchor). */
static int pattern_match(const char *p, const char *s)
{
    if (*p == '\0') return 1;
    if (*p == '$' && p[1] == '\0') return *s == '\0';
    if (*p == '*') {
        for (;; s++) {
            if (pattern_match(p + 1, s)) return 1;
            if (!*s) return 0;
        }
    }
    return *s == *p && pattern_match(p + 1, s + 1);
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

static int add_rule(rpt_robots *r, const char *pattern, int allow)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        rule *n = realloc(r->rules, cap * sizeof *n);
        if (!n) return -1;
        r->rules = n;
        r->cap = cap;
    }
    r->rules[r->n].pattern = strdup(pattern);
    if (!r->rules[r->n].pattern) return -1;
    r->rules[r->n++].allow = allow;
    return 0;
}

/* Collects the rules of the groups naming `agent` (or "*" when none does). */
rpt_robots *rpt_robots_parse(const char *text, size_t len, const char *agent)
{
    rpt_robots *own = calloc(1, sizeof *own), *any = calloc(1, sizeof *any);
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
    if (own_seen) {
        rpt_robots_free(any);
        return own;
    }
    rpt_robots_free(own);
    return any;
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

void rpt_robots_free(rpt_robots *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++)
        free(r->rules[i].pattern);
    free(r->rules);
    free(r);
}
