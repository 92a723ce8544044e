/* reportd run: run the daemon (fetch, transform and load roles). Not built yet: exits with a runtime failure. */
#include <stdio.h>

#include "daemon/command.h"

static int run_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "reportd run: not implemented yet\n");
    return RD_EXIT_FAILURE;
}

const rd_command rd_cmd_run = {
    .name = "run",
    .summary = "run the daemon (fetch, transform and load roles)",
    .usage = "usage: reportd run\n",
    .run = run_run,
};
