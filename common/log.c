#include "common/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"

static rd_log_level g_level = RD_LOG_INFO;
static int g_json = 0;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

void rd_log_set_level(rd_log_level level)
{
    g_level = level;
}

int rd_log_level_parse(const char *s, rd_log_level *out)
{
    for (int i = 0; i <= RD_LOG_OFF; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (rd_log_level)i;
            return 0;
        }
    }
    return -1;
}

int rd_log_set_format(const char *fmt)
{
    if (strcmp(fmt, "logfmt") == 0) g_json = 0;
    else if (strcmp(fmt, "json") == 0) g_json = 1;
    else return -1;
    return 0;
}

int rd_log_enabled(rd_log_level level)
{
    return level >= g_level && g_level != RD_LOG_OFF;
}

/* Appends `s` quoted for logfmt (or JSON): quotes, backslashes and control bytes escaped. */
static void put_quoted(rd_buf *b, const char *s)
{
    rd_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            rd_buf_putc(b, '\\');
            rd_buf_putc(b, (char)c);
        } else if (c == '\n') {
            rd_buf_puts(b, "\\n");
        } else if (c < 0x20) {
            rd_buf_printf(b, "\\u%04x", c);
        } else {
            rd_buf_putc(b, (char)c);
        }
    }
    rd_buf_putc(b, '"');
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
static void sanitize_fields(rd_buf *out, const char *in)
{
    int quoted = 0;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (c == '\n' || c == '\r' || c == '\t') {
            if (out->len && out->data[out->len - 1] != ' ') rd_buf_putc(out, ' ');
            continue;
        }
        if (!quoted) {
            rd_buf_putc(out, c);
            if (c == '=' && p[1] == '"') {
                rd_buf_putc(out, '"');
                p++;
                quoted = 1;
            }
            continue;
        }
        if (c == '\\' && p[1]) {
            rd_buf_putc(out, c);
            rd_buf_putc(out, *++p);
        } else if (c == '"' && (p[1] == '\0' || (p[1] == ' ' && at_key(p + 2)))) {
            while (out->len && out->data[out->len - 1] == ' ') out->len--;
            rd_buf_putc(out, '"');
            quoted = 0;
        } else if (c == '"') {
            rd_buf_puts(out, "\\\"");
        } else {
            rd_buf_putc(out, c);
        }
    }
    if (quoted) {
        while (out->len && out->data[out->len - 1] == ' ') out->len--;
        rd_buf_putc(out, '"');
    }
}

/* Splits "k=v k2=v2" fields for JSON output. Values may not contain spaces unless quoted. */
static void fields_to_json(rd_buf *out, const char *fields)
{
    const char *p = fields;
    while (*p) {
        while (*p == ' ') p++;
        const char *eq = strchr(p, '=');
        if (!eq) break;
        rd_buf key = RD_BUF_INIT, val = RD_BUF_INIT;
        rd_buf_append(&key, p, (size_t)(eq - p));
        p = eq + 1;
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1]) p++;
                rd_buf_putc(&val, *p++);
            }
            if (*p == '"') p++;
        } else {
            while (*p && *p != ' ') rd_buf_putc(&val, *p++);
        }
        rd_buf_puts(out, ",");
        put_quoted(out, key.data ? key.data : "");
        rd_buf_puts(out, ":");
        put_quoted(out, val.data ? val.data : "");
        rd_buf_free(&key);
        rd_buf_free(&val);
    }
}

void rd_log(rd_log_level level, const char *component, const char *msg, const char *fmt, ...)
{
    if (!rd_log_enabled(level)) return;
    char ts[40];
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    size_t n = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, sizeof ts - n, ".%03ldZ", now.tv_nsec / 1000000);

    rd_buf raw = RD_BUF_INIT, fields = RD_BUF_INIT, line = RD_BUF_INIT;
    if (fmt && *fmt) {
        va_list ap;
        va_start(ap, fmt);
        rd_buf_vprintf(&raw, fmt, ap);
        va_end(ap);
        if (raw.data) sanitize_fields(&fields, raw.data);
        rd_buf_free(&raw);
    }
    if (g_json) {
        rd_buf_printf(&line, "{\"ts\":\"%s\",\"level\":\"%s\",\"component\":", ts, level_names[level]);
        put_quoted(&line, component);
        rd_buf_puts(&line, ",\"msg\":");
        put_quoted(&line, msg);
        if (fields.data) fields_to_json(&line, fields.data);
        rd_buf_puts(&line, "}\n");
    } else {
        rd_buf_printf(&line, "ts=%s level=%s component=%s msg=", ts, level_names[level], component);
        put_quoted(&line, msg);
        if (fields.len) {
            rd_buf_putc(&line, ' ');
            rd_buf_append(&line, fields.data, fields.len);
        }
        rd_buf_putc(&line, '\n');
    }
    if (line.data) {
        pthread_mutex_lock(&g_lock);
        fwrite(line.data, 1, line.len, stderr);
        fflush(stderr);
        pthread_mutex_unlock(&g_lock);
    }
    rd_buf_free(&fields);
    rd_buf_free(&line);
}
