#include "prom_check.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct family {
    char name[256];
    char type[16]; /* "" until a TYPE line */
    int has_help, closed;
} family;

typedef struct checker {
    family fams[512];
    size_t n_fams;
    family *cur;
    char **series; /* "name{labels}" seen, for duplicates */
    size_t n_series;
    /* histogram state of the current series group (labels without le) */
    char hist_key[1400];
    double last_le, last_bucket, inf_bucket;
    int have_inf;
} checker;

static int name_start(int c)
{
    return isalpha(c) || c == '_' || c == ':';
}

static int name_char(int c)
{
    return isalnum(c) || c == '_' || c == ':';
}

/* Reads a metric name at *p into out; returns its length or 0. */
static size_t read_name(const char **p, const char *end, char *out, size_t cap, int labels)
{
    const char *s = *p;
    if (s >= end || !name_start((unsigned char)*s) || (labels && *s == ':')) return 0;
    size_t n = 0;
    while (s < end && name_char((unsigned char)*s) && !(labels && *s == ':')) {
        if (n + 1 >= cap) return 0;
        out[n++] = *s++;
    }
    out[n] = '\0';
    *p = s;
    return n;
}

static int parse_value(const char *s, double *v)
{
    if (!strcmp(s, "NaN"))
        *v = NAN;
    else if (!strcmp(s, "+Inf") || !strcmp(s, "Inf"))
        *v = INFINITY;
    else if (!strcmp(s, "-Inf"))
        *v = -INFINITY;
    else {
        char *e;
        *v = strtod(s, &e);
        if (e == s || *e) return -1;
        if (strpbrk(s, "xXpP") || strstr(s, "inf") || strstr(s, "nan")) return -1;
    }
    return 0;
}

static family *find_family(checker *c, const char *name)
{
    for (size_t i = 0; i < c->n_fams; i++)
        if (!strcmp(c->fams[i].name, name)) return &c->fams[i];
    return NULL;
}

static family *add_family(checker *c, const char *name, rpt_buf *err, int line)
{
    if (c->n_fams == sizeof c->fams / sizeof *c->fams) {
        rpt_buf_printf(err, "line %d: too many families", line);
        return NULL;
    }
    family *f = &c->fams[c->n_fams++];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    return f;
}

/* The family a sample named `name` belongs to, given the current family's type. */
static int belongs(const family *f, const char *name)
{
    size_t fl = strlen(f->name);
    if (!strcmp(name, f->name)) return strcmp(f->type, "histogram") != 0;
    if (strncmp(name, f->name, fl)) return 0;
    const char *suf = name + fl;
    if (!strcmp(f->type, "histogram"))
        return !strcmp(suf, "_bucket") || !strcmp(suf, "_sum") || !strcmp(suf, "_count");
    if (!strcmp(f->type, "summary")) return !strcmp(suf, "_sum") || !strcmp(suf, "_count");
    return 0;
}

static int check_comment(checker *c, const char *s, const char *end, int line, rpt_buf *err)
{
    const char *p = s + 1;
    while (p < end && *p == ' ')
        p++;
    int help = end - p >= 5 && !strncmp(p, "HELP ", 5);
    int type = end - p >= 5 && !strncmp(p, "TYPE ", 5);
    if (!help && !type) return 0; /* plain comment */
    p += 5;
    char name[256];
    if (!read_name(&p, end, name, sizeof name, 0)) {
        rpt_buf_printf(err, "line %d: bad metric name in %s", line, help ? "HELP" : "TYPE");
        return -1;
    }
    family *f = find_family(c, name);
    if (f && f != c->cur) {
        rpt_buf_printf(err, "line %d: %s for %s after its family ended", line,
                      help ? "HELP" : "TYPE", name);
        return -1;
    }
    if (!f && !(f = add_family(c, name, err, line))) return -1;
    if (c->cur && c->cur != f) c->cur->closed = 1;
    c->cur = f;
    if (help) {
        if (f->has_help++) {
            rpt_buf_printf(err, "line %d: second HELP for %s", line, name);
            return -1;
        }
        if (p < end && *p != ' ') {
            rpt_buf_printf(err, "line %d: HELP name not followed by a space", line);
            return -1;
        }
        for (const char *q = p; q < end; q++) {
            if (*q == '\\' && (q + 1 >= end || (q[1] != '\\' && q[1] != 'n'))) {
                rpt_buf_printf(err, "line %d: bad escape in HELP", line);
                return -1;
            }
            if (*q == '\\') q++;
        }
        return 0;
    }
    if (f->type[0]) {
        rpt_buf_printf(err, "line %d: second TYPE for %s", line, name);
        return -1;
    }
    if (p >= end || *p != ' ') {
        rpt_buf_printf(err, "line %d: TYPE without a type", line);
        return -1;
    }
    p++;
    size_t tl = (size_t)(end - p);
    static const char *const types[] = {"counter", "gauge", "histogram", "summary", "untyped"};
    for (size_t i = 0; i < 5; i++) {
        if (tl == strlen(types[i]) && !strncmp(p, types[i], tl)) {
            snprintf(f->type, sizeof f->type, "%s", types[i]);
            return 0;
        }
    }
    rpt_buf_printf(err, "line %d: unknown type \"%.*s\"", line, (int)tl, p);
    return -1;
}

static int check_sample(checker *c, const char *s, const char *end, int line, rpt_buf *err)
{
    const char *p = s;
    char name[256];
    if (!read_name(&p, end, name, sizeof name, 0)) {
        rpt_buf_printf(err, "line %d: bad metric name", line);
        return -1;
    }
    /* labels, canonicalised without le for histogram grouping */
    char labels[1024] = "", nole[1024] = "", le[520] = "";
    size_t ll = 0, nl = 0;
    if (p < end && *p == '{') {
        p++;
        char seen[32][128];
        size_t n_seen = 0;
        while (p < end && *p != '}') {
            char lname[128];
            if (!read_name(&p, end, lname, sizeof lname, 1)) {
                rpt_buf_printf(err, "line %d: bad label name", line);
                return -1;
            }
            for (size_t i = 0; i < n_seen; i++)
                if (!strcmp(seen[i], lname)) {
                    rpt_buf_printf(err, "line %d: label %s repeated", line, lname);
                    return -1;
                }
            if (n_seen < 32) snprintf(seen[n_seen++], sizeof seen[0], "%s", lname);
            if (p + 1 >= end || p[0] != '=' || p[1] != '"') {
                rpt_buf_printf(err, "line %d: label %s: expected =\"", line, lname);
                return -1;
            }
            p += 2;
            char val[512];
            size_t vl = 0;
            while (p < end && *p != '"') {
                char ch = *p++;
                if (ch == '\\') {
                    if (p >= end || (*p != '\\' && *p != '"' && *p != 'n')) {
                        rpt_buf_printf(err, "line %d: bad escape in label %s", line, lname);
                        return -1;
                    }
                    ch = *p++;
                }
                if (vl + 1 < sizeof val) val[vl++] = ch;
            }
            val[vl] = '\0';
            if (p >= end) {
                rpt_buf_printf(err, "line %d: unterminated label value", line);
                return -1;
            }
            p++;
            int n = snprintf(labels + ll, sizeof labels - ll, "%s=%s,", lname, val);
            if (n > 0) ll += (size_t)n;
            if (ll >= sizeof labels) ll = sizeof labels - 1;
            if (!strcmp(lname, "le"))
                snprintf(le, sizeof le, "%s", val);
            else {
                n = snprintf(nole + nl, sizeof nole - nl, "%s=%s,", lname, val);
                if (n > 0) nl += (size_t)n;
                if (nl >= sizeof nole) nl = sizeof nole - 1;
            }
            if (p < end && *p == ',')
                p++;
            else if (p < end && *p != '}') {
                rpt_buf_printf(err, "line %d: expected , or } after a label", line);
                return -1;
            }
        }
        if (p >= end) {
            rpt_buf_printf(err, "line %d: unterminated label set", line);
            return -1;
        }
        p++;
    }
    if (p >= end || *p != ' ') {
        rpt_buf_printf(err, "line %d: expected a space before the value", line);
        return -1;
    }
    p++;
    char vtext[64];
    size_t vl = 0;
    while (p < end && *p != ' ' && vl + 1 < sizeof vtext)
        vtext[vl++] = *p++;
    vtext[vl] = '\0';
    double v;
    if (parse_value(vtext, &v)) {
        rpt_buf_printf(err, "line %d: bad value \"%s\"", line, vtext);
        return -1;
    }
    if (p < end) { /* optional integer timestamp */
        p++;
        const char *ts = p;
        if (p < end && *p == '-') p++;
        while (p < end && isdigit((unsigned char)*p))
            p++;
        if (p == ts || p != end) {
            rpt_buf_printf(err, "line %d: bad timestamp", line);
            return -1;
        }
    }
    /* family bookkeeping */
    family *f = c->cur;
    if (!f || !belongs(f, name)) {
        f = find_family(c, name);
        if (f) {
            rpt_buf_printf(err, "line %d: sample of %s outside its family's block", line, name);
            return -1;
        }
        for (size_t i = 0; i < c->n_fams; i++)
            if (belongs(&c->fams[i], name)) {
                rpt_buf_printf(err, "line %d: sample of %s outside its family's block", line, name);
                return -1;
            }
        if (c->cur) c->cur->closed = 1;
        if (!(f = add_family(c, name, err, line))) return -1;
        snprintf(f->type, sizeof f->type, "untyped");
        c->cur = f;
    }
    if (!f->type[0]) snprintf(f->type, sizeof f->type, "untyped");
    char key[1400];
    snprintf(key, sizeof key, "%s{%s}", name, labels);
    for (size_t i = 0; i < c->n_series; i++)
        if (!strcmp(c->series[i], key)) {
            rpt_buf_printf(err, "line %d: duplicate series %s", line, key);
            return -1;
        }
    char **grown = realloc(c->series, (c->n_series + 1) * sizeof *grown);
    if (!grown) return -1;
    c->series = grown;
    c->series[c->n_series++] = strdup(key);
    if (!strcmp(f->type, "counter") && !(v >= 0)) {
        rpt_buf_printf(err, "line %d: counter %s is negative or NaN", line, name);
        return -1;
    }
    if (!strcmp(f->type, "histogram")) {
        const char *suf = name + strlen(f->name);
        char group[1400];
        snprintf(group, sizeof group, "%s{%s}", f->name, nole);
        if (!strcmp(suf, "_bucket")) {
            if (!le[0]) {
                rpt_buf_printf(err, "line %d: histogram bucket without le", line);
                return -1;
            }
            double lev;
            if (parse_value(le, &lev)) {
                rpt_buf_printf(err, "line %d: bad le \"%s\"", line, le);
                return -1;
            }
            if (strcmp(group, c->hist_key)) {
                snprintf(c->hist_key, sizeof c->hist_key, "%s", group);
                c->last_le = -INFINITY;
                c->last_bucket = 0;
                c->have_inf = 0;
            } else if (!(lev > c->last_le)) {
                rpt_buf_printf(err, "line %d: le values not increasing", line);
                return -1;
            }
            if (v < c->last_bucket) {
                rpt_buf_printf(err, "line %d: buckets not cumulative", line);
                return -1;
            }
            c->last_le = lev;
            c->last_bucket = v;
            if (isinf(lev)) {
                c->have_inf = 1;
                c->inf_bucket = v;
            }
        } else if (!strcmp(suf, "_count")) {
            if (strcmp(group, c->hist_key) || !c->have_inf) {
                rpt_buf_printf(err, "line %d: histogram without a +Inf bucket", line);
                return -1;
            }
            if (v != c->inf_bucket) {
                rpt_buf_printf(err, "line %d: _count differs from the +Inf bucket", line);
                return -1;
            }
        } else if (le[0]) {
            rpt_buf_printf(err, "line %d: le label on %s", line, name);
            return -1;
        }
    }
    return 0;
}

int prom_check(const char *text, size_t len, rpt_buf *err)
{
    checker *c = calloc(1, sizeof *c);
    if (!c) return -1;
    int samples = 0, rc = 0, line = 0;
    const char *p = text, *end = text + len;
    if (len && text[len - 1] != '\n') {
        rpt_buf_puts(err, "the last line does not end with a newline");
        rc = -1;
    }
    while (!rc && p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        line++;
        if (memchr(p, '\r', (size_t)(eol - p)) || memchr(p, '\t', (size_t)(eol - p))) {
            rpt_buf_printf(err, "line %d: CR or TAB in line", line);
            rc = -1;
        } else if (eol == p) {
            /* blank lines are allowed */
        } else if (*p == '#') {
            rc = check_comment(c, p, eol, line, err);
        } else {
            rc = check_sample(c, p, eol, line, err);
            if (!rc) samples++;
        }
        p = eol + 1;
    }
    for (size_t i = 0; i < c->n_series; i++)
        free(c->series[i]);
    free(c->series);
    free(c);
    return rc ? -1 : samples;
}
