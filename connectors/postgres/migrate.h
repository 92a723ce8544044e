/* Versioned SQL migrations of the reports schema: files NNN_name.sql in a folder, applied
 * in version order, each in its own transaction together with its row in
 * reports.schema_version. */
#ifndef REPORTD_CONNECTORS_POSTGRES_MIGRATE_H
#define REPORTD_CONNECTORS_POSTGRES_MIGRATE_H

#include <libpq-fe.h>

#include "common/buf.h"

/* Oldest schema version the loader writes to (it writes the columns added by 003_bi_metrics.sql
 * and 005_ocr.sql). */
#define RPT_PG_SCHEMA_MIN 5

typedef struct rpt_migration {
    int version;
    char *name; /* file name */
    char *path;
} rpt_migration;

typedef struct rpt_migration_list {
    rpt_migration *items; /* sorted by version */
    size_t n;
} rpt_migration_list;

/* The migrations folder: $REPORTD_SQL_DIR, else ../share/reportd/sql next to the executable
 * (an installed binary's own prefix), else the compiled-in source tree's REPORTD_SQL_DIR when
 * it exists. Returns a malloc'd path, or NULL when none exists. */
char *rpt_pg_sql_dir(void);

/* Lists NNN_*.sql files of dir. Duplicate versions are an error. Returns 0 or -1 (err). */
int rpt_migrations_list(const char *dir, rpt_migration_list *out, rpt_buf *err);
void rpt_migrations_clear(rpt_migration_list *l);

/* Applies every migration newer than the database's version, holding an advisory lock so
 * that concurrent runs wait for each other. *applied counts the files applied. Returns 0,
 * or -1 with the failing file and Postgres' message in err (that file's changes are rolled
 * back; earlier ones stay). */
int rpt_pg_migrate(PGconn *c, const rpt_migration_list *l, int *applied, rpt_buf *err);

/* Highest applied version (0 when the schema_version table does not exist), or -1 on a
 * query error (err). */
int rpt_pg_schema_version(PGconn *c, rpt_buf *err);

/* Checks that the database's schema is one this build knows: at least RPT_PG_SCHEMA_MIN and
 * no newer than the newest migration in `known` (skipped when known is NULL or empty).
 * Returns 0, or -1 with the reason in err. */
int rpt_pg_schema_check(PGconn *c, const rpt_migration_list *known, rpt_buf *err);

#endif
