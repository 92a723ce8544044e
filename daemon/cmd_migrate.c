/* reportd migrate: apply the SQL migrations in deploy/sql. Not built yet: exits with a runtime failure. */
#include <stdio.h>

#include "daemon/command.h"

static int run_migrate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "reportd migrate: not implemented yet\n");
    return RD_EXIT_FAILURE;
}

const rd_command rd_cmd_migrate = {
    .name = "migrate",
    .summary = "apply the SQL migrations in deploy/sql",
    .usage = "usage: reportd migrate\n",
    .run = run_migrate,
};
