/* The fetch role as the daemon runs it: sources polled on their interval, a slow source
 * never holding back a fast one, a config swapped in (SIGHUP) taking effect on the next
 * pass, and a clean stop with a request still in flight (not recorded as a failure of its
 * page). */
#include <libpq-fe.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

#include "common/metrics.h"
#include "pipeline/stage.h"
#include "support/portal.h"
#include "support/raw_topic.h"
#include "test.h"

static t_portal g_portal;
static char g_site[512], g_log[600];

static void write_config(const char *path, int with_feed)
{
    FILE *f = fopen(path, "w");
    if (!f) return;
    fprintf(
        f,
        "{\"kafka\": {\"bootstrap.servers\": \"%s\"},\n"
        " \"postgres\": {\"conninfo\": \"%s\"},\n"
        " \"fetch\": {\"allow_private_networks\": true, \"per_host_delay_ms\": 0,\n"
        "   \"per_host_concurrency\": 4, \"low_speed_bytes\": 1, \"low_speed_time_s\": 600,\n"
        "   \"timeout_s\": 600, \"respect_robots\": false},\n"
        " \"sources\": [\n"
        "  {\"name\": \"fast\", \"kind\": \"html_index\", \"url\": \"%s/jyj/index.html\",\n"
        "   \"links\": \"//ul[@class='list']//a/@href\", \"interval_s\": 1},\n"
        "  {\"name\": \"slow\", \"kind\": \"html_index\", \"url\": \"%s/bad/slow/2000/listing\",\n"
        "   \"interval_s\": 1}%s%s%s\n"
        " ]}\n",
        t_env("REPORTD_TEST_BROKER"), t_env("REPORTD_TEST_PG"), g_portal.base, g_portal.base,
        with_feed ? ",\n  {\"name\": \"feed2\", \"kind\": \"feed\", \"url\": \"" : "",
        with_feed ? g_portal.base : "", with_feed ? "/rss.xml\"}" : "");
    fclose(f);
}

static void *role_thread(void *arg)
{
    static int rc;
    rc = rpt_role_fetch(arg);
    return &rc;
}

/* Waits (up to a minute) until reports.raw holds at least n messages. */
static long wait_for(rd_kafka_t *rk, long n)
{
    long got = 0;
    for (int i = 0; i < 600 && (got = raw_count(rk)) < n; i++)
        usleep(100000);
    return got;
}

static int slow_listing_finished(void)
{
    FILE *f = fopen(g_log, "r");
    if (!f) return 0;
    char line[512];
    int done = 0;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "end ", 4) && strstr(line, "/bad/slow/2000/listing")) done = 1;
    fclose(f);
    return done;
}

static void test_role_loop(void)
{
    const char *tmp = t_env("REPORTD_TEST_TMP");
    snprintf(g_site, sizeof g_site, "%s/site", tmp);
    snprintf(g_log, sizeof g_log, "%s/requests.log", tmp);
    mkdir(g_site, 0755);
    t_write_file(g_site, "a.txt", "某县教育局2023年工作总结\n\n新增学位500个。\n");
    REQUIRE(t_portal_start(&g_portal, g_site, g_log, 20) == 0);
    char path[600], path2[600], cmd[1500];
    snprintf(path, sizeof path, "%s/role.json", tmp);
    snprintf(path2, sizeof path2, "%s/role2.json", tmp);
    write_config(path, 0);
    write_config(path2, 1);
    snprintf(cmd, sizeof cmd, "'%s' migrate --config '%s' >/dev/null", getenv("REPORTD_BIN"), path);
    REQUIRE(system(cmd) == 0);

    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(rpt_config_load(&cfg, path, &err) == 0);
    rpt_config_holder *holder = rpt_config_holder_new(&cfg);
    REQUIRE(holder);
    rpt_role_ctl ctl;
    memset(&ctl, 0, sizeof ctl);
    ctl.config = holder;
    ctl.instances = 1;
    pthread_t th;
    REQUIRE(pthread_create(&th, NULL, role_thread, &ctl) == 0);
    rd_kafka_t *rk = consumer();

    CHECK_INT(wait_for(rk, 1), 1);
    /* a report published later is picked up by a later pass of "fast", while the first
     * pass of "slow" (a listing dripped over half a minute) is still running */
    t_write_file(g_site, "b.txt", "某县教育局2024年工作计划\n\n新增学位800个。\n");
    CHECK_INT(wait_for(rk, 2), 2);
    CHECK(!slow_listing_finished());
    CHECK(atomic_load(&ctl.ready) == 1);
    CHECK(atomic_load(&ctl.heartbeat) > 0);

    /* SIGHUP: a new config adds a source; its documents are produced */
    rpt_config cfg2;
    REQUIRE(rpt_config_load(&cfg2, path2, &err) == 0);
    rpt_config_holder_swap(holder, &cfg2);
    CHECK_INT(wait_for(rk, 4), 4);
    CHECK_INT(rpt_metrics_get("reportd_fetch_documents_total", "source=\"fast\",outcome=\"new\""),
              2);
    CHECK(rpt_metrics_get("reportd_fetch_documents_total",
                         "source=\"fast\",outcome=\"unchanged\"") >= 1);
    CHECK_INT(rpt_metrics_get("reportd_fetch_documents_total", "source=\"feed2\",outcome=\"new\""),
              2);

    atomic_store(&ctl.stop, 1);
    void *ret = NULL;
    pthread_join(th, &ret);
    CHECK(ret && *(int *)ret == 0);
    CHECK_INT(raw_count(rk), 4); /* nothing produced twice across passes */
    /* the slow listing was cancelled by the stop: that is no failure of the page */
    PGconn *pg = PQconnectdb(t_env("REPORTD_TEST_PG"));
    PGresult *r = PQexec(pg, "SELECT count(*) FROM reports.fetch_state WHERE last_error IS NOT "
                             "NULL OR failures > 0");
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
          !strcmp(PQgetvalue(r, 0, 0), "0"));
    PQclear(r);
    PQfinish(pg);
    rd_kafka_destroy(rk);
    rpt_config_holder_free(holder);
    rpt_buf_clear(&err);
    t_portal_stop(&g_portal);
}

TEST_MAIN(T(test_role_loop))
