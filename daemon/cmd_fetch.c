/* reportd fetch: one pass (or a loop) over the configured sources. Not built yet: exits with a runtime failure. */
#include <stdio.h>

#include "daemon/command.h"

static int run_fetch(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "reportd fetch: not implemented yet\n");
    return RD_EXIT_FAILURE;
}

const rd_command rd_cmd_fetch = {
    .name = "fetch",
    .summary = "one pass (or a loop) over the configured sources",
    .usage = "usage: reportd fetch\n",
    .run = run_fetch,
};
