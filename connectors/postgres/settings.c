#include "connectors/postgres/settings.h"

#include <stddef.h>

#include "common/buf.h"

const rpt_opt rpt_postgres_opts[] = {
    {"conninfo", RPT_OPT_STRING, "host=127.0.0.1 dbname=reports", 0, 0,
     offsetof(rpt_postgres_settings, conninfo), 0,
     "libpq connection string; PG* environment variables and service files apply"},
    {"password_file", RPT_OPT_STRING, NULL, 0, 0, offsetof(rpt_postgres_settings, password_file),
     0, "file holding the password (first line), kept out of the config"},
    RPT_OPT_END};

/* Appends password='...' (quoted per libpq rules) when a password file was given. */
char *rpt_postgres_conninfo(const rpt_postgres_settings *ps)
{
    rpt_buf b = RPT_BUF_INIT;
    rpt_buf_puts(&b, ps->conninfo ? ps->conninfo : "");
    if (ps->password) {
        rpt_buf_puts(&b, " password='");
        for (const char *p = ps->password; *p; p++) {
            if (*p == '\'' || *p == '\\') rpt_buf_putc(&b, '\\');
            rpt_buf_putc(&b, *p);
        }
        rpt_buf_putc(&b, '\'');
    }
    return rpt_buf_steal(&b);
}

