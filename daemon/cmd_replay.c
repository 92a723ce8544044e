/* reportd replay: re-run a stage over a range of a Kafka topic. Not built yet: exits with a runtime failure. */
#include <stdio.h>

#include "daemon/command.h"

static int run_replay(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "reportd replay: not implemented yet\n");
    return RD_EXIT_FAILURE;
}

const rd_command rd_cmd_replay = {
    .name = "replay",
    .summary = "re-run a stage over a range of a Kafka topic",
    .usage = "usage: reportd replay\n",
    .run = run_replay,
};
