/* reports.fetch_state against the harness's PostgreSQL: one row with a non-UTF-8 ETag or
 * Last-Modified (or error text) must not fail the whole batch. It used to: PostgreSQL
 * refused the statement, the batch stayed buffered and was retried as a whole, so none of
 * the pass's rows were ever saved. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/postgres/fetch_state.h"
#include "connectors/postgres/migrate.h"
#include "test.h"

static long long query_ll(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    long long v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) ? atoll(PQgetvalue(r, 0, 0)) : -1;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return v;
}

static void test_bad_validators(void)
{
    const char *pg = t_env("REPORTD_TEST_PG");
    PGconn *c = PQconnectdb(pg);
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    rpt_buf err = RPT_BUF_INIT, dir = RPT_BUF_INIT;
    rpt_buf_printf(&dir, "%s/deploy/sql", t_env("REPORTD_SOURCE_DIR"));
    rpt_migration_list l;
    int applied = 0;
    REQUIRE(rpt_migrations_list(dir.data, &l, &err) == 0);
    REQUIRE(rpt_pg_migrate(c, &l, &applied, &err) == 0);
    rpt_migrations_clear(&l);

    rpt_fetch_state *st = rpt_fetch_state_open(pg, &err);
    REQUIRE(st);
    for (int i = 0; i < 26; i++) {
        char url[64], id[16];
        snprintf(url, sizeof url, "http://portal.test/a/%d.html", i);
        snprintf(id, sizeof id, "d%d", i);
        rpt_state_update u = {.url = url,
                              .doc_id = id,
                              .source = "s",
                              .etag = i == 3 ? "\"\xff\xfe\"" : "\"e\"",
                              .last_modified = i == 7 ? "Mon, 01 Jan 2024 00:00:00 \xff" :
                                                        "Mon, 01 Jan 2024 00:00:00 GMT",
                              .sha256 = "ab",
                              .status = 200,
                              .error = i == 9 ? "http 500: \xc3(" : NULL,
                              .emitted = 1};
        REQUIRE(rpt_fetch_state_record(st, &u) == 0);
    }
    rpt_buf_reset(&err);
    CHECK_INT(rpt_fetch_state_flush(st, &err), 0);
    if (err.len) fprintf(stderr, "flush: %s\n", err.data);
    CHECK_INT((long long)rpt_fetch_state_pending(st), 0);
    CHECK_INT(query_ll(c, "SELECT count(*) FROM reports.fetch_state"), 26);
    CHECK_INT(query_ll(c, "SELECT count(*) FROM reports.fetch_state WHERE etag = '\"e\"'"), 25);
    CHECK_INT(query_ll(c, "SELECT count(*) FROM reports.fetch_state WHERE doc_id = 'd3' AND "
                          "etag IS NULL AND sha256 = 'ab'"),
              1);
    CHECK_INT(query_ll(c, "SELECT count(*) FROM reports.fetch_state WHERE doc_id = 'd7' AND "
                          "last_modified IS NULL AND etag = '\"e\"'"),
              1);
    CHECK_INT(query_ll(c, "SELECT count(*) FROM reports.fetch_state WHERE doc_id = 'd9' AND "
                          "last_error = 'http 500: \\xC3('"),
              1);
    /* a later pass reads the validators back */
    rpt_state_map map = {0};
    CHECK_INT(rpt_fetch_state_load(st, "s", &map, &err), 0);
    rpt_url_state *e = rpt_state_map_get(&map, "http://portal.test/a/3.html");
    CHECK(e && e->etag == NULL && e->sha256 && strcmp(e->sha256, "ab") == 0);
    e = rpt_state_map_get(&map, "http://portal.test/a/4.html");
    CHECK(e && e->etag && strcmp(e->etag, "\"e\"") == 0);
    rpt_state_map_clear(&map);

    /* credentials of a source URL never reach the table; the state is found again */
    rpt_state_update cu = {.url = "http://bot:hunter2@portal.test/c.html",
                           .doc_id = "dc",
                           .source = "s",
                           .sha256 = "cd",
                           .status = 500,
                           .error = "http 500 from http://bot:hunter2@portal.test/c.html"};
    REQUIRE(rpt_fetch_state_record(st, &cu) == 0);
    CHECK_INT(rpt_fetch_state_flush(st, &err), 0);
    CHECK_INT(query_ll(c, "SELECT count(*) FROM reports.fetch_state WHERE url LIKE '%hunter2%' "
                          "OR last_error LIKE '%hunter2%'"),
              0);
    CHECK_INT(query_ll(c, "SELECT count(*) FROM reports.fetch_state WHERE "
                          "url = 'http://bot:***@portal.test/c.html'"),
              1);
    CHECK_INT(rpt_fetch_state_load(st, "s", &map, &err), 0);
    e = rpt_state_map_get(&map, "http://bot:hunter2@portal.test/c.html");
    CHECK(e && e->sha256 && strcmp(e->sha256, "cd") == 0);
    if (!e || !e->sha256 || strcmp(e->sha256, "cd"))
        fprintf(stderr, "  entry %p sha %s\n", (void *)e, e && e->sha256 ? e->sha256 : "(null)");
    rpt_state_map_clear(&map);
    rpt_fetch_state_close(st);
    rpt_buf_clear(&err);
    rpt_buf_clear(&dir);
    PQfinish(c);
}

TEST_MAIN(T(test_bad_validators))
