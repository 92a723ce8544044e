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

    rd_buf fields = RD_BUF_INIT, line = RD_BUF_INIT;
    if (fmt && *fmt) {
        va_list ap;
        va_start(ap, fmt);
        rd_buf_vprintf(&fields, fmt, ap);
        va_end(ap);
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
