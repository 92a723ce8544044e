/* load.max_batch_bytes against the harness's PostgreSQL and dev-broker: with batch_size and
 * batch_latency_ms far away, a batch is cut once the sizes of its messages add up to the
 * byte bound, so no batch written holds more than the bound plus one message, and every
 * document still goes in once. */
#include <string.h>

#include "pipeline/load.h"
#include "pipeline_util.h"
#include "test.h"

#define DOCS 40

static const char *pg;
static rpt_load_stats g_stats;

/* The load role, keeping the loader's totals (batches, largest batch) for the test. */
static int load_with_stats(rpt_role_ctl *ctl)
{
    rpt_loader_params p = {.stage = {.ctl = ctl}, .stats = &g_stats};
    return rpt_loader_run(&p);
}

static void test_batch_cut_by_bytes(void)
{
    REQUIRE(tp_migrate(pg) == 0);
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    rd_kafka_t *p = tp_producer();
    REQUIRE(p);
    size_t total = 0, largest = 0, smallest = (size_t)-1;
    for (int i = 0; i < DOCS; i++) {
        rpt_buf v = RPT_BUF_INIT;
        char key[32];
        snprintf(key, sizeof key, "doc-%d", i);
        tp_parsed_doc(i, 1, 0, &v);
        total += v.len;
        if (v.len > largest) largest = v.len;
        if (v.len < smallest) smallest = v.len;
        CHECK(tp_produce(p, "reports.parsed", key, v.data, v.len) == 0);
        rpt_buf_clear(&v);
    }
    REQUIRE(tp_flush(p) == 0);
    rd_kafka_destroy(p);
    /* about four messages per batch; the bound's minimum is 1024 */
    size_t bound = 4 * smallest;
    if (bound < 1024) bound = 1024;
    REQUIRE(total > 4 * bound); /* one batch of everything would be far over it */
    char extra[160];
    snprintf(extra, sizeof extra,
             "\"batch_size\": 10000, \"batch_latency_ms\": 600000, \"max_batch_bytes\": %zu",
             bound);
    char *cfg = tp_write_config("batch_bytes", pg, extra);
    REQUIRE(cfg);
    tp_stage s;
    memset(&g_stats, 0, sizeof g_stats);
    REQUIRE(tp_stage_start(&s, cfg, load_with_stats) == 0);
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", tp_topic_end("reports.parsed"),
                          60) == 0);
    CHECK_INT(tp_stage_stop(&s), 0);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents"), DOCS);
    CHECK_INT(g_stats.updated, DOCS);
    fprintf(stderr, "  %d messages, %zu bytes, bound %zu: %lld batches, largest %zu bytes\n", DOCS,
            total, bound, g_stats.batches, g_stats.batch_bytes_max);
    /* cut once the bound is reached: at most the bound plus one message (less one byte) */
    CHECK(g_stats.batch_bytes_max > 0);
    CHECK(g_stats.batch_bytes_max < bound + largest);
    CHECK(g_stats.batches >= (long long)(total / (bound + largest)));
    CHECK(g_stats.batches <= DOCS);
    free(cfg);
    PQfinish(c);
}

/* The key's bounds: below 1024 bytes is a config error naming it; the default is 16 MiB. */
static void test_setting_bounds(void)
{
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    REQUIRE(rpt_config_defaults(&cfg, &err) == 0);
    CHECK_INT(cfg.load.max_batch_bytes, 16ll << 20);
    rpt_config_clear(&cfg);
    char *path = tp_write_config("batch_bytes_low", pg, "\"max_batch_bytes\": 100");
    REQUIRE(path);
    rpt_buf_reset(&err);
    CHECK(rpt_config_load(&cfg, path, &err) != 0);
    CHECK(err.data && strstr(err.data, "max_batch_bytes") != NULL);
    free(path);
    rpt_buf_clear(&err);
}

static int setup(void)
{
    pg = t_env("REPORTD_TEST_PG");
    return 0;
}

TEST_MAIN_WITH(setup, NULL, T(test_batch_cut_by_bytes), T(test_setting_bounds))
