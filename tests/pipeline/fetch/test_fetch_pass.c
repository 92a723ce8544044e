/* Whole fetch passes (`reportd fetch --once`) against a dev-portal, the dev-broker and
 * PostgreSQL: every source kind, pagination, attachments, what reaches reports.raw,
 * conditional GET and hashes (a second pass produces nothing, a changed report once), a
 * report added while the portal runs, restarts from reports.fetch_state, failure modes
 * counted per source without stopping the others, the SSRF guard, and state recorded only
 * after Kafka confirmed delivery. */
#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include "common/hash.h"
#include "pipeline/messages/raw.h"
#include "support/portal.h"
#include "support/raw_topic.h"
#include "test.h"

typedef struct summary {
    char source[64];
    long pages, new_docs, changed, unchanged, failed;
} summary;

static summary g_sum[16];
static size_t g_nsum;
static t_portal g_portal;
static char g_site[512], g_inbox[512], g_cfg[512], g_cfg_down[512];

static const summary *sum_of(const char *name)
{
    for (size_t i = 0; i < g_nsum; i++)
        if (!strcmp(g_sum[i].source, name)) return &g_sum[i];
    static summary none;
    return &none;
}

/* Runs `reportd fetch --config cfg --once`, parsing its summary. Returns its exit status. */
static int run_fetch(const char *cfg)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s' fetch --config '%s' --once 2>>'%s/fetch.log'",
             getenv("REPORTD_BIN"), cfg, getenv("REPORTD_TEST_TMP"));
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    g_nsum = 0;
    char line[512];
    while (fgets(line, sizeof line, p) && g_nsum < 16) {
        summary *s = &g_sum[g_nsum];
        if (sscanf(line, "source=%63s pages=%ld new=%ld changed=%ld unchanged=%ld failed=%ld",
                   s->source, &s->pages, &s->new_docs, &s->changed, &s->unchanged, &s->failed) == 6)
            g_nsum++;
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void expect(const char *name, long pages, long new_docs, long changed, long unchanged,
                   long failed)
{
    const summary *s = sum_of(name);
    int ok = s->pages == pages && s->new_docs == new_docs && s->changed == changed &&
             s->unchanged == unchanged && s->failed == failed;
    CHECK(ok);
    if (!ok)
        fprintf(stderr,
                "  %s: pages=%ld new=%ld changed=%ld unchanged=%ld failed=%ld, expected "
                "%ld %ld %ld %ld %ld\n",
                name, s->pages, s->new_docs, s->changed, s->unchanged, s->failed, pages, new_docs,
                changed, unchanged, failed);
}

typedef void (*msg_fn)(const rpt_raw_message *m, const char *key, void *arg);

/* Reads every message of reports.raw from the beginning. Returns the count read. */
static long read_all(rd_kafka_t *rk, msg_fn fn, void *arg)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *t = rd_kafka_topic_new(rk, "reports.raw", NULL);
    long n = 0;
    if (rd_kafka_metadata(rk, 0, t, &md, 10000) || md->topic_cnt != 1) goto out;
    int parts = md->topics[0].partition_cnt, eof = 0;
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(parts);
    for (int p = 0; p < parts; p++)
        rd_kafka_topic_partition_list_add(l, "reports.raw", p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, l);
    rd_kafka_topic_partition_list_destroy(l);
    time_t deadline = time(NULL) + 60;
    while (eof < parts && time(NULL) < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 500);
        if (!m) continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            eof++;
        } else if (!m->err) {
            rpt_raw_message raw;
            rpt_buf err = RPT_BUF_INIT;
            int ok = raw_decode(m, &raw, &err) == 0;
            CHECK(ok);
            if (ok) {
                char key[64];
                snprintf(key, sizeof key, "%.*s", (int)m->key_len, (const char *)m->key);
                fn(&raw, key, arg);
                rpt_raw_message_clear(&raw);
            }
            rpt_buf_clear(&err);
            n++;
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_assign(rk, NULL);
out:
    if (md) rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(t);
    return n;
}

typedef struct seen {
    int attachments, gbk, region_ok, dir_files, bad_id, bad_sha, idx_docs;
    char attachment_parent[256];
} seen;

static void check_message(const rpt_raw_message *m, const char *key, void *arg)
{
    seen *s = arg;
    char id[17], sha[65];
    rpt_doc_id(m->url, id);
    if (strcmp(id, m->doc_id) || strcmp(key, m->doc_id)) s->bad_id++;
    rpt_sha256_hex(m->body, m->body_len, sha);
    if (!m->sha256 || strcmp(sha, m->sha256)) s->bad_sha++;
    if (m->parent_url && strstr(m->url, ".docx")) {
        s->attachments++;
        snprintf(s->attachment_parent, sizeof s->attachment_parent, "%s", m->parent_url);
    }
    if (m->charset && !strcmp(m->charset, "GBK")) s->gbk++;
    if (!strcmp(m->source, "idx")) {
        s->idx_docs++;
        if (m->region && !strcmp(m->region, "南岳区")) s->region_ok++;
    }
    if (!strncmp(m->url, "file://", 7) && m->http_status == 0) s->dir_files++;
}

static PGresult *sql(PGconn *c, const char *q)
{
    PGresult *r = PQexec(c, q);
    if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
        fprintf(stderr, "sql: %s: %s\n", q, PQresultErrorMessage(r));
    return r;
}

static long sql_long(PGconn *c, const char *q)
{
    PGresult *r = sql(c, q);
    long v = PQntuples(r) ? atol(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    return v;
}

static void write_config(const char *path, const char *extra_kafka)
{
    const char *b = g_portal.base;
    FILE *f = fopen(path, "w");
    if (!f) return;
    fprintf(
        f,
        "{\"kafka\": {\"bootstrap.servers\": \"%s\"%s},\n"
        " \"postgres\": {\"conninfo\": \"%s\"},\n"
        " \"log\": {\"level\": \"warn\"},\n"
        " \"fetch\": {\"allow_private_networks\": true, \"per_host_delay_ms\": 0,\n"
        "   \"per_host_concurrency\": 4, \"retry_base_ms\": 20, \"max_retries\": 1,\n"
        "   \"low_speed_bytes\": 1000, \"low_speed_time_s\": 1, \"max_body_bytes\": 200000},\n"
        " \"sources\": [\n"
        "  {\"name\": \"idx\", \"kind\": \"html_index\", \"url\": \"%s/jyj/index.html\",\n"
        "   \"links\": \"//ul[@class='list']//a/@href\", \"next\": \"//a[.='下一页']/@href\",\n"
        "   \"region\": \"南岳区\"},\n"
        "  {\"name\": \"pat\", \"kind\": \"html_index\", \"url\": \"%s/jyj/index.html\",\n"
        "   \"page_pattern\": \"index_{n}.html\", \"attachments\": false},\n"
        "  {\"name\": \"rss\", \"kind\": \"feed\", \"url\": \"%s/rss.xml\"},\n"
        "  {\"name\": \"sm\", \"kind\": \"sitemap\", \"url\": \"%s/sitemap_index.xml\"},\n"
        "  {\"name\": \"api\", \"kind\": \"json_api\", \"url\": \"%s/api/list?page={page}\",\n"
        "   \"items\": \"data.list\", \"item_url\": \"url\", \"item_date\": \"date\"},\n"
        "  {\"name\": \"inbox\", \"kind\": \"dir\", \"path\": \"%s\"},\n"
        "  {\"name\": \"bad\", \"kind\": \"html_index\", \"url\": \"%s/bad/list?l=/bad/status/404"
        "&l=/bad/status/500&l=/bad/truncated/t&l=/bad/big/300000&l=/bad/redirect-loop/0"
        "&l=/bad/slow/400/s&l=/bad/redirect/2/fine&l=/private/p.html\", \"respect_robots\": "
        "true},\n"
        "  {\"name\": \"guarded\", \"kind\": \"feed\", \"url\": \"%s/rss.xml\",\n"
        "   \"allow_private_networks\": false},\n"
        "  {\"name\": \"capped\", \"kind\": \"html_index\", \"url\": \"%s/jyj/index.html\",\n"
        "   \"next\": \"//a[@class='next']/@href\", \"include\": [\"/art/\"], \"max_pages\": 2}\n"
        " ]}\n",
        t_env("REPORTD_TEST_BROKER"), extra_kafka, t_env("REPORTD_TEST_PG"), b, b, b, b, b, g_inbox,
        b, b, b);
    fclose(f);
}

/* Sets a file's mtime to now + offset seconds (sitemap lastmod and listing order). */
static void set_mtime(const char *dir, const char *name, long offset)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct timeval tv[2];
    gettimeofday(&tv[0], NULL);
    tv[0].tv_sec += offset;
    tv[1] = tv[0];
    utimes(path, tv);
}

static void copy_seed(const char *seeds, const char *name, long age)
{
    char cmd[1500];
    snprintf(cmd, sizeof cmd, "cp '%s/%s.txt' '%s/'", seeds, name, g_site);
    if (system(cmd)) fprintf(stderr, "cannot copy %s\n", name);
    char file[300];
    snprintf(file, sizeof file, "%s.txt", name);
    set_mtime(g_site, file, -age);
}

static void test_fetch_passes(void)
{
    const char *tmp = t_env("REPORTD_TEST_TMP");
    const char *src = t_env("REPORTD_SOURCE_DIR");
    char seeds[600];
    snprintf(seeds, sizeof seeds, "%s/tests/fixtures/seeds", src);
    snprintf(g_site, sizeof g_site, "%s/site", tmp);
    snprintf(g_inbox, sizeof g_inbox, "%s/inbox", tmp);
    mkdir(g_site, 0755);
    mkdir(g_inbox, 0755);
    const char *names[] = {"000_aa89ab494b992dd0", "001_0d3905432a1c49d2", "002_146ccfd4483b5f39",
                           "003_8b8a5fbdc8a96566", "004_c78fadb0904c8203"};
    for (int i = 0; i < 5; i++)
        copy_seed(seeds, names[i], 1000 * (i + 1));
    t_write_file(g_site, "000_aa89ab494b992dd0.docx", "PK\x03\x04 not really a docx\n");
    t_write_file(g_inbox, "a.txt", "某县教育局2023年工作总结\n");
    t_write_file(g_inbox, "b.html", "<html><title>工作计划</title></html>\n");
    REQUIRE(t_portal_start(&g_portal, g_site, NULL, 2) == 0);
    snprintf(g_cfg, sizeof g_cfg, "%s/fetch.json", tmp);
    snprintf(g_cfg_down, sizeof g_cfg_down, "%s/fetch-down.json", tmp);
    write_config(g_cfg, "");
    write_config(g_cfg_down, ", \"librdkafka\": {\"message.timeout.ms\": \"3000\"}");

    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s' migrate --config '%s' >/dev/null", getenv("REPORTD_BIN"),
             g_cfg);
    REQUIRE(system(cmd) == 0);
    PGconn *pg = PQconnectdb(t_env("REPORTD_TEST_PG"));
    REQUIRE(PQstatus(pg) == CONNECTION_OK);
    rd_kafka_t *rk = consumer();
    REQUIRE(rk);

    /* 1. first pass: everything is new */
    CHECK_INT(run_fetch(g_cfg), 0);
    CHECK_INT(g_nsum, 9);
    expect("idx", 3, 6, 0, 0, 0); /* 3 listing pages, 5 articles + 1 attachment */
    expect("pat", 3, 5, 0, 0, 0); /* index_3.html does not exist: the end, not a failure */
    expect("rss", 1, 5, 0, 0, 0);
    expect("sm", 2, 5, 0, 0, 0);  /* sitemap index + sitemap */
    expect("api", 4, 5, 0, 0, 0); /* 3 pages of items + the empty page that ends the list */
    expect("inbox", 1, 2, 0, 0, 0);
    expect("bad", 1, 1, 0, 0, 7); /* 404, 500, truncated, too big, loop, slow, robots */
    expect("guarded", 1, 0, 0, 0, 1);
    expect("capped", 2, 5, 0, 0, 0); /* 2 of 3 listing pages: 4 articles + 1 attachment */
    long produced = 6 + 5 + 5 + 5 + 5 + 2 + 1 + 5;
    CHECK_INT(raw_count(rk), produced);
    seen s;
    memset(&s, 0, sizeof s);
    CHECK_INT(read_all(rk, check_message, &s), produced);
    CHECK_INT(s.bad_id, 0);
    CHECK_INT(s.bad_sha, 0);
    CHECK_INT(s.attachments, 2); /* idx and capped; pat does not follow attachments */
    CHECK(strstr(s.attachment_parent, "/jyj/art/000_aa89ab494b992dd0") != NULL);
    CHECK(s.gbk >= 2);
    CHECK_INT(s.region_ok, s.idx_docs);
    CHECK_INT(s.dir_files, 2);
    CHECK_INT(sql_long(pg, "SELECT count(*) FROM reports.fetch_state WHERE source = 'bad' "
                           "AND last_error IS NOT NULL AND failures = 1"),
              7);
    CHECK_INT(sql_long(pg, "SELECT count(*) FROM reports.fetch_state WHERE source = 'guarded' "
                           "AND last_error LIKE '%refused address 127.0.0.1%'"),
              1);
    CHECK_INT(sql_long(pg, "SELECT count(*) FROM reports.fetch_state WHERE source = 'idx' "
                           "AND sha256 IS NOT NULL AND last_emitted IS NOT NULL"),
              6);

    /* 2. a second run (a new process: state comes from Postgres): nothing is produced.
     * Articles answer 304; the attachment known from the state is checked too. */
    CHECK_INT(run_fetch(g_cfg), 0);
    expect("idx", 3, 0, 0, 6, 0);
    expect("pat", 3, 0, 0, 5, 0);
    expect("rss", 1, 0, 0, 5, 0);
    expect("sm", 2, 0, 0, 5, 0);
    expect("api", 4, 0, 0, 5, 0);
    expect("inbox", 1, 0, 0, 2, 0);
    expect("bad", 1, 0, 0, 1, 7);
    CHECK_INT(raw_count(rk), produced);
    CHECK_INT(sql_long(pg, "SELECT max(failures) FROM reports.fetch_state WHERE source = 'bad'"),
              2);

    /* 3. one report changes: produced once per source that lists it */
    char path[1024];
    snprintf(path, sizeof path, "%s/002_146ccfd4483b5f39.txt", g_site);
    FILE *f = fopen(path, "a");
    REQUIRE(f);
    fputs("\n（本文于发布后更正）\n", f);
    fclose(f);
    set_mtime(g_site, "002_146ccfd4483b5f39.txt", -2500); /* same place in the listing */
    utimes(g_site, NULL); /* the portal rescans its folder (dates in feeds and sitemaps) */
    t_write_file(g_inbox, "a.txt", "某县教育局2023年工作总结（修订）\n");
    CHECK_INT(run_fetch(g_cfg), 0);
    expect("idx", 3, 0, 1, 5, 0);
    expect("pat", 3, 0, 1, 4, 0);
    expect("rss", 1, 0, 1, 4, 0);
    expect("sm", 2, 0, 1, 4, 0);
    expect("api", 4, 0, 1, 4, 0);
    expect("inbox", 1, 0, 1, 1, 0);
    expect("capped", 2, 0, 1, 4, 0);
    produced += 7;
    CHECK_INT(raw_count(rk), produced);

    /* 4. a report added while the portal runs */
    t_write_file(g_site, "005_new.txt", "某区教育局2025年工作要点\n\n一、目标\n新增学位800个。\n");
    CHECK_INT(run_fetch(g_cfg), 0);
    expect("idx", 3, 1, 0, 6, 0);
    expect("rss", 1, 1, 0, 5, 0);
    expect("capped", 2, 1, 0, 4, 0); /* the newest pushes one article off the two pages */
    produced += 6;
    CHECK_INT(raw_count(rk), produced);

    /* 5. broker down: nothing can be delivered, so nothing is recorded as produced ... */
    t_write_file(g_inbox, "c.txt", "某县教育局2024年工作计划\n");
    pid_t broker = (pid_t)atol(t_env("REPORTD_TEST_BROKER_PID"));
    kill(broker, SIGUSR1);
    CHECK_INT(run_fetch(g_cfg_down), 0);
    const summary *in = sum_of("inbox");
    CHECK_INT(in->new_docs, 1);
    CHECK_INT(in->failed, 1); /* the delivery failed */
    kill(broker, SIGUSR2);
    CHECK_INT(sql_long(pg, "SELECT count(*) FROM reports.fetch_state WHERE source = 'inbox' "
                           "AND url LIKE '%/c.txt' AND sha256 IS NOT NULL"),
              0);
    /* ... and the next pass produces it */
    CHECK_INT(run_fetch(g_cfg), 0);
    expect("inbox", 1, 1, 0, 2, 0);
    CHECK_INT(sql_long(pg, "SELECT count(*) FROM reports.fetch_state WHERE source = 'inbox' "
                           "AND url LIKE '%/c.txt' AND sha256 IS NOT NULL"),
              1);

    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    PQfinish(pg);
    t_portal_stop(&g_portal);
}

static void test_config_error_exit_code(void)
{
    char path[600];
    snprintf(path, sizeof path, "%s/bad.json", t_env("REPORTD_TEST_TMP"));
    FILE *f = fopen(path, "w");
    REQUIRE(f);
    fputs("{\"sources\": [\n{\"name\": \"x\", \"kind\": \"feed\", \"url\": \"http://h/\",\n"
          " \"colour\": \"red\"}]}\n",
          f);
    fclose(f);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s' fetch --config '%s' --once 2>&1", getenv("REPORTD_BIN"), path);
    FILE *p = popen(cmd, "r");
    REQUIRE(p);
    char out[1024] = "";
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    CHECK_INT(WEXITSTATUS(st), 2);
    CHECK(strstr(out, "bad.json:3: sources[0].colour: unknown key") != NULL);
}

TEST_MAIN(T(test_fetch_passes), T(test_config_error_exit_code))
