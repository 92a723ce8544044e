/* The [postgres] settings: the libpq conninfo and a password file, declared in one table
 * (rpt_postgres_opts). */
#ifndef REPORTD_CONNECTORS_POSTGRES_SETTINGS_H
#define REPORTD_CONNECTORS_POSTGRES_SETTINGS_H

#include "common/opts.h"

typedef struct rpt_postgres_settings {
    char *conninfo;
    char *password_file; /* secret read from this file when set */
    char *password;      /* filled from password_file; never logged */
} rpt_postgres_settings;

extern const rpt_opt rpt_postgres_opts[];

/* The libpq conninfo including the password read from password_file (caller frees). */
char *rpt_postgres_conninfo(const rpt_postgres_settings *ps);

#endif
