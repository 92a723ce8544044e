#include "common/metrics.h"

#include <math.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const double buckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
#define N_BUCKETS (sizeof buckets / sizeof *buckets)

typedef struct series {
    char *labels; /* "" for none */
    double value; /* counter/gauge value; histogram sum */
    unsigned long long count;
    unsigned long long bucket[N_BUCKETS];
    struct series *next;
} series;

typedef struct family {
    char *name;
    char *help;
    rpt_metric_type type;
    series *series;
    struct family *next;
} family;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static family *g_families;

/* Finds or creates the family; called with the lock held. */
static family *get_family(const char *name, rpt_metric_type type, const char *help)
{
    family **pp = &g_families;
    for (; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->name, name) == 0) {
            if (help && !(*pp)->help) (*pp)->help = strdup(help);
            return *pp;
        }
    family *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->name = strdup(name);
    f->help = help ? strdup(help) : NULL;
    f->type = type;
    *pp = f; /* appended: keeps declaration order */
    return f;
}

static series *get_series(family *f, const char *labels)
{
    if (!f) return NULL;
    if (!labels) labels = "";
    series **pp = &f->series;
    for (; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->labels, labels) == 0) return *pp;
    series *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->labels = strdup(labels);
    *pp = s;
    return s;
}

void rpt_metrics_declare(const char *name, rpt_metric_type type, const char *help)
{
    pthread_mutex_lock(&g_lock);
    get_family(name, type, help);
    pthread_mutex_unlock(&g_lock);
}

void rpt_metrics_add(const char *name, const char *labels, double delta)
{
    pthread_mutex_lock(&g_lock);
    series *s = get_series(get_family(name, RPT_METRIC_COUNTER, NULL), labels);
    if (s) s->value += delta;
    pthread_mutex_unlock(&g_lock);
}

void rpt_metrics_set(const char *name, const char *labels, double value)
{
    pthread_mutex_lock(&g_lock);
    series *s = get_series(get_family(name, RPT_METRIC_GAUGE, NULL), labels);
    if (s) s->value = value;
    pthread_mutex_unlock(&g_lock);
}

void rpt_metrics_observe(const char *name, const char *labels, double value)
{
    pthread_mutex_lock(&g_lock);
    series *s = get_series(get_family(name, RPT_METRIC_HISTOGRAM, NULL), labels);
    if (s) {
        s->value += value;
        s->count++;
        for (size_t i = 0; i < N_BUCKETS; i++)
            if (value <= buckets[i]) s->bucket[i]++;
    }
    pthread_mutex_unlock(&g_lock);
}

double rpt_metrics_get(const char *name, const char *labels)
{
    double v = 0;
    pthread_mutex_lock(&g_lock);
    for (family *f = g_families; f; f = f->next) {
        if (strcmp(f->name, name)) continue;
        for (series *s = f->series; s; s = s->next)
            if (strcmp(s->labels, labels ? labels : "") == 0) v = f->type == RPT_METRIC_HISTOGRAM ? (double)s->count : s->value;
    }
    pthread_mutex_unlock(&g_lock);
    return v;
}

void rpt_metrics_label_escape(rpt_buf *out, const char *value)
{
    for (const char *p = value ? value : ""; *p; p++) {
        if (*p == '\\') rpt_buf_puts(out, "\\\\");
        else if (*p == '"') rpt_buf_puts(out, "\\\"");
        else if (*p == '\n') rpt_buf_puts(out, "\\n");
        else rpt_buf_putc(out, *p);
    }
}

static void put_value(rpt_buf *out, double v)
{
    if (isnan(v)) rpt_buf_puts(out, "NaN");
    else if (isinf(v)) rpt_buf_puts(out, v > 0 ? "+Inf" : "-Inf");
    else if (v == (double)(long long)v && fabs(v) < 1e15) rpt_buf_printf(out, "%lld", (long long)v);
    else rpt_buf_printf(out, "%.17g", v);
}

/* name{labels,extra} value */
static void put_sample(rpt_buf *out, const char *name, const char *suffix, const char *labels,
                       const char *extra, double v)
{
    rpt_buf_printf(out, "%s%s", name, suffix);
    if (*labels || extra) {
        rpt_buf_putc(out, '{');
        rpt_buf_puts(out, labels);
        if (extra) {
            if (*labels) rpt_buf_putc(out, ',');
            rpt_buf_puts(out, extra);
        }
        rpt_buf_putc(out, '}');
    }
    rpt_buf_putc(out, ' ');
    put_value(out, v);
    rpt_buf_putc(out, '\n');
}

void rpt_metrics_render(rpt_buf *out)
{
    static const char *const type_names[] = {"counter", "gauge", "histogram"};
    pthread_mutex_lock(&g_lock);
    for (family *f = g_families; f; f = f->next) {
        rpt_buf_printf(out, "# HELP %s %s\n", f->name, f->help ? f->help : f->name);
        rpt_buf_printf(out, "# TYPE %s %s\n", f->name, type_names[f->type]);
        for (series *s = f->series; s; s = s->next) {
            if (f->type != RPT_METRIC_HISTOGRAM) {
                put_sample(out, f->name, "", s->labels, NULL, s->value);
                continue;
            }
            char le[48];
            for (size_t i = 0; i < N_BUCKETS; i++) {
                snprintf(le, sizeof le, "le=\"%g\"", buckets[i]);
                put_sample(out, f->name, "_bucket", s->labels, le, (double)s->bucket[i]);
            }
            put_sample(out, f->name, "_bucket", s->labels, "le=\"+Inf\"", (double)s->count);
            put_sample(out, f->name, "_sum", s->labels, NULL, s->value);
            put_sample(out, f->name, "_count", s->labels, NULL, (double)s->count);
        }
    }
    pthread_mutex_unlock(&g_lock);
}

void rpt_metrics_reset(void)
{
    pthread_mutex_lock(&g_lock);
    while (g_families) {
        family *f = g_families;
        g_families = f->next;
        while (f->series) {
            series *s = f->series;
            f->series = s->next;
            free(s->labels);
            free(s);
        }
        free(f->name);
        free(f->help);
        free(f);
    }
    pthread_mutex_unlock(&g_lock);
}
