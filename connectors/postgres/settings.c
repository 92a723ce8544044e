#include "connectors/postgres/settings.h"

#include <libpq-fe.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

const rpt_opt rpt_postgres_opts[] = {
    {"conninfo", RPT_OPT_STRING, "host=127.0.0.1 dbname=reports", 0, 0,
     offsetof(rpt_postgres_settings, conninfo), 0,
     "libpq connection string; PG* environment variables and service files apply"},
    {"password_file", RPT_OPT_STRING, NULL, 0, 0, offsetof(rpt_postgres_settings, password_file),
     0, "file holding the password (first line), kept out of the config"},
    RPT_OPT_END};

/* Appends keyword='value' to b, quoted per libpq rules. */
static void put_kv(rpt_buf *b, const char *keyword, const char *value)
{
    if (b->len) rpt_buf_putc(b, ' ');
    rpt_buf_printf(b, "%s='", keyword);
    for (const char *p = value; *p; p++) {
        if (*p == '\'' || *p == '\\') rpt_buf_putc(b, '\\');
        rpt_buf_putc(b, *p);
    }
    rpt_buf_putc(b, '\'');
}

/* The conninfo, with the password of password_file when one was given. The conninfo may be
 * key=value or a postgresql:// URI: it is parsed by libpq and rebuilt in key=value form, so
 * the password is a keyword of its own (appending " password=..." to a URI broke
 * authentication, and libpq's error then quoted the password). A conninfo libpq cannot
 * parse is returned as is, without the password (the connection fails on the conninfo). */
char *rpt_postgres_conninfo(const rpt_postgres_settings *ps)
{
    const char *ci = ps->conninfo ? ps->conninfo : "";
    if (!ps->password) return strdup(ci);
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(ci, &errmsg);
    PQfreemem(errmsg);
    if (!opts) return strdup(ci);
    rpt_buf b = RPT_BUF_INIT;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (o->val && strcmp(o->keyword, "password") != 0) put_kv(&b, o->keyword, o->val);
    put_kv(&b, "password", ps->password);
    PQconninfoFree(opts);
    return rpt_buf_steal(&b);
}

