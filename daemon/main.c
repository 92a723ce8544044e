/* reportd: fetch government work reports, extract sections and indicators, stream them
 * through Kafka into PostgreSQL. This file only dispatches to the subcommands. */
#include <curl/curl.h>
#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_version.h>

#include "connectors/postgres/migrate.h"
#include "daemon/command.h"
#include "transforms/extract.h"

/* The schema this binary expects: the newest of the migrations it ships (what `reportd
 * migrate` brings a database to; the loader refuses a newer one), or 0 when none is found. */
static int expected_schema(char **dir_out)
{
    int newest = 0;
    char *dir = rpt_pg_sql_dir();
    rpt_migration_list l = {0};
    rpt_buf err = RPT_BUF_INIT;
    if (dir && rpt_migrations_list(dir, &l, &err) == 0 && l.n) newest = l.items[l.n - 1].version;
    rpt_migrations_clear(&l);
    rpt_buf_clear(&err);
    char *real = dir ? realpath(dir, NULL) : NULL; /* "/usr/share/...", not "/usr/bin/../share/..." */
    if (real) {
        free(dir);
        dir = real;
    }
    *dir_out = dir;
    return newest;
}

static void print_version(void)
{
    int pg = PQlibVersion();
    int yv = yajl_version();
    printf("reportd %s\n", REPORTD_VERSION);
    printf("transform version %d\n", RPT_TRANSFORM_VERSION);
    char *dir = NULL;
    int schema = expected_schema(&dir);
    if (schema)
        printf("schema version %d (migrations %s; loads schema %d..%d)\n", schema, dir,
               RPT_PG_SCHEMA_MIN, schema);
    else
        printf("schema version unknown (no migrations folder found; loads schema %d and up)\n",
               RPT_PG_SCHEMA_MIN);
    free(dir);
    printf("librdkafka %s\n", rd_kafka_version_str());
    printf("libpq %d.%d\n", pg / 10000, pg % 10000);
    printf("libcurl %s\n", curl_version_info(CURLVERSION_NOW)->version);
    printf("yajl %d.%d.%d\n", yv / 10000, (yv / 100) % 100, yv % 100);
}

static void print_help(FILE *out)
{
    fprintf(out, "usage: reportd [--version] [--help] COMMAND [ARGS]\n\n"
                 "Fetch government work reports, extract their sections and numeric indicators,\n"
                 "and stream them through Kafka into PostgreSQL.\n\ncommands:\n");
    for (const rpt_command *const *c = rpt_commands; *c; c++)
        fprintf(out, "  %-14s %s\n", (*c)->name, (*c)->summary);
    fprintf(out, "\nrun 'reportd COMMAND --help' for a command's options.\n"
                 "exit codes: 0 ok, 1 runtime failure, 2 usage or config error\n");
}

int main(int argc, char **argv)
{
    /* the decoder children (reportd-decoder, OCR with Tesseract's OpenMP) read it when they
     * load: one thread each, so that they need not execute themselves again to set it */
    setenv("OMP_THREAD_LIMIT", "1", 0);
    if (argc < 2) {
        print_help(stderr);
        return RPT_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        print_version();
        return RPT_EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        print_help(stdout);
        return RPT_EXIT_OK;
    }
    for (const rpt_command *const *c = rpt_commands; *c; c++) {
        if (strcmp(argv[1], (*c)->name) != 0) continue;
        if (rpt_command_wants_help(*c, argc - 1, argv + 1)) return RPT_EXIT_OK;
        return (*c)->run(argc - 1, argv + 1);
    }
    fprintf(stderr, "reportd: unknown command '%s'\n\n", argv[1]);
    print_help(stderr);
    return RPT_EXIT_USAGE;
}
