#include "common/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"

/* set on start and on SIGHUP while role threads log: atomic (relaxed, a late reader only
 * applies the new setting one line later) */
static atomic_int g_level = RPT_LOG_INFO;
static atomic_int g_json = 0;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

void rpt_log_set_level(rpt_log_level level)
{
    atomic_store_explicit(&g_level, (int)level, memory_order_relaxed);
}

int rpt_log_level_parse(const char *s, rpt_log_level *out)
{
    for (int i = 0; i <= RPT_LOG_OFF; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (rpt_log_level)i;
            return 0;
        }
    }
    return -1;
}

int rpt_log_set_format(const char *fmt)
{
    if (strcmp(fmt, "logfmt") == 0) atomic_store_explicit(&g_json, 0, memory_order_relaxed);
    else if (strcmp(fmt, "json") == 0) atomic_store_explicit(&g_json, 1, memory_order_relaxed);
    else return -1;
    return 0;
}

int rpt_log_enabled(rpt_log_level level)
{
    int current = atomic_load_explicit(&g_level, memory_order_relaxed);
    return (int)level >= current && current != RPT_LOG_OFF;
}

/* Appends `s` quoted for logfmt (or JSON): quotes, backslashes and control bytes escaped. */
static void put_quoted(rpt_buf *b, const char *s)
{
    rpt_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            rpt_buf_putc(b, '\\');
            rpt_buf_putc(b, (char)c);
        } else if (c == '\n') {
            rpt_buf_puts(b, "\\n");
        } else if (c < 0x20) {
            rpt_buf_printf(b, "\\u%04x", c);
        } else {
            rpt_buf_putc(b, (char)c);
        }
    }
    rpt_buf_putc(b, '"');
}

/* True when p starts a field: a key of [A-Za-z0-9_.-] followed by '='. */
static int at_key(const char *p)
{
    const char *q = p;
    while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
           *q == '_' || *q == '.' || *q == '-')
        q++;
    return q > p && *q == '=';
}

/* Rewrites caller-formatted fields so that the event stays one well-formed line whatever the
 * values hold (libpq and librdkafka messages carry quotes and newlines): inside a quoted value
 * a quote that does not end the value (end of line, or a space and the next key=) is escaped,
 * line breaks and tabs become one space, and spaces before the closing quote are dropped. */
static void sanitize_fields(rpt_buf *out, const char *in)
{
    int quoted = 0;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (c == '\n' || c == '\r' || c == '\t') {
            if (out->len && out->data[out->len - 1] != ' ') rpt_buf_putc(out, ' ');
            continue;
        }
        if (!quoted) {
            rpt_buf_putc(out, c);
            if (c == '=' && p[1] == '"') {
                rpt_buf_putc(out, '"');
                p++;
                quoted = 1;
            }
            continue;
        }
        if (c == '\\' && p[1]) {
            rpt_buf_putc(out, c);
            rpt_buf_putc(out, *++p);
        } else if (c == '"' && (p[1] == '\0' || (p[1] == ' ' && at_key(p + 2)))) {
            while (out->len && out->data[out->len - 1] == ' ') out->len--;
            rpt_buf_putc(out, '"');
            quoted = 0;
        } else if (c == '"') {
            rpt_buf_puts(out, "\\\"");
        } else {
            rpt_buf_putc(out, c);
        }
    }
    if (quoted) {
        while (out->len && out->data[out->len - 1] == ' ') out->len--;
        rpt_buf_putc(out, '"');
    }
}

/* Copies s to out with the credentials of every URL masked: user:secret@host becomes
 * user:***@host and token@host becomes ***@host (after "://"), so that a source URL or a
 * postgresql URI conninfo never writes its password to a log. */
void rpt_mask_url_credentials(rpt_buf *out, const char *s)
{
    for (;;) {
        const char *sep = strstr(s, "://");
        if (!sep) break;
        const char *auth = sep + 3;
        size_t alen = strcspn(auth, "/?# \"'\n\t");
        const char *at = NULL;
        for (const char *p = auth; p < auth + alen; p++)
            if (*p == '@') at = p;
        if (!at) {
            rpt_buf_append(out, s, (size_t)(auth - s));
            s = auth;
            continue;
        }
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        const char *keep_end = colon ? colon + 1 : auth;
        rpt_buf_append(out, s, (size_t)(keep_end - s));
        rpt_buf_puts(out, "***");
        s = at;
    }
    rpt_buf_puts(out, s);
}

/* Splits "k=v k2=v2" fields for JSON output. Values may not contain spaces unless quoted. */
static void fields_to_json(rpt_buf *out, const char *fields)
{
    const char *p = fields;
    while (*p) {
        while (*p == ' ') p++;
        const char *eq = strchr(p, '=');
        if (!eq) break;
        rpt_buf key = RPT_BUF_INIT, val = RPT_BUF_INIT;
        rpt_buf_append(&key, p, (size_t)(eq - p));
        p = eq + 1;
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1]) p++;
                rpt_buf_putc(&val, *p++);
            }
            if (*p == '"') p++;
        } else {
            while (*p && *p != ' ') rpt_buf_putc(&val, *p++);
        }
        rpt_buf_puts(out, ",");
        put_quoted(out, key.data ? key.data : "");
        rpt_buf_puts(out, ":");
        put_quoted(out, val.data ? val.data : "");
        rpt_buf_clear(&key);
        rpt_buf_clear(&val);
    }
}

void rpt_log(rpt_log_level level, const char *component, const char *msg, const char *fmt, ...)
{
    if (!rpt_log_enabled(level)) return;
    char ts[40];
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    size_t n = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, sizeof ts - n, ".%03ldZ", now.tv_nsec / 1000000);

    rpt_buf raw = RPT_BUF_INIT, fields = RPT_BUF_INIT, line = RPT_BUF_INIT;
    if (fmt && *fmt) {
        va_list ap;
        va_start(ap, fmt);
        rpt_buf_vprintf(&raw, fmt, ap);
        va_end(ap);
        rpt_buf masked = RPT_BUF_INIT;
        if (raw.data) rpt_mask_url_credentials(&masked, raw.data);
        if (masked.data) sanitize_fields(&fields, masked.data);
        rpt_buf_clear(&masked);
        rpt_buf_clear(&raw);
    }
    if (atomic_load_explicit(&g_json, memory_order_relaxed)) {
        rpt_buf_printf(&line, "{\"ts\":\"%s\",\"level\":\"%s\",\"component\":", ts, level_names[level]);
        put_quoted(&line, component);
        rpt_buf_puts(&line, ",\"msg\":");
        put_quoted(&line, msg);
        if (fields.data) fields_to_json(&line, fields.data);
        rpt_buf_puts(&line, "}\n");
    } else {
        rpt_buf_printf(&line, "ts=%s level=%s component=%s msg=", ts, level_names[level], component);
        put_quoted(&line, msg);
        if (fields.len) {
            rpt_buf_putc(&line, ' ');
            rpt_buf_append(&line, fields.data, fields.len);
        }
        rpt_buf_putc(&line, '\n');
    }
    if (line.data) {
        pthread_mutex_lock(&g_lock);
        fwrite(line.data, 1, line.len, stderr);
        fflush(stderr);
        pthread_mutex_unlock(&g_lock);
    }
    rpt_buf_clear(&fields);
    rpt_buf_clear(&line);
}
