#include "pipeline_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/fs.h"
#include "common/hash.h"
#include "pipeline/messages/parsed.h"
#include "connectors/postgres/migrate.h"
#include "pipeline/messages/raw.h"
#include "pipeline/config.h"

void tp_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

char *tp_write_config(const char *name, const char *conninfo, const char *extra_load)
{
    return tp_write_config_with(name, conninfo, extra_load, NULL);
}

char *tp_write_config_with(const char *name, const char *conninfo, const char *extra_load,
                           const char *extra_transform)
{
    rpt_buf path = RPT_BUF_INIT;
    /* PDF and .doc documents decode in the build's decoder program */
    const char *decoder = getenv("REPORTD_DECODER_BIN");
    if (!decoder) decoder = "";
    rpt_buf_printf(&path, "%s/%s.json", getenv("REPORTD_TEST_TMP"), name);
    FILE *f = fopen(path.data, "w");
    if (!f) {
        rpt_buf_clear(&path);
        return NULL;
    }
    fprintf(f,
            "{\n"
            "  \"kafka\": {\"bootstrap.servers\": \"%s\", \"session.timeout.ms\": 3000,\n"
            "            \"librdkafka\": {\"topic.metadata.refresh.interval.ms\": \"1000\"}},\n"
            "  \"postgres\": {\"conninfo\": \"%s\"},\n"
            "  \"load\": {%s},\n"
            "  \"transform\": {\"decoder\": \"%s\"%s%s},\n"
            "  \"http\": {\"listen\": \"\"},\n"
            "  \"log\": {\"level\": \"warn\"},\n"
            "  \"runtime\": {\"shutdown_grace_s\": 10}\n"
            "}\n",
            getenv("REPORTD_TEST_BROKER"), conninfo, extra_load ? extra_load : "", decoder,
            extra_transform && *extra_transform ? ", " : "", extra_transform ? extra_transform : "");
    fclose(f);
    return rpt_buf_steal(&path);
}

int tp_migrate(const char *conninfo)
{
    rpt_migration_list l;
    rpt_buf err = RPT_BUF_INIT;
    rpt_buf dir = RPT_BUF_INIT;
    rpt_buf_printf(&dir, "%s/deploy/sql", getenv("REPORTD_SOURCE_DIR"));
    int rc = -1, applied = 0;
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) == CONNECTION_OK && rpt_migrations_list(dir.data, &l, &err) == 0) {
        rc = rpt_pg_migrate(c, &l, &applied, &err);
        rpt_migrations_clear(&l);
    }
    if (rc) fprintf(stderr, "migrate: %s %s\n", err.data ? err.data : "", PQerrorMessage(c));
    PQfinish(c);
    rpt_buf_clear(&err);
    rpt_buf_clear(&dir);
    return rc;
}

static char *fmt(const char *f, int a, int b)
{
    char buf[256];
    snprintf(buf, sizeof buf, f, a, b);
    return strdup(buf);
}

void tp_parsed_doc(int i, int version, int variant, rpt_buf *out)
{
    static const char *const regions[] = {"南岳区", "衡山县", "祁东县", "耒阳市"};
    static const char *const codes[] = {"430412", "430423", "430426", "430481"};
    static const char *const cats[] = {"funding", "enrollment_capacity", "teachers", "students"};
    static const char *const units[] = {"元", "个", "名", "人"};
    rpt_document d = {0};
    char id[32];
    snprintf(id, sizeof id, "doc-%d", i);
    d.doc_id = strdup(id);
    d.source = fmt("http://portal.test/jyj/%d.html", i, 0);
    d.url = fmt("http://portal.test/jyj/%d.html", i, 0);
    d.title = fmt("教育局%d年工作总结（第%d版）", 2020 + i % 5, variant);
    d.issuer = strdup("教育局");
    d.region = strdup(regions[i % 4]);
    d.region_code = strdup(codes[i % 4]);
    d.province = strdup("湖南省");
    d.city = strdup("衡阳市");
    d.year = 2020 + i % 5;
    d.plan_year = d.year + 1;
    d.level = "county";
    d.doc_type = "summary_and_plan";
    d.published_at = fmt("%d-05-30T12:02:29+08:00", 2020 + i % 5, 0);
    d.format = strdup("text");
    d.charset = strdup("UTF-8");
    d.text_chars = 3000 + (size_t)i;
    d.n_sections = 3;
    d.sections = calloc(d.n_sections, sizeof *d.sections);
    static const char *const titles[] = {"关于2024年工作", "存在的问题", "2025年工作计划"};
    static const char *const markers[] = {"一、", "二、", "三、"};
    for (int s = 0; s < 3; s++) {
        rpt_section *sec = &d.sections[s];
        sec->ord = s;
        sec->start = (size_t)(100 + s * 1000);
        sec->end = (size_t)(1100 + s * 1000);
        sec->marker = strdup(markers[s]);
        sec->depth = 1;
        sec->title = strdup(titles[s]);
        sec->part = (rpt_part)s;
        rpt_buf p = RPT_BUF_INIT;
        rpt_buf_printf(&p, "%s%s", markers[s], titles[s]);
        sec->path = rpt_buf_steal(&p);
        sec->parent = -1;
    }
    d.n_indicators = 6 + (size_t)(i % 5);
    d.indicators = calloc(d.n_indicators, sizeof *d.indicators);
    for (size_t k = 0; k < d.n_indicators; k++) {
        rpt_indicator *x = &d.indicators[k];
        x->start = 120 + k * 40;
        x->end = x->start + 5;
        x->value = (double)(i * 100 + (int)k) + variant * 0.5;
        rpt_buf r = RPT_BUF_INIT;
        rpt_buf_printf(&r, "%g%s", x->value, units[k % 4]);
        x->raw = rpt_buf_steal(&r);
        x->has_value_high = k % 3 == 0;
        x->value_high = x->value + 10;
        x->unit = strdup(units[k % 4]);
        x->qualifier = (rpt_qualifier)(k % 5);
        x->metric = fmt("指标%d（版本%d）", (int)k, variant);
        x->kind = k % 2 ? RPT_KIND_TARGET : RPT_KIND_ACTUAL;
        x->category = cats[k % 4];
        x->section = (int)(k % 4) - 1;
        x->sentence = fmt("全区投入\t%d万元，\"改善\"办学条件\\第%d句。", i, (int)k);
        x->metric_key = k % 2 ? "edu.spending" : NULL;
        x->period_year = x->kind == RPT_KIND_TARGET ? d.plan_year : d.year;
    }
    rpt_parsed_origin o = {.transform_version = version,
                          .source_name = i % 2 ? "nanyue-edu" : "hengshan-edu",
                          .fetched_at = "2025-06-01T08:00:00Z",
                          .sha256 =
                              "0000000000000000000000000000000000000000000000000000000000000000",
                          .raw_topic = "reports.raw",
                          .raw_partition = i % 4,
                          .raw_offset = i};
    rpt_parsed_message_encode(&d, &o, out);
    rpt_document_clear(&d);
}

void tp_raw_message(const char *url, char *body, size_t len, const char *content_type,
                    rpt_raw_message *out)
{
    char id[17], sha[65];
    rpt_doc_id(url, id);
    rpt_sha256_hex(body, len, sha);
    memset(out, 0, sizeof *out);
    out->schema = RPT_RAW_SCHEMA;
    out->doc_id = strdup(id);
    out->source = strdup("nanyue-edu");
    out->url = strdup(url);
    out->final_url = strdup(url);
    out->fetched_at = strdup("2025-06-01T08:00:00Z");
    out->http_status = 200;
    out->content_type = strdup(content_type);
    out->sha256 = strdup(sha);
    out->region = strdup("南岳区");
    out->body_len = len;
    out->body = (unsigned char *)body;
}

void tp_raw_doc(int i, int variant, rpt_raw_message *out)
{
    static const char *const seeds[] = {"000_aa89ab494b992dd0.txt", "001_0d3905432a1c49d2.txt",
                                        "002_146ccfd4483b5f39.txt", "003_8b8a5fbdc8a96566.txt",
                                        "004_c78fadb0904c8203.txt"};
    rpt_buf path = RPT_BUF_INIT, body = RPT_BUF_INIT;
    rpt_buf_printf(&path, "%s/tests/fixtures/seeds/%s", getenv("REPORTD_SOURCE_DIR"), seeds[i % 5]);
    size_t len = 0;
    char *text = rpt_read_file(path.data, 1 << 20, &len);
    rpt_buf_append(&body, text ? text : "", text ? len : 0);
    rpt_buf_printf(&body, "\n（副本%d，第%d版）\n", i, variant);
    free(text);
    char url[128];
    snprintf(url, sizeof url, "http://portal.test/jyj/raw-%d.txt", i);
    size_t body_len = body.len;
    tp_raw_message(url, rpt_buf_steal(&body), body_len, "text/plain; charset=utf-8", out);
    rpt_buf_clear(&path);
}

rd_kafka_t *tp_producer(void)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", getenv("REPORTD_TEST_BROKER"), errstr,
                      sizeof errstr);
    rd_kafka_conf_set(conf, "enable.idempotence", "true", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "linger.ms", "5", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        fprintf(stderr, "producer: %s\n", errstr);
        rd_kafka_conf_destroy(conf);
    }
    return rk;
}

int tp_produce(rd_kafka_t *p, const char *topic, const char *key, const void *value, size_t len)
{
    for (;;) {
        rd_kafka_resp_err_t e = rd_kafka_producev(
            p, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, key ? strlen(key) : 0),
            RD_KAFKA_V_VALUE((void *)value, len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_END);
        if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_poll(p, 100);
            continue;
        }
        return e ? -1 : 0;
    }
}

int tp_flush(rd_kafka_t *p)
{
    return rd_kafka_flush(p, 60000) == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}

long long tp_topic_end(const char *topic)
{
    rd_kafka_t *p = tp_producer();
    if (!p) return -1;
    long long sum = 0;
    for (int part = 0; part < 64; part++) {
        int64_t lo, hi;
        if (rd_kafka_query_watermark_offsets(p, topic, part, &lo, &hi, 5000)) break;
        sum += hi;
    }
    rd_kafka_destroy(p);
    return sum;
}

static void *stage_main(void *arg)
{
    tp_stage *s = arg;
    s->rc = s->fn(&s->ctl);
    return NULL;
}

int tp_stage_start(tp_stage *s, const char *config_path, int (*fn)(rpt_role_ctl *))
{
    memset(s, 0, sizeof *s);
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_config_load(&cfg, config_path, &err)) {
        fprintf(stderr, "config: %s\n", err.data);
        rpt_buf_clear(&err);
        return -1;
    }
    s->ctl.config = rpt_config_holder_new(&cfg);
    s->ctl.instances = 1;
    s->fn = fn;
    if (pthread_create(&s->thread, NULL, stage_main, s)) return -1;
    s->running = 1;
    return 0;
}

int tp_stage_stop(tp_stage *s)
{
    if (!s->running) return -1;
    atomic_store(&s->ctl.stop, 1);
    pthread_join(s->thread, NULL);
    rpt_config_holder_free(s->ctl.config);
    s->running = 0;
    return s->rc;
}

char *tp_query1(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    char *v = NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) >= 1 && !PQgetisnull(r, 0, 0))
        v = strdup(PQgetvalue(r, 0, 0));
    else if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "query failed: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return v;
}

long long tp_query_ll(PGconn *c, const char *sql)
{
    char *v = tp_query1(c, sql);
    long long n = v ? atoll(v) : -1;
    free(v);
    return n;
}

int tp_wait_offsets(PGconn *c, const char *group, const char *topic, long long want, int timeout_s)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(sum(next_offset), 0) FROM reports.kafka_offsets "
             "WHERE consumer_group = '%s' AND topic = '%s'",
             group, topic);
    time_t deadline = time(NULL) + timeout_s;
    while (time(NULL) < deadline) {
        if (PQstatus(c) != CONNECTION_OK) PQreset(c);
        if (tp_query_ll(c, sql) >= want) return 0;
        tp_sleep_ms(200);
    }
    fprintf(stderr, "timeout waiting for %s/%s to reach %lld (at %lld)\n", group, topic, want,
            tp_query_ll(c, sql));
    return -1;
}

char *tp_tables_checksum(PGconn *c)
{
    return tp_query1(
        c,
        "SELECT (SELECT count(*) FROM reports.documents) || '/' || "
        "(SELECT count(*) FROM reports.sections) || '/' || "
        "(SELECT count(*) FROM reports.indicators) || ' ' || "
        "(SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM (SELECT doc_id, source, url, "
        "title, issuer, region, region_code, province, city, year, published_at, fetched_at, "
        "sha256, transform_version, n_sections, n_indicators, kafka_topic, kafka_partition, "
        "kafka_offset, raw_topic, raw_partition, raw_offset FROM reports.documents) t) || ' ' || "
        "(SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM reports.sections t) || ' ' || "
        "(SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM reports.indicators t)");
}
