#include "connectors/postgres/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "common/fs.h"

#define MAX_MIGRATION_BYTES (16u << 20)
#define MIGRATE_LOCK_KEY 7405221 /* pg_advisory_lock key of `reportd migrate` */

static int is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *rpt_pg_sql_dir(void)
{
    const char *env = getenv("REPORTD_SQL_DIR");
    if (env && *env) return strdup(env);
    /* an installed binary's own prefix first: the source tree it was built from may still
     * exist on the build machine, with migrations newer than the ones installed */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = NULL;
    if (n > 0) {
        exe[n] = '\0';
        slash = strrchr(exe, '/');
    }
    if (slash) {
        *slash = '\0';
        rpt_buf b = RPT_BUF_INIT;
        rpt_buf_printf(&b, "%s/../share/reportd/sql", exe);
        if (is_dir(b.data)) return rpt_buf_steal(&b);
        rpt_buf_clear(&b);
    }
#ifdef REPORTD_SQL_DIR
    if (is_dir(REPORTD_SQL_DIR)) return strdup(REPORTD_SQL_DIR);
#endif
    return NULL;
}

static int cmp_migration(const void *a, const void *b)
{
    const rpt_migration *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

int rpt_migrations_list(const char *dir, rpt_migration_list *out, rpt_buf *err)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (!d) {
        rpt_buf_printf(err, "%s: cannot open migrations folder: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        size_t len = strlen(name);
        if (len < 5 || strcmp(name + len - 4, ".sql") != 0) continue;
        char *end;
        long v = strtol(name, &end, 10);
        if (end == name || *end != '_' || v <= 0 || v > 99999) continue;
        rpt_migration *items = realloc(out->items, (out->n + 1) * sizeof *items);
        if (!items) goto oom;
        out->items = items;
        rpt_migration *m = &out->items[out->n];
        m->version = (int)v;
        m->name = strdup(name);
        rpt_buf p = RPT_BUF_INIT;
        rpt_buf_printf(&p, "%s/%s", dir, name);
        m->path = rpt_buf_steal(&p);
        out->n++;
        if (!m->name || !m->path) goto oom;
    }
    closedir(d);
    qsort(out->items, out->n, sizeof *out->items, cmp_migration);
    for (size_t i = 1; i < out->n; i++) {
        if (out->items[i].version == out->items[i - 1].version) {
            rpt_buf_printf(err, "%s: migrations %s and %s have the same version", dir,
                          out->items[i - 1].name, out->items[i].name);
            rpt_migrations_clear(out);
            return -1;
        }
    }
    return 0;
oom:
    closedir(d);
    rpt_migrations_clear(out);
    rpt_buf_puts(err, "out of memory");
    return -1;
}

void rpt_migrations_clear(rpt_migration_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].name);
        free(l->items[i].path);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* Runs a command; on failure appends "what: message" to err. */
static int exec_ok(PGconn *c, const char *sql, const char *what, rpt_buf *err)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) rpt_buf_printf(err, "%s: %s", what, PQerrorMessage(c));
    PQclear(r);
    return ok ? 0 : -1;
}

int rpt_pg_schema_version(PGconn *c, rpt_buf *err)
{
    PGresult *r = PQexec(c, "SELECT CASE WHEN to_regclass('reports.schema_version') IS NULL "
                            "THEN NULL ELSE 1 END");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rpt_buf_printf(err, "reading the schema version: %s", PQerrorMessage(c));
        PQclear(r);
        return -1;
    }
    int exists = !PQgetisnull(r, 0, 0);
    PQclear(r);
    if (!exists) return 0;
    r = PQexec(c, "SELECT coalesce(max(version), 0) FROM reports.schema_version");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rpt_buf_printf(err, "reading the schema version: %s", PQerrorMessage(c));
        PQclear(r);
        return -1;
    }
    int v = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

/* Applies one file and records it, in one transaction. */
static int apply_one(PGconn *c, const rpt_migration *m, rpt_buf *err)
{
    size_t len = 0;
    char *sql = rpt_read_file(m->path, MAX_MIGRATION_BYTES, &len);
    if (!sql) {
        rpt_buf_printf(err, "%s: cannot read: %s", m->path, strerror(errno));
        return -1;
    }
    int rc = -1;
    if (exec_ok(c, "BEGIN", m->name, err)) goto out;
    if (exec_ok(c, sql, m->name, err)) goto rollback;
    char version[16];
    snprintf(version, sizeof version, "%d", m->version);
    const char *params[] = {version, m->name};
    PGresult *r =
        PQexecParams(c, "INSERT INTO reports.schema_version (version, name) VALUES ($1, $2)", 2,
                     NULL, params, NULL, NULL, 0);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) rpt_buf_printf(err, "%s: recording the version: %s", m->name, PQerrorMessage(c));
    PQclear(r);
    if (!ok) goto rollback;
    if (exec_ok(c, "COMMIT", m->name, err)) goto out;
    rc = 0;
    goto out;
rollback:
    PQclear(PQexec(c, "ROLLBACK"));
out:
    free(sql);
    return rc;
}

int rpt_pg_migrate(PGconn *c, const rpt_migration_list *l, int *applied, rpt_buf *err)
{
    *applied = 0;
    char lock[96];
    snprintf(lock, sizeof lock, "SELECT pg_advisory_lock(%d)", MIGRATE_LOCK_KEY);
    if (exec_ok(c, lock, "taking the migration lock", err)) return -1;
    int rc = -1;
    if (exec_ok(c,
                "SET client_min_messages = warning;"
                "CREATE SCHEMA IF NOT EXISTS reports;"
                "CREATE TABLE IF NOT EXISTS reports.schema_version ("
                " version integer PRIMARY KEY, name text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())",
                "creating reports.schema_version", err))
        goto out;
    int current = rpt_pg_schema_version(c, err);
    if (current < 0) goto out;
    for (size_t i = 0; i < l->n; i++) {
        const rpt_migration *m = &l->items[i];
        if (m->version <= current) continue;
        if (apply_one(c, m, err)) goto out;
        rpt_log_info("migrate", "applied migration", "version=%d file=%s", m->version, m->name);
        (*applied)++;
    }
    rc = 0;
out:
    snprintf(lock, sizeof lock, "SELECT pg_advisory_unlock(%d)", MIGRATE_LOCK_KEY);
    PQclear(PQexec(c, lock));
    return rc;
}

int rpt_pg_schema_check(PGconn *c, const rpt_migration_list *known, rpt_buf *err)
{
    int v = rpt_pg_schema_version(c, err);
    if (v < 0) return -1;
    if (v < RPT_PG_SCHEMA_MIN) {
        rpt_buf_printf(err, "database schema version %d is older than %d: run `reportd migrate`", v,
                      RPT_PG_SCHEMA_MIN);
        return -1;
    }
    if (known && known->n && v > known->items[known->n - 1].version) {
        rpt_buf_printf(err,
                      "database schema version %d is newer than this build knows (%d): "
                      "upgrade reportd",
                      v, known->items[known->n - 1].version);
        return -1;
    }
    return 0;
}
