/* Crash safety of the loader: `reportd run --role load` is killed with SIGKILL at random
 * points while it loads a few thousand documents, and restarted each time. Afterwards the
 * tables must equal, row for row, those of one uninterrupted run of the same messages into
 * another database. */
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pipeline/load.h"
#include "pipeline_util.h"
#include "test.h"

#define DOCS 2500
#define KILLS 10

static const char *pg;

static pid_t start_loader(const char *cfg)
{
    pid_t pid = fork();
    if (pid == 0) {
        rpt_buf log = RPT_BUF_INIT;
        rpt_buf_printf(&log, "%s/loader.log", getenv("REPORTD_TEST_TMP"));
        if (!freopen(log.data, "a", stderr)) _exit(126);
        execl(getenv("REPORTD_BIN"), "reportd", "run", "--role", "load", "--config", cfg,
              (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* True once process pid blocks or catches SIGTERM (its handling is installed): a SIGTERM
 * sent earlier would kill it by default instead of asking it to drain. */
static int handles_sigterm(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    unsigned long long mask = 0, bit = 1ull << (SIGTERM - 1);
    int ok = 0;
    while (fgets(line, sizeof line, f)) {
        if ((sscanf(line, "SigBlk: %llx", &mask) == 1 ||
             sscanf(line, "SigCgt: %llx", &mask) == 1) &&
            (mask & bit))
            ok = 1;
    }
    fclose(f);
    return ok;
}

static long long stored(PGconn *c)
{
    return tp_query_ll(c, "SELECT coalesce(sum(next_offset), 0) FROM reports.kafka_offsets "
                          "WHERE consumer_group = 'reportd-load' AND topic = 'reports.parsed'");
}

static void test_kill9_loader(void)
{
    REQUIRE(tp_migrate(pg) == 0);
    rd_kafka_t *p = tp_producer();
    REQUIRE(p);
    for (int i = 0; i < DOCS + DOCS / 10; i++) {
        int doc = i < DOCS ? i : (i - DOCS) * 7;
        rpt_buf v = RPT_BUF_INIT;
        char key[32];
        snprintf(key, sizeof key, "doc-%d", doc);
        tp_parsed_doc(doc, i < DOCS ? 1 : 2, i < DOCS ? 0 : 1, &v);
        CHECK(tp_produce(p, "reports.parsed", key, v.data, v.len) == 0);
        rpt_buf_clear(&v);
    }
    const char *garbage = "{\"schema\":1,\"doc_id\":";
    CHECK(tp_produce(p, "reports.parsed", "bad", garbage, strlen(garbage)) == 0);
    REQUIRE(tp_flush(p) == 0);
    rd_kafka_destroy(p);
    long long end = tp_topic_end("reports.parsed");
    CHECK_INT(end, DOCS + DOCS / 10 + 1);

    /* the clean run */
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    PQclear(PQexec(c, "CREATE DATABASE reports_clean"));
    rpt_buf clean = RPT_BUF_INIT;
    rpt_buf_printf(&clean, "%s dbname=reports_clean", pg);
    REQUIRE(tp_migrate(clean.data) == 0);
    char *clean_cfg = tp_write_config("clean", clean.data, "\"batch_size\": 500");
    PGconn *cc = PQconnectdb(clean.data);
    REQUIRE(PQstatus(cc) == CONNECTION_OK);
    tp_stage s;
    REQUIRE(tp_stage_start(&s, clean_cfg, rpt_role_load) == 0);
    CHECK(tp_wait_offsets(cc, "reportd-load", "reports.parsed", end, 120) == 0);
    CHECK_INT(tp_stage_stop(&s), 0);
    char *want = tp_tables_checksum(cc);

    /* kill -9 at random points while loading, restart each time */
    char *cfg = tp_write_config("crash", pg, "\"batch_size\": 20, \"batch_latency_ms\": 20");
    /* the kill points are random: the seed is printed, REPORTD_TEST_SEED=N replays a run */
    const char *seed_env = getenv("REPORTD_TEST_SEED");
    unsigned seed = seed_env && *seed_env ? (unsigned)strtoul(seed_env, NULL, 10)
                                          : (unsigned)time(NULL) ^ (unsigned)getpid();
    fprintf(stderr, "random seed %u (replay with REPORTD_TEST_SEED=%u)\n", seed, seed);
    srand(seed);
    int kills = 0;
    for (int round = 0; round < KILLS && stored(c) < end; round++) {
        long long before = stored(c);
        pid_t pid = start_loader(cfg);
        REQUIRE(pid > 0);
        /* wait until this run has committed something, then kill it a little later */
        for (int i = 0; i < 600 && stored(c) == before; i++)
            tp_sleep_ms(20);
        tp_sleep_ms(rand() % 120);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        kills++;
        fprintf(stderr, "kill %d: stored offsets %lld -> %lld of %lld\n", kills, before, stored(c),
                end);
    }
    CHECK(kills >= 3);
    pid_t pid = start_loader(cfg);
    CHECK(tp_wait_offsets(c, "reportd-load", "reports.parsed", end, 120) == 0);
    for (int i = 0; i < 1000 && !handles_sigterm(pid); i++)
        tp_sleep_ms(10);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *got = tp_tables_checksum(c);
    fprintf(stderr, "after %d kills: %s\nclean run:      %s\n", kills, got ? got : "?",
            want ? want : "?");
    CHECK(want && got && strcmp(want, got) == 0);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents"), DOCS);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.rejects"), 1);
    CHECK_INT(tp_query_ll(c, "SELECT count(*) FROM reports.documents WHERE transform_version = 2"),
              DOCS / 10);
    free(want);
    free(got);
    free(cfg);
    free(clean_cfg);
    rpt_buf_clear(&clean);
    PQfinish(cc);
    PQfinish(c);
}

static int setup(void)
{
    pg = t_env("REPORTD_TEST_PG");
    t_env("REPORTD_BIN");
    return 0;
}

TEST_MAIN_WITH(setup, NULL, T(test_kill9_loader))
