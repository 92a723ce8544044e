/* reportd migrate --config F: applies the SQL migrations (deploy/sql) in version order, each
 * in a transaction recorded in reports.schema_version. */
#include <getopt.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "connectors/postgres/migrate.h"
#include "daemon/command.h"
#include "pipeline/config.h"

static int run_migrate(int argc, char **argv)
{
    static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
                                             {"sql-dir", required_argument, NULL, 'd'},
                                             {NULL, 0, NULL, 0}};
    const char *config_path = NULL, *sql_dir_arg = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            config_path = optarg;
            break;
        case 'd':
            sql_dir_arg = optarg;
            break;
        default:
            fputs(rpt_cmd_migrate.usage, stderr);
            return RPT_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "reportd migrate: unexpected argument '%s'\n", argv[optind]);
        return RPT_EXIT_USAGE;
    }
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_config_load(&cfg, config_path, &err)) {
        fprintf(stderr, "reportd migrate: %s\n", err.data);
        rpt_buf_clear(&err);
        return RPT_EXIT_USAGE;
    }
    int rc = RPT_EXIT_FAILURE, applied = 0;
    PGconn *c = NULL;
    rpt_migration_list list = {0};
    char *dir = sql_dir_arg ? strdup(sql_dir_arg) : rpt_pg_sql_dir();
    if (!dir) {
        fprintf(stderr, "reportd migrate: no migrations folder found (set REPORTD_SQL_DIR)\n");
        goto out;
    }
    if (rpt_migrations_list(dir, &list, &err)) {
        fprintf(stderr, "reportd migrate: %s\n", err.data);
        goto out;
    }
    char *conninfo = rpt_config_pg_conninfo(&cfg);
    c = PQconnectdb(conninfo ? conninfo : "");
    free(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "reportd migrate: cannot connect to PostgreSQL: %s", PQerrorMessage(c));
        goto out;
    }
    if (rpt_pg_migrate(c, &list, &applied, &err)) {
        fprintf(stderr, "reportd migrate: %s\n", err.data);
        goto out;
    }
    int version = rpt_pg_schema_version(c, &err);
    printf("schema version %d (%d migration%s applied)\n", version, applied,
           applied == 1 ? "" : "s");
    rc = RPT_EXIT_OK;
out:
    if (c) PQfinish(c);
    rpt_migrations_clear(&list);
    free(dir);
    rpt_buf_clear(&err);
    rpt_config_clear(&cfg);
    return rc;
}

const rpt_command rpt_cmd_migrate = {
    .name = "migrate",
    .summary = "apply the SQL migrations in deploy/sql",
    .usage = "usage: reportd migrate [--config FILE] [--sql-dir DIR]\n\n"
             "Applies the versioned migrations NNN_name.sql not yet recorded in\n"
             "reports.schema_version, in order, each in its own transaction. The folder is\n"
             "--sql-dir, else $REPORTD_SQL_DIR, else ../share/reportd/sql next to the\n"
             "executable (the installed migrations), else the source tree's deploy/sql.\n"
             "Safe to run concurrently and repeatedly. Prints the resulting schema version.\n",
    .run = run_migrate,
};
