#include "connectors/kafka/range.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TIMEOUT_MS 10000

int rpt_rfc3339_ms(const char *s, long long *ms)
{
    int y, mo, d, h, mi, sec, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%*[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n == 0)
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970)
        return -1;
    const char *p = s + n;
    long frac_ms = 0;
    if (*p == '.') {
        p++;
        int digits = 0;
        while (isdigit((unsigned char)*p)) {
            if (digits < 3) frac_ms = frac_ms * 10 + (*p - '0');
            digits++;
            p++;
        }
        if (!digits) return -1;
        for (; digits < 3; digits++)
            frac_ms *= 10;
    }
    long offset_s = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om, m = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &m) != 2 || m != 5 || oh > 23 || om > 59)
            return -1;
        offset_s = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p) return -1;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    time_t t = timegm(&tm);
    *ms = ((long long)t - offset_s) * 1000 + frac_ms;
    return 0;
}

/* Offsets at or after time `ms` per partition of l (in place); partitions the broker
 * cannot look up (no message after ms, or no time index) get `fallback[i]`. */
static int offsets_for_time(rd_kafka_t *rk, rd_kafka_topic_partition_list_t *l, long long ms,
                            const long long *fallback, rpt_buf *err)
{
    for (int i = 0; i < l->cnt; i++)
        l->elems[i].offset = ms;
    rd_kafka_resp_err_t e = rd_kafka_offsets_for_times(rk, l, TIMEOUT_MS);
    if (e) {
        rpt_buf_printf(err, "looking up offsets by time: %s", rd_kafka_err2str(e));
        return -1;
    }
    for (int i = 0; i < l->cnt; i++)
        if (l->elems[i].err || l->elems[i].offset < 0) l->elems[i].offset = fallback[i];
    return 0;
}

static int parse_offset(const char *s, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v < 0) return -1;
    *out = v;
    return 0;
}

int rpt_kafka_range_resolve(rd_kafka_t *rk, const char *topic, const char *from, const char *to,
                           rd_kafka_topic_partition_list_t **start_out,
                           rd_kafka_topic_partition_list_t **end_out, long long *from_ms_out,
                           long long *to_ms_out, rpt_buf *err)
{
    *start_out = *end_out = NULL;
    *from_ms_out = *to_ms_out = -1;
    rd_kafka_topic_partition_list_t *start = NULL, *end = NULL;
    const struct rd_kafka_metadata *md = NULL;
    long long *lo = NULL, *hi = NULL;
    int only_partition = -1;
    long long from_offset = -1, from_ms = -1;
    if (strcmp(from, "earliest") == 0) {
    } else if (rpt_rfc3339_ms(from, &from_ms) == 0) {
    } else {
        const char *colon = strchr(from, ':');
        char *pend;
        long pnum = colon ? strtol(from, &pend, 10) : -1;
        if (!colon || pend != colon || pnum < 0 || parse_offset(colon + 1, &from_offset)) {
            rpt_buf_printf(
                err, "--from: expected earliest, an RFC 3339 time or PARTITION:OFFSET, got '%s'",
                from);
            return -1;
        }
        only_partition = (int)pnum;
    }
    long long to_ms = -1, to_offset = -1;
    if (to && rpt_rfc3339_ms(to, &to_ms) && parse_offset(to, &to_offset)) {
        rpt_buf_printf(err, "--to: expected an RFC 3339 time or an offset, got '%s'", to);
        return -1;
    }
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, rkt, &md, TIMEOUT_MS);
    rd_kafka_topic_destroy(rkt);
    if (e || md->topic_cnt != 1 || md->topics[0].err) {
        rpt_buf_printf(err, "topic %s: %s", topic,
                      rd_kafka_err2str(e    ? e
                                       : md ? md->topics[0].err
                                            : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC));
        goto fail;
    }
    const rd_kafka_metadata_topic_t *mt = &md->topics[0];
    start = rd_kafka_topic_partition_list_new(mt->partition_cnt);
    end = rd_kafka_topic_partition_list_new(mt->partition_cnt);
    lo = calloc((size_t)mt->partition_cnt + 1, sizeof *lo);
    hi = calloc((size_t)mt->partition_cnt + 1, sizeof *hi);
    if (!lo || !hi) goto fail;
    int n = 0;
    for (int i = 0; i < mt->partition_cnt; i++) {
        int pid = mt->partitions[i].id;
        if (only_partition >= 0 && pid != only_partition) continue;
        int64_t l = 0, h = 0;
        e = rd_kafka_query_watermark_offsets(rk, topic, pid, &l, &h, TIMEOUT_MS);
        if (e) {
            rpt_buf_printf(err, "topic %s partition %d: %s", topic, pid, rd_kafka_err2str(e));
            goto fail;
        }
        lo[n] = l;
        hi[n] = h;
        rd_kafka_topic_partition_list_add(start, topic, pid)->offset = l;
        rd_kafka_topic_partition_list_add(end, topic, pid)->offset = h;
        n++;
    }
    if (n == 0) {
        rpt_buf_printf(err, "topic %s has no partition %d", topic, only_partition);
        goto fail;
    }
    if (from_offset >= 0) {
        long long v = from_offset < lo[0] ? lo[0] : from_offset > hi[0] ? hi[0] : from_offset;
        start->elems[0].offset = v;
    }
    /* a time the broker cannot look up starts the scan at the beginning, filtered by time */
    if (from_ms >= 0 && offsets_for_time(rk, start, from_ms, lo, err)) goto fail;
    if (to_ms >= 0 && offsets_for_time(rk, end, to_ms, hi, err)) goto fail;
    if (to_offset >= 0)
        for (int i = 0; i < end->cnt; i++)
            if (to_offset < end->elems[i].offset) end->elems[i].offset = to_offset;
    for (int i = 0; i < start->cnt; i++)
        if (end->elems[i].offset < start->elems[i].offset)
            end->elems[i].offset = start->elems[i].offset;
    rd_kafka_metadata_destroy(md);
    free(lo);
    free(hi);
    *from_ms_out = from_ms;
    *to_ms_out = to_ms;
    *start_out = start;
    *end_out = end;
    return 0;
fail:
    if (md) rd_kafka_metadata_destroy(md);
    if (start) rd_kafka_topic_partition_list_destroy(start);
    if (end) rd_kafka_topic_partition_list_destroy(end);
    free(lo);
    free(hi);
    return -1;
}

long long rpt_kafka_range_size(const rd_kafka_topic_partition_list_t *start,
                              const rd_kafka_topic_partition_list_t *end)
{
    long long total = 0;
    for (int i = 0; i < end->cnt && i < start->cnt; i++) {
        long long s = start->elems[i].offset, e = end->elems[i].offset;
        if (e > s) total += e - s;
    }
    return total;
}
